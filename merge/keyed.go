package merge

import (
	"hash/maphash"
	"math/bits"
	"runtime"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// KeyedStore is the constraint on the values of a KeyedDotMap: a Store
// (through its pointer type) whose value is comparable, whose zero value is
// the empty store and names no key, and which knows the key it is held
// under.
type KeyedStore[V comparable] interface {
	Store[V]
	// Key returns the key the store is held under. It is called only on
	// stores that are not the zero value.
	Key() string
}

// KeyedDotMap is a DotMap with string keys for stores that carry their
// own key, such as a pointer to a record that holds it (a sorted set's
// member entries). It joins exactly as DotMap does but keeps only the
// stores, in an open-addressing hash table: a pointer-sized store costs 9
// bytes a slot at a load of 7/12 to 7/8 (the table grows by 4/3 and 3/2 in
// turn), where a Go map would hold the key's string header beside each
// value and grow by doubling. Like a Go map, the table does not shrink when
// keys are deleted.
//
// The zero value is an empty full state. A KeyedDotMap is not safe for
// concurrent mutation.
type KeyedDotMap[V comparable, P KeyedStore[V]] struct {
	t     keyedTable[V, P]
	delta bool
	// work and other serve joinKey as DotMap's fields of those names do.
	work, other V
}

// MarkDelta marks m as a delta (see DotMap).
func (m *KeyedDotMap[V, P]) MarkDelta() { m.delta = true }

// IsDelta reports whether m is a delta.
func (m *KeyedDotMap[V, P]) IsDelta() bool { return m.delta }

// Len returns the number of entries; in a delta this counts removed keys it
// names. O(1).
func (m *KeyedDotMap[V, P]) Len() int { return m.t.len() }

// Get returns the store for k, or (zero, false) if there is none. The
// store shares memory with m: modify it only through Set. O(1) expected.
func (m *KeyedDotMap[V, P]) Get(k string) (V, bool) { return m.t.get(k) }

// Set stores v, whose key is k, under k. An empty v is kept only in a delta
// (as the mark of a removed key); in a full state, and whatever the mode
// if v is the zero value, it deletes k. O(1) amortized.
func (m *KeyedDotMap[V, P]) Set(k string, v V) { m.store(k, v) }

// store is Set, reporting whether k now has an entry.
func (m *KeyedDotMap[V, P]) store(k string, v V) bool {
	var zero V
	if v == zero || (!m.delta && m.isEmpty(v)) {
		m.t.remove(k)
		return false
	}
	m.t.put(k, v)
	return true
}

// Delete removes k's entry. O(1) expected.
func (m *KeyedDotMap[V, P]) Delete(k string) { m.t.remove(k) }

// isEmpty is DotMap.isEmpty.
func (m *KeyedDotMap[V, P]) isEmpty(v V) bool {
	var zero V
	m.work = v
	empty := P(&m.work).IsEmpty()
	m.work = zero
	return empty
}

// All calls yield for each entry, in no particular order. The loop body may
// Set or Delete the key it was given, and no other.
func (m *KeyedDotMap[V, P]) All(yield func(string, V) bool) { m.t.all(yield) }

// Keys returns the keys in ascending order. O(n log n).
func (m *KeyedDotMap[V, P]) Keys() []string {
	keys := make([]string, 0, m.Len())
	for k := range m.All {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Clone returns a deep copy of m. O(n).
func (m *KeyedDotMap[V, P]) Clone() KeyedDotMap[V, P] {
	return KeyedDotMap[V, P]{t: m.t.clone(), delta: m.delta}
}

// Equal reports whether m and o hold the same entries and are both deltas
// or both full states. O(n).
func (m *KeyedDotMap[V, P]) Equal(o *KeyedDotMap[V, P]) bool {
	return m.delta == o.delta && m.Len() == o.Len() && equalEntries[V, P](m, o)
}

// Join joins (o, octx) into (m, ctx) key by key, as DotMap.Join does, and
// reports whether m changed: O(k) for a delta of k keys, O(n + m) for a
// full state.
func (m *KeyedDotMap[V, P]) Join(ctx *clock.CausalContext, o *KeyedDotMap[V, P], octx *clock.CausalContext) bool {
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

// joinKey is DotMap.joinKey.
func (m *KeyedDotMap[V, P]) joinKey(k string, v V, had bool, ov V, ctx, octx *clock.CausalContext) bool {
	var zero V
	m.work, m.other = v, ov
	changed := P(&m.work).Join(ctx, &m.other, octx)
	v = m.work
	m.work, m.other = zero, zero
	return m.store(k, v) != had || changed
}

// IsEmpty reports whether m has no entry.
func (m *KeyedDotMap[V, P]) IsEmpty() bool { return m.Len() == 0 }

// tableSeed seeds the hash of every keyedTable. One seed for the process
// lets a clone copy a table slot for slot.
var tableSeed = maphash.MakeSeed()

// Control bytes of a keyedTable slot: empty, a removed entry's tombstone,
// or tagFull with the low 7 bits of the key's hash.
const (
	ctrlEmpty = 0
	ctrlDead  = 1
	tagFull   = 0x80
)

// keyedTable is an open-addressing hash table with linear probing of
// stores that carry their keys. One entry is held inline (while slots is
// nil), so a one-key delta allocates nothing for its table. Its sizes are
// 8·2^k and 12·2^k, and a hash maps to a slot by multiplication, not by
// masking.
type keyedTable[V comparable, P KeyedStore[V]] struct {
	one V // the entry while big is nil; zero: none
	// big holds the entries once there are two. A pointer keeps the
	// table, and every delta's map, two words long.
	big *slotArrays[V]
}

// slotArrays are the slots of a keyedTable and their control bytes.
type slotArrays[V any] struct {
	ctrl  []uint8
	slots []V
	n     int // live entries
	dead  int // tombstones
}

func (t *keyedTable[V, P]) len() int {
	if t.big != nil {
		return t.big.n
	}
	var zero V
	if t.one != zero {
		return 1
	}
	return 0
}

// keyHash returns k's hash and its tag: the control byte of a slot that
// holds k.
func keyHash(k string) (h uint64, tag uint8) {
	h = maphash.String(tableSeed, k)
	return h, tagFull | uint8(h&0x7f)
}

// home returns the slot a probe for hash h starts at, from the hash's high
// bits (the tag takes the low ones).
func (t *keyedTable[V, P]) home(h uint64) int {
	hi, _ := bits.Mul64(h, uint64(len(t.big.slots)))
	return int(hi)
}

// find returns the slot holding k and true, or the slot k would take and
// false. slots must not be nil.
func (t *keyedTable[V, P]) find(k string) (int, bool) {
	h, tag := keyHash(k)
	return t.findHash(k, h, tag)
}

// findHash is find given k's hash and tag. The table always has an empty
// slot, so the probe ends.
func (t *keyedTable[V, P]) findHash(k string, h uint64, tag uint8) (int, bool) {
	ctrl, slots := t.big.ctrl, t.big.slots
	free := -1
	for i := t.home(h); ; i++ {
		if i == len(ctrl) {
			i = 0
		}
		switch c := ctrl[i]; {
		case c == tag:
			if P(&slots[i]).Key() == k {
				return i, true
			}
		case c == ctrlEmpty:
			if free < 0 {
				free = i
			}
			return free, false
		case c == ctrlDead:
			if free < 0 {
				free = i
			}
		}
	}
}

func (t *keyedTable[V, P]) get(k string) (V, bool) {
	var zero V
	if t.big == nil {
		if t.one != zero && P(&t.one).Key() == k {
			return t.one, true
		}
		return zero, false
	}
	if i, ok := t.find(k); ok {
		return t.big.slots[i], true
	}
	return zero, false
}

// put stores v under its key k, replacing k's entry if it has one.
func (t *keyedTable[V, P]) put(k string, v V) {
	var zero V
	if t.big == nil {
		if t.one == zero || P(&t.one).Key() == k {
			t.one = v
			return
		}
		t.resize(8)
		t.put(P(&t.one).Key(), t.one)
		t.one = zero
	}
	h, tag := keyHash(k)
	i, ok := t.findHash(k, h, tag)
	if ok {
		t.big.slots[i] = v
		return
	}
	if (t.big.n+t.big.dead+1)*8 > len(t.big.slots)*7 {
		size := len(t.big.slots)
		if (t.big.n+1)*12 > size*7 {
			// More than 7/12 live: grow, else only sweep tombstones.
			if size&(size-1) == 0 {
				size += size / 2
			} else {
				size += size / 3
			}
		}
		t.resize(size)
		i, _ = t.findHash(k, h, tag)
	}
	if t.big.ctrl[i] == ctrlDead {
		t.big.dead--
	}
	t.big.ctrl[i], t.big.slots[i] = tag, v
	t.big.n++
}

// rehashBatch is how many keys resize gathers before hashing them.
const rehashBatch = 32

// resize rehashes the live entries into size slots.
func (t *keyedTable[V, P]) resize(size int) {
	old := t.big
	t.big = &slotArrays[V]{ctrl: make([]uint8, size), slots: make([]V, size)}
	if old == nil {
		return
	}
	// Rehashing reads every key, and a key held behind a pointer costs a
	// cache miss or two: gather a batch of keys before hashing them, so
	// that the misses of a batch overlap rather than follow each other.
	var keys [rehashBatch]string
	var from [rehashBatch]int
	n := 0
	for i, c := range old.ctrl {
		if c&tagFull == 0 {
			continue
		}
		keys[n], from[n] = P(&old.slots[i]).Key(), i
		if n++; n == rehashBatch {
			t.rehash(keys[:n], from[:n], old.slots)
			n = 0
		}
	}
	t.rehash(keys[:n], from[:n], old.slots)
	t.big.n = old.n
}

// rehash puts src[from[j]], held under keys[j], into the slots of a table
// without tombstones that holds none of the keys; it leaves the count to
// the caller.
func (t *keyedTable[V, P]) rehash(keys []string, from []int, src []V) {
	// Load each key's first byte before hashing any: the loads are
	// independent, so the processor has them all in flight at once.
	var first byte
	for _, k := range keys {
		if len(k) > 0 {
			first |= k[0]
		}
	}
	runtime.KeepAlive(first) // keeps the loads
	ctrl, slots := t.big.ctrl, t.big.slots
	for j, k := range keys {
		h, tag := keyHash(k)
		i := t.home(h)
		for ctrl[i] != ctrlEmpty {
			if i++; i == len(ctrl) {
				i = 0
			}
		}
		ctrl[i], slots[i] = tag, src[from[j]]
	}
}

func (t *keyedTable[V, P]) remove(k string) {
	var zero V
	if t.big == nil {
		if t.one != zero && P(&t.one).Key() == k {
			t.one = zero
		}
		return
	}
	i, ok := t.find(k)
	if !ok {
		return
	}
	t.big.slots[i] = zero
	t.big.n--
	// A slot followed by an empty one ends no probe chain but its own.
	if next := i + 1; t.big.ctrl[next%len(t.big.ctrl)] == ctrlEmpty {
		t.big.ctrl[i] = ctrlEmpty
		return
	}
	t.big.ctrl[i] = ctrlDead
	t.big.dead++
}

func (t *keyedTable[V, P]) all(yield func(string, V) bool) {
	var zero V
	if t.big == nil {
		if t.one != zero {
			yield(P(&t.one).Key(), t.one)
		}
		return
	}
	b := t.big
	for i := range b.slots {
		if b.ctrl[i]&tagFull == 0 {
			continue
		}
		if !yield(P(&b.slots[i]).Key(), b.slots[i]) {
			return
		}
	}
}

// clone copies the table slot for slot, each store deep-copied.
func (t *keyedTable[V, P]) clone() keyedTable[V, P] {
	var zero V
	var out keyedTable[V, P]
	if t.one != zero {
		out.one = P(&t.one).Clone()
	}
	if b := t.big; b != nil {
		out.big = &slotArrays[V]{ctrl: slices.Clone(b.ctrl), slots: make([]V, len(b.slots)), n: b.n, dead: b.dead}
		for i := range b.slots {
			if b.ctrl[i]&tagFull != 0 {
				out.big.slots[i] = P(&b.slots[i]).Clone()
			}
		}
	}
	return out
}
