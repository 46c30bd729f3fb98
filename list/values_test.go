package list

import (
	"strconv"
	"testing"
)

// TestValuesMixed stores one-byte values and longer ones in the same
// chunks, in both orders, and reads them back after overwrites, clears
// and a clone.
func TestValuesMixed(t *testing.T) {
	const n = 3000
	want := make([]string, n)
	var v values
	first := v.alloc(n)
	for i := range n {
		s := string(rune('a' + i%26))
		switch {
		case i%7 == 3:
			s = "long" + strconv.Itoa(i)
		case i%11 == 5:
			s = ""
		}
		want[i] = s
	}
	v.setRun(first, want[:n/2])
	for i := n / 2; i < n; i++ {
		v.set(first+uint32(i), want[i])
	}
	for i := 0; i < n; i += 5 {
		if i%2 == 0 {
			want[i] = "x"
		} else {
			want[i] = "overwritten"
		}
		v.overwrite(first+uint32(i), want[i])
	}
	c := v.clone()
	for i := range n {
		if got := v.get(first + uint32(i)); got != want[i] {
			t.Fatalf("slot %d: %q, want %q", i, got, want[i])
		}
		if got := c.get(first + uint32(i)); got != want[i] {
			t.Fatalf("clone, slot %d: %q, want %q", i, got, want[i])
		}
	}
	for i := range n - 1 {
		v.clear(first + uint32(i))
	}
	if got := v.get(first + n - 1); got != want[n-1] {
		t.Fatalf("last slot after clearing the others: %q, want %q", got, want[n-1])
	}
	for i := range len(v.chunks) - 1 {
		if !v.chunks[i].empty() {
			t.Fatalf("chunk %d of %d still held after clearing every slot before the last", i, len(v.chunks))
		}
	}
	if got := c.get(first); got != want[0] {
		t.Fatalf("clone after clearing the original: %q, want %q", got, want[0])
	}
}
