// Package dotwire encodes the dot sets of the set-like types (orset, zset)
// one way: a count, then each dot as replica and sequence number, ascending.
package dotwire

import (
	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
)

// AppendDots appends the encoding of dots.
func AppendDots(b []byte, dots *merge.DotSet) []byte {
	b = wire.AppendUvarint(b, uint64(dots.Len()))
	for d := range dots.All {
		b = wire.AppendUvarint(b, uint64(d.Replica))
		b = wire.AppendUvarint(b, d.Seq)
	}
	return b
}

// ReadDots reads a dot set written by AppendDots, failing r unless the dots
// are non-zero, strictly ascending and contained in ctx. what names the type
// in error messages.
func ReadDots(r *wire.Reader, ctx *clock.CausalContext, what string) merge.DotSet {
	var dots merge.DotSet
	n := r.Count(2)
	var last clock.Dot
	for j := 0; j < n && r.Err() == nil; j++ {
		d := clock.Dot{Replica: clock.ReplicaID(r.Uvarint()), Seq: r.Uvarint()}
		switch {
		case r.Err() != nil:
		case d.Seq == 0:
			r.Fail(what + ": zero dot")
		case j > 0 && d.Compare(last) <= 0:
			r.Fail(what + ": dots not ascending")
		case !ctx.Contains(d):
			r.Fail(what + ": dot outside the context")
		default:
			dots.Add(d)
			last = d
		}
	}
	return dots
}
