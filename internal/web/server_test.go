package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/store"
)

type errBody struct {
	Error string `json:"error"`
}

func TestEventsFiltersAndPaging(t *testing.T) {
	ts, st := testServer(t, Config{})
	all := decode[eventsPage](t, get(t, ts.URL+"/api/events?limit=500"))
	stats, _ := st.Stats(context.Background())
	if int64(len(all.Events)) != stats.Events || all.NextCursor != "" {
		t.Fatalf("got %d events (next %q), store holds %d", len(all.Events), all.NextCursor, stats.Events)
	}
	// Walk pages of 7 both ways: every event once, in order.
	for _, order := range []string{"asc", "desc"} {
		var ids []int64
		cur := ""
		for pages := 0; ; pages++ {
			if pages > 100 {
				t.Fatal("paging does not end")
			}
			p := decode[eventsPage](t, get(t, ts.URL+"/api/events?limit=7&order="+order+"&cursor="+cur))
			for _, e := range p.Events {
				ids = append(ids, e.ID)
			}
			if p.NextCursor == "" {
				break
			}
			cur = p.NextCursor
		}
		if len(ids) != len(all.Events) {
			t.Fatalf("%s: paged %d events, want %d", order, len(ids), len(all.Events))
		}
		for i, e := range all.Events {
			j := i
			if order == "desc" {
				j = len(ids) - 1 - i
			}
			if ids[j] != e.ID {
				t.Fatalf("%s: event %d is %d, want %d", order, i, ids[j], e.ID)
			}
		}
	}
	cases := []struct {
		q  string
		ok func(store.EventRow) bool
	}{
		{"actor=USA", func(e store.EventRow) bool {
			return strings.HasPrefix(e.Source, "USA") || strings.HasPrefix(e.Target, "USA")
		}},
		{"source=RUS&target=UKR", func(e store.EventRow) bool {
			return strings.HasPrefix(e.Source, "RUS") && strings.HasPrefix(e.Target, "UKR")
		}},
		{"dyad=ISR,IRN", func(e store.EventRow) bool {
			return strings.HasPrefix(e.Source, "ISR") && strings.HasPrefix(e.Target, "IRN") ||
				strings.HasPrefix(e.Source, "IRN") && strings.HasPrefix(e.Target, "ISR")
		}},
		{"quad=4", func(e store.EventRow) bool { return e.QuadClass == 4 }},
		{"root=11", func(e store.EventRow) bool { return e.CAMEO[:2] == "11" }},
		{"cameo=19", func(e store.EventRow) bool { return e.CAMEO[:2] == "19" }},
		{"plover=accuse", func(e store.EventRow) bool { return e.PLOVER == "ACCUSE" }},
		{"from=2025-03-01&to=2025-03-31", func(e store.EventRow) bool { return e.Date >= "2025-03-01" && e.Date <= "2025-03-31" }},
		{"country=UKR", func(e store.EventRow) bool { return e.Country == "UKR" }},
		{"q=sanctions", func(e store.EventRow) bool { return strings.Contains(strings.ToLower(e.Sentence), "sanctions") }},
	}
	for _, c := range cases {
		p := decode[eventsPage](t, get(t, ts.URL+"/api/events?limit=500&"+c.q))
		if len(p.Events) == 0 || len(p.Events) == len(all.Events) {
			t.Errorf("%s: %d of %d events: the filter selects nothing or everything", c.q, len(p.Events), len(all.Events))
		}
		for _, e := range p.Events {
			if !c.ok(e) {
				t.Errorf("%s: event %d (%s %s %s %s) does not match", c.q, e.ID, e.Date, e.Source, e.CAMEO, e.Target)
			}
		}
	}
}

func TestAggregates(t *testing.T) {
	ts, _ := testServer(t, Config{})
	s := decode[struct {
		Series []store.SeriesRow `json:"series"`
	}](t, get(t, ts.URL+"/api/series?dyad=USA,CHN&interval=month"))
	dirs := map[string]int64{}
	for _, r := range s.Series {
		dirs[r.Direction] += r.Events
	}
	if dirs["USA>CHN"] == 0 || dirs["CHN>USA"] == 0 || len(dirs) != 2 {
		t.Errorf("dyad series directions: %v", dirs)
	}
	for _, by := range []string{"root", "quad", "plover"} {
		b := decode[struct {
			Rows []store.BreakdownRow `json:"rows"`
		}](t, get(t, ts.URL+"/api/breakdown?by="+by+"&interval=month"))
		if len(b.Rows) < 4 {
			t.Errorf("breakdown by %s: %d rows", by, len(b.Rows))
		}
	}
	a := decode[struct {
		Actors []store.ActorRow `json:"actors"`
	}](t, get(t, ts.URL+"/api/actors?n=5"))
	d := decode[struct {
		Dyads []store.DyadRow `json:"dyads"`
	}](t, get(t, ts.URL+"/api/dyads?n=5"))
	if len(a.Actors) != 5 || len(d.Dyads) != 5 || a.Actors[0].Events < a.Actors[4].Events {
		t.Errorf("actors %v, dyads %v", a.Actors, d.Dyads)
	}
	pts := decode[struct {
		Points []store.Point `json:"points"`
	}](t, get(t, ts.URL+"/api/points"))
	if len(pts.Points) < 50 {
		t.Errorf("%d located events", len(pts.Points))
	}
	st := decode[store.Stats](t, get(t, ts.URL+"/api/stats"))
	if st.Documents != 50 || st.Events < 100 {
		t.Errorf("stats %+v", st)
	}
}

func TestEventAndDocumentDetail(t *testing.T) {
	ts, _ := testServer(t, Config{})
	p := decode[eventsPage](t, get(t, ts.URL+"/api/events?source=RUS&target=UKR&limit=1"))
	if len(p.Events) != 1 {
		t.Fatal("no RUS→UKR event")
	}
	ev := decode[store.EventDetail](t, get(t, fmt.Sprintf("%s/api/events/%d", ts.URL, p.Events[0].ID)))
	if len(ev.Mentions) == 0 || ev.Lat == nil {
		t.Fatalf("event detail: %+v", ev)
	}
	m := ev.Mentions[0]
	kinds := map[string]bool{}
	rs := []rune(m.Sentence)
	for _, sp := range m.SentenceSpans {
		kinds[sp.Kind] = true
		if got := string(rs[sp.Start:sp.End]); got != sp.Text {
			t.Errorf("%s span %d-%d is %q in the sentence, want %q", sp.Kind, sp.Start, sp.End, got, sp.Text)
		}
	}
	if !kinds["source"] || !kinds["trigger"] || !kinds["target"] {
		t.Errorf("spans %v in %q", m.SentenceSpans, m.Sentence)
	}
	d := decode[store.DocumentDetail](t, get(t, ts.URL+"/api/documents/"+url.PathEscape(m.DocID)))
	text := []rune(d.Text)
	found := false
	for _, sp := range d.Spans {
		if string(text[sp.Start:sp.End]) != sp.Text {
			t.Errorf("document span %+v is %q", sp, string(text[sp.Start:sp.End]))
		}
		found = found || sp.EventID == ev.ID
	}
	if !found || len(d.Mentions) == 0 {
		t.Errorf("document %s does not carry event %d: %+v", d.ID, ev.ID, d.Spans)
	}
	if r := get(t, ts.URL+"/api/events/999999"); r.status != 404 {
		t.Errorf("missing event: %d", r.status)
	}
	if r := get(t, ts.URL+"/api/documents/nope"); r.status != 404 {
		t.Errorf("missing document: %d", r.status)
	}
	// The event page highlights all three spans.
	page := string(get(t, fmt.Sprintf("%s/events/%d", ts.URL, ev.ID)).body)
	for _, c := range []string{"hl-source", "hl-target", "hl-trigger", m.URL} {
		if !strings.Contains(page, c) {
			t.Errorf("event page lacks %q", c)
		}
	}
}

func TestHostileInput(t *testing.T) {
	ts, st := testServer(t, Config{Token: "s3cret", MaxBody: 1 << 20})
	before, _ := st.Stats(context.Background())
	bad400 := []string{
		"/api/events?quad=7", "/api/events?quad=x", "/api/events?from=2025-13-45", "/api/events?from=2025-05-01&to=2025-01-01",
		"/api/events?actor=" + url.QueryEscape("USA' OR 1=1 --"), "/api/events?source=" + url.QueryEscape("x\"; DROP TABLE events;"),
		"/api/events?cameo=1%3B", "/api/events?root=abc", "/api/events?limit=0", "/api/events?limit=100000",
		"/api/events?cursor=!!!", "/api/events?cursor=" + "MjAyNS0wNS0xMiAxNTIgZA" + "&order=asc", "/api/events?order=sideways",
		"/api/events?country=" + url.QueryEscape("' OR '1'='1"), "/api/events?dyad=USA", "/api/events?both=1&source=USA",
		"/api/events?actor=USA&actor=CHN", "/api/series?interval=fortnight", "/api/breakdown?by=colour",
		"/api/actors?n=-1", "/api/events/abc", "/api/events/-4", "/api/events?q=" + url.QueryEscape("!!!"),
	}
	for _, u := range bad400 {
		r := get(t, ts.URL+u)
		e := decode[errBody](t, r)
		if r.status != 400 || e.Error == "" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %d %q, want 400 with a JSON error", u, r.status, r.body)
		}
	}
	// SQL in free text is only text: it matches nothing and breaks nothing.
	for _, q := range []string{"'; DROP TABLE events; --", `" OR "" = "`, "NEAR(a b) OR *", "%_ sanctions\\"} {
		r := get(t, ts.URL+"/api/events?q="+url.QueryEscape(q))
		if r.status != 200 {
			t.Errorf("q=%q: %d %s", q, r.status, r.body)
		}
	}
	for _, u := range []string{"/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fgo.mod",
		"/static/", "/static/nope.js", "/static/..\\server.go", "/api/../static/app.js", "/static/./app.js"} {
		req, _ := http.NewRequest("GET", ts.URL+"/", nil)
		req.URL.Opaque = u // sent as written, not cleaned by the client
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", u, res.StatusCode)
		}
	}
	doc := `{"id":"new-1","date":"2025-07-01","text":"Russia accused Ukraine of shelling the Zaporizhzhia nuclear plant on Tuesday."}`
	for _, c := range []struct {
		name, token, body string
		status            int
	}{
		{"no token", "", doc, 401},
		{"wrong token", "guess", doc, 403},
		{"malformed JSON", "s3cret", `{"id": "x", "text": `, 400},
		{"wrong type", "s3cret", `{"id": 5, "text": "x"}`, 400},
		{"unknown field", "s3cret", `{"id": "x", "txt": "Russia accused Ukraine."}`, 400},
		{"no text", "s3cret", `{"id": "x"}`, 400},
		{"bad date", "s3cret", `{"id": "x", "text": "Russia accused Ukraine.", "date": "yesterday"}`, 400},
		{"bad url", "s3cret", `{"id": "x", "text": "Russia accused Ukraine.", "url": "javascript:alert(1)"}`, 400},
		{"empty list", "s3cret", `[]`, 400},
		{"trailing garbage", "s3cret", doc + `{}`, 400},
		{"empty body", "s3cret", ``, 400},
		{"oversized", "s3cret", `{"id":"big","text":"` + strings.Repeat("Russia accused Ukraine. ", 50000) + `"}`, 413},
	} {
		r := do(t, "POST", ts.URL+"/api/ingest", c.token, c.body)
		e := decode[errBody](t, r)
		if r.status != c.status || e.Error == "" {
			t.Errorf("%s: %d %.200s, want %d with a JSON error", c.name, r.status, r.body, c.status)
		}
	}
	after, _ := st.Stats(context.Background())
	if after.Documents != before.Documents || after.Events != before.Events {
		t.Fatalf("refused requests wrote: %d→%d documents", before.Documents, after.Documents)
	}
	if r := do(t, "DELETE", ts.URL+"/api/events", "", ""); r.status != 404 || decode[errBody](t, r).Error == "" {
		t.Errorf("DELETE: %d", r.status)
	}
	if r := get(t, ts.URL+"/api/nothing"); r.status != 404 || decode[errBody](t, r).Error == "" {
		t.Errorf("unknown endpoint: %d %s", r.status, r.body)
	}
	if r := get(t, ts.URL+"/events/xyz"); r.status != 400 {
		t.Errorf("bad event page: %d", r.status)
	}
	if r := get(t, ts.URL+"/dyad?a=US%27A&b=CHN"); r.status != 400 {
		t.Errorf("bad dyad page: %d", r.status)
	}
}

func TestIngest(t *testing.T) {
	ts, st := testServer(t, Config{Token: "s3cret"})
	body := `[{"id":"new-1","date":"2025-07-01","url":"https://wire.example.org/new-1","text":"KYIV, July 1 (Dyad Wire) - Russia accused Ukraine of shelling the Zaporizhzhia nuclear plant. Ukraine rejected the accusation."},
	{"id":"new-2","date":"2025-07-02","html":"<html><head><title>Talks</title></head><body><article><p>TOKYO, July 2 (Dyad Wire) - Japan and India signed an agreement on semiconductor supply chains on Wednesday, officials said.</p><p>The two governments praised the deal as a milestone for regional cooperation.</p></article></body></html>"}]`
	r := do(t, "POST", ts.URL+"/api/ingest", "s3cret", body)
	if r.status != 200 {
		t.Fatalf("ingest: %d %s", r.status, r.body)
	}
	res := decode[IngestResult](t, r)
	if res.Store.Documents != 2 || res.Events == 0 {
		t.Fatalf("ingest result %+v", res)
	}
	p := decode[eventsPage](t, get(t, ts.URL+"/api/events?from=2025-07-01&source=RUS&target=UKR"))
	if len(p.Events) == 0 || p.Events[0].DocID != "new-1" {
		t.Fatalf("ingested event not found: %+v", p.Events)
	}
	// Posting again adds nothing.
	r = do(t, "POST", ts.URL+"/api/ingest", "s3cret", body)
	if res := decode[IngestResult](t, r); r.status != 200 || res.Store.Documents != 0 || res.Store.Known != 2 {
		t.Fatalf("re-ingest: %d %s", r.status, r.body)
	}
	_ = st
	// Without a configured token, ingest is refused whatever is sent.
	ts2, _ := testServer(t, Config{})
	if r := do(t, "POST", ts2.URL+"/api/ingest", "anything", body); r.status != 403 {
		t.Errorf("ingest with no token configured: %d", r.status)
	}
}

func TestProtectReads(t *testing.T) {
	ts, _ := testServer(t, Config{Token: "s3cret", ProtectReads: true})
	if r := get(t, ts.URL+"/api/stats"); r.status != 401 {
		t.Errorf("unauthenticated read: %d", r.status)
	}
	if r := do(t, "GET", ts.URL+"/api/stats", "nope", ""); r.status != 403 {
		t.Errorf("wrong token read: %d", r.status)
	}
	if r := do(t, "GET", ts.URL+"/api/stats", "s3cret", ""); r.status != 200 {
		t.Errorf("authenticated read: %d", r.status)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login" {
		t.Errorf("page without login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = cl.PostForm(ts.URL+"/login", url.Values{"token": {"s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cs := res.Cookies()
	if res.StatusCode != 303 || len(cs) != 1 || !cs[0].HttpOnly {
		t.Fatalf("login: %d %v", res.StatusCode, cs)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	req.AddCookie(cs[0])
	res, err = cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("page after login: %d", res.StatusCode)
	}
	if _, err := New(Config{Store: nil}); err == nil {
		t.Error("New without a store")
	}
}

func TestHeadersEverywhere(t *testing.T) {
	ts, _ := testServer(t, Config{Token: "s3cret"})
	routes := []string{"/", "/events", "/events/1", "/documents/demo-001", "/dyad?a=USA&b=CHN", "/network", "/map", "/login",
		"/static/app.js", "/static/style.css", "/static/favicon.svg", "/nope", "/static/../x", "/api/events", "/api/events/1",
		"/api/documents/demo-001", "/api/series", "/api/breakdown", "/api/actors", "/api/dyads", "/api/points", "/api/stats",
		"/api/events?quad=9", "/api/none"}
	for _, u := range routes {
		r := get(t, ts.URL+u)
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", u, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", u, r.header)
		}
		if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			b := strings.ToLower(string(r.body))
			// No inline script or handler: everything runs from /static/app.js.
			if strings.Count(b, "<script") != strings.Count(b, `<script src="/static/app.js" defer></script>`) ||
				strings.Contains(b, " onclick=") || strings.Contains(b, " onload=") || strings.Contains(b, "style=") ||
				strings.Contains(b, "http://cdn") || strings.Contains(b, "https://cdn") {
				t.Errorf("%s: inline script, handler, style or CDN in page", u)
			}
		}
	}
	r := do(t, "POST", ts.URL+"/api/ingest", "", "")
	if r.header.Get("X-Frame-Options") != "DENY" || r.status != 401 {
		t.Errorf("ingest refusal: %d %v", r.status, r.header)
	}
}

func TestPanicRecovered(t *testing.T) {
	h, err := New(Config{Store: demoStore(t)})
	if err != nil {
		t.Fatal(err)
	}
	h.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	ts := httptestServer(t, h)
	r := get(t, ts+"/boom")
	if r.status != 500 || decode[errBody](t, r).Error == "" || r.header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("panic: %d %s", r.status, r.body)
	}
}

func TestSegments(t *testing.T) {
	s := segments("China accused the United States of spying.", []store.Span{
		{Kind: "source", Start: 0, End: 5}, {Kind: "trigger", Start: 6, End: 31}, {Kind: "target", Start: 18, End: 31},
		{Kind: "target", Start: 40, End: 99},
	})
	var got []string
	for _, x := range s {
		got = append(got, x.Class+":"+x.Text)
	}
	want := "hl-source:China|: |hl-trigger:accused the |hl-trigger hl-target:United States|: of spying."
	if strings.Join(got, "|") != want {
		t.Errorf("segments\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
}
