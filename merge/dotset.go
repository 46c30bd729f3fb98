package merge

import (
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// DotSet is a set of dots: the dot store of an add-wins flag or of one
// member of an observed-remove set. It is kept sorted; it is meant to be
// small (one dot per concurrent add), so its operations cost O(len).
// The zero value is empty.
type DotSet struct {
	dots []clock.Dot
}

// Len returns the number of dots.
func (s *DotSet) Len() int { return len(s.dots) }

// IsEmpty reports whether s holds no dot.
func (s *DotSet) IsEmpty() bool { return len(s.dots) == 0 }

// Contains reports whether d is in s.
func (s *DotSet) Contains(d clock.Dot) bool {
	_, ok := slices.BinarySearchFunc(s.dots, d, clock.Dot.Compare)
	return ok
}

// Add inserts d and reports whether it was new.
func (s *DotSet) Add(d clock.Dot) bool {
	i, ok := slices.BinarySearchFunc(s.dots, d, clock.Dot.Compare)
	if ok {
		return false
	}
	s.dots = slices.Insert(s.dots, i, d)
	return true
}

// All calls yield for each dot in ascending order.
func (s *DotSet) All(yield func(clock.Dot) bool) {
	for _, d := range s.dots {
		if !yield(d) {
			return
		}
	}
}

// Clone returns a copy of s.
func (s *DotSet) Clone() DotSet { return DotSet{dots: slices.Clone(s.dots)} }

// Equal reports whether s and o hold the same dots.
func (s *DotSet) Equal(o *DotSet) bool { return slices.Equal(s.dots, o.dots) }

// Join joins (o, octx) into (s, ctx) and reports whether s changed:
// s keeps the dots o also holds or octx has not seen, and gains the dots of
// o that ctx has not seen. The contexts are not modified; the caller merges
// octx into ctx after joining every store it covers. O(len(s) + len(o)).
func (s *DotSet) Join(ctx *clock.CausalContext, o *DotSet, octx *clock.CausalContext) bool {
	kept := s.dots[:0]
	for _, d := range s.dots {
		if o.Contains(d) || !octx.Contains(d) {
			kept = append(kept, d)
		}
	}
	changed := len(kept) != len(s.dots)
	clear(s.dots[len(kept):])
	s.dots = kept
	for _, d := range o.dots {
		if !ctx.Contains(d) && s.Add(d) {
			changed = true
		}
	}
	return changed
}
