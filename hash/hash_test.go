package hash

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

const (
	replicaA clock.ReplicaID = 1
	replicaB clock.ReplicaID = 2
)

// at returns replica id's stamp at logical time t.
func at(id clock.ReplicaID, t int64) clock.Stamp {
	return clock.Stamp{Time: clock.NewTimestamp(1_000_000+t, 0), Replica: id}
}

// cmd is one replica's command in a conflict table, run at logical time t.
type cmd func(h *Hash, id clock.ReplicaID, t int64) *Hash

func hset(field, val string) cmd {
	return func(h *Hash, id clock.ReplicaID, t int64) *Hash {
		d, _ := h.Set(at(id, t), Pair{field, val})
		return d
	}
}

func hdel(field string) cmd {
	return func(h *Hash, id clock.ReplicaID, _ int64) *Hash {
		d, _ := h.Del(id, field)
		return d
	}
}

func hincrby(field string, n int64) cmd {
	return func(h *Hash, id clock.ReplicaID, _ int64) *Hash {
		d, _, err := h.IncrBy(id, field, n)
		if err != nil {
			panic(err)
		}
		return d
	}
}

func hincrbyfloat(field string, f float64) cmd {
	return func(h *Hash, id clock.ReplicaID, _ int64) *Hash {
		d, _, err := h.IncrByFloat(id, field, f)
		if err != nil {
			panic(err)
		}
		return d
	}
}

func del() cmd {
	return func(h *Hash, id clock.ReplicaID, _ int64) *Hash { return h.Clear(id) }
}

// TestConflicts runs the hash rows of the conflict table as
// time | replica A | replica B | result: both replicas start from the state
// the setup commands made, run their command concurrently (A at time ta, B
// at tb), exchange deltas, and must both read want.
func TestConflicts(t *testing.T) {
	tests := []struct {
		name   string
		setup  []cmd
		ta, tb int64
		a, b   cmd
		want   []Pair
	}{
		{"HDEL f ‖ HSET f 2", []cmd{hset("f", "1")}, 2, 2, hdel("f"), hset("f", "2"), []Pair{{"f", "2"}}},
		{"HINCRBY +1 ‖ +1", []cmd{hset("f", "1")}, 2, 2, hincrby("f", 1), hincrby("f", 1), []Pair{{"f", "3"}}},
		{"HDEL f ‖ HINCRBY f 2", []cmd{hset("f", "5")}, 2, 2, hdel("f"), hincrby("f", 2), []Pair{{"f", "2"}}},
		{"HDEL f ‖ HINCRBY f 2 (counter)", []cmd{hincrby("f", 5)}, 2, 2, hdel("f"), hincrby("f", 2), []Pair{{"f", "2"}}},
		{"HSET f 7 ‖ HINCRBY f 1", []cmd{hset("f", "5")}, 2, 2, hset("f", "7"), hincrby("f", 1), []Pair{{"f", "8"}}},
		{"HSET a ‖ later HSET b", nil, 2, 3, hset("f", "a"), hset("f", "b"), []Pair{{"f", "b"}}},
		{"later HSET a ‖ HSET b", nil, 3, 2, hset("f", "a"), hset("f", "b"), []Pair{{"f", "a"}}},
		{"HSET a ‖ HSET b, same time: higher replica", nil, 2, 2, hset("f", "a"), hset("f", "b"), []Pair{{"f", "b"}}},
		{"HSET abc ‖ HINCRBY (ours: string wins)", []cmd{hset("f", "1")}, 2, 2, hset("f", "abc"), hincrby("f", 1), []Pair{{"f", "abc"}}},
		{"DEL ‖ HSET g", []cmd{hset("f", "1")}, 2, 2, del(), hset("g", "2"), []Pair{{"g", "2"}}},
		{"DEL ‖ HINCRBY f 1", []cmd{hset("f", "4")}, 2, 2, del(), hincrby("f", 1), []Pair{{"f", "1"}}},
		{"HDEL f ‖ HDEL f", []cmd{hset("f", "1"), hset("g", "2")}, 2, 2, hdel("f"), hdel("f"), []Pair{{"g", "2"}}},
		{"HINCRBYFLOAT ‖ HINCRBY", []cmd{hset("f", "1")}, 2, 2, hincrbyfloat("f", 0.5), hincrby("f", 2), []Pair{{"f", "3.5"}}},
		{"HSET keeps its bytes", nil, 2, 2, hset("f", "3.0"), hset("g", "x"), []Pair{{"f", "3.0"}, {"g", "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New()
			for i, c := range tt.setup {
				c(a, replicaA, int64(i))
			}
			b := a.Clone()
			da, db := tt.a(a, replicaA, tt.ta), tt.b(b, replicaB, tt.tb)
			a.Merge(db)
			b.Merge(da)
			for name, h := range map[string]*Hash{"A": a, "B": b} {
				if got := h.GetAll(); !slices.Equal(got, tt.want) {
					t.Errorf("replica %s reads %v, want %v", name, got, tt.want)
				}
			}
			if !a.Equal(b) {
				t.Errorf("replicas differ after exchange")
			}
		})
	}
}

func TestCommands(t *testing.T) {
	h := New()
	if _, n := h.Set(at(replicaA, 1), Pair{"a", "1"}, Pair{"b", "x"}, Pair{"a", "2"}); n != 2 {
		t.Errorf("HSET added %d, want 2", n)
	}
	if v, ok := h.Get("a"); !ok || v != "2" {
		t.Errorf("HGET a = %q, %v; want the later pair's 2", v, ok)
	}
	if _, ok := h.SetNX(at(replicaA, 2), "a", "9"); ok {
		t.Error("HSETNX wrote an existing field")
	}
	if _, ok := h.SetNX(at(replicaA, 2), "c", "3"); !ok {
		t.Error("HSETNX did not write a new field")
	}
	if _, r, err := h.IncrBy(replicaA, "a", 40); err != nil || r != 42 {
		t.Errorf("HINCRBY a 40 = %d, %v", r, err)
	}
	if _, r, err := h.IncrBy(replicaA, "new", -3); err != nil || r != -3 {
		t.Errorf("HINCRBY new -3 = %d, %v", r, err)
	}
	if _, r, err := h.IncrByFloat(replicaA, "c", 0.25); err != nil || r != 3.25 {
		t.Errorf("HINCRBYFLOAT c 0.25 = %v, %v", r, err)
	}
	if got, want := h.Keys(), []string{"a", "b", "c", "new"}; !slices.Equal(got, want) {
		t.Errorf("HKEYS = %v, want %v", got, want)
	}
	if got, want := h.Vals(), []string{"42", "x", "3.25", "-3"}; !slices.Equal(got, want) {
		t.Errorf("HVALS = %v, want %v", got, want)
	}
	vals, ok := h.MGet("a", "zz")
	if !slices.Equal(vals, []string{"42", ""}) || !slices.Equal(ok, []bool{true, false}) {
		t.Errorf("HMGET a zz = %q %v", vals, ok)
	}
	if h.Len() != 4 || !h.Exists("b") || h.Exists("zz") || h.StrLen("c") != 4 || h.StrLen("zz") != 0 {
		t.Errorf("HLEN %d HEXISTS b %v zz %v HSTRLEN c %d", h.Len(), h.Exists("b"), h.Exists("zz"), h.StrLen("c"))
	}
	if _, n := h.Del(replicaA, "a", "a", "zz"); n != 1 {
		t.Errorf("HDEL a a zz removed %d, want 1", n)
	}
	if _, ok := h.Get("a"); ok {
		t.Error("a survives HDEL")
	}
	h.Clear(replicaA)
	if h.Len() != 0 || len(h.GetAll()) != 0 {
		t.Errorf("after DEL: %v", h)
	}
	// A field re-created after HDEL starts from zero.
	h.Set(at(replicaA, 3), Pair{"n", "10"})
	h.Del(replicaA, "n")
	if _, r, _ := h.IncrBy(replicaA, "n", 1); r != 1 {
		t.Errorf("HINCRBY after HDEL = %d, want 1", r)
	}
	if v, _ := h.Get("n"); v != "1" {
		t.Errorf("HGET n = %q, want 1", v)
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name  string
		value string
		run   func(h *Hash) error
		want  error
	}{
		{"HINCRBY on text", "abc", func(h *Hash) error { _, _, err := h.IncrBy(replicaA, "f", 1); return err }, ErrNotInteger},
		{"HINCRBY on float", "1.5", func(h *Hash) error { _, _, err := h.IncrBy(replicaA, "f", 1); return err }, ErrNotInteger},
		{"HINCRBY overflow", "9223372036854775807", func(h *Hash) error { _, _, err := h.IncrBy(replicaA, "f", 1); return err }, ErrOverflow},
		{"HINCRBY underflow", "-9223372036854775808", func(h *Hash) error { _, _, err := h.IncrBy(replicaA, "f", -1); return err }, ErrOverflow},
		{"HINCRBYFLOAT on text", "abc", func(h *Hash) error { _, _, err := h.IncrByFloat(replicaA, "f", 1); return err }, ErrNotFloat},
		{"HINCRBYFLOAT to Inf", "1", func(h *Hash) error { _, _, err := h.IncrByFloat(replicaA, "f", math.Inf(1)); return err }, ErrNaN},
		{"HINCRBYFLOAT NaN", "1", func(h *Hash) error { _, _, err := h.IncrByFloat(replicaA, "f", math.NaN()); return err }, ErrNaN},
		{"HINCRBYFLOAT past MaxFloat64", "1.7976931348623157e308", func(h *Hash) error { _, _, err := h.IncrByFloat(replicaA, "f", 1e308); return err }, ErrNaN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New()
			h.Set(at(replicaA, 1), Pair{"f", tt.value})
			before, _ := h.AppendBinary(nil)
			if err := tt.run(h); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			after, _ := h.AppendBinary(nil)
			if string(before) != string(after) {
				t.Error("a refused command changed the hash")
			}
		})
	}
}

func TestEncoding(t *testing.T) {
	h := New()
	h.Set(at(replicaA, 1), Pair{"a", "1"}, Pair{"b", "\x00"})
	d, _, _ := h.IncrBy(replicaB, "a", 5)
	rm, _ := h.Del(replicaA, "b")
	for _, x := range []*Hash{New(), h, d, rm} {
		b, _ := x.AppendBinary(nil)
		var y Hash
		if err := y.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if !y.Equal(x) {
			t.Errorf("round trip changed %v into %v", x, &y)
		}
	}
	good, _ := h.AppendBinary(nil)
	for _, bad := range [][]byte{nil, good[:len(good)-1], append(slices.Clone(good), 0), {'H', 2}} {
		var y Hash
		if err := y.UnmarshalBinary(bad); !errors.Is(err, merge.ErrMalformed) {
			t.Errorf("decode %x: err = %v, want ErrMalformed", bad, err)
		}
	}
}

// Regression tests for bugs found in review.
func TestReviewRegressions(t *testing.T) {
	t.Run("HINCRBYFLOAT replies with what HGET reads", func(t *testing.T) {
		h := New()
		h.Set(at(replicaA, 1), Pair{"f", "0.1"})
		h.IncrByFloat(replicaA, "f", 0.2)
		_, r, err := h.IncrByFloat(replicaA, "f", 0.3)
		got, _ := h.Get("f")
		if err != nil || strconv.FormatFloat(r, 'f', -1, 64) != got {
			t.Errorf("replied %v (%v), HGET reads %s", r, err, got)
		}
	})
	t.Run("HINCRBY checks overflow on the whole value", func(t *testing.T) {
		a := New()
		a.Set(at(replicaA, 1), Pair{"f", "0"})
		b := a.Clone()
		da, _ := a.Set(at(replicaA, 2), Pair{"f", "-10"})
		db, _, err := b.IncrBy(replicaB, "f", math.MaxInt64-5)
		if err != nil {
			t.Fatal(err)
		}
		a.Merge(db)
		b.Merge(da)
		if v, _ := a.Get("f"); v != strconv.FormatInt(math.MaxInt64-15, 10) {
			t.Fatalf("f = %s, want MaxInt64-15", v)
		}
		if _, r, err := a.IncrBy(replicaA, "f", 10); err != nil || r != math.MaxInt64-5 {
			t.Errorf("HINCRBY f 10 = %d, %v; want MaxInt64-5", r, err)
		}
	})
	t.Run("the zero Hash is usable", func(t *testing.T) {
		var h Hash
		if h.Len() != 0 || h.Exists("f") {
			t.Error("zero hash is not empty")
		}
		if h.Merge(&Hash{}) {
			t.Error("merging two empty hashes reported a change")
		}
		h.Set(at(replicaA, 1), Pair{"f", "1"})
		if v, _ := h.Get("f"); v != "1" {
			t.Errorf("HGET f = %q", v)
		}
	})
	t.Run("a refused HSETNX returns an empty delta", func(t *testing.T) {
		h := New()
		h.Set(at(replicaA, 1), Pair{"f", "1"})
		d, ok := h.SetNX(at(replicaA, 2), "f", "2")
		other := h.Clone()
		if ok || other.Merge(d) || d.Len() != 0 {
			t.Errorf("refused HSETNX: written %v, delta changes a replica or names fields", ok)
		}
	})
}
