package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/bench"
	"github.com/dyadproject/dyad/internal/queue/queuetest"
	"github.com/dyadproject/dyad/internal/store"
)

// runWorker runs `dyad worker` in-process (it is registered by the root
// command's owner; here it runs on its own).
func runWorker(t *testing.T, args ...string) (string, error) {
	t.Helper()
	c := workerCmd()
	var errb bytes.Buffer
	c.SetArgs(args)
	c.SetOut(&errb)
	c.SetErr(&errb)
	c.SetContext(context.Background())
	err := c.Execute()
	return errb.String(), err
}

// ingest --nats then worker stores what ingest --db stores; --nats-raw too.
func TestIngestNATSWorker(t *testing.T) {
	var b strings.Builder
	for i, s := range bench.Generate(40, 3) {
		fmt.Fprintf(&b, "{\"id\":\"w%03d\",\"text\":%q,\"date\":\"2024-05-%02d\"}\n", i, s, 1+i%9)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	direct := filepath.Join(dir, "direct.db")
	if _, stderr, err := dyad(t, "", "ingest", "--progress", "never", "--db", direct, src); err != nil {
		t.Fatalf("ingest --db: %v\n%s", err, stderr)
	}
	want := storeStats(t, direct)
	if want.Events == 0 {
		t.Fatal("the direct run stored no events")
	}
	for _, raw := range []bool{false, true} {
		t.Run(fmt.Sprintf("raw=%v", raw), func(t *testing.T) {
			nu := queuetest.Server(t)
			args := []string{"ingest", "--progress", "never", "--nats", nu, src}
			if raw {
				args = append(args, "--nats-raw")
			}
			_, stderr, err := dyad(t, "", args...)
			if err != nil || !strings.Contains(stderr, "published 40 documents") {
				t.Fatalf("ingest --nats: %v\n%s", err, stderr)
			}
			db := filepath.Join(t.TempDir(), "w.db")
			out, err := runWorker(t, "--nats", nu, "--db", db, "--exit-when-empty", "--batch", "16")
			if err != nil || !strings.Contains(out, "40 documents") {
				t.Fatalf("worker: %v\n%s", err, out)
			}
			got := storeStats(t, db)
			if got.Documents != want.Documents || got.Events != want.Events || got.Mentions != want.Mentions || got.Actors != want.Actors {
				t.Errorf("worker store: %+v\nwant (ingest --db): %+v", got, want)
			}
		})
	}
}

func storeStats(t *testing.T, dsn string) store.Stats {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWorkerBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", db}, "--nats: give the NATS server URL"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--db", db, "--batch", "0"}, "--batch 0"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--db", db, "--max-deliver", "0"}, "--max-deliver 0"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--db", db, "--ack-wait", "10ms"}, "--ack-wait 10ms"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--db", db, "--date", "May"}, `--date "May"`},
		{[]string{"--nats", "nats://127.0.0.1:1", "--db", db}, "nats nats://127.0.0.1:1"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--db", db, "--health", "256.0.0.1:1"}, "--health 256.0.0.1:1"},
	} {
		t.Setenv("DYAD_DB", "")
		out, err := runWorker(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("worker %v: %v, want %q\n%s", tc.args, err, tc.want, out)
		}
	}
	if _, stderr, err := dyad(t, "", "ingest", "--nats-raw", "x.txt"); err == nil || !strings.Contains(err.Error(), "--nats-raw needs --nats") {
		t.Errorf("ingest --nats-raw without --nats: %v\n%s", err, stderr)
	}
	if _, _, err := dyad(t, "", "ingest", "--nats", "nats://127.0.0.1:1", "--db", db, "x.txt"); err == nil || !strings.Contains(err.Error(), "drop --db") {
		t.Errorf("ingest --nats --db: %v", err)
	}
}
