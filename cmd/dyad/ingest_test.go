package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	os.WriteFile(filepath.Join(in, "story.txt"), []byte(story), 0o644)
	os.WriteFile(filepath.Join(in, "page.html"), []byte("<html><body><nav>Home | World</nav><article><h1>Iran condemns sanctions</h1><p>"+
		strings.ReplaceAll(story, "\n\n", "</p><p>")+"</p></article></body></html>"), 0o644)
	os.WriteFile(filepath.Join(in, "bad.bin"), []byte{0, 1, 2}, 0o644)
	out := filepath.Join(dir, "out.jsonl")
	report := filepath.Join(dir, "report.jsonl")

	_, errs, err := dyad(t, "", "ingest", "--date", "2021-05-05", "--out", out, "--report", report, in)
	if err == nil {
		t.Error("a failed source must give a failing exit status")
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "bad.bin") || !strings.HasPrefix(lines[1], "dyad ingest: 2 documents (2 coded, 0 duplicates") {
		t.Errorf("stderr: %q", errs)
	}
	recs := readRecords(t, out)
	if len(recs) != 2 || recs[0].Status != model.StatusCoded || recs[0].Document.Title != "Iran condemns sanctions" || len(recs[0].Events) == 0 || recs[1].Status != model.StatusCoded || len(recs[1].Events) == 0 {
		t.Errorf("records: %d %+v", len(recs), recs)
	}
	rep, _ := os.ReadFile(report)
	var f struct{ Source, Status, Reason string }
	if err := json.Unmarshal(bytes.TrimSpace(rep), &f); err != nil || !strings.HasSuffix(f.Source, "bad.bin") || f.Status != "failed" {
		t.Errorf("report %q: %v", rep, err)
	}

	before, _ := os.ReadFile(out)
	_, errs, _ = dyad(t, "", "ingest", "--date", "2021-05-05", "--out", out, in)
	after, _ := os.ReadFile(out)
	if !bytes.Equal(before, after) || !strings.Contains(errs, "0 documents") || !strings.Contains(errs, "2 unchanged") {
		t.Errorf("re-run changed the output or reported new documents: %q", errs)
	}
}

func readRecords(t *testing.T, path string) []model.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []model.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r model.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, r)
	}
	return out
}

// dyad ingest --db writes into the store; running it again adds nothing.
func TestIngestIntoStore(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	os.WriteFile(filepath.Join(in, "story.txt"), []byte(story), 0o644)
	os.WriteFile(filepath.Join(in, "copy.txt"), []byte("Reprinted\n\n"+story), 0o644)
	db := filepath.Join(dir, "dyad.db")
	_, errs, err := dyad(t, "", "ingest", "--date", "2021-05-05", "--db", db, in)
	if err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	if !strings.Contains(errs, "store sqlite: 2 new documents") {
		t.Errorf("first run: %q", errs)
	}
	out1, _, err := dyad(t, "", "store", "stats", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	_, errs, err = dyad(t, "", "ingest", "--date", "2021-05-05", "--db", db, in)
	if err != nil || !strings.Contains(errs, "store sqlite: 0 new documents, 2 already stored, 0 mentions, 0 new events") {
		t.Errorf("second run: %v %q", err, errs)
	}
	out2, _, _ := dyad(t, "", "store", "stats", "--db", db, "--format", "json")
	if out1 != out2 || !strings.Contains(out1, `"events"`) {
		t.Errorf("stats changed on re-run:\n%s\n%s", out1, out2)
	}
}
