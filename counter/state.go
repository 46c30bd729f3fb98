package counter

import (
	"maps"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// state is a counter in the general form: its causal context, each
// replica's total and reset total, and the SET bases, with caches of the
// sums the reads need.
type state struct {
	ctx  clock.CausalContext
	p    map[clock.ReplicaID]contribution // per replica: its latest cumulative total
	r    map[clock.ReplicaID]contribution // per replica: the total a reset observed
	base merge.DotFun[baseValue]          // SET bases: observed-remove multi-value register

	// Caches derived from p and r, outside equality and the encoding.
	intSum    int64             // Σ p[i].Int − r[i].Int, wrapping
	floatLive int               // replicas i with p[i].FloatOps > r[i].FloatOps
	floatIDs  []clock.ReplicaID // ascending: replicas with FloatOps > 0 in p or r
}

// contribution is one replica's cumulative total since it first
// incremented, stamped with the sequence number of the dot of the increment
// that produced it. Totals only grow in Seq, so merging keeps the larger.
type contribution struct {
	Seq      uint64
	Int      int64   // sum of integer increments, wrapping
	Float    float64 // sum of float increments; never NaN, ±Inf or −0
	FloatOps uint64  // number of float increments
}

// baseValue is a SET: the value written and the HLC time of the write. The
// writer is the replica of its dot.
type baseValue struct {
	Time  clock.Timestamp
	Value Number
}

func (s *state) clone() *state {
	return &state{
		ctx:       s.ctx.Clone(),
		p:         maps.Clone(s.p),
		r:         maps.Clone(s.r),
		base:      s.base.Clone(),
		intSum:    s.intSum,
		floatLive: s.floatLive,
		floatIDs:  slices.Clone(s.floatIDs),
	}
}

func (s *state) equal(o *state) bool {
	return maps.Equal(s.p, o.p) && maps.Equal(s.r, o.r) && s.base.Equal(&o.base) && s.ctx.Equal(&o.ctx)
}

// setP replaces p[id], whose old entry is old and r entry rc, with nc and
// updates the caches. O(1) unless id makes its first float increment.
func (s *state) setP(id clock.ReplicaID, old, rc, nc contribution) {
	s.intSum += intTerm(nc, rc) - intTerm(old, rc)
	s.floatLive += live(nc, rc) - live(old, rc)
	if nc.FloatOps > 0 && old.FloatOps == 0 && rc.FloatOps == 0 {
		s.addFloatID(id)
	}
	if s.p == nil {
		s.p = make(map[clock.ReplicaID]contribution)
	}
	s.p[id] = nc
}

// setR replaces r[id], whose old entry is old and p entry pc, with nc and
// updates the caches.
func (s *state) setR(id clock.ReplicaID, pc, old, nc contribution) {
	s.intSum += intTerm(pc, nc) - intTerm(pc, old)
	s.floatLive += live(pc, nc) - live(pc, old)
	if nc.FloatOps > 0 && old.FloatOps == 0 && pc.FloatOps == 0 {
		s.addFloatID(id)
	}
	if s.r == nil {
		s.r = make(map[clock.ReplicaID]contribution)
	}
	s.r[id] = nc
}

// SUBTLE: replica i counts p − r only while p is newer than the reset that
// recorded r. A reset can arrive before some of the increments it saw (from
// another origin, deltas are not ordered); until they arrive, p is older
// than r and every increment p holds was seen by the reset, so i counts 0,
// never a negative amount.

// intTerm returns what a replica with total p and reset total r adds to the
// integer value.
func intTerm(p, r contribution) int64 {
	if p.Seq <= r.Seq {
		return 0
	}
	return p.Int - r.Int
}

// floatTerm returns what a replica with total p and reset total r adds to
// the float value.
func floatTerm(p, r contribution) float64 {
	if p.Seq <= r.Seq {
		return 0
	}
	return p.Float - r.Float
}

// live reports (as 1) whether a replica with total p and reset total r has
// float increments that no reset saw.
func live(p, r contribution) int {
	if p.Seq > r.Seq && p.FloatOps > r.FloatOps {
		return 1
	}
	return 0
}

func (s *state) addFloatID(id clock.ReplicaID) {
	if i, ok := slices.BinarySearch(s.floatIDs, id); !ok {
		s.floatIDs = slices.Insert(s.floatIDs, i, id)
	}
}
