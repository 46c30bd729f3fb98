package clock_test

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/redcrdt/redcrdt/clock"
)

func ts(wall int64, logical uint16) clock.Timestamp { return clock.NewTimestamp(wall, logical) }

// hlcOp is one row kind of an HLC event table.
type hlcOp int

const (
	setWall hlcOp = iota // move the manual source to ms
	addWall              // advance the manual source by ms (negative goes back)
	now                  // call Now; it must return want
	recv                 // Observe remote; it must report skewed and leave Last at want
)

func (o hlcOp) String() string {
	return [...]string{"SET", "ADVANCE", "NOW", "RECV"}[o]
}

// hlcEvent is one row: an event and the timestamp the clock must hold after.
type hlcEvent struct {
	op     hlcOp
	ms     int64           // setWall, addWall
	remote clock.Timestamp // recv
	skewed bool            // recv
	want   clock.Timestamp // now, recv
}

// runHLCEvents plays events against c reading src and checks each outcome.
func runHLCEvents(t *testing.T, src *clock.ManualSource, c *clock.HLC, events []hlcEvent) {
	t.Helper()
	for i, e := range events {
		switch e.op {
		case setWall:
			src.Set(e.ms)
			continue
		case addWall:
			src.Advance(time.Duration(e.ms) * time.Millisecond)
			continue
		case now:
			if got := c.Now(); got != e.want {
				t.Fatalf("row %d %v: Now() = %v, want %v", i, e.op, got, e.want)
			}
		case recv:
			if got := c.Observe(e.remote); got != e.skewed {
				t.Fatalf("row %d %v %v: skewed = %v, want %v", i, e.op, e.remote, got, e.skewed)
			}
		}
		if got := c.Last(); got != e.want {
			t.Fatalf("row %d %v: Last() = %v, want %v", i, e.op, got, e.want)
		}
	}
}

// TestHLCClock is an event table in the style of CockroachDB's
// TestHLCClock: each row moves physical time, issues a timestamp or receives
// a remote one, and names the timestamp the clock must hold afterwards.
func TestHLCClock(t *testing.T) {
	src := clock.NewManualSource(1000)
	c := clock.NewHLC(src, 500*time.Millisecond)
	runHLCEvents(t, src, c, []hlcEvent{
		// Physical time leads; the logical counter orders events in one ms.
		{op: now, want: ts(1000, 0)},
		{op: now, want: ts(1000, 1)},
		{op: now, want: ts(1000, 2)},
		{op: addWall, ms: 1},
		{op: now, want: ts(1001, 0)},
		// The wall clock steps back: readings keep increasing.
		{op: setWall, ms: 900},
		{op: now, want: ts(1001, 1)},
		{op: now, want: ts(1001, 2)},
		{op: setWall, ms: 1001},
		{op: now, want: ts(1001, 3)},
		{op: setWall, ms: 1005},
		{op: now, want: ts(1005, 0)},
		// Older and equal remote timestamps leave the clock alone.
		{op: recv, remote: ts(1003, 7), want: ts(1005, 0)},
		{op: recv, remote: ts(1005, 0), want: ts(1005, 0)},
		{op: now, want: ts(1005, 1)},
		// A remote reading in the same ms with a larger counter.
		{op: recv, remote: ts(1005, 9), want: ts(1005, 9)},
		{op: now, want: ts(1005, 10)},
		// A remote clock ahead, within the 500ms offset.
		{op: recv, remote: ts(1400, 2), want: ts(1400, 2)},
		{op: now, want: ts(1400, 3)},
		{op: addWall, ms: 395}, // physical 1400 catches up
		{op: now, want: ts(1400, 4)},
		{op: addWall, ms: 1},
		{op: now, want: ts(1401, 0)},
		// Exactly maxOffset ahead is not skew; one ms more is, and is
		// accepted all the same.
		{op: recv, remote: ts(1901, 0), want: ts(1901, 0)},
		{op: now, want: ts(1901, 1)},
		{op: recv, remote: ts(1902, 5), skewed: true, want: ts(1902, 5)},
		{op: now, want: ts(1902, 6)},
		{op: setWall, ms: 2000},
		{op: now, want: ts(2000, 0)},
		// A backward jump after a remote pushed the clock.
		{op: recv, remote: ts(2100, 0), want: ts(2100, 0)},
		{op: addWall, ms: -1000},
		{op: now, want: ts(2100, 1)},
	})
	if got := c.SkewEvents(); got != 1 {
		t.Errorf("SkewEvents() = %d, want 1", got)
	}
	if got := src.UnixMilli(); got != 1000 {
		t.Errorf("source moved to %d by the clock; want 1000 (no sleeps)", got)
	}
}

func TestHLCLogicalOverflowWaitsForNextMillisecond(t *testing.T) {
	src := clock.NewManualSource(1000)
	c := clock.NewHLC(src, 0)
	first := c.Now()
	if first != ts(1000, 0) {
		t.Fatalf("first Now() = %v, want 1000.0", first)
	}
	// 65,535 more readings spend the counter of millisecond 1000.
	for i := 1; i <= clock.MaxLogical; i++ {
		if got := c.Now(); got != ts(1000, uint16(i)) {
			t.Fatalf("Now() #%d = %v, want 1000.%d", i, got, i)
		}
	}
	if got := src.UnixMilli(); got != 1000 {
		t.Fatalf("source at %d before overflow, want 1000", got)
	}
	// One more: the counter must not wrap to 1000.0; the clock sleeps
	// (which advances the manual source) until millisecond 1001.
	if got := c.Now(); got != ts(1001, 0) {
		t.Fatalf("Now() after overflow = %v, want 1001.0", got)
	}
	if got := src.UnixMilli(); got != 1001 {
		t.Fatalf("source at %d after overflow, want 1001 (one 1ms sleep)", got)
	}
}

func TestHLCLogicalOverflowAfterObserveInSameMillisecond(t *testing.T) {
	src := clock.NewManualSource(1000)
	c := clock.NewHLC(src, time.Second)
	c.Observe(ts(1000, clock.MaxLogical))
	if got := c.Now(); got != ts(1001, 0) {
		t.Fatalf("Now() = %v, want 1001.0", got)
	}
	if got := src.UnixMilli(); got != 1001 {
		t.Fatalf("source at %d, want 1001", got)
	}
}

func TestHLCLogicalOverflowAheadOfPhysical(t *testing.T) {
	tests := []struct {
		name string
		// setup leaves the clock at (wall, MaxLogical) ahead of physical.
		setup    func(src *clock.ManualSource, c *clock.HLC)
		want     clock.Timestamp
		physical int64
	}{
		{
			name: "remote from the future",
			setup: func(_ *clock.ManualSource, c *clock.HLC) {
				c.Observe(ts(2000, clock.MaxLogical))
			},
			want:     ts(2001, 0),
			physical: 1000,
		},
		{
			name: "remote from the future, counter filled locally",
			setup: func(_ *clock.ManualSource, c *clock.HLC) {
				c.Observe(ts(5000, clock.MaxLogical-3))
				for range 3 {
					c.Now()
				}
			},
			want:     ts(5001, 0),
			physical: 1000,
		},
		{
			name: "wall clock stepped back after filling a millisecond",
			setup: func(src *clock.ManualSource, c *clock.HLC) {
				c.Observe(ts(1000, clock.MaxLogical-1))
				c.Now()
				src.Set(990)
			},
			want:     ts(1001, 0),
			physical: 990,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := clock.NewManualSource(1000)
			c := clock.NewHLC(src, 0)
			tt.setup(src, c)
			if l := c.Last().Logical(); l != clock.MaxLogical {
				t.Fatalf("setup left logical %d, want MaxLogical", l)
			}
			if got := c.Now(); got != tt.want {
				t.Fatalf("Now() = %v, want %v", got, tt.want)
			}
			// Waiting for physical time to catch up could take as long as
			// the clock is ahead; it must not sleep at all.
			if got := src.UnixMilli(); got != tt.physical {
				t.Fatalf("source at %d, want %d (no sleep)", got, tt.physical)
			}
		})
	}
}

func TestHLCSkew(t *testing.T) {
	const pt = 10_000
	tests := []struct {
		name       string
		maxOffset  time.Duration
		remoteWall int64
		skewed     bool
	}{
		{"behind", 500 * time.Millisecond, pt - 100, false},
		{"equal", 500 * time.Millisecond, pt, false},
		{"within", 500 * time.Millisecond, pt + 499, false},
		{"at the offset", 500 * time.Millisecond, pt + 500, false},
		{"beyond the offset", 500 * time.Millisecond, pt + 501, true},
		{"far beyond", 500 * time.Millisecond, clock.MaxWallMillis, true},
		{"fractional offset rounds down", 1500 * time.Microsecond, pt + 2, true},
		{"fractional offset, within", 1500 * time.Microsecond, pt + 1, false},
		// Regression: a positive offset under 1ms used to round to 0,
		// which switched skew counting off.
		{"sub-millisecond offset", 500 * time.Microsecond, pt + 1, true},
		{"zero offset counts nothing", 0, clock.MaxWallMillis, false},
		{"negative offset counts nothing", -time.Second, clock.MaxWallMillis, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := clock.NewManualSource(pt)
			c := clock.NewHLC(src, tt.maxOffset)
			remote := ts(tt.remoteWall, 3)
			if got := c.Observe(remote); got != tt.skewed {
				t.Fatalf("Observe(%v) skewed = %v, want %v", remote, got, tt.skewed)
			}
			want := uint64(0)
			if tt.skewed {
				want = 1
			}
			if got := c.SkewEvents(); got != want {
				t.Fatalf("SkewEvents() = %d, want %d", got, want)
			}
			// Skewed or not, the remote timestamp is accepted.
			if got := c.Now(); got <= remote {
				t.Fatalf("Now() = %v, not after observed %v", got, remote)
			}
		})
	}
}

func TestHLCSkewEventsAccumulate(t *testing.T) {
	src := clock.NewManualSource(1000)
	c := clock.NewHLC(src, 10*time.Millisecond)
	for _, remote := range []int64{1011, 1005, 1012, 1010, 1100} {
		c.Observe(ts(remote, 0))
	}
	if got := c.SkewEvents(); got != 3 {
		t.Fatalf("SkewEvents() = %d, want 3 (1011, 1012, 1100)", got)
	}
}

// TestHLCEndOfRange is a regression test: a remote timestamp at the end of
// the 48-bit wall range (or a Source reading past it) made Now clamp
// wall+1 back to MaxWallMillis and return a reading smaller than the last
// one, and a clock at the largest Timestamp slept forever.
func TestHLCEndOfRange(t *testing.T) {
	t.Run("source past the range", func(t *testing.T) {
		src := clock.NewManualSource(clock.MaxWallMillis + 10)
		c := clock.NewHLC(src, 0)
		c.Observe(ts(clock.MaxWallMillis, 5))
		if got := c.Now(); got != ts(clock.MaxWallMillis, 6) {
			t.Fatalf("Now() = %v, want %d.6", got, int64(clock.MaxWallMillis))
		}
	})
	t.Run("negative source", func(t *testing.T) {
		src := clock.NewManualSource(math.MinInt64)
		c := clock.NewHLC(src, time.Millisecond)
		if got := c.Now(); got != ts(0, 1) {
			t.Fatalf("Now() = %v, want 0.1", got)
		}
		if !c.Observe(ts(2, 0)) {
			t.Fatal("Observe 2ms ahead of a clamped 0 not counted as skew")
		}
	})
	t.Run("counter full at the last millisecond", func(t *testing.T) {
		src := clock.NewManualSource(1000)
		c := clock.NewHLC(src, 0)
		c.Observe(ts(clock.MaxWallMillis, clock.MaxLogical-1))
		top := c.Now()
		if top != clock.Timestamp(math.MaxUint64) {
			t.Fatalf("Now() = %v, want the largest Timestamp", top)
		}
		for range 3 {
			if got := c.Now(); got != top {
				t.Fatalf("exhausted clock returned %v, want %v (saturate, never go back)", got, top)
			}
		}
		if got := src.UnixMilli(); got != 1000 {
			t.Fatalf("exhausted clock slept: source at %d", got)
		}
	})
}

func TestManualSource(t *testing.T) {
	src := clock.NewManualSource(100)
	steps := []struct {
		name string
		do   func()
		want int64
	}{
		{"advance", func() { src.Advance(5 * time.Millisecond) }, 105},
		{"advance back", func() { src.Advance(-10 * time.Millisecond) }, 95},
		{"advance sub-ms", func() { src.Advance(999 * time.Microsecond) }, 95},
		{"set", func() { src.Set(7) }, 7},
		{"sleep", func() { src.Sleep(3 * time.Millisecond) }, 10},
		{"sleep at least 1ms", func() { src.Sleep(time.Nanosecond) }, 11},
		{"sleep zero", func() { src.Sleep(0) }, 12},
	}
	for _, s := range steps {
		s.do()
		if got := src.UnixMilli(); got != s.want {
			t.Fatalf("%s: UnixMilli() = %d, want %d", s.name, got, s.want)
		}
	}
}

func TestSystemSource(t *testing.T) {
	before := time.Now().UnixMilli()
	got := clock.SystemSource.UnixMilli()
	after := time.Now().UnixMilli()
	if got < before || got > after {
		t.Fatalf("SystemSource.UnixMilli() = %d, outside [%d, %d]", got, before, after)
	}
	start := time.Now()
	clock.SystemSource.Sleep(2 * time.Millisecond)
	if d := time.Since(start); d < 2*time.Millisecond {
		t.Fatalf("SystemSource.Sleep(2ms) returned after %v", d)
	}

	c := clock.NewHLC(clock.SystemSource, time.Second)
	t1 := c.Now()
	if w := t1.WallMillis(); w < before || w > time.Now().UnixMilli() {
		t.Fatalf("Now() wall %d not near the system time %d", w, before)
	}
}

// TestHLCConcurrent runs goroutines that call Now and Observe at once,
// while the wall clock jumps back and forth. Run it with -race.
func TestHLCConcurrent(t *testing.T) {
	const (
		workers = 6
		perG    = 20_000
	)
	src := clock.NewManualSource(1_000_000)
	c := clock.NewHLC(src, 50*time.Millisecond)

	stop := make(chan struct{})
	var jumper sync.WaitGroup
	jumper.Go(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		for {
			select {
			case <-stop:
				return
			default:
			}
			src.Advance(time.Duration(rng.IntN(7)-3) * time.Millisecond)
		}
	})

	results := make([][]clock.Timestamp, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			out := make([]clock.Timestamp, 0, perG)
			for i := 0; i < perG; i++ {
				if rng.IntN(4) != 0 {
					out = append(out, c.Now())
					continue
				}
				// A remote timestamp near the current one, often ahead
				// of physical time.
				remote := c.Last() + clock.Timestamp(rng.IntN(1<<17))
				c.Observe(remote)
				next := c.Now()
				if next <= remote {
					t.Errorf("Now() = %v after Observe(%v)", next, remote)
					return
				}
				out = append(out, next)
			}
			results[g] = out
		})
	}
	wg.Wait()
	close(stop)
	jumper.Wait()

	seen := make(map[clock.Timestamp]int, workers*perG)
	for g, out := range results {
		for i, v := range out {
			if i > 0 && v <= out[i-1] {
				t.Fatalf("goroutine %d: reading %d = %v not after %v", g, i, v, out[i-1])
			}
			if other, dup := seen[v]; dup {
				t.Fatalf("goroutines %d and %d both got %v", other, g, v)
			}
			seen[v] = g
		}
	}
	if len(seen) < workers*perG {
		t.Fatalf("%d unique readings, want at least %d", len(seen), workers*perG)
	}
}
