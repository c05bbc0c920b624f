package clean

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dyadproject/dyad/internal/model"
)

const seedPath = "../../../shared/seed/upi-2021-03-23-china-russia.txt"

func readSeed(t testing.TB) string {
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Skipf("seed article not available (%v)", err)
	}
	return string(b)
}

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSeed(t *testing.T) {
	raw := readSeed(t)
	r := Clean(raw, Options{RefDate: date("2021-03-24")})

	wantTitle := "China, Russia slam West for 'interference' after human rights sanctions"
	if r.Title != wantTitle {
		t.Errorf("Title = %q, want %q", r.Title, wantTitle)
	}
	if len(r.Paragraphs) == 0 || r.Paragraphs[0] != wantTitle {
		t.Errorf("Paragraphs[0] is not the title: %q", r.Paragraphs)
	}
	want := model.Dateline{Place: "", Date: "2021-03-23", Agency: "UPI", Text: "March 23 (UPI) --"}
	if r.Dateline == nil || *r.Dateline != want {
		t.Errorf("Dateline = %+v, want %+v", r.Dateline, want)
	}
	for _, p := range r.Paragraphs {
		switch p {
		case "Advertisement", "Latest Headlines":
			t.Errorf("boilerplate line %q kept", p)
		}
	}
	if strings.Contains(r.Text, "Advertisement") || strings.Contains(r.Text, "Latest Headlines") {
		t.Error("boilerplate left in Text")
	}
	caption := "Russian Foreign Minister Sergey Lavrov (L) and Chinese counterpart Wang Yi (R) issued a joint statement Tuesday in Guilin, China"
	if n := strings.Count(r.Text, caption); n != 1 {
		t.Errorf("caption appears %d times, want 1", n)
	}
	if strings.Contains(r.Text, "Photo by") || strings.Contains(r.Text, "EPA-EFE") {
		t.Error("photo credit left in Text")
	}
	if strings.Contains(r.Text, "(UPI)") {
		t.Error("dateline left in Text")
	}
	if !strings.Contains(r.Text, "\n\nChina and Russia denounced recent moves") {
		t.Error("dateline paragraph does not start with its sentence")
	}
	if strings.ContainsRune(r.Text, '\u00a0') || strings.Contains(r.Text, "  ") {
		t.Error("NBSP or double space left in Text")
	}
	if r.Text != strings.Join(r.Paragraphs, "\n\n") {
		t.Error("Text is not Paragraphs joined by blank lines")
	}
	if !strings.HasSuffix(r.Text, "so China is trying to find other ways to strengthen its position,\" Maslov said.") {
		t.Errorf("story end lost: ...%q", r.Text[max(0, len(r.Text)-80):])
	}

	counts := map[string]int{}
	var adLines []int
	for _, rm := range r.Removed {
		counts[rm.Reason]++
		if rm.Text == "Advertisement" {
			adLines = append(adLines, rm.Line)
		}
	}
	if got := []int{1, 12, 24}; !equalInts(adLines, got) {
		t.Errorf("Advertisement removed at lines %v, want %v", adLines, got)
	}
	wantCounts := map[string]int{ReasonBoilerplate: 3, ReasonDuplicate: 1, ReasonCredit: 1, ReasonDateline: 1, ReasonTrailer: 1}
	for k, v := range wantCounts {
		if counts[k] != v {
			t.Errorf("%d removals of reason %q, want %d (all: %v)", counts[k], k, v, r.Removed)
		}
	}
	for i := 1; i < len(r.Removed); i++ {
		if r.Removed[i].Line < r.Removed[i-1].Line {
			t.Errorf("Removed not ordered by line: %v", r.Removed)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDatelines(t *testing.T) {
	body := "Officials from both countries met to discuss the dispute over the border."
	tests := []struct {
		name  string
		first string // the paragraph's opening, before body
		ref   string
		want  *model.Dateline
		rest  string // expected paragraph after the dateline ("" = body)
	}{
		{"reuters", "BEIJING, March 23 (Reuters) - ", "2021-03-24",
			&model.Dateline{Place: "BEIJING", Date: "2021-03-23", Agency: "Reuters", Text: "BEIJING, March 23 (Reuters) -"}, ""},
		{"reuters no space", "BEIJING, March 23 (Reuters)-", "2021-03-24",
			&model.Dateline{Place: "BEIJING", Date: "2021-03-23", Agency: "Reuters", Text: "BEIJING, March 23 (Reuters)-"}, ""},
		{"reuters two places", "WASHINGTON/MOSCOW, March 23 (Reuters) - ", "2021-03-23",
			&model.Dateline{Place: "WASHINGTON/MOSCOW", Date: "2021-03-23", Agency: "Reuters", Text: "WASHINGTON/MOSCOW, March 23 (Reuters) -"}, ""},
		{"ap", "WASHINGTON (AP) — ", "2021-03-24",
			&model.Dateline{Place: "WASHINGTON", Agency: "AP", Text: "WASHINGTON (AP) —"}, ""},
		{"ap with country", "KABUL, Afghanistan (AP) — ", "",
			&model.Dateline{Place: "KABUL, Afghanistan", Agency: "AP", Text: "KABUL, Afghanistan (AP) —"}, ""},
		{"afp with year", "PARIS, March 23, 2021 (AFP) - ", "",
			&model.Dateline{Place: "PARIS", Date: "2021-03-23", Agency: "AFP", Text: "PARIS, March 23, 2021 (AFP) -"}, ""},
		{"afp mixed case", "Paris (AFP) - ", "",
			&model.Dateline{Place: "Paris", Agency: "AFP", Text: "Paris (AFP) -"}, ""},
		{"upi no place", "March 23 (UPI) -- ", "2021-03-24",
			&model.Dateline{Date: "2021-03-23", Agency: "UPI", Text: "March 23 (UPI) --"}, ""},
		{"upi with place", "MOSCOW, March 23 (UPI) -- ", "2021-03-24",
			&model.Dateline{Place: "MOSCOW", Date: "2021-03-23", Agency: "UPI", Text: "MOSCOW, March 23 (UPI) --"}, ""},
		{"cnn", "(CNN) -- ", "",
			&model.Dateline{Agency: "CNN", Text: "(CNN) --"}, ""},
		{"plain em dash", "LONDON — ", "",
			&model.Dateline{Place: "LONDON", Text: "LONDON —"}, ""},
		{"plain two words", "NEW YORK — ", "",
			&model.Dateline{Place: "NEW YORK", Text: "NEW YORK —"}, ""},
		{"plain with state", "WASHINGTON, D.C. — ", "",
			&model.Dateline{Place: "WASHINGTON, D.C.", Text: "WASHINGTON, D.C. —"}, ""},
		{"colon", "NEW DELHI: ", "",
			&model.Dateline{Place: "NEW DELHI", Text: "NEW DELHI:"}, ""},
		{"reuters 1987", "SALVADOR, Feb 26 - ", "1987-02-27",
			&model.Dateline{Place: "SALVADOR", Date: "1987-02-26", Text: "SALVADOR, Feb 26 -"}, ""},
		{"day month", "LONDON, 23 March (Reuters) - ", "2021-03-23",
			&model.Dateline{Place: "LONDON", Date: "2021-03-23", Agency: "Reuters", Text: "LONDON, 23 March (Reuters) -"}, ""},
		{"abbreviated month", "TOKYO, Mar. 2 (Kyodo) - ", "2021-03-23",
			&model.Dateline{Place: "TOKYO", Date: "2021-03-02", Agency: "Kyodo", Text: "TOKYO, Mar. 2 (Kyodo) -"}, ""},
		// year resolution: ref's year unless that puts the date after ref + 1 day
		{"year rollover", "BEIJING, Dec 31 (Reuters) - ", "2021-01-02",
			&model.Dateline{Place: "BEIJING", Date: "2020-12-31", Agency: "Reuters", Text: "BEIJING, Dec 31 (Reuters) -"}, ""},
		{"a day ahead of ref", "BEIJING, March 24 (Reuters) - ", "2021-03-23",
			&model.Dateline{Place: "BEIJING", Date: "2021-03-24", Agency: "Reuters", Text: "BEIJING, March 24 (Reuters) -"}, ""},
		{"two days ahead of ref", "BEIJING, March 25 (Reuters) - ", "2021-03-23",
			&model.Dateline{Place: "BEIJING", Date: "2020-03-25", Agency: "Reuters", Text: "BEIJING, March 25 (Reuters) -"}, ""},
		{"no ref no year", "BEIJING, March 23 (Reuters) - ", "",
			&model.Dateline{Place: "BEIJING", Date: "", Agency: "Reuters", Text: "BEIJING, March 23 (Reuters) -"}, ""},
		{"no such day", "BEIJING, Feb 30 (Reuters) - ", "2021-03-23",
			&model.Dateline{Place: "BEIJING", Date: "", Agency: "Reuters", Text: "BEIJING, Feb 30 (Reuters) -"}, ""},
		// not datelines
		{"sentence dash", "Mr Blair - who met the envoy - said ", "", nil, "Mr Blair - who met the envoy - said " + body},
		{"story label", "EXCLUSIVE - ", "", nil, "EXCLUSIVE - " + body},
		{"caps subject", "U.S. officials — at least three — said ", "", nil, "U.S. officials — at least three — said " + body},
		{"quote colon", "The minister said: ", "", nil, "The minister said: " + body},
		{"caption letter", "Wang Yi (R) - ", "", nil, "Wang Yi (R) - " + body},
		{"unknown agency lower case", "Schools' Factual (primary) - ", "", nil, "Schools' Factual (primary) - " + body},
		{"caps name", "DJ Norman Cook - ", "", nil, "DJ Norman Cook - " + body},
		{"advice column", "DEAR ABBY: ", "", nil, "DEAR ABBY: " + body},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ref time.Time
			if tc.ref != "" {
				ref = date(tc.ref)
			}
			raw := "A headline for the story\n\n" + tc.first + body + "\n\nA second paragraph follows here, as stories have."
			r := Clean(raw, Options{RefDate: ref})
			switch {
			case tc.want == nil && r.Dateline != nil:
				t.Fatalf("Dateline = %+v, want none", *r.Dateline)
			case tc.want != nil && r.Dateline == nil:
				t.Fatalf("no dateline, want %+v", *tc.want)
			case tc.want != nil && *r.Dateline != *tc.want:
				t.Fatalf("Dateline = %+v, want %+v", *r.Dateline, *tc.want)
			}
			rest := tc.rest
			if rest == "" {
				rest = body
			}
			if len(r.Paragraphs) != 3 || r.Paragraphs[1] != rest {
				t.Errorf("paragraphs = %q, want the second to be %q", r.Paragraphs, rest)
			}
			if r.Title != "A headline for the story" {
				t.Errorf("Title = %q", r.Title)
			}
		})
	}
}

func TestDatelineOwnLine(t *testing.T) {
	raw := "WASHINGTON —\n\nThe Senate passed the bill on Tuesday after a long debate on spending.\n\nA second paragraph follows."
	r := Clean(raw, Options{})
	if r.Dateline == nil || r.Dateline.Place != "WASHINGTON" {
		t.Fatalf("Dateline = %+v", r.Dateline)
	}
	if len(r.Paragraphs) != 2 || !strings.HasPrefix(r.Paragraphs[0], "The Senate") {
		t.Errorf("paragraphs = %q", r.Paragraphs)
	}
}

// story wraps lines as the only body between boilerplate.
const storyPara = "Troops crossed the border on Monday, officials said, in the first such incursion this year."

func TestBoilerplateLines(t *testing.T) {
	removed := []struct{ line, reason string }{
		{"Advertisement", ReasonBoilerplate},
		{"ADVERTISEMENT", ReasonBoilerplate},
		{"Advertisement - Scroll to continue", ReasonBoilerplate},
		{"Share this article:", ReasonBoilerplate},
		{"• Share", ReasonBoilerplate},
		{"Share on Facebook", ReasonBoilerplate},
		{"Follow us on Twitter", ReasonBoilerplate},
		{"Follow us on Facebook and Instagram", ReasonBoilerplate},
		{"We use cookies to improve your experience on our site.", ReasonBoilerplate},
		{"Accept all cookies", ReasonBoilerplate},
		{"Click here to subscribe to our daily briefing", ReasonBoilerplate},
		{"Continue reading", ReasonBoilerplate},
		{"Continue reading the main story", ReasonBoilerplate},
		{"Skip to content", ReasonBoilerplate},
		{"Subscribe", ReasonBoilerplate},
		{"Sign up for our newsletter", ReasonBoilerplate},
		{"Read more:", ReasonBoilerplate},
		{"Read more: Why the talks failed", ReasonBoilerplate},
		{"Related", ReasonBoilerplate},
		{"All rights reserved.", ReasonBoilerplate},
		{"© 2021 United Press International, Inc. All Rights Reserved.", ReasonBoilerplate},
		{"Copyright 2021 The Associated Press. All rights reserved.", ReasonBoilerplate},
		{"Comments", ReasonBoilerplate},
		{"Print", ReasonBoilerplate},
		{"Email", ReasonBoilerplate},
		{"Story continues below advertisement", ReasonBoilerplate},
		{"Updated: March 23, 2021 10:31 AM", ReasonBoilerplate},
		{"Image copyright Getty Images", ReasonCredit},
		{"Photo by John Doe/Reuters", ReasonCredit},
		{"(AP Photo/Rahmat Gul)", ReasonCredit},
		{"Reporting by Michelle Nichols; Editing by Sandra Maler", ReasonCredit},
		{"(Reporting by Michelle Nichols in New York and Humeyra Pamuk in Washington; Additional reporting by Simon Lewis; Editing by Chizu Nomiyama and Jonathan Oatis)", ReasonCredit},
		{"Getty Images", ReasonCredit},
		{"By John Smith", ReasonByline},
		{"By JANE DOE and Li Wei, Reuters", ReasonByline},
		{"Tuesday, March 23, 2021", ReasonDate},
		{"2021-03-23", ReasonDate},
		{"***", ReasonSeparator},
		{"— — —", ReasonSeparator},
	}
	for _, tc := range removed {
		raw := "Headline of the story\n\n" + tc.line + "\n\n" + storyPara
		r := Clean(raw, Options{})
		if len(r.Paragraphs) != 2 || r.Paragraphs[1] != storyPara {
			t.Errorf("%q: paragraphs = %q", tc.line, r.Paragraphs)
			continue
		}
		if len(r.Removed) != 1 || r.Removed[0].Reason != tc.reason || r.Removed[0].Line != 3 || r.Removed[0].Text != tc.line {
			t.Errorf("%q: removed = %+v, want one of reason %q at line 3", tc.line, r.Removed, tc.reason)
		}
	}

	kept := []string{
		"Shares in Manchester United closed up 4.75% on Monday following a new offer.",
		"Share prices fell sharply",
		"Related parties agreed to the deal on Friday.",
		"Photo opportunities were limited, officials said.",
		"By Tuesday, troops had left the city.",
		"By Christmas the troops had gone home.",
		"By March the fighting had ended",
		"Copyright law was changed in 2019.",
		"Click hereafter",
		"Updated figures show a rise.",
		"On Tuesday,",
		"Printing presses were seized.",
		"Reuters could not verify the report.",
		"The Associated Press reported the attack.",
		"Image rights are disputed in the case.",
		"Comments by the minister angered Beijing.",
		"Sign up for a Hulu ad-free account for $11.99 a month",
	}
	for _, line := range kept {
		raw := "Headline of the story\n\n" + line + "\n\n" + storyPara
		r := Clean(raw, Options{})
		if len(r.Paragraphs) != 3 || r.Paragraphs[1] != line || len(r.Removed) != 0 {
			t.Errorf("%q: paragraphs = %q, removed = %+v; want it kept", line, r.Paragraphs, r.Removed)
		}
	}
}

func TestLabel(t *testing.T) {
	r := Clean("Headline of the story\n\nImage caption Troops gathered in Kabul on Monday\n\n"+storyPara, Options{})
	if len(r.Paragraphs) != 3 || r.Paragraphs[1] != "Troops gathered in Kabul on Monday" {
		t.Errorf("paragraphs = %q", r.Paragraphs)
	}
	if len(r.Removed) != 1 || r.Removed[0].Reason != ReasonLabel || r.Removed[0].Text != "Image caption" {
		t.Errorf("removed = %+v", r.Removed)
	}
}

func TestCaptionCredits(t *testing.T) {
	caption := "Wang Yi (R) met Sergey Lavrov in Guilin, China, on Tuesday."
	tests := []struct {
		para, credit string
	}{
		{caption + " Photo by Russian Foreign Affairs Ministry/EPA-EFE", "Photo by Russian Foreign Affairs Ministry/EPA-EFE"},
		{caption + "\u00a0 Photo by Mark R. Cristino/EPA-EFE", "Photo by Mark R. Cristino/EPA-EFE"},
		{caption + " (AP Photo/Rahmat Gul)", "(AP Photo/Rahmat Gul)"},
		{caption + " REUTERS/Carlos Barria/File Photo", "REUTERS/Carlos Barria/File Photo"},
		{caption + " Carlos Barria/Reuters", "Carlos Barria/Reuters"},
		{caption + " John Smith/AFP via Getty Images", "John Smith/AFP via Getty Images"},
		{caption + " File photo", "File photo"},
		{caption + " (Photo: Xinhua)", "(Photo: Xinhua)"},
		{caption + " Photo: Xinhua", "Photo: Xinhua"},
		{"Wang Yi (R) met Sergey Lavrov in Guilin Photo by Sergei Ilnitsky/EPA", "Photo by Sergei Ilnitsky/EPA"},
	}
	for _, tc := range tests {
		r := Clean("Headline of the story\n\n"+tc.para+"\n\n"+storyPara, Options{})
		wantKept := strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(tc.para, "\u00a0", " "), tc.credit)), " ")
		if len(r.Paragraphs) != 3 || r.Paragraphs[1] != wantKept {
			t.Errorf("%q: paragraphs = %q, want caption %q", tc.para, r.Paragraphs, wantKept)
		}
		if len(r.Removed) != 1 || r.Removed[0].Text != tc.credit || r.Removed[0].Reason != ReasonCredit || r.Removed[0].Line != 3 {
			t.Errorf("%q: removed = %+v, want credit %q", tc.para, r.Removed, tc.credit)
		}
	}
	for _, para := range []string{
		"The ministry said it had no comment. Reuters could not verify the report.",
		"He declined to pose. Photo opportunities were limited.",
		"The deal, signed in Geneva, was praised by the U.N./EU mission",
	} {
		r := Clean("Headline of the story\n\n"+para+"\n\n"+storyPara, Options{})
		if len(r.Paragraphs) != 3 || r.Paragraphs[1] != para {
			t.Errorf("%q changed: %q (removed %+v)", para, r.Paragraphs, r.Removed)
		}
	}
}

func TestDuplicates(t *testing.T) {
	p := "The caption of the photo is printed twice by the scraper here."
	r := Clean("Headline of the story\n\n"+p+"\n"+p+"\n\n"+storyPara+"\n\nShort line here\n\nShort line here", Options{})
	if strings.Count(r.Text, p) != 1 {
		t.Errorf("duplicate kept: %q", r.Paragraphs)
	}
	if len(r.Removed) != 1 || r.Removed[0].Reason != ReasonDuplicate || r.Removed[0].Line != 4 {
		t.Errorf("removed = %+v", r.Removed)
	}
	// repeats under six words can be real (tables, fixture lists)
	if strings.Count(r.Text, "Short line here") != 2 {
		t.Errorf("short repeat dropped: %q", r.Paragraphs)
	}
}

func TestTrailers(t *testing.T) {
	long := "The minister said the talks would continue next week in Geneva, where both sides hope to agree a ceasefire."
	raw := strings.Join([]string{
		"Headline of the story", "", long, "", "Related Articles", "Biden signs relief bill", "Senate confirms new envoy", "",
		"A second long paragraph of the story resumes here, after the inline link list, and it must be kept.", "",
		"Latest Headlines", "North Korea fires missiles", "Protests spread in Myanmar", "",
	}, "\n")
	r := Clean(raw, Options{})
	want := []string{"Headline of the story", long, "A second long paragraph of the story resumes here, after the inline link list, and it must be kept."}
	if strings.Join(r.Paragraphs, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs = %q\nwant %q", r.Paragraphs, want)
	}
	n := 0
	for _, rm := range r.Removed {
		if rm.Reason == ReasonTrailer {
			n++
		}
	}
	if n != 6 {
		t.Errorf("%d trailer removals, want 6: %+v", n, r.Removed)
	}
	// before any prose a trailer line is only a menu item
	r = Clean("Most Read\n\nHeadline of the story\n\n"+long, Options{})
	if len(r.Paragraphs) != 2 || r.Title != "Headline of the story" {
		t.Errorf("paragraphs = %q", r.Paragraphs)
	}
}

func TestWrappedLines(t *testing.T) {
	raw := "BAHIA COCOA REVIEW\n\n" +
		"    SALVADOR, Feb 26 - Showers continued throughout the week in\n" +
		"the Bahia cocoa zone, alleviating the drought since early\n" +
		"January, Comissaria Smith said in its weekly review.\n" +
		"    The company offered 22 dlrs a\n" +
		"share.\n" +
		"    Arrivals for the week ended February 22 were 155,221 bags\n" +
		"of 60 kilos. Again it seems that inter-\n" +
		"national cocoa was included.\n" +
		" Reuter\n"
	r := Clean(raw, Options{RefDate: date("1987-02-27")})
	want := []string{
		"BAHIA COCOA REVIEW",
		"Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early January, Comissaria Smith said in its weekly review.",
		"The company offered 22 dlrs a share.",
		"Arrivals for the week ended February 22 were 155,221 bags of 60 kilos. Again it seems that inter-national cocoa was included.",
	}
	if strings.Join(r.Paragraphs, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs:\n%q\nwant\n%q", r.Paragraphs, want)
	}
	if r.Dateline == nil || r.Dateline.Place != "SALVADOR" || r.Dateline.Date != "1987-02-26" {
		t.Errorf("dateline = %+v", r.Dateline)
	}
}

func TestOneParagraphPerLine(t *testing.T) {
	// scrapers often print one paragraph per line with no blank lines
	raw := "Headline of the story\n" + storyPara + "\nAdvertisement\nThe second paragraph of the story is here and it is long enough.\n"
	r := Clean(raw, Options{})
	if len(r.Paragraphs) != 3 || r.Paragraphs[1] != storyPara || r.Title != "Headline of the story" {
		t.Errorf("paragraphs = %q", r.Paragraphs)
	}
}

func TestNormalization(t *testing.T) {
	raw := "Headline\u00a0of  the\tstory\r\n\r\n\u200bTroops\u00a0crossed the\u200d border\x07 on Monday,\u00adofficials said.\r\rSecond\u2028\u2028line \xff\xfewith bad bytes.\n"
	r := Clean(raw, Options{})
	want := []string{"Headline of the story", "Troops crossed the border on Monday,officials said.", "Second", "line with bad bytes."}
	if strings.Join(r.Paragraphs, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs = %q\nwant %q", r.Paragraphs, want)
	}
}

func TestEmptyAndJunk(t *testing.T) {
	for _, raw := range []string{"", "   ", "\n\n\r\n", "\u200b\u200b", "Advertisement\n\nShare"} {
		r := Clean(raw, Options{})
		if r.Text != "" || r.Title != "" || r.Dateline != nil || len(r.Paragraphs) != 0 || r.Paragraphs == nil || r.Removed == nil {
			t.Errorf("Clean(%q) = %+v, want empty (with non-nil slices)", raw, r)
		}
	}
	junk := string([]byte{0x00, 0x01, 0xff, 0xfe, 'P', 'K', 0x03, 0x04, 0x00, 0x00, 0x80, 0x81, 0x82, 'a', 'b', 0x00})
	r := Clean(junk+junk+junk, Options{})
	if r.Text != "" || len(r.Paragraphs) != 0 || len(r.Removed) != 1 || r.Removed[0].Reason != ReasonBinary {
		t.Errorf("binary input gave %+v", r)
	}
}

func TestTitle(t *testing.T) {
	tests := []struct {
		first string
		title bool
	}{
		{"Labour plans maternity pay rise", true},
		{"Will Blair go?", true},
		{"TAIWAN TO SEEK HIGHER TEXTILE EXPORTS TO U.S.", true},
		{"'My memories of Marley...'", true},
		{"iTunes now selling Band Aid song", true},
		{"$1m payoff for former Shell boss", true},
		{"The minister resigned on Monday.", false},
		{"and then he left", false},
		{"Headline", false},
		{"LONDON — Troops crossed the border on Monday, officials said on Tuesday", false},
	}
	for _, tc := range tests {
		r := Clean(tc.first+"\n\n"+storyPara, Options{})
		if got := r.Title != ""; got != tc.title {
			t.Errorf("%q: title %q, want title=%v", tc.first, r.Title, tc.title)
		}
	}
	if r := Clean("Labour plans maternity pay rise", Options{}); r.Title != "" {
		t.Errorf("a lone paragraph is not a title: %q", r.Title)
	}
}

// TestBBCPolitics: BBC files (headline, blank line, paragraphs) carry no
// boilerplate; cleaning must keep every paragraph and take the headline.
func TestBBCPolitics(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpora/bbc-news-2225/politics/*.txt")
	if len(files) == 0 {
		t.Skip("BBC corpus not available")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := Clean(string(b), Options{})
		head := strings.Join(strings.Fields(strings.SplitN(string(b), "\n", 2)[0]), " ")
		if r.Title != head {
			t.Errorf("%s: title %q, want %q", f, r.Title, head)
		}
		if r.Dateline != nil {
			t.Errorf("%s: dateline %+v", f, *r.Dateline)
		}
		for _, rm := range r.Removed {
			if rm.Reason != ReasonSeparator && rm.Reason != ReasonDuplicate {
				t.Errorf("%s: removed %+v", f, rm)
			}
		}
	}
}

func TestIdempotent(t *testing.T) {
	inputs := []string{
		"Headline of the story\n\n" + storyPara + "\n\nAdvertisement\n\nRelated Articles\nSome link",
		"WASHINGTON (AP) — " + storyPara + "\n\nBy John Smith",
	}
	if b, err := os.ReadFile(seedPath); err == nil {
		inputs = append(inputs, string(b))
	}
	for _, raw := range inputs {
		r1 := Clean(raw, Options{})
		r2 := Clean(r1.Text, Options{})
		if r2.Text != r1.Text || r2.Title != r1.Title || len(r2.Removed) != 0 {
			t.Errorf("second Clean changed the text:\n%q\n%q\nremoved %+v", r1.Text, r2.Text, r2.Removed)
		}
	}
}

func TestRulesFile(t *testing.T) {
	if len(bp.exact) < 50 || bp.maxExact == 0 {
		t.Errorf("boilerplate.txt gave only %d exact patterns", len(bp.exact))
	}
	for _, bad := range []string{"advertisement", "[nonsense]\nx", "[boilerplate]\nprefix:"} {
		if _, err := parseRules(bad); err == nil {
			t.Errorf("parseRules(%q) accepted", bad)
		}
	}
}

// checkResult asserts what holds for every Clean result.
func checkResult(t *testing.T, in string, r Result) {
	t.Helper()
	if !utf8.ValidString(r.Text) || !utf8.ValidString(r.Title) {
		t.Fatalf("invalid UTF-8 out of %q", in)
	}
	if r.Text != strings.Join(r.Paragraphs, "\n\n") {
		t.Fatalf("Text is not the joined paragraphs for %q", in)
	}
	if r.Title != "" && (len(r.Paragraphs) < 2 || r.Paragraphs[0] != r.Title) {
		t.Fatalf("Title %q is not Paragraphs[0] of %q", r.Title, r.Paragraphs)
	}
	seen := map[string]bool{}
	for _, p := range r.Paragraphs {
		if p == "" || p != strings.TrimSpace(p) || strings.Contains(p, "  ") || strings.ContainsRune(p, '\n') {
			t.Fatalf("badly normalised paragraph %q from %q", p, in)
		}
		for _, c := range p {
			if unicode.IsControl(c) || c == utf8.RuneError || unicode.Is(unicode.Cf, c) {
				t.Fatalf("invisible %U in %q from %q", c, p, in)
			}
		}
		if v := classify(p); v.reason != "" {
			t.Fatalf("paragraph %q is %s (from %q)", p, v.reason, in)
		}
		if seen[p] && dedupable(p) {
			t.Fatalf("duplicate paragraph %q from %q", p, in)
		}
		seen[p] = true
	}
	lines := strings.Count(in, "\n") + strings.Count(in, "\r") + strings.Count(in, "\u2028") + strings.Count(in, "\u2029") +
		strings.Count(in, "\f") + strings.Count(in, "\v") + 1
	for _, rm := range r.Removed {
		if rm.Line < 1 || rm.Line > lines {
			t.Fatalf("Removed line %d outside 1..%d", rm.Line, lines)
		}
	}
}

func FuzzClean(f *testing.F) {
	f.Add("Headline of the story\n\n" + storyPara)
	f.Add("BEIJING, March 23 (Reuters) - " + storyPara + "\n\n(Reporting by X; Editing by Y)")
	f.Add("LONDON — Share\n\nAdvertisement\n\nAdvertisement\nPhoto by X/AP")
	f.Add("    SALVADOR, Feb 26 - Showers\ncontinued in\nthe zone.\n    More rain.\n Reuter")
	f.Add("A b. Photo by C/EPA\nA b. Photo by C/EPA\n\nLatest Headlines\nX y")
	f.Add("Image caption Image caption Photo: x\n\u00a0\u200b\xff")
	f.Add("A FeB 0- 0 B\n0000")
	if b, err := os.ReadFile(seedPath); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		r := Clean(in, Options{RefDate: date("2021-03-24")})
		checkResult(t, in, r)
		r2 := Clean(r.Text, Options{RefDate: date("2021-03-24")})
		checkResult(t, r.Text, r2)
		// A second pass that finds no dateline changes nothing; the title may
		// differ only when the first pass cut a dateline from paragraph one.
		if r2.Dateline == nil && (r2.Text != r.Text || r.Dateline == nil && r2.Title != r.Title || len(r2.Removed) != 0) {
			t.Fatalf("not idempotent on %q:\n%q\n%q\n%+v", in, r.Text, r2.Text, r2.Removed)
		}
	})
}

func BenchmarkClean(b *testing.B) {
	raw, err := os.ReadFile(seedPath)
	if err != nil {
		// a synthetic article of the same shape
		var sb strings.Builder
		sb.WriteString("Advertisement\n\nA headline for a synthetic story\n\nMOSCOW, March 23 (UPI) -- ")
		for i := 0; i < 20; i++ {
			sb.WriteString(storyPara + "\n\nAdvertisement\n\n")
		}
		sb.WriteString("Latest Headlines\n")
		raw = []byte(sb.String())
	}
	s := string(raw)
	opt := Options{RefDate: date("2021-03-24")}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Clean(s, opt)
	}
}
