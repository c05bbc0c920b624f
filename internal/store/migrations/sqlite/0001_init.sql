-- dyad event store, SQLite. Every column is NOT NULL so both backends scan the
-- same Go types; '' and 0 stand for "unknown". Keys that grow with the data
-- are integers assigned in arrival order, so most index inserts append.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
  num          INTEGER PRIMARY KEY, -- arrival order; mentions and sentences refer to it
  id           TEXT NOT NULL UNIQUE,
  url          TEXT NOT NULL,
  outlet       TEXT NOT NULL,
  source_key   TEXT NOT NULL, -- what NumSources counts: outlet, else URL host, else the document
  published    TEXT NOT NULL,
  ref_date     TEXT NOT NULL,
  lang         TEXT NOT NULL,
  title        TEXT NOT NULL,
  byline       TEXT NOT NULL,
  origin       TEXT NOT NULL, -- model.Document.Source: the path, URL or WARC record read
  hash         TEXT NOT NULL,
  text         TEXT NOT NULL,
  text_len     INTEGER NOT NULL, -- in code points (GDELT MentionDocLen)
  status       TEXT NOT NULL,
  reason       TEXT NOT NULL,
  duplicate_of TEXT NOT NULL,
  num_events   INTEGER NOT NULL,
  added_at     TEXT NOT NULL -- YYYYMMDDHHMMSS UTC (GDELT DATEADDED)
);
CREATE INDEX documents_duplicate_of ON documents (duplicate_of) WHERE duplicate_of <> '';

-- Actor codes get small integer ids: events key on them.
CREATE TABLE actors (
  id      INTEGER PRIMARY KEY,
  code    TEXT NOT NULL UNIQUE,
  country TEXT NOT NULL,
  sector  TEXT NOT NULL
);

CREATE TABLE actor_stats (
  id         INTEGER PRIMARY KEY, -- actors.id
  name       TEXT NOT NULL, -- the smallest name reported, so arrival order does not matter
  first_date TEXT NOT NULL,
  last_date  TEXT NOT NULL,
  as_source  INTEGER NOT NULL, -- mentions
  as_target  INTEGER NOT NULL
);

CREATE TABLE cameo_codes (
  cameo       TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  plover      TEXT NOT NULL,
  plover_mode TEXT NOT NULL
) WITHOUT ROWID;

-- One row per deduplicated event; id is GDELT's GLOBALEVENTID. The unique
-- key is the dedup rule: source, target, CAMEO code, negation, date bucket.
CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  src          INTEGER NOT NULL, -- actors.id, 0 when no source was coded
  tgt          INTEGER NOT NULL,
  cameo        TEXT NOT NULL,
  negated      INTEGER NOT NULL,
  bucket       INTEGER NOT NULL, -- floor(day / window)
  day          INTEGER NOT NULL, -- days since 1970-01-01 of the earliest report
  date         TEXT NOT NULL,
  prev_day     INTEGER NOT NULL, -- day before the last upsert: tells Put what moved
  cameo_root   TEXT NOT NULL,
  quad_class   INTEGER NOT NULL,
  goldstein    REAL NOT NULL,
  plover       TEXT NOT NULL,
  num_mentions INTEGER NOT NULL,
  num_sources  INTEGER NOT NULL,
  num_articles INTEGER NOT NULL,
  best_rank    TEXT NOT NULL, -- smallest mention rank: the evidence shown for the event
  best_num     INTEGER NOT NULL, -- its documents.num and seq
  best_seq     INTEGER NOT NULL,
  loc_country  TEXT NOT NULL, -- the best mention's location country
  added_at     TEXT NOT NULL
);
-- The pair before the bucket: a batch's keys land at the end of each pair's
-- run (buckets grow with time) rather than all over the index, and source or
-- dyad filters still find their events by prefix.
CREATE UNIQUE INDEX events_key ON events (src, tgt, bucket, cameo, negated);
CREATE INDEX events_tgt ON events (tgt, day);
CREATE INDEX events_day ON events (day);

-- One row per report of an event, with its evidence sentence. A syndicated
-- copy's mentions carry via_num, the first copy, whose sentences they quote:
-- their own sentence is ''.
CREATE TABLE mentions (
  doc_num       INTEGER NOT NULL,
  seq           INTEGER NOT NULL, -- the event's position in its record
  event_id      INTEGER NOT NULL,
  via_num       INTEGER NOT NULL, -- 0 unless a syndicated copy
  raw_id        TEXT NOT NULL,
  date          TEXT NOT NULL,
  rank          TEXT NOT NULL,
  confidence    REAL NOT NULL,
  rule          TEXT NOT NULL,
  sentence_idx  INTEGER NOT NULL,
  sentence_start INTEGER NOT NULL,
  sentence_end  INTEGER NOT NULL,
  sentence      TEXT NOT NULL,
  trigger_text  TEXT NOT NULL,
  trigger_start INTEGER NOT NULL,
  trigger_end   INTEGER NOT NULL,
  source_name   TEXT NOT NULL,
  source_text   TEXT NOT NULL,
  source_start  INTEGER NOT NULL,
  source_end    INTEGER NOT NULL,
  target_name   TEXT NOT NULL,
  target_text   TEXT NOT NULL,
  target_start  INTEGER NOT NULL,
  target_end    INTEGER NOT NULL,
  location      TEXT NOT NULL, -- JSON of model.Location, '' when none
  source_location TEXT NOT NULL DEFAULT '', -- JSON of the source actor's model.Location, '' when none
  target_location TEXT NOT NULL DEFAULT '', -- the same for the target
  PRIMARY KEY (doc_num, seq)
) WITHOUT ROWID;

-- Full-text search over evidence sentences; rowid is doc_num * 2^20 + seq.
-- detail = none: searches AND words, so positions need not be kept. Put fills
-- it with one INSERT ... SELECT per batch, not a trigger: FTS5 writes a
-- segment at every statement, and one segment per batch merges far less.
CREATE VIRTUAL TABLE sentence_fts USING fts5(text, content = '', columnsize = 0, detail = none, tokenize = 'unicode61 remove_diacritics 2');

-- The distinct sources (outlets) of each event: NumSources is its row count.
CREATE TABLE event_sources (
  event_id   INTEGER NOT NULL,
  source_key TEXT NOT NULL,
  PRIMARY KEY (event_id, source_key)
) WITHOUT ROWID;

-- Daily rollup of events by root code and quad class, for fast breakdowns.
CREATE TABLE daily (
  day         INTEGER NOT NULL,
  date        TEXT NOT NULL,
  cameo_root  TEXT NOT NULL,
  quad_class  INTEGER NOT NULL,
  events      INTEGER NOT NULL,
  goldstein10 INTEGER NOT NULL, -- sum of Goldstein scores in tenths: exact in any order
  PRIMARY KEY (day, cameo_root, quad_class)
) WITHOUT ROWID;

-- Sources that failed or were skipped before becoming documents.
CREATE TABLE failures (
  source     TEXT NOT NULL,
  status     TEXT NOT NULL,
  reason     TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen  TEXT NOT NULL,
  PRIMARY KEY (source, status, reason)
) WITHOUT ROWID;
