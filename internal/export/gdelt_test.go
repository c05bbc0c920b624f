package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

// parseTSV reads rows the way a GDELT consumer would: tab-separated, with
// encoding/csv's quote handling lazy or strict.
func parseTSV(t *testing.T, b []byte, lazy bool, fields int) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = '\t'
	r.LazyQuotes = lazy
	r.FieldsPerRecord = fields
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse (lazy=%v): %v", lazy, err)
	}
	return rows
}

// col returns the value of a named GDELT column.
func col(t *testing.T, row []string, name string) string {
	t.Helper()
	for i, c := range GDELTColumns {
		if c == name {
			return row[i]
		}
	}
	t.Fatalf("no column %s", name)
	return ""
}

func TestGDELTColumns(t *testing.T) {
	if len(GDELTColumns) != 61 {
		t.Fatalf("%d GDELT columns, want 61", len(GDELTColumns))
	}
	// Spot checks against the codebook's numbering (1-based there).
	for i, want := range map[int]string{1: "GLOBALEVENTID", 5: "FractionDate", 6: "Actor1Code", 16: "Actor2Code",
		25: "Actor2Type3Code", 26: "IsRootEvent", 27: "EventCode", 31: "GoldsteinScale", 35: "AvgTone",
		36: "Actor1Geo_Type", 43: "Actor1Geo_FeatureID", 52: "ActionGeo_Type", 57: "ActionGeo_Lat",
		58: "ActionGeo_Long", 60: "DATEADDED", 61: "SOURCEURL"} {
		if GDELTColumns[i-1] != want {
			t.Errorf("column %d = %s, want %s", i, GDELTColumns[i-1], want)
		}
	}
	if len(MentionColumns) != 16 {
		t.Fatalf("%d mention columns, want 16", len(MentionColumns))
	}
}

func TestGDELTRow(t *testing.T) {
	e := sample(0) // 0231, CHNGOV → IGOEUREEC... see sample
	e.Event.Date = "2021-03-23"
	e.Event.Source = &model.Actor{Code: "CHNGOV", Name: "Wang Yi"}
	e.Event.Target = &model.Actor{Code: "IGOUNO", Name: "UN Security Council"}
	e.IsRoot = true
	out, _ := writeAll(t, "gdelt", Options{}, []Event{e})
	if bytes.Count(out, []byte("\n")) != 1 {
		t.Fatalf("want one line, got %q", out)
	}
	for _, lazy := range []bool{true, false} {
		rows := parseTSV(t, out, lazy, 61)
		r := rows[0]
		want := map[string]string{
			"GLOBALEVENTID": "1000", "SQLDATE": "20210323", "MonthYear": "202103", "Year": "2021",
			"FractionDate": "2021.3096", // (3*30+23)/365
			"Actor1Code":   "CHNGOV", "Actor1Name": "WANG YI", "Actor1CountryCode": "CHN", "Actor1Type1Code": "GOV",
			"Actor1KnownGroupCode": "", "Actor1Religion1Code": "",
			"Actor2Code": "IGOUNO", "Actor2Name": "UN SECURITY COUNCIL", "Actor2CountryCode": "",
			"Actor2KnownGroupCode": "UNO", "Actor2Type1Code": "IGO",
			"IsRootEvent": "1", "EventCode": "0231", "EventBaseCode": "023", "EventRootCode": "02",
			"QuadClass": "1", "GoldsteinScale": "3.4", "NumMentions": "1", "NumSources": "1", "NumArticles": "1",
			"AvgTone": "0", "Actor1Geo_Type": "0", "Actor1Geo_FullName": "", "Actor2Geo_Type": "0",
			"ActionGeo_Type": "4", "ActionGeo_FullName": "Guilin", "ActionGeo_CountryCode": "CH",
			"ActionGeo_ADM1Code": "CH16", "ActionGeo_ADM2Code": "", "ActionGeo_Lat": "25.2736", "ActionGeo_Long": "110.29",
			"ActionGeo_FeatureID": "", "DATEADDED": "20210324091530",
			"SOURCEURL": "https://www.upi.com/story-0.html?a=1&b=2",
		}
		for k, v := range want {
			if got := col(t, r, k); got != v {
				t.Errorf("lazy=%v %s = %q, want %q", lazy, k, got, v)
			}
		}
	}
}

func TestGDELTLeadingZerosRoundTrip(t *testing.T) {
	for _, c := range []struct{ code, base, root string }{{"0231", "023", "02"}, {"023", "023", "02"}, {"010", "010", "01"}, {"1623", "162", "16"}, {"200", "200", "20"}} {
		e := sample(1)
		e.Event.CAMEO = c.code
		e.Event.QuadClass = 0 // derived from the root
		out, _ := writeAll(t, "gdelt", Options{}, []Event{e})
		r := parseTSV(t, out, true, 61)[0]
		if col(t, r, "EventCode") != c.code || col(t, r, "EventBaseCode") != c.base || col(t, r, "EventRootCode") != c.root {
			t.Errorf("%s: got %s/%s/%s", c.code, col(t, r, "EventCode"), col(t, r, "EventBaseCode"), col(t, r, "EventRootCode"))
		}
		wantQuad := map[string]string{"02": "1", "01": "1", "16": "4", "20": "4"}[c.root]
		if q := col(t, r, "QuadClass"); q != wantQuad {
			t.Errorf("%s: quad %s, want %s", c.code, q, wantQuad)
		}
	}
}

func TestGDELTEscaping(t *testing.T) {
	evil := []string{"tab\there", "new\nline", "cr\rlf\r\n", "\"quoted\" name", "\"", "bad\xffutf8", "nul\x00", "a\"\tb\n\"c"}
	var evs []Event
	for i, s := range evil {
		e := sample(i)
		e.Event.Source = &model.Actor{Code: "USAMIL", Name: s}
		e.Event.Target = &model.Actor{Code: "RUS" + s, Name: s}
		e.SourceURL = "https://example.com/" + s
		e.Event.Location = &model.Location{Name: s, FIPS: "US", ADM1: s, Lat: 1, Lon: 2, Precision: "city"}
		evs = append(evs, e)
	}
	e := sample(99)
	e.SourceURL = ""
	e.Event.DocID = "doc\tid\n"
	evs = append(evs, e)
	out, _ := writeAll(t, "gdelt", Options{}, evs)
	if n := bytes.Count(out, []byte("\n")); n != len(evs) {
		t.Fatalf("%d lines for %d events", n, len(evs))
	}
	for _, lazy := range []bool{true, false} {
		rows := parseTSV(t, out, lazy, 61)
		if len(rows) != len(evs) {
			t.Fatalf("lazy=%v: %d rows, want %d", lazy, len(rows), len(evs))
		}
		for i, r := range rows {
			if id := col(t, r, "GLOBALEVENTID"); id != strconv.FormatInt(evs[i].ID, 10) {
				t.Errorf("row %d id %q, want %d", i, id, evs[i].ID)
			}
			for j, f := range r {
				if strings.ContainsAny(f, "\t\n\r\"\x00") || !utf8.ValidString(f) {
					t.Errorf("row %d col %s holds a separator or bad UTF-8: %q", i, GDELTColumns[j], f)
				}
			}
		}
	}
	r := parseTSV(t, out, false, 61)
	if got := col(t, r[0], "Actor1Name"); got != "TAB HERE" {
		t.Errorf("Actor1Name %q, want TAB HERE", got)
	}
	if got := col(t, r[3], "SOURCEURL"); got != "https://example.com/%22quoted%22 name" {
		t.Errorf("SOURCEURL %q", got)
	}
	if got := col(t, r[5], "Actor1Name"); got != "BAD\uFFFDUTF8" {
		t.Errorf("invalid UTF-8 not replaced: %q", got)
	}
	if got := col(t, r[len(r)-1], "SOURCEURL"); got != "doc id " {
		t.Errorf("SOURCEURL fallback to doc id: %q", got)
	}
}

func TestGDELTGeo(t *testing.T) {
	cases := []struct {
		loc  *model.Location
		want []string // Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID
	}{
		{nil, []string{"0", "", "", "", "", "", "", ""}},
		{&model.Location{Name: "United States", FIPS: "US", Lat: 39.8, Lon: -98.5, Precision: "country"}, []string{"1", "United States", "US", "US", "", "39.8", "-98.5", "US"}},
		{&model.Location{Name: "Texas", FIPS: "US", ADM1: "TX", Lat: 31.1, Lon: -97.6, Precision: "adm1"}, []string{"2", "Texas", "US", "USTX", "", "31.1", "-97.6", ""}},
		{&model.Location{Name: "Austin", FIPS: "US", ADM1: "USTX", Lat: 30.2, Lon: -97.7, Precision: "city"}, []string{"3", "Austin", "US", "USTX", "", "30.2", "-97.7", ""}},
		{&model.Location{Name: "Guilin", FIPS: "CH", ADM1: "16", Lat: 25.3, Lon: 110.3, Precision: "city"}, []string{"4", "Guilin", "CH", "CH16", "", "25.3", "110.3", ""}},
		{&model.Location{Name: "Guangxi", FIPS: "CH", ADM1: "16", Lat: 24, Lon: 109, Precision: "adm1"}, []string{"5", "Guangxi", "CH", "CH16", "", "24", "109", ""}},
		{&model.Location{Name: "Somewhere", Precision: "country"}, []string{"1", "Somewhere", "", "", "", "", "", ""}},
		{&model.Location{Name: "Odd", FIPS: "FR", Lat: 1, Lon: 2, Precision: "galaxy"}, []string{"0", "Odd", "FR", "", "", "1", "2", ""}},
	}
	empty := cases[0].want
	for _, c := range cases {
		// the location on the event alone: the actors' columns stay empty
		e := sample(2)
		e.Event.Location = c.loc
		out, _ := writeAll(t, "gdelt", Options{}, []Event{e})
		r := parseTSV(t, out, false, 61)[0]
		for k, f := range []string{"Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"} {
			if got := col(t, r, "ActionGeo_"+f); got != c.want[k] {
				t.Errorf("%v: ActionGeo_%s = %q, want %q", c.loc, f, got, c.want[k])
			}
			for _, a := range []string{"Actor1Geo_", "Actor2Geo_"} {
				if got := col(t, r, a+f); got != empty[k] {
					t.Errorf("%s%s = %q, want %q", a, f, got, empty[k])
				}
			}
		}
		// the same location on one actor at a time: the same rules
		for n, a := range []string{"Actor1Geo_", "Actor2Geo_"} {
			e := sample(2)
			src, tgt := *e.Event.Source, *e.Event.Target // samples share actors: copy
			e.Event.Source, e.Event.Target = &src, &tgt
			e.Event.Location = nil
			[]*model.Actor{&src, &tgt}[n].Location = c.loc
			out, _ := writeAll(t, "gdelt", Options{}, []Event{e})
			r := parseTSV(t, out, false, 61)[0]
			other := []string{"Actor2Geo_", "Actor1Geo_"}[n]
			for k, f := range []string{"Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"} {
				if got := col(t, r, a+f); got != c.want[k] {
					t.Errorf("%v: %s%s = %q, want %q", c.loc, a, f, got, c.want[k])
				}
				if got := col(t, r, other+f); got != empty[k] {
					t.Errorf("%v on %s: %s%s = %q, want %q", c.loc, a, other, f, got, empty[k])
				}
				if got := col(t, r, "ActionGeo_"+f); got != empty[k] {
					t.Errorf("%v on %s: ActionGeo_%s = %q, want %q", c.loc, a, f, got, empty[k])
				}
			}
		}
	}
}

func TestGDELTActorGeoBad(t *testing.T) {
	for _, l := range []model.Location{{Name: "Nowhere", Lat: 91}, {Name: "Nowhere", Lon: math.NaN()}, {Name: "Nowhere", Lon: -181}} {
		e := sample(2)
		tgt := *e.Event.Target
		tgt.Location = &l
		e.Event.Target = &tgt
		w := NewGDELT(io.Discard, Options{})
		err := w.Write(e)
		if err == nil || !strings.Contains(err.Error(), "actor 2 location") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: err %v, want a one-line error naming actor 2's location", l, err)
		}
	}
}

func TestGDELTHeader(t *testing.T) {
	out, _ := writeAll(t, "gdelt", Options{Header: true}, samples(3))
	rows := parseTSV(t, out, false, 61)
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(GDELTColumns, ",") {
		t.Fatalf("header row missing or wrong: %v", rows[0])
	}
	out, _ = writeAll(t, "gdelt", Options{Header: true}, nil)
	if string(out) != strings.Join(GDELTColumns, "\t")+"\n" {
		t.Fatalf("empty export with header: %q", out)
	}
	out, _ = writeAll(t, "gdelt", Options{}, nil)
	if len(out) != 0 {
		t.Fatalf("empty export without header: %q", out)
	}
}

func TestBadEventsRejected(t *testing.T) {
	mod := map[string]func(*Event){
		"id zero":          func(e *Event) { e.ID = 0 },
		"cameo short":      func(e *Event) { e.Event.CAMEO = "23" },
		"cameo letters":    func(e *Event) { e.Event.CAMEO = "02a1" },
		"cameo root 21":    func(e *Event) { e.Event.CAMEO = "210" },
		"cameo root 00":    func(e *Event) { e.Event.CAMEO = "001" },
		"quad 7":           func(e *Event) { e.Event.QuadClass = 7 },
		"date format":      func(e *Event) { e.Event.Date = "23/03/2021" },
		"no date":          func(e *Event) { e.Event.Date = ""; e.DateAdded = time.Time{} },
		"lat out of range": func(e *Event) { e.Event.Location = &model.Location{Name: "X", Lat: 91, Lon: 0} },
		"lon NaN":          func(e *Event) { e.Event.Location = &model.Location{Name: "X", Lat: 1, Lon: nan()} },
		"goldstein NaN":    func(e *Event) { e.Event.Goldstein = nan() },
		"confidence NaN":   func(e *Event) { e.Event.Confidence = nan() },
		"negative counts":  func(e *Event) { e.NumSources = -1 },
	}
	for _, format := range Formats() {
		for name, f := range mod {
			var buf bytes.Buffer
			w, err := New(format, &buf, Options{})
			if err != nil {
				t.Fatal(err)
			}
			bad := sample(0)
			f(&bad)
			err = w.Write(bad)
			if err == nil {
				t.Errorf("%s/%s: no error", format, name)
				continue
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "export: ") {
				t.Errorf("%s/%s: error not one line naming the package: %q", format, name, msg)
			}
			// The writer goes on: a good event after a bad one is written.
			good := sample(2)
			if err := w.Write(good); err != nil {
				t.Errorf("%s/%s: good event after bad: %v", format, name, err)
			}
			if err := w.Close(); err != nil {
				t.Errorf("%s/%s: close: %v", format, name, err)
			}
			want, _ := writeAll(t, format, Options{}, []Event{good})
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s/%s: the bad event left traces in the output", format, name)
			}
		}
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestEmptyDateFallsBackToDateAdded(t *testing.T) {
	e := sample(0)
	e.Event.Date = ""
	e.DateAdded = time.Date(2021, 3, 24, 23, 59, 0, 0, time.FixedZone("X", -3600)) // 2021-03-25 00:59 UTC
	out, _ := writeAll(t, "gdelt", Options{}, []Event{e})
	r := parseTSV(t, out, false, 61)[0]
	if col(t, r, "SQLDATE") != "20210325" || col(t, r, "DATEADDED") != "20210325005900" {
		t.Fatalf("SQLDATE %s DATEADDED %s", col(t, r, "SQLDATE"), col(t, r, "DATEADDED"))
	}
}

func TestWriteErrorsAreSticky(t *testing.T) {
	for _, format := range Formats() {
		w, err := New(format, &failWriter{n: 100}, Options{RowGroupSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		var got error
		for i := range 2000 {
			if got = w.Write(sample(i)); got != nil {
				break
			}
		}
		if got == nil {
			got = w.Close()
		} else if err := w.Close(); err == nil {
			t.Errorf("%s: Close after failed write succeeded", format)
		}
		if !errors.Is(got, errDisk) {
			t.Errorf("%s: error %v, want disk full", format, got)
		}
	}
}

func TestClosedWriter(t *testing.T) {
	for _, format := range Formats() {
		w, _ := New(format, io.Discard, Options{})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(sample(0)); err == nil {
			t.Errorf("%s: write after close succeeded", format)
		}
		if err := w.Close(); err == nil {
			t.Errorf("%s: second close succeeded", format)
		}
	}
	if _, err := New("xml", io.Discard, Options{}); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := New("parquet", io.Discard, Options{RowGroupSize: -1}); err == nil {
		t.Error("negative row group size accepted")
	}
}

func TestMentions(t *testing.T) {
	doc := model.Document{ID: "seed", URL: "https://www.upi.com/x.html", Outlet: "upi.com", Text: "Pékin et Moscou."}
	ev := sample(1).Event
	m := MentionFromModel(1001, ev, doc, added, added.Add(time.Hour))
	noURL := MentionFromModel(1002, ev, model.Document{ID: "file.txt", Outlet: "tab\tname", Text: "x"}, added, time.Time{})
	noURL.Actor2CharOffset = -7 // clamped to -1
	var buf bytes.Buffer
	w := NewMentions(&buf, Options{Header: true})
	for _, x := range []Mention{m, noURL} {
		if err := w.Write(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(Mention{EventID: 5, SentenceID: 0}); err == nil {
		t.Error("SentenceID 0 accepted")
	}
	if err := w.Write(Mention{EventID: 5, SentenceID: 1, Confidence: 101}); err == nil {
		t.Error("confidence 101 accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows := parseTSV(t, buf.Bytes(), false, 16)
	if len(rows) != 3 || rows[0][0] != "GLOBALEVENTID" || rows[0][15] != "Extras" {
		t.Fatalf("rows %v", rows)
	}
	want := []string{"1001", "20210324091530", "20210324101530", "1", "upi.com", "https://www.upi.com/x.html",
		"2", "340", "362", "767", "1", "75", "16", "0", "", ""}
	if strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("mention row\n got %v\nwant %v", rows[1], want)
	}
	want2 := []string{"1002", "20210324091530", "", "2", "tab name", "file.txt",
		"2", "340", "-1", "767", "1", "75", "1", "0", "", ""}
	if strings.Join(rows[2], "|") != strings.Join(want2, "|") {
		t.Errorf("mention row\n got %v\nwant %v", rows[2], want2)
	}
}
