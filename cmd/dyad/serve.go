package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dyadproject/dyad/examples/demo"
	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/store"
	"github.com/dyadproject/dyad/internal/web"
)

func serveCmd() *cobra.Command {
	var (
		dsn, addr, token string
		protect          bool
		cacheMB          int
		d                dictFlags
	)
	c := &cobra.Command{
		Use:   "serve --db DSN [--addr 127.0.0.1:8080]",
		Short: "serve the store as a JSON API and a dashboard (overview, dyads, network, map, evidence)",
		Long: "Serves the store's events as a JSON API under /api/ (see internal/web/API.md) and as a dashboard.\n" +
			"Reads are open unless --protect-reads; POST /api/ingest needs the bearer token (--token or $DYAD_TOKEN)\n" +
			"and is refused when none is set. Everything the pages load is embedded: no other host is contacted.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv("DYAD_TOKEN")
			}
			st, err := openStore(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			cd, err := d.load()
			if err != nil {
				return err
			}
			p := &pipeline.Pipeline{Coder: cd, Geo: geo.Default()}
			return serve(cmd.Context(), cmd.ErrOrStderr(), addr, web.Config{Store: st, Pipeline: p, Token: token, ProtectReads: protect,
				CacheBytes: cacheBytes(cacheMB)}, false)
		},
	}
	d.register(c)
	storeDBFlag(c, &dsn)
	f := c.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&token, "token", "", "bearer token for POST /api/ingest (and for reads with --protect-reads); default $DYAD_TOKEN")
	f.BoolVar(&protect, "protect-reads", false, "require the token for every page and API call, not only ingest")
	f.IntVar(&cacheMB, "cache-mb", web.DefaultCacheBytes>>20, "MiB of API answers kept until the store changes (0: no cache)")
	return c
}

func cacheBytes(mb int) int64 {
	if mb <= 0 {
		return -1
	}
	return int64(mb) << 20
}

func demoCmd() *cobra.Command {
	var (
		addr  string
		check bool
	)
	c := &cobra.Command{
		Use:   "demo [--addr 127.0.0.1:8080] [--check]",
		Short: "ingest the bundled sample corpus into a temporary store and serve the dashboard",
		Long: "Codes the 50 sample wire stories of examples/demo (embedded in the binary) into a temporary SQLite\n" +
			"store and serves the dashboard, printing its URL. The store is removed on exit. With --check, the\n" +
			"server is started, / and /api/stats are fetched once, and dyad exits: 0 when both answered.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			errW := cmd.ErrOrStderr()
			dir, err := os.MkdirTemp("", "dyad-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			st, err := store.Open(cmd.Context(), filepath.Join(dir, "demo.db"))
			if err != nil {
				return err
			}
			defer st.Close()
			cd, err := (&dictFlags{}).load()
			if err != nil {
				return err
			}
			p := &pipeline.Pipeline{Coder: cd, Geo: geo.Default()}
			t0 := time.Now()
			ps, err := loadDemo(cmd.Context(), p, st, dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(errW, "dyad demo: coded %d sample articles into %d events in %.1fs\n", ps.Documents, ps.NewEvents, time.Since(t0).Seconds())
			if check && !cmd.Flags().Changed("addr") {
				addr = "127.0.0.1:0"
			}
			return serve(cmd.Context(), errW, addr, web.Config{Store: st, Pipeline: p}, check)
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	c.Flags().BoolVar(&check, "check", false, "start, fetch / and /api/stats once, and exit (for CI)")
	return c
}

type demoSink struct {
	recs  []model.Record
	fails []string
}

func (s *demoSink) Record(r model.Record) error { s.recs = append(s.recs, r); return nil }
func (s *demoSink) Failure(f ingest.Failure) error {
	if f.Status == "failed" {
		s.fails = append(s.fails, f.Reason)
	}
	return nil
}

// loadDemo ingests the embedded corpus as dyad ingest would read its file.
func loadDemo(ctx context.Context, p *pipeline.Pipeline, st store.Store, dir string) (store.PutStats, error) {
	name := filepath.Join(dir, "articles.jsonl")
	if err := os.WriteFile(name, demo.Articles, 0o600); err != nil {
		return store.PutStats{}, err
	}
	sink := &demoSink{}
	if _, err := ingest.New(p, ingest.Options{}).Run(ctx, []string{name}, sink, nil); err != nil {
		return store.PutStats{}, err
	}
	if len(sink.fails) > 0 {
		return store.PutStats{}, fmt.Errorf("demo corpus: %s", strings.Join(sink.fails, "; "))
	}
	return st.Put(ctx, sink.recs)
}

// serve listens on addr until interrupted; with check it fetches / and
// /api/stats once and returns.
func serve(ctx context.Context, errW io.Writer, addr string, cfg web.Config, check bool) error {
	cfg.Log = log.New(errW, "dyad serve: ", log.LstdFlags)
	h, err := web.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %v", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10, ErrorLog: cfg.Log}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/"
	if check {
		err := checkServer(url)
		srv.Close()
		if err != nil {
			return fmt.Errorf("demo check: %v", err)
		}
		fmt.Fprintf(errW, "dyad demo: %s answered / and /api/stats\n", url)
		return nil
	}
	fmt.Fprintf(errW, "dyad: serving on %s (Ctrl-C to stop)\n", url)
	if cfg.Token == "" {
		fmt.Fprintln(errW, "dyad: no token set: POST /api/ingest is refused")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func checkServer(base string) error {
	cl := &http.Client{Timeout: 30 * time.Second}
	for _, p := range []string{"", "api/stats"} {
		resp, err := cl.Get(base + p)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET /%s: %s", p, resp.Status)
		}
		if p == "api/stats" && !strings.Contains(string(b), `"events":`) {
			return fmt.Errorf("GET /api/stats: unexpected answer %.200s", b)
		}
	}
	return nil
}
