package mergetest_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// Likes is a user's own replicated type: a grow-only counter holding each
// replica's total of likes, joined by pointwise maximum.
type Likes struct {
	per map[clock.ReplicaID]uint64
}

// Like adds n likes as replica r and returns the delta: r's new total.
func (l *Likes) Like(r clock.ReplicaID, n uint64) *Likes {
	if l.per == nil {
		l.per = make(map[clock.ReplicaID]uint64)
	}
	l.per[r] += n
	return &Likes{per: map[clock.ReplicaID]uint64{r: l.per[r]}}
}

func (l *Likes) Merge(o *Likes) bool {
	changed := false
	for r, n := range o.per {
		if n > l.per[r] {
			if l.per == nil {
				l.per = make(map[clock.ReplicaID]uint64)
			}
			l.per[r] = n
			changed = true
		}
	}
	return changed
}

func (l *Likes) Clone() *Likes       { return &Likes{per: maps.Clone(l.per)} }
func (l *Likes) Equal(o *Likes) bool { return maps.Equal(l.per, o.per) }
func (l *Likes) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendUvarint(b, uint64(len(l.per)))
	for _, r := range slices.Sorted(maps.Keys(l.per)) {
		b = wire.AppendUvarint(b, uint64(r))
		b = wire.AppendUvarint(b, l.per[r])
	}
	return b, nil
}

func (l *Likes) UnmarshalBinary(data []byte) error {
	rd := wire.NewReader(data)
	out := Likes{}
	n := rd.Count(2)
	var prev clock.ReplicaID
	for i := 0; i < n && rd.Err() == nil; i++ {
		r, v := clock.ReplicaID(rd.Uvarint()), rd.Uvarint()
		if v == 0 || (i > 0 && r <= prev) {
			rd.Fail("likes: not canonical")
		}
		prev = r
		if out.per == nil {
			out.per = make(map[clock.ReplicaID]uint64, n)
		}
		out.per[r] = v
	}
	if err := rd.Done("likes"); err != nil {
		return err
	}
	*l = out
	return nil
}

// A user checks their own type by describing it in a Model. In a test,
// mergetest.CheckLaws(t, model) does the same and fails the test.
func Example() {
	model := mergetest.Model[*Likes, uint64]{
		New: func() *Likes { return &Likes{} },
		Apply: func(s *Likes, at clock.Stamp, n uint64) (*Likes, error) {
			return s.Like(at.Replica, n), nil
		},
		Op:    gen.UInt64Range(1, 10),
		Cases: 200,
		Seed:  1,
	}
	fmt.Println("laws hold:", mergetest.Check(model) == nil)

	// A merge that adds the totals instead of taking the larger one counts
	// every like again each time states meet: Check names the law it breaks.
	broken := mergetest.Model[*Summed, uint64]{
		New: func() *Summed { return &Summed{} },
		Apply: func(s *Summed, at clock.Stamp, n uint64) (*Summed, error) {
			return &Summed{Likes: *s.Like(at.Replica, n)}, nil
		},
		Op:    gen.UInt64Range(1, 10),
		Cases: 200,
		Seed:  1,
	}
	var lawErr *mergetest.LawError
	if errors.As(mergetest.Check(broken), &lawErr) {
		fmt.Println("broken law:", lawErr.Law)
	}
	// Output:
	// laws hold: true
	// broken law: idempotent
}

// Summed is Likes with a broken Merge that adds totals.
type Summed struct{ Likes }

func (s *Summed) Merge(o *Summed) bool {
	for r, n := range o.per {
		s.Like(r, n)
	}
	return len(o.per) > 0
}

func (s *Summed) Clone() *Summed       { return &Summed{Likes: *s.Likes.Clone()} }
func (s *Summed) Equal(o *Summed) bool { return s.Likes.Equal(&o.Likes) }
