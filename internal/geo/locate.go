package geo

import (
	"math"
	"sort"

	"github.com/dyadproject/dyad/internal/model"
)

// Why an event was placed where it was, best evidence first.
const (
	ReasonLocative  = "locative"  // the event's sentence puts it there: "in", "at", "near", "outside" X
	ReasonSentence  = "sentence"  // a town or division the sentence names without a preposition
	ReasonContext   = "context"   // a place the sentence names as the event's topic: "over abuses in Xinjiang"
	ReasonParagraph = "paragraph" // a place an earlier sentence of the same paragraph names
	ReasonCountry   = "country"   // a country the sentence names (by name, adjective or capital)
	ReasonDocument  = "document"  // the place the story keeps returning to
	ReasonDateline  = "dateline"  // only the dateline: a flagged fallback
)

// Precisions of a location.
const (
	PrecisionCountry = "country"
	PrecisionADM1    = "adm1"
	PrecisionCity    = "city"
)

// Locate gives each event the place where the text says it happened, or
// leaves its location nil when the text says nothing of where; each actor
// gets the place its own mention names ("police in Lagos", see ReasonBased
// and the others), or nil. Events must come from coding d (their offsets
// index d.Text).
func (g *Gazetteer) Locate(d model.Document, events []model.Event) error {
	if len(events) == 0 {
		return nil // nothing to place: the gazetteer need not even load
	}
	if err := g.Err(); err != nil {
		return err
	}
	x := g.analyse(d, events)
	defer x.release()
	for i := range events {
		events[i].Location = g.place(x, d.Text, &events[i])
	}
	g.placeActors(x, d.Text, events)
	return nil
}

// place picks one event's location.
func (g *Gazetteer) place(x *doc, text string, e *model.Event) *model.Location {
	ss, se := e.Sentence.Start, e.Sentence.End
	ts, te := e.Trigger.Start, e.Trigger.End
	if ts == 0 && te == 0 {
		ts, te = ss, se
	}
	dist := func(m *mention) int {
		switch {
		case m.re <= ts:
			return ts - m.re
		case m.rs >= te:
			return m.rs - te
		}
		return 0
	}
	var best *mention
	bestRank, bestDist := math.MaxInt, math.MaxInt
	consider := func(m *mention, rank int) {
		if d := dist(m); rank < bestRank || rank == bestRank && d < bestDist {
			best, bestRank, bestDist = m, rank, d
		}
	}
	para := int32(-1)
	for _, m := range x.ms {
		if m.rs < ss || m.re > se {
			continue
		}
		if para < 0 {
			para = m.para
		}
		switch {
		case g.locative(m) && !m.topic:
			if m.motion {
				consider(m, 1)
			} else {
				consider(m, 0)
			}
		case g.bare(m) && !m.topic:
			consider(m, 2)
		case (g.locative(m) || g.bare(m)) && m.topic:
			consider(m, 3)
		}
	}
	reasons := [...]string{ReasonLocative, ReasonLocative, ReasonSentence, ReasonContext}
	if best != nil {
		return g.location(best, text, reasons[bestRank])
	}
	if para < 0 {
		para = x.paraAt(ss)
	}
	// an earlier sentence of the paragraph: the last place it put things
	for k := len(x.ms) - 1; k >= 0; k-- {
		m := x.ms[k]
		if m.para == para && m.re <= ss && (g.locative(m) || g.bare(m)) && !m.topic {
			return g.location(m, text, ReasonParagraph)
		}
	}
	// a country the sentence names: for a material event the target's,
	// for a verbal one the source's, else the nearest to the trigger
	var named []*mention
	for _, m := range x.ms {
		if m.rs >= ss && m.re <= se && g.namesCountry(m) {
			named = append(named, m)
		}
	}
	if len(named) > 0 {
		first, second := e.Source, e.Target
		if e.QuadClass == 2 || e.QuadClass == 4 {
			first, second = e.Target, e.Source
		}
		for _, a := range []*model.Actor{first, second} {
			if a == nil {
				continue
			}
			for _, m := range named {
				if c, _, _ := g.reading(m, 2); c >= 0 && g.countries[c].ISO3 == a.Country {
					return g.countryLocation(m, c, text)
				}
			}
		}
		sort.SliceStable(named, func(i, j int) bool { return dist(named[i]) < dist(named[j]) })
		c, _, _ := g.reading(named[0], 2)
		return g.countryLocation(named[0], c, text)
	}
	if m := g.mainPlace(x); m != nil {
		return g.location(m, text, ReasonDocument)
	}
	if dl := x.dateline; dl != nil && dl.placeLike() {
		l := g.location(dl, "", ReasonDateline)
		l.Text, l.Start, l.End = "", 0, 0
		return l
	}
	return nil
}

// paraAt is the paragraph of the token at rune offset rs.
func (x *doc) paraAt(rs int) int32 {
	k := sort.Search(len(x.toks), func(i int) bool { return x.toks[i].rs >= rs })
	if k < len(x.toks) {
		return x.toks[k].para
	}
	return -1
}

// locative: a place a preposition puts something in. After "to" or "from"
// with no travel, a capital or country is its government: "an approach to
// Beijing", "a message from Moscow".
func (g *Gazetteer) locative(m *mention) bool {
	if m.prep == "" || m.based || !m.placeLike() {
		return false
	}
	return !m.motion || m.travel || !g.namesCountry(m)
}

// bare: a town, division or dictionary place named without a preposition
// (a capital or a country named so is its government, not a scene).
func (g *Gazetteer) bare(m *mention) bool {
	if m.prep != "" || m.based || !m.placeLike() {
		return false
	}
	r, _ := m.chosen()
	switch r.kind {
	case refAdmin, refAdmin2, refArea:
		return true
	case refPlace:
		return g.places[r.idx].Feature != "PPLC"
	}
	return false
}

// namesCountry: a country's name, adjective or seat, or its capital used
// for its government.
func (g *Gazetteer) namesCountry(m *mention) bool {
	r, ok := m.chosen()
	if !ok {
		return false
	}
	switch r.kind {
	case refCountry, refAdj, refSeat:
		return true
	case refPlace:
		return g.places[r.idx].Feature == "PPLC"
	}
	return false
}

// mainPlace is the town or division the story most often puts things in
// (the first of those tied), when it does so twice or in its opening
// paragraphs; a name that is also a common word never is.
func (g *Gazetteer) mainPlace(x *doc) *mention {
	count := map[ref]int{}
	var best *mention
	for _, m := range x.ms {
		if !g.locative(m) || m.topic || m.common {
			continue
		}
		r, _ := m.chosen()
		if r.kind != refPlace && r.kind != refAdmin && r.kind != refAdmin2 {
			continue
		}
		count[r]++
		if best == nil || count[r] > count[best.refs[best.best]] {
			best = m
		}
	}
	if best != nil && best.para > 1 && count[best.refs[best.best]] < 2 {
		return nil
	}
	return best
}

// location describes a mention's chosen meaning.
func (g *Gazetteer) location(m *mention, text, reason string) *model.Location {
	r, _ := m.chosen()
	l := &model.Location{Reason: reason, Start: m.rs, End: m.re}
	if m.be <= len(text) && m.bs >= 0 && m.bs <= m.be {
		l.Text = text[m.bs:m.be]
	}
	switch r.kind {
	case refPlace:
		g.fillPlace(l, r.idx)
	case refSeat:
		c := &g.countries[r.idx]
		if c.capital >= 0 {
			g.fillPlace(l, c.capital)
		} else {
			g.fillCountry(l, r.idx)
		}
	case refAdmin:
		a := &g.admins[r.idx]
		c := &g.countries[a.Country]
		l.Name = a.Name + ", " + c.Name
		l.Country, l.FIPS, l.ADM1 = c.ISO3, c.FIPS, adm1Code(c, a)
		l.Lat, l.Lon, l.Precision = a.Lat, a.Lon, PrecisionADM1
	case refAdmin2:
		// reported at first-level precision (the model's finest division),
		// with the county's own name and centre
		a := &g.admins2[r.idx]
		p := &g.admins[a.Parent]
		c := &g.countries[a.Country]
		l.Name = a.Name + ", " + p.Name + ", " + c.Name
		l.Country, l.FIPS, l.ADM1 = c.ISO3, c.FIPS, adm1Code(c, p)
		l.Lat, l.Lon, l.Precision = a.Lat, a.Lon, PrecisionADM1
	case refArea:
		g.fillCountry(l, r.idx)
		if l.Text != "" {
			l.Name = l.Text + ", " + l.Name
		}
	default:
		g.fillCountry(l, g.countryOf(r))
	}
	return l
}

// countryLocation places an event in the country a mention names.
func (g *Gazetteer) countryLocation(m *mention, c int32, text string) *model.Location {
	l := &model.Location{Reason: ReasonCountry, Start: m.rs, End: m.re}
	if m.be <= len(text) && m.bs >= 0 && m.bs <= m.be {
		l.Text = text[m.bs:m.be]
	}
	g.fillCountry(l, c)
	return l
}

func (g *Gazetteer) fillCountry(l *model.Location, ci int32) {
	c := &g.countries[ci]
	l.Name, l.Country, l.FIPS = c.Name, c.ISO3, c.FIPS
	l.Lat, l.Lon, l.Precision = c.Lat, c.Lon, PrecisionCountry
}

func (g *Gazetteer) fillPlace(l *model.Location, pi int32) {
	p := &g.places[pi]
	c := &g.countries[p.Country]
	l.Name = p.Name
	if p.Admin >= 0 {
		a := &g.admins[p.Admin]
		if a.Name != p.Name {
			l.Name += ", " + a.Name
		}
		l.ADM1 = adm1Code(c, a)
	}
	l.Name += ", " + c.Name
	l.Country, l.FIPS = c.ISO3, c.FIPS
	l.Lat, l.Lon = p.Coords()
	l.Precision = PrecisionCity
}

// adm1Code is GDELT's form: the FIPS country code and the division's code
// ("CH13" Xinjiang, "USGA" Georgia); the ISO code stands in where a
// territory has no FIPS code.
func adm1Code(c *Country, a *Admin) string {
	p := c.FIPS
	if p == "" {
		p = c.ISO2
	}
	return p + a.Code
}
