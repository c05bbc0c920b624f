package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

// TestSeedLocations: the seed story's joint statement is placed in Guilin,
// China; the sanctions on Chinese officials in Xinjiang's context, as the
// text gives it; the EU sanctions on Russia not there; and no event at the
// wire agency's dateline by default.
func TestSeedLocations(t *testing.T) {
	seed(t)
	out, _, err := dyad(t, "", "code", "--date", "2021-03-24", seedPath)
	if err != nil {
		t.Fatal(err)
	}
	var statement, sanctions, russia int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e model.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		l := e.Location
		if l != nil && l.Reason == "dateline" {
			t.Errorf("event %s %q placed at the dateline", e.CAMEO, e.Trigger.Text)
		}
		s := e.Sentence.Text
		switch {
		case strings.Contains(s, "joint statement Tuesday in Guilin"):
			statement++
			if l == nil || !strings.HasPrefix(l.Name, "Guilin") || l.Country != "CHN" || l.Precision != "city" || l.Reason != "locative" {
				t.Errorf("joint statement %s: location %+v, want Guilin, China (city, locative)", e.CAMEO, l)
			}
		case strings.Contains(s, "abuses in Xinjiang") && e.CAMEORoot == "16":
			sanctions++
			if l == nil || l.Text != "Xinjiang" || l.Country != "CHN" || l.ADM1 != "CH13" || l.Reason != "context" {
				t.Errorf("sanctions %s→%s: location %+v, want Xinjiang (CH13) as context", code(e.Source), code(e.Target), l)
			}
		case strings.Contains(s, "Navalny") && e.CAMEORoot == "16":
			russia++
			if l == nil || l.Country != "RUS" {
				t.Errorf("EU sanctions on Russia: location %+v, want Russia", l)
			}
		}
		if l != nil && l.Text == "Xinjiang" && !strings.Contains(s, "Xinjiang") {
			t.Errorf("event %s %q placed in Xinjiang, which its sentence does not name", e.CAMEO, e.Trigger.Text)
		}
	}
	if statement == 0 || sanctions == 0 || russia == 0 {
		t.Errorf("seed events: %d joint statement, %d Xinjiang sanctions, %d Russia sanctions; want some of each", statement, sanctions, russia)
	}
}

func TestGeoCommand(t *testing.T) {
	out, _, err := dyad(t, "", "geo", "Police in Moscow, Idaho, arrested a man after the attack.")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Moscow, Idaho, United States") || !strings.Contains(out, "USID") {
		t.Errorf("dyad geo: Moscow, Idaho not resolved:\n%s", out)
	}
	if !strings.Contains(out, "locative") {
		t.Errorf("dyad geo: no locative event:\n%s", out)
	}

	dir := t.TempDir()
	f := filepath.Join(dir, "story.txt")
	if err := os.WriteFile(f, []byte(story), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = dyad(t, "", "geo", "--json", "--file", f)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Places []struct {
			Text, Country, Use string
		}
		Events []struct {
			Location *model.Location
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("dyad geo --json: %v\n%s", err, out)
	}
	dateline := false
	for _, p := range res.Places {
		dateline = dateline || p.Use == "dateline" && p.Country == "USA"
	}
	if !dateline || len(res.Events) == 0 {
		t.Errorf("dyad geo --json: want the Washington dateline and events, got %s", out)
	}
	for _, e := range res.Events {
		if e.Location != nil && e.Location.Reason == "dateline" {
			t.Errorf("event placed at the dateline although the text names the countries: %+v", e.Location)
		}
	}

	out, _, err = dyad(t, story, "geo", "--file", "-")
	if err != nil || !strings.Contains(out, "Iran") {
		t.Errorf("dyad geo --file -: err %v, output:\n%s", err, out)
	}
}

func TestGeoCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"geo"},
		{"geo", "text", "--file", empty},
		{"geo", "   "},
		{"geo", "--file", filepath.Join(dir, "missing.txt")},
		{"geo", "--file", empty},
		{"geo", "--file", dir},
		{"geo", "--date", "yesterday", "Paris"},
	} {
		_, _, err := dyad(t, "", args...)
		if err == nil {
			t.Errorf("dyad %v: no error", args)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || msg == "" {
			t.Errorf("dyad %v: error %q is not one line", args, msg)
		}
	}
}

// TestEvalReportsLocations: dyad eval scores event locations where the gold
// gives them.
func TestEvalReportsLocations(t *testing.T) {
	gold := "../../../shared/gold/plover_gsr_dev.jsonl"
	if _, err := os.Stat(gold); err != nil {
		t.Skip("gold file not present: " + gold)
	}
	out, _, err := dyad(t, "", "eval", gold)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "event locations: 20 gold sentences") || !strings.Contains(out, "country accuracy") {
		t.Errorf("dyad eval: no location scores:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "accuracy") {
			t.Log(strings.TrimSpace(l))
		}
	}
}
