package counter

import (
	"errors"
	"math"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// Errors returned by the mutators. A mutator that returns one of them has
// changed nothing.
var (
	// ErrOverflow is returned by IncrBy, Incr, Decr and DecrBy when the
	// result would not fit in an int64.
	ErrOverflow = errors.New("counter: increment or decrement would overflow")
	// ErrNotInteger is returned by IncrBy, Incr, Decr and DecrBy when the
	// value is a float, even one that reads as a whole number (Redis:
	// "value is not an integer or out of range"; see the package
	// documentation for how this differs from Redis).
	ErrNotInteger = errors.New("counter: value is not an integer or out of range")
	// ErrNotFloat is returned by IncrByFloat when the increment or the
	// result would be NaN or ±Inf (Redis: "increment would produce NaN or
	// Infinity"), and by Set when the value is NaN or ±Inf.
	ErrNotFloat = errors.New("counter: value or increment would be NaN or Infinity")
)

// Counter is a replicated Redis counter: a PN counter with observed reset,
// holding an int64 or a float64, with an optional last-writer-wins base set
// by SET. See the package documentation for the conflict rules.
//
// A Counter is a full state or a delta (the value a mutator returns); both
// merge the same way. A Counter is not safe for concurrent mutation; reads
// (Value, Int, Float, IsFloat, String, Equal, Clone, AppendBinary) do not
// modify it and may run concurrently with each other. The zero value reads
// 0 and is ready to use.
type Counter struct {
	// state is the general form; nil reads as empty.
	*state

	// one, when one.ok, is instead the whole state of the delta of one
	// IncrBy or IncrByFloat: p = {one.id: one.c}, ctx = {(one.id,
	// one.c.Seq)}, everything else empty, and state nil. It lets a
	// mutator return its delta in a single small allocation. Mutators turn
	// it into the general form first; reads work on a materialized copy.
	one single
}

var _ merge.State[*Counter] = (*Counter)(nil)

type single struct {
	id clock.ReplicaID
	c  contribution
	ok bool
}

// New returns a counter that reads 0.
func New() *Counter { return &Counter{} }

// Incr adds 1 as replica id (INCR) and returns the delta. See IncrBy.
func (c *Counter) Incr(id clock.ReplicaID) (*Counter, error) { return c.IncrBy(id, 1) }

// Decr subtracts 1 as replica id (DECR) and returns the delta. See IncrBy.
func (c *Counter) Decr(id clock.ReplicaID) (*Counter, error) { return c.IncrBy(id, -1) }

// DecrBy subtracts n as replica id (DECRBY) and returns the delta. It
// returns ErrOverflow for n = math.MinInt64, whose negation does not fit.
// See IncrBy.
func (c *Counter) DecrBy(id clock.ReplicaID, n int64) (*Counter, error) {
	if n == math.MinInt64 {
		return nil, ErrOverflow
	}
	return c.IncrBy(id, -n)
}

// IncrBy adds n as replica id (INCRBY), applies the change and returns the
// delta to ship to other replicas. Concurrent increments add up; a
// concurrent DEL or SET does not cancel it.
//
// It returns (nil, ErrNotInteger) if the value is a float and (nil,
// ErrOverflow) if the result would not fit in an int64; either way the
// counter is unchanged. O(1) amortized (O(b) for b concurrent SET bases,
// usually none or one); the delta is a single allocation.
func (c *Counter) IncrBy(id clock.ReplicaID, n int64) (*Counter, error) {
	c.materialize()
	if c.isFloat() {
		return nil, ErrNotInteger
	}
	old, rc := c.p[id], c.r[id]
	from := latest(old, rc)
	// step is n unless this replica's own p entry lags a reset of it,
	// which an honest replica never sees (see latest).
	step := from.Int + n - old.Int
	cur := c.intValue()
	if sum := cur + step; (step > 0 && sum < cur) || (step < 0 && sum > cur) {
		return nil, ErrOverflow
	}
	d := c.ctx.Next(id)
	nc := contribution{Seq: d.Seq, Int: from.Int + n, Float: from.Float, FloatOps: from.FloatOps}
	c.ctx.Add(d)
	c.setP(id, old, rc, nc)
	return &Counter{one: single{id: id, c: nc, ok: true}}, nil
}

// IncrByFloat adds f as replica id (INCRBYFLOAT), applies the change and
// returns the delta. The counter reads as a float from then on, until a SET
// of an integer or a DEL observes this increment. Concurrent increments add
// up; a concurrent DEL or SET does not cancel it.
//
// It returns (nil, ErrNotFloat) if f or the result would be NaN or ±Inf,
// leaving the counter unchanged. O(f + b) for f replicas that made float
// increments and b concurrent SET bases.
func (c *Counter) IncrByFloat(id clock.ReplicaID, f float64) (*Counter, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, ErrNotFloat
	}
	c.materialize()
	old, rc := c.p[id], c.r[id]
	from := latest(old, rc)
	d := c.ctx.Next(id)
	// A total that overflows to ±Inf makes the value ±Inf or NaN too, so
	// checking the value covers it. Totals start at +0 and x + (−x) is +0,
	// so a total is never −0.
	nc := contribution{Seq: d.Seq, Int: from.Int, Float: from.Float + f, FloatOps: from.FloatOps + 1}
	if v := c.floatValue(id, &nc); math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, ErrNotFloat
	}
	c.ctx.Add(d)
	c.setP(id, old, rc, nc)
	return &Counter{one: single{id: id, c: nc, ok: true}}, nil
}

// Set writes v as the base at time at (SET of a numeric string; see
// ParseNumber), applies it and returns the delta. at.Replica is the writing
// replica. It resets every increment this replica has seen and removes
// every base it has seen, so the value reads v plus the increments made
// concurrently elsewhere; of concurrent SETs, the one with the greatest
// Stamp is the base. A concurrent DEL does not remove it.
//
// It returns (nil, ErrNotFloat) if v is a float that is NaN or ±Inf,
// leaving the counter unchanged. O(n + b) for n replicas that ever
// incremented and b bases; the delta holds the reset entries that changed.
func (c *Counter) Set(at clock.Stamp, v Number) (*Counter, error) {
	v, ok := v.canonical()
	if !ok {
		return nil, ErrNotFloat
	}
	c.materialize()
	delta := &Counter{state: &state{}}
	c.resetInto(delta)
	d := c.ctx.Next(at.Replica)
	b := baseValue{Time: at.Time, Value: v}
	c.ctx.Add(d)
	c.base.Set(d, b)
	delta.ctx.Add(d)
	delta.base.Set(d, b)
	return delta, nil
}

// Reset deletes the counter as replica id (DEL), applies it and returns the
// delta. It cancels every increment and removes every SET base this replica
// has seen; increments and SETs made concurrently elsewhere survive, so
// with none the counter reads 0. The delta carries a fresh dot of id even
// when there was nothing to remove. O(n + b) for n replicas that ever
// incremented and b bases.
func (c *Counter) Reset(id clock.ReplicaID) *Counter {
	c.materialize()
	delta := &Counter{state: &state{}}
	c.resetInto(delta)
	d := c.ctx.Next(id)
	c.ctx.Add(d)
	delta.ctx.Add(d)
	return delta
}

// resetInto records every p entry as observed by a reset and removes every
// base, in c and, as the delta of that change, in delta.
func (c *Counter) resetInto(delta *Counter) {
	for id, pc := range c.p {
		rc := c.r[id]
		if rc.Seq >= pc.Seq {
			continue // already reset, or a reset that saw more arrived first
		}
		c.setR(id, pc, rc, pc)
		delta.setR(id, contribution{}, contribution{}, pc)
	}
	for d := range c.base.All {
		delta.ctx.Add(d)
	}
	c.base.Clear()
}

// Merge joins other into c and reports whether c changed. other, a full
// state or a delta, is not modified.
//
// Per replica, p and r keep the entry with the larger sequence number; the
// SET bases are joined as an observed-remove multi-value register; the
// causal contexts are united. O(size of other) map operations, whatever the
// size of c: merging the delta of one increment costs O(1).
func (c *Counter) Merge(other *Counter) bool {
	if other == c {
		return false
	}
	c.materialize()
	if other.one.ok {
		return c.mergeOne(other.one)
	}
	if other.state == nil {
		return false
	}
	changed := false
	for id, oc := range other.p {
		if old := c.p[id]; oc.Seq > old.Seq {
			c.setP(id, old, c.r[id], oc)
			changed = true
		}
	}
	for id, oc := range other.r {
		if old := c.r[id]; oc.Seq > old.Seq {
			c.setR(id, c.p[id], old, oc)
			changed = true
		}
	}
	if c.base.Join(&c.ctx, &other.base, &other.ctx) {
		changed = true
	}
	if c.ctx.Merge(&other.ctx) {
		changed = true
	}
	return changed
}

// mergeOne is Merge of a delta held in the single form.
func (c *Counter) mergeOne(s single) bool {
	d := clock.Dot{Replica: s.id, Seq: s.c.Seq}
	// SUBTLE: the delta's context {d} removes a base written under d. An
	// honest replica never issues one dot for both an increment and a SET,
	// but the join must equal the general one for every input.
	if _, ok := c.base.Get(d); ok {
		var none merge.DotFun[baseValue]
		var seen clock.CausalContext
		seen.Add(d)
		c.base.Join(&c.ctx, &none, &seen)
	}
	changed := c.ctx.Add(d)
	if old := c.p[s.id]; s.c.Seq > old.Seq {
		c.setP(s.id, old, c.r[s.id], s.c)
		changed = true
	}
	return changed
}

// Clone returns a deep copy of c. O(n + b).
func (c *Counter) Clone() *Counter {
	out := &Counter{one: c.one}
	if c.state != nil {
		out.state = c.state.clone()
	}
	return out
}

// Equal reports whether c and other are the same state: the same causal
// context, totals, reset totals and bases. Equal states encode to equal
// bytes. O(n + b + size of the contexts).
func (c *Counter) Equal(other *Counter) bool {
	if c.one.ok && other.one.ok {
		return c.one == other.one
	}
	return c.view().equal(other.view())
}

// latest returns the total replica i continues from: its p entry, or the r
// entry if a reset recorded a later total. An honest replica's own p entry is
// never behind a reset of it, but a total must never restart below what a
// reset recorded, or p[i] − r[i] would go negative.
func latest(p, r contribution) contribution {
	if r.Seq > p.Seq {
		return r
	}
	return p
}

// materialize turns c into the general form, allocating its state if
// need be.
func (c *Counter) materialize() {
	if c.state == nil {
		c.state = &state{}
	}
	if !c.one.ok {
		return
	}
	s := c.one
	c.one = single{}
	c.ctx.Add(clock.Dot{Replica: s.id, Seq: s.c.Seq})
	c.setP(s.id, contribution{}, contribution{}, s.c)
}

// view returns c's state in the general form: c's own, or a materialized
// copy (an empty one for a zero Counter), so that reads never modify c.
func (c *Counter) view() *state {
	switch {
	case c.one.ok:
		v := &Counter{one: c.one}
		v.materialize()
		return v.state
	case c.state == nil:
		return &state{}
	}
	return c.state
}
