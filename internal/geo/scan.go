package geo

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// tok is one word or punctuation mark of the text. Hyphenated words are
// split ("Moscow-based" is "Moscow" and "based", the second marked hyph), so
// that names written with hyphens or spaces meet the same keys.
type tok struct {
	key   string // folded word (see Fold); "" for punctuation
	s, e  int    // byte offsets
	rs    int    // rune offsets
	re    int
	para  int32 // paragraph number
	sent  int32 // sentence number (a rough split: only evidence uses it)
	p     byte  // the punctuation mark, 0 for a word
	cap   bool  // starts with an upper-case letter
	hyph  bool  // joined to the word before by a hyphen
	poss  bool  // followed by 's
	first bool  // first word of a sentence or paragraph
}

// tokPool recycles token slices: geolocation runs once per coded article.
var tokPool = sync.Pool{New: func() any { return new([]tok) }}

// scanPooled is scan into a recycled slice; release gives it back.
func scanPooled(text string) (toks []tok, release func()) {
	bp := tokPool.Get().(*[]tok)
	toks = scanInto((*bp)[:0], text)
	return toks, func() {
		clear(toks) // drop the keys' strings
		*bp = toks[:0]
		tokPool.Put(bp)
	}
}

// scan splits text into tokens in one pass.
func scan(text string) []tok { return scanInto(make([]tok, 0, len(text)/5+4), text) }

func scanInto(toks []tok, text string) []tok {
	var para, sent int32
	newSent := true
	ri := 0 // rune index at byte i
	for i := 0; i < len(text); {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r == '\n':
			if len(toks) > 0 && toks[len(toks)-1].para == para {
				para++
				sent++
				newSent = true
			}
			i += n
			ri++
			continue
		case r == ' ' || r == '\t' || r == '\r' || r >= utf8.RuneSelf && unicode.IsSpace(r):
			i += n
			ri++
			continue
		case isWordStart(r):
			t, j, rj := word(text, i, ri)
			t.para, t.sent, t.first = para, sent, newSent
			newSent = false
			toks = append(toks, t)
			// split the word at hyphens
			toks = splitHyphens(toks, text)
			// a possessive 's ends the word
			if j < len(text) && (text[j] == '\'' || hasPrefixRune(text[j:], '’')) {
				q := 1
				if text[j] != '\'' {
					q = len("’")
				}
				if j+q < len(text) && (text[j+q] == 's' || text[j+q] == 'S') && (j+q+1 == len(text) || !isWordByte(text[j+q+1])) {
					toks[len(toks)-1].poss = true
					j += q + 1
					rj += 2
				}
			}
			i, ri = j, rj
			continue
		}
		// punctuation
		p := byte('?')
		if r < utf8.RuneSelf {
			p = byte(r)
		} else if r == '“' || r == '”' || r == '‘' || r == '’' || r == '«' || r == '»' {
			p = '"'
		} else if r == '—' || r == '–' {
			p = '-'
		}
		toks = append(toks, tok{s: i, e: i + n, rs: ri, re: ri + 1, p: p, para: para, sent: sent})
		if p == '.' || p == '!' || p == '?' || p == ';' {
			sent++
			newSent = true
		}
		i += n
		ri++
	}
	return toks
}

func isWordStart(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func hasPrefixRune(s string, r rune) bool {
	q, _ := utf8.DecodeRuneInString(s)
	return q == r
}

// word reads the word starting at byte i (rune ri): letters, digits, marks,
// inner hyphens and apostrophes (not a possessive 's), and periods of
// abbreviations ("U.S.", "St.").
func word(text string, i, ri int) (tok, int, int) {
	t := tok{s: i, rs: ri}
	j, rj := i, ri
	letters := 0
	dotted := false
	for j < len(text) {
		r, n := rune(text[j]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[j:])
		}
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'),
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			letters++
		case r == '-' || r == '\'' || r == '’':
			// inside a word only when a letter follows, and not as 's
			nx, _ := utf8.DecodeRuneInString(text[j+n:])
			if !unicode.IsLetter(nx) {
				goto done
			}
			if r != '-' {
				rest := text[j+n:]
				if len(rest) > 0 && (rest[0] == 's' || rest[0] == 'S') && (len(rest) == 1 || !isWordByte(rest[1])) {
					goto done
				}
			}
		case r == '.':
			// "U.S." and "D.C." keep their periods; so do short
			// abbreviations before a capitalised name ("St. Louis")
			nx, _ := utf8.DecodeRuneInString(text[j+n:])
			if unicode.IsLetter(nx) && letters <= 2 {
				dotted = true
			} else if !(dotted || letters <= 3 && abbrev(text[i:j])) {
				goto done
			} else {
				j += n
				rj++
				goto done
			}
		default:
			goto done
		}
		j += n
		rj++
	}
done:
	t.e, t.re = j, rj
	r, _ := utf8.DecodeRuneInString(text[i:])
	t.cap = unicode.IsUpper(r)
	return t, j, rj
}

// abbrev: the short abbreviations whose period is part of a name.
func abbrev(w string) bool {
	switch w {
	case "St", "Ste", "Mt", "Ft", "Pt", "Mr", "Dr", "Ms", "Gen", "Col", "Lt", "Sgt", "Gov", "Sen", "Rep", "Mrs":
		return true
	}
	return false
}

// splitHyphens replaces the last token by its hyphen-separated parts and
// folds each part.
func splitHyphens(toks []tok, text string) []tok {
	t := toks[len(toks)-1]
	w := text[t.s:t.e]
	k := indexHyphen(w)
	if k < 0 {
		toks[len(toks)-1].key = foldWord(w)
		return toks
	}
	toks = toks[:len(toks)-1]
	s, rs := t.s, t.rs
	first := true
	for {
		part := w
		if k >= 0 {
			part = w[:k]
		}
		n := utf8.RuneCountInString(part)
		p := tok{s: s, e: s + len(part), rs: rs, re: rs + n, para: t.para, sent: t.sent, first: t.first && first, hyph: !first, key: foldWord(part)}
		r, _ := utf8.DecodeRuneInString(part)
		p.cap = unicode.IsUpper(r)
		toks = append(toks, p)
		if k < 0 {
			return toks
		}
		s += len(part) + 1
		rs += n + 1
		w = w[k+1:]
		k = indexHyphen(w)
		first = false
	}
}

func indexHyphen(w string) int {
	for i := 0; i < len(w); i++ {
		if w[i] == '-' {
			return i
		}
	}
	return -1
}

// foldWord is Fold for one word, without allocating for the common case of
// a lower-case ASCII word.
func foldWord(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return Fold(w)
		}
	}
	switch w {
	case "st", "ste", "mt", "ft":
		return expand(w)
	}
	return w
}
