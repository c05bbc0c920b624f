package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Trafilatura builds and renames elements by tag name alone (DataAtom is
// unset), so tags are matched by name.

// blockTags end the paragraph before them and start a new one after them.
var blockTags = setOf("address", "article", "aside", "blockquote", "body", "br",
	"dd", "details", "div", "dl", "dt", "fieldset", "figure", "footer", "form",
	"h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
	"p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr",
	"ul", "caption")

// skipTags hold no article text: captions, code, forms and media.
var skipTags = setOf("figcaption", "script", "style", "noscript", "template",
	"svg", "math", "button", "select", "textarea", "iframe", "object", "video",
	"audio", "canvas", "head")

// cellTags are table cells, kept on their row's line apart by a space.
var cellTags = setOf("td", "th")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// paraWriter gathers text into paragraphs, collapsing white space.
type paraWriter struct {
	cur   strings.Builder
	space bool // a space is owed before the next word
	out   []string
}

func (w *paraWriter) text(s string) {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			r = unicode.ReplacementChar
		}
		s = s[n:]
		if unicode.IsSpace(r) {
			w.space = w.cur.Len() > 0
			continue
		}
		// Invisible characters go: controls, zero-width spaces, word
		// joiners, byte-order marks and soft hyphens (ZWJ and ZWNJ stay,
		// as they change how a word is written).
		if unicode.IsControl(r) || r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' {
			continue
		}
		if w.space {
			w.cur.WriteByte(' ')
			w.space = false
		}
		w.cur.WriteRune(r)
	}
}

func (w *paraWriter) gap() {
	w.space = w.cur.Len() > 0
}

func (w *paraWriter) flush() {
	if w.cur.Len() > 0 {
		w.out = append(w.out, w.cur.String())
		w.cur.Reset()
	}
	w.space = false
}

// paragraphs returns the text of root's blocks, one string per paragraph.
func paragraphs(root *html.Node) []string {
	var w paraWriter
	walk(root, &w, 0)
	w.flush()
	return w.out
}

// maxDepth bounds the recursion; text nested deeper than this is dropped.
const maxDepth = 512

func walk(n *html.Node, w *paraWriter, depth int) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if skipTags[n.Data] {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	if depth > maxDepth {
		return
	}
	block := blockTags[n.Data]
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, w, depth+1)
	}
	if block {
		w.flush()
	} else if cellTags[n.Data] {
		w.gap()
	}
}

// FragmentText is the text of an HTML fragment such as a feed item's body,
// in paragraphs joined by blank lines. A fragment is not a page, so there is
// no boilerplate to find, only markup to drop.
func FragmentText(b []byte) string {
	doc, err := html.Parse(bytes.NewReader(stripNoise(toUTF8(b))))
	if err != nil {
		return ""
	}
	return strings.Join(paragraphs(doc), "\n\n")
}
