package zset

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

const (
	replicaA clock.ReplicaID = 1
	replicaB clock.ReplicaID = 2
	replicaC clock.ReplicaID = 3
)

// stamp returns the stamp of a write by id at wall time ms.
func stamp(ms int64, id clock.ReplicaID) clock.Stamp {
	return clock.Stamp{Time: clock.NewTimestamp(ms, 0), Replica: id}
}

// zadd adds one pair without options and fails t on error.
func zadd(t testing.TB, s *Set, at clock.Stamp, member string, score float64) *Set {
	t.Helper()
	d, _, err := s.Add(at, AddOptions{}, Pair{Member: member, Score: score})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// zincr increments one member and fails t on error.
func zincr(t testing.TB, s *Set, at clock.Stamp, member string, by float64) *Set {
	t.Helper()
	d, _, err := s.IncrBy(at, member, by)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkIndex fails t unless s's index holds exactly its present members,
// ordered by (score, member), with every member's leaf and score right.
func checkIndex(t testing.TB, s *Set) {
	t.Helper()
	if err := indexError(s); err != "" {
		t.Fatal(err)
	}
}

// indexError returns why s's index is inconsistent, or "".
func indexError(s *Set) string {
	if s.members.IsDelta() {
		if s.index != nil {
			return "a delta holds an index"
		}
		return ""
	}
	var want []Pair
	for m, v := range s.members.All {
		if v.e.member != m {
			return fmt.Sprintf("entry of %q names %q", m, v.e.member)
		}
		if got, want := v.e.score, scoreOf(v.e.counter()); math.Float64bits(got) != math.Float64bits(want) {
			return fmt.Sprintf("member %q: cached score %v, its counter reads %v", m, got, want)
		}
		if !v.e.present() {
			if v.e.leaf != nil {
				return fmt.Sprintf("absent member %q has a leaf", m)
			}
			continue
		}
		want = append(want, Pair{Member: m, Score: v.e.score})
	}
	slices.SortFunc(want, func(a, b Pair) int {
		if c := cmp.Compare(a.Score, b.Score); c != 0 {
			return c
		}
		return strings.Compare(a.Member, b.Member)
	})
	var got []Pair
	if s.index != nil {
		for c, it := range s.index.All {
			if it.e.leaf != c.Leaf {
				return fmt.Sprintf("member %q: leaf pointer is stale", it.e.member)
			}
			if it.score != it.e.score {
				return fmt.Sprintf("member %q indexed at %v, scores %v", it.e.member, it.score, it.e.score)
			}
			if e := s.get(it.e.member); e != it.e {
				return fmt.Sprintf("member %q: index holds a foreign entry", it.e.member)
			}
			got = append(got, Pair{Member: it.e.member, Score: it.score})
		}
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("index order\n got %v\nwant %v", got, want)
	}
	if s.Len() != len(want) {
		return fmt.Sprintf("Len %d, want %d", s.Len(), len(want))
	}
	return ""
}
