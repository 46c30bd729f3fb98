package hash

import (
	"testing"

	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// FuzzDecodeHash feeds arbitrary bytes to the decoder: it must never panic,
// and whatever it accepts must be canonical and usable.
func FuzzDecodeHash(f *testing.F) {
	h := New()
	h.Set(at(replicaA, 1), Pair{"a", "1"})
	good, _ := h.AppendBinary(nil)
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		x, ok := mergetest.CheckDecode(t, data, New)
		if !ok {
			return
		}
		x.GetAll()
		x.Merge(h)
		h.Clone().Merge(x)
	})
}
