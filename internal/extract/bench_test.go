package extract_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/dyadproject/dyad/internal/extract"
	"github.com/dyadproject/dyad/internal/extract/aeb"
)

const benchDir = "../../../shared/extraction/scrapinghub-aeb"

type benchPage struct {
	url  string
	html []byte
}

func loadAEB(b *testing.B) []benchPage {
	b.Helper()
	if _, err := os.Stat(benchDir); err != nil {
		b.Skipf("benchmark not present at %s: %v", benchDir, err)
	}
	bench, err := aeb.Load(benchDir)
	if err != nil {
		b.Fatal(err)
	}
	pages := make([]benchPage, 0, len(bench.Pages))
	for _, p := range bench.Pages {
		h, err := bench.HTML(p.ID)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, benchPage{p.URL, h})
	}
	return pages
}

// BenchmarkExtractAEB extracts every benchmark page once per iteration;
// run it with -cpu 1 for pages per CPU-second.
func BenchmarkExtractAEB(b *testing.B) {
	pages := loadAEB(b)
	var size int64
	for _, p := range pages {
		size += int64(len(p.html))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	cpu0 := aeb.CPUTime()
	for b.Loop() {
		for _, p := range pages {
			extract.Extract(p.html, p.url)
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(n/b.Elapsed().Seconds(), "pages/s")
	// Wall time counts other processes' load on a shared machine; CPU time
	// is the figure to compare (with -cpu 1, pages per CPU-second).
	if cpu := aeb.CPUTime() - cpu0; cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "pages/cpu-s")
	}
}

// BenchmarkTrafilaturaPlain is the yardstick: go-trafilatura as its own
// benchmark entry calls it (html.Parse, then ExtractDocument with default
// options), without the fallback extractors. Compare its pages/cpu-s with
// BenchmarkExtractAEB's from the same run, not across runs.
func BenchmarkTrafilaturaPlain(b *testing.B) {
	pages := loadAEB(b)
	b.ReportAllocs()
	cpu0 := aeb.CPUTime()
	for b.Loop() {
		for _, p := range pages {
			doc, err := html.Parse(bytes.NewReader(p.html))
			if err != nil {
				continue
			}
			trafilatura.ExtractDocument(doc, trafilatura.Options{})
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(n/b.Elapsed().Seconds(), "pages/s")
	if cpu := aeb.CPUTime() - cpu0; cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "pages/cpu-s")
	}
}
