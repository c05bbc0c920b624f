// Package store keeps dyad's ingest stream — documents, deduplicated events,
// their mentions with evidence sentences, the actors seen and the sources
// that failed — in SQLite (embedded, the default) or PostgreSQL (for teams),
// and answers queries over it. Both backends run the same SQL through one
// implementation; only schema types, placeholders, full-text search (FTS5 or
// tsvector) and locking differ. Schemas are versioned migrations, embedded
// and applied in one transaction each.
//
// # Idempotence
//
// A document is stored once: Put inserts it with ON CONFLICT DO NOTHING and
// adds its events only when the insert happened, in the same transaction. So
// re-ingesting adds nothing, and a run killed anywhere and restarted neither
// loses nor duplicates anything.
//
// # Event deduplication
//
// Reports of one event become one event row with many mentions. Two reports
// are the same event when they agree on source actor code, target actor code,
// CAMEO code, negation, and date bucket, where the bucket is
// floor(days since 1970-01-01 / W) and W is the store's dedup window in days
// (default 3, fixed when the store is created). With W = 3 every bucket is a
// middle day ±1, so reports a day apart merge unless a bucket boundary falls
// between them. An exact "within ±1 day of each other" rule is not
// transitive, so no rule built on it gives one answer whatever the arrival
// order; this key does. The key is a unique index and events are upserted, so
// concurrent writers (PostgreSQL) cannot create two rows for one key.
//
// An event's date is its earliest report's date. Its evidence is the mention
// with the smallest rank: highest confidence, then earliest document date,
// then document ID, then position in the document. Counters are added and
// dates and evidence kept by minimum, so the same reports give the same
// events whatever the batches or their order.
//
// NumMentions counts reports (a document may report an event twice),
// NumArticles distinct documents, NumSources distinct sources: a document's
// outlet, else its URL's host, else the document itself.
//
// # Syndicated copies
//
// A duplicate record (DuplicateOf set) is stored as a document, and the first
// copy's reports are credited to it too: it gets one mention per mention of
// the first copy (via_num names the first copy, whose sentence it quotes), so
// the copy's outlet counts toward NumSources and the copy toward NumArticles.
// This works whichever copy arrives first; on PostgreSQL a transaction-scoped
// advisory lock per first copy keeps a copy and its original from being
// stored blind to each other. A duplicate's own events, if any, are ignored:
// they are the first copy's events again.
//
// # GDELT
//
// The schema holds what GDELT 2.0's Events and Mentions tables need:
// events.id is GLOBALEVENTID; num_mentions, num_sources and num_articles are
// kept exact; events.added_at and documents.added_at are DATEADDED; the best
// mention's document gives SOURCEURL; mentions keep sentence index, actor and
// trigger offsets and confidence, documents their outlet, URL and length.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// DefaultWindow is the dedup window, in days, of a new store.
const DefaultWindow = 3

// Failure is a source that failed or was skipped before it became a document.
type Failure struct {
	Source string    `json:"source"`
	Status string    `json:"status,omitempty"` // failed | skipped
	Reason string    `json:"reason"`
	Time   time.Time `json:"time"`
}

// PutStats says what one Put added.
type PutStats struct {
	Documents  int `json:"documents"`  // new documents, of any status
	Known      int `json:"known"`      // records whose document was already stored: nothing added
	Duplicates int `json:"duplicates"` // new documents that are syndicated copies
	Skipped    int `json:"skipped"`    // new documents stored with status skipped
	Mentions   int `json:"mentions"`   // reports added, copies' included
	NewEvents  int `json:"new_events"` // events created; the other mentions joined existing events
}

// Add accumulates another Put's figures.
func (p *PutStats) Add(q PutStats) {
	p.Documents += q.Documents
	p.Known += q.Known
	p.Duplicates += q.Duplicates
	p.Skipped += q.Skipped
	p.Mentions += q.Mentions
	p.NewEvents += q.NewEvents
}

// Store is the event store. It is safe for concurrent use.
type Store interface {
	// Put stores a batch of ingest records in one transaction.
	Put(ctx context.Context, recs []model.Record) (PutStats, error)
	// PutFailures records failed sources; replaying one adds nothing. It
	// returns how many were new.
	PutFailures(ctx context.Context, fs []Failure) (int, error)

	// Events lists events with their best evidence, by date then ID.
	Events(ctx context.Context, f Filter, limit, offset int) ([]EventRow, error)
	// Series counts events per period; for a dyad (Filter.Source and
	// Filter.Target) each direction is its own series.
	Series(ctx context.Context, f Filter, iv Interval) ([]SeriesRow, error)
	// Breakdown counts events per period and CAMEO root or quad class.
	Breakdown(ctx context.Context, f Filter, by By, iv Interval) ([]BreakdownRow, error)
	// TopActors ranks actors by the events they take part in, either side.
	TopActors(ctx context.Context, f Filter, n int) ([]ActorRow, error)
	// TopDyads ranks directed source→target pairs by events.
	TopDyads(ctx context.Context, f Filter, n int) ([]DyadRow, error)
	// Stats summarises what the store holds.
	Stats(ctx context.Context) (Stats, error)

	// Backend is "sqlite" or "postgres".
	Backend() string
	// Window is the dedup window in days.
	Window() int
	Close() error
}

// Options tune Open.
type Options struct {
	// Window is the dedup window in days for a new store; 0 means the
	// DSN's dedup_window parameter, else DefaultWindow. Opening an existing
	// store with a different window is an error: the dedup key depends on it.
	Window int
}

// Open opens the store at dsn, creating it and bringing its schema up to date
// as needed. dsn is a file path, a file: or sqlite: URL (SQLite), or a
// postgres:// or postgresql:// URL. A dedup_window=N query parameter sets the
// window of a new store. Other query parameters of a SQLite URL go to the
// driver (modernc.org/sqlite: _pragma=..., for instance); of a PostgreSQL URL,
// to pgx, except pool_max_conns, the connection pool size (default 4).
func Open(ctx context.Context, dsn string) (Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, o Options) (Store, error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, errors.New("store: no database given (a file path or a postgres:// URL)")
	}
	name := redact(dsn)
	dsn, win, err := takeParam(dsn, "dedup_window")
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", name, err)
	}
	if o.Window == 0 && win != "" {
		n, err := strconv.Atoi(win)
		if err != nil || n < 1 || n > 366 {
			return nil, fmt.Errorf("store %s: dedup_window=%q: want a number of days from 1 to 366", name, win)
		}
		o.Window = n
	}
	if o.Window < 0 || o.Window > 366 {
		return nil, fmt.Errorf("store %s: dedup window %d: want 1 to 366 days", name, o.Window)
	}
	var b backend
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		b, err = openPostgres(ctx, dsn)
	default:
		b, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", name, err)
	}
	s := &sqlStore{b: b, name: name, actors: map[string]int64{}, codes: map[string]codeInfo{}}
	if err := s.migrate(ctx, o.Window); err != nil {
		b.close()
		return nil, fmt.Errorf("store %s: %v", name, explain(err))
	}
	b.migrated()
	return s, nil
}

// takeParam removes key from dsn's query string and returns its value.
func takeParam(dsn, key string) (string, string, error) {
	i := strings.IndexByte(dsn, '?')
	if i < 0 {
		return dsn, "", nil
	}
	q, err := url.ParseQuery(dsn[i+1:])
	if err != nil {
		return "", "", fmt.Errorf("query string: %v", err)
	}
	v := q.Get(key)
	if !q.Has(key) {
		return dsn, "", nil
	}
	q.Del(key)
	rest := q.Encode()
	if rest == "" {
		return dsn[:i], v, nil
	}
	return dsn[:i] + "?" + rest, v, nil
}

// redact hides a password in a URL DSN, for error messages.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return dsn
}

// Interval is a time-series period.
type Interval string

// Intervals; IntervalNone totals over the whole range.
const (
	IntervalNone  Interval = ""
	IntervalDay   Interval = "day"
	IntervalWeek  Interval = "week" // weeks start on Monday
	IntervalMonth Interval = "month"
	IntervalYear  Interval = "year"
)

// ParseInterval reads day, week, month, year, or "" / none / all.
func ParseInterval(s string) (Interval, error) {
	switch strings.ToLower(s) {
	case "", "none", "all":
		return IntervalNone, nil
	case "day", "daily":
		return IntervalDay, nil
	case "week", "weekly":
		return IntervalWeek, nil
	case "month", "monthly":
		return IntervalMonth, nil
	case "year", "yearly":
		return IntervalYear, nil
	}
	return "", fmt.Errorf("interval %q: want day, week, month, year or none", s)
}

// By is what Breakdown groups on.
type By string

// Breakdown keys.
const (
	ByRoot By = "root"
	ByQuad By = "quad"
)

// EventRow is one event with its best evidence.
type EventRow struct {
	ID          int64   `json:"id"`
	Date        string  `json:"date"`
	Source      string  `json:"source"`
	SourceName  string  `json:"source_name"`
	Target      string  `json:"target"`
	TargetName  string  `json:"target_name"`
	CAMEO       string  `json:"cameo"`
	CAMEOName   string  `json:"cameo_name"`
	QuadClass   int     `json:"quad_class"`
	Goldstein   float64 `json:"goldstein"`
	PLOVER      string  `json:"plover"`
	PLOVERMode  string  `json:"plover_mode"`
	Negated     bool    `json:"negated"`
	NumMentions int     `json:"num_mentions"`
	NumSources  int     `json:"num_sources"`
	NumArticles int     `json:"num_articles"`
	Confidence  float64 `json:"confidence"`
	Country     string  `json:"location_country"`
	Place       string  `json:"location"`
	DocID       string  `json:"doc_id"`
	URL         string  `json:"url"`
	Outlet      string  `json:"outlet"`
	Trigger     string  `json:"trigger"`
	Sentence    string  `json:"sentence"`
}

// SeriesRow is one period of a time series. Direction is "A>B" for a dyad
// filter, else "".
type SeriesRow struct {
	Period        string  `json:"period"`
	Direction     string  `json:"direction,omitempty"`
	Events        int64   `json:"events"`
	Mentions      int64   `json:"mentions"`
	GoldsteinSum  float64 `json:"goldstein_sum"`
	GoldsteinMean float64 `json:"goldstein_mean"`
}

// BreakdownRow counts events of one root code or quad class in one period.
type BreakdownRow struct {
	Period        string  `json:"period"`
	Key           string  `json:"key"`
	Events        int64   `json:"events"`
	GoldsteinSum  float64 `json:"goldstein_sum"`
	GoldsteinMean float64 `json:"goldstein_mean"`
}

// ActorRow is one actor's share of the events.
type ActorRow struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Events   int64  `json:"events"`
	AsSource int64  `json:"as_source"`
	AsTarget int64  `json:"as_target"`
}

// DyadRow is one directed pair's share of the events.
type DyadRow struct {
	Source        string  `json:"source"`
	Target        string  `json:"target"`
	Events        int64   `json:"events"`
	Mentions      int64   `json:"mentions"`
	GoldsteinMean float64 `json:"goldstein_mean"`
}

// Stats summarises a store.
type Stats struct {
	Backend       string           `json:"backend"`
	SchemaVersion int              `json:"schema_version"`
	Window        int              `json:"dedup_window_days"`
	Documents     int64            `json:"documents"`
	ByStatus      map[string]int64 `json:"documents_by_status"`
	Sources       int64            `json:"sources"`
	Events        int64            `json:"events"`
	Mentions      int64            `json:"mentions"`
	Actors        int64            `json:"actors"`
	Failures      int64            `json:"failures"`
	FirstDate     string           `json:"first_date"`
	LastDate      string           `json:"last_date"`
}
