// Package list is a replicated list of strings with the commands of Redis
// lists — LPUSH, RPUSH, LINSERT, LSET, LREM, LTRIM, LPOP, RPOP, DEL,
// LLEN, LINDEX, LRANGE, LPOS — and positional insert and remove, for
// replicas that all accept writes and converge when they exchange deltas.
//
// # Conflict rules
//
//   - Concurrent inserts are all kept. Inserts at one place take one order
//     on every replica, and one replica's run of consecutive inserts (the
//     values of one LPUSH, a series of LPUSHes, text typed left to right)
//     is never interleaved with another's: A pushes a1…a50 while B pushes
//     b1…b50 at the same end gives the two runs one after the other.
//   - Removals (LPOP, RPOP, LREM, LTRIM, DEL, RemoveAt) remove exactly the
//     elements they saw. Concurrent pops on two replicas may return the same
//     element (at-least-once); it is removed once. DEL concurrent with
//     LPUSH y leaves [y].
//   - LSET is last-writer-wins per element by the clock.Stamp given; an
//     LSET of an element another replica removed is lost.
//
// # How order works
//
// The list is a sequence CRDT of the Fugue family (Weidner and Kleppmann,
// "The Art of the Fugue", 2023), integrated the way Yjs integrates, with
// the modification that makes Yjs equivalent to FugueMax. Every element
// has a dot (its replica and sequence number) and two origins: the
// elements it was inserted between. A local insert takes as left origin
// the visible element before the insertion point (or the start) and as
// right origin whatever follows that element, removed or not. A remote
// element is placed between its origins, after the elements there whose
// subtrees it must follow; the rules compare only origins and replica IDs,
// so every replica reaches the same order whatever the order of delivery.
//
// Removed elements stay as tombstones (dot and origins, no value), because
// later inserts may name them as origins. Compact collapses the tombstones
// every replica has seen into blocks that keep only their dots. One
// removal may leave none: a character typed with InsertAt into a list
// that records into a delta (RecordInto), typing on after the previous
// one, and removed again by a backspace before anything read the list or
// the delta (an editor's typo, fixed before the next shipment) is, on the
// fast path typing on takes, taken back as if it had never been typed. No
// replica can have seen it, nothing can name it, and its dot goes to the
// next edit, so the delta ships the net change and the dots stay dense.
//
// # Storage and cost
//
// Elements are stored as runs — consecutive inserts by one replica, typed
// forwards or pushed backwards — in a counted B-tree (internal/ostree), so
// finding an index, pushing, popping, inserting and removing cost O(log n),
// and an index from dot to leaf (built on the first merge) finds an
// element for a merge in O(log n). A run of tombstones takes one item
// whatever its length. Consecutive local edits reuse a cached position,
// typing on at the end of a run extends it in place, removing an element
// at the end of a run next to the tombstones it continues (a backspace, a
// forward delete, a pop) moves it to them in place, and the dots of local
// edits enter the causal context in batches. Values live in
// per-replica slot arenas whose chunks are freed once every value in them
// is removed, so a queue's memory follows its length, not its history; a
// chunk holding only one-byte values (text, a character an element) keeps
// them as bytes, one byte a value.
//
// # Delivery
//
// Deltas may be delivered in any order, duplicated, or folded into full
// states; the only order replication must keep is each origin's own
// (FIFO), and even that only to avoid holding work back. An insert whose
// origin has not arrived, and a removal or LSET of an element that has
// not, is held inside the list (part of its state, not yet of its context
// or its reads) and applied when the element arrives. Held records are
// kept joined into maximal runs: the keystrokes of a typist whose first
// one is missing cost one held record, not one each. A merge that brings
// no element they wait for leaves them as they are, at O(log k) a record
// it brings for k held.
//
// HAZARD: two replicas must never issue dots under one clock.ReplicaID
// (see package clock). A list holds up to 65,536 replica IDs and 2^48
// operations per replica; a merge that would exceed that holds the
// excess back forever, and a mutator returns ErrFull.
package list
