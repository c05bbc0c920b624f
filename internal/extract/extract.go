// Package extract finds the article in an HTML page: its body paragraphs as
// plain text (no captions, menus, comments or share prompts), and the title,
// byline, date, site, canonical URL and language the page states.
//
// go-trafilatura finds the article; go-readability stands in where
// trafilatura's text looks wrong (see fallback.go). Before either sees the
// page, its scripts, styles, SVG, images and comments are cut from the
// bytes, and the elements and layout white space trafilatura would delete
// anyway are taken out of the tree: its three copies of the tree and its
// dozens of passes over it then have far less to do. The publication date
// is read from the page's metadata rather than by htmldate's costly search.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	nurl "net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// MaxBytes is the largest page Extract parses.
const MaxBytes = 16 << 20

// MaxElements is the most elements a page may have once scripts and the like
// are gone; extraction time grows with it (a news page has a few thousand).
const MaxElements = 100_000

// ErrNoText reports a page in which no article text was found.
var ErrNoText = errors.New("no article text found")

// Page is the article found in one HTML page.
type Page struct {
	Title      string   `json:"title,omitempty"`
	Byline     string   `json:"byline,omitempty"`
	Published  string   `json:"published,omitempty"` // YYYY-MM-DD when the page states it
	Site       string   `json:"site,omitempty"`      // site name, else the host
	Canonical  string   `json:"canonical,omitempty"` // canonical URL, else pageURL
	Lang       string   `json:"lang,omitempty"`      // declared language, e.g. "en"
	Text       string   `json:"text"`                // Paragraphs joined by "\n\n"
	Paragraphs []string `json:"paragraphs"`
}

// ReadBounded reads all of r, but refuses input longer than limit bytes
// after reading at most limit+1 of them.
func ReadBounded(r io.Reader, limit int64) ([]byte, error) {
	if limit < 0 || limit == math.MaxInt64 {
		return nil, fmt.Errorf("read limit %d out of range", limit)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %s", sizeString(limit))
	}
	return b, nil
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Extract finds the article in page b fetched from pageURL (which may be
// empty; relative canonical URLs are resolved against it). The page's
// charset is honoured (byte-order mark, else <meta charset>); the output is
// always valid UTF-8. Errors are one line and name pageURL when it is given;
// with ErrNoText the Page still holds the metadata found.
func Extract(b []byte, pageURL string) (p Page, err error) {
	defer func() {
		if err != nil && pageURL != "" {
			err = fmt.Errorf("%s: %w", printable(pageURL), err)
		}
	}()
	if len(b) > MaxBytes {
		return Page{}, fmt.Errorf("larger than %s", sizeString(MaxBytes))
	}
	// Third-party extractors may panic on odd trees; a page must not take
	// the process down.
	defer func() {
		if r := recover(); r != nil {
			p, err = Page{}, fmt.Errorf("extractor failed: %s", oneLine(fmt.Sprint(r)))
		}
	}()
	return extract(b, pageURL)
}

// beforeExtract, when set (by tests), sees the tree before the extractors do.
var beforeExtract func(*html.Node)

func extract(b []byte, pageURL string) (Page, error) {
	b = stripNoise(toUTF8(b))
	// Every element but the implied ones needs a '<'; bounding them bounds
	// the tree the parser builds.
	if n := bytes.Count(b, []byte("<")); n > 4*MaxElements {
		return Page{}, fmt.Errorf("too many HTML tags (%d, at most %d)", n, 4*MaxElements)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return Page{}, fmt.Errorf("parse HTML: %s", oneLine(err.Error()))
	}
	var base *nurl.URL
	if pageURL != "" {
		if u, err := nurl.Parse(pageURL); err == nil && u.IsAbs() {
			base = u
		}
	}
	meta := readMeta(doc, true)
	if meta.elements > MaxElements {
		return Page{}, fmt.Errorf("too many HTML elements (%d, at most %d)", meta.elements, MaxElements)
	}
	if beforeExtract != nil {
		beforeExtract(doc)
	}
	var p Page
	// Comments are not article text; the publication date is read from the
	// metadata above, since htmldate's search of the whole page is costly.
	res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:     base,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled,
	})
	if err == nil && res != nil && res.ContentNode != nil {
		p.Paragraphs = resplit(doc, paragraphs(res.ContentNode))
		p.Title = strings.Join(strings.Fields(res.Metadata.Title), " ")
		p.Byline = strings.Join(strings.Fields(res.Metadata.Author), " ")
	}
	if alt := fallback(doc, base, p.Paragraphs); alt != nil {
		p.Paragraphs = alt.paras
		if p.Title == "" {
			p.Title = alt.title
		}
		if p.Byline == "" {
			p.Byline = alt.byline
		}
	}
	p.fill(meta, base, pageURL)
	p.Paragraphs = dropTitle(p.Paragraphs, p.Title)
	for _, f := range []*string{&p.Title, &p.Byline, &p.Site, &p.Canonical} {
		*f = strings.ToValidUTF8(*f, "\uFFFD")
	}
	if len(p.Paragraphs) == 0 {
		return p, ErrNoText
	}
	p.Text = strings.Join(p.Paragraphs, "\n\n")
	return p, nil
}

// fill sets the page's date, site, canonical URL and language from what the
// page declares.
func (p *Page) fill(m pageMeta, base *nurl.URL, pageURL string) {
	ld := readJSONLD(m.jsonLD)
	for _, d := range append(append(m.dates, ld.published), m.timeTag) {
		if p.Published = isoDate(d); p.Published != "" {
			break
		}
	}
	p.Canonical = resolve(base, m.canonical)
	if p.Canonical == "" {
		p.Canonical = resolve(base, m.ogURL)
	}
	if p.Canonical == "" {
		p.Canonical = pageURL
	}
	p.Site = strings.TrimPrefix(strings.Join(strings.Fields(m.siteName), " "), "@")
	if p.Site == "" {
		p.Site = ld.publisher
	}
	if p.Site == "" {
		p.Site = hostOf(p.Canonical)
	}
	p.Lang = normLang(m.lang)
	if p.Lang == "" {
		p.Lang = normLang(m.httpLang)
	}
}

// printable quotes s when it holds control characters, so that an error
// naming it stays on one line.
func printable(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) || !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	return s
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// dropTitle removes the headline from the top of the body: it is the
// page's Title, not a paragraph.
func dropTitle(paras []string, title string) []string {
	t := strings.Join(strings.Fields(title), " ")
	if t == "" {
		return paras
	}
	for i := 0; i < len(paras) && i < 3; i++ {
		if strings.EqualFold(paras[i], t) {
			return append(paras[:i:i], paras[i+1:]...)
		}
	}
	return paras
}

// resplit undoes trafilatura's baseline on short pages, which takes an
// <article>'s text content as one run ("...on Tuesday.Iran condemned..."),
// losing the paragraph breaks the sentence splitter needs: when the single
// paragraph is exactly the article's text, the article's own paragraphs are
// used instead.
func resplit(doc *html.Node, paras []string) []string {
	if len(paras) != 1 {
		return paras
	}
	art := findElement(doc, "article", 0)
	if art == nil {
		return paras
	}
	own := paragraphs(art)
	if len(own) > 1 && squash(strings.Join(own, "")) == squash(paras[0]) {
		return own
	}
	return paras
}

func findElement(n *html.Node, tag string, depth int) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		return n
	}
	if depth > maxDepth {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, tag, depth+1); f != nil {
			return f
		}
	}
	return nil
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
