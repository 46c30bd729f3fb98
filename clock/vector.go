package clock

import (
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/redcrdt/redcrdt/internal/wire"
)

const (
	vectorTag  = 'V'
	contextTag = 'C'
	version1   = 1
)

// VersionVector maps each replica to the length of the contiguous prefix of
// its dots that has been seen: an entry (r, n) stands for the dots r.1 … r.n.
// Missing entries are zero. The zero value is an empty vector ready to use.
type VersionVector struct {
	m map[ReplicaID]uint64
}

// Get returns the entry for r, or 0.
func (v *VersionVector) Get(r ReplicaID) uint64 { return v.m[r] }

// Len returns the number of non-zero entries.
func (v *VersionVector) Len() int { return len(v.m) }

// Contains reports whether d lies in the prefix v records for d.Replica. A
// dot with Seq 0 names nothing and is never contained.
func (v *VersionVector) Contains(d Dot) bool { return d.Seq != 0 && d.Seq <= v.m[d.Replica] }

// Advance raises the entry for r to seq and reports whether it changed.
// A smaller seq leaves the entry as it is.
func (v *VersionVector) Advance(r ReplicaID, seq uint64) bool {
	if seq <= v.m[r] {
		return false
	}
	if v.m == nil {
		v.m = make(map[ReplicaID]uint64)
	}
	v.m[r] = seq
	return true
}

// Merge raises every entry of v to at least o's (pointwise maximum) and
// reports whether v changed. It costs O(o.Len()).
func (v *VersionVector) Merge(o *VersionVector) bool {
	changed := false
	for r, seq := range o.m {
		if v.Advance(r, seq) {
			changed = true
		}
	}
	return changed
}

// Meet returns the pointwise minimum of v and o: the dots both have seen. A
// meet over every replica's vector is the causally stable prefix.
func (v *VersionVector) Meet(o *VersionVector) VersionVector {
	var out VersionVector
	for r, seq := range v.m {
		if other := o.m[r]; other < seq {
			seq = other
		}
		out.Advance(r, seq)
	}
	return out
}

// Descends reports whether v has seen everything o has (v ≥ o pointwise).
func (v *VersionVector) Descends(o *VersionVector) bool {
	for r, seq := range o.m {
		if v.m[r] < seq {
			return false
		}
	}
	return true
}

// Equal reports whether v and o hold the same entries.
func (v *VersionVector) Equal(o *VersionVector) bool { return maps.Equal(v.m, o.m) }

// Clone returns a deep copy of v.
func (v *VersionVector) Clone() VersionVector { return VersionVector{m: maps.Clone(v.m)} }

// Replicas returns the replicas with a non-zero entry, in ascending order.
func (v *VersionVector) Replicas() []ReplicaID {
	return slices.Sorted(maps.Keys(v.m))
}

// String formats v as "{r:n …}" in replica order.
func (v *VersionVector) String() string {
	b := []byte{'{'}
	for i, r := range v.Replicas() {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendUint(b, uint64(r), 10)
		b = append(b, ':')
		b = strconv.AppendUint(b, v.m[r], 10)
	}
	return string(append(b, '}'))
}

// AppendBinary appends the canonical encoding of v (entries in replica
// order), so equal vectors encode to equal bytes. It never fails.
func (v *VersionVector) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, vectorTag, version1)
	return v.appendBody(b), nil
}

// UnmarshalBinary replaces v with the vector encoded in data. It returns an
// error wrapping ErrMalformed if data is not a canonical encoding.
func (v *VersionVector) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(vectorTag, version1, "version vector")
	out := readVectorBody(&r)
	if err := r.Done("version vector"); err != nil {
		return err
	}
	*v = out
	return nil
}

func (v *VersionVector) appendBody(b []byte) []byte {
	b = wire.AppendUvarint(b, uint64(len(v.m)))
	for _, r := range v.Replicas() {
		b = wire.AppendUvarint(b, uint64(r))
		b = wire.AppendUvarint(b, v.m[r])
	}
	return b
}

func readVectorBody(r *wire.Reader) VersionVector {
	n := r.Count(2)
	var out VersionVector
	if n > 0 {
		out.m = make(map[ReplicaID]uint64, n)
	}
	var prev ReplicaID
	for i := 0; i < n && r.Err() == nil; i++ {
		id := ReplicaID(r.Uvarint())
		seq := r.Uvarint()
		switch {
		case r.Err() != nil:
		case i > 0 && id <= prev:
			r.Fail("version vector: replicas not ascending")
		case seq == 0:
			r.Fail("version vector: zero entry")
		case seq == math.MaxUint64:
			// Next would wrap to Seq 0, a dot that names nothing.
			r.Fail("version vector: entry at the end of the sequence space")
		default:
			out.m[id] = seq
			prev = id
		}
	}
	return out
}
