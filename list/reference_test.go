package list

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// This file checks the list against a reference implementation: an array
// of elements integrated one at a time by the YjsMod rules, written as
// plainly as Gentle's reference CRDTs write them, O(n) per operation.

type refElem struct {
	id, left, right clock.Dot
	value           string
	removed         bool
	rm              clock.Dot
	at              clock.Stamp
}

// refOp is one element insert, removal or LSET as the reference ships it.
type refOp struct {
	kind   byte // 'i', 'r', 's'
	elem   refElem
	target clock.Dot
	rm     clock.Dot
	at     clock.Stamp
	value  string
}

type refDoc struct {
	elems []refElem
	next  map[clock.ReplicaID]uint64 // largest seq seen per replica
}

func (d *refDoc) index(id clock.Dot) int {
	for i, e := range d.elems {
		if e.id == id {
			return i
		}
	}
	return -2
}

func (d *refDoc) see(dot clock.Dot) {
	if d.next == nil {
		d.next = map[clock.ReplicaID]uint64{}
	}
	d.next[dot.Replica] = max(d.next[dot.Replica], dot.Seq)
}

func (d *refDoc) issue(r clock.ReplicaID) clock.Dot {
	dot := clock.Dot{Replica: r, Seq: d.next[r] + 1}
	d.see(dot)
	return dot
}

func (d *refDoc) integrate(e refElem) {
	d.see(e.id)
	left := -1
	if e.left.Seq != 0 {
		left = d.index(e.left)
	}
	right := len(d.elems)
	if e.right.Seq != 0 {
		right = d.index(e.right)
	}
	dest := left + 1
	scanning := false
	for i := left + 1; ; i++ {
		if !scanning {
			dest = i
		}
		if i == len(d.elems) || i == right {
			break
		}
		o := d.elems[i]
		oleft := -1
		if o.left.Seq != 0 {
			oleft = d.index(o.left)
		}
		oright := len(d.elems)
		if o.right.Seq != 0 {
			oright = d.index(o.right)
		}
		if oleft < left {
			break
		}
		if oleft == left {
			if oright < right {
				scanning = true
				continue
			}
			if oright == right {
				if e.id.Replica < o.id.Replica {
					break
				}
				scanning = false
				continue
			}
			scanning = false
		}
	}
	d.elems = slices.Insert(d.elems, dest, e)
}

func (d *refDoc) apply(op refOp) {
	switch op.kind {
	case 'i':
		d.integrate(op.elem)
	case 'r':
		d.see(op.rm)
		i := d.index(op.target)
		e := &d.elems[i]
		if !e.removed || op.rm.Compare(e.rm) < 0 {
			e.rm = op.rm
		}
		e.removed, e.value = true, ""
	case 's':
		d.see(op.rm)
		e := &d.elems[d.index(op.target)]
		if !e.removed && op.at.Compare(e.at) > 0 {
			e.at, e.value = op.at, op.value
		}
	}
}

// ready reports whether every element op needs is integrated.
func (d *refDoc) ready(op refOp) bool {
	need := []clock.Dot{op.target}
	if op.kind == 'i' {
		need = []clock.Dot{op.elem.left, op.elem.right}
	}
	for _, n := range need {
		if n.Seq != 0 && d.index(n) < 0 {
			return false
		}
	}
	return true
}

// visible returns the indexes of the elements not removed.
func (d *refDoc) visible() []int {
	var out []int
	for i, e := range d.elems {
		if !e.removed {
			out = append(out, i)
		}
	}
	return out
}

// insertLocal inserts values at visible index vis, forward, or each at the
// head if back, and returns the ops.
func (d *refDoc) insertLocal(r clock.ReplicaID, vis int, values []string, back bool) []refOp {
	var ops []refOp
	for _, v := range values {
		vs := d.visible()
		var left, right clock.Dot
		at := 0 // flat index of the insertion point
		if !back && vis > 0 {
			li := vs[vis-1]
			left = d.elems[li].id
			at = li + 1
		}
		if at < len(d.elems) {
			right = d.elems[at].id
		}
		e := refElem{id: d.issue(r), left: left, right: right, value: v}
		d.integrate(e)
		ops = append(ops, refOp{kind: 'i', elem: e})
		if !back {
			vis++
		}
	}
	return ops
}

func (d *refDoc) removeLocal(r clock.ReplicaID, visIdx []int) []refOp {
	if len(visIdx) == 0 {
		return nil
	}
	vs := d.visible()
	rm := d.issue(r)
	var ops []refOp
	for _, v := range visIdx {
		op := refOp{kind: 'r', target: d.elems[vs[v]].id, rm: rm}
		d.apply(op)
		ops = append(ops, op)
	}
	return ops
}

func (d *refDoc) values() []string {
	var out []string
	for _, i := range d.visible() {
		out = append(out, d.elems[i].value)
	}
	return out
}

// order returns every element's dot in list order, removed ones too.
func (d *refDoc) order() []clock.Dot {
	out := make([]clock.Dot, len(d.elems))
	for i, e := range d.elems {
		out[i] = e.id
	}
	return out
}

// order returns the dots of l's elements in list order, removed ones too.
func order(l *List) []clock.Dot {
	var out []clock.Dot
	if l.st == nil {
		return out
	}
	s := l.st
	for c := s.tree.Begin(); !s.tree.IsEnd(c); c = s.tree.Next(c) {
		x := s.tree.At(c)
		for f := 0; f < int(x.n); f++ {
			out = append(out, s.unpack(x.flatDot(f)))
		}
	}
	return out
}

// refReplica is a replica under test: the list, the reference, and the
// groups of ops (one per command) not yet delivered to it.
type refReplica struct {
	id    clock.ReplicaID
	l     *List
	ref   refDoc
	inbox []refGroup
}

type refGroup struct {
	ops   []refOp
	delta *List
}

func (g refGroup) ready(d *refDoc) bool {
	// Ops of one command may depend on each other: replay on a copy.
	cp := refDoc{elems: slices.Clone(d.elems), next: d.next}
	for _, op := range g.ops {
		if !cp.ready(op) {
			return false
		}
		if op.kind == 'i' {
			cp.elems = append(cp.elems, op.elem)
		}
	}
	return true
}

// command runs a random command on rep and returns its ops and delta.
func command(rng *rand.Rand, rep *refReplica, stamp clock.Stamp) refGroup {
	r := rep.id
	vals := func() []string {
		v := make([]string, 1+rng.IntN(3))
		for i := range v {
			v[i] = fmt.Sprintf("%d.%d", r, rng.IntN(5))
		}
		return v
	}
	n := len(rep.ref.visible())
	var g refGroup
	var err error
	switch k := rng.IntN(10); {
	case k < 2:
		v := vals()
		g.ops = rep.ref.insertLocal(r, 0, v, true)
		g.delta, _, err = rep.l.PushLeft(r, v...)
	case k < 4:
		v := vals()
		g.ops = rep.ref.insertLocal(r, n, v, false)
		g.delta, _, err = rep.l.PushRight(r, v...)
	case k < 7:
		v := vals()
		i := rng.IntN(n + 1)
		g.ops = rep.ref.insertLocal(r, i, v, false)
		g.delta, err = rep.l.InsertAt(r, i, v...)
	case k < 8 && n > 0:
		i := rng.IntN(n)
		v := fmt.Sprintf("set%d", rng.IntN(100))
		target := rep.ref.elems[rep.ref.visible()[i]].id
		dot := rep.ref.issue(r)
		op := refOp{kind: 's', target: target, at: stamp, value: v, rm: dot}
		rep.ref.apply(op)
		g.ops = []refOp{op}
		g.delta, err = rep.l.Set(stamp, i, v)
	case k < 9 && n > 0:
		i := rng.IntN(n)
		g.ops = rep.ref.removeLocal(r, []int{i})
		g.delta, _, err = rep.l.RemoveAt(r, i)
	case n > 0:
		// LTRIM to a random window.
		a, b := rng.IntN(n), rng.IntN(n)
		var gone []int
		for i := range n {
			if i < min(a, b) || i > max(a, b) {
				gone = append(gone, i)
			}
		}
		g.ops = rep.ref.removeLocal(r, gone)
		g.delta, err = rep.l.Trim(r, min(a, b), max(a, b))
	default:
		return g
	}
	if err != nil {
		panic(err)
	}
	return g
}

// TestAgainstReference runs random histories on replicas that exchange
// their commands in random causal orders, and after every step compares
// each list with the reference it mirrors: the same elements, removed or
// not, in the same order, and the same values.
func TestAgainstReference(t *testing.T) {
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 99))
		nrep := 2 + rng.IntN(4)
		reps := make([]*refReplica, nrep)
		for i := range reps {
			reps[i] = &refReplica{id: clock.ReplicaID(10 + 7*i), l: New()}
		}
		check := func(step int, rep *refReplica) {
			t.Helper()
			if got, want := order(rep.l), rep.ref.order(); !slices.Equal(got, want) {
				t.Fatalf("seed %d step %d replica %d: order\n got  %v\n want %v", seed, step, rep.id, got, want)
			}
			if got, want := rep.l.Range(0, -1), rep.ref.values(); !slices.Equal(got, want) {
				t.Fatalf("seed %d step %d replica %d: values\n got  %q\n want %q", seed, step, rep.id, got, want)
			}
		}
		var log []*List // every delta, for the out-of-order delivery below
		wall := int64(1000)
		for step := range 150 {
			rep := reps[rng.IntN(nrep)]
			if rng.IntN(3) > 0 || len(rep.inbox) == 0 {
				wall++
				g := command(rng, rep, clock.Stamp{Time: clock.NewTimestamp(wall, 0), Replica: rep.id})
				if g.delta == nil {
					continue
				}
				log = append(log, g.delta)
				for _, o := range reps {
					if o != rep {
						o.inbox = append(o.inbox, g)
					}
				}
			} else {
				// Deliver a random group that is causally ready.
				var ready []int
				for i, g := range rep.inbox {
					if g.ready(&rep.ref) {
						ready = append(ready, i)
					}
				}
				if len(ready) == 0 {
					continue
				}
				i := ready[rng.IntN(len(ready))]
				g := rep.inbox[i]
				rep.inbox = slices.Delete(rep.inbox, i, i+1)
				for _, op := range g.ops {
					rep.ref.apply(op)
				}
				rep.l.Merge(g.delta)
			}
			check(step, rep)
		}
		// Deliver everything left.
		for _, rep := range reps {
			for len(rep.inbox) > 0 {
				for i := 0; i < len(rep.inbox); i++ {
					if g := rep.inbox[i]; g.ready(&rep.ref) {
						for _, op := range g.ops {
							rep.ref.apply(op)
						}
						rep.l.Merge(g.delta)
						rep.inbox = slices.Delete(rep.inbox, i, i+1)
						i--
					}
				}
			}
			check(-1, rep)
		}
		for _, rep := range reps[1:] {
			if !rep.l.Equal(reps[0].l) {
				t.Fatalf("seed %d: replicas differ:\n %v\n %v", seed, rep.l, reps[0].l)
			}
		}
		// The same deltas in any order, some twice, inserts held until
		// their origins arrive, give the same state.
		shadow := New()
		rng.Shuffle(len(log), func(i, j int) { log[i], log[j] = log[j], log[i] })
		for i, d := range log {
			shadow.Merge(d)
			checkHeldIndex(t, shadow)
			if rng.IntN(4) == 0 {
				shadow.Merge(log[rng.IntN(i+1)])
				checkHeldIndex(t, shadow)
			}
		}
		if !shadow.Equal(reps[0].l) || !slices.Equal(order(shadow), reps[0].ref.order()) {
			t.Fatalf("seed %d: out-of-order delivery gives\n %v\nwant\n %v", seed, shadow, reps[0].l)
		}
	}
}
