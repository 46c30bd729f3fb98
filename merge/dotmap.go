package merge

import (
	"cmp"
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
// whose dots they put in the delta's context. Only the outermost DotMap of a
// delta is marked: a DotMap nested as a store stays a full state, or joins
// of deltas would depend on their order.
//
// The zero value is an empty full state. A DotMap is not safe for
// concurrent mutation.
type DotMap[K cmp.Ordered, V any, P Store[V]] struct {
	// A map of one entry (every one-key delta) is held inline, without
	// allocating: while m is nil, single reports whether (k1, v1) is an
	// entry.
	m      map[K]V
	k1     K
	v1     V
	single bool
	delta  bool
	// work and other hold the stores one step of Join or Set operates on.
	// Calls through P need addressable stores, and taking the address of a
	// local moves it to the heap on every call; these fields live wherever
	// the DotMap does. They are zero between calls.
	work, other V
}

// MarkDelta marks m as a delta (see the type's doc).
func (m *DotMap[K, V, P]) MarkDelta() { m.delta = true }

// IsDelta reports whether m is a delta.
func (m *DotMap[K, V, P]) IsDelta() bool { return m.delta }

// Len returns the number of entries; in a delta this counts removed keys it
// names.
func (m *DotMap[K, V, P]) Len() int {
	if m.single {
		return 1
	}
	return len(m.m)
}

// Get returns the store for k, or (zero, false) if there is none. The store
// shares memory with m: modify it only through Set.
func (m *DotMap[K, V, P]) Get(k K) (V, bool) {
	if m.single && m.k1 == k {
		return m.v1, true
	}
	v, ok := m.m[k]
	return v, ok
}

// Set stores v under k. An empty v is kept only in a delta (as the mark of
// a removed key); in a full state it deletes k.
func (m *DotMap[K, V, P]) Set(k K, v V) {
	if m.isEmpty(v) && !m.delta {
		m.Delete(k)
		return
	}
	switch {
	case m.m != nil:
		m.m[k] = v
	case !m.single || m.k1 == k:
		m.k1, m.v1, m.single = k, v, true
	default:
		m.m = map[K]V{m.k1: m.v1, k: v}
		m.dropSingle()
	}
}

// Delete removes k's entry.
func (m *DotMap[K, V, P]) Delete(k K) {
	if m.single && m.k1 == k {
		m.dropSingle()
		return
	}
	delete(m.m, k)
}

// isEmpty reports whether v holds no dot. It calls IsEmpty on a field of m
// (see work), so v does not escape.
func (m *DotMap[K, V, P]) isEmpty(v V) bool {
	var zero V
	m.work = v
	empty := P(&m.work).IsEmpty()
	m.work = zero
	return empty
}

func (m *DotMap[K, V, P]) dropSingle() {
	var zk K
	var zv V
	m.k1, m.v1, m.single = zk, zv, false
}

// All calls yield for each entry, in no particular order. The loop body may
// Set or Delete the key it was given, and no other.
func (m *DotMap[K, V, P]) All(yield func(K, V) bool) {
	if m.single {
		yield(m.k1, m.v1)
		return
	}
	for k, v := range m.m {
		if !yield(k, v) {
			return
		}
	}
}

// Keys returns the keys in ascending order. O(n log n).
func (m *DotMap[K, V, P]) Keys() []K {
	keys := make([]K, 0, m.Len())
	for k := range m.All {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Clone returns a deep copy of m. O(n).
func (m *DotMap[K, V, P]) Clone() DotMap[K, V, P] {
	out := DotMap[K, V, P]{delta: m.delta}
	if m.single {
		out.k1, out.v1, out.single = m.k1, P(&m.v1).Clone(), true
	}
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
	return m.delta == o.delta && m.Len() == o.Len() && equalEntries[V, P, K](m, o)
}

// entries is what equalEntries needs of a map of dot stores.
type entries[K comparable, V any] interface {
	Get(k K) (V, bool)
	All(yield func(K, V) bool)
}

// equalEntries reports whether every entry of m is in o with an equal
// store; with equal lengths, whether they hold the same entries.
func equalEntries[V any, P Store[V], K comparable, M entries[K, V]](m, o M) bool {
	for k, v := range m.All {
		ov, ok := o.Get(k)
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
//
// KeyedDotMap.Join is this algorithm over its own table. It is not shared
// through a generic function because calls through a type parameter's
// method set make the loop bodies' closures escape: the join would
// allocate.
func (m *DotMap[K, V, P]) Join(ctx *clock.CausalContext, o *DotMap[K, V, P], octx *clock.CausalContext) bool {
	wasDelta := m.delta
	m.delta = m.delta && o.delta
	changed := wasDelta != m.delta
	for k, ov := range o.All {
		v, had := m.Get(k)
		if m.joinKey(k, v, had, ov, ctx, octx) {
			changed = true
		}
	}
	if o.delta {
		return changed
	}
	// A full state removes every key of m whose dots octx covers; and a
	// delta that became full drops its marks of removed keys.
	var empty V
	for k, v := range m.All {
		if _, named := o.Get(k); named {
			continue
		}
		if m.joinKey(k, v, true, empty, ctx, octx) {
			changed = true
		}
	}
	return changed
}

// joinKey joins ov into v, the store of k (had: k had an entry), stores the
// result and reports whether the entry changed.
func (m *DotMap[K, V, P]) joinKey(k K, v V, had bool, ov V, ctx, octx *clock.CausalContext) bool {
	var zero V
	m.work, m.other = v, ov
	changed := P(&m.work).Join(ctx, &m.other, octx)
	v = m.work
	m.work, m.other = zero, zero
	m.Set(k, v)
	if _, has := m.Get(k); has != had {
		changed = true
	}
	return changed
}

// IsEmpty reports whether m has no entry, so a DotMap can be the store of
// another DotMap.
func (m *DotMap[K, V, P]) IsEmpty() bool { return m.Len() == 0 }
