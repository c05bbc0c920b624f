// Package coder turns cleaned text into CAMEO/PLOVER events: it finds actor
// phrases with the actor dictionaries, event triggers with the pattern
// dictionary, and joins them into events with their evidence.
//
// It is a shallow coder by design: one pass over tokens per sentence with map
// lookups, no parser. The heuristics that stand in for a parse (who is the
// subject, which words are a passive, what a quote attributes) live in this
// package and are tested on sentences this project writes itself.
package coder

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dyadproject/dyad/internal/codebook"
	"github.com/dyadproject/dyad/internal/dates"
	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/textproc"
)

// Coder codes documents. It is safe for concurrent use.
type Coder struct {
	actors   *dict.Actors
	patterns *dict.Patterns
}

// New builds a coder from compiled dictionaries.
func New(a *dict.Actors, p *dict.Patterns) *Coder { return &Coder{actors: a, patterns: p} }

// Load compiles the embedded dictionaries plus the user's files.
func Load(actorFiles, patternFiles []dict.NamedReader) (*Coder, error) {
	a, err := dict.LoadActors(actorFiles...)
	if err != nil {
		return nil, err
	}
	p, err := dict.LoadPatterns(func(code string) bool { _, ok := codebook.Lookup(code); return ok }, patternFiles...)
	if err != nil {
		return nil, err
	}
	return New(a, p), nil
}

// match is one pattern matched in a sentence.
type match struct {
	p          *dict.Pattern
	code       string // the event code: the pattern's, or composed with a frame
	via        string // the content pattern a frame composed with
	anchor     int    // first literal token
	end        int    // token after the match
	lits       []int  // tokens matched by literals: the trigger
	target     *group
	source     *group
	passive    bool
	negated    bool
	leftTarget bool // pattern starts with $T: "$T {face} $S sanctions"
	quoted     bool // the trigger stands inside quotation marks
	complement bool // ends in "to"/"of"/"for"/"that": what follows is its content
}

// Code codes one document. doc.Date is the reference date (YYYY-MM-DD or "").
func (c *Coder) Code(doc model.Document) []model.Event {
	sents := textproc.Split(doc.Text)
	st := newDocState(doc.Date)
	var ref time.Time
	if doc.Date != "" {
		ref, _ = time.Parse("2006-01-02", doc.Date)
	}
	runes := []rune(doc.Text)
	c.census(sents, doc.Dateline, st)
	var out []model.Event
	for si, s := range sents {
		out = append(out, c.sentence(doc, runes, si, s, st, ref)...)
	}
	return out
}

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
			switch e := pick(es); e.Kind {
			case dict.Country, dict.Adjective, dict.City:
				if code := e.CodeAt(st.date); len(code) >= 3 {
					st.mentions[code[:3]] += weight
				}
			case dict.Seat, dict.Person:
				// a story is about the state whose people and institutions
				// act in it more than about the states it names
				if code := e.CodeAt(st.date); len(code) >= 3 {
					st.mentions[code[:3]] += 2 * weight
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
	}
}

func (c *Coder) sentence(doc model.Document, runes []rune, si int, s textproc.Sentence, st *docState, ref time.Time) []model.Event {
	toks := s.Tokens
	before := st.lastPerson
	nps := c.phrases(toks, st)
	nps = st.references(toks, nps, before)
	placeAgents(toks, nps, st)
	gs := groups(toks, nps)
	st.remember(gs)
	startAt := make(map[int]*group, len(gs))
	for _, g := range gs {
		startAt[g.start] = g
	}
	inActor := make([]bool, len(toks))
	for _, p := range nps {
		for k := p.start; k < p.end; k++ {
			inActor[k] = true
		}
	}
	ms := c.matches(toks, startAt, inActor)
	if len(ms) == 0 || len(gs) == 0 {
		return nil
	}
	c.assignActors(toks, gs, ms)
	complaints(ms)
	ms = plausible(toks, ms)
	ms = mainEvents(toks, frame(toks, ms))
	st.rememberEvents(ms)
	sent := model.Sentence{Index: si, Text: string(runes[s.Start:s.End]), Start: s.Start, End: s.End}
	date := doc.Date
	if t, ok := dates.Resolve(sent.Text, ref); ok {
		date = t.Format("2006-01-02")
	}
	var out []model.Event
	for _, m := range ms {
		out = append(out, c.events(doc, runes, sent, toks, m, date)...)
	}
	return out
}

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
			if (inActor[i] || toks[i].Cap && i > 0 && !quoteOpen(toks, i)) && firstIsVerb(p) {
				continue // "rebels" is an actor, "Sue Essex" a name, not verbs
			}
			var m *match
			if isPassive(toks, i) && hasSlot(p, dict.Target) {
				m = matchAt(p, toks, i, startAt, true)
			}
			if m == nil {
				m = matchAt(p, toks, i, startAt, false)
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

// framing roots take the action after them as their content: appeals,
// intents, accusations, demands, refusals and threats. A statement ("said
// that ...") does not: what was said is coded as its own event.
var framing = map[string]bool{"02": true, "03": true, "10": true, "11": true, "12": true, "13": true}

// frame composes "agreed to" + "hold talks" into one event (036), and drops
// the content of a frame that has no composed code ("accused X of ...").
// A cooperative action after "will", "ready to", "plans to" becomes intent.
func frame(toks []textproc.Token, kept []*match) []*match {
	var out []*match
	for _, m := range kept {
		var q *match
		for _, prev := range out {
			start := m.anchor
			if toks[start].Lower == "to" {
				start++ // "to support X" after "refused to"
			}
			if !framing[prev.code[:2]] || start < prev.end || start > prev.end+2 {
				continue
			}
			// "agreed to withdraw", or a noun right after a general frame
			// (020, 100, 120 …): "demanded the withdrawal of"
			if prev.complement || !firstIsVerb(m.p) && strings.HasSuffix(prev.code, "0") {
				q = prev
			}
		}
		if q != nil {
			if c := compose(q.code[:2], m.code); c != "" && q.via == "" {
				q.code = c
				q.via = m.p.ID + " " + m.p.Text
				if q.target == nil {
					q.target = m.target
				}
			}
			continue
		}
		if hypothetical(toks, m.anchor) {
			continue // "could be arrested", "might impose": not an event
		}
		if m.negated && modalNegation(toks, m.anchor) {
			// "will not end their strike" refuses to yield (1242)
			if c := compose("12", m.code); c != "" {
				m.code, m.via, m.negated = c, "refusal", false
				out = append(out, m)
				continue
			}
		}
		if intentBefore(toks, m.anchor) {
			// intent to cooperate is 03x; intent to do harm is a threat (13x)
			if c := compose("03", m.code); c != "" {
				m.code, m.via = c, "intent"
			} else if r := m.code[:2]; r >= "14" && r != "15" {
				if c := compose("13", m.code); c != "" {
					m.code, m.via = c, "intent"
				} else {
					m.code, m.via = "130", "intent"
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// hypothetical: "could", "might", "may" before the action.
func hypothetical(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch toks[k].Lower {
		case "could", "might", "may", "should", "ought":
			return !toks[k].Cap || k == 0 // not Theresa May
		case "be", "been", "have", "not", "also", "still", "even", "soon", "then", "to":
			continue
		}
		if !strings.HasSuffix(toks[k].Lower, "ly") {
			break
		}
	}
	// inside a condition: "if people flouted the law", "in case they need"
	for k := i - 1; k >= 0; k-- {
		switch w := toks[k].Lower; {
		case w == "if" || w == "unless" || w == "whether" || w == "case" && k > 0 && toks[k-1].Lower == "in":
			return true
		case w == "," || w == ";" || w == ":" || w == "\"":
			return false
		}
	}
	return false
}

var modals = map[string]bool{"will": true, "would": true, "wo": true, "can": true, "ca": true, "could": true, "shall": true}

// modalNegation: "will not", "won't", "would not" before the action.
func modalNegation(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 1 && k >= i-3; k-- {
		if negators[toks[k].Lower] && modals[toks[k-1].Lower] {
			return true
		}
	}
	return false
}

// intentBefore looks back over the verb group — "will provide nearly 25,000
// tons of food aid", "agreed to a ceasefire" — for a word of intent.
func intentBefore(toks []textproc.Token, i int) bool {
	if intentWords[toks[i].Lower] && i+1 < len(toks) && toks[i+1].Lower == "to" {
		return true
	}
	for k := i - 1; k >= 0 && k >= i-8; k-- {
		w := toks[k].Lower
		// "will send", "ready to send"; but "offered an apology" is an apology
		if intentWords[w] && (modals[w] || k+1 < len(toks) && toks[k+1].Lower == "to") {
			return true
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[w] || toks[k].Cap {
			return false
		}
	}
	return false
}

// mainEvents keeps the sentence's main event — the first that has an actor —
// and the events of clauses coordinated with it ("denounced X and called on
// Y"); subordinate and reported side events are left out, as hand coders do.
// A plain statement (010) counts only when nothing more specific was said.
func mainEvents(toks []textproc.Token, ms []*match) []*match {
	var specific []*match
	for _, m := range ms {
		if m.code != "010" {
			specific = append(specific, m)
		}
	}
	if len(specific) > 0 {
		ms = specific
	} else {
		// a bare "X said" is not an interaction; "X told Y" is
		var said []*match
		for _, m := range ms {
			if m.target != nil && m.source != nil {
				said = append(said, m)
			}
		}
		ms = said
	}
	var main *match
	for _, m := range ms {
		if m.source != nil || m.target != nil {
			main = m
			break
		}
	}
	if main != nil && (main.code == "190" || main.code == "180") {
		// "wounded two soldiers in a bomb attack": the means names the code
		for _, m := range ms {
			if m != main && m.anchor > main.anchor && m.code[:2] >= "18" && m.code[:2] <= "20" && m.code != main.code && means(toks, main.end, m.anchor) {
				main.code, main.via = m.code, m.p.ID+" "+m.p.Text
				break
			}
		}
	}
	var out []*match
	for _, m := range ms {
		if m.source == nil && m.target == nil {
			continue
		}
		if m == main {
			out = append(out, m)
			continue
		}
		if coordinated(toks, main, m) || main.target == nil && fullDyad(m, main) && !contentClause(toks, main, m) {
			if sharesSubject(toks, m) && m.source != main.source && main.source != nil {
				// "opened fire on demonstrators, killing one and arresting 12":
				// the verbs after "and" or a comma share the main subject
				if m.target == m.source {
					m.target = nil
				}
				m.source = main.source
			}
			out = append(out, m)
		}
	}
	return out
}

// fullDyad: a side event that names both sides itself — "at a time when
// Russia faces EU sanctions" — is kept when the main event has no target.
// sharesSubject: the verb follows "and", "but" or a comma directly, so it has
// no subject of its own.
func sharesSubject(toks []textproc.Token, m *match) bool {
	k := m.anchor - 1
	for k >= 0 && (adjuncts[toks[k].Lower] || strings.HasSuffix(toks[k].Lower, "ly") && !toks[k].Cap) {
		k--
	}
	if k < 0 {
		return false
	}
	switch toks[k].Lower {
	case "and", "but", ",":
		return true
	}
	return false
}

// means: a preposition between two violent acts makes the second the means
// of the first ("killed in an air strike", "wounded with a bomb").
func means(toks []textproc.Token, from, to int) bool {
	for k := from; k < to && k < len(toks); k++ {
		switch toks[k].Lower {
		case "in", "with", "by", "using":
			return true
		case ",", ";", "and", "but":
			return false
		}
	}
	return false
}

// contentClause: m is what main says or agrees ("agreed that ... should
// cooperate").
func contentClause(toks []textproc.Token, main, m *match) bool {
	for k := main.end; k < m.anchor && k < len(toks); k++ {
		if toks[k].Lower == "that" {
			return true
		}
	}
	return false
}

func fullDyad(m, main *match) bool {
	if m.source == nil || m.target == nil || m.source == main.source && m.target == main.target {
		return false
	}
	return !strings.HasPrefix(m.source.members[0].code, "---") && !strings.HasPrefix(m.target.members[0].code, "---")
}

// coordinated: m stands in a clause joined to main's by "and"/"but"/";",
// sharing main's subject or with a named subject of its own.
func coordinated(toks []textproc.Token, main, m *match) bool {
	joined := false
	for k := main.end; k < m.anchor; k++ {
		switch toks[k].Lower {
		case "and", "but", ";", "while", "whereas":
			joined = true
		case "after", "before", "when", "if", "because", "who", "which", "that", "to", "said", "says", "as", "since", "until", "unless", "amid":
			joined = false
		}
	}
	if !joined {
		return false
	}
	if m.source == main.source && m.source != nil {
		return true
	}
	return m.source != nil && m.source.start > main.end && !strings.HasPrefix(m.source.members[0].code, "---")
}

// quoteOpen: token i starts a quotation or follows a colon, where a
// capital is no sign of a name.
func quoteOpen(toks []textproc.Token, i int) bool {
	w := toks[i-1].Lower
	return w == "\"" || w == ":" || w == "'" || w == "(" || w == "--"
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

// slotStop words end the search for an actor slot.
var slotStop = map[string]bool{
	",": true, ";": true, ":": true, ".": true, "\"": true, "(": true, ")": true, "that": true, "which": true,
	"who": true, "said": true, "says": true, "after": true, "before": true, "because": true, "when": true,
	"while": true, "but": true, "if": true, "--": true, "—": true, "–": true, "as": true, "since": true,
}

// locative prepositions introduce a place, never the party of a slot: "met in
// Tokyo".
var locativePrep = map[string]bool{"in": true, "at": true, "near": true, "inside": true, "outside": true,
	"during": true, "across": true, "throughout": true, "around": true, "within": true}

// matchAt tries pattern p with its first literal at token i. In passive mode
// the target slot is not read from the right (the subject is the target).
func matchAt(p *dict.Pattern, toks []textproc.Token, i int, startAt map[int]*group, passive bool) *match {
	m := &match{p: p, code: p.Code, anchor: i, passive: passive}
	first := 0
	for first < len(p.Elems) && p.Elems[first].Kind != dict.Lit {
		if p.Elems[first].Kind == dict.Target {
			m.leftTarget = true
		}
		first++
	}
	if !step(p.Elems[first:], toks, i, startAt, m, true) {
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
func step(elems []dict.Elem, toks []textproc.Token, t int, startAt map[int]*group, m *match, first bool) bool {
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
			if step(elems[1:], toks, t+1, startAt, m, false) {
				return true
			}
			m.lits = m.lits[:n]
		}
		// "called on Tuesday for", "met again with", "strongly condemned"
		if !first && t < len(toks) && !e.Words[toks[t].Lower] {
			if k := skipAdjunct(toks, t); k > t {
				return step(elems, toks, k, startAt, m, false)
			}
		}
		if e.Optional && !first {
			return step(elems[1:], toks, t, startAt, m, false)
		}
		if e.Optional && first {
			// an optional first word may be absent: the match then starts at t
			return step(elems[1:], toks, t, startAt, m, true)
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
			if step(elems[1:], toks, t+k, startAt, m, false) {
				return true
			}
		}
		return false
	case dict.Target, dict.Source:
		if m.passive && e.Kind == dict.Target {
			return step(elems[1:], toks, t, startAt, m, false)
		}
		for k := 0; k <= 4 && t+k < len(toks); k++ {
			if g := startAt[t+k]; g != nil {
				if e.Kind == dict.Target {
					m.target = g
				} else {
					m.source = g
				}
				if step(elems[1:], toks, g.end, startAt, m, false) {
					return true
				}
				if e.Kind == dict.Target {
					m.target = nil
				} else {
					m.source = nil
				}
				break
			}
			if slotStop[toks[t+k].Lower] || locativePrep[toks[t+k].Lower] || (toks[t+k].Kind == textproc.Punct && toks[t+k].Lower != "'s") {
				break
			}
		}
		if e.Optional {
			return step(elems[1:], toks, t, startAt, m, false)
		}
		return false
	}
	return false
}

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
			m.target = c.subject(toks, gs, m.anchor, isObject, inQuote)
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
		if m.source == nil {
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
		// a pattern without a target slot takes the first actor that follows in
		// the same clause: "threatened to break relations with Russia"
		if m.target == nil && !hasSlot(m.p, dict.Target) {
			m.target = following(toks, gs, m.end, m.source, m.lits, cooperative(m.p.Code))
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
		if c.patterns.ActionVerb(w) {
			return true
		}
		if toks[k].Kind == textproc.Punct || toks[k].Cap || preps[w] {
			return false
		}
	}
	return false
}

// subject is the nearest phrase left of token i that is not an object and
// stands on the same side of any quotation mark.
func (c *Coder) subject(toks []textproc.Token, gs []*group, i int, isObject map[*group]bool, inQuote []bool) *group {
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
		return g
	}
	return nil
}

func (c *Coder) events(doc model.Document, runes []rune, sent model.Sentence, toks []textproc.Token, m *match, date string) []model.Event {
	cb, ok := codebook.Lookup(m.code)
	if !ok {
		return nil
	}
	var srcs, tgts []*np
	if m.source != nil {
		srcs = m.source.members
	}
	if m.target != nil {
		tgts = m.target.members
	}
	if len(srcs) == 0 && len(tgts) == 0 {
		return nil
	}
	if len(srcs) == 0 {
		srcs = []*np{nil}
	}
	if len(tgts) == 0 {
		tgts = []*np{nil}
	}
	first, last := toks[m.lits[0]], toks[m.lits[len(m.lits)-1]]
	trig := model.Span{Text: string(runes[first.Start:last.End]), Start: first.Start, End: last.End}
	conf := 0.45 + 0.1*float64(min(m.p.Literals, 3))
	if m.source != nil {
		conf += 0.1
	}
	if m.target != nil {
		conf += 0.1
	}
	if m.negated {
		conf *= 0.5
	}
	conf = float64(int(conf*100+0.5)) / 100
	var out []model.Event
	for _, s := range srcs {
		for _, t := range tgts {
			if s != nil && t != nil && s.code == t.code && s.name == t.name && !t.place {
				continue // an actor does not act on itself; a state may act at home
			}
			ev := model.Event{
				DocID:      doc.ID,
				Date:       date,
				Source:     actor(runes, toks, s),
				Target:     actor(runes, toks, t),
				CAMEO:      cb.Code,
				CAMEORoot:  cb.Root,
				CAMEOName:  cb.Name,
				QuadClass:  cb.Quad,
				Goldstein:  cb.Goldstein,
				PLOVER:     cb.PLOVER,
				PLOVERMode: cb.PLOVERMode,
				Trigger:    trig,
				Sentence:   sent,
				Negated:    m.negated,
				Rule:       m.p.ID + " " + m.p.Text,
				Confidence: conf,
			}
			if m.via != "" {
				ev.Rule += " + " + m.via
			}
			if m.passive {
				ev.Rule += " (passive)"
			}
			ev.EventID = eventID(&ev)
			out = append(out, ev)
		}
	}
	return out
}

func actor(runes []rune, toks []textproc.Token, p *np) *model.Actor {
	if p == nil {
		return nil
	}
	a := &model.Actor{Code: p.code, Name: p.name, Start: toks[p.start].Start, End: toks[p.end-1].End, Entry: p.entry}
	a.Text = string(runes[a.Start:a.End])
	if len(p.code) >= 3 {
		a.Country = p.code[:3]
		a.Sector = p.code[3:]
	}
	return a
}

func eventID(e *model.Event) string {
	h := sha1.New()
	code := func(a *model.Actor) string {
		if a == nil {
			return ""
		}
		return a.Code + "@" + strconv.Itoa(a.Start)
	}
	h.Write([]byte(e.DocID + "|" + strconv.Itoa(e.Sentence.Index) + "|" + strconv.Itoa(e.Trigger.Start) + "|" + code(e.Source) + "|" + code(e.Target) + "|" + e.CAMEO))
	return hex.EncodeToString(h.Sum(nil))[:16]
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

// placeAgents gives a role with no country ("police", "rebels") the country
// of the one place the sentence puts things in ("In Seoul, police ...",
// "rebels in Syria"), else of the one state it names, else of the state the
// story is mostly about.
func placeAgents(toks []textproc.Token, nps []*np, st *docState) {
	var place string
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
		if c == "IGO" || c == "NGO" || c == "---" {
			continue
		}
		if place != "" && place != c {
			return // two places: no guess
		}
		place = c
	}
	if place == "" {
		// no "in X": the one state the sentence names, if it names one
		for _, p := range nps {
			if !p.country || p.org || p.code[:3] == "---" || len(p.code) < 3 {
				continue
			}
			if place != "" && place != p.code[:3] {
				return
			}
			place = p.code[:3]
		}
	}
	if place == "" {
		// a story's roles belong to the state it is about: "the home
		// secretary" in a story about Britain
		place = st.dominant()
	}
	if place == "" {
		return
	}
	for _, p := range nps {
		if strings.HasPrefix(p.code, "---") {
			p.code = place + p.code[3:]
			p.country = true
			p.entry += " place:" + place
		}
	}
}

func hasSlot(p *dict.Pattern, k dict.ElemKind) bool {
	for _, e := range p.Elems {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// clauseEnd words end the search for an implicit target.
var clauseEnd = map[string]bool{
	",": true, ";": true, ":": true, ".": true, "\"": true, "(": true, "that": true, "which": true, "who": true,
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

// cooperative codes (roots 03–08) take parties, not places, as targets; for
// protest and force, CAMEO coders take the place's state as the target.
func cooperative(code string) bool { return code[:2] >= "03" && code[:2] <= "08" }

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

// complaints recodes a quoted hostile act against the speaker's own side —
// "'Western powers launched a smear campaign against China,' Wang said" —
// as what the sentence reports: the speaker accusing the actor (112).
func complaints(ms []*match) {
	var speaker *group
	for _, m := range ms {
		if strings.HasPrefix(m.code, "01") && !m.quoted && m.source != nil {
			speaker = m.source
		}
	}
	if speaker == nil {
		return
	}
	for _, m := range ms {
		if !m.quoted || m.source == nil || m.target == nil || m.code[:2] < "11" || m.source == speaker {
			continue
		}
		if sameSide(m.target, speaker) && !sameSide(m.source, speaker) {
			m.code, m.via = "112", "quoted complaint of "+m.p.Code
			m.target, m.source = m.source, speaker
		}
	}
}

func sameSide(a, b *group) bool {
	for _, x := range a.members {
		for _, y := range b.members {
			if len(x.code) >= 3 && len(y.code) >= 3 && x.code[:3] == y.code[:3] && x.code[:3] != "---" {
				return true
			}
		}
	}
	return false
}

// armed sectors can fight without a named target.
var armed = map[string]bool{"MIL": true, "REB": true, "INS": true, "SEP": true, "UAF": true, "COP": true, "SPY": true, "CRM": true}

// canFight: an armed sector, or a state itself ("Israel seized the town").
func canFight(g *group) bool {
	if g == nil {
		return false
	}
	c := g.members[0].code
	return armed[sector(g)] || len(c) == 3 && c != "---" && g.members[0].person == nil
}

// political sectors attack with words, not weapons.
var political = map[string]bool{"GOV": true, "LEG": true, "OPP": true, "ELI": true, "PTY": true, "MED": true, "JUD": true, "HRI": true}

func sector(g *group) string {
	if g == nil {
		return ""
	}
	c := g.members[0].code
	if len(c) >= 6 {
		return c[3:6]
	}
	return ""
}

// plausible drops or recodes events whose actors cannot do what the words
// say: a minister who "attacked" a decision criticised it (111); a fight with
// no target needs an armed side; a meeting needs two parties.
func plausible(toks []textproc.Token, ms []*match) []*match {
	out := ms[:0]
	for _, m := range ms {
		if m.passive && m.target == nil {
			continue // "targets would be met": nobody was acted on
		}
		r := m.code[:2]
		switch {
		case r >= "18" && r <= "20":
			person := m.source != nil && m.source.members[0].person != nil
			if (person || political[sector(m.source)]) && verbalAttack(toks, m) {
				m.code, m.via = "111", "verbal attack"
			} else if m.target == nil && !canFight(m.source) {
				continue
			}
		case r == "04" && m.code != "045":
			if m.target == nil && (m.source == nil || len(m.source.members) < 2) {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// verbalAttack: the trigger is "attack"/"assault"/"hit out" rather than a
// weapon or a killing.
func verbalAttack(toks []textproc.Token, m *match) bool {
	for _, t := range m.lits {
		w := toks[t].Lower
		if strings.HasPrefix(w, "attack") || strings.HasPrefix(w, "assault") || strings.HasPrefix(w, "clash") || w == "hit" || w == "hits" || w == "lash" || w == "lashed" {
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
