package pipeline

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/model"
)

var (
	coderOnce sync.Once
	shared    *coder.Coder
	coderErr  error
)

func testPipeline(t *testing.T, ref string) *Pipeline {
	t.Helper()
	coderOnce.Do(func() { shared, coderErr = coder.Load(nil, nil) })
	if coderErr != nil {
		t.Fatal(coderErr)
	}
	return &Pipeline{Coder: shared, RefDate: ref}
}

// A wire story written for this test: dateline without a year, an ad marker
// left by a scraper, and a few sentences with events.
const story = `LONDON, May 4 (Dyad Wire) -- Britain condemned Russia on Thursday over the detention of two British aid workers.

Advertisement

The British foreign secretary urged Moscow to release the men, and France called on Russia to free them.

Iranian officials met Chinese diplomats in Beijing, the ministry said.
`

func TestProcessStory(t *testing.T) {
	p := testPipeline(t, "2023-06-10")
	r := p.Process(Article{Text: story})
	d := r.Doc

	if d.Dateline == nil || d.Dateline.Place != "LONDON" || d.Dateline.Agency != "Dyad Wire" {
		t.Fatalf("dateline = %+v", d.Dateline)
	}
	// month and day from the dateline, year from the reference date
	if d.Date != "2023-05-04" || d.Dateline.Date != "2023-05-04" {
		t.Errorf("doc date %q, dateline date %q, want 2023-05-04", d.Date, d.Dateline.Date)
	}
	if want := ContentID(story); d.ID != want {
		t.Errorf("ID = %q, want ContentID %q", d.ID, want)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(d.ID) {
		t.Errorf("ContentID %q is not 16 hex digits", d.ID)
	}
	if strings.Contains(d.Text, "Advertisement") || strings.Contains(d.Text, "Dyad Wire") {
		t.Errorf("boilerplate or dateline left in text: %q", d.Text)
	}
	if !strings.HasPrefix(d.Text, "Britain condemned Russia") || d.Text != r.Clean.Text {
		t.Errorf("doc text %q, clean text %q", d.Text, r.Clean.Text)
	}
	if len(r.Clean.Removed) == 0 {
		t.Error("nothing listed as removed")
	}

	if len(r.Events) < 3 {
		t.Fatalf("only %d events: %+v", len(r.Events), r.Events)
	}
	runes := []rune(d.Text)
	span := func(what string, start, end int, text string) {
		t.Helper()
		if start < 0 || end > len(runes) || start >= end {
			t.Errorf("%s: span [%d,%d) outside text of %d runes", what, start, end, len(runes))
			return
		}
		if got := string(runes[start:end]); got != text {
			t.Errorf("%s: text[%d:%d] = %q, event says %q", what, start, end, got, text)
		}
	}
	codes := map[string]bool{}
	for _, e := range r.Events {
		if e.DocID != d.ID {
			t.Errorf("event doc_id %q, want %q", e.DocID, d.ID)
		}
		if e.Date != d.Date {
			t.Errorf("event date %q, want %q", e.Date, d.Date)
		}
		span("trigger", e.Trigger.Start, e.Trigger.End, e.Trigger.Text)
		span("sentence", e.Sentence.Start, e.Sentence.End, e.Sentence.Text)
		if e.Trigger.Start < e.Sentence.Start || e.Trigger.End > e.Sentence.End {
			t.Errorf("trigger %+v outside its sentence %+v", e.Trigger, e.Sentence)
		}
		for _, a := range []*model.Actor{e.Source, e.Target} {
			if a != nil {
				span("actor "+a.Code, a.Start, a.End, a.Text)
			}
		}
		src, tgt := "-", "-"
		if e.Source != nil {
			src = e.Source.Code
		}
		if e.Target != nil {
			tgt = e.Target.Code
		}
		codes[src+">"+tgt+":"+e.CAMEORoot] = true
	}
	// the lead sentence is coded from the cleaned text, past the dateline
	for _, want := range []string{"GBR>RUS:11", "IRNGOV>CHNGOV:04"} {
		if !codes[want] {
			t.Errorf("no %s among %v", want, codes)
		}
	}
}

func TestProcessDeterministic(t *testing.T) {
	p := testPipeline(t, "2023-06-10")
	enc := func() []byte {
		r := p.Process(Article{Text: story, URL: "https://example.org/x"})
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		for _, v := range []any{r.Doc, r.Clean, r.Events} {
			if err := e.Encode(v); err != nil {
				t.Fatal(err)
			}
		}
		return b.Bytes()
	}
	first, second := enc(), enc()
	if !bytes.Equal(first, second) {
		t.Errorf("two runs differ:\n%s\n---\n%s", first, second)
	}
	if !bytes.Contains(first, []byte(`"event_id"`)) {
		t.Error("no events in output")
	}
}

func TestProcessDates(t *testing.T) {
	cases := []struct {
		name, ref, articleDate, text, want string
	}{
		// the article's own date beats the pipeline's fallback
		{"article date wins", "1999-01-01", "2023-06-10", story, "2023-05-04"},
		// a dateline after the reference date belongs to the year before
		{"year before", "2023-05-01", "", story, "2022-05-04"},
		// no dateline: the reference date is the document's date
		{"no dateline", "2024-02-02", "", "Egypt urged Israel to allow aid into Gaza.", "2024-02-02"},
		{"article date, no dateline", "2024-02-02", "2020-03-03", "Egypt urged Israel to allow aid into Gaza.", "2020-03-03"},
		// no reference at all: a yearless dateline gives no date
		{"no date", "", "", story, ""},
	}
	for _, c := range cases {
		r := testPipeline(t, c.ref).Process(Article{ID: "given", Text: c.text, Date: c.articleDate})
		if r.Doc.Date != c.want {
			t.Errorf("%s: date %q, want %q", c.name, r.Doc.Date, c.want)
		}
		if r.Doc.ID != "given" {
			t.Errorf("%s: given ID replaced by %q", c.name, r.Doc.ID)
		}
		for _, e := range r.Events {
			// "on Thursday" may move an event up to a week before the document
			if e.DocID != "given" || !withinWeekBefore(e.Date, c.want) {
				t.Errorf("%s: event doc %q date %q, document %q", c.name, e.DocID, e.Date, c.want)
			}
		}
	}
}

// withinWeekBefore reports whether event date d is doc date or up to seven
// days before it ("" only for an undated document).
func withinWeekBefore(d, doc string) bool {
	if doc == "" || d == "" {
		return d == doc
	}
	de, err1 := time.Parse(time.DateOnly, d)
	dd, err2 := time.Parse(time.DateOnly, doc)
	return err1 == nil && err2 == nil && !de.After(dd) && !de.Before(dd.AddDate(0, 0, -7))
}

func TestContentID(t *testing.T) {
	a, b := ContentID("one text"), ContentID("one text")
	if a != b || len(a) != 16 {
		t.Errorf("ContentID not stable: %q %q", a, b)
	}
	if ContentID("one text") == ContentID("one text.") {
		t.Error("different texts share an ID")
	}
}

func TestProcessEmpty(t *testing.T) {
	r := testPipeline(t, "").Process(Article{Text: ""})
	if len(r.Events) != 0 || r.Doc.Text != "" || r.Doc.ID != ContentID("") {
		t.Errorf("empty article: %+v", r)
	}
}
