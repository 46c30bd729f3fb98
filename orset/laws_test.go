package orset_test

import (
	"fmt"
	"slices"
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

// universe is every member setOp names.
var universe = []string{"a", "b", "c", "d", ""}

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

// checkSetReads checks that a set's reads agree: Members is ascending
// without repeats, Len is its length, All yields it, every member and no
// other Contains, Any picks a member, the set operations of the set alone
// give its members, and the set its encoding decodes to reads the same.
func checkSetReads(s *orset.Set) error {
	ms := s.Members()
	if s.Len() != len(ms) {
		return fmt.Errorf("Len() = %d, but Members() = %q", s.Len(), ms)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i-1] >= ms[i] {
			return fmt.Errorf("Members() = %q is not strictly ascending", ms)
		}
	}
	if all := slices.Sorted(s.All()); !slices.Equal(all, ms) {
		return fmt.Errorf("All() yields %q, but Members() = %q", all, ms)
	}
	for _, m := range universe {
		if s.Contains(m) != slices.Contains(ms, m) {
			return fmt.Errorf("Contains(%q) = %t, but Members() = %q", m, s.Contains(m), ms)
		}
	}
	if m, ok := s.Any(); ok != (len(ms) > 0) || (ok && !slices.Contains(ms, m)) {
		return fmt.Errorf("Any() = %q, %t, but Members() = %q", m, ok, ms)
	}
	if u, i, d := orset.Union(s), orset.Inter(s), orset.Diff(s); !slices.Equal(u, ms) || !slices.Equal(i, ms) || !slices.Equal(d, ms) {
		return fmt.Errorf("Union, Inter and Diff of the set alone = %q, %q, %q, but Members() = %q", u, i, d, ms)
	}
	b, err := s.AppendBinary(nil)
	if err != nil {
		return err
	}
	dec := orset.New()
	if err := dec.UnmarshalBinary(b); err != nil {
		return err
	}
	if dm := dec.Members(); !slices.Equal(dm, ms) || dec.Len() != len(ms) {
		return fmt.Errorf("Members() = %q, but its decoded encoding's are %q (Len %d)", ms, dm, dec.Len())
	}
	return nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*orset.Set, setOp]{
				New:      orset.New,
				Apply:    applySetOp,
				Op:       genSetOp(),
				Check:    checkSetReads,
				Replicas: replicas,
				Cases:    500,
			})
		})
	}
}
