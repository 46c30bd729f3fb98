package orset

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// member returns the i-th 16-byte benchmark member.
func member(i int) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i)*0x9E3779B97F4A7C15)
	binary.LittleEndian.PutUint64(b[8:], uint64(i))
	return string(b[:])
}

func benchMembers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = member(i)
	}
	return out
}

func filled(n int) *Set {
	s := New()
	for _, m := range benchMembers(n) {
		s.Add(replicaA, m)
	}
	return s
}

// BenchmarkAdd measures SADD of new members into a set that already holds
// 100k, returning the delta; the floor is the same insert into a plain map.
func BenchmarkAdd(b *testing.B) {
	const base = 100_000
	b.Run("orset", func(b *testing.B) {
		fresh := benchMembers(base + b.N)
		s := New()
		for _, m := range fresh[:base] {
			s.Add(replicaA, m)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			s.Add(replicaA, fresh[base+i])
		}
	})
	b.Run("floor=map", func(b *testing.B) {
		fresh := benchMembers(base + b.N)
		m := make(map[string]struct{})
		for _, k := range fresh[:base] {
			m[k] = struct{}{}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			m[fresh[base+i]] = struct{}{}
		}
	})
}

// BenchmarkMergeDelta merges a one-member delta from another replica into
// sets of growing size; the cost must not grow with the set.
func BenchmarkMergeDelta(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			s := filled(n)
			remote := New()
			deltas := make([]*Set, 1024)
			for i := range deltas {
				deltas[i], _ = remote.Add(replicaB, member(n+i))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.Merge(deltas[i%len(deltas)])
			}
		})
	}
}

// BenchmarkMemory reports the heap held per member of a 1M-member set of
// 16-byte members (the members' bytes included), beside a plain
// map[string]struct{} of the same members.
func BenchmarkMemory(b *testing.B) {
	const n = 1_000_000
	measure := func(b *testing.B, build func() any) {
		for i := 0; i < b.N; i++ {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			x := build()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/member")
			runtime.KeepAlive(x)
		}
	}
	b.Run("orset", func(b *testing.B) {
		measure(b, func() any {
			s := New()
			for i := range n {
				s.Add(clock.ReplicaID(1), member(i))
			}
			return s
		})
	})
	b.Run("floor=map", func(b *testing.B) {
		measure(b, func() any {
			m := make(map[string]struct{})
			for i := range n {
				m[member(i)] = struct{}{}
			}
			return m
		})
	})
}
