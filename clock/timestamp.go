package clock

import (
	"cmp"
	"fmt"
	"time"
)

// Timestamp is a hybrid logical clock reading: the high 48 bits hold
// wall-clock milliseconds since the Unix epoch and the low 16 bits a logical
// counter that orders events within one millisecond. Timestamps compare as
// plain integers.
type Timestamp uint64

const (
	logicalBits = 16
	// MaxLogical is the largest logical counter a Timestamp holds.
	MaxLogical = 1<<logicalBits - 1
	// MaxWallMillis is the largest wall time a Timestamp holds (year 10889).
	MaxWallMillis = 1<<(64-logicalBits) - 1
)

// NewTimestamp packs wall-clock milliseconds and a logical counter. Wall
// times outside [0, MaxWallMillis] are clamped into it.
func NewTimestamp(wallMillis int64, logical uint16) Timestamp {
	wallMillis = min(max(wallMillis, 0), MaxWallMillis)
	return Timestamp(uint64(wallMillis)<<logicalBits | uint64(logical))
}

// WallMillis returns the wall-clock part in milliseconds since the Unix epoch.
func (t Timestamp) WallMillis() int64 { return int64(t >> logicalBits) }

// Logical returns the logical counter.
func (t Timestamp) Logical() uint16 { return uint16(t & MaxLogical) }

// Time returns the wall-clock part as a time.Time in UTC.
func (t Timestamp) Time() time.Time { return time.UnixMilli(t.WallMillis()).UTC() }

// String formats t as "wallMillis.logical".
func (t Timestamp) String() string { return fmt.Sprintf("%d.%d", t.WallMillis(), t.Logical()) }

// Stamp is a Timestamp together with the replica that issued it. Stamps are
// totally ordered: by timestamp, then by replica ID. Last-writer-wins rules
// keep the greatest Stamp, so every replica picks the same winner.
type Stamp struct {
	Time    Timestamp
	Replica ReplicaID
}

// Compare returns -1, 0 or +1 as s is less than, equal to or greater than o.
func (s Stamp) Compare(o Stamp) int {
	if c := cmp.Compare(s.Time, o.Time); c != 0 {
		return c
	}
	return cmp.Compare(s.Replica, o.Replica)
}

// Less reports whether s orders before o.
func (s Stamp) Less(o Stamp) bool { return s.Compare(o) < 0 }

// String formats s as "wallMillis.logical@replica".
func (s Stamp) String() string { return fmt.Sprintf("%v@%d", s.Time, s.Replica) }
