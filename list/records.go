package list

import (
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// records is changes kept as operations: the content of a delta, and the
// part of a full state that cannot be integrated yet (an insert whose
// origin has not arrived, a removal or LSET of an element that has not).
type records struct {
	ins chunks[insRec]
	rem chunks[remRec]
	set []setRec

	// vbuf and bbuf hold the values of inserts added by addInsValues
	// (bbuf those of one byte each, see recVals): the last insert's
	// values are a slice of the tail of one (capacity clipped), so a run
	// typed one value at a time grows without reallocating.
	vbuf []string
	bbuf []byte
}

// recVals are the values of a live insert record by seq: strings, or,
// while every one is a single byte (text, a character an element), just
// those bytes, which cost one byte a value instead of sixteen and nothing
// for the collector to scan. A tombstone insert has neither.
type recVals struct {
	s []string
	b []byte // while s is nil
}

func (v recVals) len() int {
	if v.s != nil {
		return len(v.s)
	}
	return len(v.b)
}

// at returns value k.
func (v recVals) at(k int) string {
	if v.s != nil {
		return v.s[k]
	}
	return byteString(v.b[k])
}

// none reports whether v holds no values (a tombstone insert's).
func (v recVals) none() bool { return v.s == nil && v.b == nil }

// slice returns values [k0, k1), capacity clipped.
func (v recVals) slice(k0, k1 int) recVals {
	if v.s != nil {
		return recVals{s: v.s[k0:k1:k1]}
	}
	if v.b != nil {
		return recVals{b: v.b[k0:k1:k1]}
	}
	return recVals{}
}

func (v recVals) clone() recVals { return recVals{s: slices.Clone(v.s), b: slices.Clone(v.b)} }

// strings returns the values as strings. O(len) allocating.
func (v recVals) strings() []string {
	if v.s != nil || v.b == nil {
		return v.s
	}
	out := make([]string, len(v.b))
	for k, c := range v.b {
		out[k] = byteString(c)
	}
	return out
}

// appendVals returns a followed by b, reallocating (a's capacity is
// clipped or a's own).
func appendVals(a, b recVals) recVals {
	if a.s == nil && b.s == nil {
		return recVals{b: append(a.b, b.b...)}
	}
	return recVals{s: append(a.strings(), b.strings()...)}
}

// insRec inserts a run of elements, described like a run (see run) by
// its element with the lowest seq. A tombstone insert (rm set) carries the
// removal dots and no values.
type insRec struct {
	id   clock.Dot
	n    int
	back bool
	l, r clock.Dot
	rm   clock.Dot
	step int
	vals recVals // none for a tombstone insert
}

// remRec removes the elements [target, target+n) of one replica; element
// k gets removal dot rm + k·step.
type remRec struct {
	target clock.Dot
	n      int
	rm     clock.Dot
	step   int
}

// setRec is an LSET of one element. dot is the LSET's own dot, or zero
// when the record restates a full state's winning write.
type setRec struct {
	target clock.Dot
	at     clock.Stamp
	value  string
	dot    clock.Dot
}

func shift(d clock.Dot, k int) clock.Dot {
	return clock.Dot{Replica: d.Replica, Seq: uint64(int64(d.Seq) + int64(k))}
}

func (x *insRec) dotAt(k int) clock.Dot { return shift(x.id, k) }

func (x *insRec) origins(k int) (l, r clock.Dot) {
	if k == 0 {
		return x.l, x.r
	}
	if x.back {
		return x.l, x.dotAt(k - 1)
	}
	return x.dotAt(k - 1), x.r
}

func (x *insRec) rmAt(k int) clock.Dot {
	if x.rm.Seq == 0 {
		return clock.Dot{}
	}
	return shift(x.rm, k*x.step)
}

// slice returns the elements [k0, k1) of x as a record.
func (x *insRec) slice(k0, k1 int) insRec {
	y := *x
	y.id = x.dotAt(k0)
	y.n = k1 - k0
	y.l, y.r = x.origins(k0)
	y.rm = x.rmAt(k0)
	y.vals = x.vals.slice(k0, k1)
	if y.n == 1 {
		y.back, y.step = false, 0
	}
	return y
}

func (x *remRec) rmAt(k int) clock.Dot { return shift(x.rm, k*x.step) }

func (x *remRec) slice(k0, k1 int) remRec {
	y := remRec{target: shift(x.target, k0), n: k1 - k0, rm: x.rmAt(k0), step: x.step}
	if y.n == 1 {
		y.step = 0
	}
	return y
}

// isEmpty reports whether r holds no record.
func (r *records) isEmpty() bool { return r.count() == 0 }

// count returns the number of records in r.
func (r *records) count() int { return r.ins.len() + r.rem.len() + len(r.set) }

// clone returns a deep copy of r.
func (r *records) clone() records {
	out := records{set: slices.Clone(r.set)}
	out.rem.pushAll(&r.rem)
	out.ins.reserve(r.ins.len())
	for x := range r.ins.all() {
		y := *x
		y.vals = y.vals.clone()
		out.ins.push(y)
	}
	return out
}

// addIns appends x, extending the last insert if x continues it. x.vals
// is kept, not copied.
func (r *records) addIns(x insRec) {
	if r.ins.len() > 0 {
		last := r.ins.last()
		if joinIns(last, &x) {
			if !last.vals.none() {
				last.vals = appendVals(last.vals, x.vals)
			}
			return
		}
	}
	r.ins.push(x)
}

// addInsValues appends the live insert x with a copy of values, extending
// the last insert if x continues it.
func (r *records) addInsValues(x insRec, values []string) {
	if r.ins.len() > 0 {
		last := r.ins.last()
		if joinIns(last, &x) {
			last.vals = r.grow(last.vals, values)
			return
		}
	}
	x.vals = r.grow(recVals{}, values)
	r.ins.push(x)
}

// extendIns is the fast path of addInsValues for typing: if the last
// insert is live, forward and ends with (at, first-1), which the new
// values follow (leftIsPrev) with right origin r, it takes them.
func (r *records) extendIns(at clock.ReplicaID, first uint64, leftIsPrev bool, right clock.Dot, values []string) bool {
	if r.ins.len() == 0 || !leftIsPrev {
		return false
	}
	last := r.ins.last()
	if last.rm.Seq != 0 || last.id.Replica != at || last.id.Seq+uint64(last.n) != first || last.n+len(values) > maxRunLen ||
		(last.back && last.n > 1) || last.r != right {
		return false
	}
	last.back = false
	last.n += len(values)
	last.vals = r.grow(last.vals, values)
	return true
}

// grow1 appends v to *vals as grow does: when *vals is bbuf's tail, v is
// one byte and there is room, in place without a call.
func (r *records) grow1(vals *recVals, v string) {
	if n, end := len(vals.b), len(r.bbuf); vals.s == nil && n > 0 && len(v) == 1 && end < cap(r.bbuf) && end >= n && &r.bbuf[end-n] == &vals.b[0] {
		r.bbuf = append(r.bbuf, v[0])
		vals.b = r.bbuf[end-n : end+1 : end+1]
		return
	}
	*vals = r.grow(*vals, []string{v})
}

// grow returns vals followed by values, in bbuf while every value is one
// byte, else in vbuf: in place when vals is the tail of that buffer and
// there is room, else at the tail of a new buffer.
func (r *records) grow(vals recVals, values []string) recVals {
	if len(values) == 1 && len(values[0]) == 1 && vals.s == nil && vals.b == nil && len(r.bbuf) < cap(r.bbuf) {
		// One character starting a record: the usual case, in place.
		end := len(r.bbuf) + 1
		r.bbuf = append(r.bbuf, values[0][0])
		return recVals{b: r.bbuf[end-1 : end : end]}
	}
	if vals.s == nil {
		oneByte := true
		for _, v := range values {
			oneByte = oneByte && len(v) == 1
		}
		if oneByte {
			return recVals{b: growIn(&r.bbuf, vals.b, values, func(v string) byte { return v[0] }, 1<<16)}
		}
	}
	return recVals{s: growIn(&r.vbuf, vals.strings(), values, func(v string) string { return v }, 4096)}
}

// growIn returns vals followed by values (converted by conv), in *buf: in
// place when vals is its tail and there is room, else at the tail of a
// new buffer. A delta of one command gets exactly its values; a recording
// grows towards buffers of limit values.
func growIn[T any](buf *[]T, vals []T, values []string, conv func(string) T, limit int) []T {
	n, k := len(vals), len(values)
	tail := n == 0 || len(*buf) >= n && &(*buf)[len(*buf)-n] == &vals[0]
	if !tail || cap(*buf)-len(*buf) < k {
		size := n + k
		if cap(*buf) > 0 {
			size = max(min(max(2*cap(*buf), 8), limit), 2*(n+k))
		}
		*buf = append(make([]T, 0, size), vals...)
	}
	for _, v := range values {
		*buf = append(*buf, conv(v))
	}
	end := len(*buf)
	return (*buf)[end-n-k : end : end]
}

// joinIns extends the metadata of a with b (not the values) and reports
// whether b continues a: b's elements follow a's in seq order with the
// origins of one run.
func joinIns(a, b *insRec) bool {
	if a.n+b.n > maxRunLen || b.id.Replica != a.id.Replica || b.id.Seq != a.id.Seq+uint64(a.n) || (a.rm.Seq == 0) != (b.rm.Seq == 0) {
		return false
	}
	hi := a.dotAt(a.n - 1)
	var back bool
	switch {
	case (a.n == 1 || !a.back) && (b.n == 1 || !b.back) && b.l == hi && b.r == a.r:
		back = false
	case (a.n == 1 || a.back) && (b.n == 1 || b.back) && b.r == hi && b.l == a.l:
		back = true
	default:
		return false
	}
	step := 0
	if a.rm.Seq != 0 {
		if a.rm.Replica != b.rm.Replica {
			return false
		}
		d := int64(b.rm.Seq) - int64(a.rmAt(a.n-1).Seq)
		if d < -1 || d > 1 || (a.n > 1 && int(d) != a.step) || (b.n > 1 && int(d) != b.step) {
			return false
		}
		step = int(d)
	}
	a.back = back
	a.step = step
	a.n += b.n
	return true
}

// addRem appends x, extending the last removal if x continues it at
// either end.
func (r *records) addRem(x remRec) {
	if r.rem.len() > 0 {
		if joinRem(r.rem.last(), &x) {
			return
		}
	}
	r.rem.push(x)
}

// addRem1 is addRem of the removal of one element, target, with dot rm
// (a backspace, a forward delete, a pop): it extends the last removal at
// either end without building a record.
func (r *records) addRem1(target, rm clock.Dot) {
	if r.rem.len() > 0 {
		a := r.rem.last()
		after, before := target.Seq == a.target.Seq+uint64(a.n), target.Seq+1 == a.target.Seq
		if (after || before) && a.target.Replica == target.Replica && a.rm.Replica == rm.Replica && a.n < maxRunLen {
			d := int64(a.rm.Seq) - int64(rm.Seq) // before: target becomes a's lowest
			if after {
				d = int64(rm.Seq) - int64(a.rmAt(a.n-1).Seq)
			}
			if d >= -1 && d <= 1 && (a.n == 1 || int(d) == a.step) {
				if before {
					a.target, a.rm = target, rm
				}
				a.n++
				a.step = int(d)
				return
			}
		}
	}
	r.rem.push(remRec{target: target, n: 1, rm: rm})
}

// joinRem extends a with b if b's targets adjoin a's (either side) with
// removal dots on the same line.
func joinRem(a, b *remRec) bool {
	if a.n+b.n > maxRunLen || a.target.Replica != b.target.Replica || a.rm.Replica != b.rm.Replica {
		return false
	}
	var lo, hi *remRec
	switch {
	case b.target.Seq == a.target.Seq+uint64(a.n):
		lo, hi = a, b
	case a.target.Seq == b.target.Seq+uint64(b.n):
		lo, hi = b, a
	default:
		return false
	}
	d := int64(hi.rm.Seq) - int64(lo.rmAt(lo.n-1).Seq)
	if d < -1 || d > 1 || (lo.n > 1 && int(d) != lo.step) || (hi.n > 1 && int(d) != hi.step) {
		return false
	}
	*a = remRec{target: lo.target, n: lo.n + hi.n, rm: lo.rm, step: int(d)}
	return true
}
