package register

import (
	"strconv"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
)

// LWW is a last-writer-wins register of binary-safe strings: the value of a
// Redis string key, written by SET, APPEND, SETRANGE and GETSET (APPEND and
// SETRANGE write the whole new value).
//
// Conflict rule: of concurrent writes, the one with the greatest clock.Stamp
// (HLC timestamp, then writer replica ID) reads back, on every replica. A
// write that has seen another replaces it whatever their timestamps, so a
// causally later write wins even against a clock that runs ahead. DEL
// (Clear) removes only the writes it has seen: DEL ‖ SET leaves the SET.
//
// Every concurrent write is kept as an entry, not just the winner (see the
// package doc), so a register holds one entry per write no later write has
// seen; reads cost O(entries).
//
// The zero value is an empty register ready to use. An LWW is not safe for
// concurrent mutation.
type LWW struct {
	reg multi[Entry]
}

// Entry is one write held by an LWW: its HLC timestamp and the value
// written. The writer's replica ID is the replica of the entry's dot.
type Entry struct {
	Time  clock.Timestamp
	Value string // binary-safe
}

var _ merge.State[*LWW] = (*LWW)(nil)

// lwwTag is the type tag of the LWW encoding.
const lwwTag = 'L'

var lwwCodec = codec[Entry]{
	name:    "lww register",
	tag:     lwwTag,
	minSize: 2, // a one-byte timestamp and an empty string
	append: func(b []byte, e Entry) []byte {
		b = wire.AppendUvarint(b, uint64(e.Time))
		return wire.AppendString(b, e.Value)
	},
	read: func(r *wire.Reader) Entry {
		return Entry{Time: clock.Timestamp(r.Uvarint()), Value: r.String()}
	},
	format: func(e Entry) string {
		return strconv.Quote(e.Value) + "@" + e.Time.String()
	},
}

// NewLWW returns an empty register: Get reports no value.
func NewLWW() *LWW { return &LWW{} }

// Set returns the delta of writing v at at, after applying it to r: Redis
// SET. The write replaces every entry r holds (their dots stay in r's
// context) with one entry (at.Time, v) under a fresh dot of at.Replica,
// which is the writer. at.Time should come from the writer's HLC, after it
// has observed the timestamps of the entries r holds. O(entries).
func (r *LWW) Set(at clock.Stamp, v string) *LWW {
	return &LWW{reg: r.reg.write(at.Replica, Entry{Time: at.Time, Value: v})}
}

// Clear returns the delta of deleting the value, after applying it to r:
// Redis DEL. It removes every entry r holds, so a concurrent Set on another
// replica survives the merge (observed remove). The delta holds no entry;
// its context holds the removed dots and one fresh dot of id, so that it
// carries its origin's dot like every other delta. O(entries).
func (r *LWW) Clear(id clock.ReplicaID) *LWW {
	_, delta := r.reg.removeAll(id)
	return &LWW{reg: delta}
}

// Get returns the value of the winning entry, the one with the greatest
// Stamp (timestamp, then writer replica ID), or ("", false) if r holds no
// entry. Redis GET. O(entries); it does not allocate.
func (r *LWW) Get() (string, bool) {
	e, _, ok := r.winner()
	return e.Value, ok
}

// Stamp returns the stamp of the winning entry (its timestamp and writer),
// or (zero, false) if r holds no entry. O(entries).
func (r *LWW) Stamp() (clock.Stamp, bool) {
	_, s, ok := r.winner()
	return s, ok
}

// winner returns the entry with the greatest stamp. Two entries share a
// stamp only if one replica wrote twice at one timestamp without seeing its
// own first write (a shared replica ID); then the greater dot wins, so every
// replica still picks the same entry.
func (r *LWW) winner() (Entry, clock.Stamp, bool) {
	var (
		best  Entry
		stamp clock.Stamp
		found bool
	)
	for d, e := range r.reg.vals.All {
		s := clock.Stamp{Time: e.Time, Replica: d.Replica}
		// Entries come in ascending dot order, so ">=" lets the greater
		// dot win a tie.
		if !found || s.Compare(stamp) >= 0 {
			best, stamp, found = e, s, true
		}
	}
	return best, stamp, found
}

// Merge joins other into r and reports whether r changed. Entries other's
// context has seen removed leave r; entries r's context has not seen join
// it; no entry is dropped for losing. other is not modified. O(entries of
// both + size of other's context).
func (r *LWW) Merge(other *LWW) bool { return r.reg.merge(&other.reg) }

// Clone returns a deep copy of r.
func (r *LWW) Clone() *LWW { return &LWW{reg: r.reg.clone()} }

// Equal reports whether r and other hold the same entries and contexts, the
// condition for equal encodings.
func (r *LWW) Equal(other *LWW) bool { return r.reg.equal(&other.reg) }

// AppendBinary appends the canonical encoding of r to b and returns the
// extended slice: tag 'L', version 1, the causal context as a
// length-prefixed byte string, then the entries in ascending dot order. It
// never fails.
func (r *LWW) AppendBinary(b []byte) ([]byte, error) {
	return r.reg.appendBinary(b, &lwwCodec), nil
}

// UnmarshalBinary replaces r with the register encoded in data. It returns
// an error wrapping ErrMalformed, leaving r as it was, if data is not an
// encoding of an LWW: a bad header or context, dots not strictly ascending,
// a dot outside the context, a truncated entry or trailing bytes. Every
// allocation is bounded by len(data).
func (r *LWW) UnmarshalBinary(data []byte) error {
	reg, err := unmarshal(data, &lwwCodec)
	if err != nil {
		return err
	}
	r.reg = reg
	return nil
}

// String formats r as its context, then its entries in dot order, each as
// dot:"value"@timestamp: {1:2 2:1} [1.2:"b"@1000.0 2.1:"c"@999.3].
func (r *LWW) String() string { return r.reg.string(&lwwCodec) }
