package list_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/list"
)

const benchSize = 100_000

// filled returns a list of n elements pushed by ra in batches of 100, so
// it holds n/100 runs rather than one.
func filled(tb testing.TB, n int) *list.List {
	l := list.New()
	batch := make([]string, 100)
	for i := 0; i < n; i += len(batch) {
		for j := range batch {
			batch[j] = strconv.Itoa(i + j)
		}
		if _, err := l.InsertAt(ra, l.Len()/2, batch...); err != nil {
			tb.Fatal(err)
		}
	}
	return l
}

func BenchmarkPushLeft(b *testing.B) {
	l := list.New()
	b.ReportAllocs()
	for b.Loop() {
		l.PushLeft(ra, "job")
	}
}

func BenchmarkPushRight(b *testing.B) {
	l := list.New()
	b.ReportAllocs()
	for b.Loop() {
		l.PushRight(ra, "job")
	}
}

// BenchmarkPopRight pops from a list of benchSize, pushing back to keep
// its size: one LPUSH and one RPOP per op.
func BenchmarkPopRight(b *testing.B) {
	l := filled(b, benchSize)
	b.ReportAllocs()
	for b.Loop() {
		l.PushLeft(ra, "job")
		l.PopRight(ra)
	}
}

func BenchmarkIndex(b *testing.B) {
	l := filled(b, benchSize)
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		l.Index(rng.IntN(benchSize))
	}
}

// BenchmarkRange reads 100 elements at a random place (LRANGE i i+99).
func BenchmarkRange(b *testing.B) {
	l := filled(b, benchSize)
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		i := rng.IntN(benchSize - 100)
		l.Range(i, i+99)
	}
}

// BenchmarkInsertRemoveRandom inserts and removes at random places.
func BenchmarkInsertRemoveRandom(b *testing.B) {
	l := filled(b, benchSize)
	rng := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		l.InsertAt(ra, rng.IntN(l.Len()+1), "x")
		l.RemoveAt(ra, rng.IntN(l.Len()))
	}
}

func BenchmarkSet(b *testing.B) {
	l := filled(b, benchSize)
	rng := rand.New(rand.NewPCG(1, 1))
	at := clock.Stamp{Replica: ra}
	b.ReportAllocs()
	for b.Loop() {
		at.Time++
		l.Set(at, rng.IntN(benchSize), "v")
	}
}

// BenchmarkMerge merges into a replica of benchSize elements: another
// replica's one-push deltas (delta), or its whole state after a push
// (full).
func BenchmarkMerge(b *testing.B) {
	b.Run("delta", func(b *testing.B) {
		src := filled(b, benchSize)
		dst := src.Clone()
		deltas := make([]*list.List, 10_000)
		for i := range deltas {
			deltas[i], _ = src.InsertAt(rb, (i*7919)%src.Len(), "x")
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i == len(deltas) {
				b.StopTimer()
				dst = src.Clone()
				i = 0
				b.StartTimer()
			}
			dst.Merge(deltas[i])
			i++
		}
	})
	b.Run("full", func(b *testing.B) {
		src := filled(b, benchSize)
		base := src.Clone()
		src.PushLeft(rb, "x")
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			dst := base.Clone()
			b.StartTimer()
			dst.Merge(src)
		}
	})
}

// BenchmarkMergeClear merges the delta of a DEL of a 2^20-element list,
// made at another replica, into a replica holding the same elements: the
// removal is one record, so its cost should follow the runs it removes,
// not the elements.
func BenchmarkMergeClear(b *testing.B) {
	src := list.New()
	if _, _, err := src.PushRight(ra, slices.Repeat([]string{"x"}, 1<<20)...); err != nil {
		b.Fatal(err)
	}
	del, err := src.Clone().Clear(rb)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		dst := src.Clone()
		b.StartTimer()
		dst.Merge(del)
	}
}

func BenchmarkClone(b *testing.B) {
	l := filled(b, benchSize)
	b.ReportAllocs()
	for b.Loop() {
		l.Clone()
	}
}

func BenchmarkEncode(b *testing.B) {
	l := filled(b, benchSize)
	buf, _ := l.AppendBinary(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = l.AppendBinary(buf[:0])
	}
}

func BenchmarkDecode(b *testing.B) {
	buf, _ := filled(b, benchSize).AppendBinary(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if err := list.New().UnmarshalBinary(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompact compacts a list of benchSize elements half of which
// were popped.
func BenchmarkCompact(b *testing.B) {
	l := filled(b, benchSize)
	for range benchSize / 2 {
		l.PopRight(ra)
	}
	ctx := l.Context()
	stable := ctx.Vector()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c := l.Clone()
		b.StartTimer()
		c.Compact(stable)
	}
}

// BenchmarkMergeHeldKeystrokes merges a typist's 2,000 keystrokes, each its
// own delta, into a replica that gets the first one last: every other
// keystroke waits for its origin. Reported per keystroke.
func BenchmarkMergeHeldKeystrokes(b *testing.B) {
	const n = 2000
	src := list.New()
	deltas := make([]*list.List, n)
	for i := range deltas {
		var err error
		if deltas[i], err = src.InsertAt(ra, i, "x"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		dst := list.New()
		for _, d := range deltas[1:] {
			dst.Merge(d)
		}
		dst.Merge(deltas[0])
		if dst.Len() != n {
			b.Fatalf("Len %d, want %d", dst.Len(), n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/keystroke")
}

// BenchmarkMergeHeldEdits merges edits one delta each into a replica that
// must hold most of them: late-first is a typist's 4,000 keystrokes (two
// characters typed, one deleted) whose first arrives last, so each of the
// others waits for it; while-integrating interleaves 2,000 of those with
// 2,000 pushes of another replica that go in at once. Reported per delta.
func BenchmarkMergeHeldEdits(b *testing.B) {
	for _, bc := range []struct {
		name   string
		pushes bool
	}{{"late-first", false}, {"while-integrating", true}} {
		b.Run(bc.name, func(b *testing.B) {
			const n = 4000
			src := list.New()
			var deltas []*list.List // in the order merged
			var late *list.List     // the typist's first keystroke, merged last
			typed := 0
			for len(deltas) < n-1 {
				var d *list.List
				var err error
				switch {
				case bc.pushes && len(deltas)%2 == 0:
					d, _, err = src.PushLeft(rb, "b")
				case typed%3 == 2:
					d, _, err = src.RemoveAt(ra, src.Len()-1)
					typed++
				default:
					d, err = src.InsertAt(ra, src.Len(), "x")
					typed++
				}
				if err != nil {
					b.Fatal(err)
				}
				if late == nil && typed == 1 {
					late = d
				} else {
					deltas = append(deltas, d)
				}
			}
			benchMerges(b, src, append(deltas, late))
		})
	}
}

// BenchmarkMergeHeldWakes merges 1,000 answers of one replica, each typed
// right after a character of another and held, and then those characters
// one delta each: every one wakes a single answer. Each of those merges
// retries only the answer it woke, but still looks at every record held
// to find it, O(k) a merge for k held. Reported per delta.
func BenchmarkMergeHeldWakes(b *testing.B) {
	const n = 1000
	src := list.New()
	var chars, answers []*list.List
	for i := range n {
		d, err := src.InsertAt(ra, 2*i, "a")
		if err != nil {
			b.Fatal(err)
		}
		chars = append(chars, d)
		if d, err = src.InsertAt(rb, 2*i+1, "b"); err != nil {
			b.Fatal(err)
		}
		answers = append(answers, d)
	}
	benchMerges(b, src, append(answers, chars...))
}

// benchMerges merges deltas in order into a new list each iteration,
// checks the last result equals want, and reports the time per delta.
func benchMerges(b *testing.B, want *list.List, deltas []*list.List) {
	var dst *list.List
	b.ReportAllocs()
	for b.Loop() {
		dst = list.New()
		for _, d := range deltas {
			dst.Merge(d)
		}
	}
	if !dst.Equal(want) {
		b.Fatalf("merged %v\nwant %v", dst, want)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(deltas)), "ns/delta")
}
