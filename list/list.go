package list

import (
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/internal/ostree"
	"github.com/redcrdt/redcrdt/merge"
)

// Errors returned by List methods. The strings may appear in logs and
// cross process boundaries; do not change them.
var (
	// ErrOutOfRange is returned by Set, InsertAt and RemoveAt when the
	// index is outside the list.
	ErrOutOfRange = errors.New("list: index out of range")
	// ErrInvalid is returned by Pos and PosCount for a negative COUNT or
	// MAXLEN.
	ErrInvalid = errors.New("list: invalid argument")
	// ErrFull is returned by mutators when the list would need more than
	// 65,536 replica IDs or 2^48 operations from one replica, or one push
	// of more than 2^32−1 values, and by Merge (which then leaves the list
	// unchanged) on the first two conditions.
	ErrFull = errors.New("list: too many replicas or operations")
)

// List is a replicated list of binary-safe strings with Redis list
// commands: LPUSH, RPUSH, LINSERT, LSET, LREM, LTRIM, LPOP, RPOP and DEL
// as mutators that return a delta, and LLEN, LINDEX, LRANGE and LPOS as
// reads. See the package documentation for how replicas converge.
//
// A List is a full state (New, or anything merged with one) or a delta
// (what a mutator returns). A delta holds operations only; reads of a
// delta see an empty list. Both merge the same way.
//
// A List is not safe for concurrent use, and Merge may adjust internal
// caches of its argument, so the argument must not be used concurrently
// either. A list and the delta it records into (see RecordInto) are one
// unit here: reading one (Clone, AppendBinary, Equal, String, Context, or
// merging it elsewhere) may settle counts the other deferred, so neither
// may be used while the other is.
type List struct {
	ctx   clock.CausalContext
	lz    lazyDots
	delta bool
	// heldJoined is the number of held records the last normalize left
	// (see mergeInto).
	heldJoined uint32
	st         *store  // full state: the integrated elements (nil while empty)
	recs       records // delta: its operations; full state: those held back
	// held indexes a full state's recs for merges (see heldIndex): nil
	// until a merge needs it, and whenever recs is replaced.
	held *heldIndex
	rec  *List // RecordInto's target
	// pend is the store whose armed hot run (see hotRun) has keystrokes
	// (characters typed or removed) not yet counted here: the list's own
	// while it edits on one, and for a recorder, that of the list
	// recording into it. Every reader and writer of what those counts
	// change calls settle first (flush, clearHot and full do; and out,
	// when another list recorded into the same delta before).
	pend *store
}

// hotRun remembers the live forward run the last local edit ended at,
// while nothing else has changed the list: the next insert right after it
// (typing on), by the same replica recording into the same delta, extends
// that run and the same record, and a removal of its last element
// (backspace) moves it to the tombstones after it, without looking
// anything up. Every other change clears it.
//
// typing is set only by an insert (and kept by typing on) when the run is
// the replica's own, ends with its newest element, and the recorder's last
// insert ends with it too: typing on then needs to check only what the
// list does not own (the recorder) and the lazily held dots.
//
// fwd marks the other end: a removal of a forward run's first element,
// which joined the tombstones before it (a forward delete), leaves the
// rest of that run hot with pos the visible index of its first element,
// and the next removal at pos (the delete key again) moves that element
// to the same tombstones without looking anything up.
//
// A run hot for typing is armed once a character typed on it has checked
// everything typing on checks (typeByte): vb and bb are then the free
// slots of its value chunk and of the recorder's byte buffer that the
// next characters go to, and k counts those typed since, which pos does
// not count yet. Each such keystroke (InsertAt's armed path) writes its
// byte to both and nothing else; the rest is counted once, by
// store.settleArmed: the run's length and weight, the typist's dots, the
// value slots handed out and live, and the recorder's last insert and
// lazily held dots. Every mutator and every reader of what settleArmed
// changes settles first (List.settle, called by full, flush, clearHot,
// RecordInto, UnmarshalBinary, Len and Tombstones), which disarms the
// run. Until then RemoveAt can take the last of the k characters back
// unseen (see the package documentation): k just counts one fewer.
//
// A run hot for a backspace or a forward delete (fwd) that recorded into
// the recorder is armed in the same way once such a removal has checked
// everything (backspace, forwardDelete): the elements the next ones
// remove go to the tombstone run at tc, their values are read from the
// byte chunk vr, and rk counts those removals (RemoveAt's armed path),
// which the runs, their weights and pos do not count yet; settleArmed
// moves them (settleRemovals) and adds them to the recorder's last
// removal and lazily held dots.
type hotRun struct {
	valid  bool
	typing bool
	fwd    bool
	rec    *List // the recorder then
	gen    uint64
	c      ostree.Cursor[run]
	pos    int // the visible index after the run
	rep    clock.ReplicaID
	repIdx uint16 // rep's index in the replica table
	recN   int    // the recorder's inserts then
	vb, bb []byte // armed: free value slots and recorder bytes, as many
	k      int    // armed: characters typed into vb and bb since
	typist *List  // armed: the list typing or removing
	// Armed for removals: the tombstone run the removed elements join,
	// the byte chunk holding their values from slot vrLo, its count of
	// live values, how many more may be removed (room) and how many were
	// since (rk), and the recorder's removals then.
	tc       ostree.Cursor[run]
	vr       []byte
	vrLo     uint64
	live     *int32
	room, rk int
	remN     int
}

var _ merge.State[*List] = (*List)(nil)

// New returns an empty list.
func New() *List { return &List{} }

func newDelta() *List { return &List{delta: true} }

// RecordInto makes every later mutator of l add its change to d and return
// d, instead of returning a new delta each time, until RecordInto(nil). A
// replica that makes many small edits between shipments (an editor, a
// benchmark) batches them into one delta this way without allocating per
// edit. d must be a delta (as returned by a mutator or by NewDelta) that
// nothing else modifies meanwhile.
func (l *List) RecordInto(d *List) {
	l.settle()
	l.rec = d
	if l.st != nil {
		l.st.hot = hotRun{}
	}
}

// NewDelta returns an empty delta, for RecordInto.
func NewDelta() *List { return newDelta() }

// clearHot forgets the hot run (see hotRun), settling it first.
func (l *List) clearHot() {
	l.settle()
	if l.st != nil {
		l.st.hot = hotRun{}
	}
}

// settle counts the keystrokes an armed hot run has not yet counted (see
// hotRun and store.settleArmed), where l is the list typed on or the
// recorder typed into, and disarms the run. O(1).
func (l *List) settle() {
	if l.pend != nil {
		l.pend.settleArmed()
	}
}

// lazyDots is a run of dots this replica issued and has not yet added to
// its causal context: adding them one by one costs more than the edit.
// Every reader of ctx calls flush first.
type lazyDots struct {
	rep      clock.ReplicaID
	from, to uint64 // (rep, from..to); from == 0: none
}

// grow extends the run by the n dots after it if rep's, and returns the
// first; false if it is another replica's (or none, or spent). O(1), and
// small enough to inline where every edit passes.
func (lz *lazyDots) grow(rep clock.ReplicaID, n int) (uint64, bool) {
	if lz.from != 0 && lz.rep == rep && lz.to+uint64(n) <= maxSeq {
		first := lz.to + 1
		lz.to += uint64(n)
		return first, true
	}
	return 0, false
}

// join extends the run by the dots (rep, from..to) if they continue it,
// and reports whether they did. O(1), and small enough to inline.
func (lz *lazyDots) join(rep clock.ReplicaID, from, to uint64) bool {
	if lz.from != 0 && lz.rep == rep && lz.to+1 == from {
		lz.to = to
		return true
	}
	return false
}

// issue returns the first of n new dots of replica rep, and false if the
// replica's sequence numbers are spent.
func (l *List) issue(rep clock.ReplicaID, n int) (uint64, bool) {
	if first, ok := l.lz.grow(rep, n); ok {
		return first, true
	}
	if l.lz.from != 0 && l.lz.rep == rep {
		return 0, false // spent
	}
	l.flush()
	first := l.ctx.Next(rep).Seq
	if first+uint64(n)-1 > maxSeq {
		return 0, false
	}
	l.lz = lazyDots{rep: rep, from: first, to: first + uint64(n) - 1}
	return first, true
}

// noteDots records that a delta holds the dots (rep, from..to).
func (l *List) noteDots(rep clock.ReplicaID, from, to uint64) {
	if !l.lz.join(rep, from, to) {
		l.flush()
		l.lz = lazyDots{rep: rep, from: from, to: to}
	}
}

// flush adds the lazily held dots to the causal context, after settling
// the keystrokes not yet counted (see settle). It inlines where there is
// nothing to do.
func (l *List) flush() {
	if l.pend != nil || l.lz.from != 0 {
		l.flushNow()
	}
}

// flushNow is flush's work.
func (l *List) flushNow() {
	l.settle()
	if l.lz.from == 0 {
		return
	}
	l.ctx.AddRange(l.lz.rep, l.lz.from, l.lz.to)
	l.lz = lazyDots{}
}

// context returns the list's causal context, complete.
func (l *List) context() *clock.CausalContext {
	l.flush()
	return &l.ctx
}

// Context returns a copy of the list's causal context: every operation it
// has integrated (a delta: every operation it holds). A replication layer
// compares contexts to find what a peer lacks and meets them to compute
// the stable vector Compact takes. O(replicas + gaps).
func (l *List) Context() clock.CausalContext { return l.context().Clone() }

// Len returns the number of elements (LLEN). O(1).
func (l *List) Len() int {
	l.settle()
	if l.st == nil {
		return 0
	}
	return l.st.tree.Weight()
}

// Index returns the element at index i (LINDEX); negative indexes count
// from the end (-1 is the last element). It returns ("", false) if i is
// out of range. O(log n).
func (l *List) Index(i int) (string, bool) {
	n := l.Len()
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return "", false
	}
	c, f := l.st.findVisible(i)
	x := l.st.tree.At(c)
	return l.st.value(x, x.k(f)), true
}

// Range returns the elements from index start to index stop, both
// included (LRANGE). Negative indexes count from the end; out-of-range
// indexes are clamped, and an empty range returns nil. O(log n + k) for k
// elements returned.
func (l *List) Range(start, stop int) []string {
	n := l.Len()
	if start < 0 {
		start = max(start+n, 0)
	}
	if stop < 0 {
		stop += n
	}
	stop = min(stop, n-1)
	if start > stop {
		return nil
	}
	out := make([]string, stop-start+1)
	s := l.st
	c, f := s.findVisible(start)
	for i := 0; i < len(out); c, f = s.tree.Next(c), 0 {
		x := s.tree.At(c)
		if !x.live() {
			continue
		}
		vs := &s.vals[x.id.rep()]
		for ; f < int(x.n) && i < len(out); f++ {
			out[i] = vs.get(x.val + uint64(x.k(f)))
			i++
		}
	}
	return out
}

// All returns an iterator over the elements with their indexes, first to
// last. The list must not change during the iteration. O(n).
func (l *List) All() iter.Seq2[int, string] { return l.from(0) }

// from iterates over the elements from visible index start on.
func (l *List) from(start int) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		if start >= l.Len() {
			return
		}
		s := l.st
		c, f := s.findVisible(start)
		i := start
		for ; !s.tree.IsEnd(c); c, f = s.tree.Next(c), 0 {
			x := s.tree.At(c)
			if !x.live() {
				continue
			}
			for ; f < int(x.n); f++ {
				if !yield(i, s.value(x, x.k(f))) {
					return
				}
				i++
			}
		}
	}
}

// PosOptions are the options of LPOS.
type PosOptions struct {
	// Rank is LPOS's RANK: 1 for the first match, 2 for the second, and
	// so on; -1 for the last match, -2 for the one before it, searching
	// from the end. 0, the default, means 1: unlike Redis, which refuses
	// RANK 0, so that the zero PosOptions asks for the first match. Any
	// rank beyond the matches finds none, math.MinInt included (which
	// Redis refuses as out of range).
	Rank int
	// MaxLen is LPOS's MAXLEN: compare at most this many elements (from
	// the end the search starts at); 0 compares them all.
	MaxLen int
}

// Pos returns the index of the element equal to value that opts.Rank
// names (LPOS without COUNT), and false if there is none. It returns
// ErrInvalid for a negative MaxLen. O(n).
func (l *List) Pos(value string, opts PosOptions) (int, bool, error) {
	got, err := l.PosCount(value, 1, opts)
	if err != nil || len(got) == 0 {
		return 0, false, err
	}
	return got[0], true, nil
}

// PosCount returns the indexes of up to count elements equal to value
// (LPOS … COUNT count; 0 returns them all), starting at the match
// opts.Rank names and going in its direction; the indexes count from the
// head whatever the direction. It returns ErrInvalid for a negative count
// or MaxLen. O(n).
func (l *List) PosCount(value string, count int, opts PosOptions) ([]int, error) {
	if count < 0 || opts.MaxLen < 0 {
		return nil, ErrInvalid
	}
	rank := opts.Rank
	if rank == 0 {
		rank = 1
	}
	n := l.Len()
	var out []int
	skip := rank - 1 // matches to pass over; -(rank+1) cannot overflow
	if rank < 0 {
		skip = -(rank + 1)
	}
	compared := 0
	match := func(i int, v string) bool {
		if opts.MaxLen > 0 && compared == opts.MaxLen {
			return false
		}
		compared++
		if v != value {
			return true
		}
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, i)
		return count == 0 || len(out) < count
	}
	if rank > 0 {
		for i, v := range l.from(0) {
			if !match(i, v) {
				break
			}
		}
		return out, nil
	}
	for i := n - 1; i >= 0; i-- {
		v, _ := l.Index(i)
		if !match(i, v) {
			break
		}
	}
	return out, nil
}

// Tombstones returns the number of removed elements the list still keeps
// for ordering, outside compacted blocks. O(1).
func (l *List) Tombstones() int {
	l.settle()
	if l.st == nil {
		return 0
	}
	return l.st.tombs
}

// String returns the elements and the causal context, for debugging:
// [a b c] {1:3 2:1}, with held operations after them; a delta prints its
// operations.
func (l *List) String() string {
	var b strings.Builder
	if l.delta {
		b.WriteString("delta")
	} else {
		b.WriteString("[")
		for i, v := range l.All() {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%q", v)
		}
		b.WriteString("]")
	}
	b.WriteString(" ")
	b.WriteString(l.context().String())
	for x := range l.recs.ins.all() {
		fmt.Fprintf(&b, " ins(%v+%d %v,%v", x.id, x.n, x.l, x.r)
		if x.rm.Seq != 0 {
			fmt.Fprintf(&b, " rm %v", x.rm)
		} else {
			fmt.Fprintf(&b, " %q", x.vals.strings())
		}
		b.WriteString(")")
	}
	for x := range l.recs.rem.all() {
		fmt.Fprintf(&b, " rem(%v+%d by %v)", x.target, x.n, x.rm)
	}
	for _, x := range l.recs.set {
		fmt.Fprintf(&b, " set(%v=%q at %v)", x.target, x.value, x.at)
	}
	return b.String()
}
