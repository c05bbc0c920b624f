package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dyadproject/dyad/internal/bench"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/queue/queuetest"
	"github.com/dyadproject/dyad/internal/store"
)

var bg = context.Background()

// testDSN is a fresh SQLite file, or a fresh schema on the PostgreSQL server
// named by DYAD_TEST_POSTGRES.
func testDSN(t testing.TB) string {
	base := os.Getenv("DYAD_TEST_POSTGRES")
	if base == "" {
		return filepath.Join(t.TempDir(), "dyad.db")
	}
	c, err := pgx.Connect(bg, base)
	if err != nil {
		t.Fatalf("DYAD_TEST_POSTGRES: %v", err)
	}
	defer c.Close(bg)
	var b [6]byte
	rand.Read(b[:])
	schema := "dyadqueue_" + hex.EncodeToString(b[:])
	if _, err := c.Exec(bg, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(bg, base); err == nil {
			c.Exec(bg, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(bg)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

var (
	pipeOnce sync.Once
	pipe     *pipeline.Pipeline
	pipeErr  error
)

func testPipeline(t testing.TB) *pipeline.Pipeline {
	pipeOnce.Do(func() {
		var cd *coder.Coder
		cd, pipeErr = coder.Load(nil, nil)
		pipe = &pipeline.Pipeline{Coder: cd, Geo: geo.Default()}
	})
	if pipeErr != nil {
		t.Fatal(pipeErr)
	}
	return pipe
}

func corpus(n int) []Article {
	texts := bench.Generate(n, 7)
	out := make([]Article, n)
	for i, s := range texts {
		out[i] = Article{ID: fmt.Sprintf("doc%05d", i), Text: s, Date: fmt.Sprintf("2024-03-%02d", 1+i%20)}
	}
	return out
}

func openStore(t testing.TB, dsn string) store.Store {
	t.Helper()
	st, err := store.Open(bg, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// reference stores the pipeline's results directly, as one process would.
func reference(t testing.TB, arts []Article) []string {
	p := testPipeline(t)
	st := openStore(t, testDSN(t))
	var recs []model.Record
	for _, a := range arts {
		res := p.Process(pipeline.Article{ID: a.ID, Text: a.Text, Date: a.Date})
		recs = append(recs, ArticleRecord(p, a))
		if n := len(recs[len(recs)-1].Events); n != len(res.Events) {
			t.Fatalf("%s: record has %d events, pipeline %d", a.ID, n, len(res.Events))
		}
	}
	for i := 0; i < len(recs); i += 100 {
		if _, err := st.Put(bg, recs[i:min(len(recs), i+100)]); err != nil {
			t.Fatal(err)
		}
	}
	return snapshot(t, st)
}

// snapshot is what a store holds, independent of insertion order: its
// counts and every event with its evidence counts.
func snapshot(t testing.TB, st store.Store) []string {
	t.Helper()
	s, err := st.Stats(bg)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{fmt.Sprintf("docs=%d status=%v sources=%d events=%d mentions=%d actors=%d failures=%d %s..%s",
		s.Documents, s.ByStatus, s.Sources, s.Events, s.Mentions, s.Actors, s.Failures, s.FirstDate, s.LastDate)}
	for off := 0; ; off += 1000 {
		rows, err := st.Events(bg, store.Filter{}, 1000, off)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, fmt.Sprintf("%s %s>%s %s neg=%v m=%d a=%d s=%d", r.Date, r.Source, r.Target, r.CAMEO,
				r.Negated, r.NumMentions, r.NumArticles, r.NumSources))
		}
		if len(rows) < 1000 {
			break
		}
	}
	sort.Strings(out[1:])
	return out
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	if len(want) < 10 {
		t.Fatalf("reference too small to compare: %v", want)
	}
	if got[0] != want[0] {
		t.Fatalf("store stats differ:\n got %s\nwant %s", got[0], want[0])
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got)-1, len(want)-1)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("event %d differs:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func publish(t testing.TB, natsURL string, arts []Article) {
	t.Helper()
	nc, js, err := Connect(natsURL, "test publisher")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := Setup(bg, js, StreamOptions{}); err != nil {
		t.Fatal(err)
	}
	p := NewPublisher(js)
	for i := range arts {
		if err := p.Publish(bg, Message{Kind: KindArticle, Article: &arts[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(bg); err != nil {
		t.Fatal(err)
	}
}

func newWorker(t testing.TB, natsURL, dsn string, opt Options) *Worker {
	t.Helper()
	nc, js, err := Connect(natsURL, "test worker")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return NewWorker(nc, js, openStore(t, dsn), testPipeline(t), opt)
}

func streamInfo(t testing.TB, natsURL, name string) *jetstream.StreamInfo {
	t.Helper()
	nc, js, err := Connect(natsURL, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	s, err := js.Stream(bg, name)
	if err != nil {
		t.Fatal(err)
	}
	si, err := s.Info(bg)
	if err != nil {
		t.Fatal(err)
	}
	return si
}

var testOpt = Options{Batch: 20, AckWait: 3 * time.Second, Exit: true, Backoff: []time.Duration{50 * time.Millisecond}, FetchWait: 200 * time.Millisecond}

// Two workers share the stream; the store ends as a single-process run's.
func TestTwoWorkers(t *testing.T) {
	arts := corpus(300)
	want := reference(t, arts)
	nu := queuetest.Server(t)
	publish(t, nu, arts)
	publish(t, nu, arts[:50]) // a re-run publishes nothing twice
	if si := streamInfo(t, nu, Stream); si.State.Msgs != uint64(len(arts)) {
		t.Fatalf("stream holds %d messages, want %d", si.State.Msgs, len(arts))
	}
	dsn := testDSN(t)
	var wg sync.WaitGroup
	ws := []*Worker{newWorker(t, nu, dsn, testOpt), newWorker(t, nu, dsn, testOpt)}
	errs := make([]error, len(ws))
	for i, w := range ws {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = w.Run(bg) }()
	}
	wg.Wait()
	total := int64(0)
	for i, w := range ws {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		d, _, e, dl := w.Metrics.Counts()
		if d == 0 {
			t.Errorf("worker %d coded nothing: the work was not shared", i)
		}
		if e != 0 || dl != 0 {
			t.Errorf("worker %d: %d errors, %d dead letters", i, e, dl)
		}
		total += d
	}
	if total < int64(len(arts)) {
		t.Errorf("workers committed %d documents, want at least %d", total, len(arts))
	}
	same(t, snapshot(t, openStore(t, dsn)), want)
	if si := streamInfo(t, nu, Stream); si.State.Msgs != 0 {
		t.Errorf("stream still holds %d messages", si.State.Msgs)
	}
}

// ingest --nats publishes extracted, cleaned, uncoded records; a worker codes
// them into exactly what ingest --db stores.
func TestIngestPublish(t *testing.T) {
	arts := corpus(80)
	dir := t.TempDir()
	var b strings.Builder
	for _, a := range arts {
		fmt.Fprintf(&b, "{\"id\":%q,\"text\":%q,\"date\":%q}\n", a.ID, a.Text, a.Date)
	}
	src := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := testPipeline(t)
	// The single-process run.
	ref := openStore(t, testDSN(t))
	var recs []model.Record
	if _, err := ingestRun(p, src, func(r model.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := ref.Put(bg, recs); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, ref)

	nu := queuetest.Server(t)
	nc, js, err := Connect(nu, "test ingest")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := Setup(bg, js, StreamOptions{}); err != nil {
		t.Fatal(err)
	}
	pub := NewPublisher(js)
	sink := &Sink{Ctx: bg, Pub: pub}
	light := &pipeline.Pipeline{Coder: NoCoder()}
	n, err := ingestRun(light, src, sink.Record)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Flush(bg); err != nil {
		t.Fatal(err)
	}
	if n != len(arts) || pub.Published != len(arts) {
		t.Fatalf("published %d of %d records (%d acknowledged)", n, len(arts), pub.Published)
	}
	dsn := testDSN(t)
	if err := newWorker(t, nu, dsn, testOpt).Run(bg); err != nil {
		t.Fatal(err)
	}
	same(t, snapshot(t, openStore(t, dsn)), want)
}

// A document whose coding fails is retried MaxDeliver times, then parked in
// the dead-letter stream with its error; the rest is stored.
func TestPoisonMessage(t *testing.T) {
	arts := corpus(120)
	const bad = "doc00042"
	var good []Article
	for _, a := range arts {
		if a.ID != bad {
			good = append(good, a)
		}
	}
	want := reference(t, good)
	nu := queuetest.Server(t)
	publish(t, nu, arts)
	// A malformed message, too: dead-lettered at once.
	nc, js, err := Connect(nu, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := js.Publish(bg, Subject, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	var tries sync.Map
	opt := testOpt
	opt.MaxDeliver = 3
	opt.failIf = func(id string) bool {
		if id == bad {
			n, _ := tries.LoadOrStore(id, new(int))
			*n.(*int)++
			return true
		}
		return false
	}
	dsn := testDSN(t)
	w := newWorker(t, nu, dsn, opt)
	if err := w.Run(bg); err != nil {
		t.Fatal(err)
	}
	if n, _ := tries.Load(bad); n == nil || *n.(*int) != 3 {
		t.Errorf("poison document tried %v times, want 3", n)
	}
	same(t, snapshot(t, openStore(t, dsn)), want)
	if _, _, _, dl := w.Metrics.Counts(); dl != 2 {
		t.Errorf("dead letters counted: %d, want 2", dl)
	}
	s, err := js.Stream(bg, DLQStream)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for seq := uint64(1); seq <= 2; seq++ {
		m, err := s.GetMsg(bg, seq)
		if err != nil {
			t.Fatalf("dead letter %d: %v", seq, err)
		}
		e := m.Header.Get(HeaderError)
		if e == "" {
			t.Errorf("dead letter %d has no error header", seq)
		}
		if strings.Contains(string(m.Data), bad) {
			if !strings.Contains(e, "test hook") || m.Header.Get(HeaderDeliveries) != "3" {
				t.Errorf("poison dead letter: error %q after %s deliveries", e, m.Header.Get(HeaderDeliveries))
			}
		}
		found = append(found, e)
	}
	if !strings.Contains(strings.Join(found, "|"), "not a dyad message") {
		t.Errorf("malformed message not dead-lettered with its reason: %q", found)
	}
	if si := streamInfo(t, nu, Stream); si.State.Msgs != 0 {
		t.Errorf("work stream still holds %d messages", si.State.Msgs)
	}
}

// TestWorkerChild is the worker process the kill and shutdown tests start.
func TestWorkerChild(t *testing.T) {
	env := os.Getenv("DYAD_QUEUE_CHILD")
	if env == "" {
		t.Skip("run by TestKillWorker and TestGracefulShutdown")
	}
	parts := strings.SplitN(env, "|", 4)
	if len(parts) < 3 {
		t.Fatalf("DYAD_QUEUE_CHILD=%q: want URL|DSN|MODE[|MARKER]", env)
	}
	natsURL, dsn, mode, marker := parts[0], parts[1], parts[2], ""
	if len(parts) == 4 {
		marker = parts[3]
	}
	opt := testOpt
	opt.Exit = false
	commits := 0
	opt.afterCommit = func(int) {
		commits++
		if mode == "hang" && commits == 2 {
			// Committed, not yet acknowledged: the worst moment to die.
			os.WriteFile(marker, nil, 0o644)
			time.Sleep(time.Minute)
		}
	}
	if mode == "bench" {
		opt.Batch = 64
		opt.AckWait = 30 * time.Second
	}
	ctx, stop := signal.NotifyContext(bg, syscall.SIGTERM)
	defer stop()
	w := newWorker(t, natsURL, dsn, opt)
	if err := w.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	if marker != "" && mode == "bench" {
		os.WriteFile(marker, nil, 0o644) // ready: dictionaries loaded, consumer bound
	}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	w.Metrics.mu.Lock()
	fmt.Printf("BENCH docs=%d commits=%d commit_seconds=%.3f\n", w.Metrics.documents.Load(), w.Metrics.commits, w.Metrics.sum)
	w.Metrics.mu.Unlock()
}

func startChild(t *testing.T, natsURL, dsn, mode string) (*exec.Cmd, chan error, *strings.Builder) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DYAD_QUEUE_CHILD="+natsURL+"|"+dsn+"|"+mode)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return cmd, done, out
}

func storedDocs(t testing.TB, st store.Store) int64 {
	s, err := st.Stats(bg)
	if err != nil {
		t.Fatal(err)
	}
	return s.Documents
}

// A worker killed with SIGKILL after a commit and before its acks, and
// another killed at an arbitrary point, leave a third worker to finish: the
// store equals a single-process run's, with nothing lost or doubled.
func TestKillWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	arts := corpus(400)
	want := reference(t, arts)
	nu := queuetest.Server(t)
	publish(t, nu, arts)
	dsn := testDSN(t)
	st := openStore(t, dsn)

	marker := filepath.Join(t.TempDir(), "committed")
	cmd, done, out := startChild(t, nu, dsn, "hang|"+marker)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("child exited before its second commit: %v\n%s", err, out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child made no second commit in 60s\n%s", out)
		}
	}
	cmd.Process.Kill() // SIGKILL between commit and ack
	<-done
	first := storedDocs(t, st)
	if first != 40 {
		t.Errorf("after the first kill the store holds %d documents, want two batches (40)", first)
	}

	cmd, done, out = startChild(t, nu, dsn, "plain")
	for storedDocs(t, st) < first+60 {
		select {
		case err := <-done:
			t.Fatalf("second child exited: %v\n%s", err, out)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cmd.Process.Kill() // SIGKILL wherever it is
	<-done
	second := storedDocs(t, st)
	if second >= int64(len(arts)) {
		t.Fatalf("the second child finished before it was killed (%d documents)", second)
	}

	w := newWorker(t, nu, dsn, testOpt)
	if err := w.Run(bg); err != nil {
		t.Fatal(err)
	}
	t.Logf("stored after kill 1: %d, after kill 2: %d; last worker committed %d (redeliveries included)", first, second, w.Metrics.documents.Load())
	same(t, snapshot(t, st), want)
	if si := streamInfo(t, nu, DLQStream); si.State.Msgs != 0 {
		t.Errorf("%d dead letters", si.State.Msgs)
	}
}

// SIGTERM stops a worker after it commits and acknowledges what it holds:
// every stored document has left the stream and every one still in the
// stream is unstored.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	arts := corpus(400)
	nu := queuetest.Server(t)
	publish(t, nu, arts)
	dsn := testDSN(t)
	st := openStore(t, dsn)
	cmd, done, out := startChild(t, nu, dsn, "plain")
	for storedDocs(t, st) < 60 {
		select {
		case err := <-done:
			t.Fatalf("child exited: %v\n%s", err, out)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker exited with %v after SIGTERM\n%s", err, out)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("worker did not stop within 30s of SIGTERM")
	}
	stored := storedDocs(t, st)
	left := streamInfo(t, nu, Stream).State.Msgs
	if stored == int64(len(arts)) {
		t.Fatal("the worker finished before SIGTERM: nothing tested")
	}
	if stored+int64(left) != int64(len(arts)) {
		t.Errorf("%d stored + %d still queued != %d published: committed work was left unacknowledged", stored, left, len(arts))
	}
	nc, js, err := Connect(nu, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c, err := js.Consumer(bg, Stream, Consumer)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := c.Info(bg)
	if err != nil {
		t.Fatal(err)
	}
	if ci.NumAckPending != 0 {
		t.Errorf("%d messages held unacknowledged after a graceful stop", ci.NumAckPending)
	}
}

// /healthz answers 200 while the worker runs and /metrics exposes its counters.
func TestHealthMetrics(t *testing.T) {
	arts := corpus(30)
	nu := queuetest.Server(t)
	publish(t, nu, arts)
	opt := testOpt
	opt.Exit = false
	w := newWorker(t, nu, testDSN(t), opt)
	srv := httptest.NewServer(w.Metrics.Handler())
	defer srv.Close()
	get := func(path string) (int, string) {
		r, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz before Run: %d, want 503", code)
	}
	ctx, cancel := context.WithCancel(bg)
	errc := make(chan error, 1)
	go func() { errc <- w.Run(ctx) }()
	for d, _, _, _ := w.Metrics.Counts(); d < int64(len(arts)); d, _, _, _ = w.Metrics.Counts() {
		time.Sleep(10 * time.Millisecond)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz while running: %d %q", code, body)
	}
	_, body := get("/metrics")
	for _, want := range []string{"dyad_documents_total 30\n", "dyad_errors_total 0\n", "dyad_dead_letters_total 0\n",
		"dyad_consumer_lag 0\n", "# TYPE dyad_commit_seconds summary\n", "dyad_commit_seconds_count ", "dyad_worker_up 1\n",
		"dyad_commit_seconds{quantile=\"0.5\"} "} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "dyad_events_total 0\n") {
		t.Errorf("/metrics counts no events:\n%s", body)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestDecodeErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{`:                                      "not a dyad message",
		`{"kind":"x"}`:                           `kind "x"`,
		`{"kind":"record"}`:                      "without a document id",
		`{"kind":"article","article":{"id":""}}`: "without an id",
		`{"kind":"article","article":{"id":"a"}}`: `article "a": no text or html`,
	} {
		if _, err := Decode([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%s) = %v, want %q", in, err, want)
		}
	}
}

type funcSink func(model.Record) error

func (f funcSink) Record(r model.Record) error { return f(r) }
func (f funcSink) Failure(fl ingest.Failure) error {
	return fmt.Errorf("%s: %s", fl.Source, fl.Reason)
}

// ingestRun runs dyad ingest's path over src with p, giving each record to rec.
func ingestRun(p *pipeline.Pipeline, src string, rec func(model.Record) error) (int, error) {
	st, err := ingest.New(p, ingest.Options{Workers: 2}).Run(bg, []string{src}, funcSink(rec), nil)
	return st.Documents, err
}
