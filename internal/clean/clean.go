// Package clean turns scraped article text into the story: boilerplate lines
// (boilerplate.txt), repeated paragraphs, photo credits, bylines and the
// dateline are taken out, and what was taken out is listed.
//
// The result's Text is the title (when there is one) and the body
// paragraphs, joined by blank lines; Paragraphs holds the same pieces, with
// the title first. The dateline ("BEIJING, March 23 (Reuters) -") is cut from
// the start of its paragraph and returned parsed in Dateline.
//
// Clean is idempotent where it can be: cleaning a Result's Text again keeps
// every paragraph, except that a second dateline may be found and cut.
package clean

import (
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

// Removed is one piece of input that is not in the cleaned text.
type Removed struct {
	Line   int    `json:"line"` // 1-based line in the input
	Text   string `json:"text"`
	Reason string `json:"reason"` // one of the Reason* constants
}

// Result is a cleaned article.
type Result struct {
	Title      string          `json:"title"`
	Dateline   *model.Dateline `json:"dateline"`
	Text       string          `json:"text"`       // Paragraphs joined by "\n\n"
	Paragraphs []string        `json:"paragraphs"` // Paragraphs[0] is the title when Title != ""
	Removed    []Removed       `json:"removed"`    // ordered by line
}

// Options tune Clean.
type Options struct {
	RefDate time.Time // zero = unknown; gives a dateline without a year its year
}

// para is a paragraph on its way through.
type para struct {
	text   string
	line   int // first input line
	marker bool
}

// Clean cleans one article. It never panics; input that looks binary gives an
// empty result with one Removed entry of reason "binary".
func Clean(raw string, opt Options) Result {
	res := Result{Paragraphs: []string{}, Removed: []Removed{}}
	if looksBinary(raw) {
		res.Removed = append(res.Removed, Removed{Line: 1, Reason: ReasonBinary})
		return res
	}
	c := cleaner{res: &res}
	paras := c.paragraphs(splitLines(raw))
	paras = c.dropTrailers(paras)
	paras = c.scrubAll(paras)

	// The dateline opens one of the first body paragraphs (a caption or a
	// headline may come first).
	titleFirst := len(paras) >= 2 && isTitle(paras[0].text)
	datelineAt := -1
	for i := 0; i < len(paras) && i < 4; i++ {
		if i == 0 && titleFirst {
			continue
		}
		dl, rest := parseDateline(paras[i].text, opt.RefDate)
		if dl == nil {
			continue
		}
		res.Dateline = dl
		c.remove(paras[i].line, dl.Text, ReasonDateline)
		paras[i].text = rest
		datelineAt = i
		break
	}
	if datelineAt >= 0 {
		// the paragraph left after the dateline gets the same checks again
		paras = c.scrubAll(paras)
	}
	if len(paras) >= 2 && isTitle(paras[0].text) && datelineAt != 0 {
		res.Title = paras[0].text
	}
	for _, p := range paras {
		res.Paragraphs = append(res.Paragraphs, p.text)
	}
	res.Text = strings.Join(res.Paragraphs, "\n\n")
	sort.SliceStable(res.Removed, func(i, j int) bool { return res.Removed[i].Line < res.Removed[j].Line })
	return res
}

type cleaner struct {
	res *Result
}

func (c *cleaner) remove(line int, text, reason string) {
	c.res.Removed = append(c.res.Removed, Removed{Line: line, Text: text, Reason: reason})
}

// line is one normalised input line.
type line struct {
	text   string
	n      int // 1-based
	indent int // leading blanks before normalisation
}

// looksBinary: more than a tenth of the input is invalid UTF-8, NUL or
// control characters other than line breaks and tabs.
func looksBinary(s string) bool {
	bad, total := 0, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		total++
		if r == utf8.RuneError || r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v' {
			bad++
		}
	}
	return bad*10 > total
}

// splitLines normalises line endings, drops invalid UTF-8, and returns the
// non-blank lines normalised (blank lines are kept as empty text: they end
// blocks).
func splitLines(raw string) []line {
	out := make([]line, 0, strings.Count(raw, "\n")+1)
	n := 0
	for {
		i, size := lineBreak(raw)
		l := raw
		if i >= 0 {
			l = raw[:i]
		}
		n++
		text, indent := normalizeLine(l)
		out = append(out, line{text: text, n: n, indent: indent})
		if i < 0 {
			return out
		}
		raw = raw[i+size:]
	}
}

// lineBreak finds the next line break: \n, \r\n, \r, \f, \v, U+2028, U+2029.
func lineBreak(s string) (at, size int) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\f', '\v':
			return i, 1
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				return i, 2
			}
			return i, 1
		case 0xE2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				return i, 3
			}
		}
	}
	return -1, 0
}

// normalizeLine maps every kind of space to ' ', drops invisible and control
// characters and invalid bytes, collapses runs of spaces and trims. indent
// counts the blanks that opened the line (tabs count 4).
func normalizeLine(s string) (string, int) {
	if plainASCII(s) {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	indent, leading, space := 0, true, false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // ASCII fast path
			i++
			switch {
			case c == ' ' || c == '\t':
				if leading {
					indent += 1 + 3*boolInt(c == '\t')
				}
				space = true
			case c < 0x20 || c == 0x7f:
			default:
				if space && !leading {
					b.WriteByte(' ')
				}
				space, leading = false, false
				b.WriteByte(c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError: // invalid byte, or U+FFFD left by an earlier decoder
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			if leading {
				indent++
			}
			space = true
		case invisible(r):
		default:
			if space && !leading {
				b.WriteByte(' ')
			}
			space, leading = false, false
			b.WriteRune(r)
		}
	}
	return b.String(), indent
}

// countWords counts the space-separated words of s, stopping at limit.
// Paragraphs are normalised, so words are split by single spaces.
func countWords(s string, limit int) int {
	n, in := 0, false
	for i := 0; i < len(s) && n < limit; i++ {
		if s[i] == ' ' {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// plainASCII: printable ASCII with single inner spaces only, nothing to do.
func plainASCII(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7f || c == ' ' && s[i-1] == ' ' {
			return false
		}
	}
	return true
}

// invisible: controls, zero-width and other format characters, soft hyphen.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u00AD' ||
		unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r) || r == utf8.RuneError
}

// paragraphs drops boilerplate lines and assembles the rest into paragraphs.
// A block (lines between blank lines) is one paragraph per line, unless its
// lines are hard-wrapped prose, which is joined back.
func (c *cleaner) paragraphs(lines []line) []para {
	var out []para
	var block []line
	for _, l := range lines {
		if l.text != "" {
			block = append(block, l)
			continue
		}
		out = c.block(out, block)
		block = block[:0]
	}
	return c.block(out, block)
}

// block turns one block into paragraphs. Hard-wrapped prose (lines of at most
// 110 runes, some continuing in lower case, or indented paragraphs with
// unindented lines between) is joined, breaking before an indented line
// (Reuters-style paragraphs) and after a short line that ends a sentence.
// Other blocks, such as a scraper's one-paragraph-per-line output or a list
// of headlines, stay one paragraph per line.
func (c *cleaner) block(out []para, block []line) []para {
	if len(block) == 0 {
		return out
	}
	if !wrapped(block) {
		for _, l := range block {
			v := classify(l.text)
			switch {
			case v.marker:
				out = append(out, para{text: l.text, line: l.n, marker: true})
			case v.reason != "" && v.reason != ReasonLabel:
				c.remove(l.n, l.text, v.reason)
			default:
				out = append(out, para{text: l.text, line: l.n})
			}
		}
		return out
	}
	// In wrapped prose only whole-line patterns ("Advertisement") are taken
	// out line by line, and not when the line ends a sentence begun above
	// ("... 22 dlrs a" / "share."); the joined paragraphs are judged later.
	width := 0
	for _, l := range block {
		width = max(width, utf8.RuneCountInString(l.text))
	}
	var cur strings.Builder // the paragraph being joined
	curLine := 0
	end := func() {
		if curLine > 0 {
			out = append(out, para{text: cur.String(), line: curLine})
		}
		cur.Reset()
		curLine = 0
	}
	prev := ""
	for _, l := range block {
		cont := prev != "" && l.indent < 2 && !endsSentence(prev)
		if v := classifyExact(l.text); v.reason != "" && !(cont && (startsLower(l.text) || endsSentence(l.text))) {
			end()
			if v.marker {
				out = append(out, para{text: l.text, line: l.n, marker: true})
			} else {
				c.remove(l.n, l.text, v.reason)
			}
			prev = ""
			continue
		}
		switch {
		case curLine == 0 || l.indent >= 2 || endsSentence(prev) && utf8.RuneCountInString(prev)*10 < width*7:
			end()
			curLine = l.n
		case len(prev) >= 2 && prev[len(prev)-1] == '-' && isASCIILetter(prev[len(prev)-2]) && startsLower(l.text):
			// "inter-\nnational" and "well-\nknown" keep the hyphen
		default:
			cur.WriteByte(' ')
		}
		cur.WriteString(l.text)
		prev = l.text
	}
	end()
	return out
}

// wrapped says whether a block is hard-wrapped prose.
func wrapped(block []line) bool {
	if len(block) < 2 {
		return false
	}
	width := 0
	cont, indented, flush := false, false, false
	for i, l := range block {
		width = max(width, utf8.RuneCountInString(l.text))
		if i == 0 {
			continue
		}
		if l.indent >= 2 {
			indented = true
			continue
		}
		flush = true
		if continuesLine(block[i-1].text, l.text) {
			cont = true
		}
	}
	// paragraphs marked by indentation alone also mean the lines are wrapped
	return width <= 110 && (cont || indented && flush)
}

// continuesLine: next looks like the rest of prev's sentence.
func continuesLine(prev, next string) bool {
	if startsLower(next) {
		return true
	}
	prev = strings.TrimRight(prev, " ")
	if strings.HasSuffix(prev, ",") || strings.HasSuffix(prev, "-") {
		return true
	}
	i := strings.LastIndexByte(prev, ' ')
	switch strings.ToLower(prev[i+1:]) {
	case "the", "a", "an", "of", "in", "to", "and", "for", "with", "on", "at", "by", "from", "that", "said":
		return true
	}
	return false
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// dropTrailers removes trailer lines ("Latest Headlines") and the link-like
// paragraphs after them, up to the next paragraph that reads like prose. A
// trailer line before any prose is plain boilerplate.
func (c *cleaner) dropTrailers(paras []para) []para {
	out := paras[:0]
	prose, inTrailer := false, false
	for _, p := range paras {
		switch {
		case p.marker && prose:
			c.remove(p.line, p.text, ReasonTrailer)
			inTrailer = true
		case p.marker:
			c.remove(p.line, p.text, ReasonBoilerplate)
		case inTrailer && linkLike(p.text):
			c.remove(p.line, p.text, ReasonTrailer)
		default:
			inTrailer = false
			if countWords(p.text, 10) >= 10 {
				prose = true
			}
			out = append(out, p)
		}
	}
	return out
}

// linkLike: a headline or link, not a paragraph of a story.
func linkLike(s string) bool {
	return countWords(s, 21) <= 20 && !strings.HasSuffix(s, ".")
}

// scrubAll brings every paragraph to a fixed point of label removal,
// boilerplate classification and credit stripping, then drops repeats.
func (c *cleaner) scrubAll(paras []para) []para {
	out := paras[:0]
	seen := make(map[string]bool, len(paras))
	for _, p := range paras {
		if seen[p.text] && dedupable(p.text) { // a repeat as printed: record it whole, before credits are cut
			c.remove(p.line, p.text, ReasonDuplicate)
			continue
		}
		text, ok := c.scrub(p)
		switch {
		case !ok:
		case seen[text] && dedupable(text):
			c.remove(p.line, text, ReasonDuplicate)
		default:
			seen[text], seen[p.text] = true, true
			out = append(out, para{text: text, line: p.line})
		}
	}
	return out
}

// dedupable: repeats of six words or more are scraping artefacts (a caption
// printed twice); shorter ones can be real, as in fixture lists or tables.
func dedupable(s string) bool {
	return countWords(s, 6) >= 6
}

// scrub cleans one paragraph; ok is false when nothing of it is left.
func (c *cleaner) scrub(p para) (string, bool) {
	text := p.text
	for range 20 { // every round shortens text; the bound is only a guard
		if text == "" {
			return "", false
		}
		v := classify(text)
		switch {
		case v.reason == ReasonLabel:
			c.remove(p.line, strings.TrimSpace(text[:v.label]), ReasonLabel)
			text = strings.TrimSpace(text[v.label:])
			continue
		case v.reason != "":
			c.remove(p.line, text, v.reason)
			return "", false
		}
		kept, credit := stripCredit(text)
		if credit == "" {
			return text, true
		}
		c.remove(p.line, credit, ReasonCredit)
		text = kept
	}
	return text, text != ""
}

// isTitle: a headline is short, opens with a capital or digit, and does not
// end like a sentence or a clause (a trailing "..." is fine).
func isTitle(s string) bool {
	words := countWords(s, 31)
	if words < 2 || words > 30 || utf8.RuneCountInString(s) > 200 {
		return false
	}
	// "iTunes now selling ..." is fine, "and then he said" is not
	first, _, _ := strings.Cut(s, " ")
	if r, _ := utf8.DecodeRuneInString(first); unicode.IsLower(r) && strings.ToLower(first) == first {
		return false
	}
	t := strings.TrimRight(s, "\"'”’")
	if strings.HasSuffix(t, "...") || strings.HasSuffix(t, "…") {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(",;:", last) {
		return false
	}
	// a final period is the end of a sentence, unless it closes "U.S."
	if last == '.' && strings.Count(t[strings.LastIndexByte(t, ' ')+1:], ".") < 2 {
		return false
	}
	dl, _ := parseDateline(s, time.Time{})
	return dl == nil
}
