package ostree_test

import (
	"cmp"
	"fmt"

	"github.com/redcrdt/redcrdt/internal/ostree"
)

// A rope of words, each weighted by its length: FindWeight finds the word
// holding a character offset, Position the offset where a word starts.
func ExampleTree() {
	t := ostree.New[string]()
	for _, w := range []string{"order", "statistic", "tree"} {
		t.Insert(t.End(), w, len(w))
	}
	c, off := t.FindWeight(7)
	fmt.Println(*t.At(c), off)
	index, start := t.Position(c)
	fmt.Println(index, start, t.Len(), t.Weight())
	// Output:
	// statistic 2
	// 1 5 3 18
}

// A sorted set: members kept in order with weight 1, found with Search,
// ranked with Position.
func ExampleTree_Search() {
	t := ostree.New[int]()
	for _, k := range []int{50, 10, 40, 20, 30} {
		c, found := t.Search(func(x *int) int { return cmp.Compare(*x, k) })
		if !found {
			t.Insert(c, k, 1)
		}
	}
	c, found := t.Search(func(x *int) int { return cmp.Compare(*x, 35) })
	rank, _ := t.Position(c)
	fmt.Println(*t.At(c), found, rank)
	// Output: 40 false 3
}
