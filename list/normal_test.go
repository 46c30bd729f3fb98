package list

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestNormalizeMatchesByElement compares normalize, which works on
// ranges, with the element-by-element definition it replaces (kept below
// as the reference) on random records: slices of a few runs, given more
// than once, removed by overlapping removal lines of every step and
// remover, and LSETs. It also checks that normal form is a fixed point.
func TestNormalizeMatchesByElement(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 20000 {
		r := randomRecords(rng)
		got, want := r.normalize(), r.normalizeByElement()
		g, w := appendRecords(nil, &got), appendRecords(nil, &want)
		if !bytes.Equal(g, w) {
			t.Fatalf("case %d: records %+v\nnormalize    %+v\nby element   %+v", i, r, got, want)
		}
		again := got.normalize()
		if !bytes.Equal(appendRecords(nil, &again), g) {
			t.Fatalf("case %d: normal form is not a fixed point:\n%+v\n%+v", i, got, again)
		}
	}
}

// TestNormalizeHugeRemovals checks that normalize costs what the records
// do, not what they name: removals and tombstone inserts of 2^31 elements.
func TestNormalizeHugeRemovals(t *testing.T) {
	const n = 1 << 31
	r := records{
		ins: chunksOf([]insRec{{id: clock.Dot{Replica: 1, Seq: 1}, n: n, rm: clock.Dot{Replica: 2, Seq: 10}, step: 1}}),
		rem: chunksOf([]remRec{
			{target: clock.Dot{Replica: 1, Seq: 5}, n: n, rm: clock.Dot{Replica: 2, Seq: n + 3}, step: -1},
			{target: clock.Dot{Replica: 3, Seq: 1}, n: n, rm: clock.Dot{Replica: 1, Seq: 1}, step: 0},
		}),
	}
	got := r.normalize()
	// Target 1.t is removed by 2.(9+t) up to where n+8−t is lower, from
	// t = n/2 on; 3.* by 1.1.
	want := records{
		ins: chunksOf([]insRec{
			{id: clock.Dot{Replica: 1, Seq: 1}, n: n/2 - 1, rm: clock.Dot{Replica: 2, Seq: 10}, step: 1},
			{id: clock.Dot{Replica: 1, Seq: n / 2}, n: n/2 + 1, l: clock.Dot{Replica: 1, Seq: n/2 - 1}, rm: clock.Dot{Replica: 2, Seq: n/2 + 8}, step: -1},
		}),
		rem: chunksOf([]remRec{
			{target: clock.Dot{Replica: 1, Seq: n + 1}, n: 4, rm: clock.Dot{Replica: 2, Seq: 7}, step: -1},
			{target: clock.Dot{Replica: 3, Seq: 1}, n: n, rm: clock.Dot{Replica: 1, Seq: 1}},
		}),
	}
	if g, w := appendRecords(nil, &got), appendRecords(nil, &want); !bytes.Equal(g, w) {
		t.Fatalf("normalize = %+v\nwant        %+v", got, want)
	}
}

// TestNormalizeCapsRecords checks that normal form joins records only up
// to maxRunLen elements, taking as much of the next piece as fits, as
// joining element by element would.
func TestNormalizeCapsRecords(t *testing.T) {
	rm := clock.Dot{Replica: 2, Seq: 1}
	r := records{
		ins: chunksOf([]insRec{
			{id: clock.Dot{Replica: 1, Seq: 1}, n: maxRunLen - 2, rm: rm},
			{id: clock.Dot{Replica: 1, Seq: maxRunLen - 1}, n: 5, l: clock.Dot{Replica: 1, Seq: maxRunLen - 2}, rm: rm},
		}),
		rem: chunksOf([]remRec{
			{target: clock.Dot{Replica: 3, Seq: 1}, n: maxRunLen - 1, rm: rm},
			{target: clock.Dot{Replica: 3, Seq: maxRunLen}, n: 4, rm: rm},
		}),
	}
	got := r.normalize()
	want := records{
		ins: chunksOf([]insRec{
			{id: clock.Dot{Replica: 1, Seq: 1}, n: maxRunLen, rm: rm},
			{id: clock.Dot{Replica: 1, Seq: maxRunLen + 1}, n: 3, l: clock.Dot{Replica: 1, Seq: maxRunLen}, rm: rm},
		}),
		rem: chunksOf([]remRec{
			{target: clock.Dot{Replica: 3, Seq: 1}, n: maxRunLen, rm: rm},
			{target: clock.Dot{Replica: 3, Seq: maxRunLen + 1}, n: 3, rm: rm},
		}),
	}
	if g, w := appendRecords(nil, &got), appendRecords(nil, &want); !bytes.Equal(g, w) {
		t.Fatalf("normalize = %+v\nwant        %+v", got, want)
	}
}

// randomRecords returns records over a few runs of three replicas, as a
// merge or a decoder may see them.
func randomRecords(rng *rand.Rand) records {
	var bases []insRec
	for range 1 + rng.IntN(3) {
		n := 1 + rng.IntN(12)
		x := insRec{id: clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(3)), Seq: uint64(1 + rng.IntN(30))}, n: n}
		x.back = n > 1 && rng.IntN(3) == 0
		if rng.IntN(2) == 0 {
			x.l = clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(3)), Seq: uint64(1 + rng.IntN(40))}
		}
		if rng.IntN(2) == 0 {
			x.r = clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(3)), Seq: uint64(1 + rng.IntN(40))}
		}
		vals := make([]byte, n)
		for k := range vals {
			vals[k] = byte('a' + rng.IntN(26))
		}
		x.vals = recVals{b: vals}
		if rng.IntN(4) == 0 {
			x.vals = recVals{s: recVals{b: vals}.strings()}
		}
		bases = append(bases, x)
	}
	line := func(n int) (clock.Dot, int) {
		step := rng.IntN(3) - 1
		if n == 1 {
			step = 0
		}
		lo := 1 + rng.IntN(20)
		if step < 0 {
			lo += n
		}
		return clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(2)), Seq: uint64(lo)}, step
	}
	var r records
	for range rng.IntN(6) {
		b := &bases[rng.IntN(len(bases))]
		k0 := rng.IntN(b.n)
		k1 := k0 + 1 + rng.IntN(b.n-k0)
		x := b.slice(k0, k1)
		if rng.IntN(3) == 0 {
			x.rm, x.step = line(x.n)
			x.vals = recVals{}
		}
		r.ins.push(x)
	}
	for range rng.IntN(6) {
		var target clock.Dot
		if rng.IntN(4) == 0 {
			target = clock.Dot{Replica: clock.ReplicaID(1 + rng.IntN(3)), Seq: uint64(1 + rng.IntN(40))}
		} else {
			b := &bases[rng.IntN(len(bases))]
			target = b.dotAt(rng.IntN(b.n))
		}
		n := 1 + rng.IntN(10)
		rm, step := line(n)
		r.rem.push(remRec{target: target, n: n, rm: rm, step: step})
	}
	for range rng.IntN(4) {
		b := &bases[rng.IntN(len(bases))]
		r.set = append(r.set, setRec{
			target: b.dotAt(rng.IntN(b.n)),
			at:     clock.Stamp{Time: clock.Timestamp(rng.IntN(3)), Replica: clock.ReplicaID(1 + rng.IntN(2))},
			value:  "v",
			dot:    clock.Dot{Replica: 3, Seq: uint64(1 + rng.IntN(9))},
		})
	}
	rng.Shuffle(r.ins.len(), func(i, j int) { a, b := r.ins.at(i), r.ins.at(j); *a, *b = *b, *a })
	rng.Shuffle(r.rem.len(), func(i, j int) { a, b := r.rem.at(i), r.rem.at(j); *a, *b = *b, *a })
	return r
}

// normalizeByElement is normalize as first written, element by element:
// the definition the range-based normalize must match.
func (r *records) normalizeByElement() records {
	var out records
	// Removals: smallest dot per target element.
	type rm struct {
		target, rm clock.Dot
		inserted   bool // applied to an insert
	}
	total := 0
	for x := range r.rem.all() {
		total += x.n
	}
	for x := range r.ins.all() {
		if x.rm.Seq != 0 {
			total += x.n
		}
	}
	rms := make([]rm, 0, total)
	for x := range r.rem.all() {
		for k := range x.n {
			rms = append(rms, rm{target: shift(x.target, k), rm: x.rmAt(k)})
		}
	}
	for x := range r.ins.all() {
		if x.rm.Seq != 0 {
			for k := range x.n {
				rms = append(rms, rm{target: x.dotAt(k), rm: x.rmAt(k)})
			}
		}
	}
	slices.SortFunc(rms, func(a, b rm) int {
		if c := a.target.Compare(b.target); c != 0 {
			return c
		}
		return a.rm.Compare(b.rm)
	})
	rms = slices.CompactFunc(rms, func(a, b rm) bool { return a.target == b.target })
	removal := func(d clock.Dot) (int, bool) {
		return slices.BinarySearchFunc(rms, d, func(x rm, d clock.Dot) int { return x.target.Compare(d) })
	}
	// Inserts, element by element in dot order, with removals applied.
	ins := r.ins.flat()
	slices.SortFunc(ins, func(a, b insRec) int { return a.id.Compare(b.id) })
	var prevEnd clock.Dot
	for i := range ins {
		x := &ins[i]
		for k := range x.n {
			d := x.dotAt(k)
			if prevEnd.Replica == d.Replica && d.Seq <= prevEnd.Seq && prevEnd.Seq != 0 {
				continue // an element given twice
			}
			e := x.slice(k, k+1)
			if j, ok := removal(d); ok {
				e.rm, e.step, e.vals = rms[j].rm, 0, recVals{}
				rms[j].inserted = true
			}
			out.addIns(e)
		}
		end := x.dotAt(x.n - 1)
		if end.Replica != prevEnd.Replica || end.Seq > prevEnd.Seq {
			prevEnd = end
		}
	}
	for _, x := range rms {
		if !x.inserted {
			out.addRem(remRec{target: x.target, n: 1, rm: x.rm})
		}
	}
	// LSETs: the greatest stamp per target, if the target stands.
	sets := slices.Clone(r.set)
	slices.SortFunc(sets, func(a, b setRec) int {
		if c := a.target.Compare(b.target); c != 0 {
			return c
		}
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return b.dot.Compare(a.dot)
	})
	for i, s := range sets {
		if i > 0 && sets[i-1].target == s.target {
			continue
		}
		if _, gone := removal(s.target); gone {
			continue
		}
		out.set = append(out.set, s)
	}
	return out
}
