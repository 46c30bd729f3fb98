package list

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// checkHeldIndex fails t unless l's held index, where l has one, is the
// index of l's held records, but for waits it may have left over (see
// mergeInto).
func checkHeldIndex(t *testing.T, l *List) {
	t.Helper()
	if l.held == nil {
		return
	}
	want := buildHeldIndex(&l.recs)
	if !slices.Equal(l.held.elems, want.elems) || !covers(l.held.waits, want.waits) {
		t.Fatalf("held index\n got  %v %v\n want %v %v\n of %v", l.held.elems, l.held.waits, want.elems, want.waits, l)
	}
}

// covers reports whether the ascending maximal ranges a hold every dot
// of those of b.
func covers(a, b []dotRange) bool {
	for _, x := range b {
		i := firstEnding(a, x.rep, x.lo)
		if i == len(a) || a[i].rep != x.rep || a[i].lo > x.lo || a[i].hi < x.hi {
			return false
		}
	}
	return true
}

// mustDelta returns a function that returns the delta it is given,
// failing t on an error.
func mustDelta(t *testing.T) func(*List, error) *List {
	return func(d *List, err error) *List {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
}

// dr returns the range lo…hi of replica rep.
func dr(rep clock.ReplicaID, lo, hi uint64) dotRange { return dotRange{rep: rep, lo: lo, hi: hi} }

// TestRemoveRange checks removeRange against worked cases, and the result
// dot by dot.
func TestRemoveRange(t *testing.T) {
	tests := []struct {
		have   []dotRange
		remove dotRange
		want   []dotRange
	}{
		{nil, dr(1, 1, 5), nil},
		{[]dotRange{dr(1, 1, 9)}, dr(1, 1, 9), []dotRange{}},
		{[]dotRange{dr(1, 1, 9)}, dr(1, 3, 4), []dotRange{dr(1, 1, 2), dr(1, 5, 9)}},                           // splits
		{[]dotRange{dr(1, 1, 9)}, dr(1, 1, 4), []dotRange{dr(1, 5, 9)}},                                        // the start
		{[]dotRange{dr(1, 1, 9)}, dr(1, 7, 12), []dotRange{dr(1, 1, 6)}},                                       // the end, past it
		{[]dotRange{dr(1, 1, 2), dr(1, 4, 5), dr(1, 7, 9)}, dr(1, 2, 8), []dotRange{dr(1, 1, 1), dr(1, 9, 9)}}, // three
		{[]dotRange{dr(1, 1, 2), dr(1, 7, 9)}, dr(1, 3, 6), []dotRange{dr(1, 1, 2), dr(1, 7, 9)}},              // a gap
		{[]dotRange{dr(1, 1, 9), dr(2, 1, 9)}, dr(2, 5, 5), []dotRange{dr(1, 1, 9), dr(2, 1, 4), dr(2, 6, 9)}},
		{[]dotRange{dr(1, 1, 9), dr(3, 1, 9)}, dr(2, 1, 9), []dotRange{dr(1, 1, 9), dr(3, 1, 9)}}, // another replica
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			got := removeRange(slices.Clone(tt.have), tt.remove)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("removeRange(%v, %v) = %v, want %v", tt.have, tt.remove, got, tt.want)
			}
			// Dot by dot: what have held but remove did not name.
			in := func(rs []dotRange, rep clock.ReplicaID, seq uint64) bool {
				return slices.ContainsFunc(rs, func(y dotRange) bool { return y.rep == rep && y.lo <= seq && seq <= y.hi })
			}
			for rep := clock.ReplicaID(1); rep <= 3; rep++ {
				for seq := range uint64(14) {
					want := in(tt.have, rep, seq) && !in([]dotRange{tt.remove}, rep, seq)
					if overlaps(got, rep, seq, seq) != want {
						t.Fatalf("removeRange(%v, %v) = %v: has %d:%d is %t", tt.have, tt.remove, got, rep, seq, !want)
					}
				}
			}
		})
	}
}

// TestAddRange checks addRange, and coalesce of the same ranges, against
// worked cases, and overlaps and holds on the result dot by dot.
func TestAddRange(t *testing.T) {
	tests := []struct {
		have []dotRange
		add  dotRange
		want []dotRange
	}{
		{nil, dr(1, 1, 1), []dotRange{dr(1, 1, 1)}},
		{[]dotRange{dr(1, 1, 2)}, dr(1, 3, 4), []dotRange{dr(1, 1, 4)}},                           // touches at the end
		{[]dotRange{dr(1, 5, 6)}, dr(1, 3, 4), []dotRange{dr(1, 3, 6)}},                           // touches at the start
		{[]dotRange{dr(1, 1, 2)}, dr(1, 4, 4), []dotRange{dr(1, 1, 2), dr(1, 4, 4)}},              // a gap stays
		{[]dotRange{dr(1, 1, 2), dr(1, 5, 6), dr(1, 9, 9)}, dr(1, 2, 8), []dotRange{dr(1, 1, 9)}}, // joins three
		{[]dotRange{dr(1, 1, 9)}, dr(1, 3, 4), []dotRange{dr(1, 1, 9)}},                           // inside
		{[]dotRange{dr(1, 1, 2), dr(3, 1, 2)}, dr(2, 1, 5), []dotRange{dr(1, 1, 2), dr(2, 1, 5), dr(3, 1, 2)}},
		{[]dotRange{dr(1, 1, 2)}, dr(2, 3, 4), []dotRange{dr(1, 1, 2), dr(2, 3, 4)}}, // another replica's seqs never join
		{[]dotRange{dr(2, 1, 2)}, dr(1, 3, 4), []dotRange{dr(1, 3, 4), dr(2, 1, 2)}},
		{[]dotRange{dr(1, 3, 4)}, dr(1, 0, 1), []dotRange{dr(1, 0, 1), dr(1, 3, 4)}},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			got := addRange(slices.Clone(tt.have), tt.add)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("addRange(%v, %v) = %v, want %v", tt.have, tt.add, got, tt.want)
			}
			if c := coalesce(append([]dotRange{tt.add}, tt.have...)); !slices.Equal(c, tt.want) {
				t.Fatalf("coalesce(%v and %v) = %v, want %v", tt.add, tt.have, c, tt.want)
			}
			// overlaps and holds, dot by dot, against a search of want;
			// holds also past the few ranges it looks at one by one.
			many := slices.Clone(got)
			for k := range uint64(9) {
				many = append(many, dotRange{rep: 9, lo: 10 * k, hi: 10*k + 1})
			}
			for rep := clock.ReplicaID(1); rep <= 3; rep++ {
				for seq := range uint64(12) {
					in := slices.ContainsFunc(tt.want, func(y dotRange) bool { return y.rep == rep && y.lo <= seq && seq <= y.hi })
					d := clock.Dot{Replica: rep, Seq: seq}
					if overlaps(got, rep, seq, seq) != in || holds(got, d) != in || holds(many, d) != in {
						t.Fatalf("overlaps or holds (%v, %d:%d) = %t", got, rep, seq, !in)
					}
				}
			}
		})
	}
}

// TestHeldIndexManyRecords delivers two typists' edits (typing, deleting,
// setting), one delta each, in a random order with duplicates, so that
// hundreds of records are held at once, and checks after every merge that
// the index the merges keep equals one built from the held records (and
// so that adding records one at a time and sorting them in agree), across
// clones and decodes, which drop it; and that everything goes in at last.
func TestHeldIndexManyRecords(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 7))
		src := New()
		var deltas []*List
		for range 900 {
			at := clock.ReplicaID(1 + rng.IntN(2))
			n := src.Len()
			var d *List
			var err error
			switch k := rng.IntN(10); {
			case k < 2 && n > 0:
				d, _, err = src.RemoveAt(at, rng.IntN(n))
			case k < 3 && n > 0:
				d, err = src.Set(clock.Stamp{Time: clock.Timestamp(len(deltas) + 1), Replica: at}, rng.IntN(n), "s")
			default:
				d, err = src.InsertAt(at, rng.IntN(n+1), string(rune('a'+rng.IntN(26))))
			}
			if err != nil {
				t.Fatal(err)
			}
			deltas = append(deltas, d)
		}
		rng.Shuffle(len(deltas), func(i, j int) { deltas[i], deltas[j] = deltas[j], deltas[i] })
		dst := New()
		most := 0
		for i, d := range deltas {
			dst.Merge(d)
			if rng.IntN(5) == 0 {
				dst.Merge(deltas[rng.IntN(i+1)])
			}
			checkHeldIndex(t, dst)
			most = max(most, dst.recs.count())
			switch i % 97 {
			case 0:
				dst = dst.Clone()
			case 50:
				b, _ := dst.AppendBinary(nil)
				dst = New()
				if err := dst.UnmarshalBinary(b); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !dst.Equal(src) || !dst.recs.isEmpty() {
			t.Fatalf("seed %d: after every delta, %d records still held, or the state differs", seed, dst.recs.count())
		}
		if most <= bulkRanges {
			t.Fatalf("seed %d: at most %d records held at once, want more than %d", seed, most, bulkRanges)
		}
	}
}

// TestHeldRemovalWokenInside holds a removal of two elements neither of
// which has arrived, then lets the second arrive alone: the removal must
// apply to it at once, though the first is still missing.
func TestHeldRemovalWokenInside(t *testing.T) {
	const ra, rb clock.ReplicaID = 1, 2
	must := mustDelta(t)
	b := New()
	d0, _, err := b.PushRight(rb, "p", "q")
	must(d0, err)
	a := New()
	a.Merge(d0)
	d1 := must(a.InsertAt(ra, 1, "e1")) // 1:1, between p and q
	d2 := must(a.InsertAt(ra, 3, "e2")) // 1:2, after q: it needs only q
	b.Merge(d1)
	b.Merge(d2)
	dq, _, err := b.RemoveAt(rb, 2) // q: e1 and e2 are next to each other now
	must(dq, err)
	del := must(b.Clear(rb)) // removes 1:1…1:2 in one record
	if del.recs.rem.len() != 2 {
		t.Fatalf("precondition: DEL gives %v, want two removal records (p, and 1:1…1:2)", del)
	}
	c := New()
	c.Merge(d0)
	c.Merge(dq)
	c.Merge(del)
	c.Merge(d2)
	if got := c.Range(0, -1); len(got) != 0 {
		t.Fatalf("after p q, LREM q, DEL and e2: %q, want []", got)
	}
	c.Merge(d1)
	if got := c.Range(0, -1); len(got) != 0 || !c.recs.isEmpty() {
		t.Fatalf("after e1 too: %q, %d records held", got, c.recs.count())
	}
}

// TestHeldWaitsStayBounded holds one record for good while thousands are
// held for one merge each: what the index keeps of the records gone in
// must not grow with them.
func TestHeldWaitsStayBounded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	other := New()
	if _, _, err := other.PushRight(3, "y"); err != nil { // never delivered
		t.Fatal(err)
	}
	dz, err := other.InsertAt(3, 1, "z") // after y: held for good
	if err != nil {
		t.Fatal(err)
	}
	src, dst := New(), New()
	dst.Merge(dz)
	for i := range 2000 {
		p := rng.IntN(src.Len() + 1)
		da, err1 := src.InsertAt(1, p, "a")
		ds, err2 := src.Set(clock.Stamp{Time: clock.Timestamp(i + 1), Replica: 1}, p, "A") // a's dots do not join
		db, err3 := src.InsertAt(2, p+1, "b")                                              // held until its a comes
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		dst.Merge(db)
		dst.Merge(da)
		dst.Merge(ds)
		if h := dst.held; h != nil && len(h.waits) > 64 {
			t.Fatalf("step %d: %d records held, but the index keeps %d waits", i, dst.recs.count(), len(h.waits))
		}
	}
	if dst.recs.count() != 1 {
		t.Fatalf("%d records held, want z alone", dst.recs.count())
	}
}
