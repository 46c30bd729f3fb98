package list

import "github.com/redcrdt/redcrdt/clock"

// contextTag and contextVersion are the header of clock.CausalContext's
// encoding, which addRange builds.
const (
	contextTag     = 'C'
	contextVersion = 1
)

// addRange adds the dots (rep, from..to) to ctx. When ctx already holds
// every earlier dot of rep and nothing past a gap, it adds them in O(1) by
// merging a context made of a vector; otherwise one dot at a time.
func addRange(ctx *clock.CausalContext, rep clock.ReplicaID, from, to uint64) {
	if to-from >= 4 && ctx.CloudLen() == 0 && (from == 1 || ctx.Contains(clock.Dot{Replica: rep, Seq: from - 1})) {
		if add, ok := prefixContext(rep, to); ok {
			ctx.Merge(&add)
			return
		}
	}
	for s := from; s <= to; s++ {
		ctx.Add(clock.Dot{Replica: rep, Seq: s})
	}
}

// prefixContext returns the context of the dots (rep, 1..to), decoded
// from the canonical encoding clock documents: the context header, the
// vector's entries, and an empty dot cloud.
func prefixContext(rep clock.ReplicaID, to uint64) (clock.CausalContext, bool) {
	var vv clock.VersionVector
	vv.Advance(rep, to)
	vb, _ := vv.AppendBinary(nil)
	b := make([]byte, 0, len(vb)+1)
	b = append(b, contextTag, contextVersion)
	b = append(b, vb[2:]...) // the vector's body, without its header
	b = append(b, 0)         // no cloud
	var c clock.CausalContext
	if c.UnmarshalBinary(b) != nil {
		return clock.CausalContext{}, false
	}
	return c, true
}
