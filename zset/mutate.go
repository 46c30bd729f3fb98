package zset

import (
	"math"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// AddOptions are the flags of ZADD.
type AddOptions struct {
	NX   bool // only add new members; never update one
	XX   bool // only update members already present; never add one
	GT   bool // update a member only if the new score is greater (new members are still added)
	LT   bool // update a member only if the new score is less (new members are still added)
	CH   bool // count members whose score changed as well as those added
	Incr bool // increment the score, as ZINCRBY does, instead of setting it
}

// check returns the error Redis gives for these options with n pairs.
func (o AddOptions) check(n int) error {
	switch {
	case n == 0:
		return ErrSyntax
	case o.NX && o.XX:
		return ErrXXAndNX
	case (o.GT && o.LT) || (o.NX && (o.GT || o.LT)):
		return ErrGTLTNX
	case o.Incr && n != 1:
		return ErrIncrPair
	}
	return nil
}

// AddResult is what ZADD replies.
type AddResult struct {
	// Count is the number of members added; with CH, the number added or
	// whose score changed.
	Count int
	// Applied reports whether any pair was written: with INCR, false
	// means NX, XX, GT or LT stopped the increment and Redis replies nil.
	Applied bool
	// Score is, with INCR, the member's new score.
	Score float64
}

// Add sets the scores of members as ZADD does, at time at, with the
// options opt, and returns the delta and the reply. Pairs are applied in
// order, so a member given twice ends with its last score.
//
// A written member gets a fresh dot, so it survives a concurrent removal,
// and its score becomes a new last-writer-wins base: of concurrent ZADDs
// the greatest at wins, and increments made concurrently elsewhere add to
// it. A pair that sets the score a member already has is still written but
// counts as neither added nor changed. With Incr, Add is IncrBy of the one
// pair, subject to NX, XX, GT and LT.
//
// It returns ErrSyntax (no pairs), ErrXXAndNX, ErrGTLTNX or ErrIncrPair for
// options Redis refuses, and ErrNaN if a score or, with Incr, the result
// is NaN; the set is then unchanged. O(k log n) for k pairs.
func (s *Set) Add(at clock.Stamp, opt AddOptions, pairs ...Pair) (*Set, AddResult, error) {
	if err := opt.check(len(pairs)); err != nil {
		return nil, AddResult{}, err
	}
	for _, p := range pairs {
		if math.IsNaN(p.Score) {
			return nil, AddResult{}, ErrNaN
		}
	}
	if opt.Incr {
		return s.addIncr(at, opt, pairs[0])
	}
	delta := newDelta()
	var res AddResult
	for _, p := range pairs {
		e := s.get(p.Member)
		switch {
		case e == nil || !e.present():
			if opt.XX {
				continue
			}
			res.Count++
		case opt.NX, opt.GT && !(p.Score > e.score), opt.LT && !(p.Score < e.score):
			continue
		case opt.CH && p.Score != e.score:
			res.Count++
		}
		res.Applied = true
		s.write(delta, at, p.Member, p.Score)
	}
	return delta, res, nil
}

// addIncr is Add with the Incr option.
func (s *Set) addIncr(at clock.Stamp, opt AddOptions, p Pair) (*Set, AddResult, error) {
	e := s.get(p.Member)
	present := e != nil && e.present()
	if (present && opt.NX) || (!present && opt.XX) {
		return newDelta(), AddResult{}, nil
	}
	if present && (opt.GT || opt.LT) {
		next := e.score + p.Score
		if math.IsNaN(next) {
			return nil, AddResult{}, ErrNaN
		}
		if (opt.GT && !(next > e.score)) || (opt.LT && !(next < e.score)) {
			return newDelta(), AddResult{}, nil
		}
	}
	old := 0.0
	if present {
		old = e.score
	}
	delta, score, err := s.IncrBy(at, p.Member, p.Score)
	if err != nil {
		return nil, AddResult{}, err
	}
	res := AddResult{Applied: true, Score: score}
	if !present || (opt.CH && score != old) {
		res.Count = 1
	}
	return delta, res, nil
}

// IncrBy adds incr to the member's score (ZINCRBY) as replica at.Replica
// and returns the delta and the new score. A member not in the set is
// added with score incr. The member gets a fresh dot, so it survives a
// concurrent removal; increments made concurrently add up, and a removal
// that did not see this one leaves it standing alone.
//
// It returns ErrNaN, changing nothing, if incr or the result is NaN (an
// infinite score incremented by the opposite infinity). A result of ±Inf
// is written as a ZADD of that infinity at at (see the package
// documentation). O(r + b + log n) for r replicas that incremented the
// member and b concurrent bases, both usually 0 or 1.
func (s *Set) IncrBy(at clock.Stamp, member string, incr float64) (*Set, float64, error) {
	e := s.get(member)
	cur := 0.0
	if e != nil {
		cur = e.score
	}
	next := cur + incr
	if math.IsNaN(next) {
		return nil, 0, ErrNaN
	}
	fresh := e == nil
	if fresh {
		e = &entry{member: member}
	}
	delta := newDelta()
	de := &entry{member: member}
	if math.IsInf(incr, 0) || e.incr(at.Replica, incr, de) != nil {
		e.write(at, next, de)
	}
	s.addDot(delta, at.Replica, e, de)
	if fresh {
		s.members.Set(member, slot{e}) // only now is its store non-empty
	}
	delta.put(de)
	s.reindex(e)
	return delta, e.score, nil
}

// Remove removes members (ZREM) as replica id and returns the delta and the
// number of members that were present. Only the adds this replica has seen
// are removed, and only the score it has seen is cancelled: a concurrent
// ZADD or ZINCRBY survives. O(k log n) for k members.
func (s *Set) Remove(id clock.ReplicaID, members ...string) (*Set, int) {
	delta := newDelta()
	n := 0
	for _, m := range members {
		if e := s.get(m); e != nil && e.present() {
			s.remove(delta, id, e)
			n++
		}
	}
	return delta, n
}

// RemoveRangeByRank removes the members ranked start to stop, inclusive
// (ZREMRANGEBYRANK; negative ranks count from the end as in Range), and
// returns the delta and the number removed. O((k + 1) log n) for k members
// removed.
func (s *Set) RemoveRangeByRank(id clock.ReplicaID, start, stop int) (*Set, int) {
	return s.removeAll(id, s.collectRank(start, stop, false))
}

// RemoveRangeByScore removes the members with scores in [min, max] (bounds
// exclusive as marked; ZREMRANGEBYSCORE) and returns the delta and the
// number removed. O((k + 1) log n).
func (s *Set) RemoveRangeByScore(id clock.ReplicaID, min, max ScoreBound) (*Set, int) {
	r := s.reader()
	lo, hi := r.scoreSpan(min, max)
	return s.removeAll(id, s.collect(r, lo, hi, false))
}

// RemoveRangeByLex removes the members between min and max in byte order
// (ZREMRANGEBYLEX; meaningful when all scores are equal, see RangeByLex)
// and returns the delta and the number removed. O((k + 1) log n).
func (s *Set) RemoveRangeByLex(id clock.ReplicaID, min, max LexBound) (*Set, int) {
	r := s.reader()
	lo, hi := r.lexSpan(min, max)
	return s.removeAll(id, s.collect(r, lo, hi, false))
}

// PopMin removes the count members with the lowest scores (ZPOPMIN) and
// returns the delta and them, lowest first. A count of 0 or less removes
// nothing. O((count + 1) log n).
func (s *Set) PopMin(id clock.ReplicaID, count int) (*Set, []Pair) {
	if count <= 0 {
		return newDelta(), nil
	}
	return s.pop(id, s.collectRank(0, count-1, false))
}

// PopMax removes the count members with the highest scores (ZPOPMAX) and
// returns the delta and them, highest first. A count of 0 or less removes
// nothing. O((count + 1) log n).
func (s *Set) PopMax(id clock.ReplicaID, count int) (*Set, []Pair) {
	if count <= 0 {
		return newDelta(), nil
	}
	return s.pop(id, s.collectRank(0, count-1, true))
}

// Clear removes every member (DEL of the key) as replica id and returns the
// delta. It removes only the adds and cancels only the scores this replica
// has seen, so members written concurrently elsewhere survive. O(n).
func (s *Set) Clear(id clock.ReplicaID) *Set {
	delta := newDelta()
	for _, v := range s.members.All {
		e := v.e
		if !e.present() {
			continue
		}
		e.leaf = nil
		de := &entry{member: e.member}
		for d := range e.dots.All {
			delta.ctx.Add(d)
		}
		e.dots = merge.DotSet{}
		e.reset(id, de)
		delta.put(de)
	}
	s.index = nil
	return delta
}

// write sets member's score to score at time at and records the change in
// delta.
func (s *Set) write(delta *Set, at clock.Stamp, member string, score float64) {
	e := s.get(member)
	fresh := e == nil
	if fresh {
		e = &entry{member: member}
	}
	de := &entry{member: member}
	e.write(at, score, de)
	s.addDot(delta, at.Replica, e, de)
	if fresh {
		s.members.Set(member, slot{e}) // only now is its store non-empty
	}
	delta.put(de)
	s.reindex(e)
}

// remove removes the present member e and records the change in delta.
func (s *Set) remove(delta *Set, id clock.ReplicaID, e *entry) {
	de := &entry{member: e.member}
	for d := range e.dots.All {
		delta.ctx.Add(d)
	}
	e.dots = merge.DotSet{}
	e.reset(id, de)
	delta.put(de)
	s.reindex(e)
}

// addDot gives e a fresh dot of replica id that replaces the dots this
// replica has seen, as an observed-remove set's add does, in s and in the
// delta entry de, and puts the dots involved in delta's context.
func (s *Set) addDot(delta *Set, id clock.ReplicaID, e, de *entry) {
	e.dots = merge.ObservedWrite(&s.ctx, &delta.ctx, &e.dots, id)
	de.dots = e.dots
}

// put records the delta entry de of one operation in the delta d. If d
// already holds the member (a member given twice in one call), de's dots
// replace its own, which the operation saw, and the counters merge.
func (d *Set) put(de *entry) {
	if v, ok := d.members.Get(de.member); ok {
		v.e.dots = de.dots
		v.e.mergeScore(de)
		return
	}
	d.members.Set(de.member, slot{de})
}

// removeAll removes the present members es and returns the delta and their
// number.
func (s *Set) removeAll(id clock.ReplicaID, es []*entry) (*Set, int) {
	delta := newDelta()
	for _, e := range es {
		s.remove(delta, id, e)
	}
	return delta, len(es)
}

// pop removes es and returns the delta and their pairs, in es's order.
func (s *Set) pop(id clock.ReplicaID, es []*entry) (*Set, []Pair) {
	out := make([]Pair, len(es))
	for i, e := range es {
		out[i] = Pair{Member: e.member, Score: e.score}
	}
	delta, _ := s.removeAll(id, es)
	return delta, out
}

// collectRank returns the entries ranked start to stop (Redis ranges;
// reversed ranks if rev) in rank order.
func (s *Set) collectRank(start, stop int, rev bool) []*entry {
	r := s.reader()
	lo, hi, ok := rankSpan(start, stop, r.Len())
	if !ok {
		return nil
	}
	return s.collect(r, lo, hi, rev)
}

// collect returns s's entries for the items at ranks [lo, hi) of r, s's
// reader (see walk for rev).
func (s *Set) collect(r *Set, lo, hi int, rev bool) []*entry {
	if hi <= lo {
		return nil
	}
	out := make([]*entry, 0, hi-lo)
	for it := range r.walk(lo, hi, rev) {
		e := it.e
		if r != s {
			e = s.get(e.member)
		}
		out = append(out, e)
	}
	return out
}
