// Package aeb loads the ScrapingHub article-extraction benchmark (a folder
// with ground-truth.json, html/<id>.html.gz and reference-outputs/*.json) and
// scores article bodies against it with the benchmark's own metric: `\w+`
// tokens, 4-token shingle multisets, per-page precision and recall averaged
// over pages, and F1 of the two means.
package aeb

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dyadproject/dyad/internal/extract"
)

// maxJSON bounds the benchmark's JSON files (the largest is under 2 MB).
const maxJSON = 64 << 20

// Page is one benchmark page's ground truth.
type Page struct {
	ID   string // sha256 hex, the stem of html/<id>.html.gz
	URL  string
	Body string // the true article body
}

// Bench is a loaded benchmark.
type Bench struct {
	Dir   string
	Pages []Page // ordered by ID
}

// Reference is one reference tool's published output.
type Reference struct {
	Name   string            // file stem, e.g. "go_trafilatura"
	Bodies map[string]string // page ID -> article body
}

type article struct {
	ArticleBody string `json:"articleBody"`
	URL         string `json:"url"`
}

// Load reads dir/ground-truth.json.
func Load(dir string) (*Bench, error) {
	path := filepath.Join(dir, "ground-truth.json")
	raw, err := readFile(path, maxJSON)
	if err != nil {
		return nil, err
	}
	var gt map[string]article
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(gt) == 0 {
		return nil, fmt.Errorf("%s: no pages", path)
	}
	b := &Bench{Dir: dir}
	for id, a := range gt {
		if !validID(id) {
			return nil, fmt.Errorf("%s: page id %q is not a hex digest", path, id)
		}
		b.Pages = append(b.Pages, Page{ID: id, URL: a.URL, Body: a.ArticleBody})
	}
	sort.Slice(b.Pages, func(i, j int) bool { return b.Pages[i].ID < b.Pages[j].ID })
	return b, nil
}

// validID keeps page ids to lowercase hex so they cannot name other paths.
func validID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// HTML returns the page's HTML, gunzipped; more than extract.MaxBytes of
// it is refused, so a gzip bomb cannot exhaust memory.
func (b *Bench) HTML(id string) ([]byte, error) {
	if !validID(id) {
		return nil, fmt.Errorf("page id %q is not a hex digest", id)
	}
	path := filepath.Join(b.Dir, "html", id+".html.gz")
	gz, err := readFile(path, extract.MaxBytes)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	out, err := extract.ReadBounded(zr, extract.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return out, nil
}

// References reads every dir/reference-outputs/*.json, ordered by name. Both
// layouts the benchmark uses are accepted: {id: {"articleBody": ...}} and
// {"version": ..., "output": {id: {...}}}.
func References(dir string) ([]Reference, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "reference-outputs", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var refs []Reference
	for _, p := range paths {
		r, err := LoadReference(p)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	return refs, nil
}

// LoadReference reads one reference tool's output file.
func LoadReference(path string) (Reference, error) {
	raw, err := readFile(path, maxJSON)
	if err != nil {
		return Reference{}, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return Reference{}, fmt.Errorf("%s: %v", path, err)
	}
	if out, ok := top["output"]; ok {
		raw = out
	}
	var arts map[string]article
	if err := json.Unmarshal(raw, &arts); err != nil {
		return Reference{}, fmt.Errorf("%s: %v", path, err)
	}
	ref := Reference{
		Name:   strings.TrimSuffix(filepath.Base(path), ".json"),
		Bodies: make(map[string]string, len(arts)),
	}
	for id, a := range arts {
		ref.Bodies[id] = a.ArticleBody
	}
	return ref, nil
}

// ScorePages scores predictions (page ID -> body) page by page, in the
// order of b.Pages; a page without a prediction counts as an empty one.
func (b *Bench) ScorePages(pred map[string]string) []PageScore {
	out := make([]PageScore, len(b.Pages))
	for i, p := range b.Pages {
		out[i] = ScorePage(p.Body, pred[p.ID])
	}
	return out
}

// Score scores predictions over the whole benchmark.
func (b *Bench) Score(pred map[string]string) Scores {
	return Aggregate(b.ScorePages(pred))
}

func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := extract.ReadBounded(f, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return b, nil
}
