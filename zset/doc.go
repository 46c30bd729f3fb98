// Package zset is the sorted set of Redis Active-Active databases: members
// with float64 scores, ordered by score and then by member bytes, changed by
// ZADD, ZINCRBY, ZREM, ZREMRANGEBY*, ZPOPMIN, ZPOPMAX and DEL on every
// replica at once.
//
// # Conflict rules
//
// "‖" is concurrent: neither replica saw the other's write.
//
//	ZADD x ‖ ZREM x                  → x present     membership: add wins
//	x=1; ZADD x 5 ‖ (later) ZADD x 7 → 7             score: last writer wins (clock.Stamp)
//	x=1.1; ZINCRBY x 1 ‖ ZINCRBY x 1 → 3.1           increments add up on the base
//	x=4.1; ZREM x ‖ ZINCRBY x 2      → x=2           the remove subtracts the score it saw
//
// # Model
//
// Membership is an add-wins observed-remove set on the merge kernel: a
// merge.KeyedDotMap from member to the dots of the adds that made it
// present, with one causal context for the whole set. Each member's entry
// holds its member string, so the map's table keeps only a pointer to it. Every ZADD and ZINCRBY adds a
// fresh dot (so it wins over a concurrent removal); a removal drops the dots
// it saw.
//
// A member's score is a counter.Counter: ZADD writes a last-writer-wins base
// (Counter.Set), ZINCRBY an increment (Counter.IncrByFloat), and every
// removal resets what it observed (Counter.Reset), so increments the remover
// did not see survive it and read on top of no base. The score state of a
// removed member is kept: it is what lets a late concurrent ZINCRBY read as
// its own increment rather than on top of a score the remover had removed.
// This metadata, one entry per member ever written, stays until a future
// purge of causally stable state drops it.
//
// Most members are written by one replica with ZADD only; their counter is
// held in counter.Lone form (a few words) and built as a Counter only when
// a write or a merge takes it out of that shape.
//
// An ordered index of the present members by (score, member), a counted
// B+-tree (internal/ostree), is kept in step with every local write and
// every merge: a merge re-indexes only the members it touches. Each member
// knows the leaf that holds it, so rank queries need no search. The index
// is derived state: it is neither compared nor encoded.
//
// Memory: about 156 bytes a member for a million 16-byte members, the
// member strings included (a 96-byte entry, a hash-table slot and a share
// of an index leaf); Redis's skiplist sorted set takes about 126.
//
// # Scores
//
// A NaN score is refused with ErrNaN, as Redis refuses it; ±Inf is
// accepted. A counter holds finite values only (its float totals are
// cumulative, and ∞ − ∞ would be NaN), so a ±Inf score is stored as the
// integer base ±1, which a sorted set never writes for a finite score, and
// reads as ±Inf plus the increments, that is ±Inf.
//
// # Divergence from Redis
//
// A ZINCRBY whose result is ±Inf (an infinite increment, or a finite one
// that overflows) is written as a ZADD of that infinity at its stamp, since
// an increment cannot carry it: concurrently with a later ZADD it loses as
// a ZADD would, and concurrent opposite infinities resolve by last writer
// instead of reading NaN. A ZADD that leaves a score as it was still writes
// (it counts as neither added nor changed), so that it wins over a
// concurrent ZREM and over an earlier concurrent ZADD, as its place in time
// says it should.
//
// HAZARD: dots restart in a new Set. A replica that drops a sorted set
// other replicas still hold (rather than Clear it) and later writes a new
// one issues dots, for the membership and for each member's score, that
// the others have seen, and they ignore those writes.
//
// HAZARD: the score's refusals are local. Concurrent increments at
// different replicas each pass the NaN and overflow checks, and their sum
// can still overflow to ±Inf, identically on every replica.
package zset
