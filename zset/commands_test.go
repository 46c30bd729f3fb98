package zset

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// build returns a set holding pairs, written by replica A with one ZADD.
func build(t testing.TB, pairs ...Pair) *Set {
	t.Helper()
	s := New()
	if len(pairs) > 0 {
		if _, _, err := s.Add(stamp(1000, replicaA), AddOptions{}, pairs...); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// p is a shorthand for a Pair.
func p(member string, score float64) Pair { return Pair{Member: member, Score: score} }

func encoded(t testing.TB, s *Set) []byte {
	t.Helper()
	b, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAddOptions checks ZADD's options against Redis's documented
// single-node behaviour, from the set {a:1, b:2}.
func TestAddOptions(t *testing.T) {
	tests := []struct {
		name  string
		opt   AddOptions
		pairs []Pair
		want  AddResult
		after []Pair
	}{
		{"adds a new member", AddOptions{}, []Pair{p("c", 3)}, AddResult{Count: 1, Applied: true}, []Pair{p("a", 1), p("b", 2), p("c", 3)}},
		{"an update is not counted", AddOptions{}, []Pair{p("a", 5)}, AddResult{Applied: true}, []Pair{p("b", 2), p("a", 5)}},
		{"CH counts updates and adds", AddOptions{CH: true}, []Pair{p("a", 5), p("c", 3)}, AddResult{Count: 2, Applied: true}, []Pair{p("b", 2), p("c", 3), p("a", 5)}},
		{"CH skips an unchanged score", AddOptions{CH: true}, []Pair{p("a", 1)}, AddResult{Applied: true}, []Pair{p("a", 1), p("b", 2)}},
		{"NX adds but never updates", AddOptions{NX: true}, []Pair{p("a", 5), p("c", 3)}, AddResult{Count: 1, Applied: true}, []Pair{p("a", 1), p("b", 2), p("c", 3)}},
		{"XX updates but never adds", AddOptions{XX: true}, []Pair{p("a", 5), p("c", 3)}, AddResult{Applied: true}, []Pair{p("b", 2), p("a", 5)}},
		{"XX CH counts the update", AddOptions{XX: true, CH: true}, []Pair{p("a", 5), p("c", 3)}, AddResult{Count: 1, Applied: true}, []Pair{p("b", 2), p("a", 5)}},
		{"GT updates upward only, still adds", AddOptions{GT: true}, []Pair{p("a", 0), p("b", 3), p("c", 1)}, AddResult{Count: 1, Applied: true}, []Pair{p("a", 1), p("c", 1), p("b", 3)}},
		{"GT CH", AddOptions{GT: true, CH: true}, []Pair{p("a", 0), p("b", 3), p("c", 1)}, AddResult{Count: 2, Applied: true}, []Pair{p("a", 1), p("c", 1), p("b", 3)}},
		{"GT with an equal score does nothing", AddOptions{GT: true}, []Pair{p("a", 1)}, AddResult{}, []Pair{p("a", 1), p("b", 2)}},
		{"LT updates downward only", AddOptions{LT: true}, []Pair{p("a", 0), p("b", 3)}, AddResult{Applied: true}, []Pair{p("a", 0), p("b", 2)}},
		{"XX GT", AddOptions{XX: true, GT: true}, []Pair{p("b", 3), p("c", 1)}, AddResult{Applied: true}, []Pair{p("a", 1), p("b", 3)}},
		{"INCR increments", AddOptions{Incr: true}, []Pair{p("a", 2)}, AddResult{Applied: true, Score: 3}, []Pair{p("b", 2), p("a", 3)}},
		{"INCR adds a new member", AddOptions{Incr: true}, []Pair{p("c", 2)}, AddResult{Count: 1, Applied: true, Score: 2}, []Pair{p("a", 1), p("b", 2), p("c", 2)}},
		{"NX INCR on a member: nil", AddOptions{NX: true, Incr: true}, []Pair{p("a", 2)}, AddResult{}, []Pair{p("a", 1), p("b", 2)}},
		{"XX INCR on a new member: nil", AddOptions{XX: true, Incr: true}, []Pair{p("c", 2)}, AddResult{}, []Pair{p("a", 1), p("b", 2)}},
		{"GT INCR downward: nil", AddOptions{GT: true, Incr: true}, []Pair{p("a", -1)}, AddResult{}, []Pair{p("a", 1), p("b", 2)}},
		{"LT INCR downward", AddOptions{LT: true, Incr: true}, []Pair{p("a", -1)}, AddResult{Applied: true, Score: 0}, []Pair{p("a", 0), p("b", 2)}},
		{"CH INCR counts a change", AddOptions{CH: true, Incr: true}, []Pair{p("a", 1)}, AddResult{Count: 1, Applied: true, Score: 2}, []Pair{p("a", 2), p("b", 2)}},
		{"a member given twice keeps its last score", AddOptions{}, []Pair{p("c", 1), p("c", 7), p("a", 9), p("a", 0)}, AddResult{Count: 1, Applied: true}, []Pair{p("a", 0), p("b", 2), p("c", 7)}},
		{"infinite scores", AddOptions{}, []Pair{p("a", math.Inf(1)), p("c", math.Inf(-1))}, AddResult{Count: 1, Applied: true}, []Pair{p("c", math.Inf(-1)), p("b", 2), p("a", math.Inf(1))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, p("a", 1), p("b", 2))
			d, got, err := s.Add(stamp(2000, replicaA), tt.opt, tt.pairs...)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("reply %+v, want %+v", got, tt.want)
			}
			if all := s.Range(0, -1); !slices.Equal(all, tt.after) {
				t.Errorf("set %v, want %v", all, tt.after)
			}
			checkIndex(t, s)
			// The delta carries the whole change to a replica that saw the start.
			other := build(t, p("a", 1), p("b", 2))
			other.Merge(d)
			if !other.Equal(s) {
				t.Errorf("replica merging the delta holds %v, want %v", other.Range(0, -1), tt.after)
			}
		})
	}
}

func TestAddErrors(t *testing.T) {
	tests := []struct {
		name  string
		opt   AddOptions
		pairs []Pair
		want  error
	}{
		{"NX XX", AddOptions{NX: true, XX: true}, []Pair{p("a", 1)}, ErrXXAndNX},
		{"NX GT", AddOptions{NX: true, GT: true}, []Pair{p("a", 1)}, ErrGTLTNX},
		{"NX LT", AddOptions{NX: true, LT: true}, []Pair{p("a", 1)}, ErrGTLTNX},
		{"GT LT", AddOptions{GT: true, LT: true}, []Pair{p("a", 1)}, ErrGTLTNX},
		{"INCR with two pairs", AddOptions{Incr: true}, []Pair{p("a", 1), p("b", 1)}, ErrIncrPair},
		{"no pairs", AddOptions{}, nil, ErrSyntax},
		{"NaN score", AddOptions{}, []Pair{p("c", 1), p("d", math.NaN())}, ErrNaN},
		{"INCR to NaN", AddOptions{Incr: true}, []Pair{p("inf", math.Inf(-1))}, ErrNaN},
		{"GT INCR to NaN", AddOptions{GT: true, Incr: true}, []Pair{p("inf", math.Inf(-1))}, ErrNaN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, p("a", 1), p("inf", math.Inf(1)))
			before := encoded(t, s)
			if _, _, err := s.Add(stamp(2000, replicaA), tt.opt, tt.pairs...); !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !bytes.Equal(encoded(t, s), before) {
				t.Fatal("a refused ZADD changed the set")
			}
		})
	}
}

func TestIncrBy(t *testing.T) {
	const big = 1.5e308
	tests := []struct {
		name    string
		start   []Pair
		incr    float64
		want    float64
		wantErr error
	}{
		{"Redis example: one 1 + 2", []Pair{p("x", 1)}, 2, 3, nil},
		{"absent member starts at 0", nil, -2.5, -2.5, nil},
		{"+inf + finite", []Pair{p("x", math.Inf(1))}, 5, math.Inf(1), nil},
		{"+inf + +inf", []Pair{p("x", math.Inf(1))}, math.Inf(1), math.Inf(1), nil},
		{"finite + -inf", []Pair{p("x", 3)}, math.Inf(-1), math.Inf(-1), nil},
		{"overflow to +inf", []Pair{p("x", big)}, big, math.Inf(1), nil},
		{"+inf + -inf is NaN", []Pair{p("x", math.Inf(1))}, math.Inf(-1), 0, ErrNaN},
		{"-inf + +inf is NaN", []Pair{p("x", math.Inf(-1))}, math.Inf(1), 0, ErrNaN},
		{"NaN increment", []Pair{p("x", 1)}, math.NaN(), 0, ErrNaN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t, tt.start...)
			before := encoded(t, s)
			d, got, err := s.IncrBy(stamp(2000, replicaB), "x", tt.incr)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !bytes.Equal(encoded(t, s), before) {
					t.Fatal("a refused ZINCRBY changed the set")
				}
				return
			}
			if got != tt.want {
				t.Fatalf("ZINCRBY = %v, want %v", got, tt.want)
			}
			if score, ok := s.Score("x"); !ok || score != tt.want {
				t.Fatalf("ZSCORE = %v, %t; want %v", score, ok, tt.want)
			}
			other := build(t, tt.start...)
			other.Merge(d)
			if !other.Equal(s) {
				t.Fatal("the delta does not carry the increment")
			}
			checkIndex(t, s)
		})
	}
}

// TestReads replays the examples of the Redis command documentation.
func TestReads(t *testing.T) {
	nums := func(t *testing.T) *Set { return build(t, p("one", 1), p("two", 2), p("three", 3)) }
	letters := func(t *testing.T) *Set {
		return build(t, p("a", 0), p("b", 0), p("c", 0), p("d", 0), p("e", 0), p("f", 0), p("g", 0))
	}
	incl := func(f float64) ScoreBound { return ScoreBound{Value: f} }
	excl := func(f float64) ScoreBound { return ScoreBound{Value: f, Exclusive: true} }
	lex := func(s string) LexBound {
		b, err := ParseLexBound(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	inf := math.Inf(1)
	tests := []struct {
		name string
		set  func(*testing.T) *Set
		read func(*Set) []Pair
		want []Pair
	}{
		{"ZRANGE 0 -1", nums, func(s *Set) []Pair { return s.Range(0, -1) }, []Pair{p("one", 1), p("two", 2), p("three", 3)}},
		{"ZRANGE 2 3", nums, func(s *Set) []Pair { return s.Range(2, 3) }, []Pair{p("three", 3)}},
		{"ZRANGE -2 -1", nums, func(s *Set) []Pair { return s.Range(-2, -1) }, []Pair{p("two", 2), p("three", 3)}},
		{"ZRANGE 5 9", nums, func(s *Set) []Pair { return s.Range(5, 9) }, nil},
		{"ZRANGE 2 1", nums, func(s *Set) []Pair { return s.Range(2, 1) }, nil},
		{"ZRANGE -100 100", nums, func(s *Set) []Pair { return s.Range(-100, 100) }, []Pair{p("one", 1), p("two", 2), p("three", 3)}},
		{"ZREVRANGE 0 -1", nums, func(s *Set) []Pair { return s.RevRange(0, -1) }, []Pair{p("three", 3), p("two", 2), p("one", 1)}},
		{"ZREVRANGE 2 3", nums, func(s *Set) []Pair { return s.RevRange(2, 3) }, []Pair{p("one", 1)}},
		{"ZREVRANGE -2 -1", nums, func(s *Set) []Pair { return s.RevRange(-2, -1) }, []Pair{p("two", 2), p("one", 1)}},
		{"ZRANGEBYSCORE -inf +inf", nums, func(s *Set) []Pair { return s.RangeByScore(incl(-inf), incl(inf), 0, -1) }, []Pair{p("one", 1), p("two", 2), p("three", 3)}},
		{"ZRANGEBYSCORE 1 2", nums, func(s *Set) []Pair { return s.RangeByScore(incl(1), incl(2), 0, -1) }, []Pair{p("one", 1), p("two", 2)}},
		{"ZRANGEBYSCORE (1 2", nums, func(s *Set) []Pair { return s.RangeByScore(excl(1), incl(2), 0, -1) }, []Pair{p("two", 2)}},
		{"ZRANGEBYSCORE (1 (2", nums, func(s *Set) []Pair { return s.RangeByScore(excl(1), excl(2), 0, -1) }, nil},
		{"ZRANGEBYSCORE 3 1", nums, func(s *Set) []Pair { return s.RangeByScore(incl(3), incl(1), 0, -1) }, nil},
		{"ZRANGEBYSCORE -inf +inf LIMIT 1 1", nums, func(s *Set) []Pair { return s.RangeByScore(incl(-inf), incl(inf), 1, 1) }, []Pair{p("two", 2)}},
		{"ZRANGEBYSCORE -inf +inf LIMIT 1 -1", nums, func(s *Set) []Pair { return s.RangeByScore(incl(-inf), incl(inf), 1, -1) }, []Pair{p("two", 2), p("three", 3)}},
		{"ZRANGEBYSCORE LIMIT -1 2", nums, func(s *Set) []Pair { return s.RangeByScore(incl(-inf), incl(inf), -1, 2) }, nil},
		{"ZRANGEBYSCORE LIMIT 5 2", nums, func(s *Set) []Pair { return s.RangeByScore(incl(-inf), incl(inf), 5, 2) }, nil},
		{"ZRANGEBYSCORE LIMIT 0 0", nums, func(s *Set) []Pair { return s.RangeByScore(incl(-inf), incl(inf), 0, 0) }, nil},
		{"ZRANGEBYLEX - [c", letters, func(s *Set) []Pair { return s.RangeByLex(lex("-"), lex("[c"), 0, -1) }, []Pair{p("a", 0), p("b", 0), p("c", 0)}},
		{"ZRANGEBYLEX - (c", letters, func(s *Set) []Pair { return s.RangeByLex(lex("-"), lex("(c"), 0, -1) }, []Pair{p("a", 0), p("b", 0)}},
		{"ZRANGEBYLEX [aaa (g", letters, func(s *Set) []Pair { return s.RangeByLex(lex("[aaa"), lex("(g"), 0, -1) },
			[]Pair{p("b", 0), p("c", 0), p("d", 0), p("e", 0), p("f", 0)}},
		{"ZRANGEBYLEX - + LIMIT 2 2", letters, func(s *Set) []Pair { return s.RangeByLex(lex("-"), lex("+"), 2, 2) }, []Pair{p("c", 0), p("d", 0)}},
		{"ZRANGEBYLEX + -", letters, func(s *Set) []Pair { return s.RangeByLex(lex("+"), lex("-"), 0, -1) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.read(tt.set(t)); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCountsAndRanks(t *testing.T) {
	nums := build(t, p("one", 1), p("two", 2), p("three", 3))
	inf := math.Inf(1)
	if got := nums.Count(ScoreBound{Value: -inf}, ScoreBound{Value: inf}); got != 3 {
		t.Errorf("ZCOUNT -inf +inf = %d, want 3", got)
	}
	if got := nums.Count(ScoreBound{Value: 1, Exclusive: true}, ScoreBound{Value: 3}); got != 2 {
		t.Errorf("ZCOUNT (1 3 = %d, want 2", got)
	}
	if got := nums.Count(ScoreBound{Value: 3}, ScoreBound{Value: 1}); got != 0 {
		t.Errorf("ZCOUNT 3 1 = %d, want 0", got)
	}
	if r, ok := nums.Rank("three"); !ok || r != 2 {
		t.Errorf("ZRANK three = %d, %t; want 2", r, ok)
	}
	if _, ok := nums.Rank("four"); ok {
		t.Error("ZRANK four found a rank")
	}
	if r, ok := nums.RevRank("one"); !ok || r != 2 {
		t.Errorf("ZREVRANK one = %d, %t; want 2", r, ok)
	}
	if _, ok := nums.Score("four"); ok {
		t.Error("ZSCORE four found a score")
	}
	letters := build(t, p("a", 0), p("b", 0), p("c", 0), p("d", 0), p("e", 0), p("f", 0), p("g", 0))
	for _, c := range []struct {
		min, max string
		want     int
	}{{"-", "+", 7}, {"[b", "[f", 5}, {"(b", "(f", 3}, {"[z", "+", 0}, {"+", "-", 0}} {
		lo, _ := ParseLexBound(c.min)
		hi, _ := ParseLexBound(c.max)
		if got := letters.LexCount(lo, hi); got != c.want {
			t.Errorf("ZLEXCOUNT %s %s = %d, want %d", c.min, c.max, got, c.want)
		}
	}
}

func TestRemovals(t *testing.T) {
	nums := func(t *testing.T) *Set { return build(t, p("one", 1), p("two", 2), p("three", 3)) }
	words := func(t *testing.T) *Set {
		return build(t, p("aaaa", 0), p("b", 0), p("c", 0), p("d", 0), p("e", 0),
			p("foo", 0), p("zap", 0), p("zip", 0), p("ALPHA", 0), p("alpha", 0))
	}
	lex := func(s string) LexBound { b, _ := ParseLexBound(s); return b }
	tests := []struct {
		name    string
		set     func(*testing.T) *Set
		remove  func(*Set) (*Set, int)
		removed int
		left    []Pair
	}{
		{"ZREM two four", nums, func(s *Set) (*Set, int) { return s.Remove(replicaA, "two", "four", "two") }, 1, []Pair{p("one", 1), p("three", 3)}},
		{"ZREMRANGEBYRANK 0 1", nums, func(s *Set) (*Set, int) { return s.RemoveRangeByRank(replicaA, 0, 1) }, 2, []Pair{p("three", 3)}},
		{"ZREMRANGEBYRANK -1 -1", nums, func(s *Set) (*Set, int) { return s.RemoveRangeByRank(replicaA, -1, -1) }, 1, []Pair{p("one", 1), p("two", 2)}},
		{"ZREMRANGEBYRANK 5 9", nums, func(s *Set) (*Set, int) { return s.RemoveRangeByRank(replicaA, 5, 9) }, 0, []Pair{p("one", 1), p("two", 2), p("three", 3)}},
		{"ZREMRANGEBYSCORE -inf (2", nums, func(s *Set) (*Set, int) {
			return s.RemoveRangeByScore(replicaA, ScoreBound{Value: math.Inf(-1)}, ScoreBound{Value: 2, Exclusive: true})
		}, 1, []Pair{p("two", 2), p("three", 3)}},
		{"ZREMRANGEBYLEX [alpha [omega", words, func(s *Set) (*Set, int) { return s.RemoveRangeByLex(replicaA, lex("[alpha"), lex("[omega")) },
			6, []Pair{p("ALPHA", 0), p("aaaa", 0), p("zap", 0), p("zip", 0)}},
		{"DEL", nums, func(s *Set) (*Set, int) { return s.Clear(replicaA), 3 }, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.set(t)
			other := tt.set(t)
			d, n := tt.remove(s)
			if n != tt.removed {
				t.Errorf("removed %d, want %d", n, tt.removed)
			}
			if got := s.Range(0, -1); !slices.Equal(got, tt.left) {
				t.Errorf("left %v, want %v", got, tt.left)
			}
			if s.Len() != len(tt.left) {
				t.Errorf("Len %d, want %d", s.Len(), len(tt.left))
			}
			checkIndex(t, s)
			other.Merge(d)
			if !other.Equal(s) {
				t.Error("a replica merging the delta differs")
			}
		})
	}
}

func TestPop(t *testing.T) {
	s := build(t, p("one", 1), p("two", 2), p("three", 3), p("four", 4))
	other := s.Clone()
	d1, low := s.PopMin(replicaA, 1)
	d2, high := s.PopMax(replicaA, 2)
	d3, none := s.PopMin(replicaA, 0)
	if !slices.Equal(low, []Pair{p("one", 1)}) || !slices.Equal(high, []Pair{p("four", 4), p("three", 3)}) || none != nil {
		t.Fatalf("ZPOPMIN 1 = %v, ZPOPMAX 2 = %v, ZPOPMIN 0 = %v", low, high, none)
	}
	d4, rest := s.PopMax(replicaA, 10)
	if !slices.Equal(rest, []Pair{p("two", 2)}) || s.Len() != 0 {
		t.Fatalf("ZPOPMAX 10 = %v, %d left", rest, s.Len())
	}
	for _, d := range []*Set{d1, d2, d3, d4} {
		other.Merge(d)
	}
	if !other.Equal(s) {
		t.Fatal("a replica merging the pops differs")
	}
	checkIndex(t, s)
}

func TestParseBounds(t *testing.T) {
	scores := []struct {
		in   string
		want ScoreBound
		err  bool
	}{
		{"1.5", ScoreBound{Value: 1.5}, false},
		{"(1.5", ScoreBound{Value: 1.5, Exclusive: true}, false},
		{"-inf", ScoreBound{Value: math.Inf(-1)}, false},
		{"+inf", ScoreBound{Value: math.Inf(1)}, false},
		{"(+inf", ScoreBound{Value: math.Inf(1), Exclusive: true}, false},
		{"1e400", ScoreBound{Value: math.Inf(1)}, false},
		{"nan", ScoreBound{}, true},
		{"", ScoreBound{}, true},
		{"(", ScoreBound{}, true},
		{"[1", ScoreBound{}, true},
		{"1x", ScoreBound{}, true},
	}
	for _, c := range scores {
		got, err := ParseScoreBound(c.in)
		if (err != nil) != c.err || got != c.want || (err != nil && !errors.Is(err, ErrScoreBound)) {
			t.Errorf("ParseScoreBound(%q) = %+v, %v", c.in, got, err)
		}
	}
	lexes := []struct {
		in   string
		want LexBound
		err  bool
	}{
		{"-", LexBound{Inf: -1}, false},
		{"+", LexBound{Inf: 1}, false},
		{"[a", LexBound{Member: "a"}, false},
		{"(a", LexBound{Member: "a", Exclusive: true}, false},
		{"[", LexBound{Member: ""}, false},
		{"a", LexBound{}, true},
		{"", LexBound{}, true},
		{"-a", LexBound{}, true},
	}
	for _, c := range lexes {
		got, err := ParseLexBound(c.in)
		if (err != nil) != c.err || got != c.want || (err != nil && !errors.Is(err, ErrLexBound)) {
			t.Errorf("ParseLexBound(%q) = %+v, %v", c.in, got, err)
		}
	}
}

// TestDeltaReads reads a delta as the set it would make of an empty one.
func TestDeltaReads(t *testing.T) {
	s := New()
	d, _, err := s.Add(stamp(1000, replicaA), AddOptions{}, p("b", 2), p("a", 1), p("c", 3))
	if err != nil {
		t.Fatal(err)
	}
	rem, _ := s.Remove(replicaA, "c")
	d.Merge(rem)
	if d.Len() != 2 || d.index != nil {
		t.Fatalf("delta: Len %d, has index %t", d.Len(), d.index != nil)
	}
	if got := d.Range(0, -1); !slices.Equal(got, []Pair{p("a", 1), p("b", 2)}) {
		t.Fatalf("delta Range = %v", got)
	}
	if r, ok := d.Rank("b"); !ok || r != 1 {
		t.Fatalf("delta Rank(b) = %d, %t", r, ok)
	}
	if got := d.Count(ScoreBound{Value: 2}, ScoreBound{Value: 5}); got != 1 {
		t.Fatalf("delta Count = %d", got)
	}
	// A delta written to turns into a full state only by merging one.
	full := New()
	full.Merge(d)
	d.Merge(full)
	if d.members.IsDelta() || !d.Equal(full) {
		t.Fatal("a delta merged with a full state is not that full state")
	}
	checkIndex(t, d)
}

// TestZeroValue uses a Set declared as a variable.
func TestZeroValue(t *testing.T) {
	var s Set
	if s.Len() != 0 || s.Range(0, -1) != nil || s.Count(ScoreBound{Value: math.Inf(-1)}, ScoreBound{Value: math.Inf(1)}) != 0 {
		t.Fatal("zero set is not empty")
	}
	zadd(t, &s, stamp(1, clock.ReplicaID(9)), "m", 1)
	if got := s.Range(0, -1); !slices.Equal(got, []Pair{p("m", 1)}) {
		t.Fatalf("zero set after ZADD: %v", got)
	}
	s.Clear(9)
	if s.Len() != 0 || s.Range(0, -1) != nil {
		t.Fatal("cleared set is not empty")
	}
	checkIndex(t, &s)
}
