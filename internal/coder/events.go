package coder

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"

	"github.com/dyadproject/dyad/internal/codebook"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/textproc"
)

// Event records: codebook fields, evidence spans, stable ids.

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
		if m.implied != "" {
			tgts = []*np{{code: m.implied, name: "implied by a domestic event", entry: "implied", start: -1}}
		}
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
			if s != nil && t != nil && s.code == t.code && s.name == t.name && !t.place && (s.person != nil || s.stranger || sameSpan(toks, s, t)) {
				// an actor does not act on itself; a state may act at home, and
				// one state's bodies on each other ("the National Audit Office
				// criticised the Ministry of Defence")
				continue
			}
			if s != nil && t != nil && len(srcs) > 1 && len(tgts) > 1 && s.code == t.code {
				// "Lavrov and Wang said the affairs of Beijing and Moscow…":
				// pairing two compounds member by member, each side's own
				// state is not its target
				continue
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
			if m.implied != "" && m.target == nil {
				ev.Rule += " + implied domestic target"
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

// sameSpan: two phrases read the same words.
func sameSpan(toks []textproc.Token, a, b *np) bool {
	if a.start < 0 || b.start < 0 || a.end-a.start != b.end-b.start {
		return a.start < 0 && b.start < 0
	}
	for k := 0; k < a.end-a.start; k++ {
		if toks[a.start+k].Lower != toks[b.start+k].Lower {
			return false
		}
	}
	return true
}

func actor(runes []rune, toks []textproc.Token, p *np) *model.Actor {
	if p == nil {
		return nil
	}
	if p.start < 0 {
		// an implied actor has no words: an empty span at the sentence start
		a := &model.Actor{Code: p.code, Country: p.code[:3], Sector: p.code[3:], Name: p.name, Entry: p.entry}
		a.Start, a.End = toks[0].Start, toks[0].Start
		return a
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
