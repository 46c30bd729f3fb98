package merge_test

import (
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// funOf returns a DotFun holding entries.
func funOf(entries ...merge.DotValue[string]) merge.DotFun[string] {
	var f merge.DotFun[string]
	for _, e := range entries {
		f.Set(e.Dot, e.Value)
	}
	return f
}

func entriesOf(f *merge.DotFun[string]) []merge.DotValue[string] {
	var out []merge.DotValue[string]
	for d, v := range f.All {
		out = append(out, merge.DotValue[string]{Dot: d, Value: v})
	}
	return out
}

func dv(r clock.ReplicaID, seq uint64, v string) merge.DotValue[string] {
	return merge.DotValue[string]{Dot: dot(r, seq), Value: v}
}

func TestDotFunSetGet(t *testing.T) {
	var f merge.DotFun[string]
	if !f.IsEmpty() || f.Len() != 0 {
		t.Fatal("zero DotFun is not empty")
	}
	f.Set(dot(2, 1), "b")
	f.Set(dot(1, 1), "a")
	f.Set(dot(2, 1), "B")
	if got, want := entriesOf(&f), []merge.DotValue[string]{dv(1, 1, "a"), dv(2, 1, "B")}; !slices.Equal(got, want) {
		t.Errorf("entries = %v, want %v", got, want)
	}
	if v, ok := f.Get(dot(2, 1)); !ok || v != "B" {
		t.Errorf("Get(2.1) = %q, %t; want B, true", v, ok)
	}
	if v, ok := f.Get(dot(3, 1)); ok || v != "" {
		t.Errorf("Get(3.1) = %q, %t; want \"\", false", v, ok)
	}
	c := f.Clone()
	c.Set(dot(3, 1), "c")
	if f.Len() != 2 || c.Len() != 3 || f.Equal(&c) {
		t.Error("setting on a clone changed the original")
	}
	f.Clear()
	if !f.IsEmpty() || c.Len() != 3 {
		t.Error("Clear left entries, or cleared the clone")
	}
}

func TestDotFunJoin(t *testing.T) {
	tests := []struct {
		name        string
		f           []merge.DotValue[string]
		ctx         []clock.Dot
		o           []merge.DotValue[string]
		octx        []clock.Dot
		want        []merge.DotValue[string]
		wantChanged bool
	}{
		{name: "both empty"},
		{"gain a write", nil, nil, []merge.DotValue[string]{dv(2, 1, "x")}, []clock.Dot{dot(2, 1)},
			[]merge.DotValue[string]{dv(2, 1, "x")}, true},
		{"overwritten write", []merge.DotValue[string]{dv(1, 1, "a")}, []clock.Dot{dot(1, 1)},
			[]merge.DotValue[string]{dv(2, 1, "b")}, []clock.Dot{dot(1, 1), dot(2, 1)},
			[]merge.DotValue[string]{dv(2, 1, "b")}, true},
		{"concurrent writes keep both", []merge.DotValue[string]{dv(1, 1, "a")}, []clock.Dot{dot(1, 1)},
			[]merge.DotValue[string]{dv(2, 1, "b")}, []clock.Dot{dot(2, 1)},
			[]merge.DotValue[string]{dv(1, 1, "a"), dv(2, 1, "b")}, true},
		{"same dot keeps our value", []merge.DotValue[string]{dv(1, 1, "a")}, []clock.Dot{dot(1, 1)},
			[]merge.DotValue[string]{dv(1, 1, "a")}, []clock.Dot{dot(1, 1)},
			[]merge.DotValue[string]{dv(1, 1, "a")}, false},
		{"removed write stays out", nil, []clock.Dot{dot(2, 1)},
			[]merge.DotValue[string]{dv(2, 1, "b")}, []clock.Dot{dot(2, 1)}, nil, false},
		{"other removed ours", []merge.DotValue[string]{dv(1, 1, "a"), dv(3, 1, "c")}, []clock.Dot{dot(1, 1), dot(3, 1)},
			nil, []clock.Dot{dot(1, 1)}, []merge.DotValue[string]{dv(3, 1, "c")}, true},
		{"other knows nothing", []merge.DotValue[string]{dv(1, 1, "a")}, []clock.Dot{dot(1, 1)},
			nil, nil, []merge.DotValue[string]{dv(1, 1, "a")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, o := funOf(tt.f...), funOf(tt.o...)
			ctx, octx := ctxOf(tt.ctx...), ctxOf(tt.octx...)
			oBefore := o.Clone()
			if changed := f.Join(ctx, &o, octx); changed != tt.wantChanged {
				t.Errorf("Join reported changed=%t, want %t", changed, tt.wantChanged)
			}
			if got := entriesOf(&f); !slices.Equal(got, tt.want) {
				t.Errorf("Join gave %v, want %v", got, tt.want)
			}
			if !o.Equal(&oBefore) {
				t.Error("Join modified its argument")
			}
		})
	}
}
