package register_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/register"
)

// concurrentLWW returns the register of SET a at replica 1 ‖ SET b at
// replica 2, both at timestamp 5.
func concurrentLWW() *register.LWW {
	r := register.NewLWW()
	r.Set(clock.Stamp{Time: 5, Replica: 1}, "a")
	r.Merge(register.NewLWW().Set(clock.Stamp{Time: 5, Replica: 2}, "b"))
	return r
}

// concurrentTTL returns the register of EXPIREAT 1000 ms at replica 1 ‖
// PERSIST at replica 2.
func concurrentTTL() *register.TTL {
	r := register.NewTTL()
	r.Expire(1, 1000)
	r.Merge(register.NewTTL().Persist(2))
	return r
}

// Golden wire vectors: a change to these bytes breaks replicas of older
// versions, and needs a new encoding version.
func TestEncodingGolden(t *testing.T) {
	const ctx = "08" + "4301" + "02" + "0101" + "0201" + "00" // {1:1 2:1}, no cloud
	tests := []struct {
		name string
		enc  func() ([]byte, error)
		want string
	}{
		{"empty LWW", func() ([]byte, error) { return register.NewLWW().AppendBinary(nil) }, "4c01" + "044301" + "0000" + "00"},
		{"LWW", func() ([]byte, error) { return concurrentLWW().AppendBinary(nil) }, "4c01" + ctx + "02" + "0101" + "05" + "0161" + "0201" + "05" + "0162"},
		{"empty TTL", func() ([]byte, error) { return register.NewTTL().AppendBinary(nil) }, "5401" + "044301" + "0000" + "00"},
		{"TTL", func() ([]byte, error) { return concurrentTTL().AppendBinary(nil) }, "5401" + ctx + "02" + "0101" + "00" + "d00f" + "0201" + "01" + "00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.enc()
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(b); got != tc.want {
				t.Fatalf("encoding = %s; want %s", got, tc.want)
			}
		})
	}
}

func TestEncodingRoundTrip(t *testing.T) {
	lww := concurrentLWW()
	lww.Clear(3)
	lww.Merge(register.NewLWW().Set(clock.Stamp{Time: 1 << 60, Replica: 9}, "\x00\xff binary"))
	ttl := concurrentTTL()
	ttl.Merge(register.NewTTL().Expire(9, -1<<62))

	prefix := []byte("prefix")
	b, _ := lww.AppendBinary(prefix)
	if string(b[:len(prefix)]) != "prefix" {
		t.Fatal("AppendBinary changed the bytes before it")
	}
	var gotLWW register.LWW
	if err := gotLWW.UnmarshalBinary(b[len(prefix):]); err != nil {
		t.Fatal(err)
	}
	if !gotLWW.Equal(lww) {
		t.Fatalf("decoded %v; want %v", &gotLWW, lww)
	}
	b, _ = ttl.AppendBinary(nil)
	var gotTTL register.TTL
	if err := gotTTL.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !gotTTL.Equal(ttl) {
		t.Fatalf("decoded %v; want %v", &gotTTL, ttl)
	}
}

// malformed builds an encoding with tag, the context holding dots, and the
// given entry bytes (hex) after an entry count of n.
func malformed(t *testing.T, tag string, dots []clock.Dot, n int, entries string) []byte {
	t.Helper()
	var ctx clock.CausalContext
	for _, d := range dots {
		ctx.Add(d)
	}
	c, _ := ctx.AppendBinary(nil)
	b := append([]byte(tag), 1, byte(len(c)))
	b = append(append(b, c...), byte(n))
	e, err := hex.DecodeString(entries)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, e...)
}

func TestDecodeMalformed(t *testing.T) {
	d11 := clock.Dot{Replica: 1, Seq: 1}
	d21 := clock.Dot{Replica: 2, Seq: 1}
	one := []clock.Dot{d11}
	two := []clock.Dot{d11, d21}
	tests := []struct {
		name string
		lww  bool // decode as LWW, else as TTL
		data []byte
		want string // in the error message
	}{
		{"empty", true, nil, "truncated header"},
		{"TTL tag read as LWW", true, malformed(t, "T", one, 0, ""), "wrong type tag"},
		{"LWW tag read as TTL", false, malformed(t, "L", one, 0, ""), "wrong type tag"},
		{"unknown version", true, []byte{'L', 2, 0, 0}, "unsupported version"},
		{"context longer than input", true, []byte{'L', 1, 9, 'C', 1}, "length exceeds input"},
		{"context malformed", true, []byte{'L', 1, 5, 'C', 1, 1, 0, 0, 0}, "lww register context: redcrdt: malformed encoding: version vector: zero entry"},
		{"count exceeds input", true, malformed(t, "L", one, 3, "0101000161"), "count exceeds input"},
		{"zero dot", true, malformed(t, "L", one, 1, "0100050161"), "zero dot"},
		{"dots descending", true, malformed(t, "L", two, 2, "0201050162"+"0101050161"), "dots not ascending"},
		{"dot repeated", true, malformed(t, "L", two, 2, "0101050161"+"0101050161"), "dots not ascending"},
		{"dot outside the context", true, malformed(t, "L", one, 1, "0102050161"), "dot outside the context"},
		{"truncated value", true, malformed(t, "L", one, 1, "01010505616263"), "length exceeds input"},
		{"non-minimal varint", true, malformed(t, "L", one, 1, "010185000161"), "non-minimal varint"},
		{"trailing bytes", true, malformed(t, "L", one, 1, "010105016100"), "trailing bytes"},
		{"bad persist flag", false, malformed(t, "T", one, 1, "01010200"), "bad bool"},
		{"persist with a deadline", false, malformed(t, "T", one, 1, "01010102"), "persist entry with a deadline"},
		{"TTL trailing bytes", false, malformed(t, "T", one, 1, "0101000200"), "trailing bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.lww {
				r := concurrentLWW()
				err = r.UnmarshalBinary(tc.data)
				if !r.Equal(concurrentLWW()) {
					t.Error("a failed decode changed the receiver")
				}
			} else {
				r := concurrentTTL()
				err = r.UnmarshalBinary(tc.data)
				if !r.Equal(concurrentTTL()) {
					t.Error("a failed decode changed the receiver")
				}
			}
			if !errors.Is(err, register.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}
