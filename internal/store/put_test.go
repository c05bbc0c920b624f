package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

var bg = context.Background()

// rec builds a coded record; its events take the document's ID.
func rec(id, outlet, published string, evs ...model.Event) model.Record {
	for i := range evs {
		evs[i].DocID = id
		evs[i].EventID = id + "#" + itoa(i)
	}
	return model.Record{
		Document: model.Document{ID: id, URL: "https://" + outlet + "/" + id, Outlet: outlet, Published: published, Date: published,
			Text: "text of " + id, Lang: "eng"},
		Status: model.StatusCoded, Events: evs,
	}
}

func dupRec(id, outlet, published, of string) model.Record {
	r := rec(id, outlet, published)
	r.Status, r.DuplicateOf, r.Reason, r.Events = model.StatusDuplicate, of, "same text", []model.Event{}
	return r
}

func itoa(i int) string { return strconv.Itoa(i) }

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// ev builds an event: src and tgt are actor codes ("" for none).
func ev(src, tgt, cameo, date string, conf float64, sent int) model.Event {
	actor := func(c string) *model.Actor {
		if c == "" {
			return nil
		}
		return &model.Actor{Code: c, Country: c[:3], Sector: c[3:], Name: c + " name", Text: c + " text", Start: 0, End: 5}
	}
	quad, gold := 3, -2.0
	if cameo[:2] < "09" {
		quad, gold = 1, 3
	}
	return model.Event{Date: date, Source: actor(src), Target: actor(tgt), CAMEO: cameo, CAMEORoot: cameo[:2],
		CAMEOName: "name " + cameo, QuadClass: quad, Goldstein: gold, PLOVER: "ACCUSE", Trigger: model.Span{Text: "accused", Start: 10, End: 17},
		Sentence: model.Sentence{Index: sent, Text: src + " accused " + tgt + " of meddling in sentence " + itoa(sent), Start: 0, End: 40},
		Rule:     "test", Confidence: conf}
}

func mustPut(t *testing.T, s Store, recs ...model.Record) PutStats {
	t.Helper()
	st, err := s.Put(bg, recs)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPutIdempotent(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		recs := newGen(3).records(400, 0.1, 0.03)
		var total PutStats
		for i := 0; i < len(recs); i += 50 {
			total.Add(mustPut(t, s, recs[i:min(len(recs), i+50)]...))
		}
		if total.Documents != len(recs) || total.Known != 0 {
			t.Fatalf("first pass: %+v, want %d new documents", total, len(recs))
		}
		checkInvariants(t, s)
		before := snapshot(t, s)
		again := mustPut(t, s, recs...)
		if again.Known != len(recs) || again.Documents != 0 || again.Mentions != 0 || again.NewEvents != 0 {
			t.Errorf("re-ingesting added something: %+v", again)
		}
		diffSnapshots(t, "after re-ingest", before, snapshot(t, s))
		st, err := s.Stats(bg)
		if err != nil {
			t.Fatal(err)
		}
		if st.Documents != int64(len(recs)) || st.Mentions != int64(total.Mentions) || st.Events != int64(total.NewEvents) {
			t.Errorf("stats %+v disagree with puts %+v", st, total)
		}
	})
}

// The same records, in any order and any batches, give the same store.
func TestBatchBoundariesAndOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		recs := newGen(5).records(300, 0.15, 0.02)
		a := mustOpen(t, dsn(t))
		mustPut(t, a, recs...)
		checkInvariants(t, a)
		want := snapshot(t, a)
		rng := rand.New(rand.NewSource(9))
		for round := 0; round < 2; round++ {
			b := mustOpen(t, dsn(t))
			shuffled := append([]model.Record(nil), recs...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			for i := 0; i < len(shuffled); {
				n := 1 + rng.Intn(40)
				mustPut(t, b, shuffled[i:min(len(shuffled), i+n)]...)
				i += n
			}
			checkInvariants(t, b)
			diffSnapshots(t, "shuffled batches", want, snapshot(t, b))
		}
	})
}

// SQLite and PostgreSQL store the same thing.
func TestBackendsAgree(t *testing.T) {
	pg := pgDSNFor(t)
	recs := newGen(11).records(250, 0.1, 0.02)
	a, b := mustOpen(t, sqliteDSNFor(t)), mustOpen(t, pg)
	mustPut(t, a, recs...)
	mustPut(t, b, recs...)
	diffSnapshots(t, "sqlite vs postgres", snapshot(t, a), snapshot(t, b))
}

// events reads back the stored events by key, for assertions.
type evRow struct {
	key                         string
	date                        string
	mentions, sources, articles int
	bestDoc                     string
	bestSeq                     int
}

func readEvents(t *testing.T, s *sqlStore) map[string]evRow {
	t.Helper()
	out := map[string]evRow{}
	r, err := s.b.query(bg, `SELECT COALESCE(sa.code, ''), COALESCE(ta.code, ''), e.cameo, e.negated, e.bucket, e.date,
		e.num_mentions, e.num_sources, e.num_articles, d.id, e.best_seq
		FROM events e LEFT JOIN actors sa ON sa.id = e.src LEFT JOIN actors ta ON ta.id = e.tgt JOIN documents d ON d.num = e.best_num`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var src, tgt, cameo string
		var neg, bucket int
		var e evRow
		if err := r.Scan(&src, &tgt, &cameo, &neg, &bucket, &e.date, &e.mentions, &e.sources, &e.articles, &e.bestDoc, &e.bestSeq); err != nil {
			t.Fatal(err)
		}
		e.key = src + ">" + tgt + " " + cameo
		if neg != 0 {
			e.key += " not"
		}
		if _, dup := out[e.key]; dup {
			e.key += " " + e.date
		}
		out[e.key] = e
	}
	return out
}

func TestDedupRule(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		// 2021-03-23 is day 18709: with a 3-day window its bucket is
		// 18708..18710 (2021-03-22..24); 2021-03-25 starts the next.
		s := mustOpen(t, dsn(t))
		neg := ev("RUSGOV", "UKRGOV", "111", "2021-03-23", 0.5, 2)
		neg.Negated = true
		mustPut(t, s,
			rec("a", "one.example", "2021-03-23", ev("RUSGOV", "UKRGOV", "111", "2021-03-23", 0.5, 0), ev("RUSGOV", "UKRGOV", "111", "2021-03-23", 0.6, 1), neg),
			rec("b", "two.example", "2021-03-24", ev("RUSGOV", "UKRGOV", "111", "2021-03-22", 0.9, 0)),
			rec("c", "two.example", "2021-03-24", ev("RUSGOV", "UKRGOV", "111", "2021-03-25", 0.9, 0)),
			rec("d", "one.example", "2021-03-24", ev("RUSGOV", "UKRGOV", "112", "2021-03-23", 0.9, 0), ev("RUSGOV", "", "111", "2021-03-23", 0.9, 1)),
		)
		got := readEvents(t, s)
		if len(got) != 5 {
			t.Fatalf("%d events, want 5: %v", len(got), got)
		}
		main := got["RUSGOV>UKRGOV 111"]
		if main.date == "2021-03-25" {
			main = got["RUSGOV>UKRGOV 111 2021-03-22"]
		}
		if main.date != "2021-03-22" || main.mentions != 3 || main.articles != 2 || main.sources != 2 {
			t.Errorf("merged event: %+v, want date 2021-03-22, 3 mentions, 2 articles, 2 sources", main)
		}
		if main.bestDoc != "b" {
			t.Errorf("best evidence from %s, want b (highest confidence)", main.bestDoc)
		}
		if e := got["RUSGOV>UKRGOV 111 not"]; e.mentions != 1 {
			t.Errorf("negated report merged with the plain ones: %+v", e)
		}
		if e := got["RUSGOV> 111"]; e.mentions != 1 {
			t.Errorf("report without a target: %+v", e)
		}

		// A one-day window keeps adjacent days apart.
		one, err := OpenWith(bg, dsn(t), Options{Window: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer one.Close()
		mustPut(t, one, rec("a", "x.example", "2021-03-23", ev("USA", "CHN", "040", "2021-03-23", 0.5, 0)),
			rec("b", "y.example", "2021-03-24", ev("USA", "CHN", "040", "2021-03-24", 0.5, 0)))
		if n := len(readEvents(t, one.(*sqlStore))); n != 2 {
			t.Errorf("window 1: %d events, want 2", n)
		}
		checkInvariants(t, s)
	})
}

func TestBestEvidenceTies(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		// Equal confidence: the earlier publication wins, whatever the order.
		late := rec("late", "a.example", "2021-05-02", ev("USA", "IRN", "172", "2021-05-01", 0.7, 0))
		early := rec("early", "b.example", "2021-05-01", ev("USA", "IRN", "172", "2021-05-01", 0.7, 3))
		for _, order := range [][]model.Record{{late, early}, {early, late}} {
			s := mustOpen(t, dsn(t))
			mustPut(t, s, order[0])
			mustPut(t, s, order[1])
			e := readEvents(t, s)["USA>IRN 172"]
			if e.bestDoc != "early" || e.bestSeq != 0 {
				t.Errorf("order %s first: best evidence %s#%d, want early#0", order[0].Document.ID, e.bestDoc, e.bestSeq)
			}
			rows, err := s.Events(bg, Filter{}, 0, 0)
			if err != nil || len(rows) != 1 {
				t.Fatalf("events: %v %v", rows, err)
			}
			if rows[0].DocID != "early" || !strings.Contains(rows[0].Sentence, "sentence 3") {
				t.Errorf("evidence shown: %+v", rows[0])
			}
		}
	})
}

func TestSyndicatedCopies(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		orig := rec("orig", "wire.example", "2021-06-01", ev("ISR", "PSE", "190", "2021-06-01", 0.8, 0), ev("PSE", "ISR", "190", "2021-06-01", 0.8, 1))
		copyA := dupRec("copyA", "paper.example", "2021-06-01", "orig")
		copySame := dupRec("copySame", "wire.example", "2021-06-02", "orig")
		orphan := dupRec("orphan", "other.example", "2021-06-01", "never-stored")
		orders := map[string][][]model.Record{
			"original first":  {{orig}, {copyA, copySame, orphan}},
			"copies first":    {{copyA, orphan}, {copySame}, {orig}},
			"one batch":       {{copySame, orig, copyA, orphan}},
			"interleaved":     {{copyA}, {orig, orphan}, {copySame}},
			"and re-ingested": {{orig, copyA}, {copySame, orphan}, {orig, copyA, copySame, orphan}},
		}
		var want map[string][]string
		for name, batches := range orders {
			s := mustOpen(t, dsn(t))
			for _, b := range batches {
				mustPut(t, s, b...)
			}
			checkInvariants(t, s)
			for k, e := range readEvents(t, s) {
				// copySame shares the wire's outlet: 3 articles, 2 sources.
				if e.mentions != 3 || e.articles != 3 || e.sources != 2 {
					t.Errorf("%s: %s: %+v, want 3 mentions, 3 articles, 2 sources", name, k, e)
				}
			}
			snap := snapshot(t, s)
			if want == nil {
				want = snap
			} else {
				diffSnapshots(t, name, want, snap)
			}
			st, _ := s.Stats(bg)
			if st.ByStatus["duplicate"] != 3 || st.Mentions != 6 {
				t.Errorf("%s: stats %+v, want 3 duplicates and 6 mentions", name, st)
			}
		}
	})
}

func TestValidate(t *testing.T) {
	good := rec("g", "x.example", "2021-01-01", ev("USA", "CHN", "040", "2021-01-01", 0.5, 0))
	bad := func(f func(r *model.Record)) model.Record {
		r := rec("bad", "x.example", "2021-01-01", ev("USA", "CHN", "040", "2021-01-01", 0.5, 0))
		f(&r)
		return r
	}
	cases := map[string]model.Record{
		"has no id":               bad(func(r *model.Record) { r.Document.ID = " " }),
		`status "done"`:           bad(func(r *model.Record) { r.Status = "done" }),
		"must name the first":     bad(func(r *model.Record) { r.Status = model.StatusDuplicate }),
		"names the document itse": bad(func(r *model.Record) { r.Status, r.DuplicateOf = model.StatusDuplicate, "bad" }),
		"skipped document carrie": bad(func(r *model.Record) { r.Status = model.StatusSkipped }),
		`CAMEO code "4x"`:         bad(func(r *model.Record) { r.Events[0].CAMEO = "4x" }),
		`date "2021-13-01"`:       bad(func(r *model.Record) { r.Events[0].Date = "2021-13-01" }),
		"no date":                 bad(func(r *model.Record) { r.Events[0].Date, r.Document.Date, r.Document.Published = "", "", "" }),
		"Goldstein score NaN":     bad(func(r *model.Record) { r.Events[0].Goldstein = math.NaN() }),
		`doc_id "other"`:          bad(func(r *model.Record) { r.Events[0].DocID = "other" }),
		"sentence index -1":       bad(func(r *model.Record) { r.Events[0].Sentence.Index = -1 }),
		`published "yesterday"`:   bad(func(r *model.Record) { r.Document.Published = "yesterday" }),
		"does not begin":          bad(func(r *model.Record) { r.Events[0].CAMEORoot = "05" }),
	}
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		for want, r := range cases {
			_, err := s.Put(bg, []model.Record{good, r})
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("want a one-line error containing %q, got %v", want, err)
			}
		}
		if st, _ := s.Stats(bg); st.Documents != 0 {
			t.Errorf("a batch with a bad record stored %d documents", st.Documents)
		}
		// Text the databases cannot take is cleaned, not refused.
		odd := rec("odd\x00id", "x.example", "2021-01-01", ev("USA", "CHN", "040", "2021-01-01", 0.5, 0))
		odd.Document.Text = "bad \xff utf-8 and a \x00 NUL"
		odd.Events[0].Sentence.Text = "NUL\x00 in a sentence"
		mustPut(t, s, odd)
		if rows, err := s.Events(bg, Filter{Text: "sentence"}, 0, 0); err != nil || len(rows) != 1 || rows[0].DocID != "oddid" {
			t.Errorf("cleaned record: %+v %v", rows, err)
		}
	})
}

func TestFailures(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		t1 := mustTime("2024-01-01T10:00:00Z")
		t2 := mustTime("2024-01-02T10:00:00Z")
		fs := []Failure{{Source: "a.html", Status: "failed", Reason: "timeout", Time: t2}, {Source: "b.warc#3", Status: "skipped", Reason: "not English", Time: t1}}
		if n, err := s.PutFailures(bg, fs); err != nil || n != 2 {
			t.Fatalf("first: %d %v", n, err)
		}
		if n, err := s.PutFailures(bg, append(fs, Failure{Source: "a.html", Status: "failed", Reason: "timeout", Time: t1})); err != nil || n != 0 {
			t.Fatalf("replay: %d new, %v; want 0", n, err)
		}
		got := dump(t, s, `SELECT source, first_seen, last_seen FROM failures ORDER BY source`)
		if got[0] != "a.html\t2024-01-01T10:00:00Z\t2024-01-02T10:00:00Z" {
			t.Errorf("failure times: %q", got)
		}
		if _, err := s.PutFailures(bg, []Failure{{Reason: "x"}}); err == nil {
			t.Error("a failure without a source was accepted")
		}
	})
}

// Writers racing on the same records end where one writer would.
func TestConcurrentWriters(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		recs := newGen(21).records(240, 0.15, 0.02)
		ref := mustOpen(t, dsn(t))
		mustPut(t, ref, recs...)
		want := snapshot(t, ref)

		path := dsn(t)
		mustOpen(t, path) // create the schema once
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				s, err := Open(bg, path)
				if err != nil {
					errs <- err
					return
				}
				defer s.Close()
				rng := rand.New(rand.NewSource(int64(w)))
				mine := append([]model.Record(nil), recs...)
				rng.Shuffle(len(mine), func(i, j int) { mine[i], mine[j] = mine[j], mine[i] })
				for i := 0; i < len(mine); i += 20 {
					if _, err := s.Put(bg, mine[i:min(len(mine), i+20)]); err != nil {
						errs <- err
						return
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		s := mustOpen(t, path)
		checkInvariants(t, s)
		diffSnapshots(t, "4 concurrent writers", want, snapshot(t, s))
	})
}

// exportDump renders what ExportEvents and ExportMentions stream, less the
// storing times, which differ between stores.
func exportDump(t *testing.T, s *sqlStore, f Filter) (string, int, int) {
	t.Helper()
	var sb strings.Builder
	evs, ms := 0, 0
	err := ExportEvents(bg, s, f, func(e *ExportEvent) error {
		evs++
		fmt.Fprintf(&sb, "%d %s %v %d %d %d %v\n", e.ID, evText(e.Event), e.SourceURL, e.NumMentions, e.NumSources, e.NumArticles, e.DateAdded.IsZero())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = ExportMentions(bg, s, f, func(m *ExportMention) error {
		ms++
		fmt.Fprintf(&sb, "m %d %s %s %s %d %s\n", m.EventID, m.DocID, m.Outlet, m.DocDate, m.DocLen, evText(m.Event))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String(), evs, ms
}

// evText prints an event with what its pointers point to.
func evText(e model.Event) string {
	b, _ := json.Marshal(e)
	return string(b)
}

func TestExportStream(t *testing.T) {
	recs := newGen(13).records(400, 0.1, 0.02) // more events than one export page
	var dumps []string
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		mustPut(t, s, recs...)
		st, err := s.Stats(bg)
		if err != nil {
			t.Fatal(err)
		}
		d, evs, ms := exportDump(t, s, Filter{})
		if int64(evs) != st.Events || int64(ms) != st.Mentions || evs <= exportPage {
			t.Errorf("exported %d events, %d mentions; the store holds %d, %d", evs, ms, st.Events, st.Mentions)
		}
		if _, n, _ := exportDump(t, s, Filter{Root: "19"}); n == 0 || n >= evs {
			t.Errorf("root 19: %d of %d events", n, evs)
		}
		dumps = append(dumps, d)
	})
	if len(dumps) == 2 && dumps[0] != dumps[1] {
		t.Error("sqlite and postgres export different events")
	}
	if _, err := exportDump2(); err == nil {
		t.Error("a foreign Store was exported")
	}
}

type fakeStore struct{ Store }

func exportDump2() (int, error) {
	return 0, ExportEvents(bg, fakeStore{}, Filter{}, func(*ExportEvent) error { return nil })
}

// Actor locations survive the store: a syndicated copy's mention and the
// export both carry them.
func TestActorLocationsStored(t *testing.T) {
	recs := newGen(5).records(3, 0, 0)
	var ev *model.Event
	for i := range recs {
		for j := range recs[i].Events {
			if e := &recs[i].Events[j]; e.Source != nil && ev == nil {
				ev = e
			}
		}
	}
	if ev == nil {
		t.Fatal("generator gave no event with a source")
	}
	ev.Source.Location = &model.Location{Name: "Kharkiv", Country: "UKR", FIPS: "UP", Lat: 49.98, Lon: 36.25, Precision: "city", Reason: "of"}
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		mustPut(t, s, recs...)
		found := false
		err := ExportEvents(bg, s, Filter{}, func(x *ExportEvent) error {
			if x.Event.Source != nil && x.Event.Source.Location != nil && x.Event.Source.Location.Name == "Kharkiv" {
				found = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Error("the source actor's location did not come back from the store")
		}
	})
}

// The bulk path (rows read through the virtual table) stores exactly what
// binding every value stores: the same rows under the same ids.
func TestBulkMatchesBinding(t *testing.T) {
	if bulkErr != nil {
		t.Skipf("bulk rows unavailable: %v", bulkErr)
	}
	g := newGen(23)
	var batches [][]model.Record
	for i := 0; i < 5; i++ {
		batches = append(batches, g.records(80, 0.15, 0.03))
	}
	fails := []Failure{{Source: "a", Status: "failed", Reason: "timeout", Time: mustTime("2024-01-02T03:04:05Z")}}
	fill := func() map[string][]string {
		s := mustOpen(t, sqliteDSNFor(t))
		for _, b := range batches {
			mustPut(t, s, b...)
		}
		for range 2 {
			if _, err := s.PutFailures(bg, fails); err != nil {
				t.Fatal(err)
			}
		}
		checkInvariants(t, s)
		out := snapshot(t, s)
		// Row ids too: the same batches must number rows the same way.
		out["ids"] = dump(t, s, `SELECT 'e', id, `+evKey+` FROM events e UNION ALL SELECT 'd', num, id FROM documents
			UNION ALL SELECT 'm', doc_num, seq || '/' || event_id FROM mentions UNION ALL SELECT 'a', id, code FROM actors ORDER BY 1, 2, 3`)
		out["fts"] = dump(t, s, `SELECT rowid FROM sentence_fts WHERE sentence_fts MATCH 'minister' ORDER BY rowid`)
		return out
	}
	bulk := fill()
	saved := bulkErr
	bulkErr = errors.New("switched off by the test")
	bound := fill()
	bulkErr = saved
	if len(bulk["ids"]) == 0 || len(bulk["fts"]) == 0 {
		t.Fatal("nothing stored")
	}
	diffSnapshots(t, "bulk vs bound", bound, bulk)
}

func TestBulkSQL(t *testing.T) {
	q, err := bulkSQL("INSERT INTO t (a, b) VALUES ", " ON CONFLICT (a) DO NOTHING RETURNING a", 2)
	want := "INSERT OR FAIL INTO t (a, b) SELECT c0, c1 FROM temp.dyad_rows WHERE h = ? ON CONFLICT (a) DO NOTHING RETURNING a"
	if err != nil || q != want {
		t.Errorf("got %q, %v\nwant %q", q, err, want)
	}
	for _, c := range []struct {
		head string
		n    int
	}{
		{"INSERT INTO t (a) SELECT ", 1},  // not a VALUES insert
		{"UPDATE t SET a = 1 VALUES ", 1}, // not an insert
		{"INSERT INTO t (a) VALUES ", 0},  // no columns
		{"INSERT INTO t (a) VALUES ", 33}, // wider than the bulk table
		{"INSERT INTO t (a) VALUES", 1},   // no space: not the form multi is given
	} {
		if q, err := bulkSQL(c.head, "", c.n); err == nil {
			t.Errorf("%q with %d columns: rewritten as %q", c.head, c.n, q)
		}
	}
}
