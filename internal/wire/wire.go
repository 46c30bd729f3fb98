// Package wire holds the canonical binary encoding shared by every redcrdt
// type: unsigned varints, length-prefixed strings and a bounded Reader that
// turns every malformed input into an error wrapping ErrMalformed.
//
// Every decoder in the module reads through a Reader, so the bounds live in
// one place: a count is accepted only if that many elements of the stated
// minimum size fit in the bytes that remain, which bounds every allocation
// by the size of the input.
package wire

import (
	"encoding/binary"
	"errors"
	"math"
)

// ErrMalformed is wrapped by every decoding error in redcrdt. The string
// crosses package boundaries in logs; do not change it.
var ErrMalformed = errors.New("redcrdt: malformed encoding")

// Error describes which invariant an encoded value broke. It unwraps to
// ErrMalformed.
type Error struct {
	What string
}

// Error returns "redcrdt: malformed encoding: " and the broken invariant.
func (e *Error) Error() string { return ErrMalformed.Error() + ": " + e.What }

// Unwrap returns ErrMalformed.
func (e *Error) Unwrap() error { return ErrMalformed }

// Errorf returns an *Error for the broken invariant what (a plain string,
// not a format).
func Errorf(what string) error { return &Error{What: what} }

// AppendHeader appends a value's type tag and encoding version.
func AppendHeader(b []byte, tag, version byte) []byte {
	return append(b, tag, version)
}

// AppendUvarint appends v as an unsigned varint.
func AppendUvarint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }

// AppendVarint appends v as a zig-zag signed varint.
func AppendVarint(b []byte, v int64) []byte { return binary.AppendVarint(b, v) }

// AppendFloat appends the IEEE-754 bits of f, little endian.
func AppendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// AppendString appends s with a varint length prefix.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// AppendBool appends 1 for true and 0 for false.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// Reader decodes a byte slice. The first failure is kept: later reads return
// zero values, so a decoder can read a whole structure and check Err once.
type Reader struct {
	buf []byte
	err error
}

// NewReader returns a Reader over b. The Reader does not copy b; strings it
// returns are copies.
func NewReader(b []byte) Reader { return Reader{buf: b} }

// Err returns the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Len returns the number of unread bytes.
func (r *Reader) Len() int { return len(r.buf) }

// Fail records the broken invariant what unless an earlier error is kept.
func (r *Reader) Fail(what string) {
	if r.err == nil {
		r.err = Errorf(what)
		r.buf = nil
	}
}

// Header reads and checks a type tag and version.
func (r *Reader) Header(tag, version byte, name string) {
	if len(r.buf) < 2 {
		r.Fail(name + ": truncated header")
		return
	}
	if r.buf[0] != tag {
		r.Fail(name + ": wrong type tag")
		return
	}
	if r.buf[1] != version {
		r.Fail(name + ": unsupported version")
		return
	}
	r.buf = r.buf[2:]
}

// Uvarint reads an unsigned varint. The varint must be in its shortest form,
// as AppendUvarint writes it, so that every value has one encoding.
func (r *Reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf)
	switch {
	case n <= 0:
		r.Fail("bad varint")
		return 0
	case n > 1 && r.buf[n-1] == 0:
		// binary.Uvarint accepts zero-padded forms such as 0x80 0x00;
		// a canonical encoding ends in a non-zero byte unless it is 0x00.
		r.Fail("non-minimal varint")
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

// Varint reads a zig-zag signed varint in its shortest form.
func (r *Reader) Varint() int64 {
	u := r.Uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// Float reads eight bytes of IEEE-754 bits.
func (r *Reader) Float() float64 {
	if r.err != nil {
		return 0
	}
	if len(r.buf) < 8 {
		r.Fail("truncated float")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.buf)
	r.buf = r.buf[8:]
	return math.Float64frombits(v)
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.buf) < 1 {
		r.Fail("truncated")
		return 0
	}
	v := r.buf[0]
	r.buf = r.buf[1:]
	return v
}

// Bool reads a byte that must be 0 or 1.
func (r *Reader) Bool() bool {
	switch r.Byte() {
	case 0:
		return false
	case 1:
		return true
	}
	r.Fail("bad bool")
	return false
}

// Count reads an element count and checks that count elements of at least
// minSize bytes each fit in what remains, so the caller may allocate count
// elements without trusting the input.
func (r *Reader) Count(minSize int) int {
	n := r.Uvarint()
	if r.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if n > uint64(len(r.buf)/minSize) {
		r.Fail("count exceeds input")
		return 0
	}
	return int(n)
}

// Bytes reads a length-prefixed byte string and returns a sub-slice of the
// input (not a copy).
func (r *Reader) Bytes() []byte {
	n := r.Uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.buf)) {
		r.Fail("length exceeds input")
		return nil
	}
	v := r.buf[:n:n]
	r.buf = r.buf[n:]
	return v
}

// String reads a length-prefixed string (a copy).
func (r *Reader) String() string { return string(r.Bytes()) }

// Done fails if bytes remain unread and returns the first error.
func (r *Reader) Done(name string) error {
	if r.err == nil && len(r.buf) != 0 {
		r.Fail(name + ": trailing bytes")
	}
	return r.err
}
