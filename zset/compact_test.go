package zset

import (
	"testing"
)

// TestCompactScores checks that the usual score states stay in
// counter.Lone form, locally and at a replica merging them, in memory and
// through the encoding, and that other states leave it.
func TestCompactScores(t *testing.T) {
	a, b := New(), New()
	var deltas []*Set
	for i := range 5 {
		deltas = append(deltas, zadd(t, a, stamp(int64(1000+i), replicaA), "x", float64(i)))
	}
	d, _ := a.Remove(replicaA, "x")
	deltas = append(deltas, d, zadd(t, a, stamp(2000, replicaA), "x", 9))
	for i, d := range deltas {
		e := d.get("x")
		if e.full != nil {
			t.Fatalf("delta %d holds a built counter", i)
		}
		var dec Set
		if err := dec.UnmarshalBinary(encoded(t, d)); err != nil || dec.get("x").full != nil {
			t.Fatalf("delta %d decodes to a built counter (err %v)", i, err)
		}
		b.Merge(&dec)
		if !b.get("x").isLone() {
			t.Fatalf("after delta %d the merging replica built the counter", i)
		}
	}
	if !a.get("x").isLone() || !a.Equal(b) {
		t.Fatal("the writer built the counter, or the replicas differ")
	}
	// A second writer and an increment take the score out of Lone form.
	b.Merge(zadd(t, New(), stamp(3000, replicaB), "x", 1))
	zincr(t, a, stamp(3000, replicaA), "y", 1)
	if b.get("x").full == nil || a.get("y").full == nil {
		t.Fatal("a score with two writers or an increment stayed compact")
	}
	checkIndex(t, a)
	checkIndex(t, b)
}
