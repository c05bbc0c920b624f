package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrTooLarge is matched (errors.Is) by bodies refused for exceeding MaxBytes.
var ErrTooLarge = errors.New("body too large")

type sizeError struct{ limit int64 }

func (e *sizeError) Error() string        { return "body larger than " + formatSize(e.limit) }
func (e *sizeError) Is(target error) bool { return target == ErrTooLarge }

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// countReader counts the raw bytes it passes on, so an over-long encoded body
// is told apart from a corrupt one.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readBody reads resp.Body, decoding gzip/deflate ourselves so that limit
// applies to the decoded bytes (and, separately, to the bytes on the wire).
// With truncate, an over-long body is cut at limit instead of refused.
func readBody(resp *http.Response, limit int64, truncate bool) ([]byte, error) {
	if !truncate && resp.ContentLength > limit {
		return nil, &sizeError{limit}
	}
	raw := &countReader{r: io.LimitReader(resp.Body, limit+1)}
	var dec io.Reader = raw
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			if err == io.EOF { // empty body sent with a gzip label
				return []byte{}, nil
			}
			return nil, fmt.Errorf("decoding gzip body: %v", err)
		}
		defer zr.Close()
		dec = zr
	case "deflate":
		// "deflate" is meant to be zlib-wrapped, but many servers send raw
		// deflate; the zlib header tells them apart.
		br := bufio.NewReader(raw)
		if h, err := br.Peek(2); err == nil && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 && h[0]&0x0f == 8 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("decoding deflate body: %v", err)
			}
			defer zr.Close()
			dec = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			dec = fr
		}
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	buf, err := io.ReadAll(io.LimitReader(dec, limit+1))
	if raw.n > limit || int64(len(buf)) > limit {
		if !truncate {
			return nil, &sizeError{limit}
		}
		return buf[:min(int64(len(buf)), limit)], nil // keep what decoded
	}
	if err != nil {
		if enc != "" && enc != "identity" {
			return nil, fmt.Errorf("decoding %s body: %w", enc, err)
		}
		return nil, err
	}
	return buf, nil
}
