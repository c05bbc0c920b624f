package fetch

import (
	"context"
	"sync"
	"time"
)

// maxHosts bounds the per-host maps; beyond it, entries that can no longer
// delay anyone are dropped.
const maxHosts = 4096

// limiter spaces the starts of requests to one host. Callers for a host take
// its slot one at a time (channel waiters queue in order), sleep until gap has
// passed since the previous start, and stamp the actual start, so a late
// wake-up never shortens the next gap. Hosts never block one another.
type limiter struct {
	maxGap  time.Duration // the longest gap ever asked for: older entries are dead
	mu      sync.Mutex
	hosts   map[string]*hostSlot
	pruneAt int // map size that triggers the next sweep
}

type hostSlot struct {
	sem   chan struct{} // holds one token while a caller owns the slot
	last  time.Time     // start of the previous request; owned by the token holder
	users int           // callers holding a reference; guarded by limiter.mu
}

// wait blocks until a request to host may start, at least gap after the
// previous one, or until ctx ends. On success the caller owns the host's slot
// and must call start just before sending: it stamps the start and lets the
// next caller queue up, so the work between wait and send cannot eat the gap.
func (l *limiter) wait(ctx context.Context, host string, gap time.Duration) (start func(), err error) {
	hs := l.acquire(host)
	select {
	case hs.sem <- struct{}{}:
	case <-ctx.Done():
		l.release(hs)
		return nil, ctx.Err()
	}
	if !hs.last.IsZero() {
		if d := time.Until(hs.last.Add(gap)); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
	}
	if err := ctx.Err(); err != nil {
		<-hs.sem
		l.release(hs)
		return nil, err
	}
	return func() {
		hs.last = time.Now()
		<-hs.sem
		l.release(hs)
	}, nil
}

func (l *limiter) acquire(host string) *hostSlot {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hosts == nil {
		l.hosts = make(map[string]*hostSlot)
	}
	hs := l.hosts[host]
	if hs == nil {
		if len(l.hosts) >= max(l.pruneAt, maxHosts) {
			l.prune()
		}
		hs = &hostSlot{sem: make(chan struct{}, 1)}
		l.hosts[host] = hs
	}
	hs.users++
	return hs
}

func (l *limiter) release(hs *hostSlot) {
	l.mu.Lock()
	hs.users--
	l.mu.Unlock()
}

// prune drops idle hosts whose last request is older than any gap. Called
// with mu held; an entry in use is never dropped, so a host has one slot.
func (l *limiter) prune() {
	now := time.Now()
	for h, hs := range l.hosts {
		if hs.users == 0 && now.Sub(hs.last) > l.maxGap {
			delete(l.hosts, h)
		}
	}
	// Many live hosts: sweep again only once the map has doubled.
	l.pruneAt = 2 * len(l.hosts)
}
