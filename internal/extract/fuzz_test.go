package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzExtract(f *testing.F) {
	f.Add([]byte(newsPage), "https://example.com/a")
	f.Add([]byte(articleIn(`<meta charset="windows-1252">`, "caf\xe9")), "")
	f.Add([]byte("<p>a<script>b</script><!--c--><svg><p>d</svg>"), "/relative")
	f.Add([]byte("\xEF\xBB\xBF<title>t</title><table><tr><td>x<td>y"), "http://[::1]:80/")
	f.Add([]byte("\xFF\xFE<\x00p\x00>\x00"), "")
	f.Add([]byte(`<script type="application/ld+json">{"datePublished": [1, {"publisher": {"name": 3}}]}</script>`), "")
	f.Fuzz(func(t *testing.T, page []byte, url string) {
		p, err := Extract(page, url)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error of several lines: %q", err)
			}
			if strings.Contains(err.Error(), "extractor failed") {
				t.Fatalf("an extractor panicked: %v", err)
			}
		}
		for _, s := range []string{p.Title, p.Byline, p.Published, p.Site, p.Canonical, p.Lang, p.Text} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 out: %q", s)
			}
		}
		if p.Text != strings.Join(p.Paragraphs, "\n\n") {
			t.Fatalf("Text is not the joined paragraphs")
		}
		for _, para := range p.Paragraphs {
			if para == "" || strings.TrimSpace(para) != para || strings.Contains(para, "\n") {
				t.Fatalf("malformed paragraph %q", para)
			}
		}
		if p.Published != "" && isoDate(p.Published) != p.Published {
			t.Fatalf("published %q is not YYYY-MM-DD", p.Published)
		}
	})
}
