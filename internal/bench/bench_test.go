package bench

import (
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/textproc"
)

const bbc = "../../../shared/corpora/bbc-news-2225/politics"

func corpus(tb testing.TB) []string {
	docs, err := LoadCorpus(bbc)
	if err != nil {
		tb.Logf("BBC corpus not present (%v): using a generated corpus", err)
		return Generate(400, 1)
	}
	return docs
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(5, 42), Generate(5, 42)
	if strings.Join(a, "|") != strings.Join(b, "|") {
		t.Error("same seed, different corpus")
	}
	if len(a) != 5 || !strings.Contains(a[0], ".") {
		t.Errorf("unexpected corpus: %q", a[0])
	}
}

func TestRunCountsEvents(t *testing.T) {
	cd, err := coder.Load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := Run(cd, "gen", Generate(20, 3), 1)
	if r.Articles != 20 || r.Sentences == 0 || r.Events == 0 || r.CodeSentPerSec <= 0 {
		t.Errorf("implausible result %+v", r)
	}
}

// BenchmarkCode: clean text → events, reported per sentence.
func BenchmarkCode(b *testing.B) {
	cd, err := coder.Load(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	raw := corpus(b)
	docs := make([]model.Document, len(raw))
	sents := 0
	for i, d := range raw {
		c := clean.Clean(d, clean.Options{})
		docs[i] = model.Document{ID: "d", Text: c.Text, Date: "2005-03-01"}
		sents += len(textproc.Split(c.Text))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			cd.Code(d)
		}
	}
	b.ReportMetric(float64(sents*b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkPipeline: raw article → clean → events, reported per article.
func BenchmarkPipeline(b *testing.B) {
	cd, err := coder.Load(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	raw := corpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range raw {
			c := clean.Clean(d, clean.Options{})
			cd.Code(model.Document{ID: "d", Text: c.Text, Date: "2005-03-01"})
		}
	}
	b.ReportMetric(float64(len(raw)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
