package register

import (
	"math"
	"strconv"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
)

// TTL is the expiry of one key: a multi-value register of absolute
// deadlines and PERSIST markers, written by Redis EXPIRE, PEXPIRE,
// EXPIREAT, PEXPIREAT and PERSIST, and reset by a write that clears the TTL
// (SET without KEEPTTL) or by DEL.
//
// Conflict rule: of concurrent expires, the longest (the greatest absolute
// deadline) wins, whatever their timestamps; a PERSIST beats every
// concurrent expire; a reset removes only the expires and persists it has
// seen, so Reset ‖ EXPIRE leaves the EXPIRE. Every write replaces the
// entries its replica has seen, so a causally later EXPIRE may shorten a
// TTL.
//
// Every concurrent write is kept as an entry (see the package doc); reads
// cost O(entries).
//
// The zero value is a register with no TTL, ready to use. A TTL is not
// safe for concurrent mutation.
type TTL struct {
	reg multi[Expiry]
}

// Expiry is one write held by a TTL: an absolute deadline in Unix
// milliseconds, or, with Persist set, a PERSIST marker (AtMillis is then 0).
type Expiry struct {
	AtMillis int64
	Persist  bool
}

var _ merge.State[*TTL] = (*TTL)(nil)

// ttlTag is the type tag of the TTL encoding.
const ttlTag = 'T'

var ttlCodec = codec[Expiry]{
	name:    "ttl register",
	tag:     ttlTag,
	minSize: 2, // a flag byte and a one-byte deadline
	append: func(b []byte, e Expiry) []byte {
		b = wire.AppendBool(b, e.Persist)
		return wire.AppendVarint(b, e.AtMillis)
	},
	read: func(r *wire.Reader) Expiry {
		e := Expiry{Persist: r.Bool(), AtMillis: r.Varint()}
		if e.Persist && e.AtMillis != 0 {
			r.Fail("ttl register: persist entry with a deadline")
		}
		return e
	},
	format: func(e Expiry) string {
		if e.Persist {
			return "persist"
		}
		return strconv.FormatInt(e.AtMillis, 10)
	},
}

// NewTTL returns a register with no TTL: Deadline reports none.
func NewTTL() *TTL { return &TTL{} }

// Expire returns the delta of setting the key's deadline to atMillis
// (absolute, Unix milliseconds), after applying it to t: Redis EXPIRE,
// PEXPIRE, EXPIREAT and PEXPIREAT, with relative times converted by the
// caller. The write replaces every entry t holds with one deadline under a
// fresh dot of id, the writing replica; concurrent deadlines survive the
// merge and the greatest one counts. O(entries).
func (t *TTL) Expire(id clock.ReplicaID, atMillis int64) *TTL {
	return &TTL{reg: t.reg.write(id, Expiry{AtMillis: atMillis})}
}

// Persist returns the delta of removing the key's TTL, after applying it to
// t: Redis PERSIST. The write replaces every entry t holds with a PERSIST
// marker under a fresh dot of id, which beats every concurrent Expire on
// every replica until a write that has seen it replaces it. O(entries).
func (t *TTL) Persist(id clock.ReplicaID) *TTL {
	return &TTL{reg: t.reg.write(id, Expiry{Persist: true})}
}

// Reset returns the delta of removing every expire and PERSIST t holds,
// after applying it to t: the TTL side of a write that resets it (SET
// without KEEPTTL) and of DEL. Only what t has seen is removed, so an
// EXPIRE concurrent with the reset survives it. The delta holds no entry;
// its context holds the removed dots and one fresh dot of id. O(entries).
func (t *TTL) Reset(id clock.ReplicaID) *TTL {
	_, delta := t.reg.removeAll(id)
	return &TTL{reg: delta}
}

// Deadline returns the resolved deadline in Unix milliseconds: the greatest
// deadline among the entries, or (0, false) if t holds no entry or holds a
// PERSIST marker. O(entries); it does not allocate.
func (t *TTL) Deadline() (atMillis int64, ok bool) {
	for _, e := range t.reg.vals.All {
		if e.Persist {
			return 0, false
		}
		if !ok || e.AtMillis > atMillis {
			atMillis, ok = e.AtMillis, true
		}
	}
	return atMillis, ok
}

// Expired reports whether the deadline has passed at nowMillis (Unix
// milliseconds): t has a deadline and nowMillis > deadline, as Redis
// decides. A key whose TTL has expired reads as missing. O(entries).
func (t *TTL) Expired(nowMillis int64) bool {
	at, ok := t.Deadline()
	return ok && nowMillis > at
}

// Remaining returns the Redis PTTL reply at nowMillis (Unix milliseconds)
// for a key whose expiry is t: -1 if t has no deadline, -2 if the deadline
// has passed (Expired; the key reads as missing), otherwise the
// milliseconds left, deadline − nowMillis ≥ 0, capped at math.MaxInt64.
// The caller answers -2 itself for a key that does not exist. O(entries).
func (t *TTL) Remaining(nowMillis int64) int64 {
	at, ok := t.Deadline()
	switch {
	case !ok:
		return -1
	case nowMillis > at:
		return -2
	}
	if left := at - nowMillis; left >= 0 {
		return left
	}
	return math.MaxInt64 // at − nowMillis overflowed
}

// Merge joins other into t and reports whether t changed. Entries other's
// context has seen removed leave t; entries t's context has not seen join
// it; no entry is dropped for losing. other is not modified. O(entries of
// both + size of other's context).
func (t *TTL) Merge(other *TTL) bool { return t.reg.merge(&other.reg) }

// Clone returns a deep copy of t.
func (t *TTL) Clone() *TTL { return &TTL{reg: t.reg.clone()} }

// Equal reports whether t and other hold the same entries and contexts, the
// condition for equal encodings.
func (t *TTL) Equal(other *TTL) bool { return t.reg.equal(&other.reg) }

// AppendBinary appends the canonical encoding of t to b and returns the
// extended slice: tag 'T', version 1, the causal context as a
// length-prefixed byte string, then the entries in ascending dot order,
// each a persist flag and a zig-zag deadline. It never fails.
func (t *TTL) AppendBinary(b []byte) ([]byte, error) {
	return t.reg.appendBinary(b, &ttlCodec), nil
}

// UnmarshalBinary replaces t with the register encoded in data. It returns
// an error wrapping ErrMalformed, leaving t as it was, if data is not an
// encoding of a TTL: a bad header or context, dots not strictly ascending,
// a dot outside the context, a persist flag other than 0 or 1, a PERSIST
// marker with a deadline, a truncated entry or trailing bytes. Every
// allocation is bounded by len(data).
func (t *TTL) UnmarshalBinary(data []byte) error {
	reg, err := unmarshal(data, &ttlCodec)
	if err != nil {
		return err
	}
	t.reg = reg
	return nil
}

// String formats t as its context, then its entries in dot order, each as
// dot:deadline or dot:persist: {1:2 2:1} [1.2:1700000000000 2.1:persist].
func (t *TTL) String() string { return t.reg.string(&ttlCodec) }
