package list

import (
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
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
// bytes allocated, and the error.
func decodeMeasured(t *testing.T, data []byte) (*List, uint64, error) {
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
	return &l, m1.TotalAlloc - m0.TotalAlloc, err
}

// wantMalformed checks that data is rejected as malformed cheaply.
func wantMalformed(t *testing.T, name string, data []byte) {
	t.Helper()
	_, alloc, err := decodeMeasured(t, data)
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

// wantCheap decodes data, which must be valid, and checks that it cost
// little and re-encodes to itself.
func wantCheap(t *testing.T, name string, data []byte) *List {
	t.Helper()
	l, alloc, err := decodeMeasured(t, data)
	if err != nil {
		t.Fatalf("%s: %d-byte input: %v", name, len(data), err)
	}
	if alloc > boundedAlloc {
		t.Errorf("%s: %d-byte input made the decoder allocate %d MiB", name, len(data), alloc>>20)
	}
	if again, _ := l.AppendBinary(nil); string(again) != string(data) {
		t.Errorf("%s: re-encodes differently", name)
	}
	return l
}

// Bug 1: a delta's record of n removed elements is a few bytes whatever n,
// but its checks went element by element; later, a bound on removed
// elements refused honest deltas. Now it decodes and merges by ranges.
func TestDecodeBoundsHeldRemovedRecords(t *testing.T) {
	for _, n := range []uint64{1<<20 + 1, 1 << 24, math.MaxUint32} {
		d := wantCheap(t, "held insert", craftHeldTombDelta(n))
		l := New()
		l.Merge(d)
		if l.Len() != 0 || l.Tombstones() != int(n) {
			t.Errorf("n=%d: merged list holds %d elements and %d tombstones", n, l.Len(), l.Tombstones())
		}
	}
}

// Bug 1, removal records: a removal of n elements the delta did not
// insert, merged into the list holding three of them.
func TestDecodeBoundsRemovalRecords(t *testing.T) {
	a := New()
	if _, _, err := a.PushRight(1, "a", "b", "c"); err != nil {
		t.Fatal(err)
	}
	craft := func(n uint64) []byte {
		d, err := a.Clone().Clear(1)
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
	for _, n := range []uint64{1<<20 + 1, 1 << 30, math.MaxUint32} {
		d := wantCheap(t, "removal record", craft(n))
		l := a.Clone()
		l.Merge(d)
		if l.Len() != 0 || l.Tombstones() != 3 {
			t.Fatalf("n=%d: merged list holds %d elements and %d tombstones", n, l.Len(), l.Tombstones())
		}
		// The rest of the removal is held, as one record, and the state
		// holding it decodes cheaply too.
		enc, err := l.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(enc) > 100 {
			t.Errorf("n=%d: the state holding the removal encodes to %d bytes", n, len(enc))
		}
		wantCheap(t, "state holding a removal", enc)
	}
	wantMalformed(t, "removal record", craft(1<<32+3))
}

// Bug 2: a full state's tombstone run of n elements was indexed element by
// element; later, a bound on removed elements refused honest states.
func TestDecodeBoundsTombstoneRun(t *testing.T) {
	for _, n := range []uint64{1 << 16, 1<<20 + 1, 1 << 24, math.MaxUint32} {
		l := wantCheap(t, "state run", craftTombState(n))
		if l.Tombstones() != int(n) {
			t.Errorf("Tombstones() = %d, want %d", l.Tombstones(), n)
		}
		// A list that holds none of it integrates the run whole.
		m := New()
		if _, _, err := m.PushRight(2, "z"); err != nil {
			t.Fatal(err)
		}
		m.Merge(l)
		if m.Tombstones() != int(n) || strings.Join(m.Range(0, -1), "") != "z" {
			t.Errorf("n=%d: merged into another list: %d tombstones, %q", n, m.Tombstones(), m.Range(0, -1))
		}
	}
}

// The reproduction of the defect the bound made: the delta of a DEL of
// more than 2^20 elements, and the state after it, were refused.
func TestDecodeBoundsLargeClear(t *testing.T) {
	a := New()
	vals := make([]string, 1<<10)
	for i := range vals {
		vals[i] = "x"
	}
	for range 1<<10 + 1 {
		if _, _, err := a.PushRight(1, vals...); err != nil {
			t.Fatal(err)
		}
	}
	b := a.Clone()
	del, err := b.Clear(2)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := del.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	got := wantCheap(t, "DEL delta", enc)
	a.Merge(got)
	if a.Len() != 0 || !a.Equal(b) {
		t.Fatalf("after merging the decoded DEL: %d elements, equal %v", a.Len(), a.Equal(b))
	}
	st, err := b.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if dec := wantCheap(t, "state after DEL", st); !dec.Equal(b) {
		t.Fatal("decoded state differs")
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
		got, alloc, err := decodeMeasured(t, enc)
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

// mergeMeasured merges o into l and fails the test if that takes more
// than a few seconds (a cost quadratic in o's size would).
func mergeMeasured(t *testing.T, l, o *List) {
	t.Helper()
	t0 := time.Now()
	l.Merge(o)
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("merging a %d-tombstone list took %v", o.Tombstones(), d)
	}
}

// Sparse seqs with a removal over them: each gap the removal crosses used
// to look at every far page of the index (16,000 pages: 5 s).
func TestDecodeBoundsFarPagesRemoval(t *testing.T) {
	const far = 20000
	s := New()
	for i := 1; i <= far; i++ {
		d := &List{delta: true}
		seq := uint64(i) << 20
		var prev clock.Dot
		if i > 1 {
			prev = clock.Dot{Replica: 1, Seq: uint64(i-1) << 20}
		}
		d.recs.ins = chunksOf([]insRec{{id: clock.Dot{Replica: 1, Seq: seq}, n: 1, l: prev, vals: recVals{s: []string{""}}}})
		d.ctx.AddRange(1, seq, seq)
		s.Merge(d)
	}
	enc, err := s.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := decodeMeasured(t, enc)
	if err != nil {
		t.Fatal(err)
	}
	// A removal of every seq up to past the last, in pieces of 2^31.
	rm := &List{delta: true}
	end := uint64(far+1) << 20
	for lo, seq := uint64(1), uint64(1); lo < end; lo, seq = lo+1<<31, seq+1 {
		rm.recs.rem.push(remRec{target: clock.Dot{Replica: 1, Seq: lo}, n: int(min(1<<31, end-lo)), rm: clock.Dot{Replica: 2, Seq: seq}})
		rm.ctx.Add(clock.Dot{Replica: 2, Seq: seq})
	}
	renc, err := rm.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := decodeMeasured(t, renc)
	if err != nil {
		t.Fatal(err)
	}
	mergeMeasured(t, st, d)
	if st.Len() != 0 || st.Tombstones() != far {
		t.Errorf("merged: %d elements, %d tombstones; want 0 and %d", st.Len(), st.Tombstones(), far)
	}
}

// An honest state of many compacted blocks: each block used to rebuild
// the whole collapsed table, in decoding and in merging (20,000 blocks:
// over 30 s each).
func TestDecodeBoundsManyBlocks(t *testing.T) {
	const blocks = 20000
	l := New()
	if _, _, err := l.PushRight(1, slices.Repeat([]string{"a"}, 2*blocks)...); err != nil {
		t.Fatal(err)
	}
	for i := range blocks {
		if _, _, err := l.RemoveAt(1, i); err != nil { // every other element
			t.Fatal(err)
		}
	}
	seen := l.Clone() // a replica that saw every removal
	ctx := l.Context()
	if got := l.Compact(ctx.Vector()); got != blocks {
		t.Fatalf("compacted %d tombstones, want %d", got, blocks)
	}
	enc, err := l.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := decodeMeasured(t, enc)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := seen.PushRight(5, "z"); err != nil {
		t.Fatal(err)
	}
	mergeMeasured(t, seen, d)
	if seen.Len() != blocks+1 {
		t.Errorf("merged list holds %d elements, want %d", seen.Len(), blocks+1)
	}
	// A list that never saw the blocks' elements (outside Compact's
	// contract, as a replica joining late with a state of its own) takes
	// every block into its collapsed table.
	m := New()
	if _, _, err := m.PushRight(5, "z"); err != nil {
		t.Fatal(err)
	}
	mergeMeasured(t, m, d)
}

// A full state holding back a removal or an LSET of an element it holds
// was accepted, and read differently after merging an empty list.
func TestDecodeHeldRecordsOfHeldElements(t *testing.T) {
	for name, mod := range map[string]func(l *List){
		"held removal": func(l *List) {
			l.recs.rem.push(remRec{target: clock.Dot{Replica: 1, Seq: 1}, n: 1, rm: clock.Dot{Replica: 2, Seq: 1}})
		},
		"held LSET": func(l *List) {
			l.recs.set = append(l.recs.set, setRec{target: clock.Dot{Replica: 1, Seq: 1}, at: clock.Stamp{Time: 5, Replica: 2}, value: "z", dot: clock.Dot{Replica: 2, Seq: 1}})
		},
	} {
		l := New()
		if _, _, err := l.PushRight(1, "a", "b"); err != nil {
			t.Fatal(err)
		}
		mod(l)
		enc, _ := l.AppendBinary(nil)
		wantMalformed(t, name, enc)
	}
}

// TestDecodeBoundsHeldInsertLongContext merges a delta of a few dozen
// bytes, an insert whose origin the receiver lacks with a context naming
// every later dot of its replica, into a fresh list. The receiver holds the
// insert back, so its context takes the dots around the held one: as two
// ranges, at once, not dot by dot (once 2^48 Adds).
func TestDecodeBoundsHeldInsertLongContext(t *testing.T) {
	const ra clock.ReplicaID = 1
	dy := deltaMissingOrigin(t, ra)
	dy.ctx.AddRange(ra, 3, maxSeq)
	enc, err := dy.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) > 64 {
		t.Fatalf("the crafted delta takes %d bytes", len(enc))
	}
	d := wantCheap(t, "held insert with a long context", enc)
	l := New()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	l.Merge(d)
	runtime.ReadMemStats(&m1)
	if took := time.Since(t0); took > 5*time.Second {
		t.Errorf("the merge took %v", took)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > boundedAlloc {
		t.Errorf("the merge allocated %d MiB", alloc>>20)
	}
	ctx := l.Context()
	switch {
	case l.Len() != 0 || l.recs.ins.len() != 1:
		t.Fatalf("Len %d, %d held inserts; want the insert held", l.Len(), l.recs.ins.len())
	case ctx.Contains(clock.Dot{Replica: ra, Seq: 2}):
		t.Fatal("the context took the held element's dot")
	case !ctx.Contains(clock.Dot{Replica: ra, Seq: 3}) || !ctx.Contains(clock.Dot{Replica: ra, Seq: maxSeq}):
		t.Fatalf("the context lost the dots past the held element: %s", ctx.String())
	case ctx.CloudLen() != 1:
		t.Fatalf("the context's cloud has %d ranges, want 1: %s", ctx.CloudLen(), ctx.String())
	}
}
