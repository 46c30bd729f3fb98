package orset

import (
	"testing"

	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// FuzzDecodeSet feeds arbitrary bytes to the decoder: it must never panic,
// and whatever it accepts must be canonical and usable.
func FuzzDecodeSet(f *testing.F) {
	s := New()
	s.Add(replicaA, "a", "b")
	good, _ := s.AppendBinary(nil)
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		x, ok := mergetest.CheckDecode(t, data, New)
		if !ok {
			return
		}
		x.Members()
		x.Merge(s)
		s.Clone().Merge(x)
	})
}
