package clock_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/quick"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
)

func dot(r clock.ReplicaID, seq uint64) clock.Dot { return clock.Dot{Replica: r, Seq: seq} }

// cc builds a context by adding dots in the order given.
func cc(dots ...clock.Dot) clock.CausalContext {
	var c clock.CausalContext
	for _, d := range dots {
		c.Add(d)
	}
	return c
}

func encodeCC(t testing.TB, c *clock.CausalContext) []byte {
	t.Helper()
	b, err := c.AppendBinary(nil)
	if err != nil {
		t.Fatalf("AppendBinary: %v", err)
	}
	return b
}

// checkCompact fails t unless c is in its compact form: cloud ranges in
// order, none empty, none touching another or covered by or adjacent to
// the vector, and CloudLen counts them.
func checkCompact(t testing.TB, c *clock.CausalContext) {
	t.Helper()
	v := c.Vector()
	n := 0
	var prev clock.DotRange
	for x := range c.Ranges {
		if x.First > x.Last || x.First <= v.Get(x.Replica)+1 {
			t.Fatalf("%s: cloud range %v empty, or covered by or adjacent to the vector", c.String(), x)
		}
		if n > 0 && (x.Replica < prev.Replica || x.Replica == prev.Replica && x.First <= prev.Last+1) {
			t.Fatalf("%s: cloud range %v out of order or touching %v", c.String(), x, prev)
		}
		prev = x
		n++
	}
	if n != c.CloudLen() {
		t.Fatalf("%s: CloudLen() = %d, cloud has %d ranges", c.String(), c.CloudLen(), n)
	}
	if c.IsEmpty() != (n == 0 && v.Len() == 0) {
		t.Fatalf("%s: IsEmpty() = %v", c.String(), c.IsEmpty())
	}
}

func TestCausalContextAdd(t *testing.T) {
	tests := []struct {
		name  string
		dots  []clock.Dot
		added []bool // what each Add returns
		want  []string
	}{
		{
			name:  "in order",
			dots:  []clock.Dot{dot(1, 1), dot(1, 2), dot(1, 3)},
			added: []bool{true, true, true},
			want:  []string{"{1:1}", "{1:2}", "{1:3}"},
		},
		{
			name:  "reverse order compacts",
			dots:  []clock.Dot{dot(1, 3), dot(1, 2), dot(1, 1)},
			added: []bool{true, true, true},
			want:  []string{"{}+[1.3]", "{}+[1.2-3]", "{1:3}"},
		},
		{
			name:  "gap filled in the middle",
			dots:  []clock.Dot{dot(1, 1), dot(1, 3), dot(1, 5), dot(1, 2)},
			added: []bool{true, true, true, true},
			want:  []string{"{1:1}", "{1:1}+[1.3]", "{1:1}+[1.3 1.5]", "{1:3}+[1.5]"},
		},
		{
			name:  "duplicates and zero seq",
			dots:  []clock.Dot{dot(1, 2), dot(1, 2), dot(1, 0), dot(1, 1), dot(1, 1), dot(1, 2)},
			added: []bool{true, false, false, true, false, false},
			want:  []string{"{}+[1.2]", "{}+[1.2]", "{}+[1.2]", "{1:2}", "{1:2}", "{1:2}"},
		},
		{
			name:  "replicas independent",
			dots:  []clock.Dot{dot(2, 2), dot(1, 1), dot(3, 1), dot(2, 1), dot(1, 3)},
			added: []bool{true, true, true, true, true},
			want:  []string{"{}+[2.2]", "{1:1}+[2.2]", "{1:1 3:1}+[2.2]", "{1:1 2:2 3:1}", "{1:1 2:2 3:1}+[1.3]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c clock.CausalContext
			for i, d := range tt.dots {
				if got := c.Add(d); got != tt.added[i] {
					t.Fatalf("Add(%v) #%d = %v, want %v", d, i, got, tt.added[i])
				}
				if got := c.String(); got != tt.want[i] {
					t.Fatalf("after Add(%v) #%d: %s, want %s", d, i, got, tt.want[i])
				}
				checkCompact(t, &c)
			}
		})
	}
}

func TestCausalContextReverseAddEndsInVector(t *testing.T) {
	var c clock.CausalContext
	for seq := uint64(1000); seq >= 1; seq-- {
		c.Add(dot(4, seq))
	}
	v := c.Vector()
	if v.Get(4) != 1000 || c.CloudLen() != 0 {
		t.Fatalf("vector entry %d, cloud %d; want 1000 and 0", v.Get(4), c.CloudLen())
	}
}

func TestCausalContextContains(t *testing.T) {
	c := cc(dot(1, 1), dot(1, 2), dot(1, 5), dot(2, 3))
	tests := []struct {
		d    clock.Dot
		want bool
	}{
		{dot(1, 1), true},  // vector
		{dot(1, 2), true},  // vector
		{dot(1, 3), false}, // the gap
		{dot(1, 5), true},  // cloud
		{dot(1, 6), false},
		{dot(2, 1), false},
		{dot(2, 3), true},
		{dot(3, 1), false},
	}
	for _, tt := range tests {
		if got := c.Contains(tt.d); got != tt.want {
			t.Errorf("%s.Contains(%v) = %v, want %v", c.String(), tt.d, got, tt.want)
		}
	}
}

func TestCausalContextNext(t *testing.T) {
	tests := []struct {
		name string
		c    clock.CausalContext
		r    clock.ReplicaID
		want clock.Dot
	}{
		{"empty", cc(), 1, dot(1, 1)},
		{"vector", cc(dot(1, 1), dot(1, 2)), 1, dot(1, 3)},
		{"other replica", cc(dot(1, 1), dot(1, 2)), 2, dot(2, 1)},
		{"cloud only", cc(dot(1, 4)), 1, dot(1, 5)},
		{"cloud above vector", cc(dot(1, 1), dot(1, 9), dot(1, 4)), 1, dot(1, 10)},
		{"other replica's cloud", cc(dot(1, 1), dot(2, 9)), 1, dot(1, 2)},
		{"next replica's cloud", cc(dot(1, 4), dot(2, 9)), 1, dot(1, 5)},
		// Regression: Next searched for the end of r's cloud run at
		// Dot{r+1, 0}, which wraps to replica 0 for the largest ID.
		{"largest replica ID", cc(dot(math.MaxUint64, 5), dot(0, 3)), math.MaxUint64, dot(math.MaxUint64, 6)},
		{"largest replica ID, vector", cc(dot(math.MaxUint64, 1), dot(math.MaxUint64, 7)), math.MaxUint64, dot(math.MaxUint64, 8)},
		{"large cloud", largeCloud(1, 40), 1, dot(1, 82)},
		{"large cloud, other replica", largeCloud(1, 40), 2, dot(2, 1)},
	}
	for _, tt := range tests {
		if got := tt.c.Next(tt.r); got != tt.want {
			t.Errorf("%s: %s.Next(%d) = %v, want %v", tt.name, tt.c.String(), tt.r, got, tt.want)
		}
	}
}

// largeCloud returns a context whose replica r has n cloud dots, seqs 3, 5,
// …, 2n+1 — past the small-cloud limit when n is large — and the vector
// entry 1.
func largeCloud(r clock.ReplicaID, n int) clock.CausalContext {
	c := cc(dot(r, 1))
	for i := range n {
		c.Add(dot(r, 3+2*uint64(i)))
	}
	return c
}

// TestCausalContextLargeCloud covers clouds past the point where the
// context changes representation: compaction, equality and encoding must
// not depend on which representation holds the dots.
func TestCausalContextLargeCloud(t *testing.T) {
	const n = 100
	big := largeCloud(1, n)
	checkCompact(t, &big)
	if big.CloudLen() != n || !big.Contains(dot(1, 2*n+1)) || big.Contains(dot(1, 2*n)) {
		t.Fatalf("large cloud: CloudLen() = %d", big.CloudLen())
	}

	// The same dots added in reverse order.
	var rev clock.CausalContext
	for i := n - 1; i >= 0; i-- {
		rev.Add(dot(1, 3+2*uint64(i)))
	}
	rev.Add(dot(1, 1))
	if !rev.Equal(&big) || !bytes.Equal(encodeCC(t, &rev), encodeCC(t, &big)) {
		t.Fatalf("reverse-built large cloud differs: %s", rev.String())
	}

	// Fill all but the last gaps: the cloud shrinks back below the limit
	// but must still equal, and encode like, a context that never grew.
	shrunk := big.Clone()
	for i := range n - 3 {
		shrunk.Add(dot(1, 2+2*uint64(i)))
	}
	checkCompact(t, &shrunk)
	want := "{1:195}+[1.197 1.199 1.201]"
	if shrunk.String() != want {
		t.Fatalf("after filling gaps: %s, want %s", shrunk.String(), want)
	}
	small := cc()
	for seq := uint64(1); seq <= 195; seq++ {
		small.Add(dot(1, seq))
	}
	for _, seq := range []uint64{201, 197, 199} {
		small.Add(dot(1, seq))
	}
	if !shrunk.Equal(&small) || !small.Equal(&shrunk) {
		t.Fatalf("shrunk large cloud %s not Equal to small %s", shrunk.String(), small.String())
	}
	if !bytes.Equal(encodeCC(t, &shrunk), encodeCC(t, &small)) {
		t.Fatal("shrunk large cloud and small cloud encode differently")
	}
	other := cc(dot(1, 1), dot(1, 2), dot(1, 197), dot(1, 199), dot(1, 203))
	if shrunk.Equal(&other) || other.Equal(&shrunk) {
		t.Fatal("Equal across representations ignores a differing cloud dot")
	}

	// A vector from elsewhere that passes the whole cloud.
	var covering clock.CausalContext
	for seq := uint64(1); seq <= 2*n+5; seq++ {
		covering.Add(dot(1, seq))
	}
	merged := big.Clone()
	if !merged.Merge(&covering) {
		t.Fatal("Merge of a covering vector reported no change")
	}
	checkCompact(t, &merged)
	if merged.String() != "{1:205}" {
		t.Fatalf("Merge = %s, want {1:205}", merged.String())
	}

	// Round trip through the decoder, which rebuilds the large cloud.
	var back clock.CausalContext
	if err := back.UnmarshalBinary(encodeCC(t, &big)); err != nil {
		t.Fatal(err)
	}
	if !back.Equal(&big) || back.Next(1) != dot(1, 2*n+2) {
		t.Fatalf("round trip of the large cloud = %s", back.String())
	}
}

func TestCausalContextMerge(t *testing.T) {
	tests := []struct {
		name    string
		a, b    clock.CausalContext
		want    string
		changed bool
	}{
		{"both empty", cc(), cc(), "{}", false},
		{"into empty", cc(), cc(dot(1, 1), dot(1, 3)), "{1:1}+[1.3]", true},
		{"from empty", cc(dot(1, 1), dot(1, 3)), cc(), "{1:1}+[1.3]", false},
		{"subset", cc(dot(1, 1), dot(1, 2), dot(1, 4)), cc(dot(1, 1), dot(1, 4)), "{1:2}+[1.4]", false},
		{
			"vector covers cloud",
			cc(dot(1, 2), dot(1, 3), dot(1, 5)), cc(dot(1, 1), dot(1, 2), dot(1, 3)),
			"{1:3}+[1.5]", true,
		},
		{
			"vector reaches cloud",
			cc(dot(1, 2), dot(1, 3), dot(1, 5)), cc(dot(1, 1), dot(1, 2), dot(1, 3), dot(1, 4)),
			"{1:5}", true,
		},
		{
			"cloud fills gap",
			cc(dot(1, 1), dot(1, 3)), cc(dot(1, 2)),
			"{1:3}", true,
		},
		{
			"vector passes whole cloud",
			cc(dot(1, 3), dot(1, 7)), cc(dot(1, 1), dot(1, 2), dot(1, 3), dot(1, 4), dot(1, 5), dot(1, 6), dot(1, 7), dot(1, 8)),
			"{1:8}", true,
		},
		{
			"cloud dot already in vector",
			cc(dot(1, 1), dot(1, 2), dot(1, 3)), cc(dot(1, 2)),
			"{1:3}", false,
		},
		{
			"disjoint replicas",
			cc(dot(1, 1), dot(2, 3)), cc(dot(3, 1), dot(2, 5)),
			"{1:1 3:1}+[2.3 2.5]", true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.b.Clone()
			if got := tt.a.Merge(&tt.b); got != tt.changed {
				t.Errorf("Merge changed = %v, want %v", got, tt.changed)
			}
			if got := tt.a.String(); got != tt.want {
				t.Errorf("Merge = %s, want %s", got, tt.want)
			}
			checkCompact(t, &tt.a)
			if !tt.b.Equal(&before) {
				t.Errorf("Merge modified its argument to %s", tt.b.String())
			}
		})
	}
}

func TestCausalContextMergeSelf(t *testing.T) {
	c := cc(dot(1, 1), dot(1, 3), dot(2, 2))
	want := c.String()
	if c.Merge(&c) {
		t.Error("merging a context into itself reported a change")
	}
	if c.String() != want {
		t.Errorf("self merge = %s, want %s", c.String(), want)
	}
}

func TestCausalContextEqualAndClone(t *testing.T) {
	a := cc(dot(1, 1), dot(1, 3), dot(2, 2))
	b := cc(dot(2, 2), dot(1, 3), dot(1, 1))
	if !a.Equal(&b) {
		t.Fatalf("%s and %s not Equal", a.String(), b.String())
	}
	notEqual := []clock.CausalContext{
		cc(),
		cc(dot(1, 1), dot(1, 3)),            // missing a cloud replica
		cc(dot(1, 1), dot(1, 4), dot(2, 2)), // other cloud dot
		cc(dot(1, 1), dot(1, 2), dot(1, 3), dot(2, 2)), // vector instead of cloud
		cc(dot(1, 1), dot(1, 3), dot(2, 2), dot(3, 5)), // one more dot
		cc(dot(1, 1), dot(1, 3), dot(1, 5), dot(2, 2)), // same replicas, more cloud
		cc(dot(1, 1), dot(1, 3), dot(2, 2), dot(2, 1)), // 2.1 fills 2's gap
	}
	for _, o := range notEqual {
		if a.Equal(&o) || o.Equal(&a) {
			t.Errorf("%s Equal to %s", a.String(), o.String())
		}
	}
	var zero clock.CausalContext
	zc := zero.Clone()
	if !zero.Equal(&zc) || !zc.IsEmpty() {
		t.Error("clone of the zero context is not an equal empty context")
	}

	c := a.Clone()
	c.Add(dot(1, 2))
	c.Add(dot(2, 9))
	c.Add(dot(5, 1))
	if a.String() != "{1:1}+[1.3 2.2]" {
		t.Fatalf("changing the clone changed the original to %s", a.String())
	}
	if a.Equal(&c) {
		t.Fatal("original Equal to changed clone")
	}
	a.Add(dot(2, 1))
	if c.String() != "{1:3 5:1}+[2.2 2.9]" {
		t.Fatalf("changing the original changed the clone to %s", c.String())
	}
}

func TestCausalContextAccessors(t *testing.T) {
	c := cc(dot(1, 1), dot(1, 3), dot(2, 5), dot(2, 7))
	v := c.Vector()
	if v.String() != "{1:1}" {
		t.Fatalf("Vector() = %s, want {1:1}", v.String())
	}
	v.Advance(1, 10) // a copy: the context keeps its own
	if !c.Contains(dot(1, 1)) || c.Contains(dot(1, 2)) {
		t.Fatal("changing Vector()'s result changed the context")
	}
	if c.CloudLen() != 3 || c.IsEmpty() {
		t.Fatalf("CloudLen() = %d, IsEmpty() = %v", c.CloudLen(), c.IsEmpty())
	}
	got := slices.Collect(c.Ranges)
	if want := []clock.DotRange{{Replica: 1, First: 3, Last: 3}, {Replica: 2, First: 5, Last: 5}, {Replica: 2, First: 7, Last: 7}}; !slices.Equal(got, want) {
		t.Fatalf("Ranges = %v, want %v", got, want)
	}
	n := 0
	for range c.Ranges {
		n++
		break
	}
	if n != 1 {
		t.Fatal("Ranges did not stop when yield returned false")
	}
}

func TestCausalContextEncoding(t *testing.T) {
	tests := []struct {
		name string
		c    clock.CausalContext
		hex  string // the golden canonical encoding
	}{
		{"empty", cc(), "43010000"},
		{"vector only", cc(dot(1, 1), dot(1, 2)), "4301" + "010102" + "00"},
		// {1:2}+[1.5 2.3]: each cloud range is its gap from the dot
		// before it (the vector entry first) and its length less one.
		{"vector and cloud", cc(dot(1, 1), dot(1, 2), dot(1, 5), dot(2, 3)), "4301" + "010102" + "02" + "01010300" + "02010300"},
		// {}+[7.3-4 7.10]: the second gap counts from 7.4.
		{"cloud ranges", cc(dot(7, 3), dot(7, 10), dot(7, 4)), "4301" + "00" + "01" + "07020301" + "0600"},
		// A range of 2^40 dots costs a few bytes.
		{"long range", func() clock.CausalContext {
			var c clock.CausalContext
			c.AddRange(3, 5, 4+1<<40)
			return c
		}(), "4301" + "00" + "01" + "0301" + "05" + "ffffffffff1f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := encodeCC(t, &tt.c)
			if hex.EncodeToString(got) != tt.hex {
				t.Fatalf("encoding = %x, want %s", got, tt.hex)
			}
			var back clock.CausalContext
			if err := back.UnmarshalBinary(got); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			if !back.Equal(&tt.c) || back.String() != tt.c.String() {
				t.Fatalf("round trip = %s, want %s", back.String(), tt.c.String())
			}
			checkCompact(t, &back)
		})
	}
}

func TestCausalContextCanonicalBytes(t *testing.T) {
	dots := []clock.Dot{
		dot(1, 1), dot(1, 2), dot(1, 4), dot(1, 9), dot(1, 10),
		dot(2, 3), dot(3, 1), dot(3, 2), dot(3, 3), dot(300, 1000),
	}
	want := cc(dots...)
	wantBytes := encodeCC(t, &want)
	rng := rand.New(rand.NewSource(7))
	for i := range 50 {
		shuffled := slices.Clone(dots)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		// Half the time, reach the same set by merging two halves.
		var got clock.CausalContext
		if i%2 == 0 {
			got = cc(shuffled...)
		} else {
			h := len(shuffled) / 2
			got = cc(shuffled[:h]...)
			other := cc(shuffled[h:]...)
			got.Merge(&other)
		}
		if b := encodeCC(t, &got); !bytes.Equal(b, wantBytes) {
			t.Fatalf("order %v encodes to %x, want %x", shuffled, b, wantBytes)
		}
	}
}

func TestCausalContextDecodeRejects(t *testing.T) {
	hdr := []byte{'C', 1}
	body := func(b ...byte) []byte { return append(slices.Clone(hdr), b...) }
	valid := encodeCC(t, new(cc(dot(1, 1), dot(1, 2), dot(1, 5), dot(2, 3))))
	tests := []struct {
		name string
		in   []byte
		want string // part of the error message
	}{
		{"empty", nil, "truncated header"},
		{"wrong tag", append([]byte{'V', 1}, valid[2:]...), "wrong type tag"},
		{"wrong version", append([]byte{'C', 0}, valid[2:]...), "unsupported version"},
		{"truncated vector", body(), "bad varint"},
		{"truncated before cloud", body(0), "bad varint"},
		{"truncated cloud", valid[:len(valid)-1], "count exceeds input"},
		{"truncated cloud range", body(0, 1, 1, 1, 3, 0x80), "bad varint"},
		{"trailing bytes", append(slices.Clone(valid), 0), "trailing bytes"},
		{"cloud dot MaxUint64", body(append(append([]byte{0, 1, 1, 1}, wire.AppendUvarint(nil, math.MaxUint64)...), 0)...), "cloud ranges not canonical"},
		{"cloud range reaching MaxUint64", body(append([]byte{0, 1, 1, 1, 2}, wire.AppendUvarint(nil, math.MaxUint64-2)...)...), "cloud ranges not canonical"},
		{"bad vector", body(2, 2, 1, 1, 1, 0), "replicas not ascending"},
		{"zero vector entry", body(1, 1, 0, 0), "zero entry"},
		// vector {1:2}; cloud 1.3 is adjacent to it.
		{"cloud range adjacent to vector", body(1, 1, 2, 1, 1, 1, 1, 0), "not canonical"},
		// vector {1:2}; a gap of 0 names 1.2, which the vector covers.
		{"cloud range covered by vector", body(1, 1, 2, 1, 1, 1, 0, 0), "not canonical"},
		{"cloud dot 1 with no vector", body(0, 1, 1, 1, 1, 0), "not canonical"},
		{"cloud ranges touch", body(0, 1, 1, 2, 3, 0, 1, 0), "not canonical"},
		{"cloud ranges overlap", body(0, 1, 1, 2, 3, 2, 0, 0), "not canonical"},
		{"cloud replicas not ascending", body(0, 2, 2, 1, 3, 0, 1, 1, 3, 0), "cloud replicas not ascending"},
		{"cloud replica repeated", body(0, 2, 1, 1, 3, 0, 1, 1, 5, 0), "cloud replicas not ascending"},
		{"empty cloud entry", body(0, 1, 1, 0, 0, 0), "empty cloud entry"},
		{"empty cloud entry after one", body(0, 2, 1, 1, 3, 0, 2, 0, 0, 0), "empty cloud entry"},
		{"seq overflow", append(body(0, 1, 1, 1), append(wire.AppendUvarint(nil, math.MaxUint64), 0)...), "not canonical"},
		{"seq overflow past vector", append(append(body(1, 1), wire.AppendUvarint(nil, math.MaxUint64-1)...), 1, 1, 1, 2, 0), "not canonical"},
		{"range overflow", append(body(0, 1, 1, 1, 2), wire.AppendUvarint(nil, math.MaxUint64)...), "not canonical"},
		{"huge cloud count", append(body(0), wire.AppendUvarint(nil, math.MaxUint64)...), "count exceeds input"},
		{"huge cloud entry count", append(body(0, 1, 1), append(wire.AppendUvarint(nil, 1<<50), 2)...), "count exceeds input"},
		{"non-minimal gap", body(0, 1, 1, 1, 0x83, 0x00, 0), "non-minimal varint"},
		{"version vector", encodeVV(t, new(vv(1, 1))), "wrong type tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cc(dot(9, 9))
			err := c.UnmarshalBinary(tt.in)
			if !errors.Is(err, clock.ErrMalformed) {
				t.Fatalf("UnmarshalBinary(%x) = %v, want ErrMalformed", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("UnmarshalBinary(%x) = %q, want it to mention %q", tt.in, err, tt.want)
			}
			if c.String() != "{}+[9.9]" {
				t.Fatalf("failed decode changed the receiver to %s", c.String())
			}
		})
	}
}

// dotSet is a random set of dots for property tests. Most are small
// (replicas 0–2, seqs 1–6), so that sets overlap, fill each other's gaps and
// cover each other's clouds often; one in four is wide (replicas 0–1, seqs
// 1–160, up to 120 dots), so that clouds pass the small-cloud limit of 32
// ranges.
type dotSet []clock.Dot

// Generate implements quick.Generator.
func (dotSet) Generate(rng *rand.Rand, _ int) reflect.Value {
	n, replicas, seqs := rng.Intn(14), 3, 6
	if rng.Intn(4) == 0 {
		n, replicas, seqs = rng.Intn(120), 2, 160
	}
	out := make(dotSet, n)
	for i := range out {
		out[i] = dot(clock.ReplicaID(rng.Intn(replicas)), uint64(1+rng.Intn(seqs)))
	}
	return reflect.ValueOf(out)
}

func (s dotSet) context() clock.CausalContext { return cc(s...) }

// model is the naive reference: a set of dots.
func model(sets ...dotSet) map[clock.Dot]bool {
	m := make(map[clock.Dot]bool)
	for _, s := range sets {
		for _, d := range s {
			m[d] = true
		}
	}
	return m
}

// universe holds every dot a dotSet can hold and a margin of dots none can.
var universe = func() []clock.Dot {
	var u []clock.Dot
	for r := range clock.ReplicaID(4) {
		for seq := uint64(1); seq <= 162; seq++ {
			u = append(u, dot(r, seq))
		}
	}
	return u
}()

func merged(cs ...clock.CausalContext) clock.CausalContext {
	var out clock.CausalContext
	for i := range cs {
		out.Merge(&cs[i])
	}
	return out
}

func quickConfig() *quick.Config {
	return &quick.Config{MaxCount: 2000, Rand: rand.New(rand.NewSource(1))}
}

// TestCausalContextMatchesModel checks Add and Merge against a plain set of
// dots: Contains(d) on A ⊔ B is d ∈ A ∪ B for every d in the universe.
func TestCausalContextMatchesModel(t *testing.T) {
	contains := func(c clock.CausalContext) []bool {
		out := make([]bool, len(universe))
		for i, d := range universe {
			out[i] = c.Contains(d)
		}
		return out
	}
	viaContext := func(a, b dotSet) []bool {
		ca, cb := a.context(), b.context()
		ca.Merge(&cb)
		checkCompact(t, &ca)
		return contains(ca)
	}
	viaModel := func(a, b dotSet) []bool {
		m := model(a, b)
		out := make([]bool, len(universe))
		for i, d := range universe {
			out[i] = m[d]
		}
		return out
	}
	if err := quick.CheckEqual(viaContext, viaModel, quickConfig()); err != nil {
		t.Fatal(err)
	}
}

// TestCausalContextMergeLaws checks that merge is commutative, associative
// and idempotent, that the changed flag is honest, and that equal dot sets
// have equal contexts and equal bytes, whatever the merge order.
func TestCausalContextMergeLaws(t *testing.T) {
	sameSet := func(x, y clock.CausalContext) bool {
		return x.Equal(&y) && y.Equal(&x) && bytes.Equal(encodeCC(t, &x), encodeCC(t, &y))
	}
	laws := map[string]any{
		"commutative": func(a, b dotSet) bool {
			return sameSet(merged(a.context(), b.context()), merged(b.context(), a.context()))
		},
		"associative": func(a, b, c dotSet) bool {
			ab := merged(a.context(), b.context())
			bc := merged(b.context(), c.context())
			return sameSet(merged(ab, c.context()), merged(a.context(), bc))
		},
		"idempotent": func(a dotSet) bool {
			ca, again := a.context(), a.context()
			return !ca.Merge(&again) && sameSet(ca, a.context())
		},
		"changed iff new dots": func(a, b dotSet) bool {
			ma := model(a)
			grows := false
			for d := range model(b) {
				grows = grows || !ma[d]
			}
			ca, cb := a.context(), b.context()
			return ca.Merge(&cb) == grows
		},
		"merge equals adding the union": func(a, b dotSet) bool {
			var union dotSet
			for d := range model(a, b) {
				union = append(union, d)
			}
			return sameSet(merged(a.context(), b.context()), union.context())
		},
		"round trip": func(a, b dotSet) bool {
			c := merged(a.context(), b.context())
			var back clock.CausalContext
			return back.UnmarshalBinary(encodeCC(t, &c)) == nil && sameSet(back, c)
		},
	}
	for name, law := range laws {
		t.Run(name, func(t *testing.T) {
			if err := quick.Check(law, quickConfig()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
