package list

import (
	"bytes"
	"maps"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

const (
	tag      = 'Q'
	version1 = 1

	itemLive  = 0
	itemTomb  = 1
	itemBlock = 2
)

// Clone returns a deep copy of l. The copy records into no delta (see
// RecordInto). O(n).
func (l *List) Clone() *List {
	l.flush()
	c := &List{ctx: l.ctx.Clone(), delta: l.delta, heldJoined: l.heldJoined, recs: l.recs.clone()}
	if l.st != nil {
		c.st = l.st.clone()
	}
	return c
}

// Equal reports whether l and o are the same state: the same elements in
// the same order with the same metadata, the same held operations and the
// same causal context, and both deltas or both full states. O(n).
func (l *List) Equal(o *List) bool {
	a, _ := l.AppendBinary(nil)
	b, _ := o.AppendBinary(nil)
	return bytes.Equal(a, b)
}

// canon is a run in canonical form (maximal), with where its elements
// are in the tree: from flat offset f0 of the item at c0 through flat
// offset f1 of the item at c1, in list order.
type canon struct {
	x      run
	c0, c1 cursor
	f0, f1 int
}

// canonical returns the store's elements as maximal runs, joined as if
// element by element (greedily, left to right), so the result depends
// only on the elements and not on how the tree happens to cut them.
func (s *store) canonical() []canon {
	var out []canon
	var cur canon
	have := false
	emit := func() {
		if have {
			out = append(out, cur)
			have = false
		}
	}
	// try joins e after cur.x ignoring value slots (they are not encoded).
	try := func(e *run) (run, bool) {
		e.val = cur.x.val + uint64(cur.x.n)
		if j, ok := join(&cur.x, e); ok {
			return j, true
		}
		e.val = cur.x.val - uint64(e.n)
		return join(&cur.x, e)
	}
	one := func(x *run, f int) run {
		e := x.flatPart(f, f+1)
		e.kind &^= kindBack | kindRmUp | kindRmDown
		return e
	}
	start := func(c cursor, x *run, f int) {
		cur = canon{x: one(x, f), c0: c, f0: f, c1: c, f1: f}
		have = true
	}
	for c := s.tree.Begin(); !s.tree.IsEnd(c); c = s.tree.Next(c) {
		x := s.tree.At(c)
		if x.block() {
			emit()
			out = append(out, canon{x: *x, c0: c, c1: c})
			continue
		}
		last := int(x.n) - 1
		f := 0
		if !have {
			start(c, x, 0)
			f = 1
		} else if first := one(x, 0); func() bool { _, ok := try(&first); return !ok }() {
			emit()
			start(c, x, 0)
			f = 1
		}
		if f <= last {
			rest := x.flatPart(f, last+1)
			if j, ok := try(&rest); ok {
				// Every prefix of a valid run is valid: the greedy walk
				// would take all of it.
				cur.x, cur.c1, cur.f1 = j, c, last
				continue
			}
		}
		// x joins only in part: element by element, until the rest of
		// x joins whole (at once, unless the element joined fixes a step
		// or direction the rest does not share, or the run has room for
		// only part of the rest: then that part joins, and the next
		// element starts a run).
		for f <= last {
			e := one(x, f)
			if j, ok := try(&e); ok {
				cur.x, cur.c1, cur.f1 = j, c, f
			} else {
				emit()
				start(c, x, f)
			}
			if f++; f > last {
				break
			}
			rest := x.flatPart(f, last+1)
			if j, ok := try(&rest); ok {
				cur.x, cur.c1, cur.f1 = j, c, last
				break
			}
			if room := maxRunLen - int(cur.x.n); room > 1 && room < last+1-f {
				part := x.flatPart(f, f+room)
				if j, ok := try(&part); ok {
					cur.x, cur.c1, cur.f1 = j, c, f+room-1
					f += room
				}
			}
		}
	}
	emit()
	return out
}

// values calls yield with the values of the live canonical run it, in seq
// order.
func (s *store) canonValues(it *canon, yield func(string)) {
	if !it.x.back() {
		c, f := it.c0, it.f0
		for {
			x := s.tree.At(c)
			yield(s.value(x, x.k(f)))
			if c == it.c1 && f == it.f1 {
				return
			}
			if f+1 < int(x.n) {
				f++
			} else {
				c, f = s.tree.Next(c), 0
			}
		}
	}
	c, f := it.c1, it.f1
	for {
		x := s.tree.At(c)
		yield(s.value(x, x.k(f)))
		if c == it.c0 && f == it.f0 {
			return
		}
		if f > 0 {
			f--
		} else {
			c, _ = s.tree.Prev(c)
			f = int(s.tree.At(c).n) - 1
		}
	}
}

// AppendBinary appends the canonical encoding of l: equal states encode to
// equal bytes. It never fails. O(n log n).
func (l *List) AppendBinary(b []byte) ([]byte, error) {
	l.flush()
	b = wire.AppendHeader(b, tag, version1)
	b = wire.AppendBool(b, l.delta)
	cb, _ := l.ctx.AppendBinary(nil)
	b = wire.AppendUvarint(b, uint64(len(cb)))
	b = append(b, cb...)

	recs := l.recs.normalize()
	var items []canon
	if l.st != nil {
		items = l.st.canonical()
	}
	e := encoder{idx: map[clock.ReplicaID]uint64{}}
	e.collect(l.st, items, &recs)
	b = wire.AppendUvarint(b, uint64(len(e.reps)))
	for _, r := range e.reps {
		b = wire.AppendUvarint(b, uint64(r))
	}
	b = wire.AppendUvarint(b, uint64(len(items)))
	for i := range items {
		b = e.appendItem(b, l.st, &items[i])
	}
	if l.st == nil {
		b = wire.AppendUvarint(b, 0)
	} else {
		keys := slices.Collect(maps.Keys(l.st.lww))
		dots := make([]clock.Dot, len(keys))
		for i, k := range keys {
			dots[i] = l.st.unpack(k)
		}
		slices.SortFunc(dots, clock.Dot.Compare)
		b = wire.AppendUvarint(b, uint64(len(dots)))
		for _, d := range dots {
			pd, _ := l.st.lookupDot(d)
			at := l.st.lww[pd]
			b = e.dot(b, d)
			b = wire.AppendUvarint(b, uint64(at.Time))
			b = wire.AppendUvarint(b, uint64(at.Replica))
		}
	}
	return appendRecordsWith(b, &e, &recs), nil
}

// encoder writes dots as an index into the sorted table of the replicas
// the encoding names.
type encoder struct {
	reps []clock.ReplicaID
	idx  map[clock.ReplicaID]uint64
}

func (e *encoder) note(d clock.Dot) {
	if d.Seq != 0 {
		e.idx[d.Replica] = 0
	}
}

// collect builds the replica table.
func (e *encoder) collect(s *store, items []canon, r *records) {
	for i := range items {
		x := &items[i].x
		if x.block() {
			for _, sp := range s.blocks[x.id] {
				e.idx[s.reps[sp.rep]] = 0
			}
			continue
		}
		e.note(s.unpack(x.id))
		e.note(s.unpack(x.l))
		e.note(s.unpack(x.r))
		e.note(s.unpack(x.rm))
	}
	if s != nil {
		for k := range s.lww {
			e.note(s.unpack(k))
		}
	}
	for x := range r.ins.all() {
		e.note(x.id)
		e.note(x.l)
		e.note(x.r)
		e.note(x.rm)
	}
	for x := range r.rem.all() {
		e.note(x.target)
		e.note(x.rm)
	}
	for _, x := range r.set {
		e.note(x.target)
		e.note(x.dot)
	}
	e.reps = slices.Sorted(maps.Keys(e.idx))
	for i, r := range e.reps {
		e.idx[r] = uint64(i)
	}
}

func (e *encoder) dot(b []byte, d clock.Dot) []byte {
	if d.Seq == 0 {
		return wire.AppendUvarint(b, 0)
	}
	b = wire.AppendUvarint(b, e.idx[d.Replica]+1)
	return wire.AppendUvarint(b, d.Seq)
}

func appendStep(b []byte, step int) []byte { return wire.AppendVarint(b, int64(step)) }

func (e *encoder) appendItem(b []byte, s *store, it *canon) []byte {
	x := &it.x
	if x.block() {
		b = append(b, itemBlock)
		b = e.dot(b, s.unpack(x.id))
		b = wire.AppendUvarint(b, s.blockLen(x.id))
		spans := s.blockSpans(x.id)
		b = wire.AppendUvarint(b, uint64(len(spans)))
		for _, sp := range spans {
			b = wire.AppendUvarint(b, e.idx[sp.rep])
			b = wire.AppendUvarint(b, sp.lo)
			b = wire.AppendUvarint(b, sp.hi-sp.lo)
		}
		return b
	}
	r := insRec{id: s.unpack(x.id), n: int(x.n), back: x.back() && x.n > 1, l: s.unpack(x.l), r: s.unpack(x.r), rm: s.unpack(x.rm)}
	if x.n > 1 {
		r.step = x.step()
	}
	if !x.live() {
		return e.appendIns(append(b, itemTomb), &r)
	}
	b = e.appendIns(append(b, itemLive), &r)
	s.canonValues(it, func(v string) { b = wire.AppendString(b, v) })
	return b
}

func (e *encoder) appendIns(b []byte, x *insRec) []byte {
	b = e.dot(b, x.id)
	b = wire.AppendUvarint(b, uint64(x.n))
	b = wire.AppendBool(b, x.back)
	b = e.dot(b, x.l)
	b = e.dot(b, x.r)
	if x.rm.Seq != 0 {
		b = e.dot(b, x.rm)
		return appendStep(b, x.step)
	}
	for k := range x.vals.len() {
		b = wire.AppendString(b, x.vals.at(k))
	}
	return b
}

// appendRecords appends the normalized records r, with their own replica
// table.
func appendRecords(b []byte, r *records) []byte {
	e := encoder{idx: map[clock.ReplicaID]uint64{}}
	e.collect(nil, nil, r)
	b = wire.AppendUvarint(b, uint64(len(e.reps)))
	for _, rep := range e.reps {
		b = wire.AppendUvarint(b, uint64(rep))
	}
	return appendRecordsWith(b, &e, r)
}

func appendRecordsWith(b []byte, e *encoder, r *records) []byte {
	b = wire.AppendUvarint(b, uint64(r.ins.len()))
	for x := range r.ins.all() {
		b = wire.AppendBool(b, x.rm.Seq != 0)
		b = e.appendIns(b, x)
	}
	b = wire.AppendUvarint(b, uint64(r.rem.len()))
	for x := range r.rem.all() {
		b = e.dot(b, x.target)
		b = wire.AppendUvarint(b, uint64(x.n))
		b = e.dot(b, x.rm)
		b = appendStep(b, x.step)
	}
	b = wire.AppendUvarint(b, uint64(len(r.set)))
	for _, x := range r.set {
		b = e.dot(b, x.target)
		b = wire.AppendUvarint(b, uint64(x.at.Time))
		b = wire.AppendUvarint(b, uint64(x.at.Replica))
		b = wire.AppendString(b, x.value)
		b = e.dot(b, x.dot)
	}
	return b
}
