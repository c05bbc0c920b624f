package main

import (
	"context"
	"time"

	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/store"
)

// storeSink writes ingest records into the store in batches, one transaction
// each; the store's idempotence makes a replayed batch add nothing, so a
// killed run restarted loses and doubles nothing.
type storeSink struct {
	ctx      context.Context
	st       store.Store
	batch    int
	recs     []model.Record
	fails    []store.Failure
	stats    store.PutStats
	report   ingest.Sink // the JSONL report and stderr lines
	failures int
}

func (s *storeSink) Record(r model.Record) error {
	// One invalid record would fail its whole batch: it is reported alone.
	if err := store.Validate(&r); err != nil {
		return s.Failure(ingest.Failure{Source: r.Document.Source, Status: "failed", Reason: r.Document.ID + ": not stored: " + err.Error() + hint(r)})
	}
	s.recs = append(s.recs, r)
	if len(s.recs) >= s.batch {
		return s.Flush()
	}
	return nil
}

func (s *storeSink) Failure(f ingest.Failure) error {
	s.fails = append(s.fails, store.Failure{Source: f.Source, Status: f.Status, Reason: f.Reason, Time: time.Now().UTC()})
	if err := s.report.Failure(f); err != nil {
		return err
	}
	if len(s.fails) >= s.batch {
		return s.Flush()
	}
	return nil
}

// Flush commits what is batched.
func (s *storeSink) Flush() error {
	if len(s.recs) > 0 {
		ps, err := s.st.Put(s.ctx, s.recs)
		if err != nil {
			return err
		}
		s.stats.Add(ps)
		s.recs = s.recs[:0]
	}
	if len(s.fails) > 0 {
		if _, err := s.st.PutFailures(s.ctx, s.fails); err != nil {
			return err
		}
		s.fails = s.fails[:0]
	}
	return nil
}

func hint(r model.Record) string {
	if r.Document.Date == "" {
		return "; give --date for sources that state none"
	}
	return ""
}
