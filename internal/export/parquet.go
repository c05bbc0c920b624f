package export

import (
	"fmt"
	"io"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/dyadproject/dyad/internal/model"
)

// DefaultRowGroupSize is the Parquet row-group size when Options leaves it 0.
// A row group is held in memory until it is full, so this bounds memory.
const DefaultRowGroupSize = 10_000

// ParquetRow is one event in the Parquet export. CAMEO codes are strings so
// their leading zeros survive; repeated short strings are dictionary-encoded.
type ParquetRow struct {
	GlobalEventID int64      `parquet:"global_event_id"`
	DocID         string     `parquet:"doc_id"`
	EventKey      string     `parquet:"event_key"`
	Date          int32      `parquet:"date,date"` // days since 1970-01-01 (Parquet DATE)
	DateAdded     *time.Time `parquet:"date_added,optional,timestamp(millisecond)"`
	SourceURL     string     `parquet:"source_url"`

	SourceCode    string `parquet:"source_code,dict"`
	SourceName    string `parquet:"source_name,dict"`
	SourceCountry string `parquet:"source_country,dict"`
	SourceSector  string `parquet:"source_sector,dict"`
	SourceText    string `parquet:"source_text"`
	TargetCode    string `parquet:"target_code,dict"`
	TargetName    string `parquet:"target_name,dict"`
	TargetCountry string `parquet:"target_country,dict"`
	TargetSector  string `parquet:"target_sector,dict"`
	TargetText    string `parquet:"target_text"`

	CAMEO      string  `parquet:"cameo,dict"`
	CAMEOBase  string  `parquet:"cameo_base,dict"`
	CAMEORoot  string  `parquet:"cameo_root,dict"`
	CAMEOName  string  `parquet:"cameo_name,dict"`
	QuadClass  int32   `parquet:"quad_class"`
	Goldstein  float64 `parquet:"goldstein"`
	PLOVER     string  `parquet:"plover,dict"`
	PLOVERMode string  `parquet:"plover_mode,dict"`
	IsRoot     bool    `parquet:"is_root"`
	Negated    bool    `parquet:"negated"`
	Confidence float64 `parquet:"confidence"`

	NumMentions int32   `parquet:"num_mentions"`
	NumSources  int32   `parquet:"num_sources"`
	NumArticles int32   `parquet:"num_articles"`
	AvgTone     float64 `parquet:"avg_tone"`

	Trigger       string `parquet:"trigger"`
	TriggerStart  int32  `parquet:"trigger_start"`
	TriggerEnd    int32  `parquet:"trigger_end"`
	SentenceIndex int32  `parquet:"sentence_index"`
	Sentence      string `parquet:"sentence"`
	Rule          string `parquet:"rule,dict"`

	LocationName      string   `parquet:"location_name,dict"`
	LocationCountry   string   `parquet:"location_country,dict"`
	LocationFIPS      string   `parquet:"location_fips,dict"`
	LocationADM1      string   `parquet:"location_adm1,dict"`
	Lat               *float64 `parquet:"lat,optional"`
	Lon               *float64 `parquet:"lon,optional"`
	LocationPrecision string   `parquet:"location_precision,dict"`
}

// ParquetWriter writes events to a Snappy-compressed Parquet file in row
// groups of a bounded size. Its output is byte-for-byte deterministic: the
// file records no time, and "created by" names dyad.
type ParquetWriter struct {
	w      *parquet.GenericWriter[ParquetRow]
	batch  []ParquetRow
	err    error
	closed bool
}

// parquetBatch rows are handed to the library at a time.
const parquetBatch = 256

// NewParquet returns a Parquet writer; Options.RowGroupSize sets the rows per
// row group (DefaultRowGroupSize when 0).
func NewParquet(w io.Writer, opt Options) (*ParquetWriter, error) {
	n := opt.RowGroupSize
	if n == 0 {
		n = DefaultRowGroupSize
	}
	if n < 0 {
		return nil, fmt.Errorf("export: parquet row group size %d is negative", n)
	}
	pw := parquet.NewGenericWriter[ParquetRow](w,
		parquet.MaxRowsPerRowGroup(int64(n)),
		parquet.Compression(&parquet.Snappy),
		&parquet.WriterConfig{CreatedBy: "dyad"}, // a fixed name rather than the library's build info
	)
	return &ParquetWriter{w: pw, batch: make([]ParquetRow, 0, min(n, parquetBatch))}, nil
}

// Write adds one event; rows reach the output a row group at a time.
func (p *ParquetWriter) Write(e Event) error {
	if p.closed {
		return errClosed
	}
	if p.err != nil {
		return p.err
	}
	pr, err := prepare(&e)
	if err != nil {
		return err
	}
	p.batch = append(p.batch, parquetRow(&pr))
	if len(p.batch) == cap(p.batch) {
		return p.flushBatch()
	}
	return nil
}

func (p *ParquetWriter) flushBatch() error {
	if len(p.batch) == 0 {
		return nil
	}
	if _, err := p.w.Write(p.batch); err != nil {
		p.err = fmt.Errorf("export: parquet: %w", err)
		return p.err
	}
	clear(p.batch) // drop references to the strings
	p.batch = p.batch[:0]
	return nil
}

// Close writes the last row group and the footer.
func (p *ParquetWriter) Close() error {
	if p.closed {
		return errClosed
	}
	p.closed = true
	if p.err != nil {
		return p.err
	}
	if err := p.flushBatch(); err != nil {
		return err
	}
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("export: parquet: %w", err)
	}
	return nil
}

func parquetRow(p *prepared) ParquetRow {
	e := p.e
	ev := &e.Event
	r := ParquetRow{
		GlobalEventID: e.ID, DocID: text(ev.DocID), EventKey: text(ev.EventID), Date: epochDays(p.date),
		SourceURL: text(e.SourceURL),
		CAMEO:     p.code, CAMEOBase: p.base, CAMEORoot: p.root, CAMEOName: text(ev.CAMEOName),
		QuadClass: int32(p.quad), Goldstein: ev.Goldstein,
		PLOVER: text(ev.PLOVER), PLOVERMode: text(ev.PLOVERMode),
		IsRoot: e.IsRoot, Negated: ev.Negated, Confidence: ev.Confidence,
		NumMentions: int32(e.NumMentions), NumSources: int32(e.NumSources), NumArticles: int32(e.NumArticles),
		AvgTone: e.AvgTone,
		Trigger: text(ev.Trigger.Text), TriggerStart: int32(ev.Trigger.Start), TriggerEnd: int32(ev.Trigger.End),
		SentenceIndex: int32(ev.Sentence.Index), Sentence: text(ev.Sentence.Text), Rule: text(ev.Rule),
	}
	if !e.DateAdded.IsZero() {
		t := e.DateAdded.UTC().Truncate(time.Millisecond)
		r.DateAdded = &t
	}
	r.SourceCode, r.SourceName, r.SourceCountry, r.SourceSector, r.SourceText = parquetActor(ev.Source)
	r.TargetCode, r.TargetName, r.TargetCountry, r.TargetSector, r.TargetText = parquetActor(ev.Target)
	if l := p.loc; l != nil {
		r.LocationName, r.LocationCountry, r.LocationFIPS = text(l.Name), text(l.Country), text(l.FIPS)
		r.LocationADM1, r.LocationPrecision = text(l.ADM1), text(l.Precision)
		if p.located {
			lat, lon := l.Lat, l.Lon
			r.Lat, r.Lon = &lat, &lon
		}
	}
	return r
}

// epochDays is a UTC midnight as Parquet's DATE. (parquet-go v0.32.0 writes
// a time.Time field tagged "date" wrongly, so the row holds the number.)
func epochDays(t time.Time) int32 { return int32(t.Unix() / 86400) }

// ParquetDate turns a ParquetRow.Date back into a time.
func ParquetDate(days int32) time.Time { return time.Unix(int64(days)*86400, 0).UTC() }

func parquetActor(a *model.Actor) (code, name, country, sector, txt string) {
	if a == nil {
		return
	}
	code = a.Code
	if code == "" {
		code = a.Country + a.Sector
	}
	return text(code), text(a.Name), text(a.Country), text(a.Sector), text(a.Text)
}
