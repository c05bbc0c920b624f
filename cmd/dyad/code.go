package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dyadproject/dyad/internal/clean"
	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/reader"
	"github.com/spf13/cobra"
)

type dictFlags struct {
	actors, patterns []string
}

func (d *dictFlags) register(c *cobra.Command) {
	c.Flags().StringArrayVar(&d.actors, "actors", nil, "extra actor dictionary FILE (code<TAB>names, or names<TAB>code<TAB>start<TAB>end<TAB>role); repeatable")
	c.Flags().StringArrayVar(&d.patterns, "patterns", nil, "extra event pattern FILE in verbs.txt format; repeatable")
}

func (d *dictFlags) load() (*coder.Coder, error) {
	open := func(paths []string) ([]dict.NamedReader, func(), error) {
		var rs []dict.NamedReader
		var fs []*os.File
		done := func() {
			for _, f := range fs {
				f.Close()
			}
		}
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				done()
				return nil, nil, fmt.Errorf("%s: %v", p, err)
			}
			fs = append(fs, f)
			rs = append(rs, dict.NamedReader{Name: p, R: f})
		}
		return rs, done, nil
	}
	ar, adone, err := open(d.actors)
	if err != nil {
		return nil, err
	}
	defer adone()
	pr, pdone, err := open(d.patterns)
	if err != nil {
		return nil, err
	}
	defer pdone()
	return coder.Load(ar, pr)
}

func validDateFlag(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return fmt.Errorf("--date %q is not YYYY-MM-DD", s)
	}
	return nil
}

func cleanCmd() *cobra.Command {
	var asJSON bool
	var date string
	c := &cobra.Command{
		Use:   "clean [--json] FILE|-",
		Short: "print the cleaned article text: boilerplate and repeated captions removed, dateline parsed",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validDateFlag(date); err != nil {
				return err
			}
			var ref time.Time
			if date != "" {
				ref, _ = time.Parse("2006-01-02", date)
			}
			failed := false
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			reader.Read(args[0], false, cmd.InOrStdin(), func(it reader.Item) {
				if it.Err != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), "dyad clean:", it.Err)
					failed = true
					return
				}
				if it.Warn != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), "dyad clean:", it.Warn)
					failed = true
				}
				r := clean.Clean(it.Article.Text, clean.Options{RefDate: ref})
				if asJSON {
					enc := json.NewEncoder(w)
					enc.SetEscapeHTML(false)
					enc.SetIndent("", "  ")
					enc.Encode(r)
					return
				}
				fmt.Fprintln(w, r.Text)
			})
			if failed {
				return errFailed
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print {title, dateline, text, paragraphs, removed} as JSON")
	c.Flags().StringVar(&date, "date", "", "reference date YYYY-MM-DD for a dateline without a year")
	return c
}

func codeCmd() *cobra.Command {
	var (
		date, format, input string
		workers             int
		d                   dictFlags
	)
	c := &cobra.Command{
		Use:   "code [FILE|-]...",
		Short: "code articles into events, one JSON object (or TSV row) per event",
		Long: "Each plain-text FILE is one article; a FILE ending in .jsonl (or any input with --input jsonl)\n" +
			"holds one article per line as {\"id\", \"text\", \"date\"?, \"url\"?}. With no FILE, standard input is read.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validDateFlag(date); err != nil {
				return err
			}
			if format != "jsonl" && format != "tsv" {
				return fmt.Errorf("--format %q: want jsonl or tsv", format)
			}
			if input != "text" && input != "jsonl" {
				return fmt.Errorf("--input %q: want text or jsonl", input)
			}
			if len(args) == 0 {
				args = []string{"-"}
			}
			go geo.Default().Err() // load the gazetteer beside the dictionaries
			cd, err := d.load()
			if err != nil {
				return err
			}
			p := &pipeline.Pipeline{Coder: cd, RefDate: date, Geo: geo.Default()}
			w := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<16)
			defer w.Flush()
			emit := eventWriter(w, format)
			failed := run(p, args, input == "jsonl", cmd.InOrStdin(), cmd.ErrOrStderr(), workers, func(r pipeline.Result) {
				for i := range r.Events {
					emit(&r.Events[i])
				}
			})
			if failed {
				return errFailed
			}
			return nil
		},
	}
	d.register(c)
	c.Flags().StringVar(&date, "date", "", "reference date YYYY-MM-DD when the text gives no year")
	c.Flags().StringVar(&format, "format", "jsonl", "output format: jsonl or tsv")
	c.Flags().StringVar(&input, "input", "text", "input format for files not ending in .jsonl: text or jsonl")
	c.Flags().IntVar(&workers, "workers", runtime.GOMAXPROCS(0), "articles coded in parallel (output order stays the input order)")
	return c
}

// run reads every input and codes its articles on workers, calling out in
// input order; errors are printed one per line. It reports whether any failed.
func run(p *pipeline.Pipeline, paths []string, asJSONL bool, stdin io.Reader, errW io.Writer, workers int, out func(pipeline.Result)) bool {
	if workers < 1 {
		workers = 1
	}
	type job struct {
		a   pipeline.Article
		res chan pipeline.Result
	}
	jobs := make(chan job, workers*2)
	order := make(chan chan pipeline.Result, workers*4)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.res <- safeProcess(p, j.a, errW)
			}
		}()
	}
	failed := false
	done := make(chan struct{})
	go func() {
		for ch := range order {
			r := <-ch
			if r.Doc.ID == "" && r.Events == nil && r.Clean.Text == "" {
				continue
			}
			out(r)
		}
		close(done)
	}()
	for _, path := range paths {
		reader.Read(path, asJSONL, stdin, func(it reader.Item) {
			if it.Err != nil {
				fmt.Fprintln(errW, "dyad:", it.Err)
				failed = true
				return
			}
			if it.Warn != nil {
				fmt.Fprintln(errW, "dyad:", it.Warn)
				failed = true
			}
			if it.HTML != "" {
				fmt.Fprintf(errW, "dyad: %s: has \"html\" but no \"text\"; dyad ingest extracts HTML\n", nameOf(it.Article))
				failed = true
				return
			}
			ch := make(chan pipeline.Result, 1)
			order <- ch
			jobs <- job{it.Article, ch}
		})
	}
	close(jobs)
	close(order)
	wg.Wait()
	<-done
	return failed || panicked.Load()
}

var panicked atomic.Bool

// safeProcess turns a panic in one article into an error line, so one bad
// document never takes the others down.
func safeProcess(p *pipeline.Pipeline, a pipeline.Article, errW io.Writer) (r pipeline.Result) {
	defer func() {
		if e := recover(); e != nil {
			fmt.Fprintf(errW, "dyad: %s: internal error while coding: %v\n", nameOf(a), e)
			panicked.Store(true)
			r = pipeline.Result{}
		}
	}()
	return p.Process(a)
}

func nameOf(a pipeline.Article) string {
	if a.ID != "" {
		return a.ID
	}
	return pipeline.ContentID(a.Text)
}

// eventWriter encodes events as JSON Lines or TSV.
func eventWriter(w io.Writer, format string) func(*model.Event) {
	if format == "tsv" {
		fmt.Fprintln(w, strings.Join(tsvHeader, "\t"))
		return func(e *model.Event) {
			fmt.Fprintln(w, strings.Join(tsvRow(e), "\t"))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return func(e *model.Event) { enc.Encode(e) }
}

var tsvHeader = []string{"doc_id", "event_id", "date", "source", "source_text", "target", "target_text", "cameo", "cameo_name",
	"quad_class", "goldstein", "plover", "plover_mode", "negated", "confidence", "trigger", "rule", "sentence",
	"location", "location_country", "lat", "lon"}

func tsvRow(e *model.Event) []string {
	code := func(a *model.Actor) (string, string) {
		if a == nil {
			return "", ""
		}
		return a.Code, a.Text
	}
	sc, st := code(e.Source)
	tc, tt := code(e.Target)
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }
	loc, lc, lat, lon := "", "", "", ""
	if l := e.Location; l != nil {
		loc, lc = clean(l.Name), l.Country
		lat, lon = strconv.FormatFloat(l.Lat, 'f', 4, 64), strconv.FormatFloat(l.Lon, 'f', 4, 64)
	}
	return []string{e.DocID, e.EventID, e.Date, sc, clean(st), tc, clean(tt), e.CAMEO, e.CAMEOName,
		strconv.Itoa(e.QuadClass), strconv.FormatFloat(e.Goldstein, 'f', 1, 64), e.PLOVER, e.PLOVERMode,
		strconv.FormatBool(e.Negated), strconv.FormatFloat(e.Confidence, 'f', 2, 64), clean(e.Trigger.Text), clean(e.Rule), clean(e.Sentence.Text),
		loc, lc, lat, lon}
}
