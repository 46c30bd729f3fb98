package counter_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// lawOp is one counter command: INCR, INCRBY N, DECRBY N, INCRBYFLOAT F,
// SET V or DEL.
type lawOp struct {
	Kind byte // 'i', 'b', 'd', 'f', 's' or 'x'
	N    int64
	F    float64
	V    counter.Number
}

func (o lawOp) String() string {
	switch o.Kind {
	case 'i':
		return "INCR"
	case 'b':
		return fmt.Sprintf("INCRBY %d", o.N)
	case 'd':
		return fmt.Sprintf("DECRBY %d", o.N)
	case 'f':
		return fmt.Sprintf("INCRBYFLOAT %v", o.F)
	case 's':
		return "SET " + o.V.String()
	}
	return "DEL"
}

func genLawOp() gopter.Gen {
	// Mostly small values, so values stay integers and in range long
	// enough for resets and SETs to matter; some huge ones, so overflow
	// and infinity refusals happen.
	ints := gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: gen.Int64Range(-20, 20)},
		{Weight: 1, Gen: gen.OneConstOf(int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt64/2+1), int64(-1<<62))},
		{Weight: 1, Gen: gen.Int64()},
	})
	floats := gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: gen.OneConstOf(0.5, -0.25, 0.1, 3.0, 0.0)},
		{Weight: 1, Gen: gen.Float64Range(-1e6, 1e6)},
		{Weight: 1, Gen: gen.OneConstOf(1e308, -1e308, math.MaxFloat64)},
	})
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 3, Gen: gen.Const(lawOp{Kind: 'i'})},
		{Weight: 4, Gen: ints.Map(func(n int64) lawOp { return lawOp{Kind: 'b', N: n} })},
		{Weight: 1, Gen: ints.Map(func(n int64) lawOp { return lawOp{Kind: 'd', N: n} })},
		{Weight: 2, Gen: floats.Map(func(f float64) lawOp { return lawOp{Kind: 'f', F: f} })},
		{Weight: 1, Gen: ints.Map(func(n int64) lawOp { return lawOp{Kind: 's', V: counter.IntNumber(n)} })},
		{Weight: 1, Gen: floats.Map(func(f float64) lawOp { return lawOp{Kind: 's', V: counter.FloatNumber(f)} })},
		{Weight: 2, Gen: gen.Const(lawOp{Kind: 'x'})},
	})
}

func applyLawOp(s *counter.Counter, at clock.Stamp, op lawOp) (*counter.Counter, error) {
	switch op.Kind {
	case 'i':
		return s.Incr(at.Replica)
	case 'b':
		return s.IncrBy(at.Replica, op.N)
	case 'd':
		return s.DecrBy(at.Replica, op.N)
	case 'f':
		return s.IncrByFloat(at.Replica, op.F)
	case 's':
		return s.Set(at, op.V)
	}
	return s.Reset(at.Replica), nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("%d replicas", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*counter.Counter, lawOp]{
				New:      counter.New,
				Apply:    applyLawOp,
				Op:       genLawOp(),
				Replicas: replicas,
				Cases:    500,
				Seed:     int64(replicas),
			})
		})
	}
}
