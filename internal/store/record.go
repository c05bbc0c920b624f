package store

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

// doc is a record checked and cleaned for storage.
type doc struct {
	num                                     int64 // documents.num, once stored
	id, url, outlet, srcKey                 string
	published, refDate, lang, title, byline string
	origin, hash, text                      string
	textLen                                 int
	status, reason, dupOf                   string
	rankDate                                string // the date its mentions are ranked by
	numEvents                               int
	events                                  []event
}

// event is one report as stored: a model.Event checked and cleaned.
type event struct {
	rawID, date                 string
	day                         int
	src, tgt                    actor
	cameo, root, cameoName      string
	quad                        int
	goldstein                   float64
	plover, ploverMode          string
	negated                     bool
	trigger                     model.Span
	sentIdx, sentStart, sentEnd int
	sentText                    string
	rule                        string
	confidence                  float64
	loc                         *model.Location
	locJSON                     string
}

type actor struct {
	loc                               string // JSON of the actor's model.Location, "" when none
	code, country, sector, name, text string
	start, end                        int
}

// clean makes a string storable in both backends: valid UTF-8, no NUL bytes
// (PostgreSQL text cannot hold them).
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// dayOf parses YYYY-MM-DD into days since 1970-01-01.
func dayOf(s string) (int, bool) {
	if len(s) != 10 {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

func dateOf(day int) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format("2006-01-02")
}

// floorDiv rounds towards minus infinity, so buckets before 1970 are as wide
// as the others.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// sourceKey is what NumSources counts for a document: its outlet, else its
// URL's host, else the document itself (an unknown source is not assumed to
// be any other).
func sourceKey(outlet, rawURL, id string) string {
	if o := strings.ToLower(strings.TrimSpace(outlet)); o != "" {
		return o
	}
	if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return "doc:" + id
}

func validCAMEO(c string) bool {
	if len(c) < 2 || len(c) > 4 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Validate reports the first problem that stops a record from being stored.
func Validate(r *model.Record) error {
	_, err := prepare(r)
	return err
}

// prepare checks and cleans one record.
func prepare(r *model.Record) (*doc, error) {
	d := &r.Document
	if strings.TrimSpace(d.ID) == "" {
		return nil, fmt.Errorf("document has no id")
	}
	id := clean(d.ID)
	fail := func(format string, a ...any) (*doc, error) {
		return nil, fmt.Errorf("document %q: %s", id, fmt.Sprintf(format, a...))
	}
	status := r.Status
	switch status {
	case "":
		status = model.StatusCoded
	case model.StatusCoded, model.StatusDuplicate, model.StatusSkipped:
	default:
		return fail("status %q: want coded, duplicate or skipped", r.Status)
	}
	if status == model.StatusDuplicate {
		if r.DuplicateOf == "" {
			return fail("a duplicate must name the first copy (duplicate_of)")
		}
		if r.DuplicateOf == d.ID {
			return fail("duplicate_of names the document itself")
		}
	} else if r.DuplicateOf != "" {
		return fail("duplicate_of is set but status is %q", status)
	}
	if status == model.StatusSkipped && len(r.Events) > 0 {
		return fail("a skipped document carries %d events", len(r.Events))
	}
	for _, f := range []struct{ name, v string }{{"date", d.Date}, {"published", d.Published}} {
		if f.v != "" {
			if _, ok := dayOf(f.v); !ok {
				return fail("%s %q is not YYYY-MM-DD", f.name, f.v)
			}
		}
	}
	text := clean(d.Text)
	out := &doc{
		id: id, url: clean(d.URL), outlet: clean(d.Outlet), published: d.Published, refDate: d.Date,
		lang: clean(d.Lang), title: clean(d.Title), byline: clean(d.Byline), origin: clean(d.Source),
		hash: clean(d.Hash), text: text, textLen: utf8.RuneCountInString(text),
		status: status, reason: clean(r.Reason), dupOf: clean(r.DuplicateOf),
	}
	out.srcKey = sourceKey(out.outlet, out.url, id)
	out.rankDate = d.Published
	if out.rankDate == "" {
		out.rankDate = d.Date
	}
	if status != model.StatusCoded {
		return out, nil // a duplicate's events are the first copy's, credited to it by Put
	}
	if len(r.Events) >= maxEvents {
		return fail("%d events: at most %d a document", len(r.Events), maxEvents-1)
	}
	out.numEvents = len(r.Events)
	out.events = make([]event, len(r.Events))
	for i := range r.Events {
		e, err := prepareEvent(&r.Events[i], d)
		if err != nil {
			return fail("event %d: %v", i+1, err)
		}
		out.events[i] = e
	}
	if out.rankDate == "" && len(out.events) > 0 {
		out.rankDate = out.events[0].date
	}
	return out, nil
}

func prepareEvent(e *model.Event, d *model.Document) (event, error) {
	if e.DocID != "" && e.DocID != d.ID {
		return event{}, fmt.Errorf("doc_id %q is not the document's id", e.DocID)
	}
	if !validCAMEO(e.CAMEO) {
		return event{}, fmt.Errorf("CAMEO code %q: want 2 to 4 digits", e.CAMEO)
	}
	date := e.Date
	for _, alt := range []string{d.Date, d.Published} {
		if date == "" {
			date = alt
		}
	}
	day, ok := dayOf(date)
	if !ok {
		if date == "" {
			return event{}, fmt.Errorf("no date (neither the event nor its document has one)")
		}
		return event{}, fmt.Errorf("date %q is not YYYY-MM-DD", date)
	}
	if !finite(e.Goldstein) || e.Goldstein < -10 || e.Goldstein > 10 {
		return event{}, fmt.Errorf("Goldstein score %v is not between -10 and 10", e.Goldstein)
	}
	if !finite(e.Confidence) {
		return event{}, fmt.Errorf("confidence %v is not a number", e.Confidence)
	}
	if e.QuadClass < 0 || e.QuadClass > 4 {
		return event{}, fmt.Errorf("quad class %d: want 1 to 4", e.QuadClass)
	}
	if e.Sentence.Index < 0 {
		return event{}, fmt.Errorf("sentence index %d is negative", e.Sentence.Index)
	}
	root := e.CAMEORoot
	if root == "" {
		root = e.CAMEO[:2]
	}
	if root != e.CAMEO[:2] {
		return event{}, fmt.Errorf("CAMEO root %q does not begin CAMEO code %q", root, e.CAMEO)
	}
	out := event{
		rawID: clean(e.EventID), date: date, day: day,
		src: prepareActor(e.Source), tgt: prepareActor(e.Target),
		cameo: e.CAMEO, root: root, cameoName: clean(e.CAMEOName),
		quad: e.QuadClass, goldstein: e.Goldstein,
		plover: clean(e.PLOVER), ploverMode: clean(e.PLOVERMode), negated: e.Negated,
		trigger: model.Span{Text: clean(e.Trigger.Text), Start: e.Trigger.Start, End: e.Trigger.End},
		sentIdx: e.Sentence.Index, sentStart: e.Sentence.Start, sentEnd: e.Sentence.End,
		sentText: clean(e.Sentence.Text), rule: clean(e.Rule), confidence: e.Confidence,
	}
	if l := e.Location; l != nil {
		if !finite(l.Lat) || !finite(l.Lon) {
			return event{}, fmt.Errorf("location %q has no valid coordinates", l.Name)
		}
		c := *l
		for _, s := range []*string{&c.Name, &c.Country, &c.FIPS, &c.ADM1, &c.Precision, &c.Text, &c.Reason} {
			*s = clean(*s)
		}
		out.loc = &c
		b, _ := json.Marshal(&c)
		out.locJSON = string(b)
	}
	return out, nil
}

func prepareActor(a *model.Actor) actor {
	if a == nil {
		return actor{}
	}
	return actor{code: clean(a.Code), country: clean(a.Country), sector: clean(a.Sector), name: clean(a.Name),
		text: clean(a.Text), start: a.Start, end: a.End, loc: locationJSON(a.Location)}
}

// locationJSON keeps an actor's place; one without valid coordinates is
// dropped rather than failing the event it belongs to.
func locationJSON(l *model.Location) string {
	if l == nil || !finite(l.Lat) || !finite(l.Lon) {
		return ""
	}
	c := *l
	for _, s := range []*string{&c.Name, &c.Country, &c.FIPS, &c.ADM1, &c.Precision, &c.Text, &c.Reason} {
		*s = clean(*s)
	}
	b, _ := json.Marshal(&c)
	return string(b)
}

// rank orders the mentions of one event; the smallest is the evidence shown:
// highest confidence, then earliest document date, then document ID, then
// position in the document. Fixed-width fields keep byte order meaningful.
func rank(conf float64, docDate, docID string, seq int) string {
	c := int64(math.Round(math.Max(0, math.Min(conf, 1)) * 1e6))
	if docDate == "" {
		docDate = "9999-99-99"
	}
	return strconv.FormatInt(1e7+1e6-c, 10) + "|" + docDate + "|" + docID + "|" + strconv.Itoa(1e7+seq)
}
