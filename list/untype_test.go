package list

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// typed returns a list of replica me that recorded into d the typing of
// text at the end, and has been read since (which settles it): past its
// first 1,024 values, so that the next characters typed on it arm.
func typed(t *testing.T, me clock.ReplicaID, text string) (*List, *List) {
	t.Helper()
	l, d := New(), NewDelta()
	l.RecordInto(d)
	for i := range len(text) {
		if _, err := l.InsertAt(me, i, text[i:i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if l.Len() != len(text) {
		t.Fatalf("Len %d after typing %d characters", l.Len(), len(text))
	}
	return l, d
}

// TestRemoveUnseenTyping checks that a backspace right after characters
// typed on an armed run, with nothing read in between, takes the character
// back as if it had never been typed (no tombstone, no dot), and that a
// read of the list or of its recorder in between makes it an ordinary
// removal. In every case the list holds the text, its dots stay dense, and
// a replica that merges the recorder equals it.
func TestRemoveUnseenTyping(t *testing.T) {
	const me clock.ReplicaID = 3
	base := strings.Repeat("x", 1100)
	cases := []struct {
		name  string
		read  func(l, d *List)
		tombs int // tombstones the session leaves
	}{
		{"nothing read", func(l, d *List) {}, 0},
		{"list read", func(l, d *List) { l.Len() }, 1},
		{"list context read", func(l, d *List) { l.Context() }, 1},
		{"recorder read", func(l, d *List) { d.Context() }, 1},
		{"recorder encoded", func(l, d *List) { d.AppendBinary(nil) }, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, d := typed(t, me, base)
			n := len(base)
			do := func(del bool, v string) {
				t.Helper()
				var err error
				if del {
					var got string
					_, got, err = l.RemoveAt(me, n-1)
					if got != v {
						t.Fatalf("removed %q, want %q", got, v)
					}
					n--
				} else {
					_, err = l.InsertAt(me, n, v)
					n++
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			// "help", a read (or none), backspace, "lo": "hello".
			for _, c := range "help" {
				do(false, string(c))
			}
			tc.read(l, d)
			do(true, "p")
			for _, c := range "lo" {
				do(false, string(c))
			}
			if got := strings.Join(elems(l), ""); got != base+"hello" {
				t.Fatalf("text ends %q, want %q", got[len(base):], "hello")
			}
			ctx := l.Context()
			vv := ctx.Vector()
			if l.Tombstones() != tc.tombs || ctx.CloudLen() != 0 || vv.Get(me) != uint64(l.Len()+2*tc.tombs) {
				t.Fatalf("Tombstones %d, dots %d (cloud %d); want %d tombstones and %d dots", l.Tombstones(), vv.Get(me), ctx.CloudLen(), tc.tombs, l.Len()+2*tc.tombs)
			}
			r := New()
			r.Merge(d)
			if !r.Equal(l) {
				t.Fatalf("the replica that merged the recorder\n %v\ndiffers from the list\n %v", r, l)
			}
		})
	}
}

// TestRemoveUnseenTypingSessions types and removes at random on one
// replica recording into a delta, reading the list only now and then, and
// checks after every session: the text equals a plain slice's, the dots
// are dense and number one per insert and one per removal but two fewer
// per character taken back (a removal that left no tombstone), a replica
// that merged every recorder equals the list, and another replica's
// concurrent edit merges the same into both. It fails if no character
// was taken back.
func TestRemoveUnseenTypingSessions(t *testing.T) {
	const me, other clock.ReplicaID = 5, 8
	untyped := 0
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 23))
		l, d := typed(t, me, strings.Repeat("-", 1100))
		model := slices.Repeat([]string{"-"}, 1100)
		r := New()
		ops, removals := 0, 0
		for session := range 40 {
			cur := rng.IntN(len(model) + 1)
			for range 1 + rng.IntN(200) {
				if rng.IntN(3) == 0 && cur > 0 {
					_, v, err := l.RemoveAt(me, cur-1)
					if err != nil || v != model[cur-1] {
						t.Fatalf("seed %d session %d: removed %q (%v), want %q", seed, session, v, err, model[cur-1])
					}
					cur--
					model = slices.Delete(model, cur, cur+1)
					removals++
				} else {
					v := string(rune('a' + rng.IntN(26)))
					if _, err := l.InsertAt(me, cur, v); err != nil {
						t.Fatal(err)
					}
					model = slices.Insert(model, cur, v)
					cur++
				}
				ops++
				if rng.IntN(40) == 0 {
					l.Len() // a read now and then settles what was typed
				}
			}
			if got := elems(l); !slices.Equal(got, model) {
				t.Fatalf("seed %d session %d: list %q, want %q", seed, session, got, model)
			}
			ctx := l.Context()
			vv := ctx.Vector()
			dots := vv.Get(me) - 1100 // the typing before the sessions took 1,100
			back := removals - l.Tombstones()
			if ctx.CloudLen() != 0 || back < 0 || dots != uint64(ops-2*back) {
				t.Fatalf("seed %d session %d: %d ops (%d removals) took %d dots (cloud %d), leaving %d tombstones", seed, session, ops, removals, dots, ctx.CloudLen(), l.Tombstones())
			}
			if session%8 == 7 {
				// Ship the recorder, start another, and merge another
				// replica's concurrent insert into both.
				r.Merge(d)
				if !r.Equal(l) {
					t.Fatalf("seed %d session %d: the replica that merged the recorders\n %v\ndiffers from the list\n %v", seed, session, r, l)
				}
				d = NewDelta()
				l.RecordInto(d)
				o := r.Clone()
				i := rng.IntN(o.Len() + 1)
				od, err := o.InsertAt(other, i, "Z")
				if err != nil {
					t.Fatal(err)
				}
				l.Merge(od)
				r.Merge(od)
				model = slices.Insert(model, i, "Z")
				if !r.Equal(l) {
					t.Fatalf("seed %d session %d: after another replica's insert, the replicas differ", seed, session)
				}
			}
		}
		untyped += removals - l.Tombstones()
	}
	if untyped == 0 {
		t.Fatal("no character was taken back; the test no longer exercises RemoveAt's unseen path")
	}
}

// TestUnmarshalOverArmedTypist decodes another document over a list whose
// last character was typed on an armed run and not yet counted (see
// hotRun), then records the new document into a new delta: shipping the
// old delta later must not count the old keystrokes into the new state,
// so a peer that merges what the list recorded equals it, and the old
// delta still carries the old document's text.
func TestUnmarshalOverArmedTypist(t *testing.T) {
	const me, other clock.ReplicaID = 1, 2
	base := strings.Repeat("-", 1100)
	a, d1 := typed(t, me, base)
	for i, c := range "xy" {
		if _, err := a.InsertAt(me, len(base)+i, string(c)); err != nil {
			t.Fatal(err)
		}
	}
	if a.st.hot.k == 0 {
		t.Fatal("the y was not typed armed; the test no longer exercises the armed path")
	}
	doc2 := New()
	if _, _, err := doc2.PushRight(other, "h", "i"); err != nil {
		t.Fatal(err)
	}
	enc, err := doc2.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	d2 := NewDelta()
	a.RecordInto(d2)
	for i, c := range "abc" {
		if i == 2 {
			old := New()
			old.Merge(d1) // the old delta shipped mid-typing
			if got := strings.Join(elems(old), ""); got != base+"xy" {
				t.Fatalf("the old delta's document ends %q, want %q", got[len(base):], "xy")
			}
		}
		if _, err := a.InsertAt(me, 2+i, string(c)); err != nil {
			t.Fatal(err)
		}
	}
	peer := doc2.Clone()
	peer.Merge(d2)
	if got := strings.Join(elems(a), ""); got != "hiabc" {
		t.Fatalf("list %q, want %q", got, "hiabc")
	}
	if !peer.Equal(a) {
		t.Fatalf("the peer that merged what the list recorded\n %v\ndiffers from it\n %v", peer, a)
	}
}

// TestSharedRecorderArmed has two replicas' lists record into one delta
// while each types, takes back, removes, pops, pushes, sets and reads (the
// list, the recorder, clones of both, an iterator made before typing), and
// merges the shared recorder mid-typing; at each sync the delta is merged
// into both and into a third replica, which must then all be equal, and
// each list must hold its model's text now and then. It fails if nothing
// was typed armed or taken back.
func TestSharedRecorderArmed(t *testing.T) {
	untyped, armed := 0, 0
	for seed := range uint64(2) {
		u, a := sharedRecorderSession(t, seed)
		untyped, armed = untyped+u, armed+a
	}
	if untyped == 0 || armed == 0 {
		t.Fatalf("%d characters taken back, %d steps armed; the test no longer exercises the armed paths", untyped, armed)
	}
}

// sharedRecorderSession is one seed of TestSharedRecorderArmed; it returns
// the characters taken back and the steps that ended armed.
func sharedRecorderSession(t *testing.T, seed uint64) (untyped, armed int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	ids := []clock.ReplicaID{3, 7}
	base := strings.Repeat("-", 1100)
	p := New()
	if _, err := p.InsertAt(9, 0, strings.Split(base, "")...); err != nil {
		t.Fatal(err)
	}
	ls := []*List{p.Clone(), p.Clone()}
	models := [][]string{elems(p), elems(p)}
	curs := []int{550, 200}
	d := NewDelta()
	for _, l := range ls {
		l.RecordInto(d)
	}
	w := 0
	for step := range 6000 {
		if rng.IntN(20) == 0 {
			w = 1 - w
		}
		l, id := ls[w], ids[w]
		m := &models[w]
		cur := &curs[w]
		if *cur > len(*m) {
			*cur = len(*m)
		}
		switch k := rng.IntN(100); {
		case k < 55:
			v := string(rune('a' + rng.IntN(26)))
			if _, err := l.InsertAt(id, *cur, v); err != nil {
				t.Fatal(err)
			}
			*m = slices.Insert(*m, *cur, v)
			*cur++
		case k < 75 && *cur > 0:
			if l.st != nil && l.st.hot.k > 0 && *cur == l.st.hot.pos+l.st.hot.k {
				untyped++
			}
			_, v, err := l.RemoveAt(id, *cur-1)
			if err != nil || v != (*m)[*cur-1] {
				t.Fatalf("seed %d step %d: backspace %q %v want %q", seed, step, v, err, (*m)[*cur-1])
			}
			*cur--
			*m = slices.Delete(*m, *cur, *cur+1)
		case k < 82 && *cur < len(*m):
			_, v, err := l.RemoveAt(id, *cur)
			if err != nil || v != (*m)[*cur] {
				t.Fatalf("seed %d step %d: delete %q %v want %q", seed, step, v, err, (*m)[*cur])
			}
			*m = slices.Delete(*m, *cur, *cur+1)
		case k < 86:
			*cur = rng.IntN(len(*m) + 1)
		case k < 88:
			switch rng.IntN(6) {
			case 4:
				// the other list merges the shared recorder mid-typing
				ls[1-w].Merge(d)
				models[1-w] = elems(ls[1-w])
				curs[1-w] = min(curs[1-w], len(models[1-w]))
			case 5:
				if c := l.Clone(); !c.Equal(l) {
					t.Fatalf("seed %d step %d: a clone differs from the list", seed, step)
				}
				l.Merge(d)
				*m = elems(l)
			case 0:
				l.Len()
			case 1:
				d.Len()
			case 2:
				if c := d.Clone(); !c.Equal(d) {
					t.Fatalf("seed %d step %d: a clone of the recorder differs from it", seed, step)
				}
			case 3:
				it := l.All()
				v := string(rune('A' + rng.IntN(26)))
				if _, err := l.InsertAt(id, *cur, v); err != nil {
					t.Fatal(err)
				}
				*m = slices.Insert(*m, *cur, v)
				*cur++
				var got []string
				for _, x := range it {
					got = append(got, x)
				}
				if !slices.Equal(got, *m) {
					t.Fatalf("seed %d step %d: iterator", seed, step)
				}
			}
		case k < 90 && len(*m) > 0:
			st := clock.Stamp{Time: clock.NewTimestamp(int64(1000+step), 0), Replica: id}
			i := rng.IntN(len(*m))
			if _, err := l.Set(st, i, "S"); err != nil {
				t.Fatal(err)
			}
			(*m)[i] = "S"
		case k < 92 && len(*m) > 0:
			_, v, _, err := l.PopRight(id)
			if err != nil || v != (*m)[len(*m)-1] {
				t.Fatalf("seed %d step %d: popped %q (%v), want %q", seed, step, v, err, (*m)[len(*m)-1])
			}
			*m = (*m)[:len(*m)-1]
		case k < 97:
			// sync
			for _, x := range ls {
				x.Merge(d)
			}
			p.Merge(d)
			for i, x := range ls {
				if !x.Equal(p) {
					t.Fatalf("seed %d step %d: list %d after sync\n %v\n differs from the replica\n %v", seed, step, i, x.Context(), p.Context())
				}
			}
			models[0], models[1] = elems(p), elems(p)
			d = NewDelta()
			for _, x := range ls {
				x.RecordInto(d)
			}
		default:
			if _, _, err := l.PushRight(id, "P"); err != nil {
				t.Fatal(err)
			}
			*m = append(*m, "P")
		}
		if l.st != nil && l.st.hot.k > 0 {
			armed++
		}
		if rng.IntN(60) != 0 {
			continue
		}
		if got := elems(l); !slices.Equal(got, *m) {
			t.Fatalf("seed %d step %d: list %d differs from its model", seed, step, w)
		}
	}
	return untyped, armed
}

// TestArmedUpToMaxSeq types, backspaces and takes back characters right
// up to the last sequence number a replica has, on armed runs, and checks
// the list against a plain slice, that the replica runs out (ErrFull) when
// few numbers are left, and that a replica that merged the recorder equals
// it.
func TestArmedUpToMaxSeq(t *testing.T) {
	const me clock.ReplicaID = 5
	for _, gap := range []uint64{1100 + 3, 1100 + 40, 1100 + 200} {
		l, d := New(), NewDelta()
		c := NewDelta()
		c.ctx.AddRange(me, 1, maxSeq-gap)
		l.Merge(c)
		r := New()
		r.Merge(c)
		l.RecordInto(d)
		var model []string
		for i := range 1100 {
			if _, err := l.InsertAt(me, i, "-"); err != nil {
				t.Fatal(err)
			}
			model = append(model, "-")
		}
		l.Len()
		rng := rand.New(rand.NewPCG(gap, 1))
		full := false
		for step := 0; step < 400; step++ {
			if rng.IntN(3) == 0 {
				_, v, err := l.RemoveAt(me, len(model)-1)
				if err == ErrFull {
					full = true
					break
				}
				if err != nil || v != model[len(model)-1] {
					t.Fatalf("gap %d step %d: removed %q %v", gap, step, v, err)
				}
				model = model[:len(model)-1]
			} else {
				ch := string(rune('a' + rng.IntN(26)))
				_, err := l.InsertAt(me, len(model), ch)
				if err == ErrFull {
					full = true
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				model = append(model, ch)
			}
		}
		if got := elems(l); !slices.Equal(got, model) {
			t.Fatalf("gap %d: list differs from model", gap)
		}
		ctx := l.Context()
		if vv := ctx.Vector(); vv.Get(me) > maxSeq || ctx.CloudLen() != 0 {
			t.Fatalf("gap %d: context %v", gap, ctx.String())
		}
		r.Merge(d)
		if !r.Equal(l) {
			t.Fatalf("gap %d: the replica that merged the recorder differs", gap)
		}
		if gap == 1100+3 && !full {
			t.Fatalf("gap %d: the replica's sequence numbers never ran out; the test no longer reaches maxSeq", gap)
		}
	}
}
