-- A page of events in date order is found by walking an index in (day, id)
-- order and testing each event. These indexes also carry the columns the
-- common filters test (actors, root code, quad class), so a rejected event
-- costs an index entry, not a seek into the table. Root-code and quad-class
-- filters walk their own index: the date index would be read to its end
-- when the code is rare or absent.
DROP INDEX events_day;
CREATE INDEX events_day ON events (day, id, src, tgt, cameo_root, quad_class);
CREATE INDEX events_root_day ON events (cameo_root, day, id, src, tgt);
CREATE INDEX events_quad_day ON events (quad_class, day, id, src, tgt);
