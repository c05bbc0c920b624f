package extract

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// The article paragraphs of newsPage, in order.
var newsParas = []string{
	"The foreign ministers of both countries met in Geneva on Tuesday to discuss a ceasefire along the disputed border, officials said.",
	"According to a statement released after the talks, the two sides agreed to resume negotiations next month and to exchange prisoners before the winter.",
	"Observers from the United Nations welcomed the meeting but warned that fighting had continued in several villages during the weekend.",
	"The next round of talks is expected to take place in Vienna, where delegations will discuss the withdrawal of heavy weapons from the front line.",
}

const newsPage = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Ministers meet in Geneva | The Daily Example</title>
<meta property="og:title" content="Ministers meet in Geneva">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2021-03-23T09:15:00+01:00">
<meta name="author" content="Jane Reporter">
<link rel="canonical" href="/world/2021/03/23/ministers-meet">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Ministers meet in Geneva","datePublished":"2021-03-22T23:00:00Z","publisher":{"@type":"Organization","name":"Example Media"}}</script>
<style>body { font-family: serif; } .x::after { content: "<p>not text</p>"; }</style>
<script>var html = "<p>Script text that must not appear.</p>"; if (a < b) { x = "</div>"; }</script>
</head>
<body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<header><h1>Ministers meet in Geneva</h1></header>
<main>
<article>
<div class="share"><button>Share on Facebook</button><a href="#">Tweet this</a></div>
<p>` + "The foreign ministers of both countries met in Geneva on Tuesday to discuss a ceasefire along the disputed border, officials said." + `</p>
<figure><img src="a.jpg" alt="talks"><figcaption>Ministers shake hands before the talks. Photo: Agency</figcaption></figure>
<p>` + "According to a statement released after the talks, the two sides agreed to resume negotiations next month and to exchange prisoners before the winter." + `</p>
<!-- <p>Commented-out paragraph that must not appear.</p> -->
<p>` + "Observers from the United Nations welcomed the meeting but warned that fighting had continued in several villages during the weekend." + `</p>
<p>` + "The next round of talks is expected to take place in Vienna, where delegations will discuss the withdrawal of heavy weapons from the front line." + `</p>
</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Markets fall on trade fears</a></li><li><a href="/b">Storm hits the coast</a></li></ul></aside>
</main>
<footer><p>Copyright 2021 The Daily Example. All rights reserved.</p></footer>
</body>
</html>`

func TestExtractNewsPage(t *testing.T) {
	p, err := Extract([]byte(newsPage), "https://news.example.com/world/index.html?x=1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(p.Paragraphs, "\n"), strings.Join(newsParas, "\n"); got != want {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", got, want)
	}
	if p.Text != strings.Join(p.Paragraphs, "\n\n") {
		t.Errorf("Text is not the paragraphs joined by blank lines: %q", p.Text)
	}
	checks := []struct{ name, got, want string }{
		{"title", p.Title, "Ministers meet in Geneva"},
		{"byline", p.Byline, "Jane Reporter"},
		{"published", p.Published, "2021-03-23"}, // the <meta> date, as written, before JSON-LD's
		{"site", p.Site, "The Daily Example"},
		{"canonical", p.Canonical, "https://news.example.com/world/2021/03/23/ministers-meet"},
		{"lang", p.Lang, "en"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, bad := range []string{"Photo: Agency", "Script text", "Commented-out", "Related stories", "Copyright", "Tweet this", "not text"} {
		if strings.Contains(p.Text, bad) {
			t.Errorf("text holds %q:\n%s", bad, p.Text)
		}
	}
}

func TestMetadataFallbacks(t *testing.T) {
	body := "<body><article>" + strings.Repeat("<p>"+newsParas[0]+" "+newsParas[1]+"</p>", 2) + "</article></body>"
	cases := []struct {
		name, head, url            string
		published, site, canonical string
		lang                       string
	}{
		{
			name: "JSON-LD date and publisher, og:url, content-language",
			head: `<meta http-equiv="Content-Language" content="fr-FR"><meta property="og:url" content="https://www.example.fr/a/b">` +
				`<script type="application/ld+json">[{"@type":"WebPage"},{"@graph":[{"@type":"NewsArticle","datePublished":"2020-02-29","publisher":{"name":"Le Exemple"}}]}]</script>`,
			url:       "https://www.example.fr/a/b?utm=1",
			published: "2020-02-29", site: "Le Exemple", canonical: "https://www.example.fr/a/b", lang: "fr",
		},
		{
			name:      "time element, host as site, page URL as canonical",
			head:      ``,
			url:       "https://www.example.org/story",
			published: "", site: "example.org", canonical: "https://www.example.org/story", lang: "",
		},
		{
			name:      "itemprop datePublished on time; bad canonical scheme ignored",
			head:      `<link rel="canonical" href="javascript:alert(1)">`,
			url:       "http://example.net/x",
			published: "2019-11-18", site: "example.net", canonical: "http://example.net/x", lang: "",
		},
	}
	for i, c := range cases {
		b := body
		if i == 2 {
			b = strings.Replace(body, "<article>", `<article><time itemprop="datePublished" datetime="2019-11-18T10:00:00Z">Nov 18</time>`, 1)
		}
		if i == 1 {
			b = strings.Replace(body, "<article>", `<article><time datetime="not a date">today</time>`, 1)
		}
		p, err := Extract([]byte("<html><head>"+c.head+"</head>"+b+"</html>"), c.url)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if p.Published != c.published || p.Site != c.site || p.Canonical != c.canonical || p.Lang != c.lang {
			t.Errorf("%s: got published %q site %q canonical %q lang %q, want %q %q %q %q", c.name,
				p.Published, p.Site, p.Canonical, p.Lang, c.published, c.site, c.canonical, c.lang)
		}
	}
}

func TestIsoDate(t *testing.T) {
	for in, want := range map[string]string{
		"2019-11-19T13:03:00Z":       "2019-11-19",
		"2019-11-19T13:03:00.000-05": "2019-11-19",
		" 2019-11-19 ":               "2019-11-19",
		"2019/11/19 10:00":           "2019-11-19",
		"20191119":                   "2019-11-19",
		"201911190":                  "",
		"2019-02-30":                 "",
		"1066-10-14":                 "",
		"Nov 19, 2019":               "",
		"":                           "",
	} {
		if got := isoDate(in); got != want {
			t.Errorf("isoDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormLang(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "en-US": "en", "EN_gb": "en", "pt-BR": "pt", "fil": "fil",
		"de, en": "de", "": "", "x": "", "english": "", "zh-Hant-TW": "zh", "e1": "",
	} {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// articleIn wraps body paragraphs in a page that declares no charset.
func articleIn(head, para string) string {
	return "<html><head>" + head + "</head><body><article>" +
		strings.Repeat("<p>"+para+" "+newsParas[0]+"</p>", 3) + "</article></body></html>"
}

func TestCharsets(t *testing.T) {
	const word = "Café crème à Zürich, naïve façade"
	win, err := charmap.Windows1252.NewEncoder().String(articleIn(`<meta charset="windows-1252">`, word))
	if err != nil {
		t.Fatal(err)
	}
	latin1Undeclared, _ := charmap.Windows1252.NewEncoder().String(articleIn(``, word))
	late, _ := charmap.ISO8859_1.NewEncoder().String(articleIn(strings.Repeat("<meta name=x content=y>", 200)+`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">`, word))
	sjisWord := "東京で会談が行われた"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(articleIn(`<meta charset="shift_jis">`, sjisWord))
	if err != nil {
		t.Fatal(err)
	}
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(articleIn(``, word))
	cases := []struct {
		name, page, want string
	}{
		{"utf-8 BOM", "\xEF\xBB\xBF" + articleIn(``, word), word},
		{"meta windows-1252", win, word},
		{"undeclared legacy bytes", latin1Undeclared, word},
		{"charset declared after 1024 bytes", late, word},
		{"shift_jis", sjis, sjisWord},
		{"utf-16le BOM", utf16, word},
		{"mislabelled: declares latin-1, is UTF-8", articleIn(`<meta charset="iso-8859-1">`, word), word},
	}
	for _, c := range cases {
		p, err := Extract([]byte(c.page), "")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !strings.Contains(p.Text, c.want) {
			t.Errorf("%s: text lacks %q:\n%q", c.name, c.want, p.Text)
		}
	}
}

func TestInvalidUTF8NeverOut(t *testing.T) {
	// Declared UTF-8 but broken: stray continuation bytes and a cut rune.
	page := articleIn(`<meta charset="utf-8"><title>Bad `+"\xff\xfe"+` title</title>`, "Broken \x80\xbf bytes \xe2\x82 here")
	p, err := Extract([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append([]string{p.Title, p.Text, p.Byline, p.Site}, p.Paragraphs...) {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 in output: %q", s)
		}
	}
	if !strings.Contains(p.Text, "Broken") {
		t.Errorf("text lost: %q", p.Text)
	}
}

func TestNoText(t *testing.T) {
	for _, page := range []string{"", "<html></html>", "<html><body><nav><a href=/>Home</a></nav></body></html>", "\x00\x01\x02"} {
		_, err := Extract([]byte(page), "https://example.com/p")
		if !errors.Is(err, ErrNoText) {
			t.Errorf("%q: err = %v, want ErrNoText", page, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "https://example.com/p: ") {
			t.Errorf("error does not name the page: %v", err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	big := make([]byte, MaxBytes+1)
	_, err := Extract(big, "https://example.com/big")
	if err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") || !strings.Contains(err.Error(), "example.com/big") {
		t.Errorf("err = %v", err)
	}
}

// endless yields zero bytes forever and counts what was read.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.n += int64(len(p))
	return len(p), nil
}

func TestReadBounded(t *testing.T) {
	r := &endless{}
	const limit = 1 << 20
	_, err := ReadBounded(r, limit)
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("err = %v", err)
	}
	if r.n > limit+1 {
		t.Errorf("read %d bytes, want at most %d", r.n, limit+1)
	}
	b, err := ReadBounded(strings.NewReader("hello"), 5)
	if err != nil || string(b) != "hello" {
		t.Errorf("exact size: %q, %v", b, err)
	}
	if _, err := ReadBounded(strings.NewReader("hello!"), 5); err == nil || err.Error() != "larger than 5 bytes" {
		t.Errorf("one over: %v", err)
	}
	if _, err := ReadBounded(iotestErr{}, 5); err == nil {
		t.Error("read error not reported")
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// Nasty pages must end, with a one-line error or some text, never a panic.
func TestNastyPages(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 1<<20)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	pages := map[string]string{
		"100k nested divs":   "<html><body>" + strings.Repeat("<div>", 100_000) + "<p>deep</p>" + strings.Repeat("</div>", 100_000),
		"100k nested spans":  strings.Repeat("<span><b>", 50_000) + "x",
		"unclosed tags":      "<html><body>" + strings.Repeat("<b><i><p>text <a href='", 20_000),
		"unclosed comment":   "<p>before</p><!-- " + strings.Repeat("x", 100_000),
		"unclosed script":    "<p>before</p><script>" + strings.Repeat("<p>x</p>", 10_000),
		"binary junk":        string(junk),
		"many elements":      strings.Repeat("<p>a</p>", MaxElements+10),
		"many tags":          strings.Repeat("<br>", 4*MaxElements+1),
		"tags in attributes": strings.Repeat(`<a title="<p>x</p>" href='<!--'>y</a>`, 10_000),
		"nul bytes":          strings.Repeat("<p>\x00a\x00</p>", 10_000),
	}
	for name, page := range pages {
		st := time.Now()
		p, err := Extract([]byte(page), "")
		t.Logf("%s: %v %v", name, time.Since(st), err)
		if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
			t.Errorf("%s: error has several lines: %q", name, err)
		}
		if !utf8.ValidString(p.Text) {
			t.Errorf("%s: invalid UTF-8 out", name)
		}
		if name == "many elements" && (err == nil || !strings.Contains(err.Error(), "too many HTML elements")) {
			t.Errorf("%s: err = %v", name, err)
		}
		if name == "many tags" && (err == nil || !strings.Contains(err.Error(), "too many HTML tags")) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestPanicBecomesError(t *testing.T) {
	beforeExtract = func(*html.Node) { panic("boom\nsecond line") }
	defer func() { beforeExtract = nil }()
	_, err := Extract([]byte(newsPage), "https://example.com/a")
	if err == nil || err.Error() != "https://example.com/a: extractor failed: boom second line" {
		t.Errorf("err = %v", err)
	}
}

func TestStripNoise(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a<script>x</script>b", "ab"},
		{"a<SCRIPT type=text/javascript>x</ScRiPt >b", "ab"},
		{`a<script type="application/ld+json">{"x":"<!-- y -->"}</script>b`, `a<script type="application/ld+json">{"x":"<!-- y -->"}</script>b`},
		{"a<style>p{}</style>b<svg><path/></svg>c<noscript><img></noscript>d", "abcd"},
		{"a<!-- <script> -->b<script>//<!--\n</script>c", "abc"},
		{"a<!-->b<!--->c", "abc"},
		{"a<!-- unterminated", "a"},
		{"a<script>unterminated", "a"},
		{"a<scripts>b</scripts>", "a<scripts>b</scripts>"},
		{"<title>a <!-- b --></title>c<!--d-->", "<title>a <!-- b --></title>c"},
		{"<textarea><script>x</script></textarea>", "<textarea><script>x</script></textarea>"},
		{"no tags at all", "no tags at all"},
		{`a<img src="x.jpg" alt="y">b<IMG/>c<imgx>`, "abc<imgx>"},
		{`<link rel="stylesheet" href="s.css"><link rel="canonical" href="/c">`, `<link rel="canonical" href="/c">`},
		{`<input type=text value="q"><source srcset="a 1x">x<img`, "x<img"},
		{"<p>plain</p>", "<p>plain</p>"},
	}
	for _, c := range cases {
		if got := string(stripNoise([]byte(c.in))); got != c.want {
			t.Errorf("stripNoise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLayoutSpaceKeepsWordSpace(t *testing.T) {
	page := "<html><body><div>\n  <p>one <b>two</b> <i>three</i></p>\n  <p>four</p>\n</div></body></html>"
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	readMeta(doc, true)
	var buf bytes.Buffer
	html.Render(&buf, doc)
	want := "<html><head></head><body><div><p>one <b>two</b> <i>three</i></p><p>four</p></div></body></html>"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}

func TestParagraphs(t *testing.T) {
	doc, _ := html.Parse(strings.NewReader(`<div><h2>Head</h2><p>a  b<br>c</p><figure><figcaption>cap</figcaption></figure>` +
		`<table><tr><td>1</td><td>2</td></tr></table><ul><li>x</li><li>y</li></ul><p>` + "\u200b" + "</p><p>co\u00adop\ufeff er\u200bate</p></div>"))
	got := strings.Join(paragraphs(doc), "|")
	if want := "Head|a b|c|1 2|x|y|coop erate"; got != want {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

func TestFallbackTooLittle(t *testing.T) {
	doc, _ := html.Parse(strings.NewReader(newsPage))
	alt := fallback(doc, nil, []string{"Share"})
	if alt == nil {
		t.Fatal("readability not used for a near-empty extraction")
	}
	if !strings.Contains(strings.Join(alt.paras, " "), newsParas[2]) {
		t.Errorf("readability text lacks the article: %q", alt.paras)
	}
	doc, _ = html.Parse(strings.NewReader(newsPage))
	if alt := fallback(doc, nil, newsParas); alt != nil {
		t.Errorf("fallback replaced a good extraction with %q", alt.paras)
	}
}

func TestDropTitle(t *testing.T) {
	got := dropTitle([]string{"Kicker", "The Title", "Body"}, "the title")
	if strings.Join(got, "|") != "Kicker|Body" {
		t.Errorf("got %q", got)
	}
	got = dropTitle([]string{"a", "b", "c", "Title"}, "Title")
	if len(got) != 4 {
		t.Errorf("title beyond the top removed: %q", got)
	}
}

// A short page falls to trafilatura's baseline, which runs an <article>'s
// paragraphs together; the sentence splitter needs the breaks back.
func TestShortArticleKeepsParagraphs(t *testing.T) {
	page := `<html><body><nav>Home | World</nav><article><h1>Iran condemns sanctions</h1>` +
		`<p>The United States imposed sanctions on Iranian officials on Tuesday.</p>` +
		`<p>Iran condemned the sanctions and accused Washington of economic terrorism.</p></article></body></html>`
	p, err := Extract([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"The United States imposed sanctions on Iranian officials on Tuesday.",
		"Iran condemned the sanctions and accused Washington of economic terrorism."}
	if strings.Join(p.Paragraphs, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs %q, want %q", p.Paragraphs, want)
	}
}
