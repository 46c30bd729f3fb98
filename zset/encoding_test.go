package zset

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/merge"
)

// goldenSet is the state of TestGolden: A adds a 1.5, B increments b by 2,
// A adds c 3 and removes it.
func goldenSet(t testing.TB) *Set {
	s := New()
	zadd(t, s, stamp(1000, replicaA), "a", 1.5)
	zincr(t, s, stamp(1001, replicaB), "b", 2)
	zadd(t, s, stamp(1002, replicaA), "c", 3)
	s.Remove(replicaA, "c")
	return s
}

// TestGolden pins the wire encoding: changing it breaks replicas running
// the previous version.
func TestGolden(t *testing.T) {
	want := strings.Join([]string{
		"5a01",                    // tag 'Z', version 1
		"08" + "4301020102020100", // context: 8 bytes, {1:2 2:1}, no cloud
		"00",                      // a full state
		"03",                      // members
		"0161" + "01" + "0101" + // "a", dots {1.1}
			"1b" + "4e0106430101010100" + "0000" + "01" + "01018080a01f" + "01" + "000000000000f83f", // counter: SET 1.5 by A at 1000.0
		"0162" + "01" + "0201" + // "b", dots {2.1}
			"18" + "4e0106430101020100" + "01" + "0201" + "00" + "0000000000000040" + "01" + "00" + "00", // counter: B's total 2.0 in 1 float op
		"0163" + "00" + // "c", removed: no dots
			"0c" + "4e0106430101010200" + "000000", // counter: {1:2}, SET removed by A's reset
	}, "")
	s := goldenSet(t)
	got := encoded(t, s)
	if hex.EncodeToString(got) != want {
		t.Fatalf("encoding\n got %x\nwant %s", got, want)
	}
	var dec Set
	if err := dec.UnmarshalBinary(got); err != nil || !dec.Equal(s) {
		t.Fatalf("decoding the golden vector: err %v, equal %t", err, dec.Equal(s))
	}
	checkIndex(t, &dec)
	if score, ok := dec.Score("b"); !ok || score != 2 {
		t.Fatalf("decoded b = %v, %t", score, ok)
	}
}

// TestRoundTrip encodes and decodes full states and deltas of every kind.
func TestRoundTrip(t *testing.T) {
	s := goldenSet(t)
	d1, _, _ := s.Add(stamp(3000, replicaC), AddOptions{}, p("a", 7), p("z", -1))
	d2, _ := s.Remove(replicaB, "a", "b")
	d3, _ := s.PopMin(replicaA, 1)
	d4 := s.Clear(replicaC)
	for i, x := range []*Set{New(), newDelta(), goldenSet(t), d1, d2, d3, d4, s} {
		var y Set
		if err := y.UnmarshalBinary(encoded(t, x)); err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		if !y.Equal(x) || !bytes.Equal(encoded(t, &y), encoded(t, x)) {
			t.Fatalf("value %d does not survive encoding", i)
		}
		checkIndex(t, &y)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := encoded(t, goldenSet(t))
	tests := []struct {
		name string
		data string
		why  string // in the error
	}{
		{"empty", "", "truncated header"},
		{"wrong tag", "5b01" + hex.EncodeToString(good[2:]), "wrong type tag"},
		{"wrong version", "5a02" + hex.EncodeToString(good[2:]), "unsupported version"},
		{"truncated", hex.EncodeToString(good[:len(good)-1]), "length exceeds input"},
		{"trailing byte", hex.EncodeToString(good) + "00", "trailing bytes"},
		{"bad delta flag", "5a01" + "0443010000" + "02" + "00", "bad bool"},
		{"members not ascending", "5a01" + "06430101010100" + "00" + "02" +
			"0162" + "01" + "0101" + "0c4e0106430101010100000000" +
			"0161" + "00" + "0c4e0106430101010100000000", "members not ascending"},
		{"dot outside the context", "5a01" + "06430101010100" + "00" + "01" +
			"0161" + "01" + "0102" + "0c4e0106430101010200000000", "dot outside the context"},
		{"zero dot", "5a01" + "06430101010100" + "00" + "01" +
			"0161" + "01" + "0100" + "0c4e0106430101010100000000", "zero dot"},
		{"member without a score", "5a01" + "06430101010100" + "00" + "01" +
			"0161" + "01" + "0101" + "0a" + "4e01" + "0443010000" + "000000", "member without a score"},
		{"bad counter", "5a01" + "06430101010100" + "00" + "01" +
			"0161" + "01" + "0101" + "024e02", "score of a member"},
		{"count past the input", "5a01" + "0443010000" + "00" + "7f", "count exceeds input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := hex.DecodeString(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			s := goldenSet(t)
			before := encoded(t, s)
			if err := s.UnmarshalBinary(data); !errors.Is(err, merge.ErrMalformed) || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("error %v, want one wrapping ErrMalformed about %q", err, tt.why)
			}
			if !bytes.Equal(encoded(t, s), before) {
				t.Fatal("a failed decode changed the set")
			}
		})
	}
}
