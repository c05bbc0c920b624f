package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dyad runs the CLI in-process and returns stdout, stderr and the error.
func dyad(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetIn(strings.NewReader(stdin))
	err := root.Execute()
	return out.String(), errb.String(), err
}

const story = "WASHINGTON, May 4 (Dyad Wire) -- The United States imposed sanctions on Iranian officials on Tuesday.\n\n" +
	"Iran condemned the sanctions and accused Washington of economic terrorism.\n"

func TestCodeBadInputsKeepGoing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	empty := filepath.Join(dir, "empty.txt")
	binary := filepath.Join(dir, "binary.bin")
	badutf := filepath.Join(dir, "latin1.txt")
	big := filepath.Join(dir, "big.txt")
	jsonl := filepath.Join(dir, "batch.jsonl")
	write := func(p string, b []byte) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(good, []byte(story))
	write(empty, nil)
	write(binary, []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 3})
	write(badutf, []byte("Russia condemned the attack on Ukraine \xe9\xe8 on Monday.\n"))
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("Russia condemned Ukraine. "), 40000)
	for n := 0; n < 50<<20; n += len(chunk) {
		f.Write(chunk)
	}
	f.Close()
	write(jsonl, []byte(`{"id":"a1","text":"Japan praised South Korea for its restraint.","date":"2024-06-14"}
{"id":"a2","text": broken
{"id":"a3","text":"Iran accused Israel of attacking its embassy.","date":"2024-04-02"}
`))
	out, errs, err := dyad(t, "", "code", "--date", "2021-05-05", good, empty, binary, filepath.Join(dir, "missing.txt"), badutf, big, jsonl, dir)
	if err == nil {
		t.Error("want a failing exit status when inputs fail")
	}
	for _, want := range []string{
		empty + ": empty",
		binary + ": binary",
		"missing.txt: no such file or directory",
		badutf + ": invalid UTF-8",
		big + ": larger than",
		jsonl + ":2: malformed JSON",
		dir + ": is a directory",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(errs), "\n") {
		if !strings.HasPrefix(line, "dyad: ") {
			t.Errorf("error not on one line of its own: %q", line)
		}
	}
	docs := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev struct {
			DocID string `json:"doc_id"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("bad output line %q: %v", line, err)
		}
		docs[ev.DocID] = true
	}
	for _, want := range []string{good, badutf, "a1", "a3"} {
		if !docs[want] {
			t.Errorf("no events for %s; the good inputs must still be coded (got %v)", want, docs)
		}
	}
}

func TestCodeIsDeterministic(t *testing.T) {
	a, _, err := dyad(t, story, "code", "--date", "2021-05-05", "--workers", "1")
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := dyad(t, story, "code", "--date", "2021-05-05", "--workers", "2")
	if a != b || a == "" {
		t.Errorf("output differs between runs or is empty:\n%s\n---\n%s", a, b)
	}
}

func TestCodeTSV(t *testing.T) {
	out, _, err := dyad(t, story, "code", "--format", "tsv", "--date", "2021-05-05")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("want a header and rows, got %q", out)
	}
	n := len(strings.Split(lines[0], "\t"))
	for _, l := range lines[1:] {
		if got := len(strings.Split(l, "\t")); got != n {
			t.Errorf("row has %d columns, header %d: %q", got, n, l)
		}
	}
}

func TestCleanJSON(t *testing.T) {
	in := "Advertisement\n\nIran rejects sanctions\n\nTEHRAN, May 4 (Dyad Wire) -- Iran rejected new sanctions on Tuesday.\n\nAdvertisement\n\nLatest Headlines\n"
	out, _, err := dyad(t, in, "clean", "--json", "--date", "2021-05-05", "-")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Title    string
		Dateline struct{ Place, Date, Agency string }
		Text     string
		Removed  []struct{ Text string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Dateline.Place != "TEHRAN" || r.Dateline.Date != "2021-05-04" || r.Title != "Iran rejects sanctions" {
		t.Errorf("got title %q dateline %+v", r.Title, r.Dateline)
	}
	if strings.Contains(r.Text, "Advertisement") || strings.Contains(r.Text, "Latest Headlines") {
		t.Errorf("boilerplate left in %q", r.Text)
	}
}

func TestBadFlags(t *testing.T) {
	if _, _, err := dyad(t, "", "code", "--date", "yesterday"); err == nil || !strings.Contains(err.Error(), "--date") {
		t.Errorf("bad --date: %v", err)
	}
	if _, _, err := dyad(t, "", "code", "--format", "xml"); err == nil {
		t.Error("bad --format accepted")
	}
}

func TestUserDictionaries(t *testing.T) {
	dir := t.TempDir()
	actors := filepath.Join(dir, "actors.tsv")
	verbs := filepath.Join(dir, "verbs.txt")
	os.WriteFile(actors, []byte("FRD\tFreedonia|Freedonian Republic\nSylvia Marx|Sylvia Q. Marx\tFRDGOV\t2020-01-01\t\tPresident\n"), 0o644)
	os.WriteFile(verbs, []byte("051\t{salute} $T\n"), 0o644)
	text := "Sylvia Marx saluted Japan on Monday.\n"
	out, errs, err := dyad(t, text, "code", "--date", "2021-05-05", "--actors", actors, "--patterns", verbs)
	if err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	if !strings.Contains(out, `"code":"FRDGOV"`) || !strings.Contains(out, `"cameo":"051"`) || !strings.Contains(out, `"code":"JPN"`) {
		t.Errorf("user actor or pattern not used:\n%s", out)
	}
	os.WriteFile(verbs, []byte("999\t{salute} $T\n"), 0o644)
	if _, _, err := dyad(t, text, "code", "--patterns", verbs); err == nil || !strings.Contains(err.Error(), "verbs.txt:1") {
		t.Errorf("bad pattern file: err = %v, want one naming verbs.txt:1", err)
	}
}
