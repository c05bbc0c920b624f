package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/fetch"
	"github.com/dyadproject/dyad/internal/reader"
	"github.com/dyadproject/dyad/internal/reader/feed"
	"github.com/dyadproject/dyad/internal/reader/warc"
)

// produce walks the sources in order and emits their documents (and their
// failures) in order. With Watch set, the feeds among them are then polled.
func (in *Ingester) produce(ctx context.Context, sources []string, emit func(raw)) {
	var feeds []string
	for _, s := range sources {
		if ctx.Err() != nil {
			return
		}
		switch {
		case s == "-":
			in.fromReader(ctx, "<stdin>", in.opt.Stdin, emit)
		case isURL(s):
			if in.fromURL(ctx, s, fetch.Validators{}, emit) {
				feeds = append(feeds, s)
			}
		default:
			in.fromPath(ctx, s, emit)
		}
	}
	if in.opt.Watch > 0 && len(feeds) > 0 {
		in.watch(ctx, feeds, emit)
	}
}

func needsNetwork(sources []string) bool {
	for _, s := range sources {
		if isURL(s) {
			return true
		}
	}
	return false
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// fromPath reads a file, a folder (recursively, in name order) or a glob.
func (in *Ingester) fromPath(ctx context.Context, path string, emit func(raw)) {
	st, err := os.Stat(path)
	if err != nil {
		if strings.ContainsAny(path, "*?[") {
			matches, gerr := filepath.Glob(path)
			if gerr != nil {
				emit(raw{source: path, err: fmt.Errorf("%s: bad pattern: %v", path, gerr)})
				return
			}
			if len(matches) == 0 {
				emit(raw{source: path, err: fmt.Errorf("%s: no files match", path)})
				return
			}
			for _, m := range matches {
				in.fromPath(ctx, m, emit)
			}
			return
		}
		emit(raw{source: path, err: fmt.Errorf("%s: %v", path, pathErr(err))})
		return
	}
	if !st.IsDir() {
		in.fromFile(ctx, path, emit)
		return
	}
	werr := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			emit(raw{source: p, err: fmt.Errorf("%s: %v", p, pathErr(err))})
			return nil
		}
		if d.IsDir() {
			if p != path && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return nil
		}
		in.fromFile(ctx, p, emit)
		return nil
	})
	if werr != nil && ctx.Err() == nil {
		emit(raw{source: path, err: fmt.Errorf("%s: %v", path, werr)})
	}
}

func pathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func (in *Ingester) fromFile(ctx context.Context, path string, emit func(raw)) {
	if in.prior[path] {
		emit(raw{source: path, id: path}) // a file read whole by an earlier run: not read again
		return
	}
	f, err := os.Open(path)
	if err != nil {
		emit(raw{source: path, err: fmt.Errorf("%s: %v", path, pathErr(err))})
		return
	}
	defer f.Close()
	in.fromReader(ctx, path, f, emit)
}

// fromReader decides what a stream holds — by its name where that says, else
// by its first bytes — and reads it so.
func (in *Ingester) fromReader(ctx context.Context, name string, r io.Reader, emit func(raw)) {
	if r == nil {
		emit(raw{source: name, err: fmt.Errorf("%s: nothing to read", name)})
		return
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	lname := strings.ToLower(name)
	gz := len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b
	switch {
	case strings.HasSuffix(lname, ".warc") || strings.HasSuffix(lname, ".warc.gz") || isWARC(head, gz):
		in.fromWARC(name, br, emit)
		return
	case strings.HasSuffix(lname, ".jsonl") || strings.HasSuffix(lname, ".jsonl.gz"):
		rr := io.Reader(br)
		if gz {
			zr, err := gzip.NewReader(br)
			if err != nil {
				emit(raw{source: name, err: fmt.Errorf("%s: %v", name, err)})
				return
			}
			rr = zr
		}
		in.fromJSONL(name, rr, emit)
		return
	}
	b, err := readAll(br, gz, in.opt.MaxBytes)
	if err != nil {
		emit(raw{source: name, err: fmt.Errorf("%s: %v", name, err)})
		return
	}
	in.fromBytes(name, b, "", emit)
}

// fromBytes classifies a whole document: a feed, an HTML page or plain text.
func (in *Ingester) fromBytes(name string, b []byte, pageURL string, emit func(raw)) {
	lname := strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	id := name
	if name == "<stdin>" {
		id = ""
	}
	switch {
	case feed.Sniff(b):
		in.fromFeed(name, b, pageURL, emit)
	case strings.HasSuffix(lname, ".html") || strings.HasSuffix(lname, ".htm") || strings.HasSuffix(lname, ".xhtml") || looksHTML(b):
		emit(raw{source: name, id: id, url: pageURL, html: b})
	default:
		text, _, err := reader.CheckText(b)
		if err != nil {
			emit(raw{source: name, err: fmt.Errorf("%s: %v", name, err)})
			return
		}
		emit(raw{source: name, id: id, url: pageURL, text: text})
	}
}

func (in *Ingester) fromJSONL(name string, r io.Reader, emit func(raw)) {
	reader.ReadJSONL(name, r, func(it reader.Item) {
		if it.Err != nil {
			emit(raw{source: name, err: it.Err})
			return
		}
		a := it.Article
		src := name
		if a.ID != "" {
			src = name + "#" + a.ID
		}
		r := raw{source: src, id: a.ID, url: a.URL, date: a.Date, text: a.Text}
		if it.HTML != "" {
			r.html = []byte(it.HTML)
		}
		emit(r)
	})
}

func (in *Ingester) fromWARC(name string, r io.Reader, emit func(raw)) {
	err := warc.Read(r, name, in.opt.MaxBytes, func(rec warc.Record, err error) {
		if err != nil {
			emit(raw{source: name, err: err})
			return
		}
		src := fmt.Sprintf("%s@%d", name, rec.Offset)
		if rec.Status < 200 || rec.Status > 299 {
			emit(raw{source: src, err: fmt.Errorf("%s: %s: captured HTTP status %d", src, rec.URI, rec.Status)})
			return
		}
		date := ""
		if len(rec.Date) >= 10 {
			date = rec.Date[:10]
		}
		switch {
		case feed.Sniff(rec.Body):
			in.fromFeed(src, rec.Body, rec.URI, emit)
		case isPlainText(rec.ContentType):
			text, _, err := reader.CheckText(rec.Body)
			if err != nil {
				emit(raw{source: src, err: fmt.Errorf("%s: %s: %v", src, rec.URI, err)})
				return
			}
			emit(raw{source: src, id: rec.URI, url: rec.URI, date: date, text: text})
		case isHTML(rec.ContentType) || looksHTML(rec.Body):
			// The crawl date is only a fallback: the page's own date wins.
			emit(raw{source: src, id: rec.URI, url: rec.URI, date: date, html: rec.Body})
		default:
			// images, scripts and the like are part of every crawl; not articles
		}
	})
	if err != nil {
		emit(raw{source: name, err: err})
	}
}

func isHTML(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/xhtml")
}

// fromFeed emits a feed's items not seen before: the item's own text, or with
// Follow the page it links to.
func (in *Ingester) fromFeed(name string, b []byte, feedURL string, emit func(raw)) {
	f, err := feed.Parse(b, feedURL)
	if err != nil {
		emit(raw{source: name, err: fmt.Errorf("%s: %v", name, err)})
		return
	}
	if f.Dropped > 0 {
		emit(raw{source: name, err: fmt.Errorf("%s: %d items beyond the feed limits were not read", name, f.Dropped)})
	}
	for _, it := range f.Items {
		id := it.ID
		if in.opt.Follow && it.Link != "" {
			id = it.Link
		}
		if in.known[id] {
			continue
		}
		in.known[id] = true
		src := name + " item " + id
		if in.opt.Follow && it.Link != "" {
			emit(raw{source: src, id: id, fetchURL: it.Link, date: it.Published, title: it.Title})
			continue
		}
		if strings.TrimSpace(it.HTML) == "" {
			emit(raw{source: src, err: fmt.Errorf("%s: item has no text (use --follow to fetch its page)", src)})
			continue
		}
		emit(raw{source: src, id: id, url: it.Link, date: it.Published, title: it.Title, html: []byte(it.HTML), fragment: true})
	}
}

// fromURL fetches a page or a feed; it reports whether the URL is a feed.
func (in *Ingester) fromURL(ctx context.Context, u string, v fetch.Validators, emit func(raw)) bool {
	resp, err := in.fetch.Get(ctx, u, v)
	if err != nil {
		emit(raw{source: u, err: err})
		return false
	}
	if feed.Sniff(resp.Body) {
		in.fromFeed(u, resp.Body, resp.URL, emit)
		return true
	}
	if in.known[u] {
		return false
	}
	in.known[u] = true
	if isPlainText(resp.ContentType) {
		text, _, err := reader.CheckText(resp.Body)
		if err != nil {
			emit(raw{source: u, err: fmt.Errorf("%s: %v", u, err)})
			return false
		}
		emit(raw{source: u, id: u, url: resp.URL, text: text, date: crawlDate()})
		return false
	}
	emit(raw{source: u, id: u, url: resp.URL, html: resp.Body, date: crawlDate()})
	return false
}

// watch polls feeds until ctx ends, with conditional requests so an unchanged
// feed costs the server a 304.
func (in *Ingester) watch(ctx context.Context, feeds []string, emit func(raw)) {
	vals := map[string]fetch.Validators{}
	t := time.NewTicker(in.opt.Watch)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, u := range feeds {
			resp, err := in.fetch.Get(ctx, u, vals[u])
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				emit(raw{source: u, err: err})
				continue
			}
			vals[u] = resp.Validators
			if resp.NotModified {
				continue
			}
			in.fromFeed(u, resp.Body, resp.URL, emit)
		}
	}
}

func isWARC(head []byte, gz bool) bool {
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return false
		}
		var b [5]byte
		n, _ := io.ReadFull(zr, b[:])
		return string(b[:n]) == "WARC/"
	}
	return bytes.HasPrefix(head, []byte("WARC/"))
}

// readAll reads at most limit bytes (after gunzipping), so a gzip bomb or a
// 100 MB file costs no more than the limit.
func readAll(r io.Reader, gz bool, limit int64) ([]byte, error) {
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than the %d MiB limit for one document", limit>>20)
	}
	return b, nil
}
