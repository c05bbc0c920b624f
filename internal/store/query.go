package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

// Filter selects events. Zero fields select everything. Actor codes match
// as prefixes, as CAMEO actor codes are hierarchical: "CHN" matches CHN,
// CHNGOV, CHNMIL, ...
type Filter struct {
	Actor  string // either side
	Source string
	Target string
	// BothDirections, with Source and Target, selects the dyad either way
	// round (A→B and B→A).
	BothDirections bool
	CAMEO          string // a code prefix: "19" is the root, "193" the code and its children
	Root           string // CAMEO root, two digits
	QuadClass      int    // 1 to 4
	PLOVER         string // PLOVER category, e.g. ACCUSE
	From, To       string // YYYY-MM-DD, inclusive
	Country        string // the event location's country code
	Text           string // words that must all occur in one evidence sentence
}

const maxFilterLen = 500

// check rejects filter values no event could match for a reason the user
// should hear about, and values the databases cannot take.
func (f *Filter) check() error {
	for _, v := range []struct{ name, val string }{
		{"actor", f.Actor}, {"source", f.Source}, {"target", f.Target}, {"cameo", f.CAMEO}, {"root", f.Root},
		{"plover", f.PLOVER}, {"from", f.From}, {"to", f.To}, {"country", f.Country}, {"text", f.Text},
	} {
		switch {
		case !utf8.ValidString(v.val):
			return fmt.Errorf("filter %s: not valid UTF-8", v.name)
		case strings.IndexByte(v.val, 0) >= 0:
			return fmt.Errorf("filter %s: contains a NUL byte", v.name)
		case len(v.val) > maxFilterLen:
			return fmt.Errorf("filter %s: longer than %d bytes", v.name, maxFilterLen)
		}
	}
	if f.CAMEO != "" && (len(f.CAMEO) > 4 || strings.Trim(f.CAMEO, "0123456789") != "") {
		return fmt.Errorf("filter cameo %q: want 1 to 4 digits", f.CAMEO)
	}
	if f.Root != "" && !(len(f.Root) == 2 && strings.Trim(f.Root, "0123456789") == "") {
		return fmt.Errorf("filter root %q: want two digits", f.Root)
	}
	if f.QuadClass < 0 || f.QuadClass > 4 {
		return fmt.Errorf("filter quad class %d: want 1 to 4", f.QuadClass)
	}
	for _, d := range []struct{ name, val string }{{"from", f.From}, {"to", f.To}} {
		if _, ok := dayOf(d.val); d.val != "" && !ok {
			return fmt.Errorf("filter %s %q: want YYYY-MM-DD", d.name, d.val)
		}
	}
	if f.BothDirections && (f.Source == "" || f.Target == "") {
		return fmt.Errorf("filter: both directions needs a source and a target")
	}
	if f.Text != "" && len(words(f.Text)) == 0 {
		return fmt.Errorf("filter text %q: no words to search for", f.Text)
	}
	return nil
}

// words splits free text into the words full-text search looks for.
func words(s string) []string {
	ws := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
	if len(ws) > 32 {
		ws = ws[:32]
	}
	return ws
}

// prefixRange is the half-open range of strings starting with p.
func prefixRange(p string) (string, string) { return p, p + "\U0010FFFF" }

type where struct {
	conds []string
	args  []any
	seek  string // see seekable
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(w.conds, " AND ")
}

// actorIn is the condition "the actor id in col has a code starting with p";
// the code range can use the actors' unique index, and the ids the events'.
func actorIn(col, p string) (string, []any) {
	lo, hi := prefixRange(p)
	return col + " IN (SELECT id FROM actors WHERE code >= ? AND code < ?)", []any{lo, hi}
}

// dyadCond matches source a to target b; empty sides match anything.
func dyadCond(a, b string) (string, []any) {
	var cs []string
	var args []any
	if a != "" {
		c, x := actorIn("e.src", a)
		cs, args = append(cs, c), append(args, x...)
	}
	if b != "" {
		c, x := actorIn("e.tgt", b)
		cs, args = append(cs, c), append(args, x...)
	}
	return "(" + strings.Join(cs, " AND ") + ")", args
}

// eraBuckets is the buckets in an era: the events table's generated era
// column is bucket / eraBuckets (migration 0005).
const eraBuckets = 8

// seekable lets SQLite serve an actor condition from its actor indexes.
// They lead with the era, a run of eight date buckets (migration 0005), so
// the condition also names the eras to seek: those of the filter's dates
// that the store holds, read from the index's ends. Five years at the
// default window are ~80 eras. PostgreSQL's actor indexes lead with the
// actors. w.seek keeps the era condition, which plans that do not use the
// actor indexes take out again.
func (s *sqlStore) seekable(w *where, cond string, f Filter) string {
	if s.b.kind() != "sqlite" {
		return cond
	}
	if w.seek == "" {
		lo, hi := math.MinInt32, math.MaxInt32
		if d, ok := dayOf(f.From); ok {
			lo = floorDiv(d, s.window)
		}
		if d, ok := dayOf(f.To); ok {
			hi = floorDiv(d, s.window)
		}
		// Integers of ours, not the user's text, so they are written in;
		// SQLite divides them as it computes the era.
		w.seek = fmt.Sprintf("e.era IN (WITH RECURSIVE b(x) AS (SELECT MAX(%d / %d, (SELECT MIN(era) FROM events)) "+
			"UNION ALL SELECT x + 1 FROM b WHERE x < MIN(%d / %[2]d, (SELECT MAX(era) FROM events))) SELECT x FROM b) AND ", lo, eraBuckets, hi)
	}
	return "(" + w.seek + cond + ")"
}

// where builds the WHERE clause over events e. All values are parameters.
func (s *sqlStore) where(f Filter) (*where, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	w := &where{}
	if f.Actor != "" {
		a, x := actorIn("e.src", f.Actor)
		b, y := actorIn("e.tgt", f.Actor)
		w.add("("+s.seekable(w, a, f)+" OR "+s.seekable(w, b, f)+")", append(x, y...)...)
	}
	if f.Source != "" || f.Target != "" {
		c, x := dyadCond(f.Source, f.Target)
		c = s.seekable(w, c, f)
		if f.BothDirections {
			d, y := dyadCond(f.Target, f.Source)
			d = s.seekable(w, d, f)
			c, x = "("+c+" OR "+d+")", append(x, y...)
		}
		w.add(c, x...)
	}
	if f.CAMEO != "" {
		lo, hi := prefixRange(f.CAMEO)
		w.add("e.cameo >= ? AND e.cameo < ?", lo, hi)
	}
	if f.Root != "" {
		w.add("e.cameo_root = ?", f.Root)
	}
	if f.QuadClass != 0 {
		w.add("e.quad_class = ?", f.QuadClass)
	}
	if f.PLOVER != "" {
		w.add("e.plover = ?", strings.ToUpper(f.PLOVER))
	}
	if f.From != "" {
		d, _ := dayOf(f.From)
		w.add("e.day >= ?", d)
	}
	if f.To != "" {
		d, _ := dayOf(f.To)
		w.add("e.day <= ?", d)
	}
	if f.Country != "" {
		w.add("e.loc_country = ?", strings.ToUpper(f.Country))
	}
	if f.Text != "" {
		ws := words(f.Text)
		if s.b.kind() == "postgres" {
			w.add(`e.id IN (SELECT m.event_id FROM mentions m WHERE to_tsvector('simple', m.sentence) @@ plainto_tsquery('simple', ?))`,
				strings.Join(ws, " "))
		} else {
			// Each word quoted: FTS5 then reads no operators from user text.
			q := `"` + strings.Join(ws, `" "`) + `"`
			w.add(`e.id IN (SELECT m.event_id FROM sentence_fts JOIN mentions m ON m.doc_num = sentence_fts.rowid / 1048576
AND m.seq = sentence_fts.rowid % 1048576 WHERE sentence_fts MATCH ?)`, q)
		}
	}
	return w, nil
}

// root is the root code f asks for: Root, else that of its CAMEO code.
func (f Filter) root() string {
	if f.Root == "" && len(f.CAMEO) >= 2 {
		return f.CAMEO[:2]
	}
	return f.Root
}

// rollupOnly reports whether the daily rollup can answer f: it has only
// dates, root codes and quad classes.
func (f Filter) rollupOnly() bool {
	g := f
	g.From, g.To, g.Root, g.QuadClass = "", "", "", 0
	if len(g.CAMEO) == 2 && (f.Root == "" || f.Root == g.CAMEO) {
		g.CAMEO = ""
	}
	return g == Filter{}
}

func (s *sqlStore) rollupWhere(f Filter) (*where, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	w := &where{}
	if f.From != "" {
		d, _ := dayOf(f.From)
		w.add("e.day >= ?", d)
	}
	if f.To != "" {
		d, _ := dayOf(f.To)
		w.add("e.day <= ?", d)
	}
	root := f.Root
	if root == "" && len(f.CAMEO) == 2 {
		root = f.CAMEO
	}
	if root != "" {
		w.add("e.cameo_root = ?", root)
	}
	if f.QuadClass != 0 {
		w.add("e.quad_class = ?", f.QuadClass)
	}
	return w, nil
}

// period is the SQL for an interval over table alias e, and whether it
// yields a day number (else text).
func period(iv Interval) (string, bool, error) {
	switch iv {
	case IntervalNone:
		return "CAST('' AS TEXT)", false, nil
	case IntervalDay:
		return "e.day", true, nil
	case IntervalWeek:
		// 1970-01-01 was a Thursday: Monday is day 4.
		return "(e.day - ((e.day + 3) % 7 + 7) % 7)", true, nil
	case IntervalMonth:
		return "substr(e.date, 1, 7)", false, nil
	case IntervalYear:
		return "substr(e.date, 1, 4)", false, nil
	}
	return "", false, fmt.Errorf("interval %q: want day, week, month, year or none", iv)
}

// scanPeriod reads a period column as period() made it.
func scanPeriod(isDay bool) (any, func() string) {
	if isDay {
		var d int64
		return &d, func() string { return dateOf(int(d)) }
	}
	var t string
	return &t, func() string { return t }
}

func mean(sum float64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(sum/float64(n)*1000) / 1000
}

func (s *sqlStore) fail(err error) error {
	return fmt.Errorf("store %s: %v", s.name, explain(err))
}

// Series counts events per period.
func (s *sqlStore) Series(ctx context.Context, f Filter, iv Interval) ([]SeriesRow, error) {
	return s.series(ctx, f, iv, f.rollupOnly())
}

func (s *sqlStore) series(ctx context.Context, f Filter, iv Interval, rollup bool) ([]SeriesRow, error) {
	per, isDay, err := period(iv)
	if err != nil {
		return nil, err
	}
	var q string
	var w *where
	if rollup {
		if w, err = s.rollupWhere(f); err != nil {
			return nil, err
		}
		q = `SELECT ` + per + ` AS p, 0, CAST(SUM(e.events) AS BIGINT), 0, CAST(SUM(e.goldstein10) AS DOUBLE PRECISION) / 10
FROM daily e WHERE ` + w.sql() + ` GROUP BY p HAVING SUM(e.events) > 0 ORDER BY p`
	} else {
		if w, err = s.where(f); err != nil {
			return nil, err
		}
		dir := "0"
		if f.BothDirections {
			c, x := dyadCond(f.Source, f.Target)
			dir = "CASE WHEN " + c + " THEN 0 ELSE 1 END"
			w.args = append(x, w.args...)
		}
		q = `SELECT ` + per + ` AS p, ` + dir + ` AS d, COUNT(*), CAST(SUM(e.num_mentions) AS BIGINT), CAST(SUM(e.goldstein) AS DOUBLE PRECISION)
FROM events e WHERE ` + w.sql() + ` GROUP BY p, d ORDER BY p, d`
	}
	r, err := s.b.query(ctx, q, w.args...)
	if err != nil {
		return nil, s.fail(err)
	}
	defer r.Close()
	labels := [2]string{}
	if f.Source != "" && f.Target != "" {
		labels = [2]string{f.Source + ">" + f.Target, f.Target + ">" + f.Source}
	}
	var out []SeriesRow
	for r.Next() {
		p, str := scanPeriod(isDay)
		var d int
		var row SeriesRow
		if err := r.Scan(p, &d, &row.Events, &row.Mentions, &row.GoldsteinSum); err != nil {
			return nil, s.fail(err)
		}
		row.Period, row.Direction = str(), labels[d&1]
		row.GoldsteinSum = math.Round(row.GoldsteinSum*1000) / 1000
		row.GoldsteinMean = mean(row.GoldsteinSum, row.Events)
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		return nil, s.fail(err)
	}
	return out, nil
}

// Breakdown counts events per period and root code or quad class.
func (s *sqlStore) Breakdown(ctx context.Context, f Filter, by By, iv Interval) ([]BreakdownRow, error) {
	return s.breakdown(ctx, f, by, iv, f.rollupOnly())
}

func (s *sqlStore) breakdown(ctx context.Context, f Filter, by By, iv Interval, rollup bool) ([]BreakdownRow, error) {
	per, isDay, err := period(iv)
	if err != nil {
		return nil, err
	}
	var key string
	switch by {
	case ByRoot:
		key = "e.cameo_root"
	case ByQuad:
		key = "CAST(e.quad_class AS TEXT)"
	default:
		return nil, fmt.Errorf("breakdown by %q: want root or quad", by)
	}
	var q string
	var w *where
	if rollup {
		if w, err = s.rollupWhere(f); err != nil {
			return nil, err
		}
		q = `SELECT ` + per + ` AS p, ` + key + ` AS k, CAST(SUM(e.events) AS BIGINT), CAST(SUM(e.goldstein10) AS DOUBLE PRECISION) / 10
FROM daily e WHERE ` + w.sql() + ` GROUP BY p, k HAVING SUM(e.events) > 0 ORDER BY p, k`
	} else {
		if w, err = s.where(f); err != nil {
			return nil, err
		}
		q = `SELECT ` + per + ` AS p, ` + key + ` AS k, COUNT(*), CAST(SUM(e.goldstein) AS DOUBLE PRECISION)
FROM events e WHERE ` + w.sql() + ` GROUP BY p, k ORDER BY p, k`
	}
	r, err := s.b.query(ctx, q, w.args...)
	if err != nil {
		return nil, s.fail(err)
	}
	defer r.Close()
	var out []BreakdownRow
	for r.Next() {
		p, str := scanPeriod(isDay)
		var row BreakdownRow
		if err := r.Scan(p, &row.Key, &row.Events, &row.GoldsteinSum); err != nil {
			return nil, s.fail(err)
		}
		row.Period = str()
		row.GoldsteinSum = math.Round(row.GoldsteinSum*1000) / 1000
		row.GoldsteinMean = mean(row.GoldsteinSum, row.Events)
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		return nil, s.fail(err)
	}
	return out, nil
}

func limitOf(n int) int64 {
	if n <= 0 {
		return math.MaxInt64
	}
	return int64(n)
}

// TopActors ranks actor codes by the events they take part in.
func (s *sqlStore) TopActors(ctx context.Context, f Filter, n int) ([]ActorRow, error) {
	w, err := s.where(f)
	if err != nil {
		return nil, err
	}
	q := `SELECT a.code, COALESCE(st.name, ''), CAST(SUM(x.s) + SUM(x.t) - SUM(x.self) AS BIGINT), CAST(SUM(x.s) AS BIGINT), CAST(SUM(x.t) AS BIGINT)
FROM (SELECT e.src AS id, COUNT(*) AS s, 0 AS t, SUM(CASE WHEN e.tgt = e.src THEN 1 ELSE 0 END) AS self
      FROM events e WHERE ` + w.sql() + ` AND e.src <> 0 GROUP BY e.src
      UNION ALL
      SELECT e.tgt, 0, COUNT(*), 0 FROM events e WHERE ` + w.sql() + ` AND e.tgt <> 0 GROUP BY e.tgt) x
JOIN actors a ON a.id = x.id LEFT JOIN actor_stats st ON st.id = x.id
GROUP BY a.code, st.name ORDER BY 3 DESC, 1 LIMIT ?`
	args := append(append(append([]any{}, w.args...), w.args...), limitOf(n))
	r, err := s.b.query(ctx, q, args...)
	if err != nil {
		return nil, s.fail(err)
	}
	defer r.Close()
	var out []ActorRow
	for r.Next() {
		var a ActorRow
		if err := r.Scan(&a.Code, &a.Name, &a.Events, &a.AsSource, &a.AsTarget); err != nil {
			return nil, s.fail(err)
		}
		out = append(out, a)
	}
	if err := r.Err(); err != nil {
		return nil, s.fail(err)
	}
	return out, nil
}

// TopDyads ranks directed pairs of actor codes by events.
func (s *sqlStore) TopDyads(ctx context.Context, f Filter, n int) ([]DyadRow, error) {
	w, err := s.where(f)
	if err != nil {
		return nil, err
	}
	q := `SELECT sa.code, ta.code, x.n, x.m, x.g FROM (
	SELECT e.src AS src, e.tgt AS tgt, COUNT(*) AS n, CAST(SUM(e.num_mentions) AS BIGINT) AS m, CAST(SUM(e.goldstein) AS DOUBLE PRECISION) AS g
	FROM events e WHERE ` + w.sql() + ` AND e.src <> 0 AND e.tgt <> 0 GROUP BY e.src, e.tgt) x
JOIN actors sa ON sa.id = x.src JOIN actors ta ON ta.id = x.tgt
ORDER BY x.n DESC, sa.code, ta.code LIMIT ?`
	r, err := s.b.query(ctx, q, append(w.args, limitOf(n))...)
	if err != nil {
		return nil, s.fail(err)
	}
	defer r.Close()
	var out []DyadRow
	for r.Next() {
		var d DyadRow
		var sum float64
		if err := r.Scan(&d.Source, &d.Target, &d.Events, &d.Mentions, &sum); err != nil {
			return nil, s.fail(err)
		}
		d.GoldsteinMean = mean(sum, d.Events)
		out = append(out, d)
	}
	if err := r.Err(); err != nil {
		return nil, s.fail(err)
	}
	return out, nil
}

// Events lists events with their best evidence, by date then ID.
func (s *sqlStore) Events(ctx context.Context, f Filter, limit, offset int) ([]EventRow, error) {
	w, err := s.where(f)
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		offset = 0
	}
	q := `SELECT e.id, e.date, COALESCE(sa.code, ''), COALESCE(m.source_name, ''), COALESCE(ta.code, ''), COALESCE(m.target_name, ''),
	e.cameo, COALESCE(c.name, ''), e.quad_class, e.goldstein, e.plover, COALESCE(c.plover_mode, ''), e.negated,
	e.num_mentions, e.num_sources, e.num_articles, COALESCE(m.confidence, 0), e.loc_country, COALESCE(m.location, ''),
	COALESCE(d.id, ''), COALESCE(d.url, ''), COALESCE(d.outlet, ''), COALESCE(m.trigger_text, ''),
	CASE WHEN m.via_num <> 0 THEN COALESCE(o.sentence, '') ELSE COALESCE(m.sentence, '') END
FROM events e
LEFT JOIN actors sa ON sa.id = e.src
LEFT JOIN actors ta ON ta.id = e.tgt
LEFT JOIN cameo_codes c ON c.cameo = e.cameo
LEFT JOIN mentions m ON m.doc_num = e.best_num AND m.seq = e.best_seq
LEFT JOIN documents d ON d.num = e.best_num
LEFT JOIN mentions o ON o.doc_num = m.via_num AND o.seq = m.seq
WHERE ` + w.sql() + ` ORDER BY e.day, e.id LIMIT ? OFFSET ?`
	r, err := s.b.query(ctx, q, append(w.args, limitOf(limit), int64(offset))...)
	if err != nil {
		return nil, s.fail(err)
	}
	defer r.Close()
	var out []EventRow
	for r.Next() {
		var e EventRow
		var neg int
		var loc string
		if err := r.Scan(&e.ID, &e.Date, &e.Source, &e.SourceName, &e.Target, &e.TargetName,
			&e.CAMEO, &e.CAMEOName, &e.QuadClass, &e.Goldstein, &e.PLOVER, &e.PLOVERMode, &neg,
			&e.NumMentions, &e.NumSources, &e.NumArticles, &e.Confidence, &e.Country, &loc,
			&e.DocID, &e.URL, &e.Outlet, &e.Trigger, &e.Sentence); err != nil {
			return nil, s.fail(err)
		}
		e.Negated = neg != 0
		if loc != "" {
			var l model.Location
			if json.Unmarshal([]byte(loc), &l) == nil {
				e.Place = l.Name
			}
		}
		out = append(out, e)
	}
	if err := r.Err(); err != nil {
		return nil, s.fail(err)
	}
	return out, nil
}

// Stats summarises what the store holds.
func (s *sqlStore) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Backend: s.b.kind(), Window: s.window, ByStatus: map[string]int64{}}
	one := func(q string, dest ...any) error {
		r, err := s.b.query(ctx, q)
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
			if err := r.Scan(dest...); err != nil {
				return err
			}
		}
		return r.Err()
	}
	var first, last int64
	var hasEvents int64
	for _, c := range []struct {
		q    string
		dest []any
	}{
		{`SELECT COALESCE(MAX(version), 0) FROM schema_version`, []any{&st.SchemaVersion}},
		{`SELECT COUNT(*), COUNT(DISTINCT source_key) FROM documents`, []any{&st.Documents, &st.Sources}},
		{`SELECT COUNT(*), COALESCE(MIN(day), 0), COALESCE(MAX(day), 0) FROM events`, []any{&hasEvents, &first, &last}},
		{`SELECT COUNT(*) FROM mentions`, []any{&st.Mentions}},
		{`SELECT COUNT(*) FROM actors`, []any{&st.Actors}},
		{`SELECT COUNT(*) FROM failures`, []any{&st.Failures}},
	} {
		if err := one(c.q, c.dest...); err != nil {
			return st, s.fail(err)
		}
	}
	st.Events = hasEvents
	if hasEvents > 0 {
		st.FirstDate, st.LastDate = dateOf(int(first)), dateOf(int(last))
	}
	r, err := s.b.query(ctx, `SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status`)
	if err != nil {
		return st, s.fail(err)
	}
	defer r.Close()
	for r.Next() {
		var k string
		var n int64
		if err := r.Scan(&k, &n); err != nil {
			return st, s.fail(err)
		}
		st.ByStatus[k] = n
	}
	if err := r.Err(); err != nil {
		return st, s.fail(err)
	}
	return st, nil
}
