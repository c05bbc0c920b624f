package export

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/dyadproject/dyad/internal/model"
)

// ploverRecord is one event in the field names of the PLOVER specification's
// "JSON Data Fields" chapter (event, source, recipient, event_text, event_loc,
// quad_code, event_scale, text_info, cite_info...), followed by dyad's own
// fields, which the specification invites providers to add.
type ploverRecord struct {
	ID        string         `json:"id"`
	Date      string         `json:"date"`
	Source    []ploverActor  `json:"source"`
	Recipient []ploverActor  `json:"recipient,omitempty"`
	Event     []string       `json:"event"`
	Mode      string         `json:"mode,omitempty"`
	Context   []string       `json:"context,omitempty"` // dyad assigns no contexts yet
	EventLoc  *ploverLoc     `json:"event_loc,omitempty"`
	EventText []string       `json:"event_text,omitempty"`
	QuadCode  int            `json:"quad_code"`
	Scale     float64        `json:"event_scale"` // the Goldstein score
	Text      string         `json:"text,omitempty"`
	TextInfo  ploverTextInfo `json:"text_info"`
	CiteInfo  ploverCite     `json:"cite_info"`
	Coder     string         `json:"coder"`
	CodedDate string         `json:"coded_date,omitempty"`
	CodedTime string         `json:"coded_time,omitempty"`
	// dyad's extensions.
	DocID       string  `json:"doc_id,omitempty"`
	CAMEO       string  `json:"cameo"`
	CAMEORoot   string  `json:"cameo_root"`
	CAMEOName   string  `json:"cameo_name,omitempty"`
	Goldstein   float64 `json:"goldstein"`
	NumMentions int     `json:"num_mentions"`
	NumSources  int     `json:"num_sources"`
	NumArticles int     `json:"num_articles"`
	IsRoot      bool    `json:"is_root"`
	Negated     bool    `json:"negated"`
	Confidence  float64 `json:"confidence"`
	Rule        string  `json:"rule,omitempty"`
}

type ploverActor struct {
	Code           string `json:"code"`             // three-letter top level: CHN, IGO, WST
	Sector         string `json:"sector,omitempty"` // the rest: GOV, GOVMIL, EUREEC
	ActorText      string `json:"actor_text,omitempty"`
	IdentifierText string `json:"identifier_text,omitempty"` // dictionary display name
	CAMEO          string `json:"cameo"`                     // dyad extension: the full code
}

// ploverLoc uses the geonames-style names the specification adopts.
type ploverLoc struct {
	Name       string  `json:"name,omitempty"`
	Latitude   float64 `json:"latitude"`
	Longitude  float64 `json:"longitude"`
	CC3        string  `json:"cc3,omitempty"`
	Admin1Code string  `json:"admin1 code,omitempty"`
	FIPS       string  `json:"fips,omitempty"`      // dyad extension: FIPS 10-4 country
	Precision  string  `json:"precision,omitempty"` // dyad extension
}

type ploverTextInfo struct {
	Sequence int `json:"sequence"` // 1-based sentence number
	Start    int `json:"start"`    // sentence's rune offsets in the cleaned text
	End      int `json:"end"`
}

type ploverCite struct {
	URL   string `json:"url,omitempty"`
	Coder string `json:"coder"`
}

// PLOVERWriter writes one PLOVER JSON object a line (JSON Lines, as the
// specification suggests). Events whose CAMEO code has no PLOVER category
// (CAMEO 01, public statements) are left out and counted: PLOVER requires an
// event category.
type PLOVERWriter struct {
	w       *bufio.Writer
	enc     *json.Encoder
	skipped int
	err     error
	closed  bool
}

// NewPLOVER returns a PLOVER JSON Lines writer.
func NewPLOVER(w io.Writer) *PLOVERWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // URLs keep their '&'
	return &PLOVERWriter{w: bw, enc: enc}
}

// Skipped is the number of events left out for want of a PLOVER category.
func (p *PLOVERWriter) Skipped() int { return p.skipped }

// Write writes one event as one line.
func (p *PLOVERWriter) Write(e Event) error {
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
	if e.Event.PLOVER == "" {
		p.skipped++
		return nil
	}
	// The encoder marshals the whole value before writing, so a failure
	// leaves no partial line.
	p.err = p.enc.Encode(ploverOf(&pr))
	return p.err
}

// Close flushes the lines.
func (p *PLOVERWriter) Close() error {
	if p.closed {
		return errClosed
	}
	p.closed = true
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}

func ploverOf(p *prepared) *ploverRecord {
	e := p.e
	ev := &e.Event
	r := &ploverRecord{
		ID:       strconv.FormatInt(e.ID, 10),
		Date:     p.date.Format("2006-01-02"),
		Source:   []ploverActor{},
		Event:    []string{ev.PLOVER},
		Mode:     ev.PLOVERMode,
		QuadCode: p.quad,
		Scale:    ev.Goldstein,
		Text:     ev.Sentence.Text,
		TextInfo: ploverTextInfo{Sequence: ev.Sentence.Index + 1, Start: ev.Sentence.Start, End: ev.Sentence.End},
		CiteInfo: ploverCite{URL: e.SourceURL, Coder: "dyad"},
		Coder:    "dyad",
		DocID:    ev.DocID, CAMEO: p.code, CAMEORoot: p.root, CAMEOName: ev.CAMEOName,
		Goldstein: ev.Goldstein, NumMentions: e.NumMentions, NumSources: e.NumSources, NumArticles: e.NumArticles,
		IsRoot: e.IsRoot, Negated: ev.Negated, Confidence: ev.Confidence, Rule: ev.Rule,
	}
	if ev.Source != nil {
		r.Source = append(r.Source, ploverActorOf(ev.Source))
	}
	if ev.Target != nil {
		r.Recipient = []ploverActor{ploverActorOf(ev.Target)}
	}
	if ev.Trigger.Text != "" {
		r.EventText = []string{ev.Trigger.Text}
	}
	if l := p.loc; l != nil {
		pl := &ploverLoc{Name: l.Name, Admin1Code: l.ADM1, FIPS: l.FIPS, Precision: l.Precision}
		if p.located {
			pl.Latitude, pl.Longitude = l.Lat, l.Lon
		}
		if len(l.Country) == 3 && upper3(l.Country) {
			pl.CC3 = l.Country
		}
		r.EventLoc = pl
	}
	if !e.DateAdded.IsZero() {
		t := e.DateAdded.UTC()
		r.CodedDate = t.Format("2006-01-02")
		r.CodedTime = t.Format("15:04:05Z")
	}
	return r
}

func ploverActorOf(a *model.Actor) ploverActor {
	code := a.Code
	if code == "" {
		code = a.Country + a.Sector
	}
	pa := ploverActor{ActorText: a.Text, IdentifierText: a.Name, CAMEO: code}
	if len(code) >= 3 {
		pa.Code, pa.Sector = code[:3], code[3:]
	} else {
		pa.Code = code
	}
	return pa
}
