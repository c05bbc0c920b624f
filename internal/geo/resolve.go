package geo

import (
	"math"
	"unicode"

	"github.com/dyadproject/dyad/internal/model"
)

// doc is one document's names, resolved.
type doc struct {
	toks     []tok
	ms       []*mention
	actors   map[int32]float64 // countries of the events' actors
	actorAt  [][2]int          // rune spans of the events' actors
	dateline *mention          // the dateline's place, resolved; nil if none
	dominant int32             // the country the story is most about; -1 if none
	domW     float64           // how much evidence the dominant country has
	release  func()            // gives toks back for reuse: call when done with the doc
}

// analyse finds and resolves every name in a document. Countries of the
// events' actors and the dateline's place weigh in on ambiguous names.
func (g *Gazetteer) analyse(d model.Document, events []model.Event) *doc {
	toks, release := scanPooled(d.Text)
	ms := g.find(toks)
	g.qualify(toks, ms)
	ms = g.cues(toks, ms)
	x := &doc{toks: toks, ms: ms, actors: map[int32]float64{}, dominant: -1, release: release}
	for i := range events {
		for _, a := range []*model.Actor{events[i].Source, events[i].Target} {
			if a == nil {
				continue
			}
			x.actorAt = append(x.actorAt, [2]int{a.Start, a.End})
			if len(a.Country) != 3 {
				continue
			}
			if c, ok := g.byISO3[a.Country]; ok {
				x.actors[c] = 1
			}
		}
	}
	if d.Dateline != nil && d.Dateline.Place != "" {
		dt := scan(titleCase(d.Dateline.Place))
		if dm := g.find(dt); len(dm) > 0 && dm[0].i == 0 && dm[0].j == countWords(dt) {
			m := dm[0]
			var keep []ref
			for _, r := range m.refs {
				if r.kind != refAdj && r.kind != refPerson && r.kind != refRegion {
					keep = append(keep, r)
				}
			}
			m.refs = keep
			m.para, m.sent = -1, -1
			m.rs, m.re = -1, -1
			if len(keep) > 0 {
				x.dateline = m
			}
		}
	}
	// Pass 1 resolves every name with the evidence of the names that have
	// one country; pass 2 again, with every other name's pass-1 reading.
	for pass := 1; pass <= 2; pass++ {
		x.dominant, x.domW = g.dominant(x)
		for _, m := range ms {
			g.choose(x, m, pass)
		}
		if x.dateline != nil {
			g.choose(x, x.dateline, pass)
		}
	}
	return x
}

// countWords counts the tokens of a dateline's place: the whole place must
// be one name ("NEW YORK", not "NEW YORK AND BOSTON").
func countWords(toks []tok) int { return len(toks) }

// countryOf and adminOf give a meaning's country and division (-1: none).
func (g *Gazetteer) countryOf(r ref) int32 {
	switch r.kind {
	case refAdmin:
		return g.admins[r.idx].Country
	case refAdmin2:
		return g.admins2[r.idx].Country
	case refPlace:
		return g.places[r.idx].Country
	}
	return r.idx
}

func (g *Gazetteer) adminOf(r ref) int32 {
	switch r.kind {
	case refAdmin:
		return r.idx
	case refAdmin2:
		return g.admins2[r.idx].Parent
	case refPlace:
		return g.places[r.idx].Admin
	}
	return -1
}

// single reports the one country all of a mention's meanings share.
func (g *Gazetteer) single(m *mention) (int32, bool) {
	c := int32(-1)
	for _, r := range m.refs {
		rc := g.countryOf(r)
		if c >= 0 && rc != c {
			return -1, false
		}
		c = rc
	}
	return c, c >= 0
}

// reading is what a mention contributes as evidence: its country and
// division, in pass 1 only when it has one country.
func (g *Gazetteer) reading(m *mention, pass int) (c, a int32, ok bool) {
	if pass == 1 || m.best < 0 {
		c, ok := g.single(m)
		if !ok {
			return -1, -1, false
		}
		a := int32(-1)
		if len(m.refs) == 1 {
			a = g.adminOf(m.refs[0])
		}
		return c, a, true
	}
	r := m.refs[m.best]
	return g.countryOf(r), g.adminOf(r), true
}

func (g *Gazetteer) dominant(x *doc) (int32, float64) {
	w := map[int32]float64{}
	for c, v := range x.actors {
		w[c] += v
	}
	// only names with one country count: an ambiguous name repeated would
	// otherwise vote for its own first reading
	for _, m := range x.ms {
		if c, _, ok := g.reading(m, 1); ok {
			w[c]++
		}
	}
	best, bw := int32(-1), 0.0
	for c, v := range w {
		if v > bw || v == bw && c < best {
			best, bw = c, v
		}
	}
	return best, bw
}

// choose scores each meaning of a mention and keeps the best.
func (g *Gazetteer) choose(x *doc, m *mention, pass int) {
	placeable := 0
	for _, r := range m.refs {
		if r.kind != refAdj && r.kind != refPerson {
			placeable++
		}
	}
	if placeable == 0 {
		m.best = 0 // evidence only
		return
	}
	if placeable == 1 {
		m.best = -1
		for k, r := range m.refs {
			if r.kind != refAdj && r.kind != refPerson && !(pass == 2 && g.stray(x, m, r)) {
				m.best, m.score = k, g.prior(r)
			}
		}
		return
	}
	m.best, m.score, m.alt = -1, math.Inf(-1), math.Inf(-1)
	for k, r := range m.refs {
		if r.kind == refAdj || r.kind == refPerson {
			continue
		}
		if pass == 2 && g.stray(x, m, r) {
			continue
		}
		s := g.prior(r) + g.context(x, m, r, pass)
		switch {
		case s > m.score:
			m.alt, m.score, m.best = m.score, s, k
		case s > m.alt:
			m.alt = s
		}
	}
}

// stray says whether a reading is a lesser town or division of a country
// the story gives no other sign of, in a story clearly about another one:
// "Norfolk" in a British story is the county, not the Virginia city, and the
// gazetteer, without counties, has no right reading to offer.
func (g *Gazetteer) stray(x *doc, m *mention, r ref) bool {
	if m.strong || x.dominant < 0 || x.domW < 2 || r.kind != refPlace && r.kind != refAdmin && r.kind != refAdmin2 {
		return false
	}
	c := g.countryOf(r)
	if c == x.dominant || x.actors[c] > 0 {
		return false
	}
	switch r.kind {
	case refPlace:
		p := &g.places[r.idx]
		// A capital, or a provincial seat the size of Geneva, is a venue
		// the world travels to, not a stray namesake.
		if p.Pop >= 1000000 || p.News || p.Feature == "PPLC" || p.Feature == "PPLA" && p.Pop >= 150000 {
			return false
		}
	case refAdmin:
		a := &g.admins[r.idx]
		if a.Pop >= 5000000 || a.News {
			return false
		}
	case refAdmin2:
		if g.admins2[r.idx].Pop >= 5000000 {
			return false
		}
	}
	for _, q := range m.qual {
		if q == r {
			return false
		}
	}
	for _, o := range x.ms {
		if o == m {
			continue
		}
		if oc, _, ok := g.reading(o, 1); ok && oc == c {
			return false
		}
	}
	if dl := x.dateline; dl != nil && dl != m && dl.best >= 0 && g.countryOf(dl.refs[dl.best]) == c {
		return false
	}
	return true
}

// prior is a meaning's weight before context: a country's name reads as the
// country; otherwise the bigger and better-known place wins.
func (g *Gazetteer) prior(r ref) float64 {
	switch r.kind {
	case refCountry:
		return 9
	case refSeat:
		return 7
	case refArea:
		return 6
	case refAdmin:
		a := &g.admins[r.idx]
		s := 1.5 + 0.75*math.Log10(float64(a.Pop)+10)
		if a.News {
			s += 1.5
		}
		return s
	case refAdmin2:
		return 0.5 + 0.75*math.Log10(float64(g.admins2[r.idx].Pop)+10)
	case refPlace:
		p := &g.places[r.idx]
		s := math.Log10(float64(p.Pop) + 10)
		switch p.Feature {
		case "PPLC":
			s += 2
		case "PPLA":
			s += 1
		case "PPLA2":
			s += 0.5
		}
		if p.News {
			s += 2
		}
		return s
	}
	return 0
}

// context weighs what the rest of the text says about a meaning: names
// that vouch for it, and the countries and divisions named in the same
// sentence, paragraph and story.
func (g *Gazetteer) context(x *doc, m *mention, r ref, pass int) float64 {
	c, a := g.countryOf(r), g.adminOf(r)
	s := 0.0
	for _, q := range m.qual {
		if q == r {
			s += 20
			break
		}
	}
	var sentC, paraC, docC, sentA, docA bool
	for _, o := range x.ms {
		if o == m || o.key == m.key {
			continue // a name is no evidence for itself, however often repeated
		}
		oc, oa, ok := g.reading(o, pass)
		if !ok {
			continue
		}
		if oc == c {
			docC = true
			paraC = paraC || o.para == m.para
			// A country that acts in the sentence ("talks with the United
			// States in Geneva") says who, not where: it counts for the
			// story, not as the sentence's setting.
			sentC = sentC || o.sent == m.sent && !x.isActor(o)
		}
		if a >= 0 && oa == a {
			docA = true
			sentA = sentA || o.sent == m.sent
		}
	}
	if sentC {
		s += 3
	}
	if sentA {
		s += 6
	}
	if paraC {
		s += 1
	}
	if docC || x.actors[c] > 0 {
		s += 1.5
	}
	if c == x.dominant {
		s += 1
	}
	if docA {
		s += 2
	}
	if dl := x.dateline; dl != nil && dl != m && dl.best >= 0 {
		dr := dl.refs[dl.best]
		if g.countryOf(dr) == c {
			s += 1
		}
	}
	switch {
	case m.wantAdm && (r.kind == refAdmin || r.kind == refAdmin2):
		s += 4
	case m.wantAdm && r.kind == refCountry:
		s -= 4
	case m.wantAdm && r.kind == refPlace:
		s -= 2
	case m.wantCity && r.kind == refPlace:
		s += 3
	case m.wantCity && (r.kind == refAdmin || r.kind == refAdmin2 || r.kind == refCountry):
		s -= 3
	}
	if m.capital && r.kind == refPlace && (g.places[r.idx].Feature == "PPLC" || g.places[r.idx].Feature == "PPLA") {
		s += 2
	}
	return s
}

// qualify links names that vouch for each other: "Moscow, Idaho" and
// "Atlanta, Georgia" (each side keeps the meanings that fit the other),
// "Lebanon's Tripoli", "the Lebanese city of Tripoli", "Hyderabad in Sindh".
func (g *Gazetteer) qualify(toks []tok, ms []*mention) {
	for k, m := range ms {
		// "X, Y" and "X in Y": Y contains X
		if k+1 < len(ms) {
			y := ms[k+1]
			if y.i == m.j+1 && (toks[m.j].p == ',' || toks[m.j].key == "in") {
				g.pair(m, y)
			}
		}
		// "Y's X", "the Y city of X", "Y's second city, X": a possessive
		// name or an adjective a few allowed words before X
		for q := k - 1; q >= 0 && q >= k-2; q-- {
			y := ms[q]
			if y.j > m.i || m.i-y.j > 4 || !(y.poss || onlyAdj(y)) {
				continue
			}
			ok := true
			for t := y.j; t < m.i; t++ {
				if tk := toks[t]; !(tk.p == ',' || tk.p == 0 && between[tk.key]) {
					ok = false
				}
			}
			if ok {
				g.pair(m, y)
			}
		}
	}
}

func onlyAdj(m *mention) bool {
	for _, r := range m.refs {
		if r.kind != refAdj {
			return false
		}
	}
	return true
}

// pair records, for a place x and a name y said to contain it, the meanings
// of each that fit the other.
func (g *Gazetteer) pair(x, y *mention) {
	for _, rx := range x.refs {
		for _, ry := range y.refs {
			if g.inside(rx, ry) {
				x.qual = append(x.qual, rx)
				y.qual = append(y.qual, ry)
			}
		}
	}
}

// inside says whether meaning a lies within meaning b.
func (g *Gazetteer) inside(a, b ref) bool {
	if a == b || a.kind == refAdj || a.kind == refPerson {
		return false
	}
	switch b.kind {
	case refCountry, refAdj:
		return a.kind != refCountry && g.countryOf(a) == b.idx
	case refAdmin:
		return a.kind == refPlace && g.places[a.idx].Admin == b.idx || a.kind == refAdmin2 && g.admins2[a.idx].Parent == b.idx
	}
	return false
}

// titleCase turns a dateline's "NEW YORK" into "New York".
func titleCase(s string) string {
	b := []rune(s)
	up := true
	for i, r := range b {
		if up {
			b[i] = unicode.ToUpper(r)
		} else {
			b[i] = unicode.ToLower(r)
		}
		up = r == ' ' || r == '-' || r == '.'
	}
	return string(b)
}

// isActor says whether a mention is the text of one of the events' actors.
func (x *doc) isActor(m *mention) bool {
	for _, sp := range x.actorAt {
		if m.rs >= sp[0] && m.re <= sp[1] {
			return true
		}
	}
	return false
}
