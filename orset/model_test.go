package orset

import (
	"encoding/hex"
	"maps"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"testing/quick"
)

// script is a random sequence of SADD, SREM and DEL commands over a small
// universe of members, for the reference-model check.
type script []scriptOp

type scriptOp struct {
	Kind    int // 0 SADD, 1 SREM, 2 DEL
	Members []string
}

// Generate implements quick.Generator, keeping scripts short and members
// few so that commands touch the same members often.
func (script) Generate(r *rand.Rand, size int) reflect.Value {
	universe := []string{"a", "b", "c", "d", ""}
	s := make(script, r.Intn(20))
	for i := range s {
		s[i].Kind = []int{0, 0, 0, 1, 1, 2}[r.Intn(6)]
		for range r.Intn(3) + 1 {
			s[i].Members = append(s[i].Members, universe[r.Intn(len(universe))])
		}
	}
	return reflect.ValueOf(s)
}

// TestAgainstModel checks a single replica against a plain Go map: with no
// concurrency, an add-wins set is an ordinary set, and every command's count
// is Redis's reply.
func TestAgainstModel(t *testing.T) {
	run := func(s script, apply func(op scriptOp) int, members func() []string) [][]string {
		var out [][]string
		for _, op := range s {
			out = append(out, []string{string(rune('0' + apply(op)))}, members())
		}
		return out
	}
	set := func(s script) [][]string {
		x := New()
		return run(s, func(op scriptOp) int {
			switch op.Kind {
			case 0:
				_, n := x.Add(replicaA, op.Members...)
				return n
			case 1:
				_, n := x.Remove(op.Members...)
				return n
			}
			x.Clear()
			return 0
		}, x.Members)
	}
	model := func(s script) [][]string {
		m := map[string]bool{}
		return run(s, func(op scriptOp) int {
			n := 0
			switch op.Kind {
			case 0:
				for _, k := range op.Members {
					if !m[k] {
						n++
					}
					m[k] = true
				}
			case 1:
				for _, k := range op.Members {
					if m[k] {
						n++
					}
					delete(m, k)
				}
			default:
				clear(m)
			}
			return n
		}, func() []string { return slices.Sorted(maps.Keys(m)) })
	}
	if err := quick.CheckEqual(set, model, &quick.Config{MaxCount: 1000}); err != nil {
		t.Error(err)
	}
}

// TestGoldenEncoding pins the wire format: a change to it must be
// deliberate, since encodings cross the network and persist in snapshots.
func TestGoldenEncoding(t *testing.T) {
	s := New()
	s.Add(replicaA, "a", "b")
	d, _ := New().Add(replicaB, "c")
	s.Merge(d)
	s.Remove("a")
	rm, _ := s.Remove("b")
	tests := []struct {
		name string
		set  *Set
		want string
	}{
		{"empty", New(), "530104430100000000"},
		{"full state", s, "530108430102010202010000010163010201"},
		{"removal delta", rm, "53010843010001010102000101016200"},
	}
	for _, tt := range tests {
		got, _ := tt.set.AppendBinary(nil)
		if hex.EncodeToString(got) != tt.want {
			t.Errorf("%s encodes as %x, want %s", tt.name, got, tt.want)
		}
	}
}
