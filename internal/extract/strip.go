package extract

import "bytes"

// Two thirds of a news page's bytes are scripts, styles, inline SVG and
// comments, none of which is ever article text. Cutting them out of the
// bytes before parsing spares the tokenizer, and every later pass over the
// tree, that work. JSON-LD scripts are kept: they carry metadata and
// sometimes the article body itself.

// dropped are the elements cut out whole, start tag to end tag.
var dropped = [][]byte{[]byte("script"), []byte("style"), []byte("svg"), []byte("noscript")}

// voids are empty elements cut out as a start tag alone: images and the
// like, a tenth of what is left of a page. A <link> naming the canonical URL
// is kept.
var voids = [][]byte{[]byte("img"), []byte("source"), []byte("input"), []byte("link")}

// rawText elements hold text in which "<!--" is not a comment; they are
// copied as they are.
var rawText = [][]byte{[]byte("title"), []byte("textarea")}

// stripNoise returns b without comments, without the elements in dropped
// (JSON-LD scripts excepted) and without the tags in voids. It scans once, left to right, the way
// the tokenizer would, so a "<script" inside a comment or "<!--" inside a
// script is skipped with what holds it. An element left open runs to the
// end of the page, as the tokenizer would read it.
func stripNoise(b []byte) []byte {
	var out []byte // nil until something is cut
	last := 0      // b[last:i] is not yet copied
	keep := func(to int) {
		if out == nil {
			out = make([]byte, 0, len(b)) // one allocation however much is cut
		}
		out = append(out, b[last:to]...)
	}
	i := 0
	for i < len(b) {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		j += i
		rest := b[j+1:]
		if bytes.HasPrefix(rest, []byte("!--")) {
			end := commentEnd(b, j+4)
			keep(j)
			last, i = end, end
			continue
		}
		if name := tagName(rest, dropped); name != nil {
			startEnd := bytes.IndexByte(b[j:], '>')
			if startEnd < 0 {
				keep(j)
				last, i = len(b), len(b)
				break
			}
			startEnd += j + 1
			end := closeTag(b, startEnd, name)
			if string(name) == "script" && isJSONLD(b[j:startEnd]) {
				i = end
				continue
			}
			keep(j)
			last, i = end, end
			continue
		}
		if name := tagName(rest, voids); name != nil {
			gt := bytes.IndexByte(b[j:], '>')
			if gt < 0 {
				i = j + 1
				continue
			}
			end := j + gt + 1
			if string(name) == "link" && bytes.Contains(b[j:end], []byte("canonical")) {
				i = end
				continue
			}
			keep(j)
			last, i = end, end
			continue
		}
		if name := tagName(rest, rawText); name != nil {
			i = closeTag(b, j+1, name)
			continue
		}
		i = j + 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// commentEnd returns the index just past the comment whose body starts at
// from ("<!--" already read): past "-->", or len(b) when unterminated.
// "<!-->" and "<!--->" are whole (empty) comments, as in the tokenizer.
func commentEnd(b []byte, from int) int {
	if from < len(b) && b[from] == '>' {
		return from + 1
	}
	if from+1 < len(b) && b[from] == '-' && b[from+1] == '>' {
		return from + 2
	}
	k := bytes.Index(b[from:], []byte("-->"))
	if k < 0 {
		return len(b)
	}
	return from + k + 3
}

// tagName reports which of names rest (the bytes after '<') opens, in any
// case, followed by a byte that ends a tag name.
func tagName(rest []byte, names [][]byte) []byte {
	if len(rest) == 0 {
		return nil
	}
	c := rest[0] | 0x20 // ASCII lower case; most tags fail here
	for _, n := range names {
		if c == n[0] && len(rest) > len(n) && bytes.EqualFold(rest[:len(n)], n) && endsName(rest[len(n)]) {
			return n
		}
	}
	return nil
}

func endsName(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '>' || c == '/'
}

// closeTag returns the index just past the end tag "</name ...>" found at
// or after from, or len(b) when there is none.
func closeTag(b []byte, from int, name []byte) int {
	for from < len(b) {
		k := bytes.Index(b[from:], []byte("</"))
		if k < 0 {
			return len(b)
		}
		k += from
		rest := b[k+2:]
		if len(rest) > len(name) && bytes.EqualFold(rest[:len(name)], name) && endsName(rest[len(name)]) {
			gt := bytes.IndexByte(rest, '>')
			if gt < 0 {
				return len(b)
			}
			return k + 2 + gt + 1
		}
		from = k + 2
	}
	return len(b)
}

// isJSONLD reports whether a <script> start tag declares JSON-LD.
func isJSONLD(start []byte) bool {
	const want = "ld+json"
	for k := 0; k+len(want) <= len(start); k++ {
		if (start[k] == 'l' || start[k] == 'L') && bytes.EqualFold(start[k:k+len(want)], []byte(want)) {
			return true
		}
	}
	return false
}
