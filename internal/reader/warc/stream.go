package warc

import (
	"bytes"
	"io"
)

// stream is a buffered reader that counts consumed bytes and can push bytes
// back. It implements io.ByteReader so that compress/gzip reads a member
// without reading past its end, which keeps member offsets exact.
type stream struct {
	r        io.Reader
	buf      []byte
	off, end int   // unread bytes are buf[off:end]
	pos      int64 // bytes consumed so far (minus bytes pushed back)
	err      error // sticky error from r, io.EOF at the end
}

const streamBuf = 64 << 10

func (s *stream) reset(r io.Reader) {
	if s.buf == nil {
		s.buf = make([]byte, streamBuf)
	}
	s.r, s.off, s.end, s.pos, s.err = r, 0, 0, 0, nil
}

// fill reads until at least n bytes are buffered or r fails.
func (s *stream) fill(n int) {
	if n > len(s.buf) {
		n = len(s.buf)
	}
	if s.end-s.off >= n {
		return
	}
	if s.off > 0 {
		s.end = copy(s.buf, s.buf[s.off:s.end])
		s.off = 0
	}
	for s.end < n && s.err == nil {
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if err != nil {
			s.err = err
		} else if m == 0 {
			// A reader that keeps returning nothing must not spin forever.
			s.err = io.ErrNoProgress
		}
	}
}

// peek returns up to n buffered bytes (fewer only at the end of the data).
// The slice is valid until the next call.
func (s *stream) peek(n int) []byte {
	s.fill(n)
	if n > s.end-s.off {
		n = s.end - s.off
	}
	return s.buf[s.off : s.off+n]
}

// buffered returns whatever is buffered, reading more if nothing is.
func (s *stream) buffered() []byte {
	if s.off == s.end {
		s.fill(1)
	}
	return s.buf[s.off:s.end]
}

func (s *stream) skip(n int) {
	s.off += n
	s.pos += int64(n)
}

// discard drops up to n bytes and reports how many it dropped.
func (s *stream) discard(n int64) int64 {
	var done int64
	for done < n {
		b := s.buffered()
		if len(b) == 0 {
			break
		}
		k := int64(len(b))
		if k > n-done {
			k = n - done
		}
		s.skip(int(k))
		done += k
	}
	return done
}

// readFull fills p as far as the data goes and reports how much it read.
func (s *stream) readFull(p []byte) int {
	n := 0
	for n < len(p) {
		b := s.buffered()
		if len(b) == 0 {
			break
		}
		k := copy(p[n:], b)
		s.skip(k)
		n += k
	}
	return n
}

func (s *stream) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b := s.buffered()
	if len(b) == 0 {
		return 0, s.err
	}
	k := copy(p, b)
	s.skip(k)
	return k, nil
}

func (s *stream) ReadByte() (byte, error) {
	b := s.buffered()
	if len(b) == 0 {
		return 0, s.err
	}
	c := b[0]
	s.skip(1)
	return c, nil
}

// unread pushes p back in front of the unread bytes.
func (s *stream) unread(p []byte) {
	rest := s.buf[s.off:s.end]
	if len(p) <= s.off {
		s.off -= copy(s.buf[s.off-len(p):], p)
	} else {
		nb := make([]byte, max(len(p)+len(rest), streamBuf))
		n := copy(nb, p)
		n += copy(nb[n:], rest)
		s.buf, s.off, s.end = nb, 0, n
	}
	s.pos -= int64(len(p))
}

// readLine returns the next line without its line ending. tooLong reports a
// line over max bytes, which is then consumed but not returned; ok is false
// when the data ends before a newline.
func (s *stream) readLine(max int) (line []byte, tooLong, ok bool) {
	var acc []byte
	for {
		b := s.buffered()
		if len(b) == 0 {
			return nil, tooLong, false
		}
		i := bytes.IndexByte(b, '\n')
		chunk := b
		if i >= 0 {
			chunk = b[:i+1]
		}
		if !tooLong {
			if len(acc)+len(chunk) > max+2 {
				tooLong, acc = true, nil
			} else {
				acc = append(acc, chunk...)
			}
		}
		s.skip(len(chunk))
		if i >= 0 {
			if tooLong {
				return nil, true, true
			}
			return bytes.TrimRight(acc, "\r\n"), false, true
		}
	}
}
