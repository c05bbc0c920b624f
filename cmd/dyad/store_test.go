package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
	"github.com/jackc/pgx/v5"
)

func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// `dyad code` output goes into the store and comes back out of `dyad query`.
func TestStoreImportCodedEvents(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dyad.db")
	story1 := writeTemp(t, dir, "story1.txt", story)
	story2 := writeTemp(t, dir, "story2.txt", "TEHRAN, May 5 (Dyad Wire) -- Iran condemned the sanctions on Wednesday.\n")
	events, errs, err := dyad(t, "", "code", "--date", "2021-05-05", story1, story2)
	if err != nil {
		t.Fatalf("code: %v\n%s", err, errs)
	}
	if strings.Count(events, "\n") < 2 {
		t.Fatalf("the stories gave too few events to test with:\n%s", events)
	}
	evFile := writeTemp(t, dir, "events.jsonl", events)

	out, errs, err := dyad(t, "", "store", "import", "--db", db, evFile)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errs)
	}
	n := strings.Count(events, "\n")
	if !strings.Contains(out, "imported 2 documents") || !strings.Contains(out, " "+strconv.Itoa(n)+" mentions") {
		t.Errorf("import summary: %s (want 2 documents, %d mentions)", out, n)
	}
	out, _, err = dyad(t, "", "store", "import", "--db", db, evFile)
	if err != nil || !strings.Contains(out, "imported 0 documents (2 already stored") || !strings.Contains(out, " 0 mentions") {
		t.Errorf("re-import added something: %s %v", out, err)
	}

	out, _, err = dyad(t, "", "store", "stats", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Documents, Mentions int
		Backend             string
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Documents != 2 || st.Mentions != n || st.Backend != "sqlite" {
		t.Errorf("stats: %s %v", out, err)
	}

	// Every view in every format.
	for _, view := range []string{"events", "series", "roots", "quads", "actors", "dyads"} {
		for _, format := range []string{"table", "csv", "json"} {
			out, errs, err := dyad(t, "", "query", view, "--db", db, "--format", format)
			if err != nil {
				t.Errorf("query %s --format %s: %v %s", view, format, err, errs)
				continue
			}
			switch format {
			case "json":
				var v []map[string]any
				if err := json.Unmarshal([]byte(out), &v); err != nil || len(v) == 0 {
					t.Errorf("query %s json: %v\n%s", view, err, out)
				}
			case "csv":
				recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil || len(recs) < 2 {
					t.Errorf("query %s csv: %v\n%s", view, err, out)
				}
			case "table":
				lines := strings.Split(strings.TrimSpace(out), "\n")
				if len(lines) < 2 || lines[0] != strings.ToUpper(lines[0]) {
					t.Errorf("query %s table:\n%s", view, out)
				}
			}
		}
	}
	out, _, err = dyad(t, "", "query", "--db", db, "--actor", "IRN", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var evs []struct{ Source, Target string }
	json.Unmarshal([]byte(out), &evs)
	if len(evs) == 0 {
		t.Errorf("no events with IRN: %s", out)
	}
	for _, e := range evs {
		if !strings.HasPrefix(e.Source, "IRN") && !strings.HasPrefix(e.Target, "IRN") {
			t.Errorf("--actor IRN listed %+v", e)
		}
	}
	out, _, _ = dyad(t, "", "query", "--db", db, "--text", "terrorism", "--format", "csv")
	if strings.Count(out, "\n") < 2 || !strings.Contains(out, "terrorism") {
		t.Errorf("--text terrorism:\n%s", out)
	}
}

// The ingest stream's records (duplicates and skipped pages included) and
// its failure reports import too; bad lines are reported one per line and
// the good ones still go in.
func TestStoreImportIngestStream(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dyad.db")
	ev := func(doc, src, tgt string) model.Event {
		return model.Event{DocID: doc, Date: "2024-04-02", Source: &model.Actor{Code: src}, Target: &model.Actor{Code: tgt},
			CAMEO: "112", CAMEORoot: "11", QuadClass: 3, Goldstein: -2, Confidence: 0.8,
			Sentence: model.Sentence{Index: 0, Text: src + " accused " + tgt + " of attacking its embassy."}}
	}
	recs := []model.Record{
		{Document: model.Document{ID: "a", Outlet: "wire.example", Published: "2024-04-02", Text: "..."}, Status: "coded",
			Events: []model.Event{ev("a", "IRN", "ISR")}},
		{Document: model.Document{ID: "b", Outlet: "paper.example", Published: "2024-04-02"}, Status: "duplicate", DuplicateOf: "a", Events: []model.Event{}},
		{Document: model.Document{ID: "c", Outlet: "x.example"}, Status: "skipped", Reason: "not English", Events: []model.Event{}},
	}
	var sb strings.Builder
	for _, r := range recs {
		b, _ := json.Marshal(r)
		sb.Write(b)
		sb.WriteByte('\n')
	}
	sb.WriteString(`{"source":"https://x.example/broken","status":"failed","reason":"HTTP 500","time":"2024-04-02T10:00:00Z"}` + "\n")
	sb.WriteString(`{"document": {"id": "d"}, "status": "done"}` + "\n")
	sb.WriteString(`not json at all` + "\n")
	sb.WriteString(`{"hello": "world"}` + "\n")
	stream := writeTemp(t, dir, "stream.jsonl", sb.String())
	out, errs, err := dyad(t, "", "store", "import", "--db", db, stream, filepath.Join(dir, "missing.jsonl"))
	if err == nil {
		t.Error("want a failing exit status for the bad lines")
	}
	for _, want := range []string{
		stream + `:5: document "d": status "done"`,
		stream + ":6: malformed JSON",
		stream + ":7: neither an ingest record",
		"missing.jsonl: no such file or directory",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		if !strings.HasPrefix(l, "dyad: ") {
			t.Errorf("error not on a line of its own: %q", l)
		}
	}
	if !strings.Contains(out, "imported 3 documents (0 already stored, 1 duplicates, 1 skipped), 2 mentions, 1 new events, 1 failures") {
		t.Errorf("summary: %s", out)
	}
	out, _, _ = dyad(t, "", "query", "--db", db, "--format", "json")
	var evs []struct {
		NumSources  int `json:"num_sources"`
		NumArticles int `json:"num_articles"`
	}
	if json.Unmarshal([]byte(out), &evs); len(evs) != 1 || evs[0].NumSources != 2 || evs[0].NumArticles != 2 {
		t.Errorf("the syndicated copy is not counted: %s", out)
	}
}

func TestStoreImportEventsApart(t *testing.T) {
	dir := t.TempDir()
	line := func(doc, src string) string {
		return `{"doc_id":"` + doc + `","date":"2024-01-01","source":{"code":"` + src + `"},"target":null,"cameo":"010","cameo_root":"01","sentence":{"index":0,"text":"x"}}` + "\n"
	}
	f := writeTemp(t, dir, "apart.jsonl", line("a", "USA")+line("b", "CHN")+line("a", "RUS"))
	out, errs, err := dyad(t, "", "store", "import", "--db", filepath.Join(dir, "d.db"), f)
	if err == nil || !strings.Contains(errs, f+`:3: events of document "a" are not on consecutive lines`) {
		t.Errorf("want an error for doc a's stray event: %v\n%s", err, errs)
	}
	if !strings.Contains(out, "imported 2 documents") {
		t.Errorf("summary: %s", out)
	}
}

func TestStoreCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dyad.db")
	t.Setenv("DYAD_DB", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"query"}, "no store given"},
		{[]string{"store", "stats"}, "no store given"},
		{[]string{"query", "--db", db, "--format", "xml"}, `--format "xml"`},
		{[]string{"query", "everything", "--db", db}, `query "everything"`},
		{[]string{"query", "series", "--db", db, "--interval", "fortnight"}, "--interval"},
		{[]string{"query", "--db", db, "--dyad", "USA"}, `--dyad "USA"`},
		{[]string{"query", "--db", db, "--from", "March"}, `filter from "March"`},
		{[]string{"query", "--db", db, "--quad", "7"}, "filter quad class 7"},
		{[]string{"query", "--db", db, "--text", "%%"}, "no words"},
		{[]string{"store", "import", "--db", db, "--batch", "0", "x"}, "--batch 0"},
		{[]string{"store", "stats", "--db", dir}, "is a directory"},
	} {
		_, _, err := dyad(t, "", c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v; want one line with %q", c.args, err, c.want)
		}
	}
	// $DYAD_DB stands in for --db.
	t.Setenv("DYAD_DB", db)
	if _, _, err := dyad(t, "", "store", "stats"); err != nil {
		t.Errorf("DYAD_DB: %v", err)
	}
}

// The store also runs on PostgreSQL when one is given.
func TestStorePostgres(t *testing.T) {
	base := os.Getenv("DYAD_TEST_POSTGRES")
	if base == "" {
		t.Skip("DYAD_TEST_POSTGRES is not set: PostgreSQL half skipped (scripts/pgtest start gives a server)")
	}
	// A schema of its own keeps the test apart from others on the server.
	ctx := context.Background()
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	schema := fmt.Sprintf("dyadcmd_%d", time.Now().UnixNano())
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()

	dir := t.TempDir()
	events, _, err := dyad(t, "", "code", "--date", "2021-05-05", writeTemp(t, dir, "story1.txt", story))
	if err != nil {
		t.Fatal(err)
	}
	out, errs, err := dyad(t, "", "store", "import", "--db", dsn, writeTemp(t, dir, "e.jsonl", events))
	if err != nil || !strings.Contains(out, "imported 1 documents") {
		t.Fatalf("import: %v %s\n%s", err, errs, out)
	}
	if out, _, err := dyad(t, "", "query", "actors", "--db", dsn); err != nil || !strings.Contains(out, "USA") {
		t.Errorf("query on postgres: %v\n%s", err, out)
	}
	if out, _, err := dyad(t, "", "store", "stats", "--db", dsn); err != nil || !strings.Contains(out, "postgres") {
		t.Errorf("stats on postgres: %v\n%s", err, out)
	}
}
