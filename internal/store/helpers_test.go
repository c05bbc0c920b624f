package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// The same tests run on both backends. PostgreSQL runs when
// DYAD_TEST_POSTGRES names a server (scripts/pgtest starts one); each test
// gets a schema of its own there.

const pgEnv = "DYAD_TEST_POSTGRES"

type dsnMaker func(t testing.TB) string

func sqliteDSNFor(t testing.TB) string {
	return filepath.Join(t.TempDir(), "dyad.db")
}

func pgDSNFor(t testing.TB) string {
	base := os.Getenv(pgEnv)
	if base == "" {
		t.Skip(pgEnv + " is not set: PostgreSQL half skipped (scripts/pgtest start gives a server)")
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("%s: %v", pgEnv, err)
	}
	defer c.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "dyadtest_" + hex.EncodeToString(b[:])
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// eachBackend runs fn once per backend.
func eachBackend(t *testing.T, fn func(t *testing.T, dsn dsnMaker)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteDSNFor) })
	t.Run("postgres", func(t *testing.T) { fn(t, pgDSNFor) })
}

func mustOpen(t testing.TB, dsn string) *sqlStore {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.(*sqlStore)
}

// dump reads a query's rows as text lines, for comparing stores.
func dump(t testing.TB, s *sqlStore, q string, args ...any) []string {
	t.Helper()
	r, err := s.b.query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	var out []string
	ncols := 0
	switch r := r.(type) {
	case sqlRows:
		cs, _ := r.Columns()
		ncols = len(cs)
	case *pgRows:
		ncols = len(r.FieldDescriptions())
	}
	for r.Next() {
		var ptrs []any
		for range ncols {
			var v any
			ptrs = append(ptrs, &v)
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var parts []string
		for _, p := range ptrs {
			v := *(p.(*any))
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts = append(parts, fmt.Sprint(v))
		}
		out = append(out, strings.Join(parts, "\t"))
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// evKey names an event by its dedup key, in codes rather than ids.
const evKey = `COALESCE((SELECT code FROM actors WHERE id = e.src), '') || '/' || COALESCE((SELECT code FROM actors WHERE id = e.tgt), '') || '/' || e.cameo || '/' || CAST(e.negated AS TEXT) || '/' || CAST(e.bucket AS TEXT)`

// snapshot is everything a store holds that does not depend on when or in
// which batches it was written (row IDs and insertion times do).
func snapshot(t testing.TB, s *sqlStore) map[string][]string {
	t.Helper()
	qs := map[string]string{
		"documents": `SELECT id, url, outlet, source_key, published, ref_date, lang, title, hash, text_len, status, reason, duplicate_of, num_events FROM documents ORDER BY id`,
		"events": `SELECT ` + evKey + `, e.day, e.date, e.num_mentions, e.num_sources, e.num_articles, e.best_rank, d.id, e.best_seq,
			e.cameo_root, e.quad_class, e.goldstein, e.plover, e.loc_country
			FROM events e JOIN documents d ON d.num = e.best_num ORDER BY 1`,
		"mentions": `SELECT d.id, m.seq, ` + evKey + `, COALESCE(v.id, ''), m.rank, m.date, m.confidence, m.sentence_idx, m.sentence_start, m.sentence_end, m.sentence,
			m.trigger_text, m.source_text, m.target_text, m.location
			FROM mentions m JOIN events e ON e.id = m.event_id JOIN documents d ON d.num = m.doc_num LEFT JOIN documents v ON v.num = m.via_num ORDER BY d.id, m.seq`,
		"sources":  `SELECT ` + evKey + `, x.source_key FROM event_sources x JOIN events e ON e.id = x.event_id ORDER BY 1, 2`,
		"actors":   `SELECT a.code, a.country, a.sector, s.name, s.first_date, s.last_date, s.as_source, s.as_target FROM actors a JOIN actor_stats s ON s.id = a.id ORDER BY a.code`,
		"codes":    `SELECT cameo, name, plover, plover_mode FROM cameo_codes ORDER BY cameo`,
		"daily":    `SELECT day, date, cameo_root, quad_class, events, goldstein10 FROM daily WHERE events <> 0 OR goldstein10 <> 0 ORDER BY day, cameo_root, quad_class`,
		"failures": `SELECT source, status, reason, first_seen, last_seen FROM failures ORDER BY source, status, reason`,
	}
	out := map[string][]string{}
	for k, q := range qs {
		out[k] = dump(t, s, q)
	}
	return out
}

func diffSnapshots(t testing.TB, what string, a, b map[string][]string) {
	t.Helper()
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x, y := a[k], b[k]
		if len(x) != len(y) {
			t.Errorf("%s: %s: %d rows vs %d", what, k, len(x), len(y))
			continue
		}
		for i := range x {
			if x[i] != y[i] {
				t.Errorf("%s: %s row %d differs:\n  %s\n  %s", what, k, i, x[i], y[i])
				break
			}
		}
	}
}

// checkInvariants verifies the derived figures against the rows they derive from.
func checkInvariants(t testing.TB, s *sqlStore) {
	t.Helper()
	// Grouped subqueries, not correlated ones: no index serves mentions by event.
	m := `(SELECT event_id, COUNT(*) AS n, COUNT(DISTINCT doc_num) AS a, MIN(rank) AS r, MIN(date) AS d FROM mentions GROUP BY event_id)`
	checks := map[string]string{
		"num_mentions": `SELECT e.id, e.num_mentions, COALESCE(x.n, 0) FROM events e LEFT JOIN ` + m + ` x ON x.event_id = e.id`,
		"num_articles": `SELECT e.id, e.num_articles, COALESCE(x.a, 0) FROM events e LEFT JOIN ` + m + ` x ON x.event_id = e.id`,
		"best_rank":    `SELECT e.id, e.best_rank, COALESCE(x.r, '') FROM events e LEFT JOIN ` + m + ` x ON x.event_id = e.id`,
		"date":         `SELECT e.id, e.date, COALESCE(x.d, '') FROM events e LEFT JOIN ` + m + ` x ON x.event_id = e.id`,
		"num_sources": `SELECT e.id, e.num_sources, COALESCE(x.n, 0) FROM events e LEFT JOIN
			(SELECT m.event_id, COUNT(DISTINCT d.source_key) AS n FROM mentions m JOIN documents d ON d.num = m.doc_num GROUP BY m.event_id) x ON x.event_id = e.id`,
		"event_sources": `SELECT e.id, e.num_sources, COALESCE(x.n, 0) FROM events e LEFT JOIN
			(SELECT event_id, COUNT(*) AS n FROM event_sources GROUP BY event_id) x ON x.event_id = e.id`,
		"best_doc": `SELECT e.id, e.best_rank, COALESCE(m.rank, '') FROM events e LEFT JOIN mentions m ON m.doc_num = e.best_num AND m.seq = e.best_seq`,
	}
	for name, q := range checks {
		for _, row := range dump(t, s, q) {
			p := strings.Split(row, "\t")
			if p[1] != p[2] {
				t.Errorf("invariant %s broken for event %s: stored %s, derived %s", name, p[0], p[1], p[2])
			}
		}
	}
	roll := dump(t, s, `SELECT day, cameo_root, quad_class, events, goldstein10 FROM daily WHERE events <> 0 OR goldstein10 <> 0 ORDER BY day, cameo_root, quad_class`)
	ev := dump(t, s, `SELECT day, cameo_root, quad_class, COUNT(*), CAST(SUM(ROUND(goldstein * 10)) AS BIGINT) FROM events GROUP BY day, cameo_root, quad_class ORDER BY day, cameo_root, quad_class`)
	if strings.Join(roll, "\n") != strings.Join(ev, "\n") {
		t.Errorf("daily rollup (%d rows) does not match the events (%d rows)", len(roll), len(ev))
	}
}
