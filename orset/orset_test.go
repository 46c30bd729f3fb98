package orset

import (
	"errors"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

const (
	replicaA clock.ReplicaID = 1
	replicaB clock.ReplicaID = 2
)

// op is one replica's command in a conflict table.
type op func(s *Set) *Set

func sadd(id clock.ReplicaID, members ...string) op {
	return func(s *Set) *Set { d, _ := s.Add(id, members...); return d }
}

func srem(members ...string) op {
	return func(s *Set) *Set { d, _ := s.Remove(members...); return d }
}

func del() op { return func(s *Set) *Set { return s.Clear() } }

// TestConflicts runs the set rows of the conflict table: both replicas start
// from the same state, apply their commands concurrently, then exchange
// deltas; both must read the result.
func TestConflicts(t *testing.T) {
	tests := []struct {
		name  string
		start []string
		a, b  op
		want  []string
	}{
		{"SREM a ‖ SADD c", []string{"a", "b"}, srem("a"), sadd(replicaB, "c"), []string{"b", "c"}},
		{"SREM a ‖ SADD a", []string{"a", "b"}, srem("a"), sadd(replicaB, "a"), []string{"a", "b"}},
		{"SADD a ‖ SREM a", []string{"a"}, sadd(replicaA, "a"), srem("a"), []string{"a"}},
		{"DEL ‖ SADD c", []string{"a", "b"}, del(), sadd(replicaB, "c"), []string{"c"}},
		{"DEL ‖ SADD a", []string{"a", "b"}, del(), sadd(replicaB, "a"), []string{"a"}},
		{"SREM a ‖ SREM a", []string{"a", "b"}, srem("a"), srem("a"), []string{"b"}},
		{"SADD x ‖ SADD x", nil, sadd(replicaA, "x"), sadd(replicaB, "x"), []string{"x"}},
		{"SADD x y ‖ SREM y", []string{"y"}, sadd(replicaA, "x", "y"), srem("y"), []string{"x", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New()
			if len(tt.start) > 0 {
				a.Add(replicaA, tt.start...)
			}
			b := a.Clone()
			da, db := tt.a(a), tt.b(b)
			a.Merge(db)
			b.Merge(da)
			if got := a.Members(); !slices.Equal(got, tt.want) {
				t.Errorf("replica A reads %v, want %v", got, tt.want)
			}
			if got := b.Members(); !slices.Equal(got, tt.want) {
				t.Errorf("replica B reads %v, want %v", got, tt.want)
			}
			if !a.Equal(b) {
				t.Errorf("replicas differ after exchange")
			}
		})
	}
}

func TestAddRemoveCounts(t *testing.T) {
	s := New()
	if _, n := s.Add(replicaA, "a", "b", "a"); n != 2 {
		t.Errorf("SADD a b a added %d, want 2", n)
	}
	if _, n := s.Add(replicaA, "b", "c"); n != 1 {
		t.Errorf("SADD b c added %d, want 1", n)
	}
	if _, n := s.Remove("a", "z"); n != 1 {
		t.Errorf("SREM a z removed %d, want 1", n)
	}
	if got, want := s.Members(), []string{"b", "c"}; !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	if s.Len() != 2 || !s.Contains("b") || s.Contains("a") {
		t.Errorf("Len %d, Contains(b) %v, Contains(a) %v", s.Len(), s.Contains("b"), s.Contains("a"))
	}
	if m, ok := s.Any(); !ok || !s.Contains(m) {
		t.Errorf("Any() = %q, %v", m, ok)
	}
	s.Clear()
	if _, ok := s.Any(); ok || s.Len() != 0 {
		t.Errorf("after Clear: Len %d", s.Len())
	}
}

// TestDeltaCounts checks that a delta's Len counts only its adds.
func TestDeltaCounts(t *testing.T) {
	s := New()
	s.Add(replicaA, "a", "b")
	d, _ := s.Remove("a")
	if d.Len() != 0 || d.Contains("a") {
		t.Errorf("removal delta: Len %d, Contains(a) %v", d.Len(), d.Contains("a"))
	}
	d, _ = s.Add(replicaA, "c")
	if d.Len() != 1 || !d.Contains("c") {
		t.Errorf("add delta: Len %d, Contains(c) %v", d.Len(), d.Contains("c"))
	}
}

func TestSetAlgebra(t *testing.T) {
	mk := func(members ...string) *Set { s := New(); s.Add(replicaA, members...); return s }
	x, y, z := mk("a", "b", "c", "d"), mk("c"), mk("a", "c", "e")
	tests := []struct {
		name      string
		got, want []string
	}{
		{"SINTER x y z", Inter(x, y, z), []string{"c"}},
		{"SINTER x z", Inter(x, z), []string{"a", "c"}},
		{"SINTER (none)", Inter(), nil},
		{"SUNION x y z", Union(x, y, z), []string{"a", "b", "c", "d", "e"}},
		{"SDIFF x y z", Diff(x, y, z), []string{"b", "d"}},
		{"SDIFF x", Diff(x), []string{"a", "b", "c", "d"}},
		{"SINTER x (missing)", Inter(x, nil), nil},
		{"SUNION x (missing)", Union(nil, y), []string{"c"}},
		{"SDIFF x (missing)", Diff(x, nil), []string{"a", "b", "c", "d"}},
		{"SDIFF (missing) x", Diff(nil, x), nil},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestEncodingRoundTrip(t *testing.T) {
	s := New()
	s.Add(replicaA, "a", "b", "")
	other := New()
	d, _ := other.Add(replicaB, "b", "\x00bin")
	s.Merge(d)
	s.Remove("a")
	rm, _ := s.Remove("b")
	full := s.Clone()
	for _, x := range []*Set{full, d, rm, s.Clear(), New()} {
		b, err := x.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		var y Set
		if err := y.UnmarshalBinary(b); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if !y.Equal(x) {
			t.Errorf("round trip changed the set: %v vs %v", y.Members(), x.Members())
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	s := New()
	s.Add(replicaA, "a", "b")
	good, _ := s.AppendBinary(nil)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"wrong tag", append([]byte{'X'}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing", append(slices.Clone(good), 0)},
		{"huge count", []byte{'S', 1, 4, 'C', 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}},
	}
	for _, tt := range tests {
		var out Set
		if err := out.UnmarshalBinary(tt.data); !errors.Is(err, merge.ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", tt.name, err)
		}
	}
}
