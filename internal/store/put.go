package store

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

type sqlStore struct {
	b      backend
	name   string
	window int

	// What committed transactions stored: actor ids, which never change,
	// and CAMEO code descriptions, so Put does not rewrite them.
	mu     sync.Mutex
	actors map[string]int64
	codes  map[string]codeInfo

	// Share estimates for choosing how to page through events (detail.go).
	plans planCache
}

type codeInfo struct{ name, plover, mode string }

func (s *sqlStore) Backend() string { return s.b.kind() }
func (s *sqlStore) Window() int     { return s.window }
func (s *sqlStore) Close() error    { return s.b.close() }

// noDay marks a row Put has just inserted, in events.prev_day.
const noDay = math.MinInt32

// report is one mention about to be stored: an event as reported by a
// document, or by a syndicated copy of it (via names the first copy).
type report struct {
	d    *doc
	seq  int
	via  int64 // documents.num of the first copy, for a syndicated copy's report
	e    *event
	rank string
}

// eventKey is the dedup key: actor ids, CAMEO code, negation, date bucket.
type eventKey struct {
	src, tgt    int64
	cameo       string
	neg, bucket int
}

func (a eventKey) less(b eventKey) bool {
	if a.src != b.src {
		return a.src < b.src
	}
	if a.tgt != b.tgt {
		return a.tgt < b.tgt
	}
	if a.cameo != b.cameo {
		return a.cameo < b.cameo
	}
	if a.neg != b.neg {
		return a.neg < b.neg
	}
	return a.bucket < b.bucket
}

// group is the reports of one event in one batch.
type group struct {
	key    eventKey
	reps   []*report
	best   *report
	minDay int
	docs   int      // distinct documents
	srcs   []string // distinct source keys, sorted
	// What the upsert returned.
	id                 int64
	inserted           bool
	prevDay, day, quad int
	root               string
	gold               float64
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Put stores a batch of records in one transaction. See the package comment
// for what it adds and why it is idempotent.
func (s *sqlStore) Put(ctx context.Context, recs []model.Record) (PutStats, error) {
	var st PutStats
	docs := make([]*doc, 0, len(recs))
	seen := make(map[string]bool, len(recs))
	for i := range recs {
		d, err := prepare(&recs[i])
		if err != nil {
			return st, fmt.Errorf("store %s: record %d: %v", s.name, i+1, err)
		}
		if seen[d.id] {
			st.Known++ // a second record for one ID: the first wins, as across batches
			continue
		}
		seen[d.id] = true
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return st, nil
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].id < docs[j].id })
	// Writers that touch a first copy or its duplicates take the same lock,
	// so a copy and its original are never stored blind to each other.
	var keys []int64
	for _, d := range docs {
		g := d.id
		switch d.status {
		case model.StatusSkipped:
			continue // never a first copy: it has no events
		case model.StatusDuplicate:
			g = d.dupOf
		}
		h := fnv.New64a()
		h.Write([]byte(g))
		keys = append(keys, int64(h.Sum64()))
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	keys = compact(keys)
	for attempt := 1; ; attempt++ {
		got, err := s.put(ctx, docs, keys)
		if err == nil {
			got.Known += st.Known
			return got, nil
		}
		if attempt < 10 && s.b.retryable(err) && ctx.Err() == nil {
			time.Sleep(time.Duration(attempt*attempt) * 10 * time.Millisecond)
			continue
		}
		return PutStats{}, fmt.Errorf("store %s: %v", s.name, explain(err))
	}
}

func compact(k []int64) []int64 {
	out := k[:0]
	for i, v := range k {
		if i == 0 || v != k[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func (s *sqlStore) put(ctx context.Context, docs []*doc, keys []int64) (st PutStats, err error) {
	tx, err := s.b.begin(ctx)
	if err != nil {
		return st, err
	}
	committed := false
	defer func() {
		if !committed {
			tx.rollback(ctx)
		}
	}()
	if err := s.b.lock(ctx, tx, keys); err != nil {
		return st, err
	}
	now := time.Now().UTC().Format("20060102150405")

	isNew, err := insertDocs(ctx, tx, docs, now)
	if err != nil {
		return st, err
	}
	reps, err := s.reports(ctx, tx, docs, isNew, &st)
	if err != nil {
		return st, err
	}
	ids, err := s.actorIDs(ctx, tx, reps)
	if err != nil {
		return st, err
	}
	groups := s.group(reps, ids)
	if err := upsertEvents(ctx, tx, groups, now); err != nil {
		return st, err
	}
	if err := insertSources(ctx, tx, groups); err != nil {
		return st, err
	}
	if err := insertMentions(ctx, tx, groups); err != nil {
		return st, err
	}
	if err := s.indexSentences(ctx, tx, reps); err != nil {
		return st, err
	}
	codes, err := s.upsertCodes(ctx, tx, reps)
	if err != nil {
		return st, err
	}
	if err := upsertActorStats(ctx, tx, reps, ids); err != nil {
		return st, err
	}
	if err := s.updateDaily(ctx, tx, groups); err != nil {
		return st, err
	}
	if err := tx.commit(ctx); err != nil {
		return st, err
	}
	committed = true
	s.mu.Lock()
	for c, id := range ids {
		s.actors[c] = id
	}
	for c, v := range codes {
		s.codes[c] = v
	}
	s.mu.Unlock()
	st.Mentions = len(reps)
	for _, g := range groups {
		if g.inserted {
			st.NewEvents++
		}
	}
	return st, nil
}

// chunkSizes are the row counts of the multi-row statements Put runs: a
// few fixed sizes, so each statement is prepared once and then reused.
var chunkSizes = []int{128, 16, 1}

// multi runs an INSERT with many VALUES rows, in chunks of chunkSizes rows
// (within both databases' limits on parameters); scan, if given, reads
// RETURNING rows. On SQLite the rows go in one statement that reads them
// from memory instead (see bulk).
func multi(ctx context.Context, q querier, head, tail string, ncols, n int, row func(i int, args []any) []any, scan func(rows) error) error {
	_, err := multiN(ctx, q, head, tail, ncols, n, row, scan)
	return err
}

// multiN is multi; without scan it returns the number of rows changed.
func multiN(ctx context.Context, q querier, head, tail string, ncols, n int, row func(i int, args []any) []any, scan func(rows) error) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	if t, ok := q.(*sqliteTx); ok && bulkErr == nil {
		return t.bulk(ctx, head, tail, ncols, n, row, scan)
	}
	var changed int64
	tuple := "(" + strings.Repeat("?,", ncols-1) + "?)"
	args := make([]any, 0, chunkSizes[0]*ncols)
	for lo := 0; lo < n; {
		per := chunkSizes[len(chunkSizes)-1]
		for _, c := range chunkSizes {
			if n-lo >= c {
				per = c
				break
			}
		}
		hi := lo + per
		var sb strings.Builder
		sb.Grow(len(head) + len(tail) + per*(len(tuple)+1))
		sb.WriteString(head)
		args = args[:0]
		for i := lo; i < hi; i++ {
			if i > lo {
				sb.WriteByte(',')
			}
			sb.WriteString(tuple)
			args = row(i, args)
		}
		sb.WriteString(tail)
		lo = hi
		if scan == nil {
			k, err := q.exec(ctx, sb.String(), args...)
			if err != nil {
				return 0, err
			}
			changed += k
			continue
		}
		r, err := q.query(ctx, sb.String(), args...)
		if err != nil {
			return 0, err
		}
		for r.Next() {
			if err := scan(r); err != nil {
				r.Close()
				return 0, err
			}
		}
		r.Close()
		if err := r.Err(); err != nil {
			return 0, err
		}
	}
	return changed, nil
}

func insertDocs(ctx context.Context, tx txn, docs []*doc, now string) (map[string]bool, error) {
	isNew := make(map[string]bool, len(docs))
	const head = `INSERT INTO documents (id, url, outlet, source_key, published, ref_date, lang, title, byline, origin, hash, text, text_len, status, reason, duplicate_of, num_events, added_at`
	row := func(i int, a []any) []any {
		d := docs[i]
		return append(a, d.id, d.url, d.outlet, d.srcKey, d.published, d.refDate, d.lang, d.title, d.byline, d.origin,
			d.hash, d.text, d.textLen, d.status, d.reason, d.dupOf, d.numEvents, now)
	}
	if _, ok := tx.(*sqliteTx); ok {
		top, taken, err := numbered(ctx, tx, "documents", "num", len(docs), func(top int64) (int64, error) {
			return multiN(ctx, tx, head+`, num) VALUES `, ` ON CONFLICT (id) DO NOTHING`, 19, len(docs),
				func(i int, a []any) []any { return append(row(i, a), top+1+int64(i)) }, nil)
		})
		for i, d := range docs {
			d.num = 0
			if taken != nil && taken[i] {
				d.num, isNew[d.id] = top+1+int64(i), true
			}
		}
		return isNew, err
	}
	byID := make(map[string]*doc, len(docs))
	for _, d := range docs {
		byID[d.id] = d
	}
	err := multi(ctx, tx, head+`) VALUES `, ` ON CONFLICT (id) DO NOTHING RETURNING num, id`, 18, len(docs), row,
		func(r rows) error {
			var id string
			var num int64
			if err := r.Scan(&num, &id); err != nil {
				return err
			}
			isNew[id] = true
			if d := byID[id]; d != nil {
				d.num = num
			}
			return nil
		})
	return isNew, err
}

// reports lists the mentions the new documents add: their own events, and
// the first copy's events for each syndicated copy, whichever came first.
func (s *sqlStore) reports(ctx context.Context, tx txn, docs []*doc, isNew map[string]bool, st *PutStats) ([]*report, error) {
	byID := make(map[string]*doc, len(docs))
	var reps []*report
	var newCoded []string
	copies := func(d *doc, orig int64, evs []event, seqs []int) {
		for i := range evs {
			reps = append(reps, &report{d: d, seq: seqs[i], via: orig, e: &evs[i]})
		}
	}
	idx := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	}
	for _, d := range docs {
		byID[d.id] = d
		if !isNew[d.id] {
			st.Known++
			continue
		}
		st.Documents++
		switch d.status {
		case model.StatusCoded:
			newCoded = append(newCoded, d.id)
			for i := range d.events {
				reps = append(reps, &report{d: d, seq: i, e: &d.events[i]})
			}
		case model.StatusDuplicate:
			st.Duplicates++
		case model.StatusSkipped:
			st.Skipped++
		}
	}
	// New copies: of a first copy new in this batch, or of one stored before.
	waiting := map[string][]*doc{}
	var origs []string
	for _, d := range docs {
		if !isNew[d.id] || d.status != model.StatusDuplicate {
			continue
		}
		if o := byID[d.dupOf]; o != nil && isNew[o.id] {
			if o.status == model.StatusCoded {
				copies(d, o.num, o.events, idx(len(o.events)))
			}
			continue
		}
		if waiting[d.dupOf] == nil {
			origs = append(origs, d.dupOf)
		}
		waiting[d.dupOf] = append(waiting[d.dupOf], d)
	}
	if len(origs) > 0 {
		sort.Strings(origs)
		stored, err := loadReports(ctx, tx, origs)
		if err != nil {
			return nil, err
		}
		for _, o := range origs {
			if l := stored[o]; l != nil {
				for _, d := range waiting[o] {
					copies(d, l.num, l.evs, l.seqs)
				}
			}
		}
	}
	// Copies stored before their first copy, which is new now.
	if len(newCoded) > 0 {
		old, err := storedCopies(ctx, tx, newCoded)
		if err != nil {
			return nil, err
		}
		for _, c := range old {
			if isNew[c.id] {
				continue // handled above
			}
			o := byID[c.dupOf]
			copies(c, o.num, o.events, idx(len(o.events)))
		}
	}
	return reps, nil
}

type storedEvents struct {
	num  int64
	evs  []event
	seqs []int
}

// loadReports reads back the stored mentions of first copies, as events.
func loadReports(ctx context.Context, q querier, ids []string) (map[string]*storedEvents, error) {
	out := map[string]*storedEvents{}
	for lo := 0; lo < len(ids); lo += 500 {
		chunk := ids[lo:min(len(ids), lo+500)]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		r, err := q.query(ctx, `SELECT d.id, d.num, m.seq, m.raw_id, m.date, m.confidence, m.rule, m.sentence_idx, m.sentence_start, m.sentence_end,
	m.trigger_text, m.trigger_start, m.trigger_end,
	m.source_name, m.source_text, m.source_start, m.source_end, m.target_name, m.target_text, m.target_start, m.target_end, m.location, m.source_location, m.target_location,
	COALESCE(sa.code, ''), COALESCE(sa.country, ''), COALESCE(sa.sector, ''),
	COALESCE(ta.code, ''), COALESCE(ta.country, ''), COALESCE(ta.sector, ''),
	e.cameo, e.cameo_root, COALESCE(c.name, ''), e.quad_class, e.goldstein, e.plover, COALESCE(c.plover_mode, ''), e.negated
FROM documents d JOIN mentions m ON m.doc_num = d.num JOIN events e ON e.id = m.event_id
LEFT JOIN actors sa ON sa.id = e.src LEFT JOIN actors ta ON ta.id = e.tgt LEFT JOIN cameo_codes c ON c.cameo = e.cameo
WHERE m.via_num = 0 AND d.id IN (`+placeholders(len(chunk))+`) ORDER BY d.id, m.seq`, args...)
		if err != nil {
			return nil, err
		}
		for r.Next() {
			var e event
			var id, loc string
			var num int64
			var seq, neg int
			if err := r.Scan(&id, &num, &seq, &e.rawID, &e.date, &e.confidence, &e.rule, &e.sentIdx, &e.sentStart, &e.sentEnd,
				&e.trigger.Text, &e.trigger.Start, &e.trigger.End,
				&e.src.name, &e.src.text, &e.src.start, &e.src.end, &e.tgt.name, &e.tgt.text, &e.tgt.start, &e.tgt.end, &loc, &e.src.loc, &e.tgt.loc,
				&e.src.code, &e.src.country, &e.src.sector, &e.tgt.code, &e.tgt.country, &e.tgt.sector,
				&e.cameo, &e.root, &e.cameoName, &e.quad, &e.goldstein, &e.plover, &e.ploverMode, &neg); err != nil {
				r.Close()
				return nil, err
			}
			e.negated = neg != 0
			e.day, _ = dayOf(e.date)
			if loc != "" {
				var l model.Location
				if json.Unmarshal([]byte(loc), &l) == nil {
					e.loc, e.locJSON = &l, loc
				}
			}
			se := out[id]
			if se == nil {
				se = &storedEvents{num: num}
				out[id] = se
			}
			se.evs = append(se.evs, e)
			se.seqs = append(se.seqs, seq)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// storedCopies reads the duplicates that name any of ids as their first copy.
func storedCopies(ctx context.Context, q querier, ids []string) ([]*doc, error) {
	var out []*doc
	for lo := 0; lo < len(ids); lo += 500 {
		chunk := ids[lo:min(len(ids), lo+500)]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		r, err := q.query(ctx, `SELECT num, id, source_key, published, ref_date, duplicate_of FROM documents
WHERE duplicate_of <> '' AND status = 'duplicate' AND duplicate_of IN (`+placeholders(len(chunk))+`) ORDER BY id`, args...)
		if err != nil {
			return nil, err
		}
		for r.Next() {
			d := &doc{status: model.StatusDuplicate}
			if err := r.Scan(&d.num, &d.id, &d.srcKey, &d.published, &d.refDate, &d.dupOf); err != nil {
				r.Close()
				return nil, err
			}
			d.rankDate = d.published
			if d.rankDate == "" {
				d.rankDate = d.refDate
			}
			out = append(out, d)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// group collects reports by dedup key, in key order: every writer touches
// event rows in that order, so concurrent writers do not deadlock.
func (s *sqlStore) group(reps []*report, ids map[string]int64) []*group {
	m := make(map[eventKey]*group, len(reps))
	out := make([]*group, 0, len(reps))
	for _, r := range reps {
		e := r.e
		k := eventKey{ids[e.src.code], ids[e.tgt.code], e.cameo, b2i(e.negated), floorDiv(e.day, s.window)}
		g := m[k]
		if g == nil {
			g = &group{key: k, minDay: e.day}
			m[k] = g
			out = append(out, g)
		}
		r.rank = rank(e.confidence, r.d.rankDate, r.d.id, r.seq)
		g.reps = append(g.reps, r)
		if g.best == nil || r.rank < g.best.rank {
			g.best = r
		}
		g.minDay = min(g.minDay, e.day)
	}
	var keys []string
	for _, g := range out {
		// Most events have one report: no set needed to count.
		if len(g.reps) == 1 {
			g.docs, g.srcs = 1, []string{g.reps[0].d.srcKey}
			continue
		}
		keys = keys[:0]
		for _, r := range g.reps {
			keys = append(keys, r.d.id)
		}
		g.docs = len(distinct(keys))
		keys = keys[:0]
		for _, r := range g.reps {
			keys = append(keys, r.d.srcKey)
		}
		g.srcs = append([]string(nil), distinct(keys)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key.less(out[j].key) })
	return out
}

// distinct sorts ss and drops repeats, in place.
func distinct(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// The event columns that follow the best evidence.
var bestCols = []string{"best_rank", "best_num", "best_seq", "loc_country"}

var upsertEventsTail = func() string {
	var sb strings.Builder
	sb.WriteString(` ON CONFLICT (src, tgt, cameo, negated, bucket) DO UPDATE SET
prev_day = events.day,
day = CASE WHEN excluded.day < events.day THEN excluded.day ELSE events.day END,
date = CASE WHEN excluded.day < events.day THEN excluded.date ELSE events.date END,
num_mentions = events.num_mentions + excluded.num_mentions,
num_articles = events.num_articles + excluded.num_articles`)
	for _, c := range bestCols {
		fmt.Fprintf(&sb, ",\n%s = CASE WHEN excluded.best_rank < events.best_rank THEN excluded.%[1]s ELSE events.%[1]s END", c)
	}
	sb.WriteString("\nRETURNING id, src, tgt, cameo, negated, bucket, prev_day, day")
	return sb.String()
}()

// upsertEvents creates or updates one event row per group. Counters are
// added, dates and evidence kept by min, so the outcome is the same in any
// order and exact when writers race (the row is locked while it changes).
//
// Most groups are new events. They are inserted first, with DO NOTHING for
// keys already stored; only those take the upsert. (SQLite journals every
// page an upsert's update may undo, which for the new events would be for
// nothing.)
func upsertEvents(ctx context.Context, tx txn, groups []*group, now string) error {
	byKey := make(map[eventKey]*group, len(groups))
	for _, g := range groups {
		byKey[g.key] = g
	}
	found := func(k eventKey) (*group, error) {
		if g := byKey[k]; g != nil {
			return g, nil
		}
		return nil, fmt.Errorf("upsert returned an event key it was not given: %v", k)
	}
	var err error
	if _, ok := tx.(*sqliteTx); ok {
		err = insertNumbered(ctx, tx, groups, now)
	} else {
		err = multi(ctx, tx, "INSERT INTO events ("+eventsCols+") VALUES ", ` ON CONFLICT (src, tgt, cameo, negated, bucket) DO NOTHING
RETURNING id, src, tgt, cameo, negated, bucket`, 20, len(groups), eventRows(groups, now),
			func(r rows) error {
				var k eventKey
				var id int64
				if err := r.Scan(&id, &k.src, &k.tgt, &k.cameo, &k.neg, &k.bucket); err != nil {
					return err
				}
				g, err := found(k)
				if err != nil {
					return err
				}
				g.id, g.inserted, g.prevDay, g.day = id, true, noDay, g.minDay
				return nil
			})
	}
	if err != nil {
		return err
	}
	var stored []*group
	for _, g := range groups {
		if !g.inserted {
			stored = append(stored, g)
		}
	}
	err = multi(ctx, tx, "INSERT INTO events ("+eventsCols+") VALUES ", upsertEventsTail, 20, len(stored), eventRows(stored, now),
		func(r rows) error {
			var k eventKey
			var id int64
			var prev, day int
			if err := r.Scan(&id, &k.src, &k.tgt, &k.cameo, &k.neg, &k.bucket, &prev, &day); err != nil {
				return err
			}
			g, err := found(k)
			if err != nil {
				return err
			}
			g.id, g.inserted, g.prevDay, g.day = id, prev == noDay, prev, day
			return nil
		})
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.id == 0 {
			return fmt.Errorf("event %v got no id", g.key)
		}
		// The root is the code's first two digits (prepare checks it); a
		// new event's class and score are what was just inserted.
		g.root, g.quad, g.gold = g.key.cameo[:2], g.best.e.quad, g.best.e.goldstein
	}
	return storedScores(ctx, tx, groups)
}

const eventsCols = `src, tgt, cameo, negated, bucket, day, date, prev_day,
cameo_root, quad_class, goldstein, plover, num_mentions, num_sources, num_articles,
best_rank, best_num, best_seq, loc_country, added_at`

// txRows calls fn on every row sql returns; the first error stops it.
func txRows(ctx context.Context, q querier, sql string, args []any, fn func(rows) error) error {
	r, err := q.query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		if err := fn(r); err != nil {
			return err
		}
	}
	return r.Err()
}

// On SQLite, new rows of documents and events are numbered by Put itself,
// above the largest number stored, rather than read back through
// RETURNING, which was a quarter of inserting an event: the writer holds
// the database's one write lock, so no one else takes numbers meanwhile.
// insert runs an INSERT ... ON CONFLICT DO NOTHING of n rows numbered
// top+1 ... top+n in col and returns the rows it added. When some keys
// were stored already (DO NOTHING skipped them), numbered reads back which
// numbers were taken; the skipped ones stay unused, as a PostgreSQL
// sequence leaves them.
func numbered(ctx context.Context, t txn, table, col string, n int, insert func(top int64) (int64, error)) (int64, []bool, error) {
	var top int64
	if err := txRows(ctx, t, "SELECT COALESCE(MAX("+col+"), 0) FROM "+table, nil, func(r rows) error { return r.Scan(&top) }); err != nil {
		return 0, nil, err
	}
	added, err := insert(top)
	if err != nil {
		return 0, nil, err
	}
	taken := make([]bool, n)
	if int(added) == n {
		for i := range taken {
			taken[i] = true
		}
		return top, taken, nil
	}
	err = txRows(ctx, t, "SELECT "+col+" FROM "+table+" WHERE "+col+" > ?", []any{top}, func(r rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		if i := id - top - 1; i >= 0 && i < int64(n) {
			taken[i] = true
		}
		return nil
	})
	return top, taken, err
}

// insertNumbered is the first INSERT of upsertEvents on SQLite (numbered).
func insertNumbered(ctx context.Context, t txn, groups []*group, now string) error {
	rowOf := eventRows(groups, now)
	top, taken, err := numbered(ctx, t, "events", "id", len(groups), func(top int64) (int64, error) {
		return multiN(ctx, t, "INSERT INTO events (id, "+eventsCols+") VALUES ", ` ON CONFLICT (src, tgt, cameo, negated, bucket) DO NOTHING`,
			21, len(groups), func(i int, a []any) []any { return rowOf(i, append(a, top+1+int64(i))) }, nil)
	})
	if err != nil {
		return err
	}
	for i, g := range groups {
		if taken[i] {
			g.id, g.inserted, g.prevDay, g.day = top+1+int64(i), true, noDay, g.minDay
		}
	}
	return nil
}

// eventRows gives the events table's row for each group.
func eventRows(groups []*group, now string) func(i int, a []any) []any {
	return func(i int, a []any) []any {
		g := groups[i]
		b := g.best
		e := b.e
		country := ""
		if e.loc != nil {
			country = e.loc.Country
		}
		return append(a, g.key.src, g.key.tgt, g.key.cameo, g.key.neg, g.key.bucket, g.minDay, dateOf(g.minDay), noDay,
			e.root, e.quad, e.goldstein, e.plover, len(g.reps), len(g.srcs), g.docs,
			b.rank, b.d.num, b.seq, country, now)
	}
}

// storedScores reads the stored quad class and Goldstein score of events
// whose date moved, which the daily rollup moves: an event keeps those of
// its first report. Dates rarely move, so this is rarely a query.
func storedScores(ctx context.Context, tx txn, groups []*group) error {
	byID := map[int64]*group{}
	var args []any
	for _, g := range groups {
		if !g.inserted && g.prevDay != g.day {
			byID[g.id] = g
			args = append(args, g.id)
		}
	}
	for lo := 0; lo < len(args); lo += 500 {
		chunk := args[lo:min(len(args), lo+500)]
		r, err := tx.query(ctx, `SELECT id, quad_class, goldstein FROM events WHERE id IN (`+placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return err
		}
		for r.Next() {
			var id int64
			var quad int
			var gold float64
			if err := r.Scan(&id, &quad, &gold); err != nil {
				r.Close()
				return err
			}
			if g := byID[id]; g != nil {
				g.quad, g.gold = quad, gold
			}
		}
		r.Close()
		if err := r.Err(); err != nil {
			return err
		}
	}
	return nil
}

// insertSources records each event's distinct sources and adds the new ones
// to NumSources of events that existed already (a new event counted its own).
func insertSources(ctx context.Context, tx txn, groups []*group) error {
	type pair struct {
		g   *group
		src string
	}
	// A new event's sources are all new: only those of events stored
	// before need telling apart.
	var fresh, old []pair
	for _, g := range groups {
		for _, s := range g.srcs {
			if g.inserted {
				fresh = append(fresh, pair{g, s})
			} else {
				old = append(old, pair{g, s})
			}
		}
	}
	const head = `INSERT INTO event_sources (event_id, source_key) VALUES `
	err := multi(ctx, tx, head, ` ON CONFLICT (event_id, source_key) DO NOTHING`, 2, len(fresh),
		func(i int, a []any) []any { return append(a, fresh[i].g.id, fresh[i].src) }, nil)
	if err != nil {
		return err
	}
	added := map[int64]int{}
	err = multi(ctx, tx, head, ` ON CONFLICT (event_id, source_key) DO NOTHING RETURNING event_id`, 2, len(old),
		func(i int, a []any) []any { return append(a, old[i].g.id, old[i].src) },
		func(r rows) error {
			var id int64
			err := r.Scan(&id)
			added[id]++
			return err
		})
	if err != nil {
		return err
	}
	for _, g := range groups {
		if n := added[g.id]; !g.inserted && n > 0 {
			if _, err := tx.exec(ctx, `UPDATE events SET num_sources = num_sources + ? WHERE id = ?`, n, g.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxEvents bounds the events of one document: the full-text index keys a
// mention by doc_num * maxEvents + seq.
const maxEvents = 1 << 20

func insertMentions(ctx context.Context, tx txn, groups []*group) error {
	type m struct {
		r  *report
		id int64
	}
	var ms []m
	for _, g := range groups {
		for _, r := range g.reps {
			ms = append(ms, m{r, g.id})
		}
	}
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i].r, ms[j].r
		if a.d.num != b.d.num {
			return a.d.num < b.d.num
		}
		return a.seq < b.seq
	})
	return multi(ctx, tx, `INSERT INTO mentions (doc_num, seq, event_id, via_num, raw_id, date, rank, confidence, rule,
sentence_idx, sentence_start, sentence_end, sentence,
trigger_text, trigger_start, trigger_end, source_name, source_text, source_start, source_end,
target_name, target_text, target_start, target_end, location, source_location, target_location) VALUES `, ``, 27, len(ms),
		func(i int, a []any) []any {
			r, e := ms[i].r, ms[i].r.e
			text := e.sentText
			if r.via != 0 {
				text = "" // a copy quotes the first copy's sentence
			}
			return append(a, r.d.num, r.seq, ms[i].id, r.via, e.rawID, e.date, r.rank, e.confidence, e.rule,
				e.sentIdx, e.sentStart, e.sentEnd, text,
				e.trigger.Text, e.trigger.Start, e.trigger.End, e.src.name, e.src.text, e.src.start, e.src.end,
				e.tgt.name, e.tgt.text, e.tgt.start, e.tgt.end, e.locJSON, e.src.loc, e.tgt.loc)
		}, nil)
}

// indexSentences adds the batch's evidence sentences to SQLite's full-text
// index in one statement. (PostgreSQL indexes mentions.sentence itself.)
// Only new coded documents' own reports carry a sentence, and SQLite gives
// new documents numbers above every stored one, so a range finds them.
func (s *sqlStore) indexSentences(ctx context.Context, tx txn, reps []*report) error {
	if s.b.kind() != "sqlite" {
		return nil
	}
	lo, hi := int64(math.MaxInt64), int64(-1)
	for _, r := range reps {
		if r.via == 0 && r.e.sentText != "" {
			lo, hi = min(lo, r.d.num), max(hi, r.d.num)
		}
	}
	if hi < 0 {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO sentence_fts (rowid, text)
SELECT doc_num * 1048576 + seq, sentence FROM mentions WHERE doc_num BETWEEN ? AND ? AND via_num = 0 AND sentence <> ''`, lo, hi)
	return err
}

// actorIDs maps the batch's actor codes to ids, creating ids for new codes.
// The empty code (no actor) is id 0.
func (s *sqlStore) actorIDs(ctx context.Context, tx txn, reps []*report) (map[string]int64, error) {
	ids := map[string]int64{"": 0}
	var missing []actor
	s.mu.Lock()
	for _, r := range reps {
		for _, a := range []actor{r.e.src, r.e.tgt} {
			if _, ok := ids[a.code]; ok {
				continue
			}
			if id, ok := s.actors[a.code]; ok {
				ids[a.code] = id
				continue
			}
			ids[a.code] = -1
			missing = append(missing, a)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return ids, nil
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].code < missing[j].code })
	err := multi(ctx, tx, `INSERT INTO actors (code, country, sector) VALUES `, ` ON CONFLICT (code) DO NOTHING`, 3, len(missing),
		func(i int, a []any) []any { return append(a, missing[i].code, missing[i].country, missing[i].sector) }, nil)
	if err != nil {
		return nil, err
	}
	for lo := 0; lo < len(missing); lo += 500 {
		chunk := missing[lo:min(len(missing), lo+500)]
		args := make([]any, len(chunk))
		for i, a := range chunk {
			args[i] = a.code
		}
		r, err := tx.query(ctx, `SELECT id, code FROM actors WHERE code IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for r.Next() {
			var id int64
			var code string
			if err := r.Scan(&id, &code); err != nil {
				r.Close()
				return nil, err
			}
			ids[code] = id
		}
		r.Close()
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	for _, a := range missing {
		if ids[a.code] <= 0 {
			return nil, fmt.Errorf("actor %q got no id", a.code)
		}
	}
	return ids, nil
}

// upsertCodes records the name and PLOVER category of each CAMEO code seen,
// keeping the smallest non-empty value, and returns what it wrote. Codes
// whose description is already stored are not touched.
func (s *sqlStore) upsertCodes(ctx context.Context, tx txn, reps []*report) (map[string]codeInfo, error) {
	smaller := func(a, b string) string {
		if a == "" || (b != "" && b < a) {
			return b
		}
		return a
	}
	m := map[string]codeInfo{}
	for _, r := range reps {
		e := r.e
		c := m[e.cameo]
		m[e.cameo] = codeInfo{smaller(c.name, e.cameoName), smaller(c.plover, e.plover), smaller(c.mode, e.ploverMode)}
	}
	var list []string
	s.mu.Lock()
	for c, v := range m {
		if old, ok := s.codes[c]; ok {
			v = codeInfo{smaller(old.name, v.name), smaller(old.plover, v.plover), smaller(old.mode, v.mode)}
			if v == old {
				delete(m, c)
				continue
			}
			m[c] = v
		}
		list = append(list, c)
	}
	s.mu.Unlock()
	sort.Strings(list)
	keep := func(col string) string {
		return fmt.Sprintf("%[1]s = CASE WHEN excluded.%[1]s <> '' AND (cameo_codes.%[1]s = '' OR excluded.%[1]s < cameo_codes.%[1]s) THEN excluded.%[1]s ELSE cameo_codes.%[1]s END", col)
	}
	err := multi(ctx, tx, `INSERT INTO cameo_codes (cameo, name, plover, plover_mode) VALUES `,
		` ON CONFLICT (cameo) DO UPDATE SET `+keep("name")+`, `+keep("plover")+`, `+keep("plover_mode"), 4, len(list),
		func(i int, a []any) []any {
			v := m[list[i]]
			return append(a, list[i], v.name, v.plover, v.mode)
		}, nil)
	return m, err
}

type actorAgg struct {
	id           int64
	name         string
	first, last  string
	asSrc, asTgt int
}

// upsertActorStats adds the batch's reports to each actor's figures: first
// and last report dates, reports on either side, and the smallest name.
func upsertActorStats(ctx context.Context, tx txn, reps []*report, ids map[string]int64) error {
	m := map[int64]*actorAgg{}
	add := func(a actor, date string, src bool) {
		id := ids[a.code]
		if id == 0 {
			return
		}
		x := m[id]
		if x == nil {
			x = &actorAgg{id: id, first: date, last: date}
			m[id] = x
		}
		if a.name != "" && (x.name == "" || a.name < x.name) {
			x.name = a.name
		}
		x.first, x.last = min(x.first, date), max(x.last, date)
		if src {
			x.asSrc++
		} else {
			x.asTgt++
		}
	}
	for _, r := range reps {
		add(r.e.src, r.e.date, true)
		add(r.e.tgt, r.e.date, false)
	}
	list := make([]*actorAgg, 0, len(m))
	for _, x := range m {
		list = append(list, x)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
	return multi(ctx, tx, `INSERT INTO actor_stats (id, name, first_date, last_date, as_source, as_target) VALUES `,
		` ON CONFLICT (id) DO UPDATE SET
name = CASE WHEN excluded.name <> '' AND (actor_stats.name = '' OR excluded.name < actor_stats.name) THEN excluded.name ELSE actor_stats.name END,
first_date = CASE WHEN excluded.first_date < actor_stats.first_date THEN excluded.first_date ELSE actor_stats.first_date END,
last_date = CASE WHEN excluded.last_date > actor_stats.last_date THEN excluded.last_date ELSE actor_stats.last_date END,
as_source = actor_stats.as_source + excluded.as_source,
as_target = actor_stats.as_target + excluded.as_target`, 6, len(list),
		func(i int, a []any) []any {
			x := list[i]
			return append(a, x.id, x.name, x.first, x.last, x.asSrc, x.asTgt)
		}, nil)
}

type dailyKey struct {
	day  int
	root string
	quad int
}

// updateDaily keeps the rollup in step with the events: +1 for a new event
// on its day; -1/+1 when an earlier report moved an event's date.
func (s *sqlStore) updateDaily(ctx context.Context, tx txn, groups []*group) error {
	type delta struct{ n, g10 int }
	m := map[dailyKey]*delta{}
	add := func(day int, root string, quad int, n int, gold float64) {
		k := dailyKey{day, root, quad}
		d := m[k]
		if d == nil {
			d = &delta{}
			m[k] = d
		}
		d.n += n
		d.g10 += n * int(math.Round(gold*10))
	}
	for _, g := range groups {
		switch {
		case g.inserted:
			add(g.day, g.root, g.quad, 1, g.gold)
		case g.prevDay != g.day:
			add(g.prevDay, g.root, g.quad, -1, g.gold)
			add(g.day, g.root, g.quad, 1, g.gold)
		}
	}
	keys := make([]dailyKey, 0, len(m))
	for k, d := range m {
		if d.n != 0 || d.g10 != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.day != b.day {
			return a.day < b.day
		}
		if a.root != b.root {
			return a.root < b.root
		}
		return a.quad < b.quad
	})
	return multi(ctx, tx, `INSERT INTO daily (day, date, cameo_root, quad_class, events, goldstein10) VALUES `,
		` ON CONFLICT (day, cameo_root, quad_class) DO UPDATE SET
events = daily.events + excluded.events, goldstein10 = daily.goldstein10 + excluded.goldstein10`, 6, len(keys),
		func(i int, a []any) []any {
			k := keys[i]
			d := m[k]
			return append(a, k.day, dateOf(k.day), k.root, k.quad, d.n, d.g10)
		}, nil)
}

type failureKey struct{ src, status, reason string }

// PutFailures records failed sources, one row per source, status and reason,
// keeping the first and last time each was seen.
func (s *sqlStore) PutFailures(ctx context.Context, fs []Failure) (int, error) {
	if len(fs) == 0 {
		return 0, nil
	}
	m := map[failureKey][2]string{}
	for i, f := range fs {
		if strings.TrimSpace(f.Source) == "" {
			return 0, fmt.Errorf("store %s: failure %d: no source", s.name, i+1)
		}
		t := f.Time
		if t.IsZero() {
			t = time.Now()
		}
		ts := t.UTC().Format(time.RFC3339)
		k := failureKey{clean(f.Source), clean(f.Status), clean(f.Reason)}
		if v, ok := m[k]; ok {
			m[k] = [2]string{min(v[0], ts), max(v[1], ts)}
		} else {
			m[k] = [2]string{ts, ts}
		}
	}
	keys := make([]failureKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.src != b.src {
			return a.src < b.src
		}
		if a.status != b.status {
			return a.status < b.status
		}
		return a.reason < b.reason
	})
	for attempt := 1; ; attempt++ {
		n, err := s.putFailures(ctx, keys, m)
		if err == nil {
			return n, nil
		}
		if attempt < 10 && s.b.retryable(err) && ctx.Err() == nil {
			time.Sleep(time.Duration(attempt*attempt) * 10 * time.Millisecond)
			continue
		}
		return 0, fmt.Errorf("store %s: %v", s.name, explain(err))
	}
}

func (s *sqlStore) putFailures(ctx context.Context, keys []failureKey, m map[failureKey][2]string) (int, error) {
	tx, err := s.b.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.rollback(ctx)
	isNew := map[failureKey]bool{}
	err = multi(ctx, tx, `INSERT INTO failures (source, status, reason, first_seen, last_seen) VALUES `,
		` ON CONFLICT (source, status, reason) DO NOTHING RETURNING source, status, reason`, 5, len(keys),
		func(i int, a []any) []any {
			k := keys[i]
			t := m[k]
			return append(a, k.src, k.status, k.reason, t[0], t[1])
		}, func(r rows) error {
			var k failureKey
			err := r.Scan(&k.src, &k.status, &k.reason)
			isNew[k] = true
			return err
		})
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if isNew[k] {
			continue
		}
		t := m[k]
		if _, err := tx.exec(ctx, `UPDATE failures SET
first_seen = CASE WHEN ? < first_seen THEN ? ELSE first_seen END,
last_seen = CASE WHEN ? > last_seen THEN ? ELSE last_seen END
WHERE source = ? AND status = ? AND reason = ?`, t[0], t[0], t[1], t[1], k.src, k.status, k.reason); err != nil {
			return 0, err
		}
	}
	return len(isNew), tx.commit(ctx)
}
