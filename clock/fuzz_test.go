package clock_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/: real encodings and a
// few rejected ones for the fuzzer to mutate.

// FuzzDecodeVersionVector checks that the decoder never panics, fails only
// with ErrMalformed, and accepts only canonical input: what it accepts
// re-encodes to the same bytes and decodes again to an equal vector.
func FuzzDecodeVersionVector(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var v clock.VersionVector
		if err := v.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, clock.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		enc := encodeVV(t, &v)
		if !bytes.Equal(enc, data) {
			t.Fatalf("accepted %x, which re-encodes to %x", data, enc)
		}
		var again clock.VersionVector
		if err := again.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
		if !again.Equal(&v) {
			t.Fatalf("decode(encode(%s)) = %s", v.String(), again.String())
		}
	})
}

// FuzzDecodeCausalContext checks the same for causal contexts, and that
// every accepted context is compact.
func FuzzDecodeCausalContext(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var c clock.CausalContext
		if err := c.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, clock.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		checkCompact(t, &c)
		enc := encodeCC(t, &c)
		if !bytes.Equal(enc, data) {
			t.Fatalf("accepted %x, which re-encodes to %x", data, enc)
		}
		var again clock.CausalContext
		if err := again.UnmarshalBinary(enc); err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
		if !again.Equal(&c) {
			t.Fatalf("decode(encode(%s)) = %s", c.String(), again.String())
		}
		for x := range c.Ranges {
			for _, seq := range []uint64{x.First - 1, x.First, x.Last, x.Last + 1} {
				d := clock.Dot{Replica: x.Replica, Seq: seq}
				if again.Contains(d) != c.Contains(d) || c.Contains(d) != (seq >= x.First && seq <= x.Last) {
					t.Fatalf("cloud range %v: dot %v wrong after the round trip", x, d)
				}
			}
		}
	})
}
