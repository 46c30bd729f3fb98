package list

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
)

// The automerge-paper editing trace (testdata/README.md): 259,778
// single-character inserts and deletes by position.

// traceOp is one character inserted (c) or deleted (del) at a position.
// It holds no pointer, so the collector need not scan the quarter million
// of them while a benchmark runs.
type traceOp struct {
	pos int32
	del bool
	c   byte
}

// trace is the trace's patches as single-character ops, which the list
// and the gap buffer replay alike.
type trace struct {
	ops      []traceOp
	patches  int // patches in the trace file
	inserted int // characters inserted
	end      string
}

// oneByte holds a string for each byte value: the values of the list are
// one character each, and need not be one heap object each.
var oneByte = func() (t [256]string) {
	for i := range t {
		t[i] = string([]byte{byte(i)})
	}
	return t
}()

var loadTrace = sync.OnceValues(func() (*trace, error) {
	f, err := os.Open("testdata/automerge-paper.json.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var raw struct {
		EndContent string `json:"endContent"`
		Txns       []struct {
			Patches [][3]any `json:"patches"`
		} `json:"txns"`
	}
	if err := json.NewDecoder(z).Decode(&raw); err != nil {
		return nil, err
	}
	tr := &trace{end: raw.EndContent}
	for _, txn := range raw.Txns {
		for _, p := range txn.Patches {
			pos, del, ins := int32(p[0].(float64)), int(p[1].(float64)), p[2].(string)
			for range del {
				tr.ops = append(tr.ops, traceOp{pos: pos, del: true})
			}
			for i := range len(ins) {
				tr.ops = append(tr.ops, traceOp{pos: pos + int32(i), c: ins[i]})
			}
			tr.patches++
			tr.inserted += len(ins)
		}
	}
	return tr, nil
})

func mustTrace(tb testing.TB) *trace {
	tb.Helper()
	tr, err := loadTrace()
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

const traceReplica clock.ReplicaID = 1

// replay applies the trace to l as one replica, recording the deltas into
// d (RecordInto), one element per character.
func replay(tb testing.TB, l *List, d *List, tr *trace) {
	l.RecordInto(d)
	defer l.RecordInto(nil)
	for _, o := range tr.ops {
		var err error
		if o.del {
			_, _, err = l.RemoveAt(traceReplica, int(o.pos))
		} else {
			_, err = l.InsertAt(traceReplica, int(o.pos), oneByte[o.c])
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func contents(l *List) string {
	var b strings.Builder
	for _, v := range l.All() {
		b.WriteString(v)
	}
	return b.String()
}

// TestEditingTrace replays the trace on one replica and merges the history
// it recorded into a fresh replica; both must end with the paper's text,
// and compacting every tombstone must not change it.
func TestEditingTrace(t *testing.T) {
	tr := mustTrace(t)
	if tr.patches != 259778 || len(tr.ops) != 259778 || len(tr.end) != 104852 {
		t.Fatalf("trace has %d patches, %d ops and %d final characters, want 259778, 259778 and 104852", tr.patches, len(tr.ops), len(tr.end))
	}
	if gapReplay(tr.ops, tr.inserted) != tr.end {
		t.Fatal("the gap buffer's replay differs from endContent")
	}
	local := New()
	history := NewDelta()
	replay(t, local, history, tr)
	if got := contents(local); got != tr.end {
		t.Fatalf("local replay: %d characters, differs from endContent", len(got))
	}
	// Every element kept (live or a tombstone) and every removal kept took
	// one dot, and nothing else did: the characters taken back unseen
	// (see RemoveAt) took none, and came as insert-remove pairs.
	ctx := local.Context()
	vv := ctx.Vector()
	dots, tombs := vv.Get(traceReplica), local.Tombstones()
	if local.Len() != len(tr.end) || ctx.CloudLen() != 0 || dots != uint64(local.Len()+2*tombs) ||
		tombs > 182315-104852 || uint64(len(tr.ops))-dots != 2*uint64(182315-104852-tombs) {
		t.Fatalf("Len %d, Tombstones %d, dots %d (cloud %d)", local.Len(), tombs, dots, ctx.CloudLen())
	}
	remote := New()
	if !remote.Merge(history) {
		t.Fatal("merging the history reported no change")
	}
	if got := contents(remote); got != tr.end {
		t.Fatalf("remote merge: %d characters, differs from endContent", len(got))
	}
	if !remote.Equal(local) {
		t.Fatal("the replica that merged the history differs from the one that made it")
	}
	if n := local.Compact(vv); n != tombs {
		t.Fatalf("Compact collapsed %d tombstones, want %d", n, tombs)
	}
	if got := contents(local); got != tr.end || local.Tombstones() != 0 {
		t.Fatalf("after Compact: %d characters, %d tombstones", len(got), local.Tombstones())
	}
}

// gapReplay is the floor: the trace, one character at a time, on a byte
// slice with a gap at the cursor; no CRDT.
func gapReplay(ops []traceOp, size int) string {
	buf := make([]byte, size)
	gs, ge := 0, len(buf) // the gap
	for _, o := range ops {
		p := int(o.pos)
		if p < gs {
			n := gs - p
			copy(buf[ge-n:ge], buf[p:gs])
			gs, ge = p, ge-n
		} else if p > gs {
			n := p - gs
			copy(buf[gs:gs+n], buf[ge:ge+n])
			gs, ge = p, ge+n
		}
		if o.del {
			ge++
		} else {
			buf[gs] = o.c
			gs++
		}
	}
	return string(buf[:gs]) + string(buf[ge:])
}

// BenchmarkEditingTrace replays the trace into one replica's list, its
// deltas recorded into one delta as an editor would batch them; beside it,
// the same edits on a gap buffer. Each checks the final text outside the
// timed loop. The list also reports the heap it holds afterwards per
// element inserted (removed ones included), without and with compaction.
func BenchmarkEditingTrace(b *testing.B) {
	tr := mustTrace(b)
	b.Run("list", func(b *testing.B) {
		var l *List
		b.ReportAllocs()
		for b.Loop() {
			l = New()
			replay(b, l, NewDelta(), tr)
		}
		b.StopTimer()
		if contents(l) != tr.end {
			b.Fatal("final text differs from endContent")
		}
		held, compacted := heldBytes(b, tr)
		b.ReportMetric(held/182315, "heldB/elem")
		b.ReportMetric(compacted/182315, "compactB/elem")
	})
	b.Run("gapbuffer", func(b *testing.B) {
		var text string
		b.ReportAllocs()
		for b.Loop() {
			text = gapReplay(tr.ops, tr.inserted)
		}
		b.StopTimer()
		if text != tr.end {
			b.Fatal("final text differs from endContent")
		}
	})
}

// BenchmarkEditingTraceRemote merges the whole recorded history of the
// trace, as one delta, into a fresh replica: the remote path.
func BenchmarkEditingTraceRemote(b *testing.B) {
	tr := mustTrace(b)
	history := NewDelta()
	replay(b, New(), history, tr)
	var l *List
	b.ReportAllocs()
	for b.Loop() {
		l = New()
		l.Merge(history)
	}
	b.StopTimer()
	if contents(l) != tr.end {
		b.Fatal("final text differs from endContent")
	}
}

// heldBytes returns the heap a replica holds after replaying the trace
// (the history delta dropped), before and after compacting every
// tombstone.
func heldBytes(tb testing.TB, tr *trace) (held, compacted float64) {
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	l := New()
	replay(tb, l, NewDelta(), tr)
	held = float64(heap() - before)
	ctx := l.Context()
	l.Compact(ctx.Vector())
	compacted = float64(heap() - before)
	runtime.KeepAlive(l)
	return held, compacted
}
