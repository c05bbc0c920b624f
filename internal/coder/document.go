package coder

import (
	"slices"
	"strings"

	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/textproc"
)

// docState carries what earlier sentences of a document said, so later ones
// can refer back: "Lavrov" after "Sergey Lavrov", "he", "the two countries".
type docState struct {
	date         string
	surnames     map[string]*dict.Entry
	countries    map[string]bool // states named so far
	strangers    map[string]bool // surnames of people named in full whom the dictionary does not know
	named        map[string]bool // surnames of unknown people named in full: "Preston" after "Robert Preston"
	mentions     map[string]int  // how often the story names each state (see census)
	lastPerson   *np
	lastPair     []*np             // the latest compound of two or more states
	sentence     int               // index of the sentence being coded
	lastBody     *np               // the last body, party or group that acted: "they"
	lastBodyAt   int               // the sentence lastBody acted in
	people       []*np             // people named so far, the latest last: "him" is one of them
	strangerCode map[string]string // surname of an unknown person -> the code they were introduced with
	gender       map[string]byte   // surname -> 'm' or 'f', from a title anywhere in the story ("Ms Sturgeon")
}

func newDocState(date string) *docState {
	return &docState{date: date, surnames: map[string]*dict.Entry{}, countries: map[string]bool{}, strangers: map[string]bool{}, named: map[string]bool{}, mentions: map[string]int{}, gender: map[string]byte{}, strangerCode: map[string]string{}}
}

func (st *docState) sawPerson(toks []textproc.Token, p *np) {
	if !possessor(toks, p) {
		st.lastPerson = p // "despite George Bush's refusal": "she" is not Bush
	}
	if p.pEnd-p.pStart < 2 {
		return
	}
	st.surnames[toks[p.pEnd-1].Lower] = p.person
	// family name first: "Wang Yi" is "Wang", "Kim Jong Un" is "Kim"
	if familyFirst[country(p.code)] {
		st.surnames[toks[p.pStart].Lower] = p.person
	}
}

var familyFirst = map[string]bool{"CHN": true, "TWN": true, "HKG": true, "MAC": true, "KOR": true, "PRK": true, "VNM": true, "KHM": true, "SGP": true}

func country(code string) string {
	if len(code) >= 3 {
		return code[:3]
	}
	return code
}

// surname resolves a capitalised last name: first from people named earlier in
// the document, then from the dictionary when exactly one person of that name
// held office on the document's date ("Biden", "Erdogan").
func (st *docState) surname(toks []textproc.Token, i int, a *dict.Actors) *dict.Entry {
	t := toks[i]
	if !t.Cap || t.Kind != textproc.Word || len(t.Lower) < 3 {
		return nil
	}
	// part of a longer unknown name ("Li Keqiang" vs "Keqiang Li")
	if i+1 < len(toks) && toks[i+1].Cap && toks[i+1].Kind == textproc.Word && toks[i+1].Lower != "'s" && i+1 < len(toks)-1 {
		if _, n := a.Match(toks, i+1); n == 0 {
			return nil
		}
	}
	if e := st.surnames[t.Lower]; e != nil {
		return e
	}
	// someone we do not know by name: "Michael Howard" is not John Howard,
	// and "Mr Howard" later in the story is the same unknown man
	if st.strangers[t.Lower] {
		return nil
	}
	if i > 1 && toks[i-1].Cap && toks[i-1].Kind == textproc.Word && !titles[toks[i-1].Lower] {
		if _, n := a.Match(toks, i-1); n == 0 {
			st.strangers[t.Lower] = true
			return nil
		}
	}
	if st.date == "" {
		// no date: one person of that name, or several of one country (the
		// Bushes) still give the country
		cands := a.Surname(t.Lower)
		if len(cands) == 0 {
			return nil
		}
		for _, e := range cands[1:] {
			if country(e.CodeAt("")) != country(cands[0].CodeAt("")) {
				return nil
			}
		}
		return cands[0]
	}
	var found *dict.Entry
	for _, e := range a.Surname(t.Lower) {
		// a bare surname stands for a foreign leader only in a story that
		// names the leader's country ("Fox" is Mexico's only beside Mexico)
		// a sitting head of state or government ("Putin", "Bush") is known
		// by surname anywhere
		if inOffice(e, st.date) && (st.countries[country(e.CodeAt(st.date))] || leaderOn(e, st.date)) {
			if found != nil {
				return nil
			}
			found = e
		}
	}
	return found
}

// leaderOn: the person heads a state or government on date.
func leaderOn(e *dict.Entry, date string) bool {
	for _, t := range e.P.Terms {
		if t.Start <= date && (t.End == "" || date < t.End) {
			r := strings.ToLower(t.Role)
			if strings.Contains(r, "president") && !strings.Contains(r, "vice") || strings.Contains(r, "prime minister") && !strings.Contains(r, "deputy") ||
				strings.Contains(r, "chancellor") || strings.HasPrefix(r, "king") || strings.Contains(r, "supreme leader") {
				return true
			}
		}
	}
	return false
}

func inOffice(e *dict.Entry, date string) bool {
	for _, t := range e.P.Terms {
		if t.Start <= date && (t.End == "" || date < t.End) && !strings.HasSuffix(t.Code, "ELI") {
			return true
		}
	}
	return false
}

// titles before a surname: "Mr Howard" names a person without a first name.
var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "mr.": true, "mrs.": true,
	"ms.": true, "dr.": true, "sir": true, "lord": true, "lady": true, "dame": true, "baroness": true, "gen": true,
	"gen.": true, "col": true, "col.": true, "lt": true, "lt.": true, "maj": true, "maj.": true, "capt": true,
	"capt.": true, "sgt": true, "sgt.": true, "adm": true, "adm.": true, "prof": true, "prof.": true, "rev": true,
	"rev.": true, "cllr": true}

// topic makes the sentence's subject, not the last person it names, the one
// a later sentence's "he" means: "Gen Musharraf arrived after flying from
// the US, where he met President Bush. He is due to visit Manchester" is
// Musharraf. The subject is the first person named, a possessor only when
// it opens the sentence ("Mr Brown's insistence ... was a rebuttal of
// Mandelson"), never the object of a preposition. An unknown full name
// before it leaves no one to refer to. It also keeps the people named so
// far for "him" and a pronoun whose gender rules out the subject.
func (st *docState) topic(toks []textproc.Token, nps []*np) {
	for _, p := range nps {
		if p.person != nil || p.stranger {
			st.people = slices.DeleteFunc(st.people, func(q *np) bool { return q.name == p.name && q.code == p.code })
			st.people = append(st.people, p)
			if len(st.people) > 20 {
				st.people = st.people[1:] // a pronoun reaches back a few sentences, not a whole book
			}
		}
	}
	in := quoteMask(toks)
	for _, p := range nps {
		if p.person == nil && !p.stranger || in[p.start] {
			continue
		}
		if possessor(toks, p) && !opens(toks, p) {
			continue
		}
		if b := p.start - 1; b >= 0 && (preps[toks[b].Lower] || b > 0 && determiner[toks[b].Lower] && preps[toks[b-1].Lower]) {
			continue // "In a speech on the re-election of George Bush, Mr Kennedy said"
		}
		for i := 1; i < p.start; i++ {
			a, b := toks[i-1], toks[i]
			if a.Cap && b.Cap && a.Kind == textproc.Word && b.Kind == textproc.Word && !titles[a.Lower] &&
				!function[a.Lower] && !covered(nps, i-1) && !covered(nps, i) {
				return // "Theresa May said" before him: forgetPerson has spoken
			}
		}
		st.lastPerson = p
		return
	}
}

// plural references to the latest pair of states.
var pairWords = map[string]bool{"countries": true, "nations": true, "sides": true, "governments": true, "states": true, "neighbours": true, "neighbors": true, "leaders": true, "powers": true}

// references adds phrases for "both countries", "the two sides", "he",
// "she", "him", "I" in a quotation, "they", and "it" after a speech verb. A
// title's gender ("Ms Sturgeon") keeps "he" from meaning a woman.
func (st *docState) references(toks []textproc.Token, nps []*np, before *np) []*np {
	for _, p := range nps {
		if p.person != nil || p.stranger {
			p.gender = st.genderOf(toks, p)
		}
	}
	var out []*np
	for i := 0; i < len(toks); i++ {
		w := toks[i].Lower
		if (w == "both" || w == "two") && i+1 < len(toks) && pairWords[toks[i+1].Lower] && len(st.lastPair) == 2 && !covered(nps, i) {
			start := i
			if w == "two" && i > 0 && toks[i-1].Lower == "the" {
				start = i - 1
			}
			for _, m := range st.lastPair {
				out = append(out, corefAt(m, start, i+2))
			}
			i++
			continue
		}
		// "he" is the last person named before it: earlier in this sentence,
		// else in an earlier one
		person := before
		want := pronounGender[w]
		if person != nil && (!st.fits(person, want) || namedLater(toks, nps, person, i)) {
			// "He went on to accuse Mr Brown": a pronoun does not mean a
			// person its own sentence names
			person = st.latest(want, nps)
		}
		for _, p := range nps {
			if p.end <= i && (p.person != nil || p.stranger) && (!possessor(toks, p) || opens(toks, p)) && st.fits(p, want) {
				person = p // "Mr Blunkett's comments prompted censure - he told"
			}
		}
		if (w == "he" || w == "she") && person != nil && !covered(nps, i) {
			cp := corefAt(person, i, i+1)
			cp.gender = want
			out = append(out, cp)
		} else if (w == "he" || w == "she") && person == nil && st.sentence > 0 && !covered(nps, i) {
			// someone the story named whom we could not identify ("Robert
			// Preston's book ... In it he alleges"): a person of the story's
			// state, as an unknown "Mr Preston" would be
			out = append(out, &np{start: i, end: i + 1, code: "---", name: toks[i].Text, entry: "coref:unknown", stranger: true})
		}
		// "I" inside a quotation is its speaker, named outside it in the
		// same sentence: 'Mr Clarke said: "I will be asking Parliament ..."'
		if toks[i].Text == "I" && !covered(nps, i) {
			if sp := speaker(toks, nps, i); sp != nil {
				out = append(out, corefAt(sp, i, i+1))
			}
		}
		// "they" opening a sentence or clause: the body that acted last
		body := st.lastBody
		if st.sentence == 0 {
			body = nil
		}
		for _, p := range nps {
			if p.end <= i && p.person == nil && !p.stranger && p.country && !p.place {
				body = p // "The Tories say they will vote against it"
			}
		}
		// "The government said it would invite observers": "it" after a
		// speech verb is the body that spoke, named earlier in the sentence
		if w == "it" && i > 0 && speech[toks[i-1].Lower] && !covered(nps, i) && i+1 < len(toks) && auxiliary[toks[i+1].Lower] {
			// the sentence's subject, when it is a body: "it was a serious
			// matter" is no one
			var it *np
			if len(nps) > 0 {
				if p := nps[0]; p.end < i && p.person == nil && !p.stranger && p.country && !p.place && !p.adjOnly && (p.start == 0 || !preps[toks[p.start-1].Lower]) {
					it = p
				}
			}
			if it != nil {
				out = append(out, corefAt(it, i, i+1))
			}
		}
		// "It is also calling on ...", "It urged ...": an "It" that opens a
		// sentence and acts is the body that acted last; "It is thought"
		// and "It emerged" stay no one
		if toks[i].Text == "It" && i == 0 && st.lastBody != nil && st.sentence > 0 && st.sentence-st.lastBodyAt <= 3 && actingIt(toks) {
			out = append(out, corefAt(st.lastBody, i, i+1))
		}
		if w == "they" && body != nil && !covered(nps, i) && (i == 0 || clauseStart(toks[i-1].Lower) || speech[toks[i-1].Lower]) {
			out = append(out, corefAt(body, i, i+1))
		}
		// "him" is not the sentence's subject: a person it named after the
		// subject, else the person of the sentences before, if this one has
		// not named them
		// "The premier said Mr Brown will have a key role, and praised his
		// handling": "his" after a verb of judgement is a person the
		// sentence named after its subject
		if w == "his" && i > 0 && judging[toks[i-1].Lower] && !covered(nps, i) {
			var his *np
			for k, p := range nps {
				if k > 0 && p.end <= i && (p.person != nil || p.stranger) && !possessor(toks, p) && st.fits(p, 'm') {
					his = p
				}
			}
			if his != nil {
				out = append(out, corefAt(his, i, i+1))
			}
		}
		if w != "him" || covered(nps, i) {
			continue
		}
		him := before
		if him != nil && (namedIn(nps, him) || !st.fits(him, 'm')) {
			him = nil
		}
		for k, p := range nps {
			// the sentence's first actor is its subject, not "him"
			if k > 0 && p.end <= i && (p.person != nil || p.stranger) && !possessor(toks, p) && st.fits(p, 'm') {
				him = p // "wrote to Mr McConnell ... accusing him"
			}
		}
		if him == nil && len(nps) > 0 && (nps[0].person != nil || nps[0].stranger) && nps[0].end < i && st.fits(nps[0], 'm') && complementBetween(toks, nps[0].end, i) {
			// "Mr Campbell said claims that the agency was blaming him":
			// across a that-clause the subject may be meant
			him = nps[0]
		}
		if him == nil {
			// "Oaten accused Mr Clarke ... I want him to": not the speaker
			him = st.latest('m', nps)
		}
		if him != nil {
			out = append(out, corefAt(him, i, i+1))
		}
	}
	if len(out) == 0 {
		return nps
	}
	all := append(append([]*np{}, nps...), out...)
	sortNPs(all)
	return all
}

var pronounGender = map[string]byte{"he": 'm', "him": 'm', "she": 'f'}

// genderOf: 'm' or 'f' from a title before the person's name or elsewhere
// in the story ("Mrs Robinson", "Sir Menzies"); 0 when unknown.
func (st *docState) genderOf(toks []textproc.Token, p *np) byte {
	for _, k := range []int{p.start - 1, p.start, p.pStart - 1} {
		if k >= 0 && k < len(toks) {
			if g := titleGender[toks[k].Lower]; g != 0 {
				return g
			}
		}
	}
	if p.end > 0 && p.end <= len(toks) {
		if g := st.gender[toks[p.end-1].Lower]; g != '?' {
			return g
		}
	}
	return 0
}

// fits: the person may be meant by a pronoun of gender want (0: any).
func (st *docState) fits(p *np, want byte) bool {
	g := p.gender
	if g == 0 {
		g = st.gender[strings.ToLower(lastWord(p.name))]
	}
	return want == 0 || g == 0 || g == '?' || g == want
}

// latest is the person named last in earlier sentences whom a pronoun of
// gender want may mean and the sentence has not named (nps), or nil.
func (st *docState) latest(want byte, nps []*np) *np {
	for k := len(st.people) - 1; k >= 0; k-- {
		p := st.people[k]
		if st.fits(p, want) && !namedIn(nps, p) {
			return p
		}
	}
	return nil
}

func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

var titleGender = map[string]byte{"mr": 'm', "mr.": 'm', "sir": 'm', "lord": 'm', "mrs": 'f', "mrs.": 'f', "ms": 'f',
	"ms.": 'f', "miss": 'f', "lady": 'f', "dame": 'f', "baroness": 'f'}

// complementBetween: a "that" or a speech verb between tokens from and to
// opens a clause inside the sentence.
func complementBetween(toks []textproc.Token, from, to int) bool {
	for k := from; k < to; k++ {
		if toks[k].Lower == "that" || speech[toks[k].Lower] {
			return true
		}
	}
	return false
}

// speech verbs may open a clause without "that": "say they will".
var speech = map[string]bool{"say": true, "says": true, "said": true, "insist": true, "insists": true, "insisted": true,
	"claim": true, "claims": true, "claimed": true, "argue": true, "argued": true, "believe": true, "believes": true}

// speaker is the one person the sentence names outside the quotation that
// holds token i, or nil.
func speaker(toks []textproc.Token, nps []*np, i int) *np {
	in := quoteMask(toks)
	if !in[i] {
		return nil
	}
	var found *np
	for _, p := range nps {
		if (p.person != nil || p.stranger) && !in[p.start] {
			if found != nil && found.name != p.name {
				return nil
			}
			found = p
		}
	}
	return found
}

// possessor: the phrase owns the next noun ("George Bush's refusal").
func possessor(toks []textproc.Token, p *np) bool {
	return p.end < len(toks) && toks[p.end].Lower == "'s"
}

// clauseStart: a word after which a clause's subject begins.
func clauseStart(w string) bool {
	switch w {
	case "and", "but", ",", "\"", ":", ";", "that", "as", "because", "so", "when", "if", "since", "while":
		return true
	}
	return false
}

func covered(nps []*np, i int) bool {
	for _, p := range nps {
		if p.start <= i && i < p.end {
			return true
		}
	}
	return false
}

func sortNPs(nps []*np) {
	for i := 1; i < len(nps); i++ {
		for j := i; j > 0 && nps[j].start < nps[j-1].start; j-- {
			nps[j], nps[j-1] = nps[j-1], nps[j]
		}
	}
}

// remember keeps the states named and the latest pair of named states.
func (st *docState) remember(gs []*group) {
	for _, g := range gs {
		for _, m := range g.members {
			if m.country && len(m.code) >= 3 {
				st.countries[m.code[:3]] = true

			}
		}
		n := 0
		for _, m := range g.members {
			if m.country && !strings.HasPrefix(m.code, "---") {
				n++
			}
		}
		if n == 2 && !strings.HasPrefix(g.members[0].entry, "coref:") {
			st.lastPair = g.members
		}
	}
}

// rememberEvents keeps the two sides of a one-to-one event as the pair that
// "the two countries" in a later sentence refers to.
func (st *docState) rememberEvents(ms []*match) {
	for _, m := range ms {
		// "They" in a later sentence: the last body, party or group that acted
		if m.source != nil && len(m.source.members) == 1 {
			if p := m.source.members[0]; p.person == nil && !p.stranger && p.country && !strings.HasPrefix(p.entry, "coref:") {
				st.lastBody = p
				st.lastBodyAt = st.sentence
			}
		}
		if r := m.code[:2]; r < "03" || r > "06" {
			continue // only meetings and cooperation make a pair ("the two leaders")
		}
		if m.source != nil && m.target != nil && len(m.source.members) == 1 && len(m.target.members) == 1 {
			a, b := m.source.members[0], m.target.members[0]
			if a.country && b.country && country(a.code) != country(b.code) && !strings.HasPrefix(a.entry, "coref:") {
				st.lastPair = []*np{a, b}
			}
		}
	}
}

// dominant is the state the story names most often, if it names it at least
// twice and more often than any other.
func (st *docState) dominant() string {
	best, n, tie := "", 0, false
	for c, k := range st.mentions {
		switch {
		case k > n:
			best, n, tie = c, k, false
		case k == n:
			tie = true
		}
	}
	if n < 2 || tie {
		return ""
	}
	return best
}

// opens: the phrase starts the sentence ("Mr Brown's insistence …").
func opens(toks []textproc.Token, p *np) bool {
	return p.start == 0 || p.start == 1 && toks[0].Lower == "the"
}

// namedLater: the clause that token i opens names this person after it —
// "He went on to accuse Mr Brown" — so i cannot mean them. A comma ends the
// clause: in "Before he resigned, David Blunkett had ..." they may.
func namedLater(toks []textproc.Token, nps []*np, p *np, i int) bool {
	for _, q := range nps {
		if q.start <= i || q.name != p.name || q.code != p.code {
			continue
		}
		for k := i + 1; k < q.start; k++ {
			if w := toks[k].Lower; w == "," || w == ";" || w == ":" || w == "\"" || w == "-" || w == "--" {
				return false
			}
		}
		return true
	}
	return false
}

// namedIn: the sentence's phrases already name this person.
func namedIn(nps []*np, p *np) bool {
	for _, q := range nps {
		if q.name == p.name && q.code == p.code {
			return true
		}
	}
	return false
}

// describe: a sentence that opens with a description of one person — "The
// former UN commissioner and Irish president told Radio 4" — right after an
// unknown person was named, gives that person the description's country,
// so that a later "Mrs Robinson" is Irish, not the story's.
func (st *docState) describe(toks []textproc.Token, nps []*np) {
	last := st.lastPerson
	if len(toks) < 3 || toks[0].Lower != "the" || last == nil || !last.stranger {
		return
	}
	key := strings.ToLower(last.name)
	if _, ok := st.strangerCode[key]; ok {
		return
	}
	former := false
	for _, p := range nps {
		if p.person != nil || p.stranger {
			return // the subject names someone else
		}
		for k := 0; k < p.start; k++ {
			if toks[k].Kind != textproc.Word {
				return // past the subject
			}
			former = former || toks[k].Lower == "former"
		}
		w := toks[p.end-1]
		if !p.country || len(p.code) <= 3 || p.code[:3] == "---" || p.code[:3] == "IGO" || w.Cap || strings.HasSuffix(w.Lower, "s") {
			continue
		}
		if p.end >= len(toks) || toks[p.end].Kind != textproc.Word || !speechVerbs[toks[p.end].Lower] {
			return // only the subject of a speech verb is surely the speaker just named
		}
		code := p.code
		if former {
			code = code[:3] // a former office holder holds no office now
		}
		st.strangerCode[key] = code
		return
	}
}

// speechVerbs report what someone said.
var speechVerbs = map[string]bool{"said": true, "says": true, "told": true, "added": true, "warned": true, "argued": true}

// impersonalIt lists verbs that an expletive "It" takes: "It emerged that",
// "It is understood", "It is going to be hard".
var impersonalIt = map[string]bool{"emerged": true, "seemed": true, "seems": true, "appeared": true, "appears": true,
	"happened": true, "remained": true, "remains": true, "looked": true, "looks": true, "sounded": true, "sounds": true,
	"mattered": true, "matters": true, "followed": true, "follows": true, "comes": true, "came": true, "means": true, "meant": true,
	"going": true, "being": true, "becoming": true, "getting": true, "looking": true, "beginning": true, "starting": true,
	"understood": true, "thought": true, "believed": true, "expected": true, "reported": true, "suggested": true, "claimed": true,
	"feared": true, "hoped": true, "estimated": true, "said": true, "added": true, "noted": true, "confirmed": true, "announced": true,
	"raining": true, "needed": true, "needs": true, "takes": true, "took": true, "costs": true, "cost": true}

// actingIt reports whether a sentence opening "It" is followed by an acting
// verb: "It urged", "It is (also) calling on", "It has called for". A
// participle after "is" or "has" counts only in the active progressive or
// perfect, so "It is understood" and "It has been suggested" do not.
func actingIt(toks []textproc.Token) bool {
	k := 1
	aux := ""
	if k < len(toks) {
		switch toks[k].Lower {
		case "is", "was", "has", "had", "will", "would":
			aux = toks[k].Lower
			k++
		}
	}
	for k < len(toks) && itAdverbs[toks[k].Lower] {
		k++
	}
	if k >= len(toks) || !isLowerWord(toks[k].Text) {
		return false
	}
	v := toks[k].Lower
	if impersonalIt[v] {
		return false
	}
	switch aux {
	case "":
		return strings.HasSuffix(v, "ed") || strings.HasSuffix(v, "s") && !strings.HasSuffix(v, "ss")
	case "is", "was":
		return strings.HasSuffix(v, "ing")
	case "has", "had":
		return strings.HasSuffix(v, "ed") && v != "been"
	default: // will, would
		return !auxiliary[v] && v != "be" && v != "have" && v != "not"
	}
}

var itAdverbs = map[string]bool{"also": true, "now": true, "already": true, "further": true, "then": true, "later": true, "again": true, "previously": true, "recently": true, "still": true}

// isLowerWord reports whether s is a word in lower case: "It Girl" is a name.
func isLowerWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			if r != '-' {
				return false
			}
		}
	}
	return true
}

// judging verbs take a person's conduct as their object: "praised his
// handling of the economy" judges him.
var judging = map[string]bool{"praised": true, "praises": true, "criticised": true, "criticises": true, "criticized": true,
	"criticizes": true, "attacked": true, "attacks": true, "condemned": true, "condemns": true, "hailed": true, "hails": true,
	"applauded": true, "applauds": true, "questioned": true, "questions": true, "defended": true, "defends": true}

// corefAt is p again as the words start..end that refer back to it.
func corefAt(p *np, start, end int) *np {
	cp := *p
	cp.start, cp.end = start, end
	cp.entry = "coref:" + cp.entry
	return &cp
}
