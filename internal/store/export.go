package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// ExportEvent is one stored event with what the export formats need: its
// best mention as a model.Event, its counters, DATEADDED and SOURCEURL.
type ExportEvent struct {
	ID          int64
	Event       model.Event
	DateAdded   time.Time
	SourceURL   string // the best mention's document URL, else its id
	NumMentions int
	NumSources  int
	NumArticles int
}

// ExportMention is one report of an exported event: the event as that
// document reported it, and the document.
type ExportMention struct {
	EventID    int64
	EventAdded time.Time
	Event      model.Event
	DocID      string
	URL        string
	Outlet     string
	DocDate    string // published, else the reference date; may be ""
	DocAdded   time.Time
	DocLen     int // code points of the document text
}

// exportPage is how many events one read fetches: memory stays bounded and
// no read holds a connection while the caller writes.
const exportPage = 500

// ExportEvents calls fn for each event f selects, by date then ID, reading
// the store a page at a time.
func ExportEvents(ctx context.Context, st Store, f Filter, fn func(*ExportEvent) error) error {
	return exportEvents(ctx, st, f, func(evs []ExportEvent) error {
		for i := range evs {
			if err := fn(&evs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// ExportMentions calls fn for each mention of each event f selects: events
// by date then ID, an event's mentions by document arrival then position.
func ExportMentions(ctx context.Context, st Store, f Filter, fn func(*ExportMention) error) error {
	s, err := asSQL(st)
	if err != nil {
		return err
	}
	return exportEvents(ctx, st, f, func(evs []ExportEvent) error {
		ids := make([]any, len(evs))
		added := make(map[int64]time.Time, len(evs))
		for i, e := range evs {
			ids[i] = e.ID
			added[e.ID] = e.DateAdded
		}
		// One event's mentions are few next to a page of events; fn runs
		// after the rows are closed, so a slow writer holds no connection.
		var ms []ExportMention
		r, err := s.b.query(ctx, `SELECT m.event_id, `+mentionCols+`,
	d.id, d.url, d.outlet, CASE WHEN d.published <> '' THEN d.published ELSE d.ref_date END, d.added_at, d.text_len
FROM mentions m JOIN documents d ON d.num = m.doc_num
LEFT JOIN mentions o ON o.doc_num = m.via_num AND o.seq = m.seq
JOIN events e ON e.id = m.event_id
LEFT JOIN actors sa ON sa.id = e.src LEFT JOIN actors ta ON ta.id = e.tgt LEFT JOIN cameo_codes c ON c.cameo = e.cameo
WHERE m.event_id IN (`+placeholders(len(ids))+`) ORDER BY m.event_id, m.doc_num, m.seq`, ids...)
		if err != nil {
			return s.exportErr(err)
		}
		for r.Next() {
			var m ExportMention
			var docAdded string
			var loc locs
			var neg int
			dest := append([]any{&m.EventID}, mentionDest(&m.Event, &loc, &neg)...)
			dest = append(dest, &m.DocID, &m.URL, &m.Outlet, &m.DocDate, &docAdded, &m.DocLen)
			if err := r.Scan(dest...); err != nil {
				r.Close()
				return s.exportErr(err)
			}
			if err := fillEvent(&m.Event, loc, neg); err != nil {
				r.Close()
				return s.exportErr(fmt.Errorf("event %d: %v", m.EventID, err))
			}
			m.Event.DocID = m.DocID
			m.EventAdded = added[m.EventID]
			m.DocAdded, _ = time.Parse("20060102150405", docAdded)
			ms = append(ms, m)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return s.exportErr(err)
		}
		for i := range ms {
			if err := fn(&ms[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func asSQL(st Store) (*sqlStore, error) {
	s, ok := st.(*sqlStore)
	if !ok {
		return nil, fmt.Errorf("store: export needs a store opened by store.Open, not %T", st)
	}
	return s, nil
}

func (s *sqlStore) exportErr(err error) error {
	return fmt.Errorf("store %s: export: %v", s.name, explain(err))
}

// mentionCols are a mention's columns as a model.Event, the sentence taken
// from the first copy for a syndicated copy's mention. They need mentions m
// and o, events e, actors sa and ta, cameo_codes c.
const mentionCols = `m.raw_id, m.date, COALESCE(sa.code, ''), COALESCE(sa.country, ''), COALESCE(sa.sector, ''),
	m.source_name, m.source_text, m.source_start, m.source_end,
	COALESCE(ta.code, ''), COALESCE(ta.country, ''), COALESCE(ta.sector, ''),
	m.target_name, m.target_text, m.target_start, m.target_end,
	e.cameo, e.cameo_root, COALESCE(c.name, ''), e.quad_class, e.goldstein, e.plover, COALESCE(c.plover_mode, ''), e.negated,
	m.trigger_text, m.trigger_start, m.trigger_end,
	m.sentence_idx, m.sentence_start, m.sentence_end, CASE WHEN m.via_num <> 0 THEN COALESCE(o.sentence, '') ELSE m.sentence END,
	m.rule, m.confidence, m.location, m.source_location, m.target_location`

// locs are a mention's stored locations: the event's and its actors'.
type locs struct{ ev, src, tgt string }

func mentionDest(e *model.Event, loc *locs, neg *int) []any {
	e.Source, e.Target = &model.Actor{}, &model.Actor{}
	a, b := e.Source, e.Target
	return []any{&e.EventID, &e.Date, &a.Code, &a.Country, &a.Sector, &a.Name, &a.Text, &a.Start, &a.End,
		&b.Code, &b.Country, &b.Sector, &b.Name, &b.Text, &b.Start, &b.End,
		&e.CAMEO, &e.CAMEORoot, &e.CAMEOName, &e.QuadClass, &e.Goldstein, &e.PLOVER, &e.PLOVERMode, neg,
		&e.Trigger.Text, &e.Trigger.Start, &e.Trigger.End,
		&e.Sentence.Index, &e.Sentence.Start, &e.Sentence.End, &e.Sentence.Text,
		&e.Rule, &e.Confidence, &loc.ev, &loc.src, &loc.tgt}
}

// fillEvent finishes what mentionDest scanned: no actor is nil, not empty.
func fillEvent(e *model.Event, loc locs, neg int) error {
	parse := func(js string) (*model.Location, error) {
		if js == "" {
			return nil, nil
		}
		var l model.Location
		if err := json.Unmarshal([]byte(js), &l); err != nil {
			return nil, fmt.Errorf("stored location: %v", err)
		}
		return &l, nil
	}
	var err error
	if e.Location, err = parse(loc.ev); err != nil {
		return err
	}
	if e.Source.Location, err = parse(loc.src); err != nil {
		return err
	}
	if e.Target.Location, err = parse(loc.tgt); err != nil {
		return err
	}
	if e.Source.Code == "" {
		e.Source = nil
	}
	if e.Target.Code == "" {
		e.Target = nil
	}
	e.Negated = neg != 0
	return nil
}

// exportEvents reads the events f selects a page at a time, by (day, id)
// keyset, and hands each page to fn.
func exportEvents(ctx context.Context, st Store, f Filter, fn func([]ExportEvent) error) error {
	s, err := asSQL(st)
	if err != nil {
		return err
	}
	w, err := s.where(f)
	if err != nil {
		return err
	}
	q := `SELECT e.id, e.day, e.num_mentions, e.num_sources, e.num_articles, e.added_at, d.id, d.url, ` + mentionCols + `
FROM events e
JOIN mentions m ON m.doc_num = e.best_num AND m.seq = e.best_seq
JOIN documents d ON d.num = e.best_num
LEFT JOIN mentions o ON o.doc_num = m.via_num AND o.seq = m.seq
LEFT JOIN actors sa ON sa.id = e.src LEFT JOIN actors ta ON ta.id = e.tgt LEFT JOIN cameo_codes c ON c.cameo = e.cameo
WHERE ` + w.sql() + ` AND (e.day > ? OR (e.day = ? AND e.id > ?)) ORDER BY e.day, e.id LIMIT ?`
	day, id := int64(-1<<31), int64(0)
	page := make([]ExportEvent, 0, exportPage)
	for {
		page = page[:0]
		args := append(append([]any{}, w.args...), day, day, id, exportPage)
		r, err := s.b.query(ctx, q, args...)
		if err != nil {
			return s.exportErr(err)
		}
		for r.Next() {
			var x ExportEvent
			var added, docID, url string
			var loc locs
			var neg int
			dest := append([]any{&x.ID, &day, &x.NumMentions, &x.NumSources, &x.NumArticles, &added, &docID, &url},
				mentionDest(&x.Event, &loc, &neg)...)
			if err := r.Scan(dest...); err != nil {
				r.Close()
				return s.exportErr(err)
			}
			if err := fillEvent(&x.Event, loc, neg); err != nil {
				r.Close()
				return s.exportErr(fmt.Errorf("event %d: %v", x.ID, err))
			}
			id = x.ID
			x.Event.DocID = docID
			x.SourceURL = url
			if strings.TrimSpace(url) == "" {
				x.SourceURL = docID
			}
			if x.DateAdded, err = time.Parse("20060102150405", added); err != nil {
				r.Close()
				return s.exportErr(fmt.Errorf("event %d: added_at %q: %v", x.ID, added, err))
			}
			page = append(page, x)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return s.exportErr(err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < exportPage {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}
