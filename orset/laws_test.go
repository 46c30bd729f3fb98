package orset_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge/mergetest"
	"github.com/redcrdt/redcrdt/orset"
)

// setOp is SADD, SREM or DEL of a few members from a small universe, so
// that concurrent adds and removes of one member are common.
type setOp struct {
	Kind    byte // 'a' SADD, 'r' SREM, 'd' DEL
	Members []string
}

func (o setOp) String() string {
	switch o.Kind {
	case 'a':
		return "SADD " + strings.Join(o.Members, " ")
	case 'r':
		return "SREM " + strings.Join(o.Members, " ")
	}
	return "DEL"
}

func genSetOp() gopter.Gen {
	members := gen.SliceOfN(2, gen.OneConstOf("a", "b", "c", "d", ""))
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 5, Gen: members.Map(func(m []string) setOp { return setOp{Kind: 'a', Members: m} })},
		{Weight: 3, Gen: members.Map(func(m []string) setOp { return setOp{Kind: 'r', Members: m} })},
		{Weight: 1, Gen: gen.Const(setOp{Kind: 'd'})},
	})
}

func applySetOp(s *orset.Set, at clock.Stamp, op setOp) (*orset.Set, error) {
	switch op.Kind {
	case 'a':
		d, _ := s.Add(at.Replica, op.Members...)
		return d, nil
	case 'r':
		d, _ := s.Remove(op.Members...)
		return d, nil
	}
	return s.Clear(), nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*orset.Set, setOp]{
				New:      orset.New,
				Apply:    applySetOp,
				Op:       genSetOp(),
				Replicas: replicas,
				Cases:    500,
			})
		})
	}
}
