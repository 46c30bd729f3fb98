package merge

import (
	"cmp"
	"maps"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// Store is the constraint on the values of a DotMap: a dot store (DotSet,
// DotFun, a DotMap, or a type built of them) used through its pointer type P.
type Store[V any] interface {
	*V
	// Join joins (other, otherCtx) into the receiver with the receiver's
	// context ctx, as DotSet.Join does, and reports whether it changed.
	Join(ctx *clock.CausalContext, other *V, otherCtx *clock.CausalContext) bool
	// IsEmpty reports whether the store holds no dot.
	IsEmpty() bool
	// Clone returns a deep copy.
	Clone() V
	// Equal reports whether two stores hold the same dots and values.
	Equal(other *V) bool
}

// DotMap maps keys to dot stores: the dot store of an observed-remove map
// (a set's members, a hash's fields, a keyspace's keys). A key is present
// while its store holds a dot; removing a key keeps nothing but the removed
// dots in the causal context.
//
// SUBTLE: a DotMap may be a delta. A delta names every key whose dots its
// context covers, keeping the keys whose stores it emptied as empty entries,
// so joining a delta visits only the keys it names: O(k · cost of one store
// join) for a delta of k keys, whatever the size of the receiver. A full
// state names only its live keys, so joining one visits every key of both.
// Mutators that build deltas call MarkDelta on them and must name every key
// whose dots they put in the delta's context.
//
// The zero value is an empty full state. A DotMap is not safe for
// concurrent mutation.
type DotMap[K cmp.Ordered, V any, P Store[V]] struct {
	m     map[K]V
	delta bool
}

// MarkDelta marks m as a delta (see the type's doc).
func (m *DotMap[K, V, P]) MarkDelta() { m.delta = true }

// IsDelta reports whether m is a delta.
func (m *DotMap[K, V, P]) IsDelta() bool { return m.delta }

// Len returns the number of entries; in a delta this counts removed keys it
// names.
func (m *DotMap[K, V, P]) Len() int { return len(m.m) }

// Get returns the store for k, or (zero, false) if there is none. The store
// shares memory with m: modify it only through Set.
func (m *DotMap[K, V, P]) Get(k K) (V, bool) {
	v, ok := m.m[k]
	return v, ok
}

// Set stores v under k. An empty v is kept only in a delta (as the mark of
// a removed key); in a full state it deletes k.
func (m *DotMap[K, V, P]) Set(k K, v V) {
	if P(&v).IsEmpty() && !m.delta {
		delete(m.m, k)
		return
	}
	if m.m == nil {
		m.m = make(map[K]V)
	}
	m.m[k] = v
}

// Delete removes k's entry.
func (m *DotMap[K, V, P]) Delete(k K) { delete(m.m, k) }

// All calls yield for each entry, in no particular order.
func (m *DotMap[K, V, P]) All(yield func(K, V) bool) {
	for k, v := range m.m {
		if !yield(k, v) {
			return
		}
	}
}

// Keys returns the keys in ascending order. O(n log n).
func (m *DotMap[K, V, P]) Keys() []K { return slices.Sorted(maps.Keys(m.m)) }

// Clone returns a deep copy of m. O(n).
func (m *DotMap[K, V, P]) Clone() DotMap[K, V, P] {
	out := DotMap[K, V, P]{delta: m.delta}
	if len(m.m) > 0 {
		out.m = make(map[K]V, len(m.m))
		for k, v := range m.m {
			out.m[k] = P(&v).Clone()
		}
	}
	return out
}

// Equal reports whether m and o hold the same entries and are both deltas
// or both full states.
func (m *DotMap[K, V, P]) Equal(o *DotMap[K, V, P]) bool {
	if m.delta != o.delta || len(m.m) != len(o.m) {
		return false
	}
	for k, v := range m.m {
		ov, ok := o.m[k]
		if !ok || !P(&v).Equal(&ov) {
			return false
		}
	}
	return true
}

// Join joins (o, octx) into (m, ctx) key by key and reports whether m
// changed. If o is a delta it visits only o's keys; otherwise it visits
// every key of m and o. m stays a delta only if both were. The contexts are
// not modified; the caller merges octx into ctx afterwards.
func (m *DotMap[K, V, P]) Join(ctx *clock.CausalContext, o *DotMap[K, V, P], octx *clock.CausalContext) bool {
	wasDelta := m.delta
	m.delta = m.delta && o.delta
	changed := wasDelta != m.delta
	for k, ov := range o.m {
		v, had := m.m[k]
		if P(&v).Join(ctx, &ov, octx) {
			changed = true
		}
		m.Set(k, v)
		if _, has := m.m[k]; has != had {
			changed = true
		}
	}
	if o.delta {
		return changed
	}
	// A full state removes every key of m whose dots octx covers; and a
	// delta that became full drops its marks of removed keys.
	var empty V
	for k, v := range m.m {
		if _, named := o.m[k]; named {
			continue
		}
		if P(&v).Join(ctx, &empty, octx) {
			changed = true
		}
		m.Set(k, v)
		if _, has := m.m[k]; !has {
			changed = true
		}
	}
	return changed
}

// IsEmpty reports whether m has no entry, so a DotMap can be the store of
// another DotMap.
func (m *DotMap[K, V, P]) IsEmpty() bool { return len(m.m) == 0 }
