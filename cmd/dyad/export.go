package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dyadproject/dyad/internal/export"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/store"
	"github.com/spf13/cobra"
)

// exportFormats are the formats dyad export writes: the event formats of
// internal/export, and GDELT's Mentions table.
var exportFormats = []string{"gdelt", "mentions", "plover", "csv", "geojson", "parquet"}

func exportCmd() *cobra.Command {
	var (
		dsn, format, out string
		header           bool
		ff               filterFlags
	)
	c := &cobra.Command{
		Use:   "export --db DSN --format gdelt|mentions|plover|csv|geojson|parquet [filters] [-o FILE]",
		Short: "write stored events as GDELT 2.0 Events or Mentions, PLOVER JSON Lines, CSV, GeoJSON or Parquet",
		Long: "Streams the events the filters select (all by default), by date then id, with their\n" +
			"mention, source and article counts, GLOBALEVENTID, DATEADDED, SOURCEURL and best evidence.\n" +
			"--format mentions writes one GDELT Mentions row per report of each event.\n" +
			"Actor codes match as prefixes, as in dyad query.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format = strings.ToLower(strings.TrimSpace(format))
			if !contains(exportFormats, format) {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(exportFormats, ", "))
			}
			f, err := ff.filter()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			st, err := openStore(ctx, dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			if out == "" || out == "-" {
				bw := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
				n, err := runExport(ctx, st, f, format, header, bw)
				if err == nil {
					err = bw.Flush()
				}
				if err != nil {
					return err
				}
				return exportSummary(cmd, n, format, "")
			}
			n, err := exportToFile(ctx, st, f, format, header, out)
			if err != nil {
				return err
			}
			return exportSummary(cmd, n, format, out)
		},
	}
	storeDBFlag(c, &dsn)
	fl := c.Flags()
	fl.StringVar(&format, "format", "gdelt", "gdelt, mentions, plover, csv, geojson or parquet")
	fl.BoolVar(&header, "header", false, "gdelt, mentions: write the column names first (GDELT files have none)")
	fl.StringVarP(&out, "output", "o", "", "write to FILE instead of standard output (replaced only when the export succeeds)")
	ff.register(c)
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// exportToFile writes into a temporary file beside path and renames it over
// path at the end, so a failed export leaves no half-written file behind.
func exportToFile(ctx context.Context, st store.Store, f store.Filter, format string, header bool, path string) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("-o %s: %v", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	n, err := runExport(ctx, st, f, format, header, bw)
	if err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("-o %s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("-o %s: %v", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("-o %s: %v", path, err)
	}
	done = true
	return n, nil
}

func exportSummary(cmd *cobra.Command, n int, format, path string) error {
	what := "events"
	if format == "mentions" {
		what = "mentions"
	}
	to := ""
	if path != "" {
		to = " to " + path
	}
	_, err := fmt.Fprintf(cmd.ErrOrStderr(), "export: %d %s as %s%s\n", n, what, format, to)
	return err
}

// runExport streams the selected events, or their mentions, into w and
// returns how many rows it wrote.
func runExport(ctx context.Context, st store.Store, f store.Filter, format string, header bool, w io.Writer) (int, error) {
	opt := export.Options{Header: header}
	n := 0
	if format == "mentions" {
		mw := export.NewMentions(w, opt)
		err := store.ExportMentions(ctx, st, f, func(m *store.ExportMention) error {
			when := m.DocAdded
			if t, ok := parseDay(m.DocDate); ok {
				when = t
			}
			doc := exportDoc(m)
			x := export.MentionFromModel(m.EventID, m.Event, doc, m.EventAdded, when)
			x.DocLen = m.DocLen
			if err := mw.Write(x); err != nil {
				return err
			}
			n++
			return nil
		})
		if cerr := mw.Close(); err == nil {
			err = cerr
		}
		return n, err
	}
	ew, err := export.New(format, w, opt)
	if err != nil {
		return 0, err
	}
	err = store.ExportEvents(ctx, st, f, func(e *store.ExportEvent) error {
		x := export.FromModel(e.ID, e.Event, e.DateAdded, e.SourceURL)
		x.NumMentions, x.NumSources, x.NumArticles = e.NumMentions, e.NumSources, e.NumArticles
		if err := ew.Write(x); err != nil {
			return err
		}
		n++
		return nil
	})
	if cerr := ew.Close(); err == nil {
		err = cerr
	}
	if c, ok := ew.(export.Counter); ok && err == nil {
		n -= c.Skipped()
	}
	if errors.Is(err, context.Canceled) {
		return n, errors.New("export: interrupted")
	}
	return n, err
}

// exportDoc is the part of the reporting document a GDELT mention shows; a
// document with no outlet is named by its URL's host.
func exportDoc(m *store.ExportMention) model.Document {
	d := model.Document{ID: m.DocID, URL: m.URL, Outlet: m.Outlet}
	if d.Outlet == "" {
		if u, err := url.Parse(m.URL); err == nil {
			d.Outlet = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
	}
	return d
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}
