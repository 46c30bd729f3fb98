package merge_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

type setMap = merge.DotMap[string, merge.DotSet, *merge.DotSet]

// mapOf returns a DotMap (a delta if delta is set) of the given keys and
// dots; in a delta, a key with no dots is a removal mark.
func mapOf(delta bool, entries map[string][]clock.Dot) setMap {
	var m setMap
	if delta {
		m.MarkDelta()
	}
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		m.Set(k, setOf(entries[k]...))
	}
	return m
}

func entriesOfMap(m *setMap) map[string][]clock.Dot {
	out := map[string][]clock.Dot{}
	for k, v := range m.All {
		out[k] = dotsOf(&v)
	}
	return out
}

func equalEntries(a, b map[string][]clock.Dot) bool {
	return maps.EqualFunc(a, b, func(x, y []clock.Dot) bool { return slices.Equal(x, y) })
}

func TestDotMapSetGetDelete(t *testing.T) {
	for _, delta := range []bool{false, true} {
		var m setMap
		if delta {
			m.MarkDelta()
		}
		if m.IsDelta() != delta || !m.IsEmpty() || m.Len() != 0 {
			t.Fatalf("delta %t: new map is not empty", delta)
		}
		m.Set("b", setOf(dot(1, 2)))
		m.Set("a", setOf(dot(1, 1)))
		m.Set("c", merge.DotSet{}) // a removal mark, kept only in a delta
		m.Set("b", setOf(dot(2, 1)))
		want := map[string][]clock.Dot{"a": {dot(1, 1)}, "b": {dot(2, 1)}}
		wantKeys := []string{"a", "b"}
		if delta {
			want["c"] = nil
			wantKeys = append(wantKeys, "c")
		}
		if got := entriesOfMap(&m); !equalEntries(got, want) {
			t.Errorf("delta %t: entries = %v, want %v", delta, got, want)
		}
		if got := m.Keys(); !slices.Equal(got, wantKeys) || m.Len() != len(wantKeys) {
			t.Errorf("delta %t: Keys = %v, Len = %d; want %v", delta, got, m.Len(), wantKeys)
		}
		if v, ok := m.Get("b"); !ok || !slices.Equal(dotsOf(&v), []clock.Dot{dot(2, 1)}) {
			t.Errorf("delta %t: Get(b) = %v, %t", delta, dotsOf(&v), ok)
		}
		if _, ok := m.Get("z"); ok {
			t.Errorf("delta %t: Get(z) found an entry", delta)
		}
		m.Delete("a")
		m.Delete("c")
		m.Delete("z")
		if got := m.Keys(); !slices.Equal(got, []string{"b"}) {
			t.Errorf("delta %t: after Delete, Keys = %v, want [b]", delta, got)
		}
		m.Set("b", merge.DotSet{})
		if m.IsEmpty() == delta {
			t.Errorf("delta %t: Set(b, empty) left IsEmpty %t", delta, m.IsEmpty())
		}
	}
}

func TestDotMapCloneEqual(t *testing.T) {
	for _, entries := range []map[string][]clock.Dot{
		{},
		{"a": {dot(1, 1)}},
		{"a": {dot(1, 1)}, "b": {dot(1, 2), dot(2, 1)}},
	} {
		m := mapOf(false, entries)
		c := m.Clone()
		if !c.Equal(&m) || !m.Equal(&c) {
			t.Fatalf("Clone of %v is not Equal to it", entries)
		}
		for k, v := range c.All {
			v.Add(dot(9, 9))
			c.Set(k, v)
		}
		c.Set("new", setOf(dot(8, 1)))
		if got := entriesOfMap(&m); !equalEntries(got, entries) {
			t.Errorf("changing a clone changed the original: %v, want %v", got, entries)
		}
	}
	full, delta := mapOf(false, map[string][]clock.Dot{"a": {dot(1, 1)}}), mapOf(true, map[string][]clock.Dot{"a": {dot(1, 1)}})
	if full.Equal(&delta) || delta.Equal(&full) {
		t.Error("a delta is Equal to a full state of the same entries")
	}
	other := mapOf(false, map[string][]clock.Dot{"a": {dot(1, 2)}})
	if full.Equal(&other) {
		t.Error("maps of different dots are Equal")
	}
}

func TestDotMapJoin(t *testing.T) {
	type entries = map[string][]clock.Dot
	tests := []struct {
		name        string
		m           entries
		mDelta      bool
		ctx         []clock.Dot
		o           entries
		oDelta      bool
		octx        []clock.Dot
		want        entries
		wantDelta   bool
		wantChanged bool
	}{
		{
			name: "a delta visits only the keys it names",
			m:    entries{"x": {dot(1, 1)}, "y": {dot(1, 2)}}, ctx: []clock.Dot{dot(1, 1), dot(1, 2)},
			o: entries{"x": nil}, oDelta: true, octx: []clock.Dot{dot(1, 1), dot(1, 2)},
			want: entries{"y": {dot(1, 2)}}, wantChanged: true,
		},
		{
			name: "a full state removes every key whose dots it has seen",
			m:    entries{"x": {dot(1, 1)}, "y": {dot(1, 2)}}, ctx: []clock.Dot{dot(1, 1), dot(1, 2)},
			o: entries{}, octx: []clock.Dot{dot(1, 1), dot(1, 2)},
			want: entries{}, wantChanged: true,
		},
		{
			name: "a full state keeps keys it has not seen",
			m:    entries{"x": {dot(1, 1)}}, ctx: []clock.Dot{dot(1, 1)},
			o: entries{}, want: entries{"x": {dot(1, 1)}},
		},
		{
			name: "full ⊔ full: union less removals",
			m:    entries{"x": {dot(1, 1)}, "y": {dot(1, 2)}}, ctx: []clock.Dot{dot(1, 1), dot(1, 2)},
			o: entries{"y": {dot(1, 2)}, "z": {dot(2, 1)}}, octx: []clock.Dot{dot(1, 1), dot(1, 2), dot(2, 1)},
			want: entries{"y": {dot(1, 2)}, "z": {dot(2, 1)}}, wantChanged: true,
		},
		{
			name: "a delta adds a key",
			m:    entries{}, o: entries{"x": {dot(2, 1)}}, oDelta: true, octx: []clock.Dot{dot(2, 1)},
			want: entries{"x": {dot(2, 1)}}, wantChanged: true,
		},
		{
			name: "a delta's add of a key seen and removed is lost",
			m:    entries{}, ctx: []clock.Dot{dot(2, 1)},
			o: entries{"x": {dot(2, 1)}}, oDelta: true, octx: []clock.Dot{dot(2, 1)},
			want: entries{},
		},
		{
			name: "a removal mark of a key we lack changes nothing in a full state",
			m:    entries{}, o: entries{"x": nil}, oDelta: true, octx: []clock.Dot{dot(1, 1)},
			want: entries{},
		},
		{
			name: "delta ⊔ delta keeps both removal marks",
			m:    entries{"x": nil}, mDelta: true, ctx: []clock.Dot{dot(1, 1)},
			o: entries{"y": nil}, oDelta: true, octx: []clock.Dot{dot(1, 2)},
			want: entries{"x": nil, "y": nil}, wantDelta: true, wantChanged: true,
		},
		{
			name: "delta ⊔ the same delta changes nothing",
			m:    entries{"x": nil, "y": {dot(1, 2)}}, mDelta: true, ctx: []clock.Dot{dot(1, 1), dot(1, 2)},
			o: entries{"x": nil, "y": {dot(1, 2)}}, oDelta: true, octx: []clock.Dot{dot(1, 1), dot(1, 2)},
			want: entries{"x": nil, "y": {dot(1, 2)}}, wantDelta: true,
		},
		{
			name: "delta ⊔ full becomes full and drops its marks",
			m:    entries{"x": nil, "y": {dot(2, 1)}}, mDelta: true, ctx: []clock.Dot{dot(1, 1), dot(2, 1)},
			o: entries{}, want: entries{"y": {dot(2, 1)}}, wantChanged: true,
		},
		{
			name: "delta ⊔ empty full state: only the flag changes",
			m:    entries{"y": {dot(2, 1)}}, mDelta: true, ctx: []clock.Dot{dot(2, 1)},
			o: entries{}, want: entries{"y": {dot(2, 1)}}, wantChanged: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, o := mapOf(tt.mDelta, tt.m), mapOf(tt.oDelta, tt.o)
			ctx, octx := ctxOf(tt.ctx...), ctxOf(tt.octx...)
			oBefore, ctxBefore, octxBefore := o.Clone(), ctx.Clone(), octx.Clone()
			if changed := m.Join(ctx, &o, octx); changed != tt.wantChanged {
				t.Errorf("Join reported changed=%t, want %t", changed, tt.wantChanged)
			}
			if got := entriesOfMap(&m); !equalEntries(got, tt.want) {
				t.Errorf("Join gave %v, want %v", got, tt.want)
			}
			if m.IsDelta() != tt.wantDelta {
				t.Errorf("Join gave a delta: %t, want %t", m.IsDelta(), tt.wantDelta)
			}
			if want := mapOf(tt.wantDelta, tt.want); !m.Equal(&want) {
				t.Error("Join result is not Equal to a map built of the wanted entries")
			}
			if !o.Equal(&oBefore) || !ctx.Equal(&ctxBefore) || !octx.Equal(&octxBefore) {
				t.Error("Join modified its argument or a context")
			}
		})
	}
}

// TestDotMapNested checks a DotMap whose stores are DotMaps (a map of
// sets, as a hash of fields): joins recurse, and an outer key goes when its
// inner map empties.
func TestDotMapNested(t *testing.T) {
	type hash = merge.DotMap[string, setMap, *setMap]
	var m hash
	m.Set("h", mapOf(false, map[string][]clock.Dot{"g": {dot(1, 1)}}))
	ctx := ctxOf(dot(1, 1))

	var add hash
	add.MarkDelta()
	add.Set("h", mapOf(false, map[string][]clock.Dot{"f": {dot(2, 1)}}))
	if !m.Join(ctx, &add, ctxOf(dot(2, 1))) {
		t.Fatal("joining an add of h.f reported no change")
	}
	ctx.Merge(ctxOf(dot(2, 1)))
	inner, _ := m.Get("h")
	if got := inner.Keys(); !slices.Equal(got, []string{"f", "g"}) {
		t.Fatalf("h holds %v, want [f g]", got)
	}

	var empty hash // a full state that has seen both adds and removed them
	if !m.Join(ctx, &empty, ctxOf(dot(1, 1), dot(2, 1))) {
		t.Fatal("joining the removal of every field reported no change")
	}
	if !m.IsEmpty() {
		t.Errorf("after every field's removal, keys %v remain", m.Keys())
	}
}
