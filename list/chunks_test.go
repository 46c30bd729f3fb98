package list

import (
	"slices"
	"testing"
)

// chunksOf returns the records xs as a chunks.
func chunksOf[T any](xs []T) chunks[T] {
	var c chunks[T]
	for _, x := range xs {
		c.push(x)
	}
	return c
}

// TestChunksAgainstSlice pushes past several chunk boundaries and checks
// every read against a plain slice holding the same records.
func TestChunksAgainstSlice(t *testing.T) {
	for _, n := range []int{0, 1, 2, recChunkLen - 1, recChunkLen, recChunkLen + 1, 3*recChunkLen + 5} {
		var c chunks[int]
		var want []int
		for i := range n {
			c.push(i * 7)
			want = append(want, i*7)
			if got := *c.last(); got != i*7 {
				t.Fatalf("n=%d: last after push %d = %d", n, i, got)
			}
		}
		if c.len() != n {
			t.Fatalf("n=%d: len = %d", n, c.len())
		}
		for i, w := range want {
			if got := *c.at(i); got != w {
				t.Fatalf("n=%d: at(%d) = %d, want %d", n, i, got, w)
			}
		}
		var seen []int
		for x := range c.all() {
			seen = append(seen, *x)
		}
		if !slices.Equal(seen, want) || !slices.Equal(c.flat(), want) {
			t.Fatalf("n=%d: all or flat differs from the pushed records", n)
		}
		if n > 0 {
			*c.at(n - 1) = -1
			if *c.last() != -1 {
				t.Fatalf("n=%d: at and last name different records", n)
			}
		}
		var d chunks[int]
		d.push(5)
		d.pushAll(&c)
		if got := d.flat(); !slices.Equal(got, append([]int{5}, c.flat()...)) {
			t.Fatalf("n=%d: pushAll gave %d records, not 5 then c's", n, len(got))
		}
		c.reset()
		if c.len() != 0 || len(c.flat()) != 0 {
			t.Fatalf("n=%d: %d records after reset", n, c.len())
		}
	}
}

// TestChunksKeep keeps records by several rules, across chunk boundaries,
// and checks the result, its length and later pushes against a slice.
func TestChunksKeep(t *testing.T) {
	rules := map[string]func(i int) bool{
		"all":   func(int) bool { return true },
		"none":  func(int) bool { return false },
		"even":  func(i int) bool { return i%2 == 0 },
		"first": func(i int) bool { return i == 0 },
		"last":  func(i int) bool { return i == 3*recChunkLen+4 || i == recChunkLen || i == 9 },
		"head":  func(i int) bool { return i < recChunkLen+3 && i != 5 },
	}
	for _, n := range []int{0, 10, recChunkLen, recChunkLen + 1, 3*recChunkLen + 5} {
		for name, keep := range rules {
			var want []int
			for i := range n {
				if keep(i) {
					want = append(want, i)
				}
			}
			xs := make([]int, n)
			for i := range xs {
				xs[i] = i
			}
			c := chunksOf(xs)
			c.keep(keep)
			c.push(-1)
			want = append(want, -1)
			var got []int
			for x := range c.all() {
				got = append(got, *x)
			}
			if c.len() != len(want) || !slices.Equal(got, want) || *c.last() != -1 {
				t.Fatalf("n=%d keep %s: len %d, got %v, want %v", n, name, c.len(), got, want)
			}
		}
	}
}
