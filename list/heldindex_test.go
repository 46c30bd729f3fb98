package list

import (
	"fmt"
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
