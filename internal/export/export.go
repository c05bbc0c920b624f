package export

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

// Event is one deduplicated event as the store holds it, with the evidence of
// its first or best mention.
type Event struct {
	ID          int64       // GLOBALEVENTID; must be > 0
	Event       model.Event // codes, actors, sentence, trigger, date, location
	DateAdded   time.Time   // when first stored; written in UTC
	SourceURL   string      // URL of the first or best report
	NumMentions int
	NumSources  int
	NumArticles int
	AvgTone     float64 // always 0 from dyad: it does not compute tone
	IsRoot      bool    // from the lead of its article; see RootSentences
}

// Mention is one report of an event (a row of the GDELT Mentions table).
type Mention struct {
	EventID     int64
	EventDate   time.Time // the event's DateAdded, as GDELT's EventTimeDate
	MentionDate time.Time // when the reporting document was published or ingested
	SourceName  string    // outlet, e.g. "reuters.com"
	Identifier  string    // URL, or the document id when there is none
	SentenceID  int       // 1-based, as in GDELT
	// Rune offsets into the cleaned text, -1 when absent.
	Actor1CharOffset, Actor2CharOffset, ActionCharOffset int
	InRawText                                            bool
	Confidence                                           int // 0–100
	DocLen                                               int // runes in the cleaned text
	DocTone                                              float64
}

// Writer streams events into one export format. Close flushes what is
// buffered and ends the document (JSON array, Parquet footer); it does not
// close the underlying io.Writer. A Write that returns an error for a bad
// event writes nothing for it, so the output stays well formed.
type Writer interface {
	Write(Event) error
	Close() error
}

// Counter is implemented by writers that leave some events out (GeoJSON:
// events without coordinates; PLOVER: events with no PLOVER category).
type Counter interface {
	Skipped() int
}

// Options tunes the writers; the zero value is the default.
type Options struct {
	Header       bool // GDELT events and mentions: write the column names first (GDELT files have none)
	RowGroupSize int  // parquet: rows per row group, bounding memory; 0 means DefaultRowGroupSize
}

// Formats lists the names New accepts.
func Formats() []string { return []string{"gdelt", "plover", "csv", "geojson", "parquet"} }

// New returns the event writer for a format named as in Formats.
func New(format string, w io.Writer, opt Options) (Writer, error) {
	switch strings.ToLower(format) {
	case "gdelt":
		return NewGDELT(w, opt), nil
	case "plover":
		return NewPLOVER(w), nil
	case "csv":
		return NewCSV(w, opt), nil
	case "geojson":
		return NewGeoJSON(w), nil
	case "parquet":
		p, err := NewParquet(w, opt)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return p, nil
	}
	return nil, fmt.Errorf("export: unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

// RootSentences is how many leading sentences count as an article's lead:
// GDELT marks events from the lead paragraph as root events, and dyad, which
// has no paragraphs, takes the first three sentences (the headline counts as
// one when the cleaner kept it).
const RootSentences = 3

// IsRootSentence reports whether a 0-based sentence index is in the lead.
func IsRootSentence(index int) bool { return index >= 0 && index < RootSentences }

// FromModel wraps a freshly coded event as a one-mention export.Event: the
// counts are 1, AvgTone 0 and IsRoot follows IsRootSentence. The store, which
// deduplicates, sets the counts itself.
func FromModel(id int64, ev model.Event, added time.Time, sourceURL string) Event {
	return Event{
		ID: id, Event: ev, DateAdded: added, SourceURL: sourceURL,
		NumMentions: 1, NumSources: 1, NumArticles: 1,
		IsRoot: IsRootSentence(ev.Sentence.Index),
	}
}

// MentionFromModel builds the mention of event eventID made by ev in doc.
// eventAdded is the event's DateAdded; mentioned the document's time.
func MentionFromModel(eventID int64, ev model.Event, doc model.Document, eventAdded, mentioned time.Time) Mention {
	m := Mention{
		EventID: eventID, EventDate: eventAdded, MentionDate: mentioned,
		SourceName: doc.Outlet, Identifier: doc.URL,
		SentenceID:       ev.Sentence.Index + 1,
		Actor1CharOffset: -1, Actor2CharOffset: -1, ActionCharOffset: ev.Trigger.Start,
		InRawText:  true, // dyad finds every event in the text itself
		Confidence: clampPercent(ev.Confidence),
		DocLen:     utf8.RuneCountInString(doc.Text),
	}
	if m.Identifier == "" {
		m.Identifier = doc.ID
	}
	if ev.Source != nil {
		m.Actor1CharOffset = ev.Source.Start
	}
	if ev.Target != nil {
		m.Actor2CharOffset = ev.Target.Start
	}
	return m
}

func clampPercent(c float64) int {
	if math.IsNaN(c) {
		return 0
	}
	p := int(c*100 + 0.5)
	return min(max(p, 0), 100)
}

// errClosed is returned by Write and Close after Close.
var errClosed = errors.New("export: writer is closed")
