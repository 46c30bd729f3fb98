package mergetest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

const (
	// startWall is the shared wall clock's first reading, in milliseconds.
	startWall = 1_000_000
	// sampled is how many random pairs (and triples) of states and deltas
	// the commutative (and associative) checks add to those of final states.
	sampled = 8
	// maxFinalTriples caps the associativity checks over final states.
	maxFinalTriples = 10
	// deliveries is how many random delivery orders Convergence tries.
	deliveries = 3
	// shown caps how much of a state a failure detail prints.
	shown = 400
)

// violation is a broken law. checker.fail raises it as a panic, which
// runCase recovers and turns into the case's failure label; panicking
// keeps each check a straight line of code.
type violation struct {
	law    Law
	detail string
}

// item is a state under test: a replica's final state or a delta.
type item[T any] struct {
	name   string // "r1", or "r2.1 (step 5)" for replica 2's first delta
	id     string // "r1", or "r2.1"
	origin int    // producing replica's index, for FIFO delivery
	// at is the HLC reading at which a delta was produced: a replica that
	// receives the delta observes it.
	at clock.Timestamp
	x  T
}

type checker[T merge.State[T], O any] struct {
	m   *Model[T, O]
	rng *rand.Rand
	ops []effect[T] // replay's record of every op Apply accepted
}

// effect is what one op did to its replica's state.
type effect[T any] struct {
	step          string // "step 5 (r1 op DEL)"
	replica       clock.ReplicaID
	before, after T   // clones of the replica's state around Apply
	delta         int // the op's delta, an index in replay's deltas
}

// runCase replays h and checks every law on it. It returns "" if all hold,
// or the failure label "<law>: <detail>".
func runCase[T merge.State[T], O any](m *Model[T, O], h history[O], deliverySeed uint64) (label string) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case violation:
			label = string(r.law) + ": " + r.detail
		default:
			label = fmt.Sprintf("%s: %v\n%s", NoPanic, r, debug.Stack())
		}
	}()
	c := &checker[T, O]{m: m, rng: rand.New(rand.NewPCG(deliverySeed, ^deliverySeed))}
	finals, deltas := c.replay(h)
	c.laws(finals, deltas)
	return ""
}

func (c *checker[T, O]) fail(law Law, format string, args ...any) {
	panic(violation{law: law, detail: fmt.Sprintf(format, args...)})
}

// replay runs h and returns each replica's final state and every delta,
// in production order.
func (c *checker[T, O]) replay(h history[O]) (finals, deltas []item[T]) {
	n := c.m.Replicas
	states := make([]T, n)
	last := make([]clock.Timestamp, n) // each replica's HLC reading
	made := make([][]int, n)           // made[j]: indexes in deltas of j's deltas, in order
	got := make([][]int, n)            // got[i][j]: how many of j's deltas i received
	for i := range states {
		states[i] = c.m.New()
		got[i] = make([]int, n)
	}
	c.read(states[0], "New()")
	wall := int64(startWall)
	var produced [][]byte // each delta's encoding when Apply returned it
	for k, s := range h {
		i := int(s.replica) - 1
		switch s.kind {
		case opStep:
			at := clock.Stamp{Time: max(last[i]+1, clock.NewTimestamp(wall, 0)), Replica: s.replica}
			last[i] = at.Time
			before := c.encode(states[i], "the state before an op")
			prev := states[i].Clone()
			d, err := c.m.Apply(states[i], at, s.op)
			if err != nil {
				if !bytes.Equal(before, c.encode(states[i], "a state after a refused op")) {
					c.fail(RefusedOp, "step %d (%s) was refused (%v) but changed r%d's state", k+1, s, err, s.replica)
				}
				continue
			}
			id := fmt.Sprintf("r%d.%d", s.replica, len(made[i])+1)
			c.ops = append(c.ops, effect[T]{step: fmt.Sprintf("step %d (%s)", k+1, s), replica: s.replica,
				before: prev, after: states[i].Clone(), delta: len(deltas)})
			made[i] = append(made[i], len(deltas))
			deltas = append(deltas, item[T]{name: fmt.Sprintf("%s (step %d)", id, k+1), id: id, origin: i, at: at.Time, x: d})
			produced = append(produced, c.encode(d, "delta "+id))
			c.read(states[i], fmt.Sprintf("r%d's state after step %d (%s)", s.replica, k+1, s))
		case syncStep:
			j := int(s.from) - 1
			c.merge(states[i], states[j].Clone(), fmt.Sprintf("step %d (%s)", k+1, s))
			last[i] = max(last[i], last[j])
		case deliverStep:
			j := int(s.from) - 1
			var batch []int // indexes in deltas, in delivery order
			if s.seq <= got[i][j] {
				batch = append(batch, made[j][s.seq-1])
			}
			for got[i][j] < min(s.seq, len(made[j])) {
				batch = append(batch, made[j][got[i][j]])
				got[i][j]++
			}
			for _, d := range batch {
				c.merge(states[i], deltas[d].x.Clone(), fmt.Sprintf("step %d (%s), merging %s", k+1, s, deltas[d].name))
				last[i] = max(last[i], deltas[d].at)
			}
		case tickStep:
			wall += s.millis
		}
	}
	for i, d := range deltas {
		if !bytes.Equal(produced[i], c.encode(d.x, d.name)) {
			c.fail(DeltaIndependence, "delta %s changed after Apply returned it: it shares memory with the state", d.name)
		}
	}
	finals = make([]item[T], n)
	for i, s := range states {
		name := fmt.Sprintf("r%d", i+1)
		finals[i] = item[T]{name: name, id: name, origin: i, x: s}
	}
	return finals, deltas
}

// laws checks every law on the final states and deltas of one history. It
// checks the laws that need the fewest merges first, so a history failing
// several laws reports the most basic one.
func (c *checker[T, O]) laws(finals, deltas []item[T]) {
	all := append(append(make([]item[T], 0, len(finals)+len(deltas)), finals...), deltas...)
	encoded := make([][]byte, len(all))
	for i, it := range all {
		encoded[i] = c.roundTrip(it)
		if cl := it.x.Clone(); !same(cl, it.x) {
			c.fail(DeepClone, "%s.Clone() is not Equal to %s\n  %s = %s\n  clone = %s", it.name, it.name, it.name, show(it.x), show(cl))
		}
	}
	// Every check below merges into clones; after each, the states and
	// deltas it read must be as they were.
	untouched := func(check string) {
		for i, it := range all {
			if !bytes.Equal(encoded[i], c.encode(it.x, it.name)) {
				c.fail(DeepClone, "%s changed while checking %s, which merges into clones of it and merges it into others: "+
					"Clone must copy deeply, and Merge must keep no reference into its argument", it.name, check)
			}
		}
	}
	for _, it := range all {
		c.idempotent(it)
	}
	untouched(string(Idempotent))
	for i := range finals {
		for j := i + 1; j < len(finals); j++ {
			c.commutative(finals[i], finals[j])
		}
	}
	for range sampled {
		c.commutative(c.pick(all), c.pick(all))
	}
	untouched(string(Commutative))
	c.finalTriples(finals)
	for range sampled {
		c.associative(c.pick(all), c.pick(all), c.pick(all))
	}
	untouched(string(Associative))
	for _, e := range c.ops {
		c.opEffect(e, deltas)
	}
	fromStates := c.deltaEquivalence(finals, deltas)
	untouched(string(DeltaEquivalence))
	for k := range deliveries {
		c.convergence(k+1, deltas, fromStates)
	}
	untouched(string(Convergence))
	c.syncConvergence(finals, fromStates)
}

// merge merges src into dst, checking ArgumentUntouched, ChangedFlag,
// that a Clone of dst taken before (the "before" of ChangedFlag) is not
// changed by the merge (DeepClone), and ReadCheck on the result. what
// names the merge in failures.
func (c *checker[T, O]) merge(dst, src T, what string) {
	arg := c.encode(src, what)
	was := c.encode(dst, what)
	before := dst.Clone()
	changed := dst.Merge(src)
	if !bytes.Equal(arg, c.encode(src, what)) {
		c.fail(ArgumentUntouched, "%s modified its argument", what)
	}
	if !bytes.Equal(was, c.encode(before, what)) {
		c.fail(DeepClone, "%s changed a Clone of its receiver taken before it: Clone must copy deeply", what)
	}
	if unchanged := before.Equal(dst); changed == unchanged {
		c.fail(ChangedFlag, "%s reported changed=%t, but before.Equal(after) is %t\n  before = %s\n  after = %s",
			what, changed, unchanged, show(before), show(dst))
	}
	c.read(dst, "the result of "+what)
}

// read checks ReadCheck on x, a state the harness names what.
func (c *checker[T, O]) read(x T, what string) {
	if c.m.Check == nil {
		return
	}
	if err := c.m.Check(x); err != nil {
		c.fail(ReadCheck, "Check of %s: %v\n  state = %s", what, err, show(x))
	}
}

// merged returns a clone of a merged with b.
func (c *checker[T, O]) merged(a, b item[T]) item[T] {
	name := "(" + a.name + " ⊔ " + b.name + ")"
	x := a.x.Clone()
	c.merge(x, b.x, name)
	return item[T]{name: name, x: x}
}

func (c *checker[T, O]) encode(x T, what string) []byte {
	b, err := x.AppendBinary(nil)
	if err != nil {
		c.fail(Encoding, "AppendBinary of %s: %v", what, err)
	}
	return b
}

// roundTrip checks Encoding for it and returns its encoding.
func (c *checker[T, O]) roundTrip(it item[T]) []byte {
	b := c.encode(it.x, it.name)
	const prefix = "mergetest"
	if p, err := it.x.AppendBinary([]byte(prefix)); err != nil || !bytes.Equal(p, append([]byte(prefix), b...)) {
		c.fail(Encoding, "AppendBinary of %s to a non-empty slice did not append its encoding (err %v)", it.name, err)
	}
	y := c.m.New()
	if err := y.UnmarshalBinary(bytes.Clone(b)); err != nil {
		c.fail(Encoding, "UnmarshalBinary of %s's encoding: %v\n  %s = %s\n  encoding = %x", it.name, err, it.name, show(it.x), b)
	}
	if !same(y, it.x) {
		c.fail(Encoding, "decoding %s's encoding gives a state not Equal to it\n  %s = %s\n  decoded = %s", it.name, it.name, show(it.x), show(y))
	}
	if b2 := c.encode(y, "a decoded "+it.name); !bytes.Equal(b, b2) {
		c.fail(Encoding, "re-encoding decoded %s gives other bytes\n  encoding = %x\n  re-encoding = %x", it.name, b, b2)
	}
	return b
}

func (c *checker[T, O]) idempotent(a item[T]) {
	if aa := c.merged(a, a); !same(aa.x, a.x) {
		c.fail(Idempotent, "%s ⊔ %s is not Equal to %s\n  %s = %s\n  %s ⊔ %s = %s", a.name, a.name, a.name, a.name, show(a.x), a.name, a.name, show(aa.x))
	}
}

func (c *checker[T, O]) commutative(a, b item[T]) {
	ab, ba := c.merged(a, b), c.merged(b, a)
	c.sameState(Commutative, ab, ba)
}

func (c *checker[T, O]) associative(a, b, d item[T]) {
	l := c.merged(c.merged(a, b), d)
	r := c.merged(a, c.merged(b, d))
	c.sameState(Associative, l, r)
}

// finalTriples checks Associative on up to maxFinalTriples triples of
// final states.
func (c *checker[T, O]) finalTriples(finals []item[T]) {
	var triples [][3]int
	for i := range finals {
		for j := i + 1; j < len(finals); j++ {
			for k := j + 1; k < len(finals); k++ {
				triples = append(triples, [3]int{i, j, k})
			}
		}
	}
	c.rng.Shuffle(len(triples), func(i, j int) { triples[i], triples[j] = triples[j], triples[i] })
	for _, t := range triples[:min(len(triples), maxFinalTriples)] {
		c.associative(finals[t[0]], finals[t[1]], finals[t[2]])
	}
}

// opEffect checks DeltaEquivalence for one op: the replica's state after
// it is its state before merged with the op's delta. It merges into
// e.before.
func (c *checker[T, O]) opEffect(e effect[T], deltas []item[T]) {
	d := deltas[e.delta]
	name := fmt.Sprintf("r%d's state before %s", e.replica, e.step)
	c.merge(e.before, d.x, "("+name+" ⊔ "+d.name+")")
	c.sameState(DeltaEquivalence,
		item[T]{name: fmt.Sprintf("r%d's state after %s", e.replica, e.step), x: e.after},
		item[T]{name: fmt.Sprintf("%s ⊔ its delta %s", name, d.id), x: e.before})
}

// deltaEquivalence checks DeltaEquivalence and returns New() merged with
// every final state.
func (c *checker[T, O]) deltaEquivalence(finals, deltas []item[T]) item[T] {
	fromDeltas := item[T]{name: "New() ⊔ every delta", x: c.m.New()}
	for _, d := range deltas {
		c.merge(fromDeltas.x, d.x, "New() ⊔ … ⊔ "+d.name)
	}
	fromStates := item[T]{name: "New() ⊔ every replica's state", x: c.m.New()}
	for _, f := range finals {
		c.merge(fromStates.x, f.x, "New() ⊔ … ⊔ "+f.name)
	}
	c.sameState(DeltaEquivalence, fromDeltas, fromStates)
	return fromStates
}

// convergence checks Convergence for the k-th random delivery order of
// deltas against want.
func (c *checker[T, O]) convergence(k int, deltas []item[T], want item[T]) {
	order := c.deliveryOrder(deltas)
	ids := make([]string, len(order))
	for i, d := range order {
		ids[i] = deltas[d].id
	}
	got := item[T]{name: fmt.Sprintf("New() ⊔ deltas in delivery order %d [%s]", k, strings.Join(ids, " ")), x: c.m.New()}
	for _, d := range order {
		c.merge(got.x, deltas[d].x, fmt.Sprintf("delivery order %d: … ⊔ %s", k, deltas[d].name))
	}
	c.sameState(Convergence, got, want)
}

// deliveryOrder returns a random order of the indexes of deltas in which
// every delta appears at least once and some twice or more. If the model
// is FIFO, each origin's deltas first appear in production order.
func (c *checker[T, O]) deliveryOrder(deltas []item[T]) []int {
	n := len(deltas)
	if n == 0 {
		return nil
	}
	var order []int
	if c.m.FIFO {
		queues := make([][]int, c.m.Replicas)
		for i, d := range deltas {
			queues[d.origin] = append(queues[d.origin], i)
		}
		for range n {
			q := c.rng.IntN(len(queues))
			for len(queues[q]) == 0 {
				q = (q + 1) % len(queues)
			}
			order = append(order, queues[q][0])
			queues[q] = queues[q][1:]
		}
	} else {
		order = c.rng.Perm(n)
	}
	for range c.rng.IntN(n/2 + 2) {
		at := c.rng.IntN(len(order) + 1)
		var dup int
		if c.m.FIFO {
			// Repeat a delta already delivered, so the first delivery of
			// each stays in production order.
			if at == 0 {
				continue
			}
			dup = order[c.rng.IntN(at)]
		} else {
			dup = c.rng.IntN(n)
		}
		order = append(order[:at], append([]int{dup}, order[at:]...)...)
	}
	return order
}

// syncConvergence merges every final state into every other and checks
// SyncConvergence against want. It modifies the final states.
func (c *checker[T, O]) syncConvergence(finals []item[T], want item[T]) {
	snap := make([]T, len(finals))
	for i, f := range finals {
		snap[i] = f.x.Clone()
	}
	for i, f := range finals {
		for j := range finals {
			if i != j {
				c.merge(f.x, snap[j], fmt.Sprintf("final sync r%d <- r%d", i+1, j+1))
			}
		}
	}
	for _, f := range finals {
		c.sameState(SyncConvergence, item[T]{name: f.name + " after the final sync round", x: f.x}, want)
	}
}

// sameState fails law unless a and b are Equal and encode alike.
func (c *checker[T, O]) sameState(law Law, a, b item[T]) {
	if !same(a.x, b.x) {
		c.fail(law, "%s is not Equal to %s\n  %s = %s\n  %s = %s", a.name, b.name, a.name, show(a.x), b.name, show(b.x))
	}
	if ab, bb := c.encode(a.x, a.name), c.encode(b.x, b.name); !bytes.Equal(ab, bb) {
		c.fail(law, "%s and %s are Equal but encode differently\n  %x\n  %x", a.name, b.name, ab, bb)
	}
}

func (c *checker[T, O]) pick(items []item[T]) item[T] { return items[c.rng.IntN(len(items))] }

// same reports whether a and b are Equal, asked both ways.
func same[T merge.State[T]](a, b T) bool { return a.Equal(b) && b.Equal(a) }

// show formats x for a failure detail, cut to about shown bytes.
func show(x any) string {
	s := fmt.Sprintf("%+v", x)
	if len(s) <= shown {
		return s
	}
	cut := shown
	for !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
