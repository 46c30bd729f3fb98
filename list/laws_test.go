package list_test

import (
	"fmt"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/list"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// listOp is one list command. Index and Count are small so positional
// commands land inside short lists (or are refused just outside them) and
// commands by value find their pivots.
type listOp struct {
	Kind   byte // L R i b a s x v t l r d
	Index  int
	Stop   int
	Count  int
	Values []string
}

func (o listOp) String() string {
	switch o.Kind {
	case 'L':
		return fmt.Sprintf("LPUSH %v", o.Values)
	case 'R':
		return fmt.Sprintf("RPUSH %v", o.Values)
	case 'i':
		return fmt.Sprintf("INSERTAT %d %v", o.Index, o.Values)
	case 'b':
		return fmt.Sprintf("LINSERT BEFORE %s %s", o.Values[0], o.Values[1])
	case 'a':
		return fmt.Sprintf("LINSERT AFTER %s %s", o.Values[0], o.Values[1])
	case 's':
		return fmt.Sprintf("LSET %d %s", o.Index, o.Values[0])
	case 'x':
		return fmt.Sprintf("REMOVEAT %d", o.Index)
	case 'v':
		return fmt.Sprintf("LREM %d %s", o.Count, o.Values[0])
	case 't':
		return fmt.Sprintf("LTRIM %d %d", o.Index, o.Stop)
	case 'l':
		return "LPOP"
	case 'r':
		return "RPOP"
	}
	return "DEL"
}

func genListOp() gopter.Gen {
	val := gen.OneConstOf("a", "b", "c")
	vals := gen.SliceOfN(3, val).SuchThat(func(v []string) bool { return len(v) > 0 })
	idx := gen.IntRange(-3, 6)
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: gen.SliceOfN(2, val).Map(func(v []string) listOp { return listOp{Kind: 'L', Values: v} })},
		{Weight: 4, Gen: gen.SliceOfN(2, val).Map(func(v []string) listOp { return listOp{Kind: 'R', Values: v} })},
		{Weight: 4, Gen: gopter.CombineGens(idx, vals).Map(func(v []any) listOp {
			return listOp{Kind: 'i', Index: v[0].(int), Values: v[1].([]string)}
		})},
		{Weight: 2, Gen: gen.SliceOfN(2, val).Map(func(v []string) listOp { return listOp{Kind: 'b', Values: v} })},
		{Weight: 2, Gen: gen.SliceOfN(2, val).Map(func(v []string) listOp { return listOp{Kind: 'a', Values: v} })},
		{Weight: 3, Gen: gopter.CombineGens(idx, val).Map(func(v []any) listOp {
			return listOp{Kind: 's', Index: v[0].(int), Values: []string{v[1].(string)}}
		})},
		{Weight: 3, Gen: idx.Map(func(i int) listOp { return listOp{Kind: 'x', Index: i} })},
		{Weight: 2, Gen: gopter.CombineGens(gen.IntRange(-2, 2), val).Map(func(v []any) listOp {
			return listOp{Kind: 'v', Count: v[0].(int), Values: []string{v[1].(string)}}
		})},
		{Weight: 1, Gen: gopter.CombineGens(idx, idx).Map(func(v []any) listOp {
			return listOp{Kind: 't', Index: v[0].(int), Stop: v[1].(int)}
		})},
		{Weight: 2, Gen: gen.Const(listOp{Kind: 'l'})},
		{Weight: 2, Gen: gen.Const(listOp{Kind: 'r'})},
		{Weight: 1, Gen: gen.Const(listOp{Kind: 'd'})},
	})
}

// applyListOp runs op on l as replica at and returns the delta.
func applyListOp(l *list.List, at clock.Stamp, op listOp) (*list.List, error) {
	r := at.Replica
	var d *list.List
	var err error
	switch op.Kind {
	case 'L':
		d, _, err = l.PushLeft(r, op.Values...)
	case 'R':
		d, _, err = l.PushRight(r, op.Values...)
	case 'i':
		d, err = l.InsertAt(r, op.Index, op.Values...)
	case 'b':
		d, _, _, err = l.InsertBefore(r, op.Values[0], op.Values[1])
	case 'a':
		d, _, _, err = l.InsertAfter(r, op.Values[0], op.Values[1])
	case 's':
		d, err = l.Set(at, op.Index, op.Values[0])
	case 'x':
		d, _, err = l.RemoveAt(r, op.Index)
	case 'v':
		d, _, err = l.RemoveValue(r, op.Count, op.Values[0])
	case 't':
		d, err = l.Trim(r, op.Index, op.Stop)
	case 'l':
		d, _, _, err = l.PopLeft(r)
	case 'r':
		d, _, _, err = l.PopRight(r)
	default:
		d, err = l.Clear(r)
	}
	return d, err
}

func TestLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*list.List, listOp]{
				New:      list.New,
				Apply:    applyListOp,
				Op:       genListOp(),
				Replicas: replicas,
				FIFO:     true,
				Cases:    400,
			})
		})
	}
}
