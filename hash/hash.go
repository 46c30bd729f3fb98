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
// Each field's value is a last-writer-wins string (register.LWW) written by
// HSET, plus a counter (package counter) of the HINCRBY and HINCRBYFLOAT
// increments not yet cancelled; HSET and HDEL cancel the increments they saw
// (observed reset). A field reads as its string if no increment is live, as
// the string's number plus the increments if the string is a number (or
// absent), and as the string alone otherwise.
//
// The value state of a deleted field is kept, so that an increment made
// concurrently with the delete counts only what the delete did not see.
//
// A Hash is not safe for concurrent use.
package hash

import (
	"errors"
	"math"
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
	// a number, or when the result would be NaN or infinite.
	ErrNotFloat = errors.New("hash: hash value is not a float")
	// ErrOverflow is returned by IncrBy when the result would overflow int64.
	ErrOverflow = errors.New("hash: increment or decrement would overflow")
)

// Hash is a replicated Redis hash. A Hash is a full state or a delta (the
// value a mutator returns); both merge the same way.
type Hash struct {
	fields *orset.Set
	values map[string]*value
}

// value is one field's value state: the string HSET wrote and the
// increments since. Either part is nil until first written.
type value struct {
	str *register.LWW
	num *counter.Counter
}

var _ merge.State[*Hash] = (*Hash)(nil)

// New returns an empty hash.
func New() *Hash { return &Hash{fields: orset.New(), values: map[string]*value{}} }

// Pair is one field and its value, as HGETALL returns them.
type Pair struct {
	Field, Value string
}

// Set writes fields as replica at.Replica at time at.Time (HSET, HMSET) and
// returns the delta and the number of fields that did not exist. Each write
// replaces the string and cancels the increments this replica has seen. A
// later pair for the same field wins, as in Redis. O(k) for k pairs.
func (h *Hash) Set(at clock.Stamp, pairs ...Pair) (delta *Hash, added int) {
	delta = &Hash{values: map[string]*value{}}
	fields := make([]string, 0, len(pairs))
	for _, p := range pairs {
		if _, seen := delta.values[p.Field]; !seen && !h.fields.Contains(p.Field) {
			added++
		}
		fields = append(fields, p.Field)
		v := h.entry(p.Field)
		dv := delta.entry(p.Field)
		v.ensureStr()
		dv.ensureStr().Merge(v.str.Set(at, p.Value))
		if v.num != nil {
			dv.ensureNum().Merge(v.num.Reset(at.Replica))
		}
	}
	delta.fields, _ = h.fields.Add(at.Replica, fields...)
	return delta, added
}

// SetNX writes field only if it does not exist (HSETNX) and reports whether
// it wrote. The delta is empty when it did not.
func (h *Hash) SetNX(at clock.Stamp, field, val string) (delta *Hash, written bool) {
	if h.fields.Contains(field) {
		return &Hash{fields: orset.New(), values: map[string]*value{}}, false
	}
	delta, _ = h.Set(at, Pair{Field: field, Value: val})
	return delta, true
}

// Del removes fields as replica id (HDEL) and returns the delta and the
// number of fields that existed. Only what this replica has seen is removed:
// a concurrent HSET or HINCRBY of the field survives. O(k).
func (h *Hash) Del(id clock.ReplicaID, fields ...string) (delta *Hash, removed int) {
	delta = &Hash{values: map[string]*value{}}
	var present []string
	for _, f := range fields {
		if _, seen := delta.values[f]; !seen && h.fields.Contains(f) {
			present = append(present, f)
			h.clearValue(id, f, delta)
		}
	}
	delta.fields, removed = h.fields.Remove(present...)
	return delta, removed
}

// Clear removes every field this replica has seen (DEL of the key) and
// returns the delta. O(n).
func (h *Hash) Clear(id clock.ReplicaID) *Hash {
	delta := &Hash{values: map[string]*value{}}
	for f := range h.fields.All() {
		h.clearValue(id, f, delta)
	}
	delta.fields = h.fields.Clear()
	return delta
}

// clearValue cancels field f's string and increments into delta.
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
// result beyond int64 (ErrOverflow). O(1) plus the counter's cost.
func (h *Hash) IncrBy(id clock.ReplicaID, field string, n int64) (delta *Hash, result int64, err error) {
	cur, present := h.number(field)
	if present && cur.IsFloat {
		return nil, 0, ErrNotInteger
	}
	sum := cur.Int + n
	if (n > 0 && sum < cur.Int) || (n < 0 && sum > cur.Int) {
		return nil, 0, ErrOverflow
	}
	d, err := h.increment(field, func(c *counter.Counter) (*counter.Counter, error) { return c.IncrBy(id, n) })
	if err != nil {
		return nil, 0, translate(err, ErrNotInteger)
	}
	return h.incrDelta(id, field, d), sum, nil
}

// IncrByFloat adds f to field's value as replica id (HINCRBYFLOAT) and
// returns the delta and the new value. A missing field counts as 0. It
// refuses, changing nothing, a value that is not a number and a result that
// is NaN or infinite (ErrNotFloat).
func (h *Hash) IncrByFloat(id clock.ReplicaID, field string, f float64) (delta *Hash, result float64, err error) {
	cur, _ := h.number(field)
	base := float64(cur.Int)
	if cur.IsFloat {
		base = cur.Float
	}
	sum := base + f
	if math.IsNaN(sum) || math.IsInf(sum, 0) {
		return nil, 0, ErrNotFloat
	}
	d, err := h.increment(field, func(c *counter.Counter) (*counter.Counter, error) { return c.IncrByFloat(id, f) })
	if err != nil {
		return nil, 0, translate(err, ErrNotFloat)
	}
	return h.incrDelta(id, field, d), sum, nil
}

// number returns field's value as a number, with present false for a missing
// field (which counts as 0). A present value that is not a number is
// returned as a float NaN, which every increment refuses.
func (h *Hash) number(field string) (n counter.Number, present bool) {
	if !h.fields.Contains(field) {
		return counter.Number{}, false
	}
	s, n, numeric := h.values[field].resolve()
	if !numeric {
		if n, numeric = counter.ParseNumber(s); !numeric {
			return counter.Number{Float: math.NaN(), IsFloat: true}, true
		}
	}
	return n, true
}

// increment applies incr to field's counter and returns its delta; a
// refused increment stores nothing, not even an empty counter.
func (h *Hash) increment(field string, incr func(*counter.Counter) (*counter.Counter, error)) (*counter.Counter, error) {
	v := h.values[field]
	num := counter.New()
	if v != nil && v.num != nil {
		num = v.num
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
	delta := &Hash{values: map[string]*value{field: {num: d}}}
	delta.fields, _ = h.fields.Add(id, field)
	return delta
}

// translate maps a counter refusal to this package's errors.
func translate(err, notNumber error) error {
	if errors.Is(err, counter.ErrOverflow) {
		return ErrOverflow
	}
	return notNumber
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
	s, n, numeric := v.resolve()
	if numeric {
		return n.String()
	}
	return s
}

// resolve returns what the field reads as: the number n if numeric, else
// the string s (which may still parse as a number: a string that no live
// increment touches keeps its bytes).
func (v *value) resolve() (s string, n counter.Number, numeric bool) {
	if v == nil {
		return "", counter.Number{}, false
	}
	var incr counter.Number
	if v.num != nil {
		incr = v.num.Value()
	}
	hasStr := false
	if v.str != nil {
		s, hasStr = v.str.Get()
	}
	switch {
	case !hasStr:
		return "", incr, true
	case incr == (counter.Number{}):
		return s, counter.Number{}, false
	}
	base, ok := counter.ParseNumber(s)
	if !ok {
		return s, counter.Number{}, false
	}
	return "", add(base, incr), true
}

// add returns a + b, as a float if either is one.
func add(a, b counter.Number) counter.Number {
	if !a.IsFloat && !b.IsFloat {
		return counter.IntNumber(a.Int + b.Int)
	}
	af, bf := a.Float, b.Float
	if !a.IsFloat {
		af = float64(a.Int)
	}
	if !b.IsFloat {
		bf = float64(b.Int)
	}
	return counter.FloatNumber(af + bf)
}

// MGet returns the values of fields (HMGET), with ok false for missing ones.
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
// exist (HSTRLEN).
func (h *Hash) StrLen(field string) int {
	s, _ := h.Get(field)
	return len(s)
}

// Merge joins other into h and reports whether h changed. O(k) for a delta
// touching k fields.
func (h *Hash) Merge(other *Hash) bool {
	changed := h.fields.Merge(other.fields)
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
// A part (string or counter) exists once an operation or a merged delta has
// written it, so replicas that merged the same deltas hold the same parts.
func (h *Hash) entry(f string) *value {
	v := h.values[f]
	if v == nil {
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
	out := &Hash{fields: h.fields.Clone(), values: make(map[string]*value, len(h.values))}
	for f, v := range h.values {
		out.values[f] = v.clone()
	}
	return out
}

// Equal reports whether h and o are the same state.
func (h *Hash) Equal(o *Hash) bool {
	if !h.fields.Equal(o.fields) || len(h.values) != len(o.values) {
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
