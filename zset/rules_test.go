package zset

import (
	"math"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestConflictRules replays the sorted-set rows of the Redis
// Active-Active conflict table as worked examples: both replicas start
// from the same state, apply one command each while partitioned, exchange
// deltas, and must agree on the result.
//
//	time | replica A       | replica B         | result
//	t1   | ZADD x 1        |                   | (synced)
//	t2   | ZADD x 5        | ZREM x            | x=5 (member survives)
func TestConflictRules(t *testing.T) {
	type op func(t *testing.T, s *Set) *Set
	add := func(ms int64, member string, score float64) func(id clock.ReplicaID) op {
		return func(id clock.ReplicaID) op {
			return func(t *testing.T, s *Set) *Set { return zadd(t, s, stamp(ms, id), member, score) }
		}
	}
	incr := func(ms int64, member string, by float64) func(id clock.ReplicaID) op {
		return func(id clock.ReplicaID) op {
			return func(t *testing.T, s *Set) *Set { return zincr(t, s, stamp(ms, id), member, by) }
		}
	}
	rem := func(member string) func(id clock.ReplicaID) op {
		return func(id clock.ReplicaID) op {
			return func(t *testing.T, s *Set) *Set {
				d, _ := s.Remove(id, member)
				return d
			}
		}
	}
	none := func(clock.ReplicaID) op { return func(*testing.T, *Set) *Set { return newDelta() } }
	tests := []struct {
		name    string
		setup   func(clock.ReplicaID) op // at A, then synced to B
		a, b    func(clock.ReplicaID) op // concurrent
		present bool
		score   float64
	}{
		// time | A          | B              | result
		// t1   | ZADD x 1   |                |
		// t2   | ZADD x 5   | ZREM x         | x=5
		{"ZADD ‖ ZREM: member survives", add(1000, "x", 1), add(2000, "x", 5), rem("x"), true, 5},
		// t1   |            | ZADD x 1       |
		// t2   | ZREM x     | ZADD x 5       | x=5
		{"ZREM ‖ ZADD of the writer: member survives", add(1000, "x", 1), rem("x"), add(2000, "x", 5), true, 5},
		// t1   | ZADD x 1   |                |
		// t2   | ZADD x 5   |                |
		// t3   |            | ZADD x 7       | x=7
		{"ZADD 5 ‖ later ZADD 7: 7", add(1000, "x", 1), add(2000, "x", 5), add(3000, "x", 7), true, 7},
		// t2   |            | ZADD x 7       |
		// t3   | ZADD x 5   |                | x=5
		{"ZADD 7 ‖ later ZADD 5: 5", add(1000, "x", 1), add(3000, "x", 5), add(2000, "x", 7), true, 5},
		// t2   | ZADD x 5   | ZADD x 7       | x=7 (B's replica ID is greater)
		{"ZADD ‖ ZADD at one time: replica ID breaks the tie", add(1000, "x", 1), add(2000, "x", 5), add(2000, "x", 7), true, 7},
		// t1   | ZADD x 1.1 |                |
		// t2   | ZINCRBY x 1| ZINCRBY x 1    | x=3.1
		{"ZINCRBY ‖ ZINCRBY: increments add up", add(1000, "x", 1.1), incr(2000, "x", 1), incr(2000, "x", 1), true, 3.1},
		// t1   | ZADD x 4.1 |                |
		// t2   | ZREM x     | ZINCRBY x 2    | x=2
		{"ZREM ‖ ZINCRBY: the remove subtracts what it saw", add(1000, "x", 4.1), rem("x"), incr(2000, "x", 2), true, 2},
		// t1   | ZINCRBY x 4.1 |             |
		// t2   | ZREM x     | ZINCRBY x 2    | x=2
		{"ZREM ‖ ZINCRBY over increments", incr(1000, "x", 4.1), rem("x"), incr(2000, "x", 2), true, 2},
		// t1   | ZADD x 5   |                |
		// t2   | ZINCRBY x 2| ZADD x 10 (later) | x=12
		{"ZINCRBY ‖ later ZADD: the increment adds to the new base", add(1000, "x", 5), incr(2000, "x", 2), add(3000, "x", 10), true, 12},
		// t2   | ZREM x     | ZREM x         | x absent
		{"ZREM ‖ ZREM", add(1000, "x", 5), rem("x"), rem("x"), false, 0},
		// t2   | ZADD x +inf| ZINCRBY x 3    | x=+inf
		{"ZADD +inf ‖ ZINCRBY", add(1000, "x", 5), add(2000, "x", math.Inf(1)), incr(2000, "x", 3), true, math.Inf(1)},
		// t2   | ZREM x     |                | x absent
		{"ZREM alone", add(1000, "x", 5), rem("x"), none, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := New(), New()
			b.Merge(tt.setup(replicaA)(t, a))
			da := tt.a(replicaA)(t, a)
			db := tt.b(replicaB)(t, b)
			a.Merge(db)
			b.Merge(da)
			for _, r := range []struct {
				name string
				s    *Set
			}{{"A", a}, {"B", b}} {
				score, ok := r.s.Score("x")
				if ok != tt.present || (ok && score != tt.score) {
					t.Errorf("replica %s: x = %v, present %t; want %v, present %t", r.name, score, ok, tt.score, tt.present)
				}
				checkIndex(t, r.s)
			}
			if !a.Equal(b) {
				t.Error("replicas differ after exchanging deltas")
			}
		})
	}
}
