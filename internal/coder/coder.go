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
	"slices"
	"time"

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
	// The two dictionaries are independent: loading them side by side takes
	// a third off start-up on two cores.
	var p *dict.Patterns
	var perr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		p, perr = dict.LoadPatterns(func(code string) bool { _, ok := codebook.Lookup(code); return ok }, patternFiles...)
	}()
	a, err := dict.LoadActors(actorFiles...)
	<-done
	if err != nil {
		return nil, err
	}
	if perr != nil {
		return nil, perr
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
	leftTarget bool   // pattern starts with $T: "$T {face} $S sanctions"
	quoted     bool   // the trigger stands inside quotation marks
	complement bool   // ends in "to"/"of"/"for"/"that": what follows is its content
	implied    string // target code implied by a domestic event with no named target
	modifier   *group // an actor inside a gap of the pattern: "the Tory plans"
	thing      bool   // the verb's subject is a thing, no actor: "the research endorses"
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
	if len(out) > 0 && c.offTopic(sents) != "" {
		out = slices.DeleteFunc(out, func(e model.Event) bool { return !politicalActor(e.Source) && !politicalActor(e.Target) })
	}
	return out
}

// offTopic names the subject other than politics that a story is about,
// or "": a sentence is on a topic when it holds one of the topic's strong
// cue words or two different weak ones (offtopic.tsv), and a story when at
// least 3 of its sentences, and a fifth of them, are. A sports report's
// "battle with Radcliffe" and "set Bowyer free" are not political events.
func (c *Coder) offTopic(sents []textproc.Sentence) string {
	counts := map[string]int{}
	weak := map[string]string{} // weak cue word -> topic, within a sentence
	for _, s := range sents {
		clear(weak)
		on := ""
		for _, t := range s.Tokens {
			cue, ok := c.actors.Topic(t.Lower)
			if !ok {
				continue
			}
			if cue.Strong {
				on = cue.Topic
				break
			}
			for w, tp := range weak {
				if tp == cue.Topic && w != t.Lower {
					on = tp
				}
			}
			if on != "" {
				break
			}
			weak[t.Lower] = cue.Topic
		}
		if on != "" {
			counts[on]++
		}
	}
	best, n := "", 0
	for tp, k := range counts {
		if k > n || k == n && tp < best {
			best, n = tp, k
		}
	}
	if n >= 3 && 5*n >= len(sents) {
		return best
	}
	return ""
}

// politicalSectors are the sectors whose acts stay political events even
// in an off-topic story (a minister on a stadium, police at a match).
var politicalSectors = []string{"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY", "REB", "SEP", "SPY", "UAF", "IGO"}

func politicalActor(a *model.Actor) bool {
	if a == nil {
		return false
	}
	for i := 0; i+3 <= len(a.Code); i += 3 {
		if slices.Contains(politicalSectors, a.Code[i:i+3]) {
			return true
		}
	}
	return false
}

func (c *Coder) sentence(doc model.Document, runes []rune, si int, s textproc.Sentence, st *docState, ref time.Time) []model.Event {
	toks := s.Tokens
	st.sentence = si
	before := st.lastPerson
	nps := c.phrases(toks, st)
	st.describe(toks, nps)
	nps = st.references(toks, nps, before)
	st.topic(toks, nps)
	civilGeneral(toks, nps)
	c.placeAgents(toks, nps, st)
	spokesFor(toks, nps)
	nps = c.placeModifiers(toks, nps)
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
	ownState(ms, st)
	complaints(ms)
	ms = c.plausible(toks, ms)
	ms = frame(toks, ms)
	deniedReports(toks, gs, ms)
	blamingWarnings(toks, gs, ms)
	ms = mainEvents(toks, gs, ms)
	domestic(ms)
	ms = agentless(toks, ms)
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
