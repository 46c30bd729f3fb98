package list

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// valsState describes the value arrays of l's store: what an armed run's
// deferred counts settle into.
func valsState(l *List) string {
	if l.st == nil {
		return ""
	}
	s := l.st
	out := ""
	for i, r := range s.reps {
		vs := &s.vals[i]
		out += fmt.Sprintf("%v:next=%d base=%d live=%v kept=%d; ", r, vs.next, vs.base, vs.live, len(vs.kept))
	}
	return out
}

// TestArmedHarness runs random editing sessions on two lists recording into
// deltas: a edits on armed runs, b does the same commands with every armed
// run settled after each, and a plain slice models the text. Between
// commands it reads either list or recorder, merges a remote replica's
// edits, switches or drops the recorder, round-trips through the encoding,
// compacts, and deletes over another replica's text of more than one value
// chunk; values returned, states, recorders and the replicas the
// recorders reach must agree.
func TestArmedHarness(t *testing.T) {
	const me, other clock.ReplicaID = 4, 9
	seeds := uint64(3)
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, 99))
		a, b, o, c := New(), New(), New(), New()
		c2 := New()
		da, db := NewDelta(), NewDelta()
		a.RecordInto(da)
		b.RecordInto(db)
		recording := true
		pure := true
		armedT, armedR := 0, 0
		var model []string
		cur := 0
		fail := func(step int, f string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d step %d: %s", seed, step, fmt.Sprintf(f, args...))
		}
		do := func(step int, f func(l *List) (string, error)) {
			t.Helper()
			va, ea := f(a)
			vb, eb := f(b)
			if (ea == nil) != (eb == nil) || va != vb {
				fail(step, "armed %q %v, settled %q %v", va, ea, vb, eb)
			}
			b.settle()
			db.settle()
		}
		ship := func() {
			if recording {
				c.Merge(da)
				c2.Merge(db)
				o.Merge(da)
			}
		}
		// Other replica's text: >1024 values so arming applies on it.
		{
			for i := range 1100 + int(seed)*50 {
				o.InsertAt(other, i, string(rune('A'+i%26)))
			}
			a.Merge(o.Clone())
			b.Merge(o.Clone())
			c.Merge(o.Clone())
			c2.Merge(o.Clone())
			model = elems(o)
			cur = len(model) / 2
		}
		reads := 0
		read := func(step int) {
			reads++
			switch rng.IntN(12) {
			case 0:
				a.Context()
			case 1:
				da.Context()
			case 2:
				_ = da.String()
			case 3:
				if !da.Clone().Equal(da) {
					fail(step, "recorder clone differs")
				}
			case 4:
				x := c.Clone()
				x.Merge(da)
			case 5:
				x := c.Clone()
				x.Merge(a)
			case 6:
				_, _ = a.AppendBinary(nil)
			case 7:
				_ = a.Clone()
			case 8:
				_ = a.String()
			case 9:
				x := New()
				x.Merge(da)
			case 10:
				enc, _ := da.AppendBinary(nil)
				x := New()
				if err := x.UnmarshalBinary(enc); err != nil {
					fail(step, "decode: %v", err)
				}
			case 11:
				_ = a.Equal(b)
			}
		}
		for step := range 400 {
			switch k := rng.IntN(30); {
			case k < 10 || len(model) == 0:
				n := 1 + rng.IntN(80)
				if rng.IntN(8) == 0 {
					n = 1100 + rng.IntN(1200)
				}
				for range n {
					v := string(rune('a' + rng.IntN(26)))
					if rng.IntN(3000) == 0 {
						v = "é"
					}
					at := cur
					if a.st != nil && a.st.hot.vb != nil {
						armedT++
					}
					do(step, func(l *List) (string, error) { _, err := l.InsertAt(me, at, v); return "", err })
					model = slices.Insert(model, cur, v)
					cur++
					if rng.IntN(40) == 0 {
						read(step)
					}
				}
			case k < 16 && len(model) > 0:
				back := k < 13
				n := 1 + rng.IntN(10)
				if rng.IntN(8) == 0 {
					n = 100 + rng.IntN(1200)
				}
				for ; n > 0 && (back && cur > 0 || !back && cur < len(model)); n-- {
					if back {
						cur--
					}
					at := cur
					if a.st != nil && a.st.hot.vr != nil {
						armedR++
					}
					do(step, func(l *List) (string, error) { _, v, err := l.RemoveAt(me, at); return v, err })
					model = slices.Delete(model, cur, cur+1)
					if rng.IntN(40) == 0 {
						read(step)
					}
				}
			case k < 19:
				cur = rng.IntN(len(model) + 1)
			case k == 19:
				ship()
				da, db = NewDelta(), NewDelta()
				if rng.IntN(4) == 0 {
					a.RecordInto(nil)
					b.RecordInto(nil)
					recording = false
					pure = false
				} else {
					a.RecordInto(da)
					b.RecordInto(db)
					recording = true
				}
			case k == 20: // another replica's burst, merged mid-run
				o.Merge(a.Clone())
				i := rng.IntN(o.Len() + 1)
				d := NewDelta()
				o.RecordInto(d)
				for j := range 1 + rng.IntN(30) {
					o.InsertAt(other, i+j, "Z")
				}
				if o.Len() > 3 && rng.IntN(2) == 0 {
					o.RemoveAt(other, rng.IntN(o.Len()))
				}
				o.RecordInto(nil)
				a.Merge(d)
				b.Merge(d)
				c.Merge(d)
				c2.Merge(d)
				model = elems(b)
				cur = min(cur, len(model))
			case k == 21 && len(model) > 0:
				switch rng.IntN(6) {
				case 0:
					do(step, func(l *List) (string, error) { _, v, _, err := l.PopLeft(me); return v, err })
				case 1:
					do(step, func(l *List) (string, error) { _, v, _, err := l.PopRight(me); return v, err })
				case 2:
					i := rng.IntN(len(model))
					st := clock.Stamp{Time: clock.NewTimestamp(int64(1000+step), 0), Replica: me}
					do(step, func(l *List) (string, error) { _, err := l.Set(st, i, "S"); return "", err })
				case 3:
					do(step, func(l *List) (string, error) { _, _, err := l.PushRight(me, "P"); return "", err })
				case 4:
					do(step, func(l *List) (string, error) { _, _, err := l.PushLeft(me, "L", "M"); return "", err })
				case 5:
					x := rng.IntN(len(model))
					do(step, func(l *List) (string, error) { _, err := l.Trim(me, 0, len(model)-1-x%5); return "", err })
				}
				model = elems(b)
				cur = min(cur, len(model))
			case k == 22 && rng.IntN(6) == 0:
				do(step, func(l *List) (string, error) { _, err := l.Clear(me); return "", err })
				model = nil
				cur = 0
			case k == 23: // compact with a stable vector
				ship()
				o.Merge(a.Clone())
				ca, co, cc := b.Context(), o.Context(), c.Context()
				v1, v2, v3 := ca.Vector(), co.Vector(), cc.Vector()
				st := v1.Meet(&v2)
				st = st.Meet(&v3)
				a.Compact(st)
				b.Compact(st)
			case k == 24: // round trip the list itself
				enc, _ := a.AppendBinary(nil)
				encb, _ := b.AppendBinary(nil)
				if err := a.UnmarshalBinary(enc); err != nil {
					fail(step, "%v", err)
				}
				if err := b.UnmarshalBinary(encb); err != nil {
					fail(step, "%v", err)
				}
				if recording {
					a.RecordInto(da)
					b.RecordInto(db)
				}
			case k == 25: // round trip the recorders
				for _, d := range []*List{da, db} {
					enc, _ := d.AppendBinary(nil)
					if err := d.UnmarshalBinary(enc); err != nil {
						fail(step, "%v", err)
					}
				}
			case k == 26: // the typist as a merge argument, a clone typed on
				// Elements and contexts, not Equal: a and b may have
				// compacted tombstones c still holds (case 23).
				x := c.Clone()
				x.Merge(a)
				y := a.Clone()
				y.Merge(c)
				if !slices.Equal(elems(x), elems(y)) || x.String() != y.String() {
					fail(step, "merging the armed typist into a replica differs from the other way round")
				}
			default:
				read(step)
			}
			if got := elems(a); !slices.Equal(got, model) {
				fail(step, "armed list %d elems, model %d", len(got), len(model))
			}
			if got := elems(b); !slices.Equal(got, model) {
				fail(step, "settled list differs from the model")
			}
			if step%5 == 0 {
				if !a.Equal(b) || !slices.Equal(rmDots(a), rmDots(b)) {
					fail(step, "armed list differs from settled")
				}
				if va, vb := valsState(a), valsState(b); va != vb {
					fail(step, "values differ:\n armed   %s\n settled %s", va, vb)
				}
				if a.Tombstones() != b.Tombstones() {
					fail(step, "tombstones differ")
				}
			}
			if step%10 == 0 && !da.Equal(db) {
				fail(step, "recorders differ:\n%v\n%v", da, db)
			}
		}
		ship()
		if !c.Equal(c2) {
			t.Fatalf("seed %d: the replica that merged the armed recorders differs from the one that merged the settled ones", seed)
		}
		if pure && !slices.Equal(elems(c), elems(a)) {
			t.Fatalf("seed %d: the replica that merged every recorder differs:\n%v\n%v", seed, c.Context(), a.Context())
		}
		t.Logf("seed %d: pure %v, %d typed armed, %d removed armed", seed, pure, armedT, armedR)
		if va, vb := valsState(a), valsState(b); va != vb {
			t.Fatalf("seed %d: values differ at end:\n %s\n %s", seed, va, vb)
		}
	}
}
