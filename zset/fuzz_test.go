package zset

import (
	"bytes"
	"math"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder: it must never panic,
// and whatever it accepts must re-encode to the same bytes (the decoder
// accepts only canonical encodings), decode again to an equal set, answer
// reads, and merge both ways with a real set keeping every index
// consistent.
func FuzzDecode(f *testing.F) {
	s := goldenSet(f)
	f.Add(encoded(f, s))
	d1, _, _ := s.Add(stamp(3000, replicaC), AddOptions{}, p("a", math.Inf(1)), p("z", -1))
	f.Add(encoded(f, d1))
	d2, _ := s.Remove(replicaB, "a", "b")
	f.Add(encoded(f, d2))
	f.Add(encoded(f, s.Clear(replicaA)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Set
		if err := x.UnmarshalBinary(data); err != nil {
			return
		}
		again := encoded(t, &x)
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted a non-canonical encoding:\n in  %x\n out %x", data, again)
		}
		var y Set
		if err := y.UnmarshalBinary(again); err != nil || !y.Equal(&x) {
			t.Fatalf("re-decode: %v", err)
		}
		checkIndex(t, &x)
		x.Range(0, -1)
		x.RevRange(0, 3)
		x.Count(ScoreBound{Value: math.Inf(-1)}, ScoreBound{Value: 0})
		x.LexCount(LexBound{Inf: -1}, LexBound{Member: "m"})
		real := goldenSet(t)
		real.Merge(&x)
		checkIndex(t, real)
		x.Merge(goldenSet(t))
		checkIndex(t, &x)
		if _, _, err := x.Add(stamp(5000, replicaA), AddOptions{}, p("a", 1)); err != nil {
			t.Fatal(err)
		}
		x.Clear(replicaB)
		checkIndex(t, &x)
	})
}
