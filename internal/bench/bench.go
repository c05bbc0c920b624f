// Package bench measures dyad's throughput on a corpus: articles and sentences
// per second on one core, from raw text and from clean text, with peak memory.
// `dyad bench` prints it; the Go benchmarks beside each package measure the
// same hot paths in isolation.
package bench

import (
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/textproc"
)

// LoadCorpus reads every .txt file under dir, in path order.
func LoadCorpus(dir string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") && !strings.EqualFold(d.Name(), "README.TXT") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var docs []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		docs = append(docs, string(b))
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: no .txt files", dir)
	}
	return docs, nil
}

// Generate writes n wire-style articles from templates, for machines without
// the BBC corpus. The seed makes it deterministic.
func Generate(n int, seed int64) []string {
	r := rand.New(rand.NewSource(seed))
	actors := []string{"China", "Russia", "the United States", "the European Union", "Britain", "Canada", "Iran", "Israel",
		"Chinese Foreign Minister Wang Yi", "Russian President Vladimir Putin", "NATO", "the United Nations", "Turkish troops",
		"Palestinian protesters", "the Iraqi government", "Indian police", "Syrian rebels", "Japan", "Germany", "France"}
	verbs := []string{"accused %s of interference", "imposed sanctions on %s", "met %s in Geneva", "called on %s to resume talks",
		"condemned %s", "praised %s for its restraint", "signed an agreement with %s", "threatened %s with retaliation",
		"rejected the proposal from %s", "expelled diplomats from %s", "agreed to cooperate with %s", "attacked %s",
		"urged %s to release the prisoners", "hosted %s for talks", "denied allegations by %s", "arrested supporters of %s"}
	filler := []string{"Officials said the talks would continue next week.", "The statement gave no further details.",
		"Markets in the region were calm on the news.", "Analysts said the move was expected."}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	docs := make([]string, n)
	for i := range docs {
		var b strings.Builder
		b.WriteString("Leaders trade words as tensions rise\n\n")
		for k := 0; k < 8+r.Intn(8); k++ {
			a, t := actors[r.Intn(len(actors))], actors[r.Intn(len(actors))]
			s := fmt.Sprintf("%s "+verbs[r.Intn(len(verbs))]+" on %s.", a, t, days[r.Intn(len(days))])
			b.WriteString(strings.ToUpper(s[:1]) + s[1:] + " ")
			if r.Intn(3) == 0 {
				b.WriteString(filler[r.Intn(len(filler))])
			}
			b.WriteString("\n\n")
		}
		docs[i] = b.String()
	}
	return docs
}

// Result is one benchmark run.
type Result struct {
	Corpus         string  `json:"corpus"`
	Articles       int     `json:"articles"`
	Sentences      int     `json:"sentences"`
	Events         int     `json:"events"`
	Runs           int     `json:"runs"`
	CodeSentPerSec float64 `json:"code_sentences_per_cpu_second"` // median, clean text → events, one core
	FullArtPerSec  float64 `json:"full_articles_per_cpu_second"`  // median, raw text → clean → events
	FullSentPerSec float64 `json:"full_sentences_per_cpu_second"`
	PeakRSSMiB     float64 `json:"peak_rss_mib"`
}

// Run codes docs runs times on one goroutine and reports medians.
func Run(cd *coder.Coder, name string, docs []string, runs int) Result {
	if runs < 1 {
		runs = 1
	}
	res := Result{Corpus: name, Articles: len(docs), Runs: runs}
	cleaned := make([]model.Document, len(docs))
	for i, d := range docs {
		c := clean.Clean(d, clean.Options{})
		cleaned[i] = model.Document{ID: fmt.Sprint(i), Text: c.Text, Date: "2005-03-01"}
		res.Sentences += len(textproc.Split(c.Text))
	}
	var codeT, fullT []float64
	for r := 0; r < runs; r++ {
		runtime.GC()
		start := time.Now()
		ev := 0
		for i := range cleaned {
			ev += len(cd.Code(cleaned[i]))
		}
		codeT = append(codeT, time.Since(start).Seconds())
		res.Events = ev
		start = time.Now()
		for i, d := range docs {
			c := clean.Clean(d, clean.Options{})
			cd.Code(model.Document{ID: fmt.Sprint(i), Text: c.Text, Date: "2005-03-01"})
		}
		fullT = append(fullT, time.Since(start).Seconds())
	}
	mc, mf := median(codeT), median(fullT)
	res.CodeSentPerSec = float64(res.Sentences) / mc
	res.FullArtPerSec = float64(res.Articles) / mf
	res.FullSentPerSec = float64(res.Sentences) / mf
	res.PeakRSSMiB = PeakRSSMiB()
	return res
}

func median(xs []float64) float64 {
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// PeakRSSMiB reads the process's high-water resident set size (Linux); 0
// elsewhere.
func PeakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
