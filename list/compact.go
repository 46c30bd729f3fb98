package list

import (
	"slices"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/ostree"
)

// blockRec is a compacted block of another state, as a merge receives it.
type blockRec struct {
	first clock.Dot
	after clock.Dot // the element before the block there (zero: the start)
	spans []span
}

// span is the seqs [lo, hi] of one replica.
type span struct {
	rep    clock.ReplicaID
	lo, hi uint64
}

// Compact collapses the tombstones whose insert and removal are causally
// stable into blocks and returns the number of tombstones collapsed. A
// block keeps the list order and the dots of the elements it stands for,
// but no origins and no removal dots, so a long stretch of removed
// elements (the popped end of a queue) costs O(replicas) memory instead of
// O(elements). O(n).
//
// stable must be causally stable at this replica: every replica has
// integrated every dot stable holds (Context includes it), and this list
// has merged every delta any replica produced before it integrated them.
// A replication layer that learns each peer's context from the peer
// itself, on the same ordered stream as the peer's deltas, and takes the
// meet of those contexts and this list's own, meets both conditions. While
// the list holds back an insert whose origin has not arrived, Compact does
// nothing: that insert may still need the tombstones around its origin.
//
// Why this is safe: an element inserted later names as left origin an
// element that was visible to its replica, never a stable tombstone, and
// as right origin the element right after that one, so nothing can ever be
// inserted between two stable tombstones, and the only element of a block
// anything new can name is its first. Elements integrated before keep
// their origins; where those fall inside a block, all that later
// integrations compare them with lies outside it, so "somewhere inside the
// block" is exact enough.
func (l *List) Compact(stable clock.VersionVector) int {
	if l.delta || l.st == nil || l.recs.ins.len() > 0 {
		return 0
	}
	l.clearHot()
	l.flush()
	s := l.st
	bound := make([]uint64, len(s.reps))
	for i, r := range s.reps {
		bound[i] = stable.Get(r)
	}

	var items []run
	var cur []run // the current stretch of stable tombstones and blocks
	collapsed := 0
	joined := false // blocks joined into one: the tree changes too
	flushStretch := func() {
		if len(cur) == 0 {
			return
		}
		if len(cur) == 1 && cur[0].block() {
			items = append(items, cur[0])
			cur = cur[:0]
			return
		}
		first := cur[0].flatDot(0)
		if cur[0].block() {
			first = cur[0].id
		}
		var spans []dotSpan
		for i := range cur {
			x := &cur[i]
			if x.block() {
				spans = append(spans, s.blocks[x.id]...)
				delete(s.blocks, x.id)
				joined = true
				continue
			}
			collapsed += int(x.n)
			spans = append(spans, dotSpan{rep: x.id.rep(), lo: x.id.seq(), hi: x.id.seq() + uint64(x.n) - 1})
		}
		s.blocks[first] = mergeSpans(spans)
		items = append(items, s.blockRun(first))
		cur = cur[:0]
	}
	if s.blocks == nil {
		s.blocks = make(map[pdot][]dotSpan)
	}
	for c := s.tree.Begin(); !s.tree.IsEnd(c); c = s.tree.Next(c) {
		x := *s.tree.At(c)
		switch {
		case x.block():
			cur = append(cur, x)
		case x.live():
			flushStretch()
			items = append(items, x)
		default:
			// Split the tombstone run into its unstable, stable and
			// unstable stretches, in list order.
			f0, f1 := x.stableFlats(bound)
			type stretch struct {
				f, g   int
				stable bool
			}
			for _, p := range [3]stretch{{0, f0, false}, {f0, f1, true}, {f1, int(x.n), false}} {
				if p.f == p.g {
					continue
				}
				part := x.flatPart(p.f, p.g)
				if p.stable {
					cur = append(cur, part)
				} else {
					flushStretch()
					items = append(items, part)
				}
			}
		}
	}
	flushStretch()
	if collapsed == 0 && !joined {
		return 0
	}
	s.tombs -= collapsed
	s.rebuild(items)
	return collapsed
}

// stableFlats returns the flat offsets [f0, f1) of the elements of the
// tombstone run x inserted and removed at stable dots (seq at most
// bound[replica]). Both dots run on lines over the elements, so these are
// one stretch. O(1).
func (x *run) stableFlats(bound []uint64) (f0, f1 int) {
	n := int64(x.n)
	clamp := func(v int64) int64 { return min(max(v, 0), n) }
	// Seq indexes [lo, hi): inserted at a stable dot below ins, removed
	// at one from the removal line.
	lo, hi := int64(0), clamp(int64(bound[x.id.rep()])-int64(x.id.seq())+1)
	rb, rs := int64(bound[x.rm.rep()]), int64(x.rm.seq())
	switch x.step() {
	case 0:
		if rs > rb {
			hi = 0
		}
	case 1:
		hi = min(hi, clamp(rb-rs+1))
	case -1:
		lo = clamp(rs - rb)
	}
	if lo >= hi {
		return 0, 0
	}
	if x.back() {
		return int(n - hi), int(n - lo)
	}
	return int(lo), int(hi)
}

// flatPart returns the elements at flat offsets [f, g) of x.
func (x *run) flatPart(f, g int) run {
	n := int(x.n)
	if x.back() {
		return x.slice(n-g, n-f)
	}
	return x.slice(f, g)
}

// mergeSpans sorts spans and joins those that touch.
func mergeSpans(spans []dotSpan) []dotSpan {
	slices.SortFunc(spans, func(a, b dotSpan) int {
		if a.rep != b.rep {
			return int(a.rep) - int(b.rep)
		}
		return cmpU64(a.lo, b.lo)
	})
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && out[n-1].rep == sp.rep && sp.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, sp.hi)
			continue
		}
		out = append(out, sp)
	}
	return slices.Clip(out)
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rebuild replaces the tree with items, in order, and recomputes the
// collapsed table; the index is rebuilt on next use.
func (s *store) rebuild(items []run) {
	s.tree = ostree.New[run]()
	s.tree.OnMove(s.moved)
	for _, x := range items {
		s.tree.Insert(s.tree.End(), x, x.weight())
	}
	s.indexed, s.idx = false, nil
	s.cacheLeaf = nil
	s.rebuildColl()
}

// rebuildColl recomputes the collapsed table from the blocks.
func (s *store) rebuildColl() {
	for i := range s.coll {
		s.coll[i] = s.coll[i][:0]
	}
	for first, spans := range s.blocks {
		s.appendColl(first, spans)
	}
	s.sortColl()
}

// appendColl appends the dots of the block first to the collapsed table,
// leaving it for sortColl to sort.
func (s *store) appendColl(first pdot, spans []dotSpan) {
	for _, sp := range spans {
		s.coll[sp.rep] = append(s.coll[sp.rep], collRange{lo: sp.lo, hi: sp.hi, block: first})
	}
}

// sortColl sorts the collapsed table.
func (s *store) sortColl() {
	for i := range s.coll {
		slices.SortFunc(s.coll[i], func(a, b collRange) int { return cmpU64(a.lo, b.lo) })
		if len(s.coll[i]) == 0 {
			s.coll[i] = nil
		}
	}
}

// addColl adds the dots of the new block first to the sorted collapsed
// table. O(log r) to find each place, plus moving the ranges after it
// (none when blocks arrive in seq order, as a state's do).
func (s *store) addColl(first pdot, spans []dotSpan) {
	for _, sp := range spans {
		rs := s.coll[sp.rep]
		i, _ := slices.BinarySearchFunc(rs, sp.lo, func(r collRange, lo uint64) int { return cmpU64(r.lo, lo) })
		s.coll[sp.rep] = slices.Insert(rs, i, collRange{lo: sp.lo, hi: sp.hi, block: first})
	}
}

// blockLen returns the number of elements of the block b: the dots it
// holds, which may be more than a run's 32-bit n can count.
func (s *store) blockLen(b pdot) uint64 {
	n := uint64(0)
	for _, sp := range s.blocks[b] {
		n += sp.hi - sp.lo + 1
	}
	return n
}

// blockRun returns the tree item of the block b, whose spans are in
// s.blocks: its n is the block's length, or maxRunLen if longer (the
// length of a block is blockLen's; n only tells it from other items).
func (s *store) blockRun(b pdot) run {
	return run{id: b, n: uint32(min(s.blockLen(b), maxRunLen)), kind: kindBlock}
}

// blockSpans returns the dots of the block b, sorted.
func (s *store) blockSpans(b pdot) []span {
	sps := s.blocks[b]
	out := make([]span, len(sps))
	for i, sp := range sps {
		out[i] = span{rep: s.reps[sp.rep], lo: sp.lo, hi: sp.hi}
	}
	slices.SortFunc(out, func(a, b span) int {
		if a.rep != b.rep {
			return cmpReplica(a.rep, b.rep)
		}
		return cmpU64(a.lo, b.lo)
	})
	return out
}

// mergeBlock integrates a block of another state. A block whose first
// element this list has seen is known here (Compact's contract: every
// replica saw its elements). Otherwise it goes right after the element
// that precedes it in the other state (or first): exact for a list that
// starts empty, the way a replica joins.
func (l *List) mergeBlock(b blockRec) {
	s := l.st
	if l.ctx.Contains(b.first) {
		return
	}
	first, ok := s.pack(b.first)
	if !ok {
		return
	}
	spans := make([]dotSpan, 0, len(b.spans))
	for _, sp := range b.spans {
		r, ok := s.rep(sp.rep)
		if !ok {
			return
		}
		spans = append(spans, dotSpan{rep: r, lo: sp.lo, hi: sp.hi})
	}
	c := s.tree.Begin()
	if after, ok := s.lookupDot(b.after); ok && after != 0 {
		if lc, ok := s.find(after); ok {
			c = s.tree.Next(lc.c) // after the run holding it, never inside
		}
	}
	if s.blocks == nil {
		s.blocks = make(map[pdot][]dotSpan)
	}
	s.blocks[first] = mergeSpans(spans)
	s.addColl(first, s.blocks[first])
	nc := s.insertItem(c, s.blockRun(first))
	s.setLeaf(s.tree.At(nc), nc.Leaf)
}
