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
