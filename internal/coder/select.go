package coder

import (
	"strings"

	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/textproc"
)

// Which matches become events: framing verbs compose with their content, intent
// and refusal recode actions, implausible readings go, and each sentence keeps
// its main event.

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
		case "could", "might", "may", "should", "ought", "can":
			return !toks[k].Cap || k == 0 // not Theresa May
		case "likely", "unlikely", "expected":
			return true // "is likely to demand"
		case "be", "been", "have", "not", "also", "still", "even", "soon", "then", "to", "already", "now":
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
	if intentWords[toks[i].Lower] && (modals[toks[i].Lower] || i+1 < len(toks) && toks[i+1].Lower == "to") {
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
		// a bare "X said" is not an interaction; "X told Y" is, and so is a
		// statement that blames or praises ("said the plans were a shambles")
		var said []*match
		for _, m := range ms {
			if c := judgement(toks, m.end); c != "" && m.source != nil {
				m.code, m.via = c, "evaluative statement"
				said = append(said, m)
			} else if m.target != nil && m.source != nil && hasSlot(m.p, dict.Target) {
				// only an addressee ("told the BBC") makes a statement an
				// interaction; the actor a statement is about is no target
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

// domestic fills the target CAMEO and PLOVER coders give domestic events that
// name none: a protest by a state's people is directed at its government, and
// curfews, bans and repression by a government fall on its people. The target
// is marked as implied (no text span) and the rule says so.
func domestic(ms []*match) {
	for _, m := range ms {
		if m.target != nil || m.source == nil {
			continue
		}
		src := m.source.members[0].code
		if len(src) < 3 || src[:3] == "---" || src[:3] == "IGO" || src[:3] == "NGO" || m.source.members[0].org {
			continue
		}
		state, sec := src[:3], sector(m.source)
		switch r := m.code[:2]; {
		case r == "14" && !stateSector[sec]:
			m.implied = state + "GOV"
		case (r == "17" || m.code == "175") && (stateSector[sec] || sec == ""):
			m.implied = state + "CVL"
		}
	}
}

// stateSector: the state's own agents.
var stateSector = map[string]bool{"GOV": true, "MIL": true, "COP": true, "JUD": true, "LEG": true, "SPY": true}

// blame and praise words turn a statement into criticism (111) or praise (051).
var (
	blame = map[string]bool{
		"unacceptable": true, "disgraceful": true, "disgrace": true, "shameful": true, "ridiculous": true, "absurd": true,
		"irresponsible": true, "misguided": true, "flawed": true, "appalling": true, "outrageous": true, "nonsense": true,
		"rubbish": true, "deplorable": true, "ill-advised": true, "reckless": true, "incompetent": true, "scandalous": true,
		"hypocritical": true, "hypocrisy": true, "dishonest": true, "shambles": true, "fiasco": true, "farce": true,
		"cynical": true, "despicable": true, "abhorrent": true, "insulting": true, "betrayal": true, "lies": true,
		"inadequate": true, "arrogant": true, "arrogance": true, "incompetence": true, "unjustified": true, "unjust": true,
		"undemocratic": true, "scaremongering": true, "dross": true, "contemptible": true, "shocking": true,
	}
	praise = map[string]bool{
		"courageous": true, "admirable": true, "commendable": true, "outstanding": true, "excellent": true,
		"praiseworthy": true, "humane": true, "inspirational": true, "visionary": true, "heroic": true,
	}
)

// judgement looks through the rest of the sentence for blame or praise.
func judgement(toks []textproc.Token, from int) string {
	for k := from; k < len(toks); k++ {
		w := toks[k].Lower
		if blame[w] {
			return "111"
		}
		if praise[w] {
			return "051"
		}
	}
	return ""
}
