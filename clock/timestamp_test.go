package clock_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/redcrdt/redcrdt/clock"
)

func TestNewTimestamp(t *testing.T) {
	tests := []struct {
		wall     int64
		logical  uint16
		want     uint64
		wantWall int64
		str      string
	}{
		{0, 0, 0, 0, "0.0"},
		{0, 1, 1, 0, "0.1"},
		{1, 0, 1 << 16, 1, "1.0"},
		{1, clock.MaxLogical, 1<<16 | 0xFFFF, 1, "1.65535"},
		{1_700_000_000_123, 42, 1_700_000_000_123<<16 | 42, 1_700_000_000_123, "1700000000123.42"},
		{clock.MaxWallMillis, clock.MaxLogical, math.MaxUint64, clock.MaxWallMillis, "281474976710655.65535"},
		// Out-of-range wall times clamp into [0, MaxWallMillis].
		{-1, 7, 7, 0, "0.7"},
		{math.MinInt64, 0, 0, 0, "0.0"},
		{clock.MaxWallMillis + 1, 3, clock.MaxWallMillis<<16 | 3, clock.MaxWallMillis, "281474976710655.3"},
		{math.MaxInt64, 0, clock.MaxWallMillis << 16, clock.MaxWallMillis, "281474976710655.0"},
	}
	for _, tt := range tests {
		got := clock.NewTimestamp(tt.wall, tt.logical)
		if uint64(got) != tt.want {
			t.Errorf("NewTimestamp(%d, %d) = %#x, want %#x", tt.wall, tt.logical, uint64(got), tt.want)
		}
		if got.WallMillis() != tt.wantWall || got.Logical() != tt.logical {
			t.Errorf("NewTimestamp(%d, %d) unpacks to (%d, %d)", tt.wall, tt.logical, got.WallMillis(), got.Logical())
		}
		if got.String() != tt.str {
			t.Errorf("NewTimestamp(%d, %d).String() = %q, want %q", tt.wall, tt.logical, got.String(), tt.str)
		}
	}
}

func TestTimestampOrderFollowsWallThenLogical(t *testing.T) {
	in := []clock.Timestamp{ts(5, 0), ts(4, clock.MaxLogical), ts(5, 1), ts(0, 9), ts(4, 0)}
	slices.Sort(in)
	want := []clock.Timestamp{ts(0, 9), ts(4, 0), ts(4, clock.MaxLogical), ts(5, 0), ts(5, 1)}
	if !slices.Equal(in, want) {
		t.Fatalf("sorted = %v, want %v", in, want)
	}
}

func TestTimestampTime(t *testing.T) {
	got := ts(1_700_000_000_123, 9).Time()
	want := time.Date(2023, time.November, 14, 22, 13, 20, 123_000_000, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Fatalf("Time() = %v, want %v", got, want)
	}
}

func TestStampCompare(t *testing.T) {
	a := clock.Stamp{Time: ts(10, 0), Replica: 1}
	b := clock.Stamp{Time: ts(10, 0), Replica: 2}
	c := clock.Stamp{Time: ts(10, 1), Replica: 1}
	d := clock.Stamp{Time: ts(11, 0), Replica: 0}
	tests := []struct {
		x, y clock.Stamp
		want int
	}{
		{a, a, 0},
		{a, b, -1}, // equal times: the larger replica ID wins
		{b, a, 1},
		{b, c, -1}, // the timestamp decides before the replica
		{c, d, -1},
		{d, a, 1},
	}
	for _, tt := range tests {
		if got := tt.x.Compare(tt.y); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
		if got := tt.x.Less(tt.y); got != (tt.want < 0) {
			t.Errorf("%v.Less(%v) = %v", tt.x, tt.y, got)
		}
	}
	if s := b.String(); s != "10.0@2" {
		t.Errorf("String() = %q, want 10.0@2", s)
	}
}

// TestStampTotalOrder checks that Compare is a total order on a grid of
// stamps: antisymmetric, transitive and 0 only for equal stamps.
func TestStampTotalOrder(t *testing.T) {
	var all []clock.Stamp
	for _, w := range []int64{0, 1, 2} {
		for _, l := range []uint16{0, 1, clock.MaxLogical} {
			for _, r := range []clock.ReplicaID{0, 1, math.MaxUint64} {
				all = append(all, clock.Stamp{Time: ts(w, l), Replica: r})
			}
		}
	}
	for _, x := range all {
		for _, y := range all {
			c := x.Compare(y)
			if c != -y.Compare(x) {
				t.Fatalf("Compare not antisymmetric on %v, %v", x, y)
			}
			if (c == 0) != (x == y) {
				t.Fatalf("%v.Compare(%v) = %d", x, y, c)
			}
			for _, z := range all {
				if c < 0 && y.Compare(z) < 0 && x.Compare(z) >= 0 {
					t.Fatalf("Compare not transitive on %v < %v < %v", x, y, z)
				}
			}
		}
	}
	// Sorting shuffled copies gives one order: the one every replica sees.
	want := slices.Clone(all)
	slices.SortFunc(want, clock.Stamp.Compare)
	got := slices.Clone(all)
	slices.Reverse(got)
	slices.SortFunc(got, clock.Stamp.Compare)
	if !slices.Equal(got, want) {
		t.Fatal("sorting two permutations gave different orders")
	}
}

func TestDotCompare(t *testing.T) {
	tests := []struct {
		x, y clock.Dot
		want int
	}{
		{clock.Dot{Replica: 1, Seq: 5}, clock.Dot{Replica: 1, Seq: 5}, 0},
		{clock.Dot{Replica: 1, Seq: 5}, clock.Dot{Replica: 1, Seq: 6}, -1},
		{clock.Dot{Replica: 1, Seq: 6}, clock.Dot{Replica: 1, Seq: 5}, 1},
		{clock.Dot{Replica: 1, Seq: 100}, clock.Dot{Replica: 2, Seq: 1}, -1}, // replica first
		{clock.Dot{Replica: 3, Seq: 0}, clock.Dot{Replica: 2, Seq: math.MaxUint64}, 1},
	}
	for _, tt := range tests {
		if got := tt.x.Compare(tt.y); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
	}
	if s := (clock.Dot{Replica: 7, Seq: 42}).String(); s != "7.42" {
		t.Errorf("String() = %q, want 7.42", s)
	}
}
