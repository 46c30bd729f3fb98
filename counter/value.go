package counter

import (
	"math"
	"strconv"

	"github.com/redcrdt/redcrdt/clock"
)

// Number is a counter value: an int64, or a float64 when IsFloat is set.
// The field not in use is zero.
type Number struct {
	Int     int64
	Float   float64
	IsFloat bool
}

// IntNumber returns the integer Number n.
func IntNumber(n int64) Number { return Number{Int: n} }

// FloatNumber returns the float Number f.
func FloatNumber(f float64) Number { return Number{Float: f, IsFloat: true} }

// ParseNumber returns the Number a Redis string counter holds for s, and
// false if s is not numeric (so SET stores it as a plain string). s is an
// integer if Redis would accept it for INCRBY: decimal digits with an
// optional '-', no leading zeros, no '+', no spaces, within int64. Otherwise
// it is a float if it parses as one (strconv.ParseFloat syntax) to a finite
// value, as INCRBYFLOAT would accept it: "3.0", "1e3", "01" and
// "99999999999999999999" are floats.
//
// It does not allocate: strings that cannot be numbers (most strings a hash
// stores) are told apart before strconv, whose errors allocate.
func ParseNumber(s string) (Number, bool) {
	digits, other := scanNumber(s)
	if !digits {
		return Number{}, false
	}
	if !other {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			var buf [20]byte
			if string(strconv.AppendInt(buf[:0], n, 10)) == s {
				return IntNumber(n), true
			}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return Number{}, false
	}
	n, _ := FloatNumber(f).canonical()
	return n, true
}

// scanNumber reports whether s has a decimal digit, which every finite
// number strconv.ParseFloat accepts has, and whether it has anything but
// digits and a leading '-' (then it is no integer ParseNumber accepts). A
// byte no finite number can hold makes digits false.
func scanNumber(s string) (digits, other bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits = true
		case c == '-' && i == 0:
		case c == '+' || c == '-' || c == '.' || c == '_' || c == 'x' || c == 'X' ||
			c == 'p' || c == 'P' || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F'):
			other = true
		default:
			return false, true
		}
	}
	return digits, other
}

// String formats n as Redis replies: an integer in decimal, a float as
// INCRBYFLOAT stores it, in fixed-point notation with no exponent and no
// trailing zeros ("10.5", "3", "5200").
func (n Number) String() string {
	if !n.IsFloat {
		return strconv.FormatInt(n.Int, 10)
	}
	f := n.Float
	if f == 0 {
		f = 0 // Redis writes a lone −0 as 0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// canonical returns n with the unused field zeroed and −0 made +0, and
// false if n is a NaN or infinite float.
func (n Number) canonical() (Number, bool) {
	if !n.IsFloat {
		return Number{Int: n.Int}, true
	}
	if math.IsNaN(n.Float) || math.IsInf(n.Float, 0) {
		return Number{}, false
	}
	if n.Float == 0 {
		return Number{IsFloat: true}, true
	}
	return Number{Float: n.Float, IsFloat: true}, true
}

// Value returns the counter's value (GET): the greatest-stamped SET base,
// or 0, plus every replica's increments not cancelled by a reset. It is a
// float if the base is a float or a float increment is not cancelled.
// O(f + b) for f replicas that made float increments and b bases; O(b) for
// an integer.
func (c *Counter) Value() Number {
	v := c.view()
	if v.isFloat() {
		return FloatNumber(v.floatValue(0, nil))
	}
	return IntNumber(v.intValue())
}

// IsFloat reports whether the value is a float: the winning SET base is a
// float, or a float increment has not been cancelled by a reset. O(b).
func (c *Counter) IsFloat() bool { return c.view().isFloat() }

// Int returns the value as an int64. If the value is a float, Int returns it
// truncated toward zero and clamped to the int64 range (0 for NaN). O(b) for
// an integer value; see Value for a float.
func (c *Counter) Int() int64 {
	v := c.view()
	if !v.isFloat() {
		return v.intValue()
	}
	f := v.floatValue(0, nil)
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64: // 2⁶³, the first float past the range
		return math.MaxInt64
	case f < math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// Float returns the value as a float64: an integer value converted, a float
// value summed in ascending replica order, so that every replica holding
// the same state reads the same bits. See Value for the cost.
func (c *Counter) Float() float64 { return c.view().floatValue(0, nil) }

// String formats the value as Redis's GET returns it after an increment
// (see Number.String).
func (c *Counter) String() string { return c.Value().String() }

// isFloat reports whether the value is a float.
func (s *state) isFloat() bool {
	if s.floatLive > 0 {
		return true
	}
	b, ok := s.winner()
	return ok && b.Value.IsFloat
}

// intValue returns the integer value: the base's integer part plus the
// integer totals, wrapping.
func (s *state) intValue() int64 {
	b, _ := s.winner()
	return b.Value.Int + s.intSum
}

// floatValue returns the value as a float, as if p[over] were *overP when
// overP is not nil: the base, plus the integer totals, plus each replica's
// float total in ascending replica order.
func (s *state) floatValue(over clock.ReplicaID, overP *contribution) float64 {
	intSum := s.intSum
	done := overP == nil // whether over's float term has been added
	if !done {
		intSum += intTerm(*overP, s.r[over]) - intTerm(s.p[over], s.r[over])
	}
	b, _ := s.winner()
	v := float64(b.Value.Int + intSum)
	if b.Value.IsFloat {
		v = b.Value.Float + float64(intSum)
	}
	for _, id := range s.floatIDs {
		if !done && over <= id {
			if over < id {
				v += floatTerm(*overP, s.r[over])
			}
			done = true
		}
		pc := s.p[id]
		if overP != nil && id == over {
			pc = *overP
		}
		v += floatTerm(pc, s.r[id])
	}
	if !done {
		v += floatTerm(*overP, s.r[over])
	}
	return v
}

// winner returns the SET base with the greatest stamp (time, then writing
// replica, then sequence number), and false if there is none. O(b).
func (s *state) winner() (baseValue, bool) {
	var best baseValue
	var bestDot clock.Dot
	found := false
	for d, b := range s.base.All {
		if found {
			if t := b.Time; t < best.Time || (t == best.Time && d.Compare(bestDot) < 0) {
				continue
			}
		}
		best, bestDot, found = b, d, true
	}
	return best, found
}
