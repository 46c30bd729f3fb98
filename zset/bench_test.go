package zset

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/btree"

	"github.com/redcrdt/redcrdt/clock"
)

// Benchmarks measure each command on a set of big members, beside the
// floor: the same work on a plain map and a github.com/google/btree BTreeG,
// without replication. Run with -benchmem; sets of 1M members take some
// seconds to build, once per process.

const big = 1_000_000

// benchMember returns the i-th 16-byte benchmark member.
func benchMember(i int) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i)*0x9E3779B97F4A7C15)
	binary.LittleEndian.PutUint64(b[8:], uint64(i))
	return string(b[:])
}

// benchScore returns a random score with few ties.
func benchScore(rng *rand.Rand) float64 { return float64(rng.IntN(1 << 40)) }

// floor is a sorted set without replication: the cost of the data
// structures alone.
type floor struct {
	scores map[string]float64
	tree   *btree.BTreeG[floorItem]
}

type floorItem struct {
	score  float64
	member string
}

func floorLess(a, b floorItem) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.member < b.member
}

func newFloor() *floor {
	return &floor{scores: make(map[string]float64), tree: btree.NewG(32, floorLess)}
}

// add is ZADD on the floor.
func (f *floor) add(member string, score float64) {
	if old, ok := f.scores[member]; ok {
		f.tree.Delete(floorItem{old, member})
	}
	f.scores[member] = score
	f.tree.ReplaceOrInsert(floorItem{score, member})
}

// remove is ZREM on the floor.
func (f *floor) remove(member string) {
	if old, ok := f.scores[member]; ok {
		f.tree.Delete(floorItem{old, member})
		delete(f.scores, member)
	}
}

// fixtures holds the 1M-member sets most benchmarks share, built once.
var fixtures struct {
	once    sync.Once
	set     *Set
	floor   *floor
	members []string
}

// buildSets returns a set and a floor holding the same n members
// benchMember(0…n−1) with random scores, written by replica 1, and the
// members.
func buildSets(n int) (*Set, *floor, []string) {
	rng := rand.New(rand.NewPCG(1, 1))
	s, f, ms := New(), newFloor(), make([]string, n)
	for i := range n {
		ms[i] = benchMember(i)
		score := benchScore(rng)
		s.Add(clock.Stamp{Time: clock.Timestamp(i + 1), Replica: 1}, AddOptions{}, Pair{Member: ms[i], Score: score})
		f.add(ms[i], score)
	}
	return s, f, ms
}

// bigSets returns the shared 1M-member set, floor and members.
func bigSets(b *testing.B) (*Set, *floor, []string) {
	fixtures.once.Do(func() { fixtures.set, fixtures.floor, fixtures.members = buildSets(big) })
	settle(b)
	return fixtures.set, fixtures.floor, fixtures.members
}

// settle collects the garbage of a benchmark's setup, so that a collection
// of the big heap it leaves does not run inside the timed loop, and resets
// the timer.
func settle(b *testing.B) {
	runtime.GC()
	b.ResetTimer()
}

// BenchmarkAdd is ZADD of a new random score to a random member of a
// 1M-member set (update), and ZADD of new members into it (insert; the
// set grows by the iterations).
func BenchmarkAdd(b *testing.B) {
	b.Run("update/zset", func(b *testing.B) {
		s, _, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(2, 2))
		at := clock.Stamp{Time: big + 1, Replica: 1}
		b.ReportAllocs()
		for b.Loop() {
			at.Time++
			s.Add(at, AddOptions{}, Pair{Member: ms[rng.IntN(big)], Score: benchScore(rng)})
		}
	})
	b.Run("update/floor", func(b *testing.B) {
		_, f, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(2, 2))
		b.ReportAllocs()
		for b.Loop() {
			f.add(ms[rng.IntN(big)], benchScore(rng))
		}
	})
	b.Run("insert/zset", func(b *testing.B) {
		s, _, _ := buildSets(big)
		rng := rand.New(rand.NewPCG(3, 3))
		at := clock.Stamp{Time: big + 1, Replica: 2}
		i := 0
		b.ReportAllocs()
		settle(b)
		for b.Loop() {
			at.Time++
			s.Add(at, AddOptions{}, Pair{Member: benchMember(2*big + i), Score: benchScore(rng)})
			i++
		}
	})
	b.Run("insert/floor", func(b *testing.B) {
		_, f, _ := buildSets(big)
		rng := rand.New(rand.NewPCG(3, 3))
		i := 0
		b.ReportAllocs()
		settle(b)
		for b.Loop() {
			f.add(benchMember(2*big+i), benchScore(rng))
			i++
		}
	})
}

// BenchmarkRange is ZRANGE 0 9 WITHSCORES and ZRANGE of ten members from a
// random rank, on 1M members.
func BenchmarkRange(b *testing.B) {
	b.Run("0-9/zset", func(b *testing.B) {
		s, _, _ := bigSets(b)
		b.ReportAllocs()
		for b.Loop() {
			s.Range(0, 9)
		}
	})
	b.Run("0-9/floor", func(b *testing.B) {
		_, f, _ := bigSets(b)
		b.ReportAllocs()
		for b.Loop() {
			floorRange(f, 0, 10)
		}
	})
	b.Run("random-10/zset", func(b *testing.B) {
		s, _, _ := bigSets(b)
		rng := rand.New(rand.NewPCG(4, 4))
		b.ReportAllocs()
		for b.Loop() {
			i := rng.IntN(big - 10)
			s.Range(i, i+9)
		}
	})
	b.Run("random-10/floor", func(b *testing.B) {
		_, f, _ := bigSets(b)
		rng := rand.New(rand.NewPCG(4, 4))
		b.ReportAllocs()
		for b.Loop() {
			floorRange(f, rng.IntN(big-10), 10)
		}
	})
}

// floorRange is ZRANGE on the floor, which has no ranks: it walks from
// the start. O(start + n).
func floorRange(f *floor, start, n int) []Pair {
	out := make([]Pair, 0, n)
	i := 0
	f.tree.Ascend(func(it floorItem) bool {
		if i >= start {
			out = append(out, Pair{Member: it.member, Score: it.score})
		}
		i++
		return len(out) < n
	})
	return out
}

// BenchmarkRank is ZRANK of a random member of 1M. The floor finds the
// member's item (lookup) but has no ranks: counting the items before it
// (walk) is O(n).
func BenchmarkRank(b *testing.B) {
	b.Run("zset", func(b *testing.B) {
		s, _, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(5, 5))
		b.ReportAllocs()
		for b.Loop() {
			s.Rank(ms[rng.IntN(big)])
		}
	})
	b.Run("floor-lookup", func(b *testing.B) {
		_, f, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(5, 5))
		b.ReportAllocs()
		for b.Loop() {
			m := ms[rng.IntN(big)]
			f.tree.Get(floorItem{f.scores[m], m})
		}
	})
	b.Run("floor-walk", func(b *testing.B) {
		_, f, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(5, 5))
		b.ReportAllocs()
		for b.Loop() {
			m := ms[rng.IntN(big)]
			n := 0
			f.tree.AscendLessThan(floorItem{f.scores[m], m}, func(floorItem) bool { n++; return true })
		}
	})
}

// BenchmarkScore is ZSCORE of a random member of 1M.
func BenchmarkScore(b *testing.B) {
	b.Run("zset", func(b *testing.B) {
		s, _, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(6, 6))
		b.ReportAllocs()
		for b.Loop() {
			s.Score(ms[rng.IntN(big)])
		}
	})
	b.Run("floor", func(b *testing.B) {
		_, f, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(6, 6))
		b.ReportAllocs()
		for b.Loop() {
			_ = f.scores[ms[rng.IntN(big)]]
		}
	})
}

// BenchmarkCount is ZCOUNT over a random score range of 1M members, and
// ZRANGEBYSCORE of the first ten in it.
func BenchmarkCount(b *testing.B) {
	b.Run("ZCOUNT", func(b *testing.B) {
		s, _, _ := bigSets(b)
		rng := rand.New(rand.NewPCG(7, 7))
		b.ReportAllocs()
		for b.Loop() {
			lo := benchScore(rng)
			s.Count(ScoreBound{Value: lo}, ScoreBound{Value: lo + 1<<36})
		}
	})
	b.Run("ZRANGEBYSCORE-limit-10", func(b *testing.B) {
		s, _, _ := bigSets(b)
		rng := rand.New(rand.NewPCG(7, 7))
		b.ReportAllocs()
		for b.Loop() {
			lo := benchScore(rng)
			s.RangeByScore(ScoreBound{Value: lo}, ScoreBound{Value: lo + 1<<36}, 0, 10)
		}
	})
}

// BenchmarkIncrBy is ZINCRBY of a random member of 1M.
func BenchmarkIncrBy(b *testing.B) {
	b.Run("zset", func(b *testing.B) {
		s, _, ms := bigSets(b)
		s = s.Clone()
		rng := rand.New(rand.NewPCG(8, 8))
		at := clock.Stamp{Time: big + 1, Replica: 1}
		b.ReportAllocs()
		settle(b)
		for b.Loop() {
			at.Time++
			s.IncrBy(at, ms[rng.IntN(big)], 1)
		}
	})
	b.Run("floor", func(b *testing.B) {
		_, f, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(8, 8))
		b.ReportAllocs()
		for b.Loop() {
			m := ms[rng.IntN(big)]
			f.add(m, f.scores[m]+1)
		}
	})
}

// BenchmarkRemove is ZREM of a random member of 1M and ZADD of it back
// (to keep the size), and ZPOPMIN with the same ZADD back.
func BenchmarkRemove(b *testing.B) {
	b.Run("ZREM+ZADD/zset", func(b *testing.B) {
		s, _, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(9, 9))
		at := clock.Stamp{Time: 2 * big, Replica: 1}
		b.ReportAllocs()
		for b.Loop() {
			m := ms[rng.IntN(big)]
			score, _ := s.Score(m)
			s.Remove(1, m)
			at.Time++
			s.Add(at, AddOptions{}, Pair{Member: m, Score: score})
		}
	})
	b.Run("ZREM+ZADD/floor", func(b *testing.B) {
		_, f, ms := bigSets(b)
		rng := rand.New(rand.NewPCG(9, 9))
		b.ReportAllocs()
		for b.Loop() {
			m := ms[rng.IntN(big)]
			score := f.scores[m]
			f.tree.Delete(floorItem{score, m})
			delete(f.scores, m)
			f.add(m, score)
		}
	})
	b.Run("ZPOPMIN+ZADD/zset", func(b *testing.B) {
		s, _, _ := bigSets(b)
		at := clock.Stamp{Time: 3 * big, Replica: 1}
		b.ReportAllocs()
		for b.Loop() {
			_, out := s.PopMin(1, 1)
			at.Time++
			s.Add(at, AddOptions{}, out[0])
		}
	})
}

// BenchmarkMergeDelta merges the delta of one ZADD made at replica 2 into
// sets of growing size, each delta once, in the order replica 2 made them:
//   - new-member: a member the set does not hold (every shrinkEvery merges
//     the added members are removed again, outside the timed loop, so the
//     set keeps its size);
//   - update-own: a new score for a member replica 2 wrote before (the
//     usual case, merged in counter.Lone form without building counters);
//   - update-other: a new score for a member replica 1 wrote, by a replica
//     2 that had synced the set (the member's score then has two writers).
//
// The floor applies the same write to its map and btree.
// shrinkEvery is how many merges of new members BenchmarkMergeDelta makes
// before it removes them again; mergePool is how many deltas it prepares.
const shrinkEvery, mergePool = 1 << 12, 1 << 19

// shrink removes, outside the timed loop, the members the last
// shrinkEvery of i merges added, once i is a multiple of shrinkEvery.
func shrink(b *testing.B, i int, added []Pair, remove func(member string)) {
	if i%shrinkEvery != 0 {
		return
	}
	b.StopTimer()
	for _, p := range added[(i-shrinkEvery)%mergePool : (i-1)%mergePool+1] {
		remove(p.Member)
	}
	b.StartTimer()
}

func BenchmarkMergeDelta(b *testing.B) {
	const pool = mergePool
	remote := New()
	at := clock.Stamp{Time: 4 * big, Replica: 2}
	rng := rand.New(rand.NewPCG(10, 10))
	fresh := make([]*Set, pool)
	freshPairs := make([]Pair, pool)
	for i := range fresh {
		at.Time++
		freshPairs[i] = Pair{Member: benchMember(3*big + i), Score: benchScore(rng)}
		fresh[i], _, _ = remote.Add(at, AddOptions{}, freshPairs[i])
	}
	// update-own rewrites the first 1024 members of fresh, in rounds.
	own := make([]*Set, pool)
	ownPairs := make([]Pair, pool)
	for i := range own {
		at.Time++
		ownPairs[i] = Pair{Member: freshPairs[i%1024].Member, Score: benchScore(rng)}
		own[i], _, _ = remote.Add(at, AddOptions{}, ownPairs[i])
	}
	for _, n := range []int{1_000, 100_000, big} {
		cases := []struct {
			name  string
			grows bool
			setup func(local *Set, ms []string) ([]*Set, []Pair)
		}{
			{"new-member", true, func(*Set, []string) ([]*Set, []Pair) { return fresh, freshPairs }},
			{"update-own", false, func(local *Set, _ []string) ([]*Set, []Pair) {
				for _, d := range fresh[:1024] {
					local.Merge(d)
				}
				return own, ownPairs
			}},
			{"update-other", false, func(local *Set, ms []string) ([]*Set, []Pair) {
				other := local.Clone()
				ds, ps := make([]*Set, pool), make([]Pair, pool)
				at := clock.Stamp{Time: 8 * big, Replica: 2}
				for i := range ds {
					at.Time++
					ps[i] = Pair{Member: ms[rng.IntN(n)], Score: benchScore(rng)}
					ds[i], _, _ = other.Add(at, AddOptions{}, ps[i])
				}
				return ds, ps
			}},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/n=%d/zset", c.name, n), func(b *testing.B) {
				local, _, ms := buildSets(n)
				ds, ps := c.setup(local, ms)
				b.ReportAllocs()
				settle(b)
				i := 0
				for b.Loop() {
					local.Merge(ds[i%pool])
					i++
					if c.grows {
						shrink(b, i, ps, func(m string) { local.Remove(1, m) })
					}
				}
			})
			b.Run(fmt.Sprintf("%s/n=%d/floor", c.name, n), func(b *testing.B) {
				local, f, ms := buildSets(n)
				_, ps := c.setup(local, ms)
				b.ReportAllocs()
				settle(b)
				i := 0
				for b.Loop() {
					p := ps[i%pool]
					f.add(p.Member, p.Score)
					i++
					if c.grows {
						shrink(b, i, ps, f.remove)
					}
				}
			})
		}
	}
}

// BenchmarkMemory builds a set of 1M 16-byte members with random scores
// and reports the heap it holds per member (B/member), beside the floor's.
// ns/op is the time to build it.
func BenchmarkMemory(b *testing.B) {
	ms := make([]string, big)
	for i := range ms {
		ms[i] = benchMember(i)
	}
	heap := func() uint64 {
		runtime.GC()
		var st runtime.MemStats
		runtime.ReadMemStats(&st)
		return st.HeapAlloc
	}
	measure := func(b *testing.B, build func(rng *rand.Rand) any) {
		var per float64
		for b.Loop() {
			rng := rand.New(rand.NewPCG(1, 1))
			before := heap()
			x := build(rng)
			per = float64(heap()-before) / big
			runtime.KeepAlive(x)
		}
		b.ReportMetric(per, "B/member")
	}
	b.Run("zset", func(b *testing.B) {
		measure(b, func(rng *rand.Rand) any {
			s := New()
			for i, m := range ms {
				s.Add(clock.Stamp{Time: clock.Timestamp(i + 1), Replica: 1}, AddOptions{}, Pair{Member: strings.Clone(m), Score: benchScore(rng)})
			}
			return s
		})
	})
	b.Run("floor", func(b *testing.B) {
		measure(b, func(rng *rand.Rand) any {
			f := newFloor()
			for _, m := range ms {
				f.add(strings.Clone(m), benchScore(rng))
			}
			return f
		})
	})
}

// BenchmarkState is whole-state work on 100k members: Clone, encoding,
// decoding, and merging a full state into an equal one.
func BenchmarkState(b *testing.B) {
	const n = 100_000
	rng := rand.New(rand.NewPCG(11, 11))
	s := New()
	for i := range n {
		s.Add(clock.Stamp{Time: clock.Timestamp(i + 1), Replica: clock.ReplicaID(1 + i%3)}, AddOptions{}, Pair{Member: benchMember(i), Score: benchScore(rng)})
	}
	enc, _ := s.AppendBinary(nil)
	b.Run("Clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Clone()
		}
	})
	b.Run("AppendBinary", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, len(enc))
		for b.Loop() {
			buf, _ = s.AppendBinary(buf[:0])
		}
		b.ReportMetric(float64(len(enc))/n, "bytes/member")
	})
	b.Run("UnmarshalBinary", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var x Set
			if err := x.UnmarshalBinary(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Merge-full-equal", func(b *testing.B) {
		c := s.Clone()
		b.ReportAllocs()
		for b.Loop() {
			c.Merge(s)
		}
	})
}
