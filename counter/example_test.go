package counter_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
)

// Two replicas count votes. While they cannot talk, one deletes the counter
// and the other keeps counting; once they exchange deltas, the delete has
// cancelled only the votes it saw.
func Example() {
	const us, eu clock.ReplicaID = 1, 2
	a, b := counter.New(), counter.New()

	d, _ := a.IncrBy(us, 5) // INCRBY votes 5
	b.Merge(d)

	// Partitioned: each replica works alone.
	toB, _ := a.Incr(us) // INCR votes (6 at us)
	toA1 := b.Reset(eu)  // DEL votes (0 at eu)
	toA2, _ := b.IncrBy(eu, 2)

	// Healed: the deltas cross.
	b.Merge(toB)
	a.Merge(toA1)
	a.Merge(toA2)
	fmt.Println(a, b, a.Equal(b))
	// Output: 3 3 true
}

// A SET is a base that increments made concurrently elsewhere add to.
func ExampleCounter_Set() {
	const us, eu clock.ReplicaID = 1, 2
	a, b := counter.New(), counter.New()
	d, _ := a.IncrBy(us, 5)
	b.Merge(d)

	v, _ := counter.ParseNumber("10")
	set, _ := a.Set(clock.Stamp{Time: clock.NewTimestamp(1_700_000_000_000, 0), Replica: us}, v)
	incr, _ := b.IncrBy(eu, 2)
	a.Merge(incr)
	b.Merge(set)
	fmt.Println(a, b)
	// Output: 12 12
}

// INCRBYFLOAT turns a counter into a float, printed as Redis prints it.
func ExampleCounter_IncrByFloat() {
	c := counter.New()
	c.Set(clock.Stamp{Replica: 1}, counter.FloatNumber(10.5))
	c.IncrByFloat(1, 0.1)
	fmt.Println(c, c.IsFloat())
	_, err := c.Incr(1)
	fmt.Println(err)
	// Output:
	// 10.6 true
	// counter: value is not an integer or out of range
}
