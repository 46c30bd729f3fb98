package merge

import (
	"slices"

	"github.com/redcrdt/redcrdt/clock"
)

// DotSet is a set of dots: the dot store of an add-wins flag or of one
// member of an observed-remove set. It holds one dot inline and keeps any
// further ones (left by concurrent adds) behind a pointer, so the common
// single-dot set takes 24 bytes and no allocation of its own. It is meant to
// be small: operations cost O(len). The zero value is empty.
type DotSet struct {
	one  clock.Dot    // the least dot; Seq 0 when the set is empty
	more *[]clock.Dot // the other dots, ascending; nil when there are none
}

// Len returns the number of dots.
func (s *DotSet) Len() int {
	switch {
	case s.one.Seq == 0:
		return 0
	case s.more == nil:
		return 1
	}
	return 1 + len(*s.more)
}

// IsEmpty reports whether s holds no dot.
func (s *DotSet) IsEmpty() bool { return s.one.Seq == 0 }

// Contains reports whether d is in s.
func (s *DotSet) Contains(d clock.Dot) bool {
	if s.one == d && d.Seq != 0 {
		return true
	}
	if s.more == nil {
		return false
	}
	_, ok := slices.BinarySearchFunc(*s.more, d, clock.Dot.Compare)
	return ok
}

// Add inserts d and reports whether it was new. A dot with Seq 0 is ignored.
func (s *DotSet) Add(d clock.Dot) bool {
	if d.Seq == 0 || s.Contains(d) {
		return false
	}
	if s.one.Seq == 0 {
		s.one = d
		return true
	}
	var buf [4]clock.Dot
	dots := s.appendTo(buf[:0])
	i, _ := slices.BinarySearchFunc(dots, d, clock.Dot.Compare)
	s.set(slices.Insert(dots, i, d))
	return true
}

// All calls yield for each dot in ascending order.
func (s *DotSet) All(yield func(clock.Dot) bool) {
	if s.one.Seq == 0 || !yield(s.one) || s.more == nil {
		return
	}
	for _, d := range *s.more {
		if !yield(d) {
			return
		}
	}
}

// Clone returns a copy of s.
func (s *DotSet) Clone() DotSet {
	out := DotSet{one: s.one}
	if s.more != nil {
		more := slices.Clone(*s.more)
		out.more = &more
	}
	return out
}

// Equal reports whether s and o hold the same dots.
func (s *DotSet) Equal(o *DotSet) bool {
	if s.one != o.one || (s.more == nil) != (o.more == nil) {
		return false
	}
	return s.more == nil || slices.Equal(*s.more, *o.more)
}

// Join joins (o, octx) into (s, ctx) and reports whether s changed:
// s keeps the dots o also holds or octx has not seen, and gains the dots of
// o that ctx has not seen. The contexts are not modified; the caller merges
// octx into ctx after joining every store it covers. O(len(s) + len(o)),
// without allocating when both sets hold at most one dot.
func (s *DotSet) Join(ctx *clock.CausalContext, o *DotSet, octx *clock.CausalContext) bool {
	if s.more == nil && o.more == nil {
		return s.joinSingle(ctx, o.one, octx)
	}
	var buf [8]clock.Dot
	out := buf[:0]
	changed := false
	for d := range s.All {
		if o.Contains(d) || !octx.Contains(d) {
			out = append(out, d)
		} else {
			changed = true
		}
	}
	for d := range o.All {
		if !ctx.Contains(d) && !s.Contains(d) {
			out = append(out, d)
			changed = true
		}
	}
	if changed {
		slices.SortFunc(out, clock.Dot.Compare)
		s.set(out)
	}
	return changed
}

// joinSingle is Join for sets of at most one dot each (od.Seq 0: o empty).
func (s *DotSet) joinSingle(ctx *clock.CausalContext, od clock.Dot, octx *clock.CausalContext) bool {
	mine := s.one
	switch {
	case mine == od:
		return false
	case mine.Seq != 0 && octx.Contains(mine):
		// SUBTLE: o has seen our dot and dropped it; o's own dot, if any,
		// still joins unless we have seen (and dropped) it.
		s.one = clock.Dot{}
		if od.Seq != 0 && !ctx.Contains(od) {
			s.one = od
		}
		return true
	case od.Seq == 0 || ctx.Contains(od):
		return false
	case mine.Seq == 0:
		s.one = od
		return true
	}
	if od.Compare(mine) < 0 {
		mine, od = od, mine
	}
	s.set([]clock.Dot{mine, od})
	return true
}

// appendTo appends the dots of s to b in ascending order.
func (s *DotSet) appendTo(b []clock.Dot) []clock.Dot {
	for d := range s.All {
		b = append(b, d)
	}
	return b
}

// set replaces the contents of s with dots, which must be ascending.
func (s *DotSet) set(dots []clock.Dot) {
	switch len(dots) {
	case 0:
		*s = DotSet{}
	case 1:
		*s = DotSet{one: dots[0]}
	default:
		more := slices.Clone(dots[1:])
		*s = DotSet{one: dots[0], more: &more}
	}
}

// ObservedWrite performs the dot-store part of an add-wins write by replica
// id over a key whose dots are old: it takes a fresh dot from ctx (adding it
// there), puts that dot and every dot of old (which the write removes, having
// observed them) into deltaCtx, and returns the key's new dot set, holding
// the fresh dot alone. O(len(old)).
func ObservedWrite(ctx, deltaCtx *clock.CausalContext, old *DotSet, id clock.ReplicaID) DotSet {
	for d := range old.All {
		deltaCtx.Add(d)
	}
	dot := ctx.Next(id)
	ctx.Add(dot)
	deltaCtx.Add(dot)
	return DotSet{one: dot}
}
