package mergetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/redcrdt/redcrdt/merge"
)

// CheckDecode is the body of a decoder fuzz target. It decodes data into
// fresh() and returns (decoded, true) if the decoder accepted it, failing t
// unless re-encoding gives back data byte for byte (decoders accept only
// canonical encodings) and decoding that again gives an Equal state. A
// refusal must wrap merge.ErrMalformed; then it returns false. Callers go
// on to exercise the decoded state's reads and merges.
func CheckDecode[T merge.State[T]](t testing.TB, data []byte, fresh func() T) (decoded T, ok bool) {
	t.Helper()
	x := fresh()
	if err := x.UnmarshalBinary(data); err != nil {
		if !errors.Is(err, merge.ErrMalformed) {
			t.Fatalf("decode error %v does not wrap merge.ErrMalformed", err)
		}
		return decoded, false
	}
	enc, err := x.AppendBinary(nil)
	if err != nil {
		t.Fatalf("re-encoding a decoded state: %v", err)
	}
	if !bytes.Equal(enc, data) {
		t.Fatalf("re-encoding differs: an accepted encoding is not canonical\n in  %x\n out %x", data, enc)
	}
	again := fresh()
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("re-encoding does not decode: %v", err)
	}
	if !again.Equal(x) {
		t.Fatalf("decode → encode → decode is not Equal to the first decode")
	}
	return x, true
}
