package aeb

import (
	"runtime"
	"sync"
	"time"
)

// Extractor returns a page's article body.
type Extractor func(html []byte, url string) (string, error)

// Result is one page's extraction.
type Result struct {
	ID   string
	Body string
	Err  error
}

// Run is one extractor's pass over the benchmark.
type Run struct {
	Results []Result      // in b.Pages order
	Wall    time.Duration // time spent extracting, loading excluded
	CPU     time.Duration // process CPU time over the same span; 0 where unknown
	Workers int
}

// Predictions returns the bodies by page ID, failed pages left out.
func (r *Run) Predictions() map[string]string {
	m := make(map[string]string, len(r.Results))
	for _, res := range r.Results {
		if res.Err == nil {
			m[res.ID] = res.Body
		}
	}
	return m
}

// Failures returns the results that failed, in page order.
func (r *Run) Failures() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Err != nil {
			out = append(out, res)
		}
	}
	return out
}

// Run loads every page, then extracts them with fn on workers goroutines
// (GOMAXPROCS when workers < 1). A page that cannot be loaded counts as a
// failure of that page.
func (b *Bench) Run(fn Extractor, workers int) *Run {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	run := &Run{Results: make([]Result, len(b.Pages)), Workers: workers}
	pages := make([][]byte, len(b.Pages))
	for i, p := range b.Pages {
		run.Results[i].ID = p.ID
		pages[i], run.Results[i].Err = b.HTML(p.ID)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), CPUTime()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res := &run.Results[i]
				if res.Err != nil {
					continue
				}
				res.Body, res.Err = fn(pages[i], b.Pages[i].URL)
			}
		}()
	}
	for i := range pages {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	run.Wall = time.Since(start)
	if cpu0 > 0 {
		run.CPU = CPUTime() - cpu0
	}
	return run
}
