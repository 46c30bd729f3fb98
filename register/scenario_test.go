package register_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// scenario is a worked conflict example in the form of the Redis
// Active-Active documentation: rows of "time | replica A | replica B".
//
// A time is "t<seconds>". A cell holds a command for that replica's executor
// (a write, or a read of the form "CMD → want"), or is empty. A row whose
// only cell is "sync" delivers every delta not yet delivered in both
// directions and then requires both replicas to be Equal; "A→B" and "B→A"
// deliver in one direction only.
type scenario struct {
	name string
	a, b clock.ReplicaID // the replica IDs of columns A and B
	rows []string
}

// executor runs one command at replica id at time at. A write returns its
// delta and true; a read checks its expectation and returns false.
type executor[T merge.State[T]] func(t *testing.T, s T, at clock.Stamp, cmd string) (delta T, write bool)

type side[T merge.State[T]] struct {
	name  string
	id    clock.ReplicaID
	state T
	out   []T // deltas written here and not yet delivered
}

func deliver[T merge.State[T]](from, to *side[T]) {
	for _, d := range from.out {
		to.state.Merge(d)
	}
	from.out = nil
}

func runScenario[T merge.State[T]](t *testing.T, sc scenario, newT func() T, exec executor[T]) {
	t.Helper()
	a := &side[T]{name: "A", id: sc.a, state: newT()}
	b := &side[T]{name: "B", id: sc.b, state: newT()}
	for _, row := range sc.rows {
		cells := strings.Split(row, "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		secs, err := strconv.ParseInt(strings.TrimPrefix(cells[0], "t"), 10, 64)
		if err != nil || !strings.HasPrefix(cells[0], "t") {
			t.Fatalf("row %q: bad time", row)
		}
		if len(cells) == 2 {
			switch cells[1] {
			case "sync":
				deliver(a, b)
				deliver(b, a)
				if !a.state.Equal(b.state) {
					t.Fatalf("row %q: replicas differ after sync:\nA %v\nB %v", row, a.state, b.state)
				}
			case "A→B":
				deliver(a, b)
			case "B→A":
				deliver(b, a)
			default:
				t.Fatalf("row %q: unknown delivery", row)
			}
			continue
		}
		if len(cells) != 3 {
			t.Fatalf("row %q: want time | A | B", row)
		}
		for i, s := range []*side[T]{a, b} {
			cmd := cells[1+i]
			if cmd == "" {
				continue
			}
			at := clock.Stamp{Time: clock.NewTimestamp(secs*1000, 0), Replica: s.id}
			t.Logf("t%d %s: %s", secs, s.name, cmd)
			if d, ok := exec(t, s.state, at, cmd); ok {
				s.out = append(s.out, d)
			}
		}
	}
}

// read splits a read command "CMD → want" into its command and expectation.
func read(cmd string) (name, want string, ok bool) {
	name, want, ok = strings.Cut(cmd, "→")
	return strings.TrimSpace(name), strings.TrimSpace(want), ok
}
