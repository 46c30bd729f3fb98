package register_test

import (
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge/mergetest"
	"github.com/redcrdt/redcrdt/register"
)

// The seed corpora live in testdata/fuzz/<target>; these f.Add seeds add
// the encodings the tests build.

func FuzzDecodeLWW(f *testing.F) {
	withClear := concurrentLWW()
	withClear.Clear(1)
	for _, r := range []*register.LWW{register.NewLWW(), concurrentLWW(), withClear, withClear.Set(clock.Stamp{Time: 9, Replica: 1}, "\x00")} {
		b, _ := r.AppendBinary(nil)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := mergetest.CheckDecode(t, data, register.NewLWW)
		if !ok {
			return
		}
		// A decoded register is usable: reads and merges do not panic.
		r.Get()
		_ = r.String()
		concurrentLWW().Merge(r)
		r.Merge(concurrentLWW())
		r.Set(clock.Stamp{Time: 1, Replica: 1}, "x")
	})
}

func FuzzDecodeTTL(f *testing.F) {
	withReset := concurrentTTL()
	withReset.Reset(1)
	for _, r := range []*register.TTL{register.NewTTL(), concurrentTTL(), withReset, withReset.Expire(1, -5)} {
		b, _ := r.AppendBinary(nil)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := mergetest.CheckDecode(t, data, register.NewTTL)
		if !ok {
			return
		}
		r.Deadline()
		r.Remaining(0)
		_ = r.String()
		concurrentTTL().Merge(r)
		r.Merge(concurrentTTL())
		r.Persist(1)
	})
}
