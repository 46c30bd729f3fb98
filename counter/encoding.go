package counter

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

const (
	tag      = 'N'
	version1 = 1

	// Smallest encodings: a total is replica, seq, int, 8 float bytes and
	// float count; a base is replica, seq, time, kind and a one-byte value.
	minContribution = 12
	minBase         = 5

	kindInt   = 0
	kindFloat = 1
)

// AppendBinary appends the canonical encoding of c and never fails: a
// header, the causal context as a length-prefixed byte string, the totals
// and the reset totals in ascending replica order, then the bases in
// ascending dot order. Equal counters encode to equal bytes. O(n log n + b).
func (c *Counter) AppendBinary(b []byte) ([]byte, error) {
	v := c.view()
	b = wire.AppendHeader(b, tag, version1)
	ctx, _ := v.ctx.AppendBinary(nil)
	b = wire.AppendUvarint(b, uint64(len(ctx)))
	b = append(b, ctx...)
	b = appendContributions(b, v.p)
	b = appendContributions(b, v.r)
	b = wire.AppendUvarint(b, uint64(v.base.Len()))
	for d, bv := range v.base.All {
		b = wire.AppendUvarint(b, uint64(d.Replica))
		b = wire.AppendUvarint(b, d.Seq)
		b = wire.AppendUvarint(b, uint64(bv.Time))
		if bv.Value.IsFloat {
			b = append(b, kindFloat)
			b = wire.AppendFloat(b, bv.Value.Float)
		} else {
			b = append(b, kindInt)
			b = wire.AppendVarint(b, bv.Value.Int)
		}
	}
	return b, nil
}

func appendContributions(b []byte, m map[clock.ReplicaID]contribution) []byte {
	b = wire.AppendUvarint(b, uint64(len(m)))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		e := m[id]
		b = wire.AppendUvarint(b, uint64(id))
		b = wire.AppendUvarint(b, e.Seq)
		b = wire.AppendVarint(b, e.Int)
		b = wire.AppendFloat(b, e.Float)
		b = wire.AppendUvarint(b, e.FloatOps)
	}
	return b
}

// UnmarshalBinary replaces c with the counter encoded in data. It returns
// an error wrapping merge.ErrMalformed, leaving c unchanged, unless data is
// a canonical encoding whose invariants hold: replicas and dots ascending,
// sequence numbers non-zero, every total's and base's dot in the context,
// floats finite and never −0, and no float total without float increments.
//
// A reset total needs neither a dot in the context nor a total at least as
// recent: a replica may receive a DEL before the increments it cancelled.
// O(len(data)).
func (c *Counter) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(tag, version1, "counter")
	out := &state{}
	if ctx := r.Bytes(); r.Err() == nil {
		if err := out.ctx.UnmarshalBinary(ctx); err != nil {
			return fmt.Errorf("counter: context: %w", err)
		}
	}
	readContributions(&r, func(id clock.ReplicaID, e contribution) {
		if !out.ctx.Contains(clock.Dot{Replica: id, Seq: e.Seq}) {
			r.Fail("counter: total's dot not in context")
			return
		}
		out.setP(id, contribution{}, contribution{}, e)
	})
	readContributions(&r, func(id clock.ReplicaID, e contribution) {
		out.setR(id, out.p[id], contribution{}, e)
	})
	n := r.Count(minBase)
	var prev clock.Dot
	for i := 0; i < n && r.Err() == nil; i++ {
		d := clock.Dot{Replica: clock.ReplicaID(r.Uvarint()), Seq: r.Uvarint()}
		bv := baseValue{Time: clock.Timestamp(r.Uvarint())}
		switch r.Byte() {
		case kindInt:
			bv.Value = IntNumber(r.Varint())
		case kindFloat:
			bv.Value = FloatNumber(r.Float())
			if !canonicalFloat(bv.Value.Float) {
				r.Fail("counter: base not a canonical float")
			}
		default:
			r.Fail("counter: bad base kind")
		}
		switch {
		case r.Err() != nil:
		case d.Seq == 0:
			r.Fail("counter: zero base sequence number")
		case i > 0 && d.Compare(prev) <= 0:
			r.Fail("counter: bases not ascending")
		case !out.ctx.Contains(d):
			r.Fail("counter: base's dot not in context")
		default:
			out.base.Set(d, bv)
			prev = d
		}
	}
	if err := r.Done("counter"); err != nil {
		return err
	}
	*c = Counter{state: out}
	return nil
}

// readContributions reads a count and that many totals in ascending replica
// order, checking each, and calls put for each. It stops at the first error.
func readContributions(r *wire.Reader, put func(clock.ReplicaID, contribution)) {
	n := r.Count(minContribution)
	var prev clock.ReplicaID
	for i := 0; i < n && r.Err() == nil; i++ {
		id := clock.ReplicaID(r.Uvarint())
		e := contribution{Seq: r.Uvarint(), Int: r.Varint(), Float: r.Float(), FloatOps: r.Uvarint()}
		switch {
		case r.Err() != nil:
		case i > 0 && id <= prev:
			r.Fail("counter: replicas not ascending")
		case e.Seq == 0:
			r.Fail("counter: zero sequence number")
		case !canonicalFloat(e.Float):
			r.Fail("counter: total not a canonical float")
		case e.FloatOps == 0 && e.Float != 0:
			r.Fail("counter: float total without float increments")
		default:
			put(id, e)
			prev = id
		}
	}
}

// canonicalFloat reports whether f may appear in an encoding: finite and
// not −0.
func canonicalFloat(f float64) bool {
	return !math.IsNaN(f) && !math.IsInf(f, 0) && !(f == 0 && math.Signbit(f))
}
