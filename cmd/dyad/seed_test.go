package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const seedPath = "../../../shared/seed/upi-2021-03-23-china-russia.txt"

func seed(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(seedPath); err != nil {
		t.Skipf("seed story not present (%s): %v", seedPath, err)
	}
}

func TestSeedClean(t *testing.T) {
	seed(t)
	out, _, err := dyad(t, "", "clean", "--date", "2021-03-24", seedPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out, "\n") {
		switch strings.TrimSpace(line) {
		case "Advertisement", "Latest Headlines":
			t.Errorf("boilerplate line left: %q", line)
		}
	}
	if n := strings.Count(out, "issued a joint statement Tuesday in Guilin"); n != 1 {
		t.Errorf("caption appears %d times, want once", n)
	}
}

type seedEvent struct {
	CAMEO     string `json:"cameo"`
	Root      string `json:"cameo_root"`
	Date      string `json:"date"`
	QuadClass int    `json:"quad_class"`
	Source    *struct{ Code string }
	Target    *struct{ Code string }
	Sentence  struct{ Text string }
}

func TestSeedEvents(t *testing.T) {
	seed(t)
	out, _, err := dyad(t, "", "code", "--date", "2021-03-24", seedPath)
	if err != nil {
		t.Fatal(err)
	}
	var evs []seedEvent
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e seedEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	has := func(root, src, tgt, date string) bool {
		for _, e := range evs {
			if e.Root == root && e.Source != nil && e.Target != nil && strings.HasPrefix(e.Source.Code, src) &&
				strings.HasPrefix(e.Target.Code, tgt) && (date == "" || e.Date == date) {
				return true
			}
		}
		return false
	}
	want := []struct{ what, root, src, tgt, date string }{
		{"US sanctions Chinese officials", "16", "USA", "CHN", "2021-03-22"},
		{"EU sanctions Chinese officials", "16", "IGOEU", "CHN", "2021-03-22"},
		{"Britain sanctions Chinese officials", "16", "GBR", "CHN", "2021-03-22"},
		{"Canada sanctions Chinese officials", "16", "CAN", "CHN", "2021-03-22"},
		{"China denounces the US", "11", "CHN", "USA", "2021-03-23"},
		{"Russia denounces the EU", "11", "RUS", "IGOEU", ""},
		{"China calls on the UN Security Council", "02", "CHN", "IGOUNO", ""},
		{"Russia calls on the UN Security Council", "02", "RUS", "IGOUNO", ""},
		{"Wang Yi accuses Western powers", "11", "CHN", "WST", ""},
		{"EU sanctions on Russia", "16", "IGOEU", "RUS", ""},
	}
	for _, w := range want {
		if !has(w.root, w.src, w.tgt, w.date) {
			t.Errorf("missing: %s (%s %s→%s %s)", w.what, w.root, w.src, w.tgt, w.date)
		}
	}
	for _, e := range evs {
		if e.QuadClass == 4 && e.Root != "16" {
			t.Errorf("material conflict the text does not state: %s in %q", e.CAMEO, e.Sentence.Text)
		}
	}
}
