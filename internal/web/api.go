package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/store"
)

// Paging limits.
const (
	defaultLimit = 50
	maxLimit     = 500
	maxIngest    = 1000 // documents in one POST
)

var filterKeys = map[string]bool{"actor": true, "source": true, "target": true, "dyad": true, "both": true,
	"cameo": true, "root": true, "quad": true, "plover": true, "from": true, "to": true, "country": true, "q": true}

// isCode reports whether v looks like a CAMEO actor code: letters and digits.
func isCode(v string) bool {
	if v == "" || len(v) > 40 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// parseFilter reads the filter query parameters. Values that could match no
// event for a reason the caller should hear about are 400s.
func parseFilter(q url.Values) (store.Filter, error) {
	var f store.Filter
	for k, vs := range q {
		if filterKeys[k] && len(vs) > 1 {
			return f, bad("filter %s: given %d times", k, len(vs))
		}
	}
	code := func(name string) (string, error) {
		v := strings.TrimSpace(q.Get(name))
		if v != "" && !isCode(v) {
			return "", bad("filter %s %q: want an actor code of letters and digits, e.g. USA or CHNGOV", name, clip(v))
		}
		return strings.ToUpper(v), nil
	}
	var err error
	if f.Actor, err = code("actor"); err != nil {
		return f, err
	}
	if f.Source, err = code("source"); err != nil {
		return f, err
	}
	if f.Target, err = code("target"); err != nil {
		return f, err
	}
	if d := strings.TrimSpace(q.Get("dyad")); d != "" {
		a, b, ok := strings.Cut(d, ",")
		if !ok || !isCode(a) || !isCode(b) {
			return f, bad("filter dyad %q: want two actor codes separated by a comma, e.g. USA,CHN", clip(d))
		}
		if f.Source != "" || f.Target != "" {
			return f, bad("filter dyad: give either dyad or source/target, not both")
		}
		f.Source, f.Target, f.BothDirections = strings.ToUpper(a), strings.ToUpper(b), true
	}
	if v := q.Get("both"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, bad("filter both %q: want true or false", clip(v))
		}
		if b {
			if f.Source == "" || f.Target == "" {
				return f, bad("filter both: needs source and target")
			}
			f.BothDirections = true
		}
	}
	f.CAMEO = strings.TrimSpace(q.Get("cameo"))
	f.Root = strings.TrimSpace(q.Get("root"))
	if v := strings.TrimSpace(q.Get("quad")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 4 {
			return f, bad("filter quad %q: want a quad class from 1 to 4", clip(v))
		}
		f.QuadClass = n
	}
	if v := strings.TrimSpace(q.Get("plover")); v != "" {
		for _, c := range v {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-') || len(v) > 40 {
				return f, bad("filter plover %q: want a PLOVER category, e.g. ACCUSE", clip(v))
			}
		}
		f.PLOVER = v
	}
	f.From = strings.TrimSpace(q.Get("from"))
	f.To = strings.TrimSpace(q.Get("to"))
	if v := strings.TrimSpace(q.Get("country")); v != "" {
		if !isCode(v) || len(v) > 3 {
			return f, bad("filter country %q: want a two- or three-letter country code", clip(v))
		}
		f.Country = v
	}
	f.Text = strings.TrimSpace(q.Get("q"))
	if f.From != "" && f.To != "" && f.From > f.To {
		return f, bad("filter from %s is after to %s", f.From, f.To)
	}
	return f, nil
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, bad("%s %q: want a number from %d to %d", name, clip(v), lo, hi)
	}
	return n, nil
}

// Cursors are opaque to clients: base64url of "day id order".
func encodeCursor(e store.EventRow, desc bool) string {
	o := "a"
	if desc {
		o = "d"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(e.Date + " " + strconv.FormatInt(e.ID, 10) + " " + o))
}

func decodeCursor(s string) (store.Cursor, error) {
	var c store.Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 64 {
		return c, bad("cursor %q: not a cursor this server gave", clip(s))
	}
	parts := strings.Fields(string(b))
	if len(parts) != 3 || len(parts[0]) != 10 || (parts[2] != "a" && parts[2] != "d") {
		return c, bad("cursor %q: not a cursor this server gave", clip(s))
	}
	if _, err := time.Parse("2006-01-02", parts[0]); err != nil {
		return c, bad("cursor %q: not a cursor this server gave", clip(s))
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return c, bad("cursor %q: not a cursor this server gave", clip(s))
	}
	return store.Cursor{Date: parts[0], ID: id, Desc: parts[2] == "d"}, nil
}

// eventsPage is one page of events and the cursor of the next.
type eventsPage struct {
	Events     []store.EventRow `json:"events"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

func (s *Server) events(ctx context.Context, q url.Values) (eventsPage, store.Filter, error) {
	f, err := parseFilter(q)
	if err != nil {
		return eventsPage{}, f, err
	}
	limit, err := intParam(q, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return eventsPage{}, f, err
	}
	var c store.Cursor
	switch o := q.Get("order"); o {
	case "", "asc":
	case "desc":
		c.Desc = true
	default:
		return eventsPage{}, f, bad("order %q: want asc or desc", clip(o))
	}
	if v := q.Get("cursor"); v != "" {
		cc, err := decodeCursor(v)
		if err != nil {
			return eventsPage{}, f, err
		}
		if cc.Desc != c.Desc {
			return eventsPage{}, f, bad("cursor: it was given for the other order")
		}
		c = cc
	}
	// One more than asked says whether there is a next page.
	evs, err := store.EventsAfter(ctx, s.cfg.Store, f, c, limit+1)
	if err != nil {
		return eventsPage{}, f, err
	}
	p := eventsPage{Events: evs}
	if len(evs) > limit {
		p.Events = evs[:limit]
		p.NextCursor = encodeCursor(evs[limit-1], c.Desc)
	}
	return p, f, nil
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	p, _, err := s.events(r.Context(), r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func parseID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, bad("event id %q: want a positive number", clip(v))
	}
	return id, nil
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ev, err := store.GetEvent(r.Context(), s.cfg.Store, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	d, err := store.GetDocument(r.Context(), s.cfg.Store, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func interval(q url.Values, def store.Interval) (store.Interval, error) {
	if q.Get("interval") == "" {
		return def, nil
	}
	iv, err := store.ParseInterval(q.Get("interval"))
	if err != nil {
		return "", bad("%v", err)
	}
	return iv, nil
}

func (s *Server) apiSeries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseFilter(q)
	if err == nil && f.Source != "" && f.Target != "" && q.Get("both") == "" {
		f.BothDirections = true // a dyad's series is both directions unless both=false
	}
	if err == nil && q.Get("both") != "" {
		f.BothDirections, _ = strconv.ParseBool(q.Get("both"))
	}
	iv, err2 := interval(q, store.IntervalDay)
	if err = errors.Join(err, err2); err != nil {
		s.fail(w, r, firstErr(err))
		return
	}
	rows, err := s.cfg.Store.Series(r.Context(), f, iv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.SeriesRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"interval": iv, "series": rows})
}

// firstErr unwraps a Join so the first error decides the status.
func firstErr(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return j.Unwrap()[0]
	}
	return err
}

func (s *Server) apiBreakdown(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseFilter(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	iv, err := interval(q, store.IntervalNone)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rows []store.BreakdownRow
	switch by := q.Get("by"); by {
	case "", "root":
		rows, err = s.cfg.Store.Breakdown(r.Context(), f, store.ByRoot, iv)
	case "quad":
		rows, err = s.cfg.Store.Breakdown(r.Context(), f, store.ByQuad, iv)
	case "plover":
		rows, err = store.BreakdownPLOVER(r.Context(), s.cfg.Store, f, iv)
	default:
		err = bad("by %q: want root, quad or plover", clip(by))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.BreakdownRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"interval": iv, "rows": rows})
}

func (s *Server) apiActors(w http.ResponseWriter, r *http.Request) {
	ranked(s, w, r, "actors", s.cfg.Store.TopActors)
}

func (s *Server) apiDyads(w http.ResponseWriter, r *http.Request) {
	ranked(s, w, r, "dyads", s.cfg.Store.TopDyads)
}

// ranked answers a top-n list under key: the filter, n (default 20), rows.
func ranked[T any](s *Server, w http.ResponseWriter, r *http.Request, key string, top func(context.Context, store.Filter, int) ([]T, error)) {
	q := r.URL.Query()
	f, err := parseFilter(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := intParam(q, "n", 20, 1, maxLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := top(r.Context(), f, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []T{}
	}
	writeJSON(w, http.StatusOK, map[string]any{key: rows})
}

func (s *Server) apiPoints(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseFilter(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := intParam(q, "limit", 2000, 1, 5000)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pts, err := store.Points(r.Context(), s.cfg.Store, f, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"points": pts})
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Store.Stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// IngestDoc is one document POSTed to /api/ingest.
type IngestDoc struct {
	ID   string  `json:"id"`
	Text *string `json:"text,omitempty"`
	HTML *string `json:"html,omitempty"`
	URL  string  `json:"url,omitempty"`
	Date string  `json:"date,omitempty"`
}

// IngestResult says what one POST stored.
type IngestResult struct {
	Documents int              `json:"documents"`
	Coded     int              `json:"coded"`
	Events    int              `json:"events"`
	Store     store.PutStats   `json:"store"`
	Records   []ingestedRecord `json:"records"`
}

type ingestedRecord struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Reason      string `json:"reason,omitempty"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	Events      int    `json:"events"`
}

// decodeIngest reads one document or a list of them.
func decodeIngest(body []byte) ([]IngestDoc, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, bad("empty body: want a JSON document {\"id\", \"text\"|\"html\", \"url\", \"date\"} or a list of them")
	}
	var docs []IngestDoc
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var err error
	if body[0] == '[' {
		err = dec.Decode(&docs)
	} else {
		var d IngestDoc
		err = dec.Decode(&d)
		docs = []IngestDoc{d}
	}
	if err != nil {
		return nil, bad("malformed JSON: %v", err)
	}
	if dec.More() {
		return nil, bad("malformed JSON: more than one value in the body (send a list)")
	}
	if len(docs) == 0 {
		return nil, bad("no documents in the list")
	}
	if len(docs) > maxIngest {
		return nil, bad("%d documents: at most %d per request", len(docs), maxIngest)
	}
	ids := map[string]bool{}
	for i, d := range docs {
		at := fmt.Sprintf("document %d", i+1)
		if d.ID != "" {
			at = fmt.Sprintf("document %d (%q)", i+1, clip(d.ID))
		}
		switch {
		case len(d.ID) > 500 || strings.ContainsAny(d.ID, "\x00\n\r"):
			return nil, bad("%s: id longer than 500 bytes or with control characters", at)
		case (d.Text == nil || strings.TrimSpace(*d.Text) == "") && (d.HTML == nil || strings.TrimSpace(*d.HTML) == ""):
			return nil, bad("%s: no \"text\" or \"html\"", at)
		case d.Text != nil && d.HTML != nil:
			return nil, bad("%s: give \"text\" or \"html\", not both", at)
		case d.URL != "" && !(strings.HasPrefix(d.URL, "http://") || strings.HasPrefix(d.URL, "https://")):
			return nil, bad("%s: url %q is not http(s)", at, clip(d.URL))
		}
		if d.Date != "" {
			if _, err := time.Parse("2006-01-02", d.Date); err != nil {
				return nil, bad("%s: date %q is not YYYY-MM-DD", at, clip(d.Date))
			}
		}
		if d.ID != "" {
			if ids[d.ID] {
				return nil, bad("%s: id given twice", at)
			}
			ids[d.ID] = true
		}
	}
	return docs, nil
}

type collectSink struct {
	recs  []model.Record
	fails []ingest.Failure
}

func (c *collectSink) Record(r model.Record) error    { c.recs = append(c.recs, r); return nil }
func (c *collectSink) Failure(f ingest.Failure) error { c.fails = append(c.fails, f); return nil }

func (s *Server) apiIngest(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token == "" || s.cfg.Pipeline == nil {
		jsonError(w, http.StatusForbidden, "ingest is disabled: start dyad serve with --token or $DYAD_TOKEN")
		return
	}
	if t, ok := bearer(r); !ok || !s.tokenOK(t) {
		s.refuse(w, r)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		jsonError(w, http.StatusUnsupportedMediaType, "content type "+clip(ct)+": want application/json")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docs, err := decodeIngest(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.ingestDocs(r.Context(), docs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// ingestDocs runs docs through the same ingester as dyad ingest — via a
// JSON Lines file, its input format — and stores every record in one
// transaction, or nothing when any document fails.
func (s *Server) ingestDocs(ctx context.Context, docs []IngestDoc) (*IngestResult, error) {
	s.ingest.Lock()
	defer s.ingest.Unlock()
	dir, err := os.MkdirTemp("", "dyad-ingest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "request.jsonl")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	in := ingest.New(s.cfg.Pipeline, ingest.Options{MaxBytes: s.cfg.MaxBody})
	sink := &collectSink{}
	st, err := in.Run(ctx, []string{name}, sink, nil)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var msgs []string
	for _, f := range sink.fails {
		if f.Status == "failed" {
			msgs = append(msgs, strings.ReplaceAll(f.Reason, name, "request"))
		}
	}
	res := &IngestResult{Documents: st.Documents, Coded: st.Coded, Events: st.Events, Records: []ingestedRecord{}}
	for i := range sink.recs {
		rec := &sink.recs[i]
		rec.Document.Source = "api:" + rec.Document.ID
		if err := store.Validate(rec); err != nil {
			msgs = append(msgs, fmt.Sprintf("%s: %v", rec.Document.ID, err))
		}
		res.Records = append(res.Records, ingestedRecord{ID: rec.Document.ID, Status: rec.Status, Reason: rec.Reason,
			DuplicateOf: rec.DuplicateOf, Events: len(rec.Events)})
	}
	if len(msgs) > 0 {
		return nil, bad("nothing stored: %s", strings.Join(msgs, "; "))
	}
	if len(sink.recs) > 0 {
		ps, err := s.cfg.Store.Put(ctx, sink.recs)
		if s.cache != nil {
			s.cache.invalidate()
		}
		if err != nil {
			return nil, err
		}
		res.Store = ps
	}
	return res, nil
}
