package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
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
	"modernc.org/sqlite/vtab"
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
	db    *sql.DB
	path  string
	smu   sync.Mutex
	reads map[string]*sql.Stmt // prepared queries of the read path (API, export)
	ready bool                 // the schema is in place: statements may be prepared ahead
	// One writer at a time: SQLite allows no more, and waiting here is
	// cheaper than spinning on busy_timeout.
	wmu sync.Mutex
	w   sqliteWriter // the connection writes run on, under wmu
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
	// loads from writing the same index pages over and over. Reads through
	// a memory map (up to SQLite's 2 GiB default cap) instead of a pread
	// per page nearly doubled concurrent API reads on a million events;
	// writes still go through write(), and dyad never shrinks the file.
	q["_pragma"] = append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(OFF)",
		"cache_size(-65536)", "temp_store(MEMORY)", "wal_autocheckpoint(10000)", "mmap_size(2147418112)"}, q["_pragma"]...)
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
	if err := b.w.open(ctx, b.db); err != nil {
		b.wmu.Unlock()
		return nil, err
	}
	if _, err := b.w.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
			b.w.drop()
		}
		b.wmu.Unlock()
		return nil, err
	}
	return &sqliteTx{b: b}, nil
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
	b.wmu.Lock()
	b.w.close()
	b.wmu.Unlock()
	b.smu.Lock()
	for _, st := range b.reads {
		st.Close()
	}
	b.reads = nil
	b.smu.Unlock()
	return b.db.Close()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// sqliteWriter is the one connection write transactions run on, held out
// of the pool: a statement prepared on it once serves every later
// transaction (database/sql prepares a statement anew for each Tx it is
// used in), and the bulk row table lives there.
type sqliteWriter struct {
	conn    *sql.Conn
	stmts   map[string]*sql.Stmt
	commits int
	ck      chan struct{} // wakes the checkpointer; nil until the first
	ckDone  chan struct{}
}

// Checkpoints copy the WAL into the database file. SQLite runs them in the
// committing thread; a goroutine of their own runs them instead, on another
// connection (a checkpoint does not block the writer), every ckEvery
// commits. The writer checkpoints by itself only when the WAL passes
// ckWriter pages, which bounds it should the checkpointer fall behind.
const (
	ckEvery  = 4
	ckWriter = 20000
)

// committed counts a commit and wakes the checkpointer when one is due.
func (w *sqliteWriter) committed(db *sql.DB) {
	w.commits++
	if w.commits%ckEvery != 0 {
		return
	}
	if w.ck == nil {
		w.ck, w.ckDone = make(chan struct{}, 1), make(chan struct{})
		go checkpoints(db, w.ck, w.ckDone)
	}
	select {
	case w.ck <- struct{}{}:
	default: // one is pending already
	}
}

func checkpoints(db *sql.DB, kick <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for range kick {
		// Failures (a reader holding old pages, a full disk) leave the WAL
		// to the next checkpoint; the writer's commits report real trouble.
		db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
	}
}

func (w *sqliteWriter) open(ctx context.Context, db *sql.DB) error {
	if w.conn != nil {
		return nil
	}
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.ExecContext(ctx, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(ckWriter)); err != nil {
		discard(c)
		return err
	}
	if bulkErr == nil {
		if _, err := c.ExecContext(ctx, "CREATE VIRTUAL TABLE IF NOT EXISTS temp."+bulkTable+" USING "+bulkModule); err != nil {
			discard(c)
			return err
		}
	}
	w.conn, w.stmts = c, map[string]*sql.Stmt{}
	return nil
}

// close stops the checkpointer and gives the connection back to the
// pool, between transactions.
func (w *sqliteWriter) close() {
	if w.ck != nil {
		close(w.ck)
		<-w.ckDone
		w.ck = nil
	}
	if w.conn == nil {
		return
	}
	for _, st := range w.stmts {
		st.Close()
	}
	w.conn.Close()
	w.conn, w.stmts = nil, nil
}

// drop closes the connection for good: it may be inside a transaction.
func (w *sqliteWriter) drop() {
	if w.conn == nil {
		return
	}
	for _, st := range w.stmts {
		st.Close()
	}
	discard(w.conn)
	w.conn, w.stmts = nil, nil
}

// discard closes c's driver connection rather than pooling it.
func discard(c *sql.Conn) {
	c.Raw(func(any) error { return driver.ErrBadConn })
	c.Close()
}

// sqliteTx is a transaction on the writer's connection; the backend's
// write lock is held until it ends.
type sqliteTx struct {
	b    *sqliteBackend
	done bool
}

const maxStmts = 200

// stmt returns q prepared on the writer's connection; nil for statements
// not worth keeping.
func (t *sqliteTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	w := &t.b.w
	if st := w.stmts[q]; st != nil {
		return st, nil
	}
	t.b.smu.Lock()
	ready := t.b.ready
	t.b.smu.Unlock()
	// Only Put's INSERTs recur; lookups vary in length.
	if !ready || len(w.stmts) >= maxStmts || !strings.HasPrefix(q, "INSERT") {
		return nil, nil
	}
	st, err := w.conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	w.stmts[q] = st
	return st, nil
}

func (t *sqliteTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	if t.done {
		return 0, sql.ErrTxDone
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return 0, err
	}
	var r sql.Result
	if st != nil {
		r, err = st.ExecContext(ctx, args...)
	} else {
		r, err = t.b.w.conn.ExecContext(ctx, q, args...)
	}
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func (t *sqliteTx) query(ctx context.Context, q string, args ...any) (rows, error) {
	if t.done {
		return nil, sql.ErrTxDone
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	var r *sql.Rows
	if st != nil {
		r, err = st.QueryContext(ctx, args...)
	} else {
		r, err = t.b.w.conn.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

// commit ends the transaction; if COMMIT fails it is rolled back.
func (t *sqliteTx) commit(ctx context.Context) error {
	if t.done {
		return sql.ErrTxDone
	}
	if _, err := t.b.w.conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		t.rollback(ctx)
		return err
	}
	t.done = true
	t.b.w.committed(t.b.db)
	t.b.wmu.Unlock()
	return nil
}

// rollback ends the transaction, even when ctx is cancelled. A connection
// whose rollback fails is closed, so no later transaction inherits its state.
func (t *sqliteTx) rollback(context.Context) error {
	if t.done {
		return nil
	}
	_, err := t.b.w.conn.ExecContext(context.Background(), "ROLLBACK")
	if err != nil && strings.Contains(err.Error(), "no transaction is active") {
		err = nil // SQLite rolled back already, on the error that brought us here
	}
	if err != nil {
		t.b.w.drop()
	}
	t.done = true
	t.b.wmu.Unlock()
	return err
}

// ---- bulk rows (SQLite) ----

// Binding a parameter takes several calls into SQLite, and a batch binds
// tens of thousands: that was a third of Put. Instead Put's INSERTs read
// their rows from Go memory through a virtual table: a statement's rows
// are registered under a handle, and
//
//	INSERT INTO t (a, b) SELECT c0, c1 FROM temp.dyad_rows WHERE h = ?
//
// reads them, in order, with one bound parameter.
const (
	bulkModule = "dyad_rows"
	bulkTable  = "dyad_rows"
	bulkCols   = 32 // columns c0 ... c31; then the hidden handle h
)

// bulkErr is why the module could not be registered; then Put binds.
var bulkErr = vtab.RegisterModule(nil, bulkModule, bulkMod{})

var bulkSchema = func() string {
	var sb strings.Builder
	sb.WriteString("CREATE TABLE x(")
	for i := 0; i < bulkCols; i++ {
		fmt.Fprintf(&sb, "c%d, ", i)
	}
	sb.WriteString("h HIDDEN)")
	return sb.String()
}()

// bulkSets holds the rows statements are reading, by handle.
var bulkSets = struct {
	sync.Mutex
	next int64
	m    map[int64]*bulkSet
}{m: map[int64]*bulkSet{}}

type bulkSet struct {
	ncols int
	vals  []any // row i is vals[i*ncols : (i+1)*ncols]
}

type bulkMod struct{}

func (bulkMod) Create(c vtab.Context, _ []string) (vtab.Table, error) {
	return bulkTab{}, c.Declare(bulkSchema)
}

func (bulkMod) Connect(c vtab.Context, _ []string) (vtab.Table, error) {
	return bulkTab{}, c.Declare(bulkSchema)
}

type bulkTab struct{}

// BestIndex takes h = ?; without it the table reads as empty.
func (bulkTab) BestIndex(info *vtab.IndexInfo) error {
	for i := range info.Constraints {
		c := &info.Constraints[i]
		if c.Column == bulkCols && c.Op == vtab.OpEQ && c.Usable {
			c.ArgIndex, c.Omit = 0, true
			info.IdxNum, info.EstimatedCost, info.EstimatedRows = 1, 1, 1000
			return nil
		}
	}
	info.IdxNum, info.EstimatedCost, info.EstimatedRows = 0, 1e18, 1
	return nil
}

func (bulkTab) Open() (vtab.Cursor, error) { return &bulkCursor{}, nil }
func (bulkTab) Disconnect() error          { return nil }
func (bulkTab) Destroy() error             { return nil }

type bulkCursor struct {
	set *bulkSet
	i   int
}

func (c *bulkCursor) Filter(idx int, _ string, vals []vtab.Value) error {
	c.set, c.i = nil, 0
	if idx != 1 || len(vals) != 1 {
		return nil
	}
	h, ok := vals[0].(int64)
	if !ok {
		return fmt.Errorf("%s: handle %v is not an integer", bulkTable, vals[0])
	}
	bulkSets.Lock()
	c.set = bulkSets.m[h]
	bulkSets.Unlock()
	return nil
}

func (c *bulkCursor) Next() error { c.i++; return nil }

func (c *bulkCursor) Eof() bool { return c.set == nil || c.i*c.set.ncols >= len(c.set.vals) }

func (c *bulkCursor) Column(col int) (vtab.Value, error) {
	if c.set == nil || col >= c.set.ncols {
		return nil, nil
	}
	return c.set.vals[c.i*c.set.ncols+col], nil
}

func (c *bulkCursor) Rowid() (int64, error) { return int64(c.i), nil }
func (c *bulkCursor) Close() error          { return nil }

// bulkSQL turns "INSERT INTO t (...) VALUES " + tail into an INSERT that
// reads ncols columns from the bulk table.
//
// It is INSERT OR FAIL: a statement that may abort half-way makes SQLite
// journal every page it touches, to undo its own rows. Put rolls back the
// whole transaction on any error, so that journal would never be read.
func bulkSQL(head, tail string, ncols int) (string, error) {
	ins, ok := strings.CutSuffix(head, "VALUES ")
	if !ok || !strings.HasPrefix(ins, "INSERT INTO ") || ncols < 1 || ncols > bulkCols {
		return "", fmt.Errorf("bulk insert: cannot rewrite %.40q with %d columns", head, ncols)
	}
	var sb strings.Builder
	sb.Grow(len(ins) + len(tail) + 64 + 5*ncols)
	sb.WriteString("INSERT OR FAIL INTO ")
	sb.WriteString(ins[len("INSERT INTO "):])
	sb.WriteString("SELECT ")
	for i := 0; i < ncols; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "c%d", i)
	}
	// The WHERE clause also tells the parser an ON CONFLICT in tail is the
	// upsert's, not a join's.
	sb.WriteString(" FROM temp." + bulkTable + " WHERE h = ?")
	sb.WriteString(tail)
	return sb.String(), nil
}

// bulk is multi on SQLite: all n rows go in one statement, which reads them
// from memory through the bulk table. Without scan it returns the number
// of rows the statement changed.
func (t *sqliteTx) bulk(ctx context.Context, head, tail string, ncols, n int, row func(i int, args []any) []any, scan func(rows) error) (int64, error) {
	q, err := bulkSQL(head, tail, ncols)
	if err != nil {
		return 0, err
	}
	vals := make([]any, 0, n*ncols)
	for i := 0; i < n; i++ {
		lo := len(vals)
		vals = row(i, vals)
		if len(vals)-lo != ncols {
			return 0, fmt.Errorf("bulk insert: row %d has %d values, want %d", i, len(vals)-lo, ncols)
		}
		for j := lo; j < len(vals); j++ {
			switch v := vals[j].(type) {
			case int:
				vals[j] = int64(v)
			case bool:
				vals[j] = int64(b2i(v))
			case int64, float64, string, nil:
			default:
				return 0, fmt.Errorf("bulk insert: row %d: unsupported %T", i, v)
			}
		}
	}
	bulkSets.Lock()
	bulkSets.next++
	h := bulkSets.next
	bulkSets.m[h] = &bulkSet{ncols: ncols, vals: vals}
	bulkSets.Unlock()
	defer func() {
		bulkSets.Lock()
		delete(bulkSets.m, h)
		bulkSets.Unlock()
	}()
	if scan == nil {
		return t.exec(ctx, q, h)
	}
	r, err := t.query(ctx, q, h)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	for r.Next() {
		if err := scan(r); err != nil {
			return 0, err
		}
	}
	return 0, r.Err()
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
