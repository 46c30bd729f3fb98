package main

import (
	"strings"
	"testing"
)

// TestRun plays the scenario and checks the counts every region ends with:
// 6 votes and 3 hearts before the partition, then one more vote and thumb
// per region, 9 and 3 after the heal, and 1 vote after a DEL concurrent
// with one vote.
func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		`ap-south votes=7   emojis={"❤":"3" "👍":"1"}`,
		`ap-south votes=9   emojis={"❤":"3" "👍":"3"}`,
		`ap-south votes=1   emojis={"❤":"3" "👍":"3"}`,
		"converged",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
