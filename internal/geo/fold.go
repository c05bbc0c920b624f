package geo

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the key a name is matched by: lower case, accents removed,
// apostrophes and periods dropped, hyphens and runs of spaces made one space,
// and the abbreviations St, Ste, Mt and Ft spelled out, so that "Córdoba",
// "Cordoba", "St. Louis" and "Saint-Louis" meet the gazetteer's spellings.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	words := 0
	word := func(w string) {
		if w == "" {
			return
		}
		if words > 0 {
			b.WriteByte(' ')
		}
		words++
		b.WriteString(expand(w))
	}
	start := -1
	var cur []byte
	flush := func() {
		if start >= 0 {
			word(string(cur))
			cur = cur[:0]
			start = -1
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
				fallthrough
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if start < 0 {
					start = i
				}
				cur = append(cur, c)
			case c == '\'' || c == '.' || c == '`':
				// dropped inside a word: "Sana'a", "U.S."
			default:
				flush()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case isApostrophe(r):
			continue
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			cur = appendFolded(cur, r)
		default:
			flush()
		}
	}
	flush()
	return b.String()
}

func isApostrophe(r rune) bool {
	switch r {
	case '’', '‘', 'ʼ', 'ʻ', '´', 'ʹ', 'ʿ', 'ʾ':
		return true
	}
	return false
}

// appendFolded appends r lower-cased and stripped of accents.
func appendFolded(b []byte, r rune) []byte {
	if s, ok := special[r]; ok {
		return append(b, s...)
	}
	if unicode.IsMark(r) {
		return b
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
	for _, d := range norm.NFD.String(string(buf[:n])) {
		if unicode.IsMark(d) {
			continue
		}
		if s, ok := special[d]; ok {
			b = append(b, s...)
			continue
		}
		b = utf8.AppendRune(b, d)
	}
	return b
}

// special letters that do not decompose into a base letter and a mark.
var special = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i", 'ħ': "h", 'Ħ': "h",
	'ŋ': "ng", 'ə': "e", 'Ə': "e", 'ǝ': "e",
}

// expand spells out the abbreviations place names are written with.
func expand(w string) string {
	switch w {
	case "st":
		return "saint"
	case "ste":
		return "sainte"
	case "mt":
		return "mount"
	case "ft":
		return "fort"
	}
	return w
}
