package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// CSVColumns are the columns of the CSV export, in order. Offsets are rune
// offsets into the cleaned text; sentence_index is 0-based as in dyad's JSON.
var CSVColumns = []string{
	"global_event_id", "doc_id", "event_key", "date", "date_added", "source_url",
	"source_code", "source_name", "source_country", "source_sector", "source_text",
	"target_code", "target_name", "target_country", "target_sector", "target_text",
	"cameo", "cameo_base", "cameo_root", "cameo_name", "quad_class", "goldstein",
	"plover", "plover_mode", "is_root", "negated", "confidence",
	"num_mentions", "num_sources", "num_articles",
	"trigger", "trigger_start", "trigger_end", "sentence_index", "sentence", "rule",
	"location_name", "location_country", "location_fips", "location_adm1", "lat", "lon", "location_precision",
}

// CSVWriter writes RFC 4180 CSV with a header row (encoding/csv quotes any
// field holding a comma, quote or line break).
type CSVWriter struct {
	w      *csv.Writer
	header bool
	rec    []string
	closed bool
}

// NewCSV returns a CSV writer. The header row is always written; opt is
// accepted for symmetry with the other writers.
func NewCSV(w io.Writer, _ Options) *CSVWriter {
	return &CSVWriter{w: csv.NewWriter(w), header: true, rec: make([]string, 0, len(CSVColumns))}
}

// Write writes one event as one record.
func (c *CSVWriter) Write(e Event) error {
	if c.closed {
		return errClosed
	}
	if err := c.w.Error(); err != nil {
		return err
	}
	p, err := prepare(&e)
	if err != nil {
		return err
	}
	if err := c.writeHeader(); err != nil {
		return err
	}
	return c.w.Write(csvRecord(c.rec[:0], &p))
}

func (c *CSVWriter) writeHeader() error {
	if !c.header {
		return nil
	}
	c.header = false
	return c.w.Write(CSVColumns)
}

// Close writes the header if no event came, and flushes.
func (c *CSVWriter) Close() error {
	if c.closed {
		return errClosed
	}
	c.closed = true
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

func csvRecord(r []string, p *prepared) []string {
	e := p.e
	ev := &e.Event
	added := ""
	if !e.DateAdded.IsZero() {
		added = e.DateAdded.UTC().Format(time.RFC3339)
	}
	r = append(r, strconv.FormatInt(e.ID, 10), text(ev.DocID), text(ev.EventID),
		p.date.Format(time.DateOnly), added, text(e.SourceURL))
	r = csvActor(r, ev.Source)
	r = csvActor(r, ev.Target)
	r = append(r, p.code, p.base, p.root, text(ev.CAMEOName), strconv.Itoa(p.quad),
		strconv.FormatFloat(ev.Goldstein, 'f', -1, 64),
		text(ev.PLOVER), text(ev.PLOVERMode), strconv.FormatBool(e.IsRoot), strconv.FormatBool(ev.Negated),
		strconv.FormatFloat(ev.Confidence, 'f', -1, 64),
		strconv.Itoa(e.NumMentions), strconv.Itoa(e.NumSources), strconv.Itoa(e.NumArticles),
		text(ev.Trigger.Text), strconv.Itoa(ev.Trigger.Start), strconv.Itoa(ev.Trigger.End),
		strconv.Itoa(ev.Sentence.Index), text(ev.Sentence.Text), text(ev.Rule))
	if l := p.loc; l != nil {
		lat, lon := "", ""
		if p.located {
			lat, lon = strconv.FormatFloat(l.Lat, 'f', -1, 64), strconv.FormatFloat(l.Lon, 'f', -1, 64)
		}
		return append(r, text(l.Name), text(l.Country), text(l.FIPS), text(l.ADM1), lat, lon, text(l.Precision))
	}
	return append(r, "", "", "", "", "", "", "")
}

func csvActor(r []string, a *model.Actor) []string {
	if a == nil {
		return append(r, "", "", "", "", "")
	}
	code := a.Code
	if code == "" {
		code = a.Country + a.Sector
	}
	return append(r, text(code), text(a.Name), text(a.Country), text(a.Sector), text(a.Text))
}

// text makes s valid UTF-8; encoding/csv handles the quoting.
func text(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}
