package warc

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/nlnwa/gowarc/v3"
)

// rec writes one WARC record by hand; extra holds more "Name: value" fields.
func rec(typ, uri string, block []byte, extra ...string) []byte {
	return recCL(typ, uri, block, len(block), extra...)
}

// recCL is rec with the Content-Length given, true or not.
func recCL(typ, uri string, block []byte, cl int, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteString("WARC/1.1\r\n")
	fmt.Fprintf(&b, "WARC-Type: %s\r\n", typ)
	fmt.Fprintf(&b, "WARC-Record-ID: <urn:uuid:%s>\r\n", strings.NewReplacer("/", "-", ":", "-").Replace(typ+uri))
	b.WriteString("WARC-Date: 2021-03-23T10:20:30.123Z\r\n")
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	hasType := strings.Contains(strings.Join(extra, "\n"), "Content-Type:")
	switch {
	case hasType:
	case typ == "response" || typ == "request":
		fmt.Fprintf(&b, "Content-Type: application/http; msgtype=%s\r\n", typ)
	case typ == "warcinfo" || typ == "metadata":
		b.WriteString("Content-Type: application/warc-fields\r\n")
	}
	for _, e := range extra {
		b.WriteString(e + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", cl)
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

func httpResp(status int, headers string, body []byte) []byte {
	return append([]byte(fmt.Sprintf("HTTP/1.1 %d X\r\n%s\r\n", status, headers)), body...)
}

func page(uri, text string) []byte {
	body := "<html><body><p>" + text + "</p></body></html>"
	return rec("response", uri, httpResp(200, "Content-Type: text/html; charset=utf-8\r\n", []byte(body)))
}

// gz compresses each part as its own gzip member, as Common Crawl does, and
// returns the offsets of the members.
func gz(parts ...[]byte) ([]byte, []int64) {
	var out bytes.Buffer
	var offs []int64
	for _, p := range parts {
		offs = append(offs, int64(out.Len()))
		w := gzip.NewWriter(&out)
		w.Write(p)
		w.Close()
	}
	return out.Bytes(), offs
}

type result struct {
	recs []Record
	errs []error
	err  error
}

func read(t testing.TB, name string, data []byte, maxBody int64) result {
	t.Helper()
	var res result
	res.err = Read(bytes.NewReader(data), name, maxBody, func(r Record, err error) {
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error is not one line: %q", err)
			}
			if !strings.HasPrefix(err.Error(), name+"@") {
				t.Errorf("error does not name the file and offset: %v", err)
			}
			res.errs = append(res.errs, err)
			return
		}
		res.recs = append(res.recs, r)
	})
	return res
}

func (res result) uris() []string {
	var u []string
	for _, r := range res.recs {
		u = append(u, r.URI)
	}
	return u
}

func mixed() ([][]byte, []string) {
	parts := [][]byte{
		rec("warcinfo", "", []byte("software: test\r\nformat: WARC File Format 1.1\r\n")),
		rec("request", "https://a.example/1", []byte("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n")),
		page("https://a.example/1", "first story"),
		rec("metadata", "https://a.example/1", []byte("fetchTimeMs: 12\r\n")),
		rec("revisit", "https://a.example/1", httpResp(200, "", nil), "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"),
		rec("response", "https://a.example/missing", httpResp(404, "Content-Type: text/html\r\n", []byte("not found"))),
		rec("response", "dns:a.example", []byte("20210323102030\na.example. 300 IN A 192.0.2.1\n"), "Content-Type: text/dns"),
		page("https://a.example/2", "second story"),
	}
	return parts, []string{"https://a.example/1", "https://a.example/missing", "https://a.example/2"}
}

func TestReadPlainMixed(t *testing.T) {
	parts, want := mixed()
	data := bytes.Join(parts, nil)
	res := read(t, "crawl.warc", data, 1<<20)
	if res.err != nil || len(res.errs) > 0 {
		t.Fatalf("unexpected errors: %v %v", res.err, res.errs)
	}
	if got := res.uris(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("records %v, want %v", got, want)
	}
	r := res.recs[0]
	wantOff := int64(len(parts[0]) + len(parts[1]))
	if r.Status != 200 || r.ContentType != "text/html; charset=utf-8" || r.Date != "2021-03-23T10:20:30Z" ||
		r.RecordID != "urn:uuid:responsehttps---a.example-1" || r.Offset != wantOff ||
		string(r.Body) != "<html><body><p>first story</p></body></html>" {
		t.Errorf("first record = %+v (body %q), want offset %d", r, r.Body, wantOff)
	}
	if res.recs[1].Status != 404 || string(res.recs[1].Body) != "not found" {
		t.Errorf("404 record = %+v", res.recs[1])
	}
}

func TestReadGzipPerRecord(t *testing.T) {
	parts, want := mixed()
	data, offs := gz(parts...)
	res := read(t, "crawl.warc.gz", data, 1<<20)
	if res.err != nil || len(res.errs) > 0 {
		t.Fatalf("unexpected errors: %v %v", res.err, res.errs)
	}
	if got := res.uris(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("records %v, want %v", got, want)
	}
	for i, mi := range []int{2, 5, 7} {
		if res.recs[i].Offset != offs[mi] {
			t.Errorf("record %d offset %d, want member offset %d", i, res.recs[i].Offset, offs[mi])
		}
	}
	if string(res.recs[2].Body) != "<html><body><p>second story</p></body></html>" {
		t.Errorf("body %q", res.recs[2].Body)
	}
}

// A file gzipped as a whole is one member holding every record.
func TestReadWholeFileGzip(t *testing.T) {
	parts, want := mixed()
	data, _ := gz(bytes.Join(parts, nil))
	res := read(t, "crawl.warc.gz", data, 1<<20)
	if res.err != nil || len(res.errs) > 0 {
		t.Fatalf("unexpected errors: %v %v", res.err, res.errs)
	}
	if got := res.uris(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("records %v, want %v", got, want)
	}
}

// Records written by gowarc, an independent WARC writer, read back.
func TestReadGowarcWritten(t *testing.T) {
	var plain bytes.Buffer
	var members [][]byte
	m := gowarc.NewMarshaler()
	for i := range 3 {
		b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithAddMissingDigest(true))
		b.WriteString(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nbody %d", i))
		b.AddWarcHeader(gowarc.WarcTargetURI, fmt.Sprintf("http://g.example/%d", i))
		b.AddWarcHeader(gowarc.WarcDate, "2024-05-06T07:08:09Z")
		b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		wr, _, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		var one bytes.Buffer
		if _, _, err := m.Marshal(&one, wr, 0); err != nil {
			t.Fatal(err)
		}
		plain.Write(one.Bytes())
		members = append(members, one.Bytes())
	}
	zipped, _ := gz(members...)
	for name, data := range map[string][]byte{"g.warc": plain.Bytes(), "g.warc.gz": zipped} {
		res := read(t, name, data, 1<<20)
		if res.err != nil || len(res.errs) > 0 || len(res.recs) != 3 {
			t.Fatalf("%s: %d records, errors %v %v", name, len(res.recs), res.err, res.errs)
		}
		for i, r := range res.recs {
			if string(r.Body) != fmt.Sprintf("body %d", i) || r.Date != "2024-05-06T07:08:09Z" || !strings.HasPrefix(r.RecordID, "urn:uuid:") {
				t.Errorf("%s record %d = %+v", name, i, r)
			}
		}
	}
}

func chunk(b []byte, size int) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(size, len(b))
		fmt.Fprintf(&out, "%x\r\n%s\r\n", n, b[:n])
		b = b[n:]
	}
	out.WriteString("0\r\n\r\n")
	return out.Bytes()
}

func TestBodyEncodings(t *testing.T) {
	html := []byte(strings.Repeat("<p>Troops crossed the border at dawn.</p>\n", 200))
	var gzBody, zlibBody, rawDeflate bytes.Buffer
	w := gzip.NewWriter(&gzBody)
	w.Write(html)
	w.Close()
	zw := zlib.NewWriter(&zlibBody)
	zw.Write(html)
	zw.Close()
	fw, _ := flate.NewWriter(&rawDeflate, 5)
	fw.Write(html)
	fw.Close()
	cases := []struct {
		name, headers string
		body          []byte
	}{
		{"chunked+gzip", "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", chunk(gzBody.Bytes(), 100)},
		{"chunked", "Transfer-Encoding: chunked\r\n", chunk(html, 333)},
		{"gzip", "Content-Encoding: x-gzip\r\n", gzBody.Bytes()},
		{"zlib deflate", "Content-Encoding: deflate\r\n", zlibBody.Bytes()},
		{"raw deflate", "Content-Encoding: deflate\r\n", rawDeflate.Bytes()},
		// Crawlers that store the payload decoded but keep the headers.
		{"stored decoded", "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", html},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := rec("response", "http://e.example/", httpResp(200, "Content-Type: text/html\r\n"+c.headers, c.body))
			res := read(t, "e.warc", data, 1<<20)
			if len(res.errs) > 0 || len(res.recs) != 1 {
				t.Fatalf("errors %v, %d records", res.errs, len(res.recs))
			}
			if !bytes.Equal(res.recs[0].Body, html) {
				t.Errorf("body %d bytes, want %d", len(res.recs[0].Body), len(html))
			}
		})
	}
	t.Run("unsupported", func(t *testing.T) {
		data := rec("response", "http://e.example/", httpResp(200, "Content-Encoding: br\r\n", []byte("xx")))
		res := read(t, "e.warc", data, 1<<20)
		if len(res.recs) != 0 || len(res.errs) != 1 || !strings.Contains(res.errs[0].Error(), `unsupported Content-Encoding "br"`) {
			t.Errorf("records %v, errors %v", res.recs, res.errs)
		}
	})
	t.Run("cut gzip", func(t *testing.T) {
		data := rec("response", "http://e.example/", httpResp(200, "Content-Encoding: gzip\r\n", gzBody.Bytes()[:gzBody.Len()/2]))
		res := read(t, "e.warc", data, 1<<20)
		if len(res.recs) != 0 || len(res.errs) != 1 || !strings.Contains(res.errs[0].Error(), "cut short") {
			t.Errorf("records %v, errors %v", res.recs, res.errs)
		}
	})
}

func TestTruncatedLastRecord(t *testing.T) {
	a, b := page("http://t.example/a", "complete"), page("http://t.example/b", strings.Repeat("long body ", 500))
	plain := append(append([]byte{}, a...), b[:len(b)-1000]...)
	whole, offs := gz(a, b)
	cutGz := whole[:offs[1]+(int64(len(whole))-offs[1])/2]
	for _, c := range []struct {
		name    string
		data    []byte
		wantOff int64
	}{
		{"t.warc", plain, int64(len(a))},
		{"t.warc.gz", cutGz, offs[1]},
	} {
		res := read(t, c.name, c.data, 1<<20)
		if res.err != nil {
			t.Fatalf("%s: Read failed: %v", c.name, res.err)
		}
		if fmt.Sprint(res.uris()) != "[http://t.example/a]" {
			t.Errorf("%s: records %v", c.name, res.uris())
		}
		want := fmt.Sprintf("%s@%d: truncated record", c.name, c.wantOff)
		if len(res.errs) != 1 || !strings.HasPrefix(res.errs[0].Error(), want) {
			t.Errorf("%s: errors %v, want one starting %q", c.name, res.errs, want)
		}
	}
	// A file gzipped whole, cut between two records.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(a)
	zw.Flush() // everything up to the end of a is decodable
	cutAt := z.Len()
	zw.Write(b)
	zw.Close()
	wholeCut := z.Bytes()[:cutAt]
	res0 := read(t, "w.warc.gz", wholeCut, 1<<20)
	if len(res0.recs) != 1 || len(res0.errs) != 1 || !strings.Contains(res0.errs[0].Error(), "truncated") {
		t.Errorf("whole-file gzip cut between records: records %v, errors %v", res0.uris(), res0.errs)
	}
	// Cut inside the header of the last record.
	res := read(t, "h.warc", append(append([]byte{}, a...), "WARC/1.1\r\nWARC-Type: resp"...), 1<<20)
	if len(res.recs) != 1 || len(res.errs) != 1 || !strings.Contains(res.errs[0].Error(), "truncated record") {
		t.Errorf("cut header: records %v, errors %v", res.uris(), res.errs)
	}
}

func TestLyingContentLength(t *testing.T) {
	a, c, d := page("http://l.example/a", "a"), page("http://l.example/c", "c"), page("http://l.example/d", "d")
	blk := httpResp(200, "Content-Type: text/html\r\n", []byte("<p>liar</p>"))
	tooLong := recCL("response", "http://l.example/b", blk, len(blk)+150)
	tooShort := recCL("response", "http://l.example/b", blk, len(blk)-4)
	for _, tc := range []struct {
		name, want string
		b          []byte
		gzipped    bool
	}{
		{"too long", "runs into the next record", tooLong, false},
		{"too short", "no end-of-record marker", tooShort, false},
		{"too long gz", "past the end of its gzip member", tooLong, true},
		{"too short gz", "no end-of-record marker", tooShort, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := bytes.Join([][]byte{a, tc.b, c, d}, nil)
			bOff := int64(len(a))
			if tc.gzipped {
				var offs []int64
				data, offs = gz(a, tc.b, c, d)
				bOff = offs[1]
			}
			res := read(t, "l.warc", data, 1<<20)
			if got := fmt.Sprint(res.uris()); got != "[http://l.example/a http://l.example/c http://l.example/d]" {
				t.Errorf("records %s", got)
			}
			if len(res.errs) != 1 || !strings.Contains(res.errs[0].Error(), tc.want) ||
				!strings.HasPrefix(res.errs[0].Error(), fmt.Sprintf("l.warc@%d:", bOff)) {
				t.Errorf("errors %v, want one at %d saying %q", res.errs, bOff, tc.want)
			}
		})
	}
	t.Run("bad value", func(t *testing.T) {
		bad := bytes.Replace(page("http://l.example/x", "x"), []byte("Content-Length: "), []byte("Content-Length: -"), 1)
		res := read(t, "l.warc", bytes.Join([][]byte{a, bad, c}, nil), 1<<20)
		if len(res.recs) != 2 || len(res.errs) != 1 || !strings.Contains(res.errs[0].Error(), "invalid Content-Length") {
			t.Errorf("records %v, errors %v", res.uris(), res.errs)
		}
	})
}

func TestGarbageBetweenRecords(t *testing.T) {
	a, b, c := page("http://g.example/a", "a"), page("http://g.example/b", "b"), page("http://g.example/c", "c")
	junk := []byte("junk line\r\n\x00\x01\x02 more junk without newline")
	plain := bytes.Join([][]byte{a, junk, b, []byte("\r\n\r\n"), c, junk}, nil)
	res := read(t, "g.warc", plain, 1<<20)
	if len(res.recs) != 3 {
		t.Errorf("plain: records %v", res.uris())
	}
	wantErr := fmt.Sprintf("g.warc@%d: skipped %d bytes that are not a WARC record", len(a), len(junk))
	if len(res.errs) != 2 || res.errs[0].Error() != wantErr {
		t.Errorf("plain: errors %v, want first %q and one for the trailing junk", res.errs, wantErr)
	}

	ga, _ := gz(a)
	gb, _ := gz(b)
	gc, _ := gz(c)
	zipped := bytes.Join([][]byte{ga, junk, gb, gc}, nil)
	res = read(t, "g.warc.gz", zipped, 1<<20)
	if len(res.recs) != 3 {
		t.Errorf("gz: records %v", res.uris())
	}
	wantErr = fmt.Sprintf("g.warc.gz@%d: skipped %d bytes that are not a gzip member", len(ga), len(junk))
	if len(res.errs) != 1 || res.errs[0].Error() != wantErr {
		t.Errorf("gz: errors %v, want %q", res.errs, wantErr)
	}
	if res.recs[1].Offset != int64(len(ga)+len(junk)) {
		t.Errorf("gz: second record offset %d", res.recs[1].Offset)
	}
}

func TestCorruptGzipMember(t *testing.T) {
	a, b, c := page("http://z.example/a", "a"), page("http://z.example/b", strings.Repeat("b", 3000)), page("http://z.example/c", "c")
	data, offs := gz(a, b, c)
	data = bytes.Clone(data)
	for i := offs[1] + 20; i < offs[1]+40; i++ {
		data[i] ^= 0x55
	}
	res := read(t, "z.warc.gz", data, 1<<20)
	if fmt.Sprint(res.uris()) != "[http://z.example/a http://z.example/c]" {
		t.Errorf("records %v", res.uris())
	}
	if len(res.errs) != 1 || !strings.HasPrefix(res.errs[0].Error(), fmt.Sprintf("z.warc.gz@%d", offs[1])) {
		t.Errorf("errors %v", res.errs)
	}
}

func TestEmptyAndNonWARC(t *testing.T) {
	htmlGz, _ := gz([]byte("<html><body>not a warc</body></html>"))
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty.warc", nil, "empty.warc: empty file"},
		{"page.warc", []byte("<html>\n<body>hello</body>\n</html>\n"), "page.warc: not a WARC file"},
		{"page.warc.gz", htmlGz, "page.warc.gz: not a WARC file"},
		{"bad.warc.gz", []byte{0x1f, 0x8b, 0x01, 0x00}, "bad.warc.gz: not a WARC file"},
	} {
		res := read(t, c.name, c.data, 1<<20)
		if res.err == nil || !strings.HasPrefix(res.err.Error(), c.want) || strings.Contains(res.err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line starting %q", c.name, res.err, c.want)
		}
		if len(res.recs)+len(res.errs) != 0 {
			t.Errorf("%s: emitted %v %v", c.name, res.recs, res.errs)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	const limit = 4096
	small := page("http://b.example/small", "fits")
	big := page("http://b.example/big", strings.Repeat("x", limit+1))
	huge := page("http://b.example/huge", strings.Repeat("y", limit+headroom+10))
	hugeMissing := rec("response", "http://b.example/huge404", httpResp(404, "", make([]byte, limit+headroom)))
	var bomb bytes.Buffer
	w := gzip.NewWriter(&bomb)
	w.Write(make([]byte, 10<<20))
	w.Close()
	gzBomb := rec("response", "http://b.example/bomb", httpResp(200, "Content-Encoding: gzip\r\n", bomb.Bytes()))

	data := bytes.Join([][]byte{big, small, huge, gzBomb, hugeMissing, small}, nil)
	res := read(t, "b.warc", data, limit)
	if got := fmt.Sprint(res.uris()); got != "[http://b.example/small http://b.example/huge404 http://b.example/small]" {
		t.Errorf("records %s", got)
	}
	if res.recs[1].Status != 404 || res.recs[1].Body != nil {
		t.Errorf("oversized 404 = %+v", res.recs[1])
	}
	if len(res.errs) != 3 {
		t.Fatalf("errors %v, want 3", res.errs)
	}
	for _, e := range res.errs {
		if !strings.Contains(e.Error(), "larger than 4096 bytes") {
			t.Errorf("error %q does not give the limit", e)
		}
	}
	res = read(t, "b.warc", big, 0) // default limit
	if len(res.recs) != 1 || len(res.errs) != 0 {
		t.Errorf("default limit: records %v, errors %v", res.uris(), res.errs)
	}
	if msg := fmt.Sprint(size(8 << 20)); msg != "8 MiB" {
		t.Errorf("size(8 MiB) = %q", msg)
	}
}

type failingReader struct {
	data []byte
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, errors.New("disk on fire")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadError(t *testing.T) {
	a := page("http://r.example/a", "a")
	b := page("http://r.example/b", strings.Repeat("b", 100000))
	n := 0
	err := Read(&failingReader{data: append(a, b[:50000]...)}, "r.warc", 1<<20, func(Record, error) { n++ })
	if err == nil || err.Error() != "r.warc: read error: disk on fire" {
		t.Errorf("error %v", err)
	}
	if n != 1 {
		t.Errorf("emitted %d, want the one whole record", n)
	}
}

func TestHeaderVariants(t *testing.T) {
	// WARC/1.0 with <>-wrapped URI, bare-LF HTTP headers and a missing
	// end-of-record marker before the next record.
	blk := "HTTP/1.0 200 OK\nContent-Type: text/plain\n\nhello"
	r1 := []byte(fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <http://v.example/a>\r\n"+
		"WARC-Date: 2020-01-02T03:04:05Z\r\nContent-Length: %d\r\n\r\n%s", len(blk), blk))
	r2 := page("http://v.example/b", "b")
	res := read(t, "v.warc", append(append(r1, "\r\n"...), r2...), 1<<20)
	if len(res.errs) != 0 || len(res.recs) != 2 {
		t.Fatalf("records %v, errors %v", res.uris(), res.errs)
	}
	if r := res.recs[0]; r.URI != "http://v.example/a" || string(r.Body) != "hello" || r.ContentType != "text/plain" {
		t.Errorf("record %+v body %q", r, r.Body)
	}
	// An oversized header is an error for that record only.
	long := bytes.Replace(page("http://v.example/c", "c"), []byte("WARC-Type"), []byte("X-Pad: "+strings.Repeat("p", 70000)+"\r\nWARC-Type"), 1)
	res = read(t, "v.warc", bytes.Join([][]byte{long, r2}, nil), 1<<20)
	if len(res.recs) != 1 || len(res.errs) != 1 || !strings.Contains(res.errs[0].Error(), "header longer") {
		t.Errorf("records %v, errors %v", res.uris(), res.errs)
	}
}

func TestRFC3339(t *testing.T) {
	for in, want := range map[string]string{
		"2021-03-23T10:20:30Z":          "2021-03-23T10:20:30Z",
		"2021-03-23T10:20:30.123456Z":   "2021-03-23T10:20:30Z",
		"2021-03-23T12:20:30+02:00":     "2021-03-23T10:20:30Z",
		"2021-03-23T10:20Z":             "2021-03-23T10:20:00Z",
		"2021-03-23":                    "2021-03-23T00:00:00Z",
		"yesterday":                     "",
		"":                              "",
		"Tue, 23 Mar 2021 10:20:30 GMT": "",
	} {
		if got := rfc3339(in); got != want {
			t.Errorf("rfc3339(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	parts, _ := mixed()
	plain := bytes.Join(parts, nil)
	zipped, _ := gz(parts...)
	f.Add(plain)
	f.Add(zipped)
	f.Add(plain[:len(plain)/2])
	f.Add(rec("response", "http://f.example/", httpResp(200, "Transfer-Encoding: chunked\r\n", chunk([]byte("abcdef"), 2))))
	f.Add([]byte("WARC/1.0\r\nContent-Length: 99999999999\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n"))
	f.Add([]byte{})
	const limit = 1 << 12
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Read(bytes.NewReader(data), "f.warc", limit, func(r Record, err error) {
			if err != nil {
				if !strings.HasPrefix(err.Error(), "f.warc@") || strings.Contains(err.Error(), "\n") {
					t.Fatalf("bad error %q", err)
				}
				return
			}
			if int64(len(r.Body)) > limit {
				t.Fatalf("body of %d bytes over the limit", len(r.Body))
			}
		})
		if err != nil && (!strings.HasPrefix(err.Error(), "f.warc: ") || strings.Contains(err.Error(), "\n")) {
			t.Fatalf("bad error %q", err)
		}
	})
}

// benchWARC builds n records: a warcinfo, then request/response pairs whose
// pages are ~8 KB of HTML, every fifth one chunked and gzipped.
func benchWARC(n int) [][]byte {
	parts := [][]byte{rec("warcinfo", "", []byte("software: bench\r\n"))}
	para := "<p>The foreign minister met his counterpart in the capital on Tuesday to discuss the ceasefire.</p>\n"
	for i := 1; len(parts) < n; i++ {
		uri := fmt.Sprintf("https://news.example/story/%d", i)
		body := []byte(fmt.Sprintf("<html><head><title>Story %d</title></head><body>%s</body></html>", i, strings.Repeat(para, 80)))
		headers := "Content-Type: text/html\r\n"
		if i%5 == 0 {
			var z bytes.Buffer
			w := gzip.NewWriter(&z)
			w.Write(body)
			w.Close()
			body = chunk(z.Bytes(), 4096)
			headers += "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"
		}
		parts = append(parts,
			rec("request", uri, []byte("GET / HTTP/1.1\r\nHost: news.example\r\n\r\n")),
			rec("response", uri, httpResp(200, headers, body)))
	}
	return parts
}

func BenchmarkRead(b *testing.B) {
	parts := benchWARC(1000)
	zipped, _ := gz(parts...)
	plain := bytes.Join(parts, nil)
	plainSize := len(plain)
	for _, c := range []struct {
		name string
		data []byte
	}{{"warc", plain}, {"warc.gz", zipped}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(plainSize)) // WARC bytes, gzipped or not
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				if err := Read(bytes.NewReader(c.data), "bench", DefaultMaxBody, func(r Record, err error) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}); err != nil {
					b.Fatal(err)
				}
				if n != 500 {
					b.Fatalf("%d responses", n)
				}
			}
			b.ReportMetric(float64(len(parts)), "records/op")
		})
	}
}

var _ = io.EOF

// Content-Length is a claim: records claiming megabytes they do not have must
// not cost megabytes each, and a chain of lying records must not be re-read
// over and over.
func TestLyingClaimsStayCheap(t *testing.T) {
	var data bytes.Buffer
	for i := range 300 {
		data.Write(recCL("response", fmt.Sprintf("http://c.example/%d", i), httpResp(200, "", []byte("x")), 8<<20))
	}
	data.Write(page("http://c.example/last", "last"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := read(t, "c.warc", data.Bytes(), DefaultMaxBody)
	runtime.ReadMemStats(&after)
	if res.err != nil || len(res.errs) > 2 {
		t.Errorf("Read error %v, %d errors: %v", res.err, len(res.errs), res.errs)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("allocated %d MiB for a %d KiB file", alloc>>20, data.Len()>>10)
	}
}
