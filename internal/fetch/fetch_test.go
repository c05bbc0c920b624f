package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// site is a loopback test server that counts requests per path and serves
// robots.txt from a field (404 when empty).
type site struct {
	*httptest.Server
	robots     atomic.Value // string
	robotsCode atomic.Int32 // status for robots.txt when non-zero
	mu         sync.Mutex
	hits       map[string]int
	agents     []string
}

func newSite(t testing.TB, h http.HandlerFunc) *site {
	t.Helper()
	s := &site{hits: map[string]int{}}
	s.robots.Store("")
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.agents = append(s.agents, r.UserAgent())
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			if code := int(s.robotsCode.Load()); code != 0 {
				w.WriteHeader(code)
				return
			}
			body := s.robots.Load().(string)
			if body == "" {
				http.NotFound(w, r)
				return
			}
			io.WriteString(w, body)
			return
		}
		if h == nil {
			io.WriteString(w, "hello "+r.URL.Path)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// testClient allows loopback, has no host delay and a short timeout unless
// the options say otherwise.
func testClient(t testing.TB, o Options) *Client {
	t.Helper()
	o.AllowPrivate = true
	if o.HostDelay == 0 {
		o.HostDelay = -1
	}
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Second
	}
	c := New(o)
	t.Cleanup(c.Close)
	return c
}

// wantErr checks a Get error: one line, starting with the URL, containing want.
func wantErr(t *testing.T, err error, rawURL, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error containing %q, got nil", want)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	if !strings.HasPrefix(msg, rawURL+": ") {
		t.Errorf("error %q does not start with %q", msg, rawURL)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("error %q does not contain %q", msg, want)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Errorf("error %T is not a *fetch.Error", err)
	}
}

func TestGetOK(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "body of "+r.URL.RequestURI())
	})
	c := testClient(t, Options{})
	r, err := c.Get(context.Background(), s.URL+"/a?b=1#frag", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != "body of /a?b=1" || r.Status != 200 || r.ContentType != "text/plain; charset=utf-8" || r.URL != s.URL+"/a?b=1" {
		t.Fatalf("got %+v body %q", r, r.Body)
	}
}

func TestRobotsDisallowAndCache(t *testing.T) {
	s := newSite(t, nil)
	s.robots.Store("User-agent: *\nDisallow: /private\n\nUser-agent: dyad\nDisallow: /mine\n")
	c := testClient(t, Options{})
	ctx := context.Background()
	if _, err := c.Get(ctx, s.URL+"/private", Validators{}); err != nil {
		t.Fatalf("our group allows /private, got %v", err)
	}
	_, err := c.Get(ctx, s.URL+"/mine/x", Validators{})
	wantErr(t, err, s.URL+"/mine/x", "disallowed by robots.txt")
	if !errors.Is(err, ErrDisallowed) {
		t.Errorf("errors.Is(%v, ErrDisallowed) = false", err)
	}
	for range 3 {
		if _, err := c.Get(ctx, s.URL+"/ok", Validators{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
	if n := s.count("/mine/x"); n != 0 {
		t.Errorf("disallowed page was requested %d times", n)
	}
}

func TestRobotsFetchedOnceUnderConcurrency(t *testing.T) {
	var robotsHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			time.Sleep(50 * time.Millisecond)
			io.WriteString(w, "User-agent: *\nDisallow: /no\n")
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := testClient(t, Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, err := c.Get(context.Background(), fmt.Sprintf("%s/p%d", srv.URL, i), Validators{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times by 20 concurrent callers, want 1", n)
	}
}

func TestRobotsFetchSurvivesCancelledFirstCaller(t *testing.T) {
	var robotsHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			if robotsHits.Add(1) == 1 {
				select { // the first fetch outlives its caller's context
				case <-r.Context().Done():
				case <-time.After(time.Second):
				}
			}
			io.WriteString(w, "User-agent: *\nDisallow: /no\n")
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := testClient(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	first := make(chan error, 1)
	go func() {
		_, err := c.Get(ctx, srv.URL+"/a", Validators{})
		first <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the first caller start the fetch
	if _, err := c.Get(context.Background(), srv.URL+"/b", Validators{}); err != nil {
		t.Fatalf("waiter after a cancelled robots fetch: %v", err)
	}
	wantErr(t, <-first, srv.URL+"/a", "context deadline exceeded")
	_, err := c.Get(context.Background(), srv.URL+"/no", Validators{})
	wantErr(t, err, srv.URL+"/no", "disallowed by robots.txt")
	if n := robotsHits.Load(); n != 2 {
		t.Errorf("robots.txt fetched %d times, want 2 (cancelled, then retried)", n)
	}
}

func TestRobotsMissingAllowsAll(t *testing.T) {
	for _, code := range []int{404, 403, 410} {
		s := newSite(t, nil)
		s.robotsCode.Store(int32(code))
		c := testClient(t, Options{})
		if _, err := c.Get(context.Background(), s.URL+"/x", Validators{}); err != nil {
			t.Errorf("robots.txt %d: %v", code, err)
		}
	}
}

func TestRobotsUnreachableDisallows(t *testing.T) {
	s := newSite(t, nil)
	s.robotsCode.Store(503)
	c := testClient(t, Options{})
	ctx := context.Background()
	_, err := c.Get(ctx, s.URL+"/x", Validators{})
	wantErr(t, err, s.URL+"/x", "disallowed by robots.txt (robots.txt unreachable: HTTP 503 Service Unavailable)")
	_, err = c.Get(ctx, s.URL+"/y", Validators{})
	wantErr(t, err, s.URL+"/y", "disallowed by robots.txt")
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("failed robots.txt refetched within the retry window: %d fetches", n)
	}
	if s.count("/x")+s.count("/y") != 0 {
		t.Error("pages requested while robots.txt was unreachable")
	}
	// After the retry window a recovered robots.txt is used.
	c.robotsRetry = 0
	c.robotsMu.Lock()
	for _, e := range c.robotsC {
		e.expires = time.Now()
	}
	c.robotsMu.Unlock()
	s.robotsCode.Store(0)
	if _, err := c.Get(ctx, s.URL+"/x", Validators{}); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestRobotsStaleCopyKeptWhenRefreshFails(t *testing.T) {
	s := newSite(t, nil)
	s.robots.Store("User-agent: *\nDisallow: /no\n")
	c := testClient(t, Options{})
	ctx := context.Background()
	if _, err := c.Get(ctx, s.URL+"/yes", Validators{}); err != nil {
		t.Fatal(err)
	}
	c.robotsMu.Lock()
	for _, e := range c.robotsC {
		e.expires = time.Now() // pretend a day passed
	}
	c.robotsMu.Unlock()
	s.robotsCode.Store(500)
	if _, err := c.Get(ctx, s.URL+"/yes", Validators{}); err != nil {
		t.Fatalf("stale good robots.txt not reused: %v", err)
	}
	_, err := c.Get(ctx, s.URL+"/no", Validators{})
	wantErr(t, err, s.URL+"/no", "disallowed by robots.txt")
	if n := s.count("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times, want 2", n)
	}
}

func TestRobotsUnreachableServer(t *testing.T) {
	// Nothing listens on the port: robots.txt is unreachable, so disallow.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := testClient(t, Options{})
	u := "http://" + addr + "/x"
	_, err = c.Get(context.Background(), u, Validators{})
	wantErr(t, err, u, "disallowed by robots.txt (robots.txt unreachable:")
}

func TestIgnoreRobots(t *testing.T) {
	s := newSite(t, nil)
	s.robots.Store("User-agent: *\nDisallow: /\n")
	c := testClient(t, Options{IgnoreRobots: true})
	if _, err := c.Get(context.Background(), s.URL+"/x", Validators{}); err != nil {
		t.Fatal(err)
	}
	if n := s.count("/robots.txt"); n != 0 {
		t.Errorf("robots.txt fetched %d times with IgnoreRobots", n)
	}
}

func TestUserAgent(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hop" {
			http.Redirect(w, r, "/end", http.StatusFound)
			return
		}
		io.WriteString(w, "ok")
	})
	for _, tc := range []struct{ set, want string }{
		{"", DefaultUserAgent},
		{UserAgent("1.2.3"), "dyad/1.2.3 (+https://github.com/dyadproject/dyad)"},
		{"Mozilla/5.0\r\nX-Evil: 1", "Mozilla/5.0 X-Evil: 1 (compatible; dyad)"},
	} {
		s.mu.Lock()
		s.agents = nil
		s.mu.Unlock()
		c := testClient(t, Options{UserAgent: tc.set})
		if _, err := c.Get(context.Background(), s.URL+"/hop", Validators{}); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		agents := s.agents
		s.mu.Unlock()
		if len(agents) != 3 { // robots.txt, /hop, /end
			t.Fatalf("saw %d requests, want 3", len(agents))
		}
		for _, a := range agents {
			if a != tc.want {
				t.Errorf("User-Agent %q, want %q", a, tc.want)
			}
		}
	}
}

// recorder notes when each request starts, on the client side, so spacing is
// measured without network jitter.
type recorder struct {
	base  http.RoundTripper
	mu    sync.Mutex
	start []time.Time
	paths []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.start = append(r.start, time.Now())
	r.paths = append(r.paths, req.URL.Path)
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

// checkSpacing asserts the recorded starts are spaced by delay. The recorder
// sees a request a moment after the limiter stamps it, and on a busy machine
// that moment can stretch to milliseconds, so one gap may fall short by a
// fifth; the whole span, where only the first request's lag counts, must not.
func checkSpacing(t *testing.T, g []time.Duration, delay time.Duration) {
	t.Helper()
	var total time.Duration
	for _, d := range g {
		total += d
		if d < delay-delay/5 {
			t.Errorf("requests %v apart, want >= %v (all gaps %v)", d, delay, g)
		}
	}
	if want := time.Duration(len(g))*delay - delay/5; total < want {
		t.Errorf("%d gaps span %v, want >= %v", len(g), total, want)
	}
}

func (r *recorder) gaps() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	ts := append([]time.Time(nil), r.start...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	var g []time.Duration
	for i := 1; i < len(ts); i++ {
		g = append(g, ts[i].Sub(ts[i-1]))
	}
	return g
}

func TestHostDelaySpacesConcurrentCallers(t *testing.T) {
	s := newSite(t, nil)
	rec := &recorder{base: http.DefaultTransport}
	const delay = 80 * time.Millisecond
	c := testClient(t, Options{HostDelay: delay, Transport: rec})
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", s.URL, i), Validators{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	g := rec.gaps()
	if len(g) != 5 { // robots.txt + 5 pages
		t.Fatalf("%d gaps, want 5 (%v)", len(g), rec.paths)
	}
	checkSpacing(t, g, delay)
}

func TestCrawlDelayHonoured(t *testing.T) {
	s := newSite(t, nil)
	s.robots.Store("User-agent: *\nCrawl-delay: 0.15\n")
	rec := &recorder{base: http.DefaultTransport}
	c := testClient(t, Options{HostDelay: 10 * time.Millisecond, Transport: rec})
	for i := range 2 {
		if _, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", s.URL, i), Validators{}); err != nil {
			t.Fatal(err)
		}
	}
	if g := rec.gaps(); len(g) != 2 {
		t.Errorf("%d gaps, want 2", len(g))
	} else {
		checkSpacing(t, g, 150*time.Millisecond)
	}
}

func TestHostDelayPerHostAndCancellable(t *testing.T) {
	a := newSite(t, nil)
	b := newSite(t, nil)
	c := testClient(t, Options{HostDelay: 5 * time.Second, IgnoreRobots: true})
	bg := context.Background()
	if _, err := c.Get(bg, a.URL+"/1", Validators{}); err != nil {
		t.Fatal(err)
	}
	// Another host does not wait for a's slot.
	start := time.Now()
	if _, err := c.Get(bg, b.URL+"/1", Validators{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("request to another host waited %v", d)
	}
	// A waiter on a gives up when its context does.
	ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := c.Get(ctx, a.URL+"/2", Validators{})
	wantErr(t, err, a.URL+"/2", "context deadline exceeded")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled wait took %v", d)
	}
	if a.count("/2") != 0 {
		t.Error("cancelled request was sent")
	}
}

func TestTimeoutSilentServer(t *testing.T) {
	// Accepts connections and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			cn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, cn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, cn := range conns {
			cn.Close()
		}
		mu.Unlock()
	})
	const timeout = 300 * time.Millisecond
	u := "http://" + ln.Addr().String() + "/x"
	for _, ignore := range []bool{true, false} {
		c := testClient(t, Options{Timeout: timeout, IgnoreRobots: ignore})
		start := time.Now()
		_, err := c.Get(context.Background(), u, Validators{})
		d := time.Since(start)
		if ignore {
			wantErr(t, err, u, "timed out after 300ms waiting for a response")
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("errors.Is(%v, DeadlineExceeded) = false", err)
			}
		} else { // robots.txt never answers: unreachable, so disallowed
			wantErr(t, err, u, "robots.txt unreachable: timed out after 300ms")
		}
		if d < timeout || d > timeout+2*time.Second {
			t.Errorf("ignoreRobots=%v: took %v, want about %v", ignore, d, timeout)
		}
	}
}

func TestTimeoutTricklingBody(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	const timeout = 300 * time.Millisecond
	c := testClient(t, Options{Timeout: timeout})
	start := time.Now()
	_, err := c.Get(context.Background(), s.URL+"/slow", Validators{})
	wantErr(t, err, s.URL+"/slow", "timed out after 300ms reading body")
	if d := time.Since(start); d > timeout+2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestSizeCap(t *testing.T) {
	const max = 1 << 20
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/exact":
			w.Write(bytes.Repeat([]byte("a"), max))
		case "/chunked": // no Content-Length: the bounded read must catch it
			for range 3 {
				w.Write(bytes.Repeat([]byte("a"), max))
				w.(http.Flusher).Flush()
			}
		case "/declared": // huge Content-Length, then stall: must fail without reading
			w.Header().Set("Content-Length", strconv.Itoa(1<<30))
			w.WriteHeader(200)
			w.Write([]byte("tiny"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}
	})
	c := testClient(t, Options{MaxBytes: max, Timeout: 5 * time.Second})
	ctx := context.Background()
	r, err := c.Get(ctx, s.URL+"/exact", Validators{})
	if err != nil || len(r.Body) != max {
		t.Fatalf("body of exactly MaxBytes: %v", err)
	}
	for _, p := range []string{"/chunked", "/declared"} {
		start := time.Now()
		_, err := c.Get(ctx, s.URL+p, Validators{})
		wantErr(t, err, s.URL+p, "body larger than 1 MiB")
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("errors.Is(%v, ErrTooLarge) = false", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: refusing took %v", p, d)
		}
	}
}

func gzipBytes(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func TestGzipBomb(t *testing.T) {
	const max = 1 << 20
	bomb := gzipBytes(t, make([]byte, 8<<20)) // ~8 KB that inflates to 8 MiB
	if len(bomb) > 10<<10 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		switch r.URL.Path {
		case "/static":
			w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
			w.Write(bomb)
		case "/endless":
			// Gzip members concatenate: this inflates without end, a GiB
			// every ~128 writes, at no cost to the server.
			for r.Context().Err() == nil {
				if _, err := w.Write(bomb); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	})
	// A long Timeout, so only the cap can end the endless stream.
	c := testClient(t, Options{MaxBytes: max, Timeout: time.Minute})
	for _, p := range []string{"/static", "/endless"} {
		_, err := c.Get(context.Background(), s.URL+p, Validators{})
		wantErr(t, err, s.URL+p, "body larger than 1 MiB")
	}
}

func TestContentEncodings(t *testing.T) {
	want := strings.Repeat("dyad codes events. ", 500)
	var zl, raw bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write([]byte(want))
	zw.Close()
	fw, _ := flate.NewWriter(&raw, 5)
	fw.Write([]byte(want))
	fw.Close()
	bodies := map[string]struct {
		enc  string
		data []byte
	}{
		"/gzip":    {"gzip", gzipBytes(t, []byte(want))},
		"/xgzip":   {"x-gzip", gzipBytes(t, []byte(want))},
		"/zlib":    {"deflate", zl.Bytes()},
		"/raw":     {"deflate", raw.Bytes()},
		"/plain":   {"", []byte(want)},
		"/br":      {"br", []byte("whatever")},
		"/corrupt": {"gzip", append(gzipBytes(t, []byte(want))[:40], 1, 2, 3)},
	}
	var acceptEnc atomic.Value
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		acceptEnc.Store(r.Header.Get("Accept-Encoding"))
		b := bodies[r.URL.Path]
		if b.enc != "" {
			w.Header().Set("Content-Encoding", b.enc)
		}
		w.Write(b.data)
	})
	c := testClient(t, Options{})
	for _, p := range []string{"/gzip", "/xgzip", "/zlib", "/raw", "/plain"} {
		r, err := c.Get(context.Background(), s.URL+p, Validators{})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if string(r.Body) != want {
			t.Errorf("%s: body %d bytes, want %d decoded", p, len(r.Body), len(want))
		}
	}
	if got := acceptEnc.Load(); got != "gzip, deflate" {
		t.Errorf("Accept-Encoding %q", got)
	}
	_, err := c.Get(context.Background(), s.URL+"/br", Validators{})
	wantErr(t, err, s.URL+"/br", `unsupported Content-Encoding "br"`)
	_, err = c.Get(context.Background(), s.URL+"/corrupt", Validators{})
	wantErr(t, err, s.URL+"/corrupt", "decoding gzip body")
}

func TestRedirects(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/chain/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/chain/"))
			if n > 0 {
				http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusMovedPermanently)
				return
			}
			io.WriteString(w, "end")
		case p == "/loop-a":
			http.Redirect(w, r, "/loop-b", http.StatusFound)
		case p == "/loop-b":
			http.Redirect(w, r, "/loop-a", http.StatusTemporaryRedirect)
		case p == "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case p == "/to-blocked":
			http.Redirect(w, r, "/blocked/x", http.StatusFound)
		case p == "/no-location":
			w.WriteHeader(http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	})
	s.robots.Store("User-agent: *\nDisallow: /blocked\n")
	ctx := context.Background()
	c := testClient(t, Options{})
	r, err := c.Get(ctx, s.URL+"/chain/5", Validators{})
	if err != nil || r.URL != s.URL+"/chain/0" || string(r.Body) != "end" {
		t.Fatalf("5 redirects: %+v %v", r, err)
	}
	_, err = c.Get(ctx, s.URL+"/chain/6", Validators{})
	wantErr(t, err, s.URL+"/chain/6", "too many redirects (more than 5)")
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("errors.Is(%v, ErrTooManyRedirects) = false", err)
	}
	_, err = c.Get(ctx, s.URL+"/loop-a", Validators{})
	wantErr(t, err, s.URL+"/loop-a", "too many redirects")
	if n := s.count("/loop-a") + s.count("/loop-b"); n != 6 {
		t.Errorf("loop followed for %d requests, want 6", n)
	}
	_, err = c.Get(ctx, s.URL+"/to-file", Validators{})
	wantErr(t, err, s.URL+"/to-file", `redirect to file:///etc/passwd: unsupported scheme "file"`)
	_, err = c.Get(ctx, s.URL+"/to-blocked", Validators{})
	wantErr(t, err, s.URL+"/to-blocked", "redirect to "+s.URL+"/blocked/x: disallowed by robots.txt")
	if s.count("/blocked/x") != 0 {
		t.Error("redirect target disallowed by robots.txt was requested")
	}
	_, err = c.Get(ctx, s.URL+"/no-location", Validators{})
	wantErr(t, err, s.URL+"/no-location", "HTTP 302 without Location")

	none := testClient(t, Options{MaxRedirects: -1})
	_, err = none.Get(ctx, s.URL+"/chain/1", Validators{})
	wantErr(t, err, s.URL+"/chain/1", "too many redirects (more than 0)")
}

func TestRedirectHopCheckedAtDial(t *testing.T) {
	target := newSite(t, nil)
	_, targetPort, _ := net.SplitHostPort(target.Listener.Addr().String())
	start := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		// A host name, so only the dial-time check can catch it.
		http.Redirect(w, r, "http://localhost:"+targetPort+"/secret", http.StatusFound)
	})
	c := testClient(t, Options{IgnoreRobots: true})
	c.allowPrivate = false
	// Treat only the target's port as private, so the first hop is allowed.
	c.blockAddr = func(ap netip.AddrPort) bool { return strconv.Itoa(int(ap.Port())) == targetPort }
	_, err := c.Get(context.Background(), start.URL+"/go", Validators{})
	wantErr(t, err, start.URL+"/go", "redirect to http://localhost:"+targetPort+"/secret: refusing private address")
	if !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("errors.Is(%v, ErrPrivateAddress) = false", err)
	}
	if target.count("/secret") != 0 {
		t.Error("private redirect target was reached")
	}
}

func TestConditional(t *testing.T) {
	const etag, lm = `"v1"`, "Sat, 15 Jun 2024 10:00:00 GMT"
	var gotINM, gotIMS atomic.Value
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		gotINM.Store(r.Header.Get("If-None-Match"))
		gotIMS.Store(r.Header.Get("If-Modified-Since"))
		if r.URL.Path == "/noval" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lm)
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lm {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "feed")
	})
	c := testClient(t, Options{})
	ctx := context.Background()
	r, err := c.Get(ctx, s.URL+"/feed", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if r.NotModified || string(r.Body) != "feed" || r.Validators != (Validators{etag, lm}) {
		t.Fatalf("first poll: %+v", r)
	}
	if gotINM.Load() != "" || gotIMS.Load() != "" {
		t.Error("unconditional request sent validators")
	}
	for _, v := range []Validators{r.Validators, {ETag: etag}, {LastModified: lm}} {
		r2, err := c.Get(ctx, s.URL+"/feed", v)
		if err != nil {
			t.Fatalf("%+v: %v", v, err)
		}
		if !r2.NotModified || r2.Body != nil || r2.Status != 304 || r2.Validators != (Validators{etag, lm}) {
			t.Errorf("%+v: got %+v", v, r2)
		}
		if gotINM.Load() != v.ETag || gotIMS.Load() != v.LastModified {
			t.Errorf("sent If-None-Match %q If-Modified-Since %q for %+v", gotINM.Load(), gotIMS.Load(), v)
		}
	}
	// A 304 without validators keeps the ones we sent.
	r3, err := c.Get(ctx, s.URL+"/noval", Validators{ETag: `"old"`})
	if err != nil || !r3.NotModified || r3.Validators.ETag != `"old"` {
		t.Errorf("304 without validators: %+v %v", r3, err)
	}
	// A 304 nobody asked for is an error, not an empty success.
	_, err = c.Get(ctx, s.URL+"/noval", Validators{})
	wantErr(t, err, s.URL+"/noval", "HTTP 304 Not Modified")
}

func TestHTTPErrors(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(code)
		io.WriteString(w, "error page\nwith lines")
	})
	c := testClient(t, Options{})
	for code, text := range map[int]string{404: "HTTP 404 Not Found", 500: "HTTP 500 Internal Server Error", 410: "HTTP 410 Gone", 599: "HTTP 599"} {
		u := fmt.Sprintf("%s/%d", s.URL, code)
		_, err := c.Get(context.Background(), u, Validators{})
		if err == nil || err.Error() != u+": "+text {
			t.Errorf("got %v, want %q", err, u+": "+text)
		}
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != code {
			t.Errorf("%d: errors.As HTTPError failed: %v", code, err)
		}
	}
}

func TestPrivateAddressGuard(t *testing.T) {
	s := newSite(t, nil)
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	c := New(Options{HostDelay: -1, Timeout: 2 * time.Second}) // the real guard
	defer c.Close()
	for _, u := range []string{
		"http://127.0.0.1:" + port + "/x",
		"http://localhost:" + port + "/x", // resolved, then refused at dial
		"http://[::1]:" + port + "/x",
		"http://0.0.0.0:" + port + "/x",
		"http://[::ffff:127.0.0.1]:" + port + "/x",
	} {
		_, err := c.Get(context.Background(), u, Validators{})
		wantErr(t, err, u, "refusing private address ")
		wantErr(t, err, u, " (use --allow-private)")
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("errors.Is(%v, ErrPrivateAddress) = false", err)
		}
	}
	u := "http://127.0.0.1:" + port + "/x"
	_, err := c.Get(context.Background(), u, Validators{})
	if want := u + ": refusing private address 127.0.0.1 (use --allow-private)"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	s.mu.Lock()
	n := len(s.hits)
	s.mu.Unlock()
	if n != 0 {
		t.Errorf("guarded client reached the server: %v", s.hits)
	}
}

func TestIsPrivate(t *testing.T) {
	private := []string{"127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.1.1.1",
		"255.255.255.255", "::", "::1", "fe80::1", "fd00::1", "fc00::1", "ff02::1", "::ffff:10.0.0.1",
		"64:ff9b::7f00:1", "2002:c0a8:0101::1", "fec0::1"}
	public := []string{"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
		"192.169.0.1", "2001:4860:4860::8888", "64:ff9b::808:808", "2002:0808:0808::1", "::ffff:8.8.8.8"}
	for _, s := range private {
		if !isPrivate(netip.MustParseAddr(s)) {
			t.Errorf("%s not treated as private", s)
		}
	}
	for _, s := range public {
		if isPrivate(netip.MustParseAddr(s)) {
			t.Errorf("%s treated as private", s)
		}
	}
}

func TestBadURLs(t *testing.T) {
	c := testClient(t, Options{})
	cases := []struct{ in, prefix, want string }{
		{"ftp://example.com/x", "ftp://example.com/x", `unsupported scheme "ftp"`},
		{"file:///etc/passwd", "file:///etc/passwd", `unsupported scheme "file"`},
		{"javascript:alert(1)", "javascript:alert(1)", `unsupported scheme "javascript"`},
		{"example.com/x", "example.com/x", "missing scheme"},
		{"http:///path", "http:///path", "missing host"},
		{"http://user:secret@example.com/", "http://user:xxxxx@example.com/", "refusing URL with credentials"},
		{"http://example.com/%zz", "http://example.com/%zz", "invalid URL"},
		{"http://exa mple.com/", "http://exa mple.com/", "invalid URL"},
		{"http://example.com/a\nb", "http://example.com/a b", "invalid URL"},
		{"http://user:secret@exa mple.com/", "http://user:xxxxx@exa mple.com/", "invalid URL"},
	}
	for _, tc := range cases {
		_, err := c.Get(context.Background(), tc.in, Validators{})
		wantErr(t, err, tc.prefix, tc.want)
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

// TestConcurrentNoLeaks mixes successes and every kind of failure across
// hosts from many goroutines (run it with -race), then checks that no
// goroutine outlives the work.
func TestConcurrentNoLeaks(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		big := bytes.Repeat([]byte("z"), 200<<10)
		mk := func() *httptest.Server {
			return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/robots.txt":
					io.WriteString(w, "User-agent: *\nDisallow: /no\n")
				case "/big":
					w.Write(big)
				case "/gz":
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(gzipBytes(t, big))
				case "/404":
					http.NotFound(w, r)
				case "/hop":
					http.Redirect(w, r, "/ok", http.StatusFound)
				case "/slow":
					select {
					case <-r.Context().Done():
					case <-time.After(5 * time.Second):
					}
				default:
					io.WriteString(w, "ok")
				}
			}))
		}
		servers := []*httptest.Server{mk(), mk(), mk()}
		defer func() {
			for _, s := range servers {
				s.Close()
			}
		}()
		c := New(Options{AllowPrivate: true, HostDelay: time.Millisecond, Timeout: time.Second, MaxBytes: 100 << 10})
		defer c.Close()
		paths := []string{"/ok", "/big", "/gz", "/404", "/hop", "/no", "/slow", "/ok"}
		var wg sync.WaitGroup
		var oks, fails atomic.Int32
		for i := range 48 {
			wg.Go(func() {
				s := servers[i%len(servers)]
				p := paths[i%len(paths)]
				_, err := c.Get(context.Background(), s.URL+p, Validators{})
				if (err == nil) != (p == "/ok" || p == "/hop") {
					t.Errorf("%s: unexpected result %v", p, err)
				}
				if err == nil {
					oks.Add(1)
				} else {
					fails.Add(1)
				}
			})
		}
		wg.Wait()
		if oks.Load() == 0 || fails.Load() == 0 {
			t.Errorf("oks %d fails %d", oks.Load(), fails.Load())
		}
	}()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines left, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

func TestErrorOneLine(t *testing.T) {
	e := &Error{URL: "http://x/", Err: errors.New("a\nb\r\tc\x01")}
	if got := e.Error(); got != `http://x/: a b  c'\x01'` {
		t.Errorf("got %q", got)
	}
	var _ = url.URL{}
}

func BenchmarkGet(b *testing.B) {
	for _, tc := range []struct {
		name string
		body []byte
		enc  string
	}{
		{"1KiB", bytes.Repeat([]byte("a"), 1<<10), ""},
		{"64KiB-gzip", gzipBytes(b, bytes.Repeat([]byte("dyad news text "), 64<<10/15)), "gzip"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					io.WriteString(w, "User-agent: *\nDisallow: /private\n")
					return
				}
				if tc.enc != "" {
					w.Header().Set("Content-Encoding", tc.enc)
				}
				w.Write(tc.body)
			}))
			defer srv.Close()
			c := New(Options{AllowPrivate: true, HostDelay: -1, Timeout: 5 * time.Second})
			defer c.Close()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Get(ctx, srv.URL+"/story", Validators{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
