// Package reader turns the CLI's inputs — plain-text files, JSON Lines files
// and standard input — into articles, with a one-line error for each bad input.
package reader

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/pipeline"
)

// MaxBytes bounds one document (and one JSONL line): bigger inputs are refused
// rather than read, so memory stays bounded.
const MaxBytes = 8 << 20

// Item is an article or the reason an input could not be read. Warn marks a
// problem that did not stop the article from being coded (repaired UTF-8).
type Item struct {
	Article pipeline.Article
	HTML    string // a JSONL line's "html" when it has no "text": for dyad ingest to extract
	Err     error
	Warn    error
}

// Read reads one input path ("-" is standard input) and sends its items. JSONL
// when asJSONL is set or the name ends in .jsonl.
func Read(path string, asJSONL bool, stdin io.Reader, emit func(Item)) {
	name := path
	var r io.Reader
	if path == "-" {
		name = "<stdin>"
		r = stdin
	} else {
		st, err := os.Stat(path)
		if err != nil {
			emit(Item{Err: fmt.Errorf("%s: %v", path, unwrapPathErr(err))})
			return
		}
		if st.IsDir() {
			emit(Item{Err: fmt.Errorf("%s: is a directory", path)})
			return
		}
		f, err := os.Open(path)
		if err != nil {
			emit(Item{Err: fmt.Errorf("%s: %v", path, unwrapPathErr(err))})
			return
		}
		defer f.Close()
		r = f
	}
	if asJSONL || strings.HasSuffix(strings.ToLower(path), ".jsonl") {
		ReadJSONL(name, r, emit)
		return
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		emit(Item{Err: fmt.Errorf("%s: %v", name, err)})
		return
	}
	if len(b) > MaxBytes {
		emit(Item{Err: fmt.Errorf("%s: larger than the %d MiB limit for one document", name, MaxBytes>>20)})
		return
	}
	text, warn, err := CheckText(b)
	if err != nil {
		emit(Item{Err: fmt.Errorf("%s: %v", name, err)})
		return
	}
	it := Item{Article: pipeline.Article{Text: text}}
	if warn != nil {
		it.Warn = fmt.Errorf("%s: %v", name, warn)
	}
	if path != "-" {
		it.Article.ID = path
	}
	emit(it)
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// CheckText refuses empty and binary input (err) and repairs invalid UTF-8
// (warn).
func CheckText(b []byte) (text string, warn, err error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return "", nil, fmt.Errorf("empty")
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", nil, fmt.Errorf("binary data (NUL bytes), not text")
	}
	if !utf8.Valid(b) {
		bad := 0
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				bad++
			}
			i += n
		}
		if bad*10 > len(b) {
			return "", nil, fmt.Errorf("binary data (%d invalid UTF-8 bytes), not text", bad)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), fmt.Errorf("invalid UTF-8 (%d bytes) replaced with U+FFFD", bad), nil
	}
	return string(b), nil, nil
}

type jsonArticle struct {
	ID   *string `json:"id"`
	Text *string `json:"text"`
	HTML *string `json:"html"`
	Date string  `json:"date"`
	URL  string  `json:"url"`
}

// ReadJSONL reads one article per line: {"id", "text" or "html", "date"?, "url"?}.
func ReadJSONL(name string, r io.Reader, emit func(Item)) {
	br := bufio.NewReaderSize(r, 64*1024)
	line := 0
	any := false
	for {
		b, tooLong, err := readLine(br)
		if len(b) == 0 && err != nil {
			if err != io.EOF {
				emit(Item{Err: fmt.Errorf("%s:%d: %v", name, line+1, err)})
			}
			break
		}
		line++
		if tooLong {
			emit(Item{Err: fmt.Errorf("%s:%d: line longer than the %d MiB limit", name, line, MaxBytes>>20)})
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		any = true
		var ja jsonArticle
		if err := json.Unmarshal(b, &ja); err != nil {
			emit(Item{Err: fmt.Errorf("%s:%d: malformed JSON: %v", name, line, err)})
			continue
		}
		if ja.Text == nil && ja.HTML != nil && strings.TrimSpace(*ja.HTML) != "" {
			ja.Text = new(string)
		} else if ja.Text == nil {
			emit(Item{Err: fmt.Errorf("%s:%d: no \"text\" field", name, line)})
			continue
		} else if strings.TrimSpace(*ja.Text) == "" {
			emit(Item{Err: fmt.Errorf("%s:%d: empty text", name, line)})
			continue
		}
		a := pipeline.Article{Text: strings.ToValidUTF8(*ja.Text, "\uFFFD"), Date: ja.Date, URL: ja.URL}
		if ja.ID != nil {
			a.ID = *ja.ID
		}
		if a.Date != "" && !validDate(a.Date) {
			emit(Item{Err: fmt.Errorf("%s:%d: date %q is not YYYY-MM-DD", name, line, a.Date)})
			continue
		}
		it := Item{Article: a}
		if a.Text == "" && ja.HTML != nil {
			it.HTML = strings.ToValidUTF8(*ja.HTML, "\uFFFD")
		}
		emit(it)
		if err != nil {
			break
		}
	}
	if !any {
		emit(Item{Err: fmt.Errorf("%s: empty", name)})
	}
}

func validDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && strings.Trim(s[:4]+s[5:7]+s[8:], "0123456789") == ""
}

// readLine reads one line, discarding (and flagging) lines over MaxBytes.
func readLine(br *bufio.Reader) ([]byte, bool, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxBytes {
				tooLong = true
				buf = nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong {
			return []byte{'x'}, true, err
		}
		return bytes.TrimRight(buf, "\r\n"), false, err
	}
}
