// Package web serves a dyad store as a JSON API and as a dashboard: server-
// rendered pages with a little plain JavaScript drawing SVG charts from the
// API. Every page, script and style is embedded; nothing is loaded from
// another host, and the Content-Security-Policy forbids it.
package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"path"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/dyadproject/dyad/internal/pipeline"
	"github.com/dyadproject/dyad/internal/store"
)

//go:embed static templates
var assets embed.FS

// DefaultMaxBody bounds a request body.
const DefaultMaxBody = 8 << 20

// Config sets up a Server.
type Config struct {
	Store store.Store
	// Pipeline codes documents POSTed to /api/ingest; nil disables ingest.
	Pipeline *pipeline.Pipeline
	// Token is the bearer token ingest needs; "" refuses ingest with 403.
	Token string
	// ProtectReads makes every route need the token (header or login cookie).
	ProtectReads bool
	// MaxBody bounds request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// Log receives one line per server error; nil discards.
	Log *log.Logger
	// CacheBytes bounds the cache of API answers; 0 means
	// DefaultCacheBytes, a negative value turns the cache off.
	CacheBytes int64
}

// Server is the HTTP handler.
type Server struct {
	cfg    Config
	pages  map[string]*template.Template
	static fs.FS
	mux    *http.ServeMux
	ingest sync.Mutex // ingests run one at a time: each uses every core
	cache  *answerCache
}

// New builds a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.ProtectReads && cfg.Token == "" {
		return nil, errors.New("web: protecting reads needs a token (--token or $DYAD_TOKEN)")
	}
	st, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	if cfg.CacheBytes == 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	s := &Server{cfg: cfg, static: st, mux: http.NewServeMux()}
	if cfg.CacheBytes > 0 {
		s.cache = newAnswerCache(cfg.Store, cfg.CacheBytes)
	}
	if err := s.loadPages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /api/events", s.cachedGET(s.apiEvents))
	m.HandleFunc("GET /api/events/{id}", s.cachedGET(s.apiEvent))
	m.HandleFunc("GET /api/documents/{id}", s.cachedGET(s.apiDocument))
	m.HandleFunc("GET /api/series", s.cachedGET(s.apiSeries))
	m.HandleFunc("GET /api/breakdown", s.cachedGET(s.apiBreakdown))
	m.HandleFunc("GET /api/actors", s.cachedGET(s.apiActors))
	m.HandleFunc("GET /api/dyads", s.cachedGET(s.apiDyads))
	m.HandleFunc("GET /api/points", s.cachedGET(s.apiPoints))
	m.HandleFunc("GET /api/stats", s.cachedGET(s.apiStats))
	m.HandleFunc("POST /api/ingest", s.apiIngest)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		jsonError(w, http.StatusNotFound, "no such API endpoint: "+r.Method+" "+r.URL.Path)
	})
	m.HandleFunc("GET /static/", s.serveStatic)
	m.HandleFunc("GET /{$}", s.pageOverview)
	m.HandleFunc("GET /events", s.pageEvents)
	m.HandleFunc("GET /events/{id}", s.pageEvent)
	m.HandleFunc("GET /documents/{id}", s.pageDocument)
	m.HandleFunc("GET /dyad", s.pageDyad)
	m.HandleFunc("GET /network", s.pageNetwork)
	m.HandleFunc("GET /map", s.pageMap)
	m.HandleFunc("GET /login", s.pageLogin)
	m.HandleFunc("POST /login", s.postLogin)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, http.StatusNotFound, "No such page: "+r.URL.Path)
	})
}

// ServeHTTP applies the headers, limits and guards every response gets.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			jsonError(w, http.StatusInternalServerError, "internal error")
		}
	}()
	// Traversal attempts are refused outright rather than redirected to a
	// cleaned path.
	if badPath(r.URL.Path) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			jsonError(w, http.StatusNotFound, "bad path")
		} else {
			http.Error(w, "not found", http.StatusNotFound)
		}
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	if s.cfg.ProtectReads && !s.authorised(r) && r.URL.Path != "/login" && !strings.HasPrefix(r.URL.Path, "/static/") {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.refuse(w, r)
		} else {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
		}
		return
	}
	s.mux.ServeHTTP(w, r)
}

func badPath(p string) bool {
	if strings.ContainsAny(p, "\\\x00") {
		return true
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return true
		}
	}
	return false
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Log != nil {
		s.cfg.Log.Printf(format, args...)
	}
}

// bearer returns the request's bearer token, if any.
func bearer(r *http.Request) (string, bool) {
	a := r.Header.Get("Authorization")
	if len(a) < 7 || !strings.EqualFold(a[:7], "bearer ") {
		return "", false
	}
	return strings.TrimSpace(a[7:]), true
}

const cookieName = "dyad_token"

func (s *Server) tokenOK(t string) bool {
	return s.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.cfg.Token)) == 1
}

// authorised reports whether r carries the token, in its Authorization
// header or the login cookie.
func (s *Server) authorised(r *http.Request) bool {
	if t, ok := bearer(r); ok {
		return s.tokenOK(t)
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return s.tokenOK(c.Value)
	}
	return false
}

// refuse answers 401 when no token was sent and 403 when a wrong one was.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) {
	if _, ok := bearer(r); ok {
		jsonError(w, http.StatusForbidden, "wrong token")
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="dyad"`)
	jsonError(w, http.StatusUnauthorized, "missing token: send Authorization: Bearer <token>")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// badRequest is an error the client caused: 400 with its message.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

func bad(format string, args ...any) error { return badRequest{fmt.Sprintf(format, args...)} }

// fail answers err: 400 for the client's mistakes and filters the store
// rejected, 404 for missing things, 413 for oversized bodies, else 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var br badRequest
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &br):
		jsonError(w, http.StatusBadRequest, br.msg)
	case errors.As(err, &mb):
		jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mb.Limit))
	case errors.Is(err, store.ErrNotFound):
		jsonError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		jsonError(w, http.StatusServiceUnavailable, "request cancelled or timed out")
	case isFilterErr(err):
		jsonError(w, http.StatusBadRequest, err.Error())
	default:
		s.logf("%s %s: %v", r.Method, r.URL.Path, err)
		jsonError(w, http.StatusInternalServerError, "store error")
	}
}

// isFilterErr recognises the store's own validation errors, which name the
// filter or interval at fault.
func isFilterErr(err error) bool {
	m := err.Error()
	return strings.HasPrefix(m, "filter ") || strings.HasPrefix(m, "interval ") ||
		strings.HasPrefix(m, "breakdown by ") || strings.HasPrefix(m, "cursor ")
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if !fs.ValidPath(name) || name == "." {
		http.NotFound(w, r)
		return
	}
	fi, err := fs.Stat(s.static, name)
	if err != nil || fi.IsDir() {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(s.static, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
		".svg": "image/svg+xml", ".json": "application/json"}[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.ServeContent(w, r, name, time.Time{}, strings.NewReader(string(b)))
}
