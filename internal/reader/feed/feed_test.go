package feed

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func mustParse(t *testing.T, doc, feedURL string) *Feed {
	t.Helper()
	f, err := Parse([]byte(doc), feedURL)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func checkItem(t *testing.T, got, want Item) {
	t.Helper()
	if got != want {
		t.Errorf("item\n got %+v\nwant %+v", got, want)
	}
}

const rss2 = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>  World
     News </title>
  <link>/</link>
  <item>
    <title>Talks &amp; tensions</title>
    <link>/world/talks</link>
    <guid isPermaLink="false">story-1</guid>
    <pubDate>Tue, 23 Mar 2021 23:30:00 -0500</pubDate>
    <dc:creator>Jane Roe</dc:creator>
    <description>Short summary</description>
    <content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded>
  </item>
  <item>
    <title>No guid</title>
    <link>asia/2</link>
    <description>&lt;p&gt;Escaped HTML&lt;/p&gt;</description>
    <author>desk@news.example (Desk)</author>
  </item>
  <item><guid>https://news.example/permalink/3</guid><title>Permalink guid</title></item>
  <item><title>Bare</title><description>only text</description></item>
</channel>
</rss>`

func TestParseRSS2(t *testing.T) {
	f := mustParse(t, rss2, "https://news.example/feeds/world.xml")
	if f.Title != "World News" || f.Link != "https://news.example/" || len(f.Items) != 4 || f.Dropped != 0 {
		t.Fatalf("feed = %+v", f)
	}
	checkItem(t, f.Items[0], Item{ID: "story-1", Link: "https://news.example/world/talks", Title: "Talks & tensions",
		Published: "2021-03-23", Author: "Jane Roe", HTML: "<p>Full <b>text</b></p>"})
	// Relative links resolve against the feed's URL; no guid: the link is the ID.
	checkItem(t, f.Items[1], Item{ID: "https://news.example/feeds/asia/2", Link: "https://news.example/feeds/asia/2",
		Title: "No guid", Author: "Desk", HTML: "<p>Escaped HTML</p>"})
	checkItem(t, f.Items[2], Item{ID: "https://news.example/permalink/3", Link: "https://news.example/permalink/3", Title: "Permalink guid"})
	bare := f.Items[3]
	if !strings.HasPrefix(bare.ID, "sha256:") || len(bare.ID) != len("sha256:")+32 || bare.Link != "" || bare.HTML != "only text" {
		t.Errorf("bare item = %+v", bare)
	}
	// The hash ID is stable and depends on title and content.
	again := mustParse(t, rss2, "https://news.example/feeds/world.xml")
	other := mustParse(t, strings.Replace(rss2, "only text", "other text", 1), "")
	if again.Items[3].ID != bare.ID || other.Items[3].ID == bare.ID {
		t.Errorf("hash IDs: %s, %s, %s", bare.ID, again.Items[3].ID, other.Items[3].ID)
	}
	// Without a feed URL, the channel's absolute link is the base; without
	// either, relative links stay relative.
	f = mustParse(t, strings.Replace(rss2, "<link>/</link>", "<link>http://alt.example/news/</link>", 1), "")
	if f.Items[1].Link != "http://alt.example/news/asia/2" {
		t.Errorf("link against channel link: %q", f.Items[1].Link)
	}
	f = mustParse(t, rss2, "")
	if f.Items[1].Link != "asia/2" {
		t.Errorf("link without base: %q", f.Items[1].Link)
	}
}

func TestParseRSS091And10(t *testing.T) {
	rss091 := `<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>http://old.example/</link><language>fr</language>
<item><title>Caf` + "\xe9" + ` talks</title><link>http://old.example/1</link><description>d` + "\xe9" + `tente</description></item>
</channel></rss>`
	f := mustParse(t, rss091, "")
	if len(f.Items) != 1 {
		t.Fatalf("items %+v", f.Items)
	}
	checkItem(t, f.Items[0], Item{ID: "http://old.example/1", Link: "http://old.example/1", Title: "Café talks", HTML: "détente"})

	rdf := `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example/"><title>RDF news</title><link>http://rdf.example/</link>
    <items><rdf:Seq><rdf:li resource="http://rdf.example/a"/></rdf:Seq></items></channel>
  <item rdf:about="http://rdf.example/a"><title>First</title><link>http://rdf.example/a</link>
    <dc:date>2019-07-04T10:00:00+02:00</dc:date><dc:creator>R. Writer</dc:creator><description>Desc</description></item>
  <item rdf:about="http://rdf.example/b"><title>Second</title><link>/b</link></item>
</rdf:RDF>`
	f = mustParse(t, rdf, "")
	if f.Title != "RDF news" || len(f.Items) != 2 {
		t.Fatalf("feed = %+v", f)
	}
	checkItem(t, f.Items[0], Item{ID: "http://rdf.example/a", Link: "http://rdf.example/a", Title: "First",
		Published: "2019-07-04", Author: "R. Writer", HTML: "Desc"})
	if f.Items[1].Link != "http://rdf.example/b" {
		t.Errorf("second link %q", f.Items[1].Link)
	}
}

func TestParseAtom(t *testing.T) {
	atom := `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom news</title>
  <link rel="self" href="http://atom.example/feed.xml"/>
  <link rel="alternate" href="http://atom.example/"/>
  <author><name>Feed Author</name></author>
  <entry>
    <id>tag:atom.example,2021:1</id>
    <title type="html">Summit &lt;em&gt;ends&lt;/em&gt;</title>
    <link rel="alternate" href="/2021/summit"/>
    <published>2021-06-01T22:00:00-07:00</published>
    <updated>2021-06-03T00:00:00Z</updated>
    <author><name>Sam Poe</name></author>
    <summary>Summary only</summary>
    <content type="html">&lt;p&gt;Full story&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>tag:atom.example,2021:2</id>
    <title>Updated only</title>
    <link href="http://atom.example/2"/>
    <updated>2021-06-05T10:00:00Z</updated>
    <summary type="html">&lt;p&gt;Summary HTML&lt;/p&gt;</summary>
  </entry>
</feed>`
	f := mustParse(t, atom, "http://atom.example/feed.xml")
	if f.Title != "Atom news" || f.Link != "http://atom.example/" || len(f.Items) != 2 {
		t.Fatalf("feed = %+v", f)
	}
	checkItem(t, f.Items[0], Item{ID: "tag:atom.example,2021:1", Link: "http://atom.example/2021/summit", Title: "Summit ends",
		Published: "2021-06-01", Author: "Sam Poe", HTML: "<p>Full story</p>"})
	// Entries without an author inherit the feed's.
	checkItem(t, f.Items[1], Item{ID: "tag:atom.example,2021:2", Link: "http://atom.example/2", Title: "Updated only",
		Published: "2021-06-05", Author: "Feed Author", HTML: "<p>Summary HTML</p>"})
}

func TestParseJSONFeed(t *testing.T) {
	js := `{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON news",
  "home_page_url": "https://json.example/",
  "authors": [{"name": "Feed Writer"}, {"name": "Second"}],
  "extra": {"nested": [1, 2, {"deep": true}]},
  "items": [
    {"id": 42, "url": "/p/42", "title": "Numeric id", "content_html": "<p>html</p>", "content_text": "text",
     "date_published": "2021-01-02T03:04:05+09:00", "authors": [{"name": "A. Author"}]},
    "not an item",
    {"external_url": "https://elsewhere.example/x", "title": "External", "content_text": "plain", "date_modified": "2021-02-03T00:00:00Z",
     "author": {"name": "Old Style"}},
    {"title": 7, "summary": "sum only"}
  ]
}`
	f := mustParse(t, js, "")
	if f.Title != "JSON news" || f.Link != "https://json.example/" || len(f.Items) != 3 {
		t.Fatalf("feed = %+v", f)
	}
	checkItem(t, f.Items[0], Item{ID: "42", Link: "https://json.example/p/42", Title: "Numeric id",
		Published: "2021-01-02", Author: "A. Author", HTML: "<p>html</p>"})
	checkItem(t, f.Items[1], Item{ID: "https://elsewhere.example/x", Link: "https://elsewhere.example/x", Title: "External",
		Published: "2021-02-03", Author: "Old Style", HTML: "plain"})
	if it := f.Items[2]; it.Author != "Feed Writer" || it.HTML != "sum only" || it.Title != "7" || !strings.HasPrefix(it.ID, "sha256:") {
		t.Errorf("third item = %+v", it)
	}
	// JSON Feed 1.0 and a version key after the items.
	f = mustParse(t, `{"items":[{"id":"a","url":"https://x.example/a"}],"version":"https://jsonfeed.org/version/1","author":{"name":"Z"}}`, "")
	if len(f.Items) != 1 || f.Items[0].Author != "Z" || f.Items[0].Link != "https://x.example/a" {
		t.Errorf("1.0 feed = %+v", f)
	}
}

func TestInvalidFeeds(t *testing.T) {
	deep := "<rss><channel><item>" + strings.Repeat("<x>", 20000) + strings.Repeat("</x>", 20000) + "</item></channel></rss>"
	for name, doc := range map[string]string{
		"html page":     "<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Hi</p></body></html>",
		"truncated xml": rss2[:len(rss2)/2],
		"json not feed": `{"name": "a package", "version": "1.2.3", "items": [1, 2]}`,
		"json array":    `[{"version":"https://jsonfeed.org/version/1.1"}]`,
		"broken json":   `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1},`,
		"items object":  `{"version":"https://jsonfeed.org/version/1.1","items":{"id":1}}`,
		"empty":         " \n",
		"plain text":    "Troops crossed the border.",
		"svg":           `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`,
		"comment only":  "<!-- nothing -->",
		"deep nesting":  deep,
		"bad encoding":  `<?xml version="1.0" encoding="x-no-such-charset"?><rss/>`,
	} {
		f, err := Parse([]byte(doc), "http://x.example/")
		if err == nil {
			t.Errorf("%s: parsed as %+v", name, f)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "invalid feed: ") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q is not one line starting \"invalid feed: \"", name, msg)
		}
	}
	// Documents with few tags skip the token pass; nesting that deep must not
	// harm gofeed either.
	for _, n := range []int{300, 4000} {
		nested := "<rss><channel><item><title>t</title>" + strings.Repeat("<x:y>", n) + strings.Repeat("</x:y>", n) + "</item></channel></rss>"
		if _, err := Parse([]byte(nested), ""); err != nil && !strings.HasPrefix(err.Error(), "invalid feed: ") {
			t.Errorf("nesting %d: %v", n, err)
		}
	}
	if _, err := Parse(make([]byte, MaxBytes+1), ""); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized document: %v", err)
	}
}

func TestEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Ünïcode</title>` +
		`<item><title>Zürich talks</title><link>http://u.example/1</link></item></channel></rss>`
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(u16, "")
	if err != nil || f.Title != "Ünïcode" || len(f.Items) != 1 || f.Items[0].Title != "Zürich talks" {
		t.Fatalf("UTF-16: %+v, %v", f, err)
	}
	if !Sniff(u16) {
		t.Error("Sniff misses a UTF-16 feed")
	}
	// windows-1252 curly quotes, control bytes and invalid UTF-8 in a UTF-8 feed.
	f = mustParse(t, `<?xml version="1.0" encoding="windows-1252"?><rss><channel><item><title>`+"\x93Quoted\x94"+`</title></item></channel></rss>`, "")
	if f.Items[0].Title != "“Quoted”" {
		t.Errorf("windows-1252 title %q", f.Items[0].Title)
	}
	f = mustParse(t, "<rss><channel><item><title>bad\x01 \xff bytes</title></item></channel></rss>", "")
	if f.Items[0].Title != "bad \uFFFD bytes" {
		t.Errorf("repaired title %q", f.Items[0].Title)
	}
}

func manyItems(format string, n int) []byte {
	var b bytes.Buffer
	switch format {
	case "rss":
		b.WriteString(`<rss version="2.0"><channel><title>Big</title>`)
		for i := range n {
			fmt.Fprintf(&b, "<item><title>Item %d</title><link>http://big.example/%d</link></item>\n", i, i)
		}
		b.WriteString("</channel></rss>")
	case "atom":
		b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Big</title>`)
		for i := range n {
			fmt.Fprintf(&b, "<entry><id>e%d</id><title>Item %d</title></entry>\n", i, i)
		}
		b.WriteString("</feed>")
	case "json":
		b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","items":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"j%d","title":"Item %d"}`, i, i)
		}
		b.WriteString("]}")
	}
	return b.Bytes()
}

func TestHugeFeed(t *testing.T) {
	for _, format := range []string{"rss", "atom", "json"} {
		f, err := Parse(manyItems(format, MaxItems+5000), "")
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(f.Items) != MaxItems || f.Dropped != 5000 {
			t.Errorf("%s: %d items, %d dropped; want %d and 5000", format, len(f.Items), f.Dropped, MaxItems)
		}
		if last := f.Items[len(f.Items)-1]; last.Title != fmt.Sprintf("Item %d", MaxItems-1) {
			t.Errorf("%s: last kept item %+v", format, last)
		}
	}
}

// allocated returns the bytes allocated while running f.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Feeds built to make a parser keep millions of tiny things: unbounded,
// gofeed allocates over a gigabyte for each of these 8 MiB documents.
func TestPathologicalFeedsStayBounded(t *testing.T) {
	fill := func(head, unit, tail string) []byte {
		var b bytes.Buffer
		b.WriteString(head)
		for b.Len() < 8<<20 {
			b.WriteString(unit)
		}
		b.WriteString(tail)
		return b.Bytes()
	}
	for _, c := range []struct {
		name       string
		doc        []byte
		items      int
		maxDropped int
	}{
		{"empty rss items", fill("<rss><channel>", "<item/>", "</channel></rss>"), MaxItems, 2 << 20},
		{"empty atom entries", fill(`<feed xmlns="http://www.w3.org/2005/Atom">`, "<entry/>", "</feed>"), MaxItems, 2 << 20},
		{"empty json items", fill(`{"version":"https://jsonfeed.org/version/1","items":[{}`, ",{}", "]}"), MaxItems, 3 << 20},
		{"extension elements", fill(`<rss xmlns:x="urn:x"><channel><item><title>a</title></item><item>`, "<x:y/>", "</item></channel></rss>"), 1, 1},
	} {
		var f *Feed
		var err error
		alloc := allocated(func() { f, err = Parse(c.doc, "") })
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(f.Items) != c.items || f.Dropped < 1 || f.Dropped > c.maxDropped {
			t.Errorf("%s: %d items, %d dropped", c.name, len(f.Items), f.Dropped)
		}
		if alloc > 400<<20 {
			t.Errorf("%s: allocated %d MiB", c.name, alloc>>20)
		}
		t.Logf("%s: %d items, %d dropped, %d MiB allocated", c.name, len(f.Items), f.Dropped, alloc>>20)
	}
}

func TestBillionLaughs(t *testing.T) {
	var d strings.Builder
	d.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE rss [` + "\n" + `<!ENTITY lol "lol">` + "\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&d, `<!ENTITY lol%d "%s">`+"\n", i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	d.WriteString(`]>` + "\n" + `<rss version="2.0"><channel><title>&lol9;</title>` +
		`<item><title>&lol9;&lol9;</title><description>&lol8;</description><link>http://lol.example/</link></item></channel></rss>`)
	var f *Feed
	var err error
	alloc := allocated(func() { f, err = Parse([]byte(d.String()), "") })
	if alloc > 16<<20 {
		t.Errorf("allocated %d MiB: entities were expanded", alloc>>20)
	}
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	// encoding/xml does not expand DTD entities: the reference stays text.
	if f.Title != "&lol9;" || f.Items[0].Title != "&lol9;&lol9;" || f.Items[0].HTML != "&lol8;" {
		t.Errorf("feed = %+v", f)
	}
}

func TestSniff(t *testing.T) {
	long := "<?xml version=\"1.0\"?>\n<!-- " + strings.Repeat("x", 10000) + " -->\n<rss/>"
	for doc, want := range map[string]bool{
		rss2:                                true,
		"\xef\xbb\xbf  <rss version='2.0'>": true,
		`<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><feed xmlns="http://www.w3.org/2005/Atom">`: true,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`:                              true,
		` {"version": "https://jsonfeed.org/version/1.1", "items": []}`:                                  true,
		"<!DOCTYPE html><html><body><a href='feed.xml'>rss</a></body></html>":                            false,
		`{"version": "1.0"}`:  false,
		"plain words":         false,
		"":                    false,
		"<":                   false,
		long:                  false, // root beyond the sniffing window
		"<html><rss></rss>":   false,
		"<RSS version='2.0'>": true,
	} {
		if got := Sniff([]byte(doc)); got != want {
			t.Errorf("Sniff(%.60q) = %v, want %v", doc, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(rss2), "https://news.example/feed")
	f.Add(manyItems("atom", 3), "")
	f.Add(manyItems("json", 3), "http://j.example/")
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item><title>x</title></item></rdf:RDF>`), "")
	f.Add([]byte(`<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><item><title>`+"\xe9"+`</title></item></channel></rss>`), "%zz")
	f.Add([]byte("<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><rss><channel><title>&a;</title></channel></rss>"), "")
	f.Fuzz(func(t *testing.T, doc []byte, feedURL string) {
		Sniff(doc)
		fd, err := Parse(doc, feedURL)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "invalid feed: ") || strings.Contains(msg, "\n") {
				t.Fatalf("bad error %q", msg)
			}
			return
		}
		if len(fd.Items) > MaxItems || fd.Dropped < 0 {
			t.Fatalf("%d items, %d dropped", len(fd.Items), fd.Dropped)
		}
		for _, it := range fd.Items {
			if it.ID == "" {
				t.Fatalf("item without ID: %+v", it)
			}
		}
	})
}

// benchFeeds returns a news-like feed of 200 items in each format.
func benchFeeds() map[string][]byte {
	para := "The foreign minister met his counterpart in the capital on Tuesday to discuss the ceasefire. "
	var r, a, j bytes.Buffer
	r.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://b.example/</link>`)
	a.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Bench</title>`)
	j.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"Bench","items":[`)
	for i := range 200 {
		body := "<p>" + strings.Repeat(para, 10) + "</p>"
		fmt.Fprintf(&r, "<item><title>Story %d</title><link>/story/%d</link><guid>s%d</guid><pubDate>Tue, 23 Mar 2021 10:00:00 +0000</pubDate><dc:creator>Desk</dc:creator><description>%s</description><content:encoded><![CDATA[%s]]></content:encoded></item>\n", i, i, i, para, body)
		fmt.Fprintf(&a, "<entry><id>s%d</id><title>Story %d</title><link href=\"/story/%d\"/><updated>2021-03-23T10:00:00Z</updated><summary>%s</summary><content type=\"html\"><![CDATA[%s]]></content></entry>\n", i, i, i, para, body)
		if i > 0 {
			j.WriteByte(',')
		}
		fmt.Fprintf(&j, `{"id":"s%d","url":"/story/%d","title":"Story %d","date_published":"2021-03-23T10:00:00Z","summary":%q,"content_html":%q}`, i, i, i, para, body)
	}
	r.WriteString("</channel></rss>")
	a.WriteString("</feed>")
	j.WriteString("]}")
	return map[string][]byte{"rss": r.Bytes(), "atom": a.Bytes(), "json": j.Bytes()}
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"rss", "atom", "json"} {
		doc := benchFeeds()[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := Parse(doc, "https://b.example/feed")
				if err != nil || len(f.Items) != 200 {
					b.Fatalf("%v, %d items", err, len(f.Items))
				}
			}
		})
	}
}

func BenchmarkSniff(b *testing.B) {
	doc := benchFeeds()["rss"]
	for b.Loop() {
		if !Sniff(doc) {
			b.Fatal("not sniffed")
		}
	}
}
