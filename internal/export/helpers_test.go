package export

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

var added = time.Date(2021, 3, 24, 9, 15, 30, 0, time.UTC)

// sample returns a varied, valid event: i picks codes, actors and location.
func sample(i int) Event {
	codes := []struct {
		code, name, plover, mode string
		quad                     int
		gold                     float64
	}{
		{"0231", "Appeal for economic aid", "REQUEST", "assist", 1, 3.4},
		{"163", "Impose embargo, boycott, or sanctions", "SANCTION", "discontinue", 4, -8},
		{"111", "Criticize or denounce", "ACCUSE", "disapprove", 3, -2},
		{"013", "Make optimistic comment", "", "", 1, 0.4},
		{"042", "Make a visit", "CONSULT", "visit", 1, 1.9},
	}
	actors := []*model.Actor{
		{Code: "CHNGOV", Country: "CHN", Sector: "GOV", Name: "Wang Yi", Text: "Chinese counterpart Wang Yi", Start: 120, End: 147},
		{Code: "USA", Country: "USA", Name: "United States", Text: "United States", Start: 340, End: 353},
		{Code: "IGOEUREEC", Country: "IGO", Sector: "EUREEC", Name: "European Union", Text: "European Union", Start: 362, End: 376},
		{Code: "RUSGOVMIL", Country: "RUS", Sector: "GOVMIL", Name: "Russian military", Text: "Russian troops", Start: 10, End: 24},
		nil,
	}
	locs := []*model.Location{
		{Name: "Guilin", Country: "CHN", FIPS: "CH", ADM1: "16", Lat: 25.2736, Lon: 110.29, Precision: "city"},
		nil,
		{Name: "United States", Country: "USA", FIPS: "US", Lat: 39.828175, Lon: -98.5795, Precision: "country"},
		{Name: "Texas", Country: "USA", FIPS: "US", ADM1: "TX", Lat: 31.106, Lon: -97.6475, Precision: "adm1"},
	}
	c := codes[i%len(codes)]
	ev := model.Event{
		DocID: fmt.Sprintf("doc-%d", i/3), EventID: fmt.Sprintf("%016x", i*7919),
		Date:   time.Date(2021, 3, 23, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(i % 40)).Format(time.DateOnly),
		Source: actors[i%4], Target: actors[(i+1)%5],
		CAMEO: c.code, CAMEORoot: c.code[:2], CAMEOName: c.name, QuadClass: c.quad, Goldstein: c.gold,
		PLOVER: c.plover, PLOVERMode: c.mode,
		Trigger:    model.Span{Text: "sanctioned", Start: 767, End: 777},
		Sentence:   model.Sentence{Index: i % 6, Text: "That came a day after the United States, the European Union, Britain and Canada sanctioned Chinese officials.", Start: 687, End: 833},
		Rule:       "verbs.txt:2224 {sanction} $T",
		Confidence: 0.75,
		Location:   locs[i%len(locs)],
	}
	e := FromModel(int64(1000+i), ev, added.Add(time.Duration(i)*time.Second), fmt.Sprintf("https://www.upi.com/story-%d.html?a=1&b=2", i/3))
	e.NumMentions, e.NumSources, e.NumArticles = 1+i%5, 1+i%3, 1+i%4
	return e
}

func samples(n int) []Event {
	out := make([]Event, n)
	for i := range out {
		out[i] = sample(i)
	}
	return out
}

// writeAll writes events with the named format and returns the bytes.
func writeAll(t testing.TB, format string, opt Options, evs []Event) ([]byte, Writer) {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatalf("%s: write %d: %v", format, e.ID, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("%s: close: %v", format, err)
	}
	return buf.Bytes(), w
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errDisk = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errDisk
	}
	f.n -= len(p)
	return len(p), nil
}
