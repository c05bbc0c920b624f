package coder

import (
	"strings"

	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/textproc"
)

// Pattern matching: each token against the patterns that can start there, with
// gaps, optional words, adjuncts, actor slots and passives.

// matches finds the best pattern at each token, drops discards and overlaps,
// and the generic statement when something more specific was said.
func (c *Coder) matches(toks []textproc.Token, startAt map[int]*group, inActor []bool) []*match {
	var cands []*match
	discarded := make([]bool, len(toks))
	for i := range toks {
		ps := c.patterns.Starting(toks[i].Lower)
		if len(ps) == 0 {
			continue
		}
		var best *match
		for _, p := range ps {
			if (inActor[i] || toks[i].Cap && i > 0 && !quoteOpen(toks, i) || adjectival(toks, i)) && (firstIsVerb(p) || takesObject(p)) {
				// "rebels" is an actor, "Sue Essex" a name, "the detained
				// men" an adjective: not verbs
				continue
			}
			if i > 0 && (article[toks[i-1].Lower] || nounAdjective[toks[i-1].Lower]) && (bareVerb(p) || phrasal(p)) {
				// "the attacks", "a cave in Afghanistan": nouns; these
				// patterns need the verb
				continue
			}
			if i > 0 && (strings.HasPrefix(toks[i-1].Lower, "anti-") || strings.HasPrefix(toks[i-1].Lower, "pro-") || toks[i-1].Lower == "as") && (bareVerb(p) || phrasal(p) || takesObject(p)) {
				continue // "the anti-hunting lobby", "treating the incident as assault": nouns
			}
			if objectNoun(toks, i) && (firstIsVerb(p) || takesObject(p)) {
				continue // "will not tolerate attacks", "the 11 September attacks": nouns
			}
			if i > 0 && possessive[toks[i-1].Lower] && (bareVerb(p) || takesObject(p)) {
				continue // "the PCS's strike action", "his arrest": nouns, not verbs
			}
			if (firstIsVerb(p) || takesObject(p)) && compound(toks, i) {
				continue // "finance spokesman", "house arrest": a noun in a compound
			}
			var m *match
			if isPassive(toks, i) && hasSlot(p, dict.Target) {
				m = c.matchAt(p, toks, i, startAt, true)
			}
			if m == nil {
				m = c.matchAt(p, toks, i, startAt, false)
			}
			if m == nil {
				continue
			}
			if better(m, best) {
				best = m
			}
		}
		if best == nil {
			continue
		}
		if best.p.Discard() {
			for t := best.anchor; t < best.end; t++ {
				discarded[t] = true
			}
			continue
		}
		cands = append(cands, best)
	}
	// keep the most specific of overlapping triggers
	var kept []*match
	used := make([]bool, len(toks))
	order := make([]*match, len(cands))
	copy(order, cands)
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && better(order[j], order[j-1]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for _, m := range order {
		clash := false
		for _, t := range m.lits {
			// "refused to" and "to support X" may share their "to"
			if (used[t] && toks[t].Lower != "to") || discarded[t] {
				clash = true
			}
		}
		if clash {
			continue
		}
		for _, t := range m.lits {
			used[t] = true
		}
		kept = append(kept, m)
	}
	// back to sentence order
	for i := 1; i < len(kept); i++ {
		for j := i; j > 0 && kept[j].anchor < kept[j-1].anchor; j-- {
			kept[j], kept[j-1] = kept[j-1], kept[j]
		}
	}
	return kept
}

// nounAdjective words qualify nouns, so a bare verb after them is a noun:
// "to replace indefinite jail", "further attacks".
var nounAdjective = map[string]bool{"indefinite": true, "further": true, "fresh": true, "possible": true, "alleged": true,
	"illegal": true, "unlawful": true, "arbitrary": true, "mass": true, "wrongful": true, "prolonged": true, "lengthy": true}

// article words make the next word a noun or an adjective.
var article = map[string]bool{"the": true, "a": true, "an": true, "this": true, "these": true, "those": true, "every": true, "each": true}

// adjectival: a participle after an article, a possessive, a number or
// "other" describes a noun — "the detained men", "a proposed ban", "three
// other freed detainees" — and reports no act.
func adjectival(toks []textproc.Token, i int) bool {
	if i == 0 || !(strings.HasSuffix(toks[i].Lower, "ed") || dict.Participle(toks[i].Lower) && !strings.HasSuffix(toks[i].Lower, "ing")) {
		return false
	}
	b := toks[i-1]
	return article[b.Lower] || possessive[b.Lower] || b.Lower == "other" || b.Kind == textproc.Number || determiner[b.Lower] && b.Lower != "about" && b.Lower != "up"
}

var possessive = map[string]bool{"his": true, "her": true, "its": true, "their": true, "our": true, "my": true, "your": true, "'s": true}

// quoteOpen: token i starts a quotation or follows a colon, where a
// capital is no sign of a name.
func quoteOpen(toks []textproc.Token, i int) bool {
	w := toks[i-1].Lower
	return w == "\"" || w == ":" || w == "'" || w == "(" || w == "--"
}

// bareVerb: the pattern is one verb and nothing else ("{attack}").
func bareVerb(p *dict.Pattern) bool {
	return len(p.Elems) == 1 && p.Elems[0].Verb
}

// compound: the word at i modifies the noun after it — "finance
// spokesman", "trade secretary" — or is the head of "house arrest" (a
// status, not an arrest, unless someone is put "under" it).
func compound(toks []textproc.Token, i int) bool {
	w := toks[i].Lower
	if w == "arrest" && i > 0 && toks[i-1].Lower == "house" {
		return i < 2 || toks[i-2].Lower != "under"
	}
	if i+1 >= len(toks) || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") {
		return false
	}
	return officeNouns[toks[i+1].Lower]
}

// officeNouns are singular titles that take a noun modifier.
var officeNouns = map[string]bool{"spokesman": true, "spokeswoman": true, "spokesperson": true, "minister": true,
	"secretary": true, "chief": true, "director": true, "commissioner": true, "officer": true, "official": true,
	"chairman": true, "adviser": true, "advisor": true, "correspondent": true, "editor": true}

// phrasal: the pattern is a verb and its particle ("{cave} in", "{step}
// down").
func phrasal(p *dict.Pattern) bool {
	if len(p.Elems) < 2 || !p.Elems[0].Verb || p.Elems[1].Kind != dict.Lit {
		return false
	}
	for w := range p.Elems[1].Words {
		if !particles[w] {
			return false
		}
	}
	return true
}

var particles = map[string]bool{"in": true, "down": true, "up": true, "out": true, "off": true, "back": true, "over": true, "away": true}

// takesObject: the first word is followed by the target slot, as a
// transitive verb is ("freed $T").
func takesObject(p *dict.Pattern) bool {
	for k, e := range p.Elems {
		if e.Kind == dict.Lit {
			return k+1 < len(p.Elems) && p.Elems[k+1].Kind == dict.Target
		}
	}
	return false
}

func firstIsVerb(p *dict.Pattern) bool {
	for _, e := range p.Elems {
		if e.Kind == dict.Lit {
			return e.Verb
		}
	}
	return false
}

func better(a, b *match) bool {
	if b == nil {
		return true
	}
	if a.p.Literals != b.p.Literals {
		return a.p.Literals > b.p.Literals
	}
	if a.p.Discard() != b.p.Discard() {
		return a.p.Discard()
	}
	if (a.target != nil) != (b.target != nil) {
		return a.target != nil
	}
	// narrower word lists are more specific: "violated the ceasefire
	// agreement" is 196, not "violate .. law|rules|agreement|…" (128)
	if sa, sb := a.p.Specificity(), b.p.Specificity(); sa != sb {
		return sa > sb
	}
	if a.end-a.anchor != b.end-b.anchor {
		return a.end-a.anchor > b.end-b.anchor
	}
	return a.p.ID < b.p.ID
}

var beForms = map[string]bool{"was": true, "were": true, "been": true, "being": true, "is": true, "are": true, "be": true, "get": true, "got": true}

// isPassive: "was sanctioned", "have been strongly criticised".
func isPassive(toks []textproc.Token, i int) bool {
	if !dict.Participle(toks[i].Lower) {
		return false
	}
	if i+1 < len(toks) && toks[i+1].Lower == "by" {
		return true // "a claim denied by the chancellor"
	}
	if i > 0 && toks[i-1].Kind == textproc.Word && !function[toks[i-1].Lower] && headline(toks) &&
		(i+1 == len(toks) || reducedPrep[toks[i+1].Lower] || toks[i+1].Lower == "on" || toks[i+1].Lower == "to" || toks[i+1].Lower == "as") {
		// headlines tell past acts in the present and drop the "was":
		// "Labour accused of broken pledge", "Opposition leader arrested"
		return true
	}
	if i > 0 && i+1 < len(toks) && toks[i-1].Lower == "," && reducedPrep[toks[i+1].Lower] {
		return true // "... were held for three years, accused of al-Qaeda links"
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		w := toks[k].Lower
		if beForms[w] {
			return true
		}
		if !strings.HasSuffix(w, "ly") && w != "not" && w != "n't" && w != "also" && w != "reportedly" && w != "allegedly" {
			return false
		}
	}
	return false
}

// reducedPrep: a participle after a comma and before one of these heads a
// passive clause, not an active verb with an object.
var reducedPrep = map[string]bool{"of": true, "for": true, "over": true, "with": true, "after": true, "in": true}

// slotStop words end the search for an actor slot.
var slotStop = map[string]bool{
	",": true, ";": true, ":": true, ".": true, "\"": true, "(": true, ")": true, "that": true, "which": true,
	"who": true, "said": true, "says": true, "after": true, "before": true, "because": true, "when": true,
	"while": true, "but": true, "if": true, "--": true, "—": true, "–": true, "as": true, "since": true,
	"although": true, "though": true, "whereas": true,
}

// locative prepositions introduce a place, never the party of a slot: "met in
// Tokyo".
var locativePrep = map[string]bool{"in": true, "at": true, "near": true, "inside": true, "outside": true,
	"during": true, "across": true, "throughout": true, "around": true, "within": true}

// matchAt tries pattern p with its first literal at token i. In passive mode
// the target slot is not read from the right (the subject is the target).
func (c *Coder) matchAt(p *dict.Pattern, toks []textproc.Token, i int, startAt map[int]*group, passive bool) *match {
	m := &match{p: p, code: p.Code, anchor: i, passive: passive}
	first := 0
	for first < len(p.Elems) && p.Elems[first].Kind != dict.Lit {
		if p.Elems[first].Kind == dict.Target {
			m.leftTarget = true
		}
		first++
	}
	if !c.step(p.Elems[first:], toks, i, startAt, m, true) {
		return nil
	}
	if passive && m.target != nil {
		return nil
	}
	last := p.Elems[len(p.Elems)-1]
	if last.Kind == dict.Lit {
		for w := range last.Words {
			if w == "to" || w == "of" || w == "for" || w == "that" || w == "must" || w == "should" {
				m.complement = true
			}
		}
	}
	return m
}

// step matches elems against toks from t, backtracking over optionals, gaps
// and slots; it records literals and slots into m.
func (c *Coder) step(elems []dict.Elem, toks []textproc.Token, t int, startAt map[int]*group, m *match, first bool) bool {
	if len(elems) == 0 {
		m.end = t
		return true
	}
	e := elems[0]
	switch e.Kind {
	case dict.Lit:
		if t < len(toks) && e.Words[toks[t].Lower] {
			n := len(m.lits)
			m.lits = append(m.lits, t)
			if c.step(elems[1:], toks, t+1, startAt, m, false) {
				return true
			}
			m.lits = m.lits[:n]
		}
		// "called on Tuesday for", "met again with", "strongly condemned"
		if !first && t < len(toks) && !e.Words[toks[t].Lower] {
			if k := skipAdjunct(toks, t); k > t {
				return c.step(elems, toks, k, startAt, m, false)
			}
		}
		if e.Optional && !first {
			return c.step(elems[1:], toks, t, startAt, m, false)
		}
		if e.Optional && first {
			// an optional first word may be absent: the match then starts at t
			return c.step(elems[1:], toks, t, startAt, m, true)
		}
		return false
	case dict.Gap:
		// a gap may hold an actor phrase that modifies the next pattern word
		// ("a Senegalese peace plan", "expelled two Russian diplomats") but not
		// an agent ("the decision by India to")
		entered, prep := -1, false
		for k := 0; k <= 3; k++ {
			if k > 0 {
				u := t + k - 1
				if u >= len(toks) || slotStop[toks[u].Lower] {
					break
				}
				if toks[u].Lower == "and" && u+1 < len(toks) && toks[u+1].Cap {
					break // "killed and President X said": a new clause
				}
				if u > t && auxiliary[toks[u-1].Lower] {
					// "the cuts will allow funding for": the gap runs into a
					// new verb group ("ships have helped" may end on one)
					break
				}
				if toks[u].Lower == "by" {
					prep = true // an agent ("the decision by India to") is no modifier
				}
				if g := startAt[u]; g != nil && entered < 0 {
					entered = g.end
				}
				if entered >= 0 && prep {
					break
				}
			}
			if c.step(elems[1:], toks, t+k, startAt, m, false) {
				if m.modifier == nil && !prep {
					// "attacked the Tory plans": the actor the words concern
					for u := t; u < t+k; u++ {
						// not part of a name: "the Europe Bridge"
						if g := startAt[u]; g != nil && g.end <= t+k && g.end < len(toks) && !toks[g.end].Cap {
							m.modifier = g
							break
						}
					}
				}
				return true
			}
		}
		return false
	case dict.Target, dict.Source:
		if m.passive && e.Kind == dict.Target {
			return c.step(elems[1:], toks, t, startAt, m, false)
		}
		for k := 0; k <= 4 && t+k < len(toks); k++ {
			if g := startAt[t+k]; g != nil {
				if e.Kind == dict.Target {
					m.target = g
				} else {
					m.source = g
				}
				if c.step(elems[1:], toks, g.end, startAt, m, false) {
					return true
				}
				if e.Kind == dict.Target {
					m.target = nil
				} else {
					m.source = nil
				}
				break
			}
			if w := toks[t+k].Lower; slotStop[w] || locativePrep[w] || (toks[t+k].Kind == textproc.Punct && w != "'s") || !c.slotSkips(w) {
				break
			}
			if toks[t+k].Cap && toks[t+k].Kind == textproc.Word && !article[toks[t+k].Lower] && e.Kind == dict.Target &&
				t+k+1 < len(toks) && article[toks[t+k+1].Lower] {
				// "told Newsnight the government had …": a name we do not
				// know fills the slot; the actor after it is someone else
				break
			}
		}
		if e.Optional {
			return c.step(elems[1:], toks, t, startAt, m, false)
		}
		return false
	}
	return false
}

// slotSkips: a word that may stand between a pattern word and its actor
// slot — a determiner or modifier ("sanctioned two senior Russian officials")
// — but not most prepositions, an adverb or a past verb, which start another
// phrase ("training for PE teachers", "the strike also affected the Welsh
// assembly").
func (c *Coder) slotSkips(w string) bool {
	return (!preps[w] || slotPreps[w]) && !(dict.Participle(w) && c.patterns.Verb(w)) && !beForms[w] && !adjuncts[w] && !auxiliary[w]
}

// slotPreps tie a noun to the actor it concerns: "dismissed an appeal from
// the president", "refusing admittance to Ghanaians", "control of the
// ministry".
var slotPreps = map[string]bool{"of": true, "from": true, "to": true, "by": true}

// auxiliary verbs start a new verb group.
var auxiliary = map[string]bool{"has": true, "have": true, "had": true, "will": true, "would": true, "can": true,
	"could": true, "may": true, "might": true, "must": true, "shall": true, "should": true, "do": true, "does": true, "did": true}

func hasSlot(p *dict.Pattern, k dict.ElemKind) bool {
	for _, e := range p.Elems {
		if e.Kind == k {
			return true
		}
	}
	return false
}

var weekdays = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}

var adjuncts = map[string]bool{"today": true, "yesterday": true, "tonight": true, "again": true, "also": true, "still": true,
	"now": true, "once": true, "later": true, "earlier": true, "here": true, "there": true, "jointly": true, "reportedly": true}

// skipAdjunct returns the index after a time or manner adjunct at t ("on
// Tuesday", "today", "strongly"), or t when there is none.
func skipAdjunct(toks []textproc.Token, t int) int {
	w := toks[t].Lower
	switch {
	case weekdays[w] || adjuncts[w]:
		return t + 1
	case (w == "on" || w == "late" || w == "early" || w == "last") && t+1 < len(toks) && weekdays[toks[t+1].Lower]:
		return t + 2
	case len(w) > 4 && strings.HasSuffix(w, "ly") && toks[t].Kind == textproc.Word && !toks[t].Cap:
		return t + 1
	}
	return t
}

// objectNoun: an "-s" word right after a month ("the 11 September
// attacks") or after a verb that follows a modal, "not" or "to" ("will not
// tolerate attacks", "to prevent attacks") is a plural noun, not a verb with
// a subject.
func objectNoun(toks []textproc.Token, i int) bool {
	w := toks[i].Lower
	if i == 0 || !strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ss") {
		return false
	}
	if months[toks[i-1].Lower] {
		return true
	}
	if i < 2 || toks[i-1].Kind != textproc.Word || toks[i-1].Cap {
		return false
	}
	switch toks[i-2].Lower {
	case "not", "n't", "to", "will", "would", "can", "could", "must", "should", "may", "might":
		return !function[toks[i-1].Lower] && !auxiliary[toks[i-1].Lower] && !beForms[toks[i-1].Lower] && !adverbs[toks[i-1].Lower] && !strings.HasSuffix(toks[i-1].Lower, "ly")
	}
	return false
}

var months = map[string]bool{"january": true, "february": true, "march": true, "april": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true}

// headline: a short line with no closing full stop, as a story's title is.
func headline(toks []textproc.Token) bool {
	n := len(toks)
	if n == 0 || n > 14 {
		return false
	}
	last := toks[n-1]
	if last.Kind != textproc.Punct {
		return true
	}
	if (last.Text == "'" || last.Text == "\"") && n > 1 {
		w := toks[n-2].Text
		return w != "." && w != "!" && w != "?"
	}
	return false
}
