package clock_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

// vv builds a vector from replica, seq pairs.
func vv(pairs ...uint64) clock.VersionVector {
	var v clock.VersionVector
	for i := 0; i < len(pairs); i += 2 {
		v.Advance(clock.ReplicaID(pairs[i]), pairs[i+1])
	}
	return v
}

func encodeVV(t testing.TB, v *clock.VersionVector) []byte {
	t.Helper()
	b, err := v.AppendBinary(nil)
	if err != nil {
		t.Fatalf("AppendBinary: %v", err)
	}
	return b
}

func TestVersionVectorAdvance(t *testing.T) {
	var v clock.VersionVector
	steps := []struct {
		r       clock.ReplicaID
		seq     uint64
		changed bool
		want    string
	}{
		{1, 0, false, "{}"}, // zero entries are never stored
		{1, 3, true, "{1:3}"},
		{1, 3, false, "{1:3}"},
		{1, 2, false, "{1:3}"}, // never lowers
		{2, 1, true, "{1:3 2:1}"},
		{1, 10, true, "{1:10 2:1}"},
		{0, math.MaxUint64, true, "{0:18446744073709551615 1:10 2:1}"},
	}
	for i, s := range steps {
		if got := v.Advance(s.r, s.seq); got != s.changed {
			t.Fatalf("step %d: Advance(%d, %d) = %v, want %v", i, s.r, s.seq, got, s.changed)
		}
		if got := v.String(); got != s.want {
			t.Fatalf("step %d: vector = %s, want %s", i, got, s.want)
		}
	}
	if v.Len() != 3 {
		t.Errorf("Len() = %d, want 3", v.Len())
	}
	if got := v.Replicas(); !slices.Equal(got, []clock.ReplicaID{0, 1, 2}) {
		t.Errorf("Replicas() = %v, want [0 1 2]", got)
	}
	if v.Get(1) != 10 || v.Get(9) != 0 {
		t.Errorf("Get(1), Get(9) = %d, %d; want 10, 0", v.Get(1), v.Get(9))
	}
}

func TestVersionVectorContains(t *testing.T) {
	v := vv(1, 3, 2, 1)
	tests := []struct {
		d    clock.Dot
		want bool
	}{
		{clock.Dot{Replica: 1, Seq: 1}, true},
		{clock.Dot{Replica: 1, Seq: 3}, true},
		{clock.Dot{Replica: 1, Seq: 4}, false},
		{clock.Dot{Replica: 2, Seq: 1}, true},
		{clock.Dot{Replica: 2, Seq: 2}, false},
		{clock.Dot{Replica: 3, Seq: 1}, false},
	}
	for _, tt := range tests {
		if got := v.Contains(tt.d); got != tt.want {
			t.Errorf("%v.Contains(%v) = %v, want %v", v.String(), tt.d, got, tt.want)
		}
	}
}

func TestVersionVectorMerge(t *testing.T) {
	tests := []struct {
		name    string
		a, b    clock.VersionVector
		want    string
		changed bool
	}{
		{"both empty", vv(), vv(), "{}", false},
		{"into empty", vv(), vv(1, 2), "{1:2}", true},
		{"from empty", vv(1, 2), vv(), "{1:2}", false},
		{"dominated", vv(1, 5, 2, 5), vv(1, 3, 2, 5), "{1:5 2:5}", false},
		{"pointwise max", vv(1, 5, 2, 1), vv(1, 3, 2, 4, 3, 1), "{1:5 2:4 3:1}", true},
		{"equal", vv(1, 5), vv(1, 5), "{1:5}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.b.String()
			if got := tt.a.Merge(&tt.b); got != tt.changed {
				t.Errorf("Merge changed = %v, want %v", got, tt.changed)
			}
			if got := tt.a.String(); got != tt.want {
				t.Errorf("Merge = %s, want %s", got, tt.want)
			}
			if tt.b.String() != before {
				t.Errorf("Merge modified its argument: %s, was %s", tt.b.String(), before)
			}
		})
	}
}

func TestVersionVectorMeet(t *testing.T) {
	tests := []struct {
		name string
		a, b clock.VersionVector
		want string
	}{
		{"empty", vv(), vv(1, 2), "{}"},
		{"pointwise min", vv(1, 5, 2, 1), vv(1, 3, 2, 4), "{1:3 2:1}"},
		{"missing replica drops out", vv(1, 5, 2, 1), vv(1, 7, 3, 9), "{1:5}"},
		{"equal", vv(1, 5, 2, 2), vv(1, 5, 2, 2), "{1:5 2:2}"},
	}
	for _, tt := range tests {
		got := tt.a.Meet(&tt.b)
		if got.String() != tt.want {
			t.Errorf("%s: Meet = %s, want %s", tt.name, got.String(), tt.want)
		}
		rev := tt.b.Meet(&tt.a)
		if !rev.Equal(&got) {
			t.Errorf("%s: Meet not commutative: %s vs %s", tt.name, rev.String(), got.String())
		}
		if !tt.a.Descends(&got) || !tt.b.Descends(&got) {
			t.Errorf("%s: Meet %s not below both inputs", tt.name, got.String())
		}
		// No zero entries: Len counts only the replicas shown.
		if got.Len() != strings.Count(tt.want, ":") {
			t.Errorf("%s: Meet Len() = %d for %s", tt.name, got.Len(), got.String())
		}
	}
}

func TestVersionVectorDescends(t *testing.T) {
	tests := []struct {
		a, b clock.VersionVector
		want bool
	}{
		{vv(), vv(), true},
		{vv(1, 1), vv(), true},
		{vv(), vv(1, 1), false},
		{vv(1, 3, 2, 2), vv(1, 3, 2, 2), true},
		{vv(1, 3, 2, 2), vv(1, 2), true},
		{vv(1, 3), vv(1, 2, 2, 1), false}, // concurrent: neither descends
		{vv(1, 2, 2, 1), vv(1, 3), false},
	}
	for _, tt := range tests {
		if got := tt.a.Descends(&tt.b); got != tt.want {
			t.Errorf("%s.Descends(%s) = %v, want %v", tt.a.String(), tt.b.String(), got, tt.want)
		}
	}
}

func TestVersionVectorEqualAndClone(t *testing.T) {
	var zero clock.VersionVector
	empty := zero.Clone()
	if !zero.Equal(&empty) || !empty.Equal(&zero) {
		t.Error("zero vector and its clone not Equal")
	}
	a := vv(1, 3, 2, 2)
	b := vv(2, 2, 1, 3)
	if !a.Equal(&b) {
		t.Error("vectors built in different orders not Equal")
	}
	c := a.Clone()
	c.Advance(1, 4)
	c.Advance(9, 1)
	if a.String() != "{1:3 2:2}" {
		t.Errorf("changing a clone changed the original: %s", a.String())
	}
	if a.Equal(&c) {
		t.Error("Equal ignores a changed entry")
	}
	d := vv(1, 3)
	if a.Equal(&d) || d.Equal(&a) {
		t.Error("Equal ignores a missing entry")
	}
}

func TestVersionVectorEncoding(t *testing.T) {
	tests := []struct {
		name string
		v    clock.VersionVector
		hex  string // the golden canonical encoding
	}{
		{"empty", vv(), "560100"},
		{"one", vv(1, 3), "5601010103"},
		{"sorted by replica", vv(300, 1, 1, 3), "5601020103ac0201"},
		{"max values", vv(math.MaxUint64, math.MaxUint64-1, 0, 1),
			"560102" + "0001" + "ffffffffffffffffff01" + "feffffffffffffffff01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := encodeVV(t, &tt.v)
			if hex.EncodeToString(got) != tt.hex {
				t.Fatalf("encoding = %x, want %s", got, tt.hex)
			}
			var back clock.VersionVector
			if err := back.UnmarshalBinary(got); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			if !back.Equal(&tt.v) {
				t.Fatalf("round trip = %s, want %s", back.String(), tt.v.String())
			}
			// AppendBinary appends.
			prefixed, _ := tt.v.AppendBinary([]byte("xy"))
			if !bytes.Equal(prefixed, append([]byte("xy"), got...)) {
				t.Fatalf("AppendBinary did not append: %x", prefixed)
			}
		})
	}
}

func TestVersionVectorCanonicalBytes(t *testing.T) {
	// The same vector reached along different paths encodes to one string.
	var a, b, c clock.VersionVector
	for _, r := range []clock.ReplicaID{5, 1, 9, 3, 7} {
		a.Advance(r, uint64(r)*2)
	}
	for _, r := range []clock.ReplicaID{9, 7, 5, 3, 1} {
		b.Advance(r, 1)
		b.Advance(r, uint64(r)*2)
	}
	c.Merge(&b)
	d := vv(1, 2, 3, 6)
	c.Merge(&d)
	want := encodeVV(t, &a)
	for i, v := range []*clock.VersionVector{&b, &c} {
		if got := encodeVV(t, v); !bytes.Equal(got, want) {
			t.Errorf("vector %d encodes to %x, want %x", i, got, want)
		}
	}
}

func TestVersionVectorDecodeRejects(t *testing.T) {
	valid := encodeVV(t, new(vv(1, 3, 2, 5)))
	tests := []struct {
		name string
		in   []byte
		want string // part of the error message
	}{
		{"empty", nil, "truncated header"},
		{"tag only", []byte{'V'}, "truncated header"},
		{"wrong tag", []byte{'C', 1, 0}, "wrong type tag"},
		{"wrong version", []byte{'V', 2, 0}, "unsupported version"},
		{"no count", []byte{'V', 1}, "bad varint"},
		{"truncated count", []byte{'V', 1, 0x80}, "bad varint"},
		{"truncated entry", []byte{'V', 1, 1, 1, 0x80}, "bad varint"},
		{"truncated last entry", func() []byte { b := encodeVV(t, new(vv(1, 300, 2, 5))); return b[:len(b)-1] }(), "bad varint"},
		{"count exceeds input", []byte{'V', 1, 2, 1, 3}, "count exceeds input"},
		{"huge count", append([]byte{'V', 1}, wire.AppendUvarint(nil, math.MaxUint64)...), "count exceeds input"},
		{"count 2^40", append(append([]byte{'V', 1}, wire.AppendUvarint(nil, 1<<40)...), 1, 1), "count exceeds input"},
		{"trailing bytes", append(slices.Clone(valid), 0), "trailing bytes"},
		{"non-ascending replicas", []byte{'V', 1, 2, 2, 1, 1, 1}, "replicas not ascending"},
		{"duplicate replica", []byte{'V', 1, 2, 1, 1, 1, 2}, "replicas not ascending"},
		{"zero entry", []byte{'V', 1, 1, 1, 0}, "zero entry"},
		{"zero entry after valid", []byte{'V', 1, 2, 1, 1, 2, 0}, "zero entry"},
		{"non-minimal replica varint", []byte{'V', 1, 1, 0x81, 0x00, 1}, "non-minimal varint"},
		{"non-minimal seq varint", []byte{'V', 1, 1, 1, 0x83, 0x00}, "non-minimal varint"},
		{"causal context", encodeCC(t, new(cc(dot(1, 1)))), "wrong type tag"},
		// A regression test for a review finding: Next then wrapped to Seq 0.
		{"entry MaxUint64", append([]byte{'V', 1, 1, 1}, wire.AppendUvarint(nil, math.MaxUint64)...), "end of the sequence space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := vv(7, 7)
			err := v.UnmarshalBinary(tt.in)
			if !errors.Is(err, clock.ErrMalformed) {
				t.Fatalf("UnmarshalBinary(%x) = %v, want ErrMalformed", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("UnmarshalBinary(%x) = %q, want it to mention %q", tt.in, err, tt.want)
			}
			if v.String() != "{7:7}" {
				t.Fatalf("failed decode changed the receiver to %s", v.String())
			}
		})
	}
}
