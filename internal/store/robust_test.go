package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dyadproject/dyad/internal/model"
)

// The kill test's child: it ingests the test stream in batches of
// $DYAD_KILL_BATCH into $DYAD_KILL_DSN, and is killed at random by its parent.
func TestKillChild(t *testing.T) {
	dsn := os.Getenv("DYAD_KILL_DSN")
	if dsn == "" {
		t.Skip("run by TestKillRestart")
	}
	batch, _ := strconv.Atoi(os.Getenv("DYAD_KILL_BATCH"))
	s, err := Open(bg, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := killStream()
	for i := 0; i < len(recs); i += batch {
		if _, err := s.Put(bg, recs[i:min(len(recs), i+batch)]); err != nil {
			t.Fatal(err)
		}
	}
}

func killStream() []model.Record { return newGen(31).records(2500, 0.1, 0.02) }

// A run killed with SIGKILL at random points and restarted, several times,
// ends with exactly what one clean run stores.
func TestKillRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		clean := mustOpen(t, dsn(t))
		recs := killStream()
		for i := 0; i < len(recs); i += 100 {
			mustPut(t, clean, recs[i:min(len(recs), i+100)]...)
		}
		want := snapshot(t, clean)

		target := dsn(t)
		rng := rand.New(rand.NewSource(time.Now().UnixNano()))
		run := func(kill time.Duration) (killed bool) {
			batch := 20 + rng.Intn(200) // batch boundaries differ from run to run
			cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "DYAD_KILL_DSN="+target, "DYAD_KILL_BATCH="+strconv.Itoa(batch))
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			if kill == 0 {
				if err := <-done; err != nil {
					t.Fatalf("final run: %v\n%s", err, out.String())
				}
				return false
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("child failed before the kill: %v\n%s", err, out.String())
				}
				return false
			case <-time.After(kill):
				cmd.Process.Kill() // SIGKILL
				<-done
				return true
			}
		}
		// Kill points are spread over the time a whole run takes (a child
		// also has to start up); each restart re-reads what is stored and
		// goes further.
		t0 := time.Now()
		run(0)
		whole := time.Since(t0)
		target = dsn(t)
		kills, runs := 0, 0
		var at []string
		span := whole
		for ; runs < 12 && kills < 5; runs++ {
			d := span/10 + time.Duration(rng.Int63n(int64(span)*4/10))
			if !run(d) {
				span /= 2 // finished first: what is left is quicker, so kill sooner
				continue
			}
			kills++
			st, err := mustOpen(t, target).Stats(bg)
			if err != nil {
				t.Fatal(err)
			}
			at = append(at, fmt.Sprintf("%v: %d documents", d.Round(time.Millisecond), st.Documents))
		}
		run(0)
		t.Logf("a whole run takes %v; killed %d of %d runs (%s), then ran to the end", whole.Round(time.Millisecond), kills, runs, strings.Join(at, ", "))
		if kills == 0 {
			t.Error("no run was killed before it finished")
		}
		s := mustOpen(t, target)
		checkInvariants(t, s)
		diffSnapshots(t, "killed and restarted", want, snapshot(t, s))
	})
}

// copyExecutable puts the test binary where an unprivileged child can run it.
func copyExecutable(t *testing.T, dir string) string {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	p := filepath.Join(dir, "store.test")
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return p
}

// TestReadOnlyChild opens $DYAD_RO_DSN and tries to write it; it prints what
// happened for TestReadOnly.
func TestReadOnlyChild(t *testing.T) {
	dsn := os.Getenv("DYAD_RO_DSN")
	if dsn == "" {
		t.Skip("run by TestReadOnly")
	}
	s, err := Open(bg, dsn)
	if err != nil {
		fmt.Printf("OPEN-ERROR: %v\n", err)
		return
	}
	defer s.Close()
	st, err := s.Stats(bg)
	fmt.Printf("STATS: %d %v\n", st.Documents, err)
	_, err = s.Put(bg, newGen(77).records(5, 0, 0))
	fmt.Printf("PUT-ERROR: %v\n", err)
}

// A read-only database file or directory gives a one-line error, and the
// store is intact once it is writable again. The check runs in a child
// process, unprivileged when the tests run as root (root ignores modes).
func TestReadOnly(t *testing.T) {
	dir, err := os.MkdirTemp("", "dyad-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	exe := copyExecutable(t, dir)
	dbDir := filepath.Join(dir, "db")
	os.Mkdir(dbDir, 0o755)
	path := filepath.Join(dbDir, "dyad.db")
	s, err := Open(bg, path)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, newGen(76).records(40, 0.1, 0)...)
	s.Close()
	// Root ignores file modes, so as root the child runs as nobody, who
	// owns the store: then only the modes below stand in its way.
	if os.Geteuid() == 0 {
		for _, p := range []string{dbDir, path} {
			if err := os.Chown(p, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}
	}

	child := func(what string) string {
		cmd := exec.Command(exe, "-test.run=^TestReadOnlyChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DYAD_RO_DSN="+path)
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Skipf("cannot run the unprivileged child here: %v", err)
		}
		t.Logf("%s:\n%s", what, out)
		if !strings.Contains(string(out), "-ERROR: ") {
			t.Fatalf("%s: the child did not get as far as writing: %v", what, err)
		}
		return string(out)
	}
	check := func(what, out string) {
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "PUT-ERROR: ") || strings.HasPrefix(l, "OPEN-ERROR: ") {
				line = l
			}
		}
		switch {
		case line == "" || strings.HasSuffix(line, "<nil>"):
			t.Errorf("%s: no error writing a read-only store", what)
		case !strings.Contains(line, path) || !strings.Contains(line, "read-only"):
			t.Errorf("%s: unclear error: %s", what, line)
		}
	}

	os.Chmod(path, 0o444)
	out := child("read-only file")
	check("read-only file", out)
	// A read-only file still answers queries.
	if !strings.Contains(out, "STATS: 40 <nil>") {
		t.Errorf("read-only file: could not read the store")
	}
	os.Chmod(path, 0o644)
	os.Chmod(dbDir, 0o555)
	check("read-only directory", child("read-only directory"))
	os.Chmod(dbDir, 0o755)

	s2 := mustOpen(t, path)
	if st, err := s2.Stats(bg); err != nil || st.Documents != 40 {
		t.Fatalf("after the read-only runs: %+v %v", st, err)
	}
	mustPut(t, s2, newGen(78).records(5, 0, 0)...)
	checkInvariants(t, s2)
}

// A full disk (simulated with SQLite's max_page_count) fails the batch with
// a one-line error and leaves the earlier batches whole.
func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.db")
	full, err := Open(bg, "file:"+path+"?_pragma=max_page_count(300)")
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(80)
	stored := 0
	var putErr error
	for i := 0; i < 200 && putErr == nil; i++ {
		recs := g.records(20, 0.1, 0)
		if _, putErr = full.Put(bg, recs); putErr == nil {
			stored += len(recs)
		}
	}
	full.Close()
	if putErr == nil {
		t.Fatal("never ran out of pages")
	}
	if msg := putErr.Error(); !strings.Contains(msg, "disk full") || strings.Contains(msg, "\n") || !strings.Contains(msg, path) {
		t.Errorf("unclear error: %v", putErr)
	}
	s := mustOpen(t, path)
	st, err := s.Stats(bg)
	if err != nil || st.Documents != int64(stored) {
		t.Fatalf("after the full disk: %+v %v; want %d documents", st, err, stored)
	}
	checkInvariants(t, s)
	mustPut(t, s, g.records(20, 0.1, 0)...)
}

// PostgreSQL refusing writes reads as plainly.
func TestReadOnlyPostgres(t *testing.T) {
	dsn := pgDSNFor(t)
	mustOpen(t, dsn)
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	s := mustOpen(t, u.String())
	_, err := s.Put(bg, newGen(1).records(3, 0, 0))
	if err == nil || !strings.Contains(err.Error(), "read-only") || strings.Contains(err.Error(), "\n") {
		t.Errorf("want a one-line read-only error, got %v", err)
	}
}

// A statement failing inside a transaction leaves nothing behind once the
// transaction rolls back, even though SQLite's INSERT OR FAIL keeps the rows
// the statement stored before failing; and the writer carries on.
func TestFailedStatementRollsBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		s := mustOpen(t, dsn(t))
		g := newGen(90)
		mustPut(t, s, g.records(30, 0.1, 0)...)
		want := snapshot(t, s)
		tx, err := s.b.begin(bg)
		if err != nil {
			t.Fatal(err)
		}
		// Two good actors, then one with a NULL code: the third row fails.
		codes := []any{"ZZZAAA", "ZZZBBB", nil}
		err = multi(bg, tx, `INSERT INTO actors (code, country, sector) VALUES `, ``, 3, len(codes),
			func(i int, a []any) []any { return append(a, codes[i], "ZZZ", "") }, nil)
		if err == nil {
			t.Fatal("a NULL actor code was stored")
		}
		tx.rollback(bg)
		if _, ok := tx.(*sqliteTx); ok {
			if err := tx.commit(bg); err == nil {
				t.Error("a transaction committed after its rollback")
			}
		}
		diffSnapshots(t, "after the failed statement", want, snapshot(t, s))
		mustPut(t, s, g.records(30, 0.1, 0)...)
		checkInvariants(t, s)
		if n := dump(t, s, `SELECT COUNT(*) FROM actors WHERE code LIKE 'ZZZ%'`); n[0] != "0" {
			t.Errorf("%s actors of the failed statement stayed", n[0])
		}
	})
}

// Checkpoints run beside the writer, and Close stops them.
func TestCheckpointsInBackground(t *testing.T) {
	checkpointers := func() int {
		buf := make([]byte, 1<<20)
		return strings.Count(string(buf[:runtime.Stack(buf, true)]), "store.checkpoints(")
	}
	before := checkpointers()
	path := filepath.Join(t.TempDir(), "ck.db")
	s, err := Open(bg, path)
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(91)
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	start := size()
	for range 3 * ckEvery {
		if _, err := s.Put(bg, g.records(20, 0.1, 0)); err != nil {
			t.Fatal(err)
		}
	}
	// The writer checkpoints only past ckWriter pages, far beyond these
	// batches: the database file grows only if the checkpointer ran.
	deadline := time.Now().Add(10 * time.Second)
	for size() < start+100<<10 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if size() < start+100<<10 {
		t.Errorf("database file %d bytes after the batches, %d before: no checkpoint ran", size(), start)
	}
	if checkpointers() <= before {
		t.Error("no checkpointer running")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := checkpointers(); n != before {
		t.Errorf("%d checkpointers left after Close, %d before Open", n, before)
	}
}

// Puts cancelled at any point leave their batch out whole, and the store
// carries on: retried, the batches give what one clean run gives.
func TestCancelledPuts(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn dsnMaker) {
		g := newGen(92)
		var batches [][]model.Record
		for range 12 {
			batches = append(batches, g.records(40, 0.1, 0.02))
		}
		clean := mustOpen(t, dsn(t))
		for _, b := range batches {
			mustPut(t, clean, b...)
		}
		s := mustOpen(t, dsn(t))
		cancelled := 0
		for i, b := range batches {
			ctx, cancel := context.WithTimeout(bg, time.Duration(i*i)*100*time.Microsecond)
			if _, err := s.Put(ctx, b); err != nil {
				cancelled++
			}
			cancel()
			mustPut(t, s, b...)
		}
		t.Logf("%d of %d Puts cancelled", cancelled, len(batches))
		checkInvariants(t, s)
		diffSnapshots(t, "cancelled and retried", snapshot(t, clean), snapshot(t, s))
	})
}
