package geo

import (
	"math"
	"strings"
)

// mention is a name the text uses that the gazetteer knows.
type mention struct {
	i, j   int    // tokens [i, j)
	refs   []ref  // what it may mean, after the filters
	key    string // the folded name
	rs, re int    // rune offsets
	bs, be int    // byte offsets
	para   int32
	sent   int32

	prep     string // the preposition that puts something there ("in", "near"), "" if none
	motion   bool   // the preposition is one of movement ("to", "from")
	travel   bool   // ... after a word of travel: "flew to", "returned from"
	topic    bool   // it names a topic, not a scene: "sanctions over abuses in Xinjiang"
	based    bool   // "X-based": where an actor is based
	wantAdm  bool   // "X province", "the state of X"
	wantCity bool   // "the city of X", "X city"
	capital  bool   // "the capital, X"
	poss     bool   // "X's"
	strong   bool   // a generic word or a comma ties it to a place: "the town of X", "X, Idaho"
	common   bool   // its name is a common word or a person's name
	qual     []ref  // meanings another name around it vouches for ("Moscow, Idaho")

	best  int     // index into refs of the chosen meaning; -1 when none
	score float64 // the chosen meaning's score
	alt   float64 // the runner-up's score (-Inf when none)
}

// kind of the chosen meaning.
func (m *mention) chosen() (ref, bool) {
	if m.best < 0 || m.best >= len(m.refs) {
		return ref{}, false
	}
	return m.refs[m.best], true
}

// placeLike says whether the chosen meaning is a place an event can be at.
func (m *mention) placeLike() bool {
	r, ok := m.chosen()
	return ok && (r.kind == refCountry || r.kind == refAdmin || r.kind == refAdmin2 || r.kind == refPlace || r.kind == refArea || r.kind == refSeat)
}

// Word lists for the cues around a name.
var (
	locPreps = set("in", "at", "near", "outside", "inside", "around", "across", "throughout", "within", "off",
		"nearby", "beyond", "along", "behind")
	motionPreps = set("to", "from", "into", "toward", "towards", "via", "through", "onto", "reach", "reached", "visit", "visited", "visiting", "left", "leave", "leaving")
	// motion prepositions proper, as against verbs ("visited") that take the place directly
	prepWords   = set("to", "from", "into", "toward", "towards", "via", "through", "onto")
	travelWords = set("flew", "fly", "flies", "flying", "travelled", "traveled", "travel", "travels", "travelling",
		"traveling", "went", "go", "goes", "going", "came", "come", "comes", "coming", "returned", "return",
		"returns", "returning", "headed", "heading", "heads", "trip", "visit", "journey", "flight", "flights",
		"moved", "move", "sent", "send", "deployed", "deploy", "arrived", "back", "drove", "driven", "marched",
		"walked", "sailed", "fled", "flee", "fleeing", "evacuated", "transferred", "taken", "brought", "bound",
		"way", "road", "route", "escaped", "crossed", "crossing", "expelled", "deported", "extradited", "moving")
	topicWords = set("over", "about", "regarding", "concerning", "amid", "amidst")
	// words that may stand between a preposition and the name it governs
	between = set("the", "a", "an", "of", "northern", "southern", "eastern", "western", "central", "north", "south",
		"east", "west", "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
		"north-western", "south-eastern", "south-western", "northeast", "northwest", "southeast", "southwest",
		"upper", "lower", "coastal", "remote", "rural", "besieged", "capital", "city", "town", "village", "province",
		"state", "region", "district", "county", "port", "enclave", "governorate", "area", "border", "provincial",
		"seaside", "mountain", "mountainous", "industrial", "holy", "ancient", "old", "second", "third",
		"largest", "biggest", "main", "key", "strategic", "neighbouring", "neighboring", "nearby", "resort",
		"garrison", "oil", "frontline", "rebel-held", "rebel", "held", "government-held", "disputed", "occupied",
		"island", "islands", "oblast", "prefecture", "municipality", "suburb", "suburbs", "outskirts", "heart",
		"centre", "center", "streets", "parts", "part", "much", "all", "some", "restive", "troubled", "war-torn")
	admWords  = set("state", "province", "region", "governorate", "oblast", "prefecture", "county", "district", "territory", "department", "emirate", "canton")
	cityWords = set("city", "town", "village", "port", "suburb", "township", "municipality", "capital", "hamlet", "resort")
	// capitalised words that may sit next to a name without being part of it
	breakers = set("the", "in", "at", "a", "an", "of", "and", "or", "for", "from", "to", "on", "by", "with", "as",
		"but", "after", "before", "when", "while", "since", "until", "during", "if", "near", "outside", "inside",
		"meanwhile", "also", "this", "that", "these", "those", "it", "its", "his", "her", "their", "our", "we",
		"they", "he", "she", "i", "there", "here", "then", "yesterday", "today", "tomorrow", "tonight", "last",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
		"november", "december", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec",
		"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "greater",
		"upper", "lower", "city", "province", "state", "region", "district", "county", "island", "islands",
		"valley", "governorate", "oblast", "prefecture", "republic", "territory", "mountains", "river", "port",
		"mayor", "governor", "police", "army", "minister", "ministry", "president", "prime", "premier",
		"council", "government", "parliament", "assembly", "officials", "official", "authorities", "chief",
		"executive", "secretary", "senator", "representative", "congressman", "congresswoman", "lawmakers",
		"forces", "troops", "military", "navy", "embassy", "consulate", "office", "court", "airport",
		"university", "station", "stadium", "square", "foreign", "interior", "defence", "defense", "health",
		"general", "gen", "deputy", "vice", "acting", "former", "ex", "new", "old", "residents", "people",
		"protesters", "demonstrators", "rebels", "militants", "fighters", "soldiers", "leader", "leaders",
		"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "maj", "cmdr", "adm",
		"king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "pope", "bishop", "archbishop",
		"attorney", "judge", "justice", "commissioner", "ambassador", "envoy", "spokesman", "spokeswoman",
		"spokesperson", "correspondent", "reporter", "editor", "metropolitan", "municipal", "federal", "national",
		"regional", "local", "provincial", "communist", "party", "opposition", "ruling", "interim", "transitional",
		"catholic", "orthodox", "muslim", "christian", "jewish", "sunni", "shia", "shiite", "kurdish", "arab",
		"says", "said", "tells", "told", "via", "ap", "afp", "upi", "reuters", "xinhua", "tass", "photo", "file")
	titles = set("mr", "mrs", "ms", "miss", "dr", "president", "senator", "sen", "rep", "representative", "gov",
		"governor", "general", "gen", "king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "pope",
		"judge", "justice", "chancellor", "minister", "secretary", "ambassador", "mayor", "lt", "col", "sgt",
		"capt", "maj", "cmdr", "adm", "sir", "lord", "lady", "rev", "father", "brother", "sister",
		"commander", "colonel", "captain", "major", "sergeant", "lieutenant", "admiral", "marshal", "premier",
		"coach", "striker", "midfielder", "defender", "goalkeeper", "actor", "actress", "singer", "star")
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// find lists the names in toks that the gazetteer knows, longest first at
// each position, with the cues around them.
func (g *Gazetteer) find(toks []tok) []*mention {
	var out []*mention
	var buf []byte
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.p != 0 || !t.cap {
			continue
		}
		refs, maxW := g.lookup(t.key)
		if maxW == 0 {
			continue
		}
		n := 1
		for w := min(maxW, len(toks)-i); w > 1; w-- {
			if !phrase(toks[i : i+w]) {
				continue
			}
			buf = buf[:0]
			for k := i; k < i+w; k++ {
				if k > i {
					buf = append(buf, ' ')
				}
				buf = append(buf, toks[k].key...)
			}
			if rs, _ := g.lookup(string(buf)); len(rs) > 0 {
				refs, n = rs, w
				break
			}
		}
		if len(refs) == 0 {
			continue
		}
		m := &mention{i: i, j: i + n, refs: refs, rs: t.rs, re: toks[i+n-1].re, bs: t.s, be: toks[i+n-1].e, para: t.para, sent: t.sent, best: -1, alt: math.Inf(-1)}
		out = append(out, m)
		i += n - 1
	}
	return out
}

// phrase says whether toks can be one name: all words, none but the first
// joined across a sentence, the last capitalised unless it is a generic word.
func phrase(toks []tok) bool {
	for k := range toks {
		if toks[k].p != 0 || k > 0 && toks[k].first {
			return false
		}
	}
	last := toks[len(toks)-1]
	return last.cap || admWords[last.key] || cityWords[last.key] || last.key == "island" || last.key == "valley"
}

// cues reads the words around each mention and drops the meanings the text
// rules out: a name inside a longer capitalised name ("Paris Hilton"), a
// person's title before it, or a common word or small town with nothing
// saying it is a place.
func (g *Gazetteer) cues(toks []tok, ms []*mention) []*mention {
	// a name that is part of a longer capitalised name somewhere in the
	// story ("Frederick Forsyth") is that name, alone, elsewhere in it too
	inRun := map[string]bool{}
	for _, m := range ms {
		if partialRun(toks, m, g.isAdj) {
			inRun[joinKeys(toks[m.i:m.j])] = true
		}
	}
	out := ms[:0]
	for _, m := range ms {
		g.readCues(toks, m)
		partial := partialRun(toks, m, g.isAdj)
		titled := m.i > 0 && toks[m.i-1].p == 0 && titles[toks[m.i-1].key]
		key := joinKeys(toks[m.i:m.j])
		m.key = key
		m.strong = m.wantAdm || m.wantCity || m.capital || len(m.qual) > 0
		speaker := m.j < len(toks) && toks[m.j].p == 0 && speech[toks[m.j].key] // "Napier said"
		m.common = g.cue[key] || calendar[key]
		cued := m.strong || m.prep != "" || m.based
		var keep []ref
		region := false
		for _, r := range m.refs {
			switch r.kind {
			case refRegion:
				region = true
			case refAdj, refPerson:
				keep = append(keep, r) // evidence, whatever surrounds it
				continue
			case refCountry, refArea, refSeat:
				if partial || titled {
					continue
				}
			case refAdmin, refAdmin2, refPlace:
				switch {
				case partial || titled:
					continue
				case (speaker || inRun[key]) && m.prep == "" && !m.strong && !g.famous(r):
					continue
				case calendar[key] && !m.strong: // "in March"
					continue
				case g.cue[key] && !(m.strong || cued && g.notable(r)): // "police", "Reading"
					continue
				case g.weak(r) && !cued:
					continue
				}
			}
			keep = append(keep, r)
		}
		if region {
			continue // "Africa" is no town, whatever else bears the name
		}
		if len(keep) == 0 {
			continue
		}
		m.refs = keep
		out = append(out, m)
	}
	return out
}

// weak says whether a meaning is too small to be read without a cue: a
// town under 50,000 that is no seat and that dyad's dictionaries do not name.
func (g *Gazetteer) weak(r ref) bool {
	if r.kind != refPlace {
		return false
	}
	p := &g.places[r.idx]
	return p.Pop < 50000 && !p.News && p.Feature != "PPLC" && p.Feature != "PPLA"
}

// famous: a capital, or a place or division dyad's dictionaries name.
func (g *Gazetteer) famous(r ref) bool {
	switch r.kind {
	case refPlace:
		p := &g.places[r.idx]
		return p.Feature == "PPLC" || p.News
	case refAdmin:
		return g.admins[r.idx].News
	}
	return false
}

// notable says whether a meaning is well known enough that a preposition
// alone makes a common word a place: "in Reading", "in Mobile".
func (g *Gazetteer) notable(r ref) bool {
	switch r.kind {
	case refPlace:
		p := &g.places[r.idx]
		return p.Pop >= 100000 || p.News || p.Feature == "PPLC" || p.Feature == "PPLA"
	case refAdmin:
		a := &g.admins[r.idx]
		return a.Pop >= 1000000 || a.News
	case refAdmin2:
		return g.admins2[r.idx].Pop >= 1000000
	}
	return true
}

var speech = set("said", "says", "told", "tells", "added", "argued", "claimed", "insisted", "warned", "wrote",
	"believes", "believed", "admitted", "denied", "explained", "stressed", "replied", "asked", "urged")

var calendar = set("january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

func joinKeys(toks []tok) string {
	if len(toks) == 1 {
		return toks[0].key
	}
	var b strings.Builder
	for k, t := range toks {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key)
	}
	return b.String()
}

// partialRun says whether the mention is part of a longer run of
// capitalised words ("Paris Hilton", "Georgia Tech", "Washington Post"); a
// demonym before it does not count ("Indian Punjab").
func partialRun(toks []tok, m *mention, adj func(tok) bool) bool {
	// "Ernst & Young", "Marks & Spencer"
	if m.j < len(toks) && toks[m.j].p == '&' || m.i > 0 && toks[m.i-1].p == '&' {
		return true
	}
	if m.j < len(toks) {
		t := toks[m.j]
		if t.p == 0 && t.cap && !t.first && !breakers[t.key] && !toks[m.j-1].poss {
			return true
		}
	}
	if m.i > 0 {
		t := toks[m.i-1]
		if t.p == 0 && t.cap && !toks[m.i].first && !breakers[t.key] && !t.poss && !adj(t) {
			return true
		}
	}
	return false
}

// readCues sets the mention's preposition, generic words and topic.
func (g *Gazetteer) readCues(toks []tok, m *mention) {
	last := toks[m.j-1]
	m.poss = last.poss
	// after the name: "X-based", "X province", "X city"
	if m.j < len(toks) {
		nx := toks[m.j]
		switch {
		case nx.p == 0 && nx.hyph && nx.key == "based":
			m.based = true
		case nx.p == 0 && admWords[nx.key] && !last.poss:
			m.wantAdm = true
		case nx.p == 0 && (nx.key == "city" || nx.key == "town") && !last.poss:
			m.wantCity = true
		}
	}
	if admWords[last.key] {
		m.wantAdm = true // the generic word is part of the name: "Helmand province"
	}
	// before the name: walk back over the words that may stand between a
	// preposition and its place ("in the northern city of")
	k := m.i - 1
	for steps := 0; k >= 0 && steps < 6; steps++ {
		t := toks[k]
		if t.p == ',' && k > 0 && toks[k-1].key == "capital" {
			m.capital, m.wantCity = true, true // "the capital, Kabul"
			k--
			continue
		}
		if t.p != 0 {
			break
		}
		if admWords[t.key] && k+1 < len(toks) && (toks[k+1].key == "of" || k+1 == m.i) {
			m.wantAdm = true
		}
		if cityWords[t.key] {
			m.wantCity = true
			m.capital = m.capital || t.key == "capital"
		}
		if locPreps[t.key] || motionPreps[t.key] {
			break
		}
		if topicWords[t.key] {
			m.topic = true // "sanctions over Xinjiang"
			k = -1
			break
		}
		if t.cap && !t.first || !between[t.key] {
			if !g.qualifierWord(t) {
				k = -1
				break
			}
		}
		k--
	}
	if k >= 0 && toks[k].p == 0 && (locPreps[toks[k].key] || motionPreps[toks[k].key]) {
		m.prep = toks[k].key
		m.motion = motionPreps[m.prep]
		m.travel = !prepWords[m.prep] || k > 0 && travelWords[toks[k-1].key]
		// a topic word before the preposition: "over abuses in Xinjiang"
		for q, steps := k-1, 0; q >= 0 && steps < 7; q, steps = q-1, steps+1 {
			t := toks[q]
			if t.p != 0 && t.p != '\'' {
				break
			}
			if topicWords[t.key] {
				m.topic = true
				break
			}
			if locPreps[t.key] && t.key != "of" {
				break
			}
		}
	}
}

// isAdj says whether a word is a country's adjective ("Indian").
func (g *Gazetteer) isAdj(t tok) bool {
	refs, _ := g.lookup(t.key)
	for _, r := range refs {
		if r.kind == refAdj {
			return true
		}
	}
	return false
}

// qualifierWord says whether a capitalised word may stand between a
// preposition and a place as the place's qualifier: "in the Lebanese city
// of Tripoli", "in Pakistan's Punjab province".
func (g *Gazetteer) qualifierWord(t tok) bool {
	if !t.cap {
		return false
	}
	refs, _ := g.lookup(t.key)
	for _, r := range refs {
		if r.kind == refAdj || t.poss && (r.kind == refCountry || r.kind == refAdmin) {
			return true
		}
	}
	return false
}
