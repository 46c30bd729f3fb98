package zset

import (
	"math"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/internal/ostree"
	"github.com/redcrdt/redcrdt/merge"
)

// entry is one member's state: the dots of the adds that made it present,
// and its score counter. The counter is held in compact form while full is
// nil (see loneHead), else as the Counter full.
type entry struct {
	member string
	dots   merge.DotSet
	score  float64 // the counter's value read as a score (see scoreOf)
	lone   loneHead
	full   *counter.Counter
	// leaf is the index leaf that holds the member while it is present in
	// a full state's index; nil otherwise.
	leaf *ostree.Leaf[item]
}

// loneHead is a counter.Lone but for its Value, which the entry's score
// stands for (see number). If delta is not loneState, the entry holds not
// that Lone but the delta of the write that produced it from the Lone of
// the same replica at seq − 1, which had a base (deltaFromBase) or not
// (deltaFromNone): the counter delta of a local ZADD or ZREM, kept without
// building it.
type loneHead struct {
	replica clock.ReplicaID
	seq     uint64
	time    clock.Timestamp
	hasBase bool
	delta   byte
}

// The kinds of compact counter of loneHead.delta.
const (
	loneState = iota
	deltaFromNone
	deltaFromBase
)

// slot is the dot store of one member in the set's DotMap. A member's
// store is empty, and dropped from a full state, only while its score
// counter is empty: a removed member keeps its score state (see the
// package documentation).
type slot struct{ e *entry }

// number returns the counter base a score is written as: the float, or the
// integer ±1 for ±Inf, which a counter cannot hold.
func number(score float64) counter.Number {
	switch {
	case math.IsInf(score, 1):
		return counter.IntNumber(1)
	case math.IsInf(score, -1):
		return counter.IntNumber(-1)
	}
	return counter.FloatNumber(score)
}

// scoreOfBase returns the score a counter base stands for: a float is
// itself; a non-zero integer is the infinity of its sign.
func scoreOfBase(n counter.Number) float64 {
	switch {
	case n.IsFloat:
		return n.Float
	case n.Int > 0:
		return math.Inf(1)
	case n.Int < 0:
		return math.Inf(-1)
	}
	return 0
}

// scoreOf returns the score c stands for: ±Inf if its base is infinite,
// else its value. O(f + b) for f replicas that incremented and b bases.
func scoreOf(c *counter.Counter) float64 {
	if b, ok := c.Base(); ok && !b.IsFloat && b.Int != 0 {
		return scoreOfBase(b)
	}
	return c.Float()
}

// loneValue returns the counter.Lone of the entry's loneHead; full must
// be nil. For a delta it is the state the write produced.
func (e *entry) loneValue() counter.Lone {
	l := counter.Lone{Replica: e.lone.replica, Seq: e.lone.seq, Time: e.lone.time, HasBase: e.lone.hasBase}
	if l.HasBase {
		l.Value = number(e.score)
	}
	return l
}

// loneDelta returns the Lones before and after the write whose delta the
// entry holds; e.lone.delta must not be loneState.
func (e *entry) loneDelta() (prev, next counter.Lone) {
	next = e.loneValue()
	return counter.Lone{Replica: next.Replica, Seq: next.Seq - 1, HasBase: e.lone.delta == deltaFromBase}, next
}

// isLone reports whether the entry holds its counter as a Lone state.
func (e *entry) isLone() bool { return e.full == nil && e.lone.delta == loneState }

// setDelta stores the delta of the write that took prev to next, both
// Lones of one replica, prev not empty; next must be one a score stands
// for.
func (e *entry) setDelta(prev, next counter.Lone) {
	e.setLone(next)
	e.lone.delta = deltaFromNone
	if prev.HasBase {
		e.lone.delta = deltaFromBase
	}
}

// setLone stores l as the entry's counter and reports whether it could:
// its base must be one a score stands for (a float, or ±1).
func (e *entry) setLone(l counter.Lone) bool {
	score := 0.0
	if l.HasBase {
		score = scoreOfBase(l.Value)
		if number(score) != l.Value {
			return false
		}
	}
	e.full = nil
	e.lone = loneHead{replica: l.Replica, seq: l.Seq, time: l.Time, hasBase: l.HasBase}
	e.score = score
	return true
}

// setCounter stores c as the entry's counter, in Lone form if it has that
// shape, and updates the score. The entry takes ownership of c.
func (e *entry) setCounter(c *counter.Counter) {
	if l, ok := c.Lone(); ok && e.setLone(l) {
		return
	}
	e.full = c
	e.lone = loneHead{}
	e.score = scoreOf(c)
}

// setDecoded is setCounter for a decoded counter, which may also be the
// delta of a local write (see loneHead).
func (e *entry) setDecoded(c *counter.Counter) {
	if l, ok := c.Lone(); ok && e.setLone(l) {
		return
	}
	if prev, next, ok := c.LoneDelta(); ok && e.setLone(next) {
		e.setDelta(prev, next)
		return
	}
	e.setCounter(c)
}

// appendCounter appends the encoding of the entry's counter.
func (e *entry) appendCounter(b []byte) []byte {
	if e.isLone() {
		return e.loneValue().AppendBinary(b)
	}
	b, _ = e.counter().AppendBinary(b)
	return b
}

// counter returns the entry's counter: full itself, or a new Counter built
// from the compact form. Callers that change it store it back with
// setCounter.
func (e *entry) counter() *counter.Counter {
	switch {
	case e.full != nil:
		return e.full
	case e.lone.delta != loneState:
		prev, next := e.loneDelta()
		return prev.Delta(next)
	}
	return e.loneValue().Counter()
}

// scoreEmpty reports whether the entry's counter is the empty state.
func (e *entry) scoreEmpty() bool {
	if e.full != nil {
		return e.full.IsEmpty()
	}
	return e.lone.seq == 0
}

// write sets the base to score at time at (ZADD) and stores the delta's
// counter in de. O(1) in Lone form; else O(n + b) as Counter.Set.
func (e *entry) write(at clock.Stamp, score float64, de *entry) {
	v := number(score)
	if e.isLone() && (e.lone.seq == 0 || e.lone.replica == at.Replica) {
		l := e.loneValue()
		next, _ := l.Set(at, v) // v is a finite float or ±1: never refused
		e.setLone(next)
		de.setWrite(l, next)
		return
	}
	c := e.counter()
	d, _ := c.Set(at, v) // never refused, as above
	e.setCounter(c)
	de.setCounter(d)
}

// reset cancels the score this replica has seen (the score part of a
// removal) and stores the delta's counter in de.
func (e *entry) reset(id clock.ReplicaID, de *entry) {
	if e.isLone() && (e.lone.seq == 0 || e.lone.replica == id) {
		l := e.loneValue()
		next := l.Reset(id)
		e.setLone(next)
		de.setWrite(l, next)
		return
	}
	c := e.counter()
	d := c.Reset(id)
	e.setCounter(c)
	de.setCounter(d)
}

// setWrite stores the delta of the write that took the Lone prev to next:
// next itself if prev is empty.
func (e *entry) setWrite(prev, next counter.Lone) {
	if prev.Seq == 0 {
		e.setLone(next)
		return
	}
	e.setDelta(prev, next)
}

// incr adds f to the score as replica id (ZINCRBY) and stores the delta's
// counter in de. It returns counter.ErrNotFloat, changing nothing, if the
// counter refuses the increment (its value would overflow).
func (e *entry) incr(id clock.ReplicaID, f float64, de *entry) error {
	c := e.counter()
	d, err := c.IncrByFloat(id, f)
	if err != nil {
		return err
	}
	e.setCounter(c)
	de.setCounter(d)
	return nil
}

// mergeScore merges o's counter into e's and reports whether e's changed.
func (e *entry) mergeScore(o *entry) bool {
	switch {
	case o.scoreEmpty():
		return false
	case e.scoreEmpty():
		e.copyScore(o)
		return true
	case e.full == nil && o.full == nil && e.lone == o.lone && math.Float64bits(e.score) == math.Float64bits(o.score):
		return false
	case e.isLone() && o.full == nil:
		// Both counters are compact: counter.Lone knows the usual joins
		// without building counters.
		old := e.loneValue()
		var l counter.Lone
		var ok bool
		if o.lone.delta == loneState {
			l, ok = old.Join(o.loneValue())
		} else {
			l, ok = old.JoinDelta(o.loneDelta())
		}
		if ok && e.setLone(l) {
			return l != old
		}
	}
	c := e.counter()
	changed := c.Merge(o.counter()) // o.counter() is o.full or a new Counter: o is not modified
	e.setCounter(c)
	return changed
}

// copyScore gives e a copy of o's counter.
func (e *entry) copyScore(o *entry) {
	e.lone, e.score, e.full = o.lone, o.score, nil
	if o.full != nil {
		e.full = o.full.Clone()
	}
}

// sameScore reports whether e and o hold equal counters.
func (e *entry) sameScore(o *entry) bool {
	if e.full == nil && o.full == nil && e.lone.delta == o.lone.delta {
		return e.lone == o.lone && math.Float64bits(e.score) == math.Float64bits(o.score)
	}
	// SUBTLE: one state may have two forms (a delta of a write from the
	// first Lone is also a Lone), so different forms compare as counters.
	return e.counter().Equal(o.counter())
}

// clone returns a copy of e outside any index.
func (e *entry) clone() *entry {
	out := &entry{member: e.member, dots: e.dots.Clone()}
	out.copyScore(e)
	return out
}

// present reports whether the member is in the set.
func (e *entry) present() bool { return !e.dots.IsEmpty() }

// Join joins o's member state into s's, with the set contexts ctx and
// octx, and reports whether it changed: the dots as merge.DotSet.Join does,
// the counters by counter.Counter.Merge. A nil o.e (the member is absent
// from a full state being joined) only lets octx remove dots.
func (s *slot) Join(ctx *clock.CausalContext, o *slot, octx *clock.CausalContext) bool {
	if o.e == nil {
		if s.e == nil {
			return false
		}
		var none merge.DotSet
		return s.e.dots.Join(ctx, &none, octx)
	}
	if s.e == nil {
		s.e = &entry{member: o.e.member}
	}
	changed := s.e.dots.Join(ctx, &o.e.dots, octx)
	if s.e.mergeScore(o.e) {
		changed = true
	}
	return changed
}

// Key returns the member the slot holds; s.e must not be nil.
func (s *slot) Key() string { return s.e.member }

// IsEmpty reports whether the member holds no state worth keeping: no
// dots and an empty counter.
func (s *slot) IsEmpty() bool { return s.e == nil || (s.e.dots.IsEmpty() && s.e.scoreEmpty()) }

// Clone returns a deep copy of s, outside any index.
func (s *slot) Clone() slot {
	if s.e == nil {
		return slot{}
	}
	return slot{e: s.e.clone()}
}

// Equal reports whether s and o hold the same dots and equal counters.
func (s *slot) Equal(o *slot) bool {
	if s.e == nil || o.e == nil {
		return s.IsEmpty() && o.IsEmpty()
	}
	return s.e.dots.Equal(&o.e.dots) && s.e.sameScore(o.e)
}
