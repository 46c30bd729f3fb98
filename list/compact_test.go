package list_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/list"
)

// randomOp returns a random command with small indexes and values.
func randomOp(rng *rand.Rand) listOp {
	vals := func(n int) []string {
		v := make([]string, n)
		for i := range v {
			v[i] = string(rune('a' + rng.IntN(3)))
		}
		return v
	}
	kinds := "LLRRiiibasxxvtlrd"
	o := listOp{Kind: kinds[rng.IntN(len(kinds))], Index: rng.IntN(10) - 3, Stop: rng.IntN(10) - 3, Count: rng.IntN(5) - 2}
	switch o.Kind {
	case 'b', 'a':
		o.Values = vals(2)
	case 's', 'v':
		o.Values = vals(1)
	default:
		o.Values = vals(1 + rng.IntN(3))
	}
	return o
}

// world is a set of replicas exchanging deltas, each origin's in order.
type world struct {
	lists []*list.List
	queue [][][]*list.List // queue[to][from]: deltas not yet merged
}

func newWorld(n int) *world {
	w := &world{lists: make([]*list.List, n), queue: make([][][]*list.List, n)}
	for i := range w.lists {
		w.lists[i] = list.New()
		w.queue[i] = make([][]*list.List, n)
	}
	return w
}

func (w *world) send(from int, d *list.List) {
	for to := range w.lists {
		if to != from {
			w.queue[to][from] = append(w.queue[to][from], d)
		}
	}
}

func (w *world) deliver(to, from int) {
	if q := w.queue[to][from]; len(q) > 0 {
		w.lists[to].Merge(q[0])
		w.queue[to][from] = q[1:]
	}
}

// op is a command as the stability computation sees it: who issued it,
// what its issuer had integrated just before, and who has merged it.
type op struct {
	issuer int
	before clock.VersionVector
	merged []bool
}

// TestCompactIsInvisible runs the same random histories twice, once with
// Compact at random points and once without, and checks after every step
// that every replica reads the same list in both runs, and at the end
// that the runs converge alike.
//
// The stable vector given to Compact on replica p follows its contract:
// the meet of every replica's context, and of the context each command
// not yet merged at p was issued in.
func TestCompactIsInvisible(t *testing.T) {
	collapsed := 0
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := 3 + rng.IntN(3)
		plain, compacted := newWorld(n), newWorld(n)
		var ops []*op
		wall := int64(1000)
		for step := range 400 {
			p := rng.IntN(n)
			switch k := rng.IntN(12); {
			case k < 4:
				o := randomOp(rng)
				wall++
				at := clock.Stamp{Time: clock.NewTimestamp(wall, 0), Replica: clock.ReplicaID(p + 1)}
				ctx := plain.lists[p].Context()
				d1, err1 := applyListOp(plain.lists[p], at, o)
				d2, err2 := applyListOp(compacted.lists[p], at, o)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("seed %d step %d: %v refused on one run only: %v, %v", seed, step, o, err1, err2)
				}
				if err1 != nil {
					continue
				}
				plain.send(p, d1)
				compacted.send(p, d2)
				rec := &op{issuer: p, before: ctx.Vector(), merged: make([]bool, n)}
				rec.merged[p] = true
				ops = append(ops, rec)
			case k < 11:
				from := rng.IntN(n)
				if len(plain.queue[p][from]) == 0 {
					continue
				}
				plain.deliver(p, from)
				compacted.deliver(p, from)
				// The delta delivered is from's oldest unmerged command.
				for _, o := range ops {
					if o.issuer == from && !o.merged[p] {
						o.merged[p] = true
						break
					}
				}
			default:
				var stable clock.VersionVector
				for i, l := range plain.lists {
					c := l.Context()
					v := c.Vector()
					if i == 0 {
						stable = v
					} else {
						stable = stable.Meet(&v)
					}
				}
				for _, o := range ops {
					if !o.merged[p] {
						stable = stable.Meet(&o.before)
					}
				}
				collapsed += compacted.lists[p].Compact(stable)
			}
			for i := range n {
				if a, b := values(plain.lists[i]), values(compacted.lists[i]); !slices.Equal(a, b) {
					t.Fatalf("seed %d step %d replica %d: compacted run reads %q, plain run %q", seed, step, i, b, a)
				}
			}
		}
		for to := range n {
			for from := range n {
				for len(plain.queue[to][from]) > 0 {
					plain.deliver(to, from)
					compacted.deliver(to, from)
				}
			}
		}
		want := values(plain.lists[0])
		for i := range n {
			if a, b := values(plain.lists[i]), values(compacted.lists[i]); !slices.Equal(a, want) || !slices.Equal(b, want) {
				t.Fatalf("seed %d: replica %d ends with %q (compacted %q), replica 0 with %q", seed, i, a, b, want)
			}
		}
	}
	if collapsed < 1000 {
		t.Fatalf("only %d tombstones were compacted: the test checks too little", collapsed)
	}
	t.Logf("%d tombstones compacted", collapsed)
}

// TestCompactFullSync compacts one replica, then brings a stale one and a
// new empty one up to date from its full state.
func TestCompactFullSync(t *testing.T) {
	a := build(t, "a", "b", "c", "d")
	stale := a.Clone()
	if _, _, _, err := a.PopLeft(ra); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := a.PopRight(ra); err != nil {
		t.Fatal(err)
	}
	stale.Merge(a)
	ctx := a.Context()
	if n := a.Compact(ctx.Vector()); n != 2 || a.Tombstones() != 0 {
		t.Fatalf("Compact collapsed %d, %d left", n, a.Tombstones())
	}
	if _, _, err := a.PushLeft(ra, "x"); err != nil {
		t.Fatal(err)
	}
	fresh := list.New()
	fresh.Merge(a)
	stale.Merge(a)
	for _, l := range []*list.List{fresh, stale} {
		if got := values(l); !slices.Equal(got, []string{"x", "b", "c"}) {
			t.Fatalf("got %q", got)
		}
	}
	if !fresh.Equal(a) {
		t.Fatalf("an empty list merging a compacted state: %v, want %v", fresh, a)
	}
	// The stale replica compacts alike and then equals the others.
	if n := stale.Compact(ctx.Vector()); n != 2 || !stale.Equal(a) {
		t.Fatalf("stale replica compacted %d: %v, want %v", n, stale, a)
	}
}
