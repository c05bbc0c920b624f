package extract

import (
	nurl "net/url"
	"strings"
	"unicode"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// Trafilatura is right on most pages, and go-readability costs almost half
// as much again, so readability runs only when trafilatura's text looks
// wrong against the page's own paragraphs (the text of its <p> elements):
//
//   - too little: nothing, or under minText characters;
//   - a dump: one paragraph holds nearly all of it (trafilatura's last-resort
//     "take the whole body" rescue);
//   - too much: well beyond the page's paragraph text, which is what menus,
//     link lists and sign-up boxes pulled in look like;
//   - cut short: well under the page's paragraph text.
//
// Readability's text replaces trafilatura's only when it is the same article
// tighter (a shorter text most of which trafilatura also has) or the same
// article more complete (a longer text holding most of trafilatura's).
//
// The thresholds were set on the ScrapingHub benchmark, 181 pages, so they
// may fit it better than the web at large: there they run readability on 30
// pages, take its text on 11, and lift F1 from 0.965 to 0.972.
const (
	minText       = 250  // non-space characters
	dumpMin       = 2000 // a single paragraph this long, with
	dumpShare     = 0.9  // this share of the text, is a dump
	excessRatio   = 1.2  // text over this times the paragraph text is too much
	excessMinPara = 200  // ...when the page has at least this much paragraph text
	shortRatio    = 0.6  // text under this times the paragraph text is cut short
	tighterMin    = 0.5  // a tighter text keeps at least this share,
	tighterMax    = 0.9  // and drops at least a tenth
	fullerMin     = 1.5  // a more complete text is at least this much longer
	overlapMin    = 0.8  // share of the smaller text found in the larger
)

type alternative struct {
	paras         []string
	title, byline string
}

// fallback returns readability's article when it should replace paras
// (trafilatura's), else nil. It may change doc.
func fallback(doc *html.Node, base *nurl.URL, paras []string) *alternative {
	tr := textLen(paras)
	longest := 0
	for _, p := range paras {
		longest = max(longest, textLen([]string{p}))
	}
	pt := paraTextLen(doc, 0, false)
	tooLittle := tr < minText
	dump := longest >= dumpMin && float64(longest) >= dumpShare*float64(tr)
	excess := pt >= excessMinPara && float64(tr) > excessRatio*float64(pt)
	short := float64(tr) < shortRatio*float64(pt)
	if !tooLittle && !dump && !excess && !short {
		return nil
	}
	alt := readable(doc, base)
	if alt == nil {
		return nil
	}
	rd := textLen(alt.paras)
	switch {
	case tooLittle:
		if rd > tr {
			return alt
		}
	case dump || excess:
		ratio := float64(rd) / float64(tr)
		if (dump || ratio >= tighterMin) && ratio <= tighterMax && overlap(alt.paras, paras) >= overlapMin {
			return alt
		}
	case short:
		if float64(rd) >= fullerMin*float64(tr) && overlap(paras, alt.paras) >= overlapMin {
			return alt
		}
	}
	return nil
}

// readable runs go-readability over doc, which it changes.
func readable(doc *html.Node, base *nurl.URL) *alternative {
	ps := readability.NewParser()
	ps.DisableJSONLD = true // the metadata comes from elsewhere
	art, err := ps.ParseAndMutate(doc, base)
	if err != nil || art.Node == nil {
		return nil
	}
	paras := paragraphs(art.Node)
	if len(paras) == 0 {
		return nil
	}
	return &alternative{
		paras:  paras,
		title:  strings.Join(strings.Fields(art.Title()), " "),
		byline: strings.Join(strings.Fields(art.Byline()), " "),
	}
}

// textLen counts the non-space characters of paras.
func textLen(paras []string) int {
	n := 0
	for _, p := range paras {
		for _, r := range p {
			if !unicode.IsSpace(r) {
				n++
			}
		}
	}
	return n
}

// paraTextLen counts the non-space characters inside <p> elements.
func paraTextLen(n *html.Node, depth int, inP bool) int {
	if depth > maxDepth {
		return 0
	}
	switch n.Type {
	case html.TextNode:
		if !inP {
			return 0
		}
		c := 0
		for _, r := range n.Data {
			if !unicode.IsSpace(r) {
				c++
			}
		}
		return c
	case html.ElementNode:
		if skipTags[n.Data] {
			return 0
		}
		inP = inP || n.Data == "p"
	}
	t := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t += paraTextLen(c, depth+1, inP)
	}
	return t
}

// overlap returns the share of small's text (by length) whose paragraphs
// occur in large's text.
func overlap(small, large []string) float64 {
	all := strings.Join(large, " ")
	total, found := 0, 0
	for _, p := range small {
		n := textLen([]string{p})
		total += n
		if strings.Contains(all, p) {
			found += n
		}
	}
	if total == 0 {
		return 0
	}
	return float64(found) / float64(total)
}
