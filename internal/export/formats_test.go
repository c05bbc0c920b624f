package export

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/dyadproject/dyad/internal/model"
)

// ploverCodebook reads the PLOVER 2 categories, (category, mode) pairs and
// contexts from the shared codebooks.
func ploverCodebook(t *testing.T) (events, modes, contexts map[string]bool) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := os.Open("../../../shared/codebooks/" + name)
		if err != nil {
			t.Skipf("PLOVER codebook absent: %v", err)
		}
		defer f.Close()
		var rows [][]string
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for first := true; sc.Scan(); first = false {
			if !first {
				rows = append(rows, strings.Split(sc.Text(), "\t"))
			}
		}
		return rows
	}
	events, modes, contexts = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range read("plover_events_modes.tsv") {
		events[r[0]] = true
		if len(r) > 1 && r[1] != "" {
			modes[r[0]+"/"+r[1]] = true
		}
	}
	for _, r := range read("plover_contexts.tsv") {
		contexts[r[0]] = true
	}
	if len(events) < 10 || len(contexts) < 10 {
		t.Fatalf("codebook too small: %d events, %d contexts", len(events), len(contexts))
	}
	return events, modes, contexts
}

// checkPLOVER validates JSON Lines output against the specification's field
// names and the codebook's categories, modes and contexts.
func checkPLOVER(t *testing.T, out []byte, want int) {
	t.Helper()
	events, modes, contexts := ploverCodebook(t)
	spec := map[string]bool{"id": true, "date": true, "source": true, "recipient": true, "event": true, "mode": true,
		"context": true, "event_loc": true, "event_text": true, "quad_code": true, "event_scale": true, "text": true,
		"text_info": true, "cite_info": true, "coder": true, "coded_date": true, "coded_time": true}
	ours := map[string]bool{"doc_id": true, "cameo": true, "cameo_root": true, "cameo_name": true, "goldstein": true,
		"num_mentions": true, "num_sources": true, "num_articles": true, "is_root": true, "negated": true,
		"confidence": true, "rule": true}
	actorKeys := map[string]bool{"code": true, "sector": true, "actor_text": true, "identifier_text": true, "cameo": true}
	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
	if len(out) == 0 {
		lines = nil
	}
	if len(lines) != want {
		t.Fatalf("%d PLOVER lines, want %d", len(lines), want)
	}
	for _, l := range lines {
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(l, &rec); err != nil {
			t.Fatalf("line is not one JSON object: %v: %s", err, l)
		}
		for _, k := range []string{"id", "date", "source", "event"} { // required by the specification
			if _, ok := rec[k]; !ok {
				t.Errorf("required field %s missing: %s", k, l)
			}
		}
		for k := range rec {
			if !spec[k] && !ours[k] {
				t.Errorf("unknown field %q", k)
			}
		}
		var r struct {
			Date      string              `json:"date"`
			Event     []string            `json:"event"`
			Mode      string              `json:"mode"`
			Context   []string            `json:"context"`
			Source    []map[string]string `json:"source"`
			Recipient []map[string]string `json:"recipient"`
			Quad      int                 `json:"quad_code"`
			CAMEO     string              `json:"cameo"`
		}
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
			t.Errorf("date %q", r.Date)
		}
		if len(r.Event) != 1 || !events[r.Event[0]] {
			t.Errorf("event %v is not a PLOVER category", r.Event)
		}
		if r.Mode != "" && len(r.Event) == 1 && !modes[r.Event[0]+"/"+r.Mode] {
			t.Errorf("mode %q is not a mode of %v", r.Mode, r.Event)
		}
		for _, c := range r.Context {
			if !contexts[c] {
				t.Errorf("context %q unknown", c)
			}
		}
		if r.Quad < 1 || r.Quad > 4 || (len(r.CAMEO) != 3 && len(r.CAMEO) != 4) {
			t.Errorf("quad %d cameo %q", r.Quad, r.CAMEO)
		}
		for _, a := range append(r.Source, r.Recipient...) {
			for k := range a {
				if !actorKeys[k] {
					t.Errorf("unknown actor field %q", k)
				}
			}
			if len(a["code"]) != 3 || a["code"]+a["sector"] != a["cameo"] {
				t.Errorf("actor code %q + sector %q != %q", a["code"], a["sector"], a["cameo"])
			}
		}
	}
}

func TestPLOVER(t *testing.T) {
	evs := samples(50)
	out, w := writeAll(t, "plover", Options{}, evs)
	noCategory := 0
	for _, e := range evs {
		if e.Event.PLOVER == "" {
			noCategory++
		}
	}
	if noCategory == 0 || w.(Counter).Skipped() != noCategory {
		t.Fatalf("skipped %d, want %d", w.(Counter).Skipped(), noCategory)
	}
	checkPLOVER(t, out, len(evs)-noCategory)

	var first map[string]any
	if err := json.Unmarshal(out[:bytes.IndexByte(out, '\n')], &first); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": "1000", "date": "2021-03-23", "mode": "assist", "cameo": "0231", "cameo_root": "02",
		"event_scale": 3.4, "goldstein": 3.4, "quad_code": 1.0, "coded_date": "2021-03-24", "coded_time": "09:15:30Z"}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %#v, want %#v", k, first[k], v)
		}
	}
	if !strings.Contains(string(out), `"url":"https://www.upi.com/story-0.html?a=1&b=2"`) {
		t.Error("URL escaped or missing")
	}
	loc := first["event_loc"].(map[string]any)
	if loc["name"] != "Guilin" || loc["latitude"] != 25.2736 || loc["longitude"] != 110.29 || loc["cc3"] != "CHN" {
		t.Errorf("event_loc %v", loc)
	}
}

func TestCSV(t *testing.T) {
	evs := samples(20)
	evs[3].Event.Sentence.Text = "He said, \"no\"\nand left; naïve"
	evs[4].Event.Source.Name = "bad\xffbyte"
	out, _ := writeAll(t, "csv", Options{}, evs)
	r := csv.NewReader(bytes.NewReader(out))
	r.FieldsPerRecord = len(CSVColumns)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(evs)+1 || !slices.Equal(rows[0], CSVColumns) {
		t.Fatalf("%d rows; header %v", len(rows), rows[0])
	}
	get := func(row []string, name string) string { return row[slices.Index(CSVColumns, name)] }
	if got := get(rows[4], "sentence"); got != evs[3].Event.Sentence.Text {
		t.Errorf("sentence round trip: %q", got)
	}
	if got := get(rows[5], "source_name"); got != "bad\uFFFDbyte" {
		t.Errorf("invalid UTF-8: %q", got)
	}
	first := rows[1]
	for k, v := range map[string]string{"cameo": "0231", "cameo_base": "023", "cameo_root": "02", "trigger": "sanctioned",
		"global_event_id": "1000", "date": "2021-03-23", "date_added": "2021-03-24T09:15:30Z", "lat": "25.2736",
		"source_code": "CHNGOV", "target_code": "USA", "is_root": "true", "goldstein": "3.4"} {
		if got := get(first, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	out, _ = writeAll(t, "csv", Options{}, nil)
	if string(out) != strings.Join(CSVColumns, ",")+"\n" {
		t.Errorf("empty CSV: %q", out)
	}
}

func TestGeoJSON(t *testing.T) {
	evs := samples(40)
	evs[2].Event.Location = &model.Location{Name: "nowhere", Precision: "country"} // 0,0: no coordinates
	located := 0
	for _, e := range evs {
		if l := e.Event.Location; l != nil && (l.Lat != 0 || l.Lon != 0) {
			located++
		}
	}
	out, w := writeAll(t, "geojson", Options{}, evs)
	var fc struct {
		Type     string `json:"type"`
		Skipped  int    `json:"skipped"`
		Features []struct {
			Type     string `json:"type"`
			ID       int64  `json:"id"`
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out, &fc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != located || located == 0 {
		t.Fatalf("type %q, %d features, want %d", fc.Type, len(fc.Features), located)
	}
	if fc.Skipped != len(evs)-located || w.(Counter).Skipped() != fc.Skipped {
		t.Errorf("skipped %d / %d, want %d", fc.Skipped, w.(Counter).Skipped(), len(evs)-located)
	}
	f := fc.Features[0]
	if f.Type != "Feature" || f.ID != 1000 || f.Geometry.Type != "Point" ||
		!slices.Equal(f.Geometry.Coordinates, []float64{110.29, 25.2736}) { // [lon, lat]
		t.Errorf("first feature %+v", f)
	}
	if f.Properties["cameo"] != "0231" || f.Properties["source"] != "CHNGOV" || f.Properties["location"] != "Guilin" {
		t.Errorf("properties %v", f.Properties)
	}
	for _, n := range []int{0, 1} { // no located events: still a valid, empty collection
		out, _ = writeAll(t, "geojson", Options{}, samples(2)[1:1+n])
		if err := json.Unmarshal(out, &fc); err != nil || len(fc.Features) != 0 || fc.Skipped != n {
			t.Errorf("unlocated only: %v %s", err, out)
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	evs := samples(53)
	evs[5].DateAdded = time.Time{}
	out, _ := writeAll(t, "parquet", Options{RowGroupSize: 10}, evs)
	rows, err := parquet.Read[ParquetRow](bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(evs) {
		t.Fatalf("%d rows, want %d", len(rows), len(evs))
	}
	for i, e := range evs {
		p, err := prepare(&e)
		if err != nil {
			t.Fatal(err)
		}
		want := parquetRow(&p)
		got := rows[i]
		// Times come back in UTC with the same instant.
		if ParquetDate(got.Date).Format(time.DateOnly) != e.Event.Date || (got.DateAdded == nil) != (want.DateAdded == nil) ||
			(got.DateAdded != nil && !got.DateAdded.Equal(*want.DateAdded)) {
			t.Errorf("row %d times %v %v, want %v %v", i, got.Date, got.DateAdded, e.Event.Date, want.DateAdded)
		}
		got.DateAdded, want.DateAdded = nil, nil
		gl, wl := got.Lat, want.Lat
		got.Lat, got.Lon, want.Lat, want.Lon = nil, nil, nil, nil
		if got != want {
			t.Errorf("row %d\n got %+v\nwant %+v", i, got, want)
		}
		if (gl == nil) != (wl == nil) || (gl != nil && *gl != *wl) {
			t.Errorf("row %d lat %v, want %v", i, gl, wl)
		}
	}
	if rows[0].CAMEO != "0231" || rows[0].CAMEOBase != "023" || rows[0].CAMEORoot != "02" {
		t.Errorf("CAMEO codes %q %q %q", rows[0].CAMEO, rows[0].CAMEOBase, rows[0].CAMEORoot)
	}
	// The physical values other readers see: DATE as days, TIMESTAMP as milliseconds.
	type raw struct {
		Date      int32  `parquet:"date"`
		DateAdded *int64 `parquet:"date_added,optional"`
	}
	rs, err := parquet.Read[raw](bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Date != 18709 || rs[0].DateAdded == nil || *rs[0].DateAdded != added.UnixMilli() || rs[5].DateAdded != nil {
		t.Errorf("physical values: date %d (want 18709 = 2021-03-23), date_added %v (want %d)", rs[0].Date, rs[0].DateAdded, added.UnixMilli())
	}
	f, err := parquet.OpenFile(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.RowGroups()); n != 6 { // 53 rows in groups of 10
		t.Errorf("%d row groups, want 6", n)
	}
	for _, rg := range f.RowGroups() {
		if rg.NumRows() > 10 {
			t.Errorf("row group of %d rows exceeds the bound", rg.NumRows())
		}
	}
}

// TestDeterministicAcrossProcesses runs the test binary again: hash seeds
// and map order differ between processes, so in-process repeats are not enough.
func TestDeterministicAcrossProcesses(t *testing.T) {
	hashes := func() string {
		var sb strings.Builder
		for _, format := range Formats() {
			out, _ := writeAll(t, format, Options{RowGroupSize: 64}, samples(300))
			fmt.Fprintf(&sb, "%s=%x\n", format, sha256.Sum256(out))
		}
		return sb.String()
	}
	if os.Getenv("DYAD_EXPORT_HASHES") == "1" {
		fmt.Print("HASHES\n" + hashes())
		return
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("no test binary: %v", err)
	}
	cmd := exec.Command(exe, "-test.run=^TestDeterministicAcrossProcesses$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DYAD_EXPORT_HASHES=1")
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	_, child, ok := strings.Cut(string(got), "HASHES\n")
	want := hashes()
	if !ok || !strings.HasPrefix(child, want) {
		t.Errorf("output differs between processes:\nhere:\n%s\nchild:\n%s", want, child)
	}
}

func TestDeterministic(t *testing.T) {
	evs := samples(300)
	for _, format := range Formats() {
		a, _ := writeAll(t, format, Options{RowGroupSize: 64}, evs)
		b, _ := writeAll(t, format, Options{RowGroupSize: 64}, evs)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: output differs between runs (%d vs %d bytes)", format, len(a), len(b))
		}
	}
}
