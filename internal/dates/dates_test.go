package dates

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, ok := ParseDate(s)
	if !ok {
		panic("bad test date " + s)
	}
	return t
}

func TestResolve(t *testing.T) {
	ref := day("2021-03-23") // a Tuesday
	tests := []struct {
		sentence string
		want     string // "" = ok false
	}{
		// the seed article
		{"Chinese Foreign Minister Wang Yi and Russian counterpart Sergey Lavrov said Tuesday in a joint statement that the domestic affairs of Beijing and Moscow should not be of outside concern.", "2021-03-23"},
		{"That came a day after the United States, the European Union, Britain and Canada sanctioned Chinese officials over human rights abuses in Xinjiang.", "2021-03-22"},
		{"China and Russia denounced recent moves by the United States.", "2021-03-23"},
		// weekdays
		{"The ministry said on Monday that talks had failed.", "2021-03-22"},
		{"Protesters gathered on Wednesday.", "2021-03-17"},
		{"Rebels attacked the town on SUNDAY night.", "2021-03-21"},
		{"Officials met last Tuesday.", "2021-03-16"},
		{"Officials met last Friday.", "2021-03-19"},
		{"The two leaders will meet next Tuesday.", "2021-03-30"},
		{"The two leaders will meet in Moscow on Friday.", "2021-03-26"},
		{"The vote is scheduled for Thursday.", "2021-03-25"},
		{"They will meet this Tuesday.", "2021-03-23"},
		{"He will travel to Moscow next month, the Kremlin said on Monday.", "2021-03-22"},
		{"China criticized Monday's sanctions.", "2021-03-23"}, // possessive: not the event's day
		{"That came a day after Monday's sanctions.", "2021-03-23"},
		{"The embargo will last until Friday.", "2021-03-23"},
		// relative words
		{"Police arrested 12 people yesterday.", "2021-03-22"},
		{"Police arrested 12 people today.", "2021-03-23"},
		{"The talks resume tomorrow.", "2021-03-24"},
		{"Gunmen stormed the hotel last night.", "2021-03-22"},
		{"Two days ago, troops crossed the border.", "2021-03-21"},
		{"Troops crossed the border 3 days ago.", "2021-03-20"},
		{"A week ago the army withdrew.", "2021-03-16"},
		{"The president resigned two days earlier.", "2021-03-21"},
		{"He had met the envoy the day before.", "2021-03-22"},
		{"Troops had withdrawn the previous day.", "2021-03-22"},
		{"He spoke the day before the summit.", "2021-03-23"},
		{"In the days after the vote, protests grew.", "2021-03-23"},
		// explicit dates
		{"The accord was signed on March 22.", "2021-03-22"},
		{"The accord was signed on 22 March.", "2021-03-22"},
		{"The accord was signed on the 22nd of March.", "2021-03-22"},
		{"The accord was signed on Mar. 20.", "2021-03-20"},
		{"The accord was signed on March 22, 2020.", "2020-03-22"},
		{"The accord was signed on 22 March 2019.", "2019-03-22"},
		{"The accord was signed on 2021-03-22.", "2021-03-22"},
		{"The accord was signed on December 30.", "2020-12-30"}, // later than ref + 90 days: last year
		{"The summit is set for April 5.", "2021-04-05"},
		{"Sanctions imposed since March 1 remain.", "2021-03-23"},
		{"The truce holds until May 1.", "2021-03-23"},
		{"Ministers may 5 times meet.", "2021-03-23"}, // lower-case "may" is not a month
		{"The March 22 vote passed, officials said Tuesday.", "2021-03-22"},
		{"Officials said Tuesday the accord was signed on March 1, 2021.", "2021-03-01"},
		{"They met on February 30.", "2021-03-23"}, // no such day: ignored
		{"At 5pm March 2 troops moved.", "2021-03-02"},
		{"", "2021-03-23"},
	}
	for _, tc := range tests {
		got, ok := Resolve(tc.sentence, ref)
		if !ok {
			t.Errorf("Resolve(%q) not ok, want %s", tc.sentence, tc.want)
			continue
		}
		if g := got.Format("2006-01-02"); g != tc.want {
			t.Errorf("Resolve(%q) = %s, want %s", tc.sentence, g, tc.want)
		}
	}
}

func TestResolveNoRef(t *testing.T) {
	tests := []struct {
		sentence string
		want     string // "" = not ok
	}{
		{"The accord was signed on March 22, 2020.", "2020-03-22"},
		{"The accord was signed on 2021-03-22.", "2021-03-22"},
		{"The accord was signed on March 22.", ""},
		{"He said Tuesday.", ""},
		{"Yesterday it rained.", ""},
		{"Nothing here.", ""},
	}
	for _, tc := range tests {
		got, ok := Resolve(tc.sentence, time.Time{})
		switch {
		case tc.want == "" && ok:
			t.Errorf("Resolve(%q, zero) = %s, want not ok", tc.sentence, got.Format("2006-01-02"))
		case tc.want != "" && !ok:
			t.Errorf("Resolve(%q, zero) not ok, want %s", tc.sentence, tc.want)
		case tc.want != "" && got.Format("2006-01-02") != tc.want:
			t.Errorf("Resolve(%q, zero) = %s, want %s", tc.sentence, got.Format("2006-01-02"), tc.want)
		}
	}
}

func TestResolveRefTimeOfDay(t *testing.T) {
	loc := time.FixedZone("X", 8*3600)
	ref := time.Date(2021, 3, 23, 23, 30, 0, 0, loc)
	got, ok := Resolve("Officials spoke on Monday.", ref)
	if !ok || !got.Equal(time.Date(2021, 3, 22, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got %v %v, want 2021-03-22 midnight UTC", got, ok)
	}
}

func TestWeekdaysAllOffsets(t *testing.T) {
	ref := day("2021-03-23") // Tuesday
	names := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	for i, n := range names {
		got, ok := Resolve("He spoke on "+n+".", ref)
		if !ok {
			t.Fatalf("%s: not ok", n)
		}
		diff := int(ref.Sub(got).Hours() / 24)
		if diff < 0 || diff > 6 || got.Weekday() != time.Weekday(i) {
			t.Errorf("%s -> %s (%d days back)", n, got.Format("2006-01-02 Mon"), diff)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2021-03-23", "2021-03-23"},
		{"20210323", "2021-03-23"},
		{" 2020-02-29 ", "2020-02-29"},
		{"2021-02-29", ""},
		{"2021-13-01", ""},
		{"2021-04-31", ""},
		{"2021/03/23", ""},
		{"21-03-23", ""},
		{"2021-3-23", ""},
		{"abcdefgh", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, ok := ParseDate(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("ParseDate(%q) = %v, want failure", tc.in, got)
			}
			continue
		}
		if !ok || got.Format("2006-01-02") != tc.want {
			t.Errorf("ParseDate(%q) = %v %v, want %s", tc.in, got, ok, tc.want)
		}
	}
}

func TestMonth(t *testing.T) {
	for in, want := range map[string]time.Month{"March": 3, "mar": 3, "Sept.": 9, "DECEMBER": 12, "May": 5} {
		if got, ok := Month(in); !ok || got != want {
			t.Errorf("Month(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"Marc", "Tuesday", "", "."} {
		if _, ok := Month(in); ok {
			t.Errorf("Month(%q) ok, want not", in)
		}
	}
}

func TestWeekday(t *testing.T) {
	if d, ok := Weekday("TUESDAY"); !ok || d != time.Tuesday {
		t.Errorf("Weekday(TUESDAY) = %v %v", d, ok)
	}
	if _, ok := Weekday("Tues"); ok {
		t.Error("Weekday(Tues) ok, want not")
	}
}

func TestYearFor(t *testing.T) {
	tests := []struct{ ref, md, want string }{
		{"2021-03-23", "03-22", "2021-03-22"},
		{"2021-03-23", "06-20", "2021-06-20"},
		{"2021-03-23", "12-30", "2020-12-30"},
		{"2021-12-20", "01-05", "2022-01-05"},
		{"2020-03-05", "02-29", "2020-02-29"},
		{"2021-03-01", "02-29", ""}, // the nearest Feb 29 is a year away
	}
	for _, tc := range tests {
		m := time.Month(atoi(tc.md[:2]))
		d := atoi(tc.md[3:])
		got, ok := YearFor(m, d, day(tc.ref))
		if tc.want == "" {
			if ok {
				t.Errorf("YearFor(%s, ref %s) = %s, want failure", tc.md, tc.ref, got.Format("2006-01-02"))
			}
			continue
		}
		if !ok || got.Format("2006-01-02") != tc.want {
			t.Errorf("YearFor(%s, ref %s) = %v %v, want %s", tc.md, tc.ref, got.Format("2006-01-02"), ok, tc.want)
		}
	}
}

func TestResolveNoAlloc(t *testing.T) {
	ref := day("2021-03-23")
	s := "Chinese Foreign Minister Wang Yi and Russian counterpart Sergey Lavrov said Tuesday in a joint statement."
	if n := testing.AllocsPerRun(100, func() { Resolve(s, ref) }); n != 0 {
		t.Errorf("Resolve allocates %v times per call", n)
	}
}

func BenchmarkResolve(b *testing.B) {
	ref := day("2021-03-23")
	sentences := []string{
		"Chinese Foreign Minister Wang Yi and Russian counterpart Sergey Lavrov said Tuesday in a joint statement that the domestic affairs of Beijing and Moscow should not be of outside concern.",
		"That came a day after the United States, the European Union, Britain and Canada sanctioned Chinese officials over human rights abuses in Xinjiang.",
		"The two countries also said the U.N. Security Council, on which China and Russia are permanent members, should promote international stability.",
		"The accord was signed on March 22, 2020 in Geneva.",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Resolve(sentences[i%len(sentences)], ref)
	}
}

func FuzzResolve(f *testing.F) {
	f.Add("That came a day after Monday's vote on March 22, 2021.")
	f.Add("2021-03-22 12 days ago the 31st of Feb next Sunday")
	f.Fuzz(func(t *testing.T, s string) {
		ref := day("2021-03-23")
		got, ok := Resolve(s, ref)
		if !ok {
			t.Fatalf("Resolve(%q) not ok with a reference date", s)
		}
		if got.Hour() != 0 || got.Location() != time.UTC {
			t.Fatalf("Resolve(%q) = %v, not midnight UTC", s, got)
		}
		if _, ok := Resolve(s, time.Time{}); ok && got.IsZero() {
			t.Fatalf("Resolve(%q) zero time", s)
		}
	})
}
