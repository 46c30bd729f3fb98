package wire_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/redcrdt/redcrdt/internal/wire"
)

// what returns the broken invariant err names, or "" for nil, and fails t
// unless err is a *wire.Error wrapping ErrMalformed.
func what(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	if !errors.Is(err, wire.ErrMalformed) {
		t.Fatalf("error %v does not wrap ErrMalformed", err)
	}
	var we *wire.Error
	if !errors.As(err, &we) {
		t.Fatalf("error %v is not a *wire.Error", err)
	}
	return we.What
}

func TestRoundTrip(t *testing.T) {
	var b []byte
	b = wire.AppendHeader(b, 'X', 3)
	uvarints := []uint64{0, 1, 127, 128, 300, math.MaxUint32, math.MaxUint64}
	for _, v := range uvarints {
		b = wire.AppendUvarint(b, v)
	}
	varints := []int64{0, -1, 1, -64, 64, math.MinInt64, math.MaxInt64}
	for _, v := range varints {
		b = wire.AppendVarint(b, v)
	}
	floats := []float64{0, math.Copysign(0, -1), 1.5, -2.25, math.Inf(1), math.MaxFloat64, math.SmallestNonzeroFloat64}
	for _, f := range floats {
		b = wire.AppendFloat(b, f)
	}
	b = wire.AppendBool(b, true)
	b = wire.AppendBool(b, false)
	b = wire.AppendString(b, "")
	b = wire.AppendString(b, "héllo")
	b = append(b, 0xAB)
	b = wire.AppendUvarint(b, 2) // a count of two 3-byte elements
	b = append(b, "abcdef"...)

	r := wire.NewReader(b)
	r.Header('X', 3, "test")
	for _, want := range uvarints {
		if got := r.Uvarint(); got != want {
			t.Errorf("Uvarint = %d, want %d", got, want)
		}
	}
	for _, want := range varints {
		if got := r.Varint(); got != want {
			t.Errorf("Varint = %d, want %d", got, want)
		}
	}
	for _, want := range floats {
		if got := r.Float(); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("Float = %v, want %v", got, want)
		}
	}
	if !r.Bool() || r.Bool() {
		t.Error("Bool did not return true, false")
	}
	if s := r.String(); s != "" {
		t.Errorf("String = %q, want empty", s)
	}
	if s := r.String(); s != "héllo" {
		t.Errorf("String = %q, want héllo", s)
	}
	if v := r.Byte(); v != 0xAB {
		t.Errorf("Byte = %#x, want 0xab", v)
	}
	if n := r.Count(3); n != 2 {
		t.Errorf("Count(3) = %d, want 2", n)
	}
	if r.Len() != 6 {
		t.Errorf("Len = %d, want 6", r.Len())
	}
	r.Byte()
	r.Byte()
	r.Byte()
	r.Byte()
	r.Byte()
	r.Byte()
	if err := r.Done("test"); err != nil {
		t.Fatalf("Done = %v", err)
	}
}

func TestAppendEncodings(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"header", wire.AppendHeader(nil, 'V', 1), []byte{'V', 1}},
		{"uvarint 0", wire.AppendUvarint(nil, 0), []byte{0}},
		{"uvarint 300", wire.AppendUvarint(nil, 300), []byte{0xAC, 0x02}},
		{"varint -1", wire.AppendVarint(nil, -1), []byte{0x01}},
		{"varint 1", wire.AppendVarint(nil, 1), []byte{0x02}},
		{"float 1", wire.AppendFloat(nil, 1), []byte{0, 0, 0, 0, 0, 0, 0xF0, 0x3F}},
		{"bool", wire.AppendBool(wire.AppendBool(nil, true), false), []byte{1, 0}},
		{"string", wire.AppendString([]byte{9}, "ab"), []byte{9, 2, 'a', 'b'}},
	}
	for _, tt := range tests {
		if !bytes.Equal(tt.got, tt.want) {
			t.Errorf("%s: got % x, want % x", tt.name, tt.got, tt.want)
		}
	}
}

// TestReaderFailures drives every Reader method into each of its failure
// modes and checks the invariant the error names.
func TestReaderFailures(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		read func(r *wire.Reader)
		want string // the broken invariant; "" if the read must succeed
	}{
		{"header empty", nil, func(r *wire.Reader) { r.Header('V', 1, "vv") }, "vv: truncated header"},
		{"header one byte", []byte{'V'}, func(r *wire.Reader) { r.Header('V', 1, "vv") }, "vv: truncated header"},
		{"header wrong tag", []byte{'C', 1}, func(r *wire.Reader) { r.Header('V', 1, "vv") }, "vv: wrong type tag"},
		{"header wrong version", []byte{'V', 2}, func(r *wire.Reader) { r.Header('V', 1, "vv") }, "vv: unsupported version"},
		{"header ok", []byte{'V', 1}, func(r *wire.Reader) { r.Header('V', 1, "vv") }, ""},

		{"uvarint empty", nil, func(r *wire.Reader) { r.Uvarint() }, "bad varint"},
		{"uvarint truncated", []byte{0x80}, func(r *wire.Reader) { r.Uvarint() }, "bad varint"},
		{"uvarint truncated long", []byte{0xFF, 0xFF, 0xFF}, func(r *wire.Reader) { r.Uvarint() }, "bad varint"},
		{"uvarint overflow", bytes.Repeat([]byte{0xFF}, 10), func(r *wire.Reader) { r.Uvarint() }, "bad varint"},
		{"uvarint overflow tenth byte", append(bytes.Repeat([]byte{0xFF}, 9), 0x02), func(r *wire.Reader) { r.Uvarint() }, "bad varint"},
		{"uvarint max", append(bytes.Repeat([]byte{0xFF}, 9), 0x01), func(r *wire.Reader) { r.Uvarint() }, ""},
		{"uvarint padded zero", []byte{0x80, 0x00}, func(r *wire.Reader) { r.Uvarint() }, "non-minimal varint"},
		{"uvarint padded one", []byte{0x81, 0x80, 0x00}, func(r *wire.Reader) { r.Uvarint() }, "non-minimal varint"},

		{"varint empty", nil, func(r *wire.Reader) { r.Varint() }, "bad varint"},
		{"varint truncated", []byte{0x81}, func(r *wire.Reader) { r.Varint() }, "bad varint"},
		{"varint overflow", bytes.Repeat([]byte{0xFF}, 11), func(r *wire.Reader) { r.Varint() }, "bad varint"},
		{"varint padded", []byte{0x82, 0x80, 0x00}, func(r *wire.Reader) { r.Varint() }, "non-minimal varint"},

		{"float truncated", []byte{1, 2, 3, 4, 5, 6, 7}, func(r *wire.Reader) { r.Float() }, "truncated float"},
		{"float empty", nil, func(r *wire.Reader) { r.Float() }, "truncated float"},

		{"byte empty", nil, func(r *wire.Reader) { r.Byte() }, "truncated"},

		{"bool two", []byte{2}, func(r *wire.Reader) { r.Bool() }, "bad bool"},
		{"bool 0xff", []byte{0xFF}, func(r *wire.Reader) { r.Bool() }, "bad bool"},
		{"bool empty", nil, func(r *wire.Reader) { r.Bool() }, "truncated"},

		{"count bad varint", []byte{0x80}, func(r *wire.Reader) { r.Count(1) }, "bad varint"},
		{"count exceeds input", []byte{3, 0, 0, 0, 0, 0}, func(r *wire.Reader) { r.Count(2) }, "count exceeds input"},
		{"count fits exactly", []byte{3, 0, 0, 0, 0, 0, 0}, func(r *wire.Reader) { r.Count(2) }, ""},
		{"count min size zero means one", []byte{2, 0}, func(r *wire.Reader) { r.Count(0) }, "count exceeds input"},
		{"count huge", wire.AppendUvarint(nil, math.MaxUint64), func(r *wire.Reader) { r.Count(1) }, "count exceeds input"},
		{"count 2^63", wire.AppendUvarint(nil, 1<<63), func(r *wire.Reader) { r.Count(1) }, "count exceeds input"},

		{"bytes bad length", []byte{0x80}, func(r *wire.Reader) { r.Bytes() }, "bad varint"},
		{"bytes length exceeds input", []byte{4, 'a', 'b', 'c'}, func(r *wire.Reader) { r.Bytes() }, "length exceeds input"},
		{"bytes huge length", wire.AppendUvarint(nil, math.MaxUint64), func(r *wire.Reader) { r.Bytes() }, "length exceeds input"},
		{"string length exceeds input", []byte{2, 'a'}, func(r *wire.Reader) { _ = r.String() }, "length exceeds input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := wire.NewReader(tt.in)
			tt.read(&r)
			if got := what(t, r.Err()); got != tt.want {
				t.Fatalf("Err = %q, want %q", got, tt.want)
			}
			if tt.want != "" && r.Len() != 0 {
				t.Errorf("Len after failure = %d, want 0", r.Len())
			}
		})
	}
}

func TestReaderZeroValuesAfterFailure(t *testing.T) {
	// Enough valid-looking bytes for every read, so only the kept error
	// can make them return zero values.
	r := wire.NewReader([]byte{'X', 1, 5, 5, 1, 1, 'a', 1, 2, 3, 4, 5, 6, 7, 8, 9})
	r.Header('V', 1, "vv")
	if v := r.Uvarint(); v != 0 {
		t.Errorf("Uvarint after failure = %d", v)
	}
	if v := r.Varint(); v != 0 {
		t.Errorf("Varint after failure = %d", v)
	}
	if v := r.Byte(); v != 0 {
		t.Errorf("Byte after failure = %d", v)
	}
	if v := r.Bool(); v {
		t.Error("Bool after failure = true")
	}
	if v := r.Float(); v != 0 {
		t.Errorf("Float after failure = %v", v)
	}
	if v := r.Count(1); v != 0 {
		t.Errorf("Count after failure = %d", v)
	}
	if v := r.Bytes(); v != nil {
		t.Errorf("Bytes after failure = %q", v)
	}
	if v := r.String(); v != "" {
		t.Errorf("String after failure = %q", v)
	}
	if got := what(t, r.Done("vv")); got != "vv: wrong type tag" {
		t.Errorf("Done = %q, want the first error", got)
	}
}

func TestReaderFirstErrorKept(t *testing.T) {
	r := wire.NewReader([]byte{0x80})
	r.Uvarint()
	r.Fail("second")
	r.Float()
	if got := what(t, r.Err()); got != "bad varint" {
		t.Fatalf("Err = %q, want the first failure", got)
	}

	r = wire.NewReader([]byte{1, 2, 3})
	r.Fail("first")
	r.Fail("second")
	if got := what(t, r.Done("x")); got != "first" {
		t.Fatalf("Done = %q, want first", got)
	}
	if r.Len() != 0 {
		t.Errorf("Len after Fail = %d, want 0", r.Len())
	}
}

func TestDone(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		read int // bytes to read before Done
		want string
	}{
		{"empty", nil, 0, ""},
		{"all read", []byte{1, 2}, 2, ""},
		{"trailing byte", []byte{1, 2}, 1, "thing: trailing bytes"},
		{"nothing read", []byte{7}, 0, "thing: trailing bytes"},
	}
	for _, tt := range tests {
		r := wire.NewReader(tt.in)
		for range tt.read {
			r.Byte()
		}
		if got := what(t, r.Done("thing")); got != tt.want {
			t.Errorf("%s: Done = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestBytesAliasesInput(t *testing.T) {
	in := []byte{2, 'a', 'b', 'c'}
	r := wire.NewReader(in)
	b := r.Bytes()
	if string(b) != "ab" || cap(b) != 2 {
		t.Fatalf("Bytes = %q (cap %d), want \"ab\" with cap 2", b, cap(b))
	}
	in[1] = 'z'
	if b[0] != 'z' {
		t.Error("Bytes returned a copy; documented to alias the input")
	}
	// Appending to the result must not overwrite the unread input.
	_ = append(b, 'X')
	if in[3] != 'c' {
		t.Error("append to Bytes result overwrote the input")
	}

	in = []byte{2, 'a', 'b'}
	r = wire.NewReader(in)
	s := r.String()
	in[1] = 'z'
	if s != "ab" {
		t.Errorf("String = %q after input changed; want a copy", s)
	}
}

func TestError(t *testing.T) {
	err := wire.Errorf("vv: zero entry")
	if got, want := err.Error(), "redcrdt: malformed encoding: vv: zero entry"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(fmt.Errorf("decode key: %w", err), wire.ErrMalformed) {
		t.Error("wrapped Error does not match ErrMalformed")
	}
	if got := wire.ErrMalformed.Error(); got != "redcrdt: malformed encoding" {
		t.Errorf("ErrMalformed = %q; the string must not change", got)
	}
}

func ExampleReader() {
	var b []byte
	b = wire.AppendHeader(b, 'P', 1)
	b = wire.AppendString(b, "alice")
	b = wire.AppendVarint(b, -7)

	r := wire.NewReader(b)
	r.Header('P', 1, "point")
	name := r.String()
	delta := r.Varint()
	fmt.Println(name, delta, r.Done("point"))

	r = wire.NewReader(b[:len(b)-1])
	r.Header('P', 1, "point")
	_ = r.String()
	r.Varint() // truncated: the error is kept and reported by Done
	err := r.Done("point")
	fmt.Println(errors.Is(err, wire.ErrMalformed), err)
	// Output:
	// alice -7 <nil>
	// true redcrdt: malformed encoding: bad varint
}
