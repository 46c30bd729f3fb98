package list

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

// checkIndex checks that the dot index of l's store, if built, gives for
// every element of every run the leaf that holds it.
func checkIndex(t *testing.T, l *List) {
	t.Helper()
	s := l.st
	if s == nil || !s.indexed {
		return
	}
	for leaf := s.tree.Begin().Leaf; leaf != nil; leaf = leaf.Next() {
		for _, x := range leaf.Items() {
			if x.block() {
				continue
			}
			for k := range uint64(x.n) {
				d := mkdot(x.id.rep(), x.id.seq()+k)
				if got := s.leafOf(d); got != leaf {
					t.Fatalf("index: element %v of a %d-element run is in leaf %p, the index says %p", s.unpack(d), x.n, leaf, got)
				}
			}
		}
	}
}

// hasRanges reports whether l's index holds a run as a range.
func hasRanges(l *List) bool {
	for _, ps := range l.st.idx {
		if ps.long != nil && ps.long.Len() > 0 {
			return true
		}
	}
	return false
}

// TestIndexOfLongRuns edits lists made of long runs, which the index holds
// as ranges, on a replica whose index is built, and on one that ships to
// it: runs split, move between leaves, lose elements at either end and
// gain single-element writes over ranges. After every step the index must
// give every element's leaf, and the replicas must agree.
func TestIndexOfLongRuns(t *testing.T) {
	const ra, rb clock.ReplicaID = 1, 2
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 9))
		a, b := New(), New()
		push := func(l *List, r clock.ReplicaID, n int) *List {
			d, _, err := l.PushRight(r, slices.Repeat([]string{string(rune('a' + rng.IntN(26)))}, n)...)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		for range 2 {
			b.Merge(push(a, ra, longRun+rng.IntN(longRun)))
		}
		checkIndex(t, b)
		if !hasRanges(b) {
			t.Fatalf("seed %d: the index holds no range: the test does not reach them", seed)
		}
		for step := range 60 {
			var d *List
			var err error
			n := a.Len()
			switch op := rng.IntN(10); {
			case op < 4 && n > 0: // split a run with an insert
				d, err = a.InsertAt(ra, rng.IntN(n), "x")
			case op < 7 && n > 0: // remove one element
				d, _, err = a.RemoveAt(ra, rng.IntN(n))
			case op < 8 && n > 10: // remove a stretch
				i := rng.IntN(n - 10)
				d, err = a.Trim(ra, i, i+rng.IntN(n-i))
			case op < 9 && n < 3*longRun:
				d = push(a, ra, longRun+rng.IntN(longRun/2))
			default: // an edit on the indexed replica, shipped back
				if m := b.Len(); m > 0 {
					db, _, err := b.RemoveAt(rb, rng.IntN(m))
					if err != nil {
						t.Fatal(err)
					}
					a.Merge(db)
				}
				checkIndex(t, b)
				continue
			}
			if err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			b.Merge(d)
			checkIndex(t, b)
			if got, want := strings.Join(b.Range(0, -1), ""), strings.Join(a.Range(0, -1), ""); got != want {
				t.Fatalf("seed %d step %d: replicas differ:\n a %q\n b %q", seed, step, want, got)
			}
		}
		if !a.Equal(b) {
			t.Fatalf("seed %d: states differ after every delta was merged", seed)
		}
	}
}

// TestHeldInsertsAndALongContext merges a delta whose context covers 2^40
// dots of one replica, and the held insert of another, into a list that
// holds that insert: the context must take the 2^40 dots as one range (a
// dot-by-dot loop would not finish) and still leave out the held element.
func TestHeldInsertsAndALongContext(t *testing.T) {
	const ra, rb clock.ReplicaID = 1, 2
	dy := deltaMissingOrigin(t, ra)
	l := New()
	l.Merge(dy)
	if l.recs.ins.len() != 1 {
		t.Fatalf("%d held inserts, want 1", l.recs.ins.len())
	}
	o := NewDelta()
	o.ctx.AddRange(rb, 1, 1<<40)
	o.ctx.AddRange(ra, 1, 3)
	l.Merge(o)
	ctx := l.Context()
	held := clock.Dot{Replica: ra, Seq: 2}
	switch {
	case !ctx.Contains(clock.Dot{Replica: rb, Seq: 1 << 40}):
		t.Fatal("the context lost the long range")
	case ctx.Contains(held):
		t.Fatal("the context took the held element's dot")
	case !ctx.Contains(clock.Dot{Replica: ra, Seq: 1}) || !ctx.Contains(clock.Dot{Replica: ra, Seq: 3}):
		t.Fatal("the context lost the dots around the held element")
	case l.recs.ins.len() != 1:
		t.Fatalf("%d held inserts after the merge, want 1", l.recs.ins.len())
	}
}

// deltaMissingOrigin returns the delta of r's push of y after x (dots
// r.2 and r.1): merged without x, the insert is held back.
func deltaMissingOrigin(t *testing.T, r clock.ReplicaID) *List {
	t.Helper()
	a := New()
	if _, _, err := a.PushRight(r, "x"); err != nil {
		t.Fatal(err)
	}
	dy, _, err := a.PushRight(r, "y")
	if err != nil {
		t.Fatal(err)
	}
	return dy
}

// TestDecodeRecordOutsideContext checks that a delta whose recorded insert
// runs past its context, or a full state whose held insert lies in its
// context, is refused.
func TestDecodeRecordOutsideContext(t *testing.T) {
	const ra clock.ReplicaID = 1
	a := New()
	d, _, err := a.PushRight(ra, "x", "y", "z")
	if err != nil {
		t.Fatal(err)
	}
	good, err := d.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	var back List
	if err := back.UnmarshalBinary(good); err != nil {
		t.Fatalf("the honest delta: %v", err)
	}
	for _, covered := range []uint64{0, 1, 2} {
		bad := &List{delta: true, recs: d.recs}
		bad.ctx.AddRange(ra, 1, covered) // the record holds dots 1…3
		enc, err := bad.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := back.UnmarshalBinary(enc); !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("a delta covering %d of its record's 3 dots: %v, want a malformed-encoding error", covered, err)
		}
	}
}

// TestHeldKeystrokesJoin merges a typist's keystrokes, each its own delta,
// into a replica that lacks the first: the held inserts join into one
// record every few merges (so each merge costs what a few records do, not
// what every keystroke held so far does), and the text comes out whole
// when the first keystroke arrives.
func TestHeldKeystrokesJoin(t *testing.T) {
	const n = 500
	src := New()
	deltas := make([]*List, n)
	want := make([]string, n)
	for i := range deltas {
		want[i] = string(rune('a' + i%26))
		var err error
		if deltas[i], err = src.InsertAt(1, i, want[i]); err != nil {
			t.Fatal(err)
		}
	}
	l := New()
	for i, d := range deltas[1:] {
		if !l.Merge(d) {
			t.Fatalf("merging held keystroke %d reported no change", i+1)
		}
		if l.Merge(d) {
			t.Fatalf("merging held keystroke %d again reported a change", i+1)
		}
		if l.recs.ins.len() > 2+heldSlack || l.Len() != 0 {
			t.Fatalf("after keystroke %d: %d held inserts, Len %d; want at most %d and 0", i+1, l.recs.ins.len(), l.Len(), 2+heldSlack)
		}
	}
	if !l.Merge(deltas[0]) {
		t.Fatal("merging the first keystroke reported no change")
	}
	if got := l.Range(0, -1); !slices.Equal(got, want) || !l.recs.isEmpty() {
		t.Fatalf("text %q, held %v; want %q and nothing held", got, !l.recs.isEmpty(), want)
	}
	if !l.Equal(src) {
		t.Fatal("the replica differs from the typist's")
	}
}
