// Command counter is the votes-and-reactions program of the redcrdt design:
// three regions count poll votes (INCR poll:{id}:counter) and emoji
// reactions (HINCRBY message:{id}:emojis ❤ 1) at once, keep counting
// through a network partition, and agree on every count once it heals. A
// DEL of the poll concurrent with a vote then cancels only the votes it saw.
//
// The regions run in one process here and ship each other the deltas their
// commands return, encoded to bytes as they would cross a network.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/redcrdt/redcrdt/clock"
	"github.com/redcrdt/redcrdt/counter"
	"github.com/redcrdt/redcrdt/hash"
)

// region is one replica: its identity, clock and data.
type region struct {
	name   string
	id     clock.ReplicaID
	votes  *counter.Counter
	emojis *hash.Hash
	// outbox holds the encoded deltas not yet delivered, per peer.
	outbox map[string][][]byte
}

func newRegion(name string, id clock.ReplicaID) *region {
	return &region{
		name: name, id: id,
		votes:  counter.New(),
		emojis: hash.New(),
		outbox: map[string][][]byte{},
	}
}

// vote runs INCR poll:1:counter and queues the delta for every peer.
func (r *region) vote(peers []*region) error {
	d, err := r.votes.Incr(r.id)
	if err != nil {
		return fmt.Errorf("%s: INCR: %w", r.name, err)
	}
	return r.send(peers, "votes", d)
}

// react runs HINCRBY message:1:emojis emoji 1 and queues the delta.
func (r *region) react(peers []*region, emoji string) error {
	d, _, err := r.emojis.IncrBy(r.id, emoji, 1)
	if err != nil {
		return fmt.Errorf("%s: HINCRBY: %w", r.name, err)
	}
	return r.send(peers, "emojis", d)
}

type appender interface{ AppendBinary([]byte) ([]byte, error) }

func (r *region) send(peers []*region, key string, d appender) error {
	b, err := d.AppendBinary([]byte(key + "\x00"))
	if err != nil {
		return fmt.Errorf("%s: encode: %w", r.name, err)
	}
	for _, p := range peers {
		r.outbox[p.name] = append(r.outbox[p.name], b)
	}
	return nil
}

// deliver hands every queued delta to its peer, which decodes and merges it.
func (r *region) deliver(peers []*region) error {
	for _, p := range peers {
		for _, b := range r.outbox[p.name] {
			if err := p.receive(b); err != nil {
				return fmt.Errorf("%s <- %s: %w", p.name, r.name, err)
			}
		}
		delete(r.outbox, p.name)
	}
	return nil
}

func (r *region) receive(b []byte) error {
	var key string
	for i, c := range b {
		if c == 0 {
			key, b = string(b[:i]), b[i+1:]
			break
		}
	}
	switch key {
	case "votes":
		d := counter.New()
		if err := d.UnmarshalBinary(b); err != nil {
			return err
		}
		r.votes.Merge(d)
	case "emojis":
		d := hash.New()
		if err := d.UnmarshalBinary(b); err != nil {
			return err
		}
		r.emojis.Merge(d)
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	return nil
}

func (r *region) report(w io.Writer) {
	fmt.Fprintf(w, "  %-8s votes=%-3s emojis=%v\n", r.name, r.votes, r.emojis)
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run plays the three-region scenario, printing each stage to w, and
// returns an error if the regions do not converge.
func run(w io.Writer) error {
	us, eu, ap := newRegion("us-east", 1), newRegion("eu-west", 2), newRegion("ap-south", 3)
	all := []*region{us, eu, ap}
	others := func(r *region) []*region {
		var out []*region
		for _, p := range all {
			if p != r {
				out = append(out, p)
			}
		}
		return out
	}

	fmt.Fprintln(w, "connected: every region votes and reacts")
	for i, r := range all {
		for range i + 1 {
			if err := r.vote(others(r)); err != nil {
				return err
			}
		}
		if err := r.react(others(r), "❤"); err != nil {
			return err
		}
	}
	for _, r := range all {
		if err := r.deliver(others(r)); err != nil {
			return err
		}
	}
	for _, r := range all {
		r.report(w)
	}

	fmt.Fprintln(w, "partition: ap-south is cut off; everyone keeps counting")
	for _, r := range all {
		if err := r.vote(others(r)); err != nil {
			return err
		}
		if err := r.react(others(r), "👍"); err != nil {
			return err
		}
	}
	if err := us.deliver([]*region{eu}); err != nil {
		return err
	}
	if err := eu.deliver([]*region{us}); err != nil {
		return err
	}
	for _, r := range all {
		r.report(w)
	}

	fmt.Fprintln(w, "heal: queued deltas flow again")
	for _, r := range all {
		if err := r.deliver(others(r)); err != nil {
			return err
		}
	}
	for _, r := range all {
		r.report(w)
	}

	fmt.Fprintln(w, "conflict: us-east resets the poll (DEL) while eu-west votes")
	if err := us.send(others(us), "votes", us.votes.Reset(us.id)); err != nil {
		return err
	}
	if err := eu.vote(others(eu)); err != nil {
		return err
	}
	for _, r := range all {
		if err := r.deliver(others(r)); err != nil {
			return err
		}
	}
	for _, r := range all {
		r.report(w)
	}
	for _, r := range all[1:] {
		if !r.votes.Equal(us.votes) || !r.emojis.Equal(us.emojis) {
			return fmt.Errorf("%s and %s disagree", r.name, us.name)
		}
	}
	fmt.Fprintln(w, "converged: every region holds the same counts; the DEL cancelled only the votes it saw")
	return nil
}
