-- A root-code index cost Put a sixth of inserting an event. Root-code
-- filters now walk the date index over only the days the daily rollup
-- lists for the root, found by this index: a rare root is sought day by
-- day, a common one is found within a few days anyway. (PostgreSQL keeps
-- its index: it picks plans itself.)
DROP INDEX events_root_day;
CREATE INDEX daily_root ON daily (cameo_root, day);
