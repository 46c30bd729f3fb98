package counter_test

import (
	"bytes"
	"errors"
	"math"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/internal/wire"
)

const (
	idA clock.ReplicaID = 1
	idB clock.ReplicaID = 2
	idC clock.ReplicaID = 3
)

// at returns the stamp of a write by id at wall time ms.
func at(ms int64, id clock.ReplicaID) clock.Stamp {
	return clock.Stamp{Time: clock.NewTimestamp(ms, 0), Replica: id}
}

// cmd is one command at one replica: it applies itself to the replica's
// state and returns the delta.
type cmd func(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error)

func incrBy(n int64) cmd {
	return func(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.IncrBy(id, n) }
}

func decrBy(n int64) cmd {
	return func(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.DecrBy(id, n) }
}

func incrByFloat(f float64) cmd {
	return func(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.IncrByFloat(id, f) }
}

func set(ms int64, v counter.Number) cmd {
	return func(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.Set(at(ms, id), v) }
}

func del(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.Reset(id), nil }

func incr(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.Incr(id) }

func decr(c *counter.Counter, id clock.ReplicaID) (*counter.Counter, error) { return c.Decr(id) }

// TestConflictRules plays the counter rows of the conflict table, written
// as "x=…; replica A ‖ replica B → result": A runs before on a counter B
// then syncs with, A and B each run their command without hearing from the
// other, they exchange deltas both ways, and both must read want.
func TestConflictRules(t *testing.T) {
	tests := []struct {
		name   string
		before []cmd // at A, then synced to B
		a, b   cmd
		want   string
		float  bool
	}{
		{name: "x=0; INCRBY 1 ‖ INCRBY 2 → 3", a: incrBy(1), b: incrBy(2), want: "3"},
		{name: "x=0; INCR ‖ DECR → 0", a: incr, b: decr, want: "0"},
		{name: "x=0; DECR ‖ DECRBY 3 → -4", a: decr, b: decrBy(3), want: "-4"},
		{name: "x=5; DEL ‖ INCRBY 2 → 2", before: []cmd{incrBy(5)}, a: del, b: incrBy(2), want: "2"},
		{name: "x=5; INCRBY 2 ‖ DEL → 2", before: []cmd{incrBy(5)}, a: incrBy(2), b: del, want: "2"},
		{name: "x=5; DEL ‖ DEL → 0", before: []cmd{incrBy(5)}, a: del, b: del, want: "0"},
		{name: "x=5; SET 10 ‖ INCRBY 2 → 12", before: []cmd{incrBy(5)}, a: set(100, counter.IntNumber(10)), b: incrBy(2), want: "12"},
		{name: "x=5; INCRBY 2 ‖ SET 10 → 12", before: []cmd{incrBy(5)}, a: incrBy(2), b: set(100, counter.IntNumber(10)), want: "12"},
		{name: "SET 10 (t100) ‖ SET 20 (t200) → 20", a: set(100, counter.IntNumber(10)), b: set(200, counter.IntNumber(20)), want: "20"},
		{name: "SET 10 (t300) ‖ SET 20 (t200) → 10", a: set(300, counter.IntNumber(10)), b: set(200, counter.IntNumber(20)), want: "10"},
		{name: "SET 10 ‖ SET 20 at one time → the higher replica's 20", a: set(100, counter.IntNumber(10)), b: set(100, counter.IntNumber(20)), want: "20"},
		{name: "x=5 by SET; DEL ‖ SET 7 → 7", before: []cmd{set(50, counter.IntNumber(5))}, a: del, b: set(100, counter.IntNumber(7)), want: "7"},
		{name: "x=5 by SET; SET 7 ‖ DEL → 7", before: []cmd{set(50, counter.IntNumber(5))}, a: set(100, counter.IntNumber(7)), b: del, want: "7"},
		{name: "x=6 by SET 5, INCR; DEL ‖ INCRBY 2 → 2", before: []cmd{set(50, counter.IntNumber(5)), incr}, a: del, b: incrBy(2), want: "2"},
		{name: "x=5; INCRBYFLOAT 0.5 ‖ INCRBY 2 → 7.5", before: []cmd{incrBy(5)}, a: incrByFloat(0.5), b: incrBy(2), want: "7.5", float: true},
		{name: "x=1.5; DEL ‖ INCRBYFLOAT 0.25 → 0.25", before: []cmd{incrByFloat(1.5)}, a: del, b: incrByFloat(0.25), want: "0.25", float: true},
		{name: "x=1.5; DEL ‖ INCRBYFLOAT 0 → 0, a float", before: []cmd{incrByFloat(1.5)}, a: del, b: incrByFloat(0), want: "0", float: true},
		{name: "x=5; SET 10.5 ‖ INCRBY 2 → 12.5", before: []cmd{incrBy(5)}, a: set(100, counter.FloatNumber(10.5)), b: incrBy(2), want: "12.5", float: true},
		{name: "x=5; SET 10 ‖ INCRBYFLOAT 0.5 → 10.5", before: []cmd{incrBy(5)}, a: set(100, counter.IntNumber(10)), b: incrByFloat(0.5), want: "10.5", float: true},
		{name: "x=2.5; SET 10 ‖ DEL → 10, an integer", before: []cmd{incrByFloat(2.5)}, a: set(100, counter.IntNumber(10)), b: del, want: "10"},
		{name: "SET 1.5 (t100) ‖ SET 4 (t200) → 4, an integer", a: set(100, counter.FloatNumber(1.5)), b: set(200, counter.IntNumber(4)), want: "4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := counter.New(), counter.New()
			for _, c := range tt.before {
				if _, err := c(a, idA); err != nil {
					t.Fatalf("before: %v", err)
				}
			}
			b.Merge(a)
			da, err := tt.a(a, idA)
			if err != nil {
				t.Fatalf("A: %v", err)
			}
			db, err := tt.b(b, idB)
			if err != nil {
				t.Fatalf("B: %v", err)
			}
			a.Merge(db)
			b.Merge(da)
			for _, r := range []struct {
				name string
				c    *counter.Counter
			}{{"A", a}, {"B", b}} {
				if got := r.c.String(); got != tt.want || r.c.IsFloat() != tt.float {
					t.Errorf("replica %s reads %s (float %t), want %s (float %t)", r.name, got, r.c.IsFloat(), tt.want, tt.float)
				}
			}
			if !a.Equal(b) {
				t.Errorf("replicas differ after exchanging deltas")
			}
		})
	}
}

// TestDeltaOrder: a bug found while designing the decoder: a replica may
// receive a DEL before the increments it cancelled, so a reset total can be
// ahead of the total and its dot outside the context. Until the increments
// arrive, the reset cancels everything the replica has of A (it reads 0, not
// a negative amount), and such a state must still encode and decode.
func TestDeltaOrder(t *testing.T) {
	a, b, c := counter.New(), counter.New(), counter.New()
	d1, _ := a.IncrBy(idA, 3)
	d2, _ := a.IncrBy(idA, 4)
	b.Merge(d1)
	b.Merge(d2)
	reset := b.Reset(idB)
	d3, _ := b.IncrBy(idB, 10)

	c.Merge(d1)
	c.Merge(reset)
	if got := c.Int(); got != 0 {
		t.Errorf("before the second increment arrives: %d, want 0 (3 seen, all 7 reset)", got)
	}
	enc, _ := c.AppendBinary(nil)
	var dec counter.Counter
	if err := dec.UnmarshalBinary(enc); err != nil || !dec.Equal(c) {
		t.Fatalf("round trip of a state with a reset ahead of its total: err %v, equal %t", err, dec.Equal(c))
	}
	// A DEL at c now must not move A's reset total back to the total c
	// has seen.
	reset2 := c.Reset(idC)
	for _, d := range []*counter.Counter{d3, d2} {
		c.Merge(d)
	}
	all := counter.New()
	for _, d := range []*counter.Counter{d1, d2, reset, d3, reset2} {
		all.Merge(d)
	}
	if !c.Equal(all) || c.Int() != 10 {
		t.Errorf("c reads %s, want 10 (its DEL did not see B's increment), as New() merged with every delta", c)
	}
	a.Merge(c)
	b.Merge(c)
	if !a.Equal(c) || !b.Equal(c) {
		t.Errorf("replicas differ after every delta")
	}
}

// TestContinueAfterReset checks that a replica whose own total is behind a
// reset of it (a state only decoding produces) continues from the reset
// total, so its count since the reset is not negative.
func TestContinueAfterReset(t *testing.T) {
	// A made two increments (7 in all) and a reset saw both, but only the
	// reset has reached this state.
	enc := encoding(dots(1, 1, 1, 2), nil, []entry{{id: 1, seq: 2, n: 7}})
	c := counter.New()
	if err := c.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	d, err := c.IncrBy(idA, 1)
	if err != nil || c.Int() != 1 {
		t.Fatalf("IncrBy: %v, reads %s, want 1", err, c)
	}
	other := counter.New()
	i1, _ := other.IncrBy(idA, 3)
	i2, _ := other.IncrBy(idA, 4)
	other.Reset(idB)
	other.Merge(d)
	if other.Int() != 1 {
		t.Errorf("a replica that saw the increments and the reset reads %s, want 1", other)
	}
	c.Merge(i1)
	c.Merge(i2)
	if c.Int() != 1 {
		t.Errorf("after the increments arrive: %s, want 1", c)
	}
}

// TestRefusals checks that every refused command returns its error and
// leaves the state as it was.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name   string
		before []cmd // at A
		by     clock.ReplicaID
		c      cmd
		want   error
	}{
		{name: "INCRBY on a float", before: []cmd{incrByFloat(1.5)}, by: idA, c: incrBy(1), want: counter.ErrNotInteger},
		{name: "INCR on a float base", before: []cmd{set(1, counter.FloatNumber(2))}, by: idB, c: incr, want: counter.ErrNotInteger},
		{name: "DECR on a float set after an increment", before: []cmd{incrBy(1), set(1, counter.FloatNumber(2))}, by: idA, c: decr, want: counter.ErrNotInteger},
		{name: "INCR at MaxInt64", before: []cmd{incrBy(math.MaxInt64)}, by: idA, c: incr, want: counter.ErrOverflow},
		{name: "INCR at MaxInt64 after SET", before: []cmd{incrBy(math.MaxInt64 - 5), set(1, counter.IntNumber(math.MaxInt64))}, by: idB, c: incr, want: counter.ErrOverflow},
		{name: "INCRBY past MaxInt64 from another replica's total", before: []cmd{incrBy(math.MaxInt64 / 2)}, by: idB, c: incrBy(math.MaxInt64/2 + 2), want: counter.ErrOverflow},
		{name: "DECR at MinInt64", before: []cmd{incrBy(math.MinInt64)}, by: idA, c: decr, want: counter.ErrOverflow},
		{name: "DECRBY MinInt64", by: idA, c: decrBy(math.MinInt64), want: counter.ErrOverflow},
		{name: "DECRBY 1 below MinInt64 from a SET", before: []cmd{set(1, counter.IntNumber(math.MinInt64))}, by: idA, c: decrBy(1), want: counter.ErrOverflow},
		{name: "INCRBYFLOAT NaN", by: idA, c: incrByFloat(math.NaN()), want: counter.ErrNotFloat},
		{name: "INCRBYFLOAT +Inf", before: []cmd{incrBy(1)}, by: idA, c: incrByFloat(math.Inf(1)), want: counter.ErrNotFloat},
		{name: "INCRBYFLOAT to +Inf", before: []cmd{incrByFloat(math.MaxFloat64)}, by: idB, c: incrByFloat(math.MaxFloat64), want: counter.ErrNotFloat},
		{name: "INCRBYFLOAT to -Inf from a float base", before: []cmd{set(1, counter.FloatNumber(-math.MaxFloat64))}, by: idA, c: incrByFloat(-math.MaxFloat64), want: counter.ErrNotFloat},
		{name: "SET NaN", before: []cmd{incrBy(3)}, by: idA, c: set(2, counter.FloatNumber(math.NaN())), want: counter.ErrNotFloat},
		{name: "SET -Inf", by: idA, c: set(2, counter.FloatNumber(math.Inf(-1))), want: counter.ErrNotFloat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := counter.New()
			for _, b := range tt.before {
				if _, err := b(c, idA); err != nil {
					t.Fatalf("before: %v", err)
				}
			}
			was := c.Clone()
			enc, _ := c.AppendBinary(nil)
			value := c.String()
			d, err := tt.c(c, tt.by)
			if !errors.Is(err, tt.want) || d != nil {
				t.Fatalf("got (%v, %v), want (nil, %v)", d, err, tt.want)
			}
			after, _ := c.AppendBinary(nil)
			if !c.Equal(was) || !bytes.Equal(enc, after) || c.String() != value {
				t.Errorf("state changed: %s → %s", value, c.String())
			}
		})
	}
}

// TestLimits checks the largest increments that are accepted.
func TestLimits(t *testing.T) {
	c := counter.New()
	if _, err := c.IncrBy(idA, math.MaxInt64-1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Incr(idB); err != nil || c.Int() != math.MaxInt64 {
		t.Fatalf("INCR to MaxInt64: %v, reads %d", err, c.Int())
	}
	if _, err := c.IncrBy(idC, math.MinInt64); err != nil || c.Int() != -1 {
		t.Fatalf("INCRBY MinInt64 from MaxInt64: %v, reads %d", err, c.Int())
	}
	// Totals wrap: A's total stays MaxInt64-1 after the reset, so its
	// next increment wraps its total, and the count since the reset is
	// still exact.
	c.Reset(idA)
	if _, err := c.IncrBy(idA, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IncrBy(idA, math.MaxInt64-5); err != nil || c.Int() != math.MaxInt64 {
		t.Fatalf("after a reset: %v, reads %d, want MaxInt64", err, c.Int())
	}
}

// TestReads checks how values read: Int, Float, IsFloat and String.
func TestReads(t *testing.T) {
	tests := []struct {
		name    string
		cmds    []cmd
		str     string
		i       int64
		f       float64
		isFloat bool
	}{
		{name: "new", str: "0"},
		{name: "integer", cmds: []cmd{incrBy(-42)}, str: "-42", i: -42, f: -42},
		{name: "float", cmds: []cmd{incrBy(10), incrByFloat(0.5)}, str: "10.5", i: 10, f: 10.5, isFloat: true},
		{name: "negative float truncates toward zero", cmds: []cmd{incrByFloat(-2.75)}, str: "-2.75", i: -2, f: -2.75, isFloat: true},
		{name: "integral float", cmds: []cmd{incrByFloat(1.5), incrByFloat(1.5)}, str: "3", i: 3, f: 3, isFloat: true},
		{name: "Redis example 10.50 + 0.1", cmds: []cmd{set(1, counter.FloatNumber(10.5)), incrByFloat(0.1)}, str: "10.6", i: 10, f: 10.6, isFloat: true},
		{name: "Redis example 5.0e3 + 2.0e2", cmds: []cmd{set(1, counter.FloatNumber(5.0e3)), incrByFloat(2.0e2)}, str: "5200", i: 5200, f: 5200, isFloat: true},
		{name: "large float has no exponent", cmds: []cmd{incrByFloat(1e20)}, str: "100000000000000000000", i: math.MaxInt64, f: 1e20, isFloat: true},
		{name: "very negative float clamps", cmds: []cmd{incrByFloat(-1e20)}, str: "-100000000000000000000", i: math.MinInt64, f: -1e20, isFloat: true},
		{name: "-0 set reads 0", cmds: []cmd{set(1, counter.FloatNumber(math.Copysign(0, -1)))}, str: "0", isFloat: true},
		{name: "DEL cancels float-ness", cmds: []cmd{incrByFloat(1.5), del, incrBy(2)}, str: "2", i: 2, f: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := counter.New()
			for _, cm := range tt.cmds {
				if _, err := cm(c, idA); err != nil {
					t.Fatal(err)
				}
			}
			v := c.Value()
			if c.String() != tt.str || c.Int() != tt.i || c.Float() != tt.f || c.IsFloat() != tt.isFloat || v.IsFloat != tt.isFloat {
				t.Errorf("got %q Int %d Float %v IsFloat %t Value %+v; want %q %d %v %t",
					c.String(), c.Int(), c.Float(), c.IsFloat(), v, tt.str, tt.i, tt.f, tt.isFloat)
			}
		})
	}
}

// TestZeroValue checks that a Counter's zero value reads 0, merges and
// counts.
func TestZeroValue(t *testing.T) {
	var z, w counter.Counter
	if z.String() != "0" || z.IsFloat() || !z.Equal(counter.New()) || z.Clone().String() != "0" {
		t.Errorf("zero value reads %s", z.String())
	}
	if enc, _ := z.AppendBinary(nil); !bytes.Equal(enc, mustEncode(t, counter.New())) {
		t.Errorf("zero value encodes as %x", enc)
	}
	if z.Merge(&w) {
		t.Errorf("merging a zero value reported a change")
	}
	d, err := w.Incr(idA)
	if err != nil || !z.Merge(d) || z.String() != "1" || !z.Equal(&w) {
		t.Errorf("zero values after INCR: %s and %s (err %v)", z.String(), w.String(), err)
	}
}

func mustEncode(t *testing.T, c *counter.Counter) []byte {
	t.Helper()
	b, err := c.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeltaReads checks that a delta, whatever its form, reads like the
// state it is: an increment delta counts its replica's whole total.
func TestDeltaReads(t *testing.T) {
	c := counter.New()
	c.IncrBy(idA, 5)
	d, _ := c.IncrBy(idA, 2)
	if d.String() != "7" || d.Int() != 7 || d.IsFloat() {
		t.Errorf("increment delta reads %s", d)
	}
	f, _ := c.IncrByFloat(idA, 0.5)
	if f.String() != "7.5" || !f.IsFloat() {
		t.Errorf("float increment delta reads %s", f)
	}
	// Deltas merge into deltas: the later total wins.
	d2, _ := c.IncrByFloat(idA, 1)
	if !f.Merge(d2) || f.String() != "8.5" || f.Merge(d2) {
		t.Errorf("delta merged with a later delta of the same replica reads %s", f)
	}
}

// TestParseNumber checks which strings are counters, as Redis's INCRBY and
// INCRBYFLOAT read them.
func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want counter.Number
		ok   bool
	}{
		{"0", counter.IntNumber(0), true},
		{"-17", counter.IntNumber(-17), true},
		{"9223372036854775807", counter.IntNumber(math.MaxInt64), true},
		{"-9223372036854775808", counter.IntNumber(math.MinInt64), true},
		{"9223372036854775808", counter.FloatNumber(9223372036854775808), true},
		{"3.0", counter.FloatNumber(3), true},
		{"10.50", counter.FloatNumber(10.5), true},
		{"5.0e3", counter.FloatNumber(5000), true},
		{"+1", counter.FloatNumber(1), true},
		{"01", counter.FloatNumber(1), true},
		{"-0", counter.FloatNumber(0), true},
		{"", counter.Number{}, false},
		{" 1", counter.Number{}, false},
		{"1 ", counter.Number{}, false},
		{"abc", counter.Number{}, false},
		{"inf", counter.Number{}, false},
		{"NaN", counter.Number{}, false},
		{"1e400", counter.Number{}, false},
	}
	for _, tt := range tests {
		got, ok := counter.ParseNumber(tt.in)
		if ok != tt.ok || got != tt.want || (ok && math.Signbit(got.Float)) {
			t.Errorf("ParseNumber(%q) = %+v, %t; want %+v, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// script is a run of integer commands, each by one of three replicas and
// delivered to the others at once.
type script []scriptOp

type scriptOp struct {
	kind byte // 'i' INCRBY, 'd' DECRBY, 's' SET, 'x' DEL
	by   clock.ReplicaID
	n    int64
}

func (script) Generate(r *rand.Rand, size int) reflect.Value {
	ops := make(script, r.Intn(size+1))
	for i := range ops {
		n := r.Int63n(201) - 100
		if r.Intn(4) == 0 {
			n = int64(r.Uint64()) // large: overflows happen
		}
		ops[i] = scriptOp{kind: "idsx"[r.Intn(4)], by: clock.ReplicaID(1 + r.Intn(3)), n: n}
	}
	return reflect.ValueOf(ops)
}

// TestSequentialModel checks that without concurrency a counter is a Redis
// integer: replicas that hear of every command at once read what a single
// int64 reads, and refuse exactly the overflows it would.
func TestSequentialModel(t *testing.T) {
	prop := func(s script) bool {
		replicas := []*counter.Counter{counter.New(), counter.New(), counter.New()}
		var model int64
		for k, op := range s {
			c := replicas[op.by-1]
			var d *counter.Counter
			var err error
			wantErr := false
			switch op.kind {
			case 'i':
				sum := model + op.n
				wantErr = (op.n > 0 && sum < model) || (op.n < 0 && sum > model)
				if !wantErr {
					model = sum
				}
				d, err = c.IncrBy(op.by, op.n)
			case 'd':
				sum := model - op.n
				wantErr = op.n == math.MinInt64 || (op.n > 0 && sum > model) || (op.n < 0 && sum < model)
				if !wantErr {
					model = sum
				}
				d, err = c.DecrBy(op.by, op.n)
			case 's':
				model = op.n
				d, err = c.Set(at(int64(k), op.by), counter.IntNumber(op.n))
			case 'x':
				model = 0
				d = c.Reset(op.by)
			}
			if wantErr != errors.Is(err, counter.ErrOverflow) || (err == nil) == wantErr {
				t.Logf("step %d %+v: err %v, want overflow %t", k, op, err, wantErr)
				return false
			}
			if err != nil {
				continue
			}
			for _, o := range replicas {
				o.Merge(d)
				if o.Int() != model || o.IsFloat() {
					t.Logf("step %d %+v: reads %s, model %d", k, op, o, model)
					return false
				}
			}
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 300}); err != nil {
		t.Error(err)
	}
}

// TestConcurrentFloatOverflow shows the hazard the package documents:
// increments each accepted locally can sum, once merged, to ±Inf or NaN.
// Every replica then reads the same value, and a DEL recovers.
func TestConcurrentFloatOverflow(t *testing.T) {
	const big = 0.6 * math.MaxFloat64
	a, b, c := counter.New(), counter.New(), counter.New()
	da1, _ := a.IncrByFloat(idA, big)
	dc1, _ := c.IncrByFloat(idC, -big)
	b.Merge(da1)
	b.Merge(dc1)
	b.Reset(idB)
	for range 2 { // A reads -big, C reads big
		da, errA := a.IncrByFloat(idA, -big)
		dc, errC := c.IncrByFloat(idC, big)
		if errA != nil || errC != nil {
			t.Fatalf("local increments refused: %v, %v", errA, errC)
		}
		b.Merge(da)
		b.Merge(dc)
	}
	a.Merge(b)
	c.Merge(b)
	for _, r := range []*counter.Counter{a, b, c} {
		if !math.IsNaN(r.Float()) || r.Int() != 0 || r.String() != "NaN" {
			t.Errorf("reads %v (Int %d, %q), want NaN (A's count -Inf, C's +Inf)", r.Float(), r.Int(), r.String())
		}
	}
	if _, err := b.IncrByFloat(idB, 1); !errors.Is(err, counter.ErrNotFloat) {
		t.Errorf("IncrByFloat on NaN: %v, want ErrNotFloat", err)
	}
	b.Reset(idB)
	if b.String() != "0" {
		t.Errorf("after DEL: %s, want 0", b)
	}
}

// TestMergeOneMatchesGeneral checks that merging an increment delta takes a
// fast path with the same result as merging the same delta decoded, which
// takes the general one, even where the delta's dot names a SET base.
func TestMergeOneMatchesGeneral(t *testing.T) {
	// A base written under dot 1.5, which the delta below reuses: only
	// possible with a reused replica ID.
	enc := encoding(dots(1, 5), nil, nil, base(1, 5, 0, wire.AppendVarint(nil, 9)))
	r := counter.New()
	if err := r.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	src := counter.New()
	for range 4 {
		src.Incr(idA)
	}
	fast, _ := src.IncrBy(idA, 10) // dot 1.5
	b, _ := fast.AppendBinary(nil)
	general := counter.New()
	if err := general.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	r1, r2 := r.Clone(), r.Clone()
	c1, c2 := r1.Merge(fast), r2.Merge(general)
	if !r1.Equal(r2) || c1 != c2 || r1.String() != "14" {
		t.Errorf("fast path: %s (changed %t), general: %s (changed %t), want 14 both", r1, c1, r2, c2)
	}
	if r1.Merge(r1) || !r1.Equal(r2) {
		t.Errorf("merging a counter into itself changed it")
	}
}

// A regression test for a bug found in review: a DEL delta that overtakes
// some of the increments it saw (A's deltas reach C in order, just late)
// made C read a negative value no replica ever held, and Float disagree
// with Value.
func TestResetBeforeItsIncrementsArrive(t *testing.T) {
	const a, b = idA, idB
	tests := []struct {
		name string
		incr func(c *counter.Counter) *counter.Counter
		read func(c *counter.Counter) float64
		step float64 // what one increment adds
	}{
		{"INCR", func(c *counter.Counter) *counter.Counter { d, _ := c.Incr(a); return d }, func(c *counter.Counter) float64 { return float64(c.Int()) }, 1},
		{"INCRBYFLOAT", func(c *counter.Counter) *counter.Counter { d, _ := c.IncrByFloat(a, 1.5); return d }, (*counter.Counter).Float, 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin, seen, late := counter.New(), counter.New(), counter.New()
			var deltas []*counter.Counter
			for range 5 {
				deltas = append(deltas, tt.incr(origin))
			}
			for _, d := range deltas {
				seen.Merge(d)
			}
			for _, d := range deltas[:3] {
				late.Merge(d)
			}
			late.Merge(seen.Reset(b))
			if got := tt.read(late); got != 0 {
				t.Errorf("with 3 of 5 increments and the DEL that saw all 5: reads %v, want 0", got)
			}
			if late.IsFloat() {
				t.Errorf("reads as a float with every float increment reset")
			}
			for _, d := range deltas[3:] {
				late.Merge(d)
			}
			if got := tt.read(late); got != 0 {
				t.Errorf("after every delta: reads %v, want 0", got)
			}
			late.Merge(tt.incr(origin))
			if got := tt.read(late); got != tt.step {
				t.Errorf("after a new increment: reads %v, want %v", got, tt.step)
			}
		})
	}
}
