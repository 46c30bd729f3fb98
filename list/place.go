package list

// xpos is an element's place for comparisons: the index of its item and
// its flat offset there (see loc for blocks).
type xpos struct{ idx, off int }

func (a xpos) less(b xpos) bool { return a.idx < b.idx || (a.idx == b.idx && a.off < b.off) }

// posOf returns the place of the integrated element d; the start of the
// list (d == 0 on the left) is {-1, 0}, its end {Len, 0}.
func (s *store) posOf(d pdot, right bool) xpos {
	if d == 0 {
		if right {
			return xpos{s.tree.Len(), 0}
		}
		return xpos{-1, 0}
	}
	loc, ok := s.find(d)
	if !ok {
		return xpos{-1, 0}
	}
	idx, _ := s.tree.Position(loc.c)
	return xpos{idx, loc.off}
}

// before reports whether the new element a goes before b when both were
// inserted at the same place: the smaller replica ID first. (One replica
// never inserts twice at the same place: its second insert has the first
// as an origin.)
func (s *store) before(a, b pdot) bool { return s.reps[a.rep()] < s.reps[b.rep()] }

// place returns where the new run x goes: before flat offset f of the item
// at c (c is End for the end of the list).
//
// This is the integration of Yjs as modified in Gentle's reference CRDTs
// ("YjsMod"), which Weidner and Kleppmann show equivalent to FugueMax:
// scanning the elements between x's origins, x goes before the first
// element whose left origin lies before x's; elements sharing x's left
// origin are passed (and their subtrees with them) when their right
// origin lies beyond x's or, for the same right origin, their replica ID
// is smaller. A run is placed by its first element; the rest of it follows
// that element, as no other element can yet refer to it.
func (s *store) place(x *run) (cursor, int) {
	var c cursor
	f := 0
	if x.l == 0 {
		c = s.tree.Begin()
	} else if lc, ok := s.find(x.l); ok {
		c, f = s.flatNext(lc.c, lc.off)
	} else {
		c = s.tree.Begin()
	}
	if s.dotAtPos(c, f) == x.r {
		return c, f
	}
	// SUBTLE: the slow path. Positions compare by item index and flat
	// offset; items are only read here, never changed.
	posL := s.posOf(x.l, false)
	posR := s.posOf(x.r, true)
	idx, _ := s.tree.Position(c)
	scanning := false
	dc, df := c, f
	for {
		if !scanning {
			dc, df = c, f
		}
		if s.tree.IsEnd(c) || (xpos{idx, f}) == posR {
			break
		}
		o := s.tree.At(c)
		if o.block() {
			break
		}
		k := o.k(f)
		ol, or := o.origins(k)
		oleft := s.posIn(ol, o, idx, false)
		if oleft.less(posL) {
			break
		}
		if oleft == posL {
			oright := s.posIn(or, o, idx, true)
			switch {
			case oright.less(posR):
				scanning = true
			case oright == posR:
				if s.before(x.id, o.dotAt(k)) {
					return dc, df
				}
				scanning = false
			default:
				scanning = false
			}
		}
		last := int(o.n) - 1
		switch {
		case !o.back() || f == last:
			// The rest of a forward run has this element as left
			// origin, which lies after x's: all skipped.
			c, f = s.tree.Next(c), 0
			idx++
		case oleft != posL:
			// Every element of this backward run has the left origin
			// just compared, after x's: all skipped. (x's right origin
			// is not among them: its own left origin, this one, would
			// lie before x's.)
			c, f = s.tree.Next(c), 0
			idx++
		case scanning:
			// The next elements share x's left origin and have their
			// successor as right origin, before x's: each only keeps
			// scanning, up to the one before x's right origin (if in
			// this run) or the last.
			g := last
			if posR.idx == idx && posR.off > f {
				g = posR.off - 1
			}
			f = max(g, f+1)
		default:
			f++
		}
	}
	return dc, df
}

// posIn returns the place of d, an origin of an element of the item o at
// index idx; origins inside o need no lookup.
func (s *store) posIn(d pdot, o *run, idx int, right bool) xpos {
	if k, ok := o.contains(d); ok {
		if o.back() {
			return xpos{idx, int(o.n) - 1 - k}
		}
		return xpos{idx, k}
	}
	return s.posOf(d, right)
}
