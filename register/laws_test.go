package register_test

import (
	"fmt"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge/mergetest"
	"github.com/redcrdt/redcrdt/register"
)

// lwwOp is SET Value, or DEL when Del is set.
type lwwOp struct {
	Del   bool
	Value string
}

func (o lwwOp) String() string {
	if o.Del {
		return "DEL"
	}
	return "SET " + o.Value
}

func genLWWOp() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: gen.OneConstOf("a", "b", "c", "").Map(func(v string) lwwOp { return lwwOp{Value: v} })},
		{Weight: 1, Gen: gen.Const(lwwOp{Del: true})},
	})
}

func applyLWW(s *register.LWW, at clock.Stamp, op lwwOp) (*register.LWW, error) {
	if op.Del {
		return s.Clear(at.Replica), nil
	}
	return s.Set(at, op.Value), nil
}

// ttlOp is PEXPIREAT AtMillis, PERSIST, or a reset (SET without KEEPTTL).
type ttlOp struct {
	Kind     byte // 'e', 'p' or 'r'
	AtMillis int64
}

func (o ttlOp) String() string {
	switch o.Kind {
	case 'p':
		return "PERSIST"
	case 'r':
		return "RESET"
	}
	return fmt.Sprintf("PEXPIREAT %d", o.AtMillis)
}

func genTTLOp() gopter.Gen {
	// Few distinct deadlines, so concurrent expires often tie.
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: gen.OneConstOf(int64(1_000_500), int64(1_002_000), int64(1_005_000)).Map(func(at int64) ttlOp {
			return ttlOp{Kind: 'e', AtMillis: at}
		})},
		{Weight: 1, Gen: gen.Const(ttlOp{Kind: 'p'})},
		{Weight: 1, Gen: gen.Const(ttlOp{Kind: 'r'})},
	})
}

func applyTTL(s *register.TTL, at clock.Stamp, op ttlOp) (*register.TTL, error) {
	switch op.Kind {
	case 'p':
		return s.Persist(at.Replica), nil
	case 'r':
		return s.Reset(at.Replica), nil
	}
	return s.Expire(at.Replica, op.AtMillis), nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("LWW/%d replicas", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*register.LWW, lwwOp]{
				New:      register.NewLWW,
				Apply:    applyLWW,
				Op:       genLWWOp(),
				Replicas: replicas,
				Cases:    500,
				Seed:     int64(replicas),
			})
		})
		t.Run(fmt.Sprintf("TTL/%d replicas", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*register.TTL, ttlOp]{
				New:      register.NewTTL,
				Apply:    applyTTL,
				Op:       genTTLOp(),
				Replicas: replicas,
				Cases:    500,
				Seed:     int64(replicas),
			})
		})
	}
}
