package mergetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

// maxReg is a register of the largest value written: the smallest CRDT,
// enough to drive replay.
type maxReg struct{ v uint64 }

func (r *maxReg) Merge(o *maxReg) bool {
	if o.v <= r.v {
		return false
	}
	r.v = o.v
	return true
}
func (r *maxReg) Clone() *maxReg                        { return &maxReg{v: r.v} }
func (r *maxReg) Equal(o *maxReg) bool                  { return r.v == o.v }
func (r *maxReg) AppendBinary(b []byte) ([]byte, error) { return wire.AppendUvarint(b, r.v), nil }
func (r *maxReg) UnmarshalBinary(data []byte) error {
	rd := wire.NewReader(data)
	v := rd.Uvarint()
	if err := rd.Done("max register"); err != nil {
		return err
	}
	r.v = v
	return nil
}

// stampLog is a Model of maxReg whose Apply records every stamp it is given.
type stampLog struct {
	stamps []clock.Stamp
}

func (l *stampLog) model(replicas int) *Model[*maxReg, uint64] {
	return &Model[*maxReg, uint64]{
		New: func() *maxReg { return &maxReg{} },
		Apply: func(s *maxReg, at clock.Stamp, v uint64) (*maxReg, error) {
			l.stamps = append(l.stamps, at)
			s.v = max(s.v, v)
			return &maxReg{v: s.v}, nil
		},
		Op:       gen.UInt64(),
		Replicas: replicas,
	}
}

func ts(wall int64, logical uint16) clock.Timestamp { return clock.NewTimestamp(wall, logical) }

func opAt(r clock.ReplicaID, v uint64) step[uint64] {
	return step[uint64]{kind: opStep, replica: r, op: v}
}

func TestHistoryString(t *testing.T) {
	h := history[uint64]{
		opAt(2, 5),
		{kind: syncStep, replica: 1, from: 3},
		{kind: tickStep, millis: 40},
		{kind: deliverStep, replica: 1, from: 3, seq: 2},
	}
	want := "4 steps\n    1  r2 op 5\n    2  r1 <- r3\n    3  tick +40ms\n    4  r1 <- r3.2"
	if got := h.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := (history[uint64]{}).String(); got != "0 steps" {
		t.Errorf("empty String() = %q, want %q", got, "0 steps")
	}
}

// TestReplayStamps checks the simulated clocks: ops on different replicas
// in one millisecond share a timestamp, each replica's stamps increase,
// and a sync makes the receiver's next stamp exceed the sender's last.
func TestReplayStamps(t *testing.T) {
	var log stampLog
	c := &checker[*maxReg, uint64]{m: log.model(3)}
	h := history[uint64]{
		opAt(1, 1),
		opAt(2, 2),
		opAt(1, 3),
		opAt(1, 4),
		{kind: syncStep, replica: 3, from: 1},
		opAt(3, 5),
		{kind: tickStep, millis: 5},
		opAt(2, 6),
		opAt(3, 7),
	}
	finals, deltas := c.replay(h)
	want := []clock.Stamp{
		{Time: ts(startWall, 0), Replica: 1},
		{Time: ts(startWall, 0), Replica: 2},
		{Time: ts(startWall, 1), Replica: 1},
		{Time: ts(startWall, 2), Replica: 1},
		{Time: ts(startWall, 3), Replica: 3},
		{Time: ts(startWall+5, 0), Replica: 2},
		{Time: ts(startWall+5, 0), Replica: 3},
	}
	if !slices.Equal(log.stamps, want) {
		t.Errorf("stamps = %v, want %v", log.stamps, want)
	}
	if got := []uint64{finals[0].x.v, finals[1].x.v, finals[2].x.v}; !slices.Equal(got, []uint64{4, 6, 7}) {
		t.Errorf("final values = %v, want [4 6 7]", got)
	}
	var ids []string
	for _, d := range deltas {
		ids = append(ids, d.id)
	}
	if want := []string{"r1.1", "r2.1", "r1.2", "r1.3", "r3.1", "r2.2", "r3.2"}; !slices.Equal(ids, want) {
		t.Errorf("delta ids = %v, want %v", ids, want)
	}
	if deltas[4].name != "r3.1 (step 6)" {
		t.Errorf("delta name = %q, want %q", deltas[4].name, "r3.1 (step 6)")
	}
}

// TestReplayDeliveries checks delivery steps: per-origin FIFO catch-up,
// duplicates, deliveries past an origin's last delta, and that a delivery
// advances the receiver's clock to the delta's timestamp.
func TestReplayDeliveries(t *testing.T) {
	var log stampLog
	m := log.model(3)
	var seen []string // what Check saw, in order
	m.Check = func(s *maxReg) error {
		seen = append(seen, fmt.Sprint(s.v))
		return nil
	}
	c := &checker[*maxReg, uint64]{m: m}
	deliver := func(r, from clock.ReplicaID, seq int) step[uint64] {
		return step[uint64]{kind: deliverStep, replica: r, from: from, seq: seq}
	}
	h := history[uint64]{
		opAt(1, 10),      // r1.1 at (wall, 0)
		opAt(1, 20),      // r1.2 at (wall, 1)
		opAt(1, 30),      // r1.3 at (wall, 2)
		deliver(2, 1, 2), // r2 merges r1.1, r1.2
		opAt(2, 1),       // r2.1 at (wall, 2)
		deliver(2, 1, 1), // r2 merges r1.1 again
		deliver(3, 1, 9), // r3 merges r1.1, r1.2, r1.3
		deliver(3, 1, 9), // nothing left to deliver
		opAt(3, 2),       // r3.1 at (wall, 3)
		deliver(3, 2, 1), // r3 merges r2.1
		deliver(2, 1, 3), // r2 merges r1.3
		deliver(1, 3, 1), // r1 merges r3.1
		opAt(1, 3),       // r1.4 at (wall, 4)
		deliver(2, 3, 2), // r2 merges r3.1 (r3.2 does not exist)
	}
	finals, _ := c.replay(h)
	wantStamps := []clock.Stamp{
		{Time: ts(startWall, 0), Replica: 1},
		{Time: ts(startWall, 1), Replica: 1},
		{Time: ts(startWall, 2), Replica: 1},
		{Time: ts(startWall, 2), Replica: 2},
		{Time: ts(startWall, 3), Replica: 3},
		{Time: ts(startWall, 4), Replica: 1},
	}
	if !slices.Equal(log.stamps, wantStamps) {
		t.Errorf("stamps = %v, want %v", log.stamps, wantStamps)
	}
	// New(); r1 after each op; r2 after r1.1, r1.2, its op and r1.1
	// again; r3 after r1.1, r1.2, r1.3, its op and r2.1; r2 after r1.3;
	// r1 after r3.1 and its op; r2 after r3.1.
	wantSeen := []string{"0", "10", "20", "30", "10", "20", "20", "20", "10", "20", "30", "30", "30", "30", "30", "30", "30"}
	if !slices.Equal(seen, wantSeen) {
		t.Errorf("Check saw %v, want %v", seen, wantSeen)
	}
	if got := []uint64{finals[0].x.v, finals[1].x.v, finals[2].x.v}; !slices.Equal(got, []uint64{30, 30, 30}) {
		t.Errorf("final values = %v, want [30 30 30]", got)
	}
}

func TestDeliveryOrder(t *testing.T) {
	// Deltas of three origins, in production order.
	origins := []int{0, 1, 0, 2, 1, 0, 0, 2}
	deltas := make([]item[*maxReg], len(origins))
	for i, o := range origins {
		deltas[i] = item[*maxReg]{origin: o}
	}
	for _, fifo := range []bool{false, true} {
		var log stampLog
		m := log.model(3)
		m.FIFO = fifo
		dups, reordered := 0, 0
		for seed := range uint64(200) {
			c := &checker[*maxReg, uint64]{m: m, rng: rand.New(rand.NewPCG(seed, seed))}
			order := c.deliveryOrder(deltas)
			seen := make([]bool, len(deltas))
			var firsts []int
			for _, d := range order {
				if !seen[d] {
					seen[d] = true
					firsts = append(firsts, d)
				}
			}
			if len(firsts) != len(deltas) {
				t.Fatalf("fifo %t: order %v misses deltas", fifo, order)
			}
			dups += len(order) - len(deltas)
			if !slices.IsSorted(firsts) {
				reordered++
			}
			if fifo {
				last := map[int]int{}
				for _, d := range firsts {
					if prev, ok := last[origins[d]]; ok && prev > d {
						t.Fatalf("order %v delivers origin %d out of order", order, origins[d])
					}
					last[origins[d]] = d
				}
			}
		}
		if dups == 0 || reordered == 0 {
			t.Errorf("fifo %t: %d duplicates, %d reordered orders in 200; want some of each", fifo, dups, reordered)
		}
	}
}

func TestHistoryGen(t *testing.T) {
	g := historyGen[uint64](gen.UInt64Range(0, 100), 4, 30)
	p := gopter.DefaultGenParameters()
	kinds := map[string]int{}
	for size := range 50 {
		res := g(p.WithSize(size))
		h := res.Result.(history[uint64])
		if n, want := len(h), min(size, 30); n < want/2 || n > want {
			t.Fatalf("size %d: %d steps, want %d..%d", size, n, want/2, want)
		}
		ops := map[clock.ReplicaID]int{}
		got := map[clock.ReplicaID]map[clock.ReplicaID]int{}
		for r := range clock.ReplicaID(5) {
			got[r] = map[clock.ReplicaID]int{}
		}
		for _, s := range h {
			switch s.kind {
			case opStep:
				if s.replica < 1 || s.replica > 4 || s.op > 100 {
					t.Fatalf("bad op step %v", s)
				}
				ops[s.replica]++
				kinds["op"]++
			case syncStep:
				if s.replica < 1 || s.replica > 4 || s.from < 1 || s.from > 4 || s.from == s.replica {
					t.Fatalf("bad sync step %v", s)
				}
			case deliverStep:
				if s.replica < 1 || s.replica > 4 || s.from < 1 || s.from > 4 || s.from == s.replica ||
					s.seq < 1 || s.seq > ops[s.from] {
					t.Fatalf("bad delivery step %v after %d ops of r%d", s, ops[s.from], s.from)
				}
				if s.seq > got[s.replica][s.from] {
					if s.seq-got[s.replica][s.from] > maxBatch {
						t.Fatalf("delivery step %v delivers more than %d new deltas", s, maxBatch)
					}
					got[s.replica][s.from] = s.seq
					kinds["delivery"]++
				} else {
					kinds["duplicate"]++
				}
			case tickStep:
				if s.millis < 1 || s.millis > maxTick {
					t.Fatalf("bad tick step %v", s)
				}
			}
		}
	}
	for _, k := range []string{"op", "delivery", "duplicate"} {
		if kinds[k] == 0 {
			t.Errorf("no %s step in 50 histories: %v", k, kinds)
		}
	}
}

func TestShrinkStep(t *testing.T) {
	res := gen.UInt64Range(0, 100)(gopter.DefaultGenParameters())
	s := step[uint64]{kind: opStep, replica: 2, op: 40, shrink: res.Shrinker, sieve: res.Sieve}
	shrunk := shrinkStep[uint64](s).All()
	if len(shrunk) == 0 {
		t.Fatal("an op step did not shrink")
	}
	for _, v := range shrunk {
		got := v.(step[uint64])
		if got.kind != opStep || got.replica != 2 || got.op >= 40 {
			t.Errorf("shrunk %v to %v, want a smaller op of r2", s, got)
		}
	}
	if n := len(shrinkStep[uint64](step[uint64]{kind: syncStep, replica: 1, from: 2}).All()); n != 0 {
		t.Errorf("a sync step shrank to %d values, want none", n)
	}
	for seq, want := range map[int][]int{1: nil, 2: {1}, 3: {1, 2}, 8: {1, 4, 7}} {
		var seqs []int
		for _, v := range shrinkStep[uint64](step[uint64]{kind: deliverStep, replica: 1, from: 2, seq: seq}).All() {
			got := v.(step[uint64])
			if got.kind != deliverStep || got.replica != 1 || got.from != 2 {
				t.Errorf("delivery r1 <- r2.%d shrank to %v", seq, got)
			}
			seqs = append(seqs, got.seq)
		}
		if !slices.Equal(seqs, want) {
			t.Errorf("delivery r1 <- r2.%d shrank to seqs %v, want %v", seq, seqs, want)
		}
	}
}
