package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// batchOf takes records from g until they carry about n events.
func batchOf(g *gen, n int) ([]model.Record, int) {
	var recs []model.Record
	evs := 0
	for evs < n {
		r := g.records(1, 0.1, 0.02)
		recs = append(recs, r...)
		evs += len(r[0].Events)
	}
	return recs, evs
}

// BenchmarkPut inserts batches of ~1,000 realistic events into a SQLite
// store that grows as it runs; events/s counts the input events stored.
func BenchmarkPut(b *testing.B) {
	benchPut(b, sqliteDSNFor, 1000)
}

// BenchmarkPutBound is BenchmarkPut with every value bound as a statement
// parameter, as on PostgreSQL, instead of read through the bulk table.
func BenchmarkPutBound(b *testing.B) {
	saved := bulkErr
	bulkErr = errors.New("switched off by the benchmark")
	defer func() { bulkErr = saved }()
	benchPut(b, sqliteDSNFor, 1000)
}

// BenchmarkPutBatch5000 is BenchmarkPut with batches of ~5,000 events.
func BenchmarkPutBatch5000(b *testing.B) {
	benchPut(b, sqliteDSNFor, 5000)
}

// BenchmarkPutPostgres is BenchmarkPut on PostgreSQL ($DYAD_TEST_POSTGRES).
func BenchmarkPutPostgres(b *testing.B) {
	benchPut(b, pgDSNFor, 1000)
}

func benchPut(b *testing.B, dsn dsnMaker, batch int) {
	s := mustOpen(b, dsn(b))
	g := newGen(7)
	ctx := context.Background()
	total := 0
	var busy, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		recs, n := batchOf(g, batch)
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		if _, err := s.Put(ctx, recs); err != nil {
			b.Fatal(err)
		}
		busy += time.Since(t0)
		cpu += cpuTime() - c0
		total += n
	}
	b.ReportMetric(float64(total)/busy.Seconds(), "events/s")
	// On a shared machine wall time includes waiting for a CPU; this does not.
	b.ReportMetric(float64(total)/cpu.Seconds(), "events/cpu-s")
}

// BenchmarkPutWriters is BenchmarkPut with the batches made beforehand and
// stored by one or two goroutines at once, as dyad worker processes do:
// a writer prepares its batch while the other holds the write lock. (Two
// writers commit in no fixed order, so ids vary from run to run; dyad
// ingest keeps one.)
func BenchmarkPutWriters(b *testing.B) {
	for _, writers := range []int{1, 2} {
		b.Run(fmt.Sprint(writers), func(b *testing.B) {
			s := mustOpen(b, sqliteDSNFor(b))
			g := newGen(7)
			batches := make(chan []model.Record, b.N)
			total := 0
			for i := 0; i < b.N; i++ {
				recs, n := batchOf(g, 1000)
				batches <- recs
				total += n
			}
			close(batches)
			b.ResetTimer()
			t0 := time.Now()
			var wg sync.WaitGroup
			for range writers {
				wg.Go(func() {
					for recs := range batches {
						if _, err := s.Put(context.Background(), recs); err != nil {
							b.Error(err)
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(total)/time.Since(t0).Seconds(), "events/s")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The 1M-event store is built once per process, in a temporary directory.
var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

const bigEvents = 1_000_000

func bigStore(b *testing.B) *sqlStore {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "dyad-bench-")
		if bigErr != nil {
			return
		}
		ctx := context.Background()
		s, err := Open(ctx, filepath.Join(bigDir, "big.db"))
		if err != nil {
			bigErr = err
			return
		}
		defer s.Close()
		g := newGen(42)
		t0 := time.Now()
		stored := 0
		for stored < bigEvents {
			recs, _ := batchOf(g, 2000)
			st, err := s.Put(ctx, recs)
			if err != nil {
				bigErr = err
				return
			}
			stored += st.NewEvents
		}
		fi, _ := os.Stat(filepath.Join(bigDir, "big.db"))
		fmt.Fprintf(os.Stderr, "built a store of %d events in %v (%d MB)\n", stored, time.Since(t0).Round(time.Second), fi.Size()>>20)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	s := mustOpen(b, filepath.Join(bigDir, "big.db"))
	return s
}

// BenchmarkDyadSeries is a monthly time series, both directions, of the
// busiest dyad in a store of 1M events.
func BenchmarkDyadSeries(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	top, err := s.TopDyads(ctx, Filter{From: "2019-01-01", To: "2019-01-31"}, 1)
	if err != nil || len(top) == 0 {
		b.Fatal("no dyad", err)
	}
	f := Filter{Source: top[0].Source, Target: top[0].Target, BothDirections: true}
	b.ResetTimer()
	var rows []SeriesRow
	for i := 0; i < b.N; i++ {
		if rows, err = s.Series(ctx, f, IntervalMonth); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int64
	for _, r := range rows {
		n += r.Events
	}
	b.ReportMetric(float64(n), "events-in-series")
}

// BenchmarkSeriesAll is the monthly series of all 1M events.
func BenchmarkSeriesAll(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	b.ResetTimer()
	var rows []SeriesRow
	var err error
	for i := 0; i < b.N; i++ {
		if rows, err = s.Series(ctx, Filter{}, IntervalMonth); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int64
	for _, r := range rows {
		n += r.Events
	}
	b.ReportMetric(float64(n), "events-counted")
}

// BenchmarkRootBreakdown counts all 1M events by month and CAMEO root.
func BenchmarkRootBreakdown(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	b.ResetTimer()
	var rows []BreakdownRow
	var err error
	for i := 0; i < b.N; i++ {
		if rows, err = s.Breakdown(ctx, Filter{}, ByRoot, IntervalMonth); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int64
	for _, r := range rows {
		n += r.Events
	}
	if n < bigEvents {
		b.Fatalf("breakdown counts %d events, want ≥ %d", n, bigEvents)
	}
	b.ReportMetric(float64(n), "events-counted")
}

// BenchmarkRootBreakdownFiltered is the same breakdown for one actor, which
// the rollup cannot answer: it reads the events table.
func BenchmarkRootBreakdownFiltered(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	top, err := s.TopActors(ctx, Filter{From: "2019-01-01", To: "2019-01-31"}, 1)
	if err != nil || len(top) == 0 {
		b.Fatal("no actor", err)
	}
	b.ResetTimer()
	var rows []BreakdownRow
	for i := 0; i < b.N; i++ {
		if rows, err = s.Breakdown(ctx, Filter{Actor: top[0].Code}, ByRoot, IntervalMonth); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int64
	for _, r := range rows {
		n += r.Events
	}
	b.ReportMetric(float64(n), "events-counted")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}
