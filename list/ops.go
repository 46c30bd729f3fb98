package list

import "github.com/redcrdt/redcrdt/clock"

// store returns the list's store, making the list a full state first if it
// is a delta.
func (l *List) store() *store {
	if l.delta {
		d := *l
		*l = List{rec: d.rec}
		d.rec = nil
		l.Merge(&d)
	}
	if l.st == nil {
		l.st = newStore()
	}
	return l.st
}

// full makes a delta a full state before a mutator reads its length: a
// mutator applies to the elements the delta's operations make. It settles
// keystrokes not yet counted first (see settle), as every mutator must.
func (l *List) full() {
	if l.pend != nil || l.delta {
		l.makeFull()
	}
}

// makeFull is full's work, out of line so that full inlines.
func (l *List) makeFull() {
	l.settle()
	if l.delta {
		l.store()
	}
}

// out returns the delta a mutator records its change in.
func (l *List) out() *List {
	if d := l.rec; d != nil {
		if d.pend != nil && d.pend != l.st {
			d.pend.settleArmed() // another list's armed run, recorded into d before this change
		}
		return d
	}
	return newDelta()
}

// PushLeft inserts values at the head, one after the other, so the last
// ends up first (LPUSH), and returns the delta and the new length. The
// values are one run: another replica's concurrent pushes never land
// between them. O(log n + k) for k values.
func (l *List) PushLeft(at clock.ReplicaID, values ...string) (delta *List, n int, err error) {
	l.full()
	delta, err = l.insertLocal(at, 0, values, true)
	return delta, l.Len(), err
}

// PushRight appends values at the tail in order (RPUSH) and returns the
// delta and the new length. O(log n + k) for k values.
func (l *List) PushRight(at clock.ReplicaID, values ...string) (delta *List, n int, err error) {
	l.full()
	delta, err = l.insertLocal(at, l.Len(), values, false)
	return delta, l.Len(), err
}

// InsertAt inserts values, in order, before the element at index (0 ≤
// index ≤ Len; Len appends), and returns the delta. It returns
// ErrOutOfRange for another index. O(log n + k) for k values.
func (l *List) InsertAt(at clock.ReplicaID, index int, values ...string) (*List, error) {
	if s := l.st; s != nil && len(values) == 1 {
		// A character typed on an armed hot run (see hotRun), the usual
		// keystroke, done here rather than in a call, once the armed room
		// has a k-th slot and the recorder and the tree are those the run
		// was armed with: it writes the byte to the next free value slot
		// and recorder byte, and settleArmed counts the rest later (the
		// run's length and weight, the dots taken). O(1).
		h := &s.hot
		if k := h.k; k < len(h.vb) && k < len(h.bb) && index == h.pos+k && at == h.rep && len(values[0]) == 1 &&
			h.rec == l.rec && l.pend == s && h.rec.pend == s && s.tree.Gen() == h.gen {
			h.vb[k] = values[0][0]
			h.bb[k] = values[0][0]
			h.k = k + 1
			return h.rec, nil
		}
	}
	l.full()
	if s := l.st; s != nil && s.hot.typing && s.hot.rec == l.rec && index == s.hot.pos && at == s.hot.rep && len(values) > 0 {
		if len(values) == 1 && len(values[0]) == 1 {
			if d, ok := l.typeByte(values[0][0]); ok {
				return d, nil
			}
		}
		if d, ok := l.typeOn(values); ok {
			return d, nil
		}
	}
	if index < 0 || index > l.Len() {
		return nil, ErrOutOfRange
	}
	return l.insertLocal(at, index, values, false)
}

// typeOn is InsertAt's fast path (see hotRun): it appends values to the
// hot run and to the recorder's last insert. The hot run was checked when
// it became hot for typing; what can have changed since is the tree's
// shape, the recorder and the lazily held dots (every mutator clears the
// hot run; that the run is still live and owns the next value slot is
// checked again anyway, as it costs little). O(log n) for the weights,
// O(1) otherwise.
func (l *List) typeOn(values []string) (*List, bool) {
	s := l.st
	h := &s.hot
	d := h.rec
	if s.tree.Gen() != h.gen || d.recs.ins.len() != h.recN {
		return nil, false
	}
	n := len(values)
	x := s.tree.At(h.c)
	last := d.recs.ins.last()
	end := x.id.seq() + uint64(x.n)
	if last.id.Seq+uint64(last.n) != end || last.id.Replica != h.rep || last.rm.Seq != 0 || last.back {
		return nil, false
	}
	if uint64(x.n)+uint64(n) > maxRunLen || last.n+n > maxRunLen || !x.live() || !s.vals[h.repIdx].canExtend(x.val+uint64(x.n)-1) {
		return nil, false
	}
	// The next dot must continue the run; check before issuing it.
	if l.lz.from != 0 && l.lz.rep == h.rep {
		if l.lz.to+1 != end || end+uint64(n)-1 > maxSeq {
			return nil, false
		}
		l.lz.to += uint64(n)
	} else {
		if l.ctx.Next(h.rep).Seq != end {
			return nil, false
		}
		if _, ok := l.issue(h.rep, n); !ok {
			return nil, false
		}
	}
	vs := &s.vals[x.id.rep()]
	if n == 1 {
		vs.add(values[0])
		d.recs.grow1(&last.vals, values[0])
	} else {
		vs.setRun(vs.alloc(n), values)
		last.vals = d.recs.grow(last.vals, values)
	}
	last.n += n
	x.n += uint32(n)
	s.tree.SetWeight(h.c, int(x.n))
	if h.c.Leaf != s.cacheLeaf || h.c.Slot != s.cacheSlot {
		s.touch(h.c.Leaf)
	}
	if s.indexed {
		s.setSeqRange(x.id.rep(), end, end+uint64(n)-1, h.c.Leaf)
	}
	if !d.lz.join(h.rep, end, end+uint64(n)-1) { // noteDots' usual case, inlined
		d.noteDots(h.rep, end, end+uint64(n)-1)
	}
	h.pos += n
	return d, true
}

// typeByte is typeOn for a character typed (one value of one byte) in its
// usual case: the value's slot is in an allocated byte chunk, the
// recorder's byte buffer has room right after the last insert's values,
// and the lazily held dots of the list and of the recorder both end right
// before the new element. It checks what typeOn and the values and
// records it calls check, then makes their changes, with no call but the
// tree's; it reports false, having changed nothing, if anything differs,
// and typeOn then decides. O(1) while the weights' walk up the tree is
// deferred (see ostree.Tree.SetWeight).
func (l *List) typeByte(b byte) (*List, bool) {
	s := l.st
	h := &s.hot
	d := h.rec
	r := &d.recs
	if s.tree.Gen() != h.gen || r.ins.len() != h.recN {
		return nil, false
	}
	x := s.tree.At(h.c)
	last := r.ins.last()
	end := x.id.seq() + uint64(x.n)
	if last.id.Seq+uint64(last.n) != end || last.id.Replica != h.rep || last.rm.Seq != 0 || last.back ||
		x.n == maxRunLen || last.n >= maxRunLen || !x.live() || end > maxSeq ||
		l.lz.from == 0 || l.lz.rep != h.rep || l.lz.to+1 != end ||
		d.lz.from == 0 || d.lz.rep != h.rep || d.lz.to+1 != end {
		return nil, false
	}
	// The value's slot: the next one, in a byte chunk (as values.add).
	vs := &s.vals[h.repIdx]
	i := vs.next
	c := int(i/chunkMax) + 7 - vs.base
	if i != x.val+uint64(x.n) || i < chunkMax || c < 0 || c >= len(vs.chunks) {
		return nil, false
	}
	ch := &vs.chunks[c]
	// The record's values: the tail of bbuf, with room (as records.grow1).
	lb, nb := len(last.vals.b), len(r.bbuf)
	if ch.s != nil || ch.b == nil || last.vals.s != nil || lb == 0 || nb == cap(r.bbuf) || nb < lb || &r.bbuf[nb-lb] != &last.vals.b[0] {
		return nil, false
	}
	ch.b[i%chunkMax] = b
	vs.live[c]++
	vs.next++
	r.bbuf = append(r.bbuf, b)
	last.vals.b = r.bbuf[nb-lb : nb+1 : nb+1]
	last.n++
	x.n++
	if !s.tree.SetWeightDeferred(h.c, int(x.n)) {
		s.tree.SetWeight(h.c, int(x.n))
	}
	if h.c.Leaf != s.cacheLeaf || h.c.Slot != s.cacheSlot {
		s.touch(h.c.Leaf)
	}
	if s.indexed {
		s.setSeqLeaf(x.id.rep(), end, h.c.Leaf)
	}
	l.lz.to = end
	d.lz.to = end
	h.pos++
	l.armTyping(x, last)
	return d, true
}

// armTyping arms the hot typing run x (see hotRun), whose record is the
// recorder's last insert, for the next characters: as many as the value
// chunk, the recorder's byte buffer, the run, the record and the seqs
// have room for, if the next value slot is in an allocated byte chunk,
// the record's values are the tail of the byte buffer, and the lazily
// held dots of the list and of the recorder both end right before the
// run's next element. O(1).
func (l *List) armTyping(x *run, last *insRec) {
	s := l.st
	h := &s.hot
	d := h.rec
	r := &d.recs
	vs := &s.vals[h.repIdx]
	next := x.id.seq() + uint64(x.n)
	c := int(vs.next/chunkMax) + 7 - vs.base
	nb, lb := len(r.bbuf), len(last.vals.b)
	if vs.next < chunkMax || c < 0 || c >= len(vs.chunks) || next > maxSeq ||
		l.lz.from == 0 || l.lz.rep != h.rep || l.lz.to+1 != next || d.lz.from == 0 || d.lz.rep != h.rep || d.lz.to+1 != next ||
		last.vals.s != nil || lb == 0 || nb < lb || &r.bbuf[nb-lb] != &last.vals.b[0] {
		return
	}
	ch := &vs.chunks[c]
	o := int(vs.next % chunkMax)
	free := min(len(ch.b)-o, cap(r.bbuf)-nb, maxRunLen-int(x.n), maxRunLen-last.n, int(maxSeq-next+1))
	if ch.s != nil || ch.b == nil || free <= 0 {
		return
	}
	if d.pend != nil && d.pend != s {
		d.pend.settleArmed()
	}
	h.vb, h.bb, h.k, h.typist = ch.b[o:o+free], r.bbuf[nb:nb+free], 0, l
	l.pend, d.pend = s, s
	if s.cacheLeaf == h.c.Leaf {
		// The cursor cache holds the run, which starts x.n before pos:
		// counting the characters typed then touches nothing.
		s.cacheSlot, s.cacheItem = h.c.Slot, h.pos-int(x.n)
	}
}

// settleArmed counts the characters typed, or the elements removed, on
// the armed hot run since it was armed (see hotRun) where the armed paths
// of InsertAt and RemoveAt did not. For characters: in the run's length
// and weight, pos, the typist's lazily held dots and the value slots
// handed out and live; for removals, settleRemovals' work. Then, unless
// the recorder has been replaced or taken by another list since (or,
// against RecordInto's terms, recorded into), in the recorder's last
// insert (its count, and its values, which end the byte buffer the
// characters were written to) or last removal, and in its lazily held
// dots. It disarms the run. O(1), or O(k) when the index is built.
func (s *store) settleArmed() {
	h := &s.hot
	d := h.rec
	if k := h.rk; k > 0 {
		s.settleRemovals(k)
		if d.pend == s && d.recs.rem.len() == h.remN {
			a := d.recs.rem.last()
			if h.fwd {
				a.step = 1
			} else {
				a.target.Seq -= uint64(k)
				a.rm.Seq += uint64(k)
				a.step = -1
			}
			a.n += k
			d.lz.to += uint64(k)
		}
	}
	if k := h.k; k > 0 {
		x := s.tree.At(h.c)
		x.n += uint32(k)
		s.setWeight(h.c, int(x.n))
		if s.indexed {
			end := x.id.seq() + uint64(x.n)
			s.setSeqRange(x.id.rep(), end-uint64(k), end-1, h.c.Leaf)
		}
		h.typist.lz.to += uint64(k)
		h.pos += k
		vs := &s.vals[h.repIdx]
		vs.live[int(vs.next/chunkMax)+7-vs.base] += int32(k)
		vs.next += uint64(k)
		if d.pend == s && d.recs.ins.len() == h.recN {
			r := &d.recs
			last := r.ins.last()
			nb, lb := len(r.bbuf), len(last.vals.b)
			r.bbuf = r.bbuf[:nb+k]
			last.vals.b = r.bbuf[nb-lb : nb+k : nb+k]
			last.n += k
			d.lz.to += uint64(k)
		}
	}
	if d.pend == s {
		d.pend = nil
	}
	if t := h.typist; t != nil && t.pend == s {
		t.pend = nil
	}
	h.vb, h.bb, h.k, h.typist = nil, nil, 0, nil
	h.vr, h.live, h.rk = nil, nil, 0
}

// settleRemovals moves the k elements the armed path of RemoveAt removed
// from the hot run (see hotRun) to the tombstone run beside it, as
// backspace or forwardDelete would have one by one: the removal dots are
// the typist's next k, the element removed last has the last. It counts
// them in the weights, the index, the tombstones and the typist's lazily
// held dots. O(k) when the index is built and the two runs are in
// different leaves, else O(1) while the weights' walk up the tree is
// deferred.
func (s *store) settleRemovals(k int) {
	h := &s.hot
	x, t := s.tree.At(h.c), s.tree.At(h.tc)
	lz := &h.typist.lz
	first := x.id // the removed element with the lowest seq
	if h.fwd {
		x.l = x.id.add(k - 1)
		x.id = x.id.add(k)
		x.val += uint64(k)
	} else {
		first = x.id.add(int(x.n) - k)
		t.id, t.rm, t.l = first, mkdot(h.repIdx, lz.to+uint64(k)), first.add(-1)
		h.pos -= k
	}
	t.n += uint32(k)
	x.n -= uint32(k)
	s.setWeight(h.c, int(x.n))
	if h.tc.Leaf != h.c.Leaf && s.indexed {
		s.setSeqRange(first.rep(), first.seq(), first.seq()+uint64(k)-1, h.tc.Leaf)
	}
	s.tombs += k
	lz.to += uint64(k)
}

// hotForBackspace makes the live run at c, which a removal by at (replica
// index rep) left ending right before visible index pos, hot for a
// backspace (see hotRun), not for typing on: the removal took a dot after
// the run's last, so an insert cannot continue it. It sets the fields one
// by one, which costs less than a composite literal where every backspace
// passes. O(1).
func (s *store) hotForBackspace(c cursor, pos int, at clock.ReplicaID, rep uint16) {
	h := &s.hot
	h.valid, h.typing, h.fwd, h.rec = true, false, false, nil
	h.gen, h.c, h.pos, h.rep, h.repIdx = s.tree.Gen(), c, pos, at, rep
}

// hotForDelete makes the live forward run at c, whose first element is at
// visible index pos after a removal by at (replica index rep) moved the
// element before it to the tombstones before it, hot for a forward delete
// (see hotRun). O(1).
func (s *store) hotForDelete(c cursor, pos int, at clock.ReplicaID, rep uint16) {
	h := &s.hot
	h.valid, h.typing, h.fwd, h.rec = true, false, true, nil
	h.gen, h.c, h.pos, h.rep, h.repIdx = s.tree.Gen(), c, pos, at, rep
}

// hotForTyping makes the run at c hot for typing on (see hotRun) after
// an insert by at (replica index rep) recorded into l.rec left visible
// index pos right after it, if it qualifies: at's live forward run ending
// with at's newest element and value slot, as the recorder's last insert
// ends with that element. O(1).
func (l *List) hotForTyping(c cursor, pos int, at clock.ReplicaID, rep uint16) {
	s := l.st
	d := l.rec
	x := s.tree.At(c)
	end := x.id.seq() + uint64(x.n)
	if d.recs.ins.len() == 0 || x.id.rep() != rep || !x.live() || x.back() || l.nextSeq(at) != end ||
		!s.vals[rep].canExtend(x.val+uint64(x.n)-1) {
		return
	}
	last := d.recs.ins.last()
	if last.id.Replica != at || last.rm.Seq != 0 || last.back || last.id.Seq+uint64(last.n) != end {
		return
	}
	// Field by field: the composite literal would clear the whole
	// struct, which the settle before this insert already disarmed.
	h := &s.hot
	h.valid, h.typing, h.fwd, h.rec = true, true, false, d
	h.gen, h.c, h.pos, h.rep, h.repIdx, h.recN = s.tree.Gen(), c, pos, at, rep, d.recs.ins.len()
}

// InsertBefore inserts value before the first element equal to pivot
// (LINSERT BEFORE) and returns the delta and the new length, or ok ==
// false (and an empty delta) if there is no such element. O(n).
func (l *List) InsertBefore(at clock.ReplicaID, pivot, value string) (delta *List, n int, ok bool, err error) {
	return l.insertPivot(at, pivot, value, 0)
}

// InsertAfter inserts value after the first element equal to pivot
// (LINSERT AFTER) and returns the delta and the new length, or ok == false
// (and an empty delta) if there is no such element. O(n).
func (l *List) InsertAfter(at clock.ReplicaID, pivot, value string) (delta *List, n int, ok bool, err error) {
	return l.insertPivot(at, pivot, value, 1)
}

func (l *List) insertPivot(at clock.ReplicaID, pivot, value string, after int) (*List, int, bool, error) {
	l.full()
	i, found, _ := l.Pos(pivot, PosOptions{})
	if !found {
		return l.out(), l.Len(), false, nil
	}
	d, err := l.insertLocal(at, i+after, []string{value}, false)
	return d, l.Len(), err == nil, err
}

// insertLocal inserts values as one new run at visible index vis: a
// backward run (each value before the previous) if back, else forward.
//
// The new run goes right after the visible element before vis (or the
// start), before whatever follows that element in the sequence, removed
// or not; those two are its origins.
func (l *List) insertLocal(at clock.ReplicaID, vis int, values []string, back bool) (*List, error) {
	if len(values) == 0 {
		return l.out(), nil
	}
	if len(values) > maxRunLen {
		return nil, ErrFull // a run's length is 32 bits
	}
	s := l.st
	if s == nil || l.delta {
		s = l.store()
	}
	rep, ok := s.rep(at)
	if !ok {
		return nil, ErrFull
	}
	first, ok := l.issue(at, len(values))
	if !ok {
		return nil, ErrFull
	}
	var c cursor
	f := 0
	var left pdot
	if vis == 0 {
		c = s.tree.Begin()
	} else {
		lc, lf := s.findVisible(vis - 1)
		left = s.tree.At(lc).flatDot(lf)
		c, f = s.flatNext(lc, lf)
	}
	right := s.dotAtPos(c, f)
	n := len(values)
	vs := &s.vals[rep]
	l.clearHot()
	// hc is the run that now ends with the new run's last element, when
	// there is one (hot).
	var hc cursor
	var hot bool
	if vis > 0 && !back && s.extend(left, right, rep, first, n) {
		vs.setRun(vs.alloc(n), values)
		hc, hot = cursor{Leaf: s.cacheLeaf, Slot: s.cacheSlot}, true
	} else {
		x := run{id: mkdot(rep, first), l: left, r: right, n: uint32(n)}
		if back && n > 1 {
			x.kind = kindBack
		}
		x.val = vs.next
		if n == 1 {
			vs.add(values[0])
		} else {
			vs.setRun(vs.alloc(n), values)
		}
		hc, hot = s.insertBefore(c, f, x)
	}

	d := l.out()
	if back || !d.recs.extendIns(at, first, left == mkdot(rep, first-1), s.unpack(right), values) {
		d.recs.addInsValues(insRec{
			id: clock.Dot{Replica: at, Seq: first}, n: n, back: back && n > 1,
			l: s.unpack(left), r: s.unpack(right),
		}, values)
	}
	d.noteDots(at, first, first+uint64(n)-1)
	if hot && !back && d == l.rec {
		l.hotForTyping(hc, vis+n, at, rep)
		if s.hot.typing {
			l.armTyping(s.tree.At(hc), d.recs.ins.last())
		}
	}
	return d, nil
}

// Set replaces the element at index (LSET; negative indexes count from
// the end) and returns the delta. Concurrent LSETs of one element keep
// the one with the greatest stamp; an LSET of an element another replica
// removed is lost. It returns ErrOutOfRange if there is no such element.
// O(log n).
func (l *List) Set(at clock.Stamp, index int, value string) (*List, error) {
	l.full()
	n := l.Len()
	if index < 0 {
		index += n
	}
	if index < 0 || index >= n {
		return nil, ErrOutOfRange
	}
	s := l.st
	seq, ok := l.issue(at.Replica, 1)
	if !ok {
		return nil, ErrFull
	}
	l.clearHot()
	c, f := s.findVisible(index)
	x := s.tree.At(c)
	k := x.k(f)
	e := x.dotAt(k)
	if at.Compare(s.lww[e]) > 0 {
		s.vals[e.rep()].overwrite(x.val+uint64(k), value)
		if s.lww == nil {
			s.lww = make(map[pdot]clock.Stamp)
		}
		s.lww[e] = at
	}
	d := l.out()
	d.recs.set = append(d.recs.set, setRec{target: s.unpack(e), at: at, value: value, dot: clock.Dot{Replica: at.Replica, Seq: seq}})
	d.noteDots(at.Replica, seq, seq)
	return d, nil
}

// RemoveAt removes the element at index (negative indexes count from the
// end) and returns the delta and the value removed. It returns
// ErrOutOfRange if there is no such element. A character typed and
// removed again before anything read the list or its recorder may leave
// no tombstone (see the package documentation). O(log n).
func (l *List) RemoveAt(at clock.ReplicaID, index int) (delta *List, value string, err error) {
	if s := l.st; s != nil && s.hot.k > 0 && index == s.hot.pos+s.hot.k-1 && at == s.hot.rep && s.hot.rec == l.rec &&
		l.pend == s && s.hot.rec.pend == s && s.tree.Gen() == s.hot.gen {
		// A backspace right after characters typed on an armed run (see
		// hotRun): nothing has read the list or its recorder since the
		// last of them was typed (a read settles them), so no replica can
		// have seen it, nor anything name it; it is taken back as if it
		// had never been typed, and its dot and value slot go to the next
		// one. O(1).
		h := &s.hot
		h.k--
		return h.rec, byteString(h.vb[h.k]), nil
	}
	if s := l.st; s != nil && s.hot.vr != nil && at == s.hot.rep && s.hot.rec == l.rec {
		// A backspace or a forward delete on a run armed for it (see
		// hotRun), the usual removal, done here rather than in a call. The
		// run has lost rk elements since it was armed, not yet counted:
		// the next to go is its last (first) live one, whose value this
		// reads from the armed chunk; settleArmed later moves the rk
		// elements to the tombstone run after (before) the run, as
		// backspace (forwardDelete) would have one by one, and records the
		// removals. It does not apply when the run would empty, the room
		// or the chunk's other live values are used up, the element's
		// value is in another chunk, or the recorder is another list's
		// now. O(1).
		h := &s.hot
		x := s.tree.At(h.c)
		rk := h.rk
		n := int(x.n) - rk                         // live elements left
		slot, pos := x.val+uint64(n-1), h.pos-1-rk // its value slot and index
		if h.fwd {
			slot, pos = x.val+uint64(rk), h.pos
		}
		if o := slot - h.vrLo; index == pos && n >= 2 && rk < h.room && o < uint64(len(h.vr)) && *h.live > 1 && h.rec.pend == s && s.tree.Gen() == h.gen {
			*h.live--
			h.rk = rk + 1
			return h.rec, byteString(h.vr[o]), nil
		}
	}
	l.full()
	n := l.Len()
	if index < 0 {
		index += n
	}
	if index < 0 || index >= n {
		return nil, "", ErrOutOfRange
	}
	s := l.st
	var c cursor
	var f int
	if h := &s.hot; h.valid && !h.fwd && index == h.pos-1 && at == h.rep && s.tree.Gen() == h.gen {
		// A backspace: the last element of the hot run, found without
		// a lookup.
		if d, v, ok := l.backspace(); ok {
			return d, v, nil
		}
		c = h.c
		f = int(s.tree.At(c).n) - 1
	} else if h.fwd && index == h.pos && at == h.rep && s.tree.Gen() == h.gen {
		// A forward delete: the first element of the hot run.
		if d, v, ok := l.forwardDelete(); ok {
			return d, v, nil
		}
		c = h.c
	} else {
		c, f = s.findVisible(index)
	}
	if d, v, ok := l.removeOne(at, index, c, f); ok {
		return d, v, nil
	}
	return l.removeSplit(at, index, c, f)
}

// removeSplit removes the element at visible index, at flat offset f of
// the live run at c, where removeOne does not apply: what removeRanges
// does for one element, without its general machinery (see
// store.tombstoneSplit). Removing an element of a forward run other than
// its first leaves the part before it hot for a backspace, as removeOne
// does for the last. O(log n + LeafCap).
func (l *List) removeSplit(at clock.ReplicaID, index int, c cursor, f int) (*List, string, error) {
	s := l.st
	rep, ok := s.rep(at)
	if !ok {
		return nil, "", ErrFull
	}
	seq, ok := l.issue(at, 1)
	if !ok {
		return nil, "", ErrFull
	}
	l.clearHot()
	x := s.tree.At(c)
	hot := f > 0 && !x.back()
	gen := s.tree.Gen()
	e, value := s.tombstoneSplit(c, f, mkdot(rep, seq))
	d := l.out()
	d.recs.addRem1(s.unpack(e), clock.Dot{Replica: at, Seq: seq})
	d.noteDots(at, seq, seq)
	if hot && s.tree.Gen() == gen {
		s.hotForBackspace(c, index, at, rep)
	}
	return d, value, nil
}

// backspace is RemoveAt's fastest path, for the last element of the hot
// run (see hotRun) when the tombstone run right after it continues it:
// store.tombstoneOne's work for that one case (a forward run losing its
// last element, which becomes the lowest of the tombstones after it, as
// a backspace after a backspace does), with the replica's index and the
// next dot at hand, and the run left hot. It reports false, having
// changed nothing, if the case does not apply. O(1) while the weights'
// walk up the tree is deferred (see ostree.Tree.SetWeight).
func (l *List) backspace() (*List, string, bool) {
	s := l.st
	h := &s.hot
	at, rep := h.rep, h.repIdx
	c := h.c
	x := s.tree.At(c)
	n := int(x.n)
	tc := s.tree.Next(c)
	if n < 2 || x.rm != 0 || x.kind != 0 || s.tree.IsEnd(tc) || l.lz.from == 0 || l.lz.rep != at || l.lz.to >= maxSeq {
		return nil, "", false
	}
	t := s.tree.At(tc)
	seq := l.lz.to + 1
	e := x.id.add(n - 1)
	step := int64(t.rm.seq()) - int64(seq)
	if t.rm == 0 || t.kind&(kindBlock|kindBack) != 0 || t.id != e.add(1) || t.rm.rep() != rep || t.n == maxRunLen ||
		t.l != e || t.r != x.r || step < -1 || step > 1 || (t.n > 1 && int(step) != t.step()) {
		return nil, "", false
	}
	l.lz.to = seq
	value := s.takeRemoved(e, x.val+uint64(n-1))
	t.id, t.rm, t.l = e, mkdot(rep, seq), e.add(-1)
	t.n++
	t.kind = stepKind(int(step))
	x.n--
	d := l.recordHotRemoval(c, tc, n, e, at, seq)
	h.pos--
	h.typing = false
	l.armRemovals(tc, e, x.val+uint64(n-2), seq)
	return d, value, true
}

// armRemovals arms the hot run for the next removals (see hotRun) after
// backspace or forwardDelete moved its element e, with removal dot seq,
// to the tombstone run at tc, if they can follow without checks: the list
// records into a recorder whose last removal (ending with e on the side
// the next removals extend) and lazily held dots that removal extended,
// the run's next element to go (value slot next) has its value in a byte
// chunk, the tombstone run's removal dots step by one as the next dots
// will, and no LSET is kept. O(1).
func (l *List) armRemovals(tc cursor, e pdot, next uint64, seq uint64) {
	s := l.st
	h := &s.hot
	d := l.rec
	if d == nil || len(s.lww) > 0 || next < chunkMax || d.lz.from == 0 || d.lz.rep != h.rep || d.lz.to != seq {
		return
	}
	t := s.tree.At(tc)
	step := -1
	if h.fwd {
		step = 1
	}
	r := &d.recs
	if t.kind != stepKind(step) || r.rem.len() == 0 {
		return
	}
	a := r.rem.last()
	end, endRm := a.target.Seq, a.rm.Seq // the lowest, where a backspace extends a
	if h.fwd {
		end, endRm = a.target.Seq+uint64(a.n)-1, a.rmAt(a.n-1).Seq
	}
	if a.target.Replica != s.reps[e.rep()] || a.rm.Replica != h.rep || end != e.seq() || endRm != seq || a.n > 1 && a.step != step {
		return
	}
	vs := &s.vals[e.rep()] // the element's values, not the remover's
	c := int(next/chunkMax) + 7
	if c < vs.base || c-vs.base >= len(vs.chunks) {
		return
	}
	ch, live := vs.at(c)
	if ch.s != nil || ch.b == nil {
		return
	}
	room := min(maxRunLen-int(t.n), maxRunLen-a.n, int(maxSeq-seq))
	if room <= 0 {
		return
	}
	if d.pend != nil && d.pend != s {
		d.pend.settleArmed()
	}
	h.rec, h.typist, h.tc, h.vr, h.vrLo, h.live, h.room, h.rk = d, l, tc, ch.b, uint64(c-7)*chunkMax, live, room, 0
	h.remN = r.rem.len()
	l.pend, d.pend = s, s
}

// forwardDelete is RemoveAt's fast path for the delete key: it removes
// the first element of the hot run (see hotRun), which becomes the
// highest of the tombstones right before it, when they continue it, as
// they do after a forward delete: store.tombstoneOne's work for that one
// case (a forward run losing its first element), with the replica's
// index and the next dot at hand, and the run left hot. It reports false,
// having changed nothing, if the case does not apply. O(1) while the
// weights' walk up the tree is deferred (see ostree.Tree.SetWeight).
func (l *List) forwardDelete() (*List, string, bool) {
	s := l.st
	h := &s.hot
	at, rep := h.rep, h.repIdx
	c := h.c
	x := s.tree.At(c)
	n := int(x.n)
	tc, ok := s.tree.Prev(c)
	if !ok || n < 2 || x.rm != 0 || x.kind != 0 || l.lz.from == 0 || l.lz.rep != at || l.lz.to >= maxSeq {
		return nil, "", false
	}
	t := s.tree.At(tc)
	seq := l.lz.to + 1
	e := x.id
	step := int64(seq) - int64(t.rmAt(int(t.n)-1).seq())
	if t.rm == 0 || t.kind&(kindBlock|kindBack) != 0 || t.id.rep() != e.rep() || t.id.add(int(t.n)) != e || t.rm.rep() != rep ||
		t.n == maxRunLen || x.l != e.add(-1) || x.r != t.r || step < -1 || step > 1 || (t.n > 1 && int(step) != t.step()) {
		return nil, "", false
	}
	l.lz.to = seq
	value := s.takeRemoved(e, x.val)
	x.l = e
	x.id++
	x.val++
	x.n--
	t.n++
	t.kind = stepKind(int(step))
	d := l.recordHotRemoval(c, tc, n, e, at, seq)
	l.armRemovals(tc, e, x.val, seq)
	return d, value, true
}

// takeRemoved returns the value of the removed element e, in value slot
// slot, and frees the slot and any LSET kept for e.
func (s *store) takeRemoved(e pdot, slot uint64) string {
	value := s.vals[e.rep()].take(slot)
	if len(s.lww) > 0 {
		delete(s.lww, e)
	}
	return value
}

// recordHotRemoval finishes backspace's or forwardDelete's work once the
// element e has moved from the hot run at c, of n elements before, to the
// tombstone run at tc, removed by dot seq of replica at: weights, index,
// tombstone count, and the removal recorded. It returns the delta.
func (l *List) recordHotRemoval(c, tc cursor, n int, e pdot, at clock.ReplicaID, seq uint64) *List {
	s := l.st
	s.setWeight(c, n-1)
	if tc.Leaf != c.Leaf && s.indexed {
		s.setSeqLeaf(e.rep(), e.seq(), tc.Leaf)
	}
	s.tombs++
	d := l.out()
	d.recs.addRem1(clock.Dot{Replica: s.reps[e.rep()], Seq: e.seq()}, clock.Dot{Replica: at, Seq: seq})
	if !d.lz.join(at, seq, seq) { // noteDots' usual case, inlined
		d.noteDots(at, seq, seq)
	}
	return d
}

// nextSeq returns the sequence number rep's next dot will have.
func (l *List) nextSeq(rep clock.ReplicaID) uint64 {
	if l.lz.from != 0 && l.lz.rep == rep {
		return l.lz.to + 1
	}
	return l.ctx.Next(rep).Seq
}

// removeOne is RemoveAt's fast path: it removes the element at visible
// index, which is at flat offset f of the live run at c, if it is at an
// end of that run and the tombstones beside it there continue it (a
// backspace, a forward delete, a pop; see store.tombstoneOne). It reports
// whether it applied. Removing the last element of a forward run leaves
// the rest of that run hot for the next backspace, removing its first
// element the rest hot for the next forward delete. O(log n) for the
// weights, O(1) otherwise.
func (l *List) removeOne(at clock.ReplicaID, index int, c cursor, f int) (*List, string, bool) {
	s := l.st
	rep, ok := s.rep(at)
	if !ok {
		return nil, "", false
	}
	seq := l.nextSeq(at)
	if seq > maxSeq {
		return nil, "", false
	}
	x := s.tree.At(c)
	hot := f == int(x.n)-1 && !x.back()
	fwd := f == 0 && !x.back()
	e, value, ok := s.tombstoneOne(c, f, mkdot(rep, seq))
	if !ok {
		return nil, "", false
	}
	if _, ok := l.lz.grow(at, 1); !ok { // issue's usual case, inlined: seq
		l.issue(at, 1)
	}
	d := l.out()
	d.recs.addRem1(s.unpack(e), clock.Dot{Replica: at, Seq: seq})
	if !d.lz.join(at, seq, seq) { // noteDots' usual case, inlined
		d.noteDots(at, seq, seq)
	}
	switch {
	case hot:
		s.hotForBackspace(c, index, at, rep)
	case fwd:
		s.hotForDelete(c, index, at, rep)
	default:
		l.clearHot()
	}
	return d, value, true
}

// PopLeft removes the first element (LPOP) and returns the delta and the
// element, or ok == false (and an empty delta) if the list is empty.
// Concurrent pops on two replicas may return the same element; it is
// removed once. O(log n).
func (l *List) PopLeft(at clock.ReplicaID) (delta *List, value string, ok bool, err error) {
	l.full()
	if l.Len() == 0 {
		return l.out(), "", false, nil
	}
	delta, value, err = l.RemoveAt(at, 0)
	return delta, value, err == nil, err
}

// PopRight removes the last element (RPOP) and returns the delta and the
// element, or ok == false (and an empty delta) if the list is empty.
// Concurrent pops on two replicas may return the same element; it is
// removed once. O(log n).
func (l *List) PopRight(at clock.ReplicaID) (delta *List, value string, ok bool, err error) {
	l.full()
	if l.Len() == 0 {
		return l.out(), "", false, nil
	}
	delta, value, err = l.RemoveAt(at, -1)
	return delta, value, err == nil, err
}

// RemoveValue removes elements equal to value (LREM): the first count
// from the head if count > 0, the last -count from the tail if count < 0,
// all if count == 0. It returns the delta and the number removed. A
// concurrent insert of an equal value survives. O(n).
func (l *List) RemoveValue(at clock.ReplicaID, count int, value string) (delta *List, removed int, err error) {
	l.full()
	var hits []int
	if count >= 0 {
		hits, _ = l.PosCount(value, count, PosOptions{})
	} else {
		hits, _ = l.PosCount(value, -count, PosOptions{Rank: -1})
	}
	if len(hits) == 0 {
		return l.out(), 0, nil
	}
	// Remove from the highest index down, so the others stay put.
	ranges := make([][2]int, len(hits))
	for i, h := range hits {
		ranges[i] = [2]int{h, 1}
	}
	if count >= 0 {
		for i, j := 0, len(ranges)-1; i < j; i, j = i+1, j-1 {
			ranges[i], ranges[j] = ranges[j], ranges[i]
		}
	}
	delta, err = l.removeRanges(at, ranges, nil)
	if err != nil {
		return nil, 0, err
	}
	return delta, len(hits), nil
}

// Trim keeps the elements from index start to index stop, both included,
// and removes the others (LTRIM); indexes are read as Range reads them,
// and an empty range removes everything. It returns the delta. O(log n)
// per run removed.
func (l *List) Trim(at clock.ReplicaID, start, stop int) (*List, error) {
	l.full()
	n := l.Len()
	if start < 0 {
		start = max(start+n, 0)
	}
	if stop < 0 {
		stop += n
	}
	stop = min(stop, n-1)
	if start > stop {
		return l.Clear(at)
	}
	var ranges [][2]int
	if stop+1 < n {
		ranges = append(ranges, [2]int{stop + 1, n - stop - 1})
	}
	if start > 0 {
		ranges = append(ranges, [2]int{0, start})
	}
	return l.removeRanges(at, ranges, nil)
}

// Clear removes every element (DEL) and returns the delta. Only the
// elements this replica has seen are removed: a concurrent push survives.
// O(r log n) for r runs.
func (l *List) Clear(at clock.ReplicaID) (*List, error) {
	l.full()
	n := l.Len()
	if n == 0 {
		return l.out(), nil
	}
	return l.removeRanges(at, [][2]int{{0, n}}, nil)
}

// removeRanges removes, as one operation with one dot, the visible
// elements of each range (index, count), applied in the order given (so
// later ranges must not shift under earlier ones). gone sees each removed
// element.
func (l *List) removeRanges(at clock.ReplicaID, ranges [][2]int, gone func(pdot, string)) (*List, error) {
	if len(ranges) == 0 {
		return l.out(), nil
	}
	s := l.st
	rep, ok := s.rep(at)
	if !ok {
		return nil, ErrFull
	}
	seq, ok := l.issue(at, 1)
	if !ok {
		return nil, ErrFull
	}
	rm := mkdot(rep, seq)
	l.clearHot()
	d := l.out()
	rmDot := clock.Dot{Replica: at, Seq: seq}
	gen := s.tree.Gen()
	var hot cursor
	for _, r := range ranges {
		p, count := r[0], r[1]
		for count > 0 {
			c, f := s.findVisible(p)
			y := s.tree.At(c)
			m := min(count, int(y.n)-f)
			// Removing the last element of a forward run leaves that run
			// at c (the rest goes after it): a backspace to continue.
			if len(ranges) == 1 && r[1] == 1 && y.n > 1 && f == int(y.n)-1 && !y.back() {
				hot = c
			}
			e := s.tombstone(c, f, f+m, rm, 0, gone)
			d.recs.addRem(remRec{target: s.unpack(e), n: m, rm: rmDot})
			count -= m
		}
	}
	d.noteDots(at, seq, seq)
	if hot.Leaf != nil && s.tree.Gen() == gen && s.tree.At(hot).live() {
		s.hotForBackspace(hot, ranges[0][0], at, rep)
	}
	return d, nil
}
