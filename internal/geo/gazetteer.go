// Package geo places events: it finds the places a news story names, resolves
// each to a country, first-level division or populated place of an embedded
// GeoNames gazetteer, and gives every event the place where the text says it
// happened, with how precise that place is and why it was chosen.
//
// The gazetteer (data/, built by gen/gen.go; see DATA.md) loads once, on
// first use, so a run that never places an event never pays for it.
package geo

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed data
var dataFS embed.FS

// Country is one country or territory.
type Country struct {
	ISO2, ISO3, FIPS, Name string
	Lat, Lon               float64
	Pop                    int64
	capital                int32 // index of its PPLC place, -1 if none
}

// Admin is a first-level division (GeoNames admin1) or, in admins2, a
// second-level one (admin2: an English county, a US county, a district).
type Admin struct {
	Country  int32  // index into Countries
	Parent   int32  // a second-level division's first-level one; -1 for a first-level one
	Code     string // GeoNames admin code: "13", "GA", "ENG"; "I9" for Norfolk
	Name     string
	Lat, Lon float64
	Pop      int64 // the populations of its places, added up
	News     bool  // named in dyad's dictionaries
}

// Place is a populated place.
type Place struct {
	Name     string
	Country  int32
	Admin    int32 // -1 when its division is unknown
	Feature  string
	lat, lon string // parsed when the place is reported: most never are
	Pop      int64
	News     bool
}

// Coords returns the place's latitude and longitude.
func (p *Place) Coords() (lat, lon float64) {
	lat, _ = strconv.ParseFloat(p.lat, 64)
	lon, _ = strconv.ParseFloat(p.lon, 64)
	return lat, lon
}

// refKind is what a name refers to.
type refKind uint8

const (
	refCountry refKind = iota // a country's name
	refAdmin                  // a first-level division
	refAdmin2                 // a second-level division
	refPlace                  // a populated place
	refAdj                    // a country's adjective or demonym: evidence only
	refSeat                   // a seat of government ("the Kremlin"): the capital, as a metonym
	refArea                   // a place dyad's dictionary puts in a country that the gazetteer lacks
	refPerson                 // a person or party of a country: evidence only
	refRegion                 // a region ("Africa", "the West"): no place, and it hides towns of that name
)

type ref struct {
	kind refKind
	idx  int32 // country, admin or place index
}

// Gazetteer is the compiled place data. It is safe for concurrent use.
type Gazetteer struct {
	once sync.Once
	err  error
	load time.Duration

	countries []Country
	admins    []Admin
	admins2   []Admin
	places    []Place
	byISO3    map[string]int32
	byISO2    map[string]int32
	adminKey  map[string]int32 // "CN.13"

	// names maps a folded name (see Fold) to what it may mean. A value holds
	// in its low 32 bits an index into singles (one meaning) or, with the top
	// bit set, into multi; bits 32-39 give the most words of any name that
	// starts with this key's word, so matching knows how far to look.
	names   map[string]uint64
	singles []ref
	multi   [][]ref
	cue     map[string]bool // names read as places only with a cue
	scratch []byte          // for building keys while loading
}

const (
	noRef    = uint32(1<<31 - 1)
	multiBit = uint32(1 << 31)
)

// lookup returns what a folded name may mean and the most words of a name
// starting with its (first) word.
func (g *Gazetteer) lookup(key string) ([]ref, int) {
	v, ok := g.names[key]
	if !ok {
		return nil, 0
	}
	words := max(int(v>>32&0xff), 1)
	switch lo := uint32(v); {
	case lo == noRef:
		return nil, words
	case lo&multiBit != 0:
		return g.multi[lo&^multiBit], words
	default:
		return g.singles[lo : lo+1], words
	}
}

var def = &Gazetteer{}

// Default returns the embedded gazetteer. Nothing is read until it is first
// used; Err reports whether that reading failed.
func Default() *Gazetteer { return def }

// Err loads the gazetteer if needed and reports why it could not be loaded.
func (g *Gazetteer) Err() error {
	g.ensure()
	return g.err
}

// LoadTime is how long loading took (0 before the first use).
func (g *Gazetteer) LoadTime() time.Duration {
	g.ensure()
	return g.load
}

func (g *Gazetteer) ensure() {
	g.once.Do(func() {
		t0 := time.Now()
		g.err = g.read()
		g.load = time.Since(t0)
	})
}

// Stats counts the gazetteer's entries.
type Stats struct {
	Countries, Admins, Admins2, Places, Names int
}

// Stats loads the gazetteer if needed and counts its entries.
func (g *Gazetteer) Stats() Stats {
	g.ensure()
	return Stats{len(g.countries), len(g.admins), len(g.admins2), len(g.places), len(g.names)}
}

func (g *Gazetteer) read() error {
	const cfile, gfile = "data/countries.tsv", "data/gazetteer.tsv.gz"
	cb, err := dataFS.ReadFile(cfile)
	if err != nil {
		return fmt.Errorf("geo: %s: %v", cfile, err)
	}
	gb, err := dataFS.ReadFile(gfile)
	if err != nil {
		return fmt.Errorf("geo: %s: %v", gfile, err)
	}
	g.byISO3 = map[string]int32{}
	g.byISO2 = map[string]int32{}
	g.adminKey = map[string]int32{}
	g.cue = map[string]bool{}
	if _, err := eachRow(string(cb), cfile, 1, g.countryRow); err != nil {
		return err
	}
	// Decompression runs beside parsing: chunks of whole lines are parsed
	// as they come, which halves the load time on two cores.
	chunks, size, done := inflate(gb)
	g.names = make(map[string]uint64, size/24)
	g.singles = make([]ref, 0, size/30)
	g.places = make([]Place, 0, size/80)
	line := 1
	var perr error
	for c := range chunks {
		if perr == nil {
			line, perr = eachRow(c, gfile, line, g.row)
		}
	}
	if err := done(); err != nil {
		return fmt.Errorf("geo: %s: %v", gfile, err)
	}
	if perr != nil {
		return perr
	}
	for i := range g.countries {
		g.countries[i].capital = -1
	}
	for i, p := range g.places {
		if p.Feature == "PPLC" {
			c := &g.countries[p.Country]
			if c.capital < 0 || g.places[c.capital].Pop < p.Pop {
				c.capital = int32(i)
			}
		}
	}
	return nil
}

// eachRow calls fn with the tab-separated fields of each line of data that
// is not a comment; line numbers start at first, and the next one is
// returned. An error names the file and line. The fields are substrings of
// data, so the index shares its one copy of the text.
func eachRow(data, name string, first int, fn func([]string) error) (int, error) {
	var cols []string
	n := first
	for ; data != ""; n++ {
		line := data
		if k := strings.IndexByte(data, '\n'); k >= 0 {
			line, data = data[:k], data[k+1:]
		} else {
			data = ""
		}
		if line == "" || line[0] == '#' {
			continue
		}
		cols = splitTabs(cols[:0], line)
		if err := fn(cols); err != nil {
			return n, fmt.Errorf("geo: %s:%d: %v", name, n, err)
		}
	}
	return n, nil
}

// maxData bounds the decompressed gazetteer.
const maxData = 64 << 20

// inflate decompresses gzip data on another goroutine and sends it in
// chunks that end at a line's end. size is the expected size (gzip's
// trailer); done waits for the end and reports a read error.
func inflate(gz []byte) (chunks <-chan string, size int, done func() error) {
	size = 1 << 20
	if n := len(gz); n >= 4 {
		size = int(uint32(gz[n-4]) | uint32(gz[n-3])<<8 | uint32(gz[n-2])<<16 | uint32(gz[n-1])<<24)
	}
	size = min(max(size, 1), maxData)
	ch := make(chan string, 16)
	errc := make(chan error, 1)
	go func() {
		defer close(ch)
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			errc <- err
			return
		}
		buf := make([]byte, 0, size+1)
		sent := 0
		for {
			if len(buf) == cap(buf) {
				if len(buf) >= maxData {
					errc <- fmt.Errorf("more than %d MiB once decompressed", maxData>>20)
					return
				}
				buf = append(buf, 0)[:len(buf)] // grow: the trailer understated the size
			}
			n, err := zr.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if k := bytes.LastIndexByte(buf[sent:], '\n'); k >= 0 {
				ch <- string(buf[sent : sent+k+1])
				sent += k + 1
			}
			if err == io.EOF {
				if sent < len(buf) {
					ch <- string(buf[sent:])
				}
				errc <- nil
				return
			}
			if err != nil {
				errc <- err
				return
			}
		}
	}()
	return ch, size, func() error { return <-errc }
}

func splitTabs(out []string, s string) []string {
	for {
		k := strings.IndexByte(s, '\t')
		if k < 0 {
			return append(out, s)
		}
		out = append(out, s[:k])
		s = s[k+1:]
	}
}

func (g *Gazetteer) countryRow(c []string) error {
	if len(c) != 4 || len(c[0]) != 2 || len(c[1]) != 3 {
		return fmt.Errorf("want iso2, iso3, fips and name, got %q", strings.Join(c, "\t"))
	}
	i := int32(len(g.countries))
	g.countries = append(g.countries, Country{ISO2: c[0], ISO3: c[1], FIPS: c[2], Name: c[3]})
	g.byISO2[c[0]] = i
	g.byISO3[c[1]] = i
	return nil
}

func (g *Gazetteer) row(c []string) error {
	switch c[0] {
	case "C":
		if len(c) != 5 {
			return fmt.Errorf("country row has %d fields, want 5", len(c))
		}
		i, ok := g.byISO2[c[1]]
		if !ok {
			return fmt.Errorf("unknown country %q", c[1])
		}
		lat, lon, err := latLon(c[2], c[3])
		if err != nil {
			return err
		}
		pop, err := strconv.ParseInt(c[4], 10, 64)
		if err != nil {
			return fmt.Errorf("bad population %q", c[4])
		}
		cc := &g.countries[i]
		cc.Lat, cc.Lon, cc.Pop = lat, lon, pop
	case "A":
		if len(c) != 8 {
			return fmt.Errorf("division row has %d fields, want 8", len(c))
		}
		ci, ok := g.byISO2[c[1]]
		if !ok {
			return fmt.Errorf("unknown country %q", c[1])
		}
		lat, lon, err := latLon(c[4], c[5])
		if err != nil {
			return err
		}
		pop, err := strconv.ParseInt(c[6], 10, 64)
		if err != nil {
			return fmt.Errorf("bad population %q", c[6])
		}
		i := int32(len(g.admins))
		g.admins = append(g.admins, Admin{Country: ci, Parent: -1, Code: c[2], Name: c[3], Lat: lat, Lon: lon, Pop: pop})
		g.adminKey[c[1]+"."+c[2]] = i
		g.addAlts(c[7], ref{refAdmin, i})
	case "B":
		if len(c) != 9 {
			return fmt.Errorf("second-level division row has %d fields, want 9", len(c))
		}
		parent, ok := g.adminKey[c[1]+"."+c[2]]
		if !ok {
			return fmt.Errorf("unknown division %s.%s", c[1], c[2])
		}
		lat, lon, err := latLon(c[5], c[6])
		if err != nil {
			return err
		}
		pop, err := strconv.ParseInt(c[7], 10, 64)
		if err != nil {
			return fmt.Errorf("bad population %q", c[7])
		}
		i := int32(len(g.admins2))
		g.admins2 = append(g.admins2, Admin{Country: g.admins[parent].Country, Parent: parent, Code: c[3], Name: c[4], Lat: lat, Lon: lon, Pop: pop})
		g.addAlts(c[8], ref{refAdmin2, i})
	case "P":
		if len(c) != 10 {
			return fmt.Errorf("place row has %d fields, want 10", len(c))
		}
		ci, ok := g.byISO2[c[2]]
		if !ok {
			return fmt.Errorf("unknown country %q", c[2])
		}
		pop, ok := atoi(c[7])
		if !ok {
			return fmt.Errorf("bad population %q", c[7])
		}
		g.scratch = append(append(append(g.scratch[:0], c[2]...), '.'), c[3]...)
		ai, ok := g.adminKey[string(g.scratch)]
		if !ok {
			ai = -1
		}
		i := int32(len(g.places))
		g.places = append(g.places, Place{Name: c[1], Country: ci, Admin: ai, Feature: c[4], lat: c[5], lon: c[6], Pop: pop, News: strings.Contains(c[8], "n")})
		g.addAlts(c[9], ref{refPlace, i})
	case "L":
		if len(c) != 4 || len(c[3]) != 1 {
			return fmt.Errorf("dictionary row wants phrase, iso3 and kind")
		}
		if c[3] == "r" {
			g.add(c[1], ref{refRegion, -1})
			return nil
		}
		ci, ok := g.byISO3[c[2]]
		if !ok {
			return nil // a code the gazetteer has no country for
		}
		k, ok := lexKinds[c[3][0]]
		if !ok {
			return fmt.Errorf("unknown dictionary kind %q", c[3])
		}
		g.add(c[1], ref{k, ci})
	case "W":
		if len(c) != 3 {
			return fmt.Errorf("cue row wants key and reason")
		}
		g.cue[c[1]] = true
	default:
		return fmt.Errorf("unknown row type %q", c[0])
	}
	return nil
}

// atoi reads a non-negative decimal number.
func atoi(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

var lexKinds = map[byte]refKind{'n': refCountry, 'j': refAdj, 's': refSeat, 'c': refArea, 'p': refPerson}

func latLon(a, b string) (float64, float64, error) {
	lat, err1 := strconv.ParseFloat(a, 64)
	lon, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return 0, 0, fmt.Errorf("bad coordinates %q %q", a, b)
	}
	return lat, lon, nil
}

// addAlts indexes '|'-separated keys, folded by the generator.
func (g *Gazetteer) addAlts(s string, r ref) {
	for s != "" {
		k := strings.IndexByte(s, '|')
		if k < 0 {
			g.add(s, r)
			return
		}
		g.add(s[:k], r)
		s = s[k+1:]
	}
}

// add indexes a folded name; a name listed twice for one entry is kept once.
func (g *Gazetteer) add(key string, r ref) {
	if key == "" {
		return
	}
	v, ok := g.names[key]
	lo := noRef
	if ok {
		lo = uint32(v)
	}
	switch {
	case lo == noRef:
		lo = uint32(len(g.singles))
		g.singles = append(g.singles, r)
	case lo&multiBit != 0:
		m := &g.multi[lo&^multiBit]
		if !slices.Contains(*m, r) {
			*m = append(*m, r)
		}
	default:
		if g.singles[lo] != r {
			g.multi = append(g.multi, []ref{g.singles[lo], r})
			lo = uint32(len(g.multi)-1) | multiBit
		}
	}
	g.names[key] = v&^0xffffffff | uint64(lo)
	// the first word of a longer name records how long names starting with it get
	if k := strings.IndexByte(key, ' '); k >= 0 {
		words := uint64(strings.Count(key, " ") + 1)
		fw := key[:k]
		fv, ok := g.names[fw]
		if !ok {
			fv = uint64(noRef)
		}
		if fv>>32&0xff < words {
			g.names[fw] = fv&^(0xff<<32) | words<<32
		}
	}
}
