package clock_test

import (
	"fmt"
	"time"

	"github.com/redcrdt/redcrdt/clock"
)

func ExampleHLC() {
	src := clock.NewManualSource(1_700_000_000_000)
	hlc := clock.NewHLC(src, 500*time.Millisecond)
	fmt.Println(hlc.Now())
	fmt.Println(hlc.Now()) // same millisecond: the logical counter moves

	src.Advance(-time.Second) // the wall clock steps back
	fmt.Println(hlc.Now())    // readings never do

	// A remote replica whose clock runs 2s ahead: accepted, and counted.
	skewed := hlc.Observe(clock.NewTimestamp(1_700_000_001_000, 4))
	fmt.Println(skewed, hlc.SkewEvents(), hlc.Now())
	// Output:
	// 1700000000000.0
	// 1700000000000.1
	// 1700000000000.2
	// true 1 1700000001000.5
}

func ExampleCausalContext() {
	var ctx clock.CausalContext
	// Dots of replica 1 arrive out of order: they wait in the cloud until
	// the gap before them fills, then move into the vector.
	for _, seq := range []uint64{3, 2, 1} {
		ctx.Add(clock.Dot{Replica: 1, Seq: seq})
		fmt.Println(ctx.String())
	}
	ctx.Add(clock.Dot{Replica: 2, Seq: 2})
	fmt.Println(ctx.String(), ctx.Contains(clock.Dot{Replica: 2, Seq: 1}), ctx.Next(1))

	var other clock.CausalContext
	other.Add(clock.Dot{Replica: 2, Seq: 1})
	changed := ctx.Merge(&other)
	fmt.Println(ctx.String(), changed)
	// Output:
	// {}+[1.3]
	// {}+[1.2-3]
	// {1:3}
	// {1:3}+[2.2] false 1.4
	// {1:3 2:2} true
}

func ExampleCausalContext_Run() {
	var ctx clock.CausalContext
	ctx.AddRange(1, 1, 1000) // a prefix of 1000 dots: one vector entry
	ctx.Add(clock.Dot{Replica: 1, Seq: 1003})
	ctx.Add(clock.Dot{Replica: 1, Seq: 1004})
	fmt.Println(ctx.String())

	// Split the dots 1.990 … 1.1009 by membership, a run at a time.
	d, n := clock.Dot{Replica: 1, Seq: 990}, uint64(20)
	for n > 0 {
		in, k := ctx.Run(d, n, 1)
		fmt.Println(d, k, in)
		d.Seq += k
		n -= k
	}
	// Output:
	// {1:1000}+[1.1003-1004]
	// 1.990 11 true
	// 1.1001 2 false
	// 1.1003 2 true
	// 1.1005 5 false
}

func ExampleVersionVector() {
	var a, b clock.VersionVector
	a.Advance(1, 5)
	a.Advance(2, 1)
	b.Advance(1, 3)
	b.Advance(3, 2)
	fmt.Println(a.Descends(&b), b.Descends(&a)) // concurrent

	stable := a.Meet(&b) // seen by both
	fmt.Println(stable.String())

	a.Merge(&b)
	fmt.Println(a.String(), a.Descends(&b))

	enc, _ := a.AppendBinary(nil)
	var back clock.VersionVector
	err := back.UnmarshalBinary(enc)
	fmt.Printf("%x %v %v\n", enc, err, back.Equal(&a))
	// Output:
	// false false
	// {1:3}
	// {1:5 2:1 3:2} true
	// 560103010502010302 <nil> true
}

func ExampleStamp_Compare() {
	t := clock.NewTimestamp(1_700_000_000_000, 0)
	a := clock.Stamp{Time: t, Replica: 1}
	b := clock.Stamp{Time: t, Replica: 2}
	// Equal timestamps: the larger replica ID wins on every replica.
	winner := a
	if winner.Less(b) {
		winner = b
	}
	fmt.Println(a.Compare(b), b.Compare(a), winner)
	// Output:
	// -1 1 1700000000000.0@2
}
