package clock_test

import (
	"math/rand/v2"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestAddRange checks AddRange against adding the same dots one by one,
// over contexts with vectors, gaps and clouds of every form.
func TestAddRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for range 3000 {
		var got, want clock.CausalContext
		for range rng.IntN(60) {
			d := clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(2)), Seq: uint64(1 + rng.IntN(40))}
			got.Add(d)
			want.Add(d)
		}
		r := clock.ReplicaID(1 + rng.IntN(2))
		from, to := uint64(rng.IntN(45)), uint64(rng.IntN(45))
		wantChanged := false
		for seq := max(from, 1); seq <= to; seq++ {
			if want.Add(clock.Dot{Replica: r, Seq: seq}) {
				wantChanged = true
			}
		}
		if changed := got.AddRange(r, from, to); changed != wantChanged || !got.Equal(&want) {
			t.Fatalf("AddRange(%d, %d, %d) = %v, %v; adding one by one gives %v, %v", r, from, to, changed, got.String(), wantChanged, want.String())
		}
	}
	var c clock.CausalContext
	if !c.AddRange(7, 1, 1<<40) || c.CloudLen() != 0 || !c.Contains(clock.Dot{Replica: 7, Seq: 1 << 40}) || c.Contains(clock.Dot{Replica: 7, Seq: 1<<40 + 1}) {
		t.Fatalf("a prefix range of 2^40 dots: %v", c.String())
	}
	if c.AddRange(7, 0, 0) || c.AddRange(7, 9, 3) {
		t.Fatal("an empty range changed the context")
	}
}
