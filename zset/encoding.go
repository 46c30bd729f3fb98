package zset

import (
	"fmt"

	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/internal/dotwire"
	"github.com/redcrdt/redcrdt/internal/wire"
)

const (
	tag      = 'Z'
	version1 = 1

	// minMember is the fewest bytes a member's encoding takes: its
	// length, its dot count and the length of its counter, with at least
	// one byte of counter.
	minMember = 4
)

// AppendBinary appends the canonical encoding of s and never fails: a
// header, the causal context as a length-prefixed byte string, the delta
// flag, then the members in ascending byte order, each with its dots in
// ascending order and its score counter's encoding as a length-prefixed
// byte string. The index is not encoded. O(n log n).
func (s *Set) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, tag, version1)
	ctx, _ := s.ctx.AppendBinary(nil)
	b = wire.AppendUvarint(b, uint64(len(ctx)))
	b = append(b, ctx...)
	b = wire.AppendBool(b, s.members.IsDelta())
	keys := s.members.Keys()
	b = wire.AppendUvarint(b, uint64(len(keys)))
	var scratch []byte
	for _, m := range keys {
		e := s.get(m)
		b = wire.AppendString(b, m)
		b = dotwire.AppendDots(b, &e.dots)
		scratch = e.appendCounter(scratch[:0])
		b = wire.AppendUvarint(b, uint64(len(scratch)))
		b = append(b, scratch...)
	}
	return b, nil
}

// UnmarshalBinary replaces s with the set encoded in data and rebuilds the
// index of a full state. It returns an error wrapping merge.ErrMalformed,
// leaving s unchanged, unless data is a canonical encoding whose
// invariants hold: members ascending, dots ascending, non-zero and in the
// context, and every member holding a non-empty score counter (a member is
// written and removed together with its score). O(len(data) + n log n).
func (s *Set) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header(tag, version1, "zset")
	var out Set
	if ctx := r.Bytes(); r.Err() == nil {
		if err := out.ctx.UnmarshalBinary(ctx); err != nil {
			return fmt.Errorf("zset: context: %w", err)
		}
	}
	if r.Bool() {
		out.members.MarkDelta()
	}
	n := r.Count(minMember)
	prev := ""
	for i := 0; i < n && r.Err() == nil; i++ {
		m := r.String()
		if i > 0 && m <= prev {
			r.Fail("zset: members not ascending")
		}
		dots := dotwire.ReadDots(&r, &out.ctx, "zset")
		enc := r.Bytes()
		if r.Err() != nil {
			break
		}
		e := &entry{member: m, dots: dots}
		if l, ok := counter.ParseLone(enc); !ok || !e.setLone(l) {
			c := counter.New()
			if err := c.UnmarshalBinary(enc); err != nil {
				return fmt.Errorf("zset: score of a member: %w", err)
			}
			if c.IsEmpty() {
				r.Fail("zset: member without a score")
				break
			}
			e.setDecoded(c)
		}
		out.members.Set(m, slot{e})
		prev = m
	}
	if err := r.Done("zset"); err != nil {
		return err
	}
	if !out.members.IsDelta() {
		out.rebuildIndex()
	}
	*s = out
	return nil
}
