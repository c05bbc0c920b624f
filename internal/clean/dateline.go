package clean

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/dyadproject/dyad/internal/dates"
	"github.com/dyadproject/dyad/internal/model"
)

// Datelines are looked for only at the start of the first few paragraphs, so
// regular expressions are affordable here; they are compiled once.
var (
	// "(Reuters)", "(AP)", "(AFP)", "(UPI)", "(Thomson Reuters Foundation)"
	agencyRe = regexp.MustCompile(`^[A-Za-z][A-Za-z.&' ]{0,38}[A-Za-z.]$`)
	// a date ending the head: "March 23", "Mar. 23, 2021", "23 March 2021"
	dateTailRe = regexp.MustCompile(`(?i)(?:^|,?\s+)((\pL{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+(\pL{3,9})\.?)(?:,?\s+(\d{4}))?$`)
	// "BEIJING", "WASHINGTON, D.C.", "KABUL, Afghanistan", "ST. PETERSBURG", "Rio de Janeiro"
	placeRe = regexp.MustCompile(`^\p{Lu}[\pL.'’/-]*(?:\s*,?\s+(?:\p{Lu}[\pL.'’/-]*|of|de|del|la|le|al|el|do|da|du|upon|on))*$`)
)

// notPlaces are all-capital words that open a paragraph with a dash or colon
// without being a place.
var notPlaces = map[string]bool{
	"UPDATE": true, "UPDATED": true, "BREAKING": true, "EXCLUSIVE": true, "WATCH": true, "VIDEO": true,
	"LIVE": true, "OPINION": true, "ANALYSIS": true, "EDITORIAL": true, "FACTBOX": true, "EXPLAINER": true,
	"CORRECTED": true, "CORRECTION": true, "REFILE": true, "NOTE": true, "PHOTOS": true, "COMMENTARY": true,
	"INTERVIEW": true, "REVIEW": true, "FEATURE": true, "URGENT": true, "FLASH": true, "ALERT": true,
	"SPECIAL": true, "WARNING": true, "EDITOR'S": true, "EDITORS": true, "Q": true, "A": true, "UPDATES": true, "DEAR": true,
	"TIMELINE": true, "QUOTES": true, "POLL": true, "INSIGHT": true, "PREVIEW": true, "RPT": true,
}

// knownAgencies are the news agencies and outlets whose datelines are trusted
// with a place in any case ("Paris (AFP) -").
var knownAgencies = map[string]bool{
	"reuters": true, "ap": true, "afp": true, "upi": true, "xinhua": true, "ians": true, "pti": true,
	"ani": true, "dpa": true, "bloomberg": true, "tass": true, "itar-tass": true, "kyodo": true,
	"yonhap": true, "ria novosti": true, "ria": true, "interfax": true, "efe": true, "ansa": true,
	"cnn": true, "bbc": true, "al jazeera": true, "sputnik": true, "anadolu": true, "aa": true,
	"irna": true, "kcna": true, "sana": true, "wam": true, "spa": true, "bernama": true, "antara": true,
	"apa": true, "mena": true, "petra": true, "kuna": true, "qna": true, "bna": true, "nhk": true,
	"ips": true, "jta": true, "hina": true, "bta": true, "ctk": true, "pap": true, "mti": true,
	"ukrinform": true, "unian": true, "belta": true, "azertag": true, "kazinform": true, "ucan": true,
	"thomson reuters foundation": true, "reuters health": true, "cna": true, "mna": true, "isna": true,
	"fars": true, "tasnim": true, "xinhuanet": true, "cbs news": true, "abc news": true, "nbc news": true,
}

// dash finds the separator that ends a dateline head: "--", "—", "–", a
// spaced or post-parenthesis hyphen, or ": ". It returns its byte range.
func dash(p string) (start, end int, colon bool) {
	limit := min(len(p), 160)
	for i := 0; i < limit; i++ {
		switch {
		case strings.HasPrefix(p[i:], "--"):
			j := i + 2
			for j < len(p) && p[j] == '-' {
				j++
			}
			return i, j, false
		case strings.HasPrefix(p[i:], "—"), strings.HasPrefix(p[i:], "–"):
			return i, i + len("—"), false
		case p[i] == '-' && i > 0 && (p[i-1] == ')' || (p[i-1] == ' ' || isDigit(p[i-1])) && (i+1 == len(p) || p[i+1] == ' ')):
			return i, i + 1, false
		case p[i] == ':' && (i+1 == len(p) || p[i+1] == ' '):
			return i, i + 1, true
		}
	}
	return -1, -1, false
}

// parseDateline reads the dateline that opens paragraph p. rest is the
// paragraph without it.
func parseDateline(p string, ref time.Time) (dl *model.Dateline, rest string) {
	start, end, colon := dash(p)
	if start <= 0 {
		return nil, p
	}
	head := strings.TrimSpace(p[:start])
	var agency string
	if strings.HasSuffix(head, ")") {
		open := strings.LastIndexByte(head, '(')
		if open < 0 {
			return nil, p
		}
		agency = head[open+1 : len(head)-1]
		if !agencyRe.MatchString(agency) || countWords(agency, 5) > 4 {
			return nil, p
		}
		head = strings.TrimRight(head[:open], " ,")
		// an agency we do not know needs a capitalised name and a place in
		// capitals (or none): "Schools' Factual (primary) -" is no dateline
		if !knownAgencies[strings.ToLower(agency)] {
			if r := rune(agency[0]); !unicode.IsUpper(r) {
				return nil, p
			}
			if h := strings.TrimSpace(head); h == "" || dateTailRe.FindStringIndex(h) == nil && !capsPlace(h) {
				return nil, p
			}
		}
	}
	date, place, hasDate := "", head, false
	if m := dateTailRe.FindStringSubmatchIndex(head); m != nil {
		monthName, day, year := sub(head, m, 2), sub(head, m, 3), sub(head, m, 6)
		if monthName == "" {
			monthName, day = sub(head, m, 5), sub(head, m, 4)
		}
		if mon, ok := dates.Month(monthName); ok && atoi(day) >= 1 && atoi(day) <= 31 {
			date, hasDate = resolveDatelineDate(mon, atoi(day), atoi(year), ref), true
			place = strings.TrimRight(head[:m[0]], " ,")
		}
	}
	if place != "" && !validPlace(place) {
		return nil, p
	}
	rest = strings.TrimSpace(p[end:])
	switch {
	case agency != "":
		if colon {
			return nil, p
		}
	case hasDate && !colon:
		if place == "" {
			return nil, p
		}
	default:
		// "LONDON —", "NEW DELHI:": only a place in capitals, then a sentence
		if !capsPlace(place) || !proseAfter(rest) {
			return nil, p
		}
	}
	return &model.Dateline{Place: place, Date: date, Agency: agency, Text: strings.TrimSpace(p[:end])}, rest
}

// proseAfter: what follows a dateline without an agency is a sentence (or
// nothing, when the dateline stood on its own line), not a headline's rest.
func proseAfter(rest string) bool {
	return rest == "" || countWords(rest, 6) >= 6
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func sub(s string, m []int, g int) string {
	if m[2*g] < 0 {
		return ""
	}
	return s[m[2*g]:m[2*g+1]]
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 6; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func validPlace(p string) bool {
	return len(p) <= 60 && countWords(p, 7) <= 6 && placeRe.MatchString(p)
}

// capsPlace: a place in capitals ("LONDON", "NEW YORK, N.Y.") that is not a
// story label ("EXCLUSIVE", "UPDATE").
func capsPlace(p string) bool {
	if p == "" || !validPlace(p) {
		return false
	}
	lead, _, _ := strings.Cut(p, ",") // "NEW YORK", from "NEW YORK, N.Y."
	first := strings.Fields(lead + " x")[0]
	letters := 0
	for _, r := range lead {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2 && !notPlaces[strings.TrimRight(first, ".,")]
}

// resolveDatelineDate gives a dateline's month and day a year: the explicit
// one, else ref's, else the year before when ref's would put the dateline
// more than a day after ref. "" when the year or the date is unknown.
func resolveDatelineDate(m time.Month, d, year int, ref time.Time) string {
	if year == 0 {
		if ref.IsZero() {
			return ""
		}
		ry, rm, rd := ref.Date()
		refDay := time.Date(ry, rm, rd, 0, 0, 0, 0, time.UTC)
		year = ry
		if t := time.Date(year, m, d, 0, 0, 0, 0, time.UTC); t.After(refDay.AddDate(0, 0, 1)) {
			year--
		}
	}
	t := time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Month() != m || t.Day() != d {
		return ""
	}
	return t.Format("2006-01-02")
}
