// Package eval scores predicted events against hand-coded gold sentences
// (JSON Lines) at three levels: event type, dyad and exact.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// GoldEvent is one expected event. CAMEO is the CAMEO code (for PLOVER gold
// the aligned code, possibly ""); PLOVER is the PLOVER 2 category, set only for
// PLOVER gold, where it decides the type level.
type GoldEvent struct {
	Source string `json:"source"`
	Target string `json:"target"`
	CAMEO  string `json:"cameo,omitempty"`
	PLOVER string `json:"plover,omitempty"`
}

// Record is one gold sentence.
type Record struct {
	ID       string
	Text     string
	Date     string
	Set      string
	Expected []GoldEvent
	// PLOVER marks a record from PLOVER gold: its false alarms are filed under
	// PLOVER categories. ReadGold sets it for every record of a file in which
	// any event carries a PLOVER category.
	PLOVER bool
	// Location is where the sentence's events happened ("event_loc"); nil
	// when the gold gives none.
	Location *GoldLocation
}

// rawRecord is the gold line as written.
type rawRecord struct {
	ID       string          `json:"id"`
	Set      string          `json:"set"`
	Text     string          `json:"text"`
	Date     json.RawMessage `json:"date"`
	Expected *[]rawEvent     `json:"expected"`
	NoEvents bool            `json:"noevents"`
	Evaluate *bool           `json:"evaluate"`
	EventLoc json.RawMessage `json:"event_loc"`
}

type rawEvent struct {
	Source   string `json:"source"`
	Target   string `json:"target"`
	Code     string `json:"code"`
	PLOVERv2 string `json:"plover_v2"`
	CAMEO    string `json:"cameo"`
}

// maxLine bounds one gold line; PETRARCH records carry whole parse trees.
const maxLine = 16 << 20

// ReadGold reads a gold JSON Lines file. Records with "evaluate": false are
// left out. A malformed line is skipped and reported as "file:line: reason";
// the records read are returned with all such problems joined into one error.
// A repeated id gets "#2", "#3", ... appended so that every record can be keyed
// by its ID. A file that cannot be read returns nil and the error.
func ReadGold(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var (
		recs   []Record
		errs   []error
		seen   = map[string]int{}
		plover bool
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		rec, keep, err := parseLine(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %v", path, n, err))
			continue
		}
		if !keep {
			continue
		}
		seen[rec.ID]++
		if k := seen[rec.ID]; k > 1 {
			rec.ID += "#" + strconv.Itoa(k)
		}
		for _, e := range rec.Expected {
			plover = plover || e.PLOVER != ""
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s:%d: %v", path, n+1, err))
	}
	if plover {
		for i := range recs {
			recs[i].PLOVER = true
		}
	}
	return recs, errors.Join(errs...)
}

// parseLine decodes one line; keep is false for records marked not to be
// evaluated.
func parseLine(line []byte) (rec Record, keep bool, err error) {
	var raw rawRecord
	if err := json.Unmarshal(line, &raw); err != nil {
		return rec, false, fmt.Errorf("invalid JSON: %v", err)
	}
	if raw.Evaluate != nil && !*raw.Evaluate {
		return rec, false, nil
	}
	rec = Record{
		ID:   strings.TrimSpace(raw.ID),
		Text: raw.Text,
		Set:  raw.Set,
		Date: rawDate(raw.Date),
	}
	rec.Location = goldLocation(raw.EventLoc)
	switch {
	case rec.ID == "":
		return rec, false, errors.New("no id")
	case strings.TrimSpace(rec.Text) == "":
		return rec, false, fmt.Errorf("record %s has no text", rec.ID)
	case raw.Expected == nil && !raw.NoEvents:
		return rec, false, fmt.Errorf("record %s has no \"expected\" list", rec.ID)
	}
	if raw.Expected != nil {
		for i, re := range *raw.Expected {
			e, err := goldEvent(re)
			if err != nil {
				return rec, false, fmt.Errorf("record %s event %d: %v", rec.ID, i+1, err)
			}
			rec.Expected = append(rec.Expected, e)
		}
	}
	return rec, true, nil
}

// goldEvent reads the code fields: plover_v2 marks PLOVER gold (with the
// aligned CAMEO code in "cameo"); otherwise a numeric code is CAMEO and a
// word is taken as a PLOVER category.
func goldEvent(re rawEvent) (GoldEvent, error) {
	e := GoldEvent{Source: strings.TrimSpace(re.Source), Target: strings.TrimSpace(re.Target)}
	code := strings.TrimSpace(re.Code)
	switch {
	case strings.TrimSpace(re.PLOVERv2) != "":
		e.PLOVER = strings.ToUpper(strings.TrimSpace(re.PLOVERv2))
		e.CAMEO = strings.TrimSpace(re.CAMEO)
	case looksCAMEO(code):
		e.CAMEO = code
	case code != "":
		e.PLOVER = strings.ToUpper(code)
		e.CAMEO = strings.TrimSpace(re.CAMEO)
	default:
		return e, errors.New("no code")
	}
	return e, nil
}

// looksCAMEO reports whether a code starts with two digits (PETRARCH test
// codes such as "174K" count).
func looksCAMEO(s string) bool {
	return len(s) >= 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
}

// rawDate accepts a date written as a JSON string or a bare number.
func rawDate(m json.RawMessage) string {
	if len(m) == 0 || string(m) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(m, &s) == nil {
		return s
	}
	return string(m)
}
