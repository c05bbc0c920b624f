package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// The SQL in this package is written with ? placeholders; the PostgreSQL
// backend renumbers them. These small interfaces are all the two drivers need
// to have in common.

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type querier interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	query(ctx context.Context, q string, args ...any) (rows, error)
}

type txn interface {
	querier
	commit(ctx context.Context) error
	rollback(ctx context.Context) error
}

type backend interface {
	querier
	kind() string
	begin(ctx context.Context) (txn, error)
	// lock takes transaction-scoped locks on the given keys, in order, so
	// writers touching the same documents serialise; a no-op where the
	// database already has a single writer.
	lock(ctx context.Context, tx txn, keys []int64) error
	// migrated says the schema is current.
	migrated()
	// retryable reports a transaction failure worth retrying whole.
	retryable(err error) bool
	close() error
}

// ---- SQLite (modernc.org/sqlite, database/sql) ----

type sqliteBackend struct {
	db   *sql.DB
	path string
	// Statements Put runs again and again, prepared once: parsing a
	// many-row INSERT costs as much as running it.
	smu   sync.Mutex
	stmts map[string]*sql.Stmt
	reads map[string]*sql.Stmt // prepared queries of the read path (API, export)
	ready bool                 // the schema is in place: statements may be prepared ahead
	// One writer at a time: SQLite allows no more, and waiting here is
	// cheaper than spinning on busy_timeout.
	wmu sync.Mutex
}

// sqliteDSN turns a path or file:/sqlite: URL into the driver's DSN, with the
// pragmas every connection needs.
func sqliteDSN(dsn string) (path, driverDSN string, err error) {
	query := ""
	switch {
	case strings.HasPrefix(dsn, "sqlite://"):
		dsn = strings.TrimPrefix(dsn, "sqlite://")
	case strings.HasPrefix(dsn, "sqlite:"):
		dsn = strings.TrimPrefix(dsn, "sqlite:")
	case strings.HasPrefix(dsn, "file://"):
		dsn = strings.TrimPrefix(dsn, "file://")
	case strings.HasPrefix(dsn, "file:"):
		dsn = strings.TrimPrefix(dsn, "file:")
	default:
		path = dsn // a plain path: a '?' in it is part of the name
	}
	if path == "" {
		if i := strings.IndexByte(dsn, '?'); i >= 0 {
			dsn, query = dsn[:i], dsn[i+1:]
		}
		if path, err = url.PathUnescape(dsn); err != nil {
			return "", "", fmt.Errorf("bad path %q: %v", dsn, err)
		}
	}
	if path == "" || path == ":memory:" {
		return "", "", errors.New("want a database file path (an in-memory store would vanish on close)")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", fmt.Errorf("query string: %v", err)
	}
	// busy_timeout comes first: the others may need the lock.
	// A 64 MiB page cache and checkpoints every ~40 MiB of WAL keep bulk
	// loads from writing the same index pages over and over.
	q["_pragma"] = append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(OFF)",
		"cache_size(-65536)", "temp_store(MEMORY)", "wal_autocheckpoint(10000)"}, q["_pragma"]...)
	q.Set("_txlock", "immediate")
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", err
	}
	u := url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}
	return abs, "file:" + u.EscapedPath() + "?" + u.RawQuery, nil
}

func openSQLite(ctx context.Context, dsn string) (backend, error) {
	path, ddsn, err := sqliteDSN(dsn)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, errors.New("is a directory")
	} else if err == nil && fi.Size() > 0 {
		if err := checkSQLiteHeader(path); err != nil {
			return nil, err
		}
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("directory %s: %v", dir, pathErr(err))
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a directory", dir)
		}
	}
	db, err := sql.Open("sqlite", ddsn)
	if err != nil {
		return nil, err
	}
	// The page cache is per connection: a writer and three readers bound
	// the memory to a few hundred MiB at worst.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, explain(err)
	}
	return &sqliteBackend{db: db, path: path}, nil
}

// checkSQLiteHeader refuses a file that is not a SQLite database, before the
// driver reports it as "file is not a database" on some later statement.
func checkSQLiteHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return pathErr(err)
	}
	defer f.Close()
	var h [16]byte
	if n, _ := f.Read(h[:]); n < 16 || string(h[:]) != "SQLite format 3\x00" {
		return errors.New("not a SQLite database")
	}
	return nil
}

func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (b *sqliteBackend) kind() string { return "sqlite" }

func (b *sqliteBackend) exec(ctx context.Context, q string, args ...any) (int64, error) {
	r, err := b.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func (b *sqliteBackend) query(ctx context.Context, q string, args ...any) (rows, error) {
	var r *sql.Rows
	var err error
	if st := b.readStmt(ctx, q); st != nil {
		r, err = st.QueryContext(ctx, args...)
	} else {
		r, err = b.db.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

// readStmt returns q prepared once: the dashboard asks the same few query
// shapes over and over, and preparing was a tenth of each request. Shapes
// beyond maxStmts (IN lists of every length) are not kept.
func (b *sqliteBackend) readStmt(ctx context.Context, q string) *sql.Stmt {
	b.smu.Lock()
	defer b.smu.Unlock()
	if st := b.reads[q]; st != nil || !b.ready || len(b.reads) >= maxStmts {
		return st
	}
	st, err := b.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the plain path reports it
	}
	if b.reads == nil {
		b.reads = map[string]*sql.Stmt{}
	}
	b.reads[q] = st
	return st
}

func (b *sqliteBackend) begin(ctx context.Context) (txn, error) {
	b.wmu.Lock()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		b.wmu.Unlock()
		return nil, err
	}
	return &sqliteTx{tx: tx, b: b, done: b.wmu.Unlock}, nil
}

func (b *sqliteBackend) lock(context.Context, txn, []int64) error { return nil }

func (b *sqliteBackend) migrated() {
	b.smu.Lock()
	b.ready = true
	b.smu.Unlock()
}

func (b *sqliteBackend) retryable(err error) bool {
	var e interface{ Code() int }
	if errors.As(err, &e) {
		c := e.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

func (b *sqliteBackend) close() error {
	b.smu.Lock()
	for _, st := range b.stmts {
		st.Close()
	}
	for _, st := range b.reads {
		st.Close()
	}
	b.stmts, b.reads = nil, nil
	b.smu.Unlock()
	return b.db.Close()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

type sqliteTx struct {
	tx   *sql.Tx
	b    *sqliteBackend
	once sync.Once
	done func()
}

const maxStmts = 200

// stmt returns q prepared, for this transaction; nil once the cache is full.
func (t *sqliteTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	b := t.b
	b.smu.Lock()
	st := b.stmts[q]
	// Only Put's multi-row INSERTs recur; lookups vary in length.
	if st == nil && b.ready && len(b.stmts) < maxStmts && strings.HasPrefix(q, "INSERT") {
		var err error
		if st, err = b.db.PrepareContext(ctx, q); err != nil {
			b.smu.Unlock()
			return nil, err
		}
		if b.stmts == nil {
			b.stmts = map[string]*sql.Stmt{}
		}
		b.stmts[q] = st
	}
	b.smu.Unlock()
	if st == nil {
		return nil, nil
	}
	return t.tx.StmtContext(ctx, st), nil
}

func (t *sqliteTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return 0, err
	}
	var r sql.Result
	if st != nil {
		r, err = st.ExecContext(ctx, args...)
	} else {
		r, err = t.tx.ExecContext(ctx, q, args...)
	}
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func (t *sqliteTx) query(ctx context.Context, q string, args ...any) (rows, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	var r *sql.Rows
	if st != nil {
		r, err = st.QueryContext(ctx, args...)
	} else {
		r, err = t.tx.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

func (t *sqliteTx) commit(context.Context) error {
	defer t.once.Do(t.done)
	return t.tx.Commit()
}

func (t *sqliteTx) rollback(context.Context) error {
	defer t.once.Do(t.done)
	return t.tx.Rollback()
}

// ---- PostgreSQL (pgx/v5) ----

// pgBackend is a small pool of pgx connections. (pgxpool would need a module
// go.mod does not list.)
type pgBackend struct {
	cfg    *pgx.ConnConfig
	sem    chan struct{} // one token per connection that may exist
	idle   chan *pgx.Conn
	closed atomic.Bool
}

func openPostgres(ctx context.Context, dsn string) (backend, error) {
	dsn, size, err := takeParam(dsn, "pool_max_conns")
	if err != nil {
		return nil, err
	}
	n := 4
	if size != "" {
		if n, err = strconv.Atoi(size); err != nil || n < 1 || n > 1000 {
			return nil, fmt.Errorf("pool_max_conns=%q: want 1 to 1000", size)
		}
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), dsn, redact(dsn)))
	}
	b := &pgBackend{cfg: cfg, sem: make(chan struct{}, n), idle: make(chan *pgx.Conn, n)}
	c, err := b.acquire(ctx)
	if err != nil {
		return nil, err
	}
	b.release(c)
	return b, nil
}

func (b *pgBackend) kind() string { return "postgres" }

func (b *pgBackend) migrated() {}

func (b *pgBackend) acquire(ctx context.Context) (*pgx.Conn, error) {
	if b.closed.Load() {
		return nil, errors.New("store is closed")
	}
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		select {
		case c := <-b.idle:
			if c.IsClosed() {
				continue
			}
			return c, nil
		default:
		}
		c, err := pgx.ConnectConfig(ctx, b.cfg)
		if err != nil {
			<-b.sem
			return nil, err
		}
		return c, nil
	}
}

func (b *pgBackend) release(c *pgx.Conn) {
	if b.closed.Load() || c.IsClosed() || c.PgConn().TxStatus() != 'I' {
		c.Close(context.Background())
	} else {
		b.idle <- c
		if b.closed.Load() { // closed meanwhile: do not leave it idle
			b.drain()
		}
	}
	<-b.sem
}

func (b *pgBackend) drain() {
	for {
		select {
		case c := <-b.idle:
			c.Close(context.Background())
		default:
			return
		}
	}
}

func (b *pgBackend) exec(ctx context.Context, q string, args ...any) (int64, error) {
	c, err := b.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer b.release(c)
	return pgExec(ctx, c, q, args)
}

func (b *pgBackend) query(ctx context.Context, q string, args ...any) (rows, error) {
	c, err := b.acquire(ctx)
	if err != nil {
		return nil, err
	}
	r, err := c.Query(ctx, rebind(q), args...)
	if err != nil {
		b.release(c)
		return nil, err
	}
	return &pgRows{Rows: r, done: func() { b.release(c) }}, nil
}

func pgExec(ctx context.Context, c *pgx.Conn, q string, args []any) (int64, error) {
	tag, err := c.Exec(ctx, rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

type pgRows struct {
	pgx.Rows
	once sync.Once
	done func()
}

func (r *pgRows) Close() {
	r.Rows.Close()
	if r.done != nil {
		r.once.Do(r.done)
	}
}

func (b *pgBackend) begin(ctx context.Context) (txn, error) {
	c, err := b.acquire(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Exec(ctx, "BEGIN ISOLATION LEVEL READ COMMITTED"); err != nil {
		b.release(c)
		return nil, err
	}
	return &pgTx{c: c, b: b}, nil
}

type pgTx struct {
	c    *pgx.Conn
	b    *pgBackend
	once sync.Once
}

func (t *pgTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	return pgExec(ctx, t.c, q, args)
}

func (t *pgTx) query(ctx context.Context, q string, args ...any) (rows, error) {
	r, err := t.c.Query(ctx, rebind(q), args...)
	if err != nil {
		return nil, err
	}
	return &pgRows{Rows: r}, nil
}

func (t *pgTx) end(ctx context.Context, stmt string) error {
	_, err := t.c.Exec(ctx, stmt)
	if err != nil {
		// A connection in an unknown state is not reused.
		t.c.Close(context.Background())
	}
	t.once.Do(func() { t.b.release(t.c) })
	return err
}

func (t *pgTx) commit(ctx context.Context) error { return t.end(ctx, "COMMIT") }

func (t *pgTx) rollback(context.Context) error {
	// Roll back even when the caller's context is cancelled.
	return t.end(context.Background(), "ROLLBACK")
}

func (b *pgBackend) lock(ctx context.Context, tx txn, keys []int64) error {
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		var sb strings.Builder
		sb.WriteString("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(k) FROM (VALUES ")
		args := make([]any, n)
		for i, k := range keys[:n] {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(CAST(? AS BIGINT))")
			args[i] = k
		}
		// Locks are taken in key order in every writer (the target list is
		// evaluated after the sort), so two writers cannot wait for each other.
		sb.WriteString(") AS v(k) ORDER BY k) AS l")
		if err := drain(tx.query(ctx, sb.String(), args...)); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// drain reads and closes rows whose values are not needed.
func drain(r rows, err error) error {
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
	}
	return r.Err()
}

func (b *pgBackend) retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}

// close closes the idle connections now and those in use as they come back.
func (b *pgBackend) close() error {
	b.closed.Store(true)
	b.drain()
	return nil
}

// rebind turns ? placeholders into $1, $2, ... outside quoted strings.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var sb strings.Builder
	sb.Grow(len(q) + 16)
	n := 0
	quote := byte(0)
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// explain turns driver errors people will meet into plain words.
func explain(err error) error {
	if err == nil {
		return nil
	}
	var e interface{ Code() int }
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3.SQLITE_READONLY:
			return fmt.Errorf("read-only: cannot write the database file or its directory (%v)", err)
		case sqlite3.SQLITE_FULL:
			return fmt.Errorf("disk full: %v", err)
		case sqlite3.SQLITE_CANTOPEN:
			return fmt.Errorf("cannot open the database file: %v", err)
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("not a usable SQLite database: %v", err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "25006":
			return fmt.Errorf("read-only: %s", pe.Message)
		case "53100":
			return fmt.Errorf("disk full: %s", pe.Message)
		}
		return fmt.Errorf("%s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	return err
}
