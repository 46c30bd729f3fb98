package register_test

import (
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/register"
)

// execLWW runs "SET v", "DEL", "GET → v" and "GET → (nil)".
func execLWW(t *testing.T, r *register.LWW, at clock.Stamp, cmd string) (*register.LWW, bool) {
	t.Helper()
	if name, want, ok := read(cmd); ok {
		if name != "GET" {
			t.Fatalf("unknown read %q", cmd)
		}
		got, found := r.Get()
		if !found {
			got = "(nil)"
		}
		if got != want {
			t.Fatalf("%s: got %s at replica %d; state %v", cmd, got, at.Replica, r)
		}
		return nil, false
	}
	switch {
	case cmd == "DEL":
		return r.Clear(at.Replica), true
	case len(cmd) > 4 && cmd[:4] == "SET ":
		return r.Set(at, cmd[4:]), true
	}
	t.Fatalf("unknown command %q", cmd)
	return nil, false
}

func TestLWWConflicts(t *testing.T) {
	tests := []scenario{{
		name: "SET a ‖ (later) SET b → b",
		a:    1, b: 2,
		rows: []string{
			"t1 | SET a   |",
			"t2 |         | SET b",
			"t3 | GET → a | GET → b",
			"t4 | sync",
			"t5 | GET → b | GET → b",
		},
	}, {
		name: "the later SET wins from either column",
		a:    1, b: 2,
		rows: []string{
			"t1 |         | SET b",
			"t2 | SET a   |",
			"t3 | sync",
			"t4 | GET → a | GET → a",
		},
	}, {
		name: "equal timestamps: the higher replica ID wins",
		a:    7, b: 3,
		rows: []string{
			"t1 | SET a   | SET b",
			"t2 | sync",
			"t3 | GET → a | GET → a",
		},
	}, {
		name: "DEL ‖ SET → the SET survives",
		a:    1, b: 2,
		rows: []string{
			"t1 | SET x   |",
			"t1 | sync",
			"t2 | DEL     | SET y",
			"t3 | GET → (nil) | GET → y",
			"t4 | sync",
			"t5 | GET → y | GET → y",
		},
	}, {
		name: "DEL ‖ SET → the SET survives even when older",
		a:    1, b: 2,
		rows: []string{
			"t1 | SET x   |",
			"t1 | sync",
			"t2 |         | SET y",
			"t3 | DEL     |",
			"t4 | sync",
			"t5 | GET → y | GET → y",
		},
	}, {
		name: "SET x then (after seeing it) DEL → missing",
		a:    1, b: 2,
		rows: []string{
			"t1 | SET x   |",
			"t2 | sync",
			"t3 |         | DEL",
			"t4 | sync",
			"t5 | GET → (nil) | GET → (nil)",
		},
	}, {
		name: "a SET that saw another wins even with an earlier timestamp",
		a:    1, b: 2,
		rows: []string{
			"t5 | SET a   |",
			"t5 | sync",
			"t3 |         | SET b",
			"t6 | sync",
			"t6 | GET → b | GET → b",
		},
	}, {
		// Regression: a replica that dropped the losing entry a when b
		// arrived would read (nil) after B's DEL, which saw only b, while
		// B reads a; keeping losers makes both read a.
		name: "a DEL that saw only the winner brings back the concurrent loser",
		a:    1, b: 2,
		rows: []string{
			"t1 | SET a   |",
			"t2 |         | SET b",
			"t3 | B→A",
			"t3 | GET → b |",
			"t4 |         | DEL",
			"t5 | sync",
			"t6 | GET → a | GET → a",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runScenario(t, tc, register.NewLWW, execLWW)
		})
	}
}

func TestLWWStamp(t *testing.T) {
	r := register.NewLWW()
	if s, ok := r.Stamp(); ok {
		t.Fatalf("empty register has stamp %v", s)
	}
	a := clock.Stamp{Time: clock.NewTimestamp(1000, 2), Replica: 5}
	b := clock.Stamp{Time: clock.NewTimestamp(1000, 2), Replica: 9}
	other := register.NewLWW()
	r.Merge(other.Set(b, "b"))
	r.Set(a, "a") // observes b: a is now the only entry
	if s, ok := r.Stamp(); !ok || s != a {
		t.Fatalf("Stamp() = %v, %v; want %v", s, ok, a)
	}
	// A concurrent write with a greater stamp wins.
	r.Merge(other.Set(b, "c"))
	if s, _ := r.Stamp(); s != b {
		t.Fatalf("Stamp() = %v; want %v", s, b)
	}
	if v, _ := r.Get(); v != "c" {
		t.Fatalf("Get() = %q; want c", v)
	}
}

func TestLWWDeltas(t *testing.T) {
	at := func(ms int64, id clock.ReplicaID) clock.Stamp {
		return clock.Stamp{Time: clock.NewTimestamp(ms, 0), Replica: id}
	}
	r := register.NewLWW()
	d1 := r.Set(at(1, 1), "a")
	d2 := r.Set(at(2, 1), "b\x00binary")
	d3 := r.Clear(1)
	d4 := r.Set(at(4, 1), "d")

	// Merging the deltas, in any order, rebuilds the state.
	for _, order := range [][]*register.LWW{{d1, d2, d3, d4}, {d4, d3, d2, d1}, {d2, d4, d1, d3, d2}} {
		got := register.NewLWW()
		for _, d := range order {
			got.Merge(d)
		}
		if !got.Equal(r) {
			t.Fatalf("deltas merged in order give %v; want %v", got, r)
		}
	}
	// A delta holds only its own write.
	if got, want := d2.String(), `{1:2} [1.2:"b\x00binary"@2.0]`; got != want {
		t.Fatalf("delta = %s; want %s", got, want)
	}
	if got, want := d3.String(), `{}+[1.2-3] []`; got != want {
		t.Fatalf("clear delta = %s; want %s", got, want)
	}
	if got, want := r.String(), `{1:4} [1.4:"d"@4.0]`; got != want {
		t.Fatalf("state = %s; want %s", got, want)
	}
	// Merge reports change, and only change.
	if r.Merge(d2) {
		t.Fatal("merging an old delta changed the state")
	}
	fresh := register.NewLWW()
	if !fresh.Merge(d3) || fresh.Merge(d3) {
		t.Fatal("Merge must report a first merge of a clear delta and not a second")
	}
}

func TestLWWCloneIsDeep(t *testing.T) {
	r := register.NewLWW()
	r.Set(clock.Stamp{Time: 1, Replica: 1}, "a")
	c := r.Clone()
	r.Set(clock.Stamp{Time: 2, Replica: 1}, "b")
	if v, _ := c.Get(); v != "a" {
		t.Fatalf("clone reads %q after the original changed; want a", v)
	}
	if c.Equal(r) {
		t.Fatal("clone equals a changed original")
	}
	if r.Merge(r) {
		t.Fatal("merging a register into itself changed it")
	}
}
