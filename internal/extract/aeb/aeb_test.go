package aeb

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/extract"
)

const benchDir = "../../../../shared/extraction/scrapinghub-aeb"

func loadBench(t testing.TB) *Bench {
	t.Helper()
	if _, err := os.Stat(benchDir); err != nil {
		t.Skipf("benchmark not present at %s: %v", benchDir, err)
	}
	b, err := Load(benchDir)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The published F1 of each reference tool, which the scorer must reproduce.
var publishedF1 = map[string]float64{
	"go_trafilatura": 0.960,
	"trafilatura":    0.958,
	"newspaper":      0.949,
	"readability_js": 0.947,
	"go_readability": 0.934,
	"readability":    0.922,
	"html-text":      0.665,
}

func TestReferenceFigures(t *testing.T) {
	b := loadBench(t)
	if len(b.Pages) != 181 {
		t.Fatalf("pages = %d, want 181", len(b.Pages))
	}
	refs, err := References(benchDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range refs {
		want, ok := publishedF1[r.Name]
		if !ok {
			continue
		}
		seen++
		s := b.Score(r.Bodies)
		t.Logf("%-15s P %.3f R %.3f F1 %.3f acc %.3f", r.Name, s.Precision, s.Recall, s.F1, s.Accuracy)
		if got := fmt.Sprintf("%.3f", s.F1); got != fmt.Sprintf("%.3f", want) {
			t.Errorf("%s: F1 %s, published %.3f", r.Name, got, want)
		}
	}
	if seen != len(publishedF1) {
		t.Errorf("found %d of %d reference outputs", seen, len(publishedF1))
	}
}

func extractBody(html []byte, url string) (string, error) {
	p, err := extract.Extract(html, url)
	return p.Text, err
}

// TestExtractF1 is the bar: dyad's extraction scores F1 >= 0.960
// on the benchmark, with no page failing.
func TestExtractF1(t *testing.T) {
	b := loadBench(t)
	run := b.Run(extractBody, 0)
	for _, f := range run.Failures() {
		t.Errorf("page %s failed: %v", f.ID, f.Err)
	}
	s := b.Score(run.Predictions())
	t.Logf("dyad: P %.4f R %.4f F1 %.4f accuracy %.3f over %d pages", s.Precision, s.Recall, s.F1, s.Accuracy, s.Pages)
	if s.F1 < 0.960 {
		t.Errorf("F1 %.4f < 0.960", s.F1)
	}
	// Deterministic: a second run gives the same bodies.
	again := b.Run(extractBody, 0)
	for i := range run.Results {
		if run.Results[i].Body != again.Results[i].Body {
			t.Errorf("page %s: output differs between runs", run.Results[i].ID)
		}
	}
}

func TestTokens(t *testing.T) {
	cases := map[string]string{
		"Hello, world!":       "Hello|world",
		"snake_case x2 ½ ²":   "snake_case|x2|½|²",
		"naïve café — Zürich": "naïve|café|Zürich",
		"日本語のテキスト":            "日本語のテキスト",
		"":                    "",
	}
	for in, want := range cases {
		if got := strings.Join(Tokens(in), "|"); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
	// A combining mark is not a word character in Python's \w.
	if got := strings.Join(Tokens("cafe\u0301s"), "|"); got != "cafe|s" {
		t.Errorf("combining mark: %q", got)
	}
	if got := strings.Join(Tokens("a\xffb"), "|"); got != "a|b" {
		t.Errorf("invalid byte: %q", got)
	}
}

func TestScorePage(t *testing.T) {
	truth := "one two three four five six"
	cases := []struct {
		pred       string
		tp, fp, fn float64
	}{
		{truth, 1, 0, 0},
		{"", 0, 0, 1},
		{"one two three four", 1.0 / 3, 0, 2.0 / 3},
		{truth + " seven", 3.0 / 4, 1.0 / 4, 0},
		{"zzz", 0, 1.0 / 4, 3.0 / 4},
	}
	for _, c := range cases {
		s := ScorePage(truth, c.pred)
		if !near(s.TP, c.tp) || !near(s.FP, c.fp) || !near(s.FN, c.fn) {
			t.Errorf("ScorePage(%q) = %+v, want tp %.3f fp %.3f fn %.3f", c.pred, s, c.tp, c.fp, c.fn)
		}
	}
	// Short texts are one shingle; repeats count as a multiset.
	if s := ScorePage("a b", "a b"); s.TP != 1 || !s.Exact {
		t.Errorf("short text: %+v", s)
	}
	if s := ScorePage("a b c d a b c d", "a b c d"); !near(s.TP, 1.0/5) || !near(s.FN, 4.0/5) {
		t.Errorf("multiset: %+v", s)
	}
	if s := ScorePage("", ""); s.TP != 0 || s.FP != 0 || s.FN != 0 || !s.Exact {
		t.Errorf("both empty: %+v", s)
	}
}

func TestAggregate(t *testing.T) {
	pages := []PageScore{
		{TP: 1, Exact: true}, // perfect
		{TP: 0.5, FP: 0.5},   // P 0.5, R 1
		{FN: 1},              // predicted nothing: no precision term, R 0
		{},                   // nothing on either side: neither term
	}
	s := Aggregate(pages)
	wantP, wantR := (1+0.5)/2, (1+1+0)/3.0
	if !near(s.Precision, wantP) || !near(s.Recall, wantR) || !near(s.F1, 2*wantP*wantR/(wantP+wantR)) || !near(s.Accuracy, 0.25) {
		t.Errorf("Aggregate = %+v", s)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "ground-truth.json") {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(dir+"/ground-truth.json", []byte(`{"../etc/passwd": {"articleBody": "x"}}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "not a hex digest") {
		t.Errorf("bad id: %v", err)
	}
	os.WriteFile(dir+"/ground-truth.json", []byte(`{"ab": {"articleBody": "x"}}`), 0o644)
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.HTML("ab"); err == nil || !strings.Contains(err.Error(), "ab.html.gz") {
		t.Errorf("missing page: %v", err)
	}
	os.MkdirAll(dir+"/html", 0o755)
	os.WriteFile(dir+"/html/ab.html.gz", []byte("not gzip"), 0o644)
	if _, err := b.HTML("ab"); err == nil || !strings.Contains(err.Error(), "ab.html.gz") {
		t.Errorf("bad gzip: %v", err)
	}
	run := b.Run(extractBody, 2)
	if len(run.Failures()) != 1 {
		t.Errorf("unloadable page not reported as a failure: %+v", run.Results)
	}
}

// writeBench lays out a two-page benchmark in a temporary folder.
func writeBench(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gt := `{"aa": {"articleBody": "one two three four five", "url": "https://example.com/a"},
	        "bb": {"articleBody": "six seven eight nine ten", "url": "https://example.com/b"}}`
	if err := os.WriteFile(dir+"/ground-truth.json", []byte(gt), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir+"/html", 0o755)
	for _, id := range []string{"aa", "bb"} {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte("<p>" + id + "</p>"))
		zw.Close()
		os.WriteFile(dir+"/html/"+id+".html.gz", buf.Bytes(), 0o644)
	}
	os.MkdirAll(dir+"/reference-outputs", 0o755)
	os.WriteFile(dir+"/reference-outputs/flat.json", []byte(`{"aa": {"articleBody": "one two three four five"}, "bb": {"articleBody": ""}}`), 0o644)
	os.WriteFile(dir+"/reference-outputs/wrapped.json", []byte(`{"version": "1", "output": {"aa": {"articleBody": "one two three four five"}, "bb": {"articleBody": "six seven eight nine ten"}}}`), 0o644)
	return dir
}

func TestReport(t *testing.T) {
	dir := writeBench(t)
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := References(dir)
	if err != nil {
		t.Fatal(err)
	}
	run := b.Run(func(html []byte, url string) (string, error) {
		if url == "https://example.com/b" {
			return "", errors.New("no article text found")
		}
		return "one two three four five", nil
	}, 0)
	rep := NewReport(b, "dyad", run, refs)
	var buf bytes.Buffer
	rep.WriteText(&buf)
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		"tool             precision  recall     F1 accuracy  pages",
		"dyad                 1.000   0.500  0.667    0.500      2",
		"wrapped              1.000   1.000  1.000    1.000      2",
		"flat                 1.000   0.500  0.667    0.500      2",
	}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Errorf("line %d = %q, want %q\n%s", i, lines[i], w, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "failures: 1\nfailed bb: no article text found\n") {
		t.Errorf("failures not listed:\n%s", buf.String())
	}
	js, err := json.Marshal(rep)
	if err != nil || !strings.Contains(string(js), `"failures":[{"id":"bb","error":"no article text found"}]`) {
		t.Errorf("JSON: %s %v", js, err)
	}
}

func TestGzipBomb(t *testing.T) {
	dir := writeBench(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zero := make([]byte, 1<<20)
	for i := 0; i <= extract.MaxBytes>>20; i++ {
		zw.Write(zero)
	}
	zw.Close()
	os.WriteFile(dir+"/html/aa.html.gz", buf.Bytes(), 0o644)
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.HTML("aa"); err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("err = %v", err)
	}
}
