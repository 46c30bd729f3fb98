package ostree

import (
	"cmp"
	"math/rand/v2"
	"testing"

	"github.com/google/btree"
)

const benchN = 100_000

func filled(n int) *Tree[int] {
	t := New[int]()
	for i := range n {
		t.Insert(t.End(), i, 1)
	}
	return t
}

// BenchmarkInsertAtIndex inserts at random item indexes into a tree of
// benchN items (then deletes, to keep the size).
func BenchmarkInsertAtIndex(b *testing.B) {
	t := filled(benchN)
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		i := rng.IntN(t.Len() + 1)
		t.Insert(t.AtIndex(i), i, 1)
		t.Delete(t.AtIndex(rng.IntN(t.Len())))
	}
}

// BenchmarkFindWeight finds random weighted positions.
func BenchmarkFindWeight(b *testing.B) {
	t := filled(benchN)
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		t.FindWeight(rng.IntN(benchN))
	}
}

// BenchmarkPosition asks where random items stand.
func BenchmarkPosition(b *testing.B) {
	t := filled(benchN)
	rng := rand.New(rand.NewPCG(1, 1))
	cs := make([]Cursor[int], 1024)
	for i := range cs {
		cs[i] = t.AtIndex(rng.IntN(benchN))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t.Position(cs[i&1023])
		i++
	}
}

// BenchmarkSearch looks up random keys in a sorted tree, beside
// github.com/google/btree doing the same.
func BenchmarkSearch(b *testing.B) {
	keys := make([]int, 1024)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range keys {
		keys[i] = rng.IntN(benchN)
	}
	b.Run("ostree", func(b *testing.B) {
		t := filled(benchN)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			k := keys[i&1023]
			t.Search(func(x *int) int { return cmp.Compare(*x, k) })
			i++
		}
	})
	b.Run("btree", func(b *testing.B) {
		t := btree.NewOrderedG[int](32)
		for i := range benchN {
			t.ReplaceOrInsert(i)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			t.Get(keys[i&1023])
			i++
		}
	})
}

// BenchmarkQueue appends at the end and deletes from the front, the shape
// of a job queue.
func BenchmarkQueue(b *testing.B) {
	t := filled(1000)
	b.ReportAllocs()
	for b.Loop() {
		t.Insert(t.End(), 1, 1)
		t.Delete(t.Begin())
	}
}

// BenchmarkClone copies a tree of benchN items.
func BenchmarkClone(b *testing.B) {
	t := filled(benchN)
	b.ReportAllocs()
	for b.Loop() {
		t.Clone()
	}
}
