package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/store"
)

const exportSeed = "../../../shared/seed/upi-2021-03-23-china-russia.txt"

// dyadExport runs the CLI in-process with export registered, whether or not
// the root command registers it already.
func dyadExport(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	if c, _, err := root.Find([]string{"export"}); err != nil || c == root {
		root.AddCommand(exportCmd())
	}
	var out, errb bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetIn(strings.NewReader(""))
	err := root.Execute()
	return out.String(), errb.String(), err
}

// seededStore ingests the seed story, and a syndicated copy of it, into a
// new SQLite store.
func seededStore(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(exportSeed)
	if err != nil {
		t.Skipf("seed story not present (%s): %v", exportSeed, err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, "seed.txt"), b, 0o644)
	os.WriteFile(filepath.Join(in, "story.txt"), []byte(story), 0o644)
	db := filepath.Join(dir, "dyad.db")
	if _, errs, err := dyad(t, "", "ingest", "--date", "2021-03-24", "--db", db, in); err != nil {
		t.Fatalf("ingest: %v: %s", err, errs)
	}
	return db
}

func readTSV(t *testing.T, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading tab-separated output: %v", err)
	}
	return recs
}

func TestExportGDELT(t *testing.T) {
	db := seededStore(t)
	// What the store holds, by GLOBALEVENTID.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	mentions := 0
	err = store.ExportEvents(context.Background(), st, store.Filter{}, func(e *store.ExportEvent) error {
		want[strconv.FormatInt(e.ID, 10)] = e.Event.CAMEO
		mentions += e.NumMentions
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the seed story gave no events")
	}

	out, errs, err := dyadExport(t, "export", "--db", db, "--format", "gdelt")
	if err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	rows := readTSV(t, out)
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d events", len(rows), len(want))
	}
	if !strings.Contains(errs, "export: "+strconv.Itoa(len(want))+" events as gdelt") {
		t.Errorf("summary: %q", errs)
	}
	zeros := 0
	for i, r := range rows {
		if len(r) != 61 {
			t.Fatalf("row %d: %d fields, want 61", i+1, len(r))
		}
		code, base, root := r[26], r[27], r[28]
		w, ok := want[r[0]]
		if !ok {
			t.Errorf("row %d: GLOBALEVENTID %q is not a stored event", i+1, r[0])
			continue
		}
		if code != w || base != w[:3] || root != w[:2] {
			t.Errorf("row %d: EventCode/Base/Root %q %q %q, want %q %q %q", i+1, code, base, root, w, w[:3], w[:2])
		}
		if strings.HasPrefix(code, "0") {
			zeros++
		}
		for _, c := range []int{31, 32, 33} {
			if n, err := strconv.Atoi(r[c]); err != nil || n < 1 {
				t.Errorf("row %d: column %d = %q, want an integer ≥ 1", i+1, c+1, r[c])
			}
		}
		if r[59] == "" || r[60] == "" {
			t.Errorf("row %d: DATEADDED %q SOURCEURL %q", i+1, r[59], r[60])
		}
	}
	stored := 0
	for _, c := range want {
		if strings.HasPrefix(c, "0") {
			stored++
		}
	}
	if zeros != stored {
		t.Errorf("%d codes with a leading zero written, %d stored", zeros, stored)
	}

	// A header, then the same rows.
	out2, _, err := dyadExport(t, "export", "--db", db, "--format", "gdelt", "--header")
	if err != nil {
		t.Fatal(err)
	}
	hrows := readTSV(t, out2)
	if len(hrows) != len(rows)+1 || hrows[0][0] != "GLOBALEVENTID" || len(hrows[0]) != 61 {
		t.Errorf("--header: %d rows, first %q", len(hrows), hrows[0][:2])
	}

	// Mentions: one row per report, 16 columns, each naming an exported event.
	out3, _, err := dyadExport(t, "export", "--db", db, "--format", "mentions")
	if err != nil {
		t.Fatal(err)
	}
	mrows := readTSV(t, out3)
	if len(mrows) != mentions {
		t.Errorf("%d mention rows, want %d (the events' NumMentions)", len(mrows), mentions)
	}
	for i, r := range mrows {
		if len(r) != 16 {
			t.Fatalf("mention row %d: %d fields, want 16", i+1, len(r))
		}
		if _, ok := want[r[0]]; !ok {
			t.Errorf("mention row %d: event %q was not exported", i+1, r[0])
		}
	}

	// A filter keeps only what it selects.
	var root string
	for _, c := range want {
		root = c[:2]
		break
	}
	out4, _, err := dyadExport(t, "export", "--db", db, "--root", root)
	if err != nil {
		t.Fatal(err)
	}
	frows := readTSV(t, out4)
	if len(frows) == 0 || len(frows) > len(rows) {
		t.Errorf("--root %s: %d rows of %d", root, len(frows), len(rows))
	}
	for _, r := range frows {
		if r[28] != root {
			t.Errorf("--root %s exported root %q", root, r[28])
		}
	}
}

func TestExportFormats(t *testing.T) {
	db := seededStore(t)
	dir := t.TempDir()
	for _, format := range []string{"plover", "csv", "geojson", "parquet"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(dir, "out."+format)
			if _, errs, err := dyadExport(t, "export", "--db", db, "--format", format, "-o", path); err != nil {
				t.Fatalf("%v: %s", err, errs)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			switch format {
			case "plover":
				sc := bufio.NewScanner(bytes.NewReader(b))
				sc.Buffer(nil, 1<<20)
				for sc.Scan() {
					var v map[string]any
					if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
						t.Fatalf("line %q: %v", sc.Text(), err)
					}
					if v["id"] == nil || v["event"] == nil {
						t.Errorf("record without id or event: %s", sc.Text())
					}
				}
			case "csv":
				recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(recs) < 2 {
					t.Errorf("csv: %d records, want a header and events", len(recs))
				}
			case "geojson":
				var v struct {
					Type     string            `json:"type"`
					Features []json.RawMessage `json:"features"`
				}
				if err := json.Unmarshal(b, &v); err != nil || v.Type != "FeatureCollection" {
					t.Errorf("geojson: %v, type %q", err, v.Type)
				}
			case "parquet":
				if len(b) < 12 || string(b[:4]) != "PAR1" || string(b[len(b)-4:]) != "PAR1" {
					t.Errorf("parquet: %d bytes without PAR1 magic at both ends", len(b))
				}
			}
		})
	}
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "empty.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--db", db, "--format", "xml"}, `--format "xml"`},
		{[]string{"export", "--db", db, "--dyad", "USA"}, `--dyad "USA"`},
		{[]string{"export", "--db", db, "--from", "yesterday"}, "yesterday"},
		{[]string{"export", "--db", db, "-o", filepath.Join(dir, "no", "such", "dir", "x.tsv")}, "-o "},
	} {
		_, _, err := dyadExport(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line naming %q", c.args[1:], err, c.want)
		}
	}
	// An empty store exports nothing, without error.
	out, _, err := dyadExport(t, "export", "--db", db)
	if err != nil || out != "" {
		t.Errorf("empty store: %q, %v", out, err)
	}
}
