// Package clock gives redcrdt its notions of identity and time: replica IDs,
// dots (one replica's n-th event), hybrid logical clock timestamps, version
// vectors and causal contexts.
//
// A Dot names an update; a CausalContext records every dot a replica has
// seen, as a VersionVector (the contiguous prefix of each replica's dots)
// plus a dot cloud (the dots past a gap, as ranges, so a context's size
// follows its gaps, not its dots). Delta-state CRDTs use the context
// to tell "never seen" from "seen and removed" without keeping tombstones.
//
// An HLC issues Timestamps that follow physical time and never run backwards
// on one replica; last-writer-wins rules compare Stamps (a timestamp with the
// writing replica's ID), so ties break the same way on every replica.
//
// HAZARD: two live replicas sharing one ReplicaID issue the same dots for
// different updates, and every replica then silently discards one of them.
// A replica that restarts without proof that it resumes its own last state
// must take a fresh ReplicaID.
//
// Values in this package are not safe for concurrent mutation, except HLC,
// which is.
package clock

import "github.com/redcrdt/redcrdt/internal/wire"

// ErrMalformed is wrapped by every error a decoder in this module returns
// for bad input; test for it with errors.Is.
var ErrMalformed = wire.ErrMalformed
