package export

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
)

// GeoJSONWriter writes an RFC 7946 FeatureCollection with one Point feature
// per located event, streamed: the collection opens on the first Write and
// closes on Close. Events without coordinates are left out and counted; the
// count is also written as the collection's foreign member "skipped".
type GeoJSONWriter struct {
	w       *bufio.Writer
	n       int // features written
	skipped int
	buf     []byte
	err     error
	closed  bool
}

// NewGeoJSON returns a GeoJSON writer.
func NewGeoJSON(w io.Writer) *GeoJSONWriter {
	return &GeoJSONWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// Skipped is the number of events left out for want of coordinates.
func (g *GeoJSONWriter) Skipped() int { return g.skipped }

type geoFeature struct {
	Type       string      `json:"type"`
	ID         int64       `json:"id"`
	Geometry   geoPoint    `json:"geometry"`
	Properties geoProperty `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude
}

type geoProperty struct {
	Date        string  `json:"date"`
	CAMEO       string  `json:"cameo"`
	CAMEOName   string  `json:"cameo_name,omitempty"`
	QuadClass   int     `json:"quad_class"`
	Goldstein   float64 `json:"goldstein"`
	PLOVER      string  `json:"plover,omitempty"`
	PLOVERMode  string  `json:"plover_mode,omitempty"`
	Source      string  `json:"source,omitempty"`
	SourceName  string  `json:"source_name,omitempty"`
	Target      string  `json:"target,omitempty"`
	TargetName  string  `json:"target_name,omitempty"`
	Location    string  `json:"location,omitempty"`
	Country     string  `json:"country,omitempty"`
	Precision   string  `json:"precision,omitempty"`
	NumMentions int     `json:"num_mentions"`
	IsRoot      bool    `json:"is_root"`
	Confidence  float64 `json:"confidence"`
	Trigger     string  `json:"trigger,omitempty"`
	Sentence    string  `json:"sentence,omitempty"`
	SourceURL   string  `json:"source_url,omitempty"`
	DocID       string  `json:"doc_id,omitempty"`
}

const geoOpen = `{"type":"FeatureCollection","features":[`

// Write writes one located event as a feature, or counts it as skipped.
func (g *GeoJSONWriter) Write(e Event) error {
	if g.closed {
		return errClosed
	}
	if g.err != nil {
		return g.err
	}
	p, err := prepare(&e)
	if err != nil {
		return err
	}
	if !p.located {
		g.skipped++
		return nil
	}
	ev := &e.Event
	l := p.loc
	f := geoFeature{
		Type: "Feature", ID: e.ID,
		Geometry: geoPoint{Type: "Point", Coordinates: [2]float64{l.Lon, l.Lat}},
		Properties: geoProperty{
			Date: p.date.Format("2006-01-02"), CAMEO: p.code, CAMEOName: ev.CAMEOName,
			QuadClass: p.quad, Goldstein: ev.Goldstein, PLOVER: ev.PLOVER, PLOVERMode: ev.PLOVERMode,
			Location: l.Name, Country: l.Country, Precision: l.Precision,
			NumMentions: e.NumMentions, IsRoot: e.IsRoot, Confidence: ev.Confidence,
			Trigger: ev.Trigger.Text, Sentence: ev.Sentence.Text, SourceURL: e.SourceURL, DocID: ev.DocID,
		},
	}
	if a := ev.Source; a != nil {
		f.Properties.Source, f.Properties.SourceName = a.Code, a.Name
	}
	if a := ev.Target; a != nil {
		f.Properties.Target, f.Properties.TargetName = a.Code, a.Name
	}
	b, err := json.Marshal(&f)
	if err != nil {
		return err
	}
	g.buf = g.buf[:0]
	if g.n == 0 {
		g.buf = append(g.buf, geoOpen...)
	} else {
		g.buf = append(g.buf, ',')
	}
	g.buf = append(append(g.buf, '\n'), b...)
	if _, g.err = g.w.Write(g.buf); g.err == nil {
		g.n++
	}
	return g.err
}

// Close ends the collection and flushes it.
func (g *GeoJSONWriter) Close() error {
	if g.closed {
		return errClosed
	}
	g.closed = true
	if g.err != nil {
		return g.err
	}
	b := g.buf[:0]
	if g.n == 0 {
		b = append(b, geoOpen...)
	}
	b = append(b, "\n],\"skipped\":"...)
	b = strconv.AppendInt(b, int64(g.skipped), 10)
	b = append(b, "}\n"...)
	if _, err := g.w.Write(b); err != nil {
		return err
	}
	return g.w.Flush()
}
