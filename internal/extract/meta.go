package extract

import (
	"encoding/json"
	nurl "net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what the page says about itself, read in one walk.
type pageMeta struct {
	elements  int      // elements in the parsed page
	lang      string   // <html lang>
	httpLang  string   // <meta http-equiv=content-language>
	canonical string   // <link rel=canonical>
	ogURL     string   // og:url
	siteName  string   // og:site_name and the like
	dates     []string // publication dates from <meta> and itemprop, best first
	timeTag   string   // first <time datetime>, the last resort for the date
	jsonLD    []string // bodies of JSON-LD scripts
}

// dateMetaNames are <meta name|property|itemprop> keys that give the
// publication date, lowercased.
var dateMetaNames = map[string]bool{
	"article:published_time": true, "og:article:published_time": true,
	"og:published_time": true, "datepublished": true, "date": true,
	"dc.date": true, "dc.date.issued": true, "dcterms.date": true,
	"dcterms.issued": true, "dcterms.created": true, "citation_publication_date": true,
	"citation_date": true, "pubdate": true, "publishdate": true, "publish-date": true,
	"publish_date": true, "publication_date": true, "sailthru.date": true,
	"parsely-pub-date": true, "article.published": true, "published-date": true,
	"rnews:datepublished": true, "displaydate": true,
}

var siteMetaNames = map[string]bool{
	"og:site_name": true, "application-name": true, "al:ios:app_name": true,
}

// maxMetaDepth bounds the walk. The parser refuses trees deeper than 512
// open elements, so in practice every node is seen.
const maxMetaDepth = 1024

// noiseTags are elements trafilatura's cleaning deletes with all they hold
// before it looks for the article. Deleting them first, while the metadata
// is read, spares its three copies of the tree and its dozens of passes over
// it that work. Tags that may wrap a whole page (form, ins) are left to it,
// since its baseline rescue reads the uncleaned page; a figure holding a
// table is kept, as it keeps those.
var noiseTags = setOf("aside", "embed", "footer", "iframe", "menu", "object",
	"script", "applet", "audio", "canvas", "figure", "map", "picture", "svg",
	"video", "area", "blink", "button", "datalist", "dialog", "frame", "frameset",
	"fieldset", "link", "input", "label", "legend", "marquee", "math", "menuitem",
	"nav", "noscript", "optgroup", "option", "output", "param", "progress", "rp",
	"rt", "rtc", "select", "source", "style", "track", "textarea", "time", "use",
	"img") // img is not in that list, but trafilatura unwraps it and it has no children

// readMeta reads the page's metadata and, when prune is set, deletes the
// noise elements and comments from the body.
func readMeta(doc *html.Node, prune bool) pageMeta {
	var m pageMeta
	var walk func(n *html.Node, depth int, inBody bool)
	walk = func(n *html.Node, depth int, inBody bool) {
		if depth > maxMetaDepth {
			return
		}
		if n.Type == html.ElementNode {
			m.element(n)
			m.elements++
			inBody = inBody || n.DataAtom == atom.Body
		}
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			walk(c, depth+1, inBody)
			if prune && (inBody && isNoise(c) || isLayoutSpace(c)) {
				n.RemoveChild(c)
			}
			c = next
		}
	}
	walk(doc, 0, false)
	return m
}

func isNoise(n *html.Node) bool {
	switch n.Type {
	case html.CommentNode:
		return true
	case html.ElementNode:
		if !noiseTags[n.Data] {
			return false
		}
		switch n.DataAtom {
		case atom.Script:
			return !isJSONLD([]byte(attr(n, "type")))
		case atom.Figure:
			return !hasDescendant(n, atom.Table)
		}
		return true
	}
	return false
}

// isLayoutSpace reports a text node of white space only that lies between
// blocks (or a block and its parent's edge): indentation, which renders as
// nothing, yet is two nodes in five of a typical page's tree.
func isLayoutSpace(n *html.Node) bool {
	if n.Type != html.TextNode || strings.TrimLeft(n.Data, " \t\n\r\f") != "" {
		return false
	}
	if p := n.Parent; p == nil || p.Type == html.ElementNode && !spaceParents[p.Data] {
		return false
	}
	return isBlockEdge(n.PrevSibling) && isBlockEdge(n.NextSibling)
}

func isBlockEdge(n *html.Node) bool {
	if n == nil {
		return true
	}
	switch n.Type {
	case html.ElementNode:
		return blockTags[n.Data] && n.Data != "br" || headTags[n.Data] || noiseTags[n.Data]
	case html.CommentNode, html.DoctypeNode:
		return true
	}
	return false
}

var headTags = setOf("head", "meta", "link", "title", "base", "style", "script")

// spaceParents are elements whose layout white space may go: blocks that
// do not keep white space as written.
var spaceParents = setOf("html", "head", "body", "div", "section", "article",
	"main", "header", "footer", "nav", "aside", "ul", "ol", "dl", "table", "tbody",
	"thead", "tfoot", "tr", "form", "fieldset", "figure", "blockquote", "li", "dd",
	"details", "address")

func hasDescendant(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == a || hasDescendant(c, a) {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func (m *pageMeta) element(n *html.Node) {
	switch n.DataAtom {
	case atom.Html:
		if m.lang == "" {
			m.lang = attr(n, "lang")
			if m.lang == "" {
				m.lang = attr(n, "xml:lang")
			}
		}
	case atom.Meta:
		content := strings.TrimSpace(attr(n, "content"))
		if content == "" {
			return
		}
		if strings.EqualFold(attr(n, "http-equiv"), "content-language") && m.httpLang == "" {
			m.httpLang = content
		}
		for _, k := range [...]string{"property", "name", "itemprop"} {
			key := strings.ToLower(attr(n, k))
			if key == "" {
				continue
			}
			switch {
			case key == "og:url" && m.ogURL == "":
				m.ogURL = content
			case siteMetaNames[key] && m.siteName == "":
				m.siteName = content
			case dateMetaNames[key]:
				m.dates = append(m.dates, content)
			}
		}
	case atom.Link:
		if m.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
			m.canonical = strings.TrimSpace(attr(n, "href"))
		}
	case atom.Time:
		dt := strings.TrimSpace(attr(n, "datetime"))
		if dt == "" {
			return
		}
		if strings.EqualFold(attr(n, "itemprop"), "datePublished") {
			m.dates = append(m.dates, dt)
		} else if _, ok := attrOK(n, "pubdate"); ok {
			m.dates = append(m.dates, dt)
		} else if m.timeTag == "" {
			m.timeTag = dt
		}
	case atom.Script:
		if n.FirstChild != nil && n.FirstChild.Type == html.TextNode && isJSONLD([]byte(attr(n, "type"))) {
			m.jsonLD = append(m.jsonLD, n.FirstChild.Data)
		}
	}
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// ldFacts are the JSON-LD fields Extract uses.
type ldFacts struct {
	published string
	publisher string
}

// maxLDDepth bounds the walk through a JSON-LD value.
const maxLDDepth = 32

// readJSONLD returns the first datePublished and publisher name found in
// the page's JSON-LD blocks; malformed blocks are skipped.
func readJSONLD(blocks []string) ldFacts {
	var f ldFacts
	for _, b := range blocks {
		var v any
		if json.Unmarshal([]byte(b), &v) != nil {
			continue
		}
		f.walk(v, 0)
		if f.published != "" && f.publisher != "" {
			break
		}
	}
	return f
}

func (f *ldFacts) walk(v any, depth int) {
	if depth > maxLDDepth {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			f.walk(e, depth+1)
		}
	case map[string]any:
		if s, ok := v["datePublished"].(string); ok && f.published == "" {
			f.published = s
		}
		if p, ok := v["publisher"].(map[string]any); ok && f.publisher == "" {
			if s, ok := p["name"].(string); ok {
				f.publisher = strings.TrimSpace(s)
			}
		}
		for k, e := range v {
			if k == "publisher" || k == "author" {
				continue
			}
			if _, ok := e.(string); !ok {
				f.walk(e, depth+1)
			}
		}
	}
}

// dateLayouts are the leading date shapes accepted, after the year.
var dateLayouts = []string{"2006-01-02", "2006/01/02", "2006.01.02", "20060102"}

// isoDate returns the calendar date that s starts with, as YYYY-MM-DD, or
// "" when s does not start with one. The date is kept as written, not
// moved to another time zone.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if len(s) < len(layout) {
			continue
		}
		head := s[:len(layout)]
		if len(s) > len(layout) && isDigit(s[len(layout)]) {
			continue
		}
		t, err := time.Parse(layout, head)
		if err != nil || t.Year() < 1900 || t.Year() > 2200 {
			continue
		}
		return t.Format("2006-01-02")
	}
	return ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// normLang reduces a language tag to its primary subtag ("en-US" → "en");
// anything that is not 2 or 3 letters gives "".
func normLang(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ",;"); i >= 0 { // content-language may list several
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return ""
		}
	}
	return strings.ToLower(s)
}

// resolve returns ref made absolute against base; a ref that is not an
// http(s) URL gives "".
func resolve(base *nurl.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := nurl.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// hostOf returns u's host without "www.".
func hostOf(u string) string {
	p, err := nurl.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}
