package geo

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Córdoba":          "cordoba",
		"St. Louis":        "saint louis",
		"Saint-Louis":      "saint louis",
		"Sana'a":           "sanaa",
		"Ta‘izz":           "taizz",
		"U.S.":             "us",
		"Kraków":           "krakow",
		"Łódź":             "lodz",
		"Ho Chi Minh City": "ho chi minh city",
		"  Dar es  Salaam": "dar es salaam",
		"":                 "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScanOffsets(t *testing.T) {
	text := "Xinjiang’s capital, Ürümqi, and Moscow-based U.S. firms.\nNext paragraph in St. Louis."
	toks := scan(text)
	runes := []rune(text)
	var words []string
	for _, tk := range toks {
		if got := string(runes[tk.rs:tk.re]); got != text[tk.s:tk.e] {
			t.Errorf("token %q: runes give %q", text[tk.s:tk.e], got)
		}
		if tk.p == 0 {
			words = append(words, tk.key)
		}
	}
	want := "xinjiang capital urumqi and moscow based us firms next paragraph in saint louis"
	if got := strings.Join(words, " "); got != want {
		t.Errorf("words %q, want %q", got, want)
	}
	if !toks[0].poss {
		t.Error("Xinjiang’s: possessive not marked")
	}
	last := toks[len(toks)-2]
	if last.para != 1 || last.key != "louis" {
		t.Errorf("last word %+v: want louis in paragraph 1", last)
	}
}

// resolveName resolves a sentence as a document of its own and returns the
// location of the first mention whose text is name.
func resolveName(t *testing.T, g *Gazetteer, sentence, name string) (model.Location, bool) {
	t.Helper()
	ms, err := g.Mentions(model.Document{Text: sentence}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		// the name, or a longer name that starts with it ("Niger State")
		if (m.Location.Text == name || strings.HasPrefix(m.Location.Text, name+" ")) && m.Use != UseEvidence {
			return m.Location, true
		}
	}
	return model.Location{}, false
}

// TestAmbiguousPlaces resolves the project's own test set of sentences with
// ambiguous names and asserts at least 90% come out as a reader would.
func TestAmbiguousPlaces(t *testing.T) {
	right, total := scoreFile(t, "testdata/ambiguous.tsv")
	acc := float64(right) / float64(total)
	t.Logf("ambiguous places: %d of %d resolved as expected (%.1f%%)", right, total, 100*acc)
	if total < 100 {
		t.Errorf("test set has %d sentences, want at least 100", total)
	}
	if acc < 0.90 {
		t.Errorf("accuracy %.3f, want at least 0.90", acc)
	}
}

// TestHeldOutPlaces scores the second set, which was kept out of tuning.
func TestHeldOutPlaces(t *testing.T) {
	right, total := scoreFile(t, "testdata/heldout.tsv")
	acc := float64(right) / float64(total)
	t.Logf("held-out places: %d of %d resolved as expected (%.1f%%)", right, total, 100*acc)
	if acc < 0.85 {
		t.Errorf("held-out accuracy %.3f, want at least 0.85", acc)
	}
}

func scoreFile(t *testing.T, path string) (right, total int) {
	t.Helper()
	g := Default()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 4 {
			t.Fatalf("%s:%d: %d columns, want 4", path, n, len(c))
		}
		total++
		l, ok := resolveName(t, g, c[0], c[1])
		switch {
		case !ok:
			t.Logf("MISS  %s:%d: %q not found in %q", path, n, c[1], c[0])
		case l.Country != c[2] || c[3] != "" && l.ADM1 != c[3]:
			t.Logf("WRONG %s:%d: %q → %s [%s %s], want %s %s", path, n, c[1], l.Name, l.Country, l.ADM1, c[2], c[3])
		default:
			right++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Fatalf("%s: no sentences", path)
	}
	return right, total
}
