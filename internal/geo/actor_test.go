package geo

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/bench"
	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/textproc"
)

// actorAt builds an actor for the first occurrence of name in text.
func actorAt(t *testing.T, text, name, code string) *model.Actor {
	t.Helper()
	k := strings.Index(text, name)
	if k < 0 {
		t.Fatalf("actor %q not in %q", name, text)
	}
	rs := len([]rune(text[:k]))
	a := &model.Actor{Code: code, Text: name, Start: rs, End: rs + len([]rune(name))}
	if len(code) >= 3 {
		a.Country, a.Sector = code[:3], code[3:]
	}
	return a
}

// Sentences written for these tests. place is the text of the place the
// actor should get ("" for none), reason why, country its ISO code.
var actorCases = []struct {
	text, trigger, actor, code string
	place, reason, country     string
}{
	// "X-based"
	{"The London-based group condemned the attack.", "condemned", "group", "GBRNGO", "London", ReasonBased, "GBR"},
	{"A Gaza-based militant fired rockets at the border town.", "fired", "militant", "PSEREB", "Gaza", ReasonBased, ""},
	{"A group based in Nairobi published the survey on Monday.", "published", "group", "KENNGO", "Nairobi", ReasonBased, "KEN"},
	{"Amnesty International, the London-based rights group, condemned the arrests.", "condemned", "Amnesty International", "NGOAMN", "London", ReasonBased, "GBR"},
	{"A Texas-based law firm sued the company.", "sued", "law firm", "USABUS", "Texas", ReasonBased, "USA"},
	// "of" / "from" / a place qualifying the actor
	{"The governor of Punjab criticised the federal government on Monday.", "criticised", "governor", "PAKGOV", "Punjab", ReasonOf, ""},
	{"Protesters from Kharkiv marched on the regional parliament.", "marched", "Protesters", "UKRCVL", "Kharkiv", ReasonOf, "UKR"},
	{"The mayor of Kyiv thanked Germany for its aid.", "thanked", "mayor of Kyiv", "UKRGOV", "Kyiv", ReasonOf, "UKR"},
	{"Residents of the northern city of Kharkiv fled the shelling.", "fled", "Residents", "UKRCVL", "Kharkiv", ReasonOf, "UKR"},
	{"Kyiv's mayor appealed for generators before the winter.", "appealed", "Kyiv's mayor", "UKRGOV", "Kyiv", ReasonOf, "UKR"},
	{"Lagos police arrested three men after the riot.", "arrested", "Lagos police", "NGACOP", "Lagos", ReasonOf, "NGA"},
	// "in" right after the actor
	{"Police in Lagos arrested three journalists.", "arrested", "Police", "NGACOP", "Lagos", ReasonIn, "NGA"},
	{"Officials in Xinjiang rejected the report as slander.", "rejected", "Officials", "CHNGOV", "Xinjiang", ReasonIn, "CHN"},
	{"Russian troops in Crimea fired on Ukrainian positions.", "fired", "Russian troops", "RUSMIL", "Crimea", ReasonIn, "UKR"},
	{"British soldiers stationed in Basra came under mortar fire.", "came under", "British soldiers", "GBRMIL", "Basra", ReasonIn, "IRQ"},
	// the actor's text is its seat
	{"Beijing accused the envoy of interference.", "accused", "Beijing", "CHNGOV", "Beijing", ReasonMetonym, "CHN"},
	{"Moscow warned the alliance against escalation.", "warned", "Moscow", "RUSGOV", "Moscow", ReasonMetonym, "RUS"},
	{"The Kremlin denied the report on Tuesday.", "denied", "Kremlin", "RUSGOV", "Kremlin", ReasonMetonym, "RUS"},
	// no location: the text does not say where the actor is
	{"Paris Hilton met the French president at a gala.", "met", "Paris Hilton", "USAELI", "", "", ""},
	{"The foreign minister held talks in Geneva on Monday.", "held talks", "foreign minister", "IRNGOV", "", "", ""},
	{"Iran held talks with the United States in Geneva.", "held talks", "Iran", "IRN", "", "", ""},
	{"Critics of Beijing accused the government of abuses.", "accused", "Critics", "CHNOPP", "", "", ""},
	{"Supporters of Moscow rallied in Donetsk on Sunday.", "rallied", "Supporters", "UKRCVL", "", "", ""},
	{"Refugees from Syria protested outside the embassy.", "protested", "Refugees", "SYRREF", "", "", ""},
	{"UK troops will leave the province next year.", "leave", "UK troops", "GBRMIL", "", "", ""},
	{"A London-based newspaper reported that police arrested two men.", "arrested", "police", "GBRCOP", "", "", ""},
	{"Gunmen attacked a police station in Kano overnight.", "attacked", "Gunmen", "NGAREB", "", "", ""},
	{"Delegates flew to London on Monday.", "flew", "London", "GBRGOV", "", "", ""},
	{"The Madrid bombing shocked the country.", "shocked", "Madrid", "ESPGOV", "", "", ""},
	{"Manchester hosted the summit of mayors.", "hosted", "Manchester", "GBR", "", "", ""},
	{"Protesters in March demanded new elections.", "demanded", "Protesters", "EGYCVL", "", "", ""},
	{"Jackson criticised the plan on Friday.", "criticised", "Jackson", "USAGOV", "", "", ""},
}

func TestActorLocations(t *testing.T) {
	g := Default()
	for _, c := range actorCases {
		e := event(t, c.text, c.trigger, 3, "", "")
		e.Source = actorAt(t, c.text, c.actor, c.code)
		evs := []model.Event{e}
		if err := g.Locate(model.Document{Text: c.text}, evs); err != nil {
			t.Fatal(err)
		}
		l := evs[0].Source.Location
		switch {
		case c.place == "" && l != nil:
			t.Errorf("%q: actor %q placed in %s (%s), want no location", c.text, c.actor, l.Name, l.Reason)
		case c.place == "":
		case l == nil:
			t.Errorf("%q: actor %q has no location, want %s (%s)", c.text, c.actor, c.place, c.reason)
		case l.Text != c.place || l.Reason != c.reason || c.country != "" && l.Country != c.country:
			t.Errorf("%q: actor %q in %q %s (%s), want %q %s (%s)", c.text, c.actor, l.Text, l.Country, l.Reason, c.place, c.country, c.reason)
		case string([]rune(c.text)[l.Start:l.End]) != l.Text:
			t.Errorf("%q: offsets %d-%d do not give %q", c.text, l.Start, l.End, l.Text)
		case l.Lat == 0 && l.Lon == 0 || l.Country == "" || l.Name == "":
			t.Errorf("%q: incomplete location %+v", c.text, l)
		}
	}
}

func TestActorLocationDetail(t *testing.T) {
	g := Default()
	// both actors of one event, a capital read as a city, and the event's
	// own place given to neither
	text := "Beijing accused Washington of interference during talks in Geneva."
	e := event(t, text, "accused", 3, "", "")
	e.Source = actorAt(t, text, "Beijing", "CHNGOV")
	e.Target = actorAt(t, text, "Washington", "USAGOV")
	evs := []model.Event{e}
	if err := g.Locate(model.Document{Text: text}, evs); err != nil {
		t.Fatal(err)
	}
	if l := evs[0].Source.Location; l == nil || l.Precision != PrecisionCity || l.ADM1 != "CH22" {
		t.Errorf("Beijing: %+v, want the city with ADM1 CH22", l)
	}
	if l := evs[0].Target.Location; l == nil || l.ADM1 != "USDC" {
		t.Errorf("Washington: %+v, want Washington, DC", l)
	}
	// a division: first-level precision
	text = "Officials in Xinjiang rejected the report."
	e = event(t, text, "rejected", 3, "", "")
	e.Source = actorAt(t, text, "Officials", "CHNGOV")
	evs = []model.Event{e}
	if err := g.Locate(model.Document{Text: text}, evs); err != nil {
		t.Fatal(err)
	}
	if l := evs[0].Source.Location; l == nil || l.Precision != PrecisionADM1 || l.ADM1 != "CH13" {
		t.Errorf("Xinjiang: %+v, want adm1 CH13", l)
	}
}

// Offsets that do not fit the text give no location and no panic.
func TestActorBadOffsets(t *testing.T) {
	g := Default()
	text := "Police in Lagos arrested three journalists."
	for _, a := range []*model.Actor{
		{Start: -4, End: 2},
		{Start: 5, End: 5},
		{Start: 9, End: 3},
		{Start: 400, End: 420},
		{Start: 0, End: 1 << 30},
	} {
		e := event(t, text, "arrested", 4, "", "")
		e.Source, e.Target = a, a // one actor in both roles
		evs := []model.Event{e}
		if err := g.Locate(model.Document{Text: text}, evs); err != nil {
			t.Fatal(err)
		}
		if a.Location != nil && a.Start >= 0 && a.Start > len(text) {
			t.Errorf("actor %d-%d placed in %s", a.Start, a.End, a.Location.Name)
		}
	}
}

// An actor with no location keeps the JSON it had before actors could
// have one; one with a location nests it.
func TestActorJSON(t *testing.T) {
	b, err := json.Marshal(model.Actor{Code: "NGACOP", Text: "Police"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "location") {
		t.Errorf("unlocated actor: %s", b)
	}
	text := "Police in Lagos arrested three journalists."
	e := event(t, text, "arrested", 4, "", "")
	e.Source = actorAt(t, text, "Police", "NGACOP")
	evs := []model.Event{e}
	if err := Default().Locate(model.Document{Text: text}, evs); err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(evs[0].Source)
	if err != nil {
		t.Fatal(err)
	}
	var back model.Actor
	if err := json.Unmarshal(b, &back); err != nil || back.Location == nil || back.Location.Text != "Lagos" || back.Location.Reason != ReasonIn {
		t.Errorf("round trip: %s → %+v (%v)", b, back.Location, err)
	}
}

func FuzzActorLocate(f *testing.F) {
	for _, s := range []string{
		"The London-based group said police in Lagos, Nigeria, arrested two men.",
		"Kyiv's mayor, the Moscow-based firm, and officials of the city of Kharkiv",
		"based in , of the , in in 's Beijing-based-based",
	} {
		f.Add(s, 0, 12)
	}
	g := Default()
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		n := len([]rune(text))
		a := &model.Actor{Country: "RUS", Sector: "GOV", Start: start, End: end}
		evs := []model.Event{{Sentence: model.Sentence{Start: 0, End: n}, Source: a, Target: a}}
		if err := g.Locate(model.Document{Text: text}, evs); err != nil {
			t.Fatal(err)
		}
		if l := a.Location; l != nil && (l.Start < 0 || l.End > n || string([]rune(text)[l.Start:l.End]) != l.Text) {
			t.Errorf("actor location %+v does not match the text", l)
		}
	})
}

// BenchmarkActors times actor placement inside geolocation on coded
// articles (the BBC corpus when ../shared has it, else generated ones):
// actor-ns/sentence is placeActors alone, ns/sentence all of Locate, so
// their ratio is the share actors add, measured under the same load.
func BenchmarkActors(b *testing.B) {
	cd, err := coder.Load(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	g := Default()
	if err := g.Err(); err != nil {
		b.Fatal(err)
	}
	var texts []string
	if _, err := os.Stat("../../../shared/corpora/bbc-news-2225"); err == nil {
		if texts, err = bench.LoadCorpus("../../../shared/corpora/bbc-news-2225"); err != nil {
			b.Fatal(err)
		}
	} else {
		b.Logf("BBC corpus not present: using 2000 generated articles")
		texts = bench.Generate(2000, 1)
	}
	type coded struct {
		doc model.Document
		evs []model.Event
	}
	var cs []coded
	sents, actors := 0, 0
	for _, t := range texts {
		cr := clean.Clean(t, clean.Options{})
		d := model.Document{Text: cr.Text, Dateline: cr.Dateline}
		evs := cd.Code(d)
		cs = append(cs, coded{d, evs})
		sents += len(textproc.Split(cr.Text))
	}
	var inActors time.Duration
	for b.Loop() {
		actors = 0
		for _, c := range cs {
			if len(c.evs) == 0 {
				continue
			}
			x := g.analyse(c.doc, c.evs)
			for i := range c.evs {
				c.evs[i].Location = g.place(x, c.doc.Text, &c.evs[i])
			}
			t0 := time.Now()
			g.placeActors(x, c.doc.Text, c.evs)
			inActors += time.Since(t0)
			x.release()
			for _, e := range c.evs {
				for _, a := range [2]*model.Actor{e.Source, e.Target} {
					if a != nil && a.Location != nil {
						actors++
					}
				}
			}
		}
	}
	n := float64(b.N) * float64(sents)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/sentence")
	b.ReportMetric(float64(inActors.Nanoseconds())/n, "actor-ns/sentence")
	b.ReportMetric(float64(actors), "actors-placed")
}
