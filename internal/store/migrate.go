package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations are numbered files, migrations/<backend>/NNNN_name.sql, applied
// in order, each in the transaction that records it in schema_version.

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func migrations(kind string) ([]migration, error) {
	dir := path.Join("migrations", kind)
	ents, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: want NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must run 1, 2, 3, ...", m.name)
		}
	}
	return ms, nil
}

// migrationLockKey serialises concurrent migrators on PostgreSQL.
const migrationLockKey = 0x64796164 // "dyad"

// migrate brings the schema up to date and settles the dedup window. A store
// that is already current is only read, so a read-only store still opens.
func (s *sqlStore) migrate(ctx context.Context, window int) error {
	ms, err := migrations(s.b.kind())
	if err != nil {
		return err
	}
	latest := len(ms)
	if v, w, err := s.schemaState(ctx, s.b); err == nil && v == latest && w > 0 {
		if window != 0 && window != w {
			return fmt.Errorf("the store's dedup window is %d days; %d was asked for (the window is fixed when a store is created)", w, window)
		}
		s.window = w
		return nil
	}
	tx, err := s.b.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback(ctx)
	if err := s.b.lock(ctx, tx, []int64{migrationLockKey}); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	cur, _, err := s.schemaState(ctx, tx)
	if err != nil {
		return err
	}
	if cur > latest {
		return fmt.Errorf("schema version %d is newer than this dyad knows (%d); upgrade dyad", cur, latest)
	}
	for _, m := range ms[cur:] {
		if _, err := tx.exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %v", m.name, err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("migration %s: %v", m.name, err)
		}
	}
	_, w, err := s.schemaState(ctx, tx)
	if err != nil {
		return err
	}
	switch {
	case w == 0:
		w = window
		if w == 0 {
			w = DefaultWindow
		}
		if _, err := tx.exec(ctx, `INSERT INTO meta (key, value) VALUES ('dedup_window', ?)`, strconv.Itoa(w)); err != nil {
			return err
		}
	case window != 0 && window != w:
		return fmt.Errorf("the store's dedup window is %d days; %d was asked for (the window is fixed when a store is created)", w, window)
	}
	s.window = w
	return tx.commit(ctx)
}

// schemaState reads the schema version and the dedup window (0 when unset).
func (s *sqlStore) schemaState(ctx context.Context, q querier) (version, window int, err error) {
	r, err := q.query(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`)
	if err != nil {
		return 0, 0, err
	}
	for r.Next() {
		err = r.Scan(&version)
	}
	r.Close()
	if err == nil {
		err = r.Err()
	}
	if err != nil || version == 0 {
		return version, 0, err
	}
	r, err = q.query(ctx, `SELECT value FROM meta WHERE key = 'dedup_window'`)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	var v string
	for r.Next() {
		if err := r.Scan(&v); err != nil {
			return 0, 0, err
		}
	}
	if err := r.Err(); err != nil {
		return 0, 0, err
	}
	if v != "" {
		if window, err = strconv.Atoi(v); err != nil || window < 1 {
			return 0, 0, fmt.Errorf("meta dedup_window %q is not a number of days", v)
		}
	}
	return version, window, nil
}
