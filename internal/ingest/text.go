package ingest

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// fragmentText turns a feed item's HTML into paragraphs of plain text. Items
// are fragments, not pages, so there is no boilerplate to find: block
// elements become paragraph breaks, scripts and styles are dropped.
func fragmentText(b []byte) string {
	if !bytes.ContainsAny(b, "<&") {
		return strings.TrimSpace(string(b))
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	var out, para strings.Builder
	skip := 0
	flush := func() {
		if p := strings.Join(strings.Fields(para.String()), " "); p != "" {
			if out.Len() > 0 {
				out.WriteString("\n\n")
			}
			out.WriteString(p)
		}
		para.Reset()
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return strings.ToValidUTF8(out.String(), "\uFFFD")
		case html.TextToken:
			if skip == 0 {
				para.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "figcaption", "iframe":
				if t := z.Token(); t.Type == html.StartTagToken {
					skip++
				}
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article":
				flush()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "figcaption", "iframe":
				if skip > 0 {
					skip--
				}
			case "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article":
				flush()
			}
		}
	}
}
