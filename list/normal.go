package list

import (
	"cmp"
	"math"
	"slices"

	"github.com/google/btree"

	"github.com/redcrdt/redcrdt/clock"
)

// normalize returns the canonical form of r: inserts sorted by dot and
// joined into maximal runs, with every removal of an inserted element
// applied to it (the smallest removal dot wins, the value is dropped);
// the other removals, one per target with the smallest dot, sorted and
// joined; and for each target the LSET with the greatest stamp, unless the
// target is removed here. Runs are joined as if element by element,
// greedily in dot order, so the result depends only on the elements.
//
// It works on ranges, never on single elements: O(k log k) for k records,
// whatever the number of elements they name (a removal of 2^32 elements
// costs what a removal of one does).
func (r *records) normalize() records {
	var out records
	rms := removals(r)
	ins := r.ins.flat()
	slices.SortFunc(ins, func(a, b insRec) int { return a.id.Compare(b.id) })
	var given []dotRange // the elements the inserts give, ascending
	var prevEnd clock.Dot
	j := 0 // the first removal that may cover the next element
	for i := range ins {
		x := &ins[i]
		k := 0
		if prevEnd.Seq != 0 && prevEnd.Replica == x.id.Replica && x.id.Seq <= prevEnd.Seq {
			k = int(min(prevEnd.Seq-x.id.Seq+1, uint64(x.n))) // given already
		}
		if k < x.n {
			given = append(given, dotRange{rep: x.id.Replica, lo: x.id.Seq + uint64(k), hi: x.id.Seq + uint64(x.n) - 1})
		}
		for k < x.n {
			d := x.dotAt(k)
			for j < len(rms) && rms[j].endsBefore(d) {
				j++
			}
			m := x.n - k
			if j < len(rms) && rms[j].target.Replica == d.Replica {
				p := &rms[j]
				if p.target.Seq <= d.Seq {
					off := int(d.Seq - p.target.Seq)
					m = min(m, p.n-off)
					e := x.slice(k, k+m)
					e.rm, e.step, e.vals = p.rmAt(off), p.step, recVals{}
					if m == 1 {
						e.step = 0
					}
					out.addInsGreedy(e)
					k += m
					continue
				}
				m = min(m, int(p.target.Seq-d.Seq))
			}
			out.addInsGreedy(x.slice(k, k+m))
			k += m
		}
		if end := x.dotAt(x.n - 1); end.Replica != prevEnd.Replica || end.Seq > prevEnd.Seq {
			prevEnd = end
		}
	}
	// Removals of elements no insert gives.
	g := 0
	for i := range rms {
		p := &rms[i]
		rep := p.target.Replica
		lo, hi := p.target.Seq, p.target.Seq+uint64(p.n)-1
		for lo <= hi {
			for g < len(given) && (given[g].rep < rep || given[g].rep == rep && given[g].hi < lo) {
				g++
			}
			end := hi
			if g < len(given) && given[g].rep == rep {
				if given[g].lo <= lo {
					lo = given[g].hi + 1
					continue
				}
				end = min(end, given[g].lo-1)
			}
			out.addRemGreedy(p.slice(int(lo-p.target.Seq), int(end-p.target.Seq)+1))
			lo = end + 1
		}
	}
	// LSETs: the greatest stamp per target, if the target stands.
	sets := slices.Clone(r.set)
	slices.SortFunc(sets, func(a, b setRec) int {
		if c := a.target.Compare(b.target); c != 0 {
			return c
		}
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return b.dot.Compare(a.dot)
	})
	for i, s := range sets {
		if i > 0 && sets[i-1].target == s.target {
			continue
		}
		if removed(rms, s.target) {
			continue
		}
		out.set = append(out.set, s)
	}
	return out
}

// dotRange is the seqs [lo, hi] of one replica.
type dotRange struct {
	rep    clock.ReplicaID
	lo, hi uint64
}

// endsBefore reports whether every target of x comes before d.
func (x *remRec) endsBefore(d clock.Dot) bool {
	return x.target.Replica < d.Replica || x.target.Replica == d.Replica && x.target.Seq+uint64(x.n) <= d.Seq
}

// removed reports whether one of rms (sorted, disjoint) removes d.
func removed(rms []remRec, d clock.Dot) bool {
	i, _ := slices.BinarySearchFunc(rms, d, func(x remRec, d clock.Dot) int {
		switch {
		case x.endsBefore(d):
			return -1
		case x.target.Compare(d) > 0:
			return 1
		}
		return 0
	})
	return i < len(rms) && rms[i].target.Replica == d.Replica && rms[i].target.Seq <= d.Seq
}

// addInsGreedy appends x as element-by-element joining would. The last
// insert takes as much of x as it has room for (maxRunLen), when that
// part continues it; else only x's first element may (joining fixes the
// last insert's step and direction, which the rest of x need not share).
// What is left of x starts a new insert.
func (r *records) addInsGreedy(x insRec) {
	if r.ins.len() > 0 && x.n > 1 {
		if k := min(x.n, maxRunLen-r.ins.last().n); k > 1 {
			probe, part := *r.ins.last(), x.slice(0, k)
			if joinIns(&probe, &part) {
				r.addIns(part)
				if k == x.n {
					return
				}
				x = x.slice(k, x.n)
			}
		}
		if x.n > 1 {
			probe, head := *r.ins.last(), x.slice(0, 1)
			if joinIns(&probe, &head) {
				r.addIns(head)
				x = x.slice(1, x.n)
			}
		}
	}
	r.addIns(x)
}

// addRemGreedy appends x as element-by-element joining would; see
// addInsGreedy.
func (r *records) addRemGreedy(x remRec) {
	if r.rem.len() > 0 && x.n > 1 {
		if k := min(x.n, maxRunLen-r.rem.last().n); k > 1 {
			probe, part := *r.rem.last(), x.slice(0, k)
			if joinRem(&probe, &part) {
				r.addRem(part)
				if k == x.n {
					return
				}
				x = x.slice(k, x.n)
			}
		}
		if x.n > 1 {
			probe, head := *r.rem.last(), x.slice(0, 1)
			if joinRem(&probe, &head) {
				r.addRem(head)
				x = x.slice(1, x.n)
			}
		}
	}
	r.addRem(x)
}

// rmLine is a range of targets of one replica whose removal dots lie on a
// line: target t (a seq) is removed by (q, c + step·t).
type rmLine struct {
	rep    clock.ReplicaID
	lo, hi uint64
	q      clock.ReplicaID
	step   int64
	c      int64
	id     int // tells equal lines apart in the active set
}

func (x rmLine) at(t int64) int64 { return x.c + x.step*t }

// lineLess orders the active lines of a sweep: by remover, then step,
// then value, so that the first line of a (remover, step) pair is the
// lowest of that slope.
func lineLess(a, b rmLine) bool {
	if c := cmp.Compare(a.q, b.q); c != 0 {
		return c < 0
	}
	if a.step != b.step {
		return a.step < b.step
	}
	if a.c != b.c {
		return a.c < b.c
	}
	return a.id < b.id
}

// removals returns the removals r makes (by removal records and
// tombstone inserts) with the smallest removal dot of each target, as
// disjoint removals sorted by target. A sweep over the targets keeps the
// lines covering the current range in a tree; between two range ends the
// smallest dot is the lower envelope of at most three lines (one per
// step), at most three pieces. O(k log k) for k records.
func removals(r *records) []remRec {
	var lines []rmLine
	add := func(target clock.Dot, n int, rm clock.Dot, step int) {
		s := int64(step)
		lines = append(lines, rmLine{
			rep: target.Replica, lo: target.Seq, hi: target.Seq + uint64(n) - 1,
			q: rm.Replica, step: s, c: int64(rm.Seq) - s*int64(target.Seq), id: len(lines),
		})
	}
	for x := range r.rem.all() {
		add(x.target, x.n, x.rm, x.step)
	}
	for x := range r.ins.all() {
		if x.rm.Seq != 0 {
			add(x.id, x.n, x.rm, x.step)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	type event struct {
		rep   clock.ReplicaID
		pos   uint64 // a line starts at pos, or ended at pos-1
		line  int
		start bool
	}
	events := make([]event, 0, 2*len(lines))
	for i, x := range lines {
		events = append(events, event{x.rep, x.lo, i, true}, event{x.rep, x.hi + 1, i, false})
	}
	slices.SortFunc(events, func(a, b event) int {
		if c := cmp.Compare(a.rep, b.rep); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	active := btree.NewG(8, lineLess)
	var out []remRec
	for i := 0; i < len(events); {
		rep, pos := events[i].rep, events[i].pos
		for ; i < len(events) && events[i].rep == rep && events[i].pos == pos; i++ {
			if events[i].start {
				active.ReplaceOrInsert(lines[events[i].line])
			} else {
				active.Delete(lines[events[i].line])
			}
		}
		if active.Len() == 0 {
			continue
		}
		// Lines end before the next replica's events, so the next event
		// is of rep.
		out = lowerEnvelope(out, active, rep, int64(pos), int64(events[i].pos)-1)
	}
	return out
}

// lowerEnvelope appends to out the smallest removal dot of the targets
// [a, b] of rep over the active lines: the lowest remover's lowest line of
// each step, and of those at each target the lowest (of equal ones, the
// one of the smallest step, which stays lowest longest).
func lowerEnvelope(out []remRec, active *btree.BTreeG[rmLine], rep clock.ReplicaID, a, b int64) []remRec {
	first, _ := active.Min()
	var cands []rmLine
	for s := int64(-1); s <= 1; s++ {
		active.AscendGreaterOrEqual(rmLine{q: first.q, step: s, c: math.MinInt64, id: -1}, func(x rmLine) bool {
			if x.q == first.q && x.step == s {
				cands = append(cands, x)
			}
			return false
		})
	}
	for t := a; t <= b; {
		best := cands[0]
		for _, x := range cands[1:] {
			if v, bv := x.at(t), best.at(t); v < bv || v == bv && x.step < best.step {
				best = x
			}
		}
		end := b
		for _, x := range cands {
			if x.step < best.step {
				// x drops below best after (x.c − best.c)/(best.step − x.step).
				end = min(end, floorDiv(x.c-best.c, best.step-x.step))
			}
		}
		n := int(end - t + 1)
		step := int(best.step)
		if n == 1 {
			step = 0
		}
		out = append(out, remRec{
			target: clock.Dot{Replica: rep, Seq: uint64(t)},
			n:      n,
			rm:     clock.Dot{Replica: first.q, Seq: uint64(best.at(t))},
			step:   step,
		})
		t = end + 1
	}
	return out
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
