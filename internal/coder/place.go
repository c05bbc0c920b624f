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
			switch e := pick(es); e.Kind {
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
	}
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
	story := st.dominant()
	for _, p := range nps {
		if strings.HasPrefix(p.code, "---") {
			place := place
			if p.stranger && story != "" {
				place = story // "Mr Howard said … in Canada": a person belongs to the story's state
			}
			p.code = place + p.code[3:]
			p.country = true
			p.entry += " place:" + place
		}
	}
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
// in it that man, not Australia's prime minister).
func (c *Coder) strangers(toks []textproc.Token, st *docState) {
	for i := 1; i < len(toks); i++ {
		t, prev := toks[i], toks[i-1]
		if !t.Cap || !prev.Cap || prev.Kind != textproc.Word || titles[prev.Lower] || function[prev.Lower] || adjuncts[prev.Lower] {
			continue
		}
		if len(c.actors.Surname(t.Lower)) == 0 {
			continue
		}
		if _, n := c.actors.Match(toks, i-1); n == 0 {
			st.strangers[t.Lower] = true
		}
	}
}
