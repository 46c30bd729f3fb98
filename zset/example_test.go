package zset_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/zset"
)

// A shared shopping cart in two regions: item counts are scores. While the
// regions cannot talk, one removes the socks and the other adds two more
// pairs; once they exchange deltas, both hold the same cart, the socks
// counting only the pairs the removal did not see.
func Example() {
	const us, eu clock.ReplicaID = 1, 2
	at := func(ms int64, id clock.ReplicaID) clock.Stamp {
		return clock.Stamp{Time: clock.NewTimestamp(1_700_000_000_000+ms, 0), Replica: id}
	}
	a, b := zset.New(), zset.New()

	d, _, _ := a.Add(at(0, us), zset.AddOptions{}, zset.Pair{Member: "socks", Score: 1}, zset.Pair{Member: "hat", Score: 1})
	b.Merge(d)

	// Partitioned.
	toEU, _ := a.Remove(us, "socks")                    // ZREM cart socks
	toUS1, _, _ := b.IncrBy(at(10, eu), "socks", 2)     // ZINCRBY cart 2 socks
	toUS2, _, _ := b.IncrBy(at(11, eu), "scarf", 1)     // ZINCRBY cart 1 scarf
	toUS3, _, _ := b.Add(at(12, eu), zset.AddOptions{}, // ZADD cart 3 hat
		zset.Pair{Member: "hat", Score: 3})

	// Healed.
	b.Merge(toEU)
	for _, d := range []*zset.Set{toUS1, toUS2, toUS3} {
		a.Merge(d)
	}
	fmt.Println(a.Range(0, -1))
	fmt.Println(b.Range(0, -1), a.Equal(b))
	// Output:
	// [{scarf 1} {socks 2} {hat 3}]
	// [{scarf 1} {socks 2} {hat 3}] true
}

// ZADD's options, and ranges by rank and by score.
func ExampleSet_Add() {
	s := zset.New()
	at := clock.Stamp{Time: clock.NewTimestamp(1_700_000_000_000, 0), Replica: 1}
	s.Add(at, zset.AddOptions{}, zset.Pair{Member: "one", Score: 1}, zset.Pair{Member: "two", Score: 2})

	_, res, _ := s.Add(at, zset.AddOptions{GT: true, CH: true},
		zset.Pair{Member: "one", Score: 0}, zset.Pair{Member: "two", Score: 5}, zset.Pair{Member: "three", Score: 3})
	fmt.Println("changed:", res.Count)

	_, res, _ = s.Add(at, zset.AddOptions{Incr: true}, zset.Pair{Member: "one", Score: 10})
	fmt.Println("one:", res.Score)

	fmt.Println(s.Range(0, -1))
	fmt.Println(s.RevRange(0, 0))
	min, _ := zset.ParseScoreBound("(3")
	max, _ := zset.ParseScoreBound("+inf")
	fmt.Println(s.RangeByScore(min, max, 0, -1), s.Count(min, max))
	rank, _ := s.Rank("two")
	fmt.Println("rank of two:", rank)
	// Output:
	// changed: 2
	// one: 11
	// [{three 3} {two 5} {one 11}]
	// [{one 11}]
	// [{two 5} {one 11}] 2
	// rank of two: 1
}
