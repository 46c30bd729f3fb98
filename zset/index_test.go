package zset

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestIndexConsistency runs random histories of local commands, delta
// deliveries (reordered and duplicated), full-state merges and clones over
// three replicas, with enough members to split and merge index leaves. After
// every step each replica's index must hold exactly its present members in
// (score, member) order, and the ordered reads must agree with sorting them.
func TestIndexConsistency(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			runIndexHistory(t, rand.New(rand.NewPCG(uint64(seed), 0x25e7)), 1500)
		})
	}
}

func runIndexHistory(t *testing.T, rng *rand.Rand, steps int) {
	const replicas = 3
	sets := make([]*Set, replicas)
	for i := range sets {
		sets[i] = New()
	}
	var pending []*Set
	wall := int64(1_000_000)
	for step := range steps {
		i := rng.IntN(replicas)
		id := clock.ReplicaID(i + 1)
		wall += int64(rng.IntN(3))
		var what string
		switch k := rng.IntN(20); {
		case k < 13:
			var d *Set
			d, what = randomOp(t, rng, sets[i], stamp(wall, id))
			pending = append(pending, d)
		case k < 17 && len(pending) > 0:
			j := rng.IntN(len(pending))
			what = "deliver a delta"
			sets[i].Merge(pending[j])
			if rng.IntN(3) > 0 { // else keep it, to deliver again
				pending = slices.Delete(pending, j, j+1)
			}
		case k < 19:
			what = "merge a full state"
			sets[i].Merge(sets[rng.IntN(replicas)])
		default:
			what = "clone"
			sets[i] = sets[i].Clone()
		}
		for r, s := range sets {
			if err := indexError(s); err != "" {
				t.Fatalf("step %d (%s at r%d): replica r%d: %s", step, what, i+1, r+1, err)
			}
			checkReads(t, rng, s)
		}
	}
}

// members are the history's members: enough to fill several leaves.
var historyMembers = func() []string {
	out := make([]string, 150)
	for i := range out {
		out[i] = fmt.Sprintf("m%03d", i)
	}
	return out
}()

// randomOp applies a random command at s and returns its delta and name.
func randomOp(t *testing.T, rng *rand.Rand, s *Set, at clock.Stamp) (*Set, string) {
	member := func() string { return historyMembers[rng.IntN(len(historyMembers))] }
	score := func() float64 {
		switch rng.IntN(8) {
		case 0:
			return math.Inf(1 - 2*rng.IntN(2))
		case 1, 2, 3:
			return float64(rng.IntN(4)) // frequent ties
		}
		return math.Round(rng.NormFloat64()*1000) / 8
	}
	switch rng.IntN(9) {
	case 0, 1, 2:
		pairs := make([]Pair, 1+rng.IntN(20))
		for j := range pairs {
			pairs[j] = Pair{Member: member(), Score: score()}
		}
		opts := []AddOptions{{}, {NX: true}, {XX: true}, {GT: true}, {LT: true, CH: true}}
		d, _, err := s.Add(at, opts[rng.IntN(len(opts))], pairs...)
		if err != nil {
			t.Fatal(err)
		}
		return d, "ZADD"
	case 3, 4:
		d, _, err := s.IncrBy(at, member(), score())
		if err != nil {
			return newDelta(), "refused ZINCRBY"
		}
		return d, "ZINCRBY"
	case 5:
		ms := make([]string, 1+rng.IntN(10))
		for j := range ms {
			ms[j] = member()
		}
		d, _ := s.Remove(at.Replica, ms...)
		return d, "ZREM"
	case 6:
		start := rng.IntN(40) - 20
		d, _ := s.RemoveRangeByRank(at.Replica, start, start+rng.IntN(8))
		return d, "ZREMRANGEBYRANK"
	case 7:
		lo := ScoreBound{Value: score(), Exclusive: rng.IntN(2) == 0}
		d, _ := s.RemoveRangeByScore(at.Replica, lo, ScoreBound{Value: lo.Value + float64(rng.IntN(3))})
		return d, "ZREMRANGEBYSCORE"
	default:
		if rng.IntN(10) == 0 {
			return s.Clear(at.Replica), "DEL"
		}
		if rng.IntN(2) == 0 {
			d, _ := s.PopMax(at.Replica, rng.IntN(4))
			return d, "ZPOPMAX"
		}
		d, _ := s.PopMin(at.Replica, rng.IntN(4))
		return d, "ZPOPMIN"
	}
}

// sortedPairs returns s's present members sorted by (score, member): the
// model the ordered reads are checked against.
func sortedPairs(s *Set) []Pair {
	var out []Pair
	for m, v := range s.members.All {
		if v.e.present() {
			out = append(out, Pair{Member: m, Score: v.e.score})
		}
	}
	slices.SortFunc(out, func(a, b Pair) int {
		if c := cmp.Compare(a.Score, b.Score); c != 0 {
			return c
		}
		return strings.Compare(a.Member, b.Member)
	})
	return out
}

// checkReads compares random ordered reads of s with the sorted model.
func checkReads(t *testing.T, rng *rand.Rand, s *Set) {
	t.Helper()
	model := sortedPairs(s)
	n := len(model)
	start, stop := rng.IntN(2*n+3)-n-1, rng.IntN(2*n+3)-n-1
	if got, want := s.Range(start, stop), modelRange(model, start, stop); !slices.Equal(got, want) {
		t.Fatalf("Range(%d, %d) = %v, want %v", start, stop, got, want)
	}
	rev := slices.Clone(model)
	slices.Reverse(rev)
	if got, want := s.RevRange(start, stop), modelRange(rev, start, stop); !slices.Equal(got, want) {
		t.Fatalf("RevRange(%d, %d) = %v, want %v", start, stop, got, want)
	}
	if n > 0 {
		i := rng.IntN(n)
		if r, ok := s.Rank(model[i].Member); !ok || r != i {
			t.Fatalf("Rank(%q) = %d, %t; want %d", model[i].Member, r, ok, i)
		}
		if r, ok := s.RevRank(model[i].Member); !ok || r != n-1-i {
			t.Fatalf("RevRank(%q) = %d, %t; want %d", model[i].Member, r, ok, n-1-i)
		}
	}
	lo := ScoreBound{Value: float64(rng.IntN(5) - 1), Exclusive: rng.IntN(2) == 0}
	hi := ScoreBound{Value: lo.Value + float64(rng.IntN(300)), Exclusive: rng.IntN(2) == 0}
	var in []Pair
	for _, p := range model {
		if !lo.below(p.Score) && hi.within(p.Score) {
			in = append(in, p)
		}
	}
	if got := s.Count(lo, hi); got != len(in) {
		t.Fatalf("Count(%v, %v) = %d, want %d", lo, hi, got, len(in))
	}
	offset, count := rng.IntN(5), rng.IntN(8)-1
	want := in[min(offset, len(in)):]
	if count >= 0 {
		want = want[:min(count, len(want))]
	}
	if len(want) == 0 {
		want = nil
	}
	if got := s.RangeByScore(lo, hi, offset, count); !slices.Equal(got, want) {
		t.Fatalf("RangeByScore(%v, %v, %d, %d) = %v, want %v", lo, hi, offset, count, got, want)
	}
}

// modelRange is ZRANGE start stop over the sorted pairs.
func modelRange(sorted []Pair, start, stop int) []Pair {
	n := len(sorted)
	if start < 0 {
		start += n
	}
	if stop < 0 {
		stop += n
	}
	start = max(start, 0)
	stop = min(stop, n-1)
	if start > stop {
		return nil
	}
	return sorted[start : stop+1]
}
