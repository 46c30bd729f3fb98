package list

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// This file checks the fast paths of local editing (typeOn, removeOne:
// typing on, backspace, forward delete, pops) against the reference of
// reference_test.go, removal dots included, on editor-like sessions where
// they apply most of the time.

// rmDots returns the removal dot of each of l's elements in list order
// (zero for a live one).
func rmDots(l *List) []clock.Dot {
	var out []clock.Dot
	if l.st == nil {
		return out
	}
	s := l.st
	for c := s.tree.Begin(); !s.tree.IsEnd(c); c = s.tree.Next(c) {
		x := s.tree.At(c)
		for f := 0; f < int(x.n); f++ {
			out = append(out, s.unpack(x.rmAt(x.k(f))))
		}
	}
	return out
}

func (d *refDoc) rmDots() []clock.Dot {
	out := make([]clock.Dot, len(d.elems))
	for i, e := range d.elems {
		if e.removed {
			out[i] = e.rm
		}
	}
	return out
}

// editor is one replica of an editing session: its list, the reference,
// its cursor, and what it has not yet shipped to the others.
type editor struct {
	id      clock.ReplicaID
	l       *List
	ref     refDoc
	cur     int
	rec     bool // recording into one delta (RecordInto)
	deltas  []*List
	ops     []refOp
	pending bool // the recorder is in deltas
}

func (e *editor) note(d *List, ops []refOp) {
	e.ops = append(e.ops, ops...)
	if !e.rec || !e.pending {
		e.deltas = append(e.deltas, d)
		e.pending = e.rec
	}
}

// ship delivers what e has not shipped to o, in order.
func (e *editor) ship(o *editor) {
	for _, d := range e.deltas {
		o.l.Merge(d)
	}
	for _, op := range e.ops {
		o.ref.apply(op)
	}
	o.cur = min(o.cur, o.l.Len())
}

func (e *editor) reset() {
	e.deltas, e.ops, e.pending = nil, nil, false
	if e.rec {
		e.l.RecordInto(NewDelta())
	}
}

// edit runs one editor command on e and reports whether a removal took
// the fast path (its tree kept its number of items).
func (e *editor) edit(t *testing.T, rng *rand.Rand) (removal, fast bool) {
	t.Helper()
	n := e.l.Len()
	items := 0
	if e.l.st != nil {
		items = e.l.st.tree.Len()
	}
	remove := func(i int, v string, d *List, err error) {
		if err != nil {
			t.Fatal(err)
		}
		want := e.ref.values()[i]
		e.note(d, e.ref.removeLocal(e.id, []int{i}))
		if v != want {
			t.Fatalf("removed %q, want %q", v, want)
		}
		removal, fast = true, e.l.st.tree.Len() == items
	}
	switch k := rng.IntN(100); {
	case k < 45 || n == 0:
		v := []string{fmt.Sprint(rng.IntN(10))}
		if k < 3 {
			v = append(v, "x", "y")
		}
		d, err := e.l.InsertAt(e.id, e.cur, v...)
		if err != nil {
			t.Fatal(err)
		}
		e.note(d, e.ref.insertLocal(e.id, e.cur, v, false))
		e.cur += len(v)
	case k < 65 && e.cur > 0: // backspace
		e.cur--
		d, v, err := e.l.RemoveAt(e.id, e.cur)
		remove(e.cur, v, d, err)
	case k < 80 && e.cur < n: // delete
		d, v, err := e.l.RemoveAt(e.id, e.cur)
		remove(e.cur, v, d, err)
	case k < 84:
		d, v, _, err := e.l.PopLeft(e.id)
		remove(0, v, d, err)
		e.cur = max(e.cur-1, 0)
	case k < 88:
		d, v, _, err := e.l.PopRight(e.id)
		remove(n-1, v, d, err)
		e.cur = min(e.cur, n-1)
	case k < 90:
		d, v, err := e.l.RemoveAt(e.id, -1)
		remove(n-1, v, d, err)
		e.cur = min(e.cur, n-1)
	default:
		e.cur = rng.IntN(n + 1)
	}
	return removal, fast
}

// TestFastPathsAgainstReference runs editing sessions of two or three
// replicas, some recording into one delta, that sync now and then, and
// after every command compares the list with the reference: order,
// values and removal dots. The replicas type in each other's text, so a
// backspace often removes an element another replica inserted.
func TestFastPathsAgainstReference(t *testing.T) {
	removals, fast := 0, 0
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 7))
		eds := make([]*editor, 2+rng.IntN(2))
		for i := range eds {
			eds[i] = &editor{id: clock.ReplicaID(20 + 9*i), l: New(), rec: rng.IntN(3) > 0}
			eds[i].reset()
		}
		check := func(step int, e *editor) {
			t.Helper()
			if got, want := order(e.l), e.ref.order(); !slices.Equal(got, want) {
				t.Fatalf("seed %d step %d replica %d: order\n got  %v\n want %v", seed, step, e.id, got, want)
			}
			if got, want := elems(e.l), e.ref.values(); !slices.Equal(got, want) {
				t.Fatalf("seed %d step %d replica %d: values\n got  %q\n want %q", seed, step, e.id, got, want)
			}
			got, want := rmDots(e.l), e.ref.rmDots()
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("seed %d step %d replica %d: element %v removed by %v, want %v", seed, step, e.id, e.ref.elems[i].id, got[i], want[i])
				}
			}
		}
		sync := func() {
			for _, e := range eds {
				for _, o := range eds {
					if o != e {
						e.ship(o)
					}
				}
				e.reset()
			}
		}
		for step := range 250 {
			if rng.IntN(25) == 0 {
				sync()
				for _, e := range eds {
					check(step, e)
				}
				continue
			}
			e := eds[rng.IntN(len(eds))]
			// An editor works in bursts at one place.
			for range 1 + rng.IntN(8) {
				r, f := e.edit(t, rng)
				if r {
					removals++
				}
				if f {
					fast++
				}
				check(step, e)
			}
		}
		sync()
		for _, e := range eds[1:] {
			if !e.l.Equal(eds[0].l) {
				t.Fatalf("seed %d: replicas differ:\n %v\n %v", seed, e.l, eds[0].l)
			}
		}
	}
	if fast < removals/3 {
		t.Errorf("%d of %d removals took the fast path; the test no longer exercises it", fast, removals)
	}
}

// elems returns l's values.
func elems(l *List) []string {
	var out []string
	for _, v := range l.All() {
		out = append(out, v)
	}
	return out
}

// TestBackspaceOthersText checks the removal fast path when the text
// removed is another replica's: the removal dots are the remover's, in
// the list and in the delta, and the path applies to a backspace (the
// tree keeps its items), but not beside the author's own tombstones.
func TestBackspaceOthersText(t *testing.T) {
	const ta, tb clock.ReplicaID = 5, 6
	a, b := New(), New()
	da := NewDelta()
	a.RecordInto(da)
	for i, v := range []string{"h", "e", "l", "l", "o"} {
		if _, err := a.InsertAt(ta, i, v); err != nil {
			t.Fatal(err)
		}
	}
	b.Merge(da)
	db := NewDelta()
	b.RecordInto(db)
	var got []string
	for i := 4; i >= 1; i-- {
		items := b.st.tree.Len()
		_, v, err := b.RemoveAt(tb, i)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
		if i < 4 && b.st.tree.Len() != items {
			t.Errorf("backspace at %d took the slow path", i)
		}
	}
	if !slices.Equal(got, []string{"o", "l", "l", "e"}) || !slices.Equal(elems(b), []string{"h"}) {
		t.Fatalf("removed %q, left %q", got, elems(b))
	}
	for i, rm := range rmDots(b) {
		if i > 0 && rm.Replica != tb {
			t.Errorf("element %d removed with dot %v, not by %d", i, rm, tb)
		}
	}
	for x := range db.recs.rem.all() {
		if x.rm.Replica != tb {
			t.Errorf("removal record %+v not by %d", x, tb)
		}
	}
	a.Merge(db)
	if !a.Equal(b) {
		t.Fatalf("after the removals, the author differs from the remover:\n %v\n %v", a, b)
	}

	// Beside the author's own tombstones, the remover's removal does not
	// continue them: "hell" + "o" removed by ta, then tb removes the
	// last "l", with a sequence number next to that of ta's removal (so
	// only the replica tells them apart).
	a, b = New(), New()
	for i, v := range []string{"h", "e", "l", "l", "o"} {
		d, err := a.InsertAt(ta, i, v)
		if err != nil {
			t.Fatal(err)
		}
		b.Merge(d)
	}
	if _, _, err := b.PushRight(tb, "v", "w", "x", "y", "z"); err != nil {
		t.Fatal(err)
	}
	d, _, err := a.RemoveAt(ta, 4)
	if err != nil {
		t.Fatal(err)
	}
	b.Merge(d)
	if d, _, err = b.RemoveAt(tb, 3); err != nil {
		t.Fatal(err)
	}
	a.Merge(d)
	rms := rmDots(b)
	if rms[3].Replica != tb || rms[4].Replica != ta {
		t.Errorf("removal dots %v: want the last l's by %d, the o's by %d", rms, tb, ta)
	}
	if c := b.Clone(); !a.Merge(c) || !a.Equal(b) {
		t.Fatalf("author and remover differ:\n %v\n %v", a, b)
	}
}

// TestTypingAcrossFlushes types on while the list's and the recorder's
// lazily held dots are flushed now and then (reading a context does), so
// the typing fast path takes its other branches; the recorded delta must
// rebuild the list, context included.
func TestTypingAcrossFlushes(t *testing.T) {
	l := New()
	d := NewDelta()
	l.RecordInto(d)
	var want []string
	for i := range 300 {
		v := string(rune('a' + i%26))
		if _, err := l.InsertAt(3, len(want), v); err != nil {
			t.Fatal(err)
		}
		want = append(want, v)
		switch i % 7 {
		case 2:
			l.Context()
		case 4:
			d.Context()
		case 6:
			if _, _, err := l.RemoveAt(3, len(want)-1); err != nil {
				t.Fatal(err)
			}
			want = want[:len(want)-1]
		}
	}
	l.RecordInto(nil)
	o := New()
	o.Merge(d)
	if got := elems(o); !slices.Equal(got, want) || !o.Equal(l) {
		t.Fatalf("merged %q, want %q", got, want)
	}
	if lc, dc := l.Context(), d.Context(); !lc.Equal(&dc) {
		t.Fatalf("list context %v, delta's %v", &lc, &dc)
	}
}

// TestTypingAfterRemovingOthersText types where a removal left another
// replica's run hot, at a seq that happens to continue that run: the
// typing must not extend the other replica's run or the recorder's last
// insert. Both cases once diverged or panicked.
func TestTypingAfterRemovingOthersText(t *testing.T) {
	const ra, rb clock.ReplicaID = 1, 2
	cases := []struct {
		name   string
		theirs []string
		edits  func(t *testing.T, a *List)
		want   []string
	}{
		{
			name:   "after a push of one's own",
			theirs: []string{"a", "b", "c", "d", "e"},
			edits: func(t *testing.T, a *List) {
				mustDo(t, func() error { _, _, err := a.PushLeft(ra, "P"); return err })
				mustDo(t, func() error { _, _, err := a.RemoveAt(ra, 5); return err })
				mustDo(t, func() error { _, _, err := a.RemoveAt(ra, 4); return err })
				mustDo(t, func() error { _, err := a.InsertAt(ra, 4, "X"); return err })
			},
			want: []string{"P", "a", "b", "c", "X"},
		},
		{
			name:   "with nothing recorded yet",
			theirs: []string{"a", "b", "c", "d"},
			edits: func(t *testing.T, a *List) {
				mustDo(t, func() error { _, _, err := a.RemoveAt(ra, 3); return err })
				mustDo(t, func() error { _, _, err := a.RemoveAt(ra, 2); return err })
				mustDo(t, func() error { _, err := a.InsertAt(ra, 2, "X"); return err })
			},
			want: []string{"a", "b", "X"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := New()
			pushed, _, err := b.PushRight(rb, tc.theirs...)
			if err != nil {
				t.Fatal(err)
			}
			a := New()
			a.Merge(pushed)
			d := NewDelta()
			a.RecordInto(d)
			tc.edits(t, a)
			a.RecordInto(nil)
			if got := elems(a); !slices.Equal(got, tc.want) {
				t.Fatalf("local list %q, want %q", got, tc.want)
			}
			b.Merge(d)
			if got := elems(b); !slices.Equal(got, tc.want) || !b.Equal(a) {
				t.Fatalf("after merging the recorded delta: %q, want %q and a state Equal to the local one", got, tc.want)
			}
		})
	}
}

func mustDo(t *testing.T, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

// TestRemoveSplitAgainstGeneral removes each element of lists built by
// several replicas (forward and backward runs, other replicas'
// tombstones, runs split across leaves) once through RemoveAt, whose
// dedicated paths (removeOne, removeSplit) take every such removal, and
// once through the general removeRanges, and compares the two results:
// the state, the removal dots, the value returned, the delta, and the
// index that finds each element's leaf. A backspace after each removal
// checks the run RemoveAt left hot (and the backspace path, which takes
// it when the removal made a tombstone the backspace continues).
func TestRemoveSplitAgainstGeneral(t *testing.T) {
	const me clock.ReplicaID = 7
	for seed := range uint64(4) {
		base := removalSession(t, seed)
		n := base.Len()
		if n < 100 || base.st.tree.Len() < 2*64 {
			t.Fatalf("seed %d: session left %d elements in %d runs; the test needs more", seed, n, base.st.tree.Len())
		}
		for i := range n {
			fast, general := base.Clone(), base.Clone()
			fast.st.buildIndex()
			general.st.buildIndex()
			df, vf, dg, vg := removeBothWays(t, fast, general, me, i)
			// Comparing the states flushes the lazily held dots, which
			// the backspace path needs; for odd indexes the removal's
			// state is compared after the backspace only.
			if i%2 == 0 || i == 0 {
				compareRemoval(t, fmt.Sprintf("seed %d index %d", seed, i), fast, general, df, dg, vf, vg)
			} else if vf != vg || !df.Equal(dg) {
				t.Fatalf("seed %d index %d: removed %q with delta %v, the general path %q with %v", seed, i, vf, df, vg, dg)
			}
			if i == 0 {
				continue
			}
			// A backspace before it: from the hot run if the removal
			// left one.
			df, vf, dg, vg = removeBothWays(t, fast, general, me, i-1)
			compareRemoval(t, fmt.Sprintf("seed %d index %d, then %d", seed, i, i-1), fast, general, df, dg, vf, vg)
		}
	}
}

// TestForwardDeleteAgainstGeneral presses the delete key a few times at
// every third index of lists built by several replicas: once through
// RemoveAt, where the first removal of a forward run's first element
// leaves the rest of the run hot and the next ones take forwardDelete,
// and once through the general removeRanges, comparing the two as
// TestRemoveSplitAgainstGeneral does.
func TestForwardDeleteAgainstGeneral(t *testing.T) {
	const me clock.ReplicaID = 7
	fwd := 0
	for seed := range uint64(4) {
		base := removalSession(t, seed)
		for i := int(seed % 3); i < base.Len(); i += 3 {
			fast, general := base.Clone(), base.Clone()
			fast.st.buildIndex()
			general.st.buildIndex()
			for k := 0; k < 4 && i < fast.Len(); k++ {
				if h := &fast.st.hot; h.fwd && h.pos == i {
					fwd++
				}
				df, vf, dg, vg := removeBothWays(t, fast, general, me, i)
				// Comparing the states flushes the lazily held dots,
				// which forwardDelete needs: only the last delete's
				// state is compared.
				what := fmt.Sprintf("seed %d index %d, delete %d", seed, i, k)
				if k == 3 || i >= fast.Len() {
					compareRemoval(t, what, fast, general, df, dg, vf, vg)
				} else if vf != vg || !df.Equal(dg) {
					t.Fatalf("%s: removed %q with delta %v, the general path %q with %v", what, vf, df, vg, dg)
				}
			}
		}
	}
	if testing.Verbose() {
		t.Logf("%d forward deletes found the run hot", fwd)
	}
	if fwd < 100 {
		t.Fatalf("%d removals found the run hot for a forward delete; the test no longer exercises forwardDelete", fwd)
	}
}

// TestForwardDeleteAcrossLeaves builds a run whose first element starts a
// leaf, with the tombstones it continues ending the leaf before, and
// forward-deletes from it, recording into a delta: the elements
// forwardDelete and then the armed removals move change leaves, which the index
// must follow. The deletes are compared with the general path as
// TestRemoveSplitAgainstGeneral does.
func TestForwardDeleteAcrossLeaves(t *testing.T) {
	const me clock.ReplicaID = 7
	l := New()
	// First a run of 1030, so that the values of the run below are past
	// the small chunks (only there do removals arm).
	for i := range 1030 {
		mustDo(t, func() error { _, err := l.InsertAt(me, i, "q"); return err })
	}
	for i, v := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		mustDo(t, func() error { _, err := l.InsertAt(me, i, v); return err })
	}
	// Fifteen runs of other replicas before the run and fourteen after,
	// all in the one leaf.
	for i := range 15 {
		mustDo(t, func() error { _, err := l.InsertAt(clock.ReplicaID(100+i), 0, "z"); return err })
	}
	for i := range 14 {
		mustDo(t, func() error { _, err := l.InsertAt(clock.ReplicaID(200+i), 15+8+i, "y"); return err })
	}
	// Deleting "a" puts its tombstone before the run, the 32nd item of
	// the leaf; one more after the run splits the leaf between the two.
	mustDo(t, func() error { _, _, err := l.RemoveAt(me, 15); return err })
	mustDo(t, func() error { _, err := l.InsertAt(300, 15+7+2, "x"); return err })
	fast, general := l.Clone(), l.Clone()
	fast.st.buildIndex()
	general.st.buildIndex()
	df, dg := NewDelta(), NewDelta()
	fast.RecordInto(df)
	general.RecordInto(dg)
	for k, want := range []string{"b", "c", "d", "e", "f"} {
		h := &fast.st.hot
		if k >= 1 && (!h.fwd || h.pos != 15 || h.c.Slot != 0 || h.c.Leaf == fast.st.tree.Begin().Leaf) {
			t.Fatalf("delete %d: the run is not hot for a forward delete at the start of a leaf: %+v", k, *h)
		}
		if k >= 2 && h.vr == nil {
			t.Fatalf("delete %d: the run is not armed", k)
		}
		_, vf, err := fast.RemoveAt(me, 15)
		if err != nil {
			t.Fatal(err)
		}
		var vg string
		if _, err := general.removeRanges(me, [][2]int{{15, 1}}, func(_ pdot, v string) { vg = v }); err != nil {
			t.Fatal(err)
		}
		if vf != want || vg != want {
			t.Fatalf("delete %d removed %q, the general path %q; want %q", k, vf, vg, want)
		}
	}
	compareRemoval(t, "after the deletes", fast, general, df, dg, "", "")
}

// removalSession returns a list that three replicas built by typing,
// pushing and removing at random places, merged.
func removalSession(t *testing.T, seed uint64) *List {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 13))
	reps := []clock.ReplicaID{3, 5, 9}
	ls := []*List{New(), New(), New()}
	for range 60 {
		k := rng.IntN(len(ls))
		l, r := ls[k], reps[k]
		for range 1 + rng.IntN(12) {
			n := l.Len()
			var d *List
			var err error
			switch op := rng.IntN(10); {
			case op < 5 || n == 0:
				vals := make([]string, 1+rng.IntN(4))
				for j := range vals {
					vals[j] = fmt.Sprint(rng.IntN(10))
				}
				d, err = l.InsertAt(r, rng.IntN(n+1), vals...)
			case op < 7:
				d, _, err = l.PushLeft(r, fmt.Sprint(rng.IntN(10)), "p", "q")
			case op < 8 && n > 0:
				d, err = l.Set(clock.Stamp{Time: clock.NewTimestamp(int64(rng.IntN(1000)), 0), Replica: r}, rng.IntN(n), "s")
			default:
				d, _, err = l.RemoveAt(r, rng.IntN(n))
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range ls {
				if o != l {
					o.Merge(d)
				}
			}
		}
	}
	return ls[0]
}

// compareRemoval fails unless the lists and what their removals returned
// are the same, and checks that each list's index finds every element.
func compareRemoval(t *testing.T, what string, a, b, da, db *List, va, vb string) {
	t.Helper()
	if va != vb {
		t.Fatalf("%s: removed %q, the general path %q", what, va, vb)
	}
	if !a.Equal(b) || !slices.Equal(elems(a), elems(b)) || !slices.Equal(rmDots(a), rmDots(b)) ||
		a.Tombstones() != b.Tombstones() || a.Len() != b.Len() {
		t.Fatalf("%s: after the removal\n %v\nthe general path left\n %v", what, a, b)
	}
	if !da.Equal(db) {
		t.Fatalf("%s: delta %v, the general path's %v", what, da, db)
	}
	for _, l := range []*List{a, b} {
		s := l.st
		for c := s.tree.Begin(); !s.tree.IsEnd(c); c = s.tree.Next(c) {
			x := s.tree.At(c)
			for f := 0; f < int(x.n); f++ {
				at, ok := s.find(x.flatDot(f))
				if !ok || at.c != c || at.off != f {
					t.Fatalf("%s: the index does not find element %v of run %+v", what, x.flatDot(f), *x)
				}
			}
		}
	}
}

// TestArmedTypingAgainstSettled types the same session on two lists of
// one replica, each recording into its own delta: on one, runs hot for
// typing arm and characters take the armed path, runs hot for a backspace or
// a forward delete arm and removals take the armed path, with reads of the
// list and of the recorder now and then (each settles the keystrokes not
// yet counted); the other's recorder is settled after every command, so
// it never types or removes armed (each character takes typeByte or
// typeOn, each removal backspace, forwardDelete or a slower path). Bursts cross value chunks and recorder buffers, and
// the session switches recorders, round-trips them through the encoding,
// and merges another replica's edits. After every command both lists
// the armed list must hold the values a plain slice holds, after every
// fourth the lists must equal each other, and after every sixteenth their
// recorders too (a recorder's context is costly to encode); at the end a
// replica that merged every recorder must equal them.
func TestArmedTypingAgainstSettled(t *testing.T) {
	const me, other clock.ReplicaID = 4, 9
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 17))
		a, b, o, c := New(), New(), New(), New()
		da, db := NewDelta(), NewDelta()
		a.RecordInto(da)
		b.RecordInto(db)
		var model []string
		cur, armed, armedRm := 0, 0, 0
		do := func(f func(l *List) (*List, error)) {
			t.Helper()
			if _, err := f(a); err != nil {
				t.Fatal(err)
			}
			if _, err := f(b); err != nil {
				t.Fatal(err)
			}
			db.settle()
		}
		ship := func() {
			c.Merge(da)
			c.Merge(db)
		}
		for step := range 300 {
			switch k := rng.IntN(20); {
			case k < 8 || len(model) == 0: // a burst of typing
				n := 1 + rng.IntN(60)
				if rng.IntN(8) == 0 {
					n = 1500 + rng.IntN(1500)
				}
				var typed []string
				at := cur
				for range n {
					vals := []string{string(rune('a' + rng.IntN(26)))}
					// A value of another length turns its value chunk
					// into strings for good (see chunk), so it is rare.
					switch r := rng.IntN(4000); {
					case r == 0:
						vals[0] = "é"
					case r < 20:
						vals = append(vals, "x", "y")
					}
					if a.st != nil && a.st.hot.vb != nil {
						armed++
					}
					do(func(l *List) (*List, error) { return l.InsertAt(me, cur, vals...) })
					typed = append(typed, vals...)
					cur += len(vals)
					switch rng.IntN(50) {
					case 0:
						if v, ok := a.Index(cur - 1); !ok || v != vals[len(vals)-1] || a.Len() != len(model)+len(typed) {
							t.Fatalf("seed %d step %d: read %q (%v) at %d of %d, typed %q", seed, step, v, ok, cur-1, a.Len(), vals)
						}
					case 1:
						a.Context()
					case 2:
						da.Context()
					case 3:
						if !da.Clone().Equal(da) {
							t.Fatalf("seed %d step %d: the recorder's clone differs from it", seed, step)
						}
					}
				}
				model = slices.Insert(model, at, typed...)
			case k < 13 && cur > 0 && cur < len(model): // backspaces or forward deletes
				back := k < 11
				n := 1 + rng.IntN(8)
				if rng.IntN(10) == 0 {
					n = 200 + rng.IntN(1300)
				}
				for ; n > 0 && (back && cur > 0 || !back && cur < len(model)); n-- {
					if back {
						cur--
					}
					if a.st.hot.vr != nil {
						armedRm++
					}
					var got []string
					do(func(l *List) (*List, error) {
						d, v, err := l.RemoveAt(me, cur)
						got = append(got, v)
						return d, err
					})
					if got[0] != model[cur] || got[1] != model[cur] {
						t.Fatalf("seed %d step %d: removed %q at %d, want %q", seed, step, got, cur, model[cur])
					}
					model = slices.Delete(model, cur, cur+1)
				}
			case k < 16:
				cur = rng.IntN(len(model) + 1)
			case k == 16: // new recorders, the old ones shipped
				ship()
				da, db = NewDelta(), NewDelta()
				a.RecordInto(da)
				b.RecordInto(db)
			case k == 17 && cur < len(model):
				// The recorders round-trip through the encoding; then,
				// between two short bursts, they are replaced by an
				// empty delta decoded, unread (an outbox reloaded): what
				// the first burst recorded is gone, the second one's
				// must be recorded, and a replica that merges a copy of
				// the list keeps up.
				for _, d := range []*List{da, db} {
					enc, err := d.AppendBinary(nil)
					if err != nil {
						t.Fatal(err)
					}
					if err := d.UnmarshalBinary(enc); err != nil {
						t.Fatal(err)
					}
				}
				empty, err := NewDelta().AppendBinary(nil)
				if err != nil {
					t.Fatal(err)
				}
				for burst := range 2 {
					for range 5 {
						v := string(rune('A' + rng.IntN(26)))
						do(func(l *List) (*List, error) { return l.InsertAt(me, cur, v) })
						model = slices.Insert(model, cur, v)
						cur++
					}
					if burst == 0 {
						for _, d := range []*List{da, db} {
							if err := d.UnmarshalBinary(empty); err != nil {
								t.Fatal(err)
							}
						}
					}
				}
				c.Merge(a.Clone())
			default: // another replica's edit, merged
				o.Merge(a.Clone())
				i := rng.IntN(o.Len() + 1)
				d, err := o.InsertAt(other, i, "Z")
				if err != nil {
					t.Fatal(err)
				}
				a.Merge(d)
				b.Merge(d)
				c.Merge(d)
				model = slices.Insert(model, i, "Z")
				if i < cur {
					cur++
				}
			}
			if got := elems(a); !slices.Equal(got, model) {
				t.Fatalf("seed %d step %d: armed list %q, want %q", seed, step, got, model)
			}
			if step%4 != 0 {
				continue
			}
			if !a.Equal(b) || !slices.Equal(rmDots(a), rmDots(b)) {
				t.Fatalf("seed %d step %d: the armed list\n %v\ndiffers from the settled one\n %v", seed, step, a, b)
			}
			if step%16 == 0 && !da.Equal(db) {
				t.Fatalf("seed %d step %d: the armed list's recorder\n %v\ndiffers from the settled one's\n %v", seed, step, da, db)
			}
		}
		ship()
		if !c.Equal(a) {
			t.Fatalf("seed %d: the replica that merged every recorder\n %v\ndiffers from the list\n %v", seed, c, a)
		}
		// Removing everything from the end frees the value chunks as
		// their last values go: each value must still be there, and
		// every chunk must be freed but the one values are handed out
		// from.
		for i := len(model) - 1; i >= 0; i-- {
			if _, v, err := a.RemoveAt(me, i); err != nil || v != model[i] {
				t.Fatalf("seed %d: removed %q (%v) at %d, want %q", seed, v, err, i, model[i])
			}
		}
		vs := &a.st.vals[a.st.repIdx[me]]
		nc, _ := chunkOf(vs.next)
		held := len(vs.kept)
		for i, ch := range vs.chunks {
			if vs.base+i < nc && !ch.empty() {
				held++
			}
		}
		if held > 0 {
			t.Fatalf("seed %d: the values hold %d chunks besides the one handing out values after every value was removed", seed, held)
		}
		if armed < 5000 || armedRm < 500 {
			t.Fatalf("seed %d: %d characters typed armed, %d removed; the test no longer exercises the armed paths", seed, armed, armedRm)
		}
		if testing.Verbose() {
			t.Logf("seed %d: %d characters typed armed, %d removed", seed, armed, armedRm)
		}
	}
}

// removeBothWays removes the element at index i from fast through RemoveAt
// (its fast paths) and from general through the general removal path, and
// returns each delta and removed value.
func removeBothWays(t *testing.T, fast, general *List, at clock.ReplicaID, i int) (df *List, vf string, dg *List, vg string) {
	t.Helper()
	df, vf, err := fast.RemoveAt(at, i)
	if err != nil {
		t.Fatal(err)
	}
	dg, err = general.removeRanges(at, [][2]int{{i, 1}}, func(_ pdot, v string) { vg = v })
	if err != nil {
		t.Fatal(err)
	}
	return df, vf, dg, vg
}
