package hash_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/hash"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// hashOp is one hash command over a small universe of fields and values, so
// that concurrent writes, increments and deletes of one field are common.
type hashOp struct {
	Kind  byte // 's' HSET, 'n' HSETNX, 'i' HINCRBY, 'f' HINCRBYFLOAT, 'd' HDEL, 'D' DEL
	Field string
	Value string
	N     int64
}

func (o hashOp) String() string {
	switch o.Kind {
	case 's':
		return fmt.Sprintf("HSET %s %q", o.Field, o.Value)
	case 'n':
		return fmt.Sprintf("HSETNX %s %q", o.Field, o.Value)
	case 'i':
		return fmt.Sprintf("HINCRBY %s %d", o.Field, o.N)
	case 'f':
		return fmt.Sprintf("HINCRBYFLOAT %s %d.5", o.Field, o.N)
	case 'd':
		return "HDEL " + o.Field
	}
	return "DEL"
}

// fields is every field hashOp names.
var fields = []string{"f", "g", "h"}

func genHashOp() gopter.Gen {
	field := gen.OneConstOf("f", "g", "h")
	value := gen.OneConstOf("1", "7", "x", "2.5", "")
	n := gen.Int64Range(-3, 3)
	op := func(kind byte) func([]any) hashOp {
		return func(v []any) hashOp {
			return hashOp{Kind: kind, Field: v[0].(string), Value: v[1].(string), N: v[2].(int64)}
		}
	}
	parts := func(kind byte) gopter.Gen {
		return gopter.CombineGens(field, value, n).Map(op(kind))
	}
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: parts('s')},
		{Weight: 1, Gen: parts('n')},
		{Weight: 4, Gen: parts('i')},
		{Weight: 1, Gen: parts('f')},
		{Weight: 3, Gen: parts('d')},
		{Weight: 1, Gen: gen.Const(hashOp{Kind: 'D'})},
	})
}

func applyHashOp(h *hash.Hash, at clock.Stamp, op hashOp) (*hash.Hash, error) {
	switch op.Kind {
	case 's':
		d, _ := h.Set(at, hash.Pair{Field: op.Field, Value: op.Value})
		return d, nil
	case 'n':
		d, _ := h.SetNX(at, op.Field, op.Value)
		return d, nil
	case 'i':
		d, _, err := h.IncrBy(at.Replica, op.Field, op.N)
		return d, err
	case 'f':
		d, _, err := h.IncrByFloat(at.Replica, op.Field, float64(op.N)+0.5)
		return d, err
	case 'd':
		d, _ := h.Del(at.Replica, op.Field)
		return d, nil
	}
	return h.Clear(at.Replica), nil
}

// checkHashReads checks that a hash's reads agree: Keys is ascending
// without repeats and Len is its length; a field exists, Get finds it and
// StrLen measures it exactly when it is a key; GetAll, Vals and MGet give
// what Get does; and the hash its encoding decodes to reads the same.
func checkHashReads(h *hash.Hash) error {
	keys := h.Keys()
	if h.Len() != len(keys) {
		return fmt.Errorf("Len() = %d, but Keys() = %q", h.Len(), keys)
	}
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			return fmt.Errorf("Keys() = %q is not strictly ascending", keys)
		}
	}
	for _, f := range fields {
		v, ok := h.Get(f)
		if key := slices.Contains(keys, f); ok != key || h.Exists(f) != key || (!ok && v != "") {
			return fmt.Errorf("Get(%q) = %q, %t and Exists = %t, but Keys() = %q", f, v, ok, h.Exists(f), keys)
		}
		if h.StrLen(f) != len(v) {
			return fmt.Errorf("StrLen(%q) = %d, but Get = %q", f, h.StrLen(f), v)
		}
	}
	all, vals := h.GetAll(), h.Vals()
	if len(all) != len(keys) || len(vals) != len(keys) {
		return fmt.Errorf("GetAll() = %q and Vals() = %q, but Keys() = %q", all, vals, keys)
	}
	mvals, mok := h.MGet(fields...)
	for i, f := range fields {
		if v, ok := h.Get(f); mvals[i] != v || mok[i] != ok {
			return fmt.Errorf("MGet(%q) = %q, %t, but Get = %q, %t", f, mvals[i], mok[i], v, ok)
		}
	}
	for i, k := range keys {
		if v, _ := h.Get(k); all[i] != (hash.Pair{Field: k, Value: v}) || vals[i] != v {
			return fmt.Errorf("GetAll()[%d] = %q and Vals()[%d] = %q, but Get(%q) = %q", i, all[i], i, vals[i], k, v)
		}
	}
	b, err := h.AppendBinary(nil)
	if err != nil {
		return err
	}
	dec := hash.New()
	if err := dec.UnmarshalBinary(b); err != nil {
		return err
	}
	if dall := dec.GetAll(); !slices.Equal(dall, all) {
		return fmt.Errorf("GetAll() = %q, but its decoded encoding's is %q", all, dall)
	}
	return nil
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*hash.Hash, hashOp]{
				New:      hash.New,
				Apply:    applyHashOp,
				Op:       genHashOp(),
				Check:    checkHashReads,
				Replicas: replicas,
				Cases:    500,
			})
		})
	}
}
