package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// text takes a JSON string or number (feeds do write numeric ids) and
// ignores other types rather than failing the item.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*t = text(b)
	}
	return nil
}

// skip consumes any JSON value without building it.
type skip struct{}

func (*skip) UnmarshalJSON([]byte) error { return nil }

type person struct {
	Name text `json:"name"`
}

// people keeps the first named person of a JSON Feed "authors" array
// without building the rest.
type people struct{ first string }

func (p *people) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil
	}
	for dec.More() {
		if p.first != "" {
			if err := dec.Decode(&skip{}); err != nil {
				return err
			}
			continue
		}
		var one person
		if err := dec.Decode(&one); err != nil && !isTypeError(err) {
			return err
		}
		p.first = clean(string(one.Name))
	}
	return nil
}

type jsonItem struct {
	ID            text   `json:"id"`
	URL           text   `json:"url"`
	ExternalURL   text   `json:"external_url"`
	Title         text   `json:"title"`
	ContentHTML   text   `json:"content_html"`
	ContentText   text   `json:"content_text"`
	Summary       text   `json:"summary"`
	DatePublished text   `json:"date_published"`
	DateModified  text   `json:"date_modified"`
	Author        person `json:"author"`
	Authors       people `json:"authors"`
}

func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// parseJSON decodes a JSON Feed (version 1.0 or 1.1) item by item.
func parseJSON(b []byte, feedURL string) (*Feed, error) {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	bad := func(err error) error { return invalid("malformed JSON: %s", oneLine(err.Error())) }
	if tok, err := dec.Token(); err != nil {
		return nil, bad(err)
	} else if tok != json.Delim('{') {
		return nil, invalid("JSON is not an object")
	}
	var (
		version, title, home text
		author               person
		authors              people
		items                []jsonItem
		dropped              int
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad(err)
		}
		var dst any
		switch tok {
		case "version":
			dst = &version
		case "title":
			dst = &title
		case "home_page_url":
			dst = &home
		case "author":
			dst = &author
		case "authors":
			dst = &authors
		case "items":
			if items, dropped, err = jsonItems(dec); err != nil {
				return nil, err
			}
			continue
		default:
			dst = &skip{}
		}
		if err := dec.Decode(dst); err != nil && !isTypeError(err) {
			return nil, bad(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, bad(err)
	}
	if !strings.Contains(string(version), "jsonfeed.org/version/") {
		return nil, invalid("JSON without a jsonfeed.org version is not a JSON Feed")
	}

	base := baseURL(feedURL, string(home))
	feedAuthor := authors.first
	if feedAuthor == "" {
		feedAuthor = clean(string(author.Name))
	}
	f := &Feed{Title: clean(string(title)), Link: resolve(base, string(home)), Items: make([]Item, 0, len(items)), Dropped: dropped}
	for _, ji := range items {
		it := Item{
			Title:     plainText(string(ji.Title)),
			Link:      resolve(base, firstOf(ji.URL, ji.ExternalURL)),
			Author:    firstOf(text(ji.Authors.first), text(clean(string(ji.Author.Name))), text(feedAuthor)),
			HTML:      firstOf(ji.ContentHTML, ji.ContentText, ji.Summary),
			Published: dateOnly(firstOf(ji.DatePublished, ji.DateModified)),
		}
		it.ID = itemID(strings.TrimSpace(string(ji.ID)), it)
		f.Items = append(f.Items, it)
	}
	return f, nil
}

// jsonItems decodes the "items" array up to MaxItems and counts the rest.
func jsonItems(dec *json.Decoder) ([]jsonItem, int, error) {
	bad := func(err error) error { return invalid("malformed JSON: %s", oneLine(err.Error())) }
	tok, err := dec.Token()
	if err != nil {
		return nil, 0, bad(err)
	}
	if tok == nil {
		return nil, 0, nil
	}
	if tok != json.Delim('[') {
		return nil, 0, invalid("JSON Feed items is not an array")
	}
	var items []jsonItem
	dropped := 0
	for dec.More() {
		if len(items) >= MaxItems {
			if err := dec.Decode(&skip{}); err != nil {
				return nil, 0, bad(err)
			}
			dropped++
			continue
		}
		var ji jsonItem
		if err := dec.Decode(&ji); err != nil {
			if isTypeError(err) {
				continue // not an object: not an item
			}
			return nil, 0, bad(err)
		}
		items = append(items, ji)
	}
	if _, err := dec.Token(); err != nil {
		return nil, 0, bad(err)
	}
	return items, dropped, nil
}

func firstOf(vs ...text) string {
	for _, v := range vs {
		if s := strings.TrimSpace(string(v)); s != "" {
			return s
		}
	}
	return ""
}

// dateOnly turns an RFC 3339 date-time (JSON Feed's format) into its date.
func dateOnly(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format(time.DateOnly)
	}
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return ""
}
