// Package orset is the add-wins observed-remove set of Redis Active-Active
// sets (SADD, SREM, DEL): a member added concurrently with its removal
// survives, and a removal removes only the adds it has seen.
//
// A Set keeps no tombstones: each member carries the dots of the adds that
// made it present, and a removal leaves only its dots in the causal context.
// It is built on the merge kernel's DotMap, so merging a delta that touches k
// members costs O(k) map operations whatever the size of the set.
package orset

import (
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/dotwire"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge"
)

// members is the dot store of a set: member → the dots that added it.
type members = merge.DotMap[string, merge.DotSet, *merge.DotSet]

// Set is an add-wins observed-remove set of binary-safe strings.
//
// A Set is a full state or a delta (the value a mutator returns); both merge
// the same way. The zero Set is empty and ready to use. Reads of a Set may
// run concurrently; a write must not run concurrently with anything.
type Set struct {
	ctx     clock.CausalContext
	members members
}

var _ merge.State[*Set] = (*Set)(nil)

// New returns an empty set.
func New() *Set { return &Set{} }

// newDelta returns an empty delta.
func newDelta() *Set {
	d := &Set{}
	d.members.MarkDelta()
	return d
}

// Add adds members as replica id (SADD) and returns the delta and the number
// of members that were not present before. Every member, present or not,
// gets a fresh dot that replaces the dots this replica has seen, so the add
// wins over any concurrent removal. O(k) for k members.
func (s *Set) Add(id clock.ReplicaID, members ...string) (delta *Set, added int) {
	delta = newDelta()
	for _, m := range members {
		old, present := s.members.Get(m)
		if !present {
			added++
		}
		dots := merge.ObservedWrite(&s.ctx, &delta.ctx, &old, id)
		s.members.Set(m, dots)
		delta.members.Set(m, dots)
	}
	return delta, added
}

// Remove removes members (SREM) and returns the delta and the number of
// members that were present. Only the adds this replica has seen
// are removed: a concurrent add survives. O(k) for k members.
func (s *Set) Remove(members ...string) (delta *Set, removed int) {
	delta = newDelta()
	for _, m := range members {
		old, present := s.members.Get(m)
		if !present || old.IsEmpty() {
			continue
		}
		removed++
		for d := range old.All {
			delta.ctx.Add(d)
		}
		s.members.Delete(m)
		delta.members.Set(m, merge.DotSet{})
	}
	return delta, removed
}

// Clear removes every member this replica has seen (DEL of the key) and
// returns the delta: the set's causal context with no members, which removes
// on merge exactly the adds it covers. O(n).
func (s *Set) Clear() *Set {
	delta := &Set{ctx: s.ctx.Clone()}
	s.members = members{}
	return delta
}

// Contains reports whether member is in the set (SISMEMBER). O(1).
func (s *Set) Contains(member string) bool {
	dots, ok := s.members.Get(member)
	return ok && !dots.IsEmpty()
}

// Len returns the number of members (SCARD). O(1) for a full state; a delta
// counts only the members it adds.
func (s *Set) Len() int {
	if !s.members.IsDelta() {
		return s.members.Len()
	}
	n := 0
	for _, dots := range s.members.All {
		if !dots.IsEmpty() {
			n++
		}
	}
	return n
}

// All returns an iterator over the members in no particular order. The set
// must not be modified during iteration.
func (s *Set) All() iter.Seq[string] {
	return func(yield func(string) bool) {
		for m, dots := range s.members.All {
			if !dots.IsEmpty() && !yield(m) {
				return
			}
		}
	}
}

// Members returns the members in ascending byte order (SMEMBERS, made
// deterministic). O(n log n).
func (s *Set) Members() []string { return slices.Sorted(s.All()) }

// Any returns an arbitrary member, or ("", false) if the set is empty; the
// choice follows Go's randomized map iteration and is not uniform. It
// serves SPOP and SRANDMEMBER. O(1) expected.
func (s *Set) Any() (string, bool) {
	for m := range s.All() {
		return m, true
	}
	return "", false
}

// Merge joins other into s and reports whether s changed. Merging a delta
// of k members costs O(k); merging a full state of n members O(n + len(s)).
func (s *Set) Merge(other *Set) bool {
	changed := s.members.Join(&s.ctx, &other.members, &other.ctx)
	if s.ctx.Merge(&other.ctx) {
		changed = true
	}
	return changed
}

// Clone returns a deep copy of s. O(n).
func (s *Set) Clone() *Set { return &Set{ctx: s.ctx.Clone(), members: s.members.Clone()} }

// Equal reports whether s and o are the same state: same members with the
// same dots, same causal context, both deltas or both full states.
func (s *Set) Equal(o *Set) bool { return s.ctx.Equal(&o.ctx) && s.members.Equal(&o.members) }

// Context returns a copy of the set's causal context.
func (s *Set) Context() clock.CausalContext { return s.ctx.Clone() }

// Inter returns the members present in every set, ascending (SINTER). A nil
// set is empty, as a missing key is in Redis; an empty argument list gives
// nil. O(n·k) for the smallest set's n members.
func Inter(sets ...*Set) []string {
	if len(sets) == 0 || slices.Contains(sets, nil) {
		return nil
	}
	smallest := slices.MinFunc(sets, func(a, b *Set) int { return a.Len() - b.Len() })
	var out []string
next:
	for m := range smallest.All() {
		for _, s := range sets {
			if !s.Contains(m) {
				continue next
			}
		}
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// Union returns the members present in any set, ascending (SUNION). A nil
// set is empty. O(N log N) for N members in all.
func Union(sets ...*Set) []string {
	seen := make(map[string]struct{})
	for _, s := range sets {
		if s == nil {
			continue
		}
		for m := range s.All() {
			seen[m] = struct{}{}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Diff returns the members of first present in none of others, ascending
// (SDIFF). A nil set is empty. O(n·k).
func Diff(first *Set, others ...*Set) []string {
	if first == nil {
		return nil
	}
	var out []string
next:
	for m := range first.All() {
		for _, s := range others {
			if s != nil && s.Contains(m) {
				continue next
			}
		}
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

const (
	tag      = 'S'
	version1 = 1
)

// AppendBinary appends the canonical encoding of s: context, delta flag,
// then members in ascending order with their dots. It never fails.
func (s *Set) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, tag, version1)
	ctx, _ := s.ctx.AppendBinary(nil)
	b = wire.AppendString(b, string(ctx))
	b = wire.AppendBool(b, s.members.IsDelta())
	keys := s.members.Keys()
	b = wire.AppendUvarint(b, uint64(len(keys)))
	for _, m := range keys {
		dots, _ := s.members.Get(m)
		b = wire.AppendString(b, m)
		b = dotwire.AppendDots(b, &dots)
	}
	return b, nil
}

// UnmarshalBinary replaces s with the set encoded in data. It returns an
// error wrapping merge.ErrMalformed unless data is a canonical encoding
// whose every dot lies in its context.
func (s *Set) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(tag, version1, "orset")
	var out Set
	if err := out.ctx.UnmarshalBinary(r.Bytes()); err != nil && r.Err() == nil {
		return fmt.Errorf("orset: context: %w", err)
	}
	if r.Bool() {
		out.members.MarkDelta()
	}
	n := r.Count(2)
	prev := ""
	for i := 0; i < n && r.Err() == nil; i++ {
		m := r.String()
		if i > 0 && m <= prev {
			r.Fail("orset: members not ascending")
		}
		dots := dotwire.ReadDots(&r, &out.ctx, "orset")
		if dots.IsEmpty() && !out.members.IsDelta() {
			r.Fail("orset: member without dots in a full state")
		}
		if r.Err() == nil {
			out.members.Set(m, dots)
			prev = m
		}
	}
	if err := r.Done("orset"); err != nil {
		return err
	}
	*s = out
	return nil
}
