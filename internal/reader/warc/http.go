package warc

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"strconv"
	"strings"
)

type httpResponse struct {
	status      int
	contentType string
	body        []byte
}

// statusLine parses "HTTP/1.1 200 OK" at the start of b.
func statusLine(b []byte) (int, bool) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") || len(f[1]) != 3 {
		return 0, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 100 {
		return 0, false
	}
	return n, true
}

// parseHTTP splits a captured HTTP response into status, content type and
// decoded body. The captured headers are read leniently, as crawlers store
// whatever servers send; the WARC block, not the HTTP Content-Length, bounds
// the body. On an error the status is still filled in when it was readable.
func parseHTTP(block []byte, maxBody int64) (httpResponse, error) {
	var resp httpResponse
	head, body := block, []byte(nil)
	if i := bytes.Index(block, []byte("\n\r\n")); i >= 0 {
		head, body = block[:i+1], block[i+3:]
	}
	// A bare-LF blank line ends the headers if it comes first.
	if i := bytes.Index(head, []byte("\n\n")); i >= 0 {
		head, body = block[:i+1], block[i+2:]
	}
	status, ok := statusLine(head)
	if !ok {
		return resp, fmt.Errorf("bad HTTP status line %q", prefix(head, 40))
	}
	resp.status = status

	var te, ce string
	lines := bytes.Split(head, []byte("\n"))
	for _, l := range lines[1:] {
		k, v, found := bytes.Cut(l, []byte(":"))
		if !found || len(k) == 0 || k[0] == ' ' || k[0] == '\t' {
			continue
		}
		val := string(bytes.TrimSpace(v))
		switch strings.ToLower(string(bytes.TrimSpace(k))) {
		case "content-type":
			if resp.contentType == "" {
				resp.contentType = val
			}
		case "transfer-encoding":
			te += "," + val
		case "content-encoding":
			ce += "," + val
		}
	}

	chunked := hasToken(te, "chunked") && looksChunked(body)
	if !chunked && strings.Trim(ce, ", \t") == "" {
		if int64(len(body)) > maxBody {
			return resp, fmt.Errorf("response body larger than %s", size(maxBody))
		}
		resp.body = body // shares the block, which is the caller's anyway
		return resp, nil
	}
	var r io.Reader = bytes.NewReader(body)
	if chunked {
		r = httputil.NewChunkedReader(r)
	}
	encs := strings.Split(ce, ",")
	for i := len(encs) - 1; i >= 0; i-- {
		enc := strings.ToLower(strings.TrimSpace(encs[i]))
		switch enc {
		case "", "identity":
		case "gzip", "x-gzip":
			r = gunzip(r)
		case "deflate":
			r = inflate(r)
		default:
			return resp, fmt.Errorf("unsupported Content-Encoding %q", enc)
		}
	}
	out, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return resp, errors.New("HTTP body is cut short (chunked or compressed data ends early)")
		}
		return resp, fmt.Errorf("cannot decode HTTP body: %v", err)
	}
	if int64(len(out)) > maxBody {
		return resp, fmt.Errorf("response body larger than %s", size(maxBody))
	}
	resp.body = out
	return resp, nil
}

func hasToken(list, tok string) bool {
	for t := range strings.SplitSeq(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}

// looksChunked reports whether body starts with a chunk-size line. Some
// crawlers store the payload de-chunked but keep the header.
func looksChunked(body []byte) bool {
	line, _, found := bytes.Cut(body, []byte("\n"))
	if !found {
		return false
	}
	line, _, _ = bytes.Cut(line, []byte(";"))
	line = bytes.TrimSpace(line)
	return len(line) > 0 && len(line) <= 16 && strings.Trim(string(line), "0123456789abcdefABCDEF") == ""
}

// gunzip decodes gzip data, passing through data that is not gzip: a
// crawler may store the payload decoded but keep Content-Encoding.
func gunzip(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(2); !bytes.Equal(b, gzipMagic[:2]) {
		return br
	}
	return &lazyReader{open: func() (io.Reader, error) {
		z, err := gzip.NewReader(br)
		if err == nil {
			z.Multistream(false) // ignore what follows the gzip stream
		}
		return z, err
	}}
}

// inflate decodes "deflate", which servers send as zlib or as raw deflate.
func inflate(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	b, _ := br.Peek(2)
	if len(b) == 2 && b[0]&0x0f == 8 && (uint(b[0])<<8|uint(b[1]))%31 == 0 {
		return &lazyReader{open: func() (io.Reader, error) { return zlib.NewReader(br) }}
	}
	return flate.NewReader(br)
}

// lazyReader defers a decoder's constructor error to the first Read, so a
// chain of decoders can be built before any fails.
type lazyReader struct {
	open func() (io.Reader, error)
	r    io.Reader
	err  error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.r == nil && l.err == nil {
		l.r, l.err = l.open()
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.r.Read(p)
}
