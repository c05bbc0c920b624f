package extract

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// charsetScan is how far into a page a <meta charset> is looked for; the
// HTML standard says 1024 bytes, but real pages put it later.
const charsetScan = 64 << 10

var rxMetaCharset = regexp.MustCompile(`(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// toUTF8 returns b as UTF-8. A byte-order mark decides; else a page that is
// valid UTF-8 is taken as UTF-8 whatever it declares (mislabelled pages are
// common, and other encodings are rarely valid UTF-8 by chance); else the
// declared charset is used, else Windows-1252, the web's default. Bytes that
// still do not decode become U+FFFD.
func toUTF8(b []byte) []byte {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case utf8.Valid(b):
		return b
	default:
		enc = declared(b)
	}
	if enc == nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD"))
}

// declared returns the encoding the page's <meta> names, Windows-1252 when
// it names none the standard knows, and nil when it names UTF-8.
func declared(b []byte) encoding.Encoding {
	head := b[:min(len(b), charsetScan)]
	name := "windows-1252"
	if m := rxMetaCharset.FindSubmatch(head); m != nil {
		name = string(m[1])
	}
	enc, canon := charset.Lookup(name)
	if enc == nil {
		enc, canon = charset.Lookup("windows-1252")
	}
	// A UTF-16 label in an ASCII-compatible page is a mistake; so is
	// "replacement". Fall back to UTF-8 repair for both.
	if canon == "utf-8" || canon == "utf-16be" || canon == "utf-16le" || canon == "replacement" {
		return nil
	}
	return enc
}
