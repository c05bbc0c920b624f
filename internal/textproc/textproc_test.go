package textproc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func words(ts []Token) string {
	var b []string
	for _, t := range ts {
		b = append(b, t.Lower)
	}
	return strings.Join(b, " ")
}

func TestTokenize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"The U.S. and U.N. met.", "the u.s. and u.n. met ."},
		{"Russia's foreign minister didn't go", "russia 's foreign minister did n't go"},
		{"Russia’s cease-fire, O'Brien said.", "russia 's cease-fire , o'brien said ."},
		{"Mr. Wang said: \"No.\"", "mr. wang said : \" no . \""},
		{"It cost $5.5 million -- a lot", "it cost $ 5.5 million -- a lot"},
		{"countries' leaders", "countries ' leaders"},
	}
	for _, c := range cases {
		if got := words(Tokenize(c.in)); got != c.want {
			t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestOffsetsAreRunes(t *testing.T) {
	text := "Élysée said «no» to Türkiye’s plan."
	rs := []rune(text)
	for _, tk := range Tokenize(text) {
		if string(rs[tk.Start:tk.End]) != tk.Text {
			t.Errorf("token %q at %d:%d reads %q", tk.Text, tk.Start, tk.End, string(rs[tk.Start:tk.End]))
		}
	}
}

func TestSplit(t *testing.T) {
	text := "Mr. Smith went to Washington. He met the U.S. president on Monday. \"It was good,\" he said.\nA new paragraph without a stop\nAnother"
	ss := Split(text)
	var got []string
	rs := []rune(text)
	for _, s := range ss {
		got = append(got, string(rs[s.Start:s.End]))
	}
	want := []string{"Mr. Smith went to Washington.", "He met the U.S. president on Monday.", "\"It was good,\" he said.", "A new paragraph without a stop", "Another"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Split:\n got %q\nwant %q", got, want)
	}
}

func FuzzTokenize(f *testing.F) {
	f.Add("The U.S. didn't say's. \"Quote.\" Élysée\n\nnext")
	f.Add("\xff\xfe'’'s n't")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := utf8.RuneCountInString(s)
		prev := 0
		for _, tk := range Tokenize(s) {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > n {
				t.Fatalf("bad span %d:%d (prev %d, n %d) for %q", tk.Start, tk.End, prev, n, tk.Text)
			}
			prev = tk.End
		}
		Split(s)
	})
}

func BenchmarkSplit(b *testing.B) {
	text := strings.Repeat("Chinese Foreign Minister Wang Yi and Russian counterpart Sergey Lavrov said Tuesday in a joint statement that the domestic affairs of Beijing and Moscow should not be of outside concern. ", 50)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		Split(text)
	}
}
