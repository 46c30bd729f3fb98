package counter_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/redcrdt/redcrdt/counter"
)

// parseNumberRef is ParseNumber written straight on strconv: the
// definition the fast one must match.
func parseNumberRef(s string) (counter.Number, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(n, 10) == s {
		return counter.IntNumber(n), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return counter.Number{}, false
	}
	if f == 0 {
		f = 0 // −0 is stored as +0
	}
	return counter.FloatNumber(f), true
}

// TestParseNumberMatchesStrconv compares ParseNumber with its definition
// on random strings over the bytes numbers are made of, and some others.
func TestParseNumberMatchesStrconv(t *testing.T) {
	const alphabet = "0123456789+-._eExXpPabcdfABCDFinNtyv "
	rng := rand.New(rand.NewPCG(4, 4))
	for range 300_000 {
		b := make([]byte, rng.IntN(9))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		got, gotOK := counter.ParseNumber(s)
		want, wantOK := parseNumberRef(s)
		if gotOK != wantOK || got != want {
			t.Fatalf("ParseNumber(%q) = %v, %v; want %v, %v", s, got, gotOK, want, wantOK)
		}
	}
}

// TestParseNumberAllocs checks that telling numbers from other strings
// allocates nothing, so HSET of a plain string pays no strconv error.
func TestParseNumberAllocs(t *testing.T) {
	for _, s := range []string{"v", "hello world", "42", "-7", "3.25", "1e3", "9223372036854775807"} {
		if n := testing.AllocsPerRun(100, func() { counter.ParseNumber(s) }); n != 0 {
			t.Errorf("ParseNumber(%q) allocates %v times", s, n)
		}
	}
}
