package queue

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/queue/queuetest"
)

// TestScale measures documents per second with 1, 2 and 4 worker processes
// sharing one stream and one store. It is a measurement, not a check: run it
// with DYAD_SCALE_BENCH=1 (and DYAD_TEST_POSTGRES for PostgreSQL), -v.
func TestScale(t *testing.T) {
	if os.Getenv("DYAD_SCALE_BENCH") == "" {
		t.Skip("DYAD_SCALE_BENCH=1 runs the throughput measurement")
	}
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("DYAD_SCALE_DOCS")); err == nil && v > 0 {
		n = v
	}
	arts := corpus(n)
	re := regexp.MustCompile(`BENCH docs=(\d+) commits=(\d+) commit_seconds=([\d.]+)`)
	for _, k := range []int{1, 2, 4} {
		nu := queuetest.Server(t)
		dsn := testDSN(t)
		st := openStore(t, dsn)
		dir := t.TempDir()
		type child struct {
			done chan error
			out  fmt.Stringer
			kill func()
		}
		var cs []child
		for i := range k {
			marker := filepath.Join(dir, strconv.Itoa(i))
			cmd, done, out := startChild(t, nu, dsn, "bench|"+marker)
			cs = append(cs, child{done, out, func() { cmd.Process.Signal(syscall.SIGTERM) }})
			for {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		t0 := time.Now()
		publish(t, nu, arts)
		pubDone := time.Since(t0)
		for storedDocs(t, st) < int64(n) {
			time.Sleep(20 * time.Millisecond)
		}
		el := time.Since(t0)
		var commits, docs int
		var csec float64
		for _, c := range cs {
			c.kill()
			if err := <-c.done; err != nil {
				t.Fatalf("worker: %v\n%s", err, c.out)
			}
			m := re.FindStringSubmatch(c.out.String())
			if m == nil {
				t.Fatalf("no BENCH line:\n%s", c.out)
			}
			d, _ := strconv.Atoi(m[1])
			cm, _ := strconv.Atoi(m[2])
			s, _ := strconv.ParseFloat(m[3], 64)
			docs, commits, csec = docs+d, commits+cm, csec+s
		}
		t.Logf("%s, %d worker processes: %d docs in %.2fs = %.0f docs/s (publish took %.2fs); %d commits, mean commit %.1f ms, store busy %.0f%% of wall time per worker, store write rate %.0f docs/s of commit time",
			st.Backend(), k, n, el.Seconds(), float64(n)/el.Seconds(), pubDone.Seconds(), commits,
			1000*csec/float64(max(commits, 1)), 100*csec/float64(k)/el.Seconds(), float64(docs)/max(csec, 1e-9))
	}
}
