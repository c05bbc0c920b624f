package geo

import (
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

// event builds an event whose sentence is the one containing trigger.
func event(t *testing.T, text, trigger string, quad int, src, tgt string) model.Event {
	t.Helper()
	k := strings.Index(text, trigger)
	if k < 0 {
		t.Fatalf("trigger %q not in text", trigger)
	}
	runes := func(b int) int { return len([]rune(text[:b])) }
	ss := strings.LastIndexAny(text[:k], ".\n") + 1
	se := k + strings.IndexAny(text[k:], ".\n") + 1
	if se <= k {
		se = len(text)
	}
	e := model.Event{
		Trigger:   model.Span{Text: trigger, Start: runes(k), End: runes(k + len(trigger))},
		Sentence:  model.Sentence{Text: text[ss:se], Start: runes(ss), End: runes(se)},
		QuadClass: quad,
	}
	if src != "" {
		e.Source = &model.Actor{Code: src, Country: src[:3]}
	}
	if tgt != "" {
		e.Target = &model.Actor{Code: tgt, Country: tgt[:3]}
	}
	return e
}

func TestLocateRules(t *testing.T) {
	g := Default()
	text := "Syrian rebels attacked an army post near Aleppo on Monday. The army shelled the town in response.\n" +
		"Turkey condemned the strikes over abuses in Idlib.\n" +
		"Russia and Iran criticised Turkey.\n" +
		"Officials met again on Tuesday."
	d := model.Document{Text: text, Dateline: &model.Dateline{Place: "BEIRUT", Agency: "Reuters"}}
	evs := []model.Event{
		event(t, text, "attacked", 4, "SYRREB", "SYRMIL"),
		event(t, text, "shelled", 4, "SYRMIL", ""),
		event(t, text, "condemned", 3, "TUR", ""),
		event(t, text, "criticised", 3, "RUS", "TUR"),
		event(t, text, "met", 1, "", ""),
	}
	if err := g.Locate(d, evs); err != nil {
		t.Fatal(err)
	}
	want := []struct{ text, country, reason string }{
		{"Aleppo", "SYR", ReasonLocative},
		{"Aleppo", "SYR", ReasonParagraph},
		{"Idlib", "SYR", ReasonContext},
		{"Russia", "RUS", ReasonCountry},
		{"Aleppo", "SYR", ReasonDocument},
	}
	for i, w := range want {
		l := evs[i].Location
		if l == nil {
			t.Errorf("event %q: no location, want %s (%s)", evs[i].Trigger.Text, w.text, w.reason)
			continue
		}
		if l.Text != w.text || l.Country != w.country || l.Reason != w.reason {
			t.Errorf("event %q: %q %s %s, want %q %s %s", evs[i].Trigger.Text, l.Text, l.Country, l.Reason, w.text, w.country, w.reason)
		}
		if l.Text != "" && string([]rune(text)[l.Start:l.End]) != l.Text {
			t.Errorf("event %q: offsets %d-%d do not give %q", evs[i].Trigger.Text, l.Start, l.End, l.Text)
		}
	}
}

func TestLocateFallbacks(t *testing.T) {
	g := Default()
	// nothing in the text: the dateline, flagged
	text := "Officials met on Tuesday and agreed to talk again."
	d := model.Document{Text: text, Dateline: &model.Dateline{Place: "NAIROBI", Agency: "Reuters"}}
	evs := []model.Event{event(t, text, "met", 1, "", "")}
	if err := g.Locate(d, evs); err != nil {
		t.Fatal(err)
	}
	if l := evs[0].Location; l == nil || l.Reason != ReasonDateline || l.Country != "KEN" {
		t.Errorf("dateline fallback: %+v, want Nairobi, Kenya (dateline)", l)
	}
	// no dateline either: no location
	evs = []model.Event{event(t, text, "met", 1, "", "")}
	if err := g.Locate(model.Document{Text: text}, evs); err != nil {
		t.Fatal(err)
	}
	if l := evs[0].Location; l != nil {
		t.Errorf("nothing to go on: got %+v, want nil", l)
	}
	// no events: nothing to do
	if err := g.Locate(model.Document{Text: text}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestMentionUses(t *testing.T) {
	g := Default()
	text := "The Moscow-based firm said police in Lagos, Nigeria, arrested two men over fraud in Kano."
	ms, err := g.Mentions(model.Document{Text: text}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range ms {
		got[m.Location.Text] = m.Use + " " + m.Location.Country
	}
	for name, want := range map[string]string{
		"Moscow":  UseBased + " RUS",
		"Lagos":   UseLocative + " NGA",
		"Nigeria": UseCountry + " NGA",
		"Kano":    UseTopic + " NGA",
	} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q (all: %v)", name, got[name], want, got)
		}
	}
}

func TestCommonWordsAndPeople(t *testing.T) {
	g := Default()
	for _, s := range []string{
		"Police said the march would go ahead in March.",
		"Ernst & Young urged the minister to act.",
		"Thriller writer Frederick Forsyth spoke. Frederick is wrong, his critics said.",
		"Paris Hilton arrived at the party.",
		"Aid groups in Africa warned of famine.",
	} {
		ms, err := g.Mentions(model.Document{Text: s}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Location.Precision == PrecisionCity || m.Location.Precision == PrecisionADM1 {
				t.Errorf("%q: %q read as %s", s, m.Location.Text, m.Location.Name)
			}
		}
	}
}

func FuzzLocate(f *testing.F) {
	for _, s := range []string{
		"Police in Moscow, Idaho, arrested a man.",
		"Xinjiang’s capital Ürümqi — and the Kremlin-based … 's",
		"In Paris. Texas, Georgia's, St. Louis, Mo., U.S.-led, al-Anbar",
		"\n\n,,,'s -- Tripoli\u00a0Lebanon",
	} {
		f.Add(s, "MIDDLE EAST")
	}
	g := Default()
	f.Fuzz(func(t *testing.T, text, dateline string) {
		n := len([]rune(text))
		e := model.Event{Sentence: model.Sentence{Start: 0, End: n}, Trigger: model.Span{Start: n / 3, End: n / 2}, QuadClass: 4,
			Source: &model.Actor{Country: "RUS"}, Target: &model.Actor{Country: "x"}}
		d := model.Document{Text: text, Dateline: &model.Dateline{Place: dateline}}
		evs := []model.Event{e}
		if err := g.Locate(d, evs); err != nil {
			t.Fatal(err)
		}
		if l := evs[0].Location; l != nil && l.Text != "" && (l.Start < 0 || l.End > n || string([]rune(text)[l.Start:l.End]) != l.Text) {
			t.Errorf("location %+v does not match the text", l)
		}
		if _, err := g.Mentions(d, evs); err != nil {
			t.Fatal(err)
		}
	})
}
