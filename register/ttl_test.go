package register_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/register"
)

// execTTL runs "EXPIRE s" (s seconds from the row's time), "PERSIST", "SET"
// (a write that resets the TTL), "DEL", and "TTL → n", the Redis TTL reply
// in seconds (-1 no TTL, -2 expired).
func execTTL(t *testing.T, r *register.TTL, at clock.Stamp, cmd string) (*register.TTL, bool) {
	t.Helper()
	now := at.Time.WallMillis()
	if name, want, ok := read(cmd); ok {
		if name != "TTL" {
			t.Fatalf("unknown read %q", cmd)
		}
		got := r.Remaining(now)
		if got >= 0 {
			got /= 1000
		}
		if strconv.FormatInt(got, 10) != want {
			t.Fatalf("%s: got %d at replica %d; state %v", cmd, got, at.Replica, r)
		}
		return nil, false
	}
	switch name, arg, _ := strings.Cut(cmd, " "); name {
	case "EXPIRE":
		secs, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			t.Fatalf("bad command %q", cmd)
		}
		return r.Expire(at.Replica, now+secs*1000), true
	case "PERSIST":
		return r.Persist(at.Replica), true
	case "SET", "DEL":
		return r.Reset(at.Replica), true
	}
	t.Fatalf("unknown command %q", cmd)
	return nil, false
}

func TestTTLConflicts(t *testing.T) {
	tests := []scenario{{
		name: "EXPIRE 10 ‖ EXPIRE 100 → 100",
		a:    1, b: 2,
		rows: []string{
			"t0 | EXPIRE 10 | EXPIRE 100",
			"t0 | sync",
			"t0 | TTL → 100 | TTL → 100",
		},
	}, {
		name: "the longest TTL wins, not the latest",
		a:    2, b: 1,
		rows: []string{
			"t1 | EXPIRE 100 |",
			"t2 |            | EXPIRE 10",
			"t3 | sync",
			"t3 | TTL → 98   | TTL → 98",
		},
	}, {
		name: "PERSIST ‖ EXPIRE → no TTL",
		a:    1, b: 2,
		rows: []string{
			"t1 | EXPIRE 10 |",
			"t1 | sync",
			"t2 | PERSIST   | EXPIRE 100",
			"t3 | TTL → -1  | TTL → 99",
			"t3 | sync",
			"t4 | TTL → -1  | TTL → -1",
		},
	}, {
		name: "EXPIRE after (seeing) PERSIST → the EXPIRE applies",
		a:    1, b: 2,
		rows: []string{
			"t1 | PERSIST   |",
			"t1 | sync",
			"t2 |           | EXPIRE 10",
			"t3 | sync",
			"t3 | TTL → 9   | TTL → 9",
		},
	}, {
		name: "SET (reset) ‖ EXPIRE → the EXPIRE survives",
		a:    1, b: 2,
		rows: []string{
			"t1 | EXPIRE 10 |",
			"t1 | sync",
			"t3 | SET       | EXPIRE 100",
			"t3 | TTL → -1  | TTL → 100",
			"t4 | sync",
			"t5 | TTL → 98  | TTL → 98",
		},
	}, {
		name: "EXPIRE then (after seeing it) reset → no TTL",
		a:    1, b: 2,
		rows: []string{
			"t1 | EXPIRE 10 |",
			"t2 | sync",
			"t3 |           | SET",
			"t4 | sync",
			"t5 | TTL → -1  | TTL → -1",
		},
	}, {
		name: "DEL ‖ PERSIST → the PERSIST survives",
		a:    1, b: 2,
		rows: []string{
			"t1 | EXPIRE 10 |",
			"t1 | sync",
			"t2 | DEL       | PERSIST",
			"t3 | sync",
			"t4 | EXPIRE 5  |",
			"t5 | TTL → 4   | TTL → -1",
		},
	}, {
		name: "a later EXPIRE that saw a longer one shortens the TTL",
		a:    1, b: 2,
		rows: []string{
			"t1 | EXPIRE 100 |",
			"t1 | sync",
			"t2 |            | EXPIRE 10",
			"t3 | sync",
			"t3 | TTL → 9    | TTL → 9",
		},
	}, {
		name: "past its deadline the key reads as expired on every replica",
		a:    1, b: 2,
		rows: []string{
			"t1 | EXPIRE 2 |",
			"t1 | sync",
			"t3 | TTL → 0  | TTL → 0",
			"t4 | TTL → -2 | TTL → -2",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runScenario(t, tc, register.NewTTL, execTTL)
		})
	}
}

func TestTTLReads(t *testing.T) {
	r := register.NewTTL()
	if at, ok := r.Deadline(); ok {
		t.Fatalf("new register has deadline %d", at)
	}
	if got := r.Remaining(0); got != -1 {
		t.Fatalf("Remaining() = %d with no TTL; want -1", got)
	}
	if r.Expired(math.MaxInt64) {
		t.Fatal("a register with no TTL expired")
	}
	r.Expire(1, 5000)
	tests := []struct {
		now       int64
		remaining int64
		expired   bool
	}{
		{now: 0, remaining: 5000},
		{now: 4999, remaining: 1},
		{now: 5000, remaining: 0},
		{now: 5001, remaining: -2, expired: true},
		{now: math.MinInt64, remaining: math.MaxInt64}, // 5000 − MinInt64 overflows: capped
	}
	for _, tc := range tests {
		if got := r.Remaining(tc.now); got != tc.remaining {
			t.Errorf("Remaining(%d) = %d; want %d", tc.now, got, tc.remaining)
		}
		if got := r.Expired(tc.now); got != tc.expired {
			t.Errorf("Expired(%d) = %v; want %v", tc.now, got, tc.expired)
		}
	}
	if at, ok := r.Deadline(); !ok || at != 5000 {
		t.Fatalf("Deadline() = %d, %v; want 5000, true", at, ok)
	}
	r.Persist(1)
	if at, ok := r.Deadline(); ok {
		t.Fatalf("Deadline() = %d after PERSIST; want none", at)
	}
	if got, want := r.String(), "{1:2} [1.2:persist]"; got != want {
		t.Fatalf("String() = %s; want %s", got, want)
	}
	r.Expire(1, -7)
	if got, want := r.String(), "{1:3} [1.3:-7]"; got != want {
		t.Fatalf("String() = %s; want %s", got, want)
	}
}

func TestTTLCloneIsDeep(t *testing.T) {
	r := register.NewTTL()
	r.Expire(1, 100)
	c := r.Clone()
	r.Persist(1)
	if at, ok := c.Deadline(); !ok || at != 100 {
		t.Fatalf("clone Deadline() = %d, %v after the original changed; want 100, true", at, ok)
	}
	if c.Equal(r) {
		t.Fatal("clone equals a changed original")
	}
}
