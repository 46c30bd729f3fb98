// Package register holds the single-value replicated types: LWW, the
// last-writer-wins string register behind Redis strings, and TTL, the
// multi-value register that resolves a key's expiry.
//
// Both are observed-remove multi-value registers (Almeida, Shoker and
// Baquero, "Delta State Replicated Data Types", 2018): a merge.DotFun of
// entries paired with a clock.CausalContext. A write removes every entry its
// replica has seen (their dots stay in the context) and adds one entry under
// a fresh dot, so a write never removes what it has not seen. Concurrent
// writes both survive the merge, and a rule picks the value that reads back:
// the greatest clock.Stamp for LWW, the longest expiry (or a PERSIST) for TTL.
//
// Losing entries are kept on purpose. A later remove that saw only the winner
// must bring the loser back on every replica alike; pruning losers at merge
// time would make the outcome depend on the order of delivery. The cost is
// one entry per write not yet observed by a later write, which concurrent
// writes alone produce.
//
// Every mutator applies locally and returns a delta, a register of the same
// type holding only the change, to be shipped and merged on other replicas in
// any order, duplicated or not. Values are not safe for concurrent mutation.
//
// HAZARD: two live replicas writing under one clock.ReplicaID issue equal
// dots for different writes, and replicas then disagree for good. See package
// clock.
package register

import "github.com/redcrdt/redcrdt/internal/wire"

// ErrMalformed is wrapped by every error LWW.UnmarshalBinary and
// TTL.UnmarshalBinary return for bad input; test for it with errors.Is.
var ErrMalformed = wire.ErrMalformed
