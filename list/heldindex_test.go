package list

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// checkHeldIndex fails t unless l's held index, where l has one, is the
// index of l's held records.
func checkHeldIndex(t *testing.T, l *List) {
	t.Helper()
	if l.held == nil {
		return
	}
	want := buildHeldIndex(&l.recs)
	if !slices.Equal(l.held.elems, want.elems) || !slices.Equal(l.held.waits, want.waits) {
		t.Fatalf("held index\n got  %v %v\n want %v %v\n of %v", l.held.elems, l.held.waits, want.elems, want.waits, l)
	}
}

// TestAddRange checks addRange, and coalesce of the same ranges, against
// worked cases, and overlaps on the result dot by dot.
func TestAddRange(t *testing.T) {
	r := func(rep clock.ReplicaID, lo, hi uint64) dotRange { return dotRange{rep: rep, lo: lo, hi: hi} }
	tests := []struct {
		have []dotRange
		add  dotRange
		want []dotRange
	}{
		{nil, r(1, 1, 1), []dotRange{r(1, 1, 1)}},
		{[]dotRange{r(1, 1, 2)}, r(1, 3, 4), []dotRange{r(1, 1, 4)}},                         // touches at the end
		{[]dotRange{r(1, 5, 6)}, r(1, 3, 4), []dotRange{r(1, 3, 6)}},                         // touches at the start
		{[]dotRange{r(1, 1, 2)}, r(1, 4, 4), []dotRange{r(1, 1, 2), r(1, 4, 4)}},             // a gap stays
		{[]dotRange{r(1, 1, 2), r(1, 5, 6), r(1, 9, 9)}, r(1, 2, 8), []dotRange{r(1, 1, 9)}}, // joins three
		{[]dotRange{r(1, 1, 9)}, r(1, 3, 4), []dotRange{r(1, 1, 9)}},                         // inside
		{[]dotRange{r(1, 1, 2), r(3, 1, 2)}, r(2, 1, 5), []dotRange{r(1, 1, 2), r(2, 1, 5), r(3, 1, 2)}},
		{[]dotRange{r(1, 1, 2)}, r(2, 3, 4), []dotRange{r(1, 1, 2), r(2, 3, 4)}}, // another replica's seqs never join
		{[]dotRange{r(2, 1, 2)}, r(1, 3, 4), []dotRange{r(1, 3, 4), r(2, 1, 2)}},
		{[]dotRange{r(1, 3, 4)}, r(1, 0, 1), []dotRange{r(1, 0, 1), r(1, 3, 4)}},
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
			// overlaps, dot by dot, against a search of want.
			for rep := clock.ReplicaID(1); rep <= 3; rep++ {
				for seq := range uint64(12) {
					in := slices.ContainsFunc(tt.want, func(y dotRange) bool { return y.rep == rep && y.lo <= seq && seq <= y.hi })
					if overlaps(got, rep, seq, seq) != in {
						t.Fatalf("overlaps(%v, %d:%d) = %t", got, rep, seq, !in)
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
