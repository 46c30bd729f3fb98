// Package counter is the counter of Redis Active-Active databases: a string
// key holding a 64-bit integer or a float, changed by INCR, INCRBY, DECR,
// DECRBY, INCRBYFLOAT, SET and DEL on every replica at once.
//
// # Conflict rules
//
// "‖" is concurrent: neither replica saw the other's write.
//
//	x=0; INCRBY 1 ‖ INCRBY 2  → 3    increments from every replica add up
//	x=5; DEL ‖ INCRBY 2       → 2    DEL cancels only the increments it saw
//	x=5; SET 10 ‖ INCRBY 2    → 12   SET is a base; unseen increments add to it
//	SET a ‖ SET b             → the SET with the greater clock.Stamp
//	DEL ‖ SET 7               → 7    DEL removes only the base it saw
//
// # Model
//
// A Counter is a PN counter with observed reset (Baquero, Almeida, Cunha and
// Ferreira, "Composition in State-based Replicated Data Types", 2017) plus a
// last-writer-wins base. Each replica i publishes p[i], the cumulative total
// of every increment it ever made, tagged with the dot of its latest
// increment. A reset (DEL, or the reset part of SET) records in r[i] the p[i]
// it saw, so replica i counts p[i] − r[i]: exactly the increments the reset
// did not see. A reset may arrive before some increments it saw; while p[i]
// is no newer than r[i], replica i counts 0. Both maps merge per replica by keeping the entry with the
// larger sequence number. SET values are kept in an observed-remove
// multi-value register; the value reads as the greatest-stamped SET base plus
// every replica's count.
//
// A Counter is a float once a float base or an INCRBYFLOAT that no reset has
// cancelled is part of it; then INCRBY is refused with ErrNotInteger.
//
// HAZARD: float totals are cumulative. Replica i's float part is computed as
// p[i] − r[i] over totals that never restart, so after large increments are
// reset, later small ones can lose precision (an increment of 1 after a reset
// of 1e20 reads as 0). Integer totals wrap and lose nothing.
//
// HAZARD: refusals are local. IncrBy refuses a result that would overflow
// int64 and IncrByFloat one that would be NaN or ±Inf, but concurrent
// increments at different replicas each pass that check and their sum can
// still overflow: integers then wrap around (two's complement) and floats may
// read as ±Inf or NaN, identically on every replica.
//
// # Divergence from Redis
//
// Redis stores INCRBYFLOAT's result as text, so "4" written by INCRBYFLOAT
// accepts a later INCRBY; here a float counter stays a float until a SET of
// an integer or a DEL. Redis keeps integers to 59 bits in Active-Active
// databases; a Counter keeps 64.
package counter
