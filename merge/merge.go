// Package merge states the contract every redcrdt type meets and holds the
// dot-store kernel the container types share.
//
// # The contract
//
// A replicated type is a join-semilattice: a state, and a Merge that joins
// another state into it. For all states a, b, c of one type:
//
//	a ⊔ b = b ⊔ a               (commutative)
//	(a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)   (associative)
//	a ⊔ a = a                   (idempotent)
//
// so replicas that have merged the same states hold equal states, whatever
// the order, grouping or repetition of delivery. Mutators apply locally and
// return a delta: a small state of the same type holding only the change.
// Merging a delta, a group of merged deltas or a full state is one
// operation, so a delta may be shipped as an operation (op-based) or folded
// into a state (state-based); deltas may arrive duplicated and reordered.
// Package mergetest checks these laws for any type.
//
// # The kernel
//
// The container types (sets, maps, registers with observed removes) are
// causal CRDTs (Almeida, Shoker and Baquero, "Delta State Replicated Data
// Types", 2018): a dot store paired with a clock.CausalContext. A dot that
// the context holds but the store does not was removed; a dot in neither was
// never seen. DotSet, DotFun and DotMap are the three dot stores of that
// paper; their Join methods implement its join of (store, context) pairs and
// leave the contexts to the caller, who merges them afterwards. KeyedDotMap
// is a DotMap with string keys for stores that hold their own key (a
// record with its member name), kept in a hash table of the stores alone.
package merge

import (
	"encoding"

	"github.com/redcrdt/redcrdt/internal/wire"
)

// State is the delta-merge contract. T is the type's pointer type, as in
// State[*counter.Counter].
//
// Merge joins other into the receiver and reports whether the receiver
// changed; it does not modify other and keeps no reference into it. Clone
// returns a deep copy. Equal reports whether two states are the same
// lattice element; equal states have equal canonical encodings.
// AppendBinary appends that canonical encoding (sorted, with no randomness);
// UnmarshalBinary decodes it, bounding every length and count by the input,
// and returns an error wrapping ErrMalformed, never a panic, on bad input.
type State[T any] interface {
	Merge(other T) (changed bool)
	Clone() T
	Equal(other T) bool
	encoding.BinaryAppender
	encoding.BinaryUnmarshaler
}

// ErrMalformed is wrapped by every error a decoder in this module returns
// for bad input; test for it with errors.Is.
var ErrMalformed = wire.ErrMalformed
