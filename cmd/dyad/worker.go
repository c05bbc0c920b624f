package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dyadproject/dyad/internal/geo"
	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/queue"
)

func workerCmd() *cobra.Command {
	var (
		natsURL, dsn, health, date, name string
		opt                              queue.Options
		d                                dictFlags
	)
	c := &cobra.Command{
		Use:   "worker --nats URL --db DSN",
		Short: "code documents from the NATS JetStream work queue into the store (scale-out with dyad ingest --nats)",
		Long: "Fetches batches of documents that dyad ingest --nats published to the DYAD_DOCS stream, codes them,\n" +
			"stores each batch in one transaction and acknowledges it only after the commit; any number of workers\n" +
			"on any number of machines share the work. A document that fails --max-deliver times is parked, with its\n" +
			"error, in the DYAD_DLQ stream. SIGTERM or SIGINT finishes the batch in hand, then exits.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if natsURL == "" {
				return errors.New("--nats: give the NATS server URL (nats://host:4222)")
			}
			if err := validDateFlag(date); err != nil {
				return err
			}
			if opt.Batch < 1 || opt.Batch > 10000 {
				return fmt.Errorf("--batch %d: want 1 to 10000", opt.Batch)
			}
			if opt.MaxDeliver < 1 || opt.MaxDeliver > 100 {
				return fmt.Errorf("--max-deliver %d: want 1 to 100", opt.MaxDeliver)
			}
			if opt.AckWait < time.Second {
				return fmt.Errorf("--ack-wait %v: want at least 1s", opt.AckWait)
			}
			if opt.MaxAckPending < opt.Batch {
				return fmt.Errorf("--max-ack-pending %d: must be at least --batch (%d)", opt.MaxAckPending, opt.Batch)
			}
			var ln net.Listener
			if health != "" {
				var err error
				if ln, err = net.Listen("tcp", health); err != nil {
					return fmt.Errorf("--health %s: %v", health, err)
				}
			}
			cd, err := d.load()
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			st, err := openStore(ctx, dsn)
			if err != nil {
				return err
			}
			defer st.Close()
			nc, js, err := queue.Connect(natsURL, name)
			if err != nil {
				return err
			}
			defer nc.Close()
			p := &pipeline.Pipeline{Coder: cd, RefDate: date, Geo: geo.Default()}
			w := queue.NewWorker(nc, js, st, p, opt)
			if ln != nil {
				srv := &http.Server{Handler: w.Metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
				go srv.Serve(ln)
				defer srv.Close()
			}
			errW := cmd.ErrOrStderr()
			fmt.Fprintf(errW, "dyad worker: consuming %s from %s into %s store\n", queue.Stream, natsURL, st.Backend())
			t0 := time.Now()
			err = w.Run(ctx)
			docs, events, errs, dead := w.Metrics.Counts()
			el := time.Since(t0).Seconds()
			fmt.Fprintf(errW, "dyad worker: %d documents, %d events, %d errors, %d dead letters in %.1fs (%.0f documents/s)\n",
				docs, events, errs, dead, el, float64(docs)/max(el, 1e-9))
			if err != nil && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("worker: %v", err)
			}
			return nil
		},
	}
	d.register(c)
	storeDBFlag(c, &dsn)
	f := c.Flags()
	f.StringVar(&natsURL, "nats", os.Getenv("DYAD_NATS"), "NATS server URL(s), comma-separated (default $DYAD_NATS)")
	f.StringVar(&health, "health", "", "serve /healthz and /metrics on this address (e.g. 127.0.0.1:9090)")
	f.StringVar(&date, "date", "", "reference date YYYY-MM-DD for documents that state none")
	f.StringVar(&name, "name", "dyad worker", "client name shown by the NATS server")
	f.IntVar(&opt.Batch, "batch", 64, "documents fetched, coded and committed in one transaction")
	f.IntVar(&opt.MaxDeliver, "max-deliver", 5, "deliveries of a failing document before it goes to the DYAD_DLQ stream")
	f.DurationVar(&opt.AckWait, "ack-wait", 60*time.Second, "time a fetched batch is held before NATS hands it to another worker")
	f.IntVar(&opt.MaxAckPending, "max-ack-pending", 4096, "documents in flight across all workers (back-pressure)")
	f.BoolVar(&opt.Exit, "exit-when-empty", false, "exit once the stream holds nothing (backfills)")
	return c
}

// publishNATS is dyad ingest --nats: documents go to the work stream, for
// dyad worker to code and store.
func publishNATS(ctx context.Context, cmd *cobra.Command, url string, raw bool, in *ingest.Ingester, args []string, next ingest.Sink) error {
	nc, js, err := queue.Connect(url, "dyad ingest")
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := queue.Setup(ctx, js, queue.StreamOptions{}); err != nil {
		return fmt.Errorf("nats %s: %v", url, err)
	}
	pub := queue.NewPublisher(js)
	errW := cmd.ErrOrStderr()
	failed := 0
	if raw {
		// Flush must be able to finish after an interrupt.
		_, err = queue.PublishRaw(context.WithoutCancel(ctx), pub, args, cmd.InOrStdin(), func(e error) {
			failed++
			next.Failure(ingest.Failure{Source: "", Status: "failed", Reason: e.Error()})
		})
		if ctx.Err() != nil && err == nil {
			err = ctx.Err()
		}
	} else {
		var st ingest.Stats
		st, err = in.Run(ctx, args, &queue.Sink{Ctx: context.WithoutCancel(ctx), Pub: pub, Next: next}, nil)
		if ferr := pub.Flush(context.WithoutCancel(ctx)); err == nil {
			err = ferr
		}
		failed = st.Failed
	}
	fmt.Fprintf(errW, "dyad ingest: published %d documents to %s (%d already there), %d failed\n",
		pub.Published, queue.Stream, pub.Deduplicated, failed)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("publishing: %v", err)
	}
	if failed > 0 {
		return errFailed
	}
	return nil
}
