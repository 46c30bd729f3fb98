// Package hash is the hash of Redis Active-Active databases: a map of fields
// to string values, changed by HSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT and
// DEL on every replica at once.
//
// # Conflict rules
//
// "‖" is concurrent: neither replica saw the other's write.
//
//	f=1; HDEL f ‖ HSET f 2     → f=2   add/update wins over a concurrent delete
//	f=1; HINCRBY f 1 ‖ +1      → f=3   increments add up
//	f=5; HDEL f ‖ HINCRBY f 2  → f=2   the delete cancels only what it saw
//	f=5; HSET f 7 ‖ HINCRBY 1  → f=8   HSET is a base; unseen increments add to it
//	HSET f a ‖ HSET f b        → the HSET with the greater clock.Stamp
//	f=x; HSET f abc ‖ HINCRBY  → f=abc a value that is not a number ignores
//	                                   concurrent increments (ours)
//
// # Model
//
// Which fields exist is an add-wins observed-remove set (package orset):
// every write of a field adds it, HDEL and DEL remove the adds they saw.
// Each field's value is a last-writer-wins string (register.LWW) holding the
// bytes HSET wrote, beside a counter (package counter) whose SET base is the
// number HSET wrote, if it wrote one, and whose increments are HINCRBY's and
// HINCRBYFLOAT's; HSET and HDEL cancel the increments they saw (observed
// reset). A field reads as its string when that is not a number or when no
// increment is live (so "3.0" reads back as "3.0"), and as the counter's
// value otherwise.
//
// HAZARD: the value state of a deleted field is kept, so that an increment
// made concurrently with the delete counts only what the delete did not see.
// A hash whose fields come and go grows until that state is purged once
// every replica has seen the delete; that purge is not written yet.
//
// # Divergence from Redis
//
// Floats are float64 and print in their shortest form ("0.30000000000000004"
// where Redis, computing in long double, prints "0.3"). A field made a float
// by HINCRBYFLOAT stays one until HSET or HDEL, so HINCRBY refuses it even
// when it reads as a whole number; Redis accepts it.
//
// The zero Hash is empty and ready to use. Reads of a Hash may run
// concurrently; a write must not run concurrently with anything.
package hash

import (
	"errors"
	"strconv"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/merge"
	"github.com/redcrdt/redcrdt/orset"
	"github.com/redcrdt/redcrdt/register"
)

// Errors returned by the increment commands; they leave the hash unchanged.
var (
	// ErrNotInteger is returned by IncrBy for a field whose value is not an
	// integer ("hash value is not an integer").
	ErrNotInteger = errors.New("hash: hash value is not an integer")
	// ErrNotFloat is returned by IncrByFloat for a field whose value is not
	// a number ("hash value is not a float").
	ErrNotFloat = errors.New("hash: hash value is not a float")
	// ErrNaN is returned by IncrByFloat when the increment or the result
	// would be NaN or infinite.
	ErrNaN = errors.New("hash: increment would produce NaN or Infinity")
	// ErrOverflow is returned by IncrBy when the result would overflow int64.
	ErrOverflow = errors.New("hash: increment or decrement would overflow")
)

// Hash is a replicated Redis hash. A Hash is a full state or a delta (the
// value a mutator returns); both merge the same way.
type Hash struct {
	fields orset.Set
	values map[string]*value
}

// value is one field's value state: the string HSET wrote, and the counter
// of its number and the increments since. A part is nil until an operation
// or a merged delta writes it, so replicas that merged the same deltas hold
// the same parts; a delta leaves out the part it does not change.
type value struct {
	str *register.LWW
	num *counter.Counter
}

var _ merge.State[*Hash] = (*Hash)(nil)

// New returns an empty hash.
func New() *Hash { return &Hash{} }

// Pair is one field and its value, as HSET takes them and HGETALL returns
// them.
type Pair struct {
	Field, Value string
}

// Set writes fields as replica at.Replica at time at.Time (HSET, HMSET) and
// returns the delta and the number of fields that did not exist. Each write
// replaces the field's string and, if the value is a number, the counter's
// base, and cancels the increments this replica has seen. A later pair for
// the same field wins, as in Redis. O(k) for k pairs.
func (h *Hash) Set(at clock.Stamp, pairs ...Pair) (delta *Hash, added int) {
	delta = &Hash{}
	fields := make([]string, 0, len(pairs))
	for _, p := range pairs {
		if _, seen := delta.values[p.Field]; !seen && !h.fields.Contains(p.Field) {
			added++
		}
		fields = append(fields, p.Field)
		v, dv := h.entry(p.Field), delta.entry(p.Field)
		dv.ensureStr().Merge(v.ensureStr().Set(at, p.Value))
		if n, ok := counter.ParseNumber(p.Value); ok {
			d, err := v.ensureNum().Set(at, n)
			if err != nil {
				panic("hash: ParseNumber returned a number counter.Set refuses: " + err.Error())
			}
			dv.ensureNum().Merge(d)
		} else if v.num != nil && v.num.Live() {
			dv.ensureNum().Merge(v.num.Reset(at.Replica))
		}
	}
	d, _ := h.fields.Add(at.Replica, fields...)
	delta.fields = *d
	return delta, added
}

// SetNX writes field only if it does not exist (HSETNX) and reports whether
// it wrote. The delta is empty when it did not. O(1).
func (h *Hash) SetNX(at clock.Stamp, field, val string) (delta *Hash, written bool) {
	if h.fields.Contains(field) {
		return emptyDelta(), false
	}
	delta, _ = h.Set(at, Pair{Field: field, Value: val})
	return delta, true
}

// emptyDelta returns a delta that changes nothing.
func emptyDelta() *Hash {
	d, _ := (&orset.Set{}).Remove() // an empty delta of the field set
	return &Hash{fields: *d}
}

// Del removes fields as replica id (HDEL) and returns the delta and the
// number of fields that existed. Only what this replica has seen is removed:
// a concurrent HSET or HINCRBY of the field survives. O(k).
func (h *Hash) Del(id clock.ReplicaID, fields ...string) (delta *Hash, removed int) {
	delta = &Hash{}
	var present []string
	for _, f := range fields {
		if _, seen := delta.values[f]; !seen && h.fields.Contains(f) {
			present = append(present, f)
			h.clearValue(id, f, delta)
		}
	}
	d, removed := h.fields.Remove(present...)
	delta.fields = *d
	return delta, removed
}

// Clear removes every field this replica has seen (DEL of the key) and
// returns the delta. O(n).
func (h *Hash) Clear(id clock.ReplicaID) *Hash {
	delta := &Hash{}
	for f := range h.fields.All() {
		h.clearValue(id, f, delta)
	}
	delta.fields = *h.fields.Clear()
	return delta
}

// clearValue cancels field f's string and counter into delta.
func (h *Hash) clearValue(id clock.ReplicaID, f string, delta *Hash) {
	v, dv := h.entry(f), delta.entry(f)
	if v.str != nil {
		dv.str = v.str.Clear(id)
	}
	if v.num != nil {
		dv.num = v.num.Reset(id)
	}
}

// IncrBy adds n to field's integer value as replica id (HINCRBY) and returns
// the delta and the new value. A missing field counts as 0. It refuses,
// changing nothing, a value that is not an integer (ErrNotInteger) and a
// result beyond int64 (ErrOverflow). The increment survives a concurrent
// HDEL and adds to a concurrent HSET of a number. O(1) plus the counter's
// cost.
func (h *Hash) IncrBy(id clock.ReplicaID, field string, n int64) (delta *Hash, result int64, err error) {
	if h.textValue(field) {
		return nil, 0, ErrNotInteger
	}
	num, err := h.increment(field, func(c *counter.Counter) (*counter.Counter, error) {
		d, err := c.IncrBy(id, n)
		switch {
		case errors.Is(err, counter.ErrOverflow):
			return nil, ErrOverflow
		case err != nil:
			return nil, ErrNotInteger
		}
		return d, nil
	})
	if err != nil {
		return nil, 0, err
	}
	return h.incrDelta(id, field, num), h.values[field].num.Int(), nil
}

// IncrByFloat adds f to field's value as replica id (HINCRBYFLOAT) and
// returns the delta and the new value. A missing field counts as 0. It
// refuses, changing nothing, a value that is not a number (ErrNotFloat) and
// an increment or result that is NaN or infinite (ErrNaN).
func (h *Hash) IncrByFloat(id clock.ReplicaID, field string, f float64) (delta *Hash, result float64, err error) {
	if h.textValue(field) {
		return nil, 0, ErrNotFloat
	}
	num, err := h.increment(field, func(c *counter.Counter) (*counter.Counter, error) {
		d, err := c.IncrByFloat(id, f)
		if err != nil {
			return nil, ErrNaN
		}
		return d, nil
	})
	if err != nil {
		return nil, 0, err
	}
	return h.incrDelta(id, field, num), h.values[field].num.Float(), nil
}

// textValue reports whether field exists and reads as a string that is not
// a number, which no increment accepts.
func (h *Hash) textValue(field string) bool {
	if !h.fields.Contains(field) {
		return false
	}
	s, numeric := h.values[field].resolve()
	if numeric {
		return false
	}
	_, isNum := counter.ParseNumber(s)
	return !isNum
}

// increment applies incr to field's counter and returns its delta; a
// refused increment stores nothing, not even an empty counter.
func (h *Hash) increment(field string, incr func(*counter.Counter) (*counter.Counter, error)) (*counter.Counter, error) {
	var num *counter.Counter
	if v := h.values[field]; v != nil {
		num = v.num
	}
	if num == nil {
		num = counter.New()
	}
	d, err := incr(num)
	if err != nil {
		return nil, err
	}
	h.entry(field).num = num
	return d, nil
}

// incrDelta records an increment's counter delta d and re-adds field so the
// increment wins over a concurrent HDEL.
func (h *Hash) incrDelta(id clock.ReplicaID, field string, d *counter.Counter) *Hash {
	fields, _ := h.fields.Add(id, field)
	return &Hash{fields: *fields, values: map[string]*value{field: {num: d}}}
}

// Get returns field's value (HGET), or ("", false) if it does not exist.
// O(1) plus the counter's read cost.
func (h *Hash) Get(field string) (string, bool) {
	if !h.fields.Contains(field) {
		return "", false
	}
	return h.values[field].read(), true
}

// read returns the value the field reads as (see the package doc).
func (v *value) read() string {
	s, numeric := v.resolve()
	if numeric {
		return v.num.String()
	}
	return s
}

// resolve returns the string the field reads as, or numeric true if it
// reads as its counter's value: when its string is a number (or there is
// none) and the counter holds increments beyond the string's number.
func (v *value) resolve() (s string, numeric bool) {
	if v == nil {
		return "", false
	}
	hasStr := false
	if v.str != nil {
		s, hasStr = v.str.Get()
	}
	if v.num == nil {
		return s, false
	}
	if !hasStr {
		return "", true
	}
	if _, isNum := counter.ParseNumber(s); !isNum {
		return s, false // not a number: concurrent increments do not apply
	}
	base, _ := v.num.Base()
	return s, v.num.Value() != base
}

// MGet returns the values of fields (HMGET), with ok false for missing ones.
// O(k).
func (h *Hash) MGet(fields ...string) (values []string, ok []bool) {
	values, ok = make([]string, len(fields)), make([]bool, len(fields))
	for i, f := range fields {
		values[i], ok[i] = h.Get(f)
	}
	return values, ok
}

// GetAll returns every field and value in ascending field order (HGETALL).
// O(n log n).
func (h *Hash) GetAll() []Pair {
	keys := h.fields.Members()
	out := make([]Pair, len(keys))
	for i, f := range keys {
		out[i] = Pair{Field: f, Value: h.values[f].read()}
	}
	return out
}

// Keys returns the fields in ascending order (HKEYS). O(n log n).
func (h *Hash) Keys() []string { return h.fields.Members() }

// Vals returns the values in ascending order of their fields (HVALS).
// O(n log n).
func (h *Hash) Vals() []string {
	keys := h.fields.Members()
	out := make([]string, len(keys))
	for i, f := range keys {
		out[i] = h.values[f].read()
	}
	return out
}

// Len returns the number of fields (HLEN). O(1).
func (h *Hash) Len() int { return h.fields.Len() }

// Exists reports whether field exists (HEXISTS). O(1).
func (h *Hash) Exists(field string) bool { return h.fields.Contains(field) }

// StrLen returns the length in bytes of field's value, 0 if it does not
// exist (HSTRLEN). O(1) plus the counter's read cost.
func (h *Hash) StrLen(field string) int {
	s, _ := h.Get(field)
	return len(s)
}

// Merge joins other into h and reports whether h changed. O(k) for a delta
// touching k fields.
func (h *Hash) Merge(other *Hash) bool {
	changed := h.fields.Merge(&other.fields)
	for f, ov := range other.values {
		v, had := h.values[f]
		if !had {
			v = h.entry(f)
			changed = true
		}
		if ov.str != nil {
			if v.str == nil {
				changed = true
			}
			if v.ensureStr().Merge(ov.str) {
				changed = true
			}
		}
		if ov.num != nil {
			if v.num == nil {
				changed = true
			}
			if v.ensureNum().Merge(ov.num) {
				changed = true
			}
		}
	}
	return changed
}

// entry returns field f's value state, creating an empty one if needed.
func (h *Hash) entry(f string) *value {
	v := h.values[f]
	if v == nil {
		if h.values == nil {
			h.values = make(map[string]*value)
		}
		v = &value{}
		h.values[f] = v
	}
	return v
}

func (v *value) ensureStr() *register.LWW {
	if v.str == nil {
		v.str = register.NewLWW()
	}
	return v.str
}

func (v *value) ensureNum() *counter.Counter {
	if v.num == nil {
		v.num = counter.New()
	}
	return v.num
}

func (v *value) clone() *value {
	out := &value{}
	if v.str != nil {
		out.str = v.str.Clone()
	}
	if v.num != nil {
		out.num = v.num.Clone()
	}
	return out
}

func (v *value) equal(o *value) bool {
	if (v.str == nil) != (o.str == nil) || (v.num == nil) != (o.num == nil) {
		return false
	}
	return (v.str == nil || v.str.Equal(o.str)) && (v.num == nil || v.num.Equal(o.num))
}

// Clone returns a deep copy of h. O(n).
func (h *Hash) Clone() *Hash {
	out := &Hash{fields: *h.fields.Clone()}
	if len(h.values) > 0 {
		out.values = make(map[string]*value, len(h.values))
	}
	for f, v := range h.values {
		out.values[f] = v.clone()
	}
	return out
}

// Equal reports whether h and o are the same state. O(n).
func (h *Hash) Equal(o *Hash) bool {
	if !h.fields.Equal(&o.fields) || len(h.values) != len(o.values) {
		return false
	}
	for f, v := range h.values {
		ov, ok := o.values[f]
		if !ok || !v.equal(ov) {
			return false
		}
	}
	return true
}

// String formats h as its fields and values, for debugging.
func (h *Hash) String() string {
	b := []byte{'{'}
	for i, p := range h.GetAll() {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendQuote(b, p.Field)
		b = append(b, ':')
		b = strconv.AppendQuote(b, p.Value)
	}
	return string(append(b, '}'))
}
