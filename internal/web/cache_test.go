package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/store"
)

func statsOf(t *testing.T, r resp) store.Stats {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("stats: %d %s", r.status, r.body)
	}
	return decode[store.Stats](t, r)
}

// extraRecord is one coded document with one event, not in the demo corpus.
func extraRecord(id string) model.Record {
	return model.Record{Status: model.StatusCoded, Document: model.Document{ID: id, Text: "Chile praised Peru.", Date: "2025-09-01", Lang: "eng"},
		Events: []model.Event{{DocID: id, EventID: id + "-0", Date: "2025-09-01", CAMEO: "051", CAMEORoot: "05", QuadClass: 1, Goldstein: 3.4,
			Source:   &model.Actor{Code: "CHL", Country: "CHL", Name: "Chile", Text: "Chile", Start: 0, End: 5},
			Target:   &model.Actor{Code: "PER", Country: "PER", Name: "Peru", Text: "Peru", Start: 14, End: 18},
			Trigger:  model.Span{Text: "praised", Start: 6, End: 13},
			Sentence: model.Sentence{Text: "Chile praised Peru.", End: 19}, Rule: "test", Confidence: 0.9}}}
}

func TestAnswerCache(t *testing.T) {
	ts, st := testServer(t, Config{Token: "s3cret"})
	first := get(t, ts.URL+"/api/stats")
	if first.header.Get("X-Dyad-Cache") != "miss" {
		t.Fatalf("first request: X-Dyad-Cache %q", first.header.Get("X-Dyad-Cache"))
	}
	again := get(t, ts.URL+"/api/stats")
	if again.header.Get("X-Dyad-Cache") != "hit" || !bytes.Equal(again.body, first.body) {
		t.Fatalf("second request: %q, same body %v", again.header.Get("X-Dyad-Cache"), bytes.Equal(again.body, first.body))
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if again.header.Get(h) == "" {
			t.Errorf("cached answer lacks %s", h)
		}
	}
	etag := again.header.Get("ETag")
	if etag == "" || etag != first.header.Get("ETag") {
		t.Fatalf("ETag %q then %q", first.header.Get("ETag"), etag)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/stats", nil)
	req.Header.Set("If-None-Match", etag)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", res.StatusCode)
	}

	// Query order does not split the cache.
	a := get(t, ts.URL+"/api/events?limit=5&order=desc")
	b := get(t, ts.URL+"/api/events?order=desc&limit=5")
	if b.header.Get("X-Dyad-Cache") != "hit" || !bytes.Equal(a.body, b.body) {
		t.Errorf("same query, other parameter order: %q", b.header.Get("X-Dyad-Cache"))
	}

	// Errors are never kept.
	for i := 0; i < 2; i++ {
		r := get(t, ts.URL+"/api/events?quad=9")
		if r.status != 400 || r.header.Get("X-Dyad-Cache") != "miss" {
			t.Errorf("bad filter, try %d: %d %q", i, r.status, r.header.Get("X-Dyad-Cache"))
		}
	}

	// A write by another process (here: straight into the store) shows
	// once the version is reread, within a bounded time.
	n0 := statsOf(t, first).Documents
	if _, err := st.Put(context.Background(), []model.Record{extraRecord("outside-1")}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := statsOf(t, get(t, ts.URL+"/api/stats"))
		if s.Documents == n0+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outside write not seen after 5 s: documents %d, want %d", s.Documents, n0+1)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// This server's own ingest shows on the very next request.
	get(t, ts.URL+"/api/stats") // cached at the new version
	body := `[{"id":"cache-new-1","date":"2025-07-01","text":"KYIV, July 1 (Dyad Wire) - Russia accused Ukraine of shelling the Zaporizhzhia nuclear plant."}]`
	if r := do(t, "POST", ts.URL+"/api/ingest", "s3cret", body); r.status != 200 {
		t.Fatalf("ingest: %d %s", r.status, r.body)
	}
	if s := statsOf(t, get(t, ts.URL+"/api/stats")); s.Documents != n0+2 {
		t.Errorf("after ingest: documents %d, want %d", s.Documents, n0+2)
	}

	// Turned off, nothing is cached.
	ts2, _ := testServer(t, Config{Store: st, CacheBytes: -1})
	for i := 0; i < 2; i++ {
		if r := get(t, ts2.URL+"/api/stats"); r.status != 200 || r.header.Get("X-Dyad-Cache") != "" {
			t.Errorf("cache off: %d %q", r.status, r.header.Get("X-Dyad-Cache"))
		}
	}
}

func TestAnswerCacheBounded(t *testing.T) {
	c := newAnswerCache(nil, 16<<10)
	c.version = "v1"
	for i := 0; i < 1000; i++ {
		c.put(&cached{key: fmt.Sprint("k", i), version: "v1", body: make([]byte, 500)})
		if c.size > c.max {
			t.Fatalf("after %d answers: %d bytes kept, bound %d", i+1, c.size, c.max)
		}
	}
	if len(c.entries) != c.lru.Len() || len(c.entries) == 0 {
		t.Fatalf("%d entries, %d in LRU", len(c.entries), c.lru.Len())
	}
	if c.get("k999", "v1") == nil || c.get("k0", "v1") != nil {
		t.Error("LRU kept the wrong answers")
	}
	if c.get("k999", "v2") != nil {
		t.Error("an answer served at another version")
	}
	c.put(&cached{key: "big", version: "v1", body: make([]byte, 2<<10)})
	if c.get("big", "v1") != nil {
		t.Error("an answer over a sixteenth of the bound was kept")
	}
	c.put(&cached{key: "old", version: "v0", body: []byte("x")})
	if c.get("old", "v0") != nil {
		t.Error("an answer computed at an older version was kept")
	}
}
