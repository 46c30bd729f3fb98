package register_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/register"
)

// Two replicas write one string key concurrently, exchange deltas and agree
// on the later write.
func ExampleLWW() {
	const us, eu clock.ReplicaID = 1, 2
	a, b := register.NewLWW(), register.NewLWW()

	da := a.Set(clock.Stamp{Time: clock.NewTimestamp(1_000, 0), Replica: us}, "from us")
	db := b.Set(clock.Stamp{Time: clock.NewTimestamp(2_000, 0), Replica: eu}, "from eu")
	a.Merge(db)
	b.Merge(da)

	va, _ := a.Get()
	vb, _ := b.Get()
	fmt.Println(va, "|", vb, "|", a.Equal(b))

	// DEL at us after the exchange removes what it saw; a concurrent SET at
	// eu survives it.
	del := a.Clear(us)
	set := b.Set(clock.Stamp{Time: clock.NewTimestamp(3_000, 0), Replica: eu}, "again")
	a.Merge(set)
	b.Merge(del)
	fmt.Println(a.Get())
	fmt.Println(b.Get())
	// Output:
	// from eu | from eu | true
	// again true
	// again true
}

// Concurrent expiry changes: the longest TTL wins, and PERSIST beats them.
func ExampleTTL() {
	const us, eu clock.ReplicaID = 1, 2
	a, b := register.NewTTL(), register.NewTTL()

	// EXPIRE 10 ‖ EXPIRE 100, at time 0.
	da := a.Expire(us, 10_000)
	db := b.Expire(eu, 100_000)
	a.Merge(db)
	b.Merge(da)
	fmt.Println(a.Deadline())
	fmt.Println(b.Remaining(40_000), b.Remaining(100_001))

	// PERSIST ‖ EXPIRE 5000.
	da = a.Persist(us)
	db = b.Expire(eu, 5_000_000)
	a.Merge(db)
	b.Merge(da)
	fmt.Println(a.Deadline())
	fmt.Println(b.Remaining(40_000))
	// Output:
	// 100000 true
	// 60000 -2
	// 0 false
	// -1
}
