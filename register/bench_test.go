package register_test

import (
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/register"
)

func stampAt(i int, id clock.ReplicaID) clock.Stamp {
	return clock.Stamp{Time: clock.NewTimestamp(1_700_000_000_000+int64(i), 0), Replica: id}
}

func BenchmarkLWWSet(b *testing.B) {
	r := register.NewLWW()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Set(stampAt(i, 1), "value")
	}
}

func BenchmarkLWWGet(b *testing.B) {
	for _, n := range []int{1, 3} {
		b.Run(map[int]string{1: "one-entry", 3: "three-concurrent"}[n], func(b *testing.B) {
			r := register.NewLWW()
			for id := range n {
				r.Merge(register.NewLWW().Set(stampAt(id, clock.ReplicaID(id+1)), "value"))
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := r.Get(); !ok {
					b.Fatal("no value")
				}
			}
		})
	}
}

// BenchmarkLWWMergeDelta merges a one-write delta from another replica, as
// replication does for every remote SET.
func BenchmarkLWWMergeDelta(b *testing.B) {
	const batch = 1024
	src, dst := register.NewLWW(), register.NewLWW()
	dst.Set(stampAt(0, 1), "local")
	deltas := make([]*register.LWW, batch)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%batch == 0 {
			b.StopTimer()
			for j := range deltas {
				deltas[j] = src.Set(stampAt(i+j, 2), "remote")
			}
			b.StartTimer()
		}
		if !dst.Merge(deltas[i%batch]) {
			b.Fatal("delta changed nothing")
		}
	}
}

func BenchmarkTTLExpire(b *testing.B) {
	r := register.NewTTL()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Expire(1, 1_700_000_000_000+int64(i))
	}
}

func BenchmarkTTLDeadline(b *testing.B) {
	r := register.NewTTL()
	r.Expire(1, 1_700_000_000_000)
	r.Merge(register.NewTTL().Expire(2, 1_700_000_001_000))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.Deadline(); !ok {
			b.Fatal("no deadline")
		}
	}
}

// BenchmarkTTLMergeDelta merges a one-write delta from another replica.
func BenchmarkTTLMergeDelta(b *testing.B) {
	const batch = 1024
	src, dst := register.NewTTL(), register.NewTTL()
	dst.Expire(1, 1_700_000_000_000)
	deltas := make([]*register.TTL, batch)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%batch == 0 {
			b.StopTimer()
			for j := range deltas {
				deltas[j] = src.Expire(2, 1_700_000_000_000+int64(i+j))
			}
			b.StartTimer()
		}
		if !dst.Merge(deltas[i%batch]) {
			b.Fatal("delta changed nothing")
		}
	}
}
