package register

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
)

// version1 is the encoding version of both register types.
const version1 = 1

// multi is the observed-remove multi-value register LWW and TTL are made of:
// the entries written and not yet removed, under their dots, and every dot
// seen. LWW and TTL differ only in their values and in how they read.
type multi[V comparable] struct {
	ctx  clock.CausalContext
	vals merge.DotFun[V]
}

// codec describes how one register type encodes, decodes and prints its
// values.
type codec[V comparable] struct {
	name    string // the type's name in error messages
	tag     byte   // the type tag of its encoding
	minSize int    // the fewest bytes an encoded value takes
	append  func(b []byte, v V) []byte
	read    func(r *wire.Reader) V // fails r on a value no writer produces
	format  func(v V) string
}

// removeAll removes every entry of m and adds a fresh dot of id to m's
// context. It returns the fresh dot and a delta whose context holds the
// removed dots and the fresh one, and whose store is empty. O(entries).
func (m *multi[V]) removeAll(id clock.ReplicaID) (clock.Dot, multi[V]) {
	var delta multi[V]
	for d := range m.vals.All {
		delta.ctx.Add(d)
	}
	m.vals.Clear()
	dot := m.ctx.Next(id)
	m.ctx.Add(dot)
	delta.ctx.Add(dot)
	return dot, delta
}

// write replaces every entry of m by v under a fresh dot of id and returns
// the delta. O(entries).
func (m *multi[V]) write(id clock.ReplicaID, v V) multi[V] {
	dot, delta := m.removeAll(id)
	m.vals.Set(dot, v)
	delta.vals.Set(dot, v)
	return delta
}

// merge joins o into m and reports whether m changed. O(entries of both +
// size of o's context).
func (m *multi[V]) merge(o *multi[V]) bool {
	if m == o {
		return false
	}
	changed := m.vals.Join(&m.ctx, &o.vals, &o.ctx)
	// SUBTLE: the stores join first, against the contexts as they were;
	// only then may o's dots enter m's context.
	return m.ctx.Merge(&o.ctx) || changed
}

func (m *multi[V]) clone() multi[V] {
	return multi[V]{ctx: m.ctx.Clone(), vals: m.vals.Clone()}
}

func (m *multi[V]) equal(o *multi[V]) bool {
	return m.ctx.Equal(&o.ctx) && m.vals.Equal(&o.vals)
}

// appendBinary appends the canonical encoding of m: the header, the context
// as a length-prefixed byte string, then the entry count and each entry (dot
// replica, dot sequence, value) in ascending dot order.
func (m *multi[V]) appendBinary(b []byte, c *codec[V]) []byte {
	b = wire.AppendHeader(b, c.tag, version1)
	start := len(b)
	b, _ = m.ctx.AppendBinary(b) // never fails
	var prefix [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(prefix[:], uint64(len(b)-start))
	b = slices.Insert(b, start, prefix[:n]...)
	b = wire.AppendUvarint(b, uint64(m.vals.Len()))
	for d, v := range m.vals.All {
		b = wire.AppendUvarint(b, uint64(d.Replica))
		b = wire.AppendUvarint(b, d.Seq)
		b = c.append(b, v)
	}
	return b
}

// unmarshal decodes what appendBinary wrote. It returns an error wrapping
// wire.ErrMalformed unless the context decodes, the dots ascend strictly,
// have a non-zero sequence and lie in the context, and every value decodes.
func unmarshal[V comparable](data []byte, c *codec[V]) (multi[V], error) {
	var out multi[V]
	r := wire.NewReader(data)
	r.Header(c.tag, version1, c.name)
	ctx := r.Bytes()
	if r.Err() != nil {
		return out, r.Err()
	}
	if err := out.ctx.UnmarshalBinary(ctx); err != nil {
		return out, fmt.Errorf("%s context: %w", c.name, err)
	}
	n := r.Count(2 + c.minSize)
	var prev clock.Dot
	for i := 0; i < n && r.Err() == nil; i++ {
		d := clock.Dot{Replica: clock.ReplicaID(r.Uvarint()), Seq: r.Uvarint()}
		v := c.read(&r)
		switch {
		case r.Err() != nil:
		case d.Seq == 0:
			r.Fail(c.name + ": zero dot")
		case i > 0 && d.Compare(prev) <= 0:
			r.Fail(c.name + ": dots not ascending")
		case !out.ctx.Contains(d):
			r.Fail(c.name + ": dot outside the context")
		default:
			out.vals.Set(d, v) // dots ascend, so Set appends
			prev = d
		}
	}
	if err := r.Done(c.name); err != nil {
		return multi[V]{}, err
	}
	return out, nil
}

// string formats m as its context, then its entries in dot order:
// "{1:2 2:1} [1.2:v 2.1:w]".
func (m *multi[V]) string(c *codec[V]) string {
	var sb strings.Builder
	sb.WriteString(m.ctx.String())
	sb.WriteString(" [")
	first := true
	for d, v := range m.vals.All {
		if !first {
			sb.WriteByte(' ')
		}
		first = false
		sb.WriteString(d.String())
		sb.WriteByte(':')
		sb.WriteString(c.format(v))
	}
	sb.WriteByte(']')
	return sb.String()
}
