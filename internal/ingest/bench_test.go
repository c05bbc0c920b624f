package ingest

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/extract"
)

func aebPages(b *testing.B) [][]byte {
	files, _ := filepath.Glob("../../../shared/extraction/scrapinghub-aeb/html/*.html.gz")
	if len(files) == 0 {
		b.Skip("../shared/extraction/scrapinghub-aeb absent")
	}
	var pages [][]byte
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(fh)
		if err != nil {
			b.Fatal(err)
		}
		p, err := io.ReadAll(zr)
		fh.Close()
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
	}
	return pages
}

// BenchmarkPageToText is extraction and clean-up; BenchmarkPageToEvents is the whole
// pipeline from a page to its coded record. Run with -cpu 1 for per-core rates.
func BenchmarkPageToText(b *testing.B) {
	pages := aebPages(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := extract.Extract(pages[i%len(pages)], ""); err == nil {
			clean.Clean(p.Title+"\n\n"+p.Text, clean.Options{})
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkPageToEvents(b *testing.B) {
	pages := aebPages(b)
	in := New(newPipeline(b), Options{})
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		rec, _ := in.Page("p", "", pages[i%len(pages)])
		events += len(rec.Events)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/page")
}
