package geo_test

import (
	"os"
	"testing"

	"github.com/dyadproject/dyad/internal/bench"
	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/textproc"
)

const bbc = "../../../shared/corpora/bbc-news-2225"

// corpus is the BBC corpus when ../shared has it, else generated articles.
func corpus(b *testing.B) ([]string, int) {
	b.Helper()
	var docs []string
	if _, err := os.Stat(bbc); err == nil {
		if docs, err = bench.LoadCorpus(bbc); err != nil {
			b.Fatal(err)
		}
	} else {
		b.Logf("BBC corpus not present (%s): using 2000 generated articles", bbc)
		docs = bench.Generate(2000, 1)
	}
	sents := 0
	for _, d := range docs {
		sents += len(textproc.Split(clean.Clean(d, clean.Options{}).Text))
	}
	return docs, sents
}

// BenchmarkPipeline codes the corpus through the full pipeline without and
// with geolocation; ns/sentence of the two sub-benchmarks give the overhead.
// The gazetteer is loaded before timing (its load time is BenchmarkLoad's).
func BenchmarkPipeline(b *testing.B) {
	cd, err := coder.Load(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := geo.Default().Err(); err != nil {
		b.Fatal(err)
	}
	docs, sents := corpus(b)
	for _, c := range []struct {
		name string
		g    *geo.Gazetteer
	}{{"geo=off", nil}, {"geo=on", geo.Default()}} {
		b.Run(c.name, func(b *testing.B) {
			p := &pipeline.Pipeline{Coder: cd, RefDate: "2005-01-01", Geo: c.g}
			located := 0
			for b.Loop() {
				located = 0
				for _, d := range docs {
					for _, e := range p.Process(pipeline.Article{Text: d}).Events {
						if e.Location != nil {
							located++
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(sents), "ns/sentence")
			b.ReportMetric(float64(located), "located")
		})
	}
}

// BenchmarkLocate times geolocation alone on coded documents.
func BenchmarkLocate(b *testing.B) {
	cd, err := coder.Load(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	g := geo.Default()
	if err := g.Err(); err != nil {
		b.Fatal(err)
	}
	docs, sents := corpus(b)
	type coded struct {
		doc model.Document
		evs []model.Event
	}
	var cs []coded
	for _, d := range docs {
		r := (&pipeline.Pipeline{Coder: cd}).Process(pipeline.Article{Text: d})
		cs = append(cs, coded{r.Doc, r.Events})
	}
	for b.Loop() {
		for _, c := range cs {
			if err := g.Locate(c.doc, c.evs); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(sents), "ns/sentence")
}
