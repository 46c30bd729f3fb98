package list

import (
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// heldIndex indexes the records a full state holds back (List.recs) for
// merges, as ascending maximal dot ranges:
//
//   - elems, the elements the held inserts give: a merge drops what it
//     brings of those (dropHeld) and keeps their dots out of the context
//     (mergeContext);
//   - waits, what the held records wait for: the origins of held inserts
//     and the targets of held removals and LSETs. A held record can go in
//     only once one of those is integrated, so a merge that integrates
//     none leaves every held record as it is without retrying it.
//
// With it, a merge into a list holding k records costs O(m log k) more
// for the m records it brings, not O(k log k), unless it wakes some (see
// List.retryWoken): a typist whose first keystroke is late, or a replica
// cut off from one region while it hears edits made on that region's
// text, holds thousands of records.
type heldIndex struct {
	elems []dotRange
	waits []dotRange
	// retryAll makes the next merge retry every held record: set on an
	// index built lazily (see List.heldIndex), which may follow a decode,
	// whose store names only the replicas it uses, so a record held for
	// want of room in its replica table (ErrFull) may fit now, though
	// nothing it waits for arrives.
	retryAll bool
}

// buildHeldIndex returns the index of the held records r. O(k log k) for
// k records.
func buildHeldIndex(r *records) *heldIndex {
	h := &heldIndex{}
	h.add(r)
	return h
}

// add adds the records r to the index: O(m log g) for m records and g
// ranges in the index, plus, while m is small, moving the ranges after
// each one put in place (none for ranges after all of them, as a typist's
// held keystrokes are); a larger r is sorted in, O((g+m) log (g+m)).
func (h *heldIndex) add(r *records) {
	put := addRange
	if r.count() > bulkRanges {
		put = func(rs []dotRange, x dotRange) []dotRange { return append(rs, x) }
	}
	for x := range r.ins.all() {
		h.elems = put(h.elems, dotRange{rep: x.id.Replica, lo: x.id.Seq, hi: x.id.Seq + uint64(x.n) - 1})
		for _, o := range [2]clock.Dot{x.l, x.r} {
			if o.Seq != 0 {
				h.waits = put(h.waits, dotRange{rep: o.Replica, lo: o.Seq, hi: o.Seq})
			}
		}
	}
	for x := range r.rem.all() {
		h.waits = put(h.waits, dotRange{rep: x.target.Replica, lo: x.target.Seq, hi: x.target.Seq + uint64(x.n) - 1})
	}
	for _, x := range r.set {
		h.waits = put(h.waits, dotRange{rep: x.target.Replica, lo: x.target.Seq, hi: x.target.Seq})
	}
	if r.count() > bulkRanges {
		h.elems = coalesce(h.elems)
		h.waits = coalesce(h.waits)
	}
}

// bulkRanges is the number of records past which heldIndex.add sorts them
// in rather than putting each in place.
const bulkRanges = 32

// waitsOn reports whether a held record waits for an element that the
// merge in integrated. O(m log g) for m inserts in in.
func (h *heldIndex) waitsOn(in *incoming) bool {
	for i := range in.ins {
		x := &in.ins[i]
		if x.state == recDone && overlaps(h.waits, x.id.Replica, x.id.Seq, x.id.Seq+uint64(x.n)-1) {
			return true
		}
	}
	return false
}

// firstEnding returns the index of the first range of rs that ends at or
// after seq in replica rep (or comes after rep). O(log len(rs)).
func firstEnding(rs []dotRange, rep clock.ReplicaID, seq uint64) int {
	i, _ := slices.BinarySearchFunc(rs, dotRange{rep: rep, hi: seq}, func(x, t dotRange) int {
		if x.rep != t.rep {
			return cmpReplica(x.rep, t.rep)
		}
		return cmpU64(x.hi, t.hi)
	})
	return i
}

// overlaps reports whether a range of rs meets lo…hi of replica rep.
func overlaps(rs []dotRange, rep clock.ReplicaID, lo, hi uint64) bool {
	i := firstEnding(rs, rep, lo)
	return i < len(rs) && rs[i].rep == rep && rs[i].lo <= hi
}

// coalesce returns the ranges rs, in any order, as ascending maximal
// ranges. O(len(rs) log len(rs)).
func coalesce(rs []dotRange) []dotRange {
	slices.SortFunc(rs, func(a, b dotRange) int {
		if a.rep != b.rep {
			return cmpReplica(a.rep, b.rep)
		}
		return cmpU64(a.lo, b.lo)
	})
	w := 0
	for _, x := range rs {
		if w > 0 && rs[w-1].rep == x.rep && x.lo <= rs[w-1].hi+1 {
			rs[w-1].hi = max(rs[w-1].hi, x.hi)
			continue
		}
		rs[w] = x
		w++
	}
	return rs[:w]
}

// holds reports whether a range of rs holds d: overlaps for one dot,
// which for a few ranges (a merge's, say) looks at each.
func holds(rs []dotRange, d clock.Dot) bool {
	if len(rs) > 8 {
		return overlaps(rs, d.Replica, d.Seq, d.Seq)
	}
	for _, x := range rs {
		if x.rep == d.Replica && x.lo <= d.Seq && d.Seq <= x.hi {
			return true
		}
	}
	return false
}

// addRange adds x to the ascending maximal ranges rs, joining it with
// those it meets or touches, and returns the result.
func addRange(rs []dotRange, x dotRange) []dotRange {
	i := firstEnding(rs, x.rep, x.lo-min(x.lo, 1)) // a range that ends at x.lo−1 touches x
	j := i
	for j < len(rs) && rs[j].rep == x.rep && rs[j].lo <= x.hi+1 {
		x.lo, x.hi = min(x.lo, rs[j].lo), max(x.hi, rs[j].hi)
		j++
	}
	if i == j {
		return slices.Insert(rs, i, x)
	}
	rs[i] = x
	return slices.Delete(rs, i+1, j)
}

// removeRange removes the dots of x from the ascending maximal ranges rs
// and returns the result. O(log len(rs)) plus moving the ranges after x.
func removeRange(rs []dotRange, x dotRange) []dotRange {
	i := firstEnding(rs, x.rep, x.lo)
	j := i
	for j < len(rs) && rs[j].rep == x.rep && rs[j].lo <= x.hi {
		j++
	}
	if i == j {
		return rs
	}
	// rs[i:j] meet x: what is left of them is the part of rs[i] before x
	// and the part of rs[j-1] after it.
	var buf [2]dotRange
	left := buf[:0]
	if rs[i].lo < x.lo {
		left = append(left, dotRange{rep: x.rep, lo: rs[i].lo, hi: x.lo - 1})
	}
	if rs[j-1].hi > x.hi {
		left = append(left, dotRange{rep: x.rep, lo: x.hi + 1, hi: rs[j-1].hi})
	}
	return slices.Replace(rs, i, j, left...)
}
