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
