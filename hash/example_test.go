package hash_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/hash"
)

// Two regions count emoji reactions on one message concurrently, and one of
// them deletes a field the other is still incrementing.
func Example() {
	const us, eu clock.ReplicaID = 1, 2
	now := clock.Stamp{Time: clock.NewTimestamp(1_700_000_000_000, 0), Replica: us}

	a := hash.New()
	a.Set(now, hash.Pair{Field: "❤", Value: "5"}, hash.Pair{Field: "👍", Value: "1"})
	b := a.Clone()

	d1, _, _ := a.IncrBy(us, "❤", 1) // HINCRBY message:1:emojis ❤ 1
	d2, _, _ := b.IncrBy(eu, "❤", 1) // the same, concurrently
	d3, _ := b.Del(eu, "👍")          // HDEL message:1:emojis 👍
	d4, _, _ := a.IncrBy(us, "👍", 2) // concurrent with the HDEL: survives

	a.Merge(d2)
	a.Merge(d3)
	b.Merge(d1)
	b.Merge(d4)
	fmt.Println(a.GetAll())
	fmt.Println(b.GetAll())
	// Output:
	// [{❤ 7} {👍 2}]
	// [{❤ 7} {👍 2}]
}
