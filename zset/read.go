package zset

import (
	"errors"
	"iter"
	"math"
	"strconv"
	"strings"
)

// ScoreBound is one end of a score range: Value, included unless
// Exclusive ("(" in Redis syntax). Use ±Inf for "-inf" and "+inf".
type ScoreBound struct {
	Value     float64
	Exclusive bool
}

// ParseScoreBound returns the bound Redis reads from s: a float, "(" and a
// float for an exclusive bound, "-inf" or "+inf". It returns ErrScoreBound
// for anything else, NaN included.
func ParseScoreBound(s string) (ScoreBound, error) {
	var b ScoreBound
	if rest, ok := strings.CutPrefix(s, "("); ok {
		b.Exclusive, s = true, rest
	}
	f, err := strconv.ParseFloat(s, 64)
	if (err != nil && !errors.Is(err, strconv.ErrRange)) || math.IsNaN(f) {
		return ScoreBound{}, ErrScoreBound
	}
	b.Value = f
	return b, nil
}

// below reports whether a score lies below the range that b starts.
func (b ScoreBound) below(score float64) bool {
	return score < b.Value || (b.Exclusive && score == b.Value)
}

// within reports whether a score lies at or below the range end b.
func (b ScoreBound) within(score float64) bool {
	return score < b.Value || (!b.Exclusive && score == b.Value)
}

// LexBound is one end of a range of members in byte order: Member,
// included unless Exclusive, or, if Inf is −1 or +1, below or above every
// member ("-" and "+" in Redis syntax).
type LexBound struct {
	Member    string
	Exclusive bool
	Inf       int
}

// ParseLexBound returns the bound Redis reads from s: "[" or "(" and a
// member for an inclusive or exclusive bound, "-" or "+". It returns
// ErrLexBound for anything else.
func ParseLexBound(s string) (LexBound, error) {
	switch {
	case s == "-":
		return LexBound{Inf: -1}, nil
	case s == "+":
		return LexBound{Inf: 1}, nil
	case strings.HasPrefix(s, "["):
		return LexBound{Member: s[1:]}, nil
	case strings.HasPrefix(s, "("):
		return LexBound{Member: s[1:], Exclusive: true}, nil
	}
	return LexBound{}, ErrLexBound
}

// below reports whether a member lies below the range that b starts.
func (b LexBound) below(m string) bool {
	if b.Inf != 0 {
		return b.Inf > 0
	}
	c := strings.Compare(m, b.Member)
	return c < 0 || (b.Exclusive && c == 0)
}

// within reports whether a member lies at or below the range end b.
func (b LexBound) within(m string) bool {
	if b.Inf != 0 {
		return b.Inf > 0
	}
	c := strings.Compare(m, b.Member)
	return c < 0 || (!b.Exclusive && c == 0)
}

// Rank returns the member's rank, counting from 0 at the lowest score
// (ZRANK), or (0, false) if it is not in the set. O(log n): the member's
// leaf is known, so no search is made.
func (s *Set) Rank(member string) (int, bool) {
	r := s.reader()
	e := r.get(member)
	if e == nil || !e.present() {
		return 0, false
	}
	return r.rank(e), true
}

// RevRank returns the member's rank counting from 0 at the highest score
// (ZREVRANK), or (0, false) if it is not in the set. O(log n).
func (s *Set) RevRank(member string) (int, bool) {
	i, ok := s.Rank(member)
	if !ok {
		return 0, false
	}
	return s.Len() - 1 - i, true
}

// Range returns the members ranked start to stop, both inclusive, lowest
// score first (ZRANGE start stop WITHSCORES). Negative ranks count from the
// end: −1 is the last member. Ranks past either end are clipped; an empty
// range gives nil. O(log n + k) for k members returned.
func (s *Set) Range(start, stop int) []Pair { return s.rangeByRank(start, stop, false) }

// RevRange returns the members ranked start to stop counting from the
// highest score, highest first (ZREVRANGE start stop WITHSCORES), with
// Range's rules for negative and out-of-range ranks. O(log n + k).
func (s *Set) RevRange(start, stop int) []Pair { return s.rangeByRank(start, stop, true) }

func (s *Set) rangeByRank(start, stop int, rev bool) []Pair {
	r := s.reader()
	lo, hi, ok := rankSpan(start, stop, r.Len())
	if !ok {
		return nil
	}
	return r.pairs(lo, hi, rev)
}

// RangeByScore returns the members with scores between min and max (each
// bound inclusive unless Exclusive), lowest first, skipping the first
// offset of them and returning at most count (ZRANGEBYSCORE min max
// WITHSCORES LIMIT offset count). A negative count returns all that
// follow the offset; a negative offset returns nil. O(log n + k).
func (s *Set) RangeByScore(min, max ScoreBound, offset, count int) []Pair {
	r := s.reader()
	lo, hi := r.scoreSpan(min, max)
	lo, hi = limit(lo, hi, offset, count)
	return r.pairs(lo, hi, false)
}

// Count returns the number of members with scores between min and max,
// each bound inclusive unless Exclusive (ZCOUNT). O(log n).
func (s *Set) Count(min, max ScoreBound) int {
	lo, hi := s.reader().scoreSpan(min, max)
	return span(lo, hi)
}

// RangeByLex returns the members between min and max in byte order,
// skipping the first offset and returning at most count, with
// RangeByScore's rules for offset and count (ZRANGEBYLEX min max LIMIT
// offset count). As in Redis, the result is meaningful only when every
// member has the same score, which puts the set in byte order; otherwise it
// is some run of members. O(log n + k).
func (s *Set) RangeByLex(min, max LexBound, offset, count int) []Pair {
	r := s.reader()
	lo, hi := r.lexSpan(min, max)
	lo, hi = limit(lo, hi, offset, count)
	return r.pairs(lo, hi, false)
}

// LexCount returns the number of members between min and max in byte order
// (ZLEXCOUNT), with RangeByLex's proviso. O(log n).
func (s *Set) LexCount(min, max LexBound) int {
	lo, hi := s.reader().lexSpan(min, max)
	return span(lo, hi)
}

// rankSpan turns Redis ranks start and stop (inclusive, negative from the
// end) over n members into the ranks [lo, hi), and false if that is empty.
func rankSpan(start, stop, n int) (lo, hi int, ok bool) {
	if start < 0 {
		start += n
	}
	if stop < 0 {
		stop += n
	}
	start = max(start, 0)
	if start > stop || start >= n {
		return 0, 0, false
	}
	return start, min(stop, n-1) + 1, true
}

// span returns the number of ranks in [lo, hi).
func span(lo, hi int) int { return max(0, hi-lo) }

// limit applies LIMIT offset count to the ranks [lo, hi).
func limit(lo, hi, offset, count int) (int, int) {
	if offset < 0 || offset >= hi-lo {
		return 0, 0
	}
	lo += offset
	if count >= 0 && count < hi-lo {
		hi = lo + count
	}
	return lo, hi
}

// scoreSpan returns the ranks [lo, hi) of the members with scores between
// min and max, hi < lo if there are none. O(log n).
func (s *Set) scoreSpan(min, max ScoreBound) (lo, hi int) {
	lo = s.searchRank(func(x *item) bool { return min.below(x.score) })
	hi = s.searchRank(func(x *item) bool { return max.within(x.score) })
	return lo, hi
}

// lexSpan is scoreSpan for member bounds.
func (s *Set) lexSpan(min, max LexBound) (lo, hi int) {
	lo = s.searchRank(func(x *item) bool { return min.below(x.e.member) })
	hi = s.searchRank(func(x *item) bool { return max.within(x.e.member) })
	return lo, hi
}

// searchRank returns the rank of the first item for which before is
// false, before being true for a prefix of the index. O(log n).
func (s *Set) searchRank(before func(*item) bool) int {
	if s.index == nil {
		return 0
	}
	c, _ := s.index.Search(func(x *item) int {
		if before(x) {
			return -1
		}
		return 1
	})
	i, _ := s.index.Position(c)
	return i
}

// pairs returns the pairs at ranks [lo, hi) (see walk), nil if none.
func (s *Set) pairs(lo, hi int, rev bool) []Pair {
	if hi <= lo {
		return nil
	}
	out := make([]Pair, 0, hi-lo)
	for it := range s.walk(lo, hi, rev) {
		out = append(out, Pair{Member: it.e.member, Score: it.score})
	}
	return out
}

// walk yields the index items at ranks [lo, hi), 0 ≤ lo < hi ≤ Len,
// lowest first; with rev, the ranks count from the highest score and the
// highest comes first. O(log n + (hi − lo)).
func (s *Set) walk(lo, hi int, rev bool) iter.Seq[*item] {
	return func(yield func(*item) bool) {
		n := s.index.Len()
		if !rev {
			c := s.index.AtIndex(lo)
			for range hi - lo {
				if !yield(s.index.At(c)) {
					return
				}
				c = s.index.Next(c)
			}
			return
		}
		c := s.index.AtIndex(n - 1 - lo)
		for range hi - lo {
			if !yield(s.index.At(c)) {
				return
			}
			c, _ = s.index.Prev(c)
		}
	}
}
