package geo

import (
	"sort"

	"github.com/dyadproject/dyad/internal/model"
)

// Why an actor was placed where it was. An actor is placed only where the
// words around its mention say where it is: never from the event's place.
const (
	ReasonBased   = "based"   // "the London-based group", "a group based in London"
	ReasonOf      = "of"      // "the governor of Punjab", "protesters from Kharkiv", "Kyiv's mayor", "Lagos police"
	ReasonIn      = "in"      // "police in Lagos", "Russian troops in Crimea"
	ReasonMetonym = "metonym" // the actor's text is its seat: "Beijing" for China's government
)

// Words between "X-based" and the actor it describes that end the phrase:
// "a London-based paper said police ..." is no description of the police.
var basedStops = set("that", "which", "who", "whom", "whose", "and", "or", "but", "said", "says", "say", "told",
	"reported", "reports", "is", "was", "are", "were", "has", "had", "have", "to", "of", "in", "on", "by",
	"with", "for", "at", "as", "than", "after", "before", "when", "while")

// Heads of a relation to a government rather than a residence: "critics of
// Beijing" are not in Beijing.
var relational = set("critics", "critic", "opponents", "opponent", "supporters", "supporter", "allies", "ally",
	"enemies", "enemy", "foes", "foe", "rivals", "rival", "friends", "friend", "partners", "partner",
	"adversaries", "adversary", "backers", "backer", "detractors", "sympathisers", "sympathizers", "proxies",
	"proxy", "neighbours", "neighbors", "neighbour", "neighbor", "envoy", "envoys", "ambassador", "ambassadors")

// Participles that tie an actor to the place of the "in" after them:
// "troops stationed in Crimea".
var residence = set("based", "stationed", "deployed", "living", "located", "posted", "headquartered", "working",
	"serving", "resident", "detained", "held", "jailed", "imprisoned", "trapped")

// placeActors gives each distinct actor of the events the place its own
// mention names, or nil.
func (g *Gazetteer) placeActors(x *doc, text string, events []model.Event) {
	for i := range events {
		for _, a := range [2]*model.Actor{events[i].Source, events[i].Target} {
			if a != nil {
				a.Location = g.placeActor(x, text, a)
			}
		}
	}
}

// placeActor reads the actor's own words and those right around them.
func (g *Gazetteer) placeActor(x *doc, text string, a *model.Actor) *model.Location {
	if a.Start < 0 || a.End <= a.Start {
		return nil
	}
	toks := x.toks
	ai := sort.Search(len(toks), func(k int) bool { return toks[k].rs >= a.Start })
	aj := ai
	for aj < len(toks) && toks[aj].re <= a.End {
		aj++
	}
	if aj == ai {
		return nil // offsets that fall on no word of this text
	}
	// a leading article is no part of the name: "the Kremlin"
	hi := ai
	for hi < aj && (toks[hi].key == "the" || toks[hi].key == "a" || toks[hi].key == "an") {
		hi++
	}
	if hi == aj {
		return nil
	}
	// the actor's own text
	for _, m := range x.mentionsIn(ai, aj) {
		if !m.placeLike() {
			continue
		}
		switch {
		case m.based:
			return g.location(m, text, ReasonBased)
		case m.i == hi && m.j == aj:
			if g.metonym(x, m, a) {
				return g.location(m, text, ReasonMetonym)
			}
			return nil // a country's own name, or a town that is not its seat
		case m.i > hi:
			if p, k := prepBefore(toks, m.i, hi); k >= 0 {
				switch p {
				case "of", "from":
					if !relational[toks[k-1].key] && !(p == "from" && g.isCountry(m)) {
						return g.location(m, text, ReasonOf)
					}
				case "in":
					return g.location(m, text, ReasonIn)
				}
				continue
			}
		}
		if m.j < aj && !m.common && toks[m.j].p == 0 && !toks[m.j].cap && !g.isCountry(m) {
			// a place qualifying the actor's noun: "Kyiv's mayor", "Lagos
			// police"; a country so used is a nationality ("UK troops")
			return g.location(m, text, ReasonOf)
		}
	}
	// "X-based" before the actor: "a Gaza-based militant"
	if m := x.basedBefore(hi); m != nil && m.placeLike() {
		return g.location(m, text, ReasonBased)
	}
	if aj >= len(toks) {
		return nil
	}
	// after the actor
	k := aj
	switch t := toks[k]; {
	case t.p == ',':
		// apposition: "Amnesty, the London-based rights group,"
		if m := x.basedAfter(k + 1); m != nil && m.placeLike() {
			return g.location(m, text, ReasonBased)
		}
		return nil
	case t.p != 0:
		return nil
	case t.key == "of" || t.key == "from":
		if t.key == "of" && relational[toks[aj-1].key] {
			return nil
		}
		// "from" a country is where one comes from ("refugees from Syria")
		if m := x.placeAfter(k + 1); m != nil && m.placeLike() && !m.poss && !(t.key == "from" && g.isCountry(m)) {
			return g.location(m, text, ReasonOf)
		}
	case t.key == "in":
		if g.named(x, a, hi, aj) {
			return nil // "talks with the United States in Geneva": a country or body is not in a town
		}
		if m := x.placeAfter(k + 1); m != nil && m.placeLike() && !m.poss {
			return g.location(m, text, ReasonIn)
		}
	case residence[t.key] && k+1 < len(toks) && toks[k+1].p == 0 && toks[k+1].key == "in":
		if m := x.placeAfter(k + 2); m != nil && m.placeLike() && !m.poss {
			if t.key == "based" || t.key == "headquartered" {
				return g.location(m, text, ReasonBased)
			}
			return g.location(m, text, ReasonIn)
		}
	}
	return nil
}

// metonym: the actor's whole text is a seat of government, a capital or a
// first-level division of the actor's own country, standing for an
// institution ("Beijing" for CHNGOV, "Downing Street" for GBRGOV). A place
// a preposition governs ("arrived in London"), one used as a modifier ("a
// London news conference") or a bare country code's town ("visits
// Manchester" coded GBR) is the coder's reading of a scene, not a metonym.
func (g *Gazetteer) metonym(x *doc, m *mention, a *model.Actor) bool {
	if m.common || m.prep != "" || m.based || a.Sector == "" {
		return false
	}
	c, ok := g.byISO3[a.Country]
	if !ok {
		return false
	}
	r, _ := m.chosen()
	switch r.kind {
	case refSeat:
	case refPlace, refAdmin:
		if r.kind == refPlace && g.places[r.idx].Feature != "PPLC" {
			return false
		}
		if m.j < len(x.toks) && x.toks[m.j].p == 0 && titles[x.toks[m.j].key] {
			return false // "Madrid midfielder Guti"
		}
		// the first of a list decides for it: "flew to London, Singapore
		// and Kuala Lumpur", "the Brussels, Paris and Amsterdam exchanges"
		f := x.listHead(m)
		if f.prep != "" || f.based {
			return false
		}
		if f.i > 0 {
			t := x.toks[f.i-1]
			if t.p == 0 && (determiners[t.key] || between[t.key] && t.key != "of" ||
				t.key == "of" && f.i > 1 && (x.toks[f.i-2].cap || x.toks[f.i-2].key == "out")) {
				return false // "the Madrid bombing", "of north London", "the Club of Madrid", "out of London"
			}
		}
	default:
		return false
	}
	return g.countryOf(r) == c
}

// listHead is the first name of the list m ends ("A, B and m"), or m.
func (x *doc) listHead(m *mention) *mention {
	for n := 0; n < 8 && m.i > 1; n++ {
		t := x.toks[m.i-1]
		if !(t.p == ',' || t.p == 0 && (t.key == "and" || t.key == "or")) {
			break
		}
		p := x.mentionEndingAt(m.i - 1)
		if p == nil {
			break
		}
		m = p
	}
	return m
}

var determiners = set("the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our",
	"my", "your", "every", "each", "any", "some", "no")

// isCountry: the mention names a whole country.
func (g *Gazetteer) isCountry(m *mention) bool {
	r, ok := m.chosen()
	return ok && r.kind == refCountry
}

// named says whether the actor is a country, an organisation or a place by
// name ("Iran", "the United States", "NATO"): a name that "in X" after it
// rarely describes, unlike a person or a group ("police in Lagos").
func (g *Gazetteer) named(x *doc, a *model.Actor, hi, aj int) bool {
	if !x.toks[aj-1].cap {
		return false // a common noun heads it: "troops", "police"
	}
	if _, ok := g.byISO3[a.Country]; !ok {
		return true // an organisation: IGO, NGO, MNC...
	}
	switch a.Sector {
	case "":
		return true // the country itself
	case "BUS", "MNC", "MED", "NGO", "IGO":
		return true // a firm or a body by name: "Rosneft"
	}
	for _, m := range x.mentionsIn(hi, aj) {
		if r, ok := m.chosen(); ok && r.kind != refAdj && r.kind != refPerson {
			return true // "the Kremlin", "Washington"
		}
	}
	return false
}

// prepBefore reads back from token i over the words that may stand between
// a preposition and its place ("of the northern city of"), no further than
// token lo; it gives the preposition and its token, or -1.
func prepBefore(toks []tok, i, lo int) (string, int) {
	for k := i - 1; k > lo && k >= i-5; k-- {
		t := toks[k]
		if t.p != 0 || t.cap {
			return "", -1
		}
		switch t.key {
		case "of", "from", "in":
			// "the city of" walks on to an earlier preposition
			if t.key == "of" && k-1 > lo && (cityWords[toks[k-1].key] || admWords[toks[k-1].key]) {
				continue
			}
			return t.key, k
		}
		if !between[t.key] {
			return "", -1
		}
	}
	return "", -1
}

// mentionsIn lists the mentions wholly inside tokens [i, j).
func (x *doc) mentionsIn(i, j int) []*mention {
	k := sort.Search(len(x.ms), func(n int) bool { return x.ms[n].i >= i })
	e := k
	for e < len(x.ms) && x.ms[e].j <= j {
		e++
	}
	return x.ms[k:e]
}

// mentionAt is the mention that starts at token i, or nil.
func (x *doc) mentionAt(i int) *mention {
	k := sort.Search(len(x.ms), func(n int) bool { return x.ms[n].i >= i })
	if k < len(x.ms) && x.ms[k].i == i {
		return x.ms[k]
	}
	return nil
}

// placeAfter is the place a preposition at token i-1 governs: the mention
// at i, or after a few generic words ("the northern city of Kharkiv").
func (x *doc) placeAfter(i int) *mention {
	for k := i; k < len(x.toks) && k < i+5; k++ {
		if m := x.mentionAt(k); m != nil {
			return m
		}
		t := x.toks[k]
		if t.p != 0 || t.cap || !between[t.key] {
			return nil
		}
	}
	return nil
}

// basedBefore is the "X-based" that describes the actor starting at token
// hi: its "based" at most two plain words before ("the London-based rights
// group").
func (x *doc) basedBefore(hi int) *mention {
	for k := hi - 1; k >= 0 && k >= hi-3; k-- {
		t := x.toks[k]
		if t.p != 0 {
			return nil
		}
		if t.key == "based" && t.hyph {
			m := x.mentionEndingAt(k)
			if m != nil && m.based {
				return m
			}
			return nil
		}
		if basedStops[t.key] {
			return nil
		}
	}
	return nil
}

// basedAfter is the "X-based" of an apposition starting at token i:
// "the London-based rights group".
func (x *doc) basedAfter(i int) *mention {
	for k := i; k < len(x.toks) && k < i+4; k++ {
		t := x.toks[k]
		if t.p != 0 {
			return nil
		}
		if m := x.mentionAt(k); m != nil {
			if m.based {
				return m
			}
			return nil
		}
		if basedStops[t.key] {
			return nil
		}
	}
	return nil
}

// mentionEndingAt is the mention whose last token is k-1, or nil.
func (x *doc) mentionEndingAt(k int) *mention {
	n := sort.Search(len(x.ms), func(n int) bool { return x.ms[n].j >= k })
	if n < len(x.ms) && x.ms[n].j == k {
		return x.ms[n]
	}
	return nil
}
