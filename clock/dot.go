package clock

import (
	"cmp"
	"strconv"
)

// ReplicaID identifies one incarnation of a replica. IDs are compared as
// integers to break ties, the same way on every replica.
type ReplicaID uint64

// Dot names one update: the Seq-th event issued by Replica. Seq starts at 1;
// a zero Seq names nothing.
type Dot struct {
	Replica ReplicaID
	Seq     uint64
}

// Compare orders dots by replica, then sequence number. It returns -1, 0 or
// +1 as d is less than, equal to or greater than o.
func (d Dot) Compare(o Dot) int {
	if c := cmp.Compare(d.Replica, o.Replica); c != 0 {
		return c
	}
	return cmp.Compare(d.Seq, o.Seq)
}

// String formats d as "replica.seq".
func (d Dot) String() string {
	return strconv.FormatUint(uint64(d.Replica), 10) + "." + strconv.FormatUint(d.Seq, 10)
}
