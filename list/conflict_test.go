package list_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/list"
)

// step is one replica's command in a conflict scenario; it returns its
// delta and what a reader would see (a popped value, say).
type step func(l *list.List, at clock.Stamp) (*list.List, string)

func stamp(ms int64, r clock.ReplicaID) clock.Stamp {
	return clock.Stamp{Time: clock.NewTimestamp(ms, 0), Replica: r}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func lpush(v ...string) step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		d, _, err := l.PushLeft(at.Replica, v...)
		return must(d, err), ""
	}
}

func rpush(v ...string) step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		d, _, err := l.PushRight(at.Replica, v...)
		return must(d, err), ""
	}
}

func linsertAfter(pivot, v string) step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		d, _, _, err := l.InsertAfter(at.Replica, pivot, v)
		return must(d, err), ""
	}
}

func rpop() step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		d, v, _, err := l.PopRight(at.Replica)
		return must(d, err), v
	}
}

func lpop() step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		d, v, _, err := l.PopLeft(at.Replica)
		return must(d, err), v
	}
}

func del() step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		return must(l.Clear(at.Replica)), ""
	}
}

func lset(i int, v string) step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		return must(l.Set(at, i, v)), ""
	}
}

func lrem(count int, v string) step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		d, _, err := l.RemoveValue(at.Replica, count, v)
		return must(d, err), ""
	}
}

func ltrim(start, stop int) step {
	return func(l *list.List, at clock.Stamp) (*list.List, string) {
		return must(l.Trim(at.Replica, start, stop)), ""
	}
}

// TestConflicts plays the list rows of the conflict table, as the Redis
// Active-Active documentation writes its examples: both replicas start
// from the same list, at t1 A and B run a command each without seeing the
// other's, at t2 each merges the other's delta; both must then hold the
// result.
func TestConflicts(t *testing.T) {
	tests := []struct {
		name    string
		initial []string
		a, b    step      // at t1, on replica A and replica B
		saw     [2]string // what A's and B's commands returned
		want    [][]string
	}{
		{name: "LPUSH ‖ LPUSH keeps both", initial: []string{"x"},
			a: lpush("a"), b: lpush("b"),
			want: [][]string{{"a", "b", "x"}, {"b", "a", "x"}}},
		{name: "RPUSH ‖ RPUSH keeps both", initial: []string{"x"},
			a: rpush("a1", "a2"), b: rpush("b1", "b2"),
			want: [][]string{{"x", "a1", "a2", "b1", "b2"}, {"x", "b1", "b2", "a1", "a2"}}},
		{name: "LINSERT AFTER x ‖ LINSERT AFTER x", initial: []string{"x"},
			a: linsertAfter("x", "y1"), b: linsertAfter("x", "y2"),
			want: [][]string{{"x", "y1", "y2"}, {"x", "y2", "y1"}}},
		{name: "RPOP ‖ RPOP pops one element twice", initial: []string{"a"},
			a: rpop(), b: rpop(), saw: [2]string{"a", "a"},
			want: [][]string{{}}},
		{name: "LPOP ‖ RPOP of two", initial: []string{"a", "b"},
			a: lpop(), b: rpop(), saw: [2]string{"a", "b"},
			want: [][]string{{}}},
		{name: "DEL ‖ LPUSH y keeps y", initial: []string{"a", "b"},
			a: del(), b: lpush("y"),
			want: [][]string{{"y"}}},
		{name: "LPUSH ‖ DEL keeps the push", initial: []string{"a"},
			a: lpush("y", "z"), b: del(),
			want: [][]string{{"z", "y"}}},
		{name: "LREM ‖ RPUSH of an equal value", initial: []string{"a", "b", "a"},
			a: lrem(0, "a"), b: rpush("a"),
			want: [][]string{{"b", "a"}}},
		{name: "LTRIM ‖ LPUSH", initial: []string{"a", "b", "c"},
			a: ltrim(0, 0), b: lpush("y"),
			want: [][]string{{"y", "a"}}},
		{name: "LSET ‖ later LSET: the later wins", initial: []string{"a", "b"},
			a: lset(0, "x"), b: lset(0, "y"),
			want: [][]string{{"y", "b"}}},
		{name: "LSET ‖ RPOP of the element: the set is lost", initial: []string{"a", "b"},
			a: lset(1, "x"), b: rpop(), saw: [2]string{"", "b"},
			want: [][]string{{"a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := build(t, tt.initial...)
			b := a.Clone()
			// t1: concurrent commands (B's stamp is the later one).
			da, sawA := tt.a(a, stamp(1000, ra))
			db, sawB := tt.b(b, stamp(1001, rb))
			if tt.saw != [2]string{sawA, sawB} {
				t.Errorf("commands returned %q, %q; want %q", sawA, sawB, tt.saw)
			}
			// t2: each merges the other's delta.
			a.Merge(db)
			b.Merge(da)
			if !a.Equal(b) {
				t.Fatalf("replicas differ:\n A %v\n B %v", a, b)
			}
			got := values(a)
			if !slices.ContainsFunc(tt.want, func(w []string) bool { return slices.Equal(w, got) }) {
				t.Fatalf("result %q, want one of %q", got, tt.want)
			}
		})
	}
}

// TestConcurrentInsertOrderIsStable checks that the order concurrent
// inserts take does not depend on delivery: three replicas insert after
// the same element, and every merge order gives one result.
func TestConcurrentInsertOrderIsStable(t *testing.T) {
	base := build(t, "x")
	var deltas []*list.List
	for i, r := range []clock.ReplicaID{ra, rb, rc} {
		l := base.Clone()
		d, _, _, err := l.InsertAfter(r, "x", fmt.Sprint("y", i+1))
		deltas = append(deltas, must(d, err))
	}
	var first []string
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		l := base.Clone()
		for _, i := range order {
			l.Merge(deltas[i])
		}
		got := values(l)
		if first == nil {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("order %v gives %q, another gave %q", order, got, first)
		}
	}
}

// TestNoInterleaving is the property the Fugue family exists for: A pushes
// a1…a50 while B pushes b1…b50 at the same end, one push at a time, each
// in its own delta; whatever order the deltas arrive in, every replica
// ends with each run contiguous and in push order.
func TestNoInterleaving(t *testing.T) {
	for _, end := range []string{"head", "tail", "middle"} {
		t.Run(end, func(t *testing.T) {
			base := build(t, "x", "z")
			a, b := base.Clone(), base.Clone()
			var da, db []*list.List
			for i := 1; i <= 50; i++ {
				for _, s := range []struct {
					l   *list.List
					r   clock.ReplicaID
					out *[]*list.List
					p   string
				}{{a, ra, &da, "a"}, {b, rb, &db, "b"}} {
					v := fmt.Sprint(s.p, i)
					var d *list.List
					switch end {
					case "head":
						d, _, _ = s.l.PushLeft(s.r, v)
					case "tail":
						d, _, _ = s.l.PushRight(s.r, v)
					default:
						// Typing between x and z: after the last one typed.
						d, _ = s.l.InsertAt(s.r, i, v)
					}
					*s.out = append(*s.out, d)
				}
			}
			for seed := range 20 {
				l := base.Clone()
				// Interleave the two streams, each in its own order.
				i, j := 0, 0
				for k := 0; i < len(da) || j < len(db); k++ {
					if j == len(db) || (i < len(da) && (k*7+seed*13)%5 < 2+seed%2) {
						l.Merge(da[i])
						i++
					} else {
						l.Merge(db[j])
						j++
					}
				}
				checkRuns(t, values(l), end)
			}
			// Each replica after an exchange of full states.
			a.Merge(b)
			b.Merge(a)
			if !a.Equal(b) {
				t.Fatal("replicas differ after exchanging states")
			}
			checkRuns(t, values(a), end)
		})
	}
}

// checkRuns checks that a1…a50 and b1…b50 each appear contiguously, in
// order (head pushes: reversed), around x and z.
func checkRuns(t *testing.T, got []string, end string) {
	t.Helper()
	s := strings.Join(got, " ")
	run := func(p string) string {
		var parts []string
		for i := 1; i <= 50; i++ {
			parts = append(parts, fmt.Sprint(p, i))
		}
		if end == "head" {
			slices.Reverse(parts)
		}
		return strings.Join(parts, " ")
	}
	if !strings.Contains(s, run("a")) || !strings.Contains(s, run("b")) || len(got) != 102 {
		t.Fatalf("runs interleaved or lost: %s", s)
	}
}
