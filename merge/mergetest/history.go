package mergetest

import (
	"fmt"
	"strings"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
)

// stepKind says what a step does.
type stepKind uint8

const (
	opStep      stepKind = iota // replica applies op
	syncStep                    // replica merges a clone of from's state
	tickStep                    // the wall clock advances by millis
	deliverStep                 // replica merges deltas of from, through from's seq-th
)

// step is one event of a history.
type step[O any] struct {
	kind    stepKind
	replica clock.ReplicaID // opStep, syncStep, deliverStep
	from    clock.ReplicaID // syncStep, deliverStep
	op      O               // opStep
	millis  int64           // tickStep
	// seq names from's seq-th delta (counted from 1, in production order)
	// for a deliverStep. If replica has received it already, replica merges
	// it again (a duplicate). Otherwise replica merges, in production order,
	// every delta of from it has not received up to the seq-th, or up to
	// from's last one if from has made fewer: delivery is per-origin FIFO.
	seq int

	// shrink and sieve come from the GenResult that produced op, so a
	// shrunk history shrinks each op by its own generator's rules.
	shrink gopter.Shrinker
	sieve  func(any) bool
}

// String returns the step as the report prints it: "r2 op {Incr 5}",
// "r1 <- r3" (a sync), "r1 <- r3.2" (a delivery) or "tick +5ms".
func (s step[O]) String() string {
	switch s.kind {
	case opStep:
		return fmt.Sprintf("r%d op %v", s.replica, s.op)
	case syncStep:
		return fmt.Sprintf("r%d <- r%d", s.replica, s.from)
	case deliverStep:
		return fmt.Sprintf("r%d <- r%d.%d", s.replica, s.from, s.seq)
	default:
		return fmt.Sprintf("tick +%dms", s.millis)
	}
}

// history is the list of steps one test case replays.
type history[O any] []step[O]

// String returns one numbered line per step, the numbers LawError.Detail
// refers to.
func (h history[O]) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d steps", len(h))
	for i, s := range h {
		fmt.Fprintf(&b, "\n  %3d  %s", i+1, s)
	}
	return b.String()
}

// Step mix: out of stepWeights draws, opWeight make an op, syncWeight a
// sync and deliverWeight a delivery; the rest, and a delivery draw for a
// replica that can receive nothing yet, are ticks of 1..maxTick
// milliseconds. A delivery brings 1..maxBatch deltas the replica has not
// received, or, one time in dupOneIn (or when none is pending), a delta it
// has received again.
const (
	stepWeights   = 26
	opWeight      = 12
	syncWeight    = 3
	deliverWeight = 8
	maxTick       = 1000
	maxBatch      = 3
	dupOneIn      = 4
)

// historyGen returns a gopter generator of histories over replicas
// replicas, of between size/2 and size steps where size is gopter's size
// parameter capped at maxSteps. Histories shrink by dropping steps, by
// shrinking ops and by delivering fewer deltas.
func historyGen[O any](op gopter.Gen, replicas, maxSteps int) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		size := min(p.MaxSize, maxSteps)
		n := size/2 + p.Rng.Intn(size-size/2+1)
		h := make(history[O], n)
		g := newGenState(replicas)
		for i := range h {
			h[i] = genStep[O](op, g, p)
		}
		return gopter.NewGenResult(h, gen.SliceShrinker(shrinkStep[O]))
	}
}

// genState is what historyGen knows of the history generated so far: the
// ops each replica made and how many of them each other replica received.
// A refused op makes no delta, so ops is an upper bound; replay resolves a
// delivery against the deltas actually made.
type genState struct {
	ops [][]int // ops[j]: the numbers of replica j+1's op steps, counting all replicas' from 0
	n   int     // op steps so far
	got [][]int // got[i][j]: how many of replica j+1's deltas replica i+1 received
}

func newGenState(replicas int) *genState {
	g := &genState{ops: make([][]int, replicas), got: make([][]int, replicas)}
	for i := range g.got {
		g.got[i] = make([]int, replicas)
	}
	return g
}

// genStep generates the next step of a history and records it in g.
func genStep[O any](op gopter.Gen, g *genState, p *gopter.GenParameters) step[O] {
	replicas := len(g.ops)
	r := clock.ReplicaID(1 + p.Rng.Intn(replicas))
	switch k := p.Rng.Intn(stepWeights); {
	case k < opWeight:
		for range opTries {
			res := op(p)
			v, ok := res.Retrieve()
			if !ok {
				continue
			}
			o, _ := v.(O) // Check verified the type; nil stays the zero O
			g.ops[r-1] = append(g.ops[r-1], g.n)
			g.n++
			return step[O]{kind: opStep, replica: r, op: o, shrink: res.Shrinker, sieve: res.Sieve}
		}
	case k < opWeight+syncWeight:
		from := clock.ReplicaID(1 + p.Rng.Intn(replicas-1))
		if from >= r {
			from++
		}
		return step[O]{kind: syncStep, replica: r, from: from}
	case k < opWeight+syncWeight+deliverWeight:
		if from, seq, ok := g.pickDelivery(r, p); ok {
			return step[O]{kind: deliverStep, replica: r, from: from, seq: seq}
		}
	}
	return step[O]{kind: tickStep, millis: 1 + p.Rng.Int63n(maxTick)}
}

// pickDelivery picks a delivery to replica r, of origin from's deltas
// through the seq-th, and records it: new deltas of an origin with some
// that r has not received, or a duplicate of one r has received. It returns
// false if r can receive nothing. Half the time the origin of new deltas is
// the one whose next delta for r is the most recent op: a delta overtaking
// older ones of other origins leaves r holding deltas whose causes it
// lacks, the states only deliveries reach.
func (g *genState) pickDelivery(r clock.ReplicaID, p *gopter.GenParameters) (from clock.ReplicaID, seq int, ok bool) {
	got := g.got[r-1]
	var pending, received []int
	for j, ops := range g.ops {
		if j == int(r)-1 {
			continue
		}
		if len(ops) > got[j] {
			pending = append(pending, j)
		}
		if got[j] > 0 {
			received = append(received, j)
		}
	}
	if len(pending) > 0 && (len(received) == 0 || p.Rng.Intn(dupOneIn) > 0) {
		j := pending[p.Rng.Intn(len(pending))]
		if p.Rng.Intn(2) == 0 {
			for _, q := range pending {
				if g.ops[q][got[q]] > g.ops[j][got[j]] {
					j = q
				}
			}
		}
		got[j] += 1 + p.Rng.Intn(min(maxBatch, len(g.ops[j])-got[j]))
		return clock.ReplicaID(j + 1), got[j], true
	}
	if len(received) > 0 {
		j := received[p.Rng.Intn(len(received))]
		return clock.ReplicaID(j + 1), 1 + p.Rng.Intn(got[j]), true
	}
	return 0, 0, false
}

// shrinkStep shrinks an op step's op with the shrinker of the generator
// that made it, and a delivery to one of fewer deltas (or to a duplicate of
// an earlier one); other steps do not shrink (dropping them is the slice
// shrinker's job).
func shrinkStep[O any](v any) gopter.Shrink {
	s := v.(step[O])
	switch {
	case s.kind == deliverStep:
		return shrinkDelivery(s)
	case s.kind != opStep || s.shrink == nil:
		return gopter.NoShrink
	}
	next := s.shrink(s.op).Filter(s.sieve)
	return func() (any, bool) {
		for {
			v, ok := next()
			if !ok {
				return nil, false
			}
			o, isO := v.(O)
			if !isO && v != nil {
				continue
			}
			t := s
			t.op = o
			return t, true
		}
	}
}

// shrinkDelivery offers s with seq 1, seq/2 and seq-1, smallest first.
func shrinkDelivery[O any](s step[O]) gopter.Shrink {
	var seqs []int
	for _, q := range []int{1, s.seq / 2, s.seq - 1} {
		if q >= 1 && q < s.seq && (len(seqs) == 0 || q > seqs[len(seqs)-1]) {
			seqs = append(seqs, q)
		}
	}
	return func() (any, bool) {
		if len(seqs) == 0 {
			return nil, false
		}
		t := s
		t.seq, seqs = seqs[0], seqs[1:]
		return t, true
	}
}

// seedGen generates the seed of a case's random delivery orders. It does
// not shrink: shrinking changes the history, not how it is delivered.
var seedGen gopter.Gen = func(p *gopter.GenParameters) *gopter.GenResult {
	return gopter.NewGenResult(p.NextUint64(), gopter.NoShrinker)
}
