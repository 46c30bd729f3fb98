package list

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/redcrdt/redcrdt/clock"
)

// Regression tests: lengths joined past maxRunLen used to wrap run.n (32
// bits), corrupting the state, and once made a merge loop forever. Each
// builds runs, records or blocks of about 2^32 elements from a few bytes.

// tombDelta returns the decoded encoding of a delta holding one tombstone
// insert (all removed by rm, step 0).
func tombDelta(t *testing.T, id clock.Dot, n int, l clock.Dot, rm clock.Dot) *List {
	t.Helper()
	d := &List{delta: true}
	d.recs.ins = chunksOf([]insRec{{id: id, n: n, l: l, rm: rm}})
	// The context holds the replica's seqs from 1: a range after a gap
	// would go into the cloud one dot at a time.
	d.ctx.AddRange(id.Replica, 1, id.Seq+uint64(n)-1)
	d.ctx.Add(rm)
	enc, err := d.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	out := New()
	if err := out.UnmarshalBinary(enc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

// Two honest DEL'd pushes by replica 1 (2^32-1 elements, then 10 more at
// the tail), removed by one DEL of replica 2: merged, the runs join and
// run.n (uint32) wraps.
func TestRunLenJoinOverflowOnMerge(t *testing.T) {
	const N = math.MaxUint32
	rm := clock.Dot{Replica: 2, Seq: 1}
	a := tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{}, rm)
	b := tombDelta(t, clock.Dot{Replica: 1, Seq: N + 1}, 10, clock.Dot{Replica: 1, Seq: N}, rm)
	l := New()
	l.Merge(a)
	l.Merge(b)
	if got, want := l.Tombstones(), N+10; got != want {
		t.Errorf("Tombstones() = %d, want %d", got, want)
	}
	enc, _ := l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("state after the merges does not decode: %v", err)
	}
	if !again.Equal(l) || again.Tombstones() != l.Tombstones() {
		t.Fatalf("round trip differs: %d tombstones after, %d before", again.Tombstones(), l.Tombstones())
	}
}

// The same two runs as items of one decoded full state (each item within
// MaxUint32): AppendBinary's canonical() joins them and the run wraps.
func TestRunLenJoinOverflowOnEncode(t *testing.T) {
	const N = math.MaxUint32
	rm := clock.Dot{Replica: 2, Seq: 1}
	a := tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{}, rm)
	l := New()
	l.Merge(a)
	// A second run by a different remover dot so that the store keeps it
	// apart, then lowered... simpler: build the store by hand.
	s := l.st
	id, _ := s.pack(clock.Dot{Replica: 1, Seq: N + 1})
	lo, _ := s.pack(clock.Dot{Replica: 1, Seq: N})
	prm, _ := s.pack(rm)
	s.tree.Insert(s.tree.End(), run{id: id, l: lo, rm: prm, n: 10}, 0)
	s.tombs += 10
	l.ctx.AddRange(1, N+1, N+10)
	s.indexed, s.idx = false, nil
	enc, _ := l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("does not decode: %v", err)
	}
	if again.Tombstones() != N+10 {
		t.Fatalf("decoded %d tombstones, want %d", again.Tombstones(), N+10)
	}
}

// Compact of a stretch of stable tombstones of more than 2^32 elements:
// the block's n (uint32) wraps and the state no longer decodes.
func TestRunLenCompactBlockOverflow(t *testing.T) {
	const N = math.MaxUint32
	a := tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{}, clock.Dot{Replica: 2, Seq: 1})
	b := tombDelta(t, clock.Dot{Replica: 3, Seq: 1}, N, clock.Dot{Replica: 1, Seq: N}, clock.Dot{Replica: 2, Seq: 2})
	l := New()
	l.Merge(a)
	l.Merge(b)
	if l.Tombstones() != 2*N {
		t.Fatalf("tombstones %d", l.Tombstones())
	}
	ctx := l.Context()
	l.Compact(ctx.Vector())
	enc, _ := l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("compacted state does not decode: %v", err)
	}
}

// A delta joining the two pushes' records (delta into delta) encodes one
// record of more than MaxUint32 elements, which the decoder refuses.
func TestRunLenDeltaRecordOverflow(t *testing.T) {
	const N = math.MaxUint32
	rm := clock.Dot{Replica: 2, Seq: 1}
	a := tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{}, rm)
	b := tombDelta(t, clock.Dot{Replica: 1, Seq: N + 1}, 10, clock.Dot{Replica: 1, Seq: N}, rm)
	a.Merge(b)
	enc, _ := a.AppendBinary(nil)
	if err := New().UnmarshalBinary(enc); err != nil {
		t.Fatalf("delta of two decoded deltas does not decode: %v", err)
	}
}

// tombstoneOne grows a tombstone run of MaxUint32 elements by one: t.n wraps.
func TestRunLenTombstoneOneOverflow(t *testing.T) {
	const N = math.MaxUint32
	d := &List{delta: true}
	d.recs.ins = chunksOf([]insRec{
		{id: clock.Dot{Replica: 1, Seq: 1}, n: N, rm: clock.Dot{Replica: 2, Seq: 1}, step: 1},
		{id: clock.Dot{Replica: 1, Seq: N + 1}, n: 1, l: clock.Dot{Replica: 1, Seq: N}, vals: recVals{s: []string{"x"}}},
	})
	d.ctx.AddRange(1, 1, N+1)
	d.ctx.AddRange(2, 1, N)
	enc, _ := d.AppendBinary(nil)
	dd := New()
	if err := dd.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	l := New()
	l.Merge(dd)
	if _, _, err := l.RemoveAt(2, 0); err != nil {
		t.Fatal(err)
	}
	if l.Tombstones() != N+1 {
		t.Fatalf("tombstones %d", l.Tombstones())
	}
	enc, _ = l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("does not decode: %v", err)
	}
	if again.Tombstones() != N+1 {
		t.Fatalf("decoded %d tombstones, want %d", again.Tombstones(), N+1)
	}
}

// A crafted 40-byte full state: two tombstone items that continue each
// other (not maximal) and together hold more than MaxUint32 elements. The
// decoder accepts it; its re-encoding (canonical() joins the two, n
// wraps) names 9 elements.
func TestRunLenDecodeNonMaximalItemsOverflow(t *testing.T) {
	const N = math.MaxUint32
	u := binary.AppendUvarint
	var ctx clock.CausalContext
	ctx.AddRange(1, 1, N+10)
	ctx.AddRange(2, 1, 1)
	cb, _ := ctx.AppendBinary(nil)
	b := []byte{0x51, 0x01, 0x00}
	b = u(b, uint64(len(cb)))
	b = append(b, cb...)
	b = append(b, 0x02, 0x01, 0x02) // replicas 1, 2
	b = append(b, 0x02)             // two items
	b = append(b, itemTomb, 0x01, 0x01)
	b = u(b, N)
	b = append(b, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00) // back, l, r, rm 2.1, step 0
	b = append(b, itemTomb, 0x01)
	b = u(b, N+1)
	b = append(b, 10, 0x00, 0x01)
	b = u(b, N)
	b = append(b, 0x00, 0x02, 0x01, 0x00) // r, rm 2.1, step 0
	b = append(b, 0, 0, 0, 0)             // LSETs, records
	l := New()
	if err := l.UnmarshalBinary(b); err != nil {
		t.Fatalf("decode: %v", err)
	}
	enc, _ := l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("re-encoding does not decode: %v", err)
	}
	if again.Tombstones() != l.Tombstones() {
		t.Fatalf("re-encoding holds %d tombstones, the decoded state %d", again.Tombstones(), l.Tombstones())
	}
}

func remDelta(t *testing.T, target clock.Dot, n int, rm clock.Dot, step int) *List {
	t.Helper()
	d := &List{delta: true}
	d.recs.rem = chunksOf([]remRec{{target: target, n: n, rm: rm, step: step}})
	lo, hi := rm.Seq, uint64(int64(rm.Seq)+int64((n-1)*step))
	if hi < lo {
		lo, hi = hi, lo
	}
	d.ctx.AddRange(rm.Replica, lo, hi)
	enc, _ := d.AppendBinary(nil)
	out := New()
	if err := out.UnmarshalBinary(enc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

// Two removals the list has not seen, held: joined into one held record
// of more than MaxUint32 targets, which the list's encoding cannot carry.
func TestRunLenHeldRemovalOverflow(t *testing.T) {
	const N = math.MaxUint32
	a := remDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{Replica: 2, Seq: 1}, 1)
	b := remDelta(t, clock.Dot{Replica: 1, Seq: N + 1}, 10, clock.Dot{Replica: 2, Seq: N + 1}, 1)
	l := New()
	l.PushRight(5, "z")
	l.Merge(a)
	l.Merge(b)
	enc, _ := l.AppendBinary(nil)
	if err := New().UnmarshalBinary(enc); err != nil {
		t.Fatalf("state holding the removals does not decode: %v", err)
	}
}

// After the wrap, a removal of a vanished element makes applyRem loop
// forever: nextElem (index) says the seq is held, find (tree) says not, m = 0.
func TestRunLenOverflowThenRemovalHangs(t *testing.T) {
	const N = math.MaxUint32
	rm := clock.Dot{Replica: 2, Seq: 1}
	a := tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{}, rm)
	b := tombDelta(t, clock.Dot{Replica: 1, Seq: N + 1}, 10, clock.Dot{Replica: 1, Seq: N}, rm)
	c := remDelta(t, clock.Dot{Replica: 1, Seq: 100}, 1, clock.Dot{Replica: 3, Seq: 1}, 0)
	l := New()
	l.Merge(a)
	l.Merge(b)
	done := make(chan struct{})
	go func() { l.Merge(c); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Merge of a one-element removal did not return in 5s")
	}
}

// With only joinSeq capped, canonical() walks element by element up to the cap.
func TestRunLenCanonicalAfterNaiveCap(t *testing.T) {
	const N = math.MaxUint32
	u := binary.AppendUvarint
	var ctx clock.CausalContext
	ctx.AddRange(1, 1, N+1)
	ctx.AddRange(2, 1, 1)
	cb, _ := ctx.AppendBinary(nil)
	b := []byte{0x51, 0x01, 0x00}
	b = u(b, uint64(len(cb)))
	b = append(b, cb...)
	b = append(b, 0x02, 0x01, 0x02, 0x02)
	b = append(b, itemTomb, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00)
	b = append(b, itemTomb, 0x01, 0x02)
	b = u(b, N)
	b = append(b, 0x00, 0x01, 0x01, 0x00, 0x02, 0x01, 0x00)
	b = append(b, 0, 0, 0, 0)
	l := New()
	if err := l.UnmarshalBinary(b); err != nil {
		t.Fatalf("decode: %v", err)
	}
	done := make(chan struct{})
	go func() { l.AppendBinary(nil); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("AppendBinary did not return in 10s")
	}
}

// Two states holding the same elements (equal encodings), their tree cut
// differently: one tombstone run of MaxUint32+10 elements of replica 1,
// all removed by 2.1. A merged [1..N] then [N+1..N+10]; B merged [1..10]
// then [11..N+10].
func cutTwice(t *testing.T) (a, b *List) {
	const N = math.MaxUint32
	rm := clock.Dot{Replica: 2, Seq: 1}
	a, b = New(), New()
	a.Merge(tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, N, clock.Dot{}, rm))
	a.Merge(tombDelta(t, clock.Dot{Replica: 1, Seq: N + 1}, 10, clock.Dot{Replica: 1, Seq: N}, rm))
	b.Merge(tombDelta(t, clock.Dot{Replica: 1, Seq: 1}, 10, clock.Dot{}, rm))
	b.Merge(tombDelta(t, clock.Dot{Replica: 1, Seq: 11}, N, clock.Dot{Replica: 1, Seq: 10}, rm))
	return a, b
}

func TestRunLenCanonicalAcrossCuts(t *testing.T) {
	a, b := cutTwice(t)
	ea, _ := a.AppendBinary(nil)
	eb, _ := b.AppendBinary(nil)
	if !bytes.Equal(ea, eb) {
		t.Fatalf("same elements, different encodings:\n%x\n%x", ea, eb)
	}
	again := New()
	if err := again.UnmarshalBinary(ea); err != nil {
		t.Fatal(err)
	}
	if e2, _ := again.AppendBinary(nil); !bytes.Equal(e2, ea) {
		t.Fatalf("decode(encode) re-encodes differently")
	}
}

// Compact of two Equal states with the same stable vector must give Equal
// states (see TestCompactFullSync), however their trees are cut: a block
// is never split at the cap of a run.
func TestRunLenCompactAcrossCuts(t *testing.T) {
	a, b := cutTwice(t)
	if !a.Equal(b) {
		t.Fatal("precondition: a and b differ before Compact")
	}
	ctx := a.Context()
	na, nb := a.Compact(ctx.Vector()), b.Compact(ctx.Vector())
	if !a.Equal(b) {
		ea, _ := a.AppendBinary(nil)
		eb, _ := b.AppendBinary(nil)
		t.Fatalf("Equal states compacted alike (%d, %d collapsed) differ:\n a %x\n b %x", na, nb, ea, eb)
	}
}

// A state of two adjacent blocks and nothing else to collapse: Compact
// joins them, and once returned without rebuilding the tree for it,
// leaving a state that did not decode.
func TestCompactJoinsAdjacentBlocks(t *testing.T) {
	var l List
	l.ctx.AddRange(1, 1, 4)
	s := newStore()
	s.decodeBlock(clock.Dot{Replica: 1, Seq: 1}, []span{{rep: 1, lo: 1, hi: 2}})
	s.decodeBlock(clock.Dot{Replica: 1, Seq: 3}, []span{{rep: 1, lo: 3, hi: 4}})
	s.sortColl()
	l.st = s
	enc, _ := l.AppendBinary(nil)
	dec := New()
	if err := dec.UnmarshalBinary(enc); err != nil {
		t.Fatalf("precondition: the state does not decode: %v", err)
	}
	ctx := dec.Context()
	n := dec.Compact(ctx.Vector())
	enc2, _ := dec.AppendBinary(nil)
	if err := New().UnmarshalBinary(enc2); err != nil {
		t.Fatalf("after Compact (returned %d) the state does not decode: %v\n%x", n, err, enc2)
	}
}

// A block span whose lo+w wrapped past 2^64 passed "lo+w > maxSeq":
// the decoder accepts a block holding dots beyond maxSeq and a span with
// lo > hi that hides a duplicate element (dot 1.1 both in the block's
// first span and in the wrapped one).
func TestDecodeBlockSpanWraps(t *testing.T) {
	u := binary.AppendUvarint
	var ctx clock.CausalContext
	ctx.AddRange(1, 1, math.MaxUint64-1) // vector 1: 2^64-2 (the largest a vector decodes)
	cb, _ := ctx.AppendBinary(nil)
	b := []byte{0x51, 0x01, 0x00}
	b = u(b, uint64(len(cb)))
	b = append(b, cb...)
	b = append(b, 0x01, 0x01)            // one replica: 1
	b = append(b, 0x01)                  // one item
	b = append(b, itemBlock, 0x01, 0x01) // block, first 1.1
	b = u(b, 10+4)                       // n = total
	b = append(b, 0x02)                  // two spans
	b = append(b, 0x00, 0x01, 9)         // rep 0, lo 1, w 9: 1..10
	b = append(b, 0x00)
	b = u(b, math.MaxUint64-1) // lo 2^64-2
	b = append(b, 3)           // w 3: lo+w wraps to 1
	b = append(b, 0, 0, 0, 0)  // LSETs, records
	l := New()
	if err := l.UnmarshalBinary(b); err == nil {
		s := l.st
		t.Errorf("decoder accepted a block span [2^64-2, +3] (wraps; seqs beyond maxSeq; dot 1.1 twice): blocks %v, blockLen %d", s.blocks, s.blockLen(mkdot(0, 1)))
	}
}

// Blocks are not capped, so the decoder must accept any block Compact can
// join from decoded ones (it once refused more than 2^62 elements).
func TestDecodeJoinedBlocksPast2e62(t *testing.T) {
	const reps = 1<<14 + 2
	var l List
	for r := 1; r <= reps; r++ {
		l.ctx.AddRange(clock.ReplicaID(r), 1, maxSeq)
	}
	s := newStore()
	var a, b []span
	for r := 1; r <= 1<<14; r++ { // 2^14 (2^48-1) = 2^62 - 2^14
		a = append(a, span{rep: clock.ReplicaID(r), lo: 1, hi: maxSeq})
	}
	for r := 1<<14 + 1; r <= reps; r++ {
		b = append(b, span{rep: clock.ReplicaID(r), lo: 1, hi: maxSeq})
	}
	s.decodeBlock(clock.Dot{Replica: 1, Seq: 1}, a)
	s.decodeBlock(clock.Dot{Replica: 1<<14 + 1, Seq: 1}, b)
	s.sortColl()
	l.st = s
	enc, _ := l.AppendBinary(nil)
	dec := New()
	if err := dec.UnmarshalBinary(enc); err != nil {
		t.Fatalf("precondition: the two-block state does not decode: %v", err)
	}
	ctx := dec.Context()
	n := dec.Compact(ctx.Vector())
	enc2, _ := dec.AppendBinary(nil)
	if bytes.Equal(enc, enc2) {
		t.Fatalf("Compact (returned %d) did not join the blocks", n)
	}
	if err := New().UnmarshalBinary(enc2); err != nil {
		t.Errorf("decoded state, Compact (returned %d, joined the blocks), re-encoded: does not decode: %v", n, err)
	}
}
