package mergetest_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/redcrdt/redcrdt/merge/mergetest"
)

func TestCheckPassesSoundType(t *testing.T) {
	tests := []struct {
		name   string
		change func(*mergetest.Model[*toy, toyOp])
	}{
		{"defaults", func(*mergetest.Model[*toy, toyOp]) {}},
		{"two replicas", func(m *mergetest.Model[*toy, toyOp]) { m.Replicas = 2 }},
		{"eight replicas", func(m *mergetest.Model[*toy, toyOp]) { m.Replicas = 8 }},
		{"fifo", func(m *mergetest.Model[*toy, toyOp]) { m.FIFO = true }},
		{"long histories", func(m *mergetest.Model[*toy, toyOp]) { m.MaxSteps = 100; m.Cases = 50 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := toyModel(sound)
			tt.change(&m)
			if err := mergetest.Check(m); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCheckCatchesBrokenLaws(t *testing.T) {
	tests := []struct {
		flaw flaw
		want mergetest.Law
	}{
		{addingMerge, mergetest.Idempotent},
		{lastMergedWins, mergetest.Commutative},
		{dropsLabel, mergetest.Encoding},
		{mutatesArg, mergetest.ArgumentUntouched},
		{alwaysChanged, mergetest.ChangedFlag},
		{refusalMutates, mergetest.RefusedOp},
		{lossyDelta, mergetest.DeltaEquivalence},
		{shallowClone, mergetest.DeepClone},
		{panicsOnSeven, mergetest.NoPanic},
		{aliasedDelta, mergetest.DeltaIndependence},
		{keepsRef, mergetest.DeepClone},
		{staleTotal, mergetest.ReadCheck},
		{forgetfulIncr, mergetest.DeltaEquivalence},
	}
	for _, tt := range tests {
		t.Run(string(tt.want), func(t *testing.T) {
			err := mergetest.Check(toyModel(tt.flaw))
			var lawErr *mergetest.LawError
			if !errors.As(err, &lawErr) {
				t.Fatalf("Check = %v, want a *LawError", err)
			}
			if lawErr.Law != tt.want {
				t.Fatalf("Check broke law %q, want %q\n%v", lawErr.Law, tt.want, err)
			}
			if lawErr.Seed != 42 || lawErr.Detail == "" {
				t.Errorf("LawError{Seed: %d, Detail: %q}, want seed 42 and a detail", lawErr.Seed, lawErr.Detail)
			}
			msg := err.Error()
			for _, want := range []string{fmt.Sprintf("law %q broken (seed 42)", tt.want), "history: ", "delivery seed: "} {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
		})
	}
}

// TestCheckShrinks checks that a failure reports the smallest history:
// the adding merge is caught by one increment.
func TestCheckShrinks(t *testing.T) {
	var lawErr *mergetest.LawError
	if !errors.As(mergetest.Check(toyModel(addingMerge)), &lawErr) {
		t.Fatal("Check passed a merge that adds")
	}
	shrunk := regexp.MustCompile(`history: (.*\n)*?delivery seed`).FindString(lawErr.Report)
	if !regexp.MustCompile(`^history: 1 steps\n +1  r[1-3] op INCRBY [1-9]\n`).MatchString(shrunk) {
		t.Errorf("shrunk history = %q, want one INCRBY", shrunk)
	}
	if !regexp.MustCompile(`^\(?r[1-3] ⊔ r[1-3]\)? is not Equal to r[1-3]\n`).MatchString(lawErr.Detail) {
		t.Errorf("Detail = %q, want it to name the merge", lawErr.Detail)
	}
}

// TestCheckOpEffect checks that an op whose state change its delta does
// not carry is reported at that op.
func TestCheckOpEffect(t *testing.T) {
	var lawErr *mergetest.LawError
	if err := mergetest.Check(toyModel(forgetfulIncr)); !errors.As(err, &lawErr) || lawErr.Law != mergetest.DeltaEquivalence {
		t.Fatalf("Check = %v, want a %q failure", err, mergetest.DeltaEquivalence)
	}
	if !regexp.MustCompile(`^r(\d)'s state after step (\d+) \(r\d op INCRBY \d\) is not Equal to r\d's state before step \d+ \(r\d op INCRBY \d\) ⊔ its delta r\d\.\d+\n`).MatchString(lawErr.Detail) {
		t.Errorf("Detail = %q, want it to name the op", lawErr.Detail)
	}
}

// TestCheckReadCheck checks that a wrong read fails with law ReadCheck,
// naming the state Check rejected, and that a sound type's reads pass.
func TestCheckReadCheck(t *testing.T) {
	var lawErr *mergetest.LawError
	if err := mergetest.Check(toyModel(staleTotal)); !errors.As(err, &lawErr) || lawErr.Law != mergetest.ReadCheck {
		t.Fatalf("Check = %v, want a %q failure", err, mergetest.ReadCheck)
	}
	if !regexp.MustCompile(`^Check of (r\d's state after step \d+ \(.*\)|the result of .*): Total\(\) = \d+, but the counts add up to \d+\n  state = `).MatchString(lawErr.Detail) {
		t.Errorf("Detail = %q, want it to name the state and what Check said", lawErr.Detail)
	}
	shrunk := regexp.MustCompile(`history: (.*\n)*?delivery seed`).FindString(lawErr.Report)
	if !strings.HasPrefix(shrunk, "history: 1 steps\n") && !strings.HasPrefix(shrunk, "history: 2 steps\n") {
		t.Errorf("shrunk history = %q, want one or two steps", shrunk)
	}
	m := toyModel(sound)
	calls := 0
	m.Check = func(s *toy) error { calls++; return checkTotal(s) }
	if err := mergetest.Check(m); err != nil || calls < m.Cases {
		t.Errorf("Check = %v after %d calls of Model.Check, want nil after %d or more", err, calls, m.Cases)
	}
}

func TestCheckIsReproducible(t *testing.T) {
	first := mergetest.Check(toyModel(lastMergedWins))
	second := mergetest.Check(toyModel(lastMergedWins))
	var a, b *mergetest.LawError
	if !errors.As(first, &a) || !errors.As(second, &b) {
		t.Fatalf("Check = %v, %v; want two law errors", first, second)
	}
	if a.Law != b.Law || a.Detail != b.Detail {
		t.Errorf("one seed gave two failures:\n%s: %s\n%s: %s", a.Law, a.Detail, b.Law, b.Detail)
	}
}

func TestCheckRejectsInvalidModel(t *testing.T) {
	tests := []struct {
		name   string
		change func(*mergetest.Model[*toy, toyOp])
	}{
		{"no New", func(m *mergetest.Model[*toy, toyOp]) { m.New = nil }},
		{"no Apply", func(m *mergetest.Model[*toy, toyOp]) { m.Apply = nil }},
		{"no Op", func(m *mergetest.Model[*toy, toyOp]) { m.Op = nil }},
		{"one replica", func(m *mergetest.Model[*toy, toyOp]) { m.Replicas = 1 }},
		{"nine replicas", func(m *mergetest.Model[*toy, toyOp]) { m.Replicas = 9 }},
		{"negative cases", func(m *mergetest.Model[*toy, toyOp]) { m.Cases = -1 }},
		{"negative steps", func(m *mergetest.Model[*toy, toyOp]) { m.MaxSteps = -1 }},
		{"op of another type", func(m *mergetest.Model[*toy, toyOp]) { m.Op = gen.Int() }},
		{"op generator rejecting all", func(m *mergetest.Model[*toy, toyOp]) {
			m.Op = genToyOp().SuchThat(func(toyOp) bool { return false })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := toyModel(sound)
			tt.change(&m)
			if err := mergetest.Check(m); !errors.Is(err, mergetest.ErrInvalidModel) {
				t.Errorf("Check = %v, want ErrInvalidModel", err)
			}
		})
	}
}

// fatalTB records what CheckLaws passes to Fatal.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Helper()           {}
func (f *fatalTB) Fatal(args ...any) { f.fatal = fmt.Sprint(args...) }

func TestCheckLaws(t *testing.T) {
	mergetest.CheckLaws(t, toyModel(sound))

	var tb fatalTB
	mergetest.CheckLaws(&tb, toyModel(alwaysChanged))
	if !strings.Contains(tb.fatal, `law "changed flag" broken`) {
		t.Errorf("CheckLaws called Fatal with %q, want the changed flag law", tb.fatal)
	}
}

// TestCheckShrinksOps checks that a failing history's ops shrink by their
// generator's own rules: a type that breaks on big increments is reported
// with the smallest one.
func TestCheckShrinksOps(t *testing.T) {
	m := toyModel(panicsOnSeven)
	m.Op = gen.UInt64Range(7, 1000).Map(func(n uint64) toyOp { return toyOp{Incr: n} }).
		WithShrinker(func(v any) gopter.Shrink {
			op := v.(toyOp)
			if op.Incr <= 7 {
				return gopter.NoShrink
			}
			done := false
			return func() (any, bool) {
				if done {
					return nil, false
				}
				done = true
				return toyOp{Incr: 7 + (op.Incr-7)/2}, true
			}
		})
	var lawErr *mergetest.LawError
	if !errors.As(mergetest.Check(m), &lawErr) || lawErr.Law != mergetest.NoPanic {
		t.Fatalf("Check = %v, want a NoPanic failure", lawErr)
	}
	if !strings.Contains(lawErr.Report, "history: 1 steps\n    1  r") || !strings.Contains(lawErr.Report, " op INCRBY 7\n") {
		t.Errorf("report does not show one INCRBY 7:\n%s", lawErr.Report)
	}
}

// BenchmarkCheck measures one run of the default 500 histories over a
// simple type: the cost a type's law test adds to its package's tests.
func BenchmarkCheck(b *testing.B) {
	for _, replicas := range []int{3, 5} {
		b.Run(fmt.Sprintf("replicas=%d", replicas), func(b *testing.B) {
			m := toyModel(sound)
			m.Cases = 500
			m.Replicas = replicas
			for b.Loop() {
				if err := mergetest.Check(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
