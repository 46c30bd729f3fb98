package list

import "github.com/redcrdt/redcrdt/internal/ostree"

type cursor = ostree.Cursor[run]

// findVisible returns the live run holding visible element p (0 ≤ p <
// Len) and p's flat offset in it. Consecutive edits in one run find it
// from the cache in O(1), in one leaf in O(LeafCap); others cost
// O(log n).
func (s *store) findVisible(p int) (cursor, int) {
	if s.cacheLeaf != nil && s.cacheGen == s.tree.Gen() {
		if s.cacheSlot >= 0 {
			c := cursor{Leaf: s.cacheLeaf, Slot: s.cacheSlot}
			if q := p - s.cacheItem; q >= 0 && q < s.tree.ItemWeight(c) {
				return c, q
			}
		}
		if q := p - s.cacheStart; q >= 0 && q < s.tree.LeafWeight(s.cacheLeaf) {
			c, f := ostree.FindInLeaf(s.cacheLeaf, q)
			s.cacheSlot, s.cacheItem = c.Slot, p-f
			return c, f
		}
	}
	c, f, before := s.tree.FindWeightLeaf(p)
	s.cacheLeaf, s.cacheStart, s.cacheGen = c.Leaf, before, s.tree.Gen()
	s.cacheSlot, s.cacheItem = c.Slot, p-f
	return c, f
}

// touch notes a change of weight in leaf l: unless it is the cached leaf
// (whose start does not move), the cache is dropped; the cached run's
// start may move.
func (s *store) touch(l *ostree.Leaf[run]) {
	if l != s.cacheLeaf {
		s.cacheLeaf = nil
	}
	s.cacheSlot = -1
}

// setWeight sets the weight of the run at c; the cached run may change
// its own weight without losing its place.
func (s *store) setWeight(c cursor, w int) {
	if s.tree.ItemWeight(c) != w {
		if !s.tree.SetWeightDeferred(c, w) {
			s.tree.SetWeight(c, w)
		}
		if c.Leaf != s.cacheLeaf || c.Slot != s.cacheSlot {
			s.touch(c.Leaf)
		}
	}
}

func (s *store) insertItem(c cursor, x run) cursor {
	nc := s.tree.Insert(c, x, x.weight())
	s.touch(nc.Leaf)
	return nc
}

// flatNext returns the position after flat offset f of the item at c.
func (s *store) flatNext(c cursor, f int) (cursor, int) {
	if f+1 < int(s.tree.At(c).n) && !s.tree.At(c).block() {
		return c, f + 1
	}
	return s.tree.Next(c), 0
}

// dotAtPos returns the dot of the element at (c, f), or 0 at the end.
func (s *store) dotAtPos(c cursor, f int) pdot {
	if s.tree.IsEnd(c) {
		return 0
	}
	x := s.tree.At(c)
	if x.block() {
		return x.id
	}
	return x.flatDot(f)
}

// extend is the fast path of typing: if the new forward run (rep,
// first…first+n-1) with origins left and right continues the live run
// that ends with left (the last found by findVisible), it grows that run
// in place and returns true. The caller then stores the values in the
// next slots.
func (s *store) extend(left, right pdot, rep uint16, first uint64, n int) bool {
	if s.cacheLeaf == nil || s.cacheSlot < 0 || s.cacheGen != s.tree.Gen() {
		return false
	}
	c := cursor{Leaf: s.cacheLeaf, Slot: s.cacheSlot}
	x := s.tree.At(c)
	if x.kind&(kindBack|kindBlock) != 0 && x.n > 1 || x.rm != 0 || x.id.rep() != rep || uint64(x.n)+uint64(n) > maxRunLen ||
		x.id.seq()+uint64(x.n) != first || x.r != right || x.id.add(int(x.n)-1) != left ||
		!s.vals[rep].canExtend(x.val+uint64(x.n)-1) {
		return false
	}
	x.kind &^= kindBack
	x.n += uint32(n)
	s.tree.SetWeight(c, int(x.n))
	if s.indexed {
		s.setSeqRange(rep, first, first+uint64(n)-1, c.Leaf)
	}
	return true
}

// insertBefore inserts the run x of new elements before flat offset f of
// the item at c (at the end if c is End), joining it with a neighbour
// when they form one run (at f == 0), and indexes its elements. It
// returns the item now holding x and true if x's last element ends that
// item in list order (x joined no run after it). Other cursors are
// invalid afterwards.
func (s *store) insertBefore(c cursor, f int, x run) (cursor, bool) {
	if f > 0 {
		// x goes inside the item: its part before x stays, and x and the
		// part after go in after it, in one move of the leaf's items. No
		// join is tried: x joins neither part but in rare shapes, and a
		// join missed costs an item, never correctness, as the encoding
		// joins runs.
		leaf := c.Leaf
		a, b := s.tree.At(c).splitFlat(f)
		*s.tree.At(c) = a
		s.setWeight(c, a.weight())
		xc := s.tree.InsertPair(s.tree.Next(c), x, x.weight(), b, b.weight())
		s.touch(xc.Leaf)
		s.setLeaf(&x, xc.Leaf)
		if bc := s.tree.Next(xc); bc.Leaf != leaf {
			s.setLeaf(&b, bc.Leaf)
		}
		return xc, true
	}
	if pc, ok := s.tree.Prev(c); ok {
		if j, ok := join(s.tree.At(pc), &x); ok {
			*s.tree.At(pc) = j
			s.setWeight(pc, j.weight())
			s.setLeaf(&x, pc.Leaf)
			return pc, true
		}
	}
	if !s.tree.IsEnd(c) {
		if j, ok := join(&x, s.tree.At(c)); ok {
			*s.tree.At(c) = j
			s.setWeight(c, j.weight())
			s.setLeaf(&x, c.Leaf)
			return c, false
		}
	}
	nc := s.insertItem(c, x)
	s.setLeaf(&x, nc.Leaf)
	return nc, true
}

// replace puts parts (the same elements as the item at c, re-cut, in list
// order) in place of that item, joining the first part with the item
// before and the last with the item after when they form one run. Cursors
// are invalid afterwards.
func (s *store) replace(c cursor, parts []run) {
	first, last := 0, len(parts)
	pc, hasPrev := s.tree.Prev(c)
	if hasPrev {
		if j, ok := join(s.tree.At(pc), &parts[0]); ok {
			*s.tree.At(pc) = j
			s.setWeight(pc, j.weight())
			if pc.Leaf != c.Leaf {
				s.setLeaf(&parts[0], pc.Leaf)
			}
			first = 1
		}
	}
	nc := s.tree.Next(c)
	if last > first && !s.tree.IsEnd(nc) {
		if j, ok := join(&parts[last-1], s.tree.At(nc)); ok {
			*s.tree.At(nc) = j
			s.setWeight(nc, j.weight())
			if nc.Leaf != c.Leaf {
				s.setLeaf(&parts[last-1], nc.Leaf)
			}
			last--
		}
	}
	rest := parts[first:last]
	if len(rest) > 0 {
		*s.tree.At(c) = rest[0]
		s.setWeight(c, rest[0].weight())
		cur := c
		for i := 1; i < len(rest); i++ {
			cur = s.insertItem(s.tree.Next(cur), rest[i])
			if cur.Leaf != c.Leaf {
				s.setLeaf(&rest[i], cur.Leaf)
			}
		}
		return
	}
	// Every part joined a neighbour: drop the item, and join the
	// neighbours if they now form one run.
	if hasPrev && !s.tree.IsEnd(nc) {
		if j, ok := join(s.tree.At(pc), s.tree.At(nc)); ok {
			*s.tree.At(pc) = j
			s.setWeight(pc, j.weight())
			if pc.Leaf != nc.Leaf {
				s.setLeaf(s.tree.At(nc), pc.Leaf)
			}
			idx, _ := s.tree.Position(c) // after c's deletion, nc's
			s.deleteItem(c)
			s.deleteItem(s.tree.AtIndex(idx))
			return
		}
	}
	s.deleteItem(c)
}

func (s *store) deleteItem(c cursor) {
	s.tree.Delete(c)
	s.cacheLeaf, s.cacheSlot = nil, -1
}

// tombstoneOne is the fast path of tombstone for one element at an end of
// a live run of two or more whose neighbour there is a tombstone run it
// continues (a backspace, a forward delete, a pop): the element moves from
// one run to the other in place. It returns the element's dot and value,
// and false (having changed nothing) if it does not apply. O(log n) for
// the weights, O(1) otherwise.
func (s *store) tombstoneOne(c cursor, f int, rm pdot) (pdot, string, bool) {
	x := s.tree.At(c)
	n := int(x.n)
	if n < 2 || x.rm != 0 || x.kind&kindBlock != 0 || (f != 0 && f != n-1) {
		return 0, "", false
	}
	var tc cursor
	if f == n-1 {
		tc = s.tree.Next(c)
		if s.tree.IsEnd(tc) {
			return 0, "", false
		}
	} else {
		var ok bool
		if tc, ok = s.tree.Prev(c); !ok {
			return 0, "", false
		}
	}
	t := s.tree.At(tc)
	if t.rm == 0 || t.kind&kindBlock != 0 || t.id.rep() != x.id.rep() || t.rm.rep() != rm.rep() || t.n == maxRunLen {
		return 0, "", false
	}
	back := x.kind&kindBack != 0
	lo := back == (f == n-1) // e is x's lowest seq
	var e pdot
	var step int64
	if lo {
		// t holds the seqs below e; e becomes its highest.
		e = x.id
		if t.id.add(int(t.n)) != e {
			return 0, "", false
		}
		if back {
			// t comes after x: e's right origin is t's highest.
			if x.r != t.id.add(int(t.n)-1) || x.l != t.l || (t.n > 1 && t.kind&kindBack == 0) {
				return 0, "", false
			}
		} else if x.l != t.id.add(int(t.n)-1) || x.r != t.r || t.kind&kindBack != 0 {
			// t comes before x and e's left origin is t's highest.
			return 0, "", false
		}
		step = int64(rm.seq()) - int64(t.rmAt(int(t.n)-1).seq())
	} else {
		// t holds the seqs above e; e becomes its lowest.
		e = x.id.add(n - 1)
		if t.id != e.add(1) {
			return 0, "", false
		}
		if back {
			// t comes before x: t's lowest has e as right origin.
			if t.r != e || t.l != x.l || (t.n > 1 && t.kind&kindBack == 0) {
				return 0, "", false
			}
		} else if t.l != e || t.r != x.r || t.kind&kindBack != 0 {
			// t comes after x: t's lowest has e as left origin.
			return 0, "", false
		}
		step = int64(t.rm.seq()) - int64(rm.seq())
	}
	if step < -1 || step > 1 || (t.n > 1 && int(step) != t.step()) {
		return 0, "", false
	}
	k := 0
	if !lo {
		k = n - 1
	}
	v := s.vals[e.rep()].take(x.val + uint64(k))
	if len(s.lww) > 0 {
		delete(s.lww, e)
	}
	if lo {
		// x loses its lowest element e, the origin its next one names.
		if back {
			t.kind |= kindBack
			x.r = e
		} else {
			x.l = e
		}
		x.id++
		x.val++
	} else {
		t.id, t.rm = e, rm
		if back {
			t.r = x.dotAt(n - 2)
			t.kind |= kindBack
		} else {
			t.l = x.dotAt(n - 2)
		}
	}
	x.n--
	t.n++
	t.kind = t.kind&^(kindRmUp|kindRmDown) | stepKind(int(step))
	if x.n == 1 {
		x.kind &^= kindBack
	}
	s.setWeight(c, int(x.n))
	if tc.Leaf != c.Leaf && s.indexed {
		s.setSeqLeaf(e.rep(), e.seq(), tc.Leaf)
	}
	s.tombs++
	return e, v, true
}

// tombstoneSplit removes the one element at flat offset f of the live run
// at c with removal dot rm, as tombstone(c, f, f+1, rm, 0, …) would, where
// tombstoneOne declined: the run keeps its place in the tree as the part
// before the element (or, for the first element, the part after it), and
// the element, then the rest, go in beside it as new items. The new
// tombstone could join only the tombstone run beside the run's end, which
// is mostly the move tombstoneOne declined, so no join is tried: a join
// missed costs an item, never correctness, as the encoding joins runs. A
// run of one element becomes a tombstone in place, joined with the
// tombstones around it (see replace). It returns the element's dot and
// value. Cursors are invalid afterwards, except that while the tree's
// generation stands, c still holds the part before the element when there
// is one. O(log n + LeafCap).
func (s *store) tombstoneSplit(c cursor, f int, rm pdot) (pdot, string) {
	x := s.tree.At(c)
	n := int(x.n)
	k := x.k(f)
	e := x.dotAt(k)
	v := s.vals[e.rep()].take(x.val + uint64(k))
	if len(s.lww) > 0 {
		delete(s.lww, e)
	}
	s.tombs++
	t := x.slice(k, k+1)
	t.rm = rm
	t.kind = 0 // one element: neither direction nor removal step
	if n == 1 {
		s.replace(c, []run{t})
		return e, v
	}
	leaf := c.Leaf
	if f == 0 {
		// The element goes before the rest of the run, which stays at c.
		*x = oneKind(x.flatPart(1, n))
		s.setWeight(c, n-1)
		if tc := s.insertItem(c, t); tc.Leaf != leaf {
			s.setLeaf(&t, tc.Leaf)
		}
		return e, v
	}
	// The part before the element stays at c; the element, then the
	// part after it (if any), go after it.
	var rest run
	if f < n-1 {
		rest = oneKind(x.flatPart(f+1, n))
	}
	if x.kind&kindBack == 0 {
		x.n = uint32(f) // a forward live run's first f elements keep its fields
	} else {
		*x = oneKind(x.flatPart(0, f))
	}
	s.setWeight(c, f)
	if rest.n == 0 {
		if tc := s.insertItem(s.tree.Next(c), t); tc.Leaf != leaf {
			s.setLeaf(&t, tc.Leaf)
		}
		return e, v
	}
	tc := s.tree.InsertPair(s.tree.Next(c), t, 0, rest, rest.weight())
	s.touch(tc.Leaf)
	if tc.Leaf != leaf {
		s.setLeaf(&t, tc.Leaf)
	}
	if rc := s.tree.Next(tc); rc.Leaf != leaf {
		s.setLeaf(&rest, rc.Leaf)
	}
	return e, v
}

// oneKind returns x without the backward flag if it has one element,
// which has no direction: later fast paths then see it as forward.
func oneKind(x run) run {
	if x.n == 1 {
		x.kind &^= kindBack
	}
	return x
}

// tombstone removes the elements at flat offsets [f0, f1) of the live run
// at c: the one with the lowest seq gets removal dot rm, each next one the
// dot step further (a local operation removes with one dot, step 0). It
// calls gone for each removed element with its dot and value, in list
// order, before the value is dropped, and returns the dot of the removed
// element with the lowest seq (the others have the next seqs). Cursors are
// invalid afterwards.
func (s *store) tombstone(c cursor, f0, f1 int, rm pdot, step int, gone func(pdot, string)) pdot {
	if f1-f0 == 1 {
		if e, v, ok := s.tombstoneOne(c, f0, rm); ok {
			if gone != nil {
				gone(e, v)
			}
			return e
		}
	}
	x := *s.tree.At(c)
	var parts [3]run
	np := 0
	mid := x
	if f0 > 0 {
		a, b := mid.splitFlat(f0)
		parts[np] = a
		np++
		mid = b
	}
	var tail run
	hasTail := false
	if m := f1 - f0; m < int(mid.n) {
		a, b := mid.splitFlat(m)
		mid, tail, hasTail = a, b, true
	}
	for f := 0; f < int(mid.n); f++ {
		k := mid.k(f)
		d := mid.dotAt(k)
		slot := mid.val + uint64(k)
		if gone != nil {
			gone(d, s.vals[d.rep()].get(slot))
		}
		s.vals[d.rep()].clear(slot)
		if len(s.lww) > 0 {
			delete(s.lww, d)
		}
	}
	removed := mid.id
	mid.rm = rm
	mid.kind &^= kindRmUp | kindRmDown
	if mid.n > 1 {
		mid.kind |= stepKind(step)
	}
	parts[np] = mid
	np++
	if hasTail {
		parts[np] = tail
		np++
	}
	s.tombs += int(mid.n)
	s.replace(c, parts[:np])
	return removed
}
