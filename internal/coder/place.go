package coder

import (
	"strings"
	"unicode"

	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/textproc"
)

// Countries for roles that name none: from the sentence's place, its one state,
// or the state the story is about.

// census counts the states a story names — and its dateline's place — so
// roles without a country can take the story's state.
func (c *Coder) census(sents []textproc.Sentence, dl *model.Dateline, st *docState) {
	count := func(toks []textproc.Token, weight int) {
		for i := 0; i < len(toks); {
			es, n := c.actors.Match(toks, i)
			if n == 0 {
				i++
				continue
			}
			switch e := pick(es, st.date); e.Kind {
			case dict.Country, dict.Adjective, dict.City:
				if code := e.CodeAt(st.date); len(code) >= 3 {
					st.mentions[code[:3]] += weight
				}
			case dict.Org:
				if e.P == nil {
					break // an agency or company says little about the story's state
				}
				if code := e.CodeAt(st.date); len(code) >= 3 {
					st.mentions[code[:3]] += 2 * weight // a party
				}
			case dict.Seat, dict.Person:
				// a story is about the state whose people and institutions
				// act in it more than about the states it names
				if code := e.CodeAt(st.date); len(code) >= 3 {
					st.mentions[code[:3]] += 2 * weight
				}
				if e.Kind == dict.Person && n >= 2 {
					// "Liam Fox" in the story makes its headline's "Fox" him
					if last := toks[i+n-1].Lower; st.surnames[last] == nil {
						st.surnames[last] = e
					}
				}
			}
			i += n
		}
	}
	if dl != nil && dl.Place != "" {
		count(textproc.Tokenize(titleCase(dl.Place)), 2)
	}
	for _, s := range sents {
		count(s.Tokens, 1)
		c.strangers(s.Tokens, st)
		for i := 1; i < len(s.Tokens); i++ {
			if g := titleGender[s.Tokens[i-1].Lower]; g != 0 && s.Tokens[i].Cap && s.Tokens[i].Kind == textproc.Word {
				// "Ms Sturgeon": "he" is someone else; "Mr and Mrs Howard": no telling
				if old, ok := st.gender[s.Tokens[i].Lower]; ok && old != g {
					g = '?'
				}
				st.gender[s.Tokens[i].Lower] = g
			}
		}
	}
}

// placeAgents gives a role with no country ("police", "rebels") the country
// of the one place the sentence puts things in ("In Seoul, police ...",
// "rebels in Syria"), else of the one state it names, else of the state the
// story is mostly about.
func (c *Coder) placeAgents(toks []textproc.Token, nps []*np, st *docState) {
	place, in, ok := c.sentencePlace(toks, nps)
	if ok && place == "" {
		// a story's roles belong to the state it is about: "the home
		// secretary" in a story about Britain
		place = st.dominant()
	}
	story := st.dominant()
	if !ok && story != "" {
		// two states named ("denied being leant on by Downing Street to
		// make the case for invading Iraq"): when one is the story's, a
		// role belongs to it
		for _, p := range nps {
			if p.country && country(p.code) == story {
				place = story
			}
		}
	}
	for _, p := range nps {
		if !strings.HasPrefix(p.code, "---") {
			continue
		}
		if p.start > 0 && alien[toks[p.start-1].Lower] {
			continue // "the foreign detainees" are not the story state's people
		}
		place := place
		if (p.stranger && (p.sector == "" || !in) || p.institution) && story != "" {
			// "Mr Howard said … in Canada", "the National Audit Office": a
			// person or a body belongs to the story's state, unless a titled
			// one acts in a place ("President Laurent Gbagbo ... in Ivory
			// Coast")
			place = story
		}
		if !in && place != story && story != "" && (p.start > 0 && toks[p.start-1].Lower == "the" || p.sector == "LEG") {
			// a state named elsewhere in the sentence does not own "the
			// prime minister" or "MPs": "the prince's actions ... Auschwitz"
			place = story
		}
		if place == "" {
			continue
		}
		p.code = place + p.code[3:]
		p.country = true
		p.entry += " place:" + place
	}
}

// sentencePlace is the one place the sentence puts things in ("In Seoul,
// police ...", in is then true), else the one state it names; ok is false
// when it names two, and no guess should be made.
func (c *Coder) sentencePlace(toks []textproc.Token, nps []*np) (place string, in, ok bool) {
	for _, p := range nps {
		if !p.country || p.person != nil || p.start == 0 || !preps[toks[p.start-1].Lower] && !(p.start > 1 && toks[p.start-1].Lower == "the" && preps[toks[p.start-2].Lower]) {
			continue
		}
		w := toks[p.start-1].Lower
		if w == "the" {
			w = toks[p.start-2].Lower
		}
		if w != "in" && w != "across" && w != "inside" && w != "near" {
			continue
		}
		c := p.code[:3]
		if c == "IGO" || c == "NGO" || c == "---" || inRelativeClause(toks, p.start) {
			continue // "Mr Howard, whose grandmother died in Auschwitz, said"
		}
		if place != "" && place != c {
			return "", false, false // two places: no guess
		}
		place = c
	}
	if place != "" {
		return place, true, true
	}
	// no "in X": the one state the sentence names, if it names one and not
	// as a modifier ("criticises Iraq war cost")
	for _, p := range nps {
		if !p.country || p.org || len(p.code) < 3 || p.code[:3] == "---" || c.modifies(toks, p) {
			continue
		}
		if place != "" && place != p.code[:3] {
			return "", false, false
		}
		place = p.code[:3]
	}
	return place, false, true
}

// modifies: the phrase is followed by a lower-case singular noun it
// modifies ("the Iraq war", "the EU rebate").
func (c *Coder) modifies(toks []textproc.Token, p *np) bool {
	if p.end >= len(toks) {
		return false
	}
	n := toks[p.end]
	w := n.Lower
	return n.Kind == textproc.Word && !n.Cap && w != "'s" && !function[w] && !preps[w] && !auxiliary[w] && !beForms[w] &&
		!clauseEnd[w] && !adverbs[w] && !strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ly") &&
		!c.patterns.Verb(w)
}

// titleCase turns a dateline's "NEW YORK" into "New York" for lookup.
func titleCase(s string) string {
	b := []rune(strings.ToLower(s))
	up := true
	for i, r := range b {
		if up {
			b[i] = unicode.ToUpper(r)
		}
		up = r == ' ' || r == '-'
	}
	return string(b)
}

// strangers marks surnames that the story gives to someone the dictionary
// does not know ("Michael Howard" anywhere in a story makes every "Howard"
// in it that man, not Australia's prime minister), and the surnames of
// unknown people named in full ("Robert Preston"), so that "Preston" alone
// — in a headline, say — still names a person.
func (c *Coder) strangers(toks []textproc.Token, st *docState) {
	for i := 1; i < len(toks); i++ {
		t, prev := toks[i], toks[i-1]
		if !t.Cap || !prev.Cap || prev.Kind != textproc.Word || t.Kind != textproc.Word || titles[prev.Lower] ||
			function[prev.Lower] || adjuncts[prev.Lower] || calendar[prev.Lower] || calendar[t.Lower] {
			continue
		}
		if _, n := c.actors.Match(toks, i-1); n != 0 {
			continue
		}
		if len(c.actors.Surname(t.Lower)) > 0 {
			st.strangers[t.Lower] = true
		} else if _, n := c.actors.Match(toks, i); n != 0 {
			continue
		}
		// a name of two words, not part of a longer proper name
		if (i+1 >= len(toks) || !toks[i+1].Cap) && (i < 2 || !toks[i-2].Cap || titles[toks[i-2].Lower]) {
			st.named[t.Lower] = true
		}
	}
}

// ownState: a role placed in the sentence's one state acts on that state —
// "the cardinal denounced the war in Iraq" — so the state is what the act
// is about, and the role belongs to the state the story is about.
func ownState(ms []*match, st *docState) {
	story := st.dominant()
	for _, m := range ms {
		if m.source == nil || m.target == nil || len(m.source.members) != 1 || story == "" {
			continue
		}
		p, t := m.source.members[0], m.target.members[0]
		here := country(t.code)
		if len(p.code) < 3 || len(here) < 3 || here == story || country(p.code) != here || m.target.start < m.anchor {
			continue
		}
		// only a role the sentence's place gave a country, acting on a
		// state the text names itself
		if p.person != nil || p.stranger || !strings.HasSuffix(p.entry, " place:"+here) || strings.Contains(t.entry, "place:") {
			continue
		}
		p.code = story + p.code[3:]
		p.entry = strings.TrimSuffix(p.entry, here) + story
	}
}

// alien words say a group comes from elsewhere, whatever state it is in.
var alien = map[string]bool{"foreign": true, "overseas": true, "alien": true, "expatriate": true}

// spokes are agents who speak for whoever they are "for".
var spokes = map[string]bool{"spokesman": true, "spokeswoman": true, "spokesperson": true, "spokesmen": true, "spokespeople": true}

// spokesFor gives "a spokesman for UKIP" the code of the body it speaks for;
// when that body is no actor we know ("the campaign group Liberty") the
// spokesman keeps only the country, for he is no state official.
func spokesFor(toks []textproc.Token, nps []*np) {
	for _, p := range nps {
		if p.person != nil || p.stranger || p.end >= len(toks) || !spokes[toks[p.end-1].Lower] || toks[p.end].Lower != "for" {
			continue
		}
		var q *np
		for _, o := range nps {
			// the body may follow a few lower-case words: "for the party"
			if o.start > p.end && o.start <= p.end+4 && (q == nil || o.start < q.start) {
				q = o
			}
		}
		if q != nil && !strings.HasPrefix(q.code, "---") {
			gap := false
			for k := p.end + 1; k < q.start; k++ {
				if toks[k].Kind != textproc.Word || toks[k].Cap && !article[toks[k].Lower] {
					gap = true
				}
			}
			if !gap {
				p.code, p.name, p.country, p.org = q.code, q.name, q.country, q.org
				p.entry += " for:" + q.entry
				continue
			}
		}
		if len(p.code) > 3 && p.code[:3] != "---" {
			p.code = p.code[:3]
			p.entry += " for:unknown"
		}
	}
}

// civilGeneral: "director general", "general secretary" are civilian
// offices; "general" there is no army rank, so the phrase keeps no MIL
// sector and takes its body's or its place's code.
func civilGeneral(toks []textproc.Token, nps []*np) {
	for _, p := range nps {
		if p.person != nil || !strings.HasSuffix(p.code, "MIL") {
			continue
		}
		for k := max(p.start-1, 0); k < p.end; k++ {
			if toks[k].Lower != "general" {
				continue
			}
			prev, next := "", ""
			if k > 0 {
				prev = toks[k-1].Lower
			}
			if k+1 < len(toks) {
				next = toks[k+1].Lower
			}
			if civilOffices[prev] || civilOffices[next] {
				p.code = p.code[:len(p.code)-3]
				p.sector = ""
				p.entry += " civil-general"
				break
			}
		}
	}
}

var civilOffices = map[string]bool{"director": true, "directors": true, "secretary": true, "secretaries": true,
	"manager": true, "counsel": true}

// inRelativeClause reports whether token i sits in a relative clause that
// opens after the last comma before it: ", whose grandmother died in X".
func inRelativeClause(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 0; k-- {
		switch toks[k].Lower {
		case ",", ";", ":", "(", "\"":
			return false
		case "who", "whose", "whom":
			return k > 0 && toks[k-1].Lower == ","
		}
	}
	return false
}

// placeModifiers drops towns that only say where someone is from or what
// something is called: "the Brighton conference", "a man from Leicester",
// "a network based in Leicester". The town is not the one who acts or is
// acted on; the person or body it describes is.
func (c *Coder) placeModifiers(toks []textproc.Token, nps []*np) []*np {
	out := nps[:0]
	for _, p := range nps {
		if p.place && p.sector == "" && p.person == nil && !p.institution && townModifier(c, toks, p, len(out) > 0 && describes(toks, out[len(out)-1], p)) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// describes reports whether town p follows actor q in the same phrase:
// "Mr Tyndall, from Brighton".
func describes(toks []textproc.Token, q, p *np) bool {
	k := p.start - 1
	if k > 0 && toks[k-1].Lower == "based" {
		k--
	}
	if k > 0 && toks[k-1].Lower == "," {
		k--
	}
	return q.end == k
}

// townModifier: the town names a thing ("the Brighton conference"), or the
// home of an actor named just before it (after, an actor named there).
func townModifier(c *Coder, toks []textproc.Token, p *np, after bool) bool {
	if c.modifies(toks, p) {
		// "told the Brighton conference"; "in the Darfur region" is a place
		b := p.start - 1
		if b >= 0 && toks[b].Lower == "the" {
			b--
		}
		return b < 0 || !preps[toks[b].Lower]
	}
	if p.start == 0 {
		return false
	}
	switch toks[p.start-1].Lower {
	case "from":
		return after // "Mr Tyndall, from Brighton"; "a man from Leicester" has only the town
	case "in":
		return after && p.start > 1 && toks[p.start-2].Lower == "based"
	}
	return false
}
