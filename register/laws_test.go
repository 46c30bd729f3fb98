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

// checkLWWReads checks that Get finds a value exactly when Stamp finds the
// winning write, and that the register its encoding decodes to reads the
// same.
func checkLWWReads(r *register.LWW) error {
	v, ok := r.Get()
	st, sok := r.Stamp()
	if ok != sok || (!ok && (v != "" || st != clock.Stamp{})) {
		return fmt.Errorf("Get() = %q, %t, but Stamp() = %v, %t", v, ok, st, sok)
	}
	b, err := r.AppendBinary(nil)
	if err != nil {
		return err
	}
	dec := register.NewLWW()
	if err := dec.UnmarshalBinary(b); err != nil {
		return err
	}
	dv, dok := dec.Get()
	dst, _ := dec.Stamp()
	if dv != v || dok != ok || dst != st {
		return fmt.Errorf("Get() = %q, %t at %v, but its decoded encoding's = %q, %t at %v", v, ok, st, dv, dok, dst)
	}
	return nil
}

// checkTTLReads checks that Expired and Remaining agree with Deadline: a
// key with a deadline has 0 ms left at it and has expired 1 ms later, one
// without never expires and has no TTL (-1); and that the TTL its encoding
// decodes to has the same deadline.
func checkTTLReads(t *register.TTL) error {
	dl, ok := t.Deadline()
	if ok {
		if t.Expired(dl) || t.Remaining(dl) != 0 || !t.Expired(dl+1) || t.Remaining(dl+1) != -2 {
			return fmt.Errorf("Deadline() = %d, but Expired and Remaining at it are %t, %d and 1 ms later %t, %d",
				dl, t.Expired(dl), t.Remaining(dl), t.Expired(dl+1), t.Remaining(dl+1))
		}
	} else {
		for _, now := range []int64{0, 1_000_500, 1_005_001, 1 << 62} {
			if t.Expired(now) || t.Remaining(now) != -1 {
				return fmt.Errorf("no Deadline(), but at %d Expired() = %t and Remaining() = %d", now, t.Expired(now), t.Remaining(now))
			}
		}
	}
	b, err := t.AppendBinary(nil)
	if err != nil {
		return err
	}
	dec := register.NewTTL()
	if err := dec.UnmarshalBinary(b); err != nil {
		return err
	}
	if ddl, dok := dec.Deadline(); ddl != dl || dok != ok {
		return fmt.Errorf("Deadline() = %d, %t, but its decoded encoding's = %d, %t", dl, ok, ddl, dok)
	}
	return nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("LWW/%d replicas", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*register.LWW, lwwOp]{
				New:      register.NewLWW,
				Apply:    applyLWW,
				Op:       genLWWOp(),
				Check:    checkLWWReads,
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
				Check:    checkTTLReads,
				Replicas: replicas,
				Cases:    500,
				Seed:     int64(replicas),
			})
		})
	}
}
