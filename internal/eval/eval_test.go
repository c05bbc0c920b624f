package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func wantCounts(t *testing.T, rep Report, l Level, want Counts) {
	t.Helper()
	if got := rep.Overall[l]; got != want {
		t.Errorf("%s: got %+v, want %+v", l, got, want)
	}
}

func TestCountsPRF(t *testing.T) {
	c := Counts{TP: 2, FP: 1, FN: 3}
	if !near(c.P(), 2.0/3) || !near(c.R(), 2.0/5) || !near(c.F1(), 0.5) {
		t.Errorf("P/R/F1 = %v %v %v", c.P(), c.R(), c.F1())
	}
	var z Counts
	if z.P() != 0 || z.R() != 0 || z.F1() != 0 {
		t.Error("zero counts should give zeros")
	}
	if got := c.Add(Counts{TP: 1, FP: 2, FN: 3}); got != (Counts{TP: 3, FP: 3, FN: 6}) {
		t.Errorf("Add = %+v", got)
	}
}

func TestOneToOne(t *testing.T) {
	recs := []Record{{ID: "a", Text: "t", Expected: []GoldEvent{{Source: "USA", Target: "CHN", CAMEO: "042"}}}}
	// Two identical predictions: only one may take the single gold event.
	preds := map[string][]Pred{"a": {
		{Source: "USA", Target: "CHN", CAMEO: "042"},
		{Source: "USA", Target: "CHN", CAMEO: "042"},
	}}
	rep := Score(recs, preds)
	for _, l := range Levels {
		wantCounts(t, rep, l, Counts{TP: 1, FP: 1, FN: 0})
	}
	if !near(rep.Overall[LevelExact].P(), 0.5) || !near(rep.Overall[LevelExact].R(), 1) {
		t.Errorf("exact P/R = %v/%v", rep.Overall[LevelExact].P(), rep.Overall[LevelExact].R())
	}
}

func TestMaximumMatching(t *testing.T) {
	// At dyad level g1 ("---" source) fits both predictions, g2 only p1.
	// Greedy in order would give g1 p1 and leave g2 unmatched.
	recs := []Record{{ID: "a", Text: "t", Expected: []GoldEvent{
		{Source: "---", Target: "RUS", CAMEO: "042"},
		{Source: "USA", Target: "RUS", CAMEO: "042"},
	}}}
	preds := map[string][]Pred{"a": {
		{Source: "USA", Target: "RUS", CAMEO: "043"},
		{Source: "CHN", Target: "RUS", CAMEO: "043"},
	}}
	rep := Score(recs, preds)
	wantCounts(t, rep, LevelType, Counts{TP: 2})
	wantCounts(t, rep, LevelDyad, Counts{TP: 2})
	wantCounts(t, rep, LevelExact, Counts{FP: 2, FN: 2})
}

func TestCompoundEvents(t *testing.T) {
	recs := []Record{
		{ID: "c", Text: "t", Expected: []GoldEvent{
			{Source: "ARN", Target: "GON", CAMEO: "064"},
			{Source: "GON", Target: "ARN", CAMEO: "064"},
		}},
		{ID: "none", Text: "no event here"},
	}
	preds := map[string][]Pred{
		"c":     {{Source: "ARN", Target: "GON", CAMEO: "064"}},
		"none":  {{Source: "ARN", Target: "GON", CAMEO: "111"}},
		"ghost": {{CAMEO: "010"}, {CAMEO: "020"}},
	}
	rep := Score(recs, preds)
	for _, l := range Levels {
		wantCounts(t, rep, l, Counts{TP: 1, FP: 1, FN: 1})
	}
	if rep.Records != 2 || rep.OrphanPreds != 2 {
		t.Errorf("Records %d, OrphanPreds %d", rep.Records, rep.OrphanPreds)
	}
	if got := rep.ByCategory["06"][LevelType]; got != (Counts{TP: 1, FN: 1}) {
		t.Errorf("06: %+v", got)
	}
	if got := rep.ByCategory["11"][LevelType]; got != (Counts{FP: 1}) {
		t.Errorf("11: %+v", got)
	}
}

func TestActorWildcards(t *testing.T) {
	recs := []Record{{ID: "w", Text: "t", Expected: []GoldEvent{
		{Source: "---GOV", Target: "", CAMEO: "111"},
		{Source: "USAGOV", Target: "CHN", CAMEO: "173"},
		{Source: "", Target: "", CAMEO: "190"},
	}}}
	preds := map[string][]Pred{"w": {
		{Source: "FRAGOV", Target: "DEU", CAMEO: "111"},    // dyad by wildcards, not exact
		{Source: "USAMIL", Target: "CHNGOV", CAMEO: "173"}, // dyad by prefix, not exact
		{Source: "", Target: "", CAMEO: "190"},             // exact: "" equals ""
	}}
	rep := Score(recs, preds)
	wantCounts(t, rep, LevelType, Counts{TP: 3})
	wantCounts(t, rep, LevelDyad, Counts{TP: 3})
	wantCounts(t, rep, LevelExact, Counts{TP: 1, FP: 2, FN: 2})

	// Prefixes must agree where the gold names a country.
	rep = Score(recs[:1], map[string][]Pred{"w": {{Source: "CHNGOV", Target: "CHN", CAMEO: "1731"}}})
	if got := rep.Overall[LevelDyad]; got.TP != 0 {
		t.Errorf("USA vs CHN source matched at dyad: %+v", got)
	}
	if got := rep.Overall[LevelType]; got.TP != 1 {
		t.Errorf("173 vs 1731 should match at type: %+v", got)
	}
}

func TestPLOVERGold(t *testing.T) {
	recs := []Record{
		{ID: "p1", Text: "t", PLOVER: true, Expected: []GoldEvent{
			{Source: "HUNGOV", Target: "", PLOVER: "AGREE", CAMEO: "030"},
		}},
		{ID: "p2", Text: "t", PLOVER: true, Expected: []GoldEvent{
			{Source: "IRQ", Target: "USA", PLOVER: "ACCUSE"}, // no aligned CAMEO code
		}},
		{ID: "p3", Text: "t", PLOVER: true, Expected: []GoldEvent{
			{Source: "ISR", Target: "PSE", PLOVER: "ASSAULT", CAMEO: "190"},
		}},
	}
	preds := map[string][]Pred{
		// PLOVER left empty: the codebook gives AGREE for 036. Same type and
		// dyad, but 036 is not the aligned 030.
		"p1": {{Source: "HUNGOV", Target: "ROU", CAMEO: "036"}},
		// No CAMEO code in the gold: exact is PLOVER plus actors.
		"p2": {{Source: "IRQ", Target: "USA", CAMEO: "999", PLOVER: "accuse"}},
		// Same CAMEO root but a different PLOVER category: no match at all.
		"p3": {{Source: "ISR", Target: "PSE", CAMEO: "190", PLOVER: "COERCE"}},
	}
	rep := Score(recs, preds)
	wantCounts(t, rep, LevelType, Counts{TP: 2, FP: 1, FN: 1})
	wantCounts(t, rep, LevelDyad, Counts{TP: 2, FP: 1, FN: 1})
	wantCounts(t, rep, LevelExact, Counts{TP: 1, FP: 2, FN: 2})
	if got := rep.ByCategory["AGREE"][LevelExact]; got != (Counts{FP: 1, FN: 1}) {
		t.Errorf("AGREE exact: %+v", got)
	}
	if got := rep.ByCategory["COERCE"][LevelType]; got != (Counts{FP: 1}) {
		t.Errorf("COERCE: %+v (false alarms in PLOVER gold go under the predicted PLOVER category)", got)
	}
	if _, ok := rep.ByCategory["19"]; ok {
		t.Error("PLOVER gold filed under a CAMEO root")
	}
}

func TestMissesListedOnce(t *testing.T) {
	recs := []Record{{ID: "m", Text: "sentence", Expected: []GoldEvent{
		{Source: "USA", Target: "CHN", CAMEO: "042"},
		{Source: "RUS", Target: "UKR", CAMEO: "190"},
	}}}
	preds := map[string][]Pred{"m": {
		{Source: "USA", Target: "CHN", CAMEO: "043", Rule: "visit"},
		{Source: "RUS", Target: "UKR", CAMEO: "111", Rule: "criticize"},
	}}
	rep := Score(recs, preds)
	// 042/043: matched at type and dyad, fails exact. 190 vs 111: fails type.
	var got []string
	for _, m := range rep.Misses {
		s := string(m.Level) + " " + string(m.Kind)
		if m.Expected != nil {
			s += " exp=" + m.Expected.CAMEO
		}
		if m.Predicted != nil {
			s += " pred=" + m.Predicted.CAMEO
		}
		s += " rule=" + m.Rule + " cat=" + m.Category
		if m.ID != "m" || m.Text != "sentence" {
			t.Errorf("miss without record: %+v", m)
		}
		got = append(got, s)
	}
	want := []string{
		"type miss exp=190 rule= cat=19",
		"type false_alarm pred=111 rule=criticize cat=11",
		"exact miss exp=042 pred=043 rule=visit cat=04",
		"exact false_alarm exp=042 pred=043 rule=visit cat=04",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("misses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func sampleReport() Report {
	recs := []Record{
		{ID: "a", Text: "t", Expected: []GoldEvent{{Source: "USA", Target: "CHN", CAMEO: "042"}, {Source: "FRA", CAMEO: "173"}}},
		{ID: "b", Text: "u", Expected: []GoldEvent{{Source: "IRQ", Target: "USA", CAMEO: "111"}}},
	}
	preds := map[string][]Pred{
		"a": {{Source: "USA", Target: "CHN", CAMEO: "042"}, {Source: "DEU", Target: "FRA", CAMEO: "163"}},
		"b": {{Source: "IRQ", Target: "GBR", CAMEO: "112"}, {CAMEO: "010"}},
	}
	return Score(recs, preds)
}

func TestJSONStableAndRoundTrip(t *testing.T) {
	rep := sampleReport()
	a, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, _ := json.Marshal(sampleReport())
		if !bytes.Equal(a, b) {
			t.Fatalf("JSON differs between runs:\n%s\n%s", a, b)
		}
	}
	s := string(a)
	it, id, ie := strings.Index(s, `"level":"type"`), strings.Index(s, `"level":"dyad"`), strings.Index(s, `"level":"exact"`)
	if it < 0 || !(it < id && id < ie) {
		t.Errorf("levels not in order: %s", s)
	}
	if !(strings.Index(s, `"category":"01"`) < strings.Index(s, `"category":"04"`)) {
		t.Errorf("categories not sorted: %s", s)
	}
	var back Report
	if err := json.Unmarshal(a, &back); err != nil {
		t.Fatal(err)
	}
	for _, l := range Levels {
		if back.Overall[l] != rep.Overall[l] {
			t.Errorf("%s: round trip %+v, want %+v", l, back.Overall[l], rep.Overall[l])
		}
	}
	if len(back.ByCategory) != len(rep.ByCategory) || len(back.Misses) != len(rep.Misses) {
		t.Errorf("round trip lost categories or misses")
	}
	if c, _ := json.Marshal(back); !bytes.Equal(a, c) {
		t.Errorf("re-marshalled JSON differs:\n%s\n%s", a, c)
	}
	empty, _ := json.Marshal(Score(nil, nil))
	if !strings.Contains(string(empty), `"by_category":[]`) || !strings.Contains(string(empty), `"misses":[]`) {
		t.Errorf("empty report: %s", empty)
	}
}

func TestWriteText(t *testing.T) {
	rep := sampleReport()
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	ty := rep.Overall[LevelType]
	// type: 042, 111/112 match; 163 and 010 are false alarms; 173 missed.
	if ty != (Counts{TP: 2, FP: 2, FN: 1}) {
		t.Fatalf("type counts %+v", ty)
	}
	var typeLine string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "type ") {
			typeLine = line
		}
	}
	if f := strings.Fields(typeLine); len(f) != 7 || f[1] != "2" || f[2] != "2" || f[3] != "1" || f[4] != "0.500" || f[5] != "0.667" || f[6] != "0.571" {
		t.Errorf("type line %q", typeLine)
	}
	for _, k := range []string{"01", "04", "11", "16", "17"} {
		if !strings.Contains(out, "\n"+k+" ") {
			t.Errorf("no row for category %s:\n%s", k, out)
		}
	}
	// Columns line up: the P column starts at the same offset on each level row.
	col := -1
	for _, line := range strings.Split(out, "\n") {
		for _, l := range Levels {
			if strings.HasPrefix(line, string(l)+" ") {
				f := strings.Fields(line)
				at := strings.Index(line, " "+f[4]) + 1
				if col >= 0 && at != col {
					t.Errorf("columns not aligned:\n%s", out)
				}
				col = at
			}
		}
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadGoldMalformed(t *testing.T) {
	lines := []string{
		`{"id":"ok1","set":"s","text":"A met B.","expected":[{"source":"USA","target":"CHN","code":"042"}],"date":"19950101"}`,
		`{"id":"broken","text":`,
		`{"text":"no id","expected":[]}`,
		`{"id":"noexp","text":"missing list"}`,
		``,
		`{"id":"empty","text":"nothing","expected":[],"noevents":true}`,
		`{"id":"skip","text":"not evaluated","expected":[{"source":"A","target":"B","code":"010"}],"evaluate":false}`,
		`{"id":"nocode","text":"x","expected":[{"source":"A","target":"B","code":""}]}`,
		`{"id":"ok1","text":"again","expected":[{"source":"ARN","target":"GON","code":"174K"}]}`,
		`{"id":"ne2","text":"no events, no list","noevents":true,"date":19950102}`,
	}
	path := writeFile(t, strings.Join(lines, "\n")+"\n")
	recs, err := ReadGold(path)
	if err == nil {
		t.Fatal("no error for malformed lines")
	}
	msgs := strings.Split(err.Error(), "\n")
	if len(msgs) != 4 {
		t.Errorf("want 4 one-line errors, got %d:\n%v", len(msgs), err)
	}
	for i, ln := range []string{":2:", ":3:", ":4:", ":8:"} {
		if i < len(msgs) && !strings.Contains(msgs[i], path+ln) {
			t.Errorf("error %d = %q, want it to name %s%s", i, msgs[i], path, ln)
		}
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, ","); got != "ok1,empty,ok1#2,ne2" {
		t.Fatalf("ids %s", got)
	}
	r := recs[0]
	if r.Text != "A met B." || r.Date != "19950101" || r.Set != "s" || r.PLOVER ||
		len(r.Expected) != 1 || r.Expected[0] != (GoldEvent{Source: "USA", Target: "CHN", CAMEO: "042"}) {
		t.Errorf("record %+v", r)
	}
	if recs[2].Expected[0].CAMEO != "174K" || recs[3].Date != "19950102" || len(recs[1].Expected) != 0 {
		t.Errorf("records %+v", recs)
	}

	if _, err := ReadGold(filepath.Join(t.TempDir(), "absent.jsonl")); err == nil {
		t.Error("no error for a missing file")
	}
}

func TestReadGoldPLOVER(t *testing.T) {
	path := writeFile(t, `{"id":"p","text":"x","expected":[{"source":"HUNGOV","target":"","code":"DEMAND","plover_v2":"request","cameo":"1041"}]}
{"id":"q","text":"y","expected":[]}
{"id":"r","text":"z","expected":[{"source":"A","target":"B","code":"protest"}]}
`)
	recs, err := ReadGold(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	if e := recs[0].Expected[0]; e != (GoldEvent{Source: "HUNGOV", PLOVER: "REQUEST", CAMEO: "1041"}) {
		t.Errorf("event %+v", e)
	}
	if e := recs[2].Expected[0]; e.PLOVER != "PROTEST" || e.CAMEO != "" {
		t.Errorf("word code: %+v", e)
	}
	for _, r := range recs {
		if !r.PLOVER {
			t.Errorf("%s not marked as PLOVER gold", r.ID)
		}
	}
}

// TestSharedGold reads the shared gold sets and checks that gold scored
// against itself is perfect at every level.
func TestSharedGold(t *testing.T) {
	files := map[string]bool{ // file -> PLOVER gold
		"../../../shared/gold/plover_gsr_dev.jsonl":            true,
		"../../../shared/gold/cameo_manual_dev.jsonl":          false,
		"../../../shared/gold/petrarch-unittest/records.jsonl": false,
	}
	found := 0
	for path, plover := range files {
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		found++
		recs, err := ReadGold(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if len(recs) == 0 {
			t.Errorf("%s: no records", path)
			continue
		}
		preds := map[string][]Pred{}
		ids := map[string]bool{}
		for _, r := range recs {
			if ids[r.ID] {
				t.Errorf("%s: id %s repeated", path, r.ID)
			}
			ids[r.ID] = true
			if r.PLOVER != plover {
				t.Errorf("%s: %s PLOVER=%v", path, r.ID, r.PLOVER)
			}
			for _, e := range r.Expected {
				preds[r.ID] = append(preds[r.ID], Pred{Source: e.Source, Target: e.Target, CAMEO: e.CAMEO, PLOVER: e.PLOVER})
			}
		}
		rep := Score(recs, preds)
		for _, l := range Levels {
			c := rep.Overall[l]
			if c.FP != 0 || c.FN != 0 || c.TP == 0 {
				t.Errorf("%s: gold against itself at %s: %+v", path, l, c)
			}
		}
		t.Logf("%s: %d records, %d events", path, len(recs), rep.Overall[LevelType].TP)
	}
	if found == 0 {
		t.Skip("shared gold not available")
	}
}
