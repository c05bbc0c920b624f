package coder

import (
	"sort"
	"strings"

	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/textproc"
)

// np is one actor noun phrase: "Chinese Foreign Minister Wang Yi".
type np struct {
	start, end  int // token range [start, end)
	code        string
	name        string
	entry       string // dictionary entry ids, for explanations
	country     bool   // carries a country/IGO/region part
	sector      string // agent sector when the phrase has one
	adjOnly     bool   // a bare adjective ("Hungarian") that a following agent may complete
	person      *dict.Entry
	place       bool // a city or town: where things happen, not who acts
	org         bool // coded from an organisation ("Al Jazeera" is Qatari, its story need not be)
	stranger    bool // a titled person we do not know: "Mr Clarke"
	institution bool // a body named by an institution word: "National Audit Office"
	pStart      int  // the person's name within the phrase
	pEnd        int
	gender      byte // 'm' or 'f' when a title tells, for "he" and "she"
}

// group is a compound actor: "the United States, the EU, Britain and Canada".
type group struct {
	start, end int
	members    []*np
}

type item struct {
	start, end int
	e          *dict.Entry
}

// glue words may stand inside one actor phrase.
var glue = map[string]bool{
	"'s": true, "senior": true, "top": true, "chief": true, "deputy": true, "acting": true, "then": true,
	"new": true, "state": true, "state-run": true, "official": true, "leading": true, "prominent": true,
	"outgoing": true, "incoming": true, "interim": true, "caretaker": true, "veteran": true, "local": true,
	"national": true, "federal": true, "high-ranking": true, "ranking": true, "hardline": true, "moderate": true,
	"radical": true, "armed": true, "exiled": true, "jailed": true, "detained": true, "vice": true,
	"assistant": true, "junior": true, "first": true, "former": true, "ousted": true, "late": true,
}

// corporate words end company names, never people's.
var corporate = map[string]bool{
	"corp": true, "corp.": true, "inc": true, "inc.": true, "co": true, "co.": true, "ltd": true, "ltd.": true,
	"plc": true, "group": true, "bank": true, "management": true, "systems": true, "industries": true, "holdings": true,
	"partners": true, "associates": true, "international": true, "petroleum": true, "oil": true, "energy": true,
	"airlines": true, "airways": true, "motors": true, "electric": true, "financial": true, "capital": true,
	"securities": true, "investments": true, "technologies": true, "technology": true, "communications": true,
	"corporation": true, "company": true, "trust": true, "fund": true, "insurance": true, "resources": true,
	"properties": true, "services": true, "products": true, "stores": true, "foods": true, "mining": true,
	"steel": true, "chemical": true, "chemicals": true, "pharmaceuticals": true, "labs": true, "laboratories": true,
	"media": true, "news": true, "times": true, "post": true, "journal": true, "council": true, "committee": true,
	"commission": true, "office": true, "department": true, "ministry": true, "party": true, "union": true,
	"university": true, "college": true, "school": true, "hospital": true, "court": true, "board": true,
}

// stranger stands for a titled person the dictionary does not know.
var stranger = &dict.Entry{ID: "title", Kind: dict.Agent, Name: "named person"}

// function words never stand inside an actor phrase.
var function = map[string]bool{
	"and": true, "or": true, "but": true, "the": true, "a": true, "an": true, "of": true, "to": true, "in": true,
	"on": true, "at": true, "by": true, "for": true, "with": true, "from": true, "that": true, "which": true,
	"who": true, "is": true, "are": true, "was": true, "were": true, "has": true, "have": true, "had": true,
	"will": true, "would": true, "said": true, "says": true, "not": true, "as": true, "its": true, "their": true,
}

// kindRank orders readings of the same words: a person beats an organisation
// beats a state name.
var kindRank = map[dict.Kind]int{dict.Person: 6, dict.Org: 5, dict.Country: 4, dict.Seat: 3, dict.Region: 3, dict.Adjective: 2, dict.City: 2, dict.Agent: 1}

// Of two people who share a name ("George Bush"), the one in office on the
// story's date is meant.
func pick(es []*dict.Entry, date string) *dict.Entry {
	best := es[0]
	for _, e := range es[1:] {
		if kindRank[e.Kind] > kindRank[best.Kind] ||
			e.Kind == dict.Person && best.Kind == dict.Person && date != "" && inOffice(e, date) && !inOffice(best, date) {
			best = e
		}
	}
	return best
}

// phrases finds the actor phrases of one sentence.
func (c *Coder) phrases(toks []textproc.Token, st *docState) []*np {
	var items []item
	var maybe []int // capitalised words that may be surnames
	for i := 0; i < len(toks); {
		es, n := c.actors.Match(toks, i)
		if n > 0 && toks[i].Lower == "the" {
			// "the West" must not eat "the West Bank"
			if es2, n2 := c.actors.Match(toks, i+1); n2 > 0 && 1+n2 > n {
				es, n = es2, n2
				i++
			}
		}
		if n > 0 {
			e := pick(es, st.date)
			// "the Kyoto protocol", "the Geneva Conventions": a text named
			// after where it was signed, not an actor
			document := (e.Kind == dict.City || e.Kind == dict.Seat) && i+n < len(toks) && documentNames[toks[i+n].Lower]
			if e.Kind == dict.City && n == 1 && i > 0 && titles[toks[i-1].Lower] && toks[i].Cap {
				// "Mr Houston", "Dr Preston": a surname, not the town
				maybe = append(maybe, i)
				i++
				continue
			}
			if !document && (e.Kind != dict.Agent || !c.modifier(toks, i+n) && !c.inName(toks, i, i+n, e)) {
				items = append(items, item{i, i + n, e})
			}
			i += n
			continue
		}
		if toks[i].Cap {
			maybe = append(maybe, i)
		}
		i++
	}
	if len(maybe) > 0 {
		items = institutions(toks, items)
		// surnames are resolved once the sentence's own states are known
		for _, it := range items {
			if it.e.Kind != dict.Agent && len(it.e.Code) >= 3 {
				st.countries[it.e.Code[:3]] = true
			}
		}
		n := len(items)
		items = c.titled(toks, items, st)
		for _, i := range maybe {
			if itemAt(items, i) {
				continue
			}
			if e := st.surname(toks, i, c.actors); e != nil {
				start := i
				if i > 0 && titles[toks[i-1].Lower] {
					start = i - 1 // "to Mr McConnell": the title is part of the name
				}
				items = append(items, item{start, i + 1, e})
			} else if i > 0 && titles[toks[i-1].Lower] {
				// "Mr Clarke": a person we cannot name; the story's state
				// will give the country
				items = append(items, item{i - 1, i + 1, stranger})
			} else if st.named[toks[i].Lower] && (i+1 >= len(toks) || !toks[i+1].Cap) {
				// "Robert Preston", or "Preston" alone once the story has named him
				if i > 0 && toks[i-1].Cap && toks[i-1].Kind == textproc.Word && !function[toks[i-1].Lower] && !itemAt(items, i-1) {
					items = append(items, item{i - 1, i + 1, stranger})
				} else if i == 0 || !toks[i-1].Cap {
					items = append(items, item{i, i + 1, stranger})
				}
			}
		}
		// "David Laws said": a full name we do not know, followed by a verb,
		// is a person of the story's state
		for _, i := range maybe {
			if i+1 >= len(toks) || !toks[i+1].Cap || toks[i+1].Kind != textproc.Word || titles[toks[i].Lower] ||
				function[toks[i].Lower] || adjuncts[toks[i].Lower] || itemAt(items, i) || itemAt(items, i+1) {
				continue
			}
			if i > 0 && toks[i-1].Cap && toks[i-1].Kind == textproc.Word {
				continue // part of a longer proper name: "Rocky Mountain Medical Corp"
			}
			if corporate[toks[i+1].Lower] || corporate[toks[i].Lower] {
				continue // "Telex Corp said", "Waste Management made"
			}
			if i+2 < len(toks) && c.patterns.Verb(toks[i+2].Lower) && !toks[i+2].Cap {
				items = append(items, item{i, i + 2, stranger})
			}
		}
		if len(items) > n {
			sort.Slice(items, func(a, b int) bool { return items[a].start < items[b].start })
		}
	}
	var out []*np
	for k := 0; k < len(items); {
		j := k + 1
		for j < len(items) && joinable(toks, items[j-1], items[j], items[k:j]) {
			j++
		}
		p := c.makeNP(toks, items[k:j], st)
		if p.adjOnly && p.start > 0 && toks[p.start-1].Lower == "ethnic" {
			// "ethnic Albanians in Serbia" are a minority, not Albania
			p.code, p.country, p.adjOnly = "---CVL", false, false
		}
		out = append(out, p)
		k = j
	}
	st.forgetPerson(toks, out)
	return out
}

// institution head words end (or begin) the names of bodies the dictionary
// need not list — "National Audit Office", "Commission for Racial
// Equality", "Leeds University" — and give them a sector; the story gives
// the country.
var (
	instGOV = &dict.Entry{ID: "institution", Kind: dict.Agent, Sector: "GOV", Name: "institution"}
	instLEG = &dict.Entry{ID: "institution", Kind: dict.Agent, Sector: "LEG", Name: "institution"}
	instJUD = &dict.Entry{ID: "institution", Kind: dict.Agent, Sector: "JUD", Name: "institution"}
	instCOP = &dict.Entry{ID: "institution", Kind: dict.Agent, Sector: "COP", Name: "institution"}
	instLAB = &dict.Entry{ID: "institution", Kind: dict.Agent, Sector: "LAB", Name: "institution"}
	instEDU = &dict.Entry{ID: "institution", Kind: dict.Agent, Sector: "EDU", Name: "institution"}
	instNGO = &dict.Entry{ID: "institution", Kind: dict.Agent, Name: "institution"}

	institution = map[string]*dict.Entry{
		"office": instGOV, "commission": instGOV, "authority": instGOV, "agency": instGOV, "executive": instGOV,
		"department": instGOV, "ministry": instGOV, "council": instGOV, "board": instGOV, "inspectorate": instGOV,
		"service": instGOV, "treasury": instGOV,
		"committee": instLEG, "assembly": instLEG, "parliament": instLEG,
		"court": instJUD, "tribunal": instJUD, "police": instCOP, "constabulary": instCOP,
		"union": instLAB, "congress": instLAB,
		"university": instEDU, "college": instEDU, "school": instEDU, "academy": instEDU,
		"institute": instNGO, "association": instNGO, "society": instNGO, "league": instNGO, "trust": instNGO,
		"foundation": instNGO, "federation": instNGO, "confederation": instNGO, "campaign": instNGO,
		"alliance": instNGO, "forum": instNGO, "centre": instNGO, "center": instNGO,
	}
)

// institutions adds the capitalised names that an institution word heads.
func institutions(toks []textproc.Token, items []item) []item {
	name := func(k int) bool {
		return k >= 0 && k < len(toks) && toks[k].Cap && toks[k].Kind == textproc.Word && !function[toks[k].Lower] &&
			!titles[toks[k].Lower] && !calendar[toks[k].Lower] && !itemAt(items, k)
	}
	n := len(items)
	for i := 0; i < len(toks); i++ {
		e := institution[toks[i].Lower]
		if e == nil || !name(i) {
			continue
		}
		s := i
		for name(s - 1) {
			s--
		}
		end := i + 1
		for end+1 < len(toks) && (toks[end].Lower == "of" || toks[end].Lower == "for" || toks[end].Lower == "against") && name(end+1) {
			end += 2
			for name(end) {
				end++
			}
		}
		if end-s >= 2 {
			items = append(items, item{s, end, e})
			i = end - 1
		}
	}
	if len(items) > n {
		sort.Slice(items, func(a, b int) bool { return items[a].start < items[b].start })
	}
	return items
}

// calendar words are capitalised but name no one.
var calendar = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "january": true, "february": true, "march": true, "april": true, "may": true,
	"june": true, "july": true, "august": true, "september": true, "october": true, "november": true, "december": true}

// titled adds the people a role names before their unknown names — "Norfolk
// farmer Tony Martin", "Tory co-chairman John Smithers" — as strangers that
// join the role's phrase, so the role gives the sector and its party or
// adjective the country. A known surname is left to the dictionary.
func (c *Coder) titled(toks []textproc.Token, items []item, st *docState) []item {
	n := len(items)
	for x := 0; x < n; x++ {
		it := items[x]
		if it.e.Kind != dict.Agent || it.e == stranger {
			continue
		}
		j, k := it.end, it.end
		for k < len(toks) && k-j < 3 && toks[k].Cap && toks[k].Kind == textproc.Word && !function[toks[k].Lower] &&
			!titles[toks[k].Lower] && !calendar[toks[k].Lower] && !itemAt(items, k) {
			k++
		}
		if k-j < 2 || k < len(toks) && toks[k].Cap {
			continue
		}
		if last := toks[k-1].Lower; len(c.actors.Surname(last)) == 0 || st.strangers[last] {
			items = append(items, item{j, k, stranger})
		}
	}
	if len(items) > n {
		sort.Slice(items, func(a, b int) bool { return items[a].start < items[b].start })
	}
	return items
}

// forgetPerson: after an unknown name ("Theresa May said …"), "she" no longer
// means the last person the dictionary knew.
func (st *docState) forgetPerson(toks []textproc.Token, nps []*np) {
	lastPerson, lastName := -1, -1
	for _, p := range nps {
		if p.person != nil || p.stranger {
			lastPerson = p.end
		}
	}
	for i := 2; i < len(toks); i++ {
		a, b := toks[i-1], toks[i]
		if a.Cap && b.Cap && a.Kind == textproc.Word && b.Kind == textproc.Word && !titles[a.Lower] &&
			!function[a.Lower] && !covered(nps, i-1) && !covered(nps, i) {
			lastName = i
		}
	}
	if lastName > lastPerson {
		st.lastPerson = nil
	}
}

// collective nouns after a role still name people: "guerrilla group",
// "police patrol".
var collective = map[string]bool{
	"group": true, "groups": true, "movement": true, "organization": true, "organisation": true, "force": true,
	"forces": true, "unit": true, "units": true, "faction": true, "factions": true, "wing": true, "patrol": true,
	"patrols": true, "members": true, "fighters": true, "cell": true, "cells": true, "squad": true, "team": true,
	"delegation": true, "body": true, "bodies": true, "coalition": true, "alliance": true, "network": true,
	"departments": true, "ministries": true, "agencies": true, // "all government departments"
}

// modifier: a role word followed by a plain noun modifies it — "military
// offensive", "police station", "general manager" — and is no actor.
func (c *Coder) modifier(toks []textproc.Token, next int) bool {
	if next >= len(toks) {
		return false
	}
	if w := toks[next-1].Lower; strings.HasSuffix(w, "s") {
		return false // plural roles are people: "troops remain"
	}
	t := toks[next]
	if t.Cap || t.Kind != textproc.Word || function[t.Lower] || glue[t.Lower] || c.patterns.Verb(t.Lower) || collective[t.Lower] || adjuncts[t.Lower] ||
		strings.HasSuffix(t.Lower, "ly") || strings.HasSuffix(t.Lower, "ed") {
		return false
	}
	if _, n := c.actors.Match(toks, next); n > 0 {
		return false // "police officers" is one role
	}
	return true
}

// documentNames follow a place in the name of a treaty or a process.
var documentNames = map[string]bool{"protocol": true, "treaty": true, "accord": true, "accords": true,
	"convention": true, "conventions": true, "agreement": true, "declaration": true, "process": true, "criteria": true}

// generic sectors name groups of people, not offices; capitalised inside a
// longer proper name they are part of it: "Director of Public
// Prosecutions", "Old Firm", "National Audit Office".
var generic = map[string]bool{"CVL": true, "BUS": true, "EDU": true, "MED": true, "HLH": true, "ENV": true,
	"AGR": true, "LAB": true, "REL": true}

func (c *Coder) inName(toks []textproc.Token, i, end int, e *dict.Entry) bool {
	if !generic[e.Sector] || !toks[i].Cap || i == 0 {
		return false
	}
	near := func(k int) bool {
		if k < 0 || k >= len(toks) || !toks[k].Cap || toks[k].Kind != textproc.Word {
			return false
		}
		_, n := c.actors.Match(toks, k)
		return n == 0
	}
	return near(end) || near(i-1) || i >= 2 && toks[i-1].Lower == "of" && near(i-2)
}

// joinable says whether item b continues the phrase that ends with a.
func joinable(toks []textproc.Token, a, b item, cur []item) bool {
	// "French paper workers", "Tamil civilian refugees": a nationality, up to
	// two lower-case modifiers, a role
	if a.e.Kind == dict.Adjective && b.e.Kind == dict.Agent && b.start-a.end <= 2 && b.start > a.end {
		ok := true
		for t := a.end; t < b.start; t++ {
			if toks[t].Cap || toks[t].Kind != textproc.Word || function[toks[t].Lower] || strings.HasSuffix(toks[t].Lower, "ed") {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	for t := a.end; t < b.start; t++ {
		w := toks[t].Lower
		if glue[w] {
			continue
		}
		// "the foreign minister of China", "head of the UN"
		if w == "of" || w == "the" {
			if w == "of" && hasKind(cur, dict.Agent) && b.e.Kind != dict.Agent && b.e.Kind != dict.Adjective {
				continue
			}
			if w == "the" && t > a.end && toks[t-1].Lower == "of" {
				continue
			}
		}
		return false
	}
	// two named states do not make one phrase ("China Russia"), a person may follow
	if b.e.Kind != dict.Agent && b.e.Kind != dict.Person && hasNamed(cur) {
		return b.e.Kind == dict.Org && !hasKind(cur, dict.Org) && toks[b.start-1].Lower != "'s" && a.end == b.start
	}
	return true
}

func hasKind(items []item, k dict.Kind) bool {
	for _, it := range items {
		if it.e.Kind == k {
			return true
		}
	}
	return false
}

func hasNamed(items []item) bool {
	for _, it := range items {
		switch it.e.Kind {
		case dict.Country, dict.Seat, dict.Region, dict.Org, dict.Person, dict.Adjective:
			return true
		}
	}
	return false
}

func (c *Coder) makeNP(toks []textproc.Token, items []item, st *docState) *np {
	p := &np{start: items[0].start, end: items[len(items)-1].end}
	var base, sector string
	party := false
	for _, it := range items {
		e := it.e
		if p.entry != "" {
			p.entry += " "
		}
		p.entry += e.ID
		switch e.Kind {
		case dict.Person:
			p.person = e
			p.pStart, p.pEnd = it.start, it.end
			base = e.CodeAt(st.date)
			p.name = e.Name
		case dict.Agent:
			if sector == "" {
				sector = e.Sector
			}
			if p.name == "" {
				p.name = e.Name
			}
		default:
			if base == "" || (e.Kind == dict.Org && p.person == nil) {
				base = e.CodeAt(st.date)
				p.org = e.Kind == dict.Org || e.Kind == dict.Region
				party = e.Kind == dict.Org && e.P != nil
				if p.person == nil {
					p.name = e.Name
				}
			}
		}
	}
	p.sector = sector
	p.adjOnly = len(items) == 1 && items[0].e.Kind == dict.Adjective
	p.place = len(items) == 1 && items[0].e.Kind == dict.City
	switch {
	case base == "":
		p.code = "---" + sector
	case p.person != nil || party && len(base) > 3:
		// a person's or a party's own role beats a role word: the "Tory
		// leader" is in opposition
		p.code = base
		p.country = true
	case sector != "" && len(base) > 3 && base[3:] != sector && !endsWith(base, sector):
		// a seat ("Beijing" = CHNGOV) with an agent keeps the agent's sector;
		// an organisation keeps its code and gains the sector
		if items[0].e.Kind == dict.Seat {
			p.code = base[:3] + sector
		} else {
			p.code = base + sector
		}
		p.country = true
	case sector != "" && len(base) == 3:
		p.code = base + sector
		p.country = true
	default:
		p.code = base
		p.country = true
	}
	if p.person != nil {
		st.sawPerson(toks, p)
	} else if last := items[len(items)-1]; last.e.ID == "institution" {
		p.institution = true
		if len(items) == 1 {
			p.name = joinText(toks, last.start, last.end)
		}
	} else if items[len(items)-1].e == stranger {
		p.name, p.stranger = toks[p.end-1].Text, true
		if code, ok := st.strangerCode[toks[p.end-1].Lower]; ok && strings.HasPrefix(p.code, "---") {
			// "Irish President Mary McAleese ... Mrs McAleese": the
			// country she was introduced with, not the story's
			p.code, p.country = code, true
			p.entry += " coref:" + code
		} else if !strings.HasPrefix(p.code, "---") && len(items) > 1 {
			st.strangerCode[toks[p.end-1].Lower] = p.code
		}
		if !possessor(toks, p) {
			st.lastPerson = p // "he" now means this person, not an earlier one
		}
	}
	return p
}

func joinText(toks []textproc.Token, start, end int) string {
	var b strings.Builder
	for k := start; k < end; k++ {
		if k > start {
			b.WriteByte(' ')
		}
		b.WriteString(toks[k].Text)
	}
	return b.String()
}

func endsWith(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

// compound joiners between members of one compound actor.
var joiner = map[string]bool{",": true, "and": true, "or": true, "the": true, "both": true, "as": true, "well": true, "&": true}

// groups joins adjacent phrases into compound actors and spreads a shared
// agent over bare adjectives: "Hungarian and Romanian officials".
func groups(toks []textproc.Token, nps []*np) []*group {
	var out []*group
	for i := 0; i < len(nps); {
		g := &group{start: nps[i].start, members: []*np{nps[i]}}
		listed := false // a list has "and"/"or"; commas alone make an apposition
		j := i + 1
		for ; j < len(nps); j++ {
			if nps[j].start == nps[j-1].start {
				// several readings of one span: "the two countries"
				g.members = append(g.members, nps[j])
				continue
			}
			ok := nps[j].start >= nps[j-1].end
			hasAnd := false
			for t := nps[j-1].end; t < nps[j].start && ok; t++ {
				w := toks[t].Lower
				if w == "(" {
					// a short aside inside the list: "Lavrov (L) and Wang (R)"
					if k := closeParen(toks, t); k > 0 && k < nps[j].start {
						t = k
						continue
					}
				}
				if !joiner[w] {
					ok = false
				}
				if w == "and" || w == "," || w == "or" || w == "&" {
					hasAnd = true
				}
				if w == "and" || w == "or" || w == "&" {
					listed = true
				}
			}
			if !ok || !hasAnd {
				break
			}
			g.members = append(g.members, nps[j])
		}
		apposEnd := -1
		if !listed && len(g.members) > 1 && g.members[1].start != g.members[0].start && fronted(toks, g.members[0].start) {
			// "For the Liberal Democrats, Sir Menzies Campbell said": a
			// fronted phrase, then the subject; no apposition
			g.members = g.members[:1]
			j = i + 1
			for j < len(nps) && nps[j].start == nps[i].start {
				j++
			}
		}
		if !listed && len(g.members) > 1 && g.members[1].start != g.members[0].start {
			// "the FDD, a rebel group," or "Kofi Annan, UN secretary-general":
			// one actor named twice, not two actors; the phrase spans both
			apposEnd = g.members[len(g.members)-1].end
			if apposEnd < len(toks) && toks[apposEnd].Lower == "," {
				apposEnd++
			}
			if g.members[0].stranger && !g.members[1].stranger && g.members[1].country {
				// "Kenzo Oshima, the UN relief coordinator": the title says who
				g.members[0] = g.members[1]
			}
			g.members = g.members[:1]
		}
		last := g.members[len(g.members)-1]
		if last.sector != "" {
			for _, m := range g.members[:len(g.members)-1] {
				if m.adjOnly && len(m.code) == 3 {
					m.code += last.sector
					m.sector = last.sector
				}
			}
		}
		g.end = last.end
		if apposEnd > g.end {
			g.end = apposEnd
		}
		if k := skipAside(toks, g.end); k > g.end {
			g.end = k
		}
		out = append(out, g)
		i = j
	}
	return out
}

// fronted: the phrase at start is the object of a preposition that opens
// the sentence ("For the Tories, ...", "In London, ...").
func fronted(toks []textproc.Token, start int) bool {
	b := start - 1
	for b >= 0 && determiner[toks[b].Lower] {
		b--
	}
	return b == 0 && preps[toks[b].Lower]
}

// closeParen returns the index of the ")" closing the "(" at i within four
// tokens, or -1.
func closeParen(toks []textproc.Token, i int) int {
	for k := i + 1; k < len(toks) && k <= i+4; k++ {
		if toks[k].Lower == ")" {
			return k
		}
	}
	return -1
}

// skipAside moves past a short parenthetical right after a phrase, so a
// pattern slot continues after "Wang Yi (R)".
func skipAside(toks []textproc.Token, i int) int {
	if i < len(toks) && toks[i].Lower == "(" {
		if k := closeParen(toks, i); k > 0 {
			return k + 1
		}
	}
	return i
}

func itemAt(items []item, i int) bool {
	for _, it := range items {
		if it.start <= i && i < it.end {
			return true
		}
	}
	return false
}
