-- Source-and-target filters seek (tgt, src) pairs; with day and id in the
-- index the matches are sorted into date order without reading the table
-- (ISR→PSE on a million events: 1.9 ms → 0.5 ms a page).
DROP INDEX events_tgt;
CREATE INDEX events_tgt ON events (tgt, src, day, id);
