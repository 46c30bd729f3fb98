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

// TestRun checks Run against asking Contains dot by dot, for runs up,
// down and flat over contexts whose clouds are inline, small and large.
func TestRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	large := 0 // rounds with a map cloud
	for round := range 4000 {
		var c clock.CausalContext
		dots := rng.IntN(8)
		if round%3 == 0 {
			dots = 40 + rng.IntN(80) // a map cloud
		}
		for range dots {
			seq := uint64(1 + rng.IntN(120))
			if round%3 == 0 {
				seq = uint64(5 + rng.IntN(200)) // gaps below: the dots stay in the cloud
			}
			c.Add(clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(2)), Seq: seq})
		}
		if c.CloudLen() > 32 {
			large++
		}
		step := rng.IntN(3) - 1
		d := clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(2)), Seq: uint64(1 + rng.IntN(210))}
		n := uint64(rng.IntN(60))
		if step < 0 {
			n = min(n, d.Seq)
		}
		in, k := c.Run(d, n, step)
		if in != c.Contains(d) {
			t.Fatalf("Run(%v, %d, %d) in = %v, Contains says %v; context %s", d, n, step, in, !in, c.String())
		}
		want := uint64(0)
		for want < n && c.Contains(clock.Dot{Replica: d.Replica, Seq: uint64(int64(d.Seq) + int64(want)*int64(step))}) == in {
			want++
		}
		if k != want {
			t.Fatalf("Run(%v, %d, %d) = %v, %d; dot by dot the run is %d; context %s", d, n, step, in, k, want, c.String())
		}
	}
	if large < 500 {
		t.Fatalf("only %d rounds had a large cloud", large)
	}
}
