package coder

import (
	"slices"
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
	var out, gone []*match // gone: frames dropped as not done, whose content goes with them
	for _, m := range kept {
		var q *match
		for _, prev := range append(out[:len(out):len(out)], gone...) {
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
		if q != nil && inList(gone, q) {
			continue // "is tipped to ask the Queen to dissolve Parliament"
		}
		if q != nil {
			c := compose(q.code[:2], m.code)
			if c == "" && q.code[:2] == "10" && (m.code[:2] == "16" || m.code[:2] == "17") {
				// "ordered the newspaper to suspend publication": an order to
				// coerce is the coercion itself
				c = m.code
			}
			if c != "" && q.via == "" {
				q.code = c
				q.via = m.p.ID + " " + m.p.Text
				if q.target == nil {
					q.target = m.target
				}
			}
			continue
		}
		if hypothetical(toks, m.anchor) || prospect(toks, m) || question(toks, m.anchor) || !firstIsVerb(m.p) && modalObject(toks, m.anchor) ||
			m.code[:2] >= "14" && claimed(toks, m.anchor) || attributedClaim(toks, m.anchor) {
			gone = append(gone, m)
			continue // "could be arrested", "might impose": not an event
		}
		if m.source == nil && topicSubject(toks, m) {
			gone = append(gone, m)
			continue // "a call for shortlists has been rejected by …": the passive is the event
		}
		if len(out) > 0 && out[len(out)-1].end <= m.anchor && reducedRelative(toks, m) {
			gone = append(gone, m)
			continue // "called for the release of suspects detained without trial": a description
		}
		if attributive(toks, m) {
			gone = append(gone, m)
			continue // "the alleged breaches", "the internationally recognised south": a label, not an act
		}
		if m.code != "016" && deniedAct(toks, m.anchor) {
			// "denied accusing Germany of …": the act is what is denied
			m.code, m.via, m.target = "016", "denied act", nil
			out = append(out, m)
			continue
		}
		if share(toks, m.anchor) || proposalChain(toks, m.anchor) || !firstIsVerb(m.p) && m.code[:2] >= "14" && endedNoun(toks, m.anchor) {
			// "39% opposed a comeback": a poll's share, not an actor;
			// "plans to introduce orders to keep suspects under house
			// arrest": proposed; "working to end terror attacks": the
			// attacks are what is fought, not what was done
			gone = append(gone, m)
			continue
		}
		if polled(toks, m.anchor) {
			gone = append(gone, m)
			continue // "45% of people would vote against it", a poll says: an opinion
		}
		if noIntent(toks, m.anchor) {
			// "no desire to offer more concessions" refuses them
			if c := refusal(m.code); c != "" {
				m.code, m.via, m.negated = c, "refusal", false
			} else {
				m.negated = true
			}
			out = append(out, m)
			continue
		}
		if m.negated && modalNegation(toks, m.anchor) {
			// "will not end their strike" refuses to yield (1242)
			if c := compose("12", m.code); c != "" {
				if c == "125" && aboutReports(toks, m.end) {
					// "would not discuss reports that …": declines to
					// comment (011); it refuses no meeting, and who the
					// reports name is not its target
					c, m.target = "011", nil
				}
				m.code, m.via, m.negated = c, "refusal", false
				out = append(out, m)
				continue
			}
		}
		if proposal(toks, m.anchor) && (compose("03", m.code) == "" || !intentBefore(toks, m.anchor)) {
			continue // "plans to allow house arrest", "has the power to suspend": not done
		}
		if proposalContent(toks, m.anchor) {
			continue // "other plans include extending rights to parents": proposed, not done
		}
		if beTo(toks, m.anchor) {
			// "Blair is to join Blunkett in a visit", "are to stage a
			// rally": announced, not done; CAMEO codes the intent
			if c := compose("03", m.code); c != "" {
				m.code, m.via = c, "intent"
				out = append(out, m)
			}
			continue
		}
		if scheduled(toks, m.anchor) {
			if c := compose("03", m.code); c != "" {
				m.code, m.via = c, "scheduled"
				out = append(out, m)
			}
			continue
		}
		if m.negated && m.anchor >= 2 && toks[m.anchor-1].Lower == "to" && wants[toks[m.anchor-2].Lower] {
			continue // "workers did not want to go on strike": nothing intended, nothing done
		}
		if wishFor(toks, m.anchor) {
			// "wants to see a withdrawal of UK troops" asks others to act
			if c := compose("02", m.code); c != "" {
				m.code, m.via = c, "wish"
			}
			out = append(out, m)
			continue
		}
		if r := m.code[:2]; (r == "10" || r == "11") && (planned(toks, m.anchor) || intentBefore(toks, m.anchor)) ||
			r == "12" && (planned(toks, m.anchor) || intentBefore(toks, m.anchor) && hasCondition(toks)) {
			// "plans to sue the government", "will attack Labour's record",
			// "prepared to veto any bid", "will vote against it unless …":
			// CAMEO has no intent to demand, disapprove or reject, and
			// nothing was done yet. A plain "said they would reject"
			// declares the rejection.
			continue
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

func inList(ms []*match, m *match) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// hypothetical: the act is only possible, expected or counterfactual —
// "could be arrested", "might impose", "can opt to be deported", "would have
// forced" — so it is no event.
func hypothetical(toks []textproc.Token, i int) bool {
	if toks[i].Lower == "to" && i > 0 && judgedAct[toks[i-1].Lower] {
		return true // the trigger starts with its "to": "important to support"
	}
	if w := toks[i].Lower; (w == "prepared" || w == "willing" || w == "ready") && i > 0 && i+1 < len(toks) && toks[i+1].Lower == "to" && describedNoun(toks[i-1]) {
		// "immigrant labour prepared to work for £1 an hour": it describes
		// the noun before it; no one states an intent
		return true
	}
	if classClause(toks, i) {
		return true // "the terrorists who threaten Britain": a kind of people, no event
	}
	if headlineFuture(toks, i) {
		return true // "Kinnock to urge reform in Lords": announced, not done
	}
	if anyKind(toks, i) {
		return true // "the day after any such attack": no particular act
	}
	if i > 0 && toks[i-1].Lower == "without" {
		return true // "without asking people to pay more"
	}
	if i > 1 && toks[i-2].Lower == "had" && pronouns[toks[i-1].Lower] && i > 2 && toks[i-3].Kind == textproc.Word {
		return true // "it would have been longer had he denied the charge"
	}
scan:
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		w := toks[k].Lower
		switch w {
		case "could", "might", "may", "should", "ought", "can":
			return !toks[k].Cap || k == 0 // not Theresa May
		case "need", "needs":
			if k+1 < i && toks[k+1].Lower == "to" {
				return true // "we need to talk to the hospital": not done
			}
		case "about":
			if k+1 < i && toks[k+1].Lower == "to" && k > 0 && beBefore(toks, k) {
				return true // "was about to resign": imminent, not done
			}
		case "has":
			if k+1 < i && toks[k+1].Lower == "to" {
				return true // "Kenya has to cooperate": a duty, not an act
			}
		case "likely", "unlikely", "expected":
			return true // "is likely to demand"
		case "would", "must":
			// "would have forced", "must have known": it did not happen, or is
			// a guess; a plain "would" is intent, handled by the caller
			if k+1 < i && toks[k+1].Lower == "have" || k+2 < i && toks[k+2].Lower == "have" && negators[toks[k+1].Lower] {
				return true
			}
			break scan // a condition may still frame it
		case "to":
			if k > 0 && judgedAct[toks[k-1].Lower] {
				return true // "it is important to support", "fair to criticise"
			}
			continue
		case "be", "been", "have", "not", "n't", "also", "still", "even", "soon", "then", "already", "now", "ever", "never":
			if w == "have" && k+1 < i && toks[k+1].Lower == "to" {
				return true // "states have to work with the US": a duty
			}
			continue
		case "prevent", "prevents", "prevented", "preventing", "avert", "averted", "averting", "deter", "deterred", "deterring", "forestall":
			return true // "helped prevent attacks": the act did not happen
		case "considering", "contemplating", "weighing", "mulling", "pondering", "considered":
			return true // "was considering taking legal action"
		case "yet", "enough":
			if k+1 < i && toks[k+1].Lower == "to" {
				return true // "is yet to begin", "didn't do enough to protect": not done
			}
		case "often", "usually", "generally", "typically", "sometimes":
			if k > 0 && (toks[k-1].Lower == "who" || toks[k-1].Lower == "which") {
				return true // "young women who often seek help": a kind of people, no event
			}
		case "believed", "thought", "said", "reported", "understood", "rumoured", "rumored", "reputed", "alleged", "claimed":
			// "are believed to have agreed": hearsay, not a reported act
			if beBefore(toks, k) && k+1 < i && toks[k+1].Lower == "to" {
				return true
			}
		case "seem", "seems", "seemed", "appear", "appears", "appeared":
			// "critics seemed to agree on one thing": an impression, not an act
			if k+1 < i && toks[k+1].Lower == "to" {
				return true
			}
		case "asked", "urged", "invited", "encouraged", "pressed", "told", "ordered", "called", "challenged", "due", "set",
			"supposed", "meant", "tipped", "poised", "slated", "scheduled":
			// "was asked to respond", "is due to meet": requested or
			// scheduled, not done
			if beBefore(toks, k) {
				return true
			}
		}
		if hearsayAdverbs[w] {
			return true // "allegedly killed by troops": a claim, not a reported act
		}
		if strings.HasSuffix(w, "ly") && !toks[k].Cap {
			continue
		}
		// a verb that takes "to" passes the modal on: "can opt to be deported"
		if k+1 < i && toks[k+1].Lower == "to" && toks[k].Kind == textproc.Word && !toks[k].Cap && !function[w] && !clauseEnd[w] {
			continue
		}
		break
	}
	if gerundSubject(toks, i) {
		return true
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

// classClause: a present-tense verb in a relative clause on a common
// plural noun describes a class of people, not an act: "the terrorists who
// threaten Britain", "groups that oppose hunting".
func classClause(toks []textproc.Token, i int) bool {
	if i < 2 || toks[i-1].Lower != "who" && toks[i-1].Lower != "that" {
		return false
	}
	n, v := toks[i-2], toks[i].Lower
	return !n.Cap && n.Kind == textproc.Word && strings.HasSuffix(n.Lower, "s") && !strings.HasSuffix(n.Lower, "ss") &&
		!strings.HasSuffix(v, "s") && !strings.HasSuffix(v, "ed") && !strings.HasSuffix(v, "ing") && !modals[v] && !irregularPast[v]
}

// finiteAux: auxiliaries that carry a clause's tense.
var finiteAux = map[string]bool{"have": true, "has": true, "had": true, "is": true, "are": true, "was": true, "were": true}

// irregularPast: past forms without "-ed", and verbs whose present and past
// are alike, so that a relative clause with them may report an act.
var irregularPast = map[string]bool{"fought": true, "met": true, "struck": true, "told": true, "said": true,
	"gave": true, "sent": true, "held": true, "led": true, "took": true, "won": true, "hit": true, "shot": true,
	"put": true, "cut": true, "set": true, "beat": true, "quit": true, "sought": true, "brought": true,
	"caught": true, "threw": true, "spoke": true, "broke": true, "fled": true, "left": true, "lost": true,
	"paid": true, "sold": true, "stood": true, "swore": true, "wrote": true, "bought": true, "kept": true,
	"began": true, "bid": true, "let": true, "overthrew": true, "withdrew": true, "forbade": true}

// headlineFuture: in a headline (no closing stop), "Name to <verb>" is what
// someone will do.
func headlineFuture(toks []textproc.Token, i int) bool {
	if i < 2 || toks[i-1].Lower != "to" || !toks[i-2].Cap || toks[i-2].Kind != textproc.Word {
		return false
	}
	switch toks[len(toks)-1].Lower {
	case ".", "!", "?", "\"", ":", ";":
		return false
	}
	return true
}

// hearsayAdverbs mark an act as someone's claim, not the reporter's fact.
var hearsayAdverbs = map[string]bool{"allegedly": true, "supposedly": true, "purportedly": true}

// anyKind: a noun trigger after "any" or "no such" names a kind of act, not
// one that took place: "any such attack", "any attack on Britain".
func anyKind(toks []textproc.Token, i int) bool {
	k := i - 1
	if k >= 0 && toks[k].Lower == "such" {
		k--
	}
	return k >= 0 && (toks[k].Lower == "any" || k < i-1 && toks[k].Lower == "no")
}

// beBefore: a form of "be" stands before token k, past adverbs ("are also
// believed", "was later asked").
func beBefore(toks []textproc.Token, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		w := toks[j].Lower
		if beForms[w] {
			return true
		}
		if !adverbs[w] && !(strings.HasSuffix(w, "ly") && !toks[j].Cap) {
			return false
		}
	}
	return false
}

// gerundSubject: the trigger opens a gerund clause that is the subject of a
// modal or of "is" — "said reaching an understanding with them could be
// difficult", "helping people is a goal" — so it weighs an act in general.
func gerundSubject(toks []textproc.Token, i int) bool {
	if !strings.HasSuffix(toks[i].Lower, "ing") || i > 0 && !clauseStart(toks[i-1].Lower) && !speech[toks[i-1].Lower] {
		return false
	}
	for k := i + 1; k < len(toks) && k <= i+12; k++ {
		w := toks[k].Lower
		if modals[w] || w == "might" || w == "may" && !toks[k].Cap || w == "should" {
			return true
		}
		if w == "is" || w == "was" {
			return true // "helping people live at home is a goal we share"
		}
		if clauseEnd[w] || toks[k].Kind == textproc.Punct && w != "'" && w != "'s" || beForms[w] || auxiliary[w] {
			return false
		}
	}
	return false
}

// scheduled: a present progressive with a time still to come — "is
// holding a further meeting on Friday", "are meeting next week" — announces
// the act; it has not happened.
func scheduled(toks []textproc.Token, i int) bool {
	prog := false
	for k := i; k >= 1 && k >= i-5; k-- {
		if strings.HasSuffix(toks[k].Lower, "ing") && (toks[k-1].Lower == "is" || toks[k-1].Lower == "are") {
			prog = true
			break
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[toks[k].Lower] && k < i {
			break
		}
	}
	if !prog {
		return false
	}
	for k := i + 1; k < len(toks); k++ {
		w := toks[k].Lower
		if w == "." || w == ";" || w == "," || speech[w] {
			break // "is exploring options, its envoy said on Friday"
		}
		if calendar[w] && k > 0 && (toks[k-1].Lower == "on" || toks[k-1].Lower == "next" || toks[k-1].Lower == "this") ||
			w == "tomorrow" || w == "next" && k+1 < len(toks) && (toks[k+1].Lower == "week" || toks[k+1].Lower == "month" || toks[k+1].Lower == "year") {
			return true
		}
	}
	return false
}

// judgedAct: adjectives that weigh an act in general rather than report it:
// "it is important to support teachers", "it was fair to criticise".
var judgedAct = map[string]bool{"important": true, "fair": true, "right": true, "wrong": true, "necessary": true,
	"duty": true, "obligation": true, "responsibility": true,
	"vital": true, "essential": true, "possible": true, "impossible": true, "difficult": true, "hard": true,
	"easy": true, "time": true, "wise": true, "unwise": true, "reasonable": true, "legitimate": true, "better": true,
	"best": true, "crucial": true, "tempting": true, "able": true, "unable": true, "free": true}

// modalObject: a noun trigger in the object of a modal verb — "he should set
// out a strategy including the withdrawal of troops", "could lead to
// attacks" — names what may happen, not what did.
func modalObject(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 1 && k >= i-12; k-- {
		switch w := toks[k].Lower; {
		case w == "." || w == ";" || w == ":" || w == "\"" || w == "said" || w == "says":
			return false
		case (w == "should" || w == "could" || w == "might" || w == "must" || w == "would") && !toks[k].Cap:
			return true
		case w == "may" && !toks[k].Cap:
			return true
		}
	}
	return false
}

// claimWords report what someone claims, believes or alleges, not what is
// known to have happened.
var claimWords = map[string]bool{"claim": true, "claims": true, "claimed": true, "claiming": true, "allege": true,
	"alleges": true, "alleged": true, "alleging": true, "allegation": true, "allegations": true, "believe": true,
	"believes": true, "believed": true, "suspicion": true, "suspicions": true, "accusation": true,
	"accusations": true, "rumour": true, "rumours": true, "rumor": true, "rumors": true, "colluded": true,
	"colluding": true}

// claimed: a forceful act reported under a claim — "an MP believes security
// services were involved in arson attacks", "allegations included the
// shooting of" — is the claim's content; CAMEO codes the claim, not the act.
func claimed(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-15; k-- {
		w := toks[k].Lower
		if claimWords[w] {
			return true
		}
		if w == "." || w == ";" {
			return false
		}
	}
	return false
}

// publications carry claims that the reporter does not vouch for.
var publications = map[string]bool{"book": true, "biography": true, "memoir": true, "memoirs": true, "report": true,
	"article": true, "documentary": true, "dossier": true, "newspaper": true, "paper": true, "tabloid": true}

// attributedClaim: the sentence reports what a book or a trailing claimant
// says — "Mr Peston's book claimed that Mr Brown told Mr Blair …", "Blair
// promised he would stand down, a new book claims" — so the act is only
// claimed, whatever its code.
func attributedClaim(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 1 && k >= i-12; k-- {
		w := toks[k].Lower
		if w == "." || w == ";" {
			break
		}
		if claimWords[w] && (publications[toks[k-1].Lower] || k > 1 && toks[k-1].Lower == "'s" && publications[toks[k-2].Lower]) {
			return true
		}
	}
	// a trailing ", <claimant> claims." closes the sentence
	comma := false
	for k := i + 1; k < len(toks); k++ {
		w := toks[k].Lower
		switch {
		case w == ",":
			comma = true
		case w == "." || w == ";" || w == "\"":
			return comma && k > 0 && claimWords[toks[k-1].Lower] && toks[k-1].Lower != "believed"
		}
	}
	return comma && claimWords[toks[len(toks)-1].Lower]
}

// question: the clause that holds token i asks ("Should the United Kingdom
// approve the Treaty?"); a question asserts no event.
func question(toks []textproc.Token, i int) bool {
	for k := i + 1; k < len(toks); k++ {
		switch toks[k].Lower {
		case "?":
			return true
		case ".", "!", ";", "\"":
			return false
		}
	}
	return false
}

// prospectWords put an act in view, not in the past: "faces extradition",
// "could face house arrest", "the possibility of sanctions".
var prospectWords = map[string]bool{"face": true, "faces": true, "facing": true, "risk": true, "risks": true,
	"risking": true, "prospect": true, "possibility": true, "danger": true}

// prospect: a prospect word stands just before the trigger, and is not one of
// its own words ("$T faces sanctions" is coded as such by constructions.txt).
func prospect(toks []textproc.Token, m *match) bool {
	for k := m.anchor - 1; k >= 0 && k >= m.anchor-6; k-- { // "would face up to two years in jail"
		w := toks[k].Lower
		if prospectWords[w] {
			return true
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[w] || toks[k].Cap {
			return false
		}
	}
	return false
}

// proposalNouns name an act that is proposed or allowed, not done.
var proposalNouns = map[string]bool{"plan": true, "plans": true, "proposal": true, "proposals": true, "bid": true,
	"move": true, "moves": true, "scheme": true, "power": true, "powers": true, "right": true, "ability": true,
	"attempt": true, "attempts": true, "idea": true, "law": true, "bill": true, "legislation": true, "measures": true,
	"obligation": true, "duty": true, "need": true}

// containWords say what a proposal holds.
var containWords = map[string]bool{"include": true, "includes": true, "included": true, "including": true, "involve": true, "involves": true}

// proposalContent: a gerund trigger is what a proposal holds — "other plans
// include letting fathers take leave and extending rights to parents" — so
// it is proposed, not done. The proposal noun must be the subject of
// "include", within the trigger's clause.
func proposalContent(toks []textproc.Token, i int) bool {
	if !strings.HasSuffix(toks[i].Lower, "ing") {
		return false
	}
	for k := i - 1; k >= 1 && k >= i-15; k-- {
		w := toks[k].Lower
		if containWords[w] && proposalNouns[toks[k-1].Lower] {
			return true
		}
		if w == "." || w == ";" || w == ":" || speechVerbs[w] {
			return false
		}
	}
	return false
}

// proposal: the act is the content of a noun — "plans to allow house
// arrest", "the power to suspend" — that a determiner, an adjective or the
// sentence start marks as a noun, not a verb ("Britain plans to").
func proposal(toks []textproc.Token, i int) bool {
	k := i - 1
	if k >= 2 && (toks[k].Lower == "or" || toks[k].Lower == "and") {
		k -= 2 // "the power to suspend or bar"
	}
	for k >= 0 && (toks[k].Lower == "be" || strings.HasSuffix(toks[k].Lower, "ly") && !toks[k].Cap) {
		k--
	}
	if k < 1 || toks[k].Lower != "to" {
		return false
	}
	if toks[k-1].Lower == "," {
		// "plans, backed by the UK, to lift the embargo": skip the aside
		for j := k - 2; j >= 1 && j >= k-10; j-- {
			if toks[j].Lower == "," {
				k = j
				break
			}
		}
	}
	if !proposalNouns[toks[k-1].Lower] {
		return false
	}
	if k-1 == 0 {
		return true
	}
	b := toks[k-2]
	return determiner[b.Lower] || article[b.Lower] || b.Lower == "'s" || b.Lower == "new" || b.Lower == "government" ||
		b.Kind == textproc.Word && !b.Cap && (strings.HasSuffix(b.Lower, "al") || adjectiveLike(b.Lower))
}

// adjectiveLike: word endings that mark a modifier, not a subject, before a
// noun such as "powers": "current powers to detain", "sweeping powers",
// "unveiled plans", "existing powers".
func adjectiveLike(w string) bool {
	return strings.HasSuffix(w, "ent") || strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed") || w == "extra" || w == "wide" || w == "wider" || w == "tough" || w == "tougher"
}

// intentNouns after "no" deny an intent: "no desire to", "no intention of".
var intentNouns = map[string]bool{"desire": true, "intention": true, "intentions": true, "intent": true, "plan": true,
	"plans": true, "wish": true, "interest": true}

// noIntent: "has no desire to offer", "has 'no intention' of resigning".
func noIntent(toks []textproc.Token, i int) bool {
	k := i - 1
	quotes := func() {
		for k >= 0 && toks[k].Lower == "\"" {
			k--
		}
	}
	quotes()
	if k < 0 || toks[k].Lower != "to" && toks[k].Lower != "of" {
		return false
	}
	k--
	quotes()
	if k < 0 || !intentNouns[toks[k].Lower] {
		return false
	}
	k--
	quotes()
	return k >= 0 && toks[k].Lower == "no"
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

// beTo: "is to", "are to be", "was to" in the verb group before the action
// ("Blair is to join a visit to Sheffield"): the news announces it.
func beTo(toks []textproc.Token, i int) bool {
	for k := i; k >= 1 && k >= i-6; k-- { // from i: a trigger may begin with its "to" ("are to back")
		w := toks[k].Lower
		if w == "to" {
			switch toks[k-1].Lower {
			case "is", "are", "was", "were":
				return true
			}
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[w] || toks[k].Cap {
			return false
		}
	}
	return false
}

// wishAt is the index of the "wants" of "wants to see" before token i, or -1.
func wishAt(toks []textproc.Token, i int) int {
	for k := i - 1; k >= 2 && k >= i-6; k-- {
		if toks[k].Lower == "see" && toks[k-1].Lower == "to" {
			switch toks[k-2].Lower {
			case "want", "wants", "wanted", "like", "hope", "hopes", "hoped", "wish", "wishes":
				return k - 2
			}
			return -1
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[toks[k].Lower] {
			return -1
		}
	}
	return -1
}

// wishFor: "wants to see", "would like to see", "hopes to see" before the
// action: a wish that others act, which CAMEO codes as an appeal.
func wishFor(toks []textproc.Token, i int) bool { return wishAt(toks, i) >= 0 }

// hasCondition: the sentence sets a condition ("unless changes are
// agreed", "if in government"), so a stated future act hangs on it.
func hasCondition(toks []textproc.Token) bool {
	return slices.ContainsFunc(toks, func(t textproc.Token) bool { return t.Lower == "unless" || t.Lower == "if" })
}

// attributive: a participle that opens the trigger, between an article and a
// word it describes — "the alleged breaches", "the internationally
// recognised southern part" — labels a thing; it reports no act.
func attributive(toks []textproc.Token, m *match) bool {
	i := m.anchor
	if i+1 >= len(toks) || !strings.HasSuffix(toks[i].Lower, "ed") || !firstIsVerb(m.p) {
		// a noun pattern may open with one: "an improvised explosive device"
		return false
	}
	k := i - 1
	if k >= 0 && strings.HasSuffix(toks[k].Lower, "ly") && !toks[k].Cap {
		k-- // "the internationally recognised"
	}
	if i == 0 && toks[i].Cap {
		k = -1 // "Sacked MP Howard Flight's association …": a label that opens the sentence
	} else if k < 0 || !article[toks[k].Lower] && toks[k].Lower != "that" {
		return false
	}
	next := toks[i+1]
	return next.Kind == textproc.Word && !function[next.Lower] && next.Lower != "by" && !clauseEnd[next.Lower]
}

// topicSubject: a noun trigger opens the sentence as the subject of a
// passive with its agent — "A call for shortlists has been rejected by one
// of Labour's senior Asians", "Their demands have been backed by …" — so
// it is what the agent acted on, not an act of its own.
func topicSubject(toks []textproc.Token, m *match) bool {
	// a determiner marks even a verb pattern as a noun: "A call for"
	if !(m.anchor == 1 && determiner[toks[0].Lower] || m.anchor == 0 && !firstIsVerb(m.p)) {
		return false
	}
	for k := m.end; k+2 < len(toks) && k < m.end+20; k++ {
		w := toks[k].Lower
		if w == "." || w == ";" || w == ":" {
			return false
		}
		if (w == "been" || w == "was" || w == "were" || w == "is" || w == "are") && dict.Participle(toks[k+1].Lower) && toks[k+2].Lower == "by" {
			return true
		}
	}
	return false
}

// share: the verb's subject is a share of people in a poll — "39%
// opposed a comeback", "half said" — an opinion measured, not an act.
func share(toks []textproc.Token, i int) bool {
	k := verbChain(toks, i)
	if k < 1 {
		return false
	}
	w := toks[k-1].Lower
	return w == "%" || w == "cent" || w == "percent" || strings.HasSuffix(w, "%")
}

// proposalChain: an infinitive chain hangs the trigger on a proposal noun —
// "defended plans to introduce orders to keep suspects under house
// arrest" — within one clause.
func proposalChain(toks []textproc.Token, i int) bool {
	coordinated := false // "plans for tackling abuse … and attacked": a second clause
	for k := i - 1; k >= 1 && k >= i-16; k-- {
		w := toks[k].Lower
		if w == "and" || w == "or" {
			if toks[k-1].Kind == textproc.Word && toks[k+1].Kind == textproc.Word && (toks[k-1].Cap || toks[k+1].Cap) {
				continue // "foreign and British suspects": a list inside the chain
			}
			coordinated = true
		}
		if finiteAux[w] {
			return false // "plans to allow waste to be stored have been branded": the main verb
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[w] {
			return false
		}
		if w == "to" && k+1 < i && proposal(toks, k+1) {
			return true
		}
		if !coordinated && strings.HasSuffix(w, "ing") && k >= 2 && toks[k-1].Lower == "for" && proposalNouns[toks[k-2].Lower] {
			return true // "plans for keeping suspects under house arrest"
		}
	}
	return false
}

// endWords put an end to what follows.
var endWords = map[string]bool{"end": true, "ending": true, "stop": true, "stopping": true, "curb": true, "curbing": true,
	"tackle": true, "tackling": true, "combat": true, "combating": true, "combatting": true}

// endedNoun: a noun of force right after a verb that ends or fights it —
// "working to end terror attacks", "to combat attacks" — names the target
// of the effort, not an act that happened.
func endedNoun(toks []textproc.Token, i int) bool {
	k := i - 1
	if k >= 0 && article[toks[k].Lower] {
		k--
	}
	return k >= 0 && endWords[toks[k].Lower]
}

// describedNoun: a common noun that a following adjective or participle
// can describe — not a name, pronoun, verb form or adverb.
func describedNoun(t textproc.Token) bool {
	return t.Kind == textproc.Word && !t.Cap && !pronouns[t.Lower] && !function[t.Lower] && !auxiliary[t.Lower] &&
		!beForms[t.Lower] && !adverbs[t.Lower] && !negators[t.Lower] && !strings.HasSuffix(t.Lower, "ly") && !clauseEnd[t.Lower]
}

// relPreps follow a participle that describes the noun before it.
var relPreps = map[string]bool{"without": true, "in": true, "at": true, "on": true, "for": true, "under": true, "since": true, "after": true}

// reducedRelative: a one-word participle trigger right after a common noun
// and before a preposition — "suspects detained without trial" — describes
// the noun inside another clause; it is no act of the sentence's subject.
func reducedRelative(toks []textproc.Token, m *match) bool {
	i := m.anchor
	if m.end != i+1 || i < 1 || m.end >= len(toks) || !strings.HasSuffix(toks[i].Lower, "ed") {
		return false
	}
	return describedNoun(toks[i-1]) && relPreps[toks[m.end].Lower]
}

// denyWords open a denial whose object may be an act ("denied accusing").
var denyWords = map[string]bool{"deny": true, "denies": true, "denied": true, "denying": true}

// deniedAct: the trigger is a gerund right after a verb of denial, so the
// sentence reports a denial, not the act.
func deniedAct(toks []textproc.Token, i int) bool {
	return i > 0 && denyWords[toks[i-1].Lower] && strings.HasSuffix(toks[i].Lower, "ing")
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
		if scheduledFor(toks, k) {
			return true
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[w] || toks[k].Cap {
			return false
		}
	}
	return false
}

// scheduleWords with "to" and a verb put an act in the future: "is due to
// visit", "is to meet", "was set to sign"; "due to the strike" is a cause.
var scheduleWords = map[string]bool{"due": true, "scheduled": true, "set": true, "is": true, "are": true}

func scheduledFor(toks []textproc.Token, k int) bool {
	if !scheduleWords[toks[k].Lower] || k+2 >= len(toks) || toks[k+1].Lower != "to" {
		return false
	}
	v := toks[k+2]
	return v.Kind == textproc.Word && !v.Cap && !determiner[v.Lower] && !function[v.Lower] && !preps[v.Lower] && !pronouns[v.Lower]
}

// planned: a word of planning, not a modal, opens the verb group before
// token i: "plans to sue", "is going to accuse", "hopes to condemn".
func planned(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 1 && k >= i-6; k-- {
		if w := toks[k-1].Lower; toks[k].Lower == "to" && intentWords[w] && !modals[w] {
			return true
		}
		if toks[k].Kind == textproc.Punct || clauseEnd[toks[k].Lower] || toks[k].Cap {
			return false
		}
	}
	return false
}

// mainEvents keeps the sentence's main event — the first that has an actor —
// and the events of clauses coordinated with it ("denounced X and called on
// Y"); subordinate and reported side events are left out, as hand coders do.
// A plain statement (010) counts only when nothing more specific was said.
func mainEvents(toks []textproc.Token, gs []*group, ms []*match) []*match {
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
			c := judgement(toks, m.end)
			if c == "" && quoteBefore(toks, m.anchor) {
				// "\"… is dodging the issue,\" he told BBC News": the quotation
				// before the verb is what was said
				c = judgementIn(toks, 0, m.anchor)
			}
			if c != "" && m.source != nil {
				m.code, m.via = c, "evaluative statement"
				if m.target != nil && sector(m.target) == "MED" {
					// "told BBC Radio: ... lie about anything": the
					// programme is where it was said, not what is blamed
					m.target = nil
				}
				if m.target == nil && c != "016" && c != "120" {
					// "a stupid remark by the first minister": who is judged
					m.target = judged(gs, m)
					if m.target != nil && sector(m.target) == "MED" {
						m.target = nil
					}
				}
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
	p := g.members[0]
	return armed[sector(g)] || len(p.code) == 3 && p.code != "---" && p.person == nil && !p.stranger
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
func (c *Coder) plausible(toks []textproc.Token, ms []*match) []*match {
	out := ms[:0]
	for _, m := range ms {
		if m.passive && m.target == nil {
			continue // "targets would be met": nobody was acted on
		}
		if m.passive && m.source == nil && m.code[:2] == "17" && (toks[m.end-1].Lower == "to" || toks[m.end-1].Lower == "into") {
			// "Ms Hughes was forced to resign": no one named coerced her;
			// what she did is the event
			continue
		}
		if m.target != nil && topicPhrase(toks, m, m.target) {
			// "leaders meet over Turkish EU bid": what a meeting is about
			// is not who it meets
			m.target = nil
		}
		if m.p.Code == "174" && m.target != nil && destination(toks, m, m.target) {
			// "deport them to Algeria": where they are sent is not who is
			// deported
			m.target = nil
		}
		if m.anchor >= 2 && toks[m.anchor-1].Lower == "of" && charges[toks[m.anchor-2].Lower] {
			continue // "accused of attacking Bush": the charge, not a known act
		}
		if modalPassive(toks, m) {
			// "Downing Street said Mr Blair should be judged by results": a
			// view of what others should do to him, not an appeal to him
			continue
		}
		if m.source == nil && demonstrativeSubject(toks, m) {
			continue // "and that calls for an alliance": a situation, not an actor, asks
		}
		if m.code == "016" && c.withheld(toks, m) {
			continue
		}
		if m.thing && m.source == nil && m.code[:2] < "10" {
			// "the research endorses our policy": a finding, not an actor's
			// statement or help
			continue
		}
		if (m.code == "012" || m.code == "013") && m.negated {
			continue // "has no doubt that": the opposite of a gloomy remark
		}
		if last := toks[m.end-1].Lower; m.code[:2] == "10" && m.end < len(toks) && m.end-1 > m.anchor && slices.Contains(m.lits, m.end-1) &&
			!auxiliary[last] && !modals[last] && last != "to" && last != "that" && (auxiliary[toks[m.end].Lower] || beForms[toks[m.end].Lower]) {
			// "insisted closer co-operation did not mean …": the noun is the
			// subject of what was said, not a thing demanded
			continue
		}
		if m.code == "019" && m.end < len(toks) && toks[m.end].Lower == "to" {
			// "agreed with the Italian minister to push forward": an
			// agreement to act together, whose content may compose with it
			m.code, m.complement = "030", true
		}
		r := m.code[:2]
		switch {
		case r >= "18" && r <= "20":
			if r != "20" && killing(toks, m) && massive(toks, m.target) {
				// "1.5 million people were killed at Auschwitz": mass killing
				m.code, m.via = "202", "mass killing"
			}
			if verbalAttack(toks, m) && m.target == nil && nounUse(toks, m.anchor) {
				continue // "sprees which ended in assaults": a crime count, no one's act
			} else if verbalAttack(toks, m) && wordy(m) {
				m.code, m.via = "111", "verbal attack"
			} else if m.target == nil && !canFight(m.source) {
				continue
			} else if m.target == nil && inside(m.source, m.lits) {
				continue // "free from terrorist attack": no one attacked anyone
			} else if !hasSlot(m.p, dict.Target) && !canFight(m.source) && !stateSector[sector(m.source)] && located(toks, m.target) {
				continue // "to fight anti-social behaviour in England"
			}
		case m.code == "130" && m.via == "" && warning(toks, m) && !interstate(m) && !conditionAfter(toks, m.end):
			// "the Lib Dems warned Labour they were pandering to prejudice":
			// at home a warning is a gloomy remark, not a coercive threat
			m.code, m.via = "012", "warning, not a threat"
		case r == "04" && m.code != "045":
			if m.target == nil && (m.source == nil || len(m.source.members) < 2) {
				continue
			}
			if m.source == nil {
				// "after arriving in London", "the report discussed": a
				// meeting or a visit needs the side that went to it
				continue
			}
			if m.target != nil && masses[m.target.members[0].name] {
				// "telephoning the millions of people", "talking to people":
				// campaigning, not consultation with a counterpart
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// masses: the public at large, which no one consults as a party.
var masses = map[string]bool{"people": true, "public": true, "voters": true, "electorate": true, "residents": true, "citizens": true}

// withheld: a bare "deny" with a person and a thing — "denying people
// choice", "will not be denied sanctuary" — withholds something; it rejects
// no accusation.
func (c *Coder) withheld(toks []textproc.Token, m *match) bool {
	if m.p.Literals > 1 || !strings.HasPrefix(toks[m.anchor].Lower, "den") {
		return false
	}
	if isPassive(toks, m.anchor) && (m.end >= len(toks) || toks[m.end].Lower != "by") {
		return true
	}
	g := m.target
	if g == nil || g.start < m.end || g.start > m.end+1 || g.end >= len(toks) {
		return false
	}
	n := toks[g.end]
	return n.Kind == textproc.Word && !n.Cap && n.Lower != "'s" && n.Lower != "that" && !auxiliary[n.Lower] && !beForms[n.Lower] && !c.patterns.Verb(n.Lower)
}

// killing: the trigger kills ("killed", "killing", "massacre").
func killing(toks []textproc.Token, m *match) bool {
	for _, t := range m.lits {
		if w := toks[t].Lower; strings.HasPrefix(w, "kill") || strings.HasPrefix(w, "massacre") || strings.HasPrefix(w, "slaughter") {
			return true
		}
	}
	return false
}

// massive: the victims are counted in thousands ("1.5 million people",
// "thousands of civilians", "800,000 Tutsis").
func massive(toks []textproc.Token, g *group) bool {
	if g == nil {
		return false
	}
	for k := g.start - 1; k >= 0 && k >= g.start-4; k-- {
		w := toks[k].Lower
		switch {
		case w == "million" || w == "millions" || w == "thousands" || w == "billion":
			return true
		case toks[k].Kind == textproc.Number:
			n := strings.ReplaceAll(w, ",", "")
			return len(n) >= 4 && !strings.Contains(n, ".") || strings.Contains(w, ",")
		case w == "of" || w == "and" || w == "between" || w == "some" || w == "about" || w == "over" || w == "more" || w == "than" || w == "up" || w == "to" || w == "at" || w == "least":
			continue
		default:
			return false
		}
	}
	return false
}

// warning: the trigger is "warn" or "warning".
func warning(toks []textproc.Token, m *match) bool {
	return strings.HasPrefix(toks[m.lits[0]].Lower, "warn")
}

// conditionAfter: "unless" follows in the sentence — "warned they would
// receive a penalty notice unless ..." is a conditional threat.
func conditionAfter(toks []textproc.Token, from int) bool {
	for k := from; k < len(toks); k++ {
		if toks[k].Lower == "unless" {
			return true
		}
	}
	return false
}

// interstate: a state, or its agent, acts on another state — the pair a
// coercive threat passes between.
func interstate(m *match) bool {
	if m.source == nil || m.target == nil {
		return false
	}
	s, t := m.source.members[0].code, m.target.members[0].code
	if len(s) < 3 || len(t) < 3 || s[:3] == t[:3] || s[:3] == "---" || t[:3] == "---" {
		return false
	}
	sec := sector(m.source)
	return sec == "" || stateSector[sec]
}

// wordy: an "attack" or "clash" between people and parties is made with
// words. One side armed, a state attacking ("Russia attacked Ukraine") or an
// unknown assailant ("MP attacked in a park") keeps it violent.
func wordy(m *match) bool {
	for _, g := range []*group{m.source, m.target} {
		if g != nil && armed[sector(g)] {
			return false
		}
	}
	if m.source == nil {
		// "launches attack on Blair": an unnamed side against a politician
		return !m.passive && m.target != nil && (m.target.members[0].person != nil || political[sector(m.target)])
	}
	p := m.source.members[0]
	return p.person != nil || p.stranger || political[sector(m.source)]
}

// nounUse: the trigger is a plural noun after a preposition, determiner or
// "or" ("ended in assaults or rapes"), not a verb with a subject.
func nounUse(toks []textproc.Token, i int) bool {
	if i == 0 || !strings.HasSuffix(toks[i].Lower, "s") {
		return false
	}
	b := toks[i-1].Lower
	return preps[b] || determiner[b] || article[b] || b == "or" || b == "and"
}

// inside: the actor is named by the trigger's own words ("terrorist attack").
func inside(g *group, lits []int) bool {
	return g != nil && g.start >= lits[0] && g.end <= lits[len(lits)-1]+1
}

// located: the phrase is a place the act happens in ("in England"), not a
// party to it.
func located(toks []textproc.Token, g *group) bool {
	if g == nil || g.start == 0 {
		return false
	}
	b := g.start - 1
	if toks[b].Lower == "the" && b > 0 {
		b--
	}
	return locativePrep[toks[b].Lower] || g.members[0].place
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
		case (r == "14" || m.code == "133") && !stateSector[sec]:
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
		"disappointing": true, "distortion": true, "distortions": true, "misleading": true,
		"smear": true, "slur": true, "deceit": true, "deceitful": true, "pathetic": true, "shoddy": true,
		"mistake": true, "pandering": true, "failure": true, "authoritarian": true, "pity": true, "smearing": true,
		"vindictive": true, "vindictiveness": true, "dodging": true, "dodged": true, "playground": true,
		"backwards": true, "shameless": true,
	}
	praise = map[string]bool{
		"courageous": true, "admirable": true, "commendable": true, "outstanding": true, "excellent": true,
		"praiseworthy": true, "humane": true, "inspirational": true, "visionary": true, "heroic": true,
		"brilliant": true, "superb": true,
	}
)

// judged is the first actor the statement names after its verb, other than
// the speaker and places.
func judged(gs []*group, m *match) *group {
	for _, g := range gs {
		if g.start >= m.end && g != m.source && !g.members[0].place && g.members[0].name != m.source.members[0].name {
			return g
		}
	}
	return nil
}

// reportNouns name what others said happened: "reports that she had …".
var reportNouns = map[string]bool{"report": true, "reports": true, "claim": true, "claims": true, "suggestion": true,
	"suggestions": true, "allegation": true, "allegations": true, "story": true, "stories": true, "rumour": true,
	"rumours": true, "rumor": true, "rumors": true, "accusation": true, "accusations": true}

// deniedReports recodes an act reported in a claim that the sentence calls
// false — "she said reports that she had likened the government to a
// dictatorship were inaccurate" — as the denial (016) it is. The denier is
// the actor before the claim noun, when there is one.
func deniedReports(toks []textproc.Token, gs []*group, ms []*match) {
	for _, m := range ms {
		if m.code == "010" || m.code == "016" {
			continue
		}
		claim := -1
		for k := m.anchor - 1; k >= 0 && k >= m.anchor-12; k-- {
			if w := toks[k].Lower; reportNouns[w] && k+1 < m.anchor && toks[k+1].Lower == "that" {
				claim = k
				break
			} else if w == "." || w == ";" {
				break
			}
		}
		if claim < 0 {
			continue
		}
		for k := m.end; k < len(toks); k++ {
			if !denies(toks, k) {
				continue
			}
			m.code, m.via, m.target, m.negated = "016", "denied report", nil, false
			for _, g := range gs {
				if g.end <= claim {
					m.source = g
				}
			}
			break
		}
	}
}

// aboutReports: what follows token i is a report, a claim or a matter to
// comment on ("discuss reports", "discuss the details").
func aboutReports(toks []textproc.Token, i int) bool {
	for k := i; k < len(toks) && k <= i+2; k++ {
		w := toks[k].Lower
		if reportNouns[w] || w == "speculation" || w == "details" || w == "matter" || w == "claims" {
			return true
		}
		if !determiner[w] && !article[w] {
			return false
		}
	}
	return false
}

// denial words say that a claim is false: "the reports were inaccurate".
var denial = map[string]bool{"untrue": true, "inaccurate": true, "baseless": true, "groundless": true, "unfounded": true,
	"untruthful": true, "fabricated": true, "fabrication": true}

// denies: the words from k on reject a claim — "untrue", "not true", "we
// don't think we got it wrong", "to put the record straight".
func denies(toks []textproc.Token, k int) bool {
	w := toks[k].Lower
	switch {
	case denial[w]:
		return true
	case w == "true" || w == "wrong":
		for j := k - 1; j >= 0 && j >= k-6; j-- {
			if negators[toks[j].Lower] {
				return true
			}
			if clauseEnd[toks[j].Lower] && toks[j].Lower != "that" || toks[j].Kind == textproc.Punct && toks[j].Lower != "'" {
				break // "should not move out - absolutely wrong" blames
			}
		}
	case w == "straight":
		return k > 0 && toks[k-1].Lower == "record"
	}
	return false
}

// rules out: "it is not for negotiation", "non-negotiable".
func rulesOut(toks []textproc.Token, k int) bool {
	switch toks[k].Lower {
	case "non-negotiable":
		return true
	case "negotiation", "negotiable", "question":
		return k >= 2 && negators[toks[k-2].Lower] && (toks[k-1].Lower == "for" || toks[k-1].Lower == "of" || toks[k-1].Lower == "negotiable" || toks[k].Lower == "negotiable") ||
			k >= 1 && negators[toks[k-1].Lower] && toks[k].Lower == "negotiable" ||
			toks[k].Lower == "question" && k >= 3 && toks[k-1].Lower == "the" && toks[k-2].Lower == "of" && toks[k-3].Lower == "out"
	}
	return false
}

// judgement looks through the rest of the sentence for what a statement
// does: deny a claim (016), rule something out (120), blame (111) or
// praise (051).
func judgement(toks []textproc.Token, from int) string {
	return judgementIn(toks, from, len(toks))
}

// lieVerb: words after "lies" that make it the verb of place.
var lieVerb = map[string]bool{"in": true, "with": true, "ahead": true, "behind": true, "at": true, "on": true, "within": true, "beyond": true}

// quoteBefore: a quotation closes just before token i, as in "…," he told.
func quoteBefore(toks []textproc.Token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		if toks[k].Lower == "\"" {
			return true
		}
	}
	return false
}

// judgementIn reads the statement in toks[from:to].
func judgementIn(toks []textproc.Token, from, to int) string {
	for k := from; k < to; k++ {
		if denies(toks, k) {
			return "016"
		}
		if rulesOut(toks, k) {
			return "120"
		}
	}
	for k := from; k < to; k++ {
		w := toks[k].Lower
		if k > from && speechVerbs[w] {
			break // "responding to Lewis, who said … smearing": the fault is found by another
		}
		if w == "failure" && k > 0 && article[toks[k-1].Lower] {
			continue // "following the failure of the first bid" reports, it does not blame
		}
		if w == "lies" && k+1 < to && lieVerb[toks[k+1].Lower] {
			continue // "the best prospect lies in democracy": where it is, not falsehoods
		}
		if blame[w] || (w == "lie" || w == "lying" || w == "lied") && k+1 < len(toks) && (toks[k+1].Lower == "about" || toks[k+1].Lower == "to") {
			return "111"
		}
		if praise[w] {
			return "051"
		}
		if (w == "deserve" || w == "deserves") && k+1 < to && toks[k+1].Lower == "better" {
			return "111" // "Britain really does deserve better"
		}
	}
	return ""
}

// blamingWarnings recodes a warning (012) whose content blames — "warned
// Labour they were in danger of pandering to prejudice" — as the criticism
// (111) it is: a pessimistic comment foresees, it does not find fault.
func blamingWarnings(toks []textproc.Token, gs []*group, ms []*match) {
	for _, m := range ms {
		if m.code != "012" || m.source == nil || judgement(toks, m.end) != "111" {
			continue
		}
		m.code, m.via = "111", "blaming warning"
		if m.target == nil {
			m.target = judged(gs, m)
		}
		if m.target != nil && sector(m.target) == "MED" {
			m.target = nil
		}
	}
}

// agentless drops passive acts whose doer is neither named nor implied:
// "Mr Mubanga was properly detained", "Ministers have been asked to". CAMEO
// codes an act by its doer. It runs after the main events are chosen, so
// that an act reported under one ("accused of criticising") stays hidden.
func agentless(toks []textproc.Token, ms []*match) []*match {
	out := ms[:0]
	for _, m := range ms {
		if m.passive && m.source == nil && !agentImplied(toks, m) && !slices.ContainsFunc(toks[m.end:], func(t textproc.Token) bool { return t.Lower == "by" }) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// agentImplied: some acts name their doer without words — an arrest or a
// release is by the authorities, a conviction by a court — and violence
// has victims whoever the attacker.
func agentImplied(toks []textproc.Token, m *match) bool {
	switch r := m.code[:2]; {
	case r >= "18":
		// "Straw attacked on China arms": in politics, attacked over an
		// issue is criticised, and the critic must be named
		return m.end >= len(toks) || toks[m.end].Lower != "on" && toks[m.end].Lower != "over"
	case m.via != "":
		return false
	}
	switch m.code[:3] {
	case "173", "174", "116", "084":
		return true
	}
	return false
}

// topicWords open a phrase that says what an act is about.
var topicWords = map[string]bool{"over": true, "regarding": true, "concerning": true}

// topicPhrase: the target stands in an "over …"/"about …" phrase that the
// pattern itself does not name, so it is the matter, not a participant.
func topicPhrase(toks []textproc.Token, m *match, g *group) bool {
	for k := g.start - 1; k >= m.end && k >= g.start-4; k-- {
		if w := toks[k].Lower; topicWords[w] || w == "about" && m.code[:2] == "04" && k == m.end {
			// one complains "about" whom it blames, but meets "about" a matter
			return true
		}
		if toks[k].Kind != textproc.Word {
			return false
		}
	}
	return false
}

// destination: a "to" stands between the verb and the phrase — "deport
// them to their countries of origin, Algeria …" — so it names where
// someone is sent.
func destination(toks []textproc.Token, m *match, g *group) bool {
	for k := m.end; k < g.start; k++ {
		if toks[k].Lower == "to" {
			return true
		}
	}
	return false
}

// demonstrativeSubject: the verb's subject is a bare "that" or "this"
// opening a clause ("…, and that calls for"), which points at a state of
// affairs, not at an actor.
func demonstrativeSubject(toks []textproc.Token, m *match) bool {
	k := verbChain(toks, m.anchor)
	if k < 1 {
		return false
	}
	if w := toks[k-1].Lower; w != "that" && w != "this" {
		return false
	}
	if k < 2 {
		return true
	}
	w := toks[k-2].Lower
	return w == "and" || w == "but" || w == "," || w == ";" || w == "so"
}

// modalPassive: the trigger ends in "should" or "must" and a passive
// follows ("should be judged", "must not be given").
func modalPassive(toks []textproc.Token, m *match) bool {
	if w := toks[m.end-1].Lower; w != "should" && w != "must" {
		return false
	}
	k := m.end
	if k < len(toks) && negators[toks[k].Lower] {
		k++
	}
	return k+1 < len(toks) && toks[k].Lower == "be" && dict.Participle(toks[k+1].Lower)
}

// charges name what someone is accused or suspected of.
// ("guilty of", "convicted of" are findings, whose content happened).
var charges = map[string]bool{"accused": true, "accusing": true, "accuse": true, "accuses": true, "suspected": true,
	"charged": true, "suspicion": true}

// wants are verbs of wanting or intending; negated, the act is not meant.
var wants = map[string]bool{"want": true, "wants": true, "wanted": true, "intend": true, "intends": true, "intended": true,
	"plan": true, "plans": true, "planned": true, "wish": true, "wishes": true}

// pollWords report an opinion poll.
var pollWords = map[string]bool{"poll": true, "polls": true, "survey": true, "surveys": true, "surveyed": true, "polled": true}

// polled: the act stands after "would" in a sentence that reports a poll,
// so it is what respondents say they would do.
func polled(toks []textproc.Token, i int) bool {
	k := verbChain(toks, i)
	would := false
	for j := k; j < i; j++ {
		would = would || toks[j].Lower == "would"
	}
	return would && slices.ContainsFunc(toks, func(t textproc.Token) bool { return pollWords[t.Lower] })
}
