package list_test

import (
	"fmt"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/list"
)

// A job queue in two regions: both push, one pops; after exchanging
// deltas both hold the same queue.
func Example() {
	const us, eu clock.ReplicaID = 1, 2
	east, west := list.New(), list.New()

	d1, _, _ := east.PushLeft(us, "job1", "job2")
	d2, _, _ := west.PushLeft(eu, "job3")
	west.Merge(d1)
	east.Merge(d2)
	fmt.Println(east.Range(0, -1), west.Range(0, -1))

	d3, job, _, _ := east.PopRight(us)
	west.Merge(d3)
	fmt.Println(job, east.Len(), west.Range(0, -1))
	// Output:
	// [job2 job1 job3] [job2 job1 job3]
	// job3 2 [job2 job1]
}

// Two replicas insert after the same element at once: both inserts are
// kept, in the same order on both.
func ExampleList_InsertAfter() {
	a := list.New()
	d, _, _ := a.PushRight(1, "x")
	b := list.New()
	b.Merge(d)

	da, _, _, _ := a.InsertAfter(1, "x", "y1")
	db, _, _, _ := b.InsertAfter(2, "x", "y2")
	a.Merge(db)
	b.Merge(da)
	fmt.Println(a.Range(0, -1), b.Range(0, -1))
	// Output: [x y1 y2] [x y1 y2]
}

// DEL removes only what it saw: a concurrent push survives.
func ExampleList_Clear() {
	a := list.New()
	d, _, _ := a.PushRight(1, "a", "b")
	b := list.New()
	b.Merge(d)

	del, _ := a.Clear(1)
	push, _, _ := b.PushLeft(2, "y")
	a.Merge(push)
	b.Merge(del)
	fmt.Println(a.Range(0, -1), b.Range(0, -1))
	// Output: [y] [y]
}

// Compact collapses the tombstones every replica has seen.
func ExampleList_Compact() {
	l := list.New()
	l.PushRight(1, "a", "b", "c")
	l.PopLeft(1)
	l.PopLeft(1)
	fmt.Println(l.Range(0, -1), l.Tombstones())
	ctx := l.Context()
	fmt.Println(l.Compact(ctx.Vector()), l.Tombstones())
	// Output:
	// [c] 2
	// 2 0
}

// LPOS with RANK and COUNT.
func ExampleList_PosCount() {
	l := list.New()
	l.PushRight(1, "a", "b", "c", "1", "2", "3", "c", "c")
	first, _, _ := l.Pos("c", list.PosOptions{})
	all, _ := l.PosCount("c", 0, list.PosOptions{})
	fromEnd, _ := l.PosCount("c", 2, list.PosOptions{Rank: -1})
	fmt.Println(first, all, fromEnd)
	// Output: 2 [2 6 7] [7 6]
}
