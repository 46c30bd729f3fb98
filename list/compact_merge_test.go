package list

import (
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// Regression tests: merging a compacted full state used to integrate its
// inserts before its blocks, holding those with an origin in a block (and
// placing a block after a held insert at the front), so the result read
// differently from the other merge order.

// compactedXY returns the state [block a] x [block c] y of replica 1.
func compactedXY(t *testing.T) *List {
	t.Helper()
	a := New()
	if _, _, err := a.PushRight(1, "a", "x", "c", "y"); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1} { // a, then c
		if _, _, err := a.RemoveAt(1, i); err != nil {
			t.Fatal(err)
		}
	}
	ctx := a.Context()
	if n := a.Compact(ctx.Vector()); n != 2 {
		t.Fatalf("compact %d", n)
	}
	return a
}

// An empty delta merging a compacted full state: Merge turns the delta
// into a full state with an empty store, which once missed the copy an
// empty list takes, so x and y were held and came back in the wrong order.
func TestEmptyDeltaMergesCompactedState(t *testing.T) {
	a := compactedXY(t)
	for name, l := range map[string]*List{
		"NewDelta":                  NewDelta(),
		"delta after a refused pop": func() *List { d := NewDelta(); d.PopLeft(2); return d }(),
	} {
		l.Merge(a)
		got1 := l.Range(0, -1)
		l.Merge(New())
		got2 := l.Range(0, -1)
		b := a.Clone()
		b.Merge(NewDelta())
		if !slices.Equal(got1, []string{"x", "y"}) || !slices.Equal(got2, []string{"x", "y"}) || !l.Equal(b) {
			t.Errorf("%s merged a: reads %q, then %q after merging New(); Merge(a, NewDelta()) reads %q", name, got1, got2, b.Range(0, -1))
		}
	}
}

// The same with a list holding only a context whose store exists but is
// empty (it went through a merge once).
func TestEmptyStoreMergesCompactedState(t *testing.T) {
	a := compactedXY(t)
	peer := New()
	peer.ctx.Add(clock.Dot{Replica: 9, Seq: 1}) // as in TestMergeCompactedIntoContextOnly
	p9 := New()
	d9, _, err := p9.PushRight(9, "q") // the element 9.1, which r has seen
	if err != nil {
		t.Fatal(err)
	}
	r1 := New()
	r1.Merge(peer) // st == nil
	r2 := New()
	r2.Merge(peer)
	r2.Merge(d9) // clipped: nothing to integrate, but r2 now has a store
	if !r1.Equal(r2) {
		t.Fatal("precondition: r1 and r2 should be Equal")
	}
	r1.Merge(a)
	r2.Merge(a)
	got := r2.Range(0, -1)
	r2.Merge(New())
	if !r1.Equal(r2) || !slices.Equal(r2.Range(0, -1), []string{"x", "y"}) {
		t.Errorf("Equal lists merged the same state: r1 reads %q, r2 reads %q then %q", r1.Range(0, -1), got, r2.Range(0, -1))
	}
}

// A delta made after everything was stable (its replica saw all of
// a), merged with the compacted state, both ways.
func TestDeltaMergesCompactedStateBothWays(t *testing.T) {
	a := New()
	if _, _, err := a.PushRight(1, "a", "x", "c", "y"); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1} {
		if _, _, err := a.RemoveAt(1, i); err != nil {
			t.Fatal(err)
		}
	}
	b := a.Clone() // replica 2 saw all of a's history
	d, _, err := b.PushLeft(2, "q")
	if err != nil {
		t.Fatal(err)
	}
	ctx := a.Context()
	a.Compact(ctx.Vector())
	b.Compact(ctx.Vector())

	ad := a.Clone()
	ad.Merge(d)
	da := d.Clone()
	da.Merge(a)
	got := da.Range(0, -1)
	da.Merge(New())
	if !slices.Equal(got, ad.Range(0, -1)) || !slices.Equal(da.Range(0, -1), ad.Range(0, -1)) {
		t.Errorf("b reads %q; Merge(a, d) reads %q; Merge(d, a) reads %q, then %q", b.Range(0, -1), ad.Range(0, -1), got, da.Range(0, -1))
	}
}

// A list with a context but no element (it merged a peer's empty state)
// merging a compacted state [block a] x [block c] y: the merge path held x
// and y (their origins were in blocks not yet placed) and then read them
// in the wrong order for good; such a list now takes a copy, as an empty
// one does.
func TestMergeCompactedIntoContextOnly(t *testing.T) {
	a := compactedXY(t)
	peer := New()
	peer.ctx.Add(clock.Dot{Replica: 9, Seq: 1}) // e.g. a peer's empty state with a context
	r := New()
	r.Merge(peer)
	r.Merge(a)
	got1 := r.Range(0, -1)
	r.Merge(New())
	got2 := r.Range(0, -1)
	if !slices.Equal(got1, []string{"x", "y"}) || !slices.Equal(got2, []string{"x", "y"}) {
		t.Errorf("r reads %q after merging a, %q after one more merge; a reads %q", got1, got2, a.Range(0, -1))
	}
}
