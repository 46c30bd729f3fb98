package clock

import (
	"sync/atomic"
	"time"
)

// Source is the physical time an HLC follows. Implementations must be safe
// for concurrent use.
type Source interface {
	// UnixMilli returns wall-clock time in milliseconds since the Unix epoch.
	UnixMilli() int64
	// Sleep blocks for about d. The HLC sleeps only to wait out a logical
	// counter overflow (at most one millisecond).
	Sleep(d time.Duration)
}

// SystemSource is the Source backed by time.Now and time.Sleep.
var SystemSource Source = systemSource{}

type systemSource struct{}

func (systemSource) UnixMilli() int64      { return time.Now().UnixMilli() }
func (systemSource) Sleep(d time.Duration) { time.Sleep(d) }

// ManualSource is a Source that moves only when told to, for tests. Its
// Sleep advances it instead of blocking. It is safe for concurrent use.
type ManualSource struct {
	millis atomic.Int64
}

// NewManualSource returns a ManualSource reading unixMillis.
func NewManualSource(unixMillis int64) *ManualSource {
	m := &ManualSource{}
	m.millis.Store(unixMillis)
	return m
}

// UnixMilli returns the current manual time.
func (m *ManualSource) UnixMilli() int64 { return m.millis.Load() }

// Set moves the manual time to unixMillis, backwards or forwards.
func (m *ManualSource) Set(unixMillis int64) { m.millis.Store(unixMillis) }

// Advance moves the manual time forward by d (backward if d is negative).
func (m *ManualSource) Advance(d time.Duration) { m.millis.Add(d.Milliseconds()) }

// Sleep advances the manual time by d, at least one millisecond.
func (m *ManualSource) Sleep(d time.Duration) { m.millis.Add(max(d.Milliseconds(), 1)) }

// HLC is a hybrid logical clock (Kulkarni et al., "Logical Physical Clocks",
// 2014). Its readings follow the Source's wall time, never repeat and never
// decrease, even when the wall clock steps backwards, and exceed every
// timestamp passed to Observe. An HLC is safe for concurrent use.
//
// When the logical counter would overflow within one millisecond, Now waits
// for the Source to reach the next millisecond instead of wrapping. If the
// clock runs ahead of the Source because it observed a remote timestamp from
// the future, waiting could take as long as that remote clock is ahead, so
// Now moves the wall part forward by one millisecond instead.
//
// HAZARD: a clock that reaches the largest Timestamp (wall time
// MaxWallMillis, logical MaxLogical), which only an observed timestamp from a
// broken remote clock can bring about, has no greater reading to give: Now
// then keeps returning that Timestamp rather than run backwards.
type HLC struct {
	// last is the latest Timestamp issued or observed. It is read and
	// updated only by compare-and-swap, so Now needs no lock: every
	// successful swap moves it strictly forward (Now) or not backward
	// (Observe), which is all monotonicity needs.
	last      atomic.Uint64
	skew      atomic.Uint64
	src       Source
	maxOffset int64 // whole milliseconds, rounded down; < 0 disables skew counting
}

// NewHLC returns an HLC reading src. A remote timestamp whose wall time is
// more than maxOffset ahead of src is still accepted by Observe (refusing it
// would break convergence) but counted in SkewEvents; maxOffset <= 0 counts
// nothing.
func NewHLC(src Source, maxOffset time.Duration) *HLC {
	off := int64(-1)
	if maxOffset > 0 {
		// Wall times are whole milliseconds, so "ahead by more than
		// maxOffset" is "ahead by more than maxOffset rounded down"; a
		// positive offset under 1ms rounds to 0, which still counts.
		off = maxOffset.Milliseconds()
	}
	return &HLC{src: src, maxOffset: off}
}

// physical returns the Source's reading clamped into [0, MaxWallMillis], the
// wall times a Timestamp can hold.
func (c *HLC) physical() int64 {
	return min(max(c.src.UnixMilli(), 0), MaxWallMillis)
}

// Now returns a new timestamp, greater than every timestamp this clock has
// issued or observed (unless the clock is exhausted; see the HAZARD on HLC).
// It does not allocate.
func (c *HLC) Now() Timestamp {
	for {
		old := Timestamp(c.last.Load())
		pt := c.physical()
		var next Timestamp
		switch wall := old.WallMillis(); {
		case pt > wall:
			next = NewTimestamp(pt, 0)
		case old.Logical() < MaxLogical:
			next = old + 1
		case wall == MaxWallMillis:
			// No Timestamp is greater (see HAZARD above).
			return old
		case pt == wall:
			// The logical counter is spent for this millisecond: wait for
			// the next one rather than wrap.
			c.src.Sleep(time.Millisecond)
			continue
		default:
			// Ahead of physical time (a remote clock pushed us here).
			next = NewTimestamp(wall+1, 0)
		}
		if c.last.CompareAndSwap(uint64(old), uint64(next)) {
			return next
		}
	}
}

// Observe moves the clock forward to remote, so that every later Now is
// greater than remote. It reports whether remote was more than the maximum
// offset ahead of local physical time; such a timestamp is accepted all the
// same and counted in SkewEvents.
func (c *HLC) Observe(remote Timestamp) (skewed bool) {
	if c.maxOffset >= 0 && remote.WallMillis()-c.physical() > c.maxOffset {
		c.skew.Add(1)
		skewed = true
	}
	for {
		old := c.last.Load()
		if uint64(remote) <= old || c.last.CompareAndSwap(old, uint64(remote)) {
			return skewed
		}
	}
}

// Last returns the latest timestamp issued or observed, without advancing
// the clock.
func (c *HLC) Last() Timestamp { return Timestamp(c.last.Load()) }

// SkewEvents returns how many observed timestamps were beyond the maximum
// offset.
func (c *HLC) SkewEvents() uint64 { return c.skew.Load() }
