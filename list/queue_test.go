package list_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/list"
)

const (
	producer clock.ReplicaID = 10
	consumer clock.ReplicaID = 20
)

// queueRound pushes batch jobs on p (LPUSH, one delta each), merges them
// into c, pops them on c (RPOP, one delta each, checking FIFO order),
// merges the pops back into p and, if compact, compacts both with the
// meet of their contexts: stable, as each has merged all the other did.
func queueRound(tb testing.TB, p, c *list.List, next *int, batch int, compact bool) {
	pushes := make([]*list.List, batch)
	jobs := make([]string, batch)
	for i := range pushes {
		jobs[i] = "job" + strconv.Itoa(*next+i)
		d, _, err := p.PushLeft(producer, jobs[i])
		if err != nil {
			tb.Fatal(err)
		}
		pushes[i] = d
	}
	for _, d := range pushes {
		c.Merge(d)
	}
	pops := pushes[:0]
	for i := range batch {
		d, v, ok, err := c.PopRight(consumer)
		if err != nil || !ok || v != jobs[i] {
			tb.Fatalf("RPOP = (%q, %t, %v), want job%d", v, ok, err, *next+i)
		}
		pops = append(pops, d)
	}
	for _, d := range pops {
		p.Merge(d)
	}
	*next += batch
	if compact {
		pc, cc := p.Context(), c.Context()
		pv, cv := pc.Vector(), cc.Vector()
		stable := pv.Meet(&cv)
		p.Compact(stable)
		c.Compact(stable)
	}
}

// TestQueueBounded runs a job queue through 200 rounds and checks that,
// compacting after each, the state of each replica stays the same size
// instead of growing with the jobs it has seen.
func TestQueueBounded(t *testing.T) {
	p, c := list.New(), list.New()
	next := 0
	var first int
	for round := range 200 {
		queueRound(t, p, c, &next, 500, true)
		if p.Len() != 0 || c.Len() != 0 || p.Tombstones() != 0 || c.Tombstones() != 0 {
			t.Fatalf("round %d: lengths %d %d, tombstones %d %d", round, p.Len(), c.Len(), p.Tombstones(), c.Tombstones())
		}
		b, _ := c.AppendBinary(nil)
		if round == 0 {
			first = len(b)
		} else if len(b) > first+16 {
			t.Fatalf("round %d: the consumer's state grew from %d to %d bytes", round, first, len(b))
		}
	}
	if !p.Equal(c) {
		t.Fatal("producer and consumer differ")
	}
}

// BenchmarkQueue runs 1,000,000 jobs through a queue: LPUSH on one
// replica, RPOP on another, in rounds of 1000 with the deltas merged both
// ways and both replicas compacted after each round. It reports the time
// per job and the heap both replicas hold at the end.
func BenchmarkQueue(b *testing.B) {
	const jobs, batch = 1_000_000, 1000
	var p, c *list.List
	b.ReportAllocs()
	for b.Loop() {
		p, c = list.New(), list.New()
		next := 0
		for next < jobs {
			queueRound(b, p, c, &next, batch, true)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*jobs), "ns/job")
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	runtime.KeepAlive(p)
	runtime.KeepAlive(c)
	p, c = nil, nil
	runtime.GC()
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(before-m.HeapAlloc), "heldB")
}
