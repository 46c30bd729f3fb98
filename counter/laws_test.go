package counter_test

import (
	"errors"
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

// genGrowOp generates counter commands that never lower the value: INCR,
// INCRBY and INCRBYFLOAT of small non-negative amounts, SET of a small
// non-negative value, and DEL (which cancels only what it saw). Amounts are
// small so that no sum overflows.
func genGrowOp() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 3, Gen: gen.Const(lawOp{Kind: 'i'})},
		{Weight: 4, Gen: gen.Int64Range(0, 20).Map(func(n int64) lawOp { return lawOp{Kind: 'b', N: n} })},
		{Weight: 1, Gen: gen.Int64Range(-20, 0).Map(func(n int64) lawOp { return lawOp{Kind: 'd', N: n} })},
		{Weight: 2, Gen: gen.OneConstOf(0.5, 0.25, 0.1, 3.0, 0.0, 1e6).Map(func(f float64) lawOp { return lawOp{Kind: 'f', F: f} })},
		{Weight: 1, Gen: gen.Int64Range(0, 20).Map(func(n int64) lawOp { return lawOp{Kind: 's', V: counter.IntNumber(n)} })},
		{Weight: 1, Gen: gen.OneConstOf(0.5, 7.25, 0.0).Map(func(f float64) lawOp { return lawOp{Kind: 's', V: counter.FloatNumber(f)} })},
		{Weight: 2, Gen: gen.Const(lawOp{Kind: 'x'})},
	})
}

// checkReads checks that a counter's reads agree with each other and with
// those of the counter its encoding decodes to (whose caches are built
// afresh): Value, IsFloat, Int, Float and String tell one value, String
// parses back to it, and the empty counter reads 0.
func checkReads(c *counter.Counter) error {
	v := c.Value()
	if c.IsFloat() != v.IsFloat {
		return fmt.Errorf("IsFloat() = %t, but Value() = %#v", c.IsFloat(), v)
	}
	if s := c.String(); s != v.String() {
		return fmt.Errorf("String() = %q, but Value() = %#v formats as %q", s, v, v.String())
	}
	if v.IsFloat {
		if v.Int != 0 || math.Float64bits(c.Float()) != math.Float64bits(v.Float) {
			return fmt.Errorf("Float() = %v, but Value() = %#v", c.Float(), v)
		}
		if want := truncate(v.Float); c.Int() != want {
			return fmt.Errorf("Int() = %d, want %d for Value() = %#v", c.Int(), want, v)
		}
	} else if v.Float != 0 || c.Int() != v.Int || c.Float() != float64(v.Int) {
		return fmt.Errorf("Int() = %d and Float() = %v, but Value() = %#v", c.Int(), c.Float(), v)
	}
	if !math.IsNaN(v.Float) && !math.IsInf(v.Float, 0) {
		n, ok := counter.ParseNumber(c.String())
		if !ok || asFloat(n) != asFloat(v) || (!v.IsFloat && n != v) {
			return fmt.Errorf("ParseNumber(String() = %q) = %#v, %t, not Value() = %#v", c.String(), n, ok, v)
		}
	}
	if c.IsEmpty() && v != counter.IntNumber(0) {
		return fmt.Errorf("IsEmpty(), but Value() = %#v", v)
	}
	b, err := c.AppendBinary(nil)
	if err != nil {
		return err
	}
	d := counter.New()
	if err := d.UnmarshalBinary(b); err != nil {
		return err
	}
	if dv := d.Value(); dv.IsFloat != v.IsFloat || dv.Int != v.Int || math.Float64bits(dv.Float) != math.Float64bits(v.Float) {
		return fmt.Errorf("Value() = %#v, but its decoded encoding reads %#v", v, dv)
	}
	base, ok := c.Base()
	if dbase, dok := d.Base(); dok != ok || dbase != base {
		return fmt.Errorf("Base() = %#v, %t, but its decoded encoding's is %#v, %t", base, ok, dbase, dok)
	}
	return nil
}

// asFloat returns n as a float64.
func asFloat(n counter.Number) float64 {
	if n.IsFloat {
		return n.Float
	}
	return float64(n.Int)
}

// truncate returns f truncated toward zero and clamped to the int64 range,
// 0 for NaN, as Counter.Int documents.
func truncate(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f < math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// errNegative is checkGrowing's error.
var errNegative = errors.New("a counter never lowered reads negative")

// checkGrowing is checkReads, and that a counter never lowered (genGrowOp)
// never reads negative, even on a replica holding a DEL that overtook the
// increments it saw.
func checkGrowing(c *counter.Counter) error {
	if err := checkReads(c); err != nil {
		return err
	}
	if v := c.Value(); v.Int < 0 || v.Float < 0 {
		return fmt.Errorf("%w: Value() = %#v", errNegative, v)
	}
	return nil
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
				Check:    checkReads,
				Replicas: replicas,
				Cases:    500,
				Seed:     int64(replicas),
			})
		})
		t.Run(fmt.Sprintf("never lowered/%d replicas", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*counter.Counter, lawOp]{
				New:      counter.New,
				Apply:    applyLawOp,
				Op:       genGrowOp(),
				Check:    checkGrowing,
				Replicas: replicas,
				Cases:    500,
				Seed:     int64(replicas),
			})
		})
	}
}
