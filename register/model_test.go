package register_test

import (
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
	"github.com/redcrdt/redcrdt/register"
)

// The model tests check each register against a naive model of its rule.
// Replicas 1…n start from a common base state, each applies a short run of
// local writes without hearing from the others, and every delta is then
// delivered to an observer in a random order with duplicates. Within a run
// only a replica's last write counts (it saw the earlier ones), so the
// model reads the value off the last writes alone.

// op is one local write: kind 's' (SET / EXPIRE), 'p' (PERSIST) or 'd'
// (DEL / reset); time orders SETs; at is an EXPIRE deadline.
type op struct {
	kind  byte
	time  int64
	at    int64
	value string
}

// history holds each replica's run of writes (replica i+1 runs ops[i]) and
// the seed of the delivery order.
type history struct {
	ops  [][]op
	seed int64
}

func genHistory(r *rand.Rand, kinds string) history {
	h := history{ops: make([][]op, 1+r.Intn(4)), seed: r.Int63()}
	for i := range h.ops {
		for range r.Intn(4) {
			h.ops[i] = append(h.ops[i], op{
				kind:  kinds[r.Intn(len(kinds))],
				time:  r.Int63n(3), // few distinct times, so ties happen
				at:    r.Int63n(5) * 1000,
				value: string(rune('a' + r.Intn(26))),
			})
		}
	}
	return h
}

// lwwHistory is a history of SET and DEL.
type lwwHistory struct{ history }

func (lwwHistory) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(lwwHistory{genHistory(r, "sd")})
}

// ttlHistory is a history of EXPIRE, PERSIST and reset.
type ttlHistory struct{ history }

func (ttlHistory) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(ttlHistory{genHistory(r, "spd")})
}

// run applies h to clones of base and returns three observers, each of
// which merged every delta in its own random order with duplicates; it
// reports whether they are Equal.
func run[T merge.State[T]](h history, base T, apply func(s T, id clock.ReplicaID, o op) T) (T, bool) {
	var deltas []T
	for i, ops := range h.ops {
		s := base.Clone()
		for _, o := range ops {
			deltas = append(deltas, apply(s, clock.ReplicaID(i+1), o))
		}
	}
	rng := rand.New(rand.NewSource(h.seed))
	var first T
	for k := range 3 {
		obs := base.Clone()
		for _, j := range rng.Perm(len(deltas)) {
			obs.Merge(deltas[j])
			if rng.Intn(3) == 0 {
				obs.Merge(deltas[rng.Intn(len(deltas))])
			}
		}
		if k == 0 {
			first = obs
		} else if !obs.Equal(first) {
			return first, false
		}
	}
	return first, true
}

// lastOps returns each replica's last write, with its replica ID.
func lastOps(h history) map[clock.ReplicaID]op {
	last := make(map[clock.ReplicaID]op)
	for i, ops := range h.ops {
		if len(ops) > 0 {
			last[clock.ReplicaID(i+1)] = ops[len(ops)-1]
		}
	}
	return last
}

func TestLWWModel(t *testing.T) {
	const baseID = 100
	base := register.NewLWW()
	base.Set(clock.Stamp{Time: clock.NewTimestamp(1, 0), Replica: baseID}, "base")
	apply := func(s *register.LWW, id clock.ReplicaID, o op) *register.LWW {
		if o.kind == 'd' {
			return s.Clear(id)
		}
		return s.Set(clock.Stamp{Time: clock.NewTimestamp(o.time, 0), Replica: id}, o.value)
	}
	model := func(h history) (string, bool) {
		last := lastOps(h)
		if len(last) == 0 {
			return "base", true
		}
		var best clock.Stamp
		value, found := "", false
		for id, o := range last {
			s := clock.Stamp{Time: clock.NewTimestamp(o.time, 0), Replica: id}
			if o.kind == 's' && (!found || best.Less(s)) {
				best, value, found = s, o.value, true
			}
		}
		return value, found
	}
	prop := func(h lwwHistory) bool {
		got, converged := run(h.history, base, apply)
		v, ok := got.Get()
		wv, wok := model(h.history)
		if !converged || v != wv || ok != wok {
			t.Logf("history %+v: converged %v, got %q %v, want %q %v", h.ops, converged, v, ok, wv, wok)
			return false
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 1000, Rand: rand.New(rand.NewSource(1))}); err != nil {
		t.Fatal(err)
	}
}

func TestTTLModel(t *testing.T) {
	const baseID = 100
	base := register.NewTTL()
	base.Expire(baseID, 50_000)
	apply := func(s *register.TTL, id clock.ReplicaID, o op) *register.TTL {
		switch o.kind {
		case 'p':
			return s.Persist(id)
		case 'd':
			return s.Reset(id)
		}
		return s.Expire(id, o.at)
	}
	model := func(h history) (int64, bool) {
		last := lastOps(h)
		if len(last) == 0 {
			return 50_000, true
		}
		var at int64
		found := false
		for _, o := range last {
			switch o.kind {
			case 'p':
				return 0, false
			case 's':
				if !found || o.at > at {
					at, found = o.at, true
				}
			}
		}
		return at, found
	}
	prop := func(h ttlHistory) bool {
		got, converged := run(h.history, base, apply)
		at, ok := got.Deadline()
		wat, wok := model(h.history)
		if !converged || at != wat || ok != wok {
			t.Logf("history %+v: converged %v, got %d %v, want %d %v", h.ops, converged, at, ok, wat, wok)
			return false
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 1000, Rand: rand.New(rand.NewSource(1))}); err != nil {
		t.Fatal(err)
	}
}
