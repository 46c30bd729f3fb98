package list_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/list"
)

// FuzzDecodeList feeds arbitrary bytes to UnmarshalBinary: it must return
// nil or an error wrapping ErrMalformed, never panic, and a state it
// accepts must encode, merge and read without panicking, and decode again
// from its own encoding to an Equal state.
func FuzzDecodeList(f *testing.F) {
	for _, seed := range seedEncodings(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l := list.New()
		err := l.UnmarshalBinary(data)
		if err != nil {
			if !errors.Is(err, wire.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		enc, err := l.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		again := list.New()
		if err := again.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-decoding an accepted state: %v", err)
		}
		if !again.Equal(l) {
			t.Fatal("re-decoded state differs")
		}
		if enc2, _ := again.AppendBinary(nil); !bytes.Equal(enc, enc2) {
			t.Fatal("encoding is not canonical")
		}
		_ = l.Range(0, -1)
		other := build(t, "a", "b")
		other.Merge(l)
		l.Merge(other)
		// A state may have used up ra's sequence numbers (or the replica
		// IDs): then the push must fail with ErrFull and change nothing.
		before := l.Clone()
		if _, _, err := l.PushLeft(ra, "x"); err != nil {
			if !errors.Is(err, list.ErrFull) {
				t.Fatal(err)
			}
			if !l.Equal(before) {
				t.Fatal("a push that failed with ErrFull changed the list")
			}
		}
	})
}

// seedEncodings returns encodings of small states and deltas: the corpus
// in testdata/fuzz/FuzzDecodeList holds the same, and a state whose
// replica 1 has used its last sequence number (replica-out-of-seqs).
func seedEncodings(tb testing.TB) [][]byte {
	var out [][]byte
	add := func(l *list.List) {
		b, err := l.AppendBinary(nil)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	add(list.New())
	a := build(tb, "a", "b", "c")
	add(a)
	d, _, _ := a.PushLeft(rb, "x", "y")
	add(d)
	d, _, _, _ = a.PopRight(rb)
	add(d)
	d, _ = a.Set(stamp(5, rc), 0, "z")
	add(d)
	add(a)
	held := list.New()
	held.Merge(d) // an LSET of an element it lacks: held
	add(held)
	ctx := a.Context()
	a.Compact(ctx.Vector())
	add(a)
	// A DEL of a list long enough that its tombstones are indexed as a
	// range: the delta and the state after it.
	long := list.New()
	if _, _, err := long.PushRight(ra, slices.Repeat([]string{"v"}, 100)...); err != nil {
		tb.Fatal(err)
	}
	del, _ := long.Clear(rb)
	add(del)
	add(long)
	return out
}
