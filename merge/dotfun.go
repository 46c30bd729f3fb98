package merge

import (
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// DotFun maps dots to values: the dot store of a multi-value register, where
// each concurrent write keeps its own dot. A value never changes once
// written under a dot, so two replicas holding one dot hold the same value.
// Entries are kept sorted by dot; operations cost O(len), meant for the few
// entries concurrent writes leave. The zero value is empty.
type DotFun[V comparable] struct {
	entries []DotValue[V]
}

// DotValue is one entry of a DotFun.
type DotValue[V comparable] struct {
	Dot   clock.Dot
	Value V
}

// Len returns the number of entries.
func (f *DotFun[V]) Len() int { return len(f.entries) }

// IsEmpty reports whether f holds no entry.
func (f *DotFun[V]) IsEmpty() bool { return len(f.entries) == 0 }

// Get returns the value written under d, or (zero, false) if there is none.
func (f *DotFun[V]) Get(d clock.Dot) (V, bool) {
	i, ok := f.find(d)
	if !ok {
		var zero V
		return zero, false
	}
	return f.entries[i].Value, true
}

// Set writes v under d, replacing any value held for d.
func (f *DotFun[V]) Set(d clock.Dot, v V) {
	i, ok := f.find(d)
	if ok {
		f.entries[i].Value = v
		return
	}
	f.entries = slices.Insert(f.entries, i, DotValue[V]{Dot: d, Value: v})
}

// Clear removes every entry.
func (f *DotFun[V]) Clear() {
	clear(f.entries)
	f.entries = f.entries[:0]
}

// All calls yield for each entry in ascending dot order.
func (f *DotFun[V]) All(yield func(clock.Dot, V) bool) {
	for _, e := range f.entries {
		if !yield(e.Dot, e.Value) {
			return
		}
	}
}

// Clone returns a copy of f. Values are copied as Go values.
func (f *DotFun[V]) Clone() DotFun[V] { return DotFun[V]{entries: slices.Clone(f.entries)} }

// Equal reports whether f and o hold the same entries.
func (f *DotFun[V]) Equal(o *DotFun[V]) bool { return slices.Equal(f.entries, o.entries) }

// Join joins (o, octx) into (f, ctx) and reports whether f changed, by the
// rule of DotSet.Join applied to the dots; a dot held by both keeps f's
// value, which is o's too. The contexts are not modified. O(len(f) + len(o)).
func (f *DotFun[V]) Join(ctx *clock.CausalContext, o *DotFun[V], octx *clock.CausalContext) bool {
	kept := f.entries[:0]
	for _, e := range f.entries {
		if _, ok := o.find(e.Dot); ok || !octx.Contains(e.Dot) {
			kept = append(kept, e)
		}
	}
	changed := len(kept) != len(f.entries)
	clear(f.entries[len(kept):])
	f.entries = kept
	for _, e := range o.entries {
		if ctx.Contains(e.Dot) {
			continue
		}
		if i, ok := f.find(e.Dot); !ok {
			f.entries = slices.Insert(f.entries, i, e)
			changed = true
		}
	}
	return changed
}

func (f *DotFun[V]) find(d clock.Dot) (int, bool) {
	return slices.BinarySearchFunc(f.entries, d, func(e DotValue[V], d clock.Dot) int {
		return e.Dot.Compare(d)
	})
}
