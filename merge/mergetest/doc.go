// Package mergetest checks the merge laws of a replicated type with
// property-based tests: every redcrdt type calls it from a short
// laws_test.go, and so can a user's own type.
//
// A Model tells the harness how to make an empty state, how to apply an
// operation as one replica at one hybrid time, and how to generate random
// operations (a gopter generator). Check then replays Cases random histories
// over Replicas replicas. A history is a list of steps, printed one per line
// in a failure report:
//
//	r2 op {Incr 5}   replica 2 applies an operation and records its delta
//	r1 <- r3         replica 1 merges a copy of replica 3's full state
//	r1 <- r3.2       replica 1 merges a copy of replica 3's second delta
//	tick +40ms       the shared wall clock moves forward
//
// A delivery ("r1 <- r3.2") is the op-based path: a replica merges
// individual deltas of another origin and then goes on applying operations
// to that state. Each origin's deltas reach a replica in the order the
// origin made them (per-origin FIFO, all replication promises), but the
// origins interleave arbitrarily, late, and with no causal order across
// origins: replica 1 may hold a DEL made by replica 3 without the increments
// replica 3 had received from replica 2 before it. "r1 <- r3.4" names
// replica 3's fourth delta: if replica 1 has received it already, it merges
// it again (a duplicate); otherwise it merges, in order, every delta of
// replica 3 it has not received up to the fourth (up to replica 3's last one
// if it has made fewer, as refused operations make no delta). A sync does
// not count as receiving: deltas a sync brought may still arrive afterwards,
// late. Delta numbers are those of LawError.Detail: "r3.2" is replica 3's
// second delta.
//
// Each replica keeps a hybrid logical clock over the shared wall clock: an
// operation's stamp is one past the replica's last reading or the current
// wall time, whichever is greater, and a merge observes the clock it came
// from: a sync the other replica's reading, a delivery the timestamp at
// which the delta was made. Operations on different replicas may therefore
// share a timestamp, and types must break such ties by replica ID.
//
// # Laws
//
// For every history Check verifies the laws below; a failure names one of
// them (the Law values), the seed that reproduces it, and the history
// gopter shrank to a minimal failing one.
//
//   - ChangedFlag: every Merge the harness performs reports changed exactly
//     when the receiver is no longer Equal to what it was.
//   - ArgumentUntouched: Merge leaves its argument's encoding as it was.
//   - RefusedOp: an operation Apply refuses leaves the state's encoding as
//     it was.
//   - DeltaIndependence: a delta Apply returned keeps its encoding while
//     later operations change the state (it shares no memory with it).
//   - Encoding: for every final state and every delta, decoding its
//     encoding into New() gives an Equal state that encodes to the same
//     bytes, and AppendBinary appends to the slice it is given.
//   - DeepClone: Clone returns an Equal state, merging into clones never
//     changes the original, and Merge keeps no reference into its argument.
//   - Idempotent: a ⊔ a is Equal to a (and Merge reports no change).
//   - Commutative: a ⊔ b and b ⊔ a are Equal and encode to the same bytes,
//     for every pair of final replica states and for sampled pairs of final
//     states and deltas.
//   - Associative: (a ⊔ b) ⊔ c and a ⊔ (b ⊔ c) are Equal and encode alike,
//     for triples of final states and sampled triples of states and deltas.
//   - DeltaEquivalence: New() merged with every delta, in production order,
//     is Equal to New() merged with every replica's final state; and op by
//     op, the state Apply leaves is Equal to the state before it merged with
//     the delta it returned (a replica that receives the delta sees exactly
//     what the op did, whatever the state it was applied to).
//   - Convergence: merging the deltas into New() in several random delivery
//     orders, with random duplicates (keeping each origin's order if
//     Model.FIFO is set), gives that same state and the same bytes.
//   - SyncConvergence: after a final round in which every replica merges
//     every other replica's state, all replicas hold that same state.
//   - ReadCheck: if Model.Check is set, it accepts New(), every replica's
//     state after every step, and the result of every merge the laws above
//     perform (joins of deltas and every prefix of a delivery order among
//     them). Check states invariants of the type's reads, which the laws
//     above, comparing states, cannot see: a set's Len equals
//     len(Members) and it Contains every member; a hash's Len equals
//     len(Keys) and every key reads; a counter only ever incremented never
//     reads negative; a state reads as its decoded encoding does (caches
//     agree with the state they summarize).
//   - NoPanic: nothing panics (the report carries the panic and its stack).
//
// # Use
//
// A type's laws_test.go holds one test:
//
//	func TestLaws(t *testing.T) {
//		mergetest.CheckLaws(t, mergetest.Model[*counter.Counter, counterOp]{
//			New:   counter.New,
//			Apply: applyCounterOp,
//			Op:    genCounterOp(),
//			Check: func(c *counter.Counter) error {
//				if c.String() != c.Value().String() {
//					return fmt.Errorf("String() = %s, Value() = %s", c, c.Value())
//				}
//				return nil
//			},
//		})
//	}
//
// A failure prints the seed; setting Model.Seed to it (with the same Cases,
// Replicas and MaxSteps) replays the same histories. Cost grows with
// Cases × MaxSteps × the cost of one Merge: with the defaults a simple type
// takes a fraction of a second.
package mergetest
