package aeb

import (
	"fmt"
	"io"
	"sort"
)

// Row is one tool's line of the report.
type Row struct {
	Tool string `json:"tool"`
	Scores
}

// Failure is a page the extractor could not handle.
type Failure struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

// Report sets an extractor's scores beside the reference tools'.
type Report struct {
	Row        Row       `json:"dyad"`
	References []Row     `json:"references"` // best F1 first
	Workers    int       `json:"workers"`
	Seconds    float64   `json:"seconds"`              // wall time extracting
	PagesPerS  float64   `json:"pages_per_second"`     // wall
	PagesPerCS float64   `json:"pages_per_cpu_second"` // 0 where CPU time is unknown
	Failures   []Failure `json:"failures"`
}

// NewReport scores run under the name tool and sets it beside refs.
func NewReport(b *Bench, tool string, run *Run, refs []Reference) Report {
	r := Report{
		Row:        Row{Tool: tool, Scores: b.Score(run.Predictions())},
		References: []Row{},
		Workers:    run.Workers,
		Seconds:    run.Wall.Seconds(),
		Failures:   []Failure{},
	}
	n := float64(len(run.Results))
	if run.Wall > 0 {
		r.PagesPerS = n / run.Wall.Seconds()
	}
	if run.CPU > 0 {
		r.PagesPerCS = n / run.CPU.Seconds()
	}
	for _, ref := range refs {
		r.References = append(r.References, Row{Tool: ref.Name, Scores: b.Score(ref.Bodies)})
	}
	sort.SliceStable(r.References, func(i, j int) bool { return r.References[i].F1 > r.References[j].F1 })
	for _, f := range run.Failures() {
		r.Failures = append(r.Failures, Failure{ID: f.ID, Error: f.Err.Error()})
	}
	return r
}

// WriteText writes the report as a table, then the speed, then one line per
// failed page.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%-16s %9s %7s %6s %8s %6s\n", "tool", "precision", "recall", "F1", "accuracy", "pages")
	for _, row := range append([]Row{r.Row}, r.References...) {
		fmt.Fprintf(w, "%-16s %9.3f %7.3f %6.3f %8.3f %6d\n", row.Tool, row.Precision, row.Recall, row.F1, row.Accuracy, row.Pages)
	}
	fmt.Fprintf(w, "\n%s: %d pages in %.2f s, workers: %d: %.1f pages/s", r.Row.Tool, r.Row.Pages, r.Seconds, r.Workers, r.PagesPerS)
	if r.PagesPerCS > 0 {
		fmt.Fprintf(w, ", %.1f pages per CPU-second", r.PagesPerCS)
	}
	fmt.Fprintf(w, "\nfailures: %d\n", len(r.Failures))
	for _, f := range r.Failures {
		fmt.Fprintf(w, "failed %s: %s\n", f.ID, f.Error)
	}
}
