package hash

import (
	"bytes"
	"testing"
)

// FuzzDecodeHash feeds arbitrary bytes to the decoder: it must never panic,
// and whatever it accepts must re-encode to the same bytes and decode again
// to an equal hash.
func FuzzDecodeHash(f *testing.F) {
	h := New()
	h.Set(at(replicaA, 1), Pair{"a", "1"})
	good, _ := h.AppendBinary(nil)
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Hash
		if err := x.UnmarshalBinary(data); err != nil {
			return
		}
		again, _ := x.AppendBinary(nil)
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted a non-canonical encoding:\n in  %x\n out %x", data, again)
		}
		var y Hash
		if err := y.UnmarshalBinary(again); err != nil || !y.Equal(&x) {
			t.Fatalf("re-decode: %v", err)
		}
		x.GetAll()
		x.Merge(&y)
	})
}
