package counter_test

import (
	"fmt"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
)

// populated returns a counter in which replicas 1…n have each made one
// increment (a float one if float is set).
func populated(b *testing.B, n int, float bool) *counter.Counter {
	b.Helper()
	c := counter.New()
	for id := range clock.ReplicaID(n) {
		var err error
		if float {
			_, err = c.IncrByFloat(id+1, 0.5)
		} else {
			_, err = c.IncrBy(id+1, 1)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	return c
}

var sizes = []int{10, 1000, 100_000}

func BenchmarkIncrBy(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("replicas=%d", n), func(b *testing.B) {
			c := populated(b, n, false)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.IncrBy(1, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIncrByFloat(b *testing.B) {
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("floatReplicas=%d", n), func(b *testing.B) {
			c := populated(b, n, true)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.IncrByFloat(1, 0.5); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMergeDelta1000Replicas merges the delta of one increment into a
// counter holding 1,000 replicas' totals, and into counters of 10 and
// 100,000 to show the cost does not grow with them. The deltas come from
// one replica (origin=one: the entries it touches stay in cache) or from
// every replica in turn (origin=all: at 100,000 replicas most map accesses
// miss the cache).
func BenchmarkMergeDelta1000Replicas(b *testing.B) {
	const batch = 1024
	for _, n := range sizes {
		for _, all := range []bool{false, true} {
			origin := "one"
			if all {
				origin = "all"
			}
			b.Run(fmt.Sprintf("replicas=%d/origin=%s", n, origin), func(b *testing.B) {
				target := populated(b, n, false)
				src := target.Clone()
				deltas := make([]*counter.Counter, batch)
				next := 0
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i += batch {
					b.StopTimer()
					for j := range deltas {
						id := clock.ReplicaID(1)
						if all {
							id = clock.ReplicaID(1 + next%n)
						}
						deltas[j], _ = src.Incr(id)
						next++
					}
					b.StartTimer()
					for _, d := range deltas[:min(batch, b.N-i)] {
						if !target.Merge(d) {
							b.Fatal("a new delta did not change the counter")
						}
					}
				}
			})
		}
	}
}

// BenchmarkMergeFull merges a full state of 1,000 replicas: one equal to
// the receiver (anti-entropy finding nothing), and one a step ahead on
// every replica.
func BenchmarkMergeFull(b *testing.B) {
	const n = 1000
	base := populated(b, n, false)
	b.Run("equal", func(b *testing.B) {
		target, src := base.Clone(), base.Clone()
		b.ReportAllocs()
		for b.Loop() {
			if target.Merge(src) {
				b.Fatal("changed")
			}
		}
	})
	b.Run("ahead", func(b *testing.B) {
		src := base.Clone()
		for id := range clock.ReplicaID(n) {
			src.Incr(id + 1)
		}
		const batch = 64
		targets := make([]*counter.Counter, batch)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i += batch {
			b.StopTimer()
			for j := range targets {
				targets[j] = base.Clone()
			}
			b.StartTimer()
			for _, t := range targets[:min(batch, b.N-i)] {
				t.Merge(src)
			}
		}
	})
}

func BenchmarkValue(b *testing.B) {
	for _, n := range []int{1, 1000} {
		ints, floats := populated(b, n, false), populated(b, n, true)
		b.Run(fmt.Sprintf("Int/replicas=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ints.Int()
			}
		})
		b.Run(fmt.Sprintf("Float/floatReplicas=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				floats.Float()
			}
		})
		b.Run(fmt.Sprintf("String/replicas=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = ints.String()
			}
		})
	}
}

func BenchmarkSet(b *testing.B) {
	c := populated(b, 1000, false)
	v := counter.IntNumber(7)
	b.ReportAllocs()
	var t clock.Timestamp
	for b.Loop() {
		t++
		if _, err := c.Set(clock.Stamp{Time: t, Replica: 1}, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReset(b *testing.B) {
	c := populated(b, 1000, false)
	b.ReportAllocs()
	for b.Loop() {
		c.Reset(1)
	}
}

func BenchmarkClone(b *testing.B) {
	c := populated(b, 1000, false)
	b.ReportAllocs()
	for b.Loop() {
		c.Clone()
	}
}

func BenchmarkAppendBinary(b *testing.B) {
	c := populated(b, 1000, false)
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = c.AppendBinary(buf[:0])
	}
}

func BenchmarkUnmarshalBinary(b *testing.B) {
	enc, _ := populated(b, 1000, false).AppendBinary(nil)
	b.ReportAllocs()
	for b.Loop() {
		var c counter.Counter
		if err := c.UnmarshalBinary(enc); err != nil {
			b.Fatal(err)
		}
	}
}
