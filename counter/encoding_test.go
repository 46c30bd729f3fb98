package counter_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
)

// goldenState is the state of TestGolden: A increments by 5, B by 0.5, A
// sets 10 at wall time 1000, B decrements by 3.
func goldenState(t *testing.T) *counter.Counter {
	t.Helper()
	c := counter.New()
	_, err1 := c.IncrBy(idA, 5)
	_, err2 := c.IncrByFloat(idB, 0.5)
	_, err3 := c.Set(at(1000, idA), counter.IntNumber(10))
	_, err4 := c.IncrBy(idB, -3)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGolden pins the wire encoding: changing it breaks replicas running
// the previous version.
func TestGolden(t *testing.T) {
	const want = "4e01" + // tag 'N', version 1
		"08" + "4301020102020200" + // context: 8 bytes, {1:2 2:2}, no cloud
		"02" + // totals
		"0101" + "0a" + "0000000000000000" + "00" + // A: seq 1, +5
		"0202" + "05" + "000000000000e03f" + "01" + // B: seq 2, -3, 0.5 in 1 float op
		"02" + // reset totals
		"0101" + "0a" + "0000000000000000" + "00" + // A as SET saw it
		"0201" + "00" + "000000000000e03f" + "01" + // B as SET saw it
		"01" + // bases
		"0102" + "8080a01f" + "00" + "14" // A.2 at 1000.0: integer 10
	c := goldenState(t)
	if c.String() != "7" {
		t.Fatalf("golden state reads %s, want 7", c)
	}
	got, err := c.AppendBinary(nil)
	if err != nil || hex.EncodeToString(got) != want {
		t.Fatalf("encoding\n got %x (err %v)\nwant %s", got, err, want)
	}
	var dec counter.Counter
	if err := dec.UnmarshalBinary(got); err != nil || !dec.Equal(c) || dec.String() != "7" {
		t.Fatalf("decoding the golden vector: err %v, equal %t, reads %s", err, dec.Equal(c), dec.String())
	}
}

// entry is one encoded total.
type entry struct {
	id, seq uint64
	n       int64
	f       float64
	ops     uint64
}

// encoding builds an encoding of a counter from its parts, valid or not.
func encoding(dots []clock.Dot, p, r []entry, bases ...[]byte) []byte {
	var ctx clock.CausalContext
	for _, d := range dots {
		ctx.Add(d)
	}
	cb, _ := ctx.AppendBinary(nil)
	b := wire.AppendHeader(nil, 'N', 1)
	b = wire.AppendString(b, string(cb))
	for _, m := range [][]entry{p, r} {
		b = wire.AppendUvarint(b, uint64(len(m)))
		for _, e := range m {
			b = wire.AppendUvarint(b, e.id)
			b = wire.AppendUvarint(b, e.seq)
			b = wire.AppendVarint(b, e.n)
			b = wire.AppendFloat(b, e.f)
			b = wire.AppendUvarint(b, e.ops)
		}
	}
	b = wire.AppendUvarint(b, uint64(len(bases)))
	for _, base := range bases {
		b = append(b, base...)
	}
	return b
}

// base encodes one SET base: dot, time, kind and value bytes.
func base(id, seq uint64, kind byte, value []byte) []byte {
	b := wire.AppendUvarint(nil, id)
	b = wire.AppendUvarint(b, seq)
	b = wire.AppendUvarint(b, 7)
	return append(append(b, kind), value...)
}

func dots(ds ...uint64) []clock.Dot {
	var out []clock.Dot
	for i := 0; i < len(ds); i += 2 {
		out = append(out, clock.Dot{Replica: clock.ReplicaID(ds[i]), Seq: ds[i+1]})
	}
	return out
}

// TestUnmarshalRejects checks that each broken invariant is refused with an
// error wrapping ErrMalformed and leaves the receiver as it was.
func TestUnmarshalRejects(t *testing.T) {
	valid := encoding(dots(1, 1, 2, 1), []entry{{id: 1, seq: 1, n: 5}}, []entry{{id: 3, seq: 4, n: 2}}, base(2, 1, 0, wire.AppendVarint(nil, 9)))
	var c counter.Counter
	// 9 (base) + 5 (replica 1); replica 3's reset has no newer total to cancel.
	if err := c.UnmarshalBinary(valid); err != nil || c.String() != "14" {
		t.Fatalf("valid encoding: err %v, reads %s, want 14", err, c.String())
	}
	empty := encoding(nil, nil, nil)
	negZero := wire.AppendFloat(nil, math.Copysign(0, -1))
	tests := []struct {
		name string
		in   []byte
		want string // in the error
	}{
		{"empty", nil, "truncated header"},
		{"wrong tag", append([]byte{'S'}, valid[1:]...), "wrong type tag"},
		{"unsupported version", append([]byte{'N', 2}, valid[2:]...), "unsupported version"},
		{"truncated", valid[:len(valid)-1], "count exceeds input"},
		{"trailing bytes", append(bytes.Clone(valid), 0), "trailing bytes"},
		{"context length past the end", []byte{'N', 1, 50, 'C', 1}, "length exceeds input"},
		{"malformed context", []byte{'N', 1, 3, 'C', 1, 1, 0, 0, 0}, "counter: context: "},
		{"total count past the end", append(slices.Clone(empty[:len(empty)-3]), 9, 0, 0), "count exceeds input"},
		{"totals not ascending", encoding(dots(1, 1, 2, 1), []entry{{id: 2, seq: 1}, {id: 1, seq: 1}}, nil), "replicas not ascending"},
		{"duplicate total", encoding(dots(1, 1), []entry{{id: 1, seq: 1}, {id: 1, seq: 1}}, nil), "replicas not ascending"},
		{"zero sequence number", encoding(nil, []entry{{id: 1, seq: 0}}, nil), "zero sequence number"},
		{"total's dot not in context", encoding(dots(1, 1), []entry{{id: 1, seq: 2}}, nil), "dot not in context"},
		{"NaN total", encoding(dots(1, 1), []entry{{id: 1, seq: 1, f: math.NaN(), ops: 1}}, nil), "canonical float"},
		{"infinite reset total", encoding(nil, nil, []entry{{id: 1, seq: 1, f: math.Inf(-1), ops: 1}}), "canonical float"},
		{"-0 total", encoding(dots(1, 1), []entry{{id: 1, seq: 1, f: math.Copysign(0, -1), ops: 1}}, nil), "canonical float"},
		{"float total without float increments", encoding(dots(1, 1), []entry{{id: 1, seq: 1, f: 0.5}}, nil), "without float increments"},
		{"reset totals not ascending", encoding(nil, nil, []entry{{id: 2, seq: 1}, {id: 2, seq: 3}}), "replicas not ascending"},
		{"bad base kind", encoding(dots(1, 1), nil, nil, base(1, 1, 2, []byte{0})), "bad base kind"},
		{"base's dot not in context", encoding(dots(1, 1), nil, nil, base(1, 2, 0, []byte{0})), "base's dot not in context"},
		{"zero base sequence number", encoding(dots(1, 1), nil, nil, base(1, 0, 0, []byte{0})), "zero base sequence number"},
		{"bases not ascending", encoding(dots(1, 2), nil, nil, base(1, 2, 0, []byte{0}), base(1, 1, 0, []byte{0})), "bases not ascending"},
		{"NaN base", encoding(dots(1, 1), nil, nil, base(1, 1, 1, wire.AppendFloat(nil, math.NaN()))), "base not a canonical float"},
		{"-0 base", encoding(dots(1, 1), nil, nil, base(1, 1, 1, negZero)), "base not a canonical float"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Clone()
			err := got.UnmarshalBinary(tt.in)
			if !errors.Is(err, merge.ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error wrapping ErrMalformed with %q", err, tt.want)
			}
			if !got.Equal(&c) {
				t.Errorf("a refused decode changed the receiver")
			}
		})
	}
}

// FuzzDecodeCounter checks that decoding never panics, and that whatever
// decodes was the canonical encoding of its state, decodes again to an
// Equal state, reads, and merges into an empty counter as itself; and that
// ParseLone accepts exactly the encodings of non-empty counters of Lone
// shape, as that counter.
func FuzzDecodeCounter(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var c counter.Counter
		l, lone := counter.ParseLone(data)
		if err := c.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, merge.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			if lone {
				t.Fatalf("ParseLone accepted what UnmarshalBinary refuses (%v): %x", err, data)
			}
			return
		}
		if back, ok := c.Lone(); lone != (ok && back.Seq != 0) || (lone && (back != l || !l.Counter().Equal(&c))) {
			t.Fatalf("ParseLone = %+v, %t; the decoded counter's Lone() = %+v, %t", l, lone, back, ok)
		}
		enc, err := c.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, data) {
			t.Fatalf("decoder accepted a non-canonical encoding\n  input %x\n  canonical %x", data, enc)
		}
		var d counter.Counter
		if err := d.UnmarshalBinary(enc); err != nil || !d.Equal(&c) {
			t.Fatalf("re-encoding %x does not decode to an Equal state: %v", enc, err)
		}
		if again, _ := d.AppendBinary(nil); !bytes.Equal(again, enc) {
			t.Fatalf("encoding is not stable: %x then %x", enc, again)
		}
		_ = c.String()
		m := counter.New()
		m.Merge(&c)
		if !m.Equal(&c) || m.String() != c.String() {
			t.Fatalf("New() ⊔ state is not the state")
		}
	})
}
