package store

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

// queryStore holds six events with known answers:
//
//	E1 2021-01-05 USAGOV>CHNGOV 111 (2 reports: d1 reuters, d2 bbc), location CHN
//	E2 2021-01-05 CHNGOV>USAGOV 111 (d1)
//	E3 2021-02-10 USAGOV>CHNGOV 040 (d3), PLOVER CONSULT, location CHN
//	E4 2021-02-11 RUSGOV>UKRGOV 190 (d3)
//	E5 2021-03-01 RUSMIL>UKR 190 (d4)
//	E6 2021-03-02 USA>(none) 010 (d4)
func queryStore(t *testing.T, dsn dsnMaker) *sqlStore {
	t.Helper()
	s := mustOpen(t, dsn(t))
	e1 := ev("USAGOV", "CHNGOV", "111", "2021-01-05", 0.9, 0)
	e1.Sentence.Text = "Washington accused Beijing of cyber espionage on Tuesday."
	e1.Location = &model.Location{Name: "Beijing", Country: "CHN", Lat: 39.9, Lon: 116.4, Precision: "city"}
	e2 := ev("CHNGOV", "USAGOV", "111", "2021-01-05", 0.8, 1)
	e2.Sentence.Text = "Beijing denounced Washington in return."
	e1b := ev("USAGOV", "CHNGOV", "111", "2021-01-05", 0.5, 0)
	e1b.Sentence.Text = "The United States blamed China for hacking."
	e3 := ev("USAGOV", "CHNGOV", "040", "2021-02-10", 0.7, 0)
	e3.PLOVER, e3.Sentence.Text = "CONSULT", "American and Chinese envoys held talks in Geneva."
	e3.Location = &model.Location{Name: "Geneva", Country: "CHE"}
	e3.Location.Country = "CHN" // where the talks were about, for the country filter
	e4 := ev("RUSGOV", "UKRGOV", "190", "2021-02-11", 0.7, 1)
	e4.Sentence.Text = "Russian forces shelled Ukrainian positions."
	e5 := ev("RUSMIL", "UKR", "190", "2021-03-01", 0.7, 0)
	e6 := ev("USA", "", "010", "2021-03-02", 0.6, 1)
	mustPut(t, s,
		rec("d1", "reuters.com", "2021-01-05", e1, e2),
		rec("d2", "bbc.co.uk", "2021-01-05", e1b),
		rec("d3", "reuters.com", "2021-02-11", e3, e4),
		rec("d4", "apnews.com", "2021-03-02", e5, e6),
	)
	return s
}

func eventKeys(rows []EventRow) string {
	var ks []string
	for _, r := range rows {
		ks = append(ks, r.Source+">"+r.Target+":"+r.CAMEO)
	}
	return strings.Join(ks, " ")
}

func TestQueryFilters(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := queryStore(t, dsn)
		cases := []struct {
			f    Filter
			want string
		}{
			// By date, then ID: CHNGOV>USAGOV comes first on 2021-01-05, its
			// key (actor ids given in code order) being the smaller.
			{Filter{}, "CHNGOV>USAGOV:111 USAGOV>CHNGOV:111 USAGOV>CHNGOV:040 RUSGOV>UKRGOV:190 RUSMIL>UKR:190 USA>:010"},
			{Filter{Actor: "RUS"}, "RUSGOV>UKRGOV:190 RUSMIL>UKR:190"},
			{Filter{Actor: "CHNGOV"}, "CHNGOV>USAGOV:111 USAGOV>CHNGOV:111 USAGOV>CHNGOV:040"},
			{Filter{Source: "USA"}, "USAGOV>CHNGOV:111 USAGOV>CHNGOV:040 USA>:010"},
			{Filter{Target: "UKR"}, "RUSGOV>UKRGOV:190 RUSMIL>UKR:190"},
			{Filter{Source: "USA", Target: "CHN"}, "USAGOV>CHNGOV:111 USAGOV>CHNGOV:040"},
			{Filter{Source: "USA", Target: "CHN", BothDirections: true}, "CHNGOV>USAGOV:111 USAGOV>CHNGOV:111 USAGOV>CHNGOV:040"},
			{Filter{CAMEO: "19"}, "RUSGOV>UKRGOV:190 RUSMIL>UKR:190"},
			{Filter{CAMEO: "111"}, "CHNGOV>USAGOV:111 USAGOV>CHNGOV:111"},
			{Filter{Root: "04"}, "USAGOV>CHNGOV:040"},
			{Filter{QuadClass: 1}, "USAGOV>CHNGOV:040 USA>:010"},
			{Filter{PLOVER: "consult"}, "USAGOV>CHNGOV:040"},
			{Filter{From: "2021-02-01", To: "2021-02-28"}, "USAGOV>CHNGOV:040 RUSGOV>UKRGOV:190"},
			{Filter{From: "2021-03-02"}, "USA>:010"},
			{Filter{Country: "chn"}, "USAGOV>CHNGOV:111 USAGOV>CHNGOV:040"},
			{Filter{Text: "espionage"}, "USAGOV>CHNGOV:111"},
			{Filter{Text: "hacking"}, "USAGOV>CHNGOV:111"}, // the second report's sentence
			{Filter{Text: "Beijing, Washington!"}, "CHNGOV>USAGOV:111 USAGOV>CHNGOV:111"},
			{Filter{Text: "ukrainian FORCES"}, "RUSGOV>UKRGOV:190"},
			{Filter{Actor: "USA", Root: "11", Text: "denounced"}, "CHNGOV>USAGOV:111"},
			{Filter{Actor: "US_"}, ""},
			{Filter{Actor: "U%"}, ""},
		}
		for _, c := range cases {
			rows, err := s.Events(bg, c.f, 0, 0)
			if err != nil {
				t.Errorf("%+v: %v", c.f, err)
				continue
			}
			if got := eventKeys(rows); got != c.want {
				t.Errorf("%+v:\n got %s\nwant %s", c.f, got, c.want)
			}
		}
		rows, _ := s.Events(bg, Filter{Source: "USAGOV", CAMEO: "111"}, 0, 0)
		if len(rows) != 1 {
			t.Fatalf("E1: %+v", rows)
		}
		e := rows[0]
		if e.NumMentions != 2 || e.NumArticles != 2 || e.NumSources != 2 || e.DocID != "d1" || e.Outlet != "reuters.com" ||
			!strings.Contains(e.Sentence, "espionage") || e.Trigger != "accused" || e.Place != "Beijing" || e.Country != "CHN" ||
			e.CAMEOName != "name 111" || e.SourceName != "USAGOV name" || e.Confidence != 0.9 {
			t.Errorf("E1 evidence: %+v", e)
		}
		page, _ := s.Events(bg, Filter{}, 2, 3)
		if eventKeys(page) != "RUSGOV>UKRGOV:190 RUSMIL>UKR:190" {
			t.Errorf("limit 2 offset 3: %s", eventKeys(page))
		}
	})
}

func TestQueryAggregates(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := queryStore(t, dsn)
		series, err := s.Series(bg, Filter{Source: "USA", Target: "CHN", BothDirections: true}, IntervalMonth)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(series)
		want := "[{2021-01 USA>CHN 1 2 -2 -2} {2021-01 CHN>USA 1 1 -2 -2} {2021-02 USA>CHN 1 1 3 3}]"
		if got != want {
			t.Errorf("dyad series:\n got %s\nwant %s", got, want)
		}
		week, _ := s.Series(bg, Filter{Source: "USA", Target: "CHN"}, IntervalWeek)
		if fmt.Sprint(week) != "[{2021-01-04 USA>CHN 1 2 -2 -2} {2021-02-08 USA>CHN 1 1 3 3}]" {
			t.Errorf("weekly series (weeks start on Monday): %v", week)
		}
		all, _ := s.Series(bg, Filter{}, IntervalNone)
		if fmt.Sprint(all) != "[{  6 0 -2 -0.333}]" {
			t.Errorf("total from the rollup: %v", all)
		}
		// The rollup and the events table give the same answers.
		for _, f := range []Filter{{}, {From: "2021-02-01"}, {Root: "19", To: "2021-02-28"}, {CAMEO: "11", QuadClass: 3}} {
			for _, iv := range []Interval{IntervalDay, IntervalWeek, IntervalMonth, IntervalYear, IntervalNone} {
				for _, by := range []By{ByRoot, ByQuad} {
					a, err := s.breakdown(bg, f, by, iv, true)
					if err != nil {
						t.Fatal(err)
					}
					b, err := s.breakdown(bg, f, by, iv, false)
					if err != nil {
						t.Fatal(err)
					}
					if fmt.Sprint(a) != fmt.Sprint(b) {
						t.Errorf("%+v %s %s: rollup %v, events %v", f, by, iv, a, b)
					}
				}
				a, _ := s.series(bg, f, iv, true)
				b, _ := s.series(bg, f, iv, false)
				for i := range b {
					b[i].Mentions = 0 // the rollup does not count mentions
				}
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("%+v %s: rollup series %v, events %v", f, iv, a, b)
				}
			}
		}
		roots, _ := s.Breakdown(bg, Filter{}, ByRoot, IntervalMonth)
		if fmt.Sprint(roots) != "[{2021-01 11 2 -4 -2} {2021-02 04 1 3 3} {2021-02 19 1 -2 -2} {2021-03 01 1 3 3} {2021-03 19 1 -2 -2}]" {
			t.Errorf("roots by month: %v", roots)
		}
		rus, _ := s.Breakdown(bg, Filter{Actor: "RUS"}, ByQuad, IntervalNone)
		if fmt.Sprint(rus) != "[{ 3 2 -4 -2}]" {
			t.Errorf("quad classes of RUS events (events table): %v", rus)
		}
		actors, _ := s.TopActors(bg, Filter{}, 3)
		if fmt.Sprint(actors) != "[{CHNGOV CHNGOV name 3 1 2} {USAGOV USAGOV name 3 2 1} {RUSGOV RUSGOV name 1 1 0}]" {
			t.Errorf("top actors: %v", actors)
		}
		dyads, _ := s.TopDyads(bg, Filter{}, 2)
		if fmt.Sprint(dyads) != "[{USAGOV CHNGOV 2 3 0.5} {CHNGOV USAGOV 1 1 -2}]" {
			t.Errorf("top dyads: %v", dyads)
		}
		if _, err := s.Breakdown(bg, Filter{}, "outlet", IntervalMonth); err == nil {
			t.Error("breakdown by an unknown key was accepted")
		}
		if _, err := s.Series(bg, Filter{}, "fortnight"); err == nil {
			t.Error("an unknown interval was accepted")
		}
	})
}

// Hostile filter values are data, never SQL or FTS syntax: every query
// either answers or refuses the value with a one-line error, and the
// store is untouched.
func TestHostileFilters(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := queryStore(t, dsn)
		before := snapshot(t, s)
		hostile := []string{
			`'`, `"`, `''`, `'; DROP TABLE events; --`, `" OR 1=1 --`, `') OR ('1'='1`, `%`, `_`, `%%`, `US_`, `U%`, `\`, `\%`,
			"a\x00b", "\x00", "\xff\xfe", "日本語", "Ελλάδα", "😀", `NEAR(espionage beijing)`, `espionage*`, `accused OR x`,
			`"unterminated`, `text:espionage`, `^accused`, `-accused`, `)(`, `AND`, `NOT`, `$1`, `?`, `:name`, `@x`,
			`/* c */`, `1; SELECT pg_sleep(5)`, strings.Repeat("x", 600), `0231`, `2021-01-05`, `2021-01-05'`, `*`, `{`, `}`,
		}
		fields := map[string]func(v string) Filter{
			"actor":   func(v string) Filter { return Filter{Actor: v} },
			"source":  func(v string) Filter { return Filter{Source: v, Target: "CHN", BothDirections: true} },
			"target":  func(v string) Filter { return Filter{Target: v} },
			"cameo":   func(v string) Filter { return Filter{CAMEO: v} },
			"root":    func(v string) Filter { return Filter{Root: v} },
			"plover":  func(v string) Filter { return Filter{PLOVER: v} },
			"from":    func(v string) Filter { return Filter{From: v} },
			"to":      func(v string) Filter { return Filter{To: v} },
			"country": func(v string) Filter { return Filter{Country: v} },
			"text":    func(v string) Filter { return Filter{Text: v} },
		}
		answered := 0
		for name, mk := range fields {
			for _, v := range hostile {
				f := mk(v)
				var errs []error
				var n int
				rows, err := s.Events(bg, f, 0, 0)
				errs, n = append(errs, err), len(rows)
				_, err = s.Series(bg, f, IntervalMonth)
				errs = append(errs, err)
				_, err = s.Breakdown(bg, f, ByRoot, IntervalDay)
				errs = append(errs, err)
				_, err = s.TopActors(bg, f, 5)
				errs = append(errs, err)
				_, err = s.TopDyads(bg, f, 5)
				errs = append(errs, err)
				for _, err := range errs {
					if err != nil && (!strings.HasPrefix(err.Error(), "filter") || strings.Contains(err.Error(), "\n")) {
						t.Errorf("%s=%q: not a clean refusal: %v", name, v, err)
					}
				}
				if errs[0] == nil {
					answered++
					// Only a real code or date may find anything (text
					// is searched as words, checked below).
					if n > 0 && name != "text" && !(name == "to" || name == "from") {
						t.Errorf("%s=%q matched %d events", name, v, n)
					}
				}
			}
		}
		if answered < 100 {
			t.Errorf("only %d hostile filters were answered; most should be (as no match)", answered)
		}
		diffSnapshots(t, "after hostile filters", before, snapshot(t, s))
		if rows, _ := s.Events(bg, Filter{Text: `accused OR x`}, 0, 0); len(rows) != 0 {
			t.Errorf("OR was read as an operator: %s", eventKeys(rows))
		}
		for _, q := range []string{`"espionage"`, `espionage*`, `^espionage`, `-espionage`, `(espionage)`} {
			if rows, err := s.Events(bg, Filter{Text: q}, 0, 0); err != nil || eventKeys(rows) != "USAGOV>CHNGOV:111" {
				t.Errorf("%s: %s %v; want the word searched for", q, eventKeys(rows), err)
			}
		}
		// Operators are words like the others: all must be in the sentence.
		for _, q := range []string{`NEAR(espionage beijing)`, `text:espionage`, `espionage NOT beijing`} {
			if rows, err := s.Events(bg, Filter{Text: q}, 0, 0); err != nil || len(rows) != 0 {
				t.Errorf("%s: %s %v; want no match", q, eventKeys(rows), err)
			}
		}
	})
}

func TestOpenAndMigrations(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		d := dsn(t)
		sep := "?"
		if strings.Contains(d, "?") {
			sep = "&"
		}
		s1, err := Open(bg, d+sep+"dedup_window=5")
		if err != nil {
			t.Fatal(err)
		}
		if s1.Window() != 5 {
			t.Errorf("window %d, want 5", s1.Window())
		}
		s1.Close()
		s2 := mustOpen(t, d) // opened again: nothing to migrate, the window kept
		if s2.Window() != 5 {
			t.Errorf("reopened: window %d, want 5", s2.Window())
		}
		ms, err := migrations(s2.Backend())
		if err != nil {
			t.Fatal(err)
		}
		v := dump(t, s2, `SELECT version, name FROM schema_version ORDER BY version`)
		if len(v) != len(ms) || len(ms) < 3 {
			t.Errorf("schema_version: %q, want %d migrations", v, len(ms))
		}
		for i := range min(len(v), len(ms)) {
			if want := fmt.Sprintf("%d\t%s", ms[i].version, ms[i].name); v[i] != want {
				t.Errorf("schema_version row %d: %q, want %q", i, v[i], want)
			}
		}
		if _, err := OpenWith(bg, d, Options{Window: 3}); err == nil || !strings.Contains(err.Error(), "dedup window is 5") {
			t.Errorf("a different window was accepted: %v", err)
		}
		if _, err := Open(bg, d+sep+"dedup_window=0"); err == nil {
			t.Error("dedup_window=0 was accepted")
		}
		st, _ := s2.Stats(bg)
		if st.SchemaVersion != len(ms) || st.Backend != s2.Backend() {
			t.Errorf("stats: %+v", st)
		}
	})
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := dir + "/notes.txt"
	writeFile(t, notDB, "just some text, not a database at all")
	for dsn, want := range map[string]string{
		"":                        "no database given",
		dir:                       "is a directory",
		notDB:                     "not a SQLite database",
		dir + "/missing/dyad.db":  "no such file or directory",
		":memory:":                "in-memory",
		"postgres://%zz":          "store",
		"file:" + dir + "/x.db?%": "query string",
	} {
		s, err := Open(bg, dsn)
		if err == nil {
			s.Close()
			t.Errorf("%q: opened", dsn)
			continue
		}
		if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v; want one line with %q", dsn, err, want)
		}
	}
	// A password never appears in an error.
	if _, err := Open(bg, "postgres://u:secret@127.0.0.1:1/db?connect_timeout=1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password: %v", err)
	}
}
