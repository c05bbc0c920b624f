package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dyadproject/dyad/examples/demo"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/store"
)

var (
	pipeOnce sync.Once
	pipe     *pipeline.Pipeline
	pipeErr  error
)

func testPipeline(t testing.TB) *pipeline.Pipeline {
	pipeOnce.Do(func() {
		cd, err := coder.Load(nil, nil)
		if err != nil {
			pipeErr = err
			return
		}
		pipe = &pipeline.Pipeline{Coder: cd, Geo: geo.Default()}
	})
	if pipeErr != nil {
		t.Fatal(pipeErr)
	}
	return pipe
}

type recSink struct{ recs []model.Record }

func (s *recSink) Record(r model.Record) error    { s.recs = append(s.recs, r); return nil }
func (s *recSink) Failure(f ingest.Failure) error { return nil }

// demoStore is a fresh SQLite store holding the demo corpus, coded by the
// real pipeline.
func demoStore(t testing.TB) store.Store {
	dir := t.TempDir()
	name := filepath.Join(dir, "articles.jsonl")
	if err := os.WriteFile(name, demo.Articles, 0o600); err != nil {
		t.Fatal(err)
	}
	sink := &recSink{}
	if _, err := ingest.New(testPipeline(t), ingest.Options{}).Run(context.Background(), []string{name}, sink, nil); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Put(context.Background(), sink.recs); err != nil {
		t.Fatal(err)
	}
	return st
}

// testServer serves the demo store on loopback.
func testServer(t testing.TB, cfg Config) (*httptest.Server, store.Store) {
	if cfg.Store == nil {
		cfg.Store = demoStore(t)
	}
	if cfg.Pipeline == nil {
		cfg.Pipeline = testPipeline(t)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, cfg.Store
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, method, url, token, body string) resp {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, b}
}

func get(t testing.TB, url string) resp { return do(t, "GET", url, "", "") }

func decode[T any](t testing.TB, r resp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("bad JSON (%d): %v: %.300s", r.status, err, r.body)
	}
	return v
}

func httptestServer(t testing.TB, h http.Handler) string {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}
