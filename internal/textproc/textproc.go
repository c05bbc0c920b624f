// Package textproc splits cleaned text into sentences and tokens in one byte
// scan. It is the coder's hot path: no regular expressions, and one allocation
// per token for the lowercase form only when the token has capitals.
package textproc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is a token's coarse class.
type Kind uint8

const (
	Word Kind = iota
	Number
	Punct
)

// Token is one token. Start/End are rune offsets into the text given to Split.
type Token struct {
	Text  string // as written (curly apostrophes kept)
	Lower string // lowercased, apostrophes normalised to '
	Start int
	End   int
	Kind  Kind
	Cap   bool // starts with an upper-case letter
	NL    bool // a newline follows: a paragraph or line ends here
}

// Sentence is a sentence's span and tokens.
type Sentence struct {
	Start, End int // rune offsets
	Tokens     []Token
}

// abbreviations whose period does not end a sentence.
var abbrev = map[string]bool{
	"mr.": true, "mrs.": true, "ms.": true, "dr.": true, "gen.": true, "lt.": true, "col.": true,
	"maj.": true, "capt.": true, "sgt.": true, "sen.": true, "rep.": true, "gov.": true, "pres.": true,
	"prof.": true, "st.": true, "jr.": true, "sr.": true, "vs.": true, "adm.": true,
	"cmdr.": true, "rev.": true, "hon.": true, "amb.": true, "ft.": true, "mt.": true, "inc.": true,
	"corp.": true, "co.": true, "ltd.": true, "jan.": true, "feb.": true, "mar.": true, "apr.": true,
	"aug.": true, "sep.": true, "sept.": true, "oct.": true, "nov.": true, "dec.": true, "e.g.": true,
	"i.e.": true, "etc.": true, "approx.": true, "dept.": true, "est.": true,
}

// Split tokenises text and groups tokens into sentences. Paragraph breaks
// (a newline) always end a sentence.
func Split(text string) []Sentence {
	toks := Tokenize(text)
	var out []Sentence
	start := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		end := false
		if t.Kind == Punct && (t.Text == "." || t.Text == "!" || t.Text == "?") {
			// absorb closing quotes/brackets into this sentence
			for i+1 < len(toks) && isCloser(toks[i+1].Text) && toks[i+1].Start == toks[i].End {
				i++
			}
			end = true
		} else if t.Kind == Word && strings.HasSuffix(t.Lower, ".") && !abbrev[t.Lower] && i+1 < len(toks) && toks[i+1].Cap && !isInitialism(t.Lower) {
			end = true
		}
		// a newline between this token and the next ends the sentence
		if !end && t.NL {
			end = true
		}
		if end || i == len(toks)-1 {
			out = append(out, Sentence{Start: toks[start].Start, End: toks[i].End, Tokens: toks[start : i+1 : i+1]})
			start = i + 1
		}
	}
	return out
}

func isCloser(s string) bool {
	return s == "\"" || s == "'" || s == ")" || s == "”" || s == "’" || s == "]"
}

// isInitialism reports U.S.-style tokens, which rarely end sentences mid-text.
func isInitialism(lower string) bool {
	return len(lower) >= 4 && lower[1] == '.'
}

// Tokenize splits text into tokens; a token followed by a newline has NL set.
func Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/5+4)
	runeIdx := 0
	i := 0
	n := len(text)
	pendingNL := false
	for i < n {
		r, sz := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, sz = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r == '\n':
			pendingNL = true
			i += sz
			runeIdx++
			continue
		case unicode.IsSpace(r):
			i += sz
			runeIdx++
			continue
		}
		if pendingNL && len(toks) > 0 {
			toks[len(toks)-1].NL = true
		}
		pendingNL = false
		startByte, startRune := i, runeIdx
		if isWordRune(r) {
			// word: letters/digits with inner apostrophes, hyphens and dots
			j, rj := i, runeIdx
			lastWasDot := false
			for j < n {
				c, csz := rune(text[j]), 1
				if c >= utf8.RuneSelf {
					c, csz = utf8.DecodeRuneInString(text[j:])
				}
				if isWordRune(c) {
					lastWasDot = false
					j += csz
					rj++
					continue
				}
				if c == ',' && j+1 < n && j > i && isDigit(text[j-1]) && isDigit(text[j+1]) {
					// thousands separator: 25,000
					j++
					rj++
					continue
				}
				if (c == '-' || c == '.' || c == '\'' || c == '’' || c == '&') && j+csz < n {
					nc, _ := utf8.DecodeRuneInString(text[j+csz:])
					if isWordRune(nc) && !(c == '.' && lastWasDot) {
						if c == '\'' || c == '’' {
							// split possessive 's and n't, keep O'Brien
							rest := strings.ToLower(text[j+csz:])
							if (strings.HasPrefix(rest, "s") && (len(rest) == 1 || !isWordRune(firstRune(rest[1:])))) ||
								(strings.HasPrefix(rest, "t") && j > 0 && (text[j-1] == 'n' || text[j-1] == 'N')) {
								break
							}
						}
						lastWasDot = c == '.'
						j += csz
						rj++
						continue
					}
				}
				// trailing period of an initialism or abbreviation: U.S. / Mr.
				if c == '.' {
					w := strings.ToLower(text[i:j]) + "."
					if abbrev[w] || strings.Contains(text[i:j], ".") || (rj-runeIdx == 1 && unicode.IsUpper(r)) {
						j += csz
						rj++
					}
				}
				break
			}
			w := text[startByte:j]
			// n't: split "didn't" → "did" "n't"
			if j < n && (text[j] == '\'' || strings.HasPrefix(text[j:], "’")) && len(w) > 1 && (w[len(w)-1] == 'n' || w[len(w)-1] == 'N') {
				rest := text[j:]
				_, asz := utf8.DecodeRuneInString(rest)
				if len(rest) > asz && (rest[asz] == 't' || rest[asz] == 'T') && (len(rest) == asz+1 || !isWordRune(firstRune(rest[asz+1:]))) {
					toks = append(toks, mkTok(w[:len(w)-1], startRune, rj-1))
					toks = append(toks, Token{Text: text[j-1 : j+asz+1], Lower: "n't", Start: rj - 1, End: rj + 2, Kind: Word})
					i = j + asz + 1
					runeIdx = rj + 2
					continue
				}
			}
			toks = append(toks, mkTok(w, startRune, rj))
			i, runeIdx = j, rj
			// possessive 's or bare '
			if i < n && (text[i] == '\'' || strings.HasPrefix(text[i:], "’")) {
				_, asz := utf8.DecodeRuneInString(text[i:])
				rest := text[i+asz:]
				if len(rest) > 0 && (rest[0] == 's' || rest[0] == 'S') && (len(rest) == 1 || !isWordRune(firstRune(rest[1:]))) {
					toks = append(toks, Token{Text: text[i : i+asz+1], Lower: "'s", Start: runeIdx, End: runeIdx + 2, Kind: Word})
					i += asz + 1
					runeIdx += 2
				}
			}
			continue
		}
		// punctuation: one rune, except "--" and "..."
		j := i + sz
		rj := runeIdx + 1
		if r == '-' || r == '.' {
			for j < n && rune(text[j]) == r {
				j++
				rj++
			}
		}
		p := text[startByte:j]
		low := p
		if p == "’" || p == "‘" {
			low = "'"
		} else if p == "“" || p == "”" {
			low = "\""
		}
		toks = append(toks, Token{Text: p, Lower: low, Start: startRune, End: rj, Kind: Punct})
		i, runeIdx = j, rj
	}
	return toks
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func mkTok(w string, start, end int) Token {
	t := Token{Text: w, Start: start, End: end, Kind: Word}
	r := firstRune(w)
	t.Cap = unicode.IsUpper(r)
	if '0' <= r && r <= '9' {
		t.Kind = Number
	}
	t.Lower = lower(w)
	return t
}

// lower avoids allocating for already-lowercase ASCII words.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			l := strings.ToLower(w)
			if strings.ContainsRune(l, '’') {
				l = strings.ReplaceAll(l, "’", "'")
			}
			return l
		}
	}
	return w
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
