package store

import (
	"fmt"
	"math/rand"
	"strings"

	"github.com/dyadproject/dyad/internal/model"
)

// A synthetic but realistic ingest stream: ~200 actor codes with a skewed
// popularity, common CAMEO codes, five years of dates, several events per
// article, syndicated copies and skipped pages.

type cameoCode struct {
	code, name, plover string
	quad               int
	gold               float64
}

var genCodes = []cameoCode{
	{"010", "Make statement", "", 1, 0},
	{"020", "Appeal or request", "REQUEST", 1, 3},
	{"036", "Express intent to meet or negotiate", "AGREE", 1, 4},
	{"040", "Consult", "CONSULT", 1, 1},
	{"042", "Make a visit", "CONSULT", 1, 1.9},
	{"043", "Host a visit", "CONSULT", 1, 2.8},
	{"046", "Engage in negotiation", "CONSULT", 1, 7},
	{"051", "Praise or endorse", "SUPPORT", 1, 3.4},
	{"057", "Sign formal agreement", "AGREE", 1, 8},
	{"061", "Cooperate economically", "COOPERATE", 2, 6.4},
	{"071", "Provide economic aid", "AID", 2, 7.4},
	{"0874", "Retreat or surrender militarily", "RETREAT", 2, 10},
	{"090", "Investigate", "INVESTIGATE", 3, -2},
	{"100", "Demand", "REQUEST", 3, -5},
	{"111", "Criticize or denounce", "ACCUSE", 3, -2},
	{"112", "Accuse", "ACCUSE", 3, -2},
	{"120", "Reject", "REJECT", 3, -4},
	{"130", "Threaten", "THREATEN", 3, -4.4},
	{"138", "Threaten to use military force", "THREATEN", 3, -7},
	{"141", "Demonstrate or rally", "PROTEST", 4, -6.5},
	{"163", "Impose embargo, boycott, or sanctions", "SANCTION", 4, -8},
	{"172", "Impose administrative sanctions", "SANCTION", 4, -5},
	{"173", "Arrest, detain", "COERCE", 4, -5},
	{"180", "Use unconventional violence", "ASSAULT", 4, -9},
	{"190", "Use conventional military force", "FIGHT", 4, -10},
	{"193", "Fight with small arms and light weapons", "FIGHT", 4, -10},
	{"195", "Employ aerial weapons", "FIGHT", 4, -10},
}

var genCountries = strings.Fields(`USA CHN RUS GBR FRA DEU IND PAK IRN ISR PSE SYR IRQ TUR SAU EGY UKR POL JPN KOR PRK AFG
NGA ZAF KEN ETH SDN BRA MEX VEN COL ARG CAN AUS IDN PHL VNM THA MMR BGD LBN JOR YEM LBY MLI QAT ARE ESP ITA GRC SRB`)

var genSectors = []string{"", "GOV", "MIL", "OPP", "REB", "BUS", "MED"}

var genWords = strings.Fields(`the minister said on Tuesday that government forces would talk with officials in the capital
after protests over sanctions and the new agreement was signed by both sides while troops moved toward the border
talks continued despite criticism from opposition leaders who accused the president of violating the ceasefire
aid convoys reached the region as diplomats urged restraint and negotiators met again to discuss trade security
police arrested several activists during a rally outside parliament where lawmakers debated the budget`)

var genOutlets = func() []string {
	var o []string
	for i := 0; i < 60; i++ {
		o = append(o, fmt.Sprintf("outlet%02d.example", i))
	}
	return o
}()

type gen struct {
	rng    *rand.Rand
	actors []string
	zipf   *rand.Zipf
	czipf  *rand.Zipf
	start  int     // first day
	clock  float64 // days since start: the stream moves forward ~docsPerDay a day
	n      int
}

// docsPerDay spreads the ~1M events of the big benchmark store over five years.
const docsPerDay = 150

func newGen(seed int64) *gen {
	g := &gen{rng: rand.New(rand.NewSource(seed))}
	for _, c := range genCountries {
		for _, s := range genSectors[:4] {
			g.actors = append(g.actors, c+s)
		}
	}
	g.actors = g.actors[:200]
	g.rng.Shuffle(len(g.actors), func(i, j int) { g.actors[i], g.actors[j] = g.actors[j], g.actors[i] })
	g.zipf = rand.NewZipf(g.rng, 1.1, 4, uint64(len(g.actors)-1))
	g.czipf = rand.NewZipf(g.rng, 1.05, 2, uint64(len(genCodes)-1))
	g.start, _ = dayOf("2019-01-01")
	return g
}

func (g *gen) actor() *model.Actor {
	c := g.actors[g.zipf.Uint64()]
	name := c[:3]
	return &model.Actor{Code: c, Country: c[:3], Sector: c[3:], Name: name, Text: name + " officials", Start: 0, End: 10}
}

func (g *gen) sentence() string {
	n := 12 + g.rng.Intn(20)
	w := make([]string, n)
	for i := range w {
		w[i] = genWords[g.rng.Intn(len(genWords))]
	}
	return strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:] + "."
}

// records makes n records; dupRate of them are syndicated copies of an
// earlier record, skipRate skipped pages. The shape follows what dyad code
// made of 100 BBC politics articles: ~4 events an article, nearly one
// evidence sentence per event, articles of ~2.5 KB.
func (g *gen) records(n int, dupRate, skipRate float64) []model.Record {
	out := make([]model.Record, 0, n)
	var coded []int
	for len(out) < n {
		g.n++
		id := fmt.Sprintf("doc-%07d", g.n)
		outlet := genOutlets[g.rng.Intn(len(genOutlets))]
		g.clock += g.rng.ExpFloat64() / docsPerDay
		day := g.start + int(g.clock) - g.rng.Intn(3) // pages appear up to two days late
		date := dateOf(day)
		d := model.Document{ID: id, URL: "https://" + outlet + "/news/" + id, Outlet: outlet, Published: date, Date: date,
			Lang: "eng", Title: "Report " + id, Source: "https://" + outlet + "/news/" + id, Hash: fmt.Sprintf("%016x", g.rng.Uint64())}
		switch r := g.rng.Float64(); {
		case r < dupRate && len(coded) > 0:
			o := out[coded[g.rng.Intn(len(coded))]]
			d.Text = o.Document.Text
			d.Published, d.Date = o.Document.Published, o.Document.Date
			out = append(out, model.Record{Document: d, Status: model.StatusDuplicate, Reason: "same text", DuplicateOf: o.Document.ID, Events: []model.Event{}})
			continue
		case r < dupRate+skipRate:
			out = append(out, model.Record{Document: d, Status: model.StatusSkipped, Reason: "no text", Events: []model.Event{}})
			continue
		}
		nsent := 12 + g.rng.Intn(16)
		sents := make([]model.Sentence, nsent)
		pos := 0
		var text strings.Builder
		for i := range sents {
			s := g.sentence()
			sents[i] = model.Sentence{Index: i, Text: s, Start: pos, End: pos + len(s)}
			text.WriteString(s + " ")
			pos += len(s) + 1
		}
		d.Text = text.String()
		nev := 1 + g.rng.Intn(7)
		evs := make([]model.Event, nev)
		for i := range evs {
			c := genCodes[g.czipf.Uint64()]
			s := sents[g.rng.Intn(nsent)]
			src, tgt := g.actor(), g.actor()
			if g.rng.Intn(10) == 0 {
				tgt = nil
			}
			edate := date
			if g.rng.Intn(4) == 0 {
				edate = dateOf(day - 1) // "yesterday"
			}
			var loc *model.Location
			if g.rng.Intn(3) == 0 {
				cc := genCountries[g.rng.Intn(len(genCountries))]
				loc = &model.Location{Name: "City of " + cc, Country: cc, Lat: float64(g.rng.Intn(180) - 90), Lon: float64(g.rng.Intn(360) - 180), Precision: "city"}
			}
			evs[i] = model.Event{DocID: id, EventID: fmt.Sprintf("%s-%d", id, i), Date: edate, Source: src, Target: tgt,
				CAMEO: c.code, CAMEORoot: c.code[:2], CAMEOName: c.name, QuadClass: c.quad, Goldstein: c.gold, PLOVER: c.plover,
				Trigger: model.Span{Text: "said", Start: s.Start + 4, End: s.Start + 8}, Sentence: s,
				Negated: g.rng.Intn(50) == 0, Rule: "verbs.txt:1", Confidence: float64(5+g.rng.Intn(5)) / 10, Location: loc}
		}
		coded = append(coded, len(out))
		out = append(out, model.Record{Document: d, Status: model.StatusCoded, Events: evs})
	}
	return out
}
