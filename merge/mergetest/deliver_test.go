package mergetest

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

// resetCounter is a counter with observed reset, the shape of
// counter.Counter in a few lines: p[q] is replica q's running total of
// increments, r[q] the total of q a DEL saw, both tagged with q's
// sequence number and joined by keeping the larger one. Replica q counts
// p[q] − r[q] while p[q] is newer than r[q], else 0: a DEL can reach a
// replica (from a third one) before increments it saw.
type resetCounter struct {
	flaw resetFlaw
	p, r map[clock.ReplicaID]total
}

// total is a running total of increments and its sequence number.
type total struct{ seq, sum uint64 }

// resetFlaw is the deliberate mistake a resetCounter makes.
type resetFlaw int

const (
	resetSound resetFlaw = iota
	// maxSeqDel: DEL sets r[q] to the larger sequence number with p[q]'s
	// sum. On a replica holding a DEL that overtook increments it saw,
	// that makes a second, different r[q] under one sequence number, so
	// replicas diverge. Only a replica that merged such a delta and then
	// deletes gets there: a full-state sync always brings the increments
	// along.
	maxSeqDel
	// unguardedRead: Value subtracts every r[q] from every p[q] whatever
	// their sequence numbers, so a DEL that overtook increments it saw
	// reads negative (the bug counter.Counter had).
	unguardedRead
)

// resetOp is INCRBY N (N > 0) or DEL.
type resetOp struct {
	N   uint64
	Del bool
}

func (o resetOp) String() string {
	if o.Del {
		return "DEL"
	}
	return fmt.Sprintf("INCRBY %d", o.N)
}

func genResetOp() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 3, Gen: gen.UInt64Range(1, 5).Map(func(n uint64) resetOp { return resetOp{N: n} })},
		{Weight: 1, Gen: gen.Const(resetOp{Del: true})},
	})
}

func applyReset(s *resetCounter, at clock.Stamp, op resetOp) (*resetCounter, error) {
	d := &resetCounter{flaw: s.flaw, p: map[clock.ReplicaID]total{}, r: map[clock.ReplicaID]total{}}
	if !op.Del {
		t := s.p[at.Replica]
		t = total{seq: t.seq + 1, sum: t.sum + op.N}
		s.p[at.Replica], d.p[at.Replica] = t, t
		return d, nil
	}
	for _, q := range s.replicas() {
		p, r := s.p[q], s.r[q]
		next := r
		switch {
		case s.flaw == maxSeqDel:
			next = total{seq: max(p.seq, r.seq), sum: p.sum}
		case p.seq > r.seq:
			next = p
		}
		if next != r {
			s.r[q], d.r[q] = next, next
		}
	}
	return d, nil
}

// replicas returns the replicas s holds a total of, ascending.
func (s *resetCounter) replicas() []clock.ReplicaID {
	qs := slices.Concat(slices.Collect(maps.Keys(s.p)), slices.Collect(maps.Keys(s.r)))
	slices.Sort(qs)
	return slices.Compact(qs)
}

// Value returns the counter's value.
func (s *resetCounter) Value() int64 {
	var v int64
	for _, q := range s.replicas() {
		p, r := s.p[q], s.r[q]
		if p.seq > r.seq || s.flaw == unguardedRead {
			v += int64(p.sum) - int64(r.sum)
		}
	}
	return v
}

func newResetCounter(f resetFlaw) func() *resetCounter {
	return func() *resetCounter {
		return &resetCounter{flaw: f, p: map[clock.ReplicaID]total{}, r: map[clock.ReplicaID]total{}}
	}
}

func (s *resetCounter) Merge(o *resetCounter) bool {
	changed := false
	for _, m := range []struct{ dst, src map[clock.ReplicaID]total }{{s.p, o.p}, {s.r, o.r}} {
		for q, t := range m.src {
			if t.seq > m.dst[q].seq {
				m.dst[q] = t
				changed = true
			}
		}
	}
	return changed
}

func (s *resetCounter) Clone() *resetCounter {
	return &resetCounter{flaw: s.flaw, p: maps.Clone(s.p), r: maps.Clone(s.r)}
}

func (s *resetCounter) Equal(o *resetCounter) bool {
	return maps.Equal(s.p, o.p) && maps.Equal(s.r, o.r)
}

func (s *resetCounter) String() string { return fmt.Sprintf("p%v r%v", s.p, s.r) }

func (s *resetCounter) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, 'R', 1)
	for _, m := range []map[clock.ReplicaID]total{s.p, s.r} {
		b = wire.AppendUvarint(b, uint64(len(m)))
		for _, q := range slices.Sorted(maps.Keys(m)) {
			b = wire.AppendUvarint(b, uint64(q))
			b = wire.AppendUvarint(b, m[q].seq)
			b = wire.AppendUvarint(b, m[q].sum)
		}
	}
	return b, nil
}

func (s *resetCounter) UnmarshalBinary(data []byte) error {
	rd := wire.NewReader(data)
	rd.Header('R', 1, "reset counter")
	out := newResetCounter(s.flaw)()
	for _, m := range []map[clock.ReplicaID]total{out.p, out.r} {
		n := rd.Count(3)
		var prev clock.ReplicaID
		for i := 0; i < n && rd.Err() == nil; i++ {
			q, t := clock.ReplicaID(rd.Uvarint()), total{seq: rd.Uvarint(), sum: rd.Uvarint()}
			if (i > 0 && q <= prev) || t.seq == 0 {
				rd.Fail("reset counter: not canonical")
			}
			m[q], prev = t, q
		}
	}
	if err := rd.Done("reset counter"); err != nil {
		return err
	}
	*s = *out
	return nil
}

// resetModel returns the Model of a resetCounter with flaw f, whose Check
// is that a counter only ever incremented by positive amounts never reads
// negative.
func resetModel(f resetFlaw) Model[*resetCounter, resetOp] {
	return Model[*resetCounter, resetOp]{
		New:   newResetCounter(f),
		Apply: applyReset,
		Op:    genResetOp(),
		Check: func(s *resetCounter) error {
			if v := s.Value(); v < 0 {
				return fmt.Errorf("Value() = %d < 0 with only positive increments", v)
			}
			return nil
		},
		Cases: 300,
		Seed:  7,
	}
}

// delivers matches a delivery step in a printed history.
var delivers = regexp.MustCompile(`\n +\d+  r\d <- r\d\.\d+\n`)

func TestResetCounterSound(t *testing.T) {
	for _, fifo := range []bool{false, true} {
		m := resetModel(resetSound)
		m.FIFO, m.Cases, m.Seed = fifo, 500, 0
		if err := Check(m); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckCatchesOpsAfterDeliveries checks that Check finds a bug only a
// replica that merged deltas and then applied an operation meets, and
// that without deliveries (full-state syncs only) it would not.
func TestCheckCatchesOpsAfterDeliveries(t *testing.T) {
	m := resetModel(maxSeqDel)
	if n := passesWithoutDeliveries(&m, 300); n != 300 {
		t.Fatalf("%d of 300 histories without deliveries pass; want all: the flaw should need deliveries", n)
	}
	var lawErr *LawError
	if err := Check(m); !errors.As(err, &lawErr) {
		t.Fatalf("Check = %v, want a *LawError", err)
	}
	shrunk := shrunkHistory(t, lawErr)
	if !delivers.MatchString(shrunk) || !strings.Contains(shrunk, "op DEL") {
		t.Errorf("law %q: shrunk history has no delivery followed by a DEL:\n%s", lawErr.Law, lawErr.Report)
	}
}

// TestCheckCatchesWrongRead checks that Model.Check fails a case with law
// ReadCheck, naming the state it rejected.
func TestCheckCatchesWrongRead(t *testing.T) {
	var lawErr *LawError
	if err := Check(resetModel(unguardedRead)); !errors.As(err, &lawErr) || lawErr.Law != ReadCheck {
		t.Fatalf("Check = %v, want a %q *LawError", err, ReadCheck)
	}
	if !regexp.MustCompile(`^Check of (r\d's state after step \d+|the result of .+): Value\(\) = -\d+ < 0 `).MatchString(lawErr.Detail) ||
		!strings.Contains(lawErr.Detail, "\n  state = p") {
		t.Errorf("Detail = %q, want it to name the state and show it", lawErr.Detail)
	}
	if !strings.Contains(lawErr.Error(), `law "read check" broken`) {
		t.Errorf("Error() = %q, want it to name the law", lawErr.Error())
	}
}

// passesWithoutDeliveries replays cases histories of m's generator with
// their delivery steps left out and returns how many pass.
func passesWithoutDeliveries(m *Model[*resetCounter, resetOp], cases int) int {
	if err := m.normalize(); err != nil {
		panic(err)
	}
	g := historyGen[resetOp](m.Op, m.Replicas, m.MaxSteps)
	p := gopter.DefaultGenParameters().WithSize(m.MaxSteps)
	passed := 0
	for k := range cases {
		h := g(p).Result.(history[resetOp])
		h = slices.DeleteFunc(h, func(s step[resetOp]) bool { return s.kind == deliverStep })
		if runCase(m, h, uint64(k)) == "" {
			passed++
		}
	}
	return passed
}

// shrunkHistory returns the shrunk history a LawError's report prints.
func shrunkHistory(t *testing.T, lawErr *LawError) string {
	t.Helper()
	h := regexp.MustCompile(`history: (.*\n)*?delivery seed`).FindString(lawErr.Report)
	if h == "" {
		t.Fatalf("no history in the report:\n%s", lawErr.Report)
	}
	return h
}
