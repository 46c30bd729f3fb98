package list

import "iter"

// recChunkShift sets recChunkLen, the number of records in each chunk of a
// chunks.
const (
	recChunkShift = 9
	recChunkLen   = 1 << recChunkShift
)

// chunks is a sequence of records (a delta's inserts or removals, or
// those a full state holds back) that grows only at its end. The first
// recChunkLen records live in head, which grows by doubling, so a delta of
// one command holds just its record; the rest live in chunks of recChunkLen
// each, so a recording that grows long (a replica batching its edits, see
// List.RecordInto) never copies what it holds nor leaves the old copies
// for the collector. push is O(1) amortized.
//
// A copy of a chunks shares head's array and rest with the original: a
// push to one may overwrite or show in the other, so only one copy may be
// used after copying (a records struct moved, as merge and decode do).
type chunks[T any] struct {
	head []T
	// rest holds chunks of recChunkLen records, the last one possibly
	// fewer but never none; by pointer, so that the many deltas of one
	// command stay small.
	rest *[][]T
}

// len returns the number of records.
func (c *chunks[T]) len() int {
	n := len(c.head)
	if c.rest != nil {
		rest := *c.rest
		n += (len(rest)-1)<<recChunkShift + len(rest[len(rest)-1])
	}
	return n
}

// last returns the last record; c must not be empty.
func (c *chunks[T]) last() *T {
	if c.rest != nil {
		rest := *c.rest
		r := rest[len(rest)-1]
		return &r[len(r)-1]
	}
	return &c.head[len(c.head)-1]
}

// reserve makes room in head for k more records, as far as head goes.
func (c *chunks[T]) reserve(k int) {
	if n := len(c.head); n < recChunkLen && n+k > cap(c.head) {
		grown := make([]T, n, min(n+k, recChunkLen))
		copy(grown, c.head)
		c.head = grown
	}
}

// push appends x.
func (c *chunks[T]) push(x T) {
	if n := len(c.head); n < recChunkLen {
		if n == cap(c.head) {
			grown := make([]T, n, min(max(2*n, 1), recChunkLen))
			copy(grown, c.head)
			c.head = grown
		}
		c.head = append(c.head, x)
		return
	}
	if c.rest == nil {
		c.rest = new([][]T)
	}
	rest := *c.rest
	if k := len(rest); k == 0 || len(rest[k-1]) == recChunkLen {
		rest = append(rest, make([]T, 0, recChunkLen))
		*c.rest = rest
	}
	last := &rest[len(rest)-1]
	*last = append(*last, x)
}

// pushAll appends the records of o, which must not be c.
func (c *chunks[T]) pushAll(o *chunks[T]) {
	c.reserve(o.len())
	for x := range o.all() {
		c.push(*x)
	}
}

// at returns record i, which must exist. O(1).
func (c *chunks[T]) at(i int) *T {
	if i < recChunkLen {
		return &c.head[i]
	}
	i -= recChunkLen
	return &(*c.rest)[i>>recChunkShift][i&(recChunkLen-1)]
}

// all yields each record in order, by pointer. Records pushed meanwhile
// may or may not be yielded.
func (c *chunks[T]) all() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for i := range c.head {
			if !yield(&c.head[i]) {
				return
			}
		}
		if c.rest == nil {
			return
		}
		for _, r := range *c.rest {
			for i := range r {
				if !yield(&r[i]) {
					return
				}
			}
		}
	}
}

// flat returns a copy of the records as one slice.
func (c *chunks[T]) flat() []T {
	out := make([]T, 0, c.len())
	out = append(out, c.head...)
	if c.rest != nil {
		for _, r := range *c.rest {
			out = append(out, r...)
		}
	}
	return out
}

// reset empties c, keeping head's buffer but no reference into what it
// held.
func (c *chunks[T]) reset() {
	clear(c.head)
	c.head = c.head[:0]
	c.rest = nil
}

// keep keeps, in order and in place, the records whose index keep
// reports true, and clears the slots it frees. O(len).
func (c *chunks[T]) keep(keep func(i int) bool) {
	n := c.len()
	w := 0
	for i := range n {
		if keep(i) {
			if w != i {
				*c.at(w) = *c.at(i)
			}
			w++
		}
	}
	var zero T
	for i := w; i < n; i++ {
		*c.at(i) = zero
	}
	if w <= len(c.head) {
		c.head = c.head[:w]
		c.rest = nil
		return
	}
	rest := *c.rest
	k := w - len(c.head) // records left in rest: at least one
	last := (k - 1) >> recChunkShift
	rest[last] = rest[last][:k-last<<recChunkShift]
	clear(rest[last+1:])
	*c.rest = rest[:last+1]
}
