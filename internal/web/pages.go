package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/store"
)

var pageNames = []string{"overview", "events", "event", "document", "dyad", "network", "map", "login", "error"}

var funcs = template.FuncMap{
	"gold": func(g float64) string { return fmt.Sprintf("%+.1f", g) },
	"goldClass": func(g float64) string {
		switch {
		case g <= -5:
			return "g-hostile"
		case g < 0:
			return "g-neg"
		case g >= 5:
			return "g-coop"
		case g > 0:
			return "g-pos"
		}
		return "g-zero"
	},
	"quadName": quadName,
	"eventURL": func(id int64) string { return fmt.Sprintf("/events/%d", id) },
	"docURL":   func(id string) string { return "/documents/" + url.PathEscape(id) },
	"dyadURL": func(a, b string) string {
		return "/dyad?" + url.Values{"a": {a}, "b": {b}}.Encode()
	},
	"safeURL": func(u string) string {
		// Only web links are links; anything else is shown, not followed.
		if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			return u
		}
		return ""
	},
}

func quadName(q int) string {
	switch q {
	case 1:
		return "verbal cooperation"
	case 2:
		return "material cooperation"
	case 3:
		return "verbal conflict"
	case 4:
		return "material conflict"
	}
	return "—"
}

func (s *Server) loadPages() error {
	s.pages = map[string]*template.Template{}
	for _, n := range pageNames {
		t, err := template.New("base.html").Funcs(funcs).ParseFS(assets, "templates/base.html", "templates/"+n+".html")
		if err != nil {
			return fmt.Errorf("web: template %s: %v", n, err)
		}
		s.pages[n] = t
	}
	return nil
}

// page is what every template gets.
type page struct {
	Title   string
	Nav     string
	Filter  filterForm
	Query   string // the filter as a query string, for links and API URLs
	Data    any
	Status  int
	Message string
}

// filterForm echoes the filter fields back into the form.
type filterForm struct {
	From, To, Actor, CAMEO, Quad, Q string
	Extra                           map[string]string // hidden fields (the dyad page's a and b)
}

// pageFilter reads the dashboard's filter fields: the API's, under the same
// names, so a page's query string is also its API query string.
func pageFilter(r *http.Request) (store.Filter, filterForm, url.Values, error) {
	q := r.URL.Query()
	keep := url.Values{}
	for _, k := range []string{"from", "to", "actor", "cameo", "quad", "q"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			keep.Set(k, v)
		}
	}
	ff := filterForm{From: keep.Get("from"), To: keep.Get("to"), Actor: keep.Get("actor"), CAMEO: keep.Get("cameo"),
		Quad: keep.Get("quad"), Q: keep.Get("q")}
	f, err := parseFilter(keep)
	return f, ff, keep, err
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	if p.Status == 0 {
		p.Status = http.StatusOK
	}
	if p.Nav == "" {
		p.Nav = name
	}
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, p); err != nil {
		s.logf("template %s: %v", name, err)
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	w.Write(buf.Bytes())
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, "error", page{Title: http.StatusText(status), Nav: "-", Status: status, Message: msg})
}

// pageFail shows err as a page: the client's mistakes as 400s, missing
// things as 404s, the rest as 500s.
func (s *Server) pageFail(w http.ResponseWriter, r *http.Request, err error) {
	var br badRequest
	switch {
	case errors.As(err, &br):
		s.pageError(w, r, http.StatusBadRequest, br.msg)
	case isFilterErr(err):
		s.pageError(w, r, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrNotFound):
		s.pageError(w, r, http.StatusNotFound, err.Error())
	default:
		s.logf("%s %s: %v", r.Method, r.URL.Path, err)
		s.pageError(w, r, http.StatusInternalServerError, "The store could not answer.")
	}
}

type overviewData struct {
	Stats    store.Stats
	Busiest  []store.DyadRow
	Hostile  []store.DyadRow
	Notable  []store.EventRow
	ChartAPI string
}

func (s *Server) pageOverview(w http.ResponseWriter, r *http.Request) {
	f, ff, keep, err := pageFilter(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	var d overviewData
	if d.Stats, err = s.cfg.Store.Stats(ctx); err != nil {
		s.pageFail(w, r, err)
		return
	}
	dy, err := s.cfg.Store.TopDyads(ctx, f, 300)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Busiest = dy[:min(10, len(dy))]
	for _, x := range dy {
		if x.GoldsteinMean < 0 {
			d.Hostile = append(d.Hostile, x)
		}
	}
	sort.SliceStable(d.Hostile, func(i, j int) bool {
		a, b := d.Hostile[i], d.Hostile[j]
		// Weigh hostility by volume, so one bad day does not top the list.
		return a.GoldsteinMean*math.Log1p(float64(a.Events)) < b.GoldsteinMean*math.Log1p(float64(b.Events))
	})
	d.Hostile = d.Hostile[:min(10, len(d.Hostile))]
	latest, err := store.EventsAfter(ctx, s.cfg.Store, f, store.Cursor{Desc: true}, 300)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	for _, e := range latest {
		if math.Abs(e.Goldstein) >= 5 || e.NumArticles > 1 {
			d.Notable = append(d.Notable, e)
			if len(d.Notable) == 12 {
				break
			}
		}
	}
	d.ChartAPI = apiURL("/api/breakdown", keep, "by", "quad", "interval", "day")
	s.render(w, r, "overview", page{Title: "Overview", Filter: ff, Query: keep.Encode(), Data: d})
}

// apiURL is path with the filter and extra key/value pairs as its query.
func apiURL(path string, filter url.Values, kv ...string) string {
	q := url.Values{}
	for k, v := range filter {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return path + "?" + q.Encode()
}

type eventsData struct {
	Page eventsPage
	Next string
}

func (s *Server) pageEvents(w http.ResponseWriter, r *http.Request) {
	_, ff, keep, err := pageFilter(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := url.Values{}
	for k, v := range keep {
		q[k] = v
	}
	q.Set("order", "desc")
	if c := r.URL.Query().Get("cursor"); c != "" {
		q.Set("cursor", c)
	}
	p, _, err := s.events(r.Context(), q)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := eventsData{Page: p}
	if p.NextCursor != "" {
		n := url.Values{}
		for k, v := range keep {
			n[k] = v
		}
		n.Set("cursor", p.NextCursor)
		d.Next = "/events?" + n.Encode()
	}
	s.render(w, r, "events", page{Title: "Events", Filter: ff, Query: keep.Encode(), Data: d})
}

// segment is a piece of highlighted text; Class is "" for plain text.
type segment struct {
	Text, Class string
}

// segments cuts text (offsets in code points) at every span boundary; a
// piece inside several spans (a target within its trigger) gets each one's
// class. Spans outside the text are left out.
func segments(text string, spans []store.Span) []segment {
	rs := []rune(text)
	cuts := map[int]bool{0: true, len(rs): true}
	var ok []store.Span
	for _, x := range spans {
		if x.Start < 0 || x.End > len(rs) || x.End <= x.Start {
			continue
		}
		ok = append(ok, x)
		cuts[x.Start], cuts[x.End] = true, true
	}
	at := make([]int, 0, len(cuts))
	for c := range cuts {
		at = append(at, c)
	}
	sort.Ints(at)
	var out []segment
	for i := 0; i+1 < len(at); i++ {
		a, b := at[i], at[i+1]
		var cls []string
		for _, k := range []string{"trigger", "source", "target"} {
			for _, x := range ok {
				if x.Kind == k && x.Start <= a && b <= x.End {
					cls = append(cls, "hl-"+k)
					break
				}
			}
		}
		out = append(out, segment{Text: string(rs[a:b]), Class: strings.Join(cls, " ")})
	}
	return out
}

type mentionView struct {
	store.MentionDetail
	Segments []segment
}

type eventData struct {
	Event    *store.EventDetail
	Mentions []mentionView
}

func (s *Server) pageEvent(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ev, err := store.GetEvent(r.Context(), s.cfg.Store, id)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := eventData{Event: ev}
	for _, m := range ev.Mentions {
		d.Mentions = append(d.Mentions, mentionView{MentionDetail: m, Segments: segments(m.Sentence, m.SentenceSpans)})
	}
	s.render(w, r, "event", page{Title: fmt.Sprintf("Event %d", id), Nav: "events", Data: d})
}

type documentData struct {
	Doc      *store.DocumentDetail
	Segments []segment
	Events   []int64
}

func (s *Server) pageDocument(w http.ResponseWriter, r *http.Request) {
	doc, err := store.GetDocument(r.Context(), s.cfg.Store, r.PathValue("id"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	spans := make([]store.Span, len(doc.Spans))
	seen := map[int64]bool{}
	d := documentData{Doc: doc}
	for i, x := range doc.Spans {
		spans[i] = x.Span
		if !seen[x.EventID] {
			seen[x.EventID] = true
			d.Events = append(d.Events, x.EventID)
		}
	}
	d.Segments = segments(doc.Text, spans)
	s.render(w, r, "document", page{Title: "Document " + doc.ID, Nav: "events", Data: d})
}

type dyadData struct {
	A, B                    string
	SeriesAPI, BreakdownAPI string
	Events                  []store.EventRow
	Interval                string
}

func (s *Server) pageDyad(w http.ResponseWriter, r *http.Request) {
	f, ff, keep, err := pageFilter(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := r.URL.Query()
	a, b := strings.ToUpper(strings.TrimSpace(q.Get("a"))), strings.ToUpper(strings.TrimSpace(q.Get("b")))
	if !isCode(a) || !isCode(b) {
		s.pageError(w, r, http.StatusBadRequest, "A dyad page needs two actor codes: /dyad?a=USA&b=CHN")
		return
	}
	iv := q.Get("interval")
	switch iv {
	case "":
		iv = "week"
	case "day", "week", "month":
	default:
		s.pageError(w, r, http.StatusBadRequest, fmt.Sprintf("interval %q: want day, week or month", clip(iv)))
		return
	}
	f.Source, f.Target, f.BothDirections = a, b, true
	evs, err := store.EventsAfter(r.Context(), s.cfg.Store, f, store.Cursor{Desc: true}, 100)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ff.Extra = map[string]string{"a": a, "b": b, "interval": iv}
	d := dyadData{A: a, B: b, Events: evs, Interval: iv,
		SeriesAPI:    apiURL("/api/series", keep, "dyad", a+","+b, "interval", iv),
		BreakdownAPI: apiURL("/api/breakdown", keep, "dyad", a+","+b, "by", "root")}
	s.render(w, r, "dyad", page{Title: a + " ↔ " + b, Filter: ff, Query: keep.Encode(), Data: d})
}

func (s *Server) pageNetwork(w http.ResponseWriter, r *http.Request) {
	_, ff, keep, err := pageFilter(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.render(w, r, "network", page{Title: "Actor network", Filter: ff, Query: keep.Encode(),
		Data: apiURL("/api/dyads", keep, "n", "80")})
}

func (s *Server) pageMap(w http.ResponseWriter, r *http.Request) {
	_, ff, keep, err := pageFilter(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.render(w, r, "map", page{Title: "Map", Filter: ff, Query: keep.Encode(),
		Data: apiURL("/api/points", keep, "limit", "3000")})
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login", page{Title: "Sign in", Nav: "-"})
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusBadRequest, "Could not read the form.")
		return
	}
	t := r.PostForm.Get("token")
	if !s.tokenOK(t) {
		s.render(w, r, "login", page{Title: "Sign in", Nav: "-", Status: http.StatusForbidden, Message: "Wrong token."})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
