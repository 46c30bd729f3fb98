package orset

import (
	"bytes"
	"testing"
)

// FuzzDecodeSet feeds arbitrary bytes to the decoder: it must never panic,
// and whatever it accepts must re-encode to the same bytes (the decoder
// accepts only canonical encodings) and decode again to an equal set.
func FuzzDecodeSet(f *testing.F) {
	s := New()
	s.Add(replicaA, "a", "b")
	good, _ := s.AppendBinary(nil)
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Set
		if err := x.UnmarshalBinary(data); err != nil {
			return
		}
		again, err := x.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted a non-canonical encoding:\n in  %x\n out %x", data, again)
		}
		var y Set
		if err := y.UnmarshalBinary(again); err != nil || !y.Equal(&x) {
			t.Fatalf("re-decode: %v", err)
		}
		x.Members()
		x.Merge(&y)
	})
}
