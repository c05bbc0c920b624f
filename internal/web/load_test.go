package web

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/store"
)

// TestLoad measures event queries over HTTP on loopback against a store of
// $DYAD_LOAD_EVENTS events (default 1,000,000), built on first use at
// $DYAD_LOAD_DB (default a temporary file). It runs only with DYAD_LOAD=1:
//
//	DYAD_LOAD=1 DYAD_LOAD_DB=/tmp/load.db go test -run TestLoad -v -timeout 30m ./internal/web/
//
// It reports requests per second and latency percentiles; it asserts only
// that every request succeeded, never a timing.
func TestLoad(t *testing.T) {
	if os.Getenv("DYAD_LOAD") == "" {
		t.Skip("load test: set DYAD_LOAD=1 (builds a 1M-event store: a few minutes)")
	}
	want := 1_000_000
	if v := os.Getenv("DYAD_LOAD_EVENTS"); v != "" {
		fmt.Sscan(v, &want)
	}
	path := os.Getenv("DYAD_LOAD_DB")
	if path == "" {
		path = filepath.Join(t.TempDir(), "load.db")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s0, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s0.Events < int64(want) {
		t0 := time.Now()
		n := fillStore(t, st, want-int(s0.Events), int(s0.Documents))
		t.Logf("built %d events in %v", n, time.Since(t0).Round(time.Second))
	}
	s1, _ := st.Stats(ctx)
	t.Logf("store: %d events, %d documents, %d actors", s1.Events, s1.Documents, s1.Actors)

	serve := func(cacheBytes int64) *httptest.Server {
		h, err := New(Config{Store: st, CacheBytes: cacheBytes})
		if err != nil {
			t.Fatal(err)
		}
		return httptest.NewServer(h)
	}
	ts := serve(0)
	defer ts.Close()

	queries := append([]string{}, loadQueries...)
	// A second page of each, through its cursor.
	for _, q := range queries[:4] {
		res, err := http.Get(ts.URL + q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		p := decode[eventsPage](t, resp{res.StatusCode, res.Header, b})
		if p.NextCursor != "" {
			queries = append(queries, q+"&cursor="+p.NextCursor)
		}
	}
	// The dashboard's fixed questions, answered from the cache after the
	// warm-up; then ever-new questions drawn at random, which mostly miss it;
	// then the fixed questions with the cache off: every answer from SQL.
	for _, clients := range []int{4, 8} {
		runLoad(t, "fixed mix, cache on", ts.URL, fixedMix(queries), clients, 20000, 20*time.Second)
	}
	runLoad(t, "random mix, cache on", ts.URL, randomMix(rand.New(rand.NewSource(1))), 4, 20000, 20*time.Second)
	off := serve(-1)
	defer off.Close()
	runLoad(t, "fixed mix, cache off", off.URL, fixedMix(queries), 4, 20000, 20*time.Second)
}

// A mix gives the i-th request's path; it must be safe for concurrent use.
type mix struct {
	warm []string // asked once before timing
	next func(i int64) string
}

func fixedMix(qs []string) mix {
	return mix{warm: qs, next: func(i int64) string { return qs[int(i)%len(qs)] }}
}

// randomMix draws event queries an analyst could ask: an actor, a dyad or a
// source and target (Zipf-weighted, big actors first), a root code or quad
// class, a date window and an order, so thousands of distinct questions.
func randomMix(rng *rand.Rand) mix {
	var mu sync.Mutex
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(loadCountries)-1))
	return mix{next: func(int64) string {
		mu.Lock()
		defer mu.Unlock()
		c := func() string { return loadCountries[zipf.Uint64()] }
		q := "/api/events?limit=50"
		switch rng.Intn(4) {
		case 0:
			q += "&actor=" + c()
		case 1:
			q += "&dyad=" + c() + "," + c()
		case 2:
			q += "&source=" + c() + "&target=" + c()
		}
		switch rng.Intn(3) {
		case 0:
			q += fmt.Sprintf("&root=%02d", 1+rng.Intn(20))
		case 1:
			q += fmt.Sprintf("&quad=%d", 1+rng.Intn(4))
		}
		if rng.Intn(2) == 0 {
			from := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, rng.Intn(36), 0)
			q += "&from=" + from.Format("2006-01-02") + "&to=" + from.AddDate(0, 1+rng.Intn(3), -1).Format("2006-01-02")
		}
		if rng.Intn(2) == 0 {
			q += "&order=desc"
		}
		return q
	}}
}

func runLoad(t *testing.T, name, base string, m mix, clients, maxReqs int, maxTime time.Duration) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for _, q := range m.warm {
		res, err := cl.Get(base + q)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	var hits atomic.Int64
	var next, failed atomic.Int64
	lat := make([][]time.Duration, clients)
	deadline := time.Now().Add(maxTime)
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(maxReqs) || time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				res, err := cl.Get(base + m.next(i))
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					failed.Add(1)
				}
				if res.Header.Get("X-Dyad-Cache") == "hit" {
					hits.Add(1)
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}(c)
	}
	wg.Wait()
	el := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) == 0 {
		t.Fatal("no requests completed")
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	t.Logf("%s, %d clients: %d requests in %v: %.0f req/s; latency p50 %v, p90 %v, p99 %v, max %v; %.0f%% cache hits; %d failed",
		name, clients, len(all), el.Round(time.Millisecond), float64(len(all))/el.Seconds(),
		pct(.50).Round(10*time.Microsecond), pct(.90).Round(10*time.Microsecond), pct(.99).Round(10*time.Microsecond),
		all[len(all)-1].Round(10*time.Microsecond), 100*float64(hits.Load())/float64(len(all)), failed.Load())
	if failed.Load() > 0 {
		t.Errorf("%d requests failed", failed.Load())
	}
}

var (
	loadCountries = []string{"USA", "CHN", "RUS", "UKR", "ISR", "PSE", "IRN", "IND", "PAK", "PRK", "KOR", "JPN", "GBR", "FRA",
		"DEU", "TUR", "SYR", "IRQ", "SAU", "EGY", "AFG", "NGA", "SDN", "BRA", "MEX", "VEN", "POL", "IGO", "EUR", "LBN"}
	loadSectors = []string{"", "GOV", "MIL", "REB", "OPP", "BUS"}
	loadCodes   = []struct {
		code, root, name, plover string
		quad                     int
		gold                     float64
	}{
		{"010", "01", "Make statement", "", 1, 0}, {"020", "02", "Appeal", "REQUEST", 1, 3}, {"036", "03", "Intend to meet", "AGREE", 1, 4},
		{"040", "04", "Consult", "CONSULT", 1, 1}, {"042", "04", "Make a visit", "CONSULT", 1, 1.9}, {"051", "05", "Praise", "SUPPORT", 1, 3.4},
		{"057", "05", "Sign agreement", "AGREE", 1, 8}, {"061", "06", "Cooperate economically", "COOPERATE", 2, 6.4},
		{"071", "07", "Provide economic aid", "AID", 2, 7.4}, {"111", "11", "Criticize", "ACCUSE", 3, -2}, {"112", "11", "Accuse", "ACCUSE", 3, -2},
		{"120", "12", "Reject", "REJECT", 3, -4}, {"130", "13", "Threaten", "THREATEN", 3, -4.4}, {"163", "16", "Sanction", "SANCTION", 4, -8},
		{"173", "17", "Arrest", "COERCE", 4, -5}, {"190", "19", "Use military force", "FIGHT", 4, -10}, {"195", "19", "Aerial weapons", "FIGHT", 4, -10},
	}
)

// fillStore Puts synthetic records — real-looking codes, actors, sentences
// and locations over three years — until n new events are stored.
func fillStore(t *testing.T, st store.Store, n, firstDoc int) int {
	rng := rand.New(rand.NewSource(int64(firstDoc) + 7))
	zipf := rand.NewZipf(rng, 1.3, 2, uint64(len(loadCountries)-1))
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	added, doc := 0, firstDoc
	for added < n {
		var recs []model.Record
		for len(recs) < 400 {
			doc++
			date := start.AddDate(0, 0, rng.Intn(1095)).Format("2006-01-02")
			text := ""
			var evs []model.Event
			for k := 0; k < 6; k++ {
				a := loadCountries[zipf.Uint64()] + loadSectors[rng.Intn(len(loadSectors))]
				b := loadCountries[zipf.Uint64()] + loadSectors[rng.Intn(len(loadSectors))]
				c := loadCodes[rng.Intn(len(loadCodes))]
				s := fmt.Sprintf("Officials of %s said on the record that %s acted against the plan %d.", a, b, rng.Intn(1e6))
				off := len([]rune(text))
				text += s + " "
				evs = append(evs, model.Event{
					DocID: fmt.Sprintf("load-%d", doc), EventID: fmt.Sprintf("load-%d-%d", doc, k), Date: date,
					Source: &model.Actor{Code: a, Country: a[:3], Sector: a[3:], Name: a, Text: a, Start: off + 13, End: off + 13 + len(a)},
					Target: &model.Actor{Code: b, Country: b[:3], Sector: b[3:], Name: b, Text: b, Start: off + 40, End: off + 40 + len(b)},
					CAMEO:  c.code, CAMEORoot: c.root, CAMEOName: c.name, QuadClass: c.quad, Goldstein: c.gold, PLOVER: c.plover,
					Trigger:  model.Span{Text: "said", Start: off + 13 + len(a) + 1, End: off + 13 + len(a) + 5},
					Sentence: model.Sentence{Index: k, Text: s, Start: off, End: off + len([]rune(s))},
					Rule:     "synthetic", Confidence: 0.5 + rng.Float64()/2,
					Location: &model.Location{Name: a[:3], Country: a[:3], Lat: rng.Float64()*120 - 50, Lon: rng.Float64()*340 - 170, Precision: "country"},
				})
			}
			recs = append(recs, model.Record{Status: model.StatusCoded, Events: evs, Document: model.Document{
				ID: fmt.Sprintf("load-%d", doc), URL: fmt.Sprintf("https://outlet%d.example/%d", doc%50, doc), Outlet: fmt.Sprintf("outlet%d.example", doc%50),
				Text: text, Date: date, Published: date, Lang: "eng", Hash: fmt.Sprintf("h%d", doc)}})
		}
		ps, err := st.Put(ctx, recs)
		if err != nil {
			t.Fatal(err)
		}
		added += ps.NewEvents
	}
	return added
}

// loadQueries are the event queries an analyst's dashboard makes: recent
// events, by actor, by dyad, by quad class and date range. TestLoad adds the
// second page of the first four, through their cursors.
var loadQueries = []string{
	"/api/events?limit=50&order=desc",
	"/api/events?limit=50&actor=USA&order=desc",
	"/api/events?limit=50&actor=RUS",
	"/api/events?limit=50&dyad=USA,CHN&order=desc",
	"/api/events?limit=50&source=ISR&target=PSE",
	"/api/events?limit=50&quad=4&from=2023-01-01&to=2023-03-31",
	"/api/events?limit=50&root=19&order=desc",
	"/api/events?limit=50&from=2024-06-01&to=2024-06-07",
}

// BenchmarkLoadShapes times one uncached request of each query shape, and of
// its second page, against an existing store at $DYAD_LOAD_DB (TestLoad builds
// one):
//
//	DYAD_LOAD_DB=/tmp/load.db go test -run '^$' -bench LoadShapes ./internal/web/
func BenchmarkLoadShapes(b *testing.B) {
	path := os.Getenv("DYAD_LOAD_DB")
	if path == "" {
		b.Skip("set DYAD_LOAD_DB to a store TestLoad built")
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("store %s: %v", path, err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	h, err := New(Config{Store: st, CacheBytes: -1}) // the SQL, not the cache
	if err != nil {
		b.Fatal(err)
	}
	get := func(b *testing.B, q string) []byte {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", q, nil))
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	qs := append([]string{}, loadQueries...)
	for _, q := range loadQueries[:4] {
		p := decode[eventsPage](b, resp{200, nil, get(b, q)})
		if p.NextCursor != "" {
			qs = append(qs, q+"&cursor="+p.NextCursor)
		}
	}
	for i, q := range qs {
		b.Run(fmt.Sprintf("%02d", i), func(b *testing.B) {
			for b.Loop() {
				get(b, q)
			}
		})
	}
}
