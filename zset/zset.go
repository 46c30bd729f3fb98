package zset

import (
	"errors"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/ostree"
	"github.com/redcrdt/redcrdt/merge"
)

// Errors returned by the mutators and the bound parsers. A mutator that
// returns one has changed nothing. The strings follow Redis's replies.
var (
	// ErrNaN is returned by Add and IncrBy when a score, an increment or
	// the score an increment would produce is NaN.
	ErrNaN = errors.New("zset: resulting score is not a number (NaN)")
	// ErrXXAndNX is returned by Add given both NX and XX.
	ErrXXAndNX = errors.New("zset: XX and NX options at the same time are not compatible")
	// ErrGTLTNX is returned by Add given two of GT, LT and NX.
	ErrGTLTNX = errors.New("zset: GT, LT, and/or NX options at the same time are not compatible")
	// ErrSyntax is returned by Add given no pairs.
	ErrSyntax = errors.New("zset: syntax error")
	// ErrIncrPair is returned by Add given INCR and not exactly one pair.
	ErrIncrPair = errors.New("zset: INCR option supports a single increment-element pair")
	// ErrScoreBound is returned by ParseScoreBound for text that is not a
	// score bound.
	ErrScoreBound = errors.New("zset: min or max is not a float")
	// ErrLexBound is returned by ParseLexBound for text that is not a
	// lexicographical bound.
	ErrLexBound = errors.New("zset: min or max not valid string range item")
)

// members is the dot store of a sorted set: member → its dots and score.
// Each slot's entry holds its member, so the table keeps no key beside it.
type members = merge.KeyedDotMap[slot, *slot]

// Set is a replicated Redis sorted set. See the package documentation for
// the conflict rules.
//
// A Set is a full state or a delta (the value a mutator returns); both
// merge the same way. A full state keeps an ordered index of its members;
// a delta does not, and its ordered reads build one each time (O(k log k)
// for its k members). Write operations, Merge included, are not safe for
// concurrent use; reads (Score, Rank, Range and the other queries, Equal,
// Clone, AppendBinary) do not modify a full state and may run concurrently
// with each other. The zero value is an empty set ready to use.
type Set struct {
	ctx     clock.CausalContext
	members members
	// index orders the present members of a full state by (score,
	// member); nil in a delta, and in a full state that has not held a
	// member since it was made or cleared.
	index *ostree.Tree[item]
}

var _ merge.State[*Set] = (*Set)(nil)

// Pair is a member with its score, as ZADD takes and ZRANGE … WITHSCORES
// returns them.
type Pair struct {
	Member string
	Score  float64
}

// New returns an empty sorted set.
func New() *Set { return &Set{} }

// newDelta returns an empty delta.
func newDelta() *Set {
	d := &Set{}
	d.members.MarkDelta()
	return d
}

// get returns the member's entry, or nil.
func (s *Set) get(member string) *entry {
	v, _ := s.members.Get(member)
	return v.e
}

// Len returns the number of members (ZCARD). O(1) for a full state; a
// delta counts the members it adds, in O(k).
func (s *Set) Len() int {
	if !s.members.IsDelta() {
		if s.index == nil {
			return 0
		}
		return s.index.Len()
	}
	n := 0
	for _, v := range s.members.All {
		if v.e.present() {
			n++
		}
	}
	return n
}

// Score returns the member's score (ZSCORE), or (0, false) if it is not in
// the set. O(1).
func (s *Set) Score(member string) (float64, bool) {
	e := s.get(member)
	if e == nil || !e.present() {
		return 0, false
	}
	return e.score, true
}

// Merge joins other into s and reports whether s changed. other, a full
// state or a delta, is not modified.
//
// Membership joins as an observed-remove set and each touched member's
// score counter by counter.Counter.Merge; then only the members other
// names are re-indexed. Merging a delta of k members costs O(k log n);
// merging a full state O((n + m) + c log n) for m members in other and c
// members whose place changed.
func (s *Set) Merge(other *Set) bool {
	if other == s {
		return false
	}
	wasDelta := s.members.IsDelta()
	changed := s.members.Join(&s.ctx, &other.members, &other.ctx)
	if s.ctx.Merge(&other.ctx) {
		changed = true
	}
	switch {
	case s.members.IsDelta():
		// A delta keeps no index.
	case wasDelta:
		s.rebuildIndex()
	case other.members.IsDelta():
		for m := range other.members.All {
			if e := s.get(m); e != nil {
				s.reindex(e)
			}
		}
	default:
		for _, v := range s.members.All {
			s.reindex(v.e)
		}
	}
	return changed
}

// Clone returns a deep copy of s. O(n).
func (s *Set) Clone() *Set {
	out := &Set{ctx: s.ctx.Clone(), members: s.members.Clone()}
	if s.index != nil && s.index.Len() > 0 {
		out.index = newIndex()
		for _, it := range s.index.All {
			out.appendIndex(out.get(it.e.member))
		}
	}
	return out
}

// Equal reports whether s and o are the same state: the same members with
// the same dots and equal score counters (removed members' included), the
// same causal context, both deltas or both full states. O(n).
func (s *Set) Equal(o *Set) bool { return s.ctx.Equal(&o.ctx) && s.members.Equal(&o.members) }

// reader returns s if it is a full state, and otherwise a full state
// holding the delta s, for ordered reads.
func (s *Set) reader() *Set {
	if !s.members.IsDelta() {
		return s
	}
	full := New()
	full.Merge(s)
	return full
}
