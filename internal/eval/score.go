package eval

import (
	"strings"

	"github.com/dyadproject/dyad/internal/codebook"
)

// Pred is one predicted event. PLOVER may be left empty: the codebook's
// category for CAMEO is used then.
type Pred struct {
	Source  string `json:"source"`
	Target  string `json:"target"`
	CAMEO   string `json:"cameo"`
	PLOVER  string `json:"plover,omitempty"`
	Rule    string `json:"rule,omitempty"`
	Trigger string `json:"trigger,omitempty"`
}

// Level is a scoring level; each is stricter than the one before.
type Level string

const (
	// LevelType: same CAMEO root, or for PLOVER gold the same PLOVER category.
	LevelType Level = "type"
	// LevelDyad: type, plus the first three letters of source and target;
	// an expected "" or "---..." actor matches anything.
	LevelDyad Level = "dyad"
	// LevelExact: type, the full CAMEO code (where the gold has one) and the
	// full actor codes.
	LevelExact Level = "exact"
)

// Levels lists the levels from loosest to strictest.
var Levels = []Level{LevelType, LevelDyad, LevelExact}

// Counts are matched (TP), unmatched predicted (FP) and unmatched expected
// (FN) events.
type Counts struct {
	TP, FP, FN int
}

// P is precision: matched predicted / all predicted (0 when none predicted).
func (c Counts) P() float64 { return ratio(c.TP, c.TP+c.FP) }

// R is recall: matched expected / all expected (0 when none expected).
func (c Counts) R() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of P and R.
func (c Counts) F1() float64 {
	p, r := c.P(), c.R()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Add returns the sum of two counts.
func (c Counts) Add(d Counts) Counts {
	return Counts{TP: c.TP + d.TP, FP: c.FP + d.FP, FN: c.FN + d.FN}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// MissKind says which side an unmatched event is on.
type MissKind string

const (
	// Missed is an expected event no prediction matched.
	Missed MissKind = "miss"
	// FalseAlarm is a predicted event that matched no expected event.
	FalseAlarm MissKind = "false_alarm"
)

// Miss is one unmatched event, listed once at the loosest level at which it
// fails (it fails every stricter level too). For a miss, Predicted is the
// prediction it was paired with at the next looser level, if any; for a false
// alarm, Expected is the gold event it was paired with there. Rule is the
// predicted event's rule.
type Miss struct {
	ID        string     `json:"id"`
	Text      string     `json:"text"`
	Level     Level      `json:"level"`
	Kind      MissKind   `json:"kind"`
	Category  string     `json:"category"`
	Expected  *GoldEvent `json:"expected,omitempty"`
	Predicted *Pred      `json:"predicted,omitempty"`
	Rule      string     `json:"rule,omitempty"`
}

// Report is the outcome of Score. Its JSON form (see MarshalJSON) uses
// ordered lists, so it is byte-identical across runs.
type Report struct {
	Records int // gold sentences scored
	// OrphanPreds counts predicted events whose id names no gold record.
	OrphanPreds int
	Overall     map[Level]Counts
	// ByCategory is keyed by CAMEO root ("04") or, for PLOVER gold, PLOVER
	// category; events without one are filed under NoCategory.
	ByCategory map[string]map[Level]Counts
	Misses     []Miss
}

// NoCategory files events that have neither a CAMEO root nor a PLOVER
// category.
const NoCategory = "(none)"

// Score matches predictions (keyed by record ID) against the gold records.
// Within a sentence, predicted and expected events are paired one to one by
// a maximum matching at each level.
func Score(records []Record, preds map[string][]Pred) Report {
	rep := Report{
		Records:    len(records),
		Overall:    map[Level]Counts{},
		ByCategory: map[string]map[Level]Counts{},
	}
	for _, l := range Levels {
		rep.Overall[l] = Counts{}
	}
	known := make(map[string]bool, len(records))
	for _, rec := range records {
		known[rec.ID] = true
		rep.scoreRecord(rec, preds[rec.ID])
	}
	for id, ps := range preds {
		if !known[id] {
			rep.OrphanPreds += len(ps)
		}
	}
	return rep
}

func (rep *Report) add(cat string, l Level, d Counts) {
	rep.Overall[l] = rep.Overall[l].Add(d)
	m := rep.ByCategory[cat]
	if m == nil {
		m = map[Level]Counts{}
		for _, l := range Levels {
			m[l] = Counts{}
		}
		rep.ByCategory[cat] = m
	}
	m[l] = m[l].Add(d)
}

func (rep *Report) scoreRecord(rec Record, preds []Pred) {
	gold := rec.Expected
	plover := rec.PLOVER
	for _, g := range gold {
		plover = plover || g.PLOVER != ""
	}
	pplover := make([]string, len(preds))
	for j, p := range preds {
		pplover[j] = predPLOVER(p)
	}

	// The exact matching seeds the dyad one, which seeds the type one:
	// augmenting never unmatches an event, so an event matched at a strict
	// level stays matched at the looser ones and each matching is still
	// maximum for its own level.
	ms := make(map[Level]matching, len(Levels))
	prev := newMatching(len(gold), len(preds))
	for i := len(Levels) - 1; i >= 0; i-- {
		l := Levels[i]
		prev = prev.extend(func(gi, pj int) bool {
			return compatible(l, gold[gi], preds[pj], pplover[pj])
		})
		ms[l] = prev
	}

	goldCat := func(i int) string { return category(gold[i].PLOVER, gold[i].CAMEO, gold[i].PLOVER != "") }
	predCat := func(j int) string { return category(pplover[j], preds[j].CAMEO, plover) }

	for _, l := range Levels {
		m := ms[l]
		for i, j := range m.g2p {
			if j >= 0 {
				rep.add(goldCat(i), l, Counts{TP: 1})
			} else {
				rep.add(goldCat(i), l, Counts{FN: 1})
			}
		}
		for j, i := range m.p2g {
			if i < 0 {
				rep.add(predCat(j), l, Counts{FP: 1})
			}
		}
	}

	// List each unmatched event once, at the loosest level it fails.
	for li, l := range Levels {
		m := ms[l]
		var looser matching
		if li > 0 {
			looser = ms[Levels[li-1]]
		}
		for i, j := range m.g2p {
			if j >= 0 || (li > 0 && looser.g2p[i] < 0) {
				continue
			}
			miss := Miss{ID: rec.ID, Text: rec.Text, Level: l, Kind: Missed, Category: goldCat(i), Expected: &gold[i]}
			if li > 0 {
				p := preds[looser.g2p[i]]
				miss.Predicted, miss.Rule = &p, p.Rule
			}
			rep.Misses = append(rep.Misses, miss)
		}
		for j, i := range m.p2g {
			if i >= 0 || (li > 0 && looser.p2g[j] < 0) {
				continue
			}
			p := preds[j]
			miss := Miss{ID: rec.ID, Text: rec.Text, Level: l, Kind: FalseAlarm, Category: predCat(j), Predicted: &p, Rule: p.Rule}
			if li > 0 {
				miss.Expected = &gold[looser.p2g[j]]
			}
			rep.Misses = append(rep.Misses, miss)
		}
	}
}

// predPLOVER is the prediction's PLOVER category, from the codebook when the
// coder left it empty.
func predPLOVER(p Pred) string {
	if s := strings.ToUpper(strings.TrimSpace(p.PLOVER)); s != "" {
		return s
	}
	if c, ok := codebook.Lookup(strings.TrimSpace(p.CAMEO)); ok {
		return c.PLOVER
	}
	return ""
}

func category(plover, cameo string, usePLOVER bool) string {
	key := codebook.Root(strings.TrimSpace(cameo))
	if usePLOVER {
		key = plover
	}
	if key == "" {
		return NoCategory
	}
	return key
}

// compatible says whether a predicted event matches a gold one at a level.
func compatible(l Level, g GoldEvent, p Pred, pPLOVER string) bool {
	if !sameType(g, p, pPLOVER) {
		return false
	}
	ps, pt := strings.TrimSpace(p.Source), strings.TrimSpace(p.Target)
	switch l {
	case LevelType:
		return true
	case LevelDyad:
		return actorPrefixMatch(g.Source, ps) && actorPrefixMatch(g.Target, pt)
	case LevelExact:
		if g.CAMEO != "" && g.CAMEO != strings.TrimSpace(p.CAMEO) {
			return false
		}
		return g.Source == ps && g.Target == pt
	}
	return false
}

func sameType(g GoldEvent, p Pred, pPLOVER string) bool {
	if g.PLOVER != "" {
		return g.PLOVER == pPLOVER
	}
	c := strings.TrimSpace(p.CAMEO)
	return g.CAMEO != "" && c != "" && codebook.Root(g.CAMEO) == codebook.Root(c)
}

// actorPrefixMatch compares the first three letters (the country, IGO/NGO
// or region part); gold "" or an unknown country "---" matches anything.
func actorPrefixMatch(gold, pred string) bool {
	if gold == "" || strings.HasPrefix(gold, "---") {
		return true
	}
	return prefix3(gold) == prefix3(pred)
}

func prefix3(s string) string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

// matching pairs gold events (g2p) and predicted events (p2g); -1 is unpaired.
type matching struct {
	g2p, p2g []int
}

func newMatching(ng, np int) matching {
	m := matching{g2p: make([]int, ng), p2g: make([]int, np)}
	for i := range m.g2p {
		m.g2p[i] = -1
	}
	for j := range m.p2g {
		m.p2g[j] = -1
	}
	return m
}

// extend returns a maximum matching under ok that keeps every event matched
// in m matched (m's pairs must satisfy ok). It searches augmenting paths
// (Kuhn's algorithm), which is plenty for a dozen events per sentence.
func (m matching) extend(ok func(gi, pj int) bool) matching {
	out := matching{g2p: append([]int(nil), m.g2p...), p2g: append([]int(nil), m.p2g...)}
	seen := make([]bool, len(out.p2g))
	var augment func(i int) bool
	augment = func(i int) bool {
		for j := range out.p2g {
			if seen[j] || !ok(i, j) {
				continue
			}
			seen[j] = true
			if out.p2g[j] < 0 || augment(out.p2g[j]) {
				out.g2p[i], out.p2g[j] = j, i
				return true
			}
		}
		return false
	}
	for i := range out.g2p {
		if out.g2p[i] >= 0 {
			continue
		}
		clear(seen)
		augment(i)
	}
	return out
}
