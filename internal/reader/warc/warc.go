// Package warc reads the HTTP responses captured in WARC files, plain or
// gzipped (one gzip member per record, as Common Crawl writes, or the whole
// file as one gzip stream).
//
// The record framing is parsed here rather than with gowarc's reader: gowarc
// caches each whole block (spilling large ones to temporary files) before the
// caller can refuse it, reads only the first record of a file gzipped as one
// stream, and silently takes the following records as part of a record whose
// Content-Length is too large. WARC framing is a version line, header fields
// and a Content-Length block, so owning it keeps memory bounded by maxBody and
// lets a bad record cost only itself.
package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxBody is the body limit used when Read is given maxBody <= 0.
const DefaultMaxBody = 8 << 20

// Record is one HTTP response found in a WARC file.
type Record struct {
	URI         string // WARC-Target-URI
	Date        string // WARC-Date as RFC 3339 (UTC); "" when missing or unparseable
	RecordID    string // WARC-Record-ID without the angle brackets
	Status      int    // HTTP status of the captured response
	ContentType string // from the captured HTTP headers
	Body        []byte // HTTP payload, de-chunked and, if Content-Encoding gzip/deflate, decoded — bounded by maxBody
	Offset      int64  // record's offset in the file (for .warc.gz: of the gzip member holding it), for error messages
}

const (
	maxHeaderBytes = 64 << 10 // one record's WARC header fields
	maxLine        = 16 << 10
	// headroom lets a block hold HTTP headers and chunk framing on top of a
	// body of maxBody bytes.
	headroom = 1 << 20
)

var (
	warcMagic = []byte("WARC/")
	gzipMagic = []byte{0x1f, 0x8b, 0x08}
	// recordSep is an end-of-record marker followed by the next record: where
	// a block is not followed by a marker, finding this inside it means its
	// Content-Length overran into the next record.
	recordSep = []byte("\r\n\r\nWARC/")
)

// Read streams response records (skipping warcinfo/request/metadata/revisit
// etc.) to emit, in file order. A bad record gives emit an error naming the
// file and offset ("crawl.warc.gz@12345: truncated record") and reading goes
// on with the next record when the format allows; in a gzipped file an error
// inside a member that holds several records is placed as
// "name@member+offset-in-member". Read returns an error only when the input
// is not a WARC file at all, is empty, or cannot be read.
func Read(r io.Reader, name string, maxBody int64, emit func(Record, error)) error {
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	rd := &reader{name: name, maxBody: maxBody, maxBlock: maxBody + headroom, emit: emit}
	rd.file.reset(r)
	head := rd.file.peek(512)
	if err := rd.readErr(); err != nil {
		return err
	}
	if len(head) == 0 {
		return fmt.Errorf("%s: empty file", name)
	}
	if bytes.HasPrefix(head, gzipMagic[:2]) {
		return rd.readGzip()
	}
	if !bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), warcMagic) {
		return fmt.Errorf("%s: not a WARC file (it starts with neither \"WARC/\" nor gzip data)", name)
	}
	rd.records(&rd.file, -1)
	return rd.readErr()
}

type reader struct {
	name     string
	maxBody  int64
	maxBlock int64
	emit     func(Record, error)
	file     stream // the input as it is
	member   stream // the decompressed gzip member being read
	gz       *gzip.Reader
	scratch  bytes.Buffer // blocks of records other than responses
	reread   int64        // position up to which bytes were pushed back once
	// quiet drops the garbage-skipped report that follows a reported error,
	// since that skip is part of the same problem.
	quiet bool
}

// readErr turns a failure of the underlying reader into Read's error.
func (rd *reader) readErr() error {
	if err := rd.file.err; err != nil && err != io.EOF {
		return fmt.Errorf("%s: read error: %v", rd.name, err)
	}
	return nil
}

// where names a place in the file: a file offset, or within the gzip member
// at memberOff, the member's offset plus the decompressed offset.
func (rd *reader) where(memberOff, pos int64) string {
	switch {
	case memberOff < 0:
		return fmt.Sprintf("%s@%d", rd.name, pos)
	case pos == 0:
		return fmt.Sprintf("%s@%d", rd.name, memberOff)
	default:
		return fmt.Sprintf("%s@%d+%d", rd.name, memberOff, pos)
	}
}

func (rd *reader) fail(memberOff, pos int64, format string, args ...any) {
	if rd.readErr() != nil {
		return // Read returns the read error instead
	}
	rd.emit(Record{}, fmt.Errorf("%s: %s", rd.where(memberOff, pos), fmt.Sprintf(format, args...)))
}

// readGzip reads the file one gzip member at a time.
func (rd *reader) readGzip() error {
	f := &rd.file
	first := true
	for {
		start := f.pos
		skipped := seek(f, gzipMagic)
		if first && skipped > 0 {
			return fmt.Errorf("%s: not a WARC file (bad gzip data)", rd.name)
		}
		if skipped > 0 && !rd.quiet {
			rd.fail(-1, start, "skipped %d bytes that are not a gzip member", skipped)
		}
		if len(f.peek(1)) == 0 {
			return rd.readErr()
		}
		off := f.pos
		var err error
		if rd.gz == nil {
			rd.gz, err = gzip.NewReader(f)
		} else {
			err = rd.gz.Reset(f)
		}
		if err != nil {
			if first {
				return fmt.Errorf("%s: not a WARC file (bad gzip data: %v)", rd.name, err)
			}
			if e := rd.readErr(); e != nil {
				return e
			}
			if !rd.quiet {
				rd.fail(-1, off, "bad gzip member header: %v", err)
			}
			rd.quiet = true
			if f.pos == off {
				f.skip(1)
			}
			continue
		}
		rd.gz.Multistream(false)
		m := &rd.member
		m.reset(rd.gz)
		rd.reread = 0
		if first {
			head := bytes.TrimLeft(m.peek(512), " \t\r\n")
			if !bytes.HasPrefix(head, warcMagic) && (len(head) > 0 || m.err == io.EOF) {
				return fmt.Errorf("%s: not a WARC file (its gzip data does not start with a WARC record)", rd.name)
			}
			first = false
		}
		rd.records(m, off)
		if e := rd.readErr(); e != nil {
			return e
		}
		switch {
		case m.err == io.EOF:
		case errors.Is(m.err, io.ErrUnexpectedEOF):
			if !rd.quiet { // else records reported it already
				rd.fail(off, m.pos, "truncated file: it ends inside a gzip member")
			}
			return nil
		default:
			if !rd.quiet {
				rd.fail(off, m.pos, "corrupt gzip data: %v", m.err)
			}
			rd.quiet = true
		}
	}
}

// seek skips to the next occurrence of magic (or the end) and reports how
// many bytes it skipped.
func seek(s *stream, magic []byte) int64 {
	var skipped int64
	for {
		b := s.peek(streamBuf)
		if len(b) < len(magic) {
			if len(b) > 0 && s.err != nil {
				// Too short to hold magic: trailing junk.
				s.skip(len(b))
				skipped += int64(len(b))
			}
			return skipped
		}
		if i := bytes.Index(b, magic); i >= 0 {
			s.skip(i)
			return skipped + int64(i)
		}
		// Keep a tail that may hold the start of magic.
		n := len(b) - len(magic) + 1
		s.skip(n)
		skipped += int64(n)
	}
}

// seekRecord skips blank lines, then anything else up to the next "WARC/",
// and reports the bytes skipped other than blank lines.
func seekRecord(s *stream) int64 {
	for {
		b := s.peek(1)
		if len(b) == 0 || (b[0] != '\r' && b[0] != '\n') {
			break
		}
		s.skip(1)
	}
	return seek(s, warcMagic)
}

// records reads records from s until it ends. memberOff is the offset of
// the gzip member s decompresses, or -1 when s is the file itself.
func (rd *reader) records(s *stream, memberOff int64) {
	inMember := memberOff >= 0
	for {
		start := s.pos
		if skipped := seekRecord(s); skipped > 0 && !rd.quiet {
			rd.fail(memberOff, start, "skipped %d bytes that are not a WARC record", skipped)
		}
		if s.ended() {
			return
		}
		start = s.pos
		h, err := readHeader(s)
		if err != nil {
			if !s.ended() {
				rd.fail(memberOff, start, "%v", err)
				rd.quiet = true
				continue
			}
			rd.fail(memberOff, start, "%s (in the record header)", rd.endReason(s, inMember))
			rd.quiet = true
			return
		}
		if !rd.record(s, memberOff, start, h) {
			return
		}
	}
}

// ended reports whether s has no more data.
func (s *stream) ended() bool { return len(s.peek(1)) == 0 }

// endReason says why data ended early: the file is cut, the gzip member is
// shorter than the record, or its data is corrupt.
func (rd *reader) endReason(s *stream, inMember bool) string {
	switch {
	case !inMember || errors.Is(s.err, io.ErrUnexpectedEOF):
		return "truncated record: the file ends inside it"
	case s.err == io.EOF:
		return "record runs past the end of its gzip member (wrong Content-Length?)"
	default:
		return fmt.Sprintf("corrupt gzip data: %v", s.err)
	}
}

// record reads the block of the record whose header is h and emits what it
// holds. It returns false when s has ended.
func (rd *reader) record(s *stream, memberOff, start int64, h header) bool {
	fail := func(format string, args ...any) {
		rd.fail(memberOff, start, format, args...)
		rd.quiet = true
	}
	cl, ok := h.contentLength()
	if !ok {
		fail("missing or invalid Content-Length %q", h.get("content-length"))
		return true
	}
	isResponse := strings.EqualFold(h.get("warc-type"), "response")
	rd.quiet = false

	if cl > rd.maxBlock {
		var status int
		if isResponse {
			status, _ = statusLine(s.peek(256))
		}
		if n := s.discard(cl); n < cl {
			fail("%s (%d of %d block bytes)", rd.endReason(s, memberOff >= 0), n, cl)
			return false
		}
		switch {
		case isResponse && status != 0 && (status < 200 || status > 299):
			// Too large, but the caller skips non-2xx responses anyway.
			rd.emit(rd.newRecord(h, start, memberOff, status, ""), nil)
		case isResponse:
			rd.fail(memberOff, start, "response larger than %s (Content-Length %d)", size(rd.maxBody), cl)
		}
		if !rd.endOfRecord(s) {
			fail("no end-of-record marker after the %d-byte block (wrong Content-Length?)", cl)
		}
		return true
	}

	// Blocks are read whole (they are at most maxBlock) so that a
	// Content-Length running into the next record can be undone. The buffer
	// grows as data arrives: a Content-Length is a claim, not an allocation.
	buf := &rd.scratch
	if isResponse {
		buf = new(bytes.Buffer) // handed to the caller
	}
	buf.Reset()
	buf.Grow(int(min(cl, streamBuf)))
	n, _ := io.CopyN(buf, s, cl)
	block := buf.Bytes()
	// Bytes pushed back are read again; pushing back only bytes not read
	// twice already keeps a run of lying records linear in the file size.
	canResync := start >= rd.reread
	readEnd := s.pos
	resync := func() bool {
		i := bytes.Index(block, recordSep)
		if i < 0 || !canResync {
			return false
		}
		rd.reread = readEnd
		s.unread(block[i+4:])
		fail("Content-Length %d runs into the next record, which starts %d bytes into the block", cl, i+4)
		return true
	}
	if n < cl {
		if resync() {
			return true
		}
		fail("%s (%d of %d block bytes)", rd.endReason(s, memberOff >= 0), n, cl)
		return false
	}
	if !rd.endOfRecord(s) {
		if !resync() {
			fail("no end-of-record marker after the %d-byte block (wrong Content-Length?)", cl)
		}
		return true
	}
	if memberOff >= 0 && s.ended() && s.err != io.EOF && !errors.Is(s.err, io.ErrUnexpectedEOF) {
		// The member's checksum is bad: the block cannot be trusted. (A
		// member cut in its trailer still holds a whole record.)
		fail("%s", rd.endReason(s, true))
		return false
	}
	if !isResponse {
		return true
	}
	rd.emitResponse(h, start, memberOff, block)
	return true
}

// endOfRecord consumes the end-of-record marker and reports whether the
// block was followed by one (tolerating bare LFs), by the next record or by
// the end of the data.
func (rd *reader) endOfRecord(s *stream) bool {
	b := s.peek(4 + len(warcMagic))
	n := 0
	for n < 4 && n < len(b) && (b[n] == '\r' || b[n] == '\n') {
		n++
	}
	rest := b[n:]
	// Garbage after a marker is reported when the next record is looked for.
	if len(rest) == 0 || bytes.HasPrefix(rest, warcMagic) || (n >= 2 && b[n-1] == '\n') {
		s.skip(n)
		return true
	}
	return false
}

func (rd *reader) newRecord(h header, start, memberOff int64, status int, ctype string) Record {
	off := start
	if memberOff >= 0 {
		off = memberOff
	}
	return Record{
		URI:         strings.Trim(h.get("warc-target-uri"), "<>"),
		Date:        rfc3339(h.get("warc-date")),
		RecordID:    strings.Trim(h.get("warc-record-id"), "<>"),
		Status:      status,
		ContentType: ctype,
		Offset:      off,
	}
}

// emitResponse emits the HTTP response in block, or why it cannot be read.
func (rd *reader) emitResponse(h header, start, memberOff int64, block []byte) {
	if !bytes.HasPrefix(block, []byte("HTTP/")) {
		if strings.Contains(strings.ToLower(h.get("content-type")), "application/http") {
			rd.fail(memberOff, start, "response block is not an HTTP response (starts %q)", prefix(block, 20))
		}
		// Otherwise a non-HTTP capture, such as DNS: not a page.
		return
	}
	resp, err := parseHTTP(block, rd.maxBody)
	if err != nil && (resp.status == 0 || (resp.status >= 200 && resp.status <= 299)) {
		rd.fail(memberOff, start, "%v", err)
		return
	}
	rec := rd.newRecord(h, start, memberOff, resp.status, resp.contentType)
	if err == nil {
		rec.Body = resp.body
	}
	rd.emit(rec, nil)
}

// header holds WARC header fields under lower-case names; the first of
// repeated fields wins.
type header map[string]string

func (h header) get(k string) string { return h[k] }

func (h header) contentLength() (int64, bool) {
	v := h.get("content-length")
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil && n >= 0
}

// readHeader reads the version line and header fields of a record that
// starts at the current position.
func readHeader(s *stream) (header, error) {
	line, tooLong, ok := s.readLine(maxLine)
	if !ok {
		return nil, io.ErrUnexpectedEOF
	}
	if tooLong || !isVersion(line) {
		return nil, fmt.Errorf("bad WARC version line %q", prefix(line, 40))
	}
	h := header{}
	total := len(line)
	for {
		line, tooLong, ok := s.readLine(maxLine)
		if !ok {
			return nil, io.ErrUnexpectedEOF
		}
		total += len(line) + 2
		if tooLong || total > maxHeaderBytes {
			return nil, fmt.Errorf("WARC header longer than %d KiB", maxHeaderBytes>>10)
		}
		if len(line) == 0 {
			return h, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // continuation of a field this reader does not use
		}
		k, v, found := bytes.Cut(line, []byte(":"))
		if !found {
			return nil, fmt.Errorf("malformed WARC header line %q", prefix(line, 40))
		}
		key := strings.ToLower(string(bytes.TrimSpace(k)))
		if _, dup := h[key]; !dup {
			h[key] = string(bytes.TrimSpace(v))
		}
	}
}

// isVersion accepts "WARC/" followed by a version number.
func isVersion(line []byte) bool {
	v, ok := bytes.CutPrefix(line, warcMagic)
	v = bytes.TrimSpace(v)
	return ok && len(v) > 0 && len(v) <= 8 && strings.Trim(string(v), "0123456789.") == ""
}

// rfc3339 normalises a WARC-Date (W3C date-time, possibly with fractional
// seconds or less precision) to RFC 3339 in UTC.
func rfc3339(s string) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return ""
}

// size formats a byte limit for messages.
func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// prefix returns at most n bytes of b as a string for messages.
func prefix(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}
