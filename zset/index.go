package zset

import (
	"cmp"
	"slices"
	"strings"

	"github.com/redcrdt/redcrdt/internal/ostree"
)

// item is one present member in the index: the score it is ordered by
// (a copy, so a member's new score can be computed before it moves) and
// its entry.
type item struct {
	score float64
	e     *entry
}

// newIndex returns an empty index whose leaves keep their members' leaf
// pointers up to date. Every item weighs 1 and the set never calls
// SetWeight, so the tree never defers a weight change and its reads stay
// reads: that is what lets the set's queries run concurrently.
func newIndex() *ostree.Tree[item] {
	t := ostree.New[item]()
	t.OnMove(func(items []item, to *ostree.Leaf[item]) {
		for i := range items {
			items[i].e.leaf = to
		}
	})
	return t
}

// compareItem orders an item against (score, member): by score, then by
// member bytes.
func compareItem(x *item, score float64, member string) int {
	if c := cmp.Compare(x.score, score); c != 0 {
		return c
	}
	return strings.Compare(x.e.member, member)
}

// cursor returns the index position of e, which must be indexed.
// O(LeafCap).
func (s *Set) cursor(e *entry) ostree.Cursor[item] {
	items := e.leaf.Items()
	for i := range items {
		if items[i].e == e {
			return ostree.Cursor[item]{Leaf: e.leaf, Slot: i}
		}
	}
	panic("zset: index leaf lost its member") // unreachable while OnMove keeps leaves
}

// insert puts the present member e into the index at its score. O(log n).
func (s *Set) insert(e *entry) {
	if s.index == nil {
		s.index = newIndex()
	}
	c, _ := s.index.Search(func(x *item) int { return compareItem(x, e.score, e.member) })
	c = s.index.Insert(c, item{score: e.score, e: e}, 1)
	e.leaf = c.Leaf
}

// appendIndex puts e at the end of the index, which must order before it.
func (s *Set) appendIndex(e *entry) {
	c := s.index.Insert(s.index.End(), item{score: e.score, e: e}, 1)
	e.leaf = c.Leaf
}

// reindex brings e's place in the index in line with its presence and
// score: O(1) if neither changed, else O(log n). A delta has no index.
func (s *Set) reindex(e *entry) {
	if s.members.IsDelta() {
		return
	}
	if e.leaf != nil {
		c := s.cursor(e)
		if e.present() && s.index.At(c).score == e.score {
			return
		}
		s.index.Delete(c)
		e.leaf = nil
	}
	if e.present() {
		s.insert(e)
	}
}

// rebuildIndex indexes the present members from scratch. O(n log n).
func (s *Set) rebuildIndex() {
	var present []*entry
	for _, v := range s.members.All {
		v.e.leaf = nil
		if v.e.present() {
			present = append(present, v.e)
		}
	}
	slices.SortFunc(present, func(a, b *entry) int {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c
		}
		return strings.Compare(a.member, b.member)
	})
	s.index = nil
	if len(present) == 0 {
		return
	}
	s.index = newIndex()
	for _, e := range present {
		s.appendIndex(e)
	}
}

// rank returns e's index in the index. O(log n).
func (s *Set) rank(e *entry) int {
	i, _ := s.index.Position(s.cursor(e))
	return i
}
