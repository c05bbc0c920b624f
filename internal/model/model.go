// Package model holds the types every dyad stage agrees on. It imports nothing
// from the rest of dyad, so dependencies point one way: cmd → stages → model.
//
// Every offset is a code-point (rune) offset into Document.Text, the cleaned text.
package model

// Document is one article after cleaning.
type Document struct {
	ID       string    `json:"id"`
	URL      string    `json:"url,omitempty"`
	Title    string    `json:"title,omitempty"`
	Text     string    `json:"text"`
	Date     string    `json:"date,omitempty"` // YYYY-MM-DD reference date of the article
	Dateline *Dateline `json:"dateline,omitempty"`
	// Filled by ingest; empty when dyad code reads plain text.
	Outlet    string `json:"outlet,omitempty"`    // the publishing site, e.g. "reuters.com"
	Byline    string `json:"byline,omitempty"`    // author as printed
	Published string `json:"published,omitempty"` // publication date the page states, YYYY-MM-DD
	Lang      string `json:"lang,omitempty"`      // ISO 639-3 code from language identification
	Source    string `json:"source,omitempty"`    // where it was read: path, URL, WARC file#record
	Hash      string `json:"hash,omitempty"`      // content hash of Text, for exact deduplication
}

// Record is one line of the ingest stream: a document, what became of it, and
// its events. One line per document keeps a document and its events atomic.
type Record struct {
	Document    Document `json:"document"`
	Status      string   `json:"status"` // coded | duplicate | skipped
	Reason      string   `json:"reason,omitempty"`
	DuplicateOf string   `json:"duplicate_of,omitempty"` // ID of the first copy
	Events      []Event  `json:"events"`
}

// Record statuses.
const (
	StatusCoded     = "coded"
	StatusDuplicate = "duplicate"
	StatusSkipped   = "skipped"
)

// Dateline is the "BEIJING, March 23 (Reuters) -" lead of a wire story.
type Dateline struct {
	Place  string `json:"place"`
	Date   string `json:"date"` // as resolved, YYYY-MM-DD, or "" when unknown
	Agency string `json:"agency"`
	Text   string `json:"text"` // the dateline as written
}

// Span is a piece of the cleaned text.
type Span struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Sentence is one sentence of a document.
type Sentence struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Actor is a coded actor mention.
type Actor struct {
	Code    string `json:"code"`    // CAMEO-style: CHNGOV, IGOUNO, WST
	Country string `json:"country"` // first three letters when they name a country or IGO/NGO/region
	Sector  string `json:"sector"`  // the rest of the code: GOV, MIL, ...
	Name    string `json:"name"`    // dictionary display name
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Entry   string `json:"entry,omitempty"` // dictionary entry id that resolved it
	// Location is where the text puts the actor ("the London-based group",
	// "police in Lagos"); nil when it does not say.
	Location *Location `json:"location,omitempty"`
}

// Location is where an event happened (filled by geolocation; null until then).
type Location struct {
	Name      string  `json:"name"`
	Country   string  `json:"country"`
	FIPS      string  `json:"fips,omitempty"`
	ADM1      string  `json:"adm1,omitempty"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Precision string  `json:"precision"`
	Text      string  `json:"text"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Reason    string  `json:"reason"`
}

// Event is one coded event with its evidence. Field order is the JSON order.
type Event struct {
	DocID      string    `json:"doc_id"`
	EventID    string    `json:"event_id"`
	Date       string    `json:"date"`
	Source     *Actor    `json:"source"`
	Target     *Actor    `json:"target"`
	CAMEO      string    `json:"cameo"`
	CAMEORoot  string    `json:"cameo_root"`
	CAMEOName  string    `json:"cameo_name"`
	QuadClass  int       `json:"quad_class"`
	Goldstein  float64   `json:"goldstein"`
	PLOVER     string    `json:"plover"`
	PLOVERMode string    `json:"plover_mode"`
	Trigger    Span      `json:"trigger"`
	Sentence   Sentence  `json:"sentence"`
	Negated    bool      `json:"negated"`
	Rule       string    `json:"rule"`
	Confidence float64   `json:"confidence"`
	Location   *Location `json:"location"`
}
