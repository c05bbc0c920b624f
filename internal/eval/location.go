package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/dyadproject/dyad/internal/model"
)

// GoldLocation is a gold sentence's "event_loc": the place its events
// happened, with the country's ISO 3166-1 alpha-2 code where the gold gives it.
type GoldLocation struct {
	Name        string `json:"name"`
	CountryCode string `json:"country code,omitempty"`
}

// goldLocation reads "event_loc" leniently: anything but an object with a
// name (absent, {}, a string) means the gold gives no location.
func goldLocation(raw json.RawMessage) *GoldLocation {
	var l GoldLocation
	if len(raw) == 0 || json.Unmarshal(raw, &l) != nil || strings.TrimSpace(l.Name) == "" {
		return nil
	}
	l.Name = strings.TrimSpace(l.Name)
	return &l
}

// LocPred is a predicted event with its location.
type LocPred struct {
	CAMEO    string
	PLOVER   string
	Location *model.Location
}

// LocationReport scores predicted event locations on the gold sentences
// that give one. An event is scored when its type matches one of the
// sentence's gold events (the type level of Score).
type LocationReport struct {
	Sentences        int            `json:"sentences"`          // gold sentences with a location
	WithEvents       int            `json:"with_events"`        // ... where a predicted event matches a gold type
	Events           int            `json:"events"`             // matched predicted events
	Located          int            `json:"located"`            // ... that have a location
	CountryCorrect   int            `json:"country_correct"`    // ... in the gold's country
	PlaceCorrect     int            `json:"place_correct"`      // ... naming the gold's place
	SentCountryRight int            `json:"sent_country_right"` // sentences whose first matched event has the gold's country
	SentPlaceRight   int            `json:"sent_place_right"`   // ... and names the gold's place
	Misses           []LocationMiss `json:"misses"`
}

// LocationMiss is a matched event placed elsewhere than the gold says.
type LocationMiss struct {
	ID   string `json:"id"`
	Gold string `json:"gold"`
	Got  string `json:"got"`
}

// ScoreLocations compares the locations of predicted events (keyed by
// record ID) with the gold's. goldCountry gives the ISO 3166-1 alpha-3 code
// of a gold location ("" when unknown: the event then counts as wrong on
// country).
func ScoreLocations(records []Record, preds map[string][]LocPred, goldCountry func(GoldLocation) string) LocationReport {
	var rep LocationReport
	rep.Misses = []LocationMiss{}
	for _, rec := range records {
		if rec.Location == nil {
			continue
		}
		rep.Sentences++
		gc := goldCountry(*rec.Location)
		first := true
		for _, p := range preds[rec.ID] {
			if !typeMatches(rec, p) {
				continue
			}
			rep.Events++
			cOK, pOK := false, false
			if l := p.Location; l != nil {
				rep.Located++
				cOK = gc != "" && l.Country == gc
				pOK = cOK && samePlace(rec.Location.Name, l)
			}
			if cOK {
				rep.CountryCorrect++
			}
			if pOK {
				rep.PlaceCorrect++
			}
			if first {
				rep.WithEvents++
				if cOK {
					rep.SentCountryRight++
				}
				if pOK {
					rep.SentPlaceRight++
				}
				first = false
			}
			if !pOK {
				got := "(none)"
				if l := p.Location; l != nil {
					got = fmt.Sprintf("%s [%s, %s: %q]", l.Name, l.Country, l.Reason, l.Text)
				}
				rep.Misses = append(rep.Misses, LocationMiss{ID: rec.ID, Gold: fmt.Sprintf("%s [%s]", rec.Location.Name, gc), Got: got})
			}
		}
	}
	return rep
}

// typeMatches: the prediction has the type of one of the sentence's gold events.
func typeMatches(rec Record, p LocPred) bool {
	pp := predPLOVER(Pred{CAMEO: p.CAMEO, PLOVER: p.PLOVER})
	for _, g := range rec.Expected {
		if sameType(g, Pred{CAMEO: p.CAMEO, PLOVER: p.PLOVER}, pp) {
			return true
		}
	}
	return false
}

// samePlace: the gold's place name and the location's text or name share
// their words ("province of Herat" and "Herat"; "Jaffna peninsula" and
// "Jaffna"), compared without case and accents.
func samePlace(gold string, l *model.Location) bool {
	g := words(gold)
	for _, cand := range []string{l.Text, strings.Split(l.Name, ",")[0]} {
		c := words(cand)
		if len(c) == 0 {
			continue
		}
		if contains(g, c) || contains(c, g) {
			return true
		}
	}
	return false
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// contains: b's words appear in a, in order and together.
func contains(a, b []string) bool {
	if len(b) == 0 || len(b) > len(a) {
		return false
	}
	for i := 0; i+len(b) <= len(a); i++ {
		ok := true
		for k := range b {
			if a[i+k] != b[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// WriteText prints the location scores, one figure a line.
func (r LocationReport) WriteText(w io.Writer) {
	pct := func(a, b int) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.3f (%d/%d)", float64(a)/float64(b), a, b)
	}
	fmt.Fprintf(w, "event locations: %d gold sentences give one; %d have a type-matched predicted event (%d events, %d located)\n",
		r.Sentences, r.WithEvents, r.Events, r.Located)
	fmt.Fprintf(w, "  country accuracy  %s of matched events; first event per sentence %s\n", pct(r.CountryCorrect, r.Events), pct(r.SentCountryRight, r.WithEvents))
	fmt.Fprintf(w, "  place accuracy    %s of matched events; first event per sentence %s\n", pct(r.PlaceCorrect, r.Events), pct(r.SentPlaceRight, r.WithEvents))
}
