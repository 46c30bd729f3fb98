package ostree

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// entry is the test item: an id and the weight the model expects.
type entry struct {
	id int
	w  int
}

// check verifies every structural invariant of t and that its items and
// weights equal model.
func check(t *testing.T, tr *Tree[entry], model []entry) {
	t.Helper()
	if tr.Len() != len(model) {
		t.Fatalf("Len = %d, want %d", tr.Len(), len(model))
	}
	total := 0
	for _, e := range model {
		total += e.w
	}
	if tr.Weight() != total {
		t.Fatalf("Weight = %d, want %d", tr.Weight(), total)
	}
	var got []entry
	var prev *Leaf[entry]
	for l := tr.head; l != nil; l = l.next {
		if l.prev != prev {
			t.Fatalf("leaf chain broken")
		}
		prev = l
		if l.n == 0 && (tr.head != l || tr.tail != l) {
			t.Fatalf("empty leaf in a tree of %d items", tr.Len())
		}
		sum := 0
		for s := 0; s < l.n; s++ {
			if int(l.w[s]) != l.items[s].w {
				t.Fatalf("slot weight %d, item says %d", l.w[s], l.items[s].w)
			}
			sum += int(l.w[s])
			got = append(got, l.items[s])
		}
		if sum != l.total {
			t.Fatalf("leaf total %d, want %d", l.total, sum)
		}
		for s := l.n; s < LeafCap; s++ {
			if l.items[s] != (entry{}) || l.w[s] != 0 {
				t.Fatalf("leaf keeps an item or weight in unused slot %d", s)
			}
		}
	}
	if tr.tail != prev {
		t.Fatalf("tail is not the last leaf")
	}
	if !slices.Equal(got, model) {
		t.Fatalf("items differ from the model:\n got  %v\n want %v", got, model)
	}
	if tr.root != nil {
		if tr.root.parent != nil {
			t.Fatalf("root has a parent")
		}
		c, w := checkInner(t, tr, tr.root, true)
		if c != len(model) || w != total {
			t.Fatalf("root sums (%d, %d), want (%d, %d)", c, w, len(model), total)
		}
	} else if tr.head != tr.tail {
		t.Fatalf("no root but several leaves")
	}
}

// checkInner checks the subtree of nd and returns its item count and
// weight. The sums nd records for the child holding the leaf with a
// deferred weight change (tr.pend) lack that change.
func checkInner(t *testing.T, tr *Tree[entry], nd *inner[entry], root bool) (count, weight int) {
	t.Helper()
	if nd.n < 1 || (!root && nd.n < 1) {
		t.Fatalf("inner node with %d children", nd.n)
	}
	if root && nd.n < 2 {
		t.Fatalf("root with one child")
	}
	for k := 0; k < nd.n; k++ {
		var c, w int
		if nd.leafs {
			l := nd.leaves[k]
			if l.parent != nd || l.pidx != k {
				t.Fatalf("leaf parent link broken")
			}
			c, w = l.n, l.total
		} else {
			kid := nd.kids[k]
			if kid.parent != nd || kid.pidx != k {
				t.Fatalf("inner parent link broken")
			}
			c, w = checkInner(t, tr, kid, false)
			if nd.leaves[k] != kid.leaves[0] {
				t.Fatalf("child %d: cached leftmost leaf is stale", k)
			}
		}
		pending := 0
		if holdsPending(tr, nd, k) {
			pending = tr.pendW
		}
		if nd.count[k] != c || nd.weight[k]+pending != w {
			t.Fatalf("child %d recorded (%d, %d) with %d pending, holds (%d, %d)", k, nd.count[k], nd.weight[k], pending, c, w)
		}
		if l := nd.leaves[k]; l.n > 0 && nd.firsts[k].id != l.items[0].id { // Search compares ids
			t.Fatalf("child %d: copy of its first item is stale: %v, leaf holds %v", k, nd.firsts[k], l.items[0])
		}
		count += c
		weight += w
	}
	for k := nd.n; k < innerCap; k++ {
		if nd.leaves[k] != nil || nd.kids[k] != nil || nd.firsts[k] != (entry{}) {
			t.Fatalf("inner node keeps a pointer in unused slot %d", k)
		}
	}
	return count, weight
}

// holdsPending reports whether child k of nd holds tr.pend.
func holdsPending(tr *Tree[entry], nd *inner[entry], k int) bool {
	if tr.pend == nil {
		return false
	}
	var child *inner[entry]
	if !nd.leafs {
		child = nd.kids[k]
	} else if nd.leaves[k] == tr.pend {
		return true
	}
	for p := tr.pend.parent; p != nil; p = p.parent {
		if p == child {
			return true
		}
	}
	return false
}

// TestRandomAgainstModel drives a tree and a slice with the same random
// operations (Insert, InsertPair, Delete, SetWeight) and compares them
// after each, including where OnMove says each item lives.
func TestRandomAgainstModel(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed))
			tr := New[entry]()
			where := map[int]*Leaf[entry]{}
			tr.OnMove(func(items []entry, to *Leaf[entry]) {
				for _, e := range items {
					where[e.id] = to
				}
			})
			var model []entry
			next := 0
			steps := 24000
			maxHeight := 0
			for step := range steps {
				// Grow for the first half, shrink for the second.
				grow := step < steps/2
				switch op := rng.IntN(10); {
				case op < 5 && (grow || op < 3):
					i := rng.IntN(len(model) + 1)
					if rng.IntN(4) == 0 {
						i = len(model) // append bias exercises the append split
					}
					e := entry{id: next, w: rng.IntN(4)}
					next++
					if rng.IntN(3) == 0 {
						// Two at once, each with its own weight.
						f := entry{id: next, w: rng.IntN(4)}
						next++
						c := tr.InsertPair(tr.AtIndex(i), e, e.w, f, f.w)
						if got := *tr.At(c); got != e {
							t.Fatalf("InsertPair returned the cursor of %v, want %v", got, e)
						}
						where[e.id], where[f.id] = c.Leaf, tr.Next(c).Leaf
						model = slices.Insert(model, i, e, f)
						break
					}
					c := tr.Insert(tr.AtIndex(i), e, e.w)
					where[e.id] = c.Leaf
					model = slices.Insert(model, i, e)
				case op < 8 && len(model) > 0:
					i := rng.IntN(len(model))
					got := tr.Delete(tr.AtIndex(i))
					if got != model[i] {
						t.Fatalf("Delete(%d) = %v, want %v", i, got, model[i])
					}
					delete(where, got.id)
					model = slices.Delete(model, i, i+1)
				case len(model) > 0:
					i := rng.IntN(len(model))
					c := tr.AtIndex(i)
					w := rng.IntN(5)
					tr.At(c).w = w
					tr.SetWeight(c, w)
					model[i].w = w
				}
				maxHeight = max(maxHeight, height(tr))
				if len(model) > 300 && step%41 != 0 {
					continue
				}
				check(t, tr, model)
				for _, e := range model {
					l := where[e.id]
					found := false
					for _, x := range l.Items() {
						found = found || x.id == e.id
					}
					if !found {
						t.Fatalf("step %d: OnMove lost item %d", step, e.id)
					}
				}
				if len(model) > 0 {
					checkQueries(t, tr, model, rng)
				}
			}
			if maxHeight < 2 {
				t.Errorf("the tree reached height %d only; the test should exercise 2 inner levels", maxHeight)
			}
		})
	}
}

// height returns the number of levels above the leaves.
func height(tr *Tree[entry]) int {
	h := 0
	for nd := tr.root; nd != nil; h++ {
		if nd.leafs {
			return h + 1
		}
		nd = nd.kids[0]
	}
	return h
}

func checkQueries(t *testing.T, tr *Tree[entry], model []entry, rng *rand.Rand) {
	t.Helper()
	i := rng.IntN(len(model))
	c := tr.AtIndex(i)
	if tr.At(c).id != model[i].id {
		t.Fatalf("AtIndex(%d) holds %v, want %v", i, *tr.At(c), model[i])
	}
	before := 0
	for _, e := range model[:i] {
		before += e.w
	}
	if idx, b := tr.Position(c); idx != i || b != before {
		t.Fatalf("Position = (%d, %d), want (%d, %d)", idx, b, i, before)
	}
	if tr.Weight() > 0 {
		p := rng.IntN(tr.Weight())
		wc, off := tr.FindWeight(p)
		acc := 0
		for k, e := range model {
			if p < acc+e.w {
				if tr.At(wc).id != e.id || off != p-acc {
					t.Fatalf("FindWeight(%d) = (%v, %d), want (%v, %d)", p, *tr.At(wc), off, e, p-acc)
				}
				_ = k
				break
			}
			acc += e.w
		}
	}
	if n, ok := tr.Prev(c); ok != (i > 0) || (ok && tr.At(n).id != model[i-1].id) {
		t.Fatalf("Prev of index %d wrong", i)
	}
	n := tr.Next(c)
	if i+1 < len(model) {
		if tr.IsEnd(n) || tr.At(n).id != model[i+1].id {
			t.Fatalf("Next of index %d wrong", i)
		}
	} else if !tr.IsEnd(n) {
		t.Fatalf("Next of the last item is not End")
	}
}

func TestEmpty(t *testing.T) {
	tr := New[entry]()
	if tr.Len() != 0 || tr.Weight() != 0 || !tr.IsEnd(tr.Begin()) {
		t.Fatal("a new tree is not empty")
	}
	if _, ok := tr.Search(func(*entry) int { return 0 }); ok {
		t.Fatal("Search found an item in an empty tree")
	}
	if _, ok := tr.Prev(tr.End()); ok {
		t.Fatal("Prev of End in an empty tree reported an item")
	}
	for _, f := range []func(){
		func() { tr.FindWeight(0) },
		func() { tr.AtIndex(1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("out-of-range query did not panic")
				}
			}()
			f()
		}()
	}
}

// TestSearchAndClone uses the tree as a sorted set: items inserted where
// Search puts them stay sorted, Search finds each, and Position gives its
// rank. A clone is equal and independent.
func TestSearchAndClone(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	tr := New[entry]()
	var keys []int
	for range 5000 {
		k := rng.IntN(100000)
		c, found := tr.Search(func(e *entry) int { return cmp.Compare(e.id, k) })
		if found {
			continue
		}
		tr.Insert(c, entry{id: k, w: 1}, 1)
		i, _ := slices.BinarySearch(keys, k)
		keys = slices.Insert(keys, i, k)
	}
	for range 2000 {
		i := rng.IntN(len(keys))
		k := keys[i]
		if rng.IntN(2) == 0 {
			c, found := tr.Search(func(e *entry) int { return cmp.Compare(e.id, k) })
			if !found {
				t.Fatalf("Search lost %d", k)
			}
			tr.Delete(c)
			keys = slices.Delete(keys, i, i+1)
		}
	}
	model := make([]entry, len(keys))
	for i, k := range keys {
		model[i] = entry{id: k, w: 1}
	}
	check(t, tr, model)
	for i, k := range keys {
		c, found := tr.Search(func(e *entry) int { return cmp.Compare(e.id, k) })
		if !found {
			t.Fatalf("Search(%d) not found", k)
		}
		if rank, _ := tr.Position(c); rank != i {
			t.Fatalf("rank of %d = %d, want %d", k, rank, i)
		}
		// A key between this and the next one lands on the next one.
		c, found = tr.Search(func(e *entry) int { return cmp.Compare(e.id*2, k*2+1) })
		if found {
			t.Fatalf("Search of a missing key reported found")
		}
		if i+1 < len(keys) {
			if tr.At(c).id != keys[i+1] {
				t.Fatalf("lower bound after %d = %d, want %d", k, tr.At(c).id, keys[i+1])
			}
		} else if !tr.IsEnd(c) {
			t.Fatalf("lower bound past the last key is not End")
		}
	}
	cl := tr.Clone()
	check(t, cl, model)
	cl.Delete(cl.Begin())
	check(t, tr, model)
	check(t, cl, model[1:])
}

// TestDeferredWeights reweights items of one leaf over and over, as typing
// into one run does, so that SetWeight defers the sums of the leaf's
// ancestors, and between the changes reads and restructures the tree in
// every way that needs those sums (FindWeight, Position, Insert, Delete,
// Clone, a change in another leaf), comparing with a model throughout.
// Half the reweights try SetWeightDeferred first, as the list's typing
// does, and call SetWeight only where it declines.
func TestDeferredWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	tr := New[entry]()
	var model []entry
	for i := range 3000 {
		e := entry{id: i, w: rng.IntN(4)}
		tr.Insert(tr.End(), e, e.w)
		model = append(model, e)
	}
	next := len(model)
	hot := rng.IntN(len(model))
	deferred, fast := 0, 0
	for step := range 4000 {
		// Reweight the hot item or a neighbour in its leaf a few times.
		for range 1 + rng.IntN(6) {
			c := tr.AtIndex(hot) // counts only: settles nothing
			i := hot
			if s := c.Slot + rng.IntN(3) - 1; s >= 0 && s < c.Leaf.Len() {
				i += s - c.Slot
				c.Slot = s
			}
			w := rng.IntN(6)
			tr.At(c).w = w
			if rng.IntN(2) == 0 && tr.SetWeightDeferred(c, w) {
				fast++
			} else {
				tr.SetWeight(c, w)
			}
			model[i].w = w
			if tr.pend != nil {
				deferred++
			}
		}
		// Inserts and deletes go near the hot item half the time, to
		// split and merge its leaf.
		near := rng.IntN(len(model))
		if rng.IntN(2) == 0 {
			near = max(0, min(hot+rng.IntN(9)-4, len(model)-1))
		}
		switch op := rng.IntN(9); op {
		case 0:
			check(t, tr, model)
		case 1:
			if tr.Weight() > 0 {
				p := rng.IntN(tr.Weight())
				c, off := tr.FindWeight(p)
				i, woff := modelAt(model, p)
				if tr.At(c).id != model[i].id || off != woff {
					t.Fatalf("step %d: FindWeight(%d) = (%v, %d), want (%v, %d)", step, p, *tr.At(c), off, model[i], woff)
				}
			}
		case 2:
			i := rng.IntN(len(model))
			before := 0
			for _, e := range model[:i] {
				before += e.w
			}
			if idx, b := tr.Position(tr.AtIndex(i)); idx != i || b != before {
				t.Fatalf("step %d: Position of item %d = (%d, %d), want (%d, %d)", step, i, idx, b, i, before)
			}
		case 3:
			e := entry{id: next, w: rng.IntN(4)}
			next++
			tr.Insert(tr.AtIndex(near), e, e.w)
			model = slices.Insert(model, near, e)
		case 4:
			if len(model) > 100 {
				tr.Delete(tr.AtIndex(near))
				model = slices.Delete(model, near, near+1)
			}
		case 5:
			check(t, tr.Clone(), model)
		case 6:
			hot = rng.IntN(len(model))
		}
		hot = min(hot, len(model)-1)
		if step%97 == 0 {
			check(t, tr, model)
		}
	}
	check(t, tr, model)
	if deferred == 0 || fast == 0 {
		t.Fatalf("%d weight changes deferred, %d by SetWeightDeferred; the test no longer exercises the deferral", deferred, fast)
	}
}

// modelAt returns the index of the model item holding weighted position p
// and p's offset in it.
func modelAt(model []entry, p int) (int, int) {
	for i, e := range model {
		if p < e.w {
			return i, p
		}
		p -= e.w
	}
	return len(model), p
}

// TestAppendFillsLeaves checks that appending in order fills leaves
// completely rather than leaving them half empty.
func TestAppendFillsLeaves(t *testing.T) {
	tr := New[entry]()
	const n = 100 * LeafCap
	for i := range n {
		tr.Insert(tr.End(), entry{id: i, w: 1}, 1)
	}
	leaves := 0
	for l := tr.head; l != nil; l = l.next {
		leaves++
	}
	if leaves != n/LeafCap {
		t.Fatalf("%d appends made %d leaves, want %d", n, leaves, n/LeafCap)
	}
}

// TestDrainAndRefill empties a big tree from the front (a queue) and fills
// it again, checking the structure on the way.
func TestDrainAndRefill(t *testing.T) {
	tr := New[entry]()
	var model []entry
	for round := range 3 {
		for i := range 3000 {
			e := entry{id: round*10000 + i, w: i % 3}
			tr.Insert(tr.End(), e, e.w)
			model = append(model, e)
		}
		check(t, tr, model)
		for len(model) > 10 {
			tr.Delete(tr.Begin())
			model = model[1:]
		}
		check(t, tr, model)
	}
	for len(model) > 0 {
		tr.Delete(tr.AtIndex(len(model) - 1))
		model = model[:len(model)-1]
	}
	check(t, tr, model)
	if tr.root != nil {
		t.Fatal("an empty tree kept inner nodes")
	}
}

// TestBigTree grows a tree past two inner levels with inserts at random
// places, then deletes at random places until it is empty, splitting and
// merging nodes at every level.
func TestBigTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	tr := New[entry]()
	var model []entry
	for i := range 40000 {
		k := rng.IntN(len(model) + 1)
		e := entry{id: i, w: rng.IntN(3)}
		tr.Insert(tr.AtIndex(k), e, e.w)
		model = slices.Insert(model, k, e)
	}
	if h := height(tr); h < 3 {
		t.Fatalf("height %d after 40000 inserts, want 3", h)
	}
	check(t, tr, model)
	for len(model) > 0 {
		k := rng.IntN(len(model))
		tr.Delete(tr.AtIndex(k))
		model = slices.Delete(model, k, k+1)
		if len(model)%4000 == 0 || len(model) < 100 {
			check(t, tr, model)
		}
	}
}

// TestSearchKeepsOrder keeps a tree sorted by inserting at the place
// Search finds and deleting at random, through splits and merges at every
// inner level, and checks Search against the model on the way.
func TestSearchKeepsOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	tr := New[entry]()
	var model []entry
	search := func(id int) (Cursor[entry], bool) {
		return tr.Search(func(x *entry) int { return cmp.Compare(x.id, id) })
	}
	step := func(grow bool) {
		if grow || len(model) == 0 {
			id := rng.IntN(1 << 30)
			c, _ := search(id)
			tr.Insert(c, entry{id: id, w: 1}, 1)
			i, _ := slices.BinarySearchFunc(model, id, func(e entry, id int) int { return cmp.Compare(e.id, id) })
			model = slices.Insert(model, i, entry{id: id, w: 1})
			return
		}
		i := rng.IntN(len(model))
		c, ok := search(model[i].id)
		if !ok || tr.At(c).id != model[i].id {
			t.Fatalf("Search missed id %d", model[i].id)
		}
		tr.Delete(c)
		model = slices.Delete(model, i, i+1)
	}
	for i := range 40000 {
		step(true)
		if i%5000 == 0 {
			check(t, tr, model)
		}
	}
	if h := height(tr); h < 3 {
		t.Fatalf("height %d after 40000 inserts, want 3", h)
	}
	for len(model) > 0 {
		step(rng.IntN(3) == 0)
		if len(model)%3000 == 0 {
			check(t, tr, model)
			for range 50 {
				i := rng.IntN(len(model) + 1)
				id := 1 << 30
				if i < len(model) {
					id = model[i].id
				}
				want, found := slices.BinarySearchFunc(model, id, func(e entry, id int) int { return cmp.Compare(e.id, id) })
				c, ok := search(id)
				if got, _ := tr.Position(c); got != want || ok != found {
					t.Fatalf("Search(%d) at %d (%v), want %d (%v)", id, got, ok, want, found)
				}
			}
		}
	}
	check(t, tr, model)
}

// TestWeightOutOfRange checks that a weight a leaf cannot hold is refused
// with a panic, not stored wrapped.
func TestWeightOutOfRange(t *testing.T) {
	for _, w := range []int{-1, MaxWeight + 1} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			tr := New[entry]()
			tr.Insert(tr.End(), entry{id: 1}, MaxWeight)
			if tr.Weight() != MaxWeight {
				t.Fatalf("Weight = %d, want %d", tr.Weight(), MaxWeight)
			}
			// The leaf's change is deferred (in a tree of more than
			// one leaf), so SetWeightDeferred would apply were w in
			// range; it must decline instead.
			for tr.root == nil {
				tr.Insert(tr.End(), entry{id: 3}, 0)
			}
			c := tr.Begin()
			tr.SetWeight(c, MaxWeight-1)
			tr.SetWeight(c, MaxWeight)
			if tr.pend != c.Leaf {
				t.Fatal("the change of the first leaf is not deferred")
			}
			if tr.SetWeightDeferred(c, w) {
				t.Errorf("SetWeightDeferred took weight %d", w)
			}
			for name, f := range map[string]func(){
				"Insert":    func() { tr.Insert(tr.End(), entry{id: 2}, w) },
				"SetWeight": func() { tr.SetWeight(c, w) },
			} {
				func() {
					defer func() {
						if recover() == nil {
							t.Errorf("%s with weight %d did not panic", name, w)
						}
					}()
					f()
				}()
			}
			if tr.Weight() != MaxWeight || tr.ItemWeight(c) != MaxWeight {
				t.Fatalf("a refused weight changed the tree: Weight %d, item weight %d", tr.Weight(), tr.ItemWeight(c))
			}
		})
	}
}
