package list

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// TestValuesMixed stores one-byte values and longer ones in the same
// chunks, in both orders, and reads them back after overwrites, clears
// and a clone.
func TestValuesMixed(t *testing.T) {
	const n = 3000
	want := make([]string, n)
	var v values
	first := v.alloc(n)
	for i := range n {
		s := string(rune('a' + i%26))
		switch {
		case i%7 == 3:
			s = "long" + strconv.Itoa(i)
		case i%11 == 5:
			s = ""
		}
		want[i] = s
	}
	v.setRun(first, want[:n/2])
	for i := n / 2; i < n; i++ {
		v.set(first+uint64(i), want[i])
	}
	for i := 0; i < n; i += 5 {
		if i%2 == 0 {
			want[i] = "x"
		} else {
			want[i] = "overwritten"
		}
		v.overwrite(first+uint64(i), want[i])
	}
	c := v.clone()
	for i := range n {
		if got := v.get(first + uint64(i)); got != want[i] {
			t.Fatalf("slot %d: %q, want %q", i, got, want[i])
		}
		if got := c.get(first + uint64(i)); got != want[i] {
			t.Fatalf("clone, slot %d: %q, want %q", i, got, want[i])
		}
	}
	for i := range n - 1 {
		v.clear(first + uint64(i))
	}
	if got := v.get(first + n - 1); got != want[n-1] {
		t.Fatalf("last slot after clearing the others: %q, want %q", got, want[n-1])
	}
	for i := range len(v.chunks) - 1 {
		if !v.chunks[i].empty() {
			t.Fatalf("chunk %d of %d still held after clearing every slot before the last", i, len(v.chunks))
		}
	}
	if got := c.get(first); got != want[0] {
		t.Fatalf("clone after clearing the original: %q, want %q", got, want[0])
	}
}

// TestRecordedValuesMixed records typing whose values are one byte, then
// longer, then one byte again, into one delta (whose values start as
// bytes and turn into strings), with the values of one command mixed
// too; the delta, encoded and decoded or merged, must rebuild the list.
func TestRecordedValuesMixed(t *testing.T) {
	l := New()
	d := NewDelta()
	l.RecordInto(d)
	var want []string
	typeAt := func(vs ...string) {
		t.Helper()
		if _, err := l.InsertAt(1, len(want), vs...); err != nil {
			t.Fatal(err)
		}
		want = append(want, vs...)
	}
	for i := range 5000 {
		switch {
		case i == 2000:
			typeAt("long", "x")
		case i > 2000 && i%97 == 0:
			typeAt("y", "", "zz")
		default:
			typeAt(string(rune('a' + i%26)))
		}
		if i%1500 == 1499 {
			if _, _, err := l.RemoveAt(1, len(want)-1); err != nil {
				t.Fatal(err)
			}
			want = want[:len(want)-1]
		}
	}
	l.RecordInto(nil)
	if got := elems(l); !slices.Equal(got, want) {
		t.Fatalf("list holds %d values, want %d", len(got), len(want))
	}
	merged := New()
	merged.Merge(d)
	b, err := d.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	decoded := New()
	if err := decoded.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	fromDecoded := New()
	fromDecoded.Merge(decoded)
	for _, o := range []*List{merged, fromDecoded} {
		if got := elems(o); !slices.Equal(got, want) || !o.Equal(l) {
			t.Fatalf("replica from the delta holds %d values, want %d", len(got), len(want))
		}
	}
}

// TestValueSlotsPast32Bits pushes and pops past 2^32 value slots, where a
// long-lived queue's producer gets (slots are numbered by history and
// never reused): the counter once wrapped there and the next push
// panicked. The arena is fast-forwarded as popping everything leaves it.
func TestValueSlotsPast32Bits(t *testing.T) {
	l := New()
	if _, _, err := l.PushRight(1, "a"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := l.PopLeft(1); err != nil {
		t.Fatal(err)
	}
	v := &l.st.vals[0]
	next := uint64(math.MaxUint32 - 2)
	c, _ := chunkOf(next)
	v.next, v.base = next, c
	v.chunks, v.live = nil, nil
	for i := range 6 {
		if _, _, err := l.PushRight(1, strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(l.Range(0, -1), ""); got != "012345" {
		t.Fatalf("list reads %q", got)
	}
	for i := range 6 {
		if _, v, _, _ := l.PopLeft(2); v != strconv.Itoa(i) {
			t.Fatalf("pop %d = %q", i, v)
		}
	}
}

// TestValuesFollowLiveValues keeps one value (pushed first) while many are
// pushed and popped after it: the chunks the popped values used must go,
// though the first chunk stays (it once kept every chunk after it).
func TestValuesFollowLiveValues(t *testing.T) {
	l := New()
	if _, _, err := l.PushRight(1, "first"); err != nil {
		t.Fatal(err)
	}
	const cycles = 1 << 18
	for i := range cycles {
		if _, _, err := l.PushLeft(1, strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := l.Set(clock.Stamp{Time: clock.Timestamp(i + 1), Replica: 1}, -1, "first"); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, _, err := l.PopLeft(1); err != nil {
			t.Fatal(err)
		}
	}
	v := &l.st.vals[0]
	if held := len(v.chunks) + len(v.kept); held > 4 {
		t.Errorf("2 values held over %d slots handed out keep %d chunks", v.next, held)
	}
	if got := strings.Join(l.Range(0, -1), ","); got != "first" {
		t.Fatalf("list reads %q", got)
	}
	c := l.Clone()
	if _, _, _, err := c.PopLeft(1); err != nil || c.Len() != 0 || l.Len() != 1 {
		t.Fatalf("clone popped: len %d, original len %d, err %v", c.Len(), l.Len(), err)
	}
	if _, v, _, _ := l.PopRight(1); v != "first" {
		t.Fatalf("popped %q", v)
	}
	if held := len(l.st.vals[0].kept); held != 0 {
		t.Errorf("%d chunks still kept after popping every value", held)
	}
}
