package export

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
)

// seedEvents codes the seed story with the real pipeline and wraps its
// events as the store would, one mention each.
func seedEvents(t testing.TB) []Event {
	t.Helper()
	paths, _ := filepath.Glob("../../../shared/seed/*.txt")
	if len(paths) == 0 {
		t.Skip("seed story absent: ../../../shared/seed/*.txt")
	}
	c, err := coder.Load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.Pipeline{Coder: c, RefDate: "2021-03-24"}
	var evs []Event
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := p.Process(pipeline.Article{ID: filepath.Base(path), Text: string(b), URL: "https://www.upi.com/seed"})
		for _, ev := range r.Events {
			evs = append(evs, FromModel(int64(len(evs)+1), ev, added, "https://www.upi.com/seed"))
		}
	}
	if len(evs) == 0 {
		t.Fatal("the pipeline coded no events from the seed story")
	}
	return evs
}

func TestSeedStoryGDELT(t *testing.T) {
	evs := seedEvents(t)
	out, _ := writeAll(t, "gdelt", Options{}, evs)
	rows := parseTSV(t, out, true, 61) // FieldsPerRecord 61 checks every row
	if len(rows) != len(evs) {
		t.Fatalf("%d rows for %d events", len(rows), len(evs))
	}
	var codes, roots []string
	for _, r := range rows {
		codes = append(codes, col(t, r, "EventCode"))
		roots = append(roots, col(t, r, "EventRootCode"))
		if c := col(t, r, "EventCode"); c[:2] != col(t, r, "EventRootCode") || c[:3] != col(t, r, "EventBaseCode") {
			t.Errorf("code %s base %s root %s", c, col(t, r, "EventBaseCode"), col(t, r, "EventRootCode"))
		}
	}
	// The story's sanctions (163) and denunciations (111), and codes with a
	// leading zero, survive as strings.
	for _, want := range []string{"163", "111"} {
		if !slices.Contains(codes, want) {
			t.Errorf("EventCode %s missing from %v", want, codes)
		}
	}
	if !slices.ContainsFunc(roots, func(r string) bool { return len(r) == 2 && r[0] == '0' }) {
		t.Errorf("no root with a leading zero in %v", roots)
	}
	for _, r := range rows {
		if col(t, r, "EventCode") == "163" && col(t, r, "Actor2CountryCode") != "CHN" && col(t, r, "Actor2CountryCode") != "RUS" {
			t.Errorf("163 target country %q", col(t, r, "Actor2CountryCode"))
		}
	}
}

// TestSeedStoryAllFormats runs every writer over real coder output.
func TestSeedStoryAllFormats(t *testing.T) {
	evs := seedEvents(t)
	for _, format := range Formats() {
		out, _ := writeAll(t, format, Options{}, evs)
		if len(out) == 0 {
			t.Errorf("%s: empty output", format)
		}
		if format == "plover" {
			n := 0
			for _, e := range evs {
				if e.Event.PLOVER != "" {
					n++
				}
			}
			checkPLOVER(t, out, n)
		}
	}
	var buf bytes.Buffer
	w := NewMentions(&buf, Options{})
	for _, e := range evs {
		if err := w.Write(MentionFromModel(e.ID, e.Event, docOf(e), e.DateAdded, e.DateAdded)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if rows := parseTSV(t, buf.Bytes(), false, 16); len(rows) != len(evs) {
		t.Fatalf("%d mention rows for %d events", len(rows), len(evs))
	}
}

func docOf(e Event) model.Document {
	return model.Document{ID: e.Event.DocID, URL: e.SourceURL, Outlet: "upi.com", Text: e.Event.Sentence.Text}
}
