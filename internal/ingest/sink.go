package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/dyadproject/dyad/internal/model"
)

// JSONLSink writes records, one per line, and failures to a separate report.
type JSONLSink struct {
	w      *bufio.Writer
	report *json.Encoder
	enc    *json.Encoder
}

// NewJSONLSink writes records to w and failures to report (which may be nil).
func NewJSONLSink(w io.Writer, report io.Writer) *JSONLSink {
	bw := bufio.NewWriterSize(w, 1<<16)
	s := &JSONLSink{w: bw, enc: json.NewEncoder(bw)}
	s.enc.SetEscapeHTML(false)
	if report != nil {
		s.report = json.NewEncoder(report)
		s.report.SetEscapeHTML(false)
	}
	return s
}

// Record writes one record line.
func (s *JSONLSink) Record(r model.Record) error { return s.enc.Encode(r) }

// Failure writes one report line.
func (s *JSONLSink) Failure(f Failure) error {
	if s.report == nil {
		return nil
	}
	return s.report.Encode(f)
}

// Flush writes out what is buffered.
func (s *JSONLSink) Flush() error { return s.w.Flush() }

// OpenOutput opens an ingest output file for appending, after reading back
// the records an earlier run wrote (passed to remember). A last line cut short
// by a killed run is dropped, so the file stays one complete record a line.
func OpenOutput(path string, remember func(model.Record)) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, pathErr(err))
	}
	br := bufio.NewReaderSize(f, 1<<20)
	var good int64
	line := 0
	for {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 && b[len(b)-1] == '\n' {
			line++
			var rec model.Record
			if jerr := json.Unmarshal(bytes.TrimSpace(b), &rec); jerr != nil || rec.Document.ID == "" {
				f.Close()
				return nil, fmt.Errorf("%s:%d: not an ingest record; refusing to append to it", path, line)
			}
			remember(rec)
			good += int64(len(b))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return f, nil
}
