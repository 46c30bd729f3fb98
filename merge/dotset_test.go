package merge_test

import (
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// dot returns the dot r.seq.
func dot(r clock.ReplicaID, seq uint64) clock.Dot { return clock.Dot{Replica: r, Seq: seq} }

// ctxOf returns a causal context holding dots.
func ctxOf(dots ...clock.Dot) *clock.CausalContext {
	var c clock.CausalContext
	for _, d := range dots {
		c.Add(d)
	}
	return &c
}

// setOf returns a DotSet holding dots.
func setOf(dots ...clock.Dot) merge.DotSet {
	var s merge.DotSet
	for _, d := range dots {
		s.Add(d)
	}
	return s
}

// dotsOf returns the dots of s in the order All yields them.
func dotsOf(s *merge.DotSet) []clock.Dot { return slices.Collect(s.All) }

func TestDotSetAdd(t *testing.T) {
	var s merge.DotSet
	if !s.IsEmpty() || s.Len() != 0 || s.Contains(dot(1, 1)) {
		t.Fatal("zero DotSet is not empty")
	}
	adds := []struct {
		d    clock.Dot
		want bool
	}{
		{dot(2, 1), true},
		{dot(1, 3), true},
		{dot(2, 1), false},
		{dot(1, 0), false}, // names nothing
		{dot(3, 7), true},
		{dot(1, 2), true},
	}
	for _, a := range adds {
		if got := s.Add(a.d); got != a.want {
			t.Errorf("Add(%v) = %t, want %t", a.d, got, a.want)
		}
	}
	want := []clock.Dot{dot(1, 2), dot(1, 3), dot(2, 1), dot(3, 7)}
	if got := dotsOf(&s); !slices.Equal(got, want) {
		t.Errorf("All = %v, want %v", got, want)
	}
	if s.Len() != 4 || s.IsEmpty() || !s.Contains(dot(3, 7)) || s.Contains(dot(3, 6)) || s.Contains(dot(1, 0)) {
		t.Errorf("Len/IsEmpty/Contains disagree with %v", want)
	}
	var first []clock.Dot
	for d := range s.All {
		first = append(first, d)
		break
	}
	if !slices.Equal(first, want[:1]) {
		t.Errorf("All stopped early yielded %v, want %v", first, want[:1])
	}
}

func TestDotSetCloneEqual(t *testing.T) {
	for _, dots := range [][]clock.Dot{nil, {dot(1, 1)}, {dot(1, 1), dot(2, 5), dot(3, 2)}} {
		s := setOf(dots...)
		c := s.Clone()
		if !c.Equal(&s) || !s.Equal(&c) {
			t.Fatalf("Clone of %v is not Equal to it", dots)
		}
		c.Add(dot(9, 9))
		if s.Contains(dot(9, 9)) || c.Equal(&s) {
			t.Errorf("adding to a clone of %v changed the original or kept them Equal", dots)
		}
	}
	a, b := setOf(dot(1, 1), dot(2, 1)), setOf(dot(2, 1), dot(1, 1))
	if !a.Equal(&b) {
		t.Error("sets built in different orders are not Equal")
	}
	c := setOf(dot(1, 1))
	if a.Equal(&c) || c.Equal(&a) {
		t.Error("sets of different dots are Equal")
	}
}

func TestDotSetJoin(t *testing.T) {
	tests := []struct {
		name        string
		s, ctx      []clock.Dot
		o, octx     []clock.Dot
		want        []clock.Dot
		wantChanged bool
	}{
		{name: "both empty"},
		{"other knows nothing", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, nil, nil, []clock.Dot{dot(1, 1)}, false},
		{"other removed our dot", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, nil, []clock.Dot{dot(1, 1)}, nil, true},
		{"gain an unseen dot", nil, nil, []clock.Dot{dot(2, 1)}, []clock.Dot{dot(2, 1)}, []clock.Dot{dot(2, 1)}, true},
		{"seen and removed dot stays out", nil, []clock.Dot{dot(2, 1)}, []clock.Dot{dot(2, 1)}, []clock.Dot{dot(2, 1)}, nil, false},
		{"same dot", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, false},
		{"other's add replaced ours", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)},
			[]clock.Dot{dot(2, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)}, []clock.Dot{dot(2, 1)}, true},
		{"concurrent adds keep both", []clock.Dot{dot(2, 1)}, []clock.Dot{dot(2, 1)},
			[]clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)}, true},
		{"removed ours, its own dot seen and removed here", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)},
			[]clock.Dot{dot(2, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)}, nil, true},
		{"many dots: drop, keep and gain", []clock.Dot{dot(1, 1), dot(2, 1), dot(3, 1)}, []clock.Dot{dot(1, 1), dot(2, 1), dot(3, 1)},
			[]clock.Dot{dot(2, 1), dot(4, 1)}, []clock.Dot{dot(1, 1), dot(2, 1), dot(4, 1)},
			[]clock.Dot{dot(2, 1), dot(3, 1), dot(4, 1)}, true},
		{"many equal dots", []clock.Dot{dot(1, 1), dot(2, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)},
			[]clock.Dot{dot(1, 1), dot(2, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)}, false},
		{"many to one", []clock.Dot{dot(1, 2), dot(2, 1)}, []clock.Dot{dot(1, 1), dot(1, 2), dot(2, 1)},
			nil, []clock.Dot{dot(1, 2)}, []clock.Dot{dot(2, 1)}, true},
		{"one to many", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1)},
			[]clock.Dot{dot(1, 1), dot(2, 1), dot(3, 1)}, []clock.Dot{dot(1, 1), dot(2, 1), dot(3, 1)},
			[]clock.Dot{dot(1, 1), dot(2, 1), dot(3, 1)}, true},
		{"gain only what we have not seen", []clock.Dot{dot(1, 1)}, []clock.Dot{dot(1, 1), dot(3, 1)},
			[]clock.Dot{dot(2, 1), dot(3, 1)}, []clock.Dot{dot(2, 1), dot(3, 1)}, []clock.Dot{dot(1, 1), dot(2, 1)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, o := setOf(tt.s...), setOf(tt.o...)
			ctx, octx := ctxOf(tt.ctx...), ctxOf(tt.octx...)
			oBefore, ctxBefore, octxBefore := o.Clone(), ctx.Clone(), octx.Clone()
			if changed := s.Join(ctx, &o, octx); changed != tt.wantChanged {
				t.Errorf("Join reported changed=%t, want %t", changed, tt.wantChanged)
			}
			if got := dotsOf(&s); !slices.Equal(got, tt.want) {
				t.Errorf("Join gave %v, want %v", got, tt.want)
			}
			if want := setOf(tt.want...); !s.Equal(&want) || s.Len() != len(tt.want) {
				t.Errorf("Join result %v is not Equal to a set built of %v", dotsOf(&s), tt.want)
			}
			if !o.Equal(&oBefore) || !ctx.Equal(&ctxBefore) || !octx.Equal(&octxBefore) {
				t.Error("Join modified its argument or a context")
			}
		})
	}
}

func TestObservedWrite(t *testing.T) {
	a1, b1 := clock.Dot{Replica: 1, Seq: 1}, clock.Dot{Replica: 2, Seq: 1}
	var ctx, deltaCtx clock.CausalContext
	ctx.Add(a1)
	ctx.Add(b1)
	var old merge.DotSet
	old.Add(a1)
	old.Add(b1)

	got := merge.ObservedWrite(&ctx, &deltaCtx, &old, 1)
	fresh := clock.Dot{Replica: 1, Seq: 2}
	if got.Len() != 1 || !got.Contains(fresh) {
		t.Errorf("new dots: want only the fresh dot %v", fresh)
	}
	for _, d := range []clock.Dot{a1, b1, fresh} {
		if !deltaCtx.Contains(d) {
			t.Errorf("delta context lacks %v", d)
		}
	}
	if !ctx.Contains(fresh) || ctx.Next(1) != (clock.Dot{Replica: 1, Seq: 3}) {
		t.Errorf("context after the write: %v", ctx.String())
	}
	if old.Len() != 2 {
		t.Errorf("old dot set changed")
	}
}
