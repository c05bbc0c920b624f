package eval

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

func TestGoldLocation(t *testing.T) {
	for raw, want := range map[string]string{
		``:                  "",
		`{}`:                "",
		`"Basra"`:           "",
		`{"name": "  "}`:    "",
		`{"name": "Basra"}`: "Basra|",
		`{"name": "Geneva", "country code": "CH"}`: "Geneva|CH",
		`{"name": 5}`: "",
		`{"name": "Kirkuk", "country code": null}`: "Kirkuk|",
	} {
		l := goldLocation(json.RawMessage(raw))
		got := ""
		if l != nil {
			got = l.Name + "|" + l.CountryCode
		}
		if got != want {
			t.Errorf("goldLocation(%s) = %q, want %q", raw, got, want)
		}
	}
}

func TestReadGoldLocation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gold.jsonl")
	lines := `{"id":"a","text":"Bombs hit Basra.","expected":[{"source":"","target":"IRQ","code":"ASSAULT","plover_v2":"ASSAULT"}],"event_loc":{"name":"Basra"}}
{"id":"b","text":"Talks ended.","expected":[],"event_loc":{}}
{"id":"c","text":"Talks ended.","expected":[],"event_loc":"nowhere"}
`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadGold(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0].Location == nil || recs[0].Location.Name != "Basra" || recs[1].Location != nil || recs[2].Location != nil {
		t.Fatalf("locations read wrong: %+v", recs)
	}
}

func TestScoreLocations(t *testing.T) {
	recs := []Record{
		{ID: "1", Text: "x", Location: &GoldLocation{Name: "province of Herat"}, Expected: []GoldEvent{{PLOVER: "ASSAULT"}}},
		{ID: "2", Text: "x", Location: &GoldLocation{Name: "Geneva", CountryCode: "CH"}, Expected: []GoldEvent{{PLOVER: "CONSULT"}}},
		{ID: "3", Text: "x", Location: &GoldLocation{Name: "Europe Bridge"}, Expected: []GoldEvent{{PLOVER: "PROTEST"}}},
		{ID: "4", Text: "x", Expected: []GoldEvent{{PLOVER: "PROTEST"}}},
	}
	herat := &model.Location{Name: "Herat, Afghanistan", Country: "AFG", Text: "Herat"}
	preds := map[string][]LocPred{
		"1": {{PLOVER: "ASSAULT", Location: herat}, {PLOVER: "ASSAULT", Location: &model.Location{Name: "Afghanistan", Country: "AFG", Text: "Afghan"}},
			{PLOVER: "PROTEST", Location: herat}}, // type not in the gold: not scored
		"2": {{PLOVER: "CONSULT", Location: &model.Location{Name: "Geneva, Geneva, Switzerland", Country: "CHE", Text: "Geneva"}}},
		"3": {{PLOVER: "PROTEST", Location: &model.Location{Name: "France", Country: "FRA", Text: "France"}}},
		"4": {{PLOVER: "PROTEST"}},
	}
	gc := func(l GoldLocation) string {
		switch {
		case l.CountryCode == "CH":
			return "CHE"
		case strings.Contains(l.Name, "Herat"):
			return "AFG"
		}
		return ""
	}
	r := ScoreLocations(recs, preds, gc)
	want := LocationReport{Sentences: 3, WithEvents: 3, Events: 4, Located: 4, CountryCorrect: 3, PlaceCorrect: 2, SentCountryRight: 2, SentPlaceRight: 2}
	r.Misses = nil
	if r.Sentences != want.Sentences || r.WithEvents != want.WithEvents || r.Events != want.Events || r.Located != want.Located ||
		r.CountryCorrect != want.CountryCorrect || r.PlaceCorrect != want.PlaceCorrect || r.SentCountryRight != want.SentCountryRight ||
		r.SentPlaceRight != want.SentPlaceRight {
		t.Errorf("ScoreLocations = %+v, want %+v", r, want)
	}
	var b strings.Builder
	r.WriteText(&b)
	if !strings.Contains(b.String(), "country accuracy  0.750 (3/4)") {
		t.Errorf("report text:\n%s", b.String())
	}
}
