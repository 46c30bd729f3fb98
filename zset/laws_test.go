package zset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// zop is one sorted-set command over a small universe of members and
// scores, so that concurrent writes to one member are common.
type zop struct {
	Kind    byte // 'a' ZADD, 'i' ZINCRBY, 'r' ZREM, 'k' ZREMRANGEBYRANK, 's' ZREMRANGEBYSCORE, 'l' ZREMRANGEBYLEX, 'p' ZPOPMIN, 'P' ZPOPMAX, 'd' DEL
	Pairs   []Pair
	Opt     AddOptions
	Lo, Hi  int
	Members []string
}

func (o zop) String() string {
	switch o.Kind {
	case 'a':
		return fmt.Sprintf("ZADD %+v %v", o.Opt, o.Pairs)
	case 'i':
		return fmt.Sprintf("ZINCRBY %v", o.Pairs[0])
	case 'r':
		return fmt.Sprintf("ZREM %v", o.Members)
	case 'k':
		return fmt.Sprintf("ZREMRANGEBYRANK %d %d", o.Lo, o.Hi)
	case 's':
		return fmt.Sprintf("ZREMRANGEBYSCORE %d %d", o.Lo, o.Hi)
	case 'l':
		return fmt.Sprintf("ZREMRANGEBYLEX [%s [%s", o.Members[0], o.Members[1])
	case 'p':
		return fmt.Sprintf("ZPOPMIN %d", o.Lo)
	case 'P':
		return fmt.Sprintf("ZPOPMAX %d", o.Lo)
	}
	return "DEL"
}

func genZOp() gopter.Gen {
	member := gen.OneConstOf("a", "b", "c", "")
	score := gen.OneConstOf(0.0, 1.0, 1.5, -2.0, 5.0, math.Inf(1), math.Inf(-1))
	pair := gopter.CombineGens(member, score).Map(func(v []any) Pair {
		return Pair{Member: v[0].(string), Score: v[1].(float64)}
	})
	opts := gen.OneConstOf(
		AddOptions{}, AddOptions{NX: true}, AddOptions{XX: true},
		AddOptions{GT: true, CH: true}, AddOptions{LT: true}, AddOptions{Incr: true},
		AddOptions{XX: true, GT: true, Incr: true}, AddOptions{NX: true, XX: true},
	)
	small := gen.IntRange(-3, 3)
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 6, Gen: gopter.CombineGens(opts, gen.SliceOfN(2, pair)).Map(func(v []any) zop {
			o := zop{Kind: 'a', Opt: v[0].(AddOptions), Pairs: v[1].([]Pair)}
			if o.Opt.Incr {
				o.Pairs = o.Pairs[:1]
			}
			return o
		})},
		{Weight: 4, Gen: pair.Map(func(p Pair) zop { return zop{Kind: 'i', Pairs: []Pair{p}} })},
		{Weight: 3, Gen: gen.SliceOfN(2, member).Map(func(m []string) zop { return zop{Kind: 'r', Members: m} })},
		{Weight: 1, Gen: gopter.CombineGens(small, small).Map(func(v []any) zop {
			return zop{Kind: 'k', Lo: v[0].(int), Hi: v[1].(int)}
		})},
		{Weight: 1, Gen: gopter.CombineGens(small, small).Map(func(v []any) zop {
			return zop{Kind: 's', Lo: v[0].(int), Hi: v[1].(int)}
		})},
		{Weight: 1, Gen: gen.SliceOfN(2, member).Map(func(m []string) zop { return zop{Kind: 'l', Members: m} })},
		{Weight: 1, Gen: gen.IntRange(0, 2).Map(func(n int) zop { return zop{Kind: 'p', Lo: n} })},
		{Weight: 1, Gen: gen.IntRange(0, 2).Map(func(n int) zop { return zop{Kind: 'P', Lo: n} })},
		{Weight: 1, Gen: gen.Const(zop{Kind: 'd'})},
	})
}

func applyZOp(s *Set, at clock.Stamp, op zop) (*Set, error) {
	var d *Set
	var err error
	switch op.Kind {
	case 'a':
		d, _, err = s.Add(at, op.Opt, op.Pairs...)
	case 'i':
		d, _, err = s.IncrBy(at, op.Pairs[0].Member, op.Pairs[0].Score)
	case 'r':
		d, _ = s.Remove(at.Replica, op.Members...)
	case 'k':
		d, _ = s.RemoveRangeByRank(at.Replica, op.Lo, op.Hi)
	case 's':
		d, _ = s.RemoveRangeByScore(at.Replica, ScoreBound{Value: float64(op.Lo)}, ScoreBound{Value: float64(op.Hi), Exclusive: true})
	case 'l':
		d, _ = s.RemoveRangeByLex(at.Replica, LexBound{Member: op.Members[0]}, LexBound{Member: op.Members[1]})
	case 'p':
		d, _ = s.PopMin(at.Replica, op.Lo)
	case 'P':
		d, _ = s.PopMax(at.Replica, op.Lo)
	default:
		d = s.Clear(at.Replica)
	}
	return d, err
}

// checkZReads checks that a state's reads agree with its members sorted by
// (score, member), that its index is consistent, and that the set its
// encoding decodes to reads the same.
func checkZReads(s *Set) error {
	if err := indexError(s.reader()); err != "" {
		return errors.New(err)
	}
	model := sortedPairs(s.reader())
	if all := s.Range(0, -1); !slices.Equal(all, model) {
		return fmt.Errorf("Range(0, -1) = %v, want %v", all, model)
	}
	if n := s.Count(ScoreBound{Value: math.Inf(-1)}, ScoreBound{Value: math.Inf(1)}); n != len(model) || s.Len() != n {
		return fmt.Errorf("Count(-inf, +inf) = %d and Len() = %d, want %d", n, s.Len(), len(model))
	}
	for i, p := range model {
		r, ok := s.Rank(p.Member)
		score, in := s.Score(p.Member)
		if !ok || r != i || !in || score != p.Score {
			return fmt.Errorf("member %q: Rank %d, %t and Score %v, %t; want %d and %v", p.Member, r, ok, score, in, i, p.Score)
		}
	}
	b, err := s.AppendBinary(nil)
	if err != nil {
		return err
	}
	var dec Set
	if err := dec.UnmarshalBinary(b); err != nil {
		return err
	}
	if got := dec.Range(0, -1); !slices.Equal(got, model) {
		return fmt.Errorf("decoded state reads %v, want %v", got, model)
	}
	return nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*Set, zop]{
				New:      New,
				Apply:    applyZOp,
				Op:       genZOp(),
				Check:    checkZReads,
				Replicas: replicas,
				Cases:    300,
				Seed:     int64(replicas),
			})
		})
	}
}
