package feed

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
)

// toUTF8 returns the XML document b as UTF-8 without the control bytes XML
// forbids, so that byte offsets of the token pass are offsets in what gofeed
// reads. A declared non-UTF-8 encoding is decoded here and the declaration
// replaced.
func toUTF8(b []byte) ([]byte, error) {
	decoded := false
	if utf16BOM(b) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return nil, invalid("bad UTF-16 text")
		}
		b, decoded = out, true
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = dropControls(b)
	label, declEnd := declaredEncoding(b)
	if decoded || label == "" || isUTF8Label(label) {
		if decoded && declEnd > 0 {
			b = append([]byte(`<?xml version="1.0"?>`), b[declEnd:]...)
		}
	} else {
		enc, _ := charset.Lookup(label)
		if enc == nil {
			return nil, invalid("unsupported encoding %q", label)
		}
		out, err := enc.NewDecoder().Bytes(b[declEnd:])
		if err != nil {
			return nil, invalid("bad %s text", label)
		}
		b = append([]byte(`<?xml version="1.0"?>`), out...)
	}
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return b, nil
}

func isUTF8Label(l string) bool {
	l = strings.ToLower(l)
	return l == "utf-8" || l == "utf8"
}

// dropControls removes the C0 control bytes other than tab, CR and LF,
// copying only when there are any.
func dropControls(b []byte) []byte {
	bad := func(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }
	i := 0
	for i < len(b) && !bad(b[i]) {
		i++
	}
	if i == len(b) {
		return b
	}
	out := append(make([]byte, 0, len(b)), b[:i]...)
	for _, c := range b[i:] {
		if !bad(c) {
			out = append(out, c)
		}
	}
	return out
}

// declaredEncoding returns the encoding named by an XML declaration at the
// start of b and the offset just past the declaration.
func declaredEncoding(b []byte) (label string, end int) {
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return "", 0
	}
	i := bytes.Index(b[:min(len(b), 1024)], []byte("?>"))
	if i < 0 {
		return "", 0
	}
	decl := string(b[5:i])
	end = i + 2
	j := strings.Index(decl, "encoding")
	if j < 0 {
		return "", end
	}
	rest := strings.TrimLeft(decl[j+len("encoding"):], " \t\r\n")
	rest, ok := strings.CutPrefix(rest, "=")
	if !ok {
		return "", end
	}
	rest = strings.TrimLeft(rest, " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return "", end
	}
	v, _, ok := strings.Cut(rest[1:], rest[:1])
	if !ok {
		return "", end
	}
	return strings.TrimSpace(v), end
}

// newDecoder configures encoding/xml as gofeed does; documents reach it as
// UTF-8 already, so any declared encoding is read as is.
func newDecoder(doc []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return d
}

// rootName returns the lower-cased local name of the root element, which
// must be rss, rdf (RSS 1.0) or feed (Atom).
func rootName(doc []byte) (string, error) {
	d := newDecoder(doc)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return "", invalid("no root element")
		}
		if err != nil {
			return "", invalid("%s", oneLine(err.Error()))
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch n := strings.ToLower(se.Name.Local); n {
			case "rss", "rdf", "feed":
				return n, nil
			default:
				return "", invalid("root element <%s> is not rss, rdf:RDF or feed", se.Name.Local)
			}
		}
	}
}

// cut says where to end a document so that gofeed sees at most MaxItems
// items and maxElements elements.
type cut struct {
	root    string // rss, rdf or feed
	at      int    // byte offset to cut at; -1 for no cut
	closing []byte // end tags of the elements open at the cut
	dropped int    // items at or after the cut
}

// scan makes one token pass over doc: it checks the root element and the
// nesting depth and finds where to cut.
func scan(doc []byte) (cut, error) {
	c := cut{at: -1}
	d := newDecoder(doc)
	var stack []xml.Name
	depth := 0 // len(stack) before the cut; counted alone after it
	items, elems := 0, 0
	itemAt, itemDepth := -1, 0 // the item being read
	cutAt := func(at int, open []xml.Name) {
		c.at = at
		for i := len(open) - 1; i >= 0; i-- {
			c.closing = append(c.closing, "</"...)
			if open[i].Space != "" {
				c.closing = append(c.closing, open[i].Space+":"...)
			}
			c.closing = append(c.closing, open[i].Local+">"...)
		}
	}
	for {
		off := int(d.InputOffset())
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if c.at >= 0 {
				break // the damage lies past the cut
			}
			return c, invalid("%s", oneLine(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if c.root != "" {
					return c, nil // content after the root element is ignored
				}
				c.root = strings.ToLower(t.Name.Local)
				if c.root != "rss" && c.root != "rdf" && c.root != "feed" {
					return c, invalid("root element <%s> is not rss, rdf:RDF or feed", t.Name.Local)
				}
			}
			depth++
			if c.at >= 0 {
				if depth <= 3 && isItem(c.root, t.Name.Local, depth, "channel") {
					c.dropped++
				}
				continue
			}
			stack = append(stack, t.Name)
			if depth > maxDepth {
				return c, invalid("elements nested deeper than %d", maxDepth)
			}
			elems++
			parent := ""
			if depth >= 2 {
				parent = strings.ToLower(stack[depth-2].Local)
			}
			switch {
			case isItem(c.root, t.Name.Local, depth, parent):
				items++
				if items > MaxItems {
					cutAt(off, stack[:depth-1])
					c.dropped++
				} else {
					itemAt, itemDepth = off, depth
				}
			case elems > maxElements && itemDepth > 0:
				cutAt(itemAt, stack[:itemDepth-1])
				c.dropped++
			case elems > maxElements:
				cutAt(off, stack[:depth-1])
			}
		case xml.EndElement:
			if depth == 0 {
				continue
			}
			if c.at >= 0 {
				depth--
			} else {
				// Non-strict XML may close out of order: pop to the match.
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i].Local == t.Name.Local {
						stack = stack[:i]
						break
					}
				}
				depth = len(stack)
				if depth < itemDepth {
					itemDepth = 0
				}
			}
			if depth == 0 {
				return c, nil
			}
		}
	}
	if c.root == "" {
		return c, invalid("no root element")
	}
	return c, nil
}

// isItem reports whether an element is one of the feed's items: RSS items
// under the channel or (RSS 0.90/1.0) the root, Atom entries under the root.
func isItem(root, local string, depth int, parent string) bool {
	switch strings.ToLower(local) {
	case "item":
		return (root == "rss" || root == "rdf") && (depth == 2 || (depth == 3 && parent == "channel"))
	case "entry":
		return root == "feed" && depth == 2
	}
	return false
}
