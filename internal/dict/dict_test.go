package dict

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dyadproject/dyad/internal/codebook"
	"github.com/dyadproject/dyad/internal/textproc"
)

func validCode(c string) bool { _, ok := codebook.Lookup(c); return ok }

var (
	actorsOnce sync.Once
	actors     *Actors
	actorsErr  error
)

// embedded loads the embedded actor dictionaries once for all tests.
func embedded(t *testing.T) *Actors {
	t.Helper()
	actorsOnce.Do(func() { actors, actorsErr = LoadActors() })
	if actorsErr != nil {
		t.Fatalf("LoadActors: %v", actorsErr)
	}
	return actors
}

// find returns the first actor match scanning text left to right: the
// entries and the matched words. An empty phrase means no match anywhere.
func find(a *Actors, text string) ([]*Entry, string) {
	toks := textproc.Tokenize(text)
	for i := range toks {
		if es, n := a.Match(toks, i); n > 0 {
			words := make([]string, n)
			for k := range n {
				words[k] = toks[i+k].Text
			}
			return es, strings.Join(words, " ")
		}
	}
	return nil, ""
}

func hasEntry(es []*Entry, k Kind, code string) bool {
	return slices.ContainsFunc(es, func(e *Entry) bool { return e.Kind == k && e.Code == code })
}

func describe(es []*Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, e.Kind.String()+":"+e.Code+"@"+e.ID)
	}
	return strings.Join(out, " ")
}

func TestInflect(t *testing.T) {
	cases := []struct {
		lemma string
		want  []string // forms that must be produced
		not   []string // forms that must not be
	}{
		{"condemn", []string{"condemn", "condemns", "condemned", "condemning"}, nil},
		{"accuse", []string{"accuse", "accuses", "accused", "accusing"}, []string{"accuseing", "accuseed"}},
		{"agree", []string{"agrees", "agreed", "agreeing"}, []string{"agreing"}},
		{"deny", []string{"denies", "denied", "denying"}, []string{"denys", "denyed"}},
		{"play", []string{"plays", "played", "playing"}, []string{"plaies"}},
		{"push", []string{"pushes", "pushed", "pushing"}, []string{"pushs"}},
		{"stop", []string{"stops", "stopped", "stopping"}, nil},
		{"plan", []string{"planned", "planning"}, nil},
		{"panic", []string{"panicked", "panicking"}, nil},
		{"criticize", []string{"criticizes", "criticized", "criticizing", "criticise", "criticised", "criticising"}, nil},
		{"criticise", []string{"criticised", "criticize", "criticized", "criticizing"}, nil},
		{"rise", []string{"rises", "rose", "risen"}, []string{"rize"}}, // too short for an -ize twin
		{"meet", []string{"meets", "meeting", "met"}, nil},
		{"withdraw", []string{"withdraws", "withdrawing", "withdrew", "withdrawn"}, nil},
		{"seek", []string{"seeks", "seeking", "sought"}, nil},
		{"free", []string{"frees", "freed", "freeing"}, nil},
		{"call off", []string{"call off"}, []string{"call offs"}},
	}
	for _, c := range cases {
		got := Inflect(c.lemma)
		if !slices.IsSorted(got) {
			t.Errorf("Inflect(%q) not sorted: %v", c.lemma, got)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("Inflect(%q) = %v, missing %q", c.lemma, got, w)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("Inflect(%q) = %v, should not contain %q", c.lemma, got, w)
			}
		}
	}
	if got := Inflect("call off"); len(got) != 1 {
		t.Errorf("multiword lemma inflected: %v", got)
	}
}

func TestParticiple(t *testing.T) {
	for _, w := range []string{"sanctioned", "taken", "withdrawn", "met", "sought", "held", "struck", "said"} {
		if !Participle(w) {
			t.Errorf("Participle(%q) = false", w)
		}
	}
	for _, w := range []string{"meet", "visits", "visiting", "seek", "withdraw", "condemn"} {
		if Participle(w) {
			t.Errorf("Participle(%q) = true", w)
		}
	}
}

func TestLoadActorsEmbedded(t *testing.T) {
	a := embedded(t)
	if a.Len() < 1000 {
		t.Errorf("only %d names indexed", a.Len())
	}
	cases := []struct {
		text, phrase string
		kind         Kind
		code         string
	}{
		{"China warned on Monday.", "China", Country, "CHN"},
		{"Chinese officials said.", "Chinese", Adjective, "CHN"},
		{"The statement from the Kremlin was brief.", "Kremlin", Seat, "RUSGOV"},
		{"Kremlin aides met.", "Kremlin", Seat, "RUSGOV"},
		{"The Pentagon said so.", "Pentagon", Seat, "USAMIL"},
		{"The UN said so.", "UN", Org, "IGOUNO"},
		{"The U.N. said so.", "U.N.", Org, "IGOUNO"},
		{"The United Nations said so.", "United Nations", Org, "IGOUNO"},
		{"The UN Security Council met.", "UN Security Council", Org, "IGOUNO"},
		{"The US said so.", "US", Country, "USA"},
		{"The United States of America said so.", "United States of America", Country, "USA"},
		{"Turkey said so.", "Turkey", Country, "TUR"},
		{"Sergey Lavrov said so.", "Sergey Lavrov", Person, "RUSGOV"},
	}
	for _, c := range cases {
		es, phrase := find(a, c.text)
		if phrase != c.phrase {
			t.Errorf("%q: matched %q, want %q (%s)", c.text, phrase, c.phrase, describe(es))
			continue
		}
		if !hasEntry(es, c.kind, c.code) {
			t.Errorf("%q: entries %s, want %v %s", c.text, describe(es), c.kind, c.code)
		}
		for _, e := range es {
			if e.ID == "" || !strings.Contains(e.ID, ".tsv:") {
				t.Errorf("%q: entry ID %q is not file:line", c.text, e.ID)
			}
		}
	}
}

// Case rules: acronyms match only as written, capitalised names only with
// their capitals, so everyday words are not actors.
func TestActorCase(t *testing.T) {
	a := embedded(t)
	for _, text := range []string{
		"They told us nothing.",
		"Us and them.", // sentence-initial "Us" is not the US
		"We ate turkey for dinner.",
		"The un-named man left.",
	} {
		if es, phrase := find(a, text); phrase != "" {
			for _, e := range es {
				if e.Kind != Agent {
					t.Errorf("%q: matched %q as %s", text, phrase, describe(es))
					break
				}
			}
		}
	}
	toks := textproc.Tokenize("turkey")
	if es, n := a.Match(toks, 0); n != 0 {
		t.Errorf("lowercase turkey matched %s", describe(es))
	}
	toks = textproc.Tokenize("Turkey")
	if es, n := a.Match(toks, 0); n != 1 || !hasEntry(es, Country, "TUR") {
		t.Errorf("Turkey: n=%d %s", n, describe(es))
	}
}

func TestLongestMatchWins(t *testing.T) {
	a := embedded(t)
	toks := textproc.Tokenize("United States Congress")
	es, n := a.Match(toks, 0)
	if n != 3 || !hasEntry(es, Seat, "USALEG") {
		t.Errorf("United States Congress: n=%d %s", n, describe(es))
	}
}

func person(t *testing.T, a *Actors, name string) *Entry {
	t.Helper()
	toks := textproc.Tokenize(name)
	es, n := a.Match(toks, 0)
	if n != len(toks) {
		t.Fatalf("%q: matched %d of %d tokens", name, n, len(toks))
	}
	for _, e := range es {
		if e.Kind == Person && e.P != nil {
			return e
		}
	}
	t.Fatalf("%q: no person entry in %s", name, describe(es))
	return nil
}

func TestCodeAt(t *testing.T) {
	a := embedded(t)
	cases := []struct {
		name, date, want string
	}{
		// one open-ended term from 2004-03-09
		{"Sergey Lavrov", "2021-06-01", "RUSGOV"},
		{"Sergei Lavrov", "2004-03-09", "RUSGOV"},
		{"Sergey Lavrov", "2004-03-08", "RUS"}, // before any office: no sector
		{"Sergey Lavrov", "", "RUSGOV"},
		// GOV, ELI, GOV, ELI: each end is exclusive and the next term takes its day
		{"Boris Johnson", "2017-01-01", "GBRGOV"},
		{"Boris Johnson", "2018-07-08", "GBRGOV"},
		{"Boris Johnson", "2018-07-09", "GBRELI"},
		{"Boris Johnson", "2019-07-24", "GBRGOV"},
		{"Boris Johnson", "2022-09-05", "GBRGOV"},
		{"Boris Johnson", "2022-09-06", "GBRELI"},
		{"Boris Johnson", "2030-01-01", "GBRELI"},
		{"Boris Johnson", "", "GBRGOV"}, // undated: the office, not the retirement
		{"Barack Obama", "2006-01-01", "USALEG"},
		{"Barack Obama", "2008-12-01", "USAELI"}, // between terms: a former official
		{"Barack Obama", "2010-01-01", "USAGOV"},
		{"Barack Obama", "2017-01-19", "USAGOV"},
		{"Barack Obama", "2017-01-20", "USAELI"},
		// a single closed term: after its end date the person is ELI
		{"Bernard Kouchner", "2009-01-01", "FRAGOV"},
		{"Bernard Kouchner", "2010-11-13", "FRAGOV"},
		{"Bernard Kouchner", "2010-11-14", "FRAELI"},
		{"Bernard Kouchner", "2015-01-01", "FRAELI"},
		{"Bernard Kouchner", "", "FRAGOV"},
	}
	for _, c := range cases {
		e := person(t, a, c.name)
		if got := e.CodeAt(c.date); got != c.want {
			t.Errorf("%s.CodeAt(%q) = %q, want %q (terms %+v)", c.name, c.date, got, c.want, e.P.Terms)
		}
	}
	// every variant shares one Holder
	if person(t, a, "Sergey Lavrov").P != person(t, a, "Sergey V. Lavrov").P {
		t.Error("name variants do not share their terms")
	}
	if es := a.Surname("lavrov"); len(es) != 1 || es[0].Name != "Sergey Lavrov" {
		t.Errorf("Surname(lavrov) = %s", describe(es))
	}
	// non-people ignore the date
	es, _ := find(a, "China")
	if got := es[0].CodeAt("1900-01-01"); got != "CHN" {
		t.Errorf("country CodeAt = %q", got)
	}
}

func TestTermsSorted(t *testing.T) {
	a := embedded(t)
	e := person(t, a, "Angela Merkel")
	if len(e.P.Terms) != 4 {
		t.Fatalf("Merkel terms = %+v", e.P.Terms)
	}
	for i := 1; i < len(e.P.Terms); i++ {
		if e.P.Terms[i-1].Start > e.P.Terms[i].Start {
			t.Errorf("terms out of order: %+v", e.P.Terms)
		}
	}
	if got := e.CodeAt("2002-01-01"); got != "DEUOPP" {
		t.Errorf("Merkel 2002 = %q", got)
	}
	if got := e.CodeAt("1999-06-01"); got != "DEUELI" {
		t.Errorf("Merkel between terms = %q", got)
	}
}

func TestUserActors(t *testing.T) {
	user := "# my actors\n" +
		"XYZGOV\tFrobnian Council|Frobnia High Council\tigo\n" +
		"\n" +
		"Zed Quuxley|Z. Quuxley\tFRBGOV\t2020-01-01\t2022-01-01\tMinister\n" +
		"Zed Quuxley\tFRBOPP\t2022-01-01\t\tOpposition leader\r\n"
	a, err := LoadActors(NamedReader{Name: "mine.tsv", R: strings.NewReader(user)})
	if err != nil {
		t.Fatal(err)
	}
	es, phrase := find(a, "The Frobnian Council met.")
	if phrase != "Frobnian Council" || !hasEntry(es, Org, "XYZGOV") {
		t.Fatalf("org: %q %s", phrase, describe(es))
	}
	if es[0].ID != "mine.tsv:2" {
		t.Errorf("org ID = %q, want mine.tsv:2", es[0].ID)
	}
	if _, phrase := find(a, "Frobnia High Council"); phrase != "Frobnia High Council" {
		t.Errorf("alternate name matched %q", phrase)
	}
	p := person(t, a, "Zed Quuxley")
	for date, want := range map[string]string{
		"2019-12-31": "FRB", "2020-01-01": "FRBGOV", "2021-12-31": "FRBGOV", "2022-01-01": "FRBOPP", "": "FRBOPP",
	} {
		if got := p.CodeAt(date); got != want {
			t.Errorf("user person CodeAt(%q) = %q, want %q", date, got, want)
		}
	}
	if person(t, a, "Z. Quuxley").P != p.P {
		t.Error("user person variants do not share terms")
	}
	if es := a.Surname("quuxley"); len(es) != 1 {
		t.Errorf("Surname(quuxley) = %s", describe(es))
	}
	// the embedded dictionaries are still there
	if _, phrase := find(a, "China"); phrase != "China" {
		t.Error("embedded entries lost after user file")
	}
}

func TestUserActorsBadLine(t *testing.T) {
	for _, user := range []string{
		"XYZGOV\tFrobnia\nXY\tToo Short Code\n",
		"XYZGOV\tFrobnia\nLONELYCODE\n",
		"XYZGOV\tFrobnia\nNobody\tX\t2020-01-01\t\tMinister\n",
	} {
		_, err := LoadActors(NamedReader{Name: "bad.tsv", R: strings.NewReader(user)})
		if err == nil || !strings.Contains(err.Error(), "bad.tsv:2:") {
			t.Errorf("%q: err = %v, want one naming bad.tsv:2", user, err)
		}
	}
}

// A user line of four or more columns is a person: a mistyped date is an
// error, a missing one an open start; never an organisation named by a code.
func TestUserPersonBadDate(t *testing.T) {
	for _, user := range []string{
		"Zed Quuxley\tFRBGOV\t2020/01/01\t\tMinister\n",
		"Zed Quuxley\tFRBGOV\t\t\tMinister\n",
	} {
		a, err := LoadActors(NamedReader{Name: "mine.tsv", R: strings.NewReader(user)})
		if err != nil {
			continue // refusing the line would be fine
		}
		es, _ := find(a, "Zed Quuxley")
		if !hasEntry(es, Person, "FRBGOV") {
			t.Errorf("%q: entries %s", user, describe(es))
		}
	}
}

func TestLoadPatternsEmbedded(t *testing.T) {
	ps, err := LoadPatterns(validCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.All) < 1000 {
		t.Errorf("only %d patterns", len(ps.All))
	}
	codes := map[string]bool{}
	roots := map[string]bool{}
	files := map[string]bool{}
	for _, p := range ps.All {
		if !p.Discard() {
			if !validCode(p.Code) {
				t.Errorf("%s: unknown code %q", p.ID, p.Code)
			}
			codes[p.Code] = true
			roots[p.Code[:2]] = true
		}
		if p.Literals == 0 {
			t.Errorf("%s: no required word", p.ID)
		}
		files[p.ID[:strings.IndexByte(p.ID, ':')]] = true
	}
	for r := 1; r <= 20; r++ {
		root := string([]byte{byte('0' + r/10), byte('0' + r%10)})
		if !roots[root] {
			t.Errorf("no pattern for root %s", root)
		}
	}
	if len(codes) < 200 {
		t.Errorf("%d distinct codes, want at least 200", len(codes))
	}
	if !files["verbs.txt"] || !files["constructions.txt"] {
		t.Errorf("pattern files seen: %v", files)
	}
	// indexing by first word reaches inflected forms
	for _, w := range []string{"visited", "condemns", "met", "sanctioned"} {
		if len(ps.Starting(w)) == 0 {
			t.Errorf("no pattern starts with %q", w)
		}
	}
}

func TestUserPatterns(t *testing.T) {
	good := "# mine\n036\t{frobnicate} with $T\n"
	ps, err := LoadPatterns(validCode, NamedReader{Name: "mine.txt", R: strings.NewReader(good)})
	if err != nil {
		t.Fatal(err)
	}
	got := ps.Starting("frobnicated")
	if len(got) != 1 || got[0].ID != "mine.txt:2" || got[0].Code != "036" || got[0].Literals != 2 {
		t.Fatalf("user pattern: %+v", got)
	}
	if el := got[0].Elems; len(el) != 3 || el[0].Kind != Lit || !el[0].Verb || el[1].Kind != Lit || el[2].Kind != Target {
		t.Errorf("elems = %+v", el)
	}
}

func TestUserPatternsBad(t *testing.T) {
	cases := []struct {
		text, where, why string
	}{
		{"042\t{visit} $T\n999\t{frobnicate} $T\n", "bad.txt:2:", "unknown CAMEO code"},
		{"# c\n\n042\t$T {visit} $T\n", "bad.txt:3:", "$T"},
		{"042\t$S {visit} $S\n", "bad.txt:1:", "$S"},
		{"04x2\t{visit} $T\n", "bad.txt:1:", "bad code"},
		{"042\t$T .. $S\n", "bad.txt:1:", "no required word"},
		{"042\n", "bad.txt:1:", "empty pattern"},
	}
	for _, c := range cases {
		ps, err := LoadPatterns(validCode, NamedReader{Name: "bad.txt", R: strings.NewReader(c.text)})
		if err == nil {
			t.Errorf("%q: no error", c.text)
			continue
		}
		if !strings.Contains(err.Error(), c.where) || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%q: err = %v, want %s … %s", c.text, err, c.where, c.why)
		}
		if ps == nil || len(ps.All) < 1000 {
			t.Errorf("%q: good patterns dropped with the bad line", c.text)
		}
	}
	// several bad lines are counted, the first is named
	_, err := LoadPatterns(validCode, NamedReader{Name: "bad.txt", R: strings.NewReader("999\tfoo\n998\tbar\n")})
	if err == nil || !strings.HasPrefix(err.Error(), "2 bad pattern lines") || !strings.Contains(err.Error(), "bad.txt:1:") {
		t.Errorf("two bad lines: %v", err)
	}
	// without a validator any numeric code is accepted
	if _, err := LoadPatterns(nil, NamedReader{Name: "x.txt", R: strings.NewReader("999\tfoo\n")}); err != nil {
		t.Errorf("nil validCode: %v", err)
	}
}
