package clean

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/dates"
)

//go:embed boilerplate.txt
var boilerplateText string

// Reasons recorded in Removed.
const (
	ReasonBoilerplate = "boilerplate"
	ReasonCredit      = "credit"
	ReasonTrailer     = "trailer"
	ReasonLabel       = "label"
	ReasonDuplicate   = "duplicate"
	ReasonByline      = "byline"
	ReasonDate        = "date"
	ReasonSeparator   = "separator"
	ReasonDateline    = "dateline"
	ReasonBinary      = "binary"
)

// Pattern forms of boilerplate.txt.
const (
	formExact = iota
	formPrefix
	formShort
	formLabel
)

type rule struct {
	pat      string // lower case
	form     int
	reason   string
	boundary bool // the pattern ends in a letter: the match must end at a word boundary
}

// matcher holds boilerplate.txt: a map for whole lines and, for prefixes, a
// short list per first byte, so a line costs one map lookup and a few
// HasPrefix calls.
type matcher struct {
	exact    map[string]rule
	maxExact int
	prefix   [256][]rule
}

const keyLen = 64 // bytes of a line that matching looks at

var bp = mustParseRules(boilerplateText)

func mustParseRules(text string) *matcher {
	m, err := parseRules(text)
	if err != nil {
		panic("clean: boilerplate.txt: " + err.Error())
	}
	return m
}

func parseRules(text string) (*matcher, error) {
	m := &matcher{exact: map[string]rule{}}
	reason := ""
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' && line[len(line)-1] == ']' {
			switch reason = line[1 : len(line)-1]; reason {
			case ReasonBoilerplate, ReasonCredit, ReasonTrailer:
			default:
				return nil, fmt.Errorf("line %d: unknown section %s", n+1, line)
			}
			continue
		}
		if reason == "" {
			return nil, fmt.Errorf("line %d: pattern before any [section]", n+1)
		}
		r := rule{form: formExact, reason: reason}
		for _, f := range []struct {
			tag  string
			form int
		}{{"prefix:", formPrefix}, {"short:", formShort}, {"label:", formLabel}} {
			if strings.HasPrefix(line, f.tag) {
				r.form, line = f.form, strings.TrimSpace(line[len(f.tag):])
				break
			}
		}
		var buf [keyLen]byte
		if len(line) > keyLen {
			return nil, fmt.Errorf("line %d: pattern longer than %d bytes", n+1, keyLen)
		}
		r.pat = string(foldKey(line, buf[:0]))
		if r.pat == "" {
			return nil, fmt.Errorf("line %d: empty pattern", n+1)
		}
		if r.form == formExact {
			r.pat = string(trimKeyEnd([]byte(r.pat)))
			m.exact[r.pat] = r
			m.maxExact = max(m.maxExact, len(r.pat))
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(r.pat)
		r.boundary = unicode.IsLetter(last)
		m.prefix[r.pat[0]] = append(m.prefix[r.pat[0]], r)
	}
	return m, nil
}

// foldKey appends the matching form of s to dst: leading bullets dropped,
// ASCII lower-cased, curly quotes straightened, at most keyLen bytes. Bytes
// before the first curly quote keep their offsets, which label stripping uses.
func foldKey(s string, dst []byte) []byte {
	s = trimBullets(s)
	for i := 0; i < len(s) && len(dst) < cap(dst); {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+'a'-'A')
			i++
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x98 || s[i+2] == 0x99): // ‘ ’
			dst = append(dst, '\'')
			i += 3
		default:
			dst = append(dst, c)
			i++
		}
	}
	// never end inside a rune
	start := len(dst)
	for start > 0 && len(dst)-start < utf8.UTFMax && !utf8.RuneStart(dst[start-1]) {
		start--
	}
	if start > 0 && !utf8.FullRune(dst[start-1:]) {
		dst = dst[:start-1]
	}
	return dst
}

// trimBullets drops list bullets and arrows that open a line.
func trimBullets(s string) string {
	return strings.TrimLeft(s, "•·*►▶>|-–— ")
}

// trimKeyEnd drops the punctuation that ends menu items: "Share:", "Next »".
func trimKeyEnd(k []byte) []byte {
	return bytes.TrimRight(k, ":.|»›>…!-–— ")
}

// verdict is what a line or paragraph is.
type verdict struct {
	reason string // "" keeps it
	label  int    // for a label: bytes of the line to drop (reason is ReasonLabel)
	marker bool   // a trailer line
}

// classifyExact applies only the whole-line patterns.
func classifyExact(s string) verdict {
	var buf [keyLen]byte
	return exactKey(s, foldKey(s, buf[:0]))
}

func exactKey(s string, key []byte) verdict {
	if len(trimBullets(s)) > keyLen {
		return verdict{}
	}
	if k := trimKeyEnd(key); len(k) > 0 && len(k) <= bp.maxExact {
		if r, ok := bp.exact[string(k)]; ok {
			return verdict{reason: r.reason, marker: r.reason == ReasonTrailer}
		}
	}
	return verdict{}
}

// classify says whether s (one normalised line or paragraph) is boilerplate.
func classify(s string) verdict {
	var buf [keyLen]byte
	key := foldKey(s, buf[:0])
	if len(key) == 0 {
		if hasAlnum(s) {
			return verdict{}
		}
		return verdict{reason: ReasonSeparator}
	}
	if v := exactKey(s, key); v.reason != "" {
		return v
	}
	for _, r := range bp.prefix[key[0]] {
		if len(key) < len(r.pat) || string(key[:len(r.pat)]) != r.pat {
			continue
		}
		if r.boundary && len(key) > len(r.pat) && isWordByte(key[len(r.pat)]) {
			continue
		}
		switch r.form {
		case formShort:
			if countWords(s, 13) > 12 || endsSentence(s) {
				continue
			}
		case formLabel:
			lead := len(s) - len(trimBullets(s))
			rest := strings.TrimLeft(s[lead+len(r.pat):], " :")
			return verdict{reason: ReasonLabel, label: len(s) - len(rest)}
		}
		return verdict{reason: r.reason, marker: r.reason == ReasonTrailer}
	}
	if !hasAlnum(s) {
		return verdict{reason: ReasonSeparator}
	}
	if isByline(s) {
		return verdict{reason: ReasonByline}
	}
	if isDateLine(s) {
		return verdict{reason: ReasonDate}
	}
	return verdict{}
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// endsSentence: the last rune is . ! or ? (possibly inside a closing quote).
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "\"'”’) ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?'
}

var bylineConnectors = map[string]bool{
	"and": true, "&": true, "de": true, "van": true, "der": true, "von": true, "al": true,
	"bin": true, "la": true, "le": true, "du": true, "da": true, "dos": true, "|": true, "-": true, "—": true, "–": true,
}

// isByline matches "By John Smith", "By JANE DOE and Li Wei, Reuters": every
// word after "By" is capitalised or a connector, the first is not a month or
// weekday ("By March ..."), and the line does not end like a sentence.
func isByline(s string) bool {
	if !strings.HasPrefix(s, "By ") && !strings.HasPrefix(s, "BY ") {
		return false
	}
	words := strings.Fields(s[3:])
	if len(words) == 0 || len(words) > 12 || endsSentence(s) && !strings.HasSuffix(s, ".)") {
		return false
	}
	for i, w := range words {
		w = strings.TrimRight(w, ",;")
		if w == "" || bylineConnectors[strings.ToLower(w)] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
		if i == 0 {
			if _, ok := dates.Month(w); ok {
				return false
			}
			if _, ok := dates.Weekday(w); ok {
				return false
			}
		}
	}
	return true
}

var dateLineWords = map[string]bool{
	"updated": true, "published": true, "posted": true, "modified": true, "last": true, "first": true,
	"on": true, "at": true, "am": true, "pm": true, "a": true, "p": true, "m": true, "hrs": true,
	"gmt": true, "utc": true, "et": true, "edt": true, "est": true, "bst": true, "cet": true, "cest": true,
	"ist": true, "jst": true, "kst": true, "pt": true, "pdt": true, "pst": true, "ct": true, "cdt": true,
	"cst": true, "msk": true, "hkt": true, "sgt": true, "aest": true, "aedt": true,
}

// isDateLine matches lines that only carry a publication date or time:
// "Tuesday, March 23, 2021", "Updated: 23 March 2021 10:31 GMT", "2021-03-23".
func isDateLine(s string) bool {
	if _, ok := dates.ParseDate(s); ok {
		return true
	}
	// "On Tuesday," is a broken-off piece of a sentence, not a date line
	if len(s) > 80 || strings.HasSuffix(s, ",") || strings.HasPrefix(s, "On ") {
		return false
	}
	named := false
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size = utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += size
		}
		f := s[i:j]
		i = j
		if n++; n > 14 {
			return false
		}
		switch {
		case isASCIIDigits(f):
		case len(f) <= 9 && dateLineWords[asciiLower(f)]:
		default:
			_, isMonth := dates.Month(f)
			_, isDay := dates.Weekday(f)
			if !isMonth && !isDay || f[0] < 'A' || f[0] > 'Z' {
				return false
			}
			named = true
		}
	}
	return named
}

// asciiLower lower-cases a short word without allocating when it already is.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
