package hash

import (
	"strconv"
	"testing"
)

// BenchmarkIncrBy measures HINCRBY on an existing field of a 1,000-field
// hash, returning the delta, beside the floor of the same increment on a
// plain map[string]int64.
func BenchmarkIncrBy(b *testing.B) {
	b.Run("hash", func(b *testing.B) {
		h := New()
		for i := range 1000 {
			h.Set(at(replicaA, 1), Pair{strconv.Itoa(i), "0"})
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := h.IncrBy(replicaA, "500", 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor=map", func(b *testing.B) {
		m := make(map[string]int64)
		for i := range 1000 {
			m[strconv.Itoa(i)] = 0
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			m["500"]++
		}
	})
}

// BenchmarkSet measures HSET of an existing field, returning the delta.
func BenchmarkSet(b *testing.B) {
	h := New()
	h.Set(at(replicaA, 1), Pair{"f", "0"})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Set(at(replicaA, int64(i)), Pair{"f", "v"})
	}
}

// BenchmarkMergeDelta merges one HINCRBY delta from another replica into a
// 1,000-field hash.
func BenchmarkMergeDelta(b *testing.B) {
	h := New()
	for i := range 1000 {
		h.Set(at(replicaA, 1), Pair{strconv.Itoa(i), "0"})
	}
	remote := h.Clone()
	deltas := make([]*Hash, 1024)
	for i := range deltas {
		deltas[i], _, _ = remote.IncrBy(replicaB, "500", 1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Merge(deltas[i%len(deltas)])
	}
}
