-- Put's cost was the actor indexes: led by source or target, a batch of new
-- events touched a page of each for nearly every event, and every touched
-- page is written to the WAL and checkpointed. Led by time, a batch's keys
-- fall in the few pages of the period its dates cover.
--
-- The dedup key leads with its date bucket. The actor indexes lead with the
-- era, eight buckets (24 days at the default window): coarse enough that an
-- actor filter seeks each era of its date range (~80 in five years; see
-- seekable in query.go) cheaply, fine enough that a batch stays within a
-- few hundred pages. Within an era, (actor, other actor, day, id) gives a
-- dyad's events in date order, and the root code and quad class let their
-- filters test an entry without reading the event.
DROP INDEX events_key;
CREATE UNIQUE INDEX events_key ON events (bucket, src, tgt, cameo, negated);
ALTER TABLE events ADD COLUMN era INTEGER GENERATED ALWAYS AS (bucket / 8) VIRTUAL;
CREATE INDEX events_src ON events (era, src, tgt, day, id, cameo_root, quad_class);
DROP INDEX events_tgt;
CREATE INDEX events_tgt ON events (era, tgt, src, day, id, cameo_root, quad_class);
-- Quad-class filters walk the date index: no class is rare enough to need
-- an index of its own, and one fewer index is one fewer write per event.
DROP INDEX events_quad_day;
-- Fewer, larger merges of the full-text index's segments (FTS5's default
-- is 4): merging was a tenth of Put's time; a search reads a few more
-- segments.
INSERT INTO sentence_fts (sentence_fts, rank) VALUES ('automerge', 8);
