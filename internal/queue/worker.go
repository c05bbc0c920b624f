package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dyadproject/dyad/internal/dedup"
	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/store"
)

var contentID = pipeline.ContentID

// Options tune a worker.
type Options struct {
	Batch         int           // messages fetched, coded and committed together; 0 = 64
	MaxDeliver    int           // deliveries of a failing message before it is dead-lettered; 0 = 5
	AckWait       time.Duration // time a fetched message is held before redelivery; 0 = 60s
	MaxAckPending int           // unacknowledged messages across all workers; 0 = 4096
	FetchWait     time.Duration // longest wait for a batch to fill; 0 = 1s
	// Backoff is the delay before each redelivery of a failed message (the
	// last one repeats); nil = 1s, 5s, 30s.
	Backoff []time.Duration
	// Exit makes Run return once the stream has nothing pending (tests and
	// backfills); otherwise it runs until its context ends.
	Exit bool

	// Test hooks, not production behaviour.
	failIf      func(id string) bool // make coding of this document fail
	afterCommit func(n int)          // called after a batch's commit, before its acks
}

func (o *Options) defaults() {
	if o.Batch <= 0 {
		o.Batch = 64
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.AckWait <= 0 {
		o.AckWait = 60 * time.Second
	}
	if o.MaxAckPending <= 0 {
		o.MaxAckPending = 4096
	}
	if o.FetchWait <= 0 {
		o.FetchWait = time.Second
	}
	if len(o.Backoff) == 0 {
		o.Backoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}
	}
}

// Worker codes documents from the work stream into the store.
type Worker struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	st      store.Store
	p       *pipeline.Pipeline
	in      *ingest.Ingester // extracts raw HTML pages
	opt     Options
	Metrics *Metrics
	cons    jetstream.Consumer
}

// NewWorker returns a worker coding with p into st. Call Run to start it.
func NewWorker(nc *nats.Conn, js jetstream.JetStream, st store.Store, p *pipeline.Pipeline, opt Options) *Worker {
	opt.defaults()
	return &Worker{nc: nc, js: js, st: st, p: p, in: ingest.New(p, ingest.Options{}), opt: opt, Metrics: NewMetrics()}
}

// Setup creates the streams and the shared durable pull consumer.
func (w *Worker) Setup(ctx context.Context) error {
	if err := Setup(ctx, w.js, StreamOptions{}); err != nil {
		return err
	}
	c, err := w.js.CreateOrUpdateConsumer(ctx, Stream, jetstream.ConsumerConfig{
		Durable:       Consumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       w.opt.AckWait,
		MaxDeliver:    -1, // the worker bounds deliveries itself, so it can dead-letter
		MaxAckPending: w.opt.MaxAckPending,
		MaxWaiting:    512,
		Description:   "dyad workers",
	})
	if err != nil {
		return fmt.Errorf("consumer %s: %v", Consumer, err)
	}
	w.cons = c
	return nil
}

// Run fetches, codes, commits and acknowledges batches until ctx ends (or,
// with Options.Exit, until nothing is pending). A batch under way when ctx
// ends is finished, committed and acknowledged first. The error is a NATS or
// setup failure; a database failure is retried, holding the batch, so a slow
// or absent database stops fetching rather than losing work.
func (w *Worker) Run(ctx context.Context) error {
	if w.cons == nil {
		if err := w.Setup(ctx); err != nil {
			return err
		}
	}
	w.Metrics.ready.Store(true)
	defer w.Metrics.ready.Store(false)
	for ctx.Err() == nil {
		batch, err := w.cons.Fetch(w.opt.Batch, jetstream.FetchMaxWait(w.opt.FetchWait))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			w.Metrics.errors.Add(1)
			if !sleep(ctx, time.Second) {
				break
			}
			continue
		}
		var msgs []jetstream.Msg
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
		if len(msgs) == 0 {
			if ctx.Err() != nil {
				break
			}
			idle, err := w.idle(ctx)
			if err == nil && idle && w.opt.Exit {
				break
			}
			continue
		}
		// The batch is ours now: it is finished even if ctx ends meanwhile.
		w.handle(context.WithoutCancel(ctx), ctx, msgs)
	}
	// Acks are fire-and-forget: make sure the server has them before exiting.
	return w.nc.FlushTimeout(5 * time.Second)
}

// idle refreshes the lag gauge and says whether nothing is left to do.
func (w *Worker) idle(ctx context.Context) (bool, error) {
	info, err := w.cons.Info(ctx)
	if err != nil {
		return false, err
	}
	w.Metrics.lag.Store(int64(info.NumPending))
	if info.NumPending > 0 || info.NumAckPending > 0 {
		return false, nil
	}
	// Work-queue retention deletes a message once acknowledged or
	// terminated: an empty stream means no retry is waiting either.
	s, err := w.js.Stream(ctx, Stream)
	if err != nil {
		return false, err
	}
	si, err := s.Info(ctx)
	if err != nil {
		return false, err
	}
	return si.State.Msgs == 0, nil
}

type item struct {
	msg jetstream.Msg
	rec model.Record
	err error
	n   uint64 // delivery count
}

// handle codes one batch, commits it, then acknowledges it.
func (w *Worker) handle(ctx, runCtx context.Context, msgs []jetstream.Msg) {
	items := make([]item, len(msgs))
	var recs []model.Record
	var good []int
	for i, m := range msgs {
		it := item{msg: m, n: 1}
		if md, err := m.Metadata(); err == nil {
			it.n = md.NumDelivered
			w.Metrics.lag.Store(int64(md.NumPending))
		}
		if it.n > uint64(w.opt.MaxDeliver) {
			// It was handed out MaxDeliver times and never acknowledged or
			// failed cleanly: it takes its worker down.
			it.err = fmt.Errorf("delivered %d times without an outcome (a worker died on it?)", it.n-1)
		} else {
			it.rec, it.err = w.code(m.Data())
			if it.err == nil {
				if err := store.Validate(&it.rec); err != nil {
					it.err = fmt.Errorf("not stored: %v", err)
				}
			}
		}
		if it.err == nil {
			recs = append(recs, it.rec)
			good = append(good, i)
		}
		items[i] = it
	}
	if len(recs) > 0 {
		w.commit(ctx, runCtx, recs, msgs)
		if w.opt.afterCommit != nil {
			w.opt.afterCommit(len(recs))
		}
		events := 0
		for _, i := range good {
			events += len(items[i].rec.Events)
			if err := items[i].msg.Ack(); err != nil {
				w.Metrics.errors.Add(1) // redelivered later; the store absorbs it
			}
		}
		w.Metrics.documents.Add(int64(len(recs)))
		w.Metrics.events.Add(int64(events))
	}
	for _, it := range items {
		if it.err != nil {
			w.fail(ctx, it)
		}
	}
}

// commit stores recs in one transaction, retrying with back-off while the
// database fails; the messages are kept from redelivery meanwhile.
func (w *Worker) commit(ctx, runCtx context.Context, recs []model.Record, msgs []jetstream.Msg) {
	delay := 100 * time.Millisecond
	for {
		t0 := time.Now()
		_, err := w.st.Put(ctx, recs)
		if err == nil {
			w.Metrics.observeCommit(time.Since(t0))
			return
		}
		w.Metrics.errors.Add(1)
		w.Metrics.setLastError(err)
		for _, m := range msgs {
			m.InProgress()
		}
		if runCtx.Err() != nil && delay > 5*time.Second {
			// Shutting down with the database gone: leave the batch to be
			// redelivered to another worker.
			return
		}
		time.Sleep(delay)
		delay = min(2*delay, 30*time.Second)
	}
}

// code turns one message into a coded record; a panic becomes its error.
func (w *Worker) code(data []byte) (rec model.Record, err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("internal error: %v", e)
		}
	}()
	m, err := Decode(data)
	if err != nil {
		return rec, err
	}
	if w.opt.failIf != nil && w.opt.failIf(m.ID()) {
		return rec, errors.New("coding failed (test hook)")
	}
	if m.Kind == KindRecord {
		return w.codeRecord(*m.Record), nil
	}
	return w.codeArticle(*m.Article)
}

// codeRecord codes a document ingest has already extracted and cleaned: the
// coder and gazetteer stages of pipeline.Process, on the cleaned text.
func (w *Worker) codeRecord(r model.Record) model.Record {
	if r.Status != model.StatusCoded && r.Status != "" {
		return r // duplicates and skipped documents are stored as they are
	}
	r.Status = model.StatusCoded
	if r.Document.Date == "" {
		r.Document.Date = w.p.RefDate
	}
	ev := w.p.Coder.Code(r.Document)
	if w.p.Geo != nil {
		_ = w.p.Geo.Locate(r.Document, ev)
	}
	if ev == nil {
		ev = []model.Event{}
	}
	r.Events = ev
	return r
}

// codeArticle runs a raw article through the pipeline, or an HTML page
// through extraction first, as dyad ingest does.
func (w *Worker) codeArticle(a Article) (model.Record, error) {
	if a.HTML != "" {
		rec, err := w.in.Page(a.ID, a.URL, []byte(a.HTML))
		if err != nil {
			return rec, err
		}
		if rec.Document.Date == "" {
			rec.Document.Date = a.Date
		}
		if rec.Document.Published == "" {
			rec.Document.Published = a.Date
		}
		return rec, nil
	}
	return ArticleRecord(w.p, a), nil
}

// ArticleRecord codes a plain-text article into the record a worker stores.
func ArticleRecord(p *pipeline.Pipeline, a Article) model.Record {
	res := p.Process(pipeline.Article{ID: a.ID, Text: a.Text, Date: a.Date, URL: a.URL})
	doc := res.Doc
	doc.Published = a.Date
	doc.Hash = dedup.Hash(doc.Text)
	ev := res.Events
	if ev == nil {
		ev = []model.Event{}
	}
	return model.Record{Document: doc, Status: model.StatusCoded, Events: ev}
}

// fail retries a failed message later, or dead-letters it once it has had
// MaxDeliver deliveries.
func (w *Worker) fail(ctx context.Context, it item) {
	w.Metrics.errors.Add(1)
	w.Metrics.setLastError(it.err)
	permanent := false
	if _, derr := Decode(it.msg.Data()); derr != nil {
		permanent = true // a malformed message will not get better
	}
	if !permanent && it.n < uint64(w.opt.MaxDeliver) {
		d := w.opt.Backoff[min(int(it.n)-1, len(w.opt.Backoff)-1)]
		it.msg.NakWithDelay(d)
		return
	}
	dl := nats.NewMsg(DLQSubject)
	dl.Data = it.msg.Data()
	dl.Header.Set(HeaderError, it.err.Error())
	dl.Header.Set(HeaderDeliveries, strconv.FormatUint(it.n, 10))
	if md, err := it.msg.Metadata(); err == nil {
		seq := strconv.FormatUint(md.Sequence.Stream, 10)
		dl.Header.Set(HeaderStreamSeq, seq)
		dl.Header.Set(jetstream.MsgIDHeader, "dlq-"+seq)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := w.js.PublishMsg(pctx, dl); err != nil {
		// Not parked: let it come round again rather than lose it.
		it.msg.NakWithDelay(w.opt.Backoff[len(w.opt.Backoff)-1])
		return
	}
	it.msg.TermWithReason("dead-lettered: " + it.err.Error())
	w.Metrics.deadLetters.Add(1)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
