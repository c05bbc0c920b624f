package queue

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Metrics are a worker's counters, served in the Prometheus text format.
type Metrics struct {
	documents, events, errors, deadLetters atomic.Int64
	lag                                    atomic.Int64
	ready                                  atomic.Bool

	mu       sync.Mutex
	commits  int64
	sum      float64
	recent   [512]float64 // last commit durations, for the quantiles
	next     int
	lastErr  string
	lastTime time.Time
}

// NewMetrics returns zeroed metrics.
func NewMetrics() *Metrics { return &Metrics{} }

func (m *Metrics) observeCommit(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := d.Seconds()
	m.commits++
	m.sum += s
	m.recent[m.next%len(m.recent)] = s
	m.next++
}

func (m *Metrics) setLastError(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastErr, m.lastTime = err.Error(), time.Now()
}

// Counts returns documents, events, errors and dead letters so far.
func (m *Metrics) Counts() (docs, events, errs, dead int64) {
	return m.documents.Load(), m.events.Load(), m.errors.Load(), m.deadLetters.Load()
}

// Handler serves /healthz (200 while the worker runs, 503 otherwise) and
// /metrics.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if !m.ready.Load() {
			http.Error(w, "not running", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.write(w)
	})
	return mux
}

func (m *Metrics) write(w http.ResponseWriter) {
	counter := func(name, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("dyad_documents_total", "Documents coded and committed.", m.documents.Load())
	counter("dyad_events_total", "Events coded in committed documents.", m.events.Load())
	counter("dyad_errors_total", "Failed codings, commits and acknowledgements.", m.errors.Load())
	counter("dyad_dead_letters_total", "Messages parked in the dead-letter stream.", m.deadLetters.Load())
	fmt.Fprintf(w, "# HELP dyad_consumer_lag Messages in the work stream not yet delivered.\n# TYPE dyad_consumer_lag gauge\ndyad_consumer_lag %d\n", m.lag.Load())
	up := 0
	if m.ready.Load() {
		up = 1
	}
	fmt.Fprintf(w, "# HELP dyad_worker_up Whether the worker is consuming.\n# TYPE dyad_worker_up gauge\ndyad_worker_up %d\n", up)

	m.mu.Lock()
	n := min(m.next, len(m.recent))
	xs := append([]float64(nil), m.recent[:n]...)
	count, sum := m.commits, m.sum
	m.mu.Unlock()
	sort.Float64s(xs)
	fmt.Fprintf(w, "# HELP dyad_commit_seconds Time to commit one batch to the store (quantiles over the last %d commits).\n# TYPE dyad_commit_seconds summary\n", len(m.recent))
	for _, q := range []float64{0.5, 0.9, 0.99} {
		v := 0.0
		if len(xs) > 0 {
			v = xs[min(len(xs)-1, int(q*float64(len(xs))))]
		}
		fmt.Fprintf(w, "dyad_commit_seconds{quantile=\"%g\"} %g\n", q, v)
	}
	fmt.Fprintf(w, "dyad_commit_seconds_sum %g\ndyad_commit_seconds_count %d\n", sum, count)
}
