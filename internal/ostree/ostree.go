// Package ostree is a counted B+-tree: a sequence of items in an order the
// caller defines, each with a non-negative weight, in which finding the item
// at an item index or at a weighted position, inserting, deleting and
// reweighting an item, and asking where an item now stands all cost
// O(log n).
//
// The list package keeps runs of list elements in it (an item is a run,
// its weight the run's count of visible elements); a sorted set keeps its
// members in (score, member) order with weight 1 each and finds them with
// Search. Items live in leaves of up to LeafCap items; inner nodes hold up to
// innerCap children with the item count, weight sum and leftmost leaf of
// each (so Search compares against a child's first item in one step), and
// every node points to its parent, so a Cursor (leaf and slot) leads back to
// the item's index and weighted position.
//
// A Tree is not safe for concurrent use; reads that use the weight sums
// (FindWeight, Position, Clone) may first apply a reweighting SetWeight
// deferred, so they count as uses too. A Cursor stays valid until the
// next Insert or Delete (which may move items between leaves); SetWeight
// and changes made through At keep every cursor valid.
package ostree

import (
	"math"
	"runtime"
	"unsafe"
)

const (
	// MaxWeight is the greatest weight of one item.
	MaxWeight = math.MaxUint32
	// LeafCap is the number of items a leaf holds.
	LeafCap  = 32
	innerCap = 32
	minLeaf  = LeafCap / 4
	minInner = innerCap / 4
)

// Leaf is a leaf of a Tree: up to LeafCap consecutive items. Callers hold
// pointers to leaves to find items again (see Tree.OnMove); a leaf stays
// the same leaf while it lives, though items enter and leave it.
type Leaf[T any] struct {
	parent     *inner[T]
	pidx       int // index in parent
	n          int
	total      int // sum of w[:n]
	prev, next *Leaf[T]
	w          [LeafCap]uint32 // 4 bytes, not 8: a leaf of 16-byte items fits a smaller size class
	items      [LeafCap]T
}

// Len returns the number of items in the leaf. O(1).
func (l *Leaf[T]) Len() int { return l.n }

// Next returns the leaf after l, or nil if l is the last. O(1).
func (l *Leaf[T]) Next() *Leaf[T] { return l.next }

// Items returns the leaf's items in order. The slice aliases the leaf: it
// is valid until the tree next changes shape, and writes through it change
// the items (keep their weights with Tree.SetWeight). O(1).
func (l *Leaf[T]) Items() []T { return l.items[:l.n] }

type inner[T any] struct {
	parent *inner[T]
	pidx   int
	n      int
	leafs  bool // children are leaves
	count  [innerCap]int
	weight [innerCap]int
	// leaves[k] is the leftmost leaf under child k: the child itself if
	// leafs, else kids[k].leaves[0]. So leaves[0] is the node's own
	// leftmost leaf (nil while the node is empty).
	leaves [innerCap]*Leaf[T]
	// firsts[k] is a copy of the first item of leaves[k] (zero while that
	// leaf is empty), so Search compares without visiting leaves.
	firsts [innerCap]T
	kids   [innerCap]*inner[T] // children if !leafs
}

// weight returns w as a leaf stores it, or panics if it is out of range.
func weight(w int) uint32 {
	if w < 0 || w > MaxWeight {
		panic("ostree: weight out of range")
	}
	return uint32(w)
}

// fixLeftmost refreshes the leftmost-leaf entries of p's ancestors after
// p's leftmost leaf or its first item may have changed. O(height).
func fixLeftmost[T any](p *inner[T]) {
	for ; p.parent != nil; p = p.parent {
		p.parent.leaves[p.pidx] = p.leaves[0]
		p.parent.firsts[p.pidx] = p.firsts[0]
	}
}

// fixFirst refreshes the copies of l's first item in its ancestors after
// it changed; l must not be empty. O(height), and O(1) unless l is the
// leftmost leaf of its parent.
func fixFirst[T any](l *Leaf[T]) {
	p, k := l.parent, l.pidx
	for p != nil {
		p.firsts[k] = l.items[0]
		if k != 0 {
			return
		}
		p, k = p.parent, p.pidx
	}
}

// setChild makes leaf (if p.leafs) or kid child k of p, with its
// leftmost-leaf entries; it does not set parent links or sums.
func (p *inner[T]) setChild(k int, leaf *Leaf[T], kid *inner[T]) {
	if p.leafs {
		p.leaves[k] = leaf
		p.firsts[k] = leaf.items[0]
		return
	}
	p.kids[k] = kid
	p.leaves[k] = kid.leaves[0]
	p.firsts[k] = kid.firsts[0]
}

// Cursor names one item of a Tree by its leaf and slot, or the end of the
// tree (Slot == Leaf.Len() in the last leaf).
type Cursor[T any] struct {
	Leaf *Leaf[T]
	Slot int
}

// Tree is a counted B+-tree of items of type T. The zero value is not
// usable; call New.
type Tree[T any] struct {
	root       *inner[T] // nil while the tree is one leaf
	head, tail *Leaf[T]
	n          int
	w          int
	moved      func(items []T, to *Leaf[T])
	gen        uint64
	// pend is a leaf whose ancestors still lack the weight change
	// pendW: while SetWeight keeps changing items of one leaf (typing
	// into one run), it defers the walk up the tree, and every method
	// that reads or restructures inner nodes applies it first (settle).
	// Weight and the leaf totals are always exact.
	pend  *Leaf[T]
	pendW int
}

// New returns an empty tree. O(1).
func New[T any]() *Tree[T] {
	l := &Leaf[T]{}
	return &Tree[T]{head: l, tail: l}
}

// OnMove sets f to be called, after each change of shape, with the items
// that changed leaves and the leaf now holding them (items aliases that
// leaf), so that a caller indexing items by leaf can follow them. nil
// removes it. Only items that changed leaves are reported. O(1); each
// call of f costs what f does, on at most LeafCap items per change.
func (t *Tree[T]) OnMove(f func(items []T, to *Leaf[T])) { t.moved = f }

// Len returns the number of items. O(1).
func (t *Tree[T]) Len() int { return t.n }

// Weight returns the sum of the items' weights. O(1).
func (t *Tree[T]) Weight() int { return t.w }

// Gen returns a counter that changes whenever leaves split, merge, lend
// items or disappear, so a caller can cache a leaf's position and know when
// to recompute it. O(1).
func (t *Tree[T]) Gen() uint64 { return t.gen }

// Begin returns a cursor to the first item (End if the tree is empty). O(1).
func (t *Tree[T]) Begin() Cursor[T] { return Cursor[T]{Leaf: t.head} }

// End returns the cursor past the last item. O(1).
func (t *Tree[T]) End() Cursor[T] { return Cursor[T]{Leaf: t.tail, Slot: t.tail.n} }

// IsEnd reports whether c is past the last item. O(1).
func (t *Tree[T]) IsEnd(c Cursor[T]) bool {
	return c.Leaf == t.tail && c.Slot >= t.tail.n
}

// At returns a pointer to the item at c, valid until the tree next changes
// shape. A change of the item's weight must be told with SetWeight. The
// fields Search compares must not be changed through At: inner nodes keep
// copies of some items for Search. O(1).
func (t *Tree[T]) At(c Cursor[T]) *T { return &c.Leaf.items[c.Slot] }

// ItemWeight returns the weight of the item at c. O(1).
func (t *Tree[T]) ItemWeight(c Cursor[T]) int { return int(c.Leaf.w[c.Slot]) }

// LeafWeight returns the sum of the weights of the items in l. O(1).
func (t *Tree[T]) LeafWeight(l *Leaf[T]) int { return l.total }

// Next returns the cursor after c; it is End after the last item. O(1).
func (t *Tree[T]) Next(c Cursor[T]) Cursor[T] {
	c.Slot++
	if c.Slot >= c.Leaf.n && c.Leaf.next != nil {
		return Cursor[T]{Leaf: c.Leaf.next}
	}
	return c
}

// Prev returns the cursor before c and true, or (c, false) if c is the
// first item. O(1).
func (t *Tree[T]) Prev(c Cursor[T]) (Cursor[T], bool) {
	if c.Slot > 0 {
		c.Slot--
		return c, true
	}
	for l := c.Leaf.prev; l != nil; l = l.prev {
		if l.n > 0 {
			return Cursor[T]{Leaf: l, Slot: l.n - 1}, true
		}
	}
	return c, false
}

// FindWeight returns the cursor of the item holding weighted position p
// (0 ≤ p < Weight) and p's offset in that item: the item whose weight
// covers [before, before+weight) ∋ p, where before is the weight of the
// items ahead of it. Items of weight 0 hold no position. It panics if p is
// out of range. O(log n).
func (t *Tree[T]) FindWeight(p int) (Cursor[T], int) {
	c, off, _ := t.FindWeightLeaf(p)
	return c, off
}

// FindWeightLeaf is FindWeight that also returns the weight of the items
// before the cursor's leaf. O(log n).
func (t *Tree[T]) FindWeightLeaf(p int) (c Cursor[T], off, leafStart int) {
	if p < 0 || p >= t.w {
		panic("ostree: weighted position out of range")
	}
	t.settle()
	var l *Leaf[T]
	q := p
	if t.root == nil {
		l = t.head
	} else {
		nd := t.root
		for {
			i := 0
			for q >= nd.weight[i] {
				q -= nd.weight[i]
				i++
			}
			if nd.leafs {
				l = nd.leaves[i]
				break
			}
			nd = nd.kids[i]
		}
	}
	c, off = FindInLeaf(l, q)
	return c, off, p - q
}

// FindInLeaf returns the cursor of the item of l holding weighted position
// p of l (0 ≤ p < LeafWeight(l)) and p's offset in it. O(LeafCap).
func FindInLeaf[T any](l *Leaf[T], p int) (Cursor[T], int) {
	s := 0
	for p >= int(l.w[s]) {
		p -= int(l.w[s])
		s++
	}
	return Cursor[T]{Leaf: l, Slot: s}, p
}

// AtIndex returns the cursor of the item at index i (0 ≤ i ≤ Len; Len
// gives End). It panics if i is out of range. O(log n).
func (t *Tree[T]) AtIndex(i int) Cursor[T] {
	if i < 0 || i > t.n {
		panic("ostree: index out of range")
	}
	if i == t.n {
		return t.End()
	}
	if t.root == nil {
		return Cursor[T]{Leaf: t.head, Slot: i}
	}
	nd := t.root
	for {
		k := 0
		for i >= nd.count[k] {
			i -= nd.count[k]
			k++
		}
		if nd.leafs {
			return Cursor[T]{Leaf: nd.leaves[k], Slot: i}
		}
		nd = nd.kids[k]
	}
}

// Position returns the index of the item at c and the sum of the weights
// of the items before it. For End it returns (Len, Weight). O(log n).
func (t *Tree[T]) Position(c Cursor[T]) (index, before int) {
	t.settle()
	l := c.Leaf
	index = c.Slot
	for s := range c.Slot {
		before += int(l.w[s])
	}
	idx := l.pidx
	for nd := l.parent; nd != nil; nd = nd.parent {
		for k := range idx {
			index += nd.count[k]
			before += nd.weight[k]
		}
		idx = nd.pidx
	}
	return index, before
}

// LeafStart returns the index of l's first item and the weight of the
// items before it. O(log n).
func (t *Tree[T]) LeafStart(l *Leaf[T]) (index, before int) {
	return t.Position(Cursor[T]{Leaf: l})
}

// SetWeight sets the weight of the item at c to w (0 ≤ w ≤ MaxWeight);
// it panics if w is out of range. Cursors stay valid. O(1) while the
// changes stay in one leaf: the sums of its ancestors are brought up to
// date (O(log n)) by the first change elsewhere or the first method that
// needs them.
func (t *Tree[T]) SetWeight(c Cursor[T], w int) {
	l := c.Leaf
	d := w - int(l.w[c.Slot])
	if d == 0 {
		return
	}
	l.w[c.Slot] = weight(w)
	l.total += d
	t.w += d
	if l != t.pend {
		t.settle()
		if l.parent == nil {
			return // no ancestors
		}
		t.pend = l
	}
	t.pendW += d
}

// SetWeightDeferred is SetWeight's O(1) case: if c's leaf is the one
// whose weight change is already deferred and w is in range, it sets the
// weight of the item at c to w as SetWeight would and returns true;
// otherwise it changes nothing and returns false (call SetWeight). It is
// small enough to inline where an item grows by one at a time.
func (t *Tree[T]) SetWeightDeferred(c Cursor[T], w int) bool {
	l := c.Leaf
	if l != t.pend || uint(w) > MaxWeight {
		return false
	}
	d := w - int(l.w[c.Slot])
	l.w[c.Slot] = uint32(w)
	l.total += d
	t.w += d
	t.pendW += d
	return true
}

// settle adds the deferred weight change of the leaf t.pend to the sums
// of its ancestors (see Tree.pend). O(log n).
func (t *Tree[T]) settle() {
	if t.pend == nil {
		return
	}
	d, idx := t.pendW, t.pend.pidx
	for nd := t.pend.parent; nd != nil; nd = nd.parent {
		nd.weight[idx] += d
		idx = nd.pidx
	}
	t.pend, t.pendW = nil, 0
}

// takePend settles a deferred weight change unless it is l's, and returns
// the change of l's (0 if none) for the caller to add on its walk up from
// l. O(log n).
func (t *Tree[T]) takePend(l *Leaf[T]) int {
	if t.pend != l {
		t.settle()
		return 0
	}
	d := t.pendW
	t.pend, t.pendW = nil, 0
	return d
}

// addUp adds dc items and weight dw to the sums of l's ancestors.
// O(log n).
func addUp[T any](l *Leaf[T], dc, dw int) {
	idx := l.pidx
	for nd := l.parent; nd != nil; nd = nd.parent {
		nd.count[idx] += dc
		nd.weight[idx] += dw
		idx = nd.pidx
	}
}

// Insert inserts item with weight w (0 ≤ w ≤ MaxWeight) before the item
// at c (at the end if c is End) and returns its cursor; it panics if w is
// out of range. Other cursors are invalid afterwards. O(log n).
func (t *Tree[T]) Insert(c Cursor[T], item T, w int) Cursor[T] {
	lw := weight(w) // before any change
	l, s := c.Leaf, c.Slot
	if l.n == LeafCap {
		t.settle()
		l, s = t.makeRoom(l, s)
	}
	if n := l.n; s < n {
		it := l.items[s : n+1]
		copy(it[1:], it)
		ws := l.w[s : n+1]
		copy(ws[1:], ws)
	}
	l.items[s] = item
	l.w[s] = lw
	l.n++
	l.total += w
	t.n++
	t.w += w
	addUp(l, 1, w+t.takePend(l))
	if s == 0 {
		fixFirst(l)
	}
	return Cursor[T]{Leaf: l, Slot: s}
}

// InsertPair inserts a then b, with weights wa and wb (each 0 ≤ w ≤
// MaxWeight), before the item at c (at the end if c is End), as Insert of
// b and then of a before it would, and returns the cursor of a; it panics
// if a weight is out of range. Other cursors are invalid afterwards.
// O(log n), moving the leaf's items once when it has room for both.
func (t *Tree[T]) InsertPair(c Cursor[T], a T, wa int, b T, wb int) Cursor[T] {
	l, s := c.Leaf, c.Slot
	if l.n > LeafCap-2 {
		bc := t.Insert(c, b, wb)
		return t.Insert(bc, a, wa)
	}
	la, lb := weight(wa), weight(wb) // before any change
	if n := l.n; s < n {
		it := l.items[s : n+2]
		copy(it[2:], it)
		ws := l.w[s : n+2]
		copy(ws[2:], ws)
	}
	l.items[s], l.items[s+1] = a, b
	l.w[s], l.w[s+1] = la, lb
	l.n += 2
	l.total += wa + wb
	t.n += 2
	t.w += wa + wb
	addUp(l, 2, wa+wb+t.takePend(l))
	if s == 0 {
		fixFirst(l)
	}
	return Cursor[T]{Leaf: l, Slot: s}
}

// makeRoom makes room in the full leaf l for an insertion at slot s, by
// starting a new leaf after the tail, lending items to a sibling or
// splitting l, and returns the leaf and slot where the insertion now goes.
// O(LeafCap + log n).
func (t *Tree[T]) makeRoom(l *Leaf[T], s int) (*Leaf[T], int) {
	if l == t.tail && s == LeafCap {
		// Appending at the very end: start a new leaf rather than
		// moving half of a full one, so sequential appends fill
		// leaves completely.
		nl := &Leaf[T]{}
		t.linkAfter(l, nl)
		t.insertLeafAfter(l, nl)
		return nl, 0
	}
	if nl, ns, ok := t.lend(l, s); ok {
		return nl, ns
	}
	r := t.splitLeaf(l)
	if s > l.n {
		return r, s - l.n
	}
	return l, s
}

// Delete removes the item at c and returns it. Other cursors are invalid
// afterwards. O(log n).
func (t *Tree[T]) Delete(c Cursor[T]) T {
	l, s := c.Leaf, c.Slot
	item := l.items[s]
	w := int(l.w[s])
	n := l.n - 1
	if s < n {
		copy(l.items[s:], l.items[s+1:n+1])
		copy(l.w[s:], l.w[s+1:n+1])
	}
	l.n = n
	var zero T
	l.items[n] = zero
	l.w[n] = 0
	l.total -= w
	t.n--
	t.w -= w
	addUp(l, -1, t.takePend(l)-w)
	if s == 0 && n > 0 {
		fixFirst(l)
	}
	if n < minLeaf && l.parent != nil {
		t.rebalanceLeaf(l)
	}
	return item
}

// Clear removes every item. O(1) plus garbage collection.
func (t *Tree[T]) Clear() {
	l := &Leaf[T]{}
	t.root, t.head, t.tail, t.n, t.w = nil, l, l, 0, 0
	t.pend, t.pendW = nil, 0
	t.gen++
}

// All calls yield for each item in order with its cursor; the tree must
// not change shape during the iteration. O(n).
func (t *Tree[T]) All(yield func(Cursor[T], *T) bool) {
	for l := t.head; l != nil; l = l.next {
		for s := 0; s < l.n; s++ {
			if !yield(Cursor[T]{Leaf: l, Slot: s}, &l.items[s]) {
				return
			}
		}
	}
}

// warm loads a byte of each 64-byte cache line s spans (a byte every 64,
// and the last, which covers the line an unaligned s ends in). The loads
// do not depend on each other, so the processor has them all in flight at
// once, and a binary search of s that follows waits for memory about once
// rather than once a probe: in a tree bigger than the caches, that is most
// of the cost of a search. Only speed depends on the loads staying in the
// compiled code; the KeepAlive of their result keeps them in today's
// compiler.
func warm[T any](s []T) {
	size := int(unsafe.Sizeof(*new(T)))
	if size == 0 || len(s) == 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*size)
	x := b[len(b)-1]
	for i := 0; i < len(b); i += 64 {
		x |= b[i]
	}
	runtime.KeepAlive(x)
}

// Search returns the cursor of the first item for which cmp returns 0 or
// more, and whether cmp returned exactly 0 there; End and false if there is
// none. cmp(x) compares x with the key sought (negative: x orders before
// it), and the items must be in ascending order under it. O(log n)
// comparisons; at an inner node each compares the node's copy of a
// child's first item, so a search visits one node a level and one leaf.
func (t *Tree[T]) Search(cmp func(*T) int) (Cursor[T], bool) {
	l := t.head
	if t.root != nil {
		nd := t.root
		for {
			warm(nd.firsts[1:max(nd.n, 1)])
			// The last child whose first item orders before the key.
			lo, hi := 1, nd.n
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if cmp(&nd.firsts[m]) < 0 {
					lo = m + 1
				} else {
					hi = m
				}
			}
			k := lo - 1
			if nd.leafs {
				l = nd.leaves[k]
				break
			}
			nd = nd.kids[k]
		}
	}
	warm(l.items[:l.n])
	lo, hi := 0, l.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cmp(&l.items[m]) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	c := Cursor[T]{Leaf: l, Slot: lo}
	if lo == l.n {
		if l.next == nil {
			return c, false
		}
		c = Cursor[T]{Leaf: l.next}
	}
	return c, cmp(&c.Leaf.items[c.Slot]) == 0
}

// Clone returns a copy of t with the same items (copied as Go values) and
// weights, and no OnMove function. O(n).
func (t *Tree[T]) Clone() *Tree[T] {
	t.settle()
	out := &Tree[T]{n: t.n, w: t.w}
	var prev *Leaf[T]
	link := func(l *Leaf[T]) {
		if prev == nil {
			out.head = l
		} else {
			prev.next = l
			l.prev = prev
		}
		prev = l
	}
	if t.root == nil {
		l := *t.head
		l.prev, l.next = nil, nil
		link(&l)
	} else {
		out.root = cloneInner(t.root, nil, link)
	}
	out.tail = prev
	return out
}

func cloneInner[T any](nd, parent *inner[T], link func(*Leaf[T])) *inner[T] {
	c := &inner[T]{parent: parent, pidx: nd.pidx, n: nd.n, leafs: nd.leafs, count: nd.count, weight: nd.weight, firsts: nd.firsts}
	for k := 0; k < nd.n; k++ {
		if nd.leafs {
			l := *nd.leaves[k]
			l.parent, l.prev, l.next = c, nil, nil
			c.leaves[k] = &l
			link(&l)
		} else {
			c.kids[k] = cloneInner(nd.kids[k], c, link)
			c.leaves[k] = c.kids[k].leaves[0]
		}
	}
	return c
}

// linkAfter puts nl after l in the leaf chain.
func (t *Tree[T]) linkAfter(l, nl *Leaf[T]) {
	nl.prev, nl.next = l, l.next
	if l.next != nil {
		l.next.prev = nl
	} else {
		t.tail = nl
	}
	l.next = nl
}

func (t *Tree[T]) unlink(l *Leaf[T]) {
	if l.prev != nil {
		l.prev.next = l.next
	} else {
		t.head = l.next
	}
	if l.next != nil {
		l.next.prev = l.prev
	} else {
		t.tail = l.prev
	}
}

// lendMin is the room a sibling must have for a full leaf to lend it
// items instead of splitting.
const lendMin = LeafCap / 8

// lend makes room in the full leaf l for an insertion at slot s by moving
// items to a sibling under the same parent that has room: leaves then
// split only when their neighbours are full too, and stay fuller than
// halves of splits would. It returns the leaf and slot where the insertion
// now goes, and false if no sibling has room.
func (t *Tree[T]) lend(l *Leaf[T], s int) (*Leaf[T], int, bool) {
	p := l.parent
	if p == nil {
		return l, s, false
	}
	if l.pidx > 0 {
		if left := p.leaves[l.pidx-1]; left.n <= LeafCap-lendMin {
			k := (LeafCap - left.n + 1) / 2
			start := left.n
			t.moveLeft(p, left, l, k)
			if s < k {
				return left, start + s, true
			}
			return l, s - k, true
		}
	}
	if l.pidx+1 < p.n {
		if right := p.leaves[l.pidx+1]; right.n <= LeafCap-lendMin {
			t.moveRight(p, l, right, (LeafCap-right.n+1)/2)
			if s <= l.n {
				return l, s, true
			}
			return right, s - l.n, true
		}
	}
	return l, s, false
}

// splitLeaf moves the upper half of the full leaf l into a new leaf after
// it and returns the new leaf.
func (t *Tree[T]) splitLeaf(l *Leaf[T]) *Leaf[T] {
	const half = LeafCap / 2
	r := &Leaf[T]{n: LeafCap - half}
	copy(r.items[:], l.items[half:])
	copy(r.w[:], l.w[half:])
	clear(l.items[half:])
	clear(l.w[half:])
	moved := 0
	for _, w := range r.w[:LeafCap-half] {
		moved += int(w)
	}
	l.n = half
	l.total -= moved
	r.total = moved
	t.linkAfter(l, r)
	t.insertLeafAfter(l, r)
	if t.moved != nil {
		t.moved(r.items[:r.n], r)
	}
	return r
}

// insertLeafAfter hangs the new leaf r after l in l's parent, with r's
// count and weight taken out of l's entry (r is made of l's items or is
// empty), growing the tree if needed.
func (t *Tree[T]) insertLeafAfter(l, r *Leaf[T]) {
	t.gen++
	p := l.parent
	if p == nil {
		root := &inner[T]{n: 2, leafs: true}
		root.setChild(0, l, nil)
		root.setChild(1, r, nil)
		root.count[0], root.weight[0] = l.n, l.total
		root.count[1], root.weight[1] = r.n, r.total
		l.parent, l.pidx = root, 0
		r.parent, r.pidx = root, 1
		t.root = root
		return
	}
	p.count[l.pidx] = l.n
	p.weight[l.pidx] = l.total
	t.insertChild(p, l.pidx+1, r, nil, r.n, r.total)
}

// insertChild inserts a child (leaf or inner) at index k of p, splitting p
// up the tree when full. The counts of p's ancestors already include the
// child's items.
func (t *Tree[T]) insertChild(p *inner[T], k int, leaf *Leaf[T], kid *inner[T], count, weight int) {
	split := p.n == innerCap
	if split {
		appendAtEnd := k == innerCap && t.rightmost(p)
		var q *inner[T]
		if appendAtEnd {
			q = &inner[T]{leafs: p.leafs}
		} else {
			q = t.splitInner(p)
		}
		t.hangInnerAfter(p, q)
		if appendAtEnd {
			k, p = 0, q
		} else if k > p.n {
			k -= p.n
			p = q
		}
	}
	copy(p.count[k+1:p.n+1], p.count[k:p.n])
	copy(p.weight[k+1:p.n+1], p.weight[k:p.n])
	copy(p.leaves[k+1:p.n+1], p.leaves[k:p.n])
	copy(p.firsts[k+1:p.n+1], p.firsts[k:p.n])
	if p.leafs {
		leaf.parent = p
	} else {
		copy(p.kids[k+1:p.n+1], p.kids[k:p.n])
		kid.parent = p
	}
	p.setChild(k, leaf, kid)
	p.count[k] = count
	p.weight[k] = weight
	p.n++
	p.renumber(k)
	if k == 0 {
		fixLeftmost(p)
	}
	if split {
		// The sums hangInnerAfter gave p and q in their parent lack
		// the child's items, which the ancestors above still count:
		// recount the path up from p to keep sums exact. Without a
		// split, p's sums are what its ancestors record.
		t.recountUp(p)
	}
}

// rightmost reports whether p is the last node of its level.
func (t *Tree[T]) rightmost(p *inner[T]) bool {
	for ; p.parent != nil; p = p.parent {
		if p.pidx != p.parent.n-1 {
			return false
		}
	}
	return true
}

// renumber sets the parent index of p's children from k on.
func (p *inner[T]) renumber(k int) {
	if p.leafs {
		for i := k; i < p.n; i++ {
			p.leaves[i].pidx = i
		}
		return
	}
	for i := k; i < p.n; i++ {
		p.kids[i].pidx = i
	}
}

// sums returns the item count and weight under p.
func (p *inner[T]) sums() (c, w int) {
	for i := 0; i < p.n; i++ {
		c += p.count[i]
		w += p.weight[i]
	}
	return c, w
}

// recountUp recomputes the entries for p and its ancestors in their
// parents from their children's sums.
func (t *Tree[T]) recountUp(p *inner[T]) {
	for ; p.parent != nil; p = p.parent {
		c, w := p.sums()
		p.parent.count[p.pidx] = c
		p.parent.weight[p.pidx] = w
	}
}

// splitInner moves the upper half of the full inner node p into a new node
// and returns it (not yet hung in the tree).
func (t *Tree[T]) splitInner(p *inner[T]) *inner[T] {
	half := p.n / 2
	q := &inner[T]{leafs: p.leafs, n: p.n - half}
	copy(q.count[:q.n], p.count[half:p.n])
	copy(q.weight[:q.n], p.weight[half:p.n])
	copy(q.leaves[:q.n], p.leaves[half:p.n])
	clear(p.leaves[half:p.n])
	copy(q.firsts[:q.n], p.firsts[half:p.n])
	clear(p.firsts[half:p.n])
	if p.leafs {
		for i := 0; i < q.n; i++ {
			q.leaves[i].parent = q
		}
	} else {
		copy(q.kids[:q.n], p.kids[half:p.n])
		clear(p.kids[half:p.n])
		for i := 0; i < q.n; i++ {
			q.kids[i].parent = q
		}
	}
	clear(p.count[half:p.n])
	clear(p.weight[half:p.n])
	p.n = half
	q.renumber(0)
	return q
}

// hangInnerAfter puts the new node q after p under p's parent, growing a
// new root if p is the root.
func (t *Tree[T]) hangInnerAfter(p, q *inner[T]) {
	gp := p.parent
	if gp == nil {
		root := &inner[T]{n: 2}
		root.setChild(0, nil, p)
		root.setChild(1, nil, q)
		p.parent, p.pidx = root, 0
		q.parent, q.pidx = root, 1
		root.count[0], root.weight[0] = p.sums()
		root.count[1], root.weight[1] = q.sums()
		t.root = root
		return
	}
	gp.count[p.pidx], gp.weight[p.pidx] = p.sums()
	qc, qw := q.sums()
	t.insertChild(gp, p.pidx+1, nil, q, qc, qw)
}

// rebalanceLeaf restores the fill of the underfull leaf l by merging it
// with a sibling or taking items from one.
func (t *Tree[T]) rebalanceLeaf(l *Leaf[T]) {
	p := l.parent
	t.gen++
	if t.n == 0 {
		t.Clear()
		return
	}
	if p.n == 1 {
		if l.n == 0 {
			// An empty only child: drop it, its parent empties in turn.
			t.removeLeaf(l)
		}
		return
	}
	var left, right *Leaf[T]
	if l.pidx > 0 {
		left, right = p.leaves[l.pidx-1], l
	} else {
		left, right = l, p.leaves[l.pidx+1]
	}
	if left.n+right.n <= LeafCap {
		// Merge right into left.
		copy(left.items[left.n:], right.items[:right.n])
		copy(left.w[left.n:], right.w[:right.n])
		start := left.n
		left.n += right.n
		left.total += right.total
		p.count[left.pidx] += right.n
		p.weight[left.pidx] += right.total
		if t.moved != nil && right.n > 0 {
			t.moved(left.items[start:left.n], left)
		}
		right.n, right.total = 0, 0
		if start == 0 && left.n > 0 {
			fixFirst(left) // left was empty: its first item is new
		}
		t.removeLeaf(right)
		return
	}
	// Even out the two leaves.
	if left.n > right.n {
		t.moveRight(p, left, right, (left.n-right.n)/2)
	} else {
		t.moveLeft(p, left, right, (right.n-left.n)/2)
	}
}

// moveRight moves the last k items of left to the front of its next
// sibling right, both children of p.
func (t *Tree[T]) moveRight(p *inner[T], left, right *Leaf[T], k int) {
	t.gen++
	copy(right.items[k:right.n+k], right.items[:right.n])
	copy(right.w[k:right.n+k], right.w[:right.n])
	copy(right.items[:k], left.items[left.n-k:left.n])
	copy(right.w[:k], left.w[left.n-k:left.n])
	moved := 0
	var zero T
	for s := left.n - k; s < left.n; s++ {
		moved += int(left.w[s])
		left.items[s] = zero
		left.w[s] = 0
	}
	left.n -= k
	right.n += k
	left.total -= moved
	right.total += moved
	p.count[left.pidx] -= k
	p.weight[left.pidx] -= moved
	p.count[right.pidx] += k
	p.weight[right.pidx] += moved
	fixFirst(right)
	if t.moved != nil {
		t.moved(right.items[:k], right)
	}
}

// moveLeft moves the first k items of right to the end of its previous
// sibling left, both children of p.
func (t *Tree[T]) moveLeft(p *inner[T], left, right *Leaf[T], k int) {
	t.gen++
	copy(left.items[left.n:left.n+k], right.items[:k])
	copy(left.w[left.n:left.n+k], right.w[:k])
	moved := 0
	for s := range k {
		moved += int(right.w[s])
	}
	copy(right.items[:right.n-k], right.items[k:right.n])
	copy(right.w[:right.n-k], right.w[k:right.n])
	var zero T
	for s := right.n - k; s < right.n; s++ {
		right.items[s] = zero
		right.w[s] = 0
	}
	start := left.n
	left.n += k
	right.n -= k
	left.total += moved
	right.total -= moved
	p.count[left.pidx] += k
	p.weight[left.pidx] += moved
	p.count[right.pidx] -= k
	p.weight[right.pidx] -= moved
	if start == 0 {
		fixFirst(left)
	}
	fixFirst(right)
	if t.moved != nil {
		t.moved(left.items[start:left.n], left)
	}
}

// removeLeaf takes the empty leaf l out of the tree.
func (t *Tree[T]) removeLeaf(l *Leaf[T]) {
	t.unlink(l)
	t.removeEntry(l.parent, l.pidx)
}

// removeEntry drops child k of p, whose items were counted out of p or
// moved to a sibling under p, and rebalances p.
func (t *Tree[T]) removeEntry(p *inner[T], k int) {
	copy(p.count[k:p.n-1], p.count[k+1:p.n])
	copy(p.weight[k:p.n-1], p.weight[k+1:p.n])
	copy(p.leaves[k:p.n-1], p.leaves[k+1:p.n])
	p.leaves[p.n-1] = nil
	copy(p.firsts[k:p.n-1], p.firsts[k+1:p.n])
	var zero T
	p.firsts[p.n-1] = zero
	if !p.leafs {
		copy(p.kids[k:p.n-1], p.kids[k+1:p.n])
		p.kids[p.n-1] = nil
	}
	p.n--
	p.count[p.n], p.weight[p.n] = 0, 0
	p.renumber(k)
	if k == 0 {
		fixLeftmost(p)
	}
	t.rebalanceInner(p)
}

// rebalanceInner restores the fill of p after it lost a child, and
// shrinks the tree when the root has one child.
func (t *Tree[T]) rebalanceInner(p *inner[T]) {
	if p.parent == nil {
		if p.n == 1 {
			t.shrinkRoot()
		} else if p.n == 0 {
			t.Clear()
		}
		return
	}
	if p.n >= minInner {
		return
	}
	gp := p.parent
	if gp.n == 1 {
		if p.n == 0 {
			t.removeEntry(gp, p.pidx)
		}
		return
	}
	var left, right *inner[T]
	if p.pidx > 0 {
		left, right = gp.kids[p.pidx-1], p
	} else {
		left, right = p, gp.kids[p.pidx+1]
	}
	if left.n+right.n <= innerCap {
		copy(left.count[left.n:], right.count[:right.n])
		copy(left.weight[left.n:], right.weight[:right.n])
		copy(left.leaves[left.n:], right.leaves[:right.n])
		copy(left.firsts[left.n:], right.firsts[:right.n])
		if left.leafs {
			for i := 0; i < right.n; i++ {
				right.leaves[i].parent = left
			}
		} else {
			copy(left.kids[left.n:], right.kids[:right.n])
			for i := 0; i < right.n; i++ {
				right.kids[i].parent = left
			}
		}
		start := left.n
		left.n += right.n
		left.renumber(start)
		gp.count[left.pidx], gp.weight[left.pidx] = left.sums()
		fixLeftmost(left)
		t.removeEntry(gp, right.pidx)
		return
	}
	// Move children across to even the two nodes out.
	for left.n < right.n-1 {
		t.shiftLeft(left, right)
	}
	for right.n < left.n-1 {
		t.shiftRight(left, right)
	}
	gp.count[left.pidx], gp.weight[left.pidx] = left.sums()
	gp.count[right.pidx], gp.weight[right.pidx] = right.sums()
	gp.leaves[right.pidx] = right.leaves[0]
	gp.firsts[right.pidx] = right.firsts[0]
	fixLeftmost(left)
}

// shiftLeft moves right's first child to the end of left.
func (t *Tree[T]) shiftLeft(left, right *inner[T]) {
	left.count[left.n] = right.count[0]
	left.weight[left.n] = right.weight[0]
	left.leaves[left.n] = right.leaves[0]
	copy(right.leaves[:right.n-1], right.leaves[1:right.n])
	right.leaves[right.n-1] = nil
	left.firsts[left.n] = right.firsts[0]
	copy(right.firsts[:right.n-1], right.firsts[1:right.n])
	var zero T
	right.firsts[right.n-1] = zero
	if left.leafs {
		left.leaves[left.n].parent = left
	} else {
		left.kids[left.n] = right.kids[0]
		left.kids[left.n].parent = left
		copy(right.kids[:right.n-1], right.kids[1:right.n])
		right.kids[right.n-1] = nil
	}
	copy(right.count[:right.n-1], right.count[1:right.n])
	copy(right.weight[:right.n-1], right.weight[1:right.n])
	left.n++
	right.n--
	right.count[right.n], right.weight[right.n] = 0, 0
	left.renumber(left.n - 1)
	right.renumber(0)
}

// shiftRight moves left's last child to the front of right.
func (t *Tree[T]) shiftRight(left, right *inner[T]) {
	copy(right.count[1:right.n+1], right.count[:right.n])
	copy(right.weight[1:right.n+1], right.weight[:right.n])
	right.count[0] = left.count[left.n-1]
	right.weight[0] = left.weight[left.n-1]
	copy(right.leaves[1:right.n+1], right.leaves[:right.n])
	right.leaves[0] = left.leaves[left.n-1]
	left.leaves[left.n-1] = nil
	copy(right.firsts[1:right.n+1], right.firsts[:right.n])
	right.firsts[0] = left.firsts[left.n-1]
	var zero T
	left.firsts[left.n-1] = zero
	if left.leafs {
		right.leaves[0].parent = right
	} else {
		copy(right.kids[1:right.n+1], right.kids[:right.n])
		right.kids[0] = left.kids[left.n-1]
		right.kids[0].parent = right
		left.kids[left.n-1] = nil
	}
	left.n--
	left.count[left.n], left.weight[left.n] = 0, 0
	right.n++
	right.renumber(0)
}

// shrinkRoot replaces a root with one child by that child.
func (t *Tree[T]) shrinkRoot() {
	for t.root != nil && t.root.n == 1 {
		if t.root.leafs {
			l := t.root.leaves[0]
			l.parent, l.pidx = nil, 0
			t.root = nil
			return
		}
		k := t.root.kids[0]
		k.parent, k.pidx = nil, 0
		t.root = k
	}
}
