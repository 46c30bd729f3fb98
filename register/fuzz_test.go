package register_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
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
		var r register.LWW
		if err := r.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, register.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		enc, _ := r.AppendBinary(nil)
		if !bytes.Equal(enc, data) {
			t.Fatalf("re-encoding differs: an accepted encoding is not canonical\n in  %x\n out %x", data, enc)
		}
		var again register.LWW
		if err := again.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if !again.Equal(&r) {
			t.Fatalf("decode → encode → decode gives %v; want %v", &again, &r)
		}
		// A decoded register is usable: reads and merges do not panic.
		r.Get()
		_ = r.String()
		concurrentLWW().Merge(&r)
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
		var r register.TTL
		if err := r.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, register.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		enc, _ := r.AppendBinary(nil)
		if !bytes.Equal(enc, data) {
			t.Fatalf("re-encoding differs: an accepted encoding is not canonical\n in  %x\n out %x", data, enc)
		}
		var again register.TTL
		if err := again.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if !again.Equal(&r) {
			t.Fatalf("decode → encode → decode gives %v; want %v", &again, &r)
		}
		r.Deadline()
		r.Remaining(0)
		_ = r.String()
		concurrentTTL().Merge(&r)
		r.Merge(concurrentTTL())
		r.Persist(1)
	})
}
