package ingest

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/abadojack/whatlanggo"

	"github.com/dyadproject/dyad/internal/dedup"
	"github.com/dyadproject/dyad/internal/extract"
	"github.com/dyadproject/dyad/internal/fetch"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/reader"
)

// raw is one document as a source gave it, or the reason a source failed.
type raw struct {
	source   string // where it came from, for messages and the record
	id, url  string
	date     string // YYYY-MM-DD from the source (feed item, JSONL, page), if any
	title    string
	text     string // plain text, or
	html     []byte // a whole page, or
	fragment bool   // html is a feed item's own HTML, not a page
	fetchURL string // a page still to be fetched (feed items with --follow)
	err      error
}

// prepared is a raw document extracted, checked and coded, or its failure.
type prepared struct {
	source    string
	rec       model.Record
	err       error
	unchanged bool // written by an earlier run; not prepared again
}

func (in *Ingester) prepare(ctx context.Context, r raw) prepared {
	if r.err != nil {
		return prepared{source: r.source, err: r.err}
	}
	if r.id != "" && in.prior[r.id] {
		return prepared{source: r.source, unchanged: true}
	}
	if r.fetchURL != "" {
		resp, err := in.fetch.Get(ctx, r.fetchURL, fetch.Validators{})
		if err != nil {
			return prepared{source: r.source, err: err}
		}
		if isPlainText(resp.ContentType) {
			text, _, err := reader.CheckText(resp.Body)
			if err != nil {
				return prepared{source: r.source, err: fmt.Errorf("%s: %v", r.fetchURL, err)}
			}
			r.text = text
		} else {
			r.html = resp.Body
		}
		r.url = resp.URL
		if r.date == "" {
			r.date = crawlDate()
		}
	}
	doc := model.Document{ID: r.id, URL: r.url, Source: r.source, Title: r.title}
	text := r.text
	declared := ""
	switch {
	case r.fragment:
		text = fragmentText(r.html)
	case r.html != nil:
		page, err := extract.Extract(r.html, r.url)
		if err != nil {
			return prepared{source: r.source, err: fmt.Errorf("%s: %v", r.source, err)}
		}
		text = page.Text
		if page.Title != "" {
			doc.Title = page.Title
		}
		if page.Canonical != "" {
			doc.URL = page.Canonical
		}
		// The outlet is the host, a stable key for counting distinct sources;
		// the site's own name only stands in when there is no URL.
		doc.Byline, doc.Published, doc.Outlet = page.Byline, page.Published, host(doc.URL)
		if doc.Outlet == "" {
			doc.Outlet = page.Site
		}
		declared = page.Lang
	}
	if strings.TrimSpace(text) == "" {
		return prepared{source: r.source, err: fmt.Errorf("%s: no article text", r.source)}
	}
	if doc.Outlet == "" {
		doc.Outlet = host(doc.URL)
	}
	if doc.Published == "" {
		doc.Published = r.date
	}
	if doc.ID == "" {
		doc.ID = pipeline.ContentID(text)
	}
	lang, why := in.language(text, declared)
	doc.Lang = lang
	if why != "" {
		doc.Text = text
		doc.Hash = dedup.Hash(text)
		return prepared{source: r.source, rec: model.Record{Document: doc, Status: model.StatusSkipped, Reason: why, Events: []model.Event{}}}
	}
	// The headline goes first, as in a plain-text article, so clean sees it as the title.
	if doc.Title != "" && !strings.HasPrefix(text, doc.Title) {
		text = doc.Title + "\n\n" + text
	}
	res := in.p.Process(pipeline.Article{ID: doc.ID, Text: text, Date: doc.Published, URL: doc.URL})
	out := res.Doc
	out.Outlet, out.Byline, out.Published, out.Lang, out.Source = doc.Outlet, doc.Byline, doc.Published, doc.Lang, doc.Source
	if out.Title == "" {
		out.Title = doc.Title
	}
	out.Hash = dedup.Hash(out.Text)
	events := res.Events
	if events == nil {
		events = []model.Event{}
	}
	return prepared{source: r.source, rec: model.Record{Document: out, Status: model.StatusCoded, Events: events}}
}

// language identifies the text's language (ISO 639-3). why is non-empty when
// the document is not one dyad codes. A short text's guess is unreliable, so
// it is trusted only when the page declares the same, or declares nothing
// English-like.
func (in *Ingester) language(text, declared string) (lang, why string) {
	sample := text
	if len(sample) > 1500 {
		sample = sample[:1500]
		for len(sample) > 0 && !isRuneStart(sample[len(sample)-1]) {
			sample = sample[:len(sample)-1]
		}
	}
	info := whatlanggo.Detect(sample)
	lang = info.Lang.Iso6393()
	if lang == "" {
		lang = "und"
	}
	if in.langs[lang] {
		return lang, ""
	}
	decl := strings.ToLower(declared)
	if i := strings.IndexAny(decl, "-_"); i >= 0 {
		decl = decl[:i]
	}
	if !info.IsReliable() && (decl == "en" || decl == "") && in.langs["eng"] {
		return lang, "" // too little text to overrule the page
	}
	return lang, fmt.Sprintf("language %s (confidence %.2f); dyad codes %s", lang, info.Confidence, strings.Join(in.langList(), ", "))
}

func (in *Ingester) langList() []string {
	if len(in.opt.Langs) == 0 {
		return []string{"eng"}
	}
	return in.opt.Langs
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func host(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}

func isPlainText(contentType string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/plain")
}

// looksHTML: a document that opens with markup.
func looksHTML(b []byte) bool {
	head := b
	if len(head) > 1024 {
		head = head[:1024]
	}
	head = bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\ufeff"))
	for _, p := range [][]byte{[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"), []byte("<!--"), []byte("<meta"), []byte("<article"), []byte("<div"), []byte("<p>")} {
		if bytes.HasPrefix(head, p) {
			return true
		}
	}
	return false
}

// Page runs one HTML page through extraction, language identification,
// clean-up and coding, as Run does for each page it reads; for benchmarks and
// callers that hold pages already (the HTTP ingest endpoint).
func (in *Ingester) Page(id, pageURL string, html []byte) (model.Record, error) {
	p := in.prepare(context.Background(), raw{source: id, id: id, url: pageURL, html: html})
	return p.rec, p.err
}

// crawlDate is the date a page without one of its own is taken to be from:
// the day it was fetched, as a crawl's WARC-Date is for archived pages.
func crawlDate() string { return time.Now().UTC().Format("2006-01-02") }
