package clock

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/google/btree"

	"github.com/redcrdt/redcrdt/internal/wire"
)

// CausalContext is a set of dots: a VersionVector for each replica's
// contiguous prefix plus a cloud of the dots seen past a gap, held as
// ranges of consecutive dots. It is kept compact at all times: a range
// joins the vector as soon as the gap before it fills, cloud ranges are
// maximal (no two touch), and none is covered by or adjacent to the
// vector. Equal sets of dots therefore have one canonical encoding, and a
// context's size follows its number of gaps, never its number of dots.
//
// A cloud of one or two ranges (a delta's context, usually) is held inline
// without allocating; a small cloud is a sorted slice; past smallCloud
// ranges it moves to a B-tree per replica, so that Add, AddRange and
// Contains stay O(log ranges) for clouds of any size.
//
// The zero value is an empty context ready to use. A CausalContext is not
// safe for concurrent mutation.
type CausalContext struct {
	vv  VersionVector
	two [inlineCloud]DotRange                 // the cloud, sorted, while few and big are nil
	few []DotRange                            // the cloud, sorted, once it outgrew two
	big map[ReplicaID]*btree.BTreeG[DotRange] // the cloud by replica, once it outgrew few
	n   int                                   // ranges in the cloud
}

// DotRange is the dots First…Last of one replica, both included.
type DotRange struct {
	Replica     ReplicaID
	First, Last uint64
}

// String formats x as "r.first", or "r.first-last" for several dots.
func (x DotRange) String() string {
	s := Dot{Replica: x.Replica, Seq: x.First}.String()
	if x.Last != x.First {
		s += "-" + strconv.FormatUint(x.Last, 10)
	}
	return s
}

// rangeLess orders ranges by replica, then first dot: the cloud's order.
func rangeLess(a, b DotRange) bool {
	if a.Replica != b.Replica {
		return a.Replica < b.Replica
	}
	return a.First < b.First
}

// firstLess orders one replica's ranges by first dot.
func firstLess(a, b DotRange) bool { return a.First < b.First }

// inlineCloud is the most ranges the cloud holds without allocating.
const inlineCloud = 2

// smallCloud is the most ranges the sorted-slice cloud holds.
const smallCloud = 32

// bigDegree is the B-tree degree of a large cloud.
const bigDegree = 16

// small returns the cloud when it is not a B-tree (nil when it is):
// sorted, and aliasing c, so callers that change it in place must then
// call setSmall.
func (c *CausalContext) small() []DotRange {
	switch {
	case c.big != nil:
		return nil
	case c.few != nil:
		return c.few
	}
	return c.two[:c.n]
}

// setSmall makes ranges, sorted, the cloud; ranges must be the slice small
// returned, changed in place or grown.
func (c *CausalContext) setSmall(ranges []DotRange) {
	c.n = len(ranges)
	if c.few == nil && len(ranges) <= inlineCloud {
		copy(c.two[:], ranges) // a no-op unless ranges was grown elsewhere
		clear(c.two[len(ranges):])
		return
	}
	if c.few == nil {
		ranges = slices.Clone(ranges)
		clear(c.two[:])
	}
	c.few = ranges
}

// searchSmall returns the index of the first range of ranges (sorted)
// that starts after seq in r's order: after every range of a smaller
// replica and every range of r starting at or before seq.
func searchSmall(ranges []DotRange, r ReplicaID, seq uint64) int {
	i, _ := slices.BinarySearchFunc(ranges, DotRange{Replica: r, First: seq}, func(x, key DotRange) int {
		if rangeLess(key, x) {
			return 1
		}
		return -1
	})
	return i
}

// floor returns the cloud range of r that starts last at or before seq,
// and false if none does. O(log ranges).
func (c *CausalContext) floor(r ReplicaID, seq uint64) (DotRange, bool) {
	var got DotRange
	if c.big != nil {
		if t := c.big[r]; t != nil {
			t.DescendLessOrEqual(DotRange{First: seq}, func(x DotRange) bool {
				got = x
				return false
			})
		}
	} else if ranges := c.small(); len(ranges) > 0 {
		if i := searchSmall(ranges, r, seq); i > 0 {
			got = ranges[i-1]
		}
	}
	return got, got.Replica == r && got.Last != 0
}

// ceil returns the cloud range of r that starts first after seq, and false
// if none does. O(log ranges).
func (c *CausalContext) ceil(r ReplicaID, seq uint64) (DotRange, bool) {
	var got DotRange
	if c.big != nil {
		if t := c.big[r]; t != nil && seq < math.MaxUint64 {
			t.AscendGreaterOrEqual(DotRange{First: seq + 1}, func(x DotRange) bool {
				got = x
				return false
			})
		}
	} else if ranges := c.small(); len(ranges) > 0 {
		if i := searchSmall(ranges, r, seq); i < len(ranges) {
			got = ranges[i]
		}
	}
	return got, got.Replica == r && got.Last != 0
}

// cover returns the cloud range holding (r, seq), and false if none does.
func (c *CausalContext) cover(r ReplicaID, seq uint64) (DotRange, bool) {
	x, ok := c.floor(r, seq)
	return x, ok && x.Last >= seq
}

// remove deletes x, a range of the cloud.
func (c *CausalContext) remove(x DotRange) {
	if c.big != nil {
		t := c.big[x.Replica]
		t.Delete(x)
		if t.Len() == 0 {
			delete(c.big, x.Replica)
		}
		c.n--
		if c.n == 0 {
			c.big = nil // back to the inline form
		}
		return
	}
	ranges := c.small()
	i := searchSmall(ranges, x.Replica, x.First) - 1
	c.setSmall(slices.Delete(ranges, i, i+1))
}

// setLast gives the cloud range starting at x.First the end x.Last, which
// touches no other range.
func (c *CausalContext) setLast(x DotRange) {
	if c.big != nil {
		c.big[x.Replica].ReplaceOrInsert(x)
		return
	}
	ranges := c.small()
	ranges[searchSmall(ranges, x.Replica, x.First)-1] = x
}

// put inserts x, which touches no range of the cloud nor the vector.
func (c *CausalContext) put(x DotRange) {
	if c.big == nil && c.n < smallCloud {
		ranges := c.small()
		i := searchSmall(ranges, x.Replica, x.First)
		switch {
		case c.few != nil:
			c.few = slices.Insert(c.few, i, x)
		case c.n < inlineCloud:
			ranges = c.two[:c.n+1]
			copy(ranges[i+1:], ranges[i:])
			ranges[i] = x
		default: // the inline ranges move to a slice
			c.few = slices.Concat(ranges[:i], []DotRange{x}, ranges[i:])
			clear(c.two[:])
		}
		c.n++
		return
	}
	if c.big == nil {
		big := make(map[ReplicaID]*btree.BTreeG[DotRange])
		for _, y := range c.small() {
			bigPut(big, y)
		}
		c.big = big
		c.few = nil
		clear(c.two[:])
	}
	bigPut(c.big, x)
	c.n++
}

// bigPut inserts x into its replica's tree of big.
func bigPut(big map[ReplicaID]*btree.BTreeG[DotRange], x DotRange) {
	t := big[x.Replica]
	if t == nil {
		t = newRangeTree()
		big[x.Replica] = t
	}
	t.ReplaceOrInsert(x)
}

// newRangeTree returns an empty tree for one replica's cloud ranges. Its
// free list keeps no nodes: a cloud of many replicas would otherwise pay
// for one list of spare nodes each.
func newRangeTree() *btree.BTreeG[DotRange] {
	return btree.NewWithFreeListG(bigDegree, firstLess, btree.NewFreeListG[DotRange](0))
}

// Contains reports whether d is in the context. O(1) for a dot the vector
// covers, else O(log ranges).
func (c *CausalContext) Contains(d Dot) bool {
	if c.vv.Contains(d) {
		return true
	}
	if c.n == 0 {
		return false
	}
	_, ok := c.cover(d.Replica, d.Seq)
	return ok
}

// Add inserts d and reports whether it was new. When d fills the gap after
// its replica's prefix, the cloud ranges that now continue the prefix move
// into the vector. O(1) for a dot that continues a prefix while the cloud
// is empty, else as AddRange. A dot with Seq 0 is ignored.
func (c *CausalContext) Add(d Dot) bool {
	return c.AddRange(d.Replica, d.Seq, d.Seq)
}

// AddRange adds the dots from…to of r (none if from > to; Seq 0 is
// ignored) and reports whether the context changed. It costs O(log ranges)
// for each cloud range it joins, plus one, whatever the number of dots.
func (c *CausalContext) AddRange(r ReplicaID, from, to uint64) bool {
	from = max(from, 1)
	top := c.vv.Get(r)
	if from > to || to <= top {
		return false
	}
	if from <= top+1 {
		if c.vv.m == nil {
			c.vv.m = make(map[ReplicaID]uint64)
		}
		c.vv.m[r] = to
		if c.n > 0 {
			c.absorb(r)
		}
		return true
	}
	// from-1 > top ≥ 0: the range lies past a gap. Ranges are maximal, so
	// a contiguous from…to the cloud holds lies within one of its ranges.
	x := DotRange{Replica: r, First: from, Last: to}
	p, joined := c.floor(r, from)
	joined = joined && p.Last >= from-1
	if joined {
		if p.Last >= to {
			return false
		}
		x.First = p.First
	}
	// Take in the ranges x reaches; the one that ends at or past x's end
	// is the last, as the next range starts a gap after it.
	for {
		s, ok := c.ceil(r, x.First)
		if !ok || x.Last < math.MaxUint64 && s.First > x.Last+1 {
			break
		}
		c.remove(s)
		if s.Last >= x.Last {
			x.Last = s.Last
			break
		}
	}
	if joined {
		c.setLast(x)
	} else {
		c.put(x)
	}
	return true
}

// Run reports whether the dot d is in c, and for how many k of the n dots
// d, d+step, d+2·step, … (step −1, 0 or +1, every dot with Seq ≥ 1) the
// answer stays the same: those k ≥ 1 dots are all in c or all not. It
// lets a caller split a run of dots by membership in O(pieces · log
// ranges) instead of O(dots). n = 0 gives (Contains(d), 0).
func (c *CausalContext) Run(d Dot, n uint64, step int) (in bool, k uint64) {
	in = c.Contains(d)
	if n <= 1 || step == 0 {
		return in, n
	}
	r, top := d.Replica, c.vv.Get(d.Replica)
	if step > 0 {
		last := d.Seq + (n - 1)
		if d.Seq <= top {
			return true, min(last, top) - d.Seq + 1
		}
		if x, ok := c.cover(r, d.Seq); ok {
			return true, min(last, x.Last) - d.Seq + 1
		}
		if x, ok := c.ceil(r, d.Seq); ok && x.First <= last {
			return false, x.First - d.Seq
		}
		return false, n
	}
	if d.Seq <= top {
		return true, n
	}
	low := d.Seq - (n - 1)
	if x, ok := c.cover(r, d.Seq); ok {
		// A cloud range starts above top+1: going down, it ends before
		// the vector's dots.
		return true, d.Seq - max(low, x.First) + 1
	}
	below := top // the greatest dot of r under d.Seq in c, 0 if none
	if x, ok := c.floor(r, d.Seq); ok {
		below = x.Last
	}
	if below < low {
		return false, n
	}
	return false, d.Seq - below
}

// absorb moves the cloud ranges of r that the vector now covers or
// continues into the vector. O(log ranges) for each range moved, plus one.
func (c *CausalContext) absorb(r ReplicaID) {
	top := c.vv.Get(r)
	for {
		x, ok := c.ceil(r, 0)
		if !ok || top < math.MaxUint64 && x.First > top+1 {
			break
		}
		top = max(top, x.Last)
		c.remove(x)
	}
	c.vv.Advance(r, top)
}

// Next returns the dot replica r issues next: one past the largest dot of r
// in the context. O(1), or O(log ranges) when the cloud is not empty.
func (c *CausalContext) Next(r ReplicaID) Dot {
	top := c.vv.Get(r)
	if c.n > 0 {
		if x, ok := c.floor(r, math.MaxUint64); ok {
			top = max(top, x.Last)
		}
	}
	return Dot{Replica: r, Seq: top + 1}
}

// Merge adds every dot of o to c and reports whether c changed. It costs
// O(o's vector + o's cloud ranges · log c's cloud ranges), plus
// O(log c's cloud ranges) for each of c's ranges that joins another or
// the vector.
func (c *CausalContext) Merge(o *CausalContext) bool {
	changed := false
	for r, seq := range o.vv.m {
		if c.vv.Advance(r, seq) {
			changed = true
			if c.n > 0 {
				c.absorb(r)
			}
		}
	}
	for x := range o.Ranges {
		if c.AddRange(x.Replica, x.First, x.Last) {
			changed = true
		}
	}
	return changed
}

// Vector returns a copy of the contiguous part of the context.
func (c *CausalContext) Vector() VersionVector { return c.vv.Clone() }

// CloudLen returns the number of ranges the cloud holds: maximal runs of
// consecutive dots seen past a gap.
func (c *CausalContext) CloudLen() int { return c.n }

// IsEmpty reports whether the context holds no dot.
func (c *CausalContext) IsEmpty() bool { return c.vv.Len() == 0 && c.n == 0 }

// Ranges calls yield for the ranges of the cloud (not the vector) in
// order: by replica, then by dot.
func (c *CausalContext) Ranges(yield func(DotRange) bool) {
	if c.big != nil {
		for _, r := range slices.Sorted(maps.Keys(c.big)) {
			ok := true
			c.big[r].Ascend(func(x DotRange) bool {
				ok = yield(x)
				return ok
			})
			if !ok {
				return
			}
		}
		return
	}
	for _, x := range c.small() {
		if !yield(x) {
			return
		}
	}
}

// Equal reports whether c and o hold the same dots. O(cloud ranges).
func (c *CausalContext) Equal(o *CausalContext) bool {
	if c.n != o.n || !c.vv.Equal(&o.vv) {
		return false
	}
	if c.big == nil && o.big == nil {
		return slices.Equal(c.small(), o.small())
	}
	return slices.Equal(slices.Collect(c.Ranges), slices.Collect(o.Ranges))
}

// Clone returns a deep copy of c. O(cloud ranges · log cloud ranges).
func (c *CausalContext) Clone() CausalContext {
	out := CausalContext{vv: c.vv.Clone(), two: c.two, few: slices.Clone(c.few), n: c.n}
	if c.big != nil {
		out.big = make(map[ReplicaID]*btree.BTreeG[DotRange], len(c.big))
		for r, t := range c.big {
			// Not t.Clone, which writes to t: Clone is a read, and
			// readers may run together.
			u := newRangeTree()
			t.Ascend(func(x DotRange) bool {
				u.ReplaceOrInsert(x)
				return true
			})
			out.big[r] = u
		}
	}
	return out
}

// String formats c as its vector followed by its cloud, in order.
func (c *CausalContext) String() string {
	var b strings.Builder
	b.WriteString(c.vv.String())
	if c.n == 0 {
		return b.String()
	}
	b.WriteString("+[")
	sep := ""
	for x := range c.Ranges {
		b.WriteString(sep)
		b.WriteString(x.String())
		sep = " "
	}
	b.WriteString("]")
	return b.String()
}

// AppendBinary appends the canonical encoding of c: its vector, then its
// cloud grouped by replica, ascending, each range as its gap from the dot
// before it (the vector entry, then the previous range's last dot) and its
// length less one. It never fails.
func (c *CausalContext) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, contextTag, version1)
	b = c.vv.appendBody(b)
	cloud := c.small()
	if c.big != nil {
		cloud = slices.Collect(c.Ranges)
	}
	var replicas uint64
	for i, x := range cloud {
		if i == 0 || x.Replica != cloud[i-1].Replica {
			replicas++
		}
	}
	b = wire.AppendUvarint(b, replicas)
	for len(cloud) > 0 {
		r := cloud[0].Replica
		n := 1
		for n < len(cloud) && cloud[n].Replica == r {
			n++
		}
		b = wire.AppendUvarint(b, uint64(r))
		b = wire.AppendUvarint(b, uint64(n))
		last := c.vv.Get(r)
		for _, x := range cloud[:n] {
			b = wire.AppendUvarint(b, x.First-last)
			b = wire.AppendUvarint(b, x.Last-x.First)
			last = x.Last
		}
		cloud = cloud[n:]
	}
	return b, nil
}

// UnmarshalBinary replaces c with the context encoded in data. It returns
// an error wrapping ErrMalformed unless data is a canonical encoding: cloud
// replicas and ranges ascending, no range touching another or the vector,
// and no dot with the largest Seq (its replica could issue no next dot).
// O(len(data) · log ranges).
func (c *CausalContext) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(contextTag, version1, "causal context")
	out := CausalContext{vv: readVectorBody(&r)}
	nr := r.Count(4)
	var prevReplica ReplicaID
	for i := 0; i < nr && r.Err() == nil; i++ {
		id := ReplicaID(r.Uvarint())
		ns := r.Count(2)
		if i > 0 && id <= prevReplica {
			r.Fail("causal context: cloud replicas not ascending")
		}
		if ns == 0 {
			r.Fail("causal context: empty cloud entry")
		}
		prevReplica = id
		last := out.vv.Get(id)
		for j := 0; j < ns && r.Err() == nil; j++ {
			gap, extra := r.Uvarint(), r.Uvarint()
			// A range must leave a gap after the dot before it (gap ≥ 2),
			// and no dot may reach the largest Seq.
			if gap < 2 || gap >= math.MaxUint64-last || extra >= math.MaxUint64-(last+gap) {
				r.Fail("causal context: cloud ranges not canonical")
				break
			}
			first := last + gap
			last = first + extra
			out.put(DotRange{Replica: id, First: first, Last: last})
		}
	}
	if err := r.Done("causal context"); err != nil {
		return err
	}
	*c = out
	return nil
}
