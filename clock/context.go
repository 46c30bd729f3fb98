package clock

import (
	"maps"
	"slices"

	"github.com/redcrdt/redcrdt/internal/wire"
)

// CausalContext is a set of dots: a VersionVector for each replica's
// contiguous prefix plus a dot cloud for the dots seen past a gap. It is kept
// compact at all times: a dot joins the vector as soon as the gap before it
// fills, and the cloud never holds a dot the vector covers. Equal sets of
// dots therefore have one representation and one encoding.
//
// The zero value is an empty context ready to use. A CausalContext is not
// safe for concurrent mutation.
type CausalContext struct {
	vv    VersionVector
	cloud map[ReplicaID]map[uint64]struct{}
	n     int // dots in the cloud
}

// Contains reports whether d is in the context. It costs O(1).
func (c *CausalContext) Contains(d Dot) bool {
	if c.vv.Contains(d) {
		return true
	}
	_, ok := c.cloud[d.Replica][d.Seq]
	return ok
}

// Add inserts d and reports whether it was new. When d fills the gap after
// its replica's prefix, the cloud dots that now continue the prefix move into
// the vector. Amortized O(1). A dot with Seq 0 is ignored.
func (c *CausalContext) Add(d Dot) bool {
	if d.Seq == 0 || c.Contains(d) {
		return false
	}
	if d.Seq != c.vv.Get(d.Replica)+1 {
		if c.cloud == nil {
			c.cloud = make(map[ReplicaID]map[uint64]struct{})
		}
		s := c.cloud[d.Replica]
		if s == nil {
			s = make(map[uint64]struct{})
			c.cloud[d.Replica] = s
		}
		s[d.Seq] = struct{}{}
		c.n++
		return true
	}
	c.vv.Advance(d.Replica, d.Seq)
	c.absorb(d.Replica)
	return true
}

// absorb moves the cloud dots of r that the vector now covers or continues
// into the vector.
func (c *CausalContext) absorb(r ReplicaID) {
	s := c.cloud[r]
	if len(s) == 0 {
		return
	}
	top := c.vv.Get(r)
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
	c.vv.Advance(r, top)
	if len(s) == 0 {
		delete(c.cloud, r)
	}
}

// Next returns the dot replica r issues next: one past the largest dot of r
// in the context. O(1) unless r has dots in the cloud, which a replica's own
// context never has; then O(cloud dots of r).
func (c *CausalContext) Next(r ReplicaID) Dot {
	top := c.vv.Get(r)
	for seq := range c.cloud[r] {
		top = max(top, seq)
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
	for r, s := range o.cloud {
		for seq := range s {
			if c.Add(Dot{Replica: r, Seq: seq}) {
				changed = true
			}
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
	for r, s := range c.cloud {
		for seq := range s {
			if !yield(Dot{Replica: r, Seq: seq}) {
				return
			}
		}
	}
}

// Equal reports whether c and o hold the same dots.
func (c *CausalContext) Equal(o *CausalContext) bool {
	if c.n != o.n || !c.vv.Equal(&o.vv) {
		return false
	}
	return maps.EqualFunc(c.cloud, o.cloud, func(a, b map[uint64]struct{}) bool { return maps.Equal(a, b) })
}

// Clone returns a deep copy of c.
func (c *CausalContext) Clone() CausalContext {
	out := CausalContext{vv: c.vv.Clone(), n: c.n}
	if len(c.cloud) > 0 {
		out.cloud = make(map[ReplicaID]map[uint64]struct{}, len(c.cloud))
		for r, s := range c.cloud {
			out.cloud[r] = maps.Clone(s)
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
// cloud sorted by dot. It never fails.
func (c *CausalContext) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, contextTag, version1)
	b = c.vv.appendBody(b)
	replicas := slices.Sorted(maps.Keys(c.cloud))
	b = wire.AppendUvarint(b, uint64(len(replicas)))
	for _, r := range replicas {
		seqs := slices.Sorted(maps.Keys(c.cloud[r]))
		b = wire.AppendUvarint(b, uint64(r))
		b = wire.AppendUvarint(b, uint64(len(seqs)))
		prev := c.vv.Get(r)
		for _, seq := range seqs {
			b = wire.AppendUvarint(b, seq-prev)
			prev = seq
		}
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
		if r.Err() != nil {
			break
		}
		prevReplica = id
		s := make(map[uint64]struct{}, ns)
		seq := out.vv.Get(id)
		for j := 0; j < ns && r.Err() == nil; j++ {
			gap := r.Uvarint()
			// The first cloud dot must leave a gap after the prefix
			// (gap ≥ 2); later ones must ascend (gap ≥ 1).
			if gap == 0 || (j == 0 && gap == 1) || seq+gap < seq {
				r.Fail("causal context: cloud dots not canonical")
				break
			}
			seq += gap
			s[seq] = struct{}{}
		}
		if out.cloud == nil {
			out.cloud = make(map[ReplicaID]map[uint64]struct{}, nr)
		}
		out.cloud[id] = s
		out.n += len(s)
	}
	if err := r.Done("causal context"); err != nil {
		return err
	}
	*c = out
	return nil
}
