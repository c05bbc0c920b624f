package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// creditMarkers open a credit even when no sentence ends before it
// ("... in Guilin Photo by X/EPA").
var creditMarkers = []string{
	" Photo by ", " Photo: ", " Photos: ", " Photograph: ", " (Photo", " (AP Photo", " AP Photo/",
	" REUTERS/", " Reuters/", " File Photo", " File photo", " (File photo", " Image: ", " Picture: ",
}

// agencySuffixes end a "Name/Agency" credit ("Carlos Barria/Reuters").
var agencySuffixes = []string{
	"getty images", "/reuters", "/afp", "/ap", "/epa", "/epa-efe", "/upi", "/pool", "/file photo",
	"/file", "/xinhua", "/tass", "/sipa", "/shutterstock", "/bloomberg", "/anadolu agency", "/sputnik",
	"/kcna", "/yonhap", "/kyodo", "/dpa", "/zuma press", "/alamy", "/ap photo", "/afp photo", "/handout",
}

// creditJoiners may be lower case inside a name credit.
var creditJoiners = map[string]bool{"via": true, "of": true, "the": true, "for": true, "de": true, "van": true, "von": true, "and": true}

// stripCredit cuts a photo credit (or a Reuters "(Reporting by ...)"
// trailer) from the end of a paragraph, keeping the caption sentence before
// it. credit is "" when there is none or nothing would be left.
func stripCredit(p string) (kept, credit string) {
	for b := max(1, len(p)-400); b < len(p); b++ {
		sp := strings.IndexByte(p[b-1:], ' ')
		if sp < 0 {
			break
		}
		if b += sp; b >= len(p) || !creditStart(p, b) {
			continue
		}
		tail := strings.TrimSpace(p[b:])
		if !isCredit(tail) {
			continue
		}
		kept = strings.TrimSpace(p[:b])
		if !hasAlnum(kept) {
			return p, ""
		}
		return kept, tail
	}
	return p, ""
}

// creditStart: a credit may begin at p[b] when a sentence ends just before it
// or a credit marker starts there.
func creditStart(p string, b int) bool {
	if p[b-1] != ' ' || p[b] == ' ' || !utf8.RuneStart(p[b]) {
		return false
	}
	if c := p[b]; c == 'P' || c == '(' || c == 'A' || c == 'R' || c == 'F' || c == 'I' { // first letters of creditMarkers
		for _, m := range creditMarkers {
			if strings.HasPrefix(p[b-1:], m) {
				return true
			}
		}
	}
	if p[b] == '(' {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(p[:b-1])
	return strings.ContainsRune(".!?\"”’')", before)
}

// isCredit: the tail is a credit line by boilerplate.txt, or a short
// "Name/Agency" credit in title case.
func isCredit(tail string) bool {
	if n := countWords(tail, 41); n == 0 || n > 40 {
		return false
	}
	if v := classify(tail); v.reason == ReasonCredit {
		return true
	}
	if countWords(tail, 9) > 8 {
		return false
	}
	low := strings.ToLower(strings.TrimRight(tail, ").] "))
	if !strings.Contains(low, "/") && !strings.Contains(low, "getty") {
		return false
	}
	suffix := false
	for _, s := range agencySuffixes {
		if strings.HasSuffix(low, s) {
			suffix = true
			break
		}
	}
	if !suffix {
		return false
	}
	for _, w := range strings.Fields(tail) {
		w = strings.TrimLeft(w, "([")
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !creditJoiners[strings.ToLower(w)] {
			return false
		}
	}
	return true
}
