package mergetest_test

import (
	"strings"
	"testing"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge/mergetest"
)

// TestCheckDecode checks the fuzz-target body: it accepts a canonical
// encoding, returns false for a refusal, and fails when a decoder accepts
// bytes that do not survive a round trip.
func TestCheckDecode(t *testing.T) {
	x := newToy(sound)()
	x.label, x.at = "hi", clock.Stamp{Time: 1, Replica: 2}
	good, _ := x.AppendBinary(nil)

	got, ok := mergetest.CheckDecode(t, good, newToy(sound))
	if !ok || !got.Equal(x) {
		t.Errorf("a canonical encoding: ok %v, equal %v", ok, ok && got.Equal(x))
	}
	if _, ok := mergetest.CheckDecode(t, []byte{0xff}, newToy(sound)); ok {
		t.Error("garbage decoded")
	}

	var tb fatalfTB
	mergetest.CheckDecode(&tb, good, newToy(dropsLabel))
	if !strings.Contains(tb.fatal, "not canonical") {
		t.Errorf("a decoder that drops a field: Fatalf(%q), want a canonical-encoding failure", tb.fatal)
	}
}

// fatalfTB records what CheckDecode passes to Fatalf.
type fatalfTB struct {
	fatalTB
}

func (f *fatalfTB) Fatalf(format string, args ...any) {
	if f.fatal == "" {
		f.fatal = format
	}
}
