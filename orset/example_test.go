package orset_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/orset"
)

// Two regions share a session set; one removes a member while the other
// adds it again and adds another: the adds win, the unseen remove of b does
// not happen.
func Example() {
	const us, eu clock.ReplicaID = 1, 2
	a := orset.New()
	a.Add(us, "alice", "bob")
	b := a.Clone() // eu has seen {alice, bob}

	rm, _ := a.Remove("alice")          // SREM sharedSession alice (us)
	add, _ := b.Add(eu, "alice", "eve") // SADD sharedSession alice eve (eu)

	a.Merge(add)
	b.Merge(rm)
	fmt.Println(a.Members())
	fmt.Println(b.Members())
	// Output:
	// [alice bob eve]
	// [alice bob eve]
}
