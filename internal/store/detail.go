package store

// Read-side helpers for the web API: one event with all its evidence, one
// document with its events, keyset paging, located events and PLOVER
// breakdowns. They are functions over Store rather than interface methods so
// the interface stays small; each runs the same ?-placeholder SQL on both
// backends.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// ErrNotFound is returned for an event or document the store does not hold.
var ErrNotFound = errors.New("not found")

// Span is a piece of text with code-point offsets; Kind says what it is
// (source, target, trigger, location) where that matters.
type Span struct {
	Kind  string `json:"kind,omitempty"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// MentionDetail is one report of an event. Offsets of Source, Target and
// Trigger are into the document text; SentenceSpans holds the same spans
// relative to Sentence, ready to highlight.
type MentionDetail struct {
	DocID         string          `json:"doc_id"`
	URL           string          `json:"url"`
	Outlet        string          `json:"outlet"`
	Title         string          `json:"title"`
	Seq           int             `json:"seq"`
	EventID       int64           `json:"event_id"`
	Date          string          `json:"date"`
	Confidence    float64         `json:"confidence"`
	Rule          string          `json:"rule"`
	Via           string          `json:"via,omitempty"` // the first copy, for a syndicated copy
	SentenceIndex int             `json:"sentence_index"`
	SentenceStart int             `json:"sentence_start"`
	SentenceEnd   int             `json:"sentence_end"`
	Sentence      string          `json:"sentence"`
	SourceName    string          `json:"source_name"`
	TargetName    string          `json:"target_name"`
	Source        Span            `json:"source"`
	Target        Span            `json:"target"`
	Trigger       Span            `json:"trigger"`
	Location      *model.Location `json:"location,omitempty"`
	SentenceSpans []Span          `json:"sentence_spans"`
	Best          bool            `json:"best"` // the event's evidence
}

// EventDetail is an event with every mention of it.
type EventDetail struct {
	EventRow
	Lat      *float64        `json:"lat,omitempty"`
	Lon      *float64        `json:"lon,omitempty"`
	Mentions []MentionDetail `json:"mentions"`
}

// DocumentDetail is a stored document with the mentions it carries.
type DocumentDetail struct {
	ID          string          `json:"id"`
	URL         string          `json:"url"`
	Outlet      string          `json:"outlet"`
	Title       string          `json:"title"`
	Published   string          `json:"published"`
	RefDate     string          `json:"ref_date"`
	Lang        string          `json:"lang"`
	Status      string          `json:"status"`
	Reason      string          `json:"reason"`
	DuplicateOf string          `json:"duplicate_of"`
	Text        string          `json:"text"`
	NumEvents   int             `json:"num_events"`
	Mentions    []MentionDetail `json:"mentions"`
	// Spans are the mentions' source, target and trigger spans in the text,
	// sorted by start.
	Spans []DocSpan `json:"spans"`
}

// DocSpan is a highlighted span of a document and the event it belongs to.
type DocSpan struct {
	Span
	EventID int64 `json:"event_id"`
}

// Cursor is a keyset position in the (date, id) order of events.
type Cursor struct {
	Date string // YYYY-MM-DD of the last event seen; "" starts from the beginning
	ID   int64
	Desc bool // newest first
}

// Point is a located event for a map.
type Point struct {
	ID        int64   `json:"id"`
	Date      string  `json:"date"`
	Source    string  `json:"source"`
	Target    string  `json:"target"`
	CAMEO     string  `json:"cameo"`
	QuadClass int     `json:"quad_class"`
	Goldstein float64 `json:"goldstein"`
	Place     string  `json:"place"`
	Country   string  `json:"country"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
}

func detailSQL(s Store) (*sqlStore, error) {
	ss, ok := s.(*sqlStore)
	if !ok {
		return nil, fmt.Errorf("store: %T is not a SQL store", s)
	}
	return ss, nil
}

// The actor codes and CAMEO names of a listed event come from memory (see
// names): three fewer B-tree lookups per row, a third of a page's SQL time.
// A syndicated copy's sentence is fetched only for copies.
const detailEventSelect = `SELECT e.id, e.date, e.src, COALESCE(m.source_name, ''), e.tgt, COALESCE(m.target_name, ''),
	e.cameo, e.quad_class, e.goldstein, e.plover, e.negated,
	e.num_mentions, e.num_sources, e.num_articles, COALESCE(m.confidence, 0), e.loc_country, COALESCE(m.location, ''),
	COALESCE(d.id, ''), COALESCE(d.url, ''), COALESCE(d.outlet, ''), COALESCE(m.trigger_text, ''),
	CASE WHEN m.via_num <> 0 THEN COALESCE((SELECT o.sentence FROM mentions o WHERE o.doc_num = m.via_num AND o.seq = m.seq), '')
	ELSE COALESCE(m.sentence, '') END, e.day
`

// detailEventPacked is detailEventSelect with its text columns joined by
// unit separators into one: modernc's driver takes a mutex for every column
// it reads, a fifth of an event page's time. A value holding the separator
// itself makes the page be read again with detailEventSelect.
const detailEventPacked = `SELECT e.id, e.src, e.tgt, e.quad_class, e.goldstein, e.negated,
	e.num_mentions, e.num_sources, e.num_articles, COALESCE(m.confidence, 0),
	e.date || '` + packSep + `' || COALESCE(m.source_name, '') || '` + packSep + `' || COALESCE(m.target_name, '') || '` + packSep + `' ||
	e.cameo || '` + packSep + `' || e.plover || '` + packSep + `' || e.loc_country || '` + packSep + `' || COALESCE(m.location, '') || '` + packSep + `' ||
	COALESCE(d.id, '') || '` + packSep + `' || COALESCE(d.url, '') || '` + packSep + `' || COALESCE(d.outlet, '') || '` + packSep + `' ||
	COALESCE(m.trigger_text, '') || '` + packSep + `' ||
	CASE WHEN m.via_num <> 0 THEN COALESCE((SELECT o.sentence FROM mentions o WHERE o.doc_num = m.via_num AND o.seq = m.seq), '')
	ELSE COALESCE(m.sentence, '') END
`

const packSep = "\x1f"

// errUnpack says a packed row held the separator in a value.
var errUnpack = errors.New("packed event row: a value holds the separator")

// scanPackedEvent reads detailEventPacked for an event list.
func scanPackedEvent(r rows) (EventRow, [2]int64, error) {
	var e EventRow
	var neg int
	var ids [2]int64
	var packed string
	if err := r.Scan(&e.ID, &ids[0], &ids[1], &e.QuadClass, &e.Goldstein, &neg,
		&e.NumMentions, &e.NumSources, &e.NumArticles, &e.Confidence, &packed); err != nil {
		return e, ids, err
	}
	var f [12]string
	for i := range f {
		if i == len(f)-1 {
			if strings.Contains(packed, packSep) {
				return e, ids, errUnpack
			}
			f[i] = packed
			break
		}
		v, rest, ok := strings.Cut(packed, packSep)
		if !ok {
			return e, ids, errUnpack
		}
		f[i], packed = v, rest
	}
	e.Negated = neg != 0
	e.Date, e.SourceName, e.TargetName, e.CAMEO, e.PLOVER, e.Country = f[0], f[1], f[2], f[3], f[4], f[5]
	e.Place = locName(f[6])
	e.DocID, e.URL, e.Outlet, e.Trigger, e.Sentence = f[7], f[8], f[9], f[10], f[11]
	return e, ids, nil
}

const detailEventJoins = `LEFT JOIN mentions m ON m.doc_num = e.best_num AND m.seq = e.best_seq
LEFT JOIN documents d ON d.num = e.best_num
`

const detailEventCols = detailEventSelect + "FROM events e\n" + detailEventJoins

// scanDetailEvent reads detailEventCols; loc is the best mention's location
// JSON, decoded in full only when full is set: a list needs just its name.
// The actor codes and CAMEO names are filled in by names.fill.
func scanDetailEvent(r rows, full bool) (EventRow, *model.Location, [2]int64, error) {
	var e EventRow
	var neg int
	var loc string
	var day int64
	var ids [2]int64
	if err := r.Scan(&e.ID, &e.Date, &ids[0], &e.SourceName, &ids[1], &e.TargetName,
		&e.CAMEO, &e.QuadClass, &e.Goldstein, &e.PLOVER, &neg,
		&e.NumMentions, &e.NumSources, &e.NumArticles, &e.Confidence, &e.Country, &loc,
		&e.DocID, &e.URL, &e.Outlet, &e.Trigger, &e.Sentence, &day); err != nil {
		return e, nil, ids, err
	}
	e.Negated = neg != 0
	if !full {
		e.Place = locName(loc)
		return e, nil, ids, nil
	}
	l := parseDetailLoc(loc)
	if l != nil {
		e.Place = l.Name
	}
	return e, l, ids, nil
}

// names maps actor ids to codes and CAMEO codes to their names: from the
// planStats snapshot, and for what was stored after it, from the tables.
type names struct {
	ss     *sqlStore
	snap   *planSnapshot
	actors map[int64]string
	codes  map[string]codeInfo
}

func (ss *sqlStore) names(ctx context.Context) (*names, error) {
	p, err := ss.planStats(ctx)
	if err != nil {
		return nil, err
	}
	return &names{ss: ss, snap: p}, nil
}

// fill sets e's actor codes and CAMEO name and mode.
func (n *names) fill(ctx context.Context, e *EventRow, ids [2]int64) error {
	var err error
	if e.Source, err = n.actor(ctx, ids[0]); err != nil {
		return err
	}
	if e.Target, err = n.actor(ctx, ids[1]); err != nil {
		return err
	}
	ci, ok := n.snap.cameo[e.CAMEO]
	if !ok {
		if ci, ok = n.codes[e.CAMEO]; !ok {
			n.ss.stalePlans()
			q := "SELECT name, plover_mode FROM cameo_codes WHERE cameo = ?"
			if err := scanRow(ctx, n.ss, q, []any{e.CAMEO}, &ci.name, &ci.mode); err != nil {
				return err
			}
			if n.codes == nil {
				n.codes = map[string]codeInfo{}
			}
			n.codes[e.CAMEO] = ci
		}
	}
	e.CAMEOName, e.PLOVERMode = ci.name, ci.mode
	return nil
}

func (n *names) actor(ctx context.Context, id int64) (string, error) {
	if c, ok := n.snap.codeByID[id]; ok {
		return c, nil
	}
	if c, ok := n.actors[id]; ok {
		return c, nil
	}
	n.ss.stalePlans()
	var c string
	if err := scanRow(ctx, n.ss, "SELECT code FROM actors WHERE id = ?", []any{id}, &c); err != nil {
		return "", err
	}
	if n.actors == nil {
		n.actors = map[int64]string{}
	}
	n.actors[id] = c
	return c, nil
}

// scanRow reads the one row q returns into dest; no row leaves dest as is.
func scanRow(ctx context.Context, ss *sqlStore, q string, args []any, dest ...any) error {
	return eachRow(ctx, ss, q, args, func(r rows) error { return r.Scan(dest...) })
}

// eachRow calls fn on every row q returns; the first error stops it.
func eachRow(ctx context.Context, ss *sqlStore, q string, args []any, fn func(rows) error) error {
	if err := txRows(ctx, ss.b, q, args, fn); err != nil {
		return ss.fail(err)
	}
	return nil
}

// locName is the name in a location's JSON. Put writes it with
// encoding/json, name first, so a name without escapes is read directly;
// anything else is decoded.
func locName(s string) string {
	const head = `{"name":"`
	if rest, ok := strings.CutPrefix(s, head); ok {
		if i := strings.IndexByte(rest, '"'); i >= 0 && strings.IndexByte(rest[:i], '\\') < 0 {
			return rest[:i]
		}
	}
	if s == "" {
		return ""
	}
	var l struct {
		Name string `json:"name"`
	}
	if json.Unmarshal([]byte(s), &l) != nil {
		return ""
	}
	return l.Name
}

func parseDetailLoc(s string) *model.Location {
	if s == "" {
		return nil
	}
	var l model.Location
	if json.Unmarshal([]byte(s), &l) != nil {
		return nil
	}
	return &l
}

// EventsAfter lists up to limit events matching f after the cursor, in
// (date, id) order, or its reverse with c.Desc. It is Store.Events with
// keyset paging: a page costs the same however deep it is.
func EventsAfter(ctx context.Context, s Store, f Filter, c Cursor, limit int) ([]EventRow, error) {
	ss, err := detailSQL(s)
	if err != nil {
		return nil, err
	}
	pageWhere := func(f Filter) (*where, error) {
		w, err := ss.where(f)
		if err != nil || c.Date == "" {
			return w, err
		}
		d, ok := dayOf(c.Date)
		if !ok {
			return nil, fmt.Errorf("cursor date %q: want YYYY-MM-DD", c.Date)
		}
		// The plain bound on day lets an index seek to the cursor.
		if c.Desc {
			w.add("e.day <= ? AND (e.day < ? OR e.id < ?)", d, d, c.ID)
		} else {
			w.add("e.day >= ? AND (e.day > ? OR e.id > ?)", d, d, c.ID)
		}
		return w, nil
	}
	w, err := pageWhere(f)
	if err != nil {
		return nil, err
	}
	from, pl, err := ss.eventsFrom(ctx, f, w, limit)
	if err != nil {
		return nil, err
	}
	order := "e.day, e.id"
	if c.Desc {
		order = "e.day DESC, e.id DESC"
	}
	inner := order
	byEra := pl == planActor && ss.b.kind() == "sqlite"
	if byEra {
		// SQLite's actor indexes lead with the era, which orders as the
		// date does: sorted by it first, the matches come era by era, each
		// sorted alone, and the page stops the walk early.
		inner = "e.era, " + order
		if c.Desc {
			inner = "e.era DESC, " + order
		}
	}
	// The matches must be sorted: pick the page's ids first, then join the
	// evidence for those few rather than for every match.
	pick := "SELECT e.id FROM events e WHERE " + w.sql() + " ORDER BY " + inner + " LIMIT ?"
	args := append(w.args, limitOf(limit))
	var arms []Filter
	switch {
	case !byEra || f.Text != "":
	case f.BothDirections && f.Source != "" && f.Target != "" && f.Actor == "":
		there, back := f, f
		there.BothDirections, back.BothDirections = false, false
		back.Source, back.Target = f.Target, f.Source
		arms = []Filter{there, back}
	case f.Actor != "" && f.Source == "" && f.Target == "":
		asSrc, asTgt := f, f
		asSrc.Actor, asSrc.Source = "", f.Actor
		asTgt.Actor, asTgt.Target = "", f.Actor
		arms = []Filter{asSrc, asTgt}
	}
	if arms != nil {
		// Both directions, or either side, at once come from two walks
		// and would be sorted whole; each alone stops at a page, and the
		// union of the two pages holds the page (UNION: an event can
		// match both).
		args = nil
		var sqls []string
		for _, d := range arms {
			dw, err := pageWhere(d)
			if err != nil {
				return nil, err
			}
			steer(dw, planActor, true)
			sqls = append(sqls, "SELECT * FROM (SELECT e.id, e.day FROM events e WHERE "+dw.sql()+" ORDER BY "+inner+" LIMIT ?)")
			args = append(append(args, dw.args...), limitOf(limit))
		}
		pick = "SELECT u.id FROM (" + strings.Join(sqls, " UNION ") + ") u ORDER BY " + strings.ReplaceAll(order, "e.", "u.") + " LIMIT ?"
		args = append(args, limitOf(limit))
	}
	query := func(sel string) string {
		if pl == planActor || f.Text != "" {
			return sel + "FROM (" + pick + ") k\n" + "JOIN events e ON e.id = k.id\n" + detailEventJoins + "ORDER BY " + order
		}
		return sel + "FROM " + from + "\n" + detailEventJoins + "WHERE " + w.sql() + " ORDER BY " + order + " LIMIT ?"
	}
	out, ids, err := ss.eventPage(ctx, query(detailEventPacked), args, true)
	if errors.Is(err, errUnpack) {
		out, ids, err = ss.eventPage(ctx, query(detailEventSelect), args, false)
	}
	if err != nil {
		return nil, err
	}
	nm, err := ss.names(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if err := nm.fill(ctx, &out[i], ids[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eventPage runs an event-list query, packed or plain.
func (ss *sqlStore) eventPage(ctx context.Context, q string, args []any, packed bool) ([]EventRow, [][2]int64, error) {
	r, err := ss.b.query(ctx, q, args...)
	if err != nil {
		return nil, nil, ss.fail(err)
	}
	defer r.Close()
	out := []EventRow{}
	var ids [][2]int64
	for r.Next() {
		var e EventRow
		var id [2]int64
		if packed {
			e, id, err = scanPackedEvent(r)
			if errors.Is(err, errUnpack) {
				return nil, nil, err
			}
		} else {
			e, _, id, err = scanDetailEvent(r, false)
		}
		if err != nil {
			return nil, nil, ss.fail(err)
		}
		out, ids = append(out, e), append(ids, id)
	}
	if err := r.Err(); err != nil {
		return nil, nil, ss.fail(err)
	}
	return out, ids, nil
}

// planCache holds the shares a plan is chosen by, reread at most every
// planTTL: a stale share costs speed, never a wrong answer.
type planCache struct {
	mu    sync.Mutex
	snap  *planSnapshot
	stale bool
}

const planTTL = 30 * time.Second

type planSnapshot struct {
	at       time.Time
	actors   []actorShare // by code
	src, tgt float64      // events with a source, with a target
	events   float64
	roots    map[string]float64
	quads    [5]float64
	days     float64            // days with events
	rootDays map[string]float64 // days with events of each root code

	codeByID map[int64]string // every actor; 0 is no actor
	cameo    map[string]codeInfo
}

type actorShare struct {
	code     string
	src, tgt float64
}

func (ss *sqlStore) planStats(ctx context.Context) (*planSnapshot, error) {
	ss.plans.mu.Lock()
	defer ss.plans.mu.Unlock()
	if p := ss.plans.snap; p != nil && !ss.plans.stale && time.Since(p.at) < planTTL {
		return p, nil
	}
	ss.plans.stale = false
	return ss.readPlansLocked(ctx)
}

// stalePlans makes the next planStats reread the snapshot: it lacks
// something stored since.
func (ss *sqlStore) stalePlans() {
	ss.plans.mu.Lock()
	defer ss.plans.mu.Unlock()
	ss.plans.stale = true
}

func (ss *sqlStore) readPlansLocked(ctx context.Context) (*planSnapshot, error) {
	p := &planSnapshot{at: time.Now(), roots: map[string]float64{}, rootDays: map[string]float64{},
		codeByID: map[int64]string{0: ""}, cameo: map[string]codeInfo{}}
	err := eachRow(ctx, ss, "SELECT id, code FROM actors", nil, func(r rows) error {
		var id int64
		var code string
		err := r.Scan(&id, &code)
		p.codeByID[id] = code
		return err
	})
	if err == nil {
		err = eachRow(ctx, ss, "SELECT cameo, name, plover_mode FROM cameo_codes", nil, func(r rows) error {
			var code string
			var ci codeInfo
			err := r.Scan(&code, &ci.name, &ci.mode)
			p.cameo[code] = ci
			return err
		})
	}
	if err == nil {
		err = eachRow(ctx, ss, "SELECT a.code, CAST(st.as_source AS DOUBLE PRECISION), CAST(st.as_target AS DOUBLE PRECISION) FROM actor_stats st JOIN actors a ON a.id = st.id ORDER BY a.code", nil, func(r rows) error {
			var a actorShare
			err := r.Scan(&a.code, &a.src, &a.tgt)
			p.actors = append(p.actors, a)
			p.src += a.src
			p.tgt += a.tgt
			return err
		})
	}
	if err == nil {
		err = eachRow(ctx, ss, "SELECT cameo_root, quad_class, CAST(SUM(events) AS DOUBLE PRECISION) FROM daily GROUP BY cameo_root, quad_class", nil, func(r rows) error {
			var root string
			var quad int
			var n float64
			err := r.Scan(&root, &quad, &n)
			p.roots[root] += n
			if quad >= 1 && quad <= 4 {
				p.quads[quad] += n
			}
			p.events += n
			return err
		})
	}
	if err == nil {
		err = eachRow(ctx, ss, "SELECT cameo_root, CAST(COUNT(DISTINCT day) AS DOUBLE PRECISION) FROM daily GROUP BY cameo_root", nil, func(r rows) error {
			var root string
			var n float64
			err := r.Scan(&root, &n)
			p.rootDays[root] = n
			return err
		})
	}
	if err == nil {
		err = scanRow(ctx, ss, "SELECT CAST(COUNT(DISTINCT day) AS DOUBLE PRECISION) FROM daily", nil, &p.days)
	}
	if err != nil {
		return nil, err
	}
	ss.plans.snap = p
	return p, nil
}

// shares returns the share of sources and of targets whose code starts
// with prefix; an empty prefix matches every actor.
func (p *planSnapshot) shares(prefix string) (src, tgt float64) {
	if prefix == "" || p.src == 0 || p.tgt == 0 {
		return 1, 1
	}
	i := sort.Search(len(p.actors), func(i int) bool { return p.actors[i].code >= prefix })
	for ; i < len(p.actors) && strings.HasPrefix(p.actors[i].code, prefix); i++ {
		src += p.actors[i].src
		tgt += p.actors[i].tgt
	}
	return src / p.src, tgt / p.tgt
}

// eventsFrom chooses how to find a page of limit events matching f in date
// order, adjusting w, and returns the FROM clause that follows the plan.
func (ss *sqlStore) eventsFrom(ctx context.Context, f Filter, w *where, limit int) (string, plan, error) {
	if f.Root == "" && f.root() != "" {
		w.add("e.cameo_root = ?", f.root()) // implied; the walks' indexes carry the root
	}
	pl, err := ss.choosePlan(ctx, f, w, int(limitOf(limit)))
	if err != nil {
		return "", pl, err
	}
	if pl == planRoot {
		// Only the days the rollup lists for the root, each sought in the
		// date index (migration 0006).
		c, args := "e.day IN (SELECT day FROM daily WHERE cameo_root = ?", []any{f.root()}
		if d, ok := dayOf(f.From); ok {
			c, args = c+" AND day >= ?", append(args, d)
		}
		if d, ok := dayOf(f.To); ok {
			c, args = c+" AND day <= ?", append(args, d)
		}
		w.add(c+")", args...)
		if f.Text == "" {
			return "events e INDEXED BY events_day", pl, nil
		}
	}
	return "events e", pl, nil
}

// forcePlan, set by tests, overrides the chosen plan.
var forcePlan func(plan) plan

// How EventsAfter finds a page of matches in date order.
type plan int

const (
	planDay   plan = iota // walk the date index, test each event
	planActor             // fetch the actor's events by its indexes, sort them
	planRoot              // walk the date index over the days the rollup lists for the root code
)

// choosePlan picks the cheapest way to a page of limit matches, counting
// the events each way reads: a walk in date order stops after
// limit/share events, while the actor indexes read every one of the
// actor's events before sorting them. Conditions that must not steer
// SQLite to an index are written +x, which no index serves.
func (ss *sqlStore) choosePlan(ctx context.Context, f Filter, w *where, limit int) (plan, error) {
	hasActor := f.Actor != "" || f.Source != "" || f.Target != ""
	hasCode := f.root() != ""
	if !hasActor && !hasCode {
		return planDay, nil
	}
	p, err := ss.planStats(ctx)
	if err != nil {
		return planDay, err
	}
	if p.events == 0 {
		return planDay, nil
	}
	n, l := p.events, float64(limit)
	sa := 1.0
	if hasActor {
		as, at := p.shares(f.Actor)
		srcS, _ := p.shares(f.Source)
		_, tgtT := p.shares(f.Target)
		sa = min(1, as+at) * srcS * tgtT
		if f.BothDirections {
			ts, _ := p.shares(f.Target)
			_, st := p.shares(f.Source)
			sa += min(1, as+at) * ts * st
		}
	}
	sc, sq := 1.0, 1.0
	if hasCode {
		sc = p.roots[f.root()] / n
	}
	if f.QuadClass != 0 {
		// No index: every class is a large share, so walks find it soon.
		sq = p.quads[f.QuadClass] / n
	}
	walk := func(share float64) float64 {
		if share <= 0 {
			return n
		}
		return min(n, l/share)
	}
	best, cost := planDay, walk(sa*sc*sq)
	if hasCode && p.days > 0 {
		// Days without the root are skipped; the walk is as long on the
		// others, plus a seek a day.
		dr := p.rootDays[f.root()]
		if c := cost*dr/p.days + dr; c < cost {
			best, cost = planRoot, c
		}
	}
	// On SQLite the actor indexes give a page era by era and stop once
	// it is full (EventsAfter): they read whole eras of the actor's events
	// until enough match the other conditions.
	ca := n * sa
	if ss.b.kind() == "sqlite" {
		eras := max(1, p.days/float64(eraBuckets*ss.window))
		ca = min(ca, max(l/max(sc*sq, 1e-9), ca/eras))
	}
	if hasActor && ca < cost {
		best = planActor
	}
	if forcePlan != nil {
		best = forcePlan(best)
	}
	if ss.b.kind() != "sqlite" && best != planActor {
		best = planDay // PostgreSQL picks its own index; only the actor rewrite applies
	}
	steer(w, best, ss.b.kind() == "sqlite")
	return best, nil
}

// steer writes w's conditions so that SQLite serves them by plan best's
// index: a condition written +x is served by none.
func steer(w *where, best plan, sqlite bool) {
	for i, c := range w.conds {
		if best != planActor {
			c = strings.ReplaceAll(c, "e.src IN (SELECT", "+e.src IN (SELECT")
			c = strings.ReplaceAll(c, "e.tgt IN (SELECT", "+e.tgt IN (SELECT")
			if w.seek != "" {
				c = strings.ReplaceAll(c, w.seek, "")
			}
		}
		if sqlite && best != planRoot {
			c = strings.ReplaceAll(c, "e.cameo_root = ?", "+e.cameo_root = ?")
		}
		w.conds[i] = c
	}
}

// Points lists up to limit located events matching f, newest first.
func Points(ctx context.Context, s Store, f Filter, limit int) ([]Point, error) {
	ss, err := detailSQL(s)
	if err != nil {
		return nil, err
	}
	w, err := ss.where(f)
	if err != nil {
		return nil, err
	}
	from, _, err := ss.eventsFrom(ctx, f, w, limit)
	if err != nil {
		return nil, err
	}
	r, err := ss.b.query(ctx, detailEventSelect+"FROM "+from+"\n"+detailEventJoins+"WHERE "+w.sql()+
		" AND m.location <> '' ORDER BY e.day DESC, e.id DESC LIMIT ?", append(w.args, limitOf(limit))...)
	if err != nil {
		return nil, ss.fail(err)
	}
	type located struct {
		e   EventRow
		l   *model.Location
		ids [2]int64
	}
	var found []located
	for r.Next() {
		e, l, ids, err := scanDetailEvent(r, true)
		if err != nil {
			r.Close()
			return nil, ss.fail(err)
		}
		if l == nil || (l.Lat == 0 && l.Lon == 0) || math.Abs(l.Lat) > 90 || math.Abs(l.Lon) > 180 {
			continue
		}
		found = append(found, located{e, l, ids})
	}
	err = r.Err()
	r.Close() // before names may need a connection of its own
	if err != nil {
		return nil, ss.fail(err)
	}
	nm, err := ss.names(ctx)
	if err != nil {
		return nil, err
	}
	out := []Point{}
	for _, x := range found {
		e, l := x.e, x.l
		if err := nm.fill(ctx, &e, x.ids); err != nil {
			return nil, err
		}
		out = append(out, Point{ID: e.ID, Date: e.Date, Source: e.Source, Target: e.Target, CAMEO: e.CAMEO,
			QuadClass: e.QuadClass, Goldstein: e.Goldstein, Place: l.Name, Country: l.Country, Lat: l.Lat, Lon: l.Lon})
	}
	return out, nil
}

// BreakdownPLOVER counts events per period and PLOVER category ("" for codes
// with none).
func BreakdownPLOVER(ctx context.Context, s Store, f Filter, iv Interval) ([]BreakdownRow, error) {
	ss, err := detailSQL(s)
	if err != nil {
		return nil, err
	}
	per, isDay, err := period(iv)
	if err != nil {
		return nil, err
	}
	w, err := ss.where(f)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + per + ` AS p, e.plover AS k, COUNT(*), CAST(SUM(e.goldstein) AS DOUBLE PRECISION)
FROM events e WHERE ` + w.sql() + ` GROUP BY p, k ORDER BY p, k`
	r, err := ss.b.query(ctx, q, w.args...)
	if err != nil {
		return nil, ss.fail(err)
	}
	defer r.Close()
	out := []BreakdownRow{}
	for r.Next() {
		p, str := scanPeriod(isDay)
		var row BreakdownRow
		if err := r.Scan(p, &row.Key, &row.Events, &row.GoldsteinSum); err != nil {
			return nil, ss.fail(err)
		}
		row.Period = str()
		row.GoldsteinSum = math.Round(row.GoldsteinSum*1000) / 1000
		row.GoldsteinMean = mean(row.GoldsteinSum, row.Events)
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		return nil, ss.fail(err)
	}
	return out, nil
}

// detailMentionCols reads mentions m of documents d; o is the first copy's mention
// for a syndicated copy, whose sentence it quotes.
const detailMentionCols = `SELECT d.id, d.url, d.outlet, d.title, m.seq, m.event_id, m.date, m.confidence, m.rule,
	COALESCE(od.id, ''), m.sentence_idx, m.sentence_start, m.sentence_end,
	CASE WHEN m.via_num <> 0 THEN COALESCE(o.sentence, '') ELSE m.sentence END,
	m.trigger_text, m.trigger_start, m.trigger_end, m.source_name, m.source_text, m.source_start, m.source_end,
	m.target_name, m.target_text, m.target_start, m.target_end, m.location
FROM mentions m
JOIN documents d ON d.num = m.doc_num
LEFT JOIN mentions o ON m.via_num <> 0 AND o.doc_num = m.via_num AND o.seq = m.seq
LEFT JOIN documents od ON m.via_num <> 0 AND od.num = m.via_num
`

func (ss *sqlStore) mentions(ctx context.Context, cond string, args ...any) ([]MentionDetail, error) {
	r, err := ss.b.query(ctx, detailMentionCols+"WHERE "+cond+" ORDER BY m.date, d.id, m.seq", args...)
	if err != nil {
		return nil, ss.fail(err)
	}
	defer r.Close()
	out := []MentionDetail{}
	for r.Next() {
		var m MentionDetail
		var loc string
		if err := r.Scan(&m.DocID, &m.URL, &m.Outlet, &m.Title, &m.Seq, &m.EventID, &m.Date, &m.Confidence, &m.Rule,
			&m.Via, &m.SentenceIndex, &m.SentenceStart, &m.SentenceEnd, &m.Sentence,
			&m.Trigger.Text, &m.Trigger.Start, &m.Trigger.End, &m.SourceName, &m.Source.Text, &m.Source.Start, &m.Source.End,
			&m.TargetName, &m.Target.Text, &m.Target.Start, &m.Target.End, &loc); err != nil {
			return nil, ss.fail(err)
		}
		m.Source.Kind, m.Target.Kind, m.Trigger.Kind = "source", "target", "trigger"
		m.Location = parseDetailLoc(loc)
		m.SentenceSpans = sentenceSpans(m)
		out = append(out, m)
	}
	if err := r.Err(); err != nil {
		return nil, ss.fail(err)
	}
	return out, nil
}

// sentenceSpans shifts the mention's spans into its sentence, dropping any
// that do not fall inside it (an actor found in an earlier sentence, say).
func sentenceSpans(m MentionDetail) []Span {
	n := len([]rune(m.Sentence))
	out := []Span{}
	for _, sp := range []Span{m.Source, m.Target, m.Trigger} {
		if sp.End <= sp.Start || sp.Text == "" {
			continue
		}
		a, b := sp.Start-m.SentenceStart, sp.End-m.SentenceStart
		if a < 0 || b > n {
			continue
		}
		out = append(out, Span{Kind: sp.Kind, Text: sp.Text, Start: a, End: b})
	}
	return out
}

// GetEvent returns one event with all its mentions, or ErrNotFound.
func GetEvent(ctx context.Context, s Store, id int64) (*EventDetail, error) {
	ss, err := detailSQL(s)
	if err != nil {
		return nil, err
	}
	r, err := ss.b.query(ctx, detailEventCols+"WHERE e.id = ?", id)
	if err != nil {
		return nil, ss.fail(err)
	}
	var ev *EventDetail
	var ids [2]int64
	for r.Next() {
		e, l, id, err := scanDetailEvent(r, true)
		if err != nil {
			r.Close()
			return nil, ss.fail(err)
		}
		ev, ids = &EventDetail{EventRow: e}, id
		if l != nil && !(l.Lat == 0 && l.Lon == 0) {
			lat, lon := l.Lat, l.Lon
			ev.Lat, ev.Lon = &lat, &lon
		}
	}
	err = r.Err()
	r.Close()
	if err != nil {
		return nil, ss.fail(err)
	}
	if ev == nil {
		return nil, fmt.Errorf("event %d: %w", id, ErrNotFound)
	}
	nm, err := ss.names(ctx)
	if err != nil {
		return nil, err
	}
	if err := nm.fill(ctx, &ev.EventRow, ids); err != nil {
		return nil, err
	}
	ms, err := ss.mentions(ctx, "m.event_id = ?", id)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		ms[i].Best = ms[i].DocID == ev.DocID && ms[i].Sentence == ev.Sentence && !ev.hasBest(ms[:i])
	}
	ev.Mentions = ms
	return ev, nil
}

func (ev *EventDetail) hasBest(ms []MentionDetail) bool {
	for _, m := range ms {
		if m.Best {
			return true
		}
	}
	return false
}

// GetDocument returns one document with its mentions, or ErrNotFound.
func GetDocument(ctx context.Context, s Store, id string) (*DocumentDetail, error) {
	ss, err := detailSQL(s)
	if err != nil {
		return nil, err
	}
	if len(id) > maxFilterLen || strings.IndexByte(id, 0) >= 0 {
		return nil, fmt.Errorf("document %.40q: %w", id, ErrNotFound)
	}
	r, err := ss.b.query(ctx, `SELECT id, url, outlet, title, published, ref_date, lang, status, reason, duplicate_of, text, num_events
FROM documents WHERE id = ?`, id)
	if err != nil {
		return nil, ss.fail(err)
	}
	var d *DocumentDetail
	for r.Next() {
		d = &DocumentDetail{}
		if err := r.Scan(&d.ID, &d.URL, &d.Outlet, &d.Title, &d.Published, &d.RefDate, &d.Lang, &d.Status, &d.Reason,
			&d.DuplicateOf, &d.Text, &d.NumEvents); err != nil {
			r.Close()
			return nil, ss.fail(err)
		}
	}
	err = r.Err()
	r.Close()
	if err != nil {
		return nil, ss.fail(err)
	}
	if d == nil {
		return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	ms, err := ss.mentions(ctx, "d.id = ?", id)
	if err != nil {
		return nil, err
	}
	d.Mentions = ms
	n := len([]rune(d.Text))
	d.Spans = []DocSpan{}
	for _, m := range ms {
		for _, sp := range []Span{m.Source, m.Target, m.Trigger} {
			if sp.End > sp.Start && sp.Start >= 0 && sp.End <= n {
				d.Spans = append(d.Spans, DocSpan{Span: sp, EventID: m.EventID})
			}
		}
	}
	sortDetailSpans(d.Spans)
	return d, nil
}

func sortDetailSpans(s []DocSpan) {
	// Insertion sort: a document has tens of spans.
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].Start < s[j-1].Start || s[j].Start == s[j-1].Start && s[j].End > s[j-1].End); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Version is a token that changes whenever a write commits: the last
// document's number and the failure log's size and latest time. Readers that
// cache answers (the web server) compare it instead of rereading; it costs
// two index lookups and a pass over the failure log.
func Version(ctx context.Context, s Store) (string, error) {
	ss, err := detailSQL(s)
	if err != nil {
		return "", err
	}
	var num, nf int64
	var last string
	if err := scanRow(ctx, ss, `SELECT (SELECT COALESCE(MAX(num), 0) FROM documents),
	(SELECT COUNT(*) FROM failures), (SELECT COALESCE(MAX(last_seen), '') FROM failures)`, nil, &num, &nf, &last); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%s", num, nf, last), nil
}
