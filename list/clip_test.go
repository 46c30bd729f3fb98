package list

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// clipInsRef and clipRemRef are clipIns and clipRem as first written, asking the
// context dot by dot: the definition the range-based ones must match.
func clipInsRef(x *insRec, known func(clock.Dot) bool, keep func(insRec), rem func(remRec)) {
	for k := 0; k < x.n; {
		in := known(x.dotAt(k))
		j := k + 1
		for j < x.n && known(x.dotAt(j)) == in {
			j++
		}
		part := x.slice(k, j)
		if !in {
			keep(part)
		} else if part.rm.Seq != 0 {
			rem(remRec{target: part.id, n: part.n, rm: part.rm, step: part.step})
		}
		k = j
	}
}

func clipRemRef(x *remRec, known func(clock.Dot) bool, keep func(remRec)) {
	for k := 0; k < x.n; {
		in := known(x.rmAt(k))
		j := k + 1
		for j < x.n && known(x.rmAt(j)) == in {
			j++
		}
		if !in {
			keep(x.slice(k, j))
		}
		k = j
	}
}

// TestClipMatchesDotByDot clips random inserts (live and removed, with
// removal dots going up, down and flat) and removals against random
// contexts, small and large clouds, and compares with clipping dot by dot.
func TestClipMatchesDotByDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	dot := func(lo int) clock.Dot {
		return clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(2)), Seq: uint64(lo + rng.IntN(60))}
	}
	for round := range 5000 {
		var ctx clock.CausalContext
		cloud := rng.IntN(10)
		if round%4 == 0 {
			cloud = 40 + rng.IntN(60)
		}
		for range cloud {
			ctx.Add(dot(1))
		}
		n := 1 + rng.IntN(40)
		step := 0
		if n > 1 {
			step = rng.IntN(3) - 1
		}
		rm := dot(41) // high enough for a downward run of n dots
		x := insRec{id: dot(1), n: n, rm: rm, step: step}
		if rng.IntN(3) == 0 {
			x.rm, x.step = clock.Dot{}, 0
		}
		var got, want []any
		clipIns(&x, &ctx, func(p insRec) { got = append(got, p) }, func(r remRec) { got = append(got, r) })
		clipInsRef(&x, ctx.Contains, func(p insRec) { want = append(want, p) }, func(r remRec) { want = append(want, r) })
		r := remRec{target: dot(1), n: n, rm: rm, step: step}
		clipRem(&r, &ctx, func(p remRec) { got = append(got, p) })
		clipRemRef(&r, ctx.Contains, func(p remRec) { want = append(want, p) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: clipping %+v and %+v against %s\n got %+v\nwant %+v", round, x, r, ctx.String(), got, want)
		}
	}
}
