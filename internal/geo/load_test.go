package geo

import (
	"bufio"
	"math"
	"os"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	g := Default()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	st := g.Stats()
	t.Logf("loaded %d countries, %d divisions, %d second-level divisions, %d places, %d names in %v",
		st.Countries, st.Admins, st.Admins2, st.Places, st.Names, g.LoadTime())
	if st.Countries < 240 || st.Admins < 3000 || st.Places < 25000 {
		t.Errorf("gazetteer too small: %+v", st)
	}
}

// TestDataValid checks what loading leaves for later: every place's
// coordinates parse and lie on the globe, and every country has a centre.
func TestDataValid(t *testing.T) {
	g := Default()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	for _, p := range g.places {
		lat, err1 := parseCoord(p.lat, 90)
		lon, err2 := parseCoord(p.lon, 180)
		if err1 || err2 {
			t.Errorf("place %s: bad coordinates %q %q", p.Name, p.lat, p.lon)
		}
		if p.Pop < 15000 && p.Feature != "PPLC" && p.Feature != "PPLA" && !p.News {
			t.Errorf("place %s (%d people, %s) should not be kept", p.Name, p.Pop, p.Feature)
		}
		_ = lat + lon
	}
	for _, c := range g.countries {
		if c.Pop > 0 && c.Lat == 0 && c.Lon == 0 {
			t.Errorf("country %s has places but no centre", c.ISO3)
		}
	}
}

func parseCoord(s string, lim float64) (float64, bool) {
	p := Place{lat: s}
	v, _ := p.Coords()
	bad := s == "" || math.Abs(v) > lim || v == 0 && strings.Trim(s, "0.-") != ""
	return v, bad
}

// TestDictionaryConsistent: the gazetteer knows every current country of
// dyad's dictionary, and the dictionary's names and adjectives as that
// country (else gen/gen.go must be run again after a dictionary change).
func TestDictionaryConsistent(t *testing.T) {
	g := Default()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../dict/data/countries.tsv")
	if err != nil {
		t.Skip("dyad's dictionary not found: ", err)
	}
	defer f.Close()
	former := map[string]bool{"SUN": true, "YUG": true, "CSK": true, "DDR": true}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		c := strings.Split(line, "\t")
		if former[c[0]] {
			continue
		}
		ci, ok := g.byISO3[c[0]]
		if !ok {
			t.Errorf("country %s of the dictionary is not in data/countries.tsv", c[0])
			continue
		}
		for col, kind := range map[int]refKind{1: refCountry, 2: refAdj} {
			if col >= len(c) {
				continue
			}
			for _, n := range strings.Split(c[col], "|") {
				if n = strings.TrimSpace(n); n == "" {
					continue
				}
				refs, _ := g.lookup(Fold(n))
				found := false
				for _, r := range refs {
					found = found || r.kind == kind && r.idx == ci
				}
				if !found {
					t.Errorf("%s %q is not indexed as %s: run gen/gen.go again (see DATA.md)", c[0], n, map[refKind]string{refCountry: "its name", refAdj: "its adjective"}[kind])
				}
			}
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		g := &Gazetteer{}
		if err := g.Err(); err != nil {
			b.Fatal(err)
		}
	}
}
