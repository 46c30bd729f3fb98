package list

import "math"

// pdot is a dot packed into 64 bits: the replica's index in the list's
// replica table (16 bits) and the sequence number (48 bits). The zero pdot
// names nothing: as an origin it is the start (left) or end (right) of the
// list.
type pdot uint64

const (
	seqBits = 48
	// maxSeq is the largest sequence number a list can hold.
	maxSeq = 1<<seqBits - 1
	// maxReplicas is the number of distinct replicas a list can name.
	maxReplicas = 1 << 16
	// maxRunLen is the most elements one run, block or record holds
	// (run.n is 32 bits): joins stop there, and a longer stretch is
	// several runs.
	maxRunLen = math.MaxUint32
)

func mkdot(rep uint16, seq uint64) pdot { return pdot(uint64(rep)<<seqBits | seq) }

func (d pdot) rep() uint16 { return uint16(d >> seqBits) }
func (d pdot) seq() uint64 { return uint64(d) & maxSeq }

// add returns the dot k sequence numbers after d.
func (d pdot) add(k int) pdot { return pdot(int64(d) + int64(k)) }

// Run kinds (bits of run.kind).
const (
	kindBack   = 1 << iota // backward run: flat order is descending seq
	kindRmUp               // removal dots ascend with the elements' seqs
	kindRmDown             // removal dots descend as the elements' seqs ascend
	kindBlock              // a compacted range of stable tombstones
)

// run is one item of the sequence tree: consecutive elements inserted by
// one replica with consecutive sequence numbers, in one of two shapes.
//
// A forward run is text typed left to right: element k+1 (by seq) has
// element k as its left origin and shares the run's right origin. A
// backward run is a series of pushes to the head: element k+1 has element
// k as its right origin and shares the run's left origin, so in the list
// it comes before element k. In both, the fields describe the element
// with the lowest seq (k = 0); the others follow from it.
//
// A tombstone run also records the removal dot of each element: rm for
// element 0, then rm±k for element k as kindRmUp/kindRmDown say (the same
// dot for all when neither is set).
//
// A block (kindBlock) is a compacted range of stable tombstones: id is its
// first element in list order and n the number of elements it stands for;
// which dots it holds is kept in the list's collapsed table.
type run struct {
	id   pdot   // element k = 0 (for a block: its first element)
	l, r pdot   // origins of element 0
	rm   pdot   // removal dot of element 0; 0 while live
	val  uint64 // value slot of element 0 (live runs); 64 bits, as slots are never reused
	n    uint32 // elements
	kind uint8
}

func (x *run) back() bool  { return x.kind&kindBack != 0 }
func (x *run) block() bool { return x.kind&kindBlock != 0 }
func (x *run) live() bool  { return x.rm == 0 && x.kind&kindBlock == 0 }

// weight is the number of visible elements of x.
func (x *run) weight() int {
	if x.live() {
		return int(x.n)
	}
	return 0
}

// step is the change of removal seq from one element to the next.
func (x *run) step() int {
	switch {
	case x.kind&kindRmUp != 0:
		return 1
	case x.kind&kindRmDown != 0:
		return -1
	}
	return 0
}

func stepKind(step int) uint8 {
	switch step {
	case 1:
		return kindRmUp
	case -1:
		return kindRmDown
	}
	return 0
}

// k returns the seq index of the element at flat offset f.
func (x *run) k(f int) int {
	if x.back() {
		return int(x.n) - 1 - f
	}
	return f
}

// dotAt returns the dot of the element with seq index k.
func (x *run) dotAt(k int) pdot { return x.id.add(k) }

// flatDot returns the dot of the element at flat offset f.
func (x *run) flatDot(f int) pdot { return x.id.add(x.k(f)) }

// origins returns the left and right origins of the element with seq
// index k.
func (x *run) origins(k int) (l, r pdot) {
	if k == 0 {
		return x.l, x.r
	}
	if x.back() {
		return x.l, x.dotAt(k - 1)
	}
	return x.dotAt(k - 1), x.r
}

// rmAt returns the removal dot of the element with seq index k (0 if x is
// live).
func (x *run) rmAt(k int) pdot {
	if x.rm == 0 {
		return 0
	}
	return x.rm.add(k * x.step())
}

// contains reports whether x holds the element d (blocks hold none here;
// their dots are in the collapsed table), and its seq index.
func (x *run) contains(d pdot) (int, bool) {
	if x.kind&kindBlock != 0 || d.rep() != x.id.rep() {
		return 0, false
	}
	k := int64(d.seq()) - int64(x.id.seq())
	if k < 0 || k >= int64(x.n) {
		return 0, false
	}
	return int(k), true
}

// slice returns the part of x with seq indexes [k0, k1).
func (x *run) slice(k0, k1 int) run {
	y := *x
	y.id = x.id.add(k0)
	y.n = uint32(k1 - k0)
	y.l, y.r = x.origins(k0)
	if x.rm != 0 {
		y.rm = x.rmAt(k0)
	}
	y.val = x.val + uint64(k0)
	return y
}

// splitFlat splits x at flat offset f (0 < f < n) into the part before and
// the part from f on, in list order.
func (x *run) splitFlat(f int) (a, b run) {
	n := int(x.n)
	if x.back() {
		return x.slice(n-f, n), x.slice(0, n-f)
	}
	if x.rm == 0 && x.kind&kindBlock == 0 {
		// A live forward run, the usual case: the first part keeps every
		// field but the length; the second starts f on, after element f-1.
		a, b = *x, *x
		a.n = uint32(f)
		b.id, b.l, b.val, b.n = x.id.add(f), x.id.add(f-1), x.val+uint64(f), uint32(n-f)
		return a, b
	}
	return x.slice(0, f), x.slice(f, n)
}

// join returns a run of x followed by y in list order and true, if they
// form one run (live runs must also have consecutive value slots).
func join(x, y *run) (run, bool) {
	if (x.kind|y.kind)&kindBlock != 0 || x.id.rep() != y.id.rep() || (x.rm == 0) != (y.rm == 0) {
		return run{}, false
	}
	// Forward: y's elements follow x's in seq order.
	if (x.n == 1 || !x.back()) && (y.n == 1 || !y.back()) &&
		y.id == x.id.add(int(x.n)) && y.l == x.dotAt(int(x.n)-1) && y.r == x.r {
		z, ok := joinSeq(x, y)
		z.kind &^= kindBack
		return z, ok
	}
	// Backward: x holds the higher seqs, and its lowest element has y's
	// highest as right origin.
	if (x.n == 1 || x.back()) && (y.n == 1 || y.back()) &&
		x.id == y.id.add(int(y.n)) && x.r == y.dotAt(int(y.n)-1) && x.l == y.l {
		z, ok := joinSeq(y, x)
		z.kind |= kindBack
		return z, ok
	}
	return run{}, false
}

// joinSeq joins lo and hi, where hi's elements continue lo's in seq order
// and the origins have been checked, if their removal dots and value slots
// line up.
func joinSeq(lo, hi *run) (run, bool) {
	if uint64(lo.n)+uint64(hi.n) > maxRunLen {
		return run{}, false
	}
	z := *lo
	z.n = lo.n + hi.n
	if lo.rm != 0 {
		if lo.rm.rep() != hi.rm.rep() {
			return run{}, false
		}
		step := int64(hi.rm.seq()) - int64(lo.rmAt(int(lo.n)-1).seq())
		if step < -1 || step > 1 || (lo.n > 1 && int(step) != lo.step()) || (hi.n > 1 && int(step) != hi.step()) {
			return run{}, false
		}
		z.kind = z.kind&^(kindRmUp|kindRmDown) | stepKind(int(step))
	} else if hi.val != lo.val+uint64(lo.n) {
		return run{}, false
	}
	return z, true
}
