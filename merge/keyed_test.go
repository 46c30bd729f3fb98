package merge_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// keyed is a KeyedStore for tests: a key and its dots behind a pointer.
type keyed struct{ r *keyedRec }

type keyedRec struct {
	key  string
	dots merge.DotSet
}

func newKeyed(key string, dots ...clock.Dot) keyed {
	r := &keyedRec{key: key}
	for _, d := range dots {
		r.dots.Add(d)
	}
	return keyed{r}
}

func (s *keyed) Key() string { return s.r.key }

func (s *keyed) IsEmpty() bool { return s.r == nil || s.r.dots.IsEmpty() }

func (s *keyed) Clone() keyed {
	if s.r == nil {
		return keyed{}
	}
	return keyed{&keyedRec{key: s.r.key, dots: s.r.dots.Clone()}}
}

func (s *keyed) Equal(o *keyed) bool {
	if s.r == nil || o.r == nil {
		return s.IsEmpty() && o.IsEmpty()
	}
	return s.r.key == o.r.key && s.r.dots.Equal(&o.r.dots)
}

func (s *keyed) Join(ctx *clock.CausalContext, o *keyed, octx *clock.CausalContext) bool {
	var none merge.DotSet
	other := &none
	if o.r != nil {
		other = &o.r.dots
	}
	if s.r == nil {
		if o.r == nil {
			return false
		}
		s.r = &keyedRec{key: o.r.key}
	}
	return s.r.dots.Join(ctx, other, octx)
}

type keyedMap = merge.KeyedDotMap[keyed, *keyed]

// TestKeyedDotMapAgainstMap drives a KeyedDotMap and a Go map with the same
// random sets and deletes over a small key space, so the table grows,
// fills with tombstones and sweeps them, and compares every read.
func TestKeyedDotMapAgainstMap(t *testing.T) {
	for _, keys := range []int{1, 2, 9, 300, 5000} {
		t.Run(fmt.Sprint(keys), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(keys), 7))
			var m keyedMap
			model := map[string]uint64{}
			seq := uint64(0)
			for step := range 40_000 {
				k := fmt.Sprint("k", rng.IntN(keys))
				switch rng.IntN(3) {
				case 0, 1:
					seq++
					m.Set(k, newKeyed(k, clock.Dot{Replica: 1, Seq: seq}))
					model[k] = seq
				case 2:
					m.Delete(k)
					delete(model, k)
				}
				if step%997 == 0 || keys < 10 {
					checkKeyed(t, &m, model)
					c := m.Clone()
					checkKeyed(t, &c, model)
					if !c.Equal(&m) {
						t.Fatal("a clone is not Equal to its original")
					}
				}
			}
			// Delete everything through All, as a full-state join does.
			for k := range m.All {
				m.Delete(k)
			}
			checkKeyed(t, &m, map[string]uint64{})
		})
	}
}

func checkKeyed(t *testing.T, m *keyedMap, model map[string]uint64) {
	t.Helper()
	if m.Len() != len(model) {
		t.Fatalf("Len = %d, want %d", m.Len(), len(model))
	}
	if got, want := m.Keys(), slices.Sorted(maps.Keys(model)); !slices.Equal(got, want) {
		t.Fatalf("Keys = %v, want %v", got, want)
	}
	for k, seq := range model {
		v, ok := m.Get(k)
		if !ok || v.r.key != k || !v.r.dots.Contains(clock.Dot{Replica: 1, Seq: seq}) {
			t.Fatalf("Get(%q) = %+v, %v; want the store of dot %d", k, v.r, ok, seq)
		}
	}
	if _, ok := m.Get("absent"); ok {
		t.Fatal("Get of an absent key found an entry")
	}
}

// TestKeyedDotMapJoinLikeDotMap joins random deltas and full states into
// a KeyedDotMap and a DotMap of the same dots and checks they agree.
func TestKeyedDotMapJoinLikeDotMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	random := func(delta bool) (keyedMap, setMap, clock.CausalContext) {
		var km keyedMap
		var sm setMap
		var ctx clock.CausalContext
		if delta {
			km.MarkDelta()
			sm.MarkDelta()
		}
		for range rng.IntN(12) {
			k := fmt.Sprint("k", rng.IntN(10))
			d := clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(3)), Seq: uint64(1 + rng.IntN(6))}
			ctx.Add(d)
			if rng.IntN(4) == 0 && delta {
				km.Set(k, newKeyed(k)) // a removed key a delta names
				sm.Set(k, merge.DotSet{})
				continue
			}
			v, _ := sm.Get(k)
			v.Add(d)
			sm.Set(k, v)
			kv, ok := km.Get(k)
			if !ok {
				kv = newKeyed(k)
			}
			kv.r.dots.Add(d)
			km.Set(k, kv)
		}
		return km, sm, ctx
	}
	for range 3000 {
		km, sm, ctx := random(rng.IntN(2) == 0)
		okm, osm, octx := random(rng.IntN(2) == 0)
		kc := ctx.Clone()
		gotChanged := km.Join(&kc, &okm, &octx)
		wantChanged := sm.Join(&ctx, &osm, &octx)
		if gotChanged != wantChanged {
			t.Fatalf("Join changed = %v, DotMap says %v", gotChanged, wantChanged)
		}
		if km.IsDelta() != sm.IsDelta() || km.Len() != sm.Len() {
			t.Fatalf("after Join: delta %v len %d, DotMap: delta %v len %d", km.IsDelta(), km.Len(), sm.IsDelta(), sm.Len())
		}
		for k, v := range sm.All {
			kv, ok := km.Get(k)
			if !ok || !slices.Equal(slices.Collect(kv.r.dots.All), slices.Collect(v.All)) {
				t.Fatalf("key %q: keyed map holds %v, DotMap %v", k, kv.r, slices.Collect(v.All))
			}
		}
	}
}
