package list_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/list"
)

const (
	ra clock.ReplicaID = 1
	rb clock.ReplicaID = 2
	rc clock.ReplicaID = 3
)

// build returns a list holding values, pushed by replica ra.
func build(t testing.TB, values ...string) *list.List {
	t.Helper()
	l := list.New()
	if len(values) > 0 {
		if _, _, err := l.PushRight(ra, values...); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func values(l *list.List) []string {
	v := l.Range(0, -1)
	if v == nil {
		v = []string{}
	}
	return v
}

func TestRange(t *testing.T) {
	l := build(t, "a", "b", "c", "d", "e")
	tests := []struct {
		start, stop int
		want        []string
	}{
		{0, -1, []string{"a", "b", "c", "d", "e"}},
		{0, 0, []string{"a"}},
		{1, 3, []string{"b", "c", "d"}},
		{-2, -1, []string{"d", "e"}},
		{-100, 1, []string{"a", "b"}},
		{3, 100, []string{"d", "e"}},
		{4, 2, nil},
		{5, 10, nil},
		{-1, -2, nil},
	}
	for _, tt := range tests {
		if got := l.Range(tt.start, tt.stop); !slices.Equal(got, tt.want) {
			t.Errorf("Range(%d, %d) = %q, want %q", tt.start, tt.stop, got, tt.want)
		}
	}
	if got := list.New().Range(0, -1); got != nil {
		t.Errorf("Range of an empty list = %q, want nil", got)
	}
}

func TestIndex(t *testing.T) {
	l := build(t, "a", "b", "c")
	tests := []struct {
		i    int
		want string
		ok   bool
	}{
		{0, "a", true}, {2, "c", true}, {-1, "c", true}, {-3, "a", true},
		{3, "", false}, {-4, "", false},
	}
	for _, tt := range tests {
		if got, ok := l.Index(tt.i); got != tt.want || ok != tt.ok {
			t.Errorf("Index(%d) = (%q, %t), want (%q, %t)", tt.i, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPushAndPop(t *testing.T) {
	l := list.New()
	if _, n, _ := l.PushLeft(ra, "a", "b", "c"); n != 3 {
		t.Fatalf("LPUSH a b c gave length %d", n)
	}
	if _, n, _ := l.PushRight(ra, "x", "y"); n != 5 {
		t.Fatalf("RPUSH x y gave length %d", n)
	}
	if got, want := values(l), []string{"c", "b", "a", "x", "y"}; !slices.Equal(got, want) {
		t.Fatalf("after LPUSH a b c, RPUSH x y: %q, want %q", got, want)
	}
	pops := []struct {
		left bool
		want string
	}{{true, "c"}, {false, "y"}, {false, "x"}, {true, "b"}, {true, "a"}}
	for _, p := range pops {
		var v string
		var ok bool
		if p.left {
			_, v, ok, _ = l.PopLeft(ra)
		} else {
			_, v, ok, _ = l.PopRight(ra)
		}
		if !ok || v != p.want {
			t.Fatalf("pop (left %t) = (%q, %t), want %q", p.left, v, ok, p.want)
		}
	}
	d, v, ok, err := l.PopLeft(ra)
	if ok || v != "" || err != nil || l.Len() != 0 {
		t.Fatalf("LPOP of an empty list = (%q, %t, %v)", v, ok, err)
	}
	if other := list.New(); other.Merge(d) {
		t.Fatal("the delta of an empty pop changed a list")
	}
}

func TestInsert(t *testing.T) {
	tests := []struct {
		name  string
		do    func(l *list.List) (int, bool)
		want  []string
		wantN int
		ok    bool
	}{
		{"before the first", func(l *list.List) (int, bool) {
			_, n, ok, _ := l.InsertBefore(ra, "a", "x")
			return n, ok
		}, []string{"x", "a", "b", "a"}, 4, true},
		{"after the first match", func(l *list.List) (int, bool) {
			_, n, ok, _ := l.InsertAfter(ra, "a", "x")
			return n, ok
		}, []string{"a", "x", "b", "a"}, 4, true},
		{"missing pivot", func(l *list.List) (int, bool) {
			_, n, ok, _ := l.InsertAfter(ra, "z", "x")
			return n, ok
		}, []string{"a", "b", "a"}, 3, false},
		{"at an index", func(l *list.List) (int, bool) {
			_, err := l.InsertAt(ra, 1, "x", "y")
			return l.Len(), err == nil
		}, []string{"a", "x", "y", "b", "a"}, 5, true},
		{"at the end", func(l *list.List) (int, bool) {
			_, err := l.InsertAt(ra, 3, "x")
			return l.Len(), err == nil
		}, []string{"a", "b", "a", "x"}, 4, true},
		{"past the end", func(l *list.List) (int, bool) {
			_, err := l.InsertAt(ra, 4, "x")
			return l.Len(), !errors.Is(err, list.ErrOutOfRange)
		}, []string{"a", "b", "a"}, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := build(t, "a", "b", "a")
			n, ok := tt.do(l)
			if got := values(l); !slices.Equal(got, tt.want) || n != tt.wantN || ok != tt.ok {
				t.Errorf("got %q (n %d, ok %t), want %q (n %d, ok %t)", got, n, ok, tt.want, tt.wantN, tt.ok)
			}
		})
	}
}

func TestRemoveValue(t *testing.T) {
	tests := []struct {
		count int
		want  []string
		n     int
	}{
		{2, []string{"b", "c", "a", "a"}, 2},
		{-2, []string{"a", "b", "a", "c"}, 2},
		{0, []string{"b", "c"}, 4},
		{10, []string{"b", "c"}, 4},
		{-1, []string{"a", "b", "a", "c", "a"}, 1},
	}
	for _, tt := range tests {
		l := build(t, "a", "b", "a", "c", "a", "a")
		_, n, err := l.RemoveValue(ra, tt.count, "a")
		if got := values(l); err != nil || n != tt.n || !slices.Equal(got, tt.want) {
			t.Errorf("LREM %d a = %q (%d removed, %v), want %q (%d)", tt.count, got, n, err, tt.want, tt.n)
		}
	}
	l := build(t, "a")
	if _, n, _ := l.RemoveValue(ra, 0, "z"); n != 0 || l.Len() != 1 {
		t.Errorf("LREM of a missing value removed %d", n)
	}
}

func TestTrim(t *testing.T) {
	tests := []struct {
		start, stop int
		want        []string
	}{
		{1, 3, []string{"b", "c", "d"}},
		{0, -1, []string{"a", "b", "c", "d", "e"}},
		{-2, -1, []string{"d", "e"}},
		{3, 1, []string{}},
		{10, 20, []string{}},
		{-100, 0, []string{"a"}},
	}
	for _, tt := range tests {
		l := build(t, "a", "b", "c", "d", "e")
		if _, err := l.Trim(ra, tt.start, tt.stop); err != nil {
			t.Fatal(err)
		}
		if got := values(l); !slices.Equal(got, tt.want) {
			t.Errorf("LTRIM %d %d = %q, want %q", tt.start, tt.stop, got, tt.want)
		}
	}
}

func TestSetAndRemoveAt(t *testing.T) {
	l := build(t, "a", "b", "c")
	at := clock.Stamp{Time: clock.NewTimestamp(1000, 0), Replica: ra}
	if _, err := l.Set(at, -1, "z"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Set(at, 3, "z"); !errors.Is(err, list.ErrOutOfRange) {
		t.Errorf("LSET past the end: %v, want ErrOutOfRange", err)
	}
	if _, v, err := l.RemoveAt(ra, 1); err != nil || v != "b" {
		t.Errorf("RemoveAt(1) = (%q, %v), want b", v, err)
	}
	if _, _, err := l.RemoveAt(ra, 2); !errors.Is(err, list.ErrOutOfRange) {
		t.Errorf("RemoveAt past the end: %v, want ErrOutOfRange", err)
	}
	if got, want := values(l), []string{"a", "z"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPos(t *testing.T) {
	l := build(t, "a", "b", "c", "1", "2", "3", "c", "c")
	tests := []struct {
		count int
		opts  list.PosOptions
		want  []int
	}{
		{1, list.PosOptions{}, []int{2}},
		{0, list.PosOptions{}, []int{2, 6, 7}},
		{2, list.PosOptions{Rank: 2}, []int{6, 7}},
		{0, list.PosOptions{Rank: -1}, []int{7, 6, 2}},
		{1, list.PosOptions{Rank: -2}, []int{6}},
		{0, list.PosOptions{MaxLen: 3}, []int{2}},
		{0, list.PosOptions{Rank: -1, MaxLen: 2}, []int{7, 6}},
		{0, list.PosOptions{Rank: 4}, nil},
	}
	for _, tt := range tests {
		got, err := l.PosCount("c", tt.count, tt.opts)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("LPOS c COUNT %d %+v = %v (%v), want %v", tt.count, tt.opts, got, err, tt.want)
		}
	}
	if i, ok, _ := l.Pos("3", list.PosOptions{}); i != 5 || !ok {
		t.Errorf("LPOS 3 = (%d, %t), want 5", i, ok)
	}
	if _, ok, _ := l.Pos("z", list.PosOptions{}); ok {
		t.Error("LPOS of a missing value found it")
	}
	// RANK 0 (which Redis refuses) is the default: the first match, no
	// error. Ranks past the matches, at the ends of int's range too (whose
	// negation overflows), find none.
	for _, tt := range []struct {
		opts list.PosOptions
		all  []int // COUNT 0
	}{
		{list.PosOptions{Rank: 0}, []int{2, 6, 7}},
		{list.PosOptions{Rank: 1}, []int{2, 6, 7}},
		{list.PosOptions{Rank: math.MinInt}, nil},
		{list.PosOptions{Rank: math.MinInt + 1}, nil},
		{list.PosOptions{Rank: math.MaxInt}, nil},
		{list.PosOptions{Rank: -3}, []int{2}},
		{list.PosOptions{Rank: -4}, nil},
	} {
		i, found, err := l.Pos("c", tt.opts)
		if err != nil || found != (len(tt.all) > 0) || found && i != tt.all[0] {
			t.Errorf("LPOS c %+v = (%d, %t, %v), want the first of %v", tt.opts, i, found, err, tt.all)
		}
		if got, err := l.PosCount("c", 0, tt.opts); err != nil || !slices.Equal(got, tt.all) {
			t.Errorf("LPOS c COUNT 0 %+v = %v (%v), want %v", tt.opts, got, err, tt.all)
		}
	}
	for _, bad := range []struct {
		count int
		opts  list.PosOptions
	}{{-1, list.PosOptions{}}, {0, list.PosOptions{MaxLen: -1}}} {
		if _, err := l.PosCount("c", bad.count, bad.opts); !errors.Is(err, list.ErrInvalid) {
			t.Errorf("LPOS COUNT %d %+v: %v, want ErrInvalid", bad.count, bad.opts, err)
		}
	}
}

// edits runs the same edits on l (20 appends, two removals, an insert of
// two values) and returns the delta of each.
func edits(t *testing.T, l *list.List) []*list.List {
	t.Helper()
	var out []*list.List
	for i := range 20 {
		d, err := l.InsertAt(ra, l.Len(), fmt.Sprint(i))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	for _, i := range []int{3, 2} {
		d, _, err := l.RemoveAt(ra, i)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	d, err := l.InsertAt(ra, 5, "x", "y")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, d)
}

// TestRecordInto checks that batching deltas into one gives the same
// result as shipping them one by one.
func TestRecordInto(t *testing.T) {
	a := list.New()
	batch := list.NewDelta()
	a.RecordInto(batch)
	for _, d := range edits(t, a) {
		if d != batch {
			t.Fatal("a mutator under RecordInto returned another delta")
		}
	}
	a.RecordInto(nil)
	b := list.New()
	b.Merge(batch)
	if !b.Equal(a) {
		t.Fatalf("merging the batch: %v, want %v", b, a)
	}
	c := list.New()
	for _, d := range edits(t, list.New()) {
		c.Merge(d)
	}
	if !c.Equal(a) {
		t.Fatalf("merging each delta: %v, want %v", c, a)
	}
	// The batch merges like the deltas merged into one.
	merged := list.NewDelta()
	for _, d := range edits(t, list.New()) {
		merged.Merge(d)
	}
	if !merged.Equal(batch) {
		t.Fatalf("deltas merged into one: %v, want the batch %v", merged, batch)
	}
}

func TestDecodeRejects(t *testing.T) {
	good, _ := build(t, "a", "b").AppendBinary(nil)
	tests := map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-1],
		"trailing":  append(append([]byte{}, good...), 0),
		"wrong tag": append([]byte{'X'}, good[1:]...),
	}
	for name, b := range tests {
		l := build(t, "keep")
		err := l.UnmarshalBinary(b)
		if !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
		if got := values(l); !slices.Equal(got, []string{"keep"}) {
			t.Errorf("%s: a failed decode changed the list to %q", name, got)
		}
	}
}

// TestMutateDelta checks that a mutator called on a delta first makes it
// the full state its operations describe.
func TestMutateDelta(t *testing.T) {
	src := list.New()
	d, _, _ := src.PushRight(ra, "a", "b")
	if _, _, err := d.PushRight(rb, "c"); err != nil {
		t.Fatal(err)
	}
	if got, want := values(d), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("RPUSH on a delta: %q, want %q", got, want)
	}
}
