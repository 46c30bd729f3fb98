package merge_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// awset is a test-only add-wins observed-remove set built straight on the
// kernel: a DotMap from member to the dots of its adds, and the causal
// context of every dot seen. Its law test is the kernel's: DotSet.Join,
// DotMap.Join in full and delta mode and CausalContext.Merge must together
// make a lattice.
type awset struct {
	keys merge.DotMap[string, merge.DotSet, *merge.DotSet]
	ctx  clock.CausalContext
}

var errEmptyMember = errors.New("awset: empty member")

func newSet() *awset { return &awset{} }

func newSetDelta() *awset {
	d := &awset{}
	d.keys.MarkDelta()
	return d
}

// add adds k as replica r (SADD) and returns the delta: k with one new dot,
// and a context of that dot and the dots of k it replaces.
func (s *awset) add(r clock.ReplicaID, k string) (*awset, error) {
	if k == "" {
		return nil, errEmptyMember
	}
	d := newSetDelta()
	old, _ := s.keys.Get(k)
	for dot := range old.All {
		d.ctx.Add(dot)
	}
	dot := s.ctx.Next(r)
	s.ctx.Add(dot)
	d.ctx.Add(dot)
	var dots merge.DotSet
	dots.Add(dot)
	s.keys.Set(k, dots)
	d.keys.Set(k, dots.Clone())
	return d, nil
}

// remove removes the adds of k this replica has seen (SREM) and returns the
// delta: k named with no dots, and a context of the removed dots.
func (s *awset) remove(k string) *awset {
	d := newSetDelta()
	s.removeInto(d, k)
	return d
}

// clear removes every member (DEL); its delta names every key.
func (s *awset) clear() *awset {
	d := newSetDelta()
	for _, k := range s.keys.Keys() {
		s.removeInto(d, k)
	}
	return d
}

func (s *awset) removeInto(d *awset, k string) {
	old, ok := s.keys.Get(k)
	if !ok {
		return
	}
	for dot := range old.All {
		d.ctx.Add(dot)
	}
	d.keys.Set(k, merge.DotSet{})
	s.keys.Delete(k)
}

func (s *awset) members() []string { return s.keys.Keys() }

func (s *awset) Merge(o *awset) bool {
	changed := s.keys.Join(&s.ctx, &o.keys, &o.ctx)
	return s.ctx.Merge(&o.ctx) || changed
}

func (s *awset) Clone() *awset { return &awset{keys: s.keys.Clone(), ctx: s.ctx.Clone()} }

func (s *awset) Equal(o *awset) bool { return s.keys.Equal(&o.keys) && s.ctx.Equal(&o.ctx) }

// AppendBinary appends the context, the delta flag, then the members in
// order, each with its dots.
func (s *awset) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, 'A', 1)
	ctx, err := s.ctx.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	b = wire.AppendString(b, string(ctx))
	b = wire.AppendBool(b, s.keys.IsDelta())
	b = wire.AppendUvarint(b, uint64(s.keys.Len()))
	for _, k := range s.keys.Keys() {
		dots, _ := s.keys.Get(k)
		b = wire.AppendString(b, k)
		b = wire.AppendUvarint(b, uint64(dots.Len()))
		for d := range dots.All {
			b = wire.AppendUvarint(b, uint64(d.Replica))
			b = wire.AppendUvarint(b, d.Seq)
		}
	}
	return b, nil
}

// UnmarshalBinary decodes a canonical encoding: members ascending, dots
// ascending and in the context, and no member without dots unless the set
// is a delta.
func (s *awset) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header('A', 1, "awset")
	var out awset
	if err := out.ctx.UnmarshalBinary(r.Bytes()); err != nil && r.Err() == nil {
		return err
	}
	if r.Bool() {
		out.keys.MarkDelta()
	}
	n := r.Count(2)
	prevKey := ""
	for i := 0; i < n && r.Err() == nil; i++ {
		k := r.String()
		nd := r.Count(2)
		if (i > 0 && k <= prevKey) || (nd == 0 && !out.keys.IsDelta()) {
			r.Fail("awset: members not canonical")
		}
		prevKey = k
		var dots merge.DotSet
		prev := clock.Dot{}
		for j := 0; j < nd && r.Err() == nil; j++ {
			d := clock.Dot{Replica: clock.ReplicaID(r.Uvarint()), Seq: r.Uvarint()}
			if d.Compare(prev) <= 0 || d.Seq == 0 || !out.ctx.Contains(d) {
				r.Fail("awset: dots not canonical")
			}
			dots.Add(d)
			prev = d
		}
		out.keys.Set(k, dots)
	}
	if err := r.Done("awset"); err != nil {
		return err
	}
	*s = out
	return nil
}

// setOp is SADD Key, SREM Key or DEL.
type setOp struct {
	Cmd string
	Key string
}

func (o setOp) String() string {
	if o.Cmd == "DEL" {
		return o.Cmd
	}
	return fmt.Sprintf("%s %q", o.Cmd, o.Key)
}

func applySetOp(s *awset, at clock.Stamp, op setOp) (*awset, error) {
	switch op.Cmd {
	case "SADD":
		return s.add(at.Replica, op.Key)
	case "SREM":
		return s.remove(op.Key), nil
	default:
		return s.clear(), nil
	}
}

func genSetOp() gopter.Gen {
	key := gen.OneConstOf("a", "b", "c", "d")
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 6, Gen: key.Map(func(k string) setOp { return setOp{Cmd: "SADD", Key: k} })},
		{Weight: 1, Gen: gen.Const(setOp{Cmd: "SADD"})}, // refused: empty member
		{Weight: 4, Gen: key.Map(func(k string) setOp { return setOp{Cmd: "SREM", Key: k} })},
		{Weight: 1, Gen: gen.Const(setOp{Cmd: "DEL"})},
	})
}

// TestKernelLaws checks the merge laws of a set built on the kernel. The
// seed comes from the clock, so each run explores new histories; a failure
// prints the seed that replays it.
func TestKernelLaws(t *testing.T) {
	for _, replicas := range []int{3, 5} {
		t.Run(fmt.Sprintf("%d replicas", replicas), func(t *testing.T) {
			mergetest.CheckLaws(t, mergetest.Model[*awset, setOp]{
				New:      newSet,
				Apply:    applySetOp,
				Op:       genSetOp(),
				Replicas: replicas,
			})
		})
	}
}

// TestSetConflicts checks the add-wins rules as the Redis Active-Active
// guide states them: both replicas start from initial (added at A and
// synced), apply their ops concurrently, then exchange deltas.
func TestSetConflicts(t *testing.T) {
	tests := []struct {
		name    string
		initial []string
		a, b    []setOp
		want    []string
	}{
		{"SADD a ‖ SREM a: add wins", nil, []setOp{{"SADD", "a"}}, []setOp{{"SREM", "a"}}, []string{"a"}},
		{"{a}: SREM a ‖ SADD a: add wins", []string{"a"}, []setOp{{"SREM", "a"}}, []setOp{{"SADD", "a"}}, []string{"a"}},
		{"{a,b}: SREM a ‖ SADD c", []string{"a", "b"}, []setOp{{"SREM", "a"}}, []setOp{{"SADD", "c"}}, []string{"b", "c"}},
		{"{a,b}: SREM a ‖ SADD a", []string{"a", "b"}, []setOp{{"SREM", "a"}}, []setOp{{"SADD", "a"}}, []string{"a", "b"}},
		{"{a,b}: SREM a ‖ SREM a", []string{"a", "b"}, []setOp{{"SREM", "a"}}, []setOp{{"SREM", "a"}}, []string{"b"}},
		{"{a,b}: DEL ‖ SADD c: only the unobserved add survives", []string{"a", "b"}, []setOp{{"DEL", ""}}, []setOp{{"SADD", "c"}}, []string{"c"}},
		{"{a,b}: DEL ‖ SADD a", []string{"a", "b"}, []setOp{{"DEL", ""}}, []setOp{{"SADD", "a"}}, []string{"a"}},
		{"SADD a ‖ SADD a", nil, []setOp{{"SADD", "a"}}, []setOp{{"SADD", "a"}}, []string{"a"}},
		{"{a}: SREM a, SADD a ‖ SREM a", []string{"a"}, []setOp{{"SREM", "a"}, {"SADD", "a"}}, []setOp{{"SREM", "a"}}, []string{"a"}},
		{"{a}: SADD b, SREM b ‖ SADD c", []string{"a"}, []setOp{{"SADD", "b"}, {"SREM", "b"}}, []setOp{{"SADD", "c"}}, []string{"a", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := newSet(), newSet()
			for _, k := range tt.initial {
				d, err := a.add(1, k)
				if err != nil {
					t.Fatal(err)
				}
				b.Merge(d)
			}
			run := func(s *awset, r clock.ReplicaID, ops []setOp) []*awset {
				var deltas []*awset
				for _, op := range ops {
					d, err := applySetOp(s, clock.Stamp{Replica: r}, op)
					if err != nil {
						t.Fatal(err)
					}
					deltas = append(deltas, d)
				}
				return deltas
			}
			fromA, fromB := run(a, 1, tt.a), run(b, 2, tt.b)
			// A full-state sync must give the same result as the deltas.
			viaState := a.Clone()
			viaState.Merge(b)
			for _, d := range fromB {
				a.Merge(d)
			}
			for _, d := range fromA {
				b.Merge(d)
			}
			for name, s := range map[string]*awset{"A": a, "B": b, "A ⊔ B": viaState} {
				if got := s.members(); !slices.Equal(got, tt.want) {
					t.Errorf("%s holds %v, want %v", name, got, tt.want)
				}
			}
			if !a.Equal(b) || !a.Equal(viaState) {
				t.Error("replicas hold different states")
			}
		})
	}
}

// TestSetRemoveAfterConcurrentAdds checks that once the concurrent adds of
// one member have met, one remove takes out both of their dots.
func TestSetRemoveAfterConcurrentAdds(t *testing.T) {
	a, b := newSet(), newSet()
	da, _ := a.add(1, "x")
	db, _ := b.add(2, "x")
	a.Merge(db)
	b.Merge(da)
	if dots, _ := a.keys.Get("x"); dots.Len() != 2 {
		t.Fatalf("x holds %d dots after concurrent adds, want 2", dots.Len())
	}
	b.Merge(a.remove("x"))
	if got := b.members(); len(got) != 0 {
		t.Errorf("after SREM x, B holds %v, want nothing", got)
	}
}

// TestSetDeltaTouchesOnlyNamedKeys checks that merging a delta into a full
// state changes only the members it names, while merging the full state of
// the remover removes every member that state has seen removed.
func TestSetDeltaTouchesOnlyNamedKeys(t *testing.T) {
	a := newSet()
	for _, k := range []string{"x", "y", "z"} {
		if _, err := a.add(1, k); err != nil {
			t.Fatal(err)
		}
	}
	b := a.Clone()
	removeY := a.remove("y") // names y only
	delta := removeY.Clone()
	if n := delta.keys.Len(); n != 1 || !delta.keys.IsDelta() {
		t.Fatalf("SREM delta names %d keys (delta %t), want 1 delta key", n, delta.keys.IsDelta())
	}
	c := b.Clone()
	if !c.Merge(delta) {
		t.Error("merging SREM y reported no change")
	}
	if got := c.members(); !slices.Equal(got, []string{"x", "z"}) {
		t.Errorf("after the SREM y delta: %v, want [x z]", got)
	}
	if c.Merge(delta) {
		t.Error("merging SREM y twice reported a change")
	}
	// A's full state also removed y; its merge agrees with the delta's.
	full := b.Clone()
	full.Merge(a)
	if !full.Equal(c) {
		t.Errorf("merging A's state gives %v, the delta %v", full.members(), c.members())
	}
	if !removeY.Equal(delta) {
		t.Error("merging the delta modified it")
	}
}

// mvreg is a test-only multi-value register on the kernel's DotFun: a write
// replaces the values it has seen, and concurrent writes are all kept.
type mvreg struct {
	vals merge.DotFun[string]
	ctx  clock.CausalContext
}

func newReg() *mvreg { return &mvreg{} }

// write sets v as replica r and returns the delta: v under a new dot, with
// a context of that dot and the dots of the values it replaces.
func (s *mvreg) write(r clock.ReplicaID, v string) *mvreg {
	d := &mvreg{}
	for dot := range s.vals.All {
		d.ctx.Add(dot)
	}
	dot := s.ctx.Next(r)
	s.ctx.Add(dot)
	d.ctx.Add(dot)
	s.vals.Clear()
	s.vals.Set(dot, v)
	d.vals.Set(dot, v)
	return d
}

func (s *mvreg) values() []string {
	var out []string
	for _, v := range s.vals.All {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func (s *mvreg) Merge(o *mvreg) bool {
	changed := s.vals.Join(&s.ctx, &o.vals, &o.ctx)
	return s.ctx.Merge(&o.ctx) || changed
}

func (s *mvreg) Clone() *mvreg { return &mvreg{vals: s.vals.Clone(), ctx: s.ctx.Clone()} }

func (s *mvreg) Equal(o *mvreg) bool { return s.vals.Equal(&o.vals) && s.ctx.Equal(&o.ctx) }

func (s *mvreg) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, 'M', 1)
	ctx, err := s.ctx.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	b = wire.AppendString(b, string(ctx))
	b = wire.AppendUvarint(b, uint64(s.vals.Len()))
	for d, v := range s.vals.All {
		b = wire.AppendUvarint(b, uint64(d.Replica))
		b = wire.AppendUvarint(b, d.Seq)
		b = wire.AppendString(b, v)
	}
	return b, nil
}

func (s *mvreg) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header('M', 1, "mvreg")
	var out mvreg
	if err := out.ctx.UnmarshalBinary(r.Bytes()); err != nil && r.Err() == nil {
		return err
	}
	n := r.Count(3)
	prev := clock.Dot{}
	for i := 0; i < n && r.Err() == nil; i++ {
		d := clock.Dot{Replica: clock.ReplicaID(r.Uvarint()), Seq: r.Uvarint()}
		v := r.String()
		if d.Compare(prev) <= 0 || d.Seq == 0 || !out.ctx.Contains(d) {
			r.Fail("mvreg: dots not canonical")
		}
		out.vals.Set(d, v)
		prev = d
	}
	if err := r.Done("mvreg"); err != nil {
		return err
	}
	*s = out
	return nil
}

// TestKernelLawsDotFun checks the merge laws of a multi-value register
// built on DotFun.
func TestKernelLawsDotFun(t *testing.T) {
	mergetest.CheckLaws(t, mergetest.Model[*mvreg, string]{
		New: newReg,
		Apply: func(s *mvreg, at clock.Stamp, v string) (*mvreg, error) {
			return s.write(at.Replica, v), nil
		},
		Op: gen.OneConstOf("x", "y", "z"),
	})
}

func TestRegisterConflicts(t *testing.T) {
	a, b := newReg(), newReg()
	b.Merge(a.write(1, "x"))
	da, db := a.write(1, "y"), b.write(2, "z") // concurrent
	a.Merge(db)
	b.Merge(da)
	if got := a.values(); !slices.Equal(got, []string{"y", "z"}) || !a.Equal(b) {
		t.Fatalf("after concurrent writes: A %v, B %v; want [y z] on both", got, b.values())
	}
	a.Merge(b.write(2, "w")) // B saw both values: its write replaces them
	if got := a.values(); !slices.Equal(got, []string{"w"}) {
		t.Errorf("after a write that saw both: %v, want [w]", got)
	}
}
