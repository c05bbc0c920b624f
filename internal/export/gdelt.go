package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// GDELTColumns are the 61 columns of a GDELT 2.0 Events file, in order.
var GDELTColumns = gdeltColumns()

func gdeltColumns() []string {
	c := []string{"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"}
	for _, a := range []string{"Actor1", "Actor2"} {
		for _, f := range []string{"Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
			"Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code"} {
			c = append(c, a+f)
		}
	}
	c = append(c, "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
		"GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
	for _, g := range []string{"Actor1Geo", "Actor2Geo", "ActionGeo"} {
		for _, f := range []string{"Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"} {
			c = append(c, g+"_"+f)
		}
	}
	return append(c, "DATEADDED", "SOURCEURL")
}

// MentionColumns are the 16 columns of a GDELT 2.0 Mentions file, in order.
var MentionColumns = []string{
	"GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
	"MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
	"InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
}

// GDELT geographic resolution types.
const (
	geoNone      = 0
	geoCountry   = 1
	geoUSState   = 2
	geoUSCity    = 3
	geoWorldCity = 4
	geoWorldADM1 = 5
)

const gdeltTime = "20060102150405"

// GDELTWriter writes GDELT 2.0 Events rows: tab-separated, one event a line,
// no header unless Options.Header. See the package documentation for the
// columns dyad fills differently from GDELT.
type GDELTWriter struct {
	w      *bufio.Writer
	header bool
	row    []byte
	err    error
	closed bool
}

// NewGDELT returns a GDELT 2.0 Events writer.
func NewGDELT(w io.Writer, opt Options) *GDELTWriter {
	return &GDELTWriter{w: bufio.NewWriterSize(w, 64<<10), header: opt.Header}
}

// Write writes one event as one row.
func (g *GDELTWriter) Write(e Event) error {
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
	for i, a := range [2]*model.Actor{e.Event.Source, e.Event.Target} {
		if err := checkActorGeo(e.ID, i+1, a); err != nil {
			return err
		}
	}
	if g.header {
		g.header = false
		if _, g.err = g.w.WriteString(strings.Join(GDELTColumns, "\t") + "\n"); g.err != nil {
			return g.err
		}
	}
	g.row = appendGDELT(g.row[:0], &p)
	_, g.err = g.w.Write(g.row)
	return g.err
}

// Close flushes the rows; with Options.Header and no events it writes the header alone.
func (g *GDELTWriter) Close() error {
	if g.closed {
		return errClosed
	}
	g.closed = true
	if g.err == nil && g.header {
		_, g.err = g.w.WriteString(strings.Join(GDELTColumns, "\t") + "\n")
	}
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

func appendGDELT(b []byte, p *prepared) []byte {
	e := p.e
	ev := &e.Event
	y, m, d := p.date.Date()
	b = strconv.AppendInt(b, e.ID, 10)
	b = append(b, '\t')
	b = p.date.AppendFormat(b, "20060102")
	b = append(b, '\t')
	b = p.date.AppendFormat(b, "200601")
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '\t')
	// GDELT's FractionDate: year + (month*30 + day)/365, four decimals.
	b = strconv.AppendFloat(b, float64(y)+float64(int(m)*30+d)/365, 'f', 4, 64)
	b = appendActor(b, ev.Source)
	b = appendActor(b, ev.Target)
	b = append(b, '\t')
	b = appendBool(b, e.IsRoot)
	b = append(b, '\t')
	b = append(b, p.code...)
	b = append(b, '\t')
	b = append(b, p.base...)
	b = append(b, '\t')
	b = append(b, p.root...)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(p.quad), 10)
	b = append(b, '\t')
	b = strconv.AppendFloat(b, ev.Goldstein, 'f', 1, 64)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(e.NumMentions), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(e.NumSources), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(e.NumArticles), 10)
	b = append(b, '\t')
	b = appendFloat(b, e.AvgTone)
	b = appendActorGeo(b, ev.Source)
	b = appendActorGeo(b, ev.Target)
	b = appendGeo(b, p.loc, p.located)
	b = append(b, '\t')
	if !e.DateAdded.IsZero() {
		b = e.DateAdded.UTC().AppendFormat(b, gdeltTime)
	}
	b = append(b, '\t')
	if e.SourceURL != "" {
		b = appendURL(b, e.SourceURL)
	} else {
		b = appendField(b, ev.DocID)
	}
	return append(b, '\n')
}

// appendActor appends the ten actor columns, each preceded by a tab.
func appendActor(b []byte, a *model.Actor) []byte {
	if a == nil {
		return append(b, "\t\t\t\t\t\t\t\t\t\t"...)
	}
	code := a.Code
	if code == "" {
		code = a.Country + a.Sector
	}
	s := SplitActor(code)
	name := a.Name
	if name == "" {
		name = a.Text
	}
	b = append(b, '\t')
	b = appendField(b, code)
	b = append(b, '\t')
	b = appendField(b, strings.ToUpper(name)) // GDELT's names are upper case
	for _, f := range [...]string{s.Country, s.KnownGroup, s.Ethnic, s.Religion1, s.Religion2, s.Types[0], s.Types[1], s.Types[2]} {
		b = append(b, '\t')
		b = append(b, f...) // three capital letters or empty
	}
	return b
}

// checkActorGeo rejects an actor location no map could show.
func checkActorGeo(id int64, n int, a *model.Actor) error {
	if a == nil || a.Location == nil {
		return nil
	}
	l := a.Location
	if math.IsNaN(l.Lat) || math.IsNaN(l.Lon) || l.Lat < -90 || l.Lat > 90 || l.Lon < -180 || l.Lon > 180 {
		return fmt.Errorf("export: event %d: actor %d location %q has coordinates out of range (%v, %v)", id, n, l.Name, l.Lat, l.Lon)
	}
	return nil
}

// appendActorGeo appends an actor's eight geography columns: empty, with
// type 0, when the text does not say where the actor is.
func appendActorGeo(b []byte, a *model.Actor) []byte {
	if a == nil || a.Location == nil {
		return appendGeo(b, nil, false)
	}
	l := a.Location
	// 0,0 is open sea: a location without coordinates, not a place
	return appendGeo(b, l, l.Lat != 0 || l.Lon != 0)
}

// appendGeo appends the eight geography columns, each preceded by a tab.
func appendGeo(b []byte, l *model.Location, located bool) []byte {
	if l == nil {
		return append(b, "\t0\t\t\t\t\t\t\t"...)
	}
	typ := geoType(l)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(typ), 10)
	b = append(b, '\t')
	b = appendField(b, l.Name)
	b = append(b, '\t')
	b = appendField(b, l.FIPS)
	b = append(b, '\t')
	b = appendField(b, adm1Code(l, typ))
	b = append(b, '\t') // ADM2: dyad's gazetteer has no second-level divisions
	b = append(b, '\t')
	if located {
		b = appendFloat(b, l.Lat)
	}
	b = append(b, '\t')
	if located {
		b = appendFloat(b, l.Lon)
	}
	b = append(b, '\t')
	if typ == geoCountry { // GDELT's feature id for a country is its FIPS code
		b = appendField(b, l.FIPS)
	}
	return b
}

// geoType maps dyad's precision onto GDELT's resolution types.
func geoType(l *model.Location) int {
	us := l.FIPS == "US"
	switch strings.ToLower(l.Precision) {
	case "country":
		return geoCountry
	case "adm1", "state", "region", "province":
		if us {
			return geoUSState
		}
		return geoWorldADM1
	case "city", "town", "village", "place", "point":
		if us {
			return geoUSCity
		}
		return geoWorldCity
	}
	return geoNone
}

// adm1Code is GDELT's ADM1Code: the FIPS country code followed by the
// division's code ("USCA", "CH30"); for a country, the country code.
func adm1Code(l *model.Location, typ int) string {
	switch {
	case typ == geoCountry || l.ADM1 == "":
		if typ == geoNone {
			return ""
		}
		return l.FIPS
	case l.FIPS != "" && !strings.HasPrefix(l.ADM1, l.FIPS):
		return l.FIPS + l.ADM1
	}
	return l.ADM1
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}

// appendFloat writes the shortest decimal that reads back as v.
func appendFloat(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'f', -1, 64) }

// MentionsWriter writes GDELT 2.0 Mentions rows.
type MentionsWriter struct {
	w      *bufio.Writer
	header bool
	row    []byte
	err    error
	closed bool
}

// NewMentions returns a GDELT 2.0 Mentions writer.
func NewMentions(w io.Writer, opt Options) *MentionsWriter {
	return &MentionsWriter{w: bufio.NewWriterSize(w, 64<<10), header: opt.Header}
}

// Write writes one mention as one row.
func (g *MentionsWriter) Write(m Mention) error {
	if g.closed {
		return errClosed
	}
	if g.err != nil {
		return g.err
	}
	if err := checkMention(&m); err != nil {
		return err
	}
	if g.header {
		g.header = false
		if _, g.err = g.w.WriteString(strings.Join(MentionColumns, "\t") + "\n"); g.err != nil {
			return g.err
		}
	}
	g.row = appendMention(g.row[:0], &m)
	_, g.err = g.w.Write(g.row)
	return g.err
}

// Close flushes the rows.
func (g *MentionsWriter) Close() error {
	if g.closed {
		return errClosed
	}
	g.closed = true
	if g.err == nil && g.header {
		_, g.err = g.w.WriteString(strings.Join(MentionColumns, "\t") + "\n")
	}
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

func checkMention(m *Mention) error {
	switch {
	case m.EventID <= 0:
		return fmt.Errorf("export: mention %q: GLOBALEVENTID %d is not positive", m.Identifier, m.EventID)
	case m.SentenceID < 1:
		return fmt.Errorf("export: mention of event %d: SentenceID %d is not 1-based", m.EventID, m.SentenceID)
	case math.IsNaN(m.DocTone) || math.IsInf(m.DocTone, 0):
		return fmt.Errorf("export: mention of event %d: DocTone is %v", m.EventID, m.DocTone)
	case m.Confidence < 0 || m.Confidence > 100:
		return fmt.Errorf("export: mention of event %d: confidence %d is not 0–100", m.EventID, m.Confidence)
	}
	return nil
}

func appendMention(b []byte, m *Mention) []byte {
	b = strconv.AppendInt(b, m.EventID, 10)
	b = append(b, '\t')
	b = appendTime(b, m.EventDate)
	b = append(b, '\t')
	b = appendTime(b, m.MentionDate)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(mentionType(m.Identifier)), 10)
	b = append(b, '\t')
	b = appendField(b, m.SourceName)
	b = append(b, '\t')
	b = appendURL(b, m.Identifier)
	for _, v := range [...]int{m.SentenceID, max(m.Actor1CharOffset, -1), max(m.Actor2CharOffset, -1), max(m.ActionCharOffset, -1)} {
		b = append(b, '\t')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, '\t')
	b = appendBool(b, m.InRawText)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(m.Confidence), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(m.DocLen), 10)
	b = append(b, '\t')
	b = appendFloat(b, m.DocTone)
	// MentionDocTranslationInfo and Extras: dyad reads English only and has no extras.
	return append(b, "\t\t\n"...)
}

// mentionType: 1 (WEB) for a URL, 2 (CITATIONONLY) for a document known by
// id only, as GDELT files reports that have no URL.
func mentionType(id string) int {
	if strings.HasPrefix(id, "http://") || strings.HasPrefix(id, "https://") {
		return 1
	}
	return 2
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return t.UTC().AppendFormat(b, gdeltTime)
}
