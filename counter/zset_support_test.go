package counter_test

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
)

// TestLoneMatchesCounter replays random SET and DEL histories of one
// replica both on a Counter and on its Lone form: states, deltas and
// encodings must agree after every step, and Lone must recover the form.
func TestLoneMatchesCounter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	values := []counter.Number{
		counter.FloatNumber(1.5), counter.FloatNumber(0), counter.FloatNumber(-2e300),
		counter.IntNumber(1), counter.IntNumber(-1), counter.IntNumber(42),
	}
	for run := range 200 {
		id := clock.ReplicaID(1 + run%3)
		c, l := counter.New(), counter.Lone{}
		for step := range 1 + rng.IntN(12) {
			var dc, dl *counter.Counter
			prev := l
			if rng.IntN(3) == 0 {
				dc = c.Reset(id)
				l = l.Reset(id)
			} else {
				v := values[rng.IntN(len(values))]
				stamp := at(int64(1000+step), id)
				var errC, errL error
				dc, errC = c.Set(stamp, v)
				l, errL = l.Set(stamp, v)
				if err := errors.Join(errC, errL); err != nil {
					t.Fatal(err)
				}
			}
			dl = prev.Delta(l)
			if prev.Seq == 0 && !l.Counter().Equal(dl) {
				t.Fatalf("run %d: the delta of the first write is not the new state", run)
			}
			if !dl.Equal(dc) || !bytes.Equal(encode(t, dl), encode(t, dc)) {
				t.Fatalf("run %d step %d: Lone delta %x, Counter delta %x", run, step, encode(t, dl), encode(t, dc))
			}
			if got := l.Counter(); !got.Equal(c) || !bytes.Equal(l.AppendBinary(nil), encode(t, c)) {
				t.Fatalf("run %d step %d: Lone state %x, Counter state %x", run, step, l.AppendBinary(nil), encode(t, c))
			}
			if back, ok := c.Lone(); !ok || back != l {
				t.Fatalf("run %d step %d: Lone() = %+v, %t; want %+v", run, step, back, ok, l)
			}
			if got, ok := counter.ParseLone(encode(t, c)); !ok || got != l {
				t.Fatalf("run %d step %d: ParseLone of the state = %+v, %t; want %+v", run, step, got, ok, l)
			}
			back, isLone := dc.Lone()
			if got, ok := counter.ParseLone(encode(t, dc)); ok != (isLone && back.Seq != 0) || (ok && got != back) {
				t.Fatalf("run %d step %d: ParseLone of the delta = %+v, %t; its Lone() = %+v, %t", run, step, got, ok, back, isLone)
			}
		}
	}
}

func encode(t *testing.T, c *counter.Counter) []byte {
	t.Helper()
	b, err := c.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoneShape lists which states have the Lone form.
func TestLoneShape(t *testing.T) {
	set := func(c *counter.Counter, id clock.ReplicaID, ms int64, f float64) *counter.Counter {
		d, err := c.Set(at(ms, id), counter.FloatNumber(f))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name  string
		build func() *counter.Counter
		want  counter.Lone
		lone  bool
	}{
		{"empty", counter.New, counter.Lone{}, true},
		{"one SET", func() *counter.Counter {
			c := counter.New()
			set(c, idA, 5, 2.5)
			return c
		}, counter.Lone{Replica: idA, Seq: 1, Time: at(5, idA).Time, Value: counter.FloatNumber(2.5), HasBase: true}, true},
		{"SET then DEL", func() *counter.Counter {
			c := counter.New()
			set(c, idA, 5, 2.5)
			c.Reset(idA)
			return c
		}, counter.Lone{Replica: idA, Seq: 2}, true},
		{"DEL of nothing", func() *counter.Counter {
			c := counter.New()
			c.Reset(idB)
			return c
		}, counter.Lone{Replica: idB, Seq: 1}, true},
		{"increment", func() *counter.Counter {
			c := counter.New()
			if _, err := c.IncrByFloat(idA, 1); err != nil {
				t.Fatal(err)
			}
			return c
		}, counter.Lone{}, false},
		{"increment reset by SET", func() *counter.Counter {
			c := counter.New()
			if _, err := c.IncrByFloat(idA, 1); err != nil {
				t.Fatal(err)
			}
			set(c, idA, 5, 1)
			return c
		}, counter.Lone{}, false},
		{"SETs by two replicas", func() *counter.Counter {
			c := counter.New()
			set(c, idA, 5, 1)
			set(c, idB, 6, 2)
			return c
		}, counter.Lone{}, false},
		{"a gap before the SET", func() *counter.Counter {
			src := counter.New()
			set(src, idA, 5, 1)
			set(src, idA, 6, 2)
			d := set(src, idA, 7, 3) // context {A.2 A.3}: A.1 is missing
			c := counter.New()
			c.Merge(d)
			return c
		}, counter.Lone{}, false},
		{"two concurrent bases", func() *counter.Counter {
			da := set(counter.New(), idA, 5, 1)
			db := set(counter.New(), idB, 6, 2)
			c := counter.New()
			c.Merge(da)
			c.Merge(db)
			return c
		}, counter.Lone{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.build().Lone()
			if ok != tt.lone || got != tt.want {
				t.Fatalf("Lone() = %+v, %t; want %+v, %t", got, ok, tt.want, tt.lone)
			}
		})
	}
}

func TestLoneRefusals(t *testing.T) {
	l, err := counter.Lone{}.Set(at(1, idA), counter.FloatNumber(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Set(at(2, idA), counter.FloatNumber(math.NaN())); !errors.Is(err, counter.ErrNotFloat) {
		t.Fatalf("Set(NaN) error = %v, want ErrNotFloat", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Set by a second replica did not panic")
		}
	}()
	l.Set(at(2, idB), counter.FloatNumber(1))
}

func TestBase(t *testing.T) {
	c := counter.New()
	if _, ok := c.Base(); ok {
		t.Fatal("empty counter has a base")
	}
	d, _ := c.IncrByFloat(idA, 2)
	if _, ok := d.Base(); ok {
		t.Fatal("increment delta has a base")
	}
	if _, err := c.Set(at(10, idA), counter.IntNumber(7)); err != nil {
		t.Fatal(err)
	}
	other := counter.New()
	later, _ := other.Set(at(20, idB), counter.FloatNumber(-1.5))
	earlier, _ := other.Set(at(5, idB), counter.FloatNumber(3)) // B's own later write, older clock
	c.Merge(later)
	if b, ok := c.Base(); !ok || b != counter.FloatNumber(-1.5) {
		t.Fatalf("Base() = %v, %t; want -1.5 (the greatest stamp)", b, ok)
	}
	c.Merge(earlier) // observed-removes B's first base
	if b, ok := c.Base(); !ok || b != counter.IntNumber(7) {
		t.Fatalf("Base() = %v, %t; want 7 (A's base beats B's older stamp)", b, ok)
	}
	c.Reset(idA)
	if _, ok := c.Base(); ok {
		t.Fatal("base survived a reset that saw it")
	}
}

func TestIsEmpty(t *testing.T) {
	c := counter.New()
	if !c.IsEmpty() || !(&counter.Counter{}).IsEmpty() {
		t.Fatal("new counter not empty")
	}
	d, _ := c.IncrByFloat(idA, 1)
	if d.IsEmpty() || c.IsEmpty() {
		t.Fatal("incremented counter or its delta reads empty")
	}
	r := counter.New()
	r.Reset(idA)
	if r.IsEmpty() {
		t.Fatal("a reset counter holds a dot and is not empty")
	}
	var dec counter.Counter
	if err := dec.UnmarshalBinary(encode(t, counter.New())); err != nil || !dec.IsEmpty() {
		t.Fatalf("decoded empty counter: err %v, empty %t", err, dec.IsEmpty())
	}
}

// lones returns every Lone of replicas 1 and 2 up to Seq 4, a base's time
// and value being a function of its dot (one dot, one write).
func lones() []counter.Lone {
	out := []counter.Lone{{}}
	for r := clock.ReplicaID(1); r <= 2; r++ {
		for seq := uint64(1); seq <= 4; seq++ {
			out = append(out, counter.Lone{Replica: r, Seq: seq})
			out = append(out, counter.Lone{Replica: r, Seq: seq, HasBase: true,
				Time: clock.Timestamp(10 * seq), Value: counter.FloatNumber(float64(100*int(r) + int(seq)))})
		}
	}
	return out
}

// next returns the Lone after prev is written by r with a SET (base) or a
// DEL, with the time and value lones gives that dot.
func nextLone(prev counter.Lone, r clock.ReplicaID, base bool) counter.Lone {
	if !base {
		return prev.Reset(r)
	}
	seq := prev.Seq + 1
	n, _ := prev.Set(clock.Stamp{Time: clock.Timestamp(10 * seq), Replica: r}, counter.FloatNumber(float64(100*int(r)+int(seq))))
	return n
}

// TestJoinDelta checks the shortcut against merging the counters, for
// every Lone receiving every write of every Lone.
func TestJoinDelta(t *testing.T) {
	for _, l := range lones() {
		for _, prev := range lones() {
			for _, r := range []clock.ReplicaID{1, 2} {
				if prev.Seq != 0 && r != prev.Replica {
					continue
				}
				for _, base := range []bool{false, true} {
					next := nextLone(prev, r, base)
					c := l.Counter()
					c.Merge(prev.Delta(next))
					want, wantOK := c.Lone()
					got, ok := l.JoinDelta(prev, next)
					if ok && (!wantOK || got != want) {
						t.Fatalf("%+v ⊔ Δ(%+v → %+v) = %+v, merging the counters gives %+v (Lone %t)", l, prev, next, got, want, wantOK)
					}
					inOrder := (l.Seq == 0 && prev.Seq == 0) || (l.Seq > 0 && l == prev) || (l.Seq > 0 && l == next)
					if inOrder && !ok {
						t.Fatalf("%+v ⊔ Δ(%+v → %+v): in-order delivery not taken", l, prev, next)
					}
				}
			}
		}
	}
}

func TestLoneDelta(t *testing.T) {
	for _, prev := range lones() {
		if prev.Seq == 0 {
			continue
		}
		for _, base := range []bool{false, true} {
			next := nextLone(prev, prev.Replica, base)
			p, n, ok := prev.Delta(next).LoneDelta()
			want := counter.Lone{Replica: prev.Replica, Seq: prev.Seq, HasBase: prev.HasBase}
			if !ok || n != next || p != want {
				t.Fatalf("LoneDelta of Δ(%+v → %+v) = %+v, %+v, %t", prev, next, p, n, ok)
			}
		}
	}
	notDeltas := map[string]*counter.Counter{
		"empty":        counter.New(),
		"first write":  counter.Lone{}.Delta(nextLone(counter.Lone{}, idA, true)),
		"three SETs":   lones()[6].Counter(),
		"increment":    func() *counter.Counter { c := counter.New(); c.IncrByFloat(idA, 1); return c }(),
		"two replicas": func() *counter.Counter { c := lones()[2].Counter(); c.Merge(lones()[10].Counter()); return c }(),
		"delta with a gap": func() *counter.Counter {
			d := lones()[6].Delta(nextLone(lones()[6], idA, true))
			d.Merge(lones()[1].Counter())
			return d
		}(),
	}
	for name, c := range notDeltas {
		if _, _, ok := c.LoneDelta(); ok {
			t.Errorf("%s: LoneDelta reports a delta", name)
		}
	}
}

// TestJoin checks Lone.Join against merging the counters, for every pair.
func TestJoin(t *testing.T) {
	for _, l := range lones() {
		for _, o := range lones() {
			c := l.Counter()
			c.Merge(o.Counter())
			want, wantOK := c.Lone()
			got, ok := l.Join(o)
			if ok != (wantOK && (l.Seq == 0 || o.Seq == 0 || l.Replica == o.Replica)) || (ok && got != want) {
				t.Fatalf("%+v ⊔ %+v = %+v, %t; merging the counters gives %+v (Lone %t)", l, o, got, ok, want, wantOK)
			}
		}
	}
}

// TestLive checks Live against what Reset cancels, through a history of
// increments, SETs, resets and a concurrent increment merged in.
func TestLive(t *testing.T) {
	const a, b clock.ReplicaID = 1, 2
	c := counter.New()
	other := counter.New()
	steps := []struct {
		name string
		do   func() error
		live bool
	}{
		{"new", func() error { return nil }, false},
		{"INCRBY", func() error { _, err := c.IncrBy(a, 3); return err }, true},
		{"DEL", func() error { c.Reset(a); return nil }, false},
		{"DEL again", func() error { c.Reset(a); return nil }, false},
		{"SET", func() error { _, err := c.Set(at(5, a), counter.IntNumber(7)); return err }, true},
		{"DEL after SET", func() error { c.Reset(a); return nil }, false},
		{"a concurrent INCRBY merged", func() error {
			d, err := other.IncrBy(b, 1)
			c.Merge(d)
			return err
		}, true},
		{"DEL of it", func() error { c.Reset(a); return nil }, false},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := c.Live(); got != s.live {
			t.Fatalf("after %s: Live() = %v, want %v (value %s)", s.name, got, s.live, c.String())
		}
		if !s.live && c.String() != "0" {
			t.Fatalf("after %s: not live but reads %s", s.name, c.String())
		}
	}
	if d, _ := other.IncrBy(b, 1); !d.Live() {
		t.Fatal("the delta of an increment is not live")
	}
}
