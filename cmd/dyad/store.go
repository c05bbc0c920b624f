package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/store"
	"github.com/spf13/cobra"
)

// storeCmds are the commands that read and write the event store.
func storeCmds() []*cobra.Command {
	st := &cobra.Command{
		Use:   "store",
		Short: "load and inspect the event store (SQLite file or PostgreSQL)",
	}
	st.AddCommand(storeImportCmd(), storeStatsCmd())
	return []*cobra.Command{st, queryCmd()}
}

// storeDBFlag registers --db, which defaults to $DYAD_DB.
func storeDBFlag(c *cobra.Command, dsn *string) {
	c.Flags().StringVar(dsn, "db", os.Getenv("DYAD_DB"), "the store: a SQLite file path, or a postgres:// URL (default $DYAD_DB)")
}

func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if dsn == "" {
		return nil, errors.New("no store given: use --db FILE or --db postgres://..., or set DYAD_DB")
	}
	return store.Open(ctx, dsn)
}

// maxImportLine bounds one JSON line of an import, so a corrupt file cannot
// exhaust memory.
const maxImportLine = 64 << 20

func storeImportCmd() *cobra.Command {
	var dsn string
	var window, batch int
	c := &cobra.Command{
		Use:   "import --db DSN FILE.jsonl...",
		Short: "load ingest records, `dyad code` events or ingest failure reports into the store",
		Long: "Each line of each FILE (- for standard input) is one of: an ingest record\n" +
			"({\"document\":..., \"status\":..., \"events\":[...]}), an event as `dyad code` prints it\n" +
			"(lines with the same doc_id must be together: they become one document), or a failure\n" +
			"({\"source\":..., \"reason\":...}). Importing the same lines again adds nothing.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if batch < 1 {
				return fmt.Errorf("--batch %d: want at least 1", batch)
			}
			if dsn == "" {
				return errors.New("no store given: use --db FILE or --db postgres://..., or set DYAD_DB")
			}
			s, err := store.OpenWith(ctx, dsn, store.Options{Window: window})
			if err != nil {
				return err
			}
			defer s.Close()
			im := &importer{ctx: ctx, s: s, errW: cmd.ErrOrStderr(), batch: batch, seen: map[uint64]bool{}}
			for _, path := range args {
				if err := im.file(path, cmd.InOrStdin()); err != nil {
					return err
				}
			}
			if err := im.flush(); err != nil {
				return err
			}
			t := im.total
			fmt.Fprintf(cmd.OutOrStdout(), "imported %d documents (%d already stored, %d duplicates, %d skipped), %d mentions, %d new events, %d failures\n",
				t.Documents, t.Known, t.Duplicates, t.Skipped, t.Mentions, t.NewEvents, im.failures)
			if im.failed {
				return errFailed
			}
			return nil
		},
	}
	storeDBFlag(c, &dsn)
	c.Flags().IntVar(&window, "dedup-window", 0, fmt.Sprintf("days that reports of one event may span, for a new store (default %d)", store.DefaultWindow))
	c.Flags().IntVar(&batch, "batch", 1000, "events per transaction")
	return c
}

type importer struct {
	ctx      context.Context
	s        store.Store
	errW     io.Writer
	batch    int
	recs     []model.Record
	events   int
	fails    []store.Failure
	total    store.PutStats
	failures int
	failed   bool
	seen     map[uint64]bool // documents already read from events, by ID hash
	// The document being assembled from consecutive event lines.
	cur     *model.Record
	curAt   string
	curPath string
}

func (im *importer) warn(format string, a ...any) {
	fmt.Fprintf(im.errW, "dyad: "+format+"\n", a...)
	im.failed = true
}

func docIDHash(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

func (im *importer) file(path string, stdin io.Reader) error {
	var r io.Reader
	name := path
	if path == "-" {
		r, name = stdin, "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			im.warn("%s: %v", path, errors.Unwrap(err))
			return nil
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			im.warn("%s: is a directory", path)
			return nil
		}
		r = f
	}
	br := bufio.NewReaderSize(r, 1<<20)
	for n := 1; ; n++ {
		line, err := readImportLine(br)
		if len(line) > 0 || errors.Is(err, errImportLongLine) {
			at := fmt.Sprintf("%s:%d", name, n)
			if errors.Is(err, errImportLongLine) {
				im.warn("%s: line longer than %d MiB", at, maxImportLine>>20)
			} else if err := im.line(at, name, line); err != nil {
				return err
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, errImportLongLine) {
			im.warn("%s: %v", name, err)
			break
		}
		if im.ctx.Err() != nil {
			return fmt.Errorf("interrupted at %s:%d", name, n)
		}
	}
	return im.endDoc()
}

var errImportLongLine = errors.New("line too long")

// readImportLine reads one line without its newline, refusing (and skipping) lines
// longer than maxImportLine.
func readImportLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > maxImportLine {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, errImportLongLine
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSpace(buf), err
	}
}

func (im *importer) line(at, name string, line []byte) error {
	var probe struct {
		Document json.RawMessage `json:"document"`
		DocID    *string         `json:"doc_id"`
		CAMEO    *string         `json:"cameo"`
		Source   json.RawMessage `json:"source"`
		Reason   *string         `json:"reason"`
	}
	if err := json.Unmarshal(line, &probe); err != nil {
		im.warn("%s: malformed JSON: %v", at, err)
		return nil
	}
	switch {
	case probe.Document != nil:
		if err := im.endDoc(); err != nil {
			return err
		}
		var r model.Record
		if err := json.Unmarshal(line, &r); err != nil {
			im.warn("%s: malformed ingest record: %v", at, err)
			return nil
		}
		return im.add(at, r)
	case probe.DocID != nil && probe.CAMEO != nil:
		var e model.Event
		if err := json.Unmarshal(line, &e); err != nil {
			im.warn("%s: malformed event: %v", at, err)
			return nil
		}
		if e.DocID == "" {
			im.warn("%s: event has no doc_id", at)
			return nil
		}
		if im.cur != nil && im.cur.Document.ID == e.DocID {
			im.cur.Events = append(im.cur.Events, e)
			return nil
		}
		if err := im.endDoc(); err != nil {
			return err
		}
		if h := docIDHash(e.DocID); im.seen[h] {
			im.warn("%s: events of document %q are not on consecutive lines; these ones are left out", at, e.DocID)
			return nil
		} else {
			im.seen[h] = true
		}
		im.cur = &model.Record{Document: model.Document{ID: e.DocID, Date: e.Date, Source: name}, Status: model.StatusCoded, Events: []model.Event{e}}
		im.curAt = at
		return nil
	case probe.Source != nil && probe.Reason != nil:
		var f store.Failure
		if err := json.Unmarshal(line, &f); err != nil {
			im.warn("%s: malformed failure: %v", at, err)
			return nil
		}
		if f.Source == "" {
			im.warn("%s: failure has no source", at)
			return nil
		}
		im.fails = append(im.fails, f)
		return nil
	}
	im.warn("%s: neither an ingest record, an event nor a failure report", at)
	return nil
}

// endDoc queues the document assembled from event lines.
func (im *importer) endDoc() error {
	if im.cur == nil {
		return nil
	}
	r, at := *im.cur, im.curAt
	im.cur = nil
	return im.add(at, r)
}

func (im *importer) add(at string, r model.Record) error {
	if err := store.Validate(&r); err != nil {
		im.warn("%s: %v", at, err)
		return nil
	}
	im.recs = append(im.recs, r)
	im.events += len(r.Events)
	if im.events >= im.batch || len(im.recs) >= im.batch {
		return im.flush()
	}
	return nil
}

func (im *importer) flush() error {
	if len(im.recs) > 0 {
		st, err := im.s.Put(im.ctx, im.recs)
		if err != nil {
			return err
		}
		im.total.Add(st)
		im.recs, im.events = im.recs[:0], 0
	}
	if len(im.fails) > 0 {
		n, err := im.s.PutFailures(im.ctx, im.fails)
		if err != nil {
			return err
		}
		im.failures += n
		im.fails = im.fails[:0]
	}
	return nil
}

func storeStatsCmd() *cobra.Command {
	var dsn, format string
	c := &cobra.Command{
		Use:   "stats --db DSN",
		Short: "summarise what the store holds",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkQueryFormat(format); err != nil {
				return err
			}
			s, err := openStore(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer s.Close()
			st, err := s.Stats(context.Background())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeQueryJSON(cmd.OutOrStdout(), st)
			}
			rows := [][]string{
				{"backend", st.Backend}, {"schema version", qItoa(st.SchemaVersion)}, {"dedup window (days)", qItoa(st.Window)},
				{"documents", qI64(st.Documents)},
			}
			var statuses []string
			for k := range st.ByStatus {
				statuses = append(statuses, k)
			}
			sort.Strings(statuses)
			for _, k := range statuses {
				rows = append(rows, []string{"  " + k, qI64(st.ByStatus[k])})
			}
			rows = append(rows, [][]string{
				{"sources (outlets)", qI64(st.Sources)}, {"events", qI64(st.Events)}, {"mentions", qI64(st.Mentions)},
				{"actors", qI64(st.Actors)}, {"failures", qI64(st.Failures)},
				{"first event", st.FirstDate}, {"last event", st.LastDate},
			}...)
			return writeTable(cmd.OutOrStdout(), format, []string{"what", "count"}, rows)
		},
	}
	storeDBFlag(c, &dsn)
	c.Flags().StringVar(&format, "format", "table", "output: table, csv or json")
	return c
}

func qItoa(n int) string      { return strconv.Itoa(n) }
func qI64(n int64) string     { return strconv.FormatInt(n, 10) }
func qFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func checkQueryFormat(f string) error {
	switch f {
	case "table", "csv", "json":
		return nil
	}
	return fmt.Errorf("--format %q: want table, csv or json", f)
}

func writeQueryJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeTable prints rows as an aligned table or as CSV.
func writeTable(w io.Writer, format string, header []string, rows [][]string) error {
	if format == "csv" {
		cw := csv.NewWriter(w)
		cw.Write(header)
		cw.WriteAll(rows)
		return cw.Error()
	}
	oneLine := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	up := make([]string, len(header))
	for i, h := range header {
		up[i] = strings.ToUpper(h)
	}
	fmt.Fprintln(tw, strings.Join(up, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = oneLine.Replace(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

func queryCmd() *cobra.Command {
	var (
		dsn, format, interval string
		ff                    filterFlags
		limit, offset         int
	)
	c := &cobra.Command{
		Use:   "query [events|series|roots|quads|actors|dyads] --db DSN [filters]",
		Short: "list events with their evidence, or count them: time series, root codes, quad classes, top actors and dyads",
		Long: "Views:\n" +
			"  events  events with their best evidence sentence (the default; --limit, --offset)\n" +
			"  series  events per --interval; with --source and --target (or --dyad A,B) and --both, one series per direction\n" +
			"  roots   events per --interval and CAMEO root code\n" +
			"  quads   events per --interval and quad class\n" +
			"  actors  the actors in the most events (--limit)\n" +
			"  dyads   the source→target pairs with the most events (--limit)\n" +
			"Actor codes match as prefixes: USA matches USA, USAGOV, USAMIL, ...",
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: []string{"events", "series", "roots", "quads", "actors", "dyads"},
		RunE: func(cmd *cobra.Command, args []string) error {
			view := "events"
			if len(args) == 1 {
				view = args[0]
			}
			if err := checkQueryFormat(format); err != nil {
				return err
			}
			iv, err := store.ParseInterval(interval)
			if err != nil {
				return fmt.Errorf("--interval: %v", err)
			}
			f, err := ff.filter()
			if err != nil {
				return err
			}
			lim := limit
			if !cmd.Flags().Changed("limit") && (view == "actors" || view == "dyads") {
				lim = 20
			}
			ctx := context.Background()
			s, err := openStore(ctx, dsn)
			if err != nil {
				return err
			}
			defer s.Close()
			w := cmd.OutOrStdout()
			var header []string
			var rows [][]string
			var data any
			switch view {
			case "events":
				evs, err := s.Events(ctx, f, lim, offset)
				if err != nil {
					return err
				}
				data = evs
				if format == "table" {
					header = []string{"id", "date", "source", "target", "cameo", "quad", "goldstein", "mentions", "sources", "articles", "outlet", "evidence"}
				} else {
					header = []string{"id", "date", "source", "source_name", "target", "target_name", "cameo", "cameo_name", "quad_class", "goldstein",
						"plover", "plover_mode", "negated", "num_mentions", "num_sources", "num_articles", "confidence", "location_country", "location",
						"doc_id", "url", "outlet", "trigger", "sentence"}
				}
				for _, e := range evs {
					if format == "table" {
						rows = append(rows, []string{qI64(e.ID), e.Date, e.Source, e.Target, e.CAMEO, qItoa(e.QuadClass), qFloat(e.Goldstein),
							qItoa(e.NumMentions), qItoa(e.NumSources), qItoa(e.NumArticles), e.Outlet, qClip(e.Sentence, 100)})
						continue
					}
					rows = append(rows, []string{qI64(e.ID), e.Date, e.Source, e.SourceName, e.Target, e.TargetName, e.CAMEO, e.CAMEOName,
						qItoa(e.QuadClass), qFloat(e.Goldstein), e.PLOVER, e.PLOVERMode, strconv.FormatBool(e.Negated), qItoa(e.NumMentions),
						qItoa(e.NumSources), qItoa(e.NumArticles), qFloat(e.Confidence), e.Country, e.Place, e.DocID, e.URL, e.Outlet, e.Trigger, e.Sentence})
				}
			case "series":
				ss, err := s.Series(ctx, f, iv)
				if err != nil {
					return err
				}
				data = ss
				header = []string{"period", "direction", "events", "mentions", "goldstein_sum", "goldstein_mean"}
				for _, r := range ss {
					rows = append(rows, []string{r.Period, r.Direction, qI64(r.Events), qI64(r.Mentions), qFloat(r.GoldsteinSum), qFloat(r.GoldsteinMean)})
				}
			case "roots", "quads":
				by := store.ByRoot
				if view == "quads" {
					by = store.ByQuad
				}
				bs, err := s.Breakdown(ctx, f, by, iv)
				if err != nil {
					return err
				}
				data = bs
				header = []string{"period", strings.TrimSuffix(view, "s"), "events", "goldstein_sum", "goldstein_mean"}
				for _, r := range bs {
					rows = append(rows, []string{r.Period, r.Key, qI64(r.Events), qFloat(r.GoldsteinSum), qFloat(r.GoldsteinMean)})
				}
			case "actors":
				as, err := s.TopActors(ctx, f, lim)
				if err != nil {
					return err
				}
				data = as
				header = []string{"code", "name", "events", "as_source", "as_target"}
				for _, r := range as {
					rows = append(rows, []string{r.Code, r.Name, qI64(r.Events), qI64(r.AsSource), qI64(r.AsTarget)})
				}
			case "dyads":
				ds, err := s.TopDyads(ctx, f, lim)
				if err != nil {
					return err
				}
				data = ds
				header = []string{"source", "target", "events", "mentions", "goldstein_mean"}
				for _, r := range ds {
					rows = append(rows, []string{r.Source, r.Target, qI64(r.Events), qI64(r.Mentions), qFloat(r.GoldsteinMean)})
				}
			default:
				return fmt.Errorf("query %q: want events, series, roots, quads, actors or dyads", view)
			}
			if format == "json" {
				if nilRows(data) {
					data = []struct{}{}
				}
				return writeQueryJSON(w, data)
			}
			return writeTable(w, format, header, rows)
		},
	}
	storeDBFlag(c, &dsn)
	fl := c.Flags()
	ff.register(c)
	fl.StringVar(&interval, "interval", "month", "series, roots, quads: day, week, month, year or none")
	fl.IntVar(&limit, "limit", 100, "events: rows to list (0: all); actors, dyads: how many (default 20)")
	fl.IntVar(&offset, "offset", 0, "events: rows to skip")
	fl.StringVar(&format, "format", "table", "output: table, csv or json")
	return c
}

// qClip shortens s to n runes for a table cell.
func qClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// nilRows reports a nil slice, so JSON prints [] rather than null.
func nilRows(v any) bool {
	switch x := v.(type) {
	case []store.EventRow:
		return x == nil
	case []store.SeriesRow:
		return x == nil
	case []store.BreakdownRow:
		return x == nil
	case []store.ActorRow:
		return x == nil
	case []store.DyadRow:
		return x == nil
	}
	return false
}

// filterFlags are the event filters dyad query and dyad export share.
type filterFlags struct {
	f    store.Filter
	dyad string
}

func (ff *filterFlags) register(c *cobra.Command) {
	fl, f := c.Flags(), &ff.f
	fl.StringVar(&f.Actor, "actor", "", "events with this actor on either side")
	fl.StringVar(&f.Source, "source", "", "events with this source actor")
	fl.StringVar(&f.Target, "target", "", "events with this target actor")
	fl.StringVar(&ff.dyad, "dyad", "", "SOURCE,TARGET: the same as --source SOURCE --target TARGET")
	fl.BoolVar(&f.BothDirections, "both", false, "with a source and a target: either direction")
	fl.StringVar(&f.CAMEO, "cameo", "", "CAMEO code or its prefix (19 is the root, 193 a code and its children)")
	fl.StringVar(&f.Root, "root", "", "CAMEO root code, two digits")
	fl.IntVar(&f.QuadClass, "quad", 0, "quad class, 1 to 4")
	fl.StringVar(&f.PLOVER, "plover", "", "PLOVER category, e.g. ACCUSE")
	fl.StringVar(&f.From, "from", "", "first date, YYYY-MM-DD")
	fl.StringVar(&f.To, "to", "", "last date, YYYY-MM-DD")
	fl.StringVar(&f.Country, "country", "", "country code of the event's location")
	fl.StringVar(&f.Text, "text", "", "words that must all occur in an evidence sentence")
}

// filter is the filter the flags give, --dyad split into source and target.
func (ff *filterFlags) filter() (store.Filter, error) {
	f := ff.f
	if ff.dyad != "" {
		a, b, ok := strings.Cut(ff.dyad, ",")
		if !ok || a == "" || b == "" {
			return f, fmt.Errorf("--dyad %q: want SOURCE,TARGET", ff.dyad)
		}
		f.Source, f.Target = a, b
	}
	return f, nil
}
