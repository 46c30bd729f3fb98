package list

import (
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// Regression tests for hostile encodings that once made UnmarshalBinary
// allocate or loop without bound, or accept a non-canonical encoding.

// boundedAlloc is the most a test below lets one UnmarshalBinary allocate.
const boundedAlloc = 16 << 20

// decodeMeasured decodes data into a fresh List and returns the list, the
// error, and the bytes allocated.
func decodeMeasured(t *testing.T, data []byte) (*List, error, uint64) {
	t.Helper()
	var l List
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	err := l.UnmarshalBinary(data)
	runtime.ReadMemStats(&m1)
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("a %d-byte input took %v to decode", len(data), d)
	}
	return &l, err, m1.TotalAlloc - m0.TotalAlloc
}

// wantMalformed checks that data is rejected as malformed cheaply.
func wantMalformed(t *testing.T, name string, data []byte) {
	t.Helper()
	_, err, alloc := decodeMeasured(t, data)
	if !errors.Is(err, merge.ErrMalformed) {
		t.Errorf("%s: %d-byte input: err = %v, want one wrapping ErrMalformed", name, len(data), err)
	}
	if alloc > boundedAlloc {
		t.Errorf("%s: %d-byte input made the decoder allocate %d MiB", name, len(data), alloc>>20)
	}
}

// craftTombState returns the encoding of a full state holding one run of
// n removed elements: seqs 1..n of replica 1, removed by dot n+1.
func craftTombState(n uint64) []byte {
	u := binary.AppendUvarint
	ctx := []byte{0x43, 0x01, 0x01, 0x01}
	ctx = u(ctx, n+1)
	ctx = append(ctx, 0)
	b := []byte{0x51, 0x01, 0x00}
	b = u(b, uint64(len(ctx)))
	b = append(b, ctx...)
	b = append(b, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01)
	b = u(b, n)
	b = append(b, 0x00, 0x00, 0x00, 0x01)
	b = u(b, n+1)
	return append(b, 0, 0, 0, 0, 0)
}

// craftHeldTombDelta returns the encoding of a delta recording the insert
// of n elements (seqs 1..n of replica 1) already removed by dot n+1.
func craftHeldTombDelta(n uint64) []byte {
	u := binary.AppendUvarint
	ctx := []byte{0x43, 0x01, 0x01, 0x01}
	ctx = u(ctx, n+1)
	ctx = append(ctx, 0)
	b := []byte{0x51, 0x01, 0x01}
	b = u(b, uint64(len(ctx)))
	b = append(b, ctx...)
	b = append(b, 0x01, 0x01, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01)
	b = u(b, n)
	b = append(b, 0x00, 0x00, 0x00, 0x01)
	b = u(b, n+1)
	return append(b, 0, 0, 0)
}

// The crafted encodings are the honest ones for small n.
func TestDecodeBoundsCraftsAreHonest(t *testing.T) {
	a := New()
	d, _, err := a.PushRight(1, "a", "b", "c", "d", "e")
	if err != nil {
		t.Fatal(err)
	}
	d2, err := a.Clear(1)
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := craftTombState(5); string(got) != string(st) {
		t.Fatalf("state craft %x, want %x", got, st)
	}
	d.Merge(d2)
	dt, err := d.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := craftHeldTombDelta(5); string(got) != string(dt) {
		t.Fatalf("delta craft %x, want %x", got, dt)
	}
}

// Bug 4: a run length above 2^32 used to be truncated into run.n while the
// tombstone count took it whole: the decoder accepted an encoding that
// re-encoded differently.
func TestDecodeBoundsRunLengthOverflow(t *testing.T) {
	for _, n := range []uint64{math.MaxUint32 + 1, 1<<32 + 3, 1 << 40} {
		wantMalformed(t, "state run", craftTombState(n))
		wantMalformed(t, "held insert", craftHeldTombDelta(n))
	}
}

// Bug 1: a delta's record of n removed elements is a few bytes whatever n,
// but its checks went element by element.
func TestDecodeBoundsHeldRemovedRecords(t *testing.T) {
	for _, n := range []uint64{maxDecodeElems + 1, 1 << 24, 1 << 32, math.MaxUint32} {
		wantMalformed(t, "held insert", craftHeldTombDelta(n))
	}
	// Within the bound: decodes, at a cost linear in the elements.
	l, err, alloc := decodeMeasured(t, craftHeldTombDelta(1<<14))
	if err != nil {
		t.Fatalf("honest delta of 2^14 removed elements: %v", err)
	}
	if alloc > boundedAlloc {
		t.Errorf("honest delta of 2^14 removed elements allocated %d MiB", alloc>>20)
	}
	if again, _ := l.AppendBinary(nil); string(again) != string(craftHeldTombDelta(1<<14)) {
		t.Errorf("delta re-encodes differently")
	}
}

// Bug 1, removal records: a removal of n elements the delta did not insert.
func TestDecodeBoundsRemovalRecords(t *testing.T) {
	craft := func(n uint64) []byte {
		a := New()
		if _, _, err := a.PushRight(1, "a", "b", "c"); err != nil {
			t.Fatal(err)
		}
		d, err := a.Clear(1)
		if err != nil {
			t.Fatal(err)
		}
		// The removal of seqs 1..3 by dot 4 is held as one record; widen
		// it to n elements removed by dot n+1.
		var ctx clock.CausalContext
		ctx.AddRange(1, n+1, n+1)
		cb, err := ctx.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		u := binary.AppendUvarint
		b := []byte{0x51, 0x01, 0x01}
		b = u(b, uint64(len(cb)))
		b = append(b, cb...)
		b = append(b, 0x01, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01)
		b = u(b, n)
		b = append(b, 0x01)
		b = u(b, n+1)
		b = append(b, 0x00, 0x00)
		if n == 3 {
			want, err := d.AppendBinary(nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != string(want) {
				t.Fatalf("removal craft %x, want %x", b, want)
			}
		}
		return b
	}
	craft(3)
	for _, n := range []uint64{maxDecodeElems + 1, 1 << 30, 1<<32 + 3} {
		wantMalformed(t, "removal record", craft(n))
	}
}

// Bug 2: a full state's tombstone run of n elements was indexed element by
// element.
func TestDecodeBoundsTombstoneRun(t *testing.T) {
	for _, n := range []uint64{maxDecodeElems + 1, 1 << 24, 1 << 40} {
		wantMalformed(t, "state run", craftTombState(n))
	}
	l, err, alloc := decodeMeasured(t, craftTombState(1<<16))
	if err != nil {
		t.Fatalf("honest state of 2^16 tombstones: %v", err)
	}
	if alloc > boundedAlloc {
		t.Errorf("honest state of 2^16 tombstones allocated %d MiB", alloc>>20)
	}
	if l.Tombstones() != 1<<16 {
		t.Errorf("Tombstones() = %d, want %d", l.Tombstones(), 1<<16)
	}
}

// Bug 3: two live elements with far-apart seqs made the dot index a dense
// table of every page between them. Such a state is honest (the replica's
// other seqs went elsewhere), so it must decode, and cheaply.
func TestDecodeBoundsSparseSeqs(t *testing.T) {
	for _, hi := range []uint64{1 << 20, 1 << 28, 1 << 40, maxSeq} {
		l := New()
		if _, _, err := l.PushRight(1, "a"); err != nil {
			t.Fatal(err)
		}
		l.context().AddRange(1, 2, hi-1)
		if _, _, err := l.PushRight(1, "b"); err != nil {
			t.Fatal(err)
		}
		enc, err := l.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err, alloc := decodeMeasured(t, enc)
		if err != nil {
			t.Fatalf("hi=%d: %v", hi, err)
		}
		if alloc > boundedAlloc {
			t.Errorf("hi=%d: a %d-byte input made the decoder allocate %d MiB", hi, len(enc), alloc>>20)
		}
		if vs := got.Range(0, -1); len(vs) != 2 || vs[0] != "a" || vs[1] != "b" {
			t.Errorf("hi=%d: values %q", hi, vs)
		}
		// The index must still find both elements: merging the state
		// into its decoded copy changes nothing.
		got.Merge(l)
		if !got.Equal(l) {
			t.Errorf("hi=%d: merged copy differs", hi)
		}
	}
}
