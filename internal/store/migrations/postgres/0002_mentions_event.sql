-- An event's mentions are read by its id (the event page, exports): without
-- this index each read scans every mention.
CREATE INDEX mentions_event ON mentions (event_id);
