package dedup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

const story = `The foreign ministers of the two neighbouring states met on Tuesday in the border town of Kesra and agreed to reopen three crossings that have been closed since the floods of last spring, officials from both delegations said after a meeting that lasted more than five hours.
The agreement also sets up a joint commission on water rights, which will meet every three months and report to both parliaments, and it commits the two governments to share river gauge readings in real time during the rainy season.
Opposition leaders in both capitals criticised the deal as rushed, saying it had not been put before the relevant committees, while farmers' unions on each side of the border welcomed the reopening of the crossings before the harvest.
A spokesman for the regional development bank said it was ready to finance repairs to the bridges damaged by the floods once engineers from both sides have agreed on a survey.`

func TestNearDuplicateWireCopies(t *testing.T) {
	x := NewIndex()
	x.Add(Doc{ID: "wire", URL: "https://wire.example/story/1", Text: story})
	copies := map[string]string{
		"new headline":   "Neighbours agree to reopen border crossings\n\n" + story,
		"byline+trailer": "By Staff Reporter\n\n" + story + "\n\nReporting by A. Writer; editing by B. Editor",
		"rewrapped":      strings.ReplaceAll(story, "\n", " "),
		"one word":       strings.Replace(story, "Tuesday", "Wednesday", 1),
	}
	for name, text := range copies {
		m := x.Check(Doc{ID: name, Text: text})
		if m.Of != "wire" {
			t.Errorf("%s: not recognised as a copy of the wire story (%+v)", name, m)
		}
	}
	if m := x.Check(Doc{ID: "same", Text: story}); m.Reason != "same text" {
		t.Errorf("exact copy: %+v", m)
	}
	if m := x.Check(Doc{ID: "url", URL: "http://www.WIRE.example/story/1/?utm_source=x#top", Text: "other"}); m.Of != "wire" {
		t.Errorf("same URL with tracking parameters: %+v", m)
	}
	if m := x.Check(Doc{ID: "path-case", URL: "https://wire.example/Story/1", Text: "other"}); m.Of != "" {
		t.Errorf("a different path is a different page: %+v", m)
	}
	if m := x.Check(Doc{ID: "wire", Text: story}); m.Of != "" {
		t.Errorf("a document is not a copy of itself: %+v", m)
	}
}

func TestDifferentStoriesAreNotDuplicates(t *testing.T) {
	x := NewIndex()
	x.Add(Doc{ID: "a", Text: story})
	// same topic, same names, different reporting
	other := `Talks between the two neighbouring states on water rights broke down on Tuesday in Kesra after the delegations failed to agree on how river gauge readings should be shared, and the border crossings closed since last spring's floods will stay shut for now, officials said.
Both foreign ministers left the town without a joint statement. Farmers' unions on each side of the border said the harvest would suffer, and opposition leaders in both capitals called for the ministers to explain the failure to parliament.`
	if m := x.Check(Doc{ID: "b", Text: other}); m.Of != "" {
		t.Errorf("a different story on the same topic flagged as a copy: %+v", m)
	}
	if m := x.Check(Doc{ID: "short", Text: "The talks failed."}); m.Of != "" {
		t.Errorf("short text: %+v", m)
	}
}

// The BBC corpus holds genuine reprints (about a hundred exact copies and
// dozens of near-copies). Every pair MinHash joins must really share most of
// its shingles: exact Jaccard similarity is checked for each.
func TestBBCNearDuplicatesAreReal(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpora/bbc-news-2225/*/*.txt")
	if len(files) == 0 {
		t.Skip("../shared/corpora/bbc-news-2225 absent")
	}
	x := NewIndex()
	texts := map[string]string{}
	near, exact := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := Doc{ID: f, Text: string(b)}
		texts[f] = d.Text
		m := x.Check(d)
		if m.Of == "" {
			x.Add(d)
			continue
		}
		if m.Reason == "same text" {
			exact++
			continue
		}
		near++
		if j := jaccard(d.Text, texts[m.Of]); j < 0.6 {
			t.Errorf("%s ~ %s: %s but exact Jaccard only %.2f", f, m.Of, m.Reason, j)
		}
	}
	t.Logf("%d files: %d exact copies, %d near-duplicates", len(files), exact, near)
}

func jaccard(a, b string) float64 {
	set := func(s string) map[string]bool {
		w := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		m := map[string]bool{}
		for i := 2; i < len(w); i++ {
			m[w[i-2]+" "+w[i-1]+" "+w[i]] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	in := 0
	for k := range sa {
		if sb[k] {
			in++
		}
	}
	return float64(in) / float64(len(sa)+len(sb)-in)
}

func BenchmarkMinHash(b *testing.B) {
	b.SetBytes(int64(len(story)))
	for i := 0; i < b.N; i++ {
		MinHash(story)
	}
}
