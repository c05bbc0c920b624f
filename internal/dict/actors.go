// Package dict loads dyad's dictionaries — actors, people with dated offices,
// agents and event patterns — from the editable text files in data/ (embedded)
// and from the user's own files, and compiles them into lookup structures.
package dict

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/dyadproject/dyad/internal/textproc"
)

//go:embed data/*.tsv data/*.txt
var files embed.FS

// Kind says what sort of actor word an entry is.
type Kind uint8

const (
	Country   Kind = iota // a state's name: "China"
	Adjective             // "Chinese", "Russians"
	Seat                  // a capital or seat of government: "Beijing", "the Kremlin"
	Region                // "the West", "Gulf states"
	Org                   // an organisation: "the UN Security Council", "Tass"
	Agent                 // a role word: "foreign minister", "rebels"
	Person                // a named person with dated offices
	City                  // a place that is not a seat of government: "Basra", "Lagos"
)

var kindNames = [...]string{"country", "adjective", "seat", "region", "org", "agent", "person", "city"}

func (k Kind) String() string { return kindNames[k] }

// Term is one office a person held: the code applies from Start to End
// (YYYY-MM-DD strings, End "" while in office).
type Term struct {
	Code, Start, End, Role string
}

// Holder is a person's offices, sorted by Start.
type Holder struct {
	Terms []Term
}

// Entry is one dictionary line's meaning.
type Entry struct {
	ID     string // file:line, reported by events as the actor rule
	Kind   Kind
	Code   string  // full CAMEO code: country/IGO part plus sector ("CHN", "IGOUNO", "RUSGOV")
	Sector string  // for agents: the sector alone ("GOV")
	Name   string  // display name: the first name on the line
	P      *Holder // people only: the offices, shared by all the person's names
	exact  []string
	// caps: the capitalised words of a proper name must be capitalised in the
	// text too, so "turkey" and "chad" stay words and "Russia today" is not RT
	caps []bool
}

// CodeAt resolves a person's code on a date (YYYY-MM-DD; "" = latest term).
// Outside every term, the nearest term's country is kept and the sector
// becomes ELI (a former official), as CAMEO codes former office-holders.
func (e *Entry) CodeAt(date string) string {
	if e.P == nil || len(e.P.Terms) == 0 {
		return e.Code
	}
	terms := e.P.Terms
	if e.Kind != Person {
		// a party: in government or opposition by date, else just its state
		for _, t := range terms {
			if date != "" && t.Start <= date && (t.End == "" || date < t.End) {
				return t.Code
			}
		}
		if date == "" {
			return e.Code
		}
		return country(e.Code)
	}
	if date == "" {
		// no date: the office the person is known for, not a later retirement
		for k := len(terms) - 1; k >= 0; k-- {
			if !strings.HasSuffix(terms[k].Code, "ELI") {
				return terms[k].Code
			}
		}
		return terms[len(terms)-1].Code
	}
	for _, t := range terms {
		// consecutive terms share their boundary day: the end is exclusive
		if t.Start <= date && (t.End == "" || date < t.End) {
			return t.Code
		}
	}
	first := terms[0]
	if date < first.Start {
		// before any office: code the country without a sector
		return country(first.Code)
	}
	return country(terms[len(terms)-1].Code) + "ELI"
}

func country(code string) string {
	if len(code) >= 3 {
		return code[:3]
	}
	return code
}

type node struct {
	next    map[string]*node
	entries []*Entry
}

// Actors is the compiled actor dictionary.
type Actors struct {
	root     node
	surnames map[string][]*Entry // people by last name, for "Lavrov said"
	people   map[string]*Holder  // by first listed name, so each line adds a term
	count    int
	topics   map[string]Cue // off-topic cue words (offtopic.tsv)
}

// Cue is an off-topic cue word's topic and whether it counts alone.
type Cue struct {
	Topic  string
	Strong bool
}

// Topic says which off-topic subject a lower-case word marks, if any.
func (a *Actors) Topic(lower string) (Cue, bool) {
	c, ok := a.topics[lower]
	return c, ok
}

func loadTopic(a *Actors, name string, line int, cols []string) error {
	if len(cols) != 3 || cols[0] == "" || (cols[1] != "strong" && cols[1] != "weak") || cols[2] == "" {
		return fmt.Errorf("%s:%d: want topic<TAB>strong|weak<TAB>word|word", name, line)
	}
	for _, w := range strings.Split(cols[2], "|") {
		w = strings.TrimSpace(w)
		if w == "" || w != strings.ToLower(w) || strings.ContainsRune(w, ' ') {
			return fmt.Errorf("%s:%d: %q: want one lower-case word", name, line, w)
		}
		if _, dup := a.topics[w]; dup {
			return fmt.Errorf("%s:%d: %q listed twice", name, line, w)
		}
		a.topics[w] = Cue{Topic: cols[0], Strong: cols[1] == "strong"}
	}
	return nil
}

// Len is the number of names indexed.
func (a *Actors) Len() int { return a.count }

// Match returns the entries of the longest name starting at toks[i] and its
// length in tokens; n == 0 when none starts there.
func (a *Actors) Match(toks []textproc.Token, i int) (entries []*Entry, n int) {
	nd := &a.root
	for j := i; j < len(toks); j++ {
		nx := nd.next[toks[j].Lower]
		if nx == nil {
			break
		}
		nd = nx
		if len(nd.entries) > 0 {
			if es := filterExact(nd.entries, toks[i:j+1]); len(es) > 0 {
				entries, n = es, j-i+1
			}
		}
	}
	return entries, n
}

// Surname returns people whose last name is w (lowercase).
func (a *Actors) Surname(w string) []*Entry { return a.surnames[w] }

// filterExact drops case-sensitive entries (US, UN) whose spelling differs.
func filterExact(es []*Entry, toks []textproc.Token) []*Entry {
	ok := true
	for _, e := range es {
		if e.exact != nil || !capsOK(e.caps, toks) {
			ok = false
			break
		}
	}
	if ok {
		return es
	}
	var out []*Entry
	for _, e := range es {
		if !capsOK(e.caps, toks) {
			continue
		}
		if e.exact == nil || sameWords(e.exact, toks) {
			out = append(out, e)
		}
	}
	return out
}

func sameWords(ws []string, toks []textproc.Token) bool {
	if len(ws) != len(toks) {
		return false
	}
	for i := range ws {
		if ws[i] != toks[i].Text {
			return false
		}
	}
	return true
}

func (a *Actors) add(name string, e *Entry) {
	toks := textproc.Tokenize(name)
	if len(toks) == 0 {
		return
	}
	nd := &a.root
	for _, t := range toks {
		if nd.next == nil {
			nd.next = map[string]*node{}
		}
		nx := nd.next[t.Lower]
		if nx == nil {
			nx = &node{}
			nd.next[t.Lower] = nx
		}
		nd = nx
	}
	ee := e
	if e.Kind != Agent && toks[0].Cap {
		// a copy per name (people share their terms through P)
		cp := *e
		cp.caps = make([]bool, len(toks))
		for i, t := range toks {
			cp.caps[i] = t.Cap
		}
		ee = &cp
	}
	if isAcronym(name) {
		// case-sensitive copy so "US" never matches "us"
		cp := *ee
		cp.exact = make([]string, len(toks))
		for i, t := range toks {
			cp.exact[i] = t.Text
		}
		ee = &cp
	}
	for _, old := range nd.entries {
		if old.Code == ee.Code && old.Kind == ee.Kind && old.Name == ee.Name && old.P == ee.P {
			return
		}
	}
	nd.entries = append(nd.entries, ee)
	a.count++
}

// isAcronym: all-caps words of at most five letters match case-sensitively.
func isAcronym(name string) bool {
	letters := 0
	for _, r := range name {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters > 0 && letters <= 5
}

// LoadActors compiles the embedded actor dictionaries plus extra user files.
func LoadActors(extra ...NamedReader) (*Actors, error) {
	a := &Actors{surnames: map[string][]*Entry{}, people: map[string]*Holder{}, topics: map[string]Cue{}}
	steps := []struct {
		file string
		fn   func(*Actors, string, int, []string) error
	}{
		{"data/countries.tsv", loadCountry},
		{"data/regions.tsv", loadRegion},
		{"data/orgs.tsv", loadOrg},
		{"data/agents.tsv", loadAgent},
		{"data/people.tsv", loadPerson},
		{"data/cities.tsv", loadCity},
		{"data/parties.tsv", loadParty},
		{"data/offtopic.tsv", loadTopic},
	}
	for _, s := range steps {
		f, err := files.Open(s.file)
		if err != nil {
			return nil, fmt.Errorf("dictionary %s: %w", s.file, err)
		}
		err = eachLine(f, strings.TrimPrefix(s.file, "data/"), func(name string, line int, cols []string) error {
			return s.fn(a, name, line, cols)
		})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	for _, x := range extra {
		if err := eachLine(x.R, x.Name, func(name string, line int, cols []string) error {
			if len(cols) >= 4 {
				return loadPerson(a, name, line, cols)
			}
			return loadOrg(a, name, line, cols)
		}); err != nil {
			return nil, err
		}
	}
	for _, es := range a.surnames {
		sort.SliceStable(es, func(i, j int) bool { return es[i].ID < es[j].ID })
	}
	return a, nil
}

// NamedReader is a user dictionary file.
type NamedReader struct {
	Name string
	R    io.Reader
}

func looksLikeDate(s string) bool { return len(s) == 10 && s[4] == '-' && s[7] == '-' }

func eachLine(r io.Reader, name string, fn func(string, int, []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), "#") {
			continue
		}
		cols := strings.Split(s, "\t")
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		if err := fn(name, line, cols); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func alts(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func col(cols []string, i int) string {
	if i < len(cols) {
		return cols[i]
	}
	return ""
}

func id(name string, line int) string { return fmt.Sprintf("%s:%d", name, line) }

func loadCountry(a *Actors, name string, line int, cols []string) error {
	code := col(cols, 0)
	if len(code) != 3 {
		return fmt.Errorf("%s:%d: country code %q is not three letters", name, line, code)
	}
	names := alts(col(cols, 1))
	if len(names) == 0 {
		return fmt.Errorf("%s:%d: country %s has no name", name, line, code)
	}
	display := names[0]
	for _, n := range names {
		a.add(n, &Entry{ID: id(name, line), Kind: Country, Code: code, Name: display})
	}
	for _, n := range alts(col(cols, 2)) {
		a.add(n, &Entry{ID: id(name, line), Kind: Adjective, Code: code, Name: display})
	}
	for _, n := range alts(col(cols, 3)) {
		sector := "GOV"
		if k := strings.LastIndexByte(n, '='); k > 0 {
			n, sector = strings.TrimSpace(n[:k]), strings.TrimSpace(n[k+1:])
		}
		a.add(n, &Entry{ID: id(name, line), Kind: Seat, Code: code + sector, Name: display})
	}
	return nil
}

func loadRegion(a *Actors, name string, line int, cols []string) error {
	code := col(cols, 0)
	names := alts(col(cols, 1))
	if code == "" || len(names) == 0 {
		return fmt.Errorf("%s:%d: region needs a code and names", name, line)
	}
	for _, n := range names {
		a.add(n, &Entry{ID: id(name, line), Kind: Region, Code: code, Name: names[0]})
	}
	for _, n := range alts(col(cols, 2)) {
		a.add(n, &Entry{ID: id(name, line), Kind: Adjective, Code: code, Name: names[0]})
	}
	return nil
}

func loadOrg(a *Actors, name string, line int, cols []string) error {
	code := col(cols, 0)
	names := alts(col(cols, 1))
	if len(code) < 3 || len(names) == 0 {
		return fmt.Errorf("%s:%d: organisation needs a code of 3+ letters and names", name, line)
	}
	for _, n := range names {
		a.add(n, &Entry{ID: id(name, line), Kind: Org, Code: code, Name: names[0]})
	}
	return nil
}

func loadCity(a *Actors, name string, line int, cols []string) error {
	city, code := col(cols, 0), col(cols, 1)
	if city == "" || len(code) != 3 {
		return fmt.Errorf("%s:%d: city needs a name and a three-letter country code", name, line)
	}
	for _, n := range append([]string{city}, alts(col(cols, 2))...) {
		a.add(n, &Entry{ID: id(name, line), Kind: City, Code: code, Name: city})
	}
	return nil
}

// loadParty reads `names<TAB>code<TAB>start<TAB>end`: a party's role (GOV or
// OPP) changes with elections, like a person's office.
func loadParty(a *Actors, name string, line int, cols []string) error {
	names, h, err := a.term(name, line, cols, "party:")
	if err != nil {
		return err
	}
	for _, n := range names {
		a.add(n, &Entry{ID: id(name, line), Kind: Org, Code: col(cols, 1), Name: names[0], P: h})
	}
	return nil
}

// term adds one dated term of a person or party; lines sharing their first
// name share the Holder.
func (a *Actors) term(name string, line int, cols []string, keyPrefix string) ([]string, *Holder, error) {
	names := alts(col(cols, 0))
	code := col(cols, 1)
	if len(names) == 0 || len(code) < 3 {
		return nil, nil, fmt.Errorf("%s:%d: needs names and a code", name, line)
	}
	t := Term{Code: code, Start: col(cols, 2), End: col(cols, 3), Role: col(cols, 4)}
	for _, d := range []string{t.Start, t.End} {
		if d != "" && !looksLikeDate(d) {
			return nil, nil, fmt.Errorf("%s:%d: date %q is not YYYY-MM-DD", name, line, d)
		}
	}
	if t.Start == "" {
		t.Start = "0000-00-00"
	}
	key := keyPrefix + strings.ToLower(names[0])
	h := a.people[key]
	if h == nil {
		h = &Holder{}
		a.people[key] = h
	}
	h.Terms = append(h.Terms, t)
	sort.SliceStable(h.Terms, func(i, j int) bool { return h.Terms[i].Start < h.Terms[j].Start })
	return names, h, nil
}

func loadAgent(a *Actors, name string, line int, cols []string) error {
	sector := col(cols, 0)
	words := alts(col(cols, 1))
	if sector == "" || len(words) == 0 {
		return fmt.Errorf("%s:%d: agent needs a sector and words", name, line)
	}
	for _, w := range words {
		a.add(w, &Entry{ID: id(name, line), Kind: Agent, Sector: sector, Name: w})
	}
	return nil
}

func loadPerson(a *Actors, name string, line int, cols []string) error {
	names, h, err := a.term(name, line, cols, "")
	if err != nil {
		return err
	}
	// one Holder per person (keyed by first name); each line adds a term
	e := &Entry{ID: id(name, line), Kind: Person, Code: col(cols, 1), Name: names[0], P: h}
	for _, n := range names {
		a.add(n, e)
		toks := textproc.Tokenize(n)
		if len(toks) >= 2 {
			last := toks[len(toks)-1].Lower
			if !containsHolder(a.surnames[last], h) {
				a.surnames[last] = append(a.surnames[last], e)
			}
		}
	}
	return nil
}

func containsHolder(es []*Entry, h *Holder) bool {
	for _, x := range es {
		if x.P == h {
			return true
		}
	}
	return false
}

func capsOK(caps []bool, toks []textproc.Token) bool {
	for i, c := range caps {
		if c && i < len(toks) && !toks[i].Cap {
			return false
		}
	}
	return true
}
