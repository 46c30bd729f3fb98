package hash

import (
	"fmt"
	"maps"
	"slices"

	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/register"
)

const (
	tag      = 'H'
	version1 = 1
)

// AppendBinary appends the canonical encoding of h: its field set, then
// every field's value state in ascending field order. It never fails.
func (h *Hash) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, tag, version1)
	fields, _ := h.fields.AppendBinary(nil)
	b = wire.AppendString(b, string(fields))
	b = wire.AppendUvarint(b, uint64(len(h.values)))
	for _, f := range slices.Sorted(maps.Keys(h.values)) {
		v := h.values[f]
		// A part a delta leaves out (nil) encodes as an empty string.
		var str, num []byte
		if v.str != nil {
			str, _ = v.str.AppendBinary(nil)
		}
		if v.num != nil {
			num, _ = v.num.AppendBinary(nil)
		}
		b = wire.AppendString(b, f)
		b = wire.AppendString(b, string(str))
		b = wire.AppendString(b, string(num))
	}
	return b, nil
}

// UnmarshalBinary replaces h with the hash encoded in data. It returns an
// error wrapping merge.ErrMalformed unless data is a canonical encoding in
// which every field of the set has a value state.
func (h *Hash) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(tag, version1, "hash")
	var out Hash
	if err := out.fields.UnmarshalBinary(r.Bytes()); err != nil && r.Err() == nil {
		return fmt.Errorf("hash: fields: %w", err)
	}
	n := r.Count(3)
	prev := ""
	for i := 0; i < n && r.Err() == nil; i++ {
		f := r.String()
		str, num := r.Bytes(), r.Bytes()
		if r.Err() != nil {
			break
		}
		if i > 0 && f <= prev {
			r.Fail("hash: fields not ascending")
			break
		}
		v := &value{}
		if len(str) > 0 {
			v.str = register.NewLWW()
			if err := v.str.UnmarshalBinary(str); err != nil {
				return fmt.Errorf("hash: field %q: string: %w", f, err)
			}
		}
		if len(num) > 0 {
			v.num = counter.New()
			if err := v.num.UnmarshalBinary(num); err != nil {
				return fmt.Errorf("hash: field %q: counter: %w", f, err)
			}
		}
		if out.values == nil {
			out.values = make(map[string]*value, n)
		}
		out.values[f] = v
		prev = f
	}
	if err := r.Done("hash"); err != nil {
		return err
	}
	for f := range out.fields.All() {
		if _, ok := out.values[f]; !ok {
			return wire.Errorf("hash: field without a value state")
		}
	}
	*h = out
	return nil
}
