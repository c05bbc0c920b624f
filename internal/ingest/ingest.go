// Package ingest takes sources as analysts have them — files, folders, globs,
// standard input, web pages, feeds, JSON Lines and WARC archives — and turns
// each article in them into a record: extracted, cleaned, language-checked,
// deduplicated and coded by the same pipeline as dyad code.
//
// Sources are read in the order given and records come out in that order,
// whatever the number of workers, so the same input gives the same output.
package ingest

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/dyadproject/dyad/internal/dedup"
	"github.com/dyadproject/dyad/internal/fetch"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
)

// Options tune a run.
type Options struct {
	Workers  int           // documents prepared in parallel; 0 = GOMAXPROCS (at least 8 when fetching)
	Follow   bool          // fetch the page behind each feed item instead of using the item's own text
	Watch    time.Duration // poll feeds at this interval until the context ends; 0 = read once
	MaxBytes int64         // largest file, page or record read; 0 = 16 MiB
	Fetch    fetch.Options
	Stdin    io.Reader
	// Langs are the ISO 639-3 codes coded; others are kept as skipped. nil = English only.
	Langs []string
}

// Failure is a source that gave no document, or a document not coded, with
// the reason. It is the machine-readable report of a run.
type Failure struct {
	Source string `json:"source"`
	Status string `json:"status"` // failed | skipped
	Reason string `json:"reason"`
}

// Sink receives a run's output in input order. It is called from one goroutine.
type Sink interface {
	Record(model.Record) error
	Failure(Failure) error
}

// Stats count what a run did.
type Stats struct {
	Documents  int // records written
	Coded      int
	Duplicates int
	Skipped    int
	Failed     int // sources or documents that failed
	Unchanged  int // documents already in the output from an earlier run
	Events     int
	Elapsed    time.Duration
}

// Ingester runs sources through the pipeline.
type Ingester struct {
	p     *pipeline.Pipeline
	opt   Options
	fetch *fetch.Client
	index *dedup.Index
	seen  map[string]bool // document IDs written, this run or before (collector's)
	known map[string]bool // IDs queued by the producer, so re-polls skip them
	prior map[string]bool // IDs from earlier runs; read-only during Run, so workers may read it
	langs map[string]bool
}

// New returns an Ingester coding with p.
func New(p *pipeline.Pipeline, opt Options) *Ingester {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = 16 << 20
	}
	if opt.Fetch.MaxBytes <= 0 {
		opt.Fetch.MaxBytes = opt.MaxBytes
	}
	in := &Ingester{p: p, opt: opt, fetch: fetch.New(opt.Fetch), index: dedup.NewIndex(),
		seen: map[string]bool{}, known: map[string]bool{}, prior: map[string]bool{}, langs: map[string]bool{}}
	if len(opt.Langs) == 0 {
		in.langs["eng"] = true
	}
	for _, l := range opt.Langs {
		in.langs[l] = true
	}
	return in
}

// Remember records a document written by an earlier run, so that running the
// same ingest again adds nothing and later copies of it count as duplicates.
func (in *Ingester) Remember(rec model.Record) {
	d := rec.Document
	in.seen[d.ID] = true
	in.known[d.ID] = true
	in.prior[d.ID] = true
	if rec.Status == model.StatusCoded {
		in.index.Add(dedup.Doc{ID: d.ID, URL: d.URL, Text: d.Text, Hash: d.Hash})
	}
}

// Run reads every source and writes what it finds to sink. progress, when not
// nil, is called after each record or failure. The error is the sink's: bad
// sources are reported to the sink and the run goes on.
func (in *Ingester) Run(ctx context.Context, sources []string, sink Sink, progress func(Stats)) (Stats, error) {
	start := time.Now()
	workers := in.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
		if needsNetwork(sources) && workers < 8 {
			workers = 8 // fetching waits on hosts, not on the CPU
		}
	}
	type job struct {
		r   raw
		out chan prepared
	}
	jobs := make(chan job, workers*2)
	order := make(chan chan prepared, workers*4)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out <- in.safePrepare(ctx, j.r)
			}
		}()
	}
	// The producer stops early when the sink fails.
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		in.produce(pctx, sources, func(r raw) {
			ch := make(chan prepared, 1)
			select {
			case order <- ch:
			case <-pctx.Done():
				return
			}
			jobs <- job{r, ch}
		})
		close(jobs)
		close(order)
	}()

	var st Stats
	var sinkErr error
	for ch := range order {
		p := <-ch
		if sinkErr != nil {
			continue // drain
		}
		sinkErr = in.collect(p, sink, &st)
		if sinkErr != nil {
			stop()
		}
		if progress != nil {
			st.Elapsed = time.Since(start)
			progress(st)
		}
	}
	wg.Wait()
	st.Elapsed = time.Since(start)
	return st, sinkErr
}

// collect decides, in input order, what becomes of one prepared document.
func (in *Ingester) collect(p prepared, sink Sink, st *Stats) error {
	if p.err != nil {
		st.Failed++
		return sink.Failure(Failure{Source: p.source, Status: "failed", Reason: p.err.Error()})
	}
	rec := p.rec
	id := rec.Document.ID
	if p.unchanged || in.seen[id] {
		st.Unchanged++
		return nil
	}
	in.seen[id] = true
	if rec.Status == model.StatusSkipped {
		st.Documents++
		st.Skipped++
		if err := sink.Record(rec); err != nil {
			return err
		}
		return sink.Failure(Failure{Source: rec.Document.Source, Status: "skipped", Reason: rec.Reason})
	}
	d := dedup.Doc{ID: id, URL: rec.Document.URL, Text: rec.Document.Text, Hash: rec.Document.Hash}
	if m := in.index.Insert(d); m.Of != "" {
		rec.Status, rec.DuplicateOf, rec.Reason, rec.Events = model.StatusDuplicate, m.Of, m.Reason, []model.Event{}
		st.Documents++
		st.Duplicates++
		return sink.Record(rec)
	}
	st.Documents++
	st.Coded++
	st.Events += len(rec.Events)
	return sink.Record(rec)
}

// safePrepare turns a panic while preparing one document into its failure,
// so one bad page never takes the run down.
func (in *Ingester) safePrepare(ctx context.Context, r raw) (p prepared) {
	defer func() {
		if e := recover(); e != nil {
			p = prepared{source: r.source, err: fmt.Errorf("%s: internal error: %v", r.source, e)}
		}
	}()
	return in.prepare(ctx, r)
}
