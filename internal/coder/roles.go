package coder

import (
	"strings"

	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/textproc"
)

// Who did it and to whom: subjects, objects, implicit targets, negation.

// prepositions before a phrase make it an object, never a subject.
var preps = map[string]bool{
	"by": true, "of": true, "on": true, "to": true, "with": true, "against": true, "from": true, "in": true,
	"at": true, "for": true, "toward": true, "towards": true, "into": true, "over": true, "about": true,
	"between": true, "among": true, "under": true, "than": true, "upon": true, "across": true, "through": true,
	"within": true, "without": true, "including": true, "like": true, "via": true, "behind": true,
}

// determiner words may stand between a preposition and its object.
var determiner = map[string]bool{
	"the": true, "a": true, "an": true, "both": true, "most": true, "some": true, "many": true, "all": true,
	"several": true, "its": true, "their": true, "his": true, "her": true, "other": true, "two": true, "three": true,
	"four": true, "five": true, "about": true, "nearly": true, "up": true, "more": true, "than": true, "dozens": true,
	"hundreds": true, "thousands": true, "of": false, "ethnic": true, "fellow": true, "these": true, "those": true,
}

// "failed to renew sanctions": the action did not happen.
var failed = map[string]bool{"fail": true, "fails": true, "failed": true, "failing": true, "failure": true}

var negators = map[string]bool{"not": true, "n't": true, "never": true, "no": true, "neither": true, "nor": true}

// assignActors fills in sources (and passive agents) and negation.
func (c *Coder) assignActors(toks []textproc.Token, gs []*group, ms []*match) {
	inQuote := quoteMask(toks)
	isObject := map[*group]bool{}
	for _, m := range ms {
		if m.target != nil {
			isObject[m.target] = true
		}
	}
	for _, m := range ms {
		// negation: "did not attack", "never met", "refused to"
		for k := m.anchor - 1; k >= 0 && k >= m.anchor-3; k-- {
			if negators[toks[k].Lower] || toks[k].Lower == "to" && k > 0 && failed[toks[k-1].Lower] {
				m.negated = true
				break
			}
			if toks[k].Kind == textproc.Punct {
				break
			}
		}
		m.quoted = inQuote[m.anchor]
		if m.leftTarget {
			m.target = c.subject(toks, gs, m.anchor, isObject, inQuote)
			continue
		}
		if m.passive {
			// "X was sanctioned by Y": the subject is the target, "by Y" the source
			m.target = passiveSubject(toks, gs, m.anchor)
			for k := m.end; k < len(toks) && k <= m.end+4; k++ {
				if toks[k].Lower == "by" {
					for _, g := range gs {
						if g.start > k && g.start <= k+2 {
							m.source = g
						}
					}
					break
				}
			}
			continue
		}
		if headline(toks) && !hasSlot(m.p, dict.Target) && byAgent(toks, m) == nil && isPassive(toks, m.anchor) {
			// "Minister attacked on border plans": a headline's bare
			// participle is passive, so its subject was acted on
			m.passive, m.target = true, passiveSubject(toks, gs, m.anchor)
			continue
		}
		if g := byAgent(toks, m); g != nil && isPassive(toks, m.anchor) {
			// "has been attacked by the Tories as too little": the slot
			// caught the agent; the thing attacked is the subject
			m.source, m.target = g, passiveSubject(toks, gs, m.anchor)
			continue
		}
		if g := fromAgent(toks, gs, m); g != nil {
			// "a warning from Peter Mandelson": the noun's author acts
			m.source = g
			if m.target == g {
				m.target = nil
			}
		}
		if g := nounAgent(toks, gs, m); g != nil && m.source == nil {
			// "a crackdown on truants has been launched by the minister"
			m.source = g
			if m.target == g {
				m.target = nil
			}
		}
		if g := possessorOf(toks, gs, m); g != nil && m.source == nil && g != m.target {
			// "China's crackdown on protesters": the possessor acts
			m.source = g
		} else if g := agentAfter(toks, gs, m); g != nil && m.source == nil && !hasSlot(m.p, dict.Target) {
			// "a claim denied by the chancellor": the agent acts; what it
			// acts on is the noun before, no actor
			m.source = g
			if m.target == g {
				m.target = nil
			}
		} else if g, ok := relativeSubject(toks, gs, m.anchor); ok && m.source == nil {
			// "Labour, which denies ...": the relative pronoun's antecedent;
			// "pupils who threaten violence": no actor, not a farther one
			if g != m.target {
				m.source = g
			}
		} else if m.source == nil && c.thingSubject(toks, gs, m) {
			// "the current scheme has helped", "the research endorses": the
			// verb's subject stands right before it and is no actor
			m.thing = true
		} else if m.source == nil {
			m.source = c.subject(toks, gs, m.anchor, isObject, inQuote)
			if m.source == m.target {
				m.source = nil
			}
		}
		// a pattern word at the anchor inside an actor phrase makes that
		// phrase the source: "Israeli warplanes struck"
		if m.source == nil {
			for _, g := range gs {
				if g.start <= m.anchor && m.anchor < g.end && g != m.target {
					m.source = g
				}
			}
		}
		// the actor that modifies the pattern's object: "attacked the Tory plans"
		if m.target == nil && m.modifier != nil && m.modifier != m.source && !hasSlot(m.p, dict.Target) {
			m.target = m.modifier
		}
		// a pattern without a target slot takes the first actor that follows in
		// the same clause: "threatened to break relations with Russia"
		if m.target == nil && !hasSlot(m.p, dict.Target) {
			// "will meet to decide whether ...": whoever follows is not met
			if c := m.p.Code; (c != "036" && c[:2] != "04") || !meetVerb[toks[m.end-1].Lower] || !purpose(toks, m.end) {
				m.target = following(toks, gs, m.end, m.source, m.lits, cooperative(m.p.Code))
			}
			if r := m.code[:2]; m.target != nil && (r == "11" || r == "12") && alternative(toks, m.end, m.target.start) {
				m.target = nil // "rejected tax cuts in favour of help for families"
			}
			if r := m.code[:2]; m.target != nil && (r == "02" || r == "10") && len(m.target.members) == 1 {
				// "calls for Iraq exit plans": a state that modifies what is
				// asked for is its topic, not the one asked
				if p := m.target.members[0]; len(p.code) == 3 && p.person == nil && !p.stranger && (c.modifies(toks, p) || compoundHead(toks, p.end)) {
					m.target = nil
				}
			}
		}
		// "wrote to Tony Blair demanding an explanation": a participle's
		// target is the addressee of the verb before it
		if m.target == nil && strings.HasSuffix(toks[m.anchor].Lower, "ing") {
			for _, g := range gs {
				if g != m.source && (g.end == m.anchor || g.end == m.anchor-1 && toks[g.end].Lower == ",") && g.start > 0 && toks[g.start-1].Lower == "to" {
					m.target = g
				}
			}
		}
		// "killed the Hamas leader": a pattern word inside an actor phrase
		// makes that phrase the target when nothing else did
		if m.target == nil && !hasSlot(m.p, dict.Target) {
			for _, g := range gs {
				for _, t := range m.lits[1:] {
					if g.start <= t && t < g.end && g != m.source {
						m.target = g
					}
				}
			}
		}
		// a threat's target is who must meet its condition: "threatened to
		// halt talks if the United States deploys missiles"
		if m.target == nil && strings.HasPrefix(m.p.Code, "13") {
			m.target = conditional(toks, gs, m.end, m.source)
		}
		// "He wants to see a withdrawal of British troops": the wisher asks,
		// the actor of the wished act is asked
		if k := wishAt(toks, m.anchor); k >= 0 {
			if s := c.subject(toks, gs, k, isObject, inQuote); s != nil && s != m.source {
				if m.target == nil || hasSlot(m.p, dict.Source) {
					m.target = m.source
				}
				m.source = s
			}
		}
		// "..., X said" / quotes: a statement with no subject on the left takes
		// the actor after the verb
		if m.source == nil && strings.HasPrefix(m.code, "01") {
			for _, g := range gs {
				if g.start >= m.end && g.start <= m.end+1 {
					m.source = g
				}
			}
		}
	}
}

// partitive heads before "of" leave the phrase the subject: "a group of
// Moroccan diplomats held ...", "thousands of Iraqi Kurds demonstrated";
// "up to 100 Albanians" is a number, not "to".
var partitiveHeads = map[string]bool{
	"group": true, "groups": true, "members": true, "member": true, "thousands": true, "hundreds": true, "dozens": true,
	"scores": true, "some": true, "many": true, "most": true, "all": true, "one": true, "two": true, "three": true,
	"number": true, "delegation": true, "team": true, "representatives": true, "several": true, "none": true,
	"each": true, "both": true, "majority": true, "contingent": true, "unit": true, "units": true, "band": true,
	"deployment": true, "battalion": true, "wave": true, "convoy": true, "column": true, "crowd": true, "crowds": true,
}

func partitive(toks []textproc.Token, b int) bool {
	w := toks[b].Lower
	if w == "to" && b > 0 && toks[b-1].Lower == "up" {
		return true
	}
	return w == "of" && b > 0 && (partitiveHeads[toks[b-1].Lower] || toks[b-1].Kind == textproc.Number)
}

// objectOfVerb: the phrase at start follows an action verb, with at most
// three determiners, numbers or lower-case modifiers between.
func (c *Coder) objectOfVerb(toks []textproc.Token, start int) bool {
	for k := start - 1; k >= 0 && k >= start-4; k-- {
		w := toks[k].Lower
		if w == "of" && partitive(toks, k) {
			k-- // "holding thousands of refugees": look past the quantity
			continue
		}
		if toks[k].Kind == textproc.Punct || toks[k].Cap || preps[w] || clauseEnd[w] {
			// "Ousted president X": a capital is no verb before its object;
			// "thinking that soldiers beat": a clause has its own subject
			return false
		}
		if clauseVerbs[w] {
			return false // "argue Mr Pellow has not been straightforward": a clause's subject
		}
		if c.patterns.ActionVerb(w) {
			return true
		}
	}
	return false
}

// clauseVerbs take a clause, so an actor after them is its subject.
var clauseVerbs = map[string]bool{"argue": true, "argues": true, "argued": true, "say": true, "says": true, "said": true,
	"claim": true, "claims": true, "claimed": true, "insist": true, "insists": true, "insisted": true, "believe": true,
	"believes": true, "think": true, "thinks": true, "suggest": true, "suggests": true, "suggested": true}

// subject is the nearest phrase left of token i that is not an object and
// stands on the same side of any quotation mark.
func (c *Coder) subject(toks []textproc.Token, gs []*group, i int, isObject map[*group]bool, inQuote []bool) *group {
	var fallback *group
	for k := len(gs) - 1; k >= 0; k-- {
		g := gs[k]
		if g.end > i {
			continue
		}
		if isObject[g] || inQuote[g.start] != inQuote[i] || g.members[0].place {
			continue
		}
		if toks[g.start].Cap && locative(toks, g.start) {
			continue
		}
		b := g.start - 1
		for b >= 0 && (determiner[toks[b].Lower] || toks[b].Kind == textproc.Number) {
			b--
		}
		if b >= 0 && preps[toks[b].Lower] && !partitive(toks, b) {
			continue
		}
		// right after an action verb it is that verb's object
		if c.objectOfVerb(toks, g.start) {
			continue
		}
		// a possessor ("Russia's help") is not a subject
		if g.end < len(toks) && toks[g.end].Lower == "'s" && g.end+1 < i {
			continue
		}
		if inRelative(toks, g.start, i) {
			// "The MP, who was expelled over his anti Iraq war stance,
			// accused": the clause describes the subject; it does not hold it
			continue
		}
		if h := appositionHead(toks, gs, g, i); h != nil {
			// "Dave Prentis, the leader of the union Unison, told": the
			// apposition describes the person who acts
			return h
		}
		if foreignRelative(toks, g.end, i) {
			// "Police are searching for Ferguson, who failed to return after
			// a trip to": the clause's subject is someone we cannot code
			return fallback
		}
		if fallback == nil && !pronouns[toks[g.start].Lower] && reportedSubject(toks, g.start) && coordinatedVerb(toks, i) {
			// "Mr Brown said America needed to act but defended Mr Bush":
			// the second verb goes with the one who spoke, not with the
			// subject of what he said
			fallback = g
			continue
		}
		return g
	}
	return fallback
}

// reportingVerbs introduce another's words or views.
var reportingVerbs = map[string]bool{"said": true, "says": true, "argued": true, "argues": true, "claimed": true, "claims": true,
	"insisted": true, "insists": true, "believes": true, "believed": true, "thinks": true, "thought": true, "admitted": true,
	"accepted": true, "acknowledged": true, "suggested": true, "suggests": true}

// reportedSubject: the phrase at start opens a clause reported by a verb
// ("said America …", "argues that the party …").
func reportedSubject(toks []textproc.Token, start int) bool {
	b := start - 1
	for b >= 0 && determiner[toks[b].Lower] {
		b--
	}
	if b >= 0 && toks[b].Lower == "that" {
		b--
	}
	return b >= 0 && reportingVerbs[toks[b].Lower]
}

// coordinatedVerb: the verb at i has no subject of its own but follows
// "but" or "and" ("… but defended").
func coordinatedVerb(toks []textproc.Token, i int) bool {
	k := verbChain(toks, i)
	return k > 0 && (toks[k-1].Lower == "but" || toks[k-1].Lower == "and")
}

// possessorOf is the actor that owns a noun trigger ("China's crackdown").
func possessorOf(toks []textproc.Token, gs []*group, m *match) *group {
	if firstIsVerb(m.p) || takesObject(m.p) || m.anchor < 2 || toks[m.anchor-1].Lower != "'s" {
		return nil
	}
	for _, g := range gs {
		if g.end == m.anchor-1 && !g.members[0].place {
			return g
		}
	}
	return nil
}

// byAgent is the target slot's actor when "by" stands right before it:
// "attacked by the Tories as" is the agent, not the target.
func byAgent(toks []textproc.Token, m *match) *group {
	g := m.target
	if g == nil || len(m.lits) == 0 || g.start < m.anchor || g.start < 1 {
		return nil
	}
	b := g.start - 1
	if toks[b].Lower == "the" && b > 0 {
		b--
	}
	if toks[b].Lower != "by" || b != m.lits[0]+1 {
		return nil
	}
	return g
}

// fromAgent is the actor of "from" right after a noun trigger ("a
// rebuttal of a warning from Mandelson", "calls from the Tories"), the
// noun's author. After a verb, "from" names whom it was asked of.
func fromAgent(toks []textproc.Token, gs []*group, m *match) *group {
	if m.anchor == 0 || len(m.lits) == 0 {
		return nil
	}
	k := m.lits[len(m.lits)-1] + 1 // "from" right after the trigger's words
	if k+1 >= len(toks) || toks[k].Lower != "from" {
		return nil
	}
	if b := toks[m.anchor-1].Lower; !article[b] && !possessive[b] && !determiner[b] {
		return nil
	}
	j := k + 1
	for j < len(toks) && j <= k+3 && (article[toks[j].Lower] || glue[toks[j].Lower]) {
		j++ // "from the new commissioner"
	}
	for _, g := range gs {
		if g.start == j {
			return g
		}
	}
	return nil
}

// launch verbs make their agent the actor of the noun they take: "a
// crackdown launched by X" is X's; "demands backed by X" are not.
var launch = map[string]bool{"launched": true, "announced": true, "ordered": true, "imposed": true, "issued": true,
	"made": true, "staged": true, "mounted": true, "unveiled": true, "introduced": true, "begun": true, "started": true,
	"initiated": true, "conducted": true, "led": true, "called": true, "organised": true, "organized": true}

// nounAgent is the agent of a passive that has a noun trigger for its
// subject: "a fresh crackdown on truants has been launched by X".
func nounAgent(toks []textproc.Token, gs []*group, m *match) *group {
	if firstIsVerb(m.p) || m.source != nil {
		return nil
	}
	for k := m.end; k+2 < len(toks) && k < m.end+10; k++ {
		w := toks[k].Lower
		if clauseEnd[w] || w == "." {
			return nil
		}
		if !beForms[w] || !launch[toks[k+1].Lower] || toks[k+2].Lower != "by" {
			continue
		}
		for _, g := range gs {
			if g.start > k+2 && g.start <= k+5 {
				return g
			}
		}
		return nil
	}
	return nil
}

// agentAfter is the actor of "by" right after a participle trigger.
func agentAfter(toks []textproc.Token, gs []*group, m *match) *group {
	last := toks[m.lits[len(m.lits)-1]].Lower
	if m.end+1 >= len(toks) || toks[m.end].Lower != "by" || !dict.Participle(last) || strings.HasSuffix(last, "ing") {
		return nil
	}
	for _, g := range gs {
		if g.start <= m.end || g.start > m.end+5 {
			continue
		}
		// "signed by all 25 current EU members": determiners, numbers and
		// modifiers may stand before the agent
		for k := m.end + 1; k < g.start; k++ {
			if w := toks[k]; w.Kind == textproc.Punct || w.Cap || preps[w.Lower] || clauseEnd[w.Lower] {
				return nil
			}
		}
		return g
	}
	return nil
}

// adverbs that stand between a subject and its verb without "-ly".
var adverbs = map[string]bool{"then": true, "again": true, "also": true, "still": true, "now": true, "once": true,
	"later": true, "earlier": true, "soon": true, "already": true, "ever": true, "never": true, "often": true,
	"always": true, "yet": true, "even": true, "too": true, "just": true, "first": true, "last": true, "today": true,
	"yesterday": true, "tonight": true, "jointly": true, "both": true, "all": true, "each": true, "themselves": true,
	"himself": true, "herself": true, "itself": true, "instead": true, "meanwhile": true, "however": true}

// thingSubject: the word right before the verb group is a lower-case noun
// that no actor phrase covers — "the scheme has helped", "the research
// endorses" — so the verb has a subject, and it is no actor.
func (c *Coder) thingSubject(toks []textproc.Token, gs []*group, m *match) bool {
	if !firstIsVerb(m.p) && !takesObject(m.p) {
		return false
	}
	k := verbChain(toks, m.anchor)
	if k == 0 {
		return false
	}
	// the trigger must be a verb here: after an auxiliary, or in the past
	// ("a personal appeal" is a noun with an adjective)
	// or in the present after "the" and a noun ("the research endorses")
	if t := toks[m.anchor].Lower; k == m.anchor && !(strings.HasSuffix(t, "ed") || dict.Participle(t) && !strings.HasSuffix(t, "ing")) &&
		!(strings.HasSuffix(t, "s") && k >= 2 && article[toks[k-2].Lower]) {
		return false
	}
	// "a councillor who was at the event has defended": the noun ends a
	// relative clause
	for j := k - 2; j >= 0 && j >= k-8; j-- {
		if w := toks[j].Lower; (w == "who" || w == "which" || w == "whose") && j+1 < len(toks) && (beForms[toks[j+1].Lower] || auxiliary[toks[j+1].Lower] || c.patterns.Verb(toks[j+1].Lower)) {
			return false // not an object relative: "the war, which his party opposed"
		} else if toks[j].Kind == textproc.Punct {
			break
		}
	}
	w := toks[k-1]
	if w.Kind != textproc.Word || w.Cap || function[w.Lower] || determiner[w.Lower] || preps[w.Lower] || clauseEnd[w.Lower] ||
		adverbs[w.Lower] || pronouns[w.Lower] || w.Lower == "'s" || strings.HasSuffix(w.Lower, "ly") || c.patterns.Verb(w.Lower) || auxiliary[w.Lower] {
		return false
	}
	for _, g := range gs {
		// "the Tory co-chairman", "the Conservatives' campaign director": an
		// actor inside the subject's phrase names it
		if g.start < k && k-3 <= g.end {
			return false
		}
	}
	return true
}

var pronouns = map[string]bool{"i": true, "we": true, "you": true, "he": true, "she": true, "it": true, "they": true,
	"who": true, "which": true, "that": true, "this": true, "these": true, "those": true, "one": true, "nobody": true,
	"everyone": true, "everybody": true, "someone": true, "somebody": true, "anyone": true, "none": true}

// verbChain walks back from token i over the auxiliaries, negation and
// adverbs of its verb group.
func verbChain(toks []textproc.Token, i int) int {
	k := i
	for k > 0 {
		w := toks[k-1].Lower
		if beForms[w] || auxiliary[w] || negators[w] || adjuncts[w] || adverbs[w] || w == "allegedly" || w == "long" || strings.HasSuffix(w, "ly") && !toks[k-1].Cap {
			k--
			continue
		}
		// "this week", "last month": a time, not the subject
		if timeNouns[w] && k > 1 {
			switch toks[k-2].Lower {
			case "this", "last", "next", "that", "each", "every", "the":
				k -= 2
				continue
			}
		}
		if weekdays[w] {
			k--
			if k > 0 && toks[k-1].Lower == "on" {
				k--
			}
			continue
		}
		break
	}
	return k
}

var timeNouns = map[string]bool{"week": true, "month": true, "year": true, "weekend": true, "morning": true,
	"afternoon": true, "evening": true, "night": true, "day": true, "time": true, "summer": true, "winter": true,
	"spring": true, "autumn": true}

// relativeSubject: the verb at i opens a relative clause ("the SNP, which
// accused him", "MPs who criticised"); ok reports the clause, g its
// antecedent when that is an actor.
func relativeSubject(toks []textproc.Token, gs []*group, i int) (g *group, ok bool) {
	k := verbChain(toks, i)
	if k == 0 {
		return nil, false
	}
	w := toks[k-1].Lower
	if w != "who" && w != "which" && w != "that" {
		return nil, false
	}
	end := k - 1
	if end > 0 && toks[end-1].Lower == "," {
		end--
	}
	for _, x := range gs {
		if x.end == end || x.end == k-1 {
			return x, true
		}
	}
	// "said that ...": a conjunction, not a relative pronoun
	return nil, w != "that"
}

// passiveSubject is the phrase that stands right before a passive verb
// group ("Iranian officials were sanctioned", "Quentin Davies, the MP for
// Grantham, was attacked"); a passive whose subject is no actor ("such
// agreements had been struck") has no target.
func passiveSubject(toks []textproc.Token, gs []*group, i int) *group {
	k := verbChain(toks, i)
	aside := -1 // the comma opening an apposition that ends at k
	if k > 0 && toks[k-1].Lower == "," {
		for j := k - 2; j >= 0 && j >= k-14; j-- {
			if toks[j].Lower == "," {
				aside = j
				break
			}
		}
	}
	for n := len(gs) - 1; n >= 0; n-- {
		g := gs[n]
		if g.end == k || aside >= 0 && (g.end == aside || g.start > aside && g.end <= k-1) {
			// "the home secretary in Britain was forced": the place
			// belongs to the subject, not the other way round
			if b := g.start - 1; n > 0 && b > 0 && locativePrep[toks[b].Lower] && gs[n-1].end == b {
				return gs[n-1]
			}
			return g
		}
	}
	if k > 0 && toks[k-1].Lower == "," && aside < 0 && i+1 < len(toks) && toks[i+1].Lower == "by" {
		// "worried about plans, backed by the UK, to lift": a participle
		// with its agent describes the noun before the comma
		for _, g := range gs {
			if g.end == k-1 {
				return g
			}
		}
		return nil
	}
	if k > 0 && toks[k-1].Lower == "," && aside < 0 {
		// "Four Britons were held for years, accused of ...": a reduced
		// clause after the main one shares its subject
		for _, g := range gs {
			if g.end < k && (g.start == 0 || !preps[toks[g.start-1].Lower]) {
				return g
			}
		}
	}
	return nil
}

// quoteMask marks the tokens inside quotation marks.
func quoteMask(toks []textproc.Token) []bool {
	mask := make([]bool, len(toks))
	in := false
	for i, t := range toks {
		if t.Lower == "\"" {
			if t.Text == "“" {
				in = true
			} else if t.Text == "”" {
				in = false
			} else {
				in = !in
			}
			continue
		}
		mask[i] = in
	}
	return mask
}

// locative: "in Guilin, China" — a phrase after a comma that follows a
// place-like capitalised word in a prepositional phrase.
func locative(toks []textproc.Token, start int) bool {
	b := start - 1
	if b < 1 || toks[b].Lower != "," {
		return false
	}
	k := b - 1
	for k >= 0 && toks[k].Cap && toks[k].Kind == textproc.Word {
		k--
	}
	return k < b-1 && k >= 0 && preps[toks[k].Lower]
}

// clauseEnd words end the search for an implicit target.
var clauseEnd = map[string]bool{
	",": true, ";": true, ":": true, ".": true, "\"": true, "(": true, "that": true, "which": true, "who": true,
	"although": true, "though": true, "whereas": true,
	"said": true, "says": true, "after": true, "before": true, "because": true, "when": true, "while": true,
	"but": true, "if": true, "unless": true, "until": true, "--": true, "—": true, "–": true, "since": true,
	"despite": true, "amid": true, "as": true, "whom": true, "where": true, "citing": true,
}

// following is the first actor within ten tokens after i in the same clause;
// a bare role word ("military" in "military offensive") is taken only when no
// named actor follows.
func following(toks []textproc.Token, gs []*group, i int, not *group, lits []int, skipPlaces bool) *group {
	var weak *group
	for _, g := range gs {
		if g.start < i || g == not {
			continue
		}
		if g.start > i+10 {
			break
		}
		stop := false
		for k := i; k < g.start; k++ {
			if q := scareQuote(toks, k, i); q > k && q < g.start {
				k = q
				continue // criticised "extravagant" Tory promises
			}
			if clauseEnd[toks[k].Lower] {
				stop = true
			}
		}
		if stop {
			break
		}
		if b := g.start - 1; skipPlaces && (g.members[0].place || b >= 0 && (locativePrep[toks[b].Lower] || b > 0 && toks[b].Lower == "the" && locativePrep[toks[b-1].Lower])) {
			continue // "met in Tokyo": a place, not a party
		}
		if strings.HasPrefix(g.members[0].code, "---") {
			if weak == nil && !overlaps(g, lits) && !possessed(toks, g.start) {
				weak = g
			}
			continue
		}
		return g
	}
	return weak
}

// cooperative codes (roots 03–07) take parties, not places, as targets; for
// concessions (08), protest and force, CAMEO coders take the place's state as
// the target ("lifted the curfew in Montenegro").
func cooperative(code string) bool { return code[:2] >= "03" && code[:2] <= "07" }

// possessed: "its nuclear forces" belong to the subject.
func possessed(toks []textproc.Token, start int) bool {
	for k := start - 1; k >= 0 && k >= start-3; k-- {
		switch toks[k].Lower {
		case "its", "their", "his", "her", "our", "own":
			return true
		}
	}
	return false
}

func overlaps(g *group, lits []int) bool {
	for _, t := range lits {
		if g.start <= t && t < g.end {
			return true
		}
	}
	return false
}

// conditional is the subject of an "if"/"unless" clause after token i.
func conditional(toks []textproc.Token, gs []*group, i int, not *group) *group {
	for k := i; k < len(toks); k++ {
		if toks[k].Lower == "if" || toks[k].Lower == "unless" {
			for _, g := range gs {
				if g.start > k && g.start <= k+3 && g != not {
					return g
				}
			}
			return nil
		}
	}
	return nil
}

// scareQuote is the closing mark of a quote of one or two words that opens
// at k, right after the trigger (ending at i) or its determiner —
// `criticised "extravagant" Tory promises` — else -1.
func scareQuote(toks []textproc.Token, k, i int) int {
	if toks[k].Lower != "\"" || k > i+1 || k == i+1 && !determiner[toks[i].Lower] && !article[toks[i].Lower] {
		return -1
	}
	for j := k + 2; j < len(toks) && j <= k+3; j++ {
		if toks[j].Lower == "\"" {
			return j
		}
	}
	return -1
}

// compoundHead: two lower-case nouns follow ("Iraq exit plans"), so the
// phrase before them modifies a compound noun.
func compoundHead(toks []textproc.Token, i int) bool {
	noun := func(k int) bool {
		if k >= len(toks) {
			return false
		}
		t := toks[k]
		return t.Kind == textproc.Word && !t.Cap && !function[t.Lower] && !preps[t.Lower] && !auxiliary[t.Lower] &&
			!beForms[t.Lower] && !strings.HasSuffix(t.Lower, "ed") && !strings.HasSuffix(t.Lower, "ly")
	}
	return noun(i) && noun(i+1)
}

// alternative: "in favour of", "instead of" or "rather than" stands between
// tokens from and to; what follows is what was preferred, not what was
// rejected or criticised.
func alternative(toks []textproc.Token, from, to int) bool {
	for k := from; k < to && k < len(toks); k++ {
		switch toks[k].Lower {
		case "favour", "favor", "instead", "rather":
			return true
		}
	}
	return false
}

// inRelative: token at stands inside a ", who …," or ", which …," clause
// that closes before token i.
func inRelative(toks []textproc.Token, at, i int) bool {
	open := -1
	for k := at - 1; k >= 0 && k >= at-15; k-- {
		w := toks[k].Lower
		if (w == "who" || w == "which") && k > 0 && toks[k-1].Lower == "," {
			open = k
			break
		}
		if toks[k].Kind == textproc.Punct {
			return false
		}
	}
	if open < 0 {
		return false
	}
	for k := at + 1; k < i; k++ {
		if toks[k].Lower == "," {
			return true
		}
	}
	return false
}

// purpose reports whether an infinitive of purpose starts at i: "meet to
// decide", not "aid to the victims" or "visit to Kenya".
func purpose(toks []textproc.Token, i int) bool {
	if i+1 >= len(toks) || toks[i].Lower != "to" {
		return false
	}
	w := toks[i+1]
	return w.Kind == textproc.Word && !w.Cap && !determiner[w.Lower] && !function[w.Lower] && !preps[w.Lower] &&
		!strings.HasSuffix(w.Lower, "s") && !strings.HasSuffix(w.Lower, "ed") && !strings.HasSuffix(w.Lower, "ing") && !strings.HasSuffix(w.Lower, "al")
}

// foreignRelative reports whether token i sits in a relative clause, still
// open, that a "who" or "which" after end opens about someone other than
// the phrase ending at end.
func foreignRelative(toks []textproc.Token, end, i int) bool {
	if end < len(toks) && toks[end].Lower == "," {
		return false // "Lord Condon, head of the unit, who made the call"
	}
	open := false
	for k := end; k < i && k < len(toks); k++ {
		switch toks[k].Lower {
		case "who", "whom", "which":
			a := k
			if a > 0 && toks[a-1].Lower == "," {
				a--
			}
			open = a != end
		case ",", ";", ":", "\"", "(", ")":
			open = false
		}
	}
	return open
}

// meetVerb: forms of "meet", which without an object is a body's own
// sitting ("the council will meet to decide").
var meetVerb = map[string]bool{"meet": true, "meets": true, "met": true, "meeting": true}

// appositionHead: g stands in an apposition closed by a comma right before
// token i ("Name, the leader of Unison, told"); the result is the person the
// apposition describes, when one is named right before its opening comma.
func appositionHead(toks []textproc.Token, gs []*group, g *group, i int) *group {
	if i < 1 || toks[i-1].Lower != "," || g.end > i-1 {
		return nil
	}
	for k := g.start - 1; k >= 0; k-- {
		switch toks[k].Lower {
		case ",":
			if k+1 >= len(toks) || toks[k+1].Kind != textproc.Word || toks[k+1].Cap && !determiner[toks[k+1].Lower] && toks[k+1].Lower != "the" {
				return nil // a list, not an apposition: "Labour, the Tories and"
			}
			for _, h := range gs {
				// a stranger of no known state keeps the apposition's code
				if p := h.members[0]; h.end == k && h != g && len(h.members) == 1 && (p.person != nil || p.stranger && !strings.HasPrefix(p.code, "---")) {
					return h
				}
			}
			return nil
		case ";", ":", "\"", "(", ")", "who", "which", "said", "says":
			return nil
		}
	}
	return nil
}
