// Package feed parses RSS 0.9x/1.0/2.0, Atom and JSON Feed documents into
// items with absolute links.
//
// RSS and Atom are parsed by gofeed, after a cheap token pass of our own: gofeed
// keeps every item and element it meets (an 8 MiB feed of empty items costs it
// over a gigabyte), so the token pass cuts the document before the item or
// element limit and closes the open elements, and refuses absurd nesting.
// JSON Feed is decoded here, streaming, so that items past the limit are
// skipped rather than built.
package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"
)

// Limits that keep memory and time proportional to what is returned.
const (
	MaxItems = 10000    // items returned; the rest are counted in Feed.Dropped
	MaxBytes = 32 << 20 // larger documents are refused
	// maxElements bounds the XML elements handed to gofeed, which costs a few
	// hundred bytes per element; ordinary feeds use well under 20 per item.
	maxElements = 300000
	maxDepth    = 256
)

// Item is one entry of a feed.
type Item struct {
	ID        string // guid/id; else the link; else a hash of title+content
	Link      string // absolute, resolved against the feed URL
	Title     string
	Published string // YYYY-MM-DD if given (published, else updated), in the feed's own time zone
	Author    string
	HTML      string // content:encoded / content / content_html, else description/summary (may be HTML or text)
}

// Feed is a parsed feed. Dropped counts the items left out because of
// MaxItems (or, for XML, the element limit); they come after the kept ones.
type Feed struct {
	Title, Link string
	Items       []Item
	Dropped     int
}

var errInvalid = errors.New("invalid feed")

func invalid(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if len(msg) > 200 { // parser messages may quote the input
		msg = strings.ToValidUTF8(msg[:200], "") + "…"
	}
	return fmt.Errorf("%w: %s", errInvalid, msg)
}

// Parse parses an RSS, Atom or JSON Feed document fetched from feedURL (which
// may be empty). Anything else gives an error starting "invalid feed: ".
func Parse(b []byte, feedURL string) (*Feed, error) {
	if len(b) > MaxBytes {
		return nil, invalid("larger than the %d MiB limit", MaxBytes>>20)
	}
	switch firstByte(b) {
	case '{':
		return parseJSON(b, feedURL)
	case '<':
	default:
		if utf16BOM(b) {
			break
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return nil, invalid("empty document")
		}
		return nil, invalid("neither XML nor JSON")
	}
	doc, err := toUTF8(b)
	if err != nil {
		return nil, err
	}
	var cut cut
	if bytes.Count(doc, []byte("<")) <= MaxItems {
		// Too few tags to pass any limit: only the root needs checking.
		cut.at = -1
		if cut.root, err = rootName(doc); err != nil {
			return nil, err
		}
	} else if cut, err = scan(doc); err != nil {
		return nil, err
	}
	if cut.at >= 0 {
		doc = append(doc[:cut.at:cut.at], cut.closing...)
	}
	var gf *gofeed.Feed
	if cut.root == "feed" {
		var af *atom.Feed
		if af, err = (&atom.Parser{}).Parse(bytes.NewReader(doc)); err == nil {
			gf, err = (&gofeed.DefaultAtomTranslator{}).Translate(af)
		}
	} else {
		var rf *rss.Feed
		if rf, err = (&rss.Parser{}).Parse(bytes.NewReader(doc)); err == nil {
			gf, err = (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(rf)
		}
	}
	if err != nil {
		return nil, invalid("%s", oneLine(err.Error()))
	}
	f := fromGofeed(gf, feedURL, cut.root == "feed")
	f.Dropped += cut.dropped
	if len(f.Items) > MaxItems { // cannot happen after the cut; kept as a guard
		f.Dropped += len(f.Items) - MaxItems
		f.Items = f.Items[:MaxItems]
	}
	return f, nil
}

func fromGofeed(gf *gofeed.Feed, feedURL string, inheritAuthor bool) *Feed {
	base := baseURL(feedURL, gf.Link)
	f := &Feed{Title: clean(gf.Title), Link: resolve(base, gf.Link), Items: make([]Item, 0, len(gf.Items))}
	feedAuthor := ""
	if inheritAuthor { // Atom entries inherit the feed's author
		feedAuthor = personName(gf.Authors, gf.Author)
	}
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		it := Item{
			Title:  plainText(gi.Title),
			Link:   resolve(base, gi.Link),
			Author: personName(gi.Authors, gi.Author),
			HTML:   strings.TrimSpace(gi.Content),
		}
		if it.HTML == "" {
			it.HTML = strings.TrimSpace(gi.Description)
		}
		if it.Author == "" {
			it.Author = feedAuthor
		}
		guid := strings.TrimSpace(gi.GUID)
		if it.Link == "" && isHTTP(guid) {
			// An RSS guid is a permalink unless marked otherwise.
			it.Link = guid
		}
		it.Published = localDate(gi.Published, gi.PublishedParsed)
		if it.Published == "" {
			it.Published = localDate(gi.Updated, gi.UpdatedParsed)
		}
		it.ID = itemID(guid, it)
		f.Items = append(f.Items, it)
	}
	return f
}

// dateLayouts are the common feed date forms, tried first so that the date
// stays the one the publisher wrote; gofeed's parsed times are in UTC.
var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04 -0700", time.RFC3339, "2006-01-02T15:04:05", time.DateOnly,
}

// localDate returns the date of raw in its own time zone, else of parsed.
func localDate(raw string, parsed *time.Time) string {
	raw = strings.TrimSpace(raw)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, raw); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	if parsed != nil {
		return parsed.Format(time.DateOnly)
	}
	return ""
}

// plainText returns the text of a title that may hold markup (Atom
// type="html", or escaped HTML in RSS).
func plainText(s string) string {
	if !strings.ContainsRune(s, '<') {
		return clean(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return clean(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

func personName(ps []*gofeed.Person, p *gofeed.Person) string {
	if len(ps) > 0 && ps[0] != nil {
		p = ps[0]
	}
	if p == nil {
		return ""
	}
	if n := clean(p.Name); n != "" {
		return n
	}
	return clean(p.Email)
}

// itemID is the guid, else the link, else a hash of title and content.
func itemID(guid string, it Item) string {
	switch {
	case guid != "":
		return guid
	case it.Link != "":
		return it.Link
	}
	h := sha256.Sum256([]byte(it.Title + "\x00" + it.HTML))
	return "sha256:" + hex.EncodeToString(h[:16])
}

// baseURL picks the URL relative links are resolved against: the feed URL,
// else the feed's own absolute link.
func baseURL(feedURL, feedLink string) *url.URL {
	for _, s := range []string{feedURL, feedLink} {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.IsAbs() && u.Host != "" {
			return u
		}
	}
	return nil
}

// resolve makes ref absolute against base; without a base it is returned as
// it is.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if base != nil && !u.IsAbs() {
		return base.ResolveReference(u).String()
	}
	return ref
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// clean collapses the whitespace feeds put around and inside titles.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// firstByte returns the first byte after a UTF-8 byte order mark and white
// space.
func firstByte(b []byte) byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func utf16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})
}

// Sniff cheaply reports whether b looks like a feed (RSS, Atom or JSON
// Feed), judging by its first few kilobytes only.
func Sniff(b []byte) bool {
	const window = 8 << 10
	if len(b) > window {
		b = b[:window]
	}
	switch firstByte(b) {
	case '{':
		return bytes.Contains(b, []byte("jsonfeed.org/version"))
	case '<':
	default:
		if !utf16BOM(b) {
			return false
		}
	}
	doc, err := toUTF8(b)
	if err != nil {
		return false
	}
	root, _ := rootName(doc)
	return root != ""
}
