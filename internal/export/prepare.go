package export

import (
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

// prepared is what every format derives from an Event, checked once.
type prepared struct {
	e                *Event
	date             time.Time // event day, UTC midnight
	code, base, root string    // "0231", "023", "02"
	quad             int
	loc              *model.Location // nil when the event has none
	located          bool            // loc has usable coordinates
}

// prepare checks an event and derives its CAMEO parts, date and quad class.
func prepare(e *Event) (prepared, error) {
	p := prepared{e: e, loc: e.Event.Location}
	if e.ID <= 0 {
		return p, fmt.Errorf("export: event %q: GLOBALEVENTID %d is not positive", e.Event.EventID, e.ID)
	}
	c := e.Event.CAMEO
	if (len(c) != 3 && len(c) != 4) || !digits(c) {
		return p, fmt.Errorf("export: event %d: CAMEO code %q is not 3 or 4 digits", e.ID, c)
	}
	p.code, p.base, p.root = c, c[:3], c[:2]
	r := int(c[0]-'0')*10 + int(c[1]-'0')
	if r < 1 || r > 20 {
		return p, fmt.Errorf("export: event %d: CAMEO code %q has no root 01–20", e.ID, c)
	}
	switch q := e.Event.QuadClass; {
	case q >= 1 && q <= 4:
		p.quad = q
	case q == 0: // unset: CAMEO's fixed root → quad mapping
		p.quad = quadOfRoot(r)
	default:
		return p, fmt.Errorf("export: event %d: quad class %d is not 1–4", e.ID, q)
	}
	if g := e.Event.Goldstein; math.IsNaN(g) || math.IsInf(g, 0) {
		return p, fmt.Errorf("export: event %d: Goldstein score is %v", e.ID, g)
	}
	if c := e.Event.Confidence; math.IsNaN(c) || math.IsInf(c, 0) {
		return p, fmt.Errorf("export: event %d: confidence is %v", e.ID, c)
	}
	if t := e.AvgTone; math.IsNaN(t) || math.IsInf(t, 0) {
		return p, fmt.Errorf("export: event %d: AvgTone is %v", e.ID, t)
	}
	if e.NumMentions < 0 || e.NumSources < 0 || e.NumArticles < 0 {
		return p, fmt.Errorf("export: event %d: negative mention count", e.ID)
	}
	switch d := e.Event.Date; {
	case d != "":
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return p, fmt.Errorf("export: event %d: date %q is not YYYY-MM-DD", e.ID, d)
		}
		p.date = t
	case !e.DateAdded.IsZero():
		y, m, dd := e.DateAdded.UTC().Date()
		p.date = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	default:
		return p, fmt.Errorf("export: event %d: no date and no DateAdded", e.ID)
	}
	if y := p.date.Year(); y < 1 || y > 9999 {
		return p, fmt.Errorf("export: event %d: year %d out of range", e.ID, y)
	}
	if l := p.loc; l != nil {
		if math.IsNaN(l.Lat) || math.IsNaN(l.Lon) || l.Lat < -90 || l.Lat > 90 || l.Lon < -180 || l.Lon > 180 {
			return p, fmt.Errorf("export: event %d: location %q has coordinates out of range (%v, %v)", e.ID, l.Name, l.Lat, l.Lon)
		}
		// 0,0 is open sea: a location without coordinates, not a place.
		p.located = l.Lat != 0 || l.Lon != 0
	}
	return p, nil
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quadOfRoot: verbal cooperation 01–05, material cooperation 06–08, verbal
// conflict 09–13, material conflict 14–20.
func quadOfRoot(r int) int {
	switch {
	case r <= 5:
		return 1
	case r <= 8:
		return 2
	case r <= 13:
		return 3
	}
	return 4
}

// appendField appends s as one tab-separated field: tabs, line breaks and
// other control characters become spaces and double quotes become single
// ones, so no reader, quote-aware or not, can split or merge a row; invalid
// UTF-8 becomes U+FFFD.
func appendField(dst []byte, s string) []byte {
	if clean(s) {
		return append(dst, s...)
	}
	for _, r := range s { // ranging over a string yields U+FFFD for bad bytes
		switch {
		case r < 0x20 || r == 0x7f:
			dst = append(dst, ' ')
		case r == '"':
			dst = append(dst, '\'')
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// appendURL is appendField for URLs, where a quote is percent-encoded.
func appendURL(dst []byte, s string) []byte {
	if clean(s) {
		return append(dst, s...)
	}
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			dst = append(dst, "%20"...)
		case r == '"':
			dst = append(dst, "%22"...)
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '"' {
			return false
		}
		if c >= utf8.RuneSelf {
			return utf8.ValidString(s[i:]) && !hasControl(s[i:])
		}
	}
	return true
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c == '"' {
			return true
		}
	}
	return false
}
