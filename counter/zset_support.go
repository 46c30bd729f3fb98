package counter

import (
	"bytes"
	"math"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

// This file serves containers that keep one Counter per element, such as
// the scores of a sorted set: a read of the SET base, an emptiness test,
// and Lone, a compact form of the usual element counter.

// Base returns the SET base the value starts from (of concurrent SETs, the
// one with the greatest stamp) and true, or (Number{}, false) if no base is
// live. O(b) for b bases.
func (c *Counter) Base() (Number, bool) {
	if c.one.ok || c.state == nil {
		return Number{}, false
	}
	b, ok := c.winner()
	return b.Value, ok
}

// IsEmpty reports whether c is the empty state, as New returns it: no dot
// seen, no total, no reset total and no base, so that merging it changes
// nothing. O(1).
func (c *Counter) IsEmpty() bool {
	if c.one.ok {
		return false
	}
	s := c.state
	return s == nil || (s.ctx.IsEmpty() && len(s.p) == 0 && len(s.r) == 0 && s.base.IsEmpty())
}

// Live reports whether Reset would cancel anything in c: an increment not
// yet reset, or a SET base. A container may skip a Reset of a counter that
// is not live; the reset would add only its own dot. O(n) for n replicas
// that ever incremented.
func (c *Counter) Live() bool {
	if c.one.ok {
		return true
	}
	s := c.state
	if s == nil {
		return false
	}
	if s.base.Len() > 0 {
		return true
	}
	for id, pc := range s.p {
		if s.r[id].Seq < pc.Seq {
			return true
		}
	}
	return false
}

// Lone is the compact form of a counter that one replica alone wrote, only
// with SET and DEL (Set and Reset), each write seeing the one before: its
// causal context is the dots 1…Seq of Replica, it holds no totals and no
// reset totals, and it holds either no base or one base, Value written at
// Time under the dot (Replica, Seq). The zero Lone (Seq 0) is the empty
// counter.
//
// A container of many counters keeps this, the usual state of an element's
// counter, in a few words, and builds a Counter only when a write or a
// merge takes the state out of that shape. Lone's methods give exactly the
// results of the Counter methods they are named after.
type Lone struct {
	Replica clock.ReplicaID
	Seq     uint64
	Time    clock.Timestamp // zero without a base
	Value   Number          // zero without a base
	HasBase bool
}

// Lone returns c's state as a Lone and true, or (Lone{}, false) if c has
// another shape. O(1); it allocates once when c has the shape.
func (c *Counter) Lone() (Lone, bool) {
	if c.one.ok {
		return Lone{}, false
	}
	s := c.state
	if s == nil {
		return Lone{}, true
	}
	if len(s.p) != 0 || len(s.r) != 0 || s.ctx.CloudLen() != 0 || s.base.Len() > 1 {
		return Lone{}, false
	}
	vv := s.ctx.Vector()
	switch vv.Len() {
	case 0:
		return Lone{}, true // no dot, so no base either
	case 1:
	default:
		return Lone{}, false
	}
	for d, b := range s.base.All {
		if vv.Get(d.Replica) != d.Seq {
			return Lone{}, false
		}
		return Lone{Replica: d.Replica, Seq: d.Seq, Time: b.Time, Value: b.Value, HasBase: true}, true
	}
	r := vv.Replicas()[0]
	return Lone{Replica: r, Seq: vv.Get(r)}, true
}

// Counter returns a new counter holding the state l describes. l must be a
// value Lone returned or one of l's methods produced. O(1).
func (l Lone) Counter() *Counter {
	if l.Seq == 0 {
		return New()
	}
	s := &state{ctx: prefixContext(l.Replica, l.Seq)}
	if l.HasBase {
		s.base.Set(clock.Dot{Replica: l.Replica, Seq: l.Seq}, baseValue{Time: l.Time, Value: l.Value})
	}
	return &Counter{state: s}
}

// Set is Counter.Set on the counter l describes: it returns that counter's
// new state, which is a Lone again, without building the counter; Delta
// gives the delta. It returns ErrNotFloat as Set does. It panics unless
// at.Replica is l.Replica or l is empty (the result would not be a Lone).
// O(1).
func (l Lone) Set(at clock.Stamp, v Number) (Lone, error) {
	v, ok := v.canonical()
	if !ok {
		return Lone{}, ErrNotFloat
	}
	next := l.Reset(at.Replica)
	next.Time, next.Value, next.HasBase = at.Time, v, true
	return next, nil
}

// Reset is Counter.Reset on the counter l describes, by replica id: it
// returns the new state, a Lone without a base. Delta gives the delta. It
// panics unless id is l.Replica or l is empty. O(1).
func (l Lone) Reset(id clock.ReplicaID) Lone {
	if l.Seq != 0 && id != l.Replica {
		panic("counter: Lone written by a second replica")
	}
	return Lone{Replica: id, Seq: l.Seq + 1}
}

// Delta returns the delta of the write that took l to next, where next is
// l.Set(…) or l.Reset(…): the delta Counter.Set or Counter.Reset returns.
// If l is empty that delta is next itself. O(1).
func (l Lone) Delta(next Lone) *Counter {
	delta := &Counter{state: &state{}}
	if l.HasBase {
		delta.ctx.Add(clock.Dot{Replica: l.Replica, Seq: l.Seq})
	}
	d := clock.Dot{Replica: next.Replica, Seq: next.Seq}
	delta.ctx.Add(d)
	if next.HasBase {
		delta.base.Set(d, baseValue{Time: next.Time, Value: next.Value})
	}
	return delta
}

// Join returns the Lone of the merge of the counters l and o describe, and
// true; or (Lone{}, false) if that is not a Lone this shortcut knows (two
// writers): merge the counters instead. Of two Lones of one replica the
// later one wins; at one Seq a base survives only if both hold it. O(1).
func (l Lone) Join(o Lone) (Lone, bool) {
	switch {
	case o.Seq == 0:
		return l, true
	case l.Seq == 0:
		return o, true
	case l.Replica != o.Replica:
		return Lone{}, false
	case l.Seq > o.Seq:
		return l, true
	case l.Seq < o.Seq:
		return o, true
	case l.HasBase && !o.HasBase:
		// o's context holds the dot of l's base, which o removed.
		return Lone{Replica: l.Replica, Seq: l.Seq}, true
	}
	return l, true
}

// JoinDelta returns the state of the counter l describes merged with
// prev.Delta(next), the delta of the write that took prev to next, as a
// Lone, and true; or (Lone{}, false) if this shortcut does not know the
// result, which may then not be a Lone: merge the counters instead. It
// knows the cases of in-order delivery: l empty and the write the first
// (the result is next), l at prev (next), and l past the write (l). O(1).
func (l Lone) JoinDelta(prev, next Lone) (Lone, bool) {
	switch {
	case l.Seq == 0 && prev.Seq == 0:
		return next, true
	case l.Seq == 0 || l.Replica != next.Replica:
		return Lone{}, false
	case l.Seq > next.Seq || (l.Seq == next.Seq && (!l.HasBase || next.HasBase)):
		// l has seen the write's dots; the write's base, if any, is l's
		// own or one l removed.
		return l, true
	case l.Seq == prev.Seq && (!l.HasBase || prev.HasBase):
		// The write removed l's base, if any, and adds its own.
		return next, true
	}
	return Lone{}, false
}

// LoneDelta reports whether c is the delta of a write that took a Lone
// prev to the Lone next, as prev.Delta(next) returns it, and returns them;
// prev's Time and Value, which the delta does not hold, are zero. It lets a
// container keep a decoded delta in Lone form. O(1); it allocates.
func (c *Counter) LoneDelta() (prev, next Lone, ok bool) {
	if c.one.ok || c.state == nil || len(c.p) != 0 || len(c.r) != 0 || c.base.Len() > 1 || c.ctx.IsEmpty() {
		return Lone{}, Lone{}, false
	}
	// The writer is the replica of the base, else of a dot of the cloud,
	// else of the vector.
	var r clock.ReplicaID
	found := false
	for d := range c.base.All {
		r, found = d.Replica, true
	}
	if !found {
		for x := range c.ctx.Ranges {
			r, found = x.Replica, true
			break
		}
	}
	if !found {
		vv := c.ctx.Vector()
		r = vv.Replicas()[0]
	}
	next = Lone{Replica: r, Seq: c.ctx.Next(r).Seq - 1}
	if b, ok := c.base.Get(clock.Dot{Replica: r, Seq: next.Seq}); ok {
		next.Time, next.Value, next.HasBase = b.Time, b.Value, true
	}
	prev = Lone{Replica: r, Seq: next.Seq - 1}
	prev.HasBase = c.ctx.Contains(clock.Dot{Replica: r, Seq: prev.Seq})
	if prev.Seq == 0 || !prev.Delta(next).Equal(c) {
		return Lone{}, Lone{}, false
	}
	return prev, next, true
}

// AppendBinary appends the encoding of the counter l describes: the bytes
// l.Counter().AppendBinary would append, without building the counter.
func (l Lone) AppendBinary(b []byte) []byte {
	b = wire.AppendHeader(b, tag, version1)
	var buf [24]byte
	ctx := appendPrefixContext(buf[:0], l.Replica, l.Seq)
	b = wire.AppendUvarint(b, uint64(len(ctx)))
	b = append(b, ctx...)
	b = append(b, 0, 0) // no totals, no reset totals
	if !l.HasBase {
		return append(b, 0)
	}
	b = wire.AppendUvarint(b, 1)
	b = wire.AppendUvarint(b, uint64(l.Replica))
	b = wire.AppendUvarint(b, l.Seq)
	b = wire.AppendUvarint(b, uint64(l.Time))
	if l.Value.IsFloat {
		b = append(b, kindFloat)
		return wire.AppendFloat(b, l.Value.Float)
	}
	b = append(b, kindInt)
	return wire.AppendVarint(b, l.Value.Int)
}

// ParseLone returns the Lone whose encoding data is and true, if data is
// the encoding of a non-empty counter of that shape (the bytes
// Lone.AppendBinary writes, which are also those of its Counter), and false
// otherwise: for the empty counter, any other counter and malformed input
// alike. It does not allocate,
// so a container decodes its usual element counters with it and falls
// back to Counter.UnmarshalBinary when it returns false. Every Lone it
// returns is one UnmarshalBinary accepts. O(len(data)).
func ParseLone(data []byte) (Lone, bool) {
	var l Lone
	r := wire.NewReader(data)
	if len(data) < 2 || data[0] != tag || data[1] != version1 {
		return Lone{}, false
	}
	r.Byte()
	r.Byte()
	ctx := wire.NewReader(r.Bytes())
	if ctx.Len() < 4 || ctx.Byte() != 'C' || ctx.Byte() != 1 {
		return Lone{}, false
	}
	if ctx.Uvarint() == 1 {
		l.Replica, l.Seq = clock.ReplicaID(ctx.Uvarint()), ctx.Uvarint()
	}
	r.Byte() // totals and reset totals: the re-encoding below checks them
	r.Byte()
	if r.Uvarint() == 1 {
		r.Uvarint() // the base's dot: the re-encoding checks it too
		r.Uvarint()
		l.Time, l.HasBase = clock.Timestamp(r.Uvarint()), true
		switch r.Byte() {
		case kindInt:
			l.Value = IntNumber(r.Varint())
		case kindFloat:
			l.Value = FloatNumber(r.Float())
		}
	}
	if r.Err() != nil || ctx.Err() != nil || l.Seq == 0 || l.Seq == math.MaxUint64 ||
		(l.Value.IsFloat && !canonicalFloat(l.Value.Float)) {
		return Lone{}, false
	}
	var buf [64]byte
	if !bytes.Equal(l.AppendBinary(buf[:0]), data) {
		return Lone{}, false
	}
	return l, true
}

// appendPrefixContext appends the canonical encoding of the causal context
// holding the dots 1…seq of r (no dot if seq is 0), as clock writes it: a
// header ('C', version 1), the vector, an empty cloud.
func appendPrefixContext(b []byte, r clock.ReplicaID, seq uint64) []byte {
	b = wire.AppendHeader(b, 'C', 1)
	if seq == 0 {
		return append(b, 0, 0)
	}
	b = wire.AppendUvarint(b, 1)
	b = wire.AppendUvarint(b, uint64(r))
	b = wire.AppendUvarint(b, seq)
	return append(b, 0)
}

// prefixContext returns the causal context holding the dots 1…seq of r.
func prefixContext(r clock.ReplicaID, seq uint64) clock.CausalContext {
	var ctx clock.CausalContext
	ctx.AddRange(r, 1, seq)
	return ctx
}
