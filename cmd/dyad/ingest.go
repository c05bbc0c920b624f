package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dyadproject/dyad/internal/fetch"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/queue"
)

func ingestCmd() *cobra.Command {
	var (
		out, report, date string
		dsn               string
		natsURL           string
		natsRaw           bool
		opt               ingest.Options
		progress          string
		d                 dictFlags
	)
	c := &cobra.Command{
		Use:   "ingest [flags] SOURCE...",
		Short: "read files, folders, globs, stdin, pages, feeds, JSONL and WARC; write documents with their events",
		Long: "A SOURCE is a file, a folder (read recursively), a glob, - (standard input), or an http(s) URL of a\n" +
			"page or a feed. Files may be plain text, HTML (.html/.htm, gzipped too), JSON Lines ({\"id\", \"text\"|\"html\",\n" +
			"\"url\", \"date\"}), WARC/WARC.gz, or RSS/Atom/JSON Feed. Each article is extracted, cleaned, checked for\n" +
			"language and duplicates, and coded; one JSON record per document is written:\n" +
			"{\"document\": {...}, \"status\": \"coded|duplicate|skipped\", \"reason\", \"duplicate_of\", \"events\": [...]}.\n" +
			"With --out, records already in the file are read first and not written again, so re-running adds nothing.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validDateFlag(date); err != nil {
				return err
			}
			if opt.Watch < 0 {
				return fmt.Errorf("--watch %v: must not be negative", opt.Watch)
			}
			cd, err := d.load()
			if err != nil {
				return err
			}
			p := &pipeline.Pipeline{Coder: cd, RefDate: date, Geo: geo.Default()}
			if natsRaw && natsURL == "" {
				return errors.New("--nats-raw needs --nats")
			}
			if natsURL != "" {
				if cmd.Flags().Changed("db") || out != "" {
					return errors.New("--nats: the workers store the documents; drop --db and --out")
				}
				dsn = "" // $DYAD_DB is the workers' business
				// Workers code; here documents are only extracted and cleaned.
				p.Coder, p.Geo = queue.NoCoder(), nil
			}
			opt.Stdin = cmd.InOrStdin()
			opt.Fetch.UserAgent = fetch.UserAgent(version)
			in := ingest.New(p, opt)

			var w io.Writer = cmd.OutOrStdout()
			if dsn != "" && out == "" {
				w = nil // the store takes the records
			}
			if out != "" {
				f, err := ingest.OpenOutput(out, in.Remember)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			errW := cmd.ErrOrStderr()
			rep := &failureLog{w: errW}
			if report != "" {
				f, err := os.Create(report)
				if err != nil {
					return fmt.Errorf("--report %s: %v", report, err)
				}
				defer f.Close()
				rep.file = f
			}
			var jsonl *ingest.JSONLSink
			if w != nil {
				jsonl = ingest.NewJSONLSink(w, rep)
			} else {
				jsonl = ingest.NewJSONLSink(io.Discard, rep)
			}
			cli := &cliSink{JSONLSink: jsonl, log: rep}
			var sink ingest.Sink = cli
			var db *storeSink
			if dsn != "" {
				st, err := openStore(cmd.Context(), dsn)
				if err != nil {
					return err
				}
				defer st.Close()
				batch := 256
				if opt.Watch > 0 {
					batch = 1 // a watched feed's items should reach the store as they come
				}
				// The final flush must run even after an interrupt ended the run.
				db = &storeSink{ctx: context.WithoutCancel(cmd.Context()), st: st, batch: batch, report: cli}
				sink = &teeSink{jsonl: jsonl, db: db, writeJSONL: w != nil}
			}

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if natsURL != "" {
				return publishNATS(ctx, cmd, natsURL, natsRaw, in, args, sink)
			}
			var bar *progressbar.ProgressBar
			if showProgress(progress, errW) {
				bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(errW), progressbar.OptionSpinnerType(14),
					progressbar.OptionSetDescription("documents"), progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish())
				rep.bar = bar
			}
			st, err := in.Run(ctx, args, sink, func(s ingest.Stats) {
				if bar != nil {
					bar.Describe(fmt.Sprintf("%d documents, %d events, %d failed, %.0f docs/s",
						s.Documents, s.Events, s.Failed, float64(s.Documents+s.Unchanged)/s.Elapsed.Seconds()))
					bar.Add(1)
				}
			})
			if bar != nil {
				bar.Finish()
			}
			if db != nil {
				if ferr := db.Flush(); err == nil {
					err = ferr
				}
			}
			if ferr := jsonl.Flush(); err == nil {
				err = ferr
			}
			fmt.Fprintln(errW, summary(st))
			if db != nil {
				fmt.Fprintf(errW, "dyad ingest: store %s: %d new documents, %d already stored, %d mentions, %d new events\n",
					db.st.Backend(), db.stats.Documents, db.stats.Known, db.stats.Mentions, db.stats.NewEvents)
			}
			if err != nil {
				return fmt.Errorf("writing output: %v", err)
			}
			if st.Failed > 0 {
				return errFailed
			}
			return nil
		},
	}
	d.register(c)
	storeDBFlag(c, &dsn)
	f := c.Flags()
	f.StringVarP(&out, "out", "o", "", "append records to FILE.jsonl (read first: documents already there are not written again)")
	f.StringVar(&report, "report", "", "write every failed or skipped source, with its reason, to FILE as JSON Lines")
	f.StringVar(&date, "date", "", "reference date YYYY-MM-DD for documents that state none")
	f.BoolVar(&opt.Follow, "follow", false, "fetch the page behind each feed item (default: code the item's own text)")
	f.DurationVar(&opt.Watch, "watch", 0, "poll feed sources at this interval, taking only new items, until interrupted")
	f.BoolVar(&opt.Fetch.AllowPrivate, "allow-private", false, "allow fetching from loopback and private addresses")
	f.DurationVar(&opt.Fetch.HostDelay, "host-delay", time.Second, "least time between two requests to one host")
	f.DurationVar(&opt.Fetch.Timeout, "timeout", 30*time.Second, "time limit for one request, body included")
	f.Int64Var(&opt.MaxBytes, "max-bytes", 16<<20, "largest page, file or record read")
	f.IntVar(&opt.Workers, "workers", 0, "documents prepared in parallel (0: one per CPU, at least 8 when fetching)")
	f.StringSliceVar(&opt.Langs, "lang", nil, "ISO 639-3 languages to code (default eng); others are recorded as skipped")
	f.StringVar(&natsURL, "nats", "", "publish documents to the NATS JetStream stream DYAD_DOCS for dyad worker, instead of coding them")
	f.BoolVar(&natsRaw, "nats-raw", false, "with --nats, publish articles as read (files, JSON Lines, stdin), leaving extraction to the workers")
	f.StringVar(&progress, "progress", "auto", "progress bar on standard error: auto (when a terminal), always or never")
	return c
}

func showProgress(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func summary(s ingest.Stats) string {
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Documents+s.Unchanged) / s.Elapsed.Seconds()
	}
	return fmt.Sprintf("dyad ingest: %d documents (%d coded, %d duplicates, %d skipped), %d unchanged, %d failed, %d events in %.1fs (%.0f documents/s)",
		s.Documents, s.Coded, s.Duplicates, s.Skipped, s.Unchanged, s.Failed, s.Events, s.Elapsed.Seconds(), rate)
}

// failureLog prints each failure as one line on standard error and, with
// --report, writes the JSON report; it sits under the JSONL sink's report.
type failureLog struct {
	w    io.Writer
	file io.Writer
	bar  *progressbar.ProgressBar
}

func (l *failureLog) Write(b []byte) (int, error) {
	if l.file == nil {
		return len(b), nil
	}
	return l.file.Write(b)
}

type cliSink struct {
	*ingest.JSONLSink
	log *failureLog
}

func (s *cliSink) Failure(f ingest.Failure) error {
	if f.Status == "failed" {
		if s.log.bar != nil {
			s.log.bar.Clear()
		}
		fmt.Fprintln(s.log.w, "dyad ingest:", f.Reason)
	}
	return s.JSONLSink.Failure(f)
}

var _ ingest.Sink = (*cliSink)(nil)

// teeSink sends records to the store and, with --out, to the JSONL file;
// failures go to the store and the report once.
type teeSink struct {
	jsonl      *ingest.JSONLSink
	db         *storeSink
	writeJSONL bool
}

func (t *teeSink) Record(r model.Record) error {
	if t.writeJSONL {
		if err := t.jsonl.Record(r); err != nil {
			return err
		}
	}
	return t.db.Record(r)
}

func (t *teeSink) Failure(f ingest.Failure) error { return t.db.Failure(f) }
