// Package export writes dyad's stored events in the formats event-data users
// read: GDELT 2.0 Events and Mentions (tab-separated), PLOVER JSON Lines, CSV,
// GeoJSON and Parquet. Every writer streams (memory stays bounded whatever
// the number of events), checks each event and rejects a bad one with a
// one-line error without writing any of it, and gives byte-identical output
// for the same events.
//
// # GDELT 2.0 Events
//
// The 61 columns of the GDELT 2.0 Event codebook, in its order and formats,
// without a header unless Options.Header. Columns dyad fills differently from
// GDELT (GDELT.md in this directory holds the same notes as a table):
//
//   - GLOBALEVENTID is dyad's store id. SQLDATE, MonthYear, Year and
//     FractionDate come from the event's resolved date, else from DateAdded;
//     FractionDate uses GDELT's formula, year + (month×30 + day)/365.
//   - Actor codes are dyad's dictionary codes. The attribute columns come from
//     SplitActor: CountryCode may be a CAMEO region (WST, EUR); KnownGroupCode
//     is an organization's last tag (IGOUNOREFHCR → HCR); Religion1/2 are set
//     only when the code holds a religion code (IGOMOSOIC → MOS); EthnicCode is
//     always empty; Type codes include dyad's REL sector. Names are the
//     dictionary's display names in upper case.
//   - IsRootEvent is 1 for events in the first RootSentences sentences, as
//     dyad has no paragraphs (GDELT: the lead paragraph).
//   - EventCode, EventBaseCode and EventRootCode are strings with their
//     leading zeros ("0231", "023", "02"). QuadClass and GoldsteinScale come
//     from dyad's codebook (GDELT's weights); a missing quad class is derived
//     from the root.
//   - AvgTone is 0: dyad does not compute tone.
//   - Actor1Geo and Actor2Geo come from the actor's location where the text
//     gives one (internal/geo/DATA.md), else are empty with type 0; they
//     follow ActionGeo's rules. ActionGeo comes from the event's location: Type from its
//     precision (country 1, US state 2, US city 3, world city 4, world ADM1 5,
//     unknown 0); FullName is the place name only; CountryCode is the FIPS
//     10-4 code, empty when the gazetteer gave none; ADM1Code is FIPS + ADM1
//     (the FIPS code for a country); ADM2Code is always empty; FeatureID is
//     the FIPS code for a country and empty otherwise (GDELT: GNS/GNIS ids);
//     Lat and Long are empty when the location has no coordinates.
//   - DATEADDED is the exact UTC second of storing (GDELT: its 15-minute
//     batch). SOURCEURL falls back to the document id when there is no URL.
//   - Negated events are written like others: GDELT has no negation column,
//     so filter on Event.Negated first if they are unwanted.
//   - Text is made safe for tab-separated readers, quote-aware or not:
//     tabs, line breaks and control characters become spaces, double quotes
//     become single quotes (percent-encoded in URLs), invalid UTF-8 becomes
//     U+FFFD.
//
// # GDELT 2.0 Mentions
//
// The 16 Mentions columns. EventTimeDate is the event's DateAdded; MentionType
// is 1 (web) for http(s) identifiers and 2 (citation only) otherwise; the
// character offsets are rune offsets into dyad's cleaned text, -1 when absent;
// Confidence is dyad's rule confidence in percent; MentionDocTone is 0;
// MentionDocTranslationInfo and Extras are empty.
//
// # PLOVER
//
// One JSON object a line in the field names of the PLOVER specification's
// JSON data fields: id, date, source and recipient (lists of actor objects
// with code, sector, actor_text, identifier_text), event (a one-element
// list), mode, event_loc (geonames-style names), event_text, quad_code,
// event_scale (the Goldstein score), text, text_info, cite_info, coder,
// coded_date, coded_time; then dyad's fields: doc_id, cameo, cameo_root,
// cameo_name, goldstein, num_mentions, num_sources, num_articles, is_root,
// negated, confidence, rule. The specification names the target
// "recipient" and the category "event"; dyad assigns no context yet. Events
// whose CAMEO code has no PLOVER category are skipped and counted.
//
// # CSV, GeoJSON, Parquet
//
// CSV has the header CSVColumns and one record an event. GeoJSON is one
// FeatureCollection of Point features ([lon, lat]) for located events; the
// others are counted in Skipped and in the collection's "skipped" member.
// Parquet rows are ParquetRow, Snappy-compressed, in row groups of at most
// Options.RowGroupSize rows.
package export
