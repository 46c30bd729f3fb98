package list

import (
	"bytes"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// Merge joins o into l and reports whether l changed. o's content is not
// modified, though Merge may fold o's lazily kept dots into its context
// and settle the counts o's typing deferred (in o, and in the delta it
// records into or the list recording into it); l keeps no reference into
// o.
//
// Merging a delta or a full state is one operation: every element o holds
// that l lacks is integrated at its place (see the package documentation),
// every removal and LSET applied. An insert whose origin l lacks yet, and a
// removal or LSET of an element l lacks yet, is held and integrated when
// that element arrives. A delta merged into a delta stays a delta; merged
// with a full state, l becomes one.
//
// O(m log n) for m runs and removals in o when nothing is held; a full
// state o costs O(size of o). With k records held, O(m log k) more; when
// o brings an element one of them waits for, O(k) to find the ones it
// wakes, and O(k log k + v), v the values held, if a chain of wakes runs
// long or o brings a block (held records are joined into maximal runs as
// they grow).
func (l *List) Merge(o *List) bool {
	if o == l {
		return false
	}
	l.clearHot()
	o.flush()
	if l.delta && o.delta {
		return l.mergeDelta(o)
	}
	changed := false
	if l.delta {
		l.store()
		changed = true
	}
	if !o.delta && l.isEmptyState() && !o.isEmptyState() {
		// A list holding nothing (no element, nothing held; a context
		// at most) takes a copy of a full state, exact even for
		// compacted blocks, which cannot be re-integrated in place, and
		// keeps the dots it had seen.
		rec, seen := l.rec, l.context().Clone()
		*l = *o.Clone()
		l.rec = rec
		l.mergeContext(l.heldIndex(), &seen)
		return true
	}
	if l.st == nil {
		if o.isEmptyState() {
			return l.context().Merge(&o.ctx) || changed
		}
		l.st = newStore()
	}
	return l.mergeInto(o) || changed
}

// isEmptyState reports whether l holds no element and no held record.
func (l *List) isEmptyState() bool {
	return (l.st == nil || l.st.tree.Len() == 0) && l.recs.isEmpty()
}

// mergeDelta joins the delta o into the delta l: the records of o that l
// lacks, by their dots.
func (l *List) mergeDelta(o *List) bool {
	ctx := l.context()
	for x := range o.recs.ins.all() {
		clipIns(x, ctx, func(x insRec) {
			x.vals = x.vals.clone()
			l.recs.ins.push(x)
		}, func(x remRec) {
			clipRem(&x, ctx, func(x remRec) { l.recs.rem.push(x) })
		})
	}
	for x := range o.recs.rem.all() {
		clipRem(x, ctx, func(x remRec) { l.recs.rem.push(x) })
	}
	for _, x := range o.recs.set {
		if x.dot.Seq == 0 || !ctx.Contains(x.dot) {
			l.recs.set = append(l.recs.set, x)
		}
	}
	return ctx.Merge(&o.ctx)
}

// clipIns splits x into the inserts of elements ctx does not hold (passed
// to keep) and, for elements it holds that x removes, removals (passed to
// rem). O(pieces), not O(elements): see clock.CausalContext.Run.
func clipIns(x *insRec, ctx *clock.CausalContext, keep func(insRec), rem func(remRec)) {
	for k := 0; k < x.n; {
		in, m := ctx.Run(x.dotAt(k), uint64(x.n-k), 1)
		j := k + int(m)
		part := x.slice(k, j)
		if !in {
			keep(part)
		} else if part.rm.Seq != 0 {
			rem(remRec{target: part.id, n: part.n, rm: part.rm, step: part.step})
		}
		k = j
	}
}

// clipRem passes to keep the parts of x whose removal dots ctx does not
// hold. O(pieces), as clipIns.
func clipRem(x *remRec, ctx *clock.CausalContext, keep func(remRec)) {
	for k := 0; k < x.n; {
		in, m := ctx.Run(x.rmAt(k), uint64(x.n-k), x.step)
		j := k + int(m)
		if !in {
			keep(x.slice(k, j))
		}
		k = j
	}
}

// incoming is what a merge integrates: o's content as records, plus the
// records l held back before.
type incoming struct {
	ins    []inRec
	rem    []remRec
	set    []setRec
	blocks []blockRec
}

type inRec struct {
	insRec
	outside bool // held before (by l or o): its dots are in no context
	own     bool // held by l before: its values are l's
	state   uint8
}

// hold returns x as a held record, with its own copy of the values
// unless they are l's already.
func (x *inRec) hold() insRec {
	r := x.insRec
	if !x.own {
		r.vals = r.vals.clone()
	}
	return r
}

// heldSlack is how many held records past twice the number the last
// normalize left a merge lets accumulate before normalizing again.
const heldSlack = 8

// reset empties in for the next merge, keeping its buffers but no
// reference into what they held.
func (in *incoming) reset() {
	clear(in.ins)
	clear(in.set)
	clear(in.blocks)
	in.ins, in.rem, in.set, in.blocks = in.ins[:0], in.rem[:0], in.set[:0], in.blocks[:0]
}

const (
	recPending = iota
	recVisiting
	recDone
	recHeld
)

// gather fills in with o's content that l's context lacks.
func (l *List) gather(in *incoming, o *List) {
	ctx := &l.ctx
	addIns := func(x insRec) { in.ins = append(in.ins, inRec{insRec: x}) }
	addRem := func(x remRec) {
		clipRem(&x, ctx, func(x remRec) { in.rem = append(in.rem, x) })
	}
	// Room for o's records at once: a large delta (a replica's history)
	// would otherwise regrow in.ins from scratch.
	in.ins = slices.Grow(in.ins, o.recs.ins.len())
	in.rem = slices.Grow(in.rem, o.recs.rem.len())
	for x := range o.recs.ins.all() {
		clipIns(x, ctx, func(x insRec) {
			// x.vals still aliases o: integration copies the values,
			// and holding a record clones them.
			in.ins = append(in.ins, inRec{insRec: x, outside: !o.delta})
		}, addRem)
	}
	for x := range o.recs.rem.all() {
		addRem(*x)
	}
	for _, x := range o.recs.set {
		if x.dot.Seq == 0 || !ctx.Contains(x.dot) {
			in.set = append(in.set, x)
		}
	}
	if o.st == nil {
		return
	}
	os := o.st
	var prev pdot // the element before the current item in o
	for c := os.tree.Begin(); !os.tree.IsEnd(c); c = os.tree.Next(c) {
		x := os.tree.At(c)
		if x.block() {
			in.blocks = append(in.blocks, blockRec{first: os.unpack(x.id), after: os.unpack(prev), spans: os.blockSpans(x.id)})
			prev = x.id
			continue
		}
		prev = x.flatDot(int(x.n) - 1)
		if len(os.lww) > 0 && x.live() {
			for k := range int(x.n) {
				if at, ok := os.lww[x.dotAt(k)]; ok {
					in.set = append(in.set, setRec{target: os.unpack(x.dotAt(k)), at: at, value: os.value(x, k)})
				}
			}
		}
		r := insRec{id: os.unpack(x.id), n: int(x.n), back: x.back() && x.n > 1, l: os.unpack(x.l), r: os.unpack(x.r), rm: os.unpack(x.rm), step: x.step()}
		if x.n == 1 {
			r.step = 0
		}
		clipIns(&r, ctx, func(p insRec) {
			if x.live() {
				k0 := int(p.id.Seq - r.id.Seq)
				p.vals = recVals{s: make([]string, p.n)}
				for k := range p.n {
					p.vals.s[k] = os.value(x, k0+k)
				}
			}
			addIns(p)
		}, addRem)
	}
}

// mergeInto joins o into the full state l.
func (l *List) mergeInto(o *List) bool {
	s := l.st
	s.buildIndex()
	s.cacheLeaf = nil
	ctx := l.context()
	heldBefore := l.recs // left as it is until the end: the merge holds into new chunks
	hx := l.heldIndex()

	in := &s.scratch
	defer in.reset()
	l.recs = records{}
	l.gather(in, o)
	if hx != nil && len(in.ins) > 0 {
		dropHeld(in, hx.elems)
	}

	held := &l.recs
	// A block goes in after the element before it in o. Those whose
	// element l holds go in first, so that inserts with an origin in them
	// integrate; the others after the inserts, and then the inserts held
	// for an origin in one of those are tried once more.
	var later []blockRec
	for _, b := range in.blocks {
		if l.placeable(b) {
			l.mergeBlock(b)
		} else {
			later = append(later, b)
		}
	}
	l.integrateAll(in, held)
	if len(later) > 0 {
		for _, b := range later {
			l.mergeBlock(b)
		}
		l.retryHeld(in, held)
	}
	// What l held back before can go in only if this merge integrated an
	// element one of those records waits for (or a block, which the index
	// does not follow); else it stays held as it was, untouched, and the
	// records held now join it at the end. If it did, the records woken
	// are retried (all of them after a block) and the others kept.
	retry := hx != nil && (len(in.blocks) > 0 || hx.retryAll || hx.waitsOn(in))
	var w woken
	if retry {
		w = l.retryWoken(in, held, &heldBefore, len(in.blocks) > 0 || hx.retryAll)
	}
	for i := range in.rem {
		l.applyRem(&in.rem[i], held)
	}
	for _, x := range in.set {
		l.applySet(x, held)
	}

	// The index follows the records held from here on: rebuilt if the
	// merge retried them all; else the elements it integrated leave it
	// and what it held (again) joins it. (What the records retried waited
	// for stays in it, so it may say more than the records wait for,
	// which costs at worst a retry that wakes nothing, until it is
	// rebuilt: see the end.)
	if retry && w.all {
		hx = nil
		if !held.isEmpty() {
			hx = buildHeldIndex(held)
		}
	} else {
		for _, x := range w.got {
			hx.elems = removeRange(hx.elems, x)
		}
		if !held.isEmpty() {
			if hx == nil {
				hx = &heldIndex{}
			}
			hx.add(held)
		}
	}
	l.held = hx

	// The context gains o's dots and the element dots of formerly held
	// inserts now integrated, but no element dot still held.
	changed := false
	for i := range in.ins {
		x := &in.ins[i]
		switch {
		case x.outside && x.state == recDone:
			if ctx.AddRange(x.id.Replica, x.id.Seq, x.id.Seq+uint64(x.n)-1) {
				changed = true
			}
		case !x.outside && x.state == recHeld:
			// Elements o brought that l neither had nor held (dropHeld
			// took those): new.
			changed = true
		}
	}
	changed = l.mergeContext(hx, &o.ctx) || changed

	switch {
	case retry && w.all:
		if !changed {
			changed = !bytes.Equal(encodeHeld(&heldBefore), encodeHeld(held))
		}
	case retry || !held.isEmpty():
		// The records held before but those retried, and after them
		// those held now.
		now := l.recs
		l.recs = heldBefore
		var before []byte
		if !changed {
			before = encodeHeld(&heldBefore) // before they change in place
		}
		if retry {
			w.drop(&l.recs)
		}
		// push, not pushAll: a few records at a time, head grows by
		// doubling.
		for x := range now.ins.all() {
			l.recs.ins.push(*x)
		}
		for x := range now.rem.all() {
			l.recs.rem.push(*x)
		}
		l.recs.set = append(l.recs.set, now.set...)
		if !changed {
			changed = !bytes.Equal(before, encodeHeld(&l.recs))
		}
		if l.recs.isEmpty() {
			l.held = nil
		}
	default:
		l.recs = heldBefore
	}
	// The waits of records gone in stay in the index (see above): it is
	// rebuilt once they outnumber those of the records held, which a
	// fresh build has at most two of each; and after a normalize. (Built
	// here, not lazily: these records have been tried, see retryAll.)
	rebuild := l.held != nil && len(l.held.waits) > 2*(2*l.recs.ins.len()+l.recs.rem.len()+len(l.recs.set))+heldSlack
	// Held records are joined into normal form whenever their number has
	// doubled since (plus a few): the keystrokes of a typist whose first
	// one is missing join into one record, so a merge handles a few held
	// records, not one per keystroke held so far; held records that do
	// not join (text with deletions) are normalized O(log) times, not at
	// every merge.
	if k := l.recs.count(); k > 2*int(l.heldJoined)+heldSlack {
		l.recs = l.recs.normalize()
		l.heldJoined = uint32(l.recs.count())
		rebuild = true
	}
	if rebuild {
		l.held = nil
		if !l.recs.isEmpty() {
			l.held = buildHeldIndex(&l.recs)
		}
	}
	return changed
}

// heldIndex returns the index of l's held records, building it if l has
// none yet (then with retryAll); nil if l holds nothing.
func (l *List) heldIndex() *heldIndex {
	if l.recs.isEmpty() {
		l.held = nil
	} else if l.held == nil {
		l.held = buildHeldIndex(&l.recs)
		l.held.retryAll = true
	}
	return l.held
}

// dropHeld removes from in.ins the elements l holds back already (held:
// ascending maximal ranges), keeping the removal dots of the copies it
// drops as removals: l's held copies stay. O(m log k) for m inserts and k
// ranges, and no allocation when nothing is dropped.
func dropHeld(in *incoming, held []dotRange) {
	// next returns the first range of held that ends at or after d.
	next := func(d clock.Dot) int { return firstEnding(held, d.Replica, d.Seq) }
	overlaps := func(x *insRec) bool {
		j := next(x.id)
		return j < len(held) && held[j].rep == x.id.Replica && held[j].lo <= x.id.Seq+uint64(x.n)-1
	}
	if !slices.ContainsFunc(in.ins, func(x inRec) bool { return overlaps(&x.insRec) }) {
		return
	}
	var keep []inRec
	for _, x := range in.ins {
		for k := 0; k < x.n; {
			d := x.dotAt(k)
			end, covered := x.n, false
			if j := next(d); j < len(held) && held[j].rep == d.Replica {
				if held[j].lo <= d.Seq {
					end, covered = min(x.n, k+int(held[j].hi-d.Seq+1)), true
				} else {
					end = min(x.n, k+int(held[j].lo-d.Seq))
				}
			}
			piece := x.slice(k, end)
			switch {
			case !covered:
				keep = append(keep, inRec{insRec: piece, outside: x.outside})
			case piece.rm.Seq != 0:
				in.rem = append(in.rem, remRec{target: piece.id, n: piece.n, rm: piece.rm, step: piece.step})
			}
			k = end
		}
	}
	in.ins = append(in.ins[:0], keep...)
}

// wakeRounds is how many rounds of wakes (records woken by the elements
// records woken before gave) retryWoken follows before it retries every
// record held: a long chain, such as a typist's keystrokes each after
// the one before, is cheaper retried at once.
const wakeRounds = 2

// woken says which records held before a merge it retried (see
// retryWoken).
type woken struct {
	ins, rem, set []bool // by index in the records held before
	all           bool   // every one
	got           []dotRange
}

// drop removes from r, the records held before, those w retried: they
// are held again, if at all, among the records the merge held. O(k) for
// k records, in place.
func (w *woken) drop(r *records) {
	r.ins.keep(func(i int) bool { return !w.ins[i] })
	r.rem.keep(func(i int) bool { return !w.rem[i] })
	k := 0
	for i, x := range r.set {
		if !w.set[i] {
			r.set[k] = x
			k++
		}
	}
	clear(r.set[k:])
	r.set = r.set[:k]
}

// retryWoken retries, with what the merge in brings, the records l held
// before (before) that wait for an element in integrated, or for one
// that those gave, and so on; or, with all or past wakeRounds rounds,
// every one. The removals and LSETs it retries it leaves in in, for the
// merge to apply; the inserts it retries that still cannot go in it holds
// into held. It returns which it retried, and the elements in integrated
// (ascending maximal ranges).
//
// O(k + m log m) a round for k held records and m records in in; a
// record not woken would not go in, since neither of its origins (nor
// its target) has arrived since it was last tried, unless it was held
// for want of room in the replica table (see heldIndex.retryAll).
func (l *List) retryWoken(in *incoming, held, before *records, all bool) woken {
	w := woken{ins: make([]bool, before.ins.len()), rem: make([]bool, before.rem.len()), set: make([]bool, len(before.set))}
	w.got = integrated(in)
	for round := 0; ; round++ {
		all = all || round == wakeRounds
		woke := false
		i := 0
		for x := range before.ins.all() {
			if !w.ins[i] && (all || holds(w.got, x.l) || holds(w.got, x.r)) {
				w.ins[i] = true
				in.ins = append(in.ins, inRec{insRec: *x, outside: true, own: true})
				woke = true
			}
			i++
		}
		if !woke {
			break
		}
		l.retryHeld(in, held)
		w.got = integrated(in)
		if all {
			break
		}
	}
	w.all = all
	i := 0
	for x := range before.rem.all() {
		if w.rem[i] = all || overlaps(w.got, x.target.Replica, x.target.Seq, x.target.Seq+uint64(x.n)-1); w.rem[i] {
			in.rem = append(in.rem, *x)
		}
		i++
	}
	for i, x := range before.set {
		if w.set[i] = all || overlaps(w.got, x.target.Replica, x.target.Seq, x.target.Seq); w.set[i] {
			in.set = append(in.set, x)
		}
	}
	return w
}

// integrated returns the elements of the inserts of in that went in, as
// ascending maximal ranges. O(m log m) for m inserts.
func integrated(in *incoming) []dotRange {
	var out []dotRange
	for i := range in.ins {
		if x := &in.ins[i]; x.state == recDone {
			out = append(out, dotRange{rep: x.id.Replica, lo: x.id.Seq, hi: x.id.Seq + uint64(x.n) - 1})
		}
	}
	return coalesce(out)
}

// retryHeld tries again the inserts of in that integrateAll held, and
// those it has not tried yet.
func (l *List) retryHeld(in *incoming, held *records) {
	for i := range in.ins {
		if in.ins[i].state == recHeld {
			in.ins[i].state = recPending
		}
	}
	held.ins.reset()
	l.integrateAll(in, held)
}

// mergeContext adds src's dots to l's context, but none of an element l
// holds back (hx indexes l's held records, nil if none), and reports
// whether the context changed.
func (l *List) mergeContext(hx *heldIndex, src *clock.CausalContext) bool {
	if hx == nil || len(hx.elems) == 0 {
		return l.context().Merge(src)
	}
	return mergeCtxExcept(l.context(), src, hx.elems)
}

// placeable reports whether the block b can go in now: l has it already,
// or holds the element before it in o (or it starts the list).
func (l *List) placeable(b blockRec) bool {
	if b.after.Seq == 0 || l.ctx.Contains(b.first) {
		return true
	}
	pd, ok := l.st.lookupDot(b.after)
	return ok && l.st.has(pd)
}

// mergeCtxExcept adds to dst every dot of src outside the ranges held
// (ascending, maximal) and reports whether dst changed. src's vector and
// cloud go in by ranges around the held ones: O((replicas + cloud ranges
// + held ranges met) · log), whatever the number of dots.
func mergeCtxExcept(dst, src *clock.CausalContext, held []dotRange) bool {
	changed := false
	// add adds lo…hi of r but the held ranges in it.
	add := func(r clock.ReplicaID, lo, hi uint64) {
		for i := firstEnding(held, r, lo); i < len(held) && held[i].rep == r && held[i].lo <= hi; i++ {
			if held[i].lo > lo && dst.AddRange(r, lo, held[i].lo-1) {
				changed = true
			}
			lo = held[i].hi + 1
		}
		if lo <= hi && dst.AddRange(r, lo, hi) {
			changed = true
		}
	}
	have, sv := dst.Vector(), src.Vector()
	for _, r := range sv.Replicas() {
		add(r, have.Get(r)+1, sv.Get(r))
	}
	for x := range src.Ranges {
		add(x.Replica, x.First, x.Last)
	}
	return changed
}

// encodeHeld returns the canonical encoding of held records, nil if none.
func encodeHeld(r *records) []byte {
	if r.isEmpty() {
		return nil
	}
	n := r.normalize()
	return appendRecords(nil, &n)
}

// integrateAll integrates the inserts of in, each after the inserts its
// origins belong to, and holds those whose origins are missing.
func (l *List) integrateAll(in *incoming, held *records) {
	if len(in.ins) == 0 {
		return
	}
	recs := in.ins
	slices.SortStableFunc(recs, func(a, b inRec) int { return a.id.Compare(b.id) })
	// Drop elements given twice (held before and received again, say),
	// keeping their removal dots.
	w := 0
	for i := range recs {
		x := recs[i]
		if w > 0 {
			p := &recs[w-1]
			if p.id.Replica == x.id.Replica && x.id.Seq < p.id.Seq+uint64(p.n) {
				over := int(p.id.Seq + uint64(p.n) - x.id.Seq)
				if x.rm.Seq != 0 {
					dup := x.slice(0, min(over, x.n))
					in.rem = append(in.rem, remRec{target: dup.id, n: dup.n, rm: dup.rm, step: dup.step})
				}
				if over >= x.n {
					continue
				}
				x.insRec = x.slice(over, x.n)
			}
		}
		recs[w] = x
		w++
	}
	recs = recs[:w]
	in.ins = recs
	find := func(d clock.Dot) int {
		i, _ := slices.BinarySearchFunc(recs, d, func(x inRec, d clock.Dot) int {
			if x.id.Replica != d.Replica {
				return cmpReplica(x.id.Replica, d.Replica)
			}
			switch {
			case x.id.Seq+uint64(x.n) <= d.Seq:
				return -1
			case x.id.Seq > d.Seq:
				return 1
			}
			return 0
		})
		if i < len(recs) && recs[i].id.Replica == d.Replica && d.Seq >= recs[i].id.Seq && d.Seq < recs[i].id.Seq+uint64(recs[i].n) {
			return i
		}
		return -1
	}
	var stack []int
	for i := range recs {
		if recs[i].state != recPending {
			continue
		}
		stack = append(stack[:0], i)
		recs[i].state = recVisiting
		for len(stack) > 0 {
			t := stack[len(stack)-1]
			missing, ok := l.missingOrigin(&recs[t].insRec)
			if !ok {
				if l.integrateRec(&recs[t].insRec) {
					recs[t].state = recDone
				} else {
					recs[t].state = recHeld
					held.ins.push(recs[t].hold())
				}
				stack = stack[:len(stack)-1]
				continue
			}
			if j := find(missing); j >= 0 && recs[j].state == recPending {
				recs[j].state = recVisiting
				stack = append(stack, j)
				continue
			}
			recs[t].state = recHeld
			held.ins.push(recs[t].hold())
			stack = stack[:len(stack)-1]
		}
	}
}

func cmpReplica(a, b clock.ReplicaID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// missingOrigin returns an origin of x that is not integrated, if any.
func (l *List) missingOrigin(x *insRec) (clock.Dot, bool) {
	for _, d := range [2]clock.Dot{x.l, x.r} {
		if d.Seq == 0 {
			continue
		}
		pd, ok := l.st.lookupDot(d)
		if !ok || !l.st.has(pd) {
			return d, true
		}
	}
	return clock.Dot{}, false
}

// integrateRec integrates the insert x, whose origins are integrated; it
// returns false if the list cannot hold it (ErrFull).
func (l *List) integrateRec(x *insRec) bool {
	s := l.st
	id, ok1 := s.pack(x.id)
	if !ok1 || x.id.Seq+uint64(x.n)-1 > maxSeq {
		return false
	}
	left, _ := s.lookupDot(x.l)
	right, _ := s.lookupDot(x.r)
	y := run{id: id, l: left, r: right, n: uint32(x.n)}
	if x.back && x.n > 1 {
		y.kind = kindBack
	}
	if x.rm.Seq != 0 {
		rm, ok := s.pack(x.rm)
		end := int64(x.rm.Seq) + int64((x.n-1)*x.step)
		if !ok || end < 1 || end > maxSeq {
			return false
		}
		y.rm = rm
		if x.n > 1 {
			y.kind |= stepKind(x.step)
		}
		s.tombs += x.n
	} else {
		vs := &s.vals[id.rep()]
		y.val = vs.alloc(x.n)
		vs.setVals(y.val, x.vals)
	}
	c, f := s.place(&y)
	s.insertBefore(c, f, y)
	return true
}

// applyRem applies the removal x to the integrated elements it targets and
// holds the rest. It works on ranges: O((runs and gaps met + 1) · log n),
// plus nextElem's page scans for each gap, whatever the number of elements
// x names.
func (l *List) applyRem(x *remRec, held *records) {
	s := l.st
	rep, known := s.repIdx[x.target.Replica]
	for k := 0; k < x.n; {
		d := shift(x.target, k)
		pd, ok := s.lookupDot(d)
		var lc loc
		if ok {
			lc, ok = s.find(pd)
		}
		if !ok {
			// The targets up to the next element the store holds.
			m := x.n - k
			if known {
				if next, ok := s.nextElem(rep, d.Seq, d.Seq+uint64(m)-1); ok {
					// At least d itself, which find could not locate.
					m = max(int(next-d.Seq), 1)
				}
			}
			// Held until they arrive. (An honest removal names only
			// elements; one of a dot that is no element, which only a
			// crafted input makes, is held for good, as input it cost.)
			held.addRem(x.slice(k, k+m))
			k += m
			continue
		}
		it := s.tree.At(lc.c)
		if it.block() {
			r, _ := s.collRangeOf(pd)
			k += int(min(r.hi-d.Seq+1, uint64(x.n-k)))
			continue
		}
		ki := it.k(lc.off)
		m := min(int(it.n)-ki, x.n-k)
		if it.live() {
			rm, ok := s.pack(x.rmAt(k))
			if !ok {
				held.addRem(x.slice(k, k+m))
				k += m
				continue
			}
			f0, f1 := ki, ki+m
			if it.back() {
				f0, f1 = int(it.n)-ki-m, int(it.n)-ki
			}
			s.tombstone(lc.c, f0, f1, rm, x.step, nil)
			k += m
			continue
		}
		// Already removed: each element keeps the smaller removal dot.
		// Both dots run on lines over the targets, so the elements x
		// lowers are one range.
		j0, j1 := lowerSpan(x.rmAt(k), x.step, s.unpack(it.rmAt(ki)), it.step(), m)
		if j0 < j1 {
			l.lowerRm(pd.add(j0), j1-j0, x.rmAt(k+j0), x.step)
		}
		k += m
	}
}

// lowerSpan returns the range [j0, j1) of j in [0, m) where the removal
// dot nd + j·ns is smaller than cur + j·cs. It is one range (possibly
// empty) since the difference of two lines is a line. O(1).
func lowerSpan(nd clock.Dot, ns int, cur clock.Dot, cs int, m int) (j0, j1 int) {
	switch {
	case nd.Replica < cur.Replica:
		return 0, m
	case nd.Replica > cur.Replica:
		return 0, 0
	}
	// nd + j·ns − (cur + j·cs) = d0 + j·slope < 0.
	d0, slope := int64(nd.Seq)-int64(cur.Seq), int64(ns-cs)
	lo, hi := int64(0), int64(m)
	switch {
	case slope == 0 && d0 >= 0:
		return 0, 0
	case slope > 0:
		hi = min(hi, -floorDiv(d0, slope)) // j < ⌈−d0/slope⌉
	case slope < 0:
		lo = max(lo, floorDiv(d0, -slope)+1) // j > d0/−slope
	}
	if lo >= hi {
		return 0, 0
	}
	return int(lo), int(hi)
}

// lowerRm gives the n removed elements from e on (by seq, in one run) the
// smaller removal dots rm + j·step.
func (l *List) lowerRm(e pdot, n int, rm clock.Dot, step int) {
	s := l.st
	lc, ok := s.find(e)
	if !ok {
		return
	}
	prm, ok := s.pack(rm)
	if !ok {
		return
	}
	x := *s.tree.At(lc.c)
	k := x.k(lc.off)
	var parts []run
	if k > 0 {
		parts = append(parts, x.slice(0, k))
	}
	mid := x.slice(k, k+n)
	mid.rm = prm
	mid.kind &^= kindRmUp | kindRmDown
	if n > 1 {
		mid.kind |= stepKind(step)
	} else {
		mid.kind &^= kindBack
	}
	parts = append(parts, mid)
	if k+n < int(x.n) {
		parts = append(parts, x.slice(k+n, int(x.n)))
	}
	if x.back() {
		slices.Reverse(parts)
	}
	s.replace(lc.c, parts)
}

// applySet applies the LSET x if its element is integrated and live,
// drops it if the element was removed, and holds it otherwise.
func (l *List) applySet(x setRec, held *records) {
	s := l.st
	pd, ok := s.lookupDot(x.target)
	var lc loc
	if ok {
		lc, ok = s.find(pd)
	}
	if !ok {
		held.set = append(held.set, x)
		return
	}
	it := s.tree.At(lc.c)
	if !it.live() {
		return
	}
	if x.at.Compare(s.lww[pd]) > 0 {
		s.vals[pd.rep()].overwrite(it.val+uint64(it.k(lc.off)), x.value)
		if s.lww == nil {
			s.lww = make(map[pdot]clock.Stamp)
		}
		s.lww[pd] = x.at
	}
}
