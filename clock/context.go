package clock

import (
	"maps"
	"math"
	"slices"

	"github.com/redcrdt/redcrdt/internal/wire"
)

// CausalContext is a set of dots: a VersionVector for each replica's
// contiguous prefix plus a dot cloud for the dots seen past a gap. It is kept
// compact at all times: a dot joins the vector as soon as the gap before it
// fills, and the cloud never holds a dot the vector covers. Equal sets of
// dots therefore have one canonical encoding.
//
// A cloud of one or two dots (a delta's context, usually) is held inline
// without allocating; a small cloud is a sorted slice; past smallCloud dots
// it moves to a map, so that Add and Contains stay O(1) for clouds of any
// size.
//
// The zero value is an empty context ready to use. A CausalContext is not
// safe for concurrent mutation.
type CausalContext struct {
	vv  VersionVector
	two [inlineCloud]Dot                  // the cloud, sorted, while few and big are nil
	few []Dot                             // the cloud, sorted, once it outgrew two
	big map[ReplicaID]map[uint64]struct{} // the cloud, once it outgrew few
	n   int                               // dots in the cloud
}

// inlineCloud is the most dots the cloud holds without allocating.
const inlineCloud = 2

// smallCloud is the most dots the sorted-slice cloud holds.
const smallCloud = 32

// small returns the cloud when it is not a map (nil when it is): sorted, and
// aliasing c, so callers that change it in place must then call setSmall.
func (c *CausalContext) small() []Dot {
	switch {
	case c.big != nil:
		return nil
	case c.few != nil:
		return c.few
	}
	return c.two[:c.n]
}

// setSmall makes dots, sorted, the cloud; dots must be the slice small
// returned, changed in place or grown.
func (c *CausalContext) setSmall(dots []Dot) {
	c.n = len(dots)
	if c.few == nil && len(dots) <= inlineCloud {
		copy(c.two[:], dots) // a no-op unless dots was grown elsewhere
		clear(c.two[len(dots):])
		return
	}
	if c.few == nil {
		dots = slices.Clone(dots)
		clear(c.two[:])
	}
	c.few = dots
}

// Contains reports whether d is in the context. O(1), or O(log 32) for a
// small cloud.
func (c *CausalContext) Contains(d Dot) bool {
	if c.vv.Contains(d) {
		return true
	}
	if c.big != nil {
		_, ok := c.big[d.Replica][d.Seq]
		return ok
	}
	_, ok := slices.BinarySearchFunc(c.small(), d, Dot.Compare)
	return ok
}

// Add inserts d and reports whether it was new. When d fills the gap after
// its replica's prefix, the cloud dots that now continue the prefix move into
// the vector. Amortized O(1). A dot with Seq 0 is ignored.
func (c *CausalContext) Add(d Dot) bool {
	top := c.vv.m[d.Replica]
	if d.Seq <= top {
		return false // covered by the vector, or Seq 0
	}
	if d.Seq == top+1 {
		if c.vv.m == nil {
			c.vv.m = make(map[ReplicaID]uint64)
		}
		c.vv.m[d.Replica] = d.Seq
		if c.n > 0 {
			c.absorb(d.Replica)
		}
		return true
	}
	if c.Contains(d) {
		return false
	}
	if c.big == nil && c.n < smallCloud {
		dots := c.small()
		i, _ := slices.BinarySearchFunc(dots, d, Dot.Compare)
		if c.few == nil && c.n < inlineCloud {
			dots = dots[:c.n+1] // within c.two
			copy(dots[i+1:], dots[i:])
			dots[i] = d
		} else {
			dots = slices.Insert(dots, i, d)
		}
		c.setSmall(dots)
		return true
	}
	if c.big == nil {
		dots := c.small()
		c.big = make(map[ReplicaID]map[uint64]struct{})
		for _, x := range dots {
			c.bigAdd(x)
		}
		c.few = nil
		clear(c.two[:])
	}
	c.n++
	c.bigAdd(d)
	return true
}

// AddRange adds the dots from…to of r (none if from > to; Seq 0 is
// ignored) and reports whether the context changed. A range that continues
// r's contiguous prefix (from ≤ the vector's entry for r, plus one) costs
// O(1) plus O(r's cloud dots); any other costs to − from + 1 Adds.
func (c *CausalContext) AddRange(r ReplicaID, from, to uint64) bool {
	from = max(from, 1)
	if from > to {
		return false
	}
	if from > c.vv.Get(r)+1 {
		changed := false
		for seq := from; ; seq++ {
			if c.Add(Dot{Replica: r, Seq: seq}) {
				changed = true
			}
			if seq == to {
				return changed
			}
		}
	}
	if !c.vv.Advance(r, to) {
		return false
	}
	if c.n > 0 {
		c.absorb(r)
	}
	return true
}

// Run reports whether the dot d is in c, and for how many k of the n dots
// d, d+step, d+2·step, … (step −1, 0 or +1, every dot with Seq ≥ 1) the
// answer stays the same: those k ≥ 1 dots are all in c or all not. It
// lets a caller split a run of dots by membership in O(pieces) instead of
// O(dots): O(log 32) a piece for a small cloud; for a large one O(the
// piece) or O(d.Replica's cloud dots), whichever is less. n = 0 gives
// (Contains(d), 0).
func (c *CausalContext) Run(d Dot, n uint64, step int) (in bool, k uint64) {
	in = c.Contains(d)
	if n <= 1 || step == 0 {
		return in, n
	}
	r, top := d.Replica, c.vv.Get(d.Replica)
	if step > 0 {
		last := d.Seq + (n - 1)
		switch {
		case d.Seq <= top:
			return true, min(last, top) - d.Seq + 1
		case in:
			k = 1
			for k < n && c.cloudHas(r, d.Seq+k) {
				k++
			}
			return true, k
		}
		next, ok := c.cloudAfter(r, d.Seq, last)
		if !ok {
			return false, n
		}
		return false, next - d.Seq
	}
	low := d.Seq - (n - 1)
	switch {
	case d.Seq <= top:
		return true, n
	case in:
		// A run of cloud dots going down ends above top+1, which is never
		// in the cloud: it does not reach the vector's dots.
		k = 1
		for k < n && c.cloudHas(r, d.Seq-k) {
			k++
		}
		return true, k
	}
	below := top // the greatest dot of r under d.Seq in c, 0 if none
	if prev, ok := c.cloudBefore(r, d.Seq, max(low, top+1)); ok {
		below = prev
	}
	if below < low {
		return false, n
	}
	return false, d.Seq - below
}

// cloudHas reports whether (r, seq) is in the cloud.
func (c *CausalContext) cloudHas(r ReplicaID, seq uint64) bool {
	if c.big != nil {
		_, ok := c.big[r][seq]
		return ok
	}
	_, ok := slices.BinarySearchFunc(c.small(), Dot{Replica: r, Seq: seq}, Dot.Compare)
	return ok
}

// cloudAfter returns the least cloud seq of r in (seq, limit] and true, or
// false if there is none.
func (c *CausalContext) cloudAfter(r ReplicaID, seq, limit uint64) (uint64, bool) {
	if c.big == nil {
		dots := c.small()
		i, _ := slices.BinarySearchFunc(dots, Dot{Replica: r, Seq: seq + 1}, Dot.Compare)
		if i < len(dots) && dots[i].Replica == r && dots[i].Seq <= limit {
			return dots[i].Seq, true
		}
		return 0, false
	}
	m := c.big[r]
	if limit-seq <= uint64(len(m)) {
		for s := seq + 1; s <= limit; s++ {
			if _, ok := m[s]; ok {
				return s, true
			}
		}
		return 0, false
	}
	best, found := uint64(0), false
	for s := range m {
		if s > seq && s <= limit && (!found || s < best) {
			best, found = s, true
		}
	}
	return best, found
}

// cloudBefore returns the greatest cloud seq of r in [limit, seq) and
// true, or false if there is none.
func (c *CausalContext) cloudBefore(r ReplicaID, seq, limit uint64) (uint64, bool) {
	if limit >= seq {
		return 0, false
	}
	if c.big == nil {
		dots := c.small()
		i, _ := slices.BinarySearchFunc(dots, Dot{Replica: r, Seq: seq}, Dot.Compare)
		if i > 0 && dots[i-1].Replica == r && dots[i-1].Seq >= limit {
			return dots[i-1].Seq, true
		}
		return 0, false
	}
	m := c.big[r]
	if seq-limit <= uint64(len(m)) {
		for s := seq - 1; s >= limit; s-- {
			if _, ok := m[s]; ok {
				return s, true
			}
		}
		return 0, false
	}
	best, found := uint64(0), false
	for s := range m {
		if s < seq && s >= limit && (!found || s > best) {
			best, found = s, true
		}
	}
	return best, found
}

func (c *CausalContext) bigAdd(d Dot) {
	s := c.big[d.Replica]
	if s == nil {
		s = make(map[uint64]struct{})
		c.big[d.Replica] = s
	}
	s[d.Seq] = struct{}{}
}

// absorb moves the cloud dots of r that the vector now covers or continues
// into the vector. O(cloud dots of r).
func (c *CausalContext) absorb(r ReplicaID) {
	top := c.vv.Get(r)
	if c.big == nil {
		dots := c.small()
		lo, _ := slices.BinarySearchFunc(dots, Dot{Replica: r}, Dot.Compare)
		hi := lo
		for hi < len(dots) && dots[hi].Replica == r && dots[hi].Seq <= top+1 {
			top = max(top, dots[hi].Seq)
			hi++
		}
		if hi > lo {
			c.setSmall(slices.Delete(dots, lo, hi))
		}
	} else if s := c.big[r]; len(s) > 0 {
		for seq := range s {
			if seq <= top {
				delete(s, seq)
				c.n--
			}
		}
		for {
			if _, ok := s[top+1]; !ok {
				break
			}
			delete(s, top+1)
			c.n--
			top++
		}
		if len(s) == 0 {
			delete(c.big, r)
		}
	}
	c.vv.Advance(r, top)
}

// Next returns the dot replica r issues next: one past the largest dot of r
// in the context. O(1) unless r has dots in a large cloud, which a replica's
// own context never has; then O(cloud dots of r).
func (c *CausalContext) Next(r ReplicaID) Dot {
	top := c.vv.Get(r)
	if c.big == nil {
		// i is the end of r's run: the first dot of a greater replica.
		// (Searching for Dot{r+1, 0} would wrap for the largest ReplicaID.)
		dots := c.small()
		i, _ := slices.BinarySearchFunc(dots, r, func(d Dot, r ReplicaID) int {
			if d.Replica <= r {
				return -1
			}
			return 1
		})
		if i > 0 && dots[i-1].Replica == r {
			top = max(top, dots[i-1].Seq)
		}
	} else {
		for seq := range c.big[r] {
			top = max(top, seq)
		}
	}
	return Dot{Replica: r, Seq: top + 1}
}

// Merge adds every dot of o to c and reports whether c changed. It costs
// O(o's vector + o's cloud), plus O(c's cloud dots of r) for each replica r
// whose prefix o extends.
func (c *CausalContext) Merge(o *CausalContext) bool {
	changed := false
	for r, seq := range o.vv.m {
		if c.vv.Advance(r, seq) {
			changed = true
			c.absorb(r)
		}
	}
	for d := range o.Dots {
		if c.Add(d) {
			changed = true
		}
	}
	return changed
}

// Vector returns a copy of the contiguous part of the context.
func (c *CausalContext) Vector() VersionVector { return c.vv.Clone() }

// CloudLen returns the number of dots held past a gap.
func (c *CausalContext) CloudLen() int { return c.n }

// IsEmpty reports whether the context holds no dot.
func (c *CausalContext) IsEmpty() bool { return c.vv.Len() == 0 && c.n == 0 }

// Dots calls yield for the dots of the cloud (not the vector), in no
// particular order.
func (c *CausalContext) Dots(yield func(Dot) bool) {
	for _, d := range c.small() {
		if !yield(d) {
			return
		}
	}
	for r, s := range c.big {
		for seq := range s {
			if !yield(Dot{Replica: r, Seq: seq}) {
				return
			}
		}
	}
}

// Equal reports whether c and o hold the same dots. O(cloud).
func (c *CausalContext) Equal(o *CausalContext) bool {
	if c.n != o.n || !c.vv.Equal(&o.vv) {
		return false
	}
	if c.big == nil && o.big == nil {
		return slices.Equal(c.small(), o.small())
	}
	for d := range c.Dots {
		if !o.Contains(d) {
			return false
		}
	}
	return true
}

// Clone returns a deep copy of c.
func (c *CausalContext) Clone() CausalContext {
	out := CausalContext{vv: c.vv.Clone(), two: c.two, few: slices.Clone(c.few), n: c.n}
	if c.big != nil {
		out.big = make(map[ReplicaID]map[uint64]struct{}, len(c.big))
		for r, s := range c.big {
			out.big[r] = maps.Clone(s)
		}
	}
	return out
}

// String formats c as its vector followed by its cloud, both sorted.
func (c *CausalContext) String() string {
	s := c.vv.String()
	if c.n == 0 {
		return s
	}
	s += "+["
	for i, d := range c.sortedCloud() {
		if i > 0 {
			s += " "
		}
		s += d.String()
	}
	return s + "]"
}

func (c *CausalContext) sortedCloud() []Dot {
	out := make([]Dot, 0, c.n)
	for d := range c.Dots {
		out = append(out, d)
	}
	slices.SortFunc(out, Dot.Compare)
	return out
}

// AppendBinary appends the canonical encoding of c: its vector, then its
// cloud grouped by replica, ascending. It never fails.
func (c *CausalContext) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, contextTag, version1)
	b = c.vv.appendBody(b)
	cloud := c.sortedCloud()
	var replicas uint64
	for i, d := range cloud {
		if i == 0 || d.Replica != cloud[i-1].Replica {
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
		prev := c.vv.Get(r)
		for _, d := range cloud[:n] {
			b = wire.AppendUvarint(b, d.Seq-prev)
			prev = d.Seq
		}
		cloud = cloud[n:]
	}
	return b, nil
}

// UnmarshalBinary replaces c with the context encoded in data. It returns
// an error wrapping ErrMalformed unless data is a canonical encoding: cloud
// dots ascending, none covered by or adjacent to the vector.
func (c *CausalContext) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(contextTag, version1, "causal context")
	out := CausalContext{vv: readVectorBody(&r)}
	nr := r.Count(2)
	var prevReplica ReplicaID
	for i := 0; i < nr && r.Err() == nil; i++ {
		id := ReplicaID(r.Uvarint())
		ns := r.Count(1)
		if i > 0 && id <= prevReplica {
			r.Fail("causal context: cloud replicas not ascending")
		}
		if ns == 0 {
			r.Fail("causal context: empty cloud entry")
		}
		prevReplica = id
		seq := out.vv.Get(id)
		for j := 0; j < ns && r.Err() == nil; j++ {
			gap := r.Uvarint()
			// The first cloud dot must leave a gap after the prefix
			// (gap ≥ 2); later ones must ascend (gap ≥ 1).
			if gap == 0 || (j == 0 && gap == 1) || seq+gap < seq || seq+gap == math.MaxUint64 {
				r.Fail("causal context: cloud dots not canonical")
				break
			}
			seq += gap
			out.Add(Dot{Replica: id, Seq: seq})
		}
	}
	if err := r.Done("causal context"); err != nil {
		return err
	}
	*c = out
	return nil
}
