package export

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestSplitActor(t *testing.T) {
	cases := []struct {
		code string
		want ActorCodes
	}{
		{"CHNGOV", ActorCodes{Country: "CHN", Types: [3]string{"GOV"}}},
		{"USAMIL", ActorCodes{Country: "USA", Types: [3]string{"MIL"}}},
		{"RUSGOVMIL", ActorCodes{Country: "RUS", Types: [3]string{"GOV", "MIL"}}},
		{"USA", ActorCodes{Country: "USA"}},
		{"IGOUNO", ActorCodes{KnownGroup: "UNO", Types: [3]string{"IGO"}}},
		{"IGOEUREEC", ActorCodes{Country: "EUR", KnownGroup: "EEC", Types: [3]string{"IGO"}}},
		{"IGOWSTNATMIL", ActorCodes{Country: "WST", KnownGroup: "NAT", Types: [3]string{"IGO", "MIL"}}},
		{"IGOUNOREFHCR", ActorCodes{KnownGroup: "HCR", Types: [3]string{"IGO", "REF"}}},
		{"NGOHRIAMN", ActorCodes{KnownGroup: "AMN", Types: [3]string{"NGO", "HRI"}}},
		{"IGOMOSDEVIDB", ActorCodes{KnownGroup: "IDB", Religion1: "MOS", Types: [3]string{"IGO", "DEV"}}},
		// IRN after a sector is IRENA's tag, not Iran.
		{"IGOENVIRN", ActorCodes{KnownGroup: "IRN", Types: [3]string{"IGO", "ENV"}}},
		// AND after a region is the Andean Community, not Andorra.
		{"IGOSAMAND", ActorCodes{Country: "SAM", KnownGroup: "AND", Types: [3]string{"IGO"}}},
		{"MNCUSA", ActorCodes{Country: "USA", Types: [3]string{"MNC"}}},
		{"IMGREB", ActorCodes{Types: [3]string{"IMG", "REB"}}},
		{"WST", ActorCodes{Country: "WST"}},
		{"SUNGOV", ActorCodes{Country: "SUN", Types: [3]string{"GOV"}}}, // Soviet Union, not Sunni
		{"PSEREBHMS", ActorCodes{Country: "PSE", KnownGroup: "HMS", Types: [3]string{"REB"}}},
		{"GOV", ActorCodes{Types: [3]string{"GOV"}}},
		{"---GOV", ActorCodes{Types: [3]string{"GOV"}}},
		{"USAGOVMILCOPJUD", ActorCodes{Country: "USA", Types: [3]string{"GOV", "MIL", "COP"}}}, // at most three types
		{"CHNGOVX", ActorCodes{Country: "CHN", Types: [3]string{"GOV"}}},                       // trailing fragment ignored
		{"chngov", ActorCodes{}},
		{"", ActorCodes{}},
	}
	for _, c := range cases {
		if got := SplitActor(c.code); got != c.want {
			t.Errorf("SplitActor(%q) = %+v, want %+v", c.code, got, c.want)
		}
	}
}

// TestCountriesMatchDict keeps the country list in step with the actor
// dictionary, so every country dyad can code splits as a country.
func TestCountriesMatchDict(t *testing.T) {
	f, err := os.Open("../dict/data/countries.tsv")
	if err != nil {
		t.Skipf("actor dictionary not readable: %v", err)
	}
	defer f.Close()
	seen := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, _, _ := strings.Cut(line, "\t")
		seen++
		if !countries.has(code) {
			t.Errorf("country %s of countries.tsv is missing from the export's list", code)
		}
		if got := SplitActor(code + "GOV"); got.Country != code {
			t.Errorf("SplitActor(%sGOV).Country = %q", code, got.Country)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if seen < 200 {
		t.Fatalf("only %d countries read", seen)
	}
}

// TestSplitDictCodes: every organization code in dyad's dictionary splits
// into parts that reassemble the code, with no part lost.
func TestSplitDictCodes(t *testing.T) {
	f, err := os.Open("../dict/data/orgs.tsv")
	if err != nil {
		t.Skipf("actor dictionary not readable: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, _, _ := strings.Cut(line, "\t")
		if len(code)%3 != 0 || len(code) > 12 {
			continue
		}
		n++
		a := SplitActor(code)
		parts := 0
		for _, p := range []string{a.Country, a.KnownGroup, a.Religion1, a.Religion2, a.Types[0], a.Types[1], a.Types[2]} {
			if p != "" {
				parts++
				if !strings.Contains(code, p) {
					t.Errorf("%s: part %s not in code", code, p)
				}
			}
		}
		// Every part lands somewhere, except an organization's scope (UNO in IGOUNOKID) that a later tag replaces.
		if missing := len(code)/3 - parts; missing < 0 || missing > 1 {
			t.Errorf("%s split into %+v", code, a)
		}
	}
	if n == 0 {
		t.Fatal("no organization codes read")
	}
}
