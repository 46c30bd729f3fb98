package merge_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// A DotSet joined against causal contexts: a dot the other side has seen
// and dropped is removed, a dot it has not seen is kept.
func ExampleDotSet_Join() {
	a1 := clock.Dot{Replica: 1, Seq: 1}
	b1 := clock.Dot{Replica: 2, Seq: 1}

	// Replica 1 holds its own add a1.
	var mine merge.DotSet
	var myCtx clock.CausalContext
	mine.Add(a1)
	myCtx.Add(a1)

	// Replica 2 saw a1, removed it, then added b1.
	var theirs merge.DotSet
	var theirCtx clock.CausalContext
	theirs.Add(b1)
	theirCtx.Add(a1)
	theirCtx.Add(b1)

	changed := mine.Join(&myCtx, &theirs, &theirCtx)
	myCtx.Merge(&theirCtx)
	for d := range mine.All {
		fmt.Println(d)
	}
	fmt.Println(changed, myCtx.String())
	// Output:
	// 2.1
	// true {1:1 2:1}
}
