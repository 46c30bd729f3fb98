package list

import (
	"bytes"
	"math"
	"slices"
	"strings"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

// decoder reads dots through the replica table of an encoding.
type decoder struct {
	r       wire.Reader
	reps    []clock.ReplicaID
	scratch [][]byte
}

func (d *decoder) dot() clock.Dot {
	i := d.r.Uvarint()
	if i == 0 {
		return clock.Dot{}
	}
	seq := d.r.Uvarint()
	if i > uint64(len(d.reps)) {
		d.r.Fail("list: replica index out of range")
		return clock.Dot{}
	}
	if seq == 0 || seq > maxSeq {
		d.r.Fail("list: sequence number out of range")
		return clock.Dot{}
	}
	return clock.Dot{Replica: d.reps[i-1], Seq: seq}
}

// nonZeroDot reads a dot that must not be zero.
func (d *decoder) nonZeroDot() clock.Dot {
	x := d.dot()
	if x.Seq == 0 {
		d.r.Fail("list: missing dot")
	}
	return x
}

func (d *decoder) step() int {
	s := d.r.Varint()
	if s < -1 || s > 1 {
		d.r.Fail("list: bad removal step")
		return 0
	}
	return int(s)
}

// ins reads an insert (or a run of the state) and checks its ranges.
func (d *decoder) ins(tomb bool) insRec {
	x := insRec{id: d.nonZeroDot()}
	n := d.r.Uvarint()
	x.back = d.r.Bool()
	x.l, x.r = d.dot(), d.dot()
	if d.r.Err() != nil {
		return x
	}
	if n == 0 || n > maxSeq || n > math.MaxUint32 || x.id.Seq+n-1 > maxSeq {
		d.r.Fail("list: bad run length")
		return x
	}
	x.n = int(n)
	if x.back && x.n == 1 {
		d.r.Fail("list: one-element run marked backward")
	}
	// An origin existed before the element it is the origin of: it is
	// neither in the run nor both origins at once.
	if x.l.Seq != 0 && x.l == x.r {
		d.r.Fail("list: one element as both origins")
	}
	for _, o := range [2]clock.Dot{x.l, x.r} {
		if o.Replica == x.id.Replica && o.Seq >= x.id.Seq && o.Seq-x.id.Seq < n {
			d.r.Fail("list: a run names its own element as origin")
		}
	}
	if tomb {
		x.rm = d.nonZeroDot()
		x.step = d.step()
		end := int64(x.rm.Seq) + int64(x.n-1)*int64(x.step)
		if x.n == 1 && x.step != 0 {
			d.r.Fail("list: one-element run with a removal step")
		}
		if end < 1 || end > maxSeq {
			d.r.Fail("list: removal dots out of range")
		}
		return x
	}
	if d.r.Len() < x.n {
		d.r.Fail("list: values exceed input")
		return x
	}
	// The run's values share one string: one allocation per run.
	d.scratch = d.scratch[:0]
	total := 0
	for range x.n {
		v := d.r.Bytes()
		d.scratch = append(d.scratch, v)
		total += len(v)
	}
	if d.r.Err() != nil {
		return x
	}
	var sb strings.Builder
	sb.Grow(total)
	for _, v := range d.scratch {
		sb.Write(v)
	}
	all := sb.String()
	x.vals = recVals{s: make([]string, x.n)}
	at := 0
	for k, v := range d.scratch {
		x.vals.s[k] = all[at : at+len(v)]
		at += len(v)
	}
	clear(d.scratch)
	return x
}

// UnmarshalBinary replaces l with the state encoded in data (l then
// records into no delta; see RecordInto). It returns an error wrapping
// wire.ErrMalformed, and leaves l unchanged, if data is not a valid
// encoding: every count is bounded by the input, every dot and run
// checked, and the elements must be distinct, their origins present and
// their dots in the context. O(n log n) for n runs and records.
//
// Removed elements cost no input bytes (a run of n tombstones, or a
// removal of n elements, is a few bytes whatever n), so nothing here, nor
// in merging the result, works element by element on them: decoding costs
// O(input) memory and O(input · log input) time whatever the number of
// elements the input names. (A run of fewer than 64 tombstones takes an
// index slot per element when merged: at most 63 per run.)
func (l *List) UnmarshalBinary(data []byte) error {
	d := decoder{r: wire.NewReader(data)}
	d.r.Header(tag, version1, "list")
	out := &List{delta: d.r.Bool()}
	cb := d.r.Bytes()
	if d.r.Err() == nil {
		if err := out.ctx.UnmarshalBinary(cb); err != nil {
			d.r.Fail("list: bad causal context")
		}
	}
	// The table may name more replicas than a store holds (maxReplicas):
	// held records may name replicas the store had no room for. The
	// store's own table is bounded as its runs are decoded.
	nr := d.r.Count(1)
	for i := 0; i < nr && d.r.Err() == nil; i++ {
		r := clock.ReplicaID(d.r.Uvarint())
		if i > 0 && r <= d.reps[i-1] {
			d.r.Fail("list: replicas not ascending")
		}
		d.reps = append(d.reps, r)
	}
	ni := d.r.Count(2)
	if ni > 0 && out.delta {
		d.r.Fail("list: a delta with elements")
	}
	var st *store
	if ni > 0 {
		st = newStore()
	}
	var spans []span
	var lives []int // indexes of live runs among items, for origin checks
	var items []insRec
	for i := 0; i < ni && d.r.Err() == nil; i++ {
		switch kind := d.r.Byte(); kind {
		case itemLive, itemTomb:
			x := d.ins(kind == itemTomb)
			if d.r.Err() != nil {
				break
			}
			items = append(items, x)
			lives = append(lives, len(items)-1)
			spans = append(spans, span{rep: x.id.Replica, lo: x.id.Seq, hi: x.id.Seq + uint64(x.n) - 1})
			if !st.decodeRun(&x) {
				d.r.Fail("list: too many replicas")
			}
		case itemBlock:
			first := d.nonZeroDot()
			n := d.r.Uvarint()
			ns := d.r.Count(3)
			if ns == 0 {
				d.r.Fail("list: empty block")
			}
			var bs []span
			total := uint64(0)
			for j := 0; j < ns && d.r.Err() == nil; j++ {
				ri := d.r.Uvarint()
				lo := d.r.Uvarint()
				w := d.r.Uvarint()
				if ri >= uint64(len(d.reps)) || lo == 0 || lo > maxSeq || w > maxSeq-lo {
					d.r.Fail("list: bad block span")
					break
				}
				sp := span{rep: d.reps[ri], lo: lo, hi: lo + w}
				if j > 0 {
					p := bs[j-1]
					if cmpReplica(sp.rep, p.rep) < 0 || (sp.rep == p.rep && sp.lo <= p.hi+1) {
						d.r.Fail("list: block spans not canonical")
						break
					}
				}
				bs = append(bs, sp)
				// Distinct seqs (at most maxSeq) of replicas: a total
				// that wraps past 2^64 needs more than maxReplicas of
				// them, which decodeBlock refuses; so the total of a
				// block the store accepts, and of any block Compact
				// joins from decoded ones, stays below 2^64.
				total += w + 1
			}
			if d.r.Err() != nil {
				break
			}
			if total != n || !slices.ContainsFunc(bs, func(sp span) bool {
				return sp.rep == first.Replica && sp.lo <= first.Seq && first.Seq <= sp.hi
			}) {
				d.r.Fail("list: block does not hold its dots")
				break
			}
			spans = append(spans, bs...)
			if !st.decodeBlock(first, bs) {
				d.r.Fail("list: too many replicas")
			}
		default:
			d.r.Fail("list: unknown item kind")
		}
	}
	if st != nil {
		st.sortColl()
	}
	// Every element once, and in the context.
	slices.SortFunc(spans, func(a, b span) int {
		if a.rep != b.rep {
			return cmpReplica(a.rep, b.rep)
		}
		return cmpU64(a.lo, b.lo)
	})
	for i := range spans {
		if i > 0 && spans[i].rep == spans[i-1].rep && spans[i].lo <= spans[i-1].hi {
			d.r.Fail("list: an element appears twice")
			break
		}
		if !out.ctx.Contains(clock.Dot{Replica: spans[i].rep, Seq: spans[i].lo}) ||
			!out.ctx.Contains(clock.Dot{Replica: spans[i].rep, Seq: spans[i].hi}) {
			d.r.Fail("list: an element outside the context")
			break
		}
	}
	nl := d.r.Count(3)
	if nl > 0 && st == nil {
		d.r.Fail("list: LSET of a missing element")
	}
	var prevLWW clock.Dot
	for i := 0; i < nl && d.r.Err() == nil; i++ {
		e := d.nonZeroDot()
		at := clock.Stamp{Time: clock.Timestamp(d.r.Uvarint()), Replica: clock.ReplicaID(d.r.Uvarint())}
		if d.r.Err() != nil {
			break
		}
		if i > 0 && e.Compare(prevLWW) <= 0 {
			d.r.Fail("list: LSETs not ascending")
			break
		}
		prevLWW = e
		pe, ok := st.lookupDot(e)
		var lc loc
		if ok {
			st.buildIndex()
			lc, ok = st.find(pe)
		}
		if !ok || !st.tree.At(lc.c).live() || at == (clock.Stamp{}) {
			d.r.Fail("list: LSET of a missing element")
			break
		}
		if st.lww == nil {
			st.lww = make(map[pdot]clock.Stamp)
		}
		st.lww[pe] = at
	}
	recs := d.records()
	if d.r.Err() == nil && st != nil {
		st.buildIndex()
		for _, i := range lives {
			x := &items[i]
			for _, o := range [2]clock.Dot{x.l, x.r} {
				if po, ok := st.lookupDot(o); o.Seq != 0 && (!ok || !st.has(po)) {
					d.r.Fail("list: origin of an element missing")
				}
			}
		}
	}
	if d.r.Err() == nil {
		out.checkRecords(&d.r, &recs, st)
	}
	if err := d.r.Done("list"); err != nil {
		return err
	}
	out.st = st
	out.recs = recs
	// Settle what an armed run left uncounted (see hotRun) before the
	// state it belongs to goes: settling it later would count it into the
	// decoded state.
	l.settle()
	*l = *out
	return nil
}

// decodeRun appends the run x at the end of the store.
func (s *store) decodeRun(x *insRec) bool {
	id, ok := s.pack(x.id)
	if !ok {
		return false
	}
	var l, r, rm pdot
	if l, ok = s.pack(x.l); !ok {
		return false
	}
	if r, ok = s.pack(x.r); !ok {
		return false
	}
	if rm, ok = s.pack(x.rm); !ok {
		return false
	}
	y := run{id: id, l: l, r: r, rm: rm, n: uint32(x.n)}
	if x.back {
		y.kind |= kindBack
	}
	if rm != 0 {
		y.kind |= stepKind(x.step)
		s.tombs += x.n
	} else {
		vs := &s.vals[id.rep()]
		y.val = vs.alloc(x.n)
		vs.setVals(y.val, x.vals)
	}
	s.tree.Insert(s.tree.End(), y, y.weight())
	return true
}

// decodeBlock appends a block at the end of the store. The collapsed
// table is left unsorted: the caller sorts it once all blocks are in.
func (s *store) decodeBlock(first clock.Dot, spans []span) bool {
	f, ok := s.pack(first)
	if !ok {
		return false
	}
	ds := make([]dotSpan, len(spans))
	for i, sp := range spans {
		r, ok := s.rep(sp.rep)
		if !ok {
			return false
		}
		ds[i] = dotSpan{rep: r, lo: sp.lo, hi: sp.hi}
	}
	if s.blocks == nil {
		s.blocks = make(map[pdot][]dotSpan)
	}
	s.blocks[f] = mergeSpans(ds)
	s.appendColl(f, s.blocks[f])
	s.tree.Insert(s.tree.End(), s.blockRun(f), 0)
	return true
}

// records reads the record section.
func (d *decoder) records() records {
	var r records
	n := d.r.Count(4)
	for i := 0; i < n && d.r.Err() == nil; i++ {
		tomb := d.r.Bool()
		r.ins.push(d.ins(tomb))
	}
	n = d.r.Count(4)
	for i := 0; i < n && d.r.Err() == nil; i++ {
		x := remRec{target: d.nonZeroDot()}
		c := d.r.Uvarint()
		x.rm = d.nonZeroDot()
		x.step = d.step()
		if d.r.Err() != nil {
			break
		}
		end := int64(x.rm.Seq) + int64(c-1)*int64(x.step)
		if c == 0 || c > maxSeq || c > math.MaxUint32 || x.target.Seq+c-1 > maxSeq || end < 1 || end > maxSeq || (c == 1 && x.step != 0) {
			d.r.Fail("list: bad removal")
			break
		}
		x.n = int(c)
		r.rem.push(x)
	}
	n = d.r.Count(5)
	for i := 0; i < n && d.r.Err() == nil; i++ {
		x := setRec{target: d.nonZeroDot()}
		x.at = clock.Stamp{Time: clock.Timestamp(d.r.Uvarint()), Replica: clock.ReplicaID(d.r.Uvarint())}
		x.value = d.r.String()
		x.dot = d.dot()
		r.set = append(r.set, x)
	}
	return r
}

// checkRecords checks that recs is in normal form and fits l: a delta's
// records lie in its context; a full state's held inserts do not (so they
// name no element of its store st), and its held removals and LSETs name
// none either. O(records · log).
func (l *List) checkRecords(r *wire.Reader, recs *records, st *store) {
	if !bytes.Equal(encodeHeld(recs), appendRecords(nil, recs)) && !recs.isEmpty() {
		r.Fail("list: records not in normal form")
		return
	}
	for x := range recs.ins.all() {
		if in, k := l.ctx.Run(x.id, uint64(x.n), 1); in != l.delta || k != uint64(x.n) {
			r.Fail("list: record outside its context")
			return
		}
	}
	if st == nil {
		return
	}
	// A full state holds a removal or an LSET back only while its target
	// is not there: one of an element it holds would have been applied,
	// unless the store's replica table is full and lacks the removal's
	// replica (ErrFull), as merging would find it too.
	for x := range recs.rem.all() {
		_, known := st.repIdx[x.rm.Replica]
		noRoom := !known && len(st.reps) >= maxReplicas
		if rep, ok := st.repIdx[x.target.Replica]; ok && !noRoom {
			if _, there := st.nextElem(rep, x.target.Seq, x.target.Seq+uint64(x.n)-1); there {
				r.Fail("list: a held removal of an element the state holds")
				return
			}
		}
	}
	for _, x := range recs.set {
		if pd, ok := st.lookupDot(x.target); ok && st.has(pd) {
			r.Fail("list: a held LSET of an element the state holds")
			return
		}
	}
}
