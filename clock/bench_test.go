package clock_test

import (
	"testing"
	"time"

	"github.com/redcrdt/redcrdt/clock"
)

// BenchmarkTimeNow is the floor under HLC.Now on the system clock: what
// reading the wall clock costs on this machine.
func BenchmarkTimeNow(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = time.Now().UnixMilli()
	}
}

// BenchmarkSystemSource adds the Source interface call to BenchmarkTimeNow.
func BenchmarkSystemSource(b *testing.B) {
	b.ReportAllocs()
	src := clock.SystemSource
	for b.Loop() {
		_ = src.UnixMilli()
	}
}

func BenchmarkHLCNow(b *testing.B) {
	sources := []struct {
		name string
		src  clock.Source
	}{
		{"system", clock.SystemSource},
		// A manual source that never moves: every 65,536th call spends
		// the counter and sleeps (which advances the source).
		{"manual", clock.NewManualSource(1_700_000_000_000)},
	}
	for _, s := range sources {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			c := clock.NewHLC(s.src, 500*time.Millisecond)
			for b.Loop() {
				_ = c.Now()
			}
		})
	}
}

func BenchmarkHLCNowParallel(b *testing.B) {
	b.ReportAllocs()
	c := clock.NewHLC(clock.SystemSource, 500*time.Millisecond)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = c.Now()
		}
	})
}

func BenchmarkObserve(b *testing.B) {
	b.Run("behind", func(b *testing.B) {
		// The common case: the remote reading is older than ours.
		b.ReportAllocs()
		c := clock.NewHLC(clock.SystemSource, 500*time.Millisecond)
		remote := c.Now() - 1
		for b.Loop() {
			c.Observe(remote)
		}
	})
	b.Run("ahead", func(b *testing.B) {
		// Every remote reading moves the clock forward.
		b.ReportAllocs()
		c := clock.NewHLC(clock.SystemSource, 500*time.Millisecond)
		remote := c.Now()
		for b.Loop() {
			remote++
			c.Observe(remote)
		}
	})
	b.Run("no-skew-check", func(b *testing.B) {
		// maxOffset 0: Observe does not read the Source.
		b.ReportAllocs()
		c := clock.NewHLC(clock.SystemSource, 0)
		remote := c.Now()
		for b.Loop() {
			remote++
			c.Observe(remote)
		}
	})
}

const bigCloud = 100_000

// bigContext returns a context whose replica 1 has bigCloud dots past a
// gap, seqs 2, 4, …, 2·bigCloud, and whose replica 2 has the vector entry
// 1000.
func bigContext() clock.CausalContext {
	var c clock.CausalContext
	for i := uint64(1); i <= bigCloud; i++ {
		c.Add(clock.Dot{Replica: 1, Seq: 2 * i})
	}
	for seq := uint64(1); seq <= 1000; seq++ {
		c.Add(clock.Dot{Replica: 2, Seq: seq})
	}
	if c.CloudLen() != bigCloud {
		panic("bigContext: cloud has the wrong size")
	}
	return c
}

func BenchmarkCausalContextAdd(b *testing.B) {
	base := bigContext()
	b.Run("cloud", func(b *testing.B) {
		// Each Add puts a new dot in the big cloud: odd seqs 3, 5, …, all
		// past the gap at 1. When they run out, the context is rebuilt
		// with the timer stopped.
		b.ReportAllocs()
		const fresh = bigCloud - 1
		c := base.Clone()
		for i := 0; i < b.N; i++ {
			k := uint64(i % fresh)
			if k == 0 && i > 0 {
				b.StopTimer()
				c = base.Clone()
				b.StartTimer()
			}
			if !c.Add(clock.Dot{Replica: 1, Seq: 3 + 2*k}) {
				b.Fatal("Add of a new dot returned false")
			}
		}
	})
	b.Run("vector", func(b *testing.B) {
		// Each Add continues replica 3's prefix.
		b.ReportAllocs()
		c := base.Clone()
		for i := 0; i < b.N; i++ {
			c.Add(clock.Dot{Replica: 3, Seq: uint64(i) + 1})
		}
	})
	b.Run("present", func(b *testing.B) {
		b.ReportAllocs()
		c := base.Clone()
		for i := 0; i < b.N; i++ {
			c.Add(clock.Dot{Replica: 1, Seq: 2 + 2*uint64(i%bigCloud)})
		}
	})
}

func BenchmarkCausalContextContains(b *testing.B) {
	c := bigContext()
	cases := []struct {
		name string
		dot  func(i uint64) clock.Dot
		want bool
	}{
		{"hit-cloud", func(i uint64) clock.Dot { return clock.Dot{Replica: 1, Seq: 2 + 2*(i%bigCloud)} }, true},
		{"miss-gap", func(i uint64) clock.Dot { return clock.Dot{Replica: 1, Seq: 1 + 2*(i%bigCloud)} }, false},
		{"hit-vector", func(i uint64) clock.Dot { return clock.Dot{Replica: 2, Seq: 1 + i%1000} }, true},
		{"miss-replica", func(i uint64) clock.Dot { return clock.Dot{Replica: 9, Seq: 1 + i%1000} }, false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if c.Contains(tc.dot(uint64(i))) != tc.want {
					b.Fatal("wrong answer")
				}
			}
		})
	}
}

// BenchmarkCausalContextMerge merges a one-dot context (a delta's) into the
// big one.
func BenchmarkCausalContextMerge(b *testing.B) {
	base := bigContext()
	const batch = 4096
	b.Run("new-cloud-dot", func(b *testing.B) {
		b.ReportAllocs()
		deltas := make([]clock.CausalContext, batch)
		for k := range deltas {
			deltas[k].Add(clock.Dot{Replica: 1, Seq: 3 + 2*uint64(k)})
		}
		c := base.Clone()
		for i := 0; i < b.N; i++ {
			k := i % batch
			if k == 0 && i > 0 {
				b.StopTimer()
				c = base.Clone()
				b.StartTimer()
			}
			if !c.Merge(&deltas[k]) {
				b.Fatal("Merge of a new dot reported no change")
			}
		}
	})
	b.Run("new-vector-dot", func(b *testing.B) {
		// Deltas {r:1} for fresh replicas r: the vector path.
		b.ReportAllocs()
		deltas := make([]clock.CausalContext, batch)
		for k := range deltas {
			deltas[k].Add(clock.Dot{Replica: clock.ReplicaID(10 + k), Seq: 1})
		}
		c := base.Clone()
		for i := 0; i < b.N; i++ {
			k := i % batch
			if k == 0 && i > 0 {
				b.StopTimer()
				c = base.Clone()
				b.StartTimer()
			}
			if !c.Merge(&deltas[k]) {
				b.Fatal("Merge of a new dot reported no change")
			}
		}
	})
	b.Run("present-dot", func(b *testing.B) {
		// A duplicate delivery: nothing changes.
		b.ReportAllocs()
		var delta clock.CausalContext
		delta.Add(clock.Dot{Replica: 1, Seq: 4})
		c := base.Clone()
		for b.Loop() {
			if c.Merge(&delta) {
				b.Fatal("Merge of a present dot reported a change")
			}
		}
	})
}

func BenchmarkCausalContextEncoding(b *testing.B) {
	c := bigContext()
	enc, _ := c.AppendBinary(nil)
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(enc)))
		buf := make([]byte, 0, len(enc))
		for b.Loop() {
			buf, _ = c.AppendBinary(buf[:0])
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(enc)))
		var out clock.CausalContext
		for b.Loop() {
			if err := out.UnmarshalBinary(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCausalContextAddRange adds a range of 2^20 dots past a gap,
// then the dot that fills the gap, so the range joins the vector: the cost
// follows the ranges, not the dots.
func BenchmarkCausalContextAddRange(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var c clock.CausalContext
		c.AddRange(3, 2, 1<<20)
		c.Add(clock.Dot{Replica: 3, Seq: 1})
		if c.CloudLen() != 0 {
			b.Fatal("the range did not join the vector")
		}
	}
}
