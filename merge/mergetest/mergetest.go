package mergetest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/merge"
)

// Model describes a replicated type to the law checks.
type Model[T merge.State[T], O any] struct {
	// New returns an empty full state (required).
	New func() T
	// Apply performs op on s as replica at.Replica at hybrid time at.Time, mutating s,
	// and returns the delta it produced (required). A non-nil error means the op was
	// refused (e.g. overflow, bad argument); s must then be unchanged — the harness checks that.
	// A delta is a state of the type (an empty one if op changed nothing), never nil,
	// sharing no memory with s; s after Apply is s before it merged with the delta.
	Apply func(s T, at clock.Stamp, op O) (delta T, err error)
	// Op generates random operations of type O (required; a gopter.Gen producing O).
	Op gopter.Gen
	// Replicas is the number of replicas in each history (default 3; allow 2..8).
	Replicas int
	// MaxSteps bounds a history's length (default 40).
	MaxSteps int
	// FIFO, if set, delivers each origin's deltas in the order it produced them
	// in the convergence check (sequence types need it); otherwise any order.
	// Deliveries during a history ("r1 <- r3.2") are per-origin FIFO either way.
	FIFO bool
	// Check, if set, checks the reads of a state and returns a non-nil error
	// saying what is wrong if they break an invariant of the type: a set's Len
	// is len(Members), every member Contains, a counter only ever incremented
	// never reads negative. The harness calls it on New(), on a replica's state
	// after every step that changes it (op, sync, delivery), so on every
	// replica's state after every step, and on the result of every merge the
	// laws perform, among them joins of deltas (a delta is a state too) and
	// every prefix of every delivery order. An error fails the case with law
	// ReadCheck, naming the step or the merge. Check must not modify s.
	Check func(s T) error
	// Cases is the number of random histories (default 500).
	Cases int
	// Seed fixes the random seed (0: derive from time; the seed is printed on failure).
	Seed int64
}

// Law names one law Check verifies; the package documentation states each.
type Law string

// The laws, as LawError.Law reports them.
const (
	ChangedFlag       Law = "changed flag"
	ArgumentUntouched Law = "argument untouched"
	RefusedOp         Law = "refused op"
	DeltaIndependence Law = "delta independence"
	Encoding          Law = "encode/decode"
	DeepClone         Law = "deep clone"
	Idempotent        Law = "idempotent"
	Commutative       Law = "commutative"
	Associative       Law = "associative"
	DeltaEquivalence  Law = "delta/full equivalence"
	Convergence       Law = "convergence"
	SyncConvergence   Law = "sync convergence"
	ReadCheck         Law = "read check"
	NoPanic           Law = "no panic"
)

// ErrInvalidModel is returned (wrapped) by Check when the Model lacks a
// required field, has a field out of range, or its Op generator produces
// values that are not of type O.
var ErrInvalidModel = errors.New("mergetest: invalid model")

// LawError is the error Check returns when a history breaks a law.
type LawError struct {
	// Law is the law broken by the shrunk history.
	Law Law
	// Detail says which merge, state or delta broke it, naming replicas
	// (r1), deltas (r2.1: replica 2's first delta) and steps as the
	// shrunk history in Report prints them.
	Detail string
	// Seed is the seed of the run; Model.Seed = Seed, with the same Cases,
	// Replicas and MaxSteps, replays it.
	Seed int64
	// Report is gopter's report of the failing property: the detail, the
	// shrunk history, the history before shrinking and the delivery seed.
	Report string
}

// Error returns the broken law, the seed, and the report with the shrunk
// history.
func (e *LawError) Error() string {
	return fmt.Sprintf("mergetest: law %q broken (seed %d)\n%s", e.Law, e.Seed, e.Report)
}

// Defaults and bounds of Model fields, and the gopter shrink budget.
const (
	defaultReplicas = 3
	minReplicas     = 2
	maxReplicas     = 8
	defaultMaxSteps = 40
	defaultCases    = 500
	maxShrinks      = 300
	// opTries is how many values Check draws from Model.Op before giving up
	// on one step (the generator's sieve may reject values).
	opTries = 10
)

// Check runs every law over Cases random histories and returns nil if all hold, or an
// error naming the broken law, the seed, and the shrunk failing history.
// That error is a *LawError; an unusable Model gives an error wrapping
// ErrInvalidModel. Check is deterministic for a non-zero Seed.
func Check[T merge.State[T], O any](m Model[T, O]) error {
	if err := m.normalize(); err != nil {
		return err
	}
	if m.Seed == 0 {
		m.Seed = time.Now().UnixNano()
	}
	params := gopter.DefaultTestParametersWithSeed(m.Seed)
	params.MinSuccessfulTests = m.Cases
	params.MaxSize = m.MaxSteps
	params.MaxShrinkCount = maxShrinks

	properties := gopter.NewProperties(params)
	properties.Property("merge laws", prop.ForAll(
		func(h history[O], deliverySeed uint64) string { return runCase(&m, h, deliverySeed) },
		historyGen[O](m.Op, m.Replicas, m.MaxSteps).WithLabel("history"),
		seedGen.WithLabel("delivery seed"),
	))
	var report bytes.Buffer
	rep := &capture{out: gopter.NewFormatedReporter(true, 120, &report)}
	if properties.Run(rep) {
		return nil
	}
	lawErr := &LawError{Law: NoPanic, Seed: m.Seed, Report: report.String()}
	res := rep.result
	switch {
	case len(res.Labels) > 0:
		law, detail, _ := strings.Cut(res.Labels[0], ": ")
		lawErr.Law, lawErr.Detail = Law(law), detail
	case res.Error != nil:
		lawErr.Detail = res.Error.Error()
	default:
		lawErr.Detail = "gopter ended the run with status " + res.Status.String()
	}
	return lawErr
}

// CheckLaws calls Check and fails t (t.Fatal) with its error. Use from tests.
func CheckLaws[T merge.State[T], O any](t testing.TB, m Model[T, O]) {
	t.Helper()
	if err := Check(m); err != nil {
		t.Fatal(err)
	}
}

// normalize fills in defaults and validates m.
func (m *Model[T, O]) normalize() error {
	switch {
	case m.New == nil:
		return fmt.Errorf("%w: New is nil", ErrInvalidModel)
	case m.Apply == nil:
		return fmt.Errorf("%w: Apply is nil", ErrInvalidModel)
	case m.Op == nil:
		return fmt.Errorf("%w: Op is nil", ErrInvalidModel)
	case m.Replicas < 0, m.MaxSteps < 0, m.Cases < 0:
		return fmt.Errorf("%w: negative Replicas, MaxSteps or Cases", ErrInvalidModel)
	}
	if m.Replicas == 0 {
		m.Replicas = defaultReplicas
	}
	if m.Replicas < minReplicas || m.Replicas > maxReplicas {
		return fmt.Errorf("%w: Replicas is %d, want %d..%d", ErrInvalidModel, m.Replicas, minReplicas, maxReplicas)
	}
	if m.MaxSteps == 0 {
		m.MaxSteps = defaultMaxSteps
	}
	if m.Cases == 0 {
		m.Cases = defaultCases
	}
	// Sample the generator once, on its own random source, so a generator
	// of the wrong type is reported here rather than as a panic mid-run.
	p := &gopter.GenParameters{MaxSize: m.MaxSteps, Rng: rand.New(gopter.NewLockedSource(m.Seed))}
	for range opTries {
		v, ok := m.Op(p).Retrieve()
		if !ok {
			continue
		}
		if _, isO := v.(O); !isO && v != nil {
			return fmt.Errorf("%w: Op generates %T, not %v", ErrInvalidModel, v, reflect.TypeFor[O]())
		}
		return nil
	}
	return fmt.Errorf("%w: Op generated no value in %d tries", ErrInvalidModel, opTries)
}

// capture is a gopter.Reporter that keeps the result it reports.
type capture struct {
	out    gopter.Reporter
	result *gopter.TestResult
}

func (c *capture) ReportTestResult(name string, result *gopter.TestResult) {
	c.result = result
	c.out.ReportTestResult(name, result)
}
