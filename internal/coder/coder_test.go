package coder

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

var (
	once   sync.Once
	shared *Coder
	lerr   error
)

func testCoder(t testing.TB) *Coder {
	once.Do(func() { shared, lerr = Load(nil, nil) })
	if lerr != nil {
		t.Fatal(lerr)
	}
	return shared
}

// brief renders events as "SRC>TGT:ROOT" (negated ones with a "!").
func brief(evs []model.Event) string {
	var out []string
	for _, e := range evs {
		s, t := "-", "-"
		if e.Source != nil {
			s = e.Source.Code
		}
		if e.Target != nil {
			t = e.Target.Code
		}
		neg := ""
		if e.Negated {
			neg = "!"
		}
		out = append(out, fmt.Sprintf("%s%s>%s:%s", neg, s, t, e.CAMEORoot))
	}
	return strings.Join(out, " ")
}

func code(t *testing.T, text, date string) []model.Event {
	t.Helper()
	return testCoder(t).Code(model.Document{ID: "t", Text: text, Date: date})
}

// Sentences written for these tests; each checks one mechanism of the coder.
func TestMechanisms(t *testing.T) {
	cases := []struct {
		name, text, date, want string
	}{
		{"simple", "Iran condemned Israel on Sunday.", "2024-04-02", "IRN>ISR:11"},
		{"compound source and agent", "The United States, Britain and Canada sanctioned Iranian officials.", "2024-04-02",
			"USA>IRNGOV:16 GBR>IRNGOV:16 CAN>IRNGOV:16"},
		{"passive", "Iranian officials were sanctioned by the European Union on Monday.", "2024-04-02", "IGOEUREEC>IRNGOV:16"},
		{"negation marked", "Egypt did not condemn Israel.", "2024-04-02", "!EGY>ISR:11"},
		{"reported speech codes the reported event", "A spokesman said Turkish troops attacked Kurdish rebels in Syria.", "2024-04-02", "TURMIL>"},
		{"person by date", "Sergey Lavrov criticised NATO on Monday.", "2024-04-02", "RUSGOV>IGOWSTNAT:11"},
		{"possessive agent", "Russia's foreign minister accused Ukraine of terrorism.", "2024-04-02", "RUSGOV>UKR:11"},
		{"distributed agent", "Hungarian and Romanian officials criticised the plan.", "2001-04-02", ""},
		{"lowercase common word is not a country", "The turkey was eaten after the chad was counted.", "2024-04-02", ""},
	}
	for _, c := range cases {
		got := brief(code(t, c.text, c.date))
		if c.want == "" {
			if c.name == "lowercase common word is not a country" && got != "" {
				t.Errorf("%s: %q gave %q, want nothing", c.name, c.text, got)
			}
			continue
		}
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}

func TestSeedEvents(t *testing.T) {
	// checked in package cmd via the whole pipeline; here: the coder's part
	text := "China and Russia denounced recent moves by the United States and the European Union and called on the United Nations Security Council to build dialogue."
	got := brief(code(t, text, "2021-03-23"))
	for _, want := range []string{"CHN>USA:11", "RUS>IGOEUREEC:11", "CHN>IGOUNO:02", "RUS>IGOUNO:02"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	if strings.Contains(got, "USA>") {
		t.Errorf("the objects of 'denounced' became a source: %s", got)
	}
}

func TestCoreference(t *testing.T) {
	text := "Chinese Foreign Minister Wang Yi met Russian counterpart Sergey Lavrov on Monday.\n\n" +
		"Wang accused the United States of interference.\n\nThe two countries also condemned NATO."
	evs := code(t, text, "2021-03-23")
	got := brief(evs)
	for _, want := range []string{"CHNGOV>USA:11", "CHNGOV>IGOWSTNAT:11", "RUSGOV>IGOWSTNAT:11"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
}

func TestOffsetsPointAtEvidence(t *testing.T) {
	text := "Élysée officials said on Monday that France condemned the Iranian missile strikes on Israel."
	rs := []rune(text)
	for _, e := range code(t, text, "2024-04-15") {
		if string(rs[e.Trigger.Start:e.Trigger.End]) != e.Trigger.Text {
			t.Errorf("trigger offsets %d:%d read %q, want %q", e.Trigger.Start, e.Trigger.End, string(rs[e.Trigger.Start:e.Trigger.End]), e.Trigger.Text)
		}
		for _, a := range []*model.Actor{e.Source, e.Target} {
			if a != nil && string(rs[a.Start:a.End]) != a.Text {
				t.Errorf("actor offsets %d:%d read %q, want %q", a.Start, a.End, string(rs[a.Start:a.End]), a.Text)
			}
		}
		if string(rs[e.Sentence.Start:e.Sentence.End]) != e.Sentence.Text {
			t.Errorf("sentence offsets wrong")
		}
	}
}

func FuzzCode(f *testing.F) {
	f.Add("China and Russia denounced the United States. \"We reject it,\" Wang said.")
	f.Add("The two countries (L) and (R) both , , and\n\nHe said")
	f.Add("\"\"\"((( U.S. U.N. n't 's")
	c := testCoder(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := len([]rune(s))
		for _, e := range c.Code(model.Document{ID: "f", Text: s, Date: "2021-01-01"}) {
			if e.Trigger.Start < 0 || e.Trigger.End > n || e.Trigger.Start > e.Trigger.End {
				t.Fatalf("trigger span %d:%d outside text of %d runes", e.Trigger.Start, e.Trigger.End, n)
			}
		}
	})
}

func BenchmarkCodeSentence(b *testing.B) {
	c := testCoder(b)
	doc := model.Document{ID: "b", Date: "2021-03-23", Text: "That came a day after the United States, the European Union, Britain and Canada sanctioned Chinese officials over human rights abuses in Xinjiang."}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Code(doc)
	}
}

func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Load(nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
