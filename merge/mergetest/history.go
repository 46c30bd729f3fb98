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
	opStep   stepKind = iota // replica applies op
	syncStep                 // replica merges a clone of from's state
	tickStep                 // the wall clock advances by millis
)

// step is one event of a history.
type step[O any] struct {
	kind    stepKind
	replica clock.ReplicaID // opStep, syncStep
	from    clock.ReplicaID // syncStep
	op      O               // opStep
	millis  int64           // tickStep

	// shrink and sieve come from the GenResult that produced op, so a
	// shrunk history shrinks each op by its own generator's rules.
	shrink gopter.Shrinker
	sieve  func(any) bool
}

// String returns the step as the report prints it: "r2 op {Incr 5}",
// "r1 <- r3" or "tick +5ms".
func (s step[O]) String() string {
	switch s.kind {
	case opStep:
		return fmt.Sprintf("r%d op %v", s.replica, s.op)
	case syncStep:
		return fmt.Sprintf("r%d <- r%d", s.replica, s.from)
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

// Step mix: out of stepWeights draws, opWeight make an op and syncWeight a
// sync; the rest are ticks of 1..maxTick milliseconds.
const (
	stepWeights = 20
	opWeight    = 12
	syncWeight  = 5
	maxTick     = 1000
)

// historyGen returns a gopter generator of histories over replicas
// replicas, of between size/2 and size steps where size is gopter's size
// parameter capped at maxSteps. Histories shrink by dropping steps and by
// shrinking ops.
func historyGen[O any](op gopter.Gen, replicas, maxSteps int) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		size := min(p.MaxSize, maxSteps)
		n := size/2 + p.Rng.Intn(size-size/2+1)
		h := make(history[O], n)
		for i := range h {
			h[i] = genStep[O](op, replicas, p)
		}
		return gopter.NewGenResult(h, gen.SliceShrinker(shrinkStep[O]))
	}
}

func genStep[O any](op gopter.Gen, replicas int, p *gopter.GenParameters) step[O] {
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
			return step[O]{kind: opStep, replica: r, op: o, shrink: res.Shrinker, sieve: res.Sieve}
		}
	case k < opWeight+syncWeight:
		from := clock.ReplicaID(1 + p.Rng.Intn(replicas-1))
		if from >= r {
			from++
		}
		return step[O]{kind: syncStep, replica: r, from: from}
	}
	return step[O]{kind: tickStep, millis: 1 + p.Rng.Int63n(maxTick)}
}

// shrinkStep shrinks an op step's op with the shrinker of the generator
// that made it; other steps do not shrink (dropping them is the slice
// shrinker's job).
func shrinkStep[O any](v any) gopter.Shrink {
	s := v.(step[O])
	if s.kind != opStep || s.shrink == nil {
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

// seedGen generates the seed of a case's random delivery orders. It does
// not shrink: shrinking changes the history, not how it is delivered.
var seedGen gopter.Gen = func(p *gopter.GenParameters) *gopter.GenResult {
	return gopter.NewGenResult(p.NextUint64(), gopter.NoShrinker)
}
