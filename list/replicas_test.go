package list

import (
	"errors"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestFullReplicaTable fills a list's replica table: a push by one more
// replica fails with ErrFull, an insert merged from one is held, and the
// state, with that held insert naming a replica past the table, decodes
// from its own encoding to an equal state.
func TestFullReplicaTable(t *testing.T) {
	l := New()
	d0, _, err := l.PushRight(1, "a")
	if err != nil {
		t.Fatal(err)
	}
	for i := range maxReplicas - 1 {
		if _, _, err := l.PushRight(clock.ReplicaID(100+i), "x"); err != nil {
			t.Fatalf("replica %d: %v", i+2, err)
		}
	}
	const late clock.ReplicaID = 1 << 40
	if _, _, err := l.PushRight(late, "y"); !errors.Is(err, ErrFull) {
		t.Fatalf("push by replica %d: %v, want ErrFull", maxReplicas+1, err)
	}
	m := New()
	m.Merge(d0)
	dz, _, err := m.PushRight(late, "z")
	if err != nil {
		t.Fatal(err)
	}
	n := l.Len()
	if !l.Merge(dz) || l.Len() != n || l.recs.ins.len() != 1 {
		t.Fatalf("merging an insert by replica %d: Len %d (want %d), %d held (want 1)", maxReplicas+1, l.Len(), n, l.recs.ins.len())
	}
	b, err := l.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	again := New()
	if err := again.UnmarshalBinary(b); err != nil {
		t.Fatalf("decoding its own encoding: %v", err)
	}
	if !again.Equal(l) || again.recs.ins.len() != 1 {
		t.Fatal("decoded state differs")
	}
}

// fillReplicaTable pushes onto l, as new replicas, until l's replica
// table is full.
func fillReplicaTable(t *testing.T, l *List) {
	t.Helper()
	for i := 0; len(l.st.reps) < maxReplicas; i++ {
		if _, _, err := l.PushRight(clock.ReplicaID(100+i), "x"); err != nil {
			t.Fatalf("replica %d: %v", len(l.st.reps)+1, err)
		}
	}
}

// TestHeldForRoomAfterDecode holds an insert because the replica table
// is full; the decoded state names one replica fewer (one whose only
// trace was a removal dot a smaller one replaced), so the insert fits
// there, and the next merge that wakes anything must put it in, though
// nothing it waits for arrives.
func TestHeldForRoomAfterDecode(t *testing.T) {
	const r1, p, q clock.ReplicaID = 1, 2, 3
	must := mustDelta(t)
	src := New()
	d0, _, err := src.PushRight(r1, "a")
	must(d0, err)
	dB := must(src.InsertAt(r1, 1, "b"))
	dC := must(src.InsertAt(r1, 2, "c"))
	remove := func(by clock.ReplicaID) *List {
		x := New()
		x.Merge(d0)
		d, _, err := x.RemoveAt(by, 0)
		return must(d, err)
	}
	l := New()
	l.Merge(d0)
	l.Merge(remove(q))
	l.Merge(remove(p)) // a's removal dot is p's now: q names nothing, but stays in the table
	l.Merge(dC)        // held: b is missing
	fillReplicaTable(t, l)
	m := New()
	m.Merge(d0)
	dz, _, err := m.PushRight(1<<40, "z")
	must(dz, err)
	l.Merge(dz) // held: no room
	if l.recs.ins.len() != 2 {
		t.Fatalf("precondition: %d inserts held, want c and z", l.recs.ins.len())
	}
	b, _ := l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	again.Merge(dB)
	if n := again.recs.ins.len(); n != 0 {
		t.Fatalf("after b: %d inserts still held; z fits now", n)
	}
}

// TestHeldRemovalForRoomDecodes holds a removal of an element the list
// has because the replica table has no room for the remover: the state
// must decode from its own encoding.
func TestHeldRemovalForRoomDecodes(t *testing.T) {
	l := New()
	d0, _, err := l.PushRight(1, "a")
	if err != nil {
		t.Fatal(err)
	}
	fillReplicaTable(t, l)
	m := New()
	m.Merge(d0)
	dr, _, err := m.RemoveAt(1<<40, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.Merge(dr)
	if l.recs.rem.len() != 1 {
		t.Fatalf("precondition: %d removals held, want 1", l.recs.rem.len())
	}
	b, _ := l.AppendBinary(nil)
	again := New()
	if err := again.UnmarshalBinary(b); err != nil {
		t.Fatalf("decoding its own encoding: %v", err)
	}
	if !again.Equal(l) {
		t.Fatal("decoded state differs")
	}
}
