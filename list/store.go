package list

import (
	"math/bits"
	"slices"

	"github.com/google/btree"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/ostree"
)

// store is the integrated part of a full state: the sequence of runs in
// list order and everything needed to find an element by its dot.
type store struct {
	tree   *ostree.Tree[run]
	reps   []clock.ReplicaID // replica table: pdot replica index → ID
	repIdx map[clock.ReplicaID]uint16
	vals   []values // per replica: element values by slot
	lww    map[pdot]clock.Stamp
	coll   [][]collRange      // per replica: compacted dots → their block
	blocks map[pdot][]dotSpan // per block (by first dot): the dots it holds
	tombs  int                // tombstoned elements outside blocks

	// idx finds the leaf holding an element from its dot: per replica,
	// pages of leaf pointers by seq. It is built on first use (merges
	// need it, local edits do not) and kept up to date from then on.
	idx     []pages
	indexed bool

	hot     hotRun   // where typing continues, for the fast paths of InsertAt and RemoveAt
	scratch incoming // a merge's working space, kept between merges

	// The replica looked up last, to spare the map on every edit.
	lastRep    clock.ReplicaID
	lastRepIdx uint16
	lastRepOK  bool

	// The cursor cache: the leaf of the last local edit and the number
	// of visible elements before it, valid while cacheGen is the tree's
	// generation and no edit touched another leaf; and the run found last
	// in it (slot, -1 for none) with the visible elements before that.
	cacheLeaf  *ostree.Leaf[run]
	cacheStart int
	cacheGen   uint64
	cacheSlot  int
	cacheItem  int
}

// collRange maps the compacted seqs [lo, hi] of one replica to the block
// holding them.
type collRange struct {
	lo, hi uint64
	block  pdot
}

// dotSpan is the seqs [lo, hi] of one replica.
type dotSpan struct {
	rep    uint16
	lo, hi uint64
}

const pageSize = 128

type page struct {
	leaf [pageSize]*ostree.Leaf[run]
	used int
	// spanned is set once a range of long may overlap the page's seqs
	// (and always for a page in far): only then do its slots need the
	// tree.
	spanned bool
}

// pages is one replica's part of the index: page i covers the seqs of
// page number base+i, so the seqs of long-compacted elements cost nothing.
// The dense range p grows only while at most about half of it is empty
// pages; a page farther off goes to the tree far, ordered by page number,
// so that a few elements with far-apart seqs (which a decoded state may
// hold) cost a few pages, not the span between them. A page is in p or in
// far, never both.
//
// The elements of a run of longRun or more, and of a tombstone run of
// tombRun or more (a run of tombstones costs no input bytes, so a decoded
// one may be of any length), are indexed as one range in long instead,
// which overrides the pages: writing one element's slot cuts it out of any
// range, and writing a range overrides the slots under it, so for every
// seq the latest write is the one read. Pages no range overlaps (not
// spanned) answer without the tree.
type pages struct {
	base int
	p    []*page
	np   int // pages held in p
	far  *btree.BTreeG[farPage]
	long *btree.BTreeG[seqSpan]
	// lo and hi bound every range long has held, so that writes outside
	// them (new elements, mostly) skip the tree.
	lo, hi uint64
}

// longRun is the shortest live run whose elements the index holds as a
// range: long enough that editing text rarely makes one, so the ranges
// serve long pushes. tombRun is the shortest tombstone run held as a
// range, so that the index costs at most tombRun slots per tombstone run,
// whatever its length: a removal of many elements, or a decoded state
// holding one, costs O(runs), not O(elements).
const (
	longRun = 32 * pageSize
	tombRun = pageSize / 2
)

// seqSpan maps the seqs [lo, hi] to the leaf holding them.
type seqSpan struct {
	lo, hi uint64
	leaf   *ostree.Leaf[run]
}

func seqSpanLess(a, b seqSpan) bool { return a.lo < b.lo }

// spanOf returns the leaf of the range holding seq, or false. O(log
// ranges).
func (ps *pages) spanOf(seq uint64) (*ostree.Leaf[run], bool) {
	if ps.long == nil || ps.long.Len() == 0 || seq < ps.lo || seq > ps.hi {
		return nil, false
	}
	var leaf *ostree.Leaf[run]
	found := false
	ps.long.DescendLessOrEqual(seqSpan{lo: seq}, func(x seqSpan) bool {
		leaf, found = x.leaf, x.hi >= seq
		return false
	})
	return leaf, found
}

// unspan takes the seqs [lo, hi] out of every range. O((1 + ranges
// overlapping) · log ranges).
func (ps *pages) unspan(lo, hi uint64) {
	if ps.long == nil || ps.long.Len() == 0 || hi < ps.lo || lo > ps.hi {
		return
	}
	var hit []seqSpan
	ps.long.DescendLessOrEqual(seqSpan{lo: lo}, func(x seqSpan) bool {
		if x.hi >= lo {
			hit = append(hit, x)
		}
		return false
	})
	ps.long.AscendGreaterOrEqual(seqSpan{lo: lo}, func(x seqSpan) bool {
		if x.lo > hi {
			return false
		}
		if len(hit) == 0 || hit[0].lo != x.lo {
			hit = append(hit, x)
		}
		return true
	})
	for _, x := range hit {
		ps.long.Delete(x)
		if x.lo < lo {
			ps.long.ReplaceOrInsert(seqSpan{lo: x.lo, hi: lo - 1, leaf: x.leaf})
		}
		if x.hi > hi {
			ps.long.ReplaceOrInsert(seqSpan{lo: hi + 1, hi: x.hi, leaf: x.leaf})
		}
	}
}

// span maps the seqs [lo, hi] to leaf, over any earlier range or slot.
func (ps *pages) span(lo, hi uint64, leaf *ostree.Leaf[run]) {
	if ps.long == nil {
		ps.long = btree.NewG(16, seqSpanLess)
		ps.lo, ps.hi = lo, hi
	}
	ps.unspan(lo, hi)
	ps.lo, ps.hi = min(ps.lo, lo), max(ps.hi, hi)
	ps.long.ReplaceOrInsert(seqSpan{lo: lo, hi: hi, leaf: leaf})
	// Mark the dense pages the range overlaps (those in far always are).
	for n := max(int(lo/pageSize), ps.base); n <= int(hi/pageSize) && n-ps.base < len(ps.p); n++ {
		if pg := ps.p[n-ps.base]; pg != nil {
			pg.spanned = true
		}
	}
}

// overlaps reports whether a range of long overlaps the seqs [lo, hi].
// Ranges are disjoint, so only the last one starting at or before hi can.
func (ps *pages) overlaps(lo, hi uint64) bool {
	if ps.long == nil || ps.long.Len() == 0 || hi < ps.lo || lo > ps.hi {
		return false
	}
	found := false
	ps.long.DescendLessOrEqual(seqSpan{lo: hi}, func(x seqSpan) bool {
		found = x.hi >= lo
		return false
	})
	return found
}

// farPage is page number n, held in far.
type farPage struct {
	n  int
	pg *page
}

// get returns page number n, or nil.
func (ps *pages) get(n int) *page {
	if i := n - ps.base; i >= 0 && i < len(ps.p) && ps.p[i] != nil {
		return ps.p[i]
	}
	if ps.far != nil {
		if x, ok := ps.far.Get(farPage{n: n}); ok {
			return x.pg
		}
	}
	return nil
}

// add stores pg as page number n, which ps does not hold.
func (ps *pages) add(n int, pg *page) {
	if len(ps.p) == 0 {
		ps.base = n
	}
	lo, hi := min(ps.base, n), max(ps.base+len(ps.p)-1, n)
	if hi-lo+1 > 2*(ps.np+1)+64 {
		if ps.far == nil {
			ps.far = btree.NewG(8, func(a, b farPage) bool { return a.n < b.n })
		}
		ps.far.ReplaceOrInsert(farPage{n: n, pg: pg})
		pg.spanned = true
		return
	}
	if n < ps.base {
		grown := make([]*page, ps.base-n+len(ps.p))
		copy(grown[ps.base-n:], ps.p)
		ps.p, ps.base = grown, n
	}
	for len(ps.p) <= n-ps.base {
		ps.p = append(ps.p, nil)
	}
	ps.p[n-ps.base] = pg
	ps.np++
}

func newStore() *store {
	s := &store{tree: ostree.New[run]()}
	s.tree.OnMove(s.moved)
	return s
}

// rep returns the replica index of id, adding id to the table. It returns
// false if the table is full.
func (s *store) rep(id clock.ReplicaID) (uint16, bool) {
	if s.lastRepOK && s.lastRep == id {
		return s.lastRepIdx, true
	}
	if i, ok := s.repIdx[id]; ok {
		s.lastRep, s.lastRepIdx, s.lastRepOK = id, i, true
		return i, true
	}
	if len(s.reps) >= maxReplicas {
		return 0, false
	}
	if s.repIdx == nil {
		s.repIdx = make(map[clock.ReplicaID]uint16)
	}
	i := uint16(len(s.reps))
	s.reps = append(s.reps, id)
	s.repIdx[id] = i
	s.vals = append(s.vals, values{})
	s.coll = append(s.coll, nil)
	if s.indexed {
		s.idx = append(s.idx, pages{})
	}
	return i, true
}

// pack converts a dot to a pdot, adding its replica to the table; the
// zero dot packs to 0. It returns false if the dot cannot be held.
func (s *store) pack(d clock.Dot) (pdot, bool) {
	if d.Seq == 0 {
		return 0, true
	}
	if d.Seq > maxSeq {
		return 0, false
	}
	r, ok := s.rep(d.Replica)
	return mkdot(r, d.Seq), ok
}

// lookupDot converts a dot to a pdot without growing the table; it returns
// false if the dot's replica is unknown (so the dot is not held).
func (s *store) lookupDot(d clock.Dot) (pdot, bool) {
	if d.Seq == 0 {
		return 0, true
	}
	r, ok := s.repIdx[d.Replica]
	if !ok || d.Seq > maxSeq {
		return 0, false
	}
	return mkdot(r, d.Seq), true
}

func (s *store) unpack(d pdot) clock.Dot {
	if d == 0 {
		return clock.Dot{}
	}
	return clock.Dot{Replica: s.reps[d.rep()], Seq: d.seq()}
}

// value returns the value of the element with seq index k of the live run x.
func (s *store) value(x *run, k int) string { return s.vals[x.id.rep()].get(x.val + uint64(k)) }

// clone returns a deep copy of s; the copy builds its own index when it
// first needs one.
func (s *store) clone() *store {
	c := &store{
		tree:   s.tree.Clone(),
		reps:   slices.Clone(s.reps),
		repIdx: make(map[clock.ReplicaID]uint16, len(s.reps)),
		vals:   make([]values, len(s.vals)),
		tombs:  s.tombs,
		coll:   make([][]collRange, len(s.coll)),
	}
	c.tree.OnMove(c.moved)
	for i, id := range s.reps {
		c.repIdx[id] = uint16(i)
	}
	for i := range s.vals {
		c.vals[i] = s.vals[i].clone()
	}
	for i := range s.coll {
		c.coll[i] = slices.Clone(s.coll[i])
	}
	if len(s.lww) > 0 {
		c.lww = make(map[pdot]clock.Stamp, len(s.lww))
		for k, v := range s.lww {
			c.lww[k] = v
		}
	}
	if len(s.blocks) > 0 {
		c.blocks = make(map[pdot][]dotSpan, len(s.blocks))
		for k, v := range s.blocks {
			c.blocks[k] = slices.Clone(v)
		}
	}
	return c
}

// values holds the values of one replica's elements by slot. Slots are
// handed out in order; a run's elements have consecutive slots. Chunks
// grow from 8 to chunkMax slots, and a chunk whose every slot has been
// handed out and cleared is freed.
type values struct {
	chunks []chunk // chunk base+i
	live   []int32
	base   int // leading chunks freed and dropped, or kept
	next   uint64
	// kept holds chunks below base that still hold values: a chunk at
	// the front that stays live (an element never removed) while the one
	// after it is freed moves here, so that freed chunks after it are
	// dropped rather than kept for its sake. Memory then follows the
	// values held, not the slots ever handed out.
	kept map[int]*keptChunk
}

// keptChunk is a chunk of values.kept and its count of live values.
type keptChunk struct {
	chunk
	live int32
}

// chunk holds the values of one chunk of slots. While every value stored
// in it is one byte long (text, one character per element), it keeps just
// those bytes, which cost one byte a value and nothing for the collector
// to scan; the first value of another length turns it into strings for
// good. A freed (or never used) chunk has neither.
type chunk struct {
	b []byte   // one-byte values, while s is nil
	s []string // every value, once one was not one byte long
}

func (ch *chunk) empty() bool { return ch.b == nil && ch.s == nil }

// put stores s at offset o of the allocated chunk ch.
func (ch *chunk) put(o int, s string) {
	if ch.s == nil {
		if len(s) == 1 {
			ch.b[o] = s[0]
			return
		}
		ch.s = make([]string, len(ch.b))
		for j, c := range ch.b {
			ch.s[j] = byteString(c)
		}
		ch.b = nil
	}
	ch.s[o] = s
}

func (ch *chunk) get(o int) string {
	if ch.s != nil {
		return ch.s[o]
	}
	return byteString(ch.b[o])
}

// allBytes holds every byte value once, so byteString allocates nothing.
var allBytes = func() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}()

// byteString returns the one-byte string of c.
func byteString(c byte) string { return allBytes[c : int(c)+1] }

const chunkMax = 1024

// chunkOf returns the chunk and offset of slot i: chunks 0..7 hold 8, 8,
// 16, …, 512 slots (1024 in all), the rest chunkMax each.
func chunkOf(i uint64) (int, int) {
	if i < chunkMax {
		c := max(bits.Len64(i)-3, 0)
		if c == 0 {
			return 0, int(i)
		}
		return c, int(i - 1<<(c+2))
	}
	return int(i/chunkMax) + 7, int(i % chunkMax)
}

func chunkLen(c int) int {
	switch {
	case c == 0:
		return 8
	case c < 8:
		return 1 << (c + 2)
	}
	return chunkMax
}

// alloc reserves n consecutive slots and returns the first.
func (v *values) alloc(n int) uint64 {
	i := v.next
	v.next += uint64(n)
	return i
}

// canExtend reports whether the slot after last is the next one alloc
// would hand out.
func (v *values) canExtend(last uint64) bool { return v.next == last+1 }

func (v *values) set(i uint64, s string) {
	c, o := chunkOf(i)
	c -= v.base
	for len(v.chunks) <= c {
		v.chunks = append(v.chunks, chunk{})
		v.live = append(v.live, 0)
	}
	ch := &v.chunks[c]
	if ch.empty() {
		if len(s) == 1 {
			ch.b = make([]byte, chunkLen(c+v.base))
		} else {
			ch.s = make([]string, chunkLen(c+v.base))
		}
	}
	ch.put(o, s)
	v.live[c]++
}

// add stores s in the next slot, handing it out (alloc(1), then set): a
// character typed into a byte chunk takes no further call.
func (v *values) add(s string) {
	i := v.next
	v.next++
	if c := int(i/chunkMax) + 7 - v.base; i >= chunkMax && len(s) == 1 && c >= 0 && c < len(v.chunks) {
		if ch := &v.chunks[c]; ch.s == nil && ch.b != nil {
			ch.b[i%chunkMax] = s[0]
			v.live[c]++
			return
		}
	}
	v.set(i, s)
}

// setRun stores vals in the slots from i on.
func (v *values) setRun(i uint64, vals []string) {
	for k, s := range vals {
		j := i + uint64(k)
		if j >= chunkMax {
			// Past the small chunks: fixed size, no bit tricks.
			c, o := int(j/chunkMax)+7-v.base, int(j%chunkMax)
			if c >= 0 && c < len(v.chunks) {
				if ch := &v.chunks[c]; ch.s == nil && ch.b != nil && len(s) == 1 {
					ch.b[o] = s[0]
					v.live[c]++
					continue
				}
			}
		}
		v.set(j, s)
	}
}

// setVals stores the values of an insert record in the slots from i on.
func (v *values) setVals(i uint64, rv recVals) {
	if rv.s != nil {
		v.setRun(i, rv.s)
		return
	}
	for k, b := range rv.b {
		j := i + uint64(k)
		if j >= chunkMax {
			// As in setRun: a byte into a byte chunk.
			if c := int(j/chunkMax) + 7 - v.base; c >= 0 && c < len(v.chunks) {
				if ch := &v.chunks[c]; ch.s == nil && ch.b != nil {
					ch.b[j%chunkMax] = b
					v.live[c]++
					continue
				}
			}
		}
		v.set(j, byteString(b))
	}
}

// at returns chunk c (by number, not counted from base) of a live slot
// and its count of live values.
func (v *values) at(c int) (*chunk, *int32) {
	if c >= v.base {
		return &v.chunks[c-v.base], &v.live[c-v.base]
	}
	k := v.kept[c]
	return &k.chunk, &k.live
}

// overwrite replaces the value in a live slot.
func (v *values) overwrite(i uint64, s string) {
	c, o := chunkOf(i)
	ch, _ := v.at(c)
	ch.put(o, s)
}

func (v *values) get(i uint64) string {
	c, o := chunkOf(i)
	if c >= v.base {
		return v.chunks[c-v.base].get(o)
	}
	return v.kept[c].get(o)
}

// clear drops the value in a live slot, freeing its chunk when that was
// the chunk's last live value and no slot of it remains to hand out.
func (v *values) clear(i uint64) {
	c, o := chunkOf(i)
	if ch, _ := v.at(c); ch.s != nil {
		ch.s[o] = ""
	}
	v.release(c)
}

// take returns the value in a live slot and clears it (see clear). A
// slot past the small chunks and not kept, the usual case, takes no call
// unless its chunk is freed.
func (v *values) take(i uint64) string {
	if c := int(i/chunkMax) + 7 - v.base; i >= chunkMax && c >= 0 && c < len(v.chunks) {
		ch := &v.chunks[c]
		var s string
		if o := i % chunkMax; ch.s != nil {
			s = ch.s[o]
			ch.s[o] = ""
		} else {
			s = byteString(ch.b[o])
		}
		if v.live[c]--; v.live[c] == 0 {
			v.free(c + v.base)
		}
		return s
	}
	c, o := chunkOf(i)
	ch, _ := v.at(c)
	var s string
	if ch.s != nil {
		s = ch.s[o]
		ch.s[o] = ""
	} else {
		s = byteString(ch.b[o])
	}
	v.release(c)
	return s
}

// release notes that a value of chunk c (by number) was cleared, freeing
// the chunk when that was its last live value and no slot of it remains
// to hand out.
func (v *values) release(c int) {
	_, live := v.at(c)
	*live--
	if *live == 0 {
		v.free(c)
	}
}

// free frees chunk c (by number), whose values are all cleared, unless
// slots of it remain to hand out. Freed chunks at the front are dropped
// (a queue frees them in order); a live chunk at the front followed by a
// freed one moves to kept, so that it does not hold the freed ones.
// O(1) amortized.
func (v *values) free(c int) {
	nc, _ := chunkOf(v.next)
	if c >= nc {
		return
	}
	if c < v.base {
		delete(v.kept, c)
		return
	}
	v.chunks[c-v.base] = chunk{}
	for len(v.chunks) > 1 && v.base+1 < nc {
		if !v.chunks[0].empty() {
			if !v.chunks[1].empty() {
				break
			}
			if v.kept == nil {
				v.kept = make(map[int]*keptChunk)
			}
			v.kept[v.base] = &keptChunk{chunk: v.chunks[0], live: v.live[0]}
		}
		v.chunks, v.live = v.chunks[1:], v.live[1:]
		v.base++
	}
}

func (v *values) clone() values {
	out := values{chunks: make([]chunk, len(v.chunks)), live: slices.Clone(v.live), base: v.base, next: v.next}
	for i, ch := range v.chunks {
		out.chunks[i] = chunk{b: slices.Clone(ch.b), s: slices.Clone(ch.s)}
	}
	if len(v.kept) > 0 {
		out.kept = make(map[int]*keptChunk, len(v.kept))
		for c, k := range v.kept {
			out.kept[c] = &keptChunk{chunk: chunk{b: slices.Clone(k.b), s: slices.Clone(k.s)}, live: k.live}
		}
	}
	return out
}

// setLeaf records that the elements of x live in leaf l (when indexed).
func (s *store) setLeaf(x *run, l *ostree.Leaf[run]) {
	if !s.indexed {
		return
	}
	if x.block() {
		s.setSeqLeaf(x.id.rep(), x.id.seq(), l)
		return
	}
	rep := x.id.rep()
	if x.n >= longRun || x.n >= tombRun && !x.live() {
		s.idx[rep].span(x.id.seq(), x.id.seq()+uint64(x.n)-1, l)
		return
	}
	s.setSeqRange(rep, x.id.seq(), x.id.seq()+uint64(x.n)-1, l)
}

// setSeqRange records that the elements of replica rep with the seqs
// [lo, hi] live in leaf l, a page at a time: over any range of long they
// were in (see pages). O(hi−lo + pages), plus the ranges it cuts.
func (s *store) setSeqRange(rep uint16, lo, hi uint64, l *ostree.Leaf[run]) {
	ps := &s.idx[rep]
	for lo <= hi {
		n := int(lo / pageSize)
		end := min(hi, uint64(n)*pageSize+pageSize-1) // the last seq in this page
		pg := ps.get(n)
		if pg == nil {
			pg = &page{spanned: ps.overlaps(uint64(n)*pageSize, uint64(n)*pageSize+pageSize-1)}
			ps.add(n, pg)
		}
		if pg.spanned {
			ps.unspan(lo, end)
		}
		slots := pg.leaf[lo%pageSize : end%pageSize+1]
		for i := range slots {
			if slots[i] == nil {
				pg.used++
			}
			slots[i] = l
		}
		lo = end + 1
	}
}

// setSeqLeaf records that the element (rep, seq) lives in leaf l.
func (s *store) setSeqLeaf(rep uint16, seq uint64, l *ostree.Leaf[run]) {
	s.setSeqRange(rep, seq, seq, l)
}

// moved is the tree's OnMove hook.
func (s *store) moved(items []run, to *ostree.Leaf[run]) {
	if !s.indexed {
		return
	}
	for i := range items {
		s.setLeaf(&items[i], to)
	}
}

// buildIndex indexes every element. O(n).
func (s *store) buildIndex() {
	if s.indexed {
		return
	}
	s.indexed = true
	s.idx = make([]pages, len(s.reps))
	for l := s.tree.Begin().Leaf; l != nil; l = l.Next() {
		items := l.Items()
		for i := range items {
			s.setLeaf(&items[i], l)
		}
	}
}

// leafOf returns the leaf holding element d per the index, or nil.
func (s *store) leafOf(d pdot) *ostree.Leaf[run] {
	ps := &s.idx[d.rep()]
	pg := ps.get(int(d.seq() / pageSize))
	if pg == nil || pg.spanned {
		if l, ok := ps.spanOf(d.seq()); ok {
			return l
		}
	}
	if pg == nil {
		return nil
	}
	return pg.leaf[d.seq()%pageSize]
}

// collapsedIn returns the block that holds the compacted element d.
func (s *store) collapsedIn(d pdot) (pdot, bool) {
	r, ok := s.collRangeOf(d)
	return r.block, ok
}

// collRangeOf returns the compacted range holding d. O(log ranges).
func (s *store) collRangeOf(d pdot) (collRange, bool) {
	rs := s.coll[d.rep()]
	seq := d.seq()
	i, _ := slices.BinarySearchFunc(rs, seq, func(r collRange, seq uint64) int {
		switch {
		case r.hi < seq:
			return -1
		case r.lo > seq:
			return 1
		}
		return 0
	})
	if i < len(rs) && rs[i].lo <= seq && seq <= rs[i].hi {
		return rs[i], true
	}
	return collRange{}, false
}

// nextElem returns the smallest seq in [from, to] of an element of replica
// rep that the store holds, integrated or compacted, or false. The index
// must be built. O(log ranges + log far pages + dense pages from from's
// page to the answer's): every page holds an element, so at most two far
// pages are looked at.
func (s *store) nextElem(rep uint16, from, to uint64) (uint64, bool) {
	best := to + 1
	ps := &s.idx[rep]
	if ps.long != nil {
		ps.long.DescendLessOrEqual(seqSpan{lo: from}, func(x seqSpan) bool {
			if x.hi >= from {
				best = from
			}
			return false
		})
		ps.long.AscendGreaterOrEqual(seqSpan{lo: from}, func(x seqSpan) bool {
			best = min(best, x.lo)
			return false
		})
	}
	rs := s.coll[rep]
	if i, _ := slices.BinarySearchFunc(rs, from, func(r collRange, seq uint64) int { return cmpU64(r.hi, seq) }); i < len(rs) {
		best = min(best, max(rs[i].lo, from))
	}
	// Pages: the dense ones in order up to best, then those held far off.
	for n := max(int(from/pageSize), ps.base); n-ps.base < len(ps.p) && uint64(n)*pageSize < best; n++ {
		best = min(best, ps.p[n-ps.base].first(max(from, uint64(n)*pageSize), best))
	}
	if ps.far != nil {
		ps.far.AscendGreaterOrEqual(farPage{n: int(from / pageSize)}, func(x farPage) bool {
			if uint64(x.n)*pageSize >= best {
				return false
			}
			best = min(best, x.pg.first(max(from, uint64(x.n)*pageSize), best))
			return true
		})
	}
	return best, best <= to
}

// first returns the smallest seq in [from, limit) whose slot in pg (a
// nil pg holds none) is set, or limit. Seqs outside pg are skipped.
func (pg *page) first(from, limit uint64) uint64 {
	if pg == nil {
		return limit
	}
	for seq := from; seq < limit; seq++ {
		if seq/pageSize != from/pageSize {
			break
		}
		if pg.leaf[seq%pageSize] != nil {
			return seq
		}
	}
	return limit
}

// loc is where an element is: the run holding it and its flat offset
// there. For an element compacted into a block, off is 0 for the block's
// first element and 1 for the others, which all compare alike.
type loc struct {
	c   ostree.Cursor[run]
	off int
}

// find returns where the integrated element d is; false if it is not
// integrated. The index must be built. O(log n).
func (s *store) find(d pdot) (loc, bool) {
	target := d
	inBlock := false
	if b, ok := s.collapsedIn(d); ok {
		target, inBlock = b, true
	}
	l := s.leafOf(target)
	if l == nil {
		return loc{}, false
	}
	items := l.Items()
	for i := range items {
		x := &items[i]
		if inBlock {
			if x.block() && x.id == target {
				off := 0
				if d != target {
					off = 1
				}
				return loc{c: ostree.Cursor[run]{Leaf: l, Slot: i}, off: off}, true
			}
			continue
		}
		if k, ok := x.contains(d); ok {
			f := k
			if x.back() {
				f = int(x.n) - 1 - k
			}
			return loc{c: ostree.Cursor[run]{Leaf: l, Slot: i}, off: f}, true
		}
	}
	return loc{}, false
}

// has reports whether the element d is integrated.
func (s *store) has(d pdot) bool {
	_, ok := s.find(d)
	return ok
}
