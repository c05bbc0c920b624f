// Package pipeline runs one article through dyad's stages: clean-up, coding,
// then geolocation. The CLI, benchmarks and (later) the ingester and server
// all call it, so every entry point codes text the same way.
package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/model"
)

// Article is raw input: one story as scraped or as given.
type Article struct {
	ID   string
	Text string
	Date string // YYYY-MM-DD reference date, "" if unknown
	URL  string
}

// Pipeline holds the compiled coder.
type Pipeline struct {
	Coder *coder.Coder
	// RefDate is the fallback reference date (the CLI's --date).
	RefDate string
	// Geo places each event (geo.Default() is the embedded gazetteer); nil
	// leaves every event's location null.
	Geo *geo.Gazetteer
}

// Result is one coded article.
type Result struct {
	Doc    model.Document
	Clean  clean.Result
	Events []model.Event
}

// Process cleans, codes and (with Geo) places one article.
func (p *Pipeline) Process(a Article) Result {
	ref := a.Date
	if ref == "" {
		ref = p.RefDate
	}
	var refT time.Time
	if ref != "" {
		refT, _ = time.Parse("2006-01-02", ref)
	}
	cr := clean.Clean(a.Text, clean.Options{RefDate: refT})
	doc := model.Document{ID: a.ID, URL: a.URL, Title: cr.Title, Text: cr.Text, Date: ref, Dateline: cr.Dateline}
	if cr.Dateline != nil && cr.Dateline.Date != "" {
		doc.Date = cr.Dateline.Date
	}
	if doc.ID == "" {
		doc.ID = ContentID(a.Text)
	}
	events := p.Coder.Code(doc)
	if p.Geo != nil {
		// the embedded data cannot fail to load once its tests pass; if it
		// did, events keep null locations rather than the article failing
		_ = p.Geo.Locate(doc, events)
	}
	return Result{Doc: doc, Clean: cr, Events: events}
}

// ContentID names a document that came without an id by its content.
func ContentID(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:8])
}
