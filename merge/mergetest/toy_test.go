package mergetest_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/wire"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// toy is a grow-only counter (a count per replica, joined by pointwise
// maximum) beside a last-writer-wins label: a correct CRDT, unless flaw
// breaks one of its methods on purpose to show that Check notices.
type toy struct {
	flaw   flaw
	counts map[clock.ReplicaID]uint64
	total  uint64 // the sum of counts, kept up to date for Total
	label  string
	at     clock.Stamp // the label's write; zero while the label is unset
}

// flaw is the deliberate mistake a toy makes.
type flaw int

const (
	sound          flaw = iota
	addingMerge         // Merge adds counts instead of taking the maximum
	lastMergedWins      // Merge takes the argument's label whatever its stamp
	dropsLabel          // UnmarshalBinary forgets the label
	mutatesArg          // Merge also raises the argument's counts
	alwaysChanged       // Merge always reports a change
	refusalMutates      // a refused op still writes the label
	lossyDelta          // an increment's delta is empty
	shallowClone        // Clone shares the counts map
	panicsOnSeven       // Apply panics on INCRBY 7
	aliasedDelta        // an increment's delta shares the counts map
	keepsRef            // Merge into a state without counts adopts the argument's map
	staleTotal          // Merge does not update the total Total reads
	forgetfulIncr       // an increment also forgets the label, which its delta does not say
)

var errZero = errors.New("toy: increment by zero")

func newToy(f flaw) func() *toy { return func() *toy { return &toy{flaw: f} } }

// toyOp is INCRBY n (n > 0; 0 is refused) or SET label.
type toyOp struct {
	Incr  uint64
	Label string
}

func (o toyOp) String() string {
	if o.Label != "" {
		return "SET " + o.Label
	}
	return fmt.Sprintf("INCRBY %d", o.Incr)
}

func genToyOp() gopter.Gen {
	return gen.OneGenOf(
		gen.UInt64Range(0, 9).Map(func(n uint64) toyOp { return toyOp{Incr: n} }),
		gen.OneConstOf("a", "b", "c").Map(func(s string) toyOp { return toyOp{Label: s} }),
	)
}

func applyToy(s *toy, at clock.Stamp, op toyOp) (*toy, error) {
	d := &toy{flaw: s.flaw}
	switch {
	case op.Label != "":
		s.label, s.at = op.Label, at
		d.label, d.at = op.Label, at
	case op.Incr == 0:
		if s.flaw == refusalMutates {
			s.label, s.at = "refused", at
		}
		return nil, errZero
	case op.Incr == 7 && s.flaw == panicsOnSeven:
		panic("toy: seven")
	default:
		if s.counts == nil {
			s.counts = make(map[clock.ReplicaID]uint64)
		}
		s.counts[at.Replica] += op.Incr
		s.total += op.Incr
		if s.flaw == forgetfulIncr {
			s.label, s.at = "", clock.Stamp{}
		}
		switch s.flaw {
		case lossyDelta:
		case aliasedDelta:
			d.counts, d.total = s.counts, s.total
		default:
			d.counts, d.total = map[clock.ReplicaID]uint64{at.Replica: s.counts[at.Replica]}, s.counts[at.Replica]
		}
	}
	return d, nil
}

func (s *toy) Merge(o *toy) bool {
	changed := false
	if s.flaw == keepsRef && s.counts == nil && len(o.counts) > 0 {
		s.counts, s.total = o.counts, o.total
		changed = true
	}
	for r, n := range o.counts {
		cur := s.counts[r]
		next := max(cur, n)
		if s.flaw == addingMerge {
			next = cur + n
		}
		if next != cur {
			if s.counts == nil {
				s.counts = make(map[clock.ReplicaID]uint64)
			}
			s.counts[r] = next
			if s.flaw != staleTotal {
				s.total += next - cur
			}
			changed = true
		}
	}
	if s.flaw == mutatesArg {
		if o.counts == nil {
			o.counts = make(map[clock.ReplicaID]uint64)
		}
		for r, n := range s.counts {
			o.counts[r] = max(o.counts[r], n)
		}
	}
	if s.at.Less(o.at) || (s.flaw == lastMergedWins && s.at != o.at) {
		s.label, s.at = o.label, o.at
		changed = true
	}
	return changed || s.flaw == alwaysChanged
}

func (s *toy) Clone() *toy {
	out := *s
	if s.flaw != shallowClone {
		out.counts = maps.Clone(s.counts)
	}
	return &out
}

// Total returns the sum of the counts.
func (s *toy) Total() uint64 { return s.total }

// checkTotal is the toy's Model.Check: Total reads the sum of the counts.
func checkTotal(s *toy) error {
	var sum uint64
	for _, n := range s.counts {
		sum += n
	}
	if s.Total() != sum {
		return fmt.Errorf("Total() = %d, but the counts add up to %d", s.Total(), sum)
	}
	return nil
}

func (s *toy) Equal(o *toy) bool {
	return maps.Equal(s.counts, o.counts) && s.label == o.label && s.at == o.at
}

func (s *toy) AppendBinary(b []byte) ([]byte, error) {
	b = wire.AppendHeader(b, 'T', 1)
	b = wire.AppendUvarint(b, uint64(len(s.counts)))
	for _, r := range slices.Sorted(maps.Keys(s.counts)) {
		b = wire.AppendUvarint(b, uint64(r))
		b = wire.AppendUvarint(b, s.counts[r])
	}
	b = wire.AppendString(b, s.label)
	b = wire.AppendUvarint(b, uint64(s.at.Time))
	return wire.AppendUvarint(b, uint64(s.at.Replica)), nil
}

func (s *toy) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	r.Header('T', 1, "toy")
	out := toy{flaw: s.flaw}
	n := r.Count(2)
	var prev clock.ReplicaID
	for i := 0; i < n && r.Err() == nil; i++ {
		id, v := clock.ReplicaID(r.Uvarint()), r.Uvarint()
		if (i > 0 && id <= prev) || v == 0 {
			r.Fail("toy: counts not canonical")
		}
		if out.counts == nil {
			out.counts = make(map[clock.ReplicaID]uint64, n)
		}
		out.counts[id], prev = v, id
		out.total += v
	}
	label := r.String()
	out.at = clock.Stamp{Time: clock.Timestamp(r.Uvarint()), Replica: clock.ReplicaID(r.Uvarint())}
	if s.flaw != dropsLabel {
		out.label = label
	}
	if err := r.Done("toy"); err != nil {
		return err
	}
	*s = out
	return nil
}

// toyModel returns the Model of a toy with flaw f, with a fixed seed and
// few cases to keep the tests fast.
func toyModel(f flaw) mergetest.Model[*toy, toyOp] {
	return mergetest.Model[*toy, toyOp]{
		New:   newToy(f),
		Apply: applyToy,
		Op:    genToyOp(),
		Check: checkTotal,
		Cases: 150,
		Seed:  42,
	}
}
