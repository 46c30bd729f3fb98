package clock_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
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

// TestAddRangeToMaxSeq checks ranges and vectors that reach the largest
// Seq: the ranges they cover must go, so that equal sets stay Equal and
// encode alike.
func TestAddRangeToMaxSeq(t *testing.T) {
	const top = math.MaxUint64
	tests := []struct {
		name string
		c    func() clock.CausalContext
		want string
	}{
		{"a cloud range swallows one below it", func() (c clock.CausalContext) {
			c.AddRange(1, 10, 20)
			c.AddRange(1, 5, top)
			return c
		}, "{}+[1.5-18446744073709551615]"},
		{"the vector swallows a cloud range", func() (c clock.CausalContext) {
			c.AddRange(1, 10, 20)
			c.AddRange(1, 1, top)
			return c
		}, "{1:18446744073709551615}"},
		{"a merged vector swallows a cloud range", func() (c clock.CausalContext) {
			c.AddRange(2, 7, 9)
			var o clock.CausalContext
			o.AddRange(2, 1, top)
			c.Merge(&o)
			return c
		}, "{2:18446744073709551615}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c()
			if got := c.String(); got != tt.want {
				t.Fatalf("context %s, want %s", got, tt.want)
			}
			wantCloud := 0
			if strings.Contains(tt.want, "+") {
				wantCloud = 1
			}
			if c.CloudLen() != wantCloud {
				t.Fatalf("CloudLen %d, want %d", c.CloudLen(), wantCloud)
			}
		})
	}
}

// TestCloneIsARead clones a context with a large cloud from several
// goroutines at once: under -race, Clone must not write to its receiver.
func TestCloneIsARead(t *testing.T) {
	var c clock.CausalContext
	for i := range uint64(100) {
		c.Add(clock.Dot{Replica: clock.ReplicaID(i % 3), Seq: 10 + 2*i})
	}
	want := c.String()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				d := c.Clone()
				d.Add(clock.Dot{Replica: 1, Seq: 11})
			}
		})
	}
	wg.Wait()
	if c.String() != want {
		t.Fatalf("cloning changed the context to %s", c.String())
	}
}
