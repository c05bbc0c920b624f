package geo

import (
	"math"

	"github.com/dyadproject/dyad/internal/model"
)

// Uses of a name, as Mention.Use reports them.
const (
	UseLocative = "locative" // a preposition puts something there
	UseBare     = "bare"     // named without a preposition
	UseTopic    = "topic"    // the subject of something: "over abuses in Xinjiang"
	UseBased    = "based"    // "X-based": where an actor is based
	UseCountry  = "country"  // names a country: its name, adjective, seat or capital
	UseEvidence = "evidence" // a person or party that says which country the story is about
	UseDateline = "dateline"
)

// Mention is a name the text uses and the place it resolved to.
type Mention struct {
	Location model.Location
	Use      string
	Meanings int     // readings the gazetteer had for the name, after the text's cues
	Margin   float64 // the chosen reading's lead over the runner-up; +Inf with one reading
}

// Mentions resolves every name the gazetteer knows in a document. Events,
// when given, lend the countries of their actors to ambiguous names.
func (g *Gazetteer) Mentions(d model.Document, events []model.Event) ([]Mention, error) {
	if err := g.Err(); err != nil {
		return nil, err
	}
	x := g.analyse(d, events)
	defer x.release()
	var out []Mention
	add := func(m *mention, text, use string) {
		r, ok := m.chosen()
		if !ok {
			return
		}
		var l *model.Location
		if r.kind == refAdj || r.kind == refPerson {
			l = g.countryLocation(m, r.idx, text)
		} else {
			l = g.location(m, text, "")
		}
		n := 0
		for _, q := range m.refs {
			if q.kind != refAdj && q.kind != refPerson || len(m.refs) == 1 {
				n++
			}
		}
		margin := math.Inf(1)
		if n > 1 {
			margin = m.score - m.alt
		}
		l.Reason = use
		out = append(out, Mention{Location: *l, Use: use, Meanings: n, Margin: margin})
	}
	if x.dateline != nil {
		if add(x.dateline, "", UseDateline); len(out) == 1 {
			out[0].Location.Text = d.Dateline.Place
			out[0].Location.Start, out[0].Location.End = 0, 0
		}
	}
	for _, m := range x.ms {
		add(m, d.Text, g.use(m))
	}
	return out, nil
}

func (g *Gazetteer) use(m *mention) string {
	r, _ := m.chosen()
	switch {
	case r.kind == refPerson:
		return UseEvidence
	case m.based:
		return UseBased
	case m.topic && m.placeLike():
		return UseTopic
	case g.locative(m):
		return UseLocative
	case g.bare(m):
		return UseBare
	}
	return UseCountry
}

// Best resolves a name on its own (no context): the reading a story that
// says nothing more would get. ok is false when the gazetteer lacks it.
func (g *Gazetteer) Best(name string) (loc model.Location, ok bool) {
	if g.Err() != nil {
		return loc, false
	}
	d := model.Document{Text: name}
	x := g.analyse(d, nil)
	defer x.release()
	for _, m := range x.ms {
		if m.placeLike() {
			return *g.location(m, name, ""), true
		}
	}
	for _, m := range x.ms {
		if r, ok := m.chosen(); ok {
			return *g.countryLocation(m, r.idx, name), true
		}
	}
	return loc, false
}

// CountryByISO2 gives the ISO 3166-1 alpha-3 code (as dyad's actor codes
// spell it) of an alpha-2 code.
func (g *Gazetteer) CountryByISO2(iso2 string) (string, bool) {
	if g.Err() != nil {
		return "", false
	}
	i, ok := g.byISO2[iso2]
	if !ok {
		return "", false
	}
	return g.countries[i].ISO3, true
}
