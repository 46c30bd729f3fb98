package list

import (
	"math/rand/v2"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestApplyRemMatchesByElement applies random removals to random states
// (tombstones of several removers, compacted blocks, targets the list has
// not seen or that are no element) twice: whole, which works on ranges,
// and one element at a time. The results must be equal, held removals
// included.
func TestApplyRemMatchesByElement(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for i := range 3000 {
		base := randomState(rng)
		x := randomRemoval(rng, base)
		whole, byElem := base.Clone(), base.Clone()
		whole.st.buildIndex()
		byElem.st.buildIndex()
		whole.applyRem(&x, &whole.recs)
		applyRemByElement(byElem, &x)
		if !whole.Equal(byElem) {
			t.Fatalf("case %d: removal %+v of %v\nwhole:      %v %+v\nby element: %v %+v", i, x, base, whole, whole.recs, byElem, byElem.recs)
		}
		checkIndex(t, whole)
	}
}

// applyRemByElement applies x one element at a time, comparing the
// removal dots of elements already removed itself.
func applyRemByElement(l *List, x *remRec) {
	s := l.st
	for k := range x.n {
		one := x.slice(k, k+1)
		if pd, ok := s.lookupDot(one.target); ok {
			if lc, ok := s.find(pd); ok {
				if it := s.tree.At(lc.c); !it.block() && !it.live() {
					if cur := s.unpack(it.rmAt(it.k(lc.off))); one.rm.Compare(cur) < 0 {
						l.lowerRm(pd, 1, one.rm, 0)
					}
					continue
				}
			}
		}
		l.applyRem(&one, &l.recs)
	}
}

// randomState returns a list edited by three replicas, with tombstones
// of each and, sometimes, every tombstone compacted.
func randomState(rng *rand.Rand) *List {
	l := New()
	for range 1 + rng.IntN(30) {
		at := clock.ReplicaID(1 + rng.IntN(3))
		vals := make([]string, 1+rng.IntN(6))
		for k := range vals {
			vals[k] = string(rune('a' + rng.IntN(26)))
		}
		switch n := l.Len(); rng.IntN(6) {
		case 0:
			l.PushLeft(at, vals...)
		case 1:
			l.PushRight(at, vals...)
		case 2, 3:
			l.InsertAt(at, rng.IntN(n+1), vals...)
		case 4:
			for range 1 + rng.IntN(4) {
				if l.Len() > 0 {
					l.RemoveAt(at, rng.IntN(l.Len()))
				}
			}
		case 5:
			if n > 0 {
				l.Trim(at, rng.IntN(n), n-1-rng.IntN(n))
			}
		}
	}
	if rng.IntN(4) == 0 {
		ctx := l.Context()
		l.Compact(ctx.Vector())
	}
	if l.st == nil {
		l.PushLeft(1, "x")
	}
	return l
}

// randomRemoval returns a removal of a few targets of one replica, often
// elements of l, by a line of dots near l's own removal dots.
func randomRemoval(rng *rand.Rand, l *List) remRec {
	ctx := l.Context()
	vv := ctx.Vector()
	rep := clock.ReplicaID(1 + rng.IntN(3))
	if rng.IntN(10) == 0 {
		rep = 9 // a replica l has never heard of
	}
	n := 1 + rng.IntN(25)
	remover := clock.ReplicaID(1 + rng.IntN(4))
	x := remRec{
		target: clock.Dot{Replica: rep, Seq: uint64(1 + rng.IntN(int(vv.Get(rep))+5))},
		n:      n,
		rm:     clock.Dot{Replica: remover, Seq: uint64(1 + n + rng.IntN(int(vv.Get(remover))+5))},
	}
	if n > 1 {
		x.step = rng.IntN(3) - 1
	}
	return x
}

// TestLowerSpan compares lowerSpan with comparing the dots one by one,
// over every small pair of lines.
func TestLowerSpan(t *testing.T) {
	for _, reps := range [][2]clock.ReplicaID{{1, 1}, {1, 2}, {2, 1}} {
		for a := uint64(1); a <= 12; a++ {
			for b := uint64(1); b <= 12; b++ {
				for ns := -1; ns <= 1; ns++ {
					for cs := -1; cs <= 1; cs++ {
						for m := 1; m <= 6; m++ {
							nd, cur := clock.Dot{Replica: reps[0], Seq: a + 6}, clock.Dot{Replica: reps[1], Seq: b + 6}
							j0, j1 := lowerSpan(nd, ns, cur, cs, m)
							for j := range m {
								lower := shift(nd, j*ns).Compare(shift(cur, j*cs)) < 0
								if lower != (j0 <= j && j < j1) {
									t.Fatalf("lowerSpan(%v, %d, %v, %d, %d) = [%d, %d): wrong at %d", nd, ns, cur, cs, m, j0, j1, j)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestStableFlats compares stableFlats with asking element by element,
// over small runs of every shape and bounds around their dots.
func TestStableFlats(t *testing.T) {
	for n := 1; n <= 6; n++ {
		for _, back := range []bool{false, true} {
			for step := -1; step <= 1; step++ {
				if n == 1 && (back || step != 0) {
					continue
				}
				x := run{id: mkdot(0, 5), rm: mkdot(1, 8), n: uint32(n), kind: stepKind(step)}
				if back {
					x.kind |= kindBack
				}
				for b0 := uint64(3); b0 <= 12; b0++ {
					for b1 := uint64(1); b1 <= 16; b1++ {
						bound := []uint64{b0, b1}
						f0, f1 := x.stableFlats(bound)
						for f := range n {
							k := x.k(f)
							stable := x.dotAt(k).seq() <= b0 && x.rmAt(k).seq() <= b1
							if stable != (f0 <= f && f < f1) {
								t.Fatalf("run %+v, bounds %v: stableFlats = [%d, %d), wrong at flat %d", x, bound, f0, f1, f)
							}
						}
					}
				}
			}
		}
	}
}
