// Package fetch is the polite HTTP client behind `dyad ingest`: it names dyad
// in its User-Agent, obeys robots.txt, spaces requests to each host, bounds
// time, size and redirects, refuses private addresses, and supports
// conditional requests so feeds can be polled cheaply.
//
// Share one Client per run: the robots.txt cache and the per-host spacing
// live in it. Timeout bounds each exchange (a robots.txt fetch, each redirect
// hop), not the wait for a host's turn; give ctx a deadline to bound a whole
// Get. Proxies from the environment are not used, since a proxy would dial
// on our behalf past the private-address guard.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultUserAgent is sent when Options.UserAgent is empty; UserAgent(version)
// gives the same string with a version.
const DefaultUserAgent = "dyad (+https://github.com/dyadproject/dyad)"

// UserAgent returns the User-Agent dyad sends for a given release version.
func UserAgent(version string) string {
	return "dyad/" + version + " (+https://github.com/dyadproject/dyad)"
}

// Defaults applied by New to zero Options fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBytes     = 16 << 20
	DefaultMaxRedirects = 5
	DefaultHostDelay    = time.Second
)

const (
	robotsTTL      = 24 * time.Hour   // RFC 9309: cache no longer than a day
	robotsRetryTTL = 10 * time.Minute // how long an unreachable robots.txt blocks a host
	maxRobotsHops  = 5
)

// Options configures a Client. Zero values take the documented defaults.
type Options struct {
	UserAgent    string        // default DefaultUserAgent; "dyad" is added if missing
	Timeout      time.Duration // per request exchange, dial to last body byte; default 30s
	MaxBytes     int64         // body cap, on the wire and after decoding; default 16 MiB
	MaxRedirects int           // default 5; negative follows none
	HostDelay    time.Duration // min gap between request starts to one host; default 1s, negative none
	AllowPrivate bool          // allow loopback/private/link-local/unspecified addresses
	IgnoreRobots bool
	Transport    http.RoundTripper // tests only; nil = our own guarded transport
}

// Validators let the next poll of a URL be a conditional request.
type Validators struct{ ETag, LastModified string }

// Response is a successful fetch (2xx, or 304 to a conditional request).
type Response struct {
	URL         string // final URL after redirects
	Status      int
	ContentType string
	Header      http.Header
	Body        []byte     // decoded and bounded; nil on 304
	NotModified bool       // 304 to a conditional request
	Validators  Validators // from this response, for the next poll
}

var (
	// ErrDisallowed is matched (errors.Is) by URLs robots.txt forbids.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrTooManyRedirects is matched (errors.Is) when MaxRedirects is exceeded.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// Error is every error Get returns: one line, starting with the requested URL
// (credentials redacted).
type Error struct {
	URL string
	Err error
}

func (e *Error) Error() string { return oneLine(e.URL + ": " + e.Err.Error()) }
func (e *Error) Unwrap() error { return e.Err }

// HTTPError is a final status other than 2xx or a conditional 304.
type HTTPError struct{ Status int }

func (e *HTTPError) Error() string {
	if t := http.StatusText(e.Status); t != "" {
		return fmt.Sprintf("HTTP %d %s", e.Status, t)
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// timeoutError reports a deadline with the phase it hit.
type timeoutError struct {
	d     time.Duration
	phase string
}

func (e *timeoutError) Error() string     { return fmt.Sprintf("timed out after %v %s", e.d, e.phase) }
func (e *timeoutError) Timeout() bool     { return true }
func (e *timeoutError) Is(err error) bool { return err == context.DeadlineExceeded }

// Client fetches URLs politely. It is safe for concurrent use.
type Client struct {
	ua           string
	timeout      time.Duration
	maxBytes     int64
	maxRedirects int
	hostDelay    time.Duration
	allowPrivate bool
	ignoreRobots bool
	robotsRetry  time.Duration

	rt        http.RoundTripper
	own       *http.Transport // nil when Options.Transport was given
	blockAddr func(netip.AddrPort) bool

	lim limiter

	robotsMu sync.Mutex
	robotsC  map[string]*robotsEntry
}

type robotsEntry struct {
	done    chan struct{} // non-nil while a fetch is in flight
	rules   *robots
	good    bool // a real answer (2xx/4xx), reusable when a refresh fails
	expires time.Time
}

// New returns a Client; it never fails, bad option values are replaced by defaults.
func New(o Options) *Client {
	c := &Client{
		ua:           strings.Join(strings.Fields(o.UserAgent), " "),
		timeout:      o.Timeout,
		maxBytes:     o.MaxBytes,
		maxRedirects: o.MaxRedirects,
		hostDelay:    o.HostDelay,
		allowPrivate: o.AllowPrivate,
		ignoreRobots: o.IgnoreRobots,
		robotsRetry:  robotsRetryTTL,
		robotsC:      make(map[string]*robotsEntry),
	}
	if c.ua == "" {
		c.ua = DefaultUserAgent
	} else if !strings.Contains(strings.ToLower(c.ua), robotsToken) {
		c.ua += " (compatible; dyad)" // operators must always be able to tell it is us
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	switch {
	case c.maxRedirects == 0:
		c.maxRedirects = DefaultMaxRedirects
	case c.maxRedirects < 0:
		c.maxRedirects = 0
	}
	switch {
	case c.hostDelay == 0:
		c.hostDelay = DefaultHostDelay
	case c.hostDelay < 0:
		c.hostDelay = 0
	}
	c.lim.maxGap = max(c.hostDelay, maxCrawlDelay)
	c.blockAddr = func(ap netip.AddrPort) bool { return !c.allowPrivate && isPrivate(ap.Addr()) }
	if o.Transport != nil {
		c.rt = o.Transport
	} else {
		c.own = &http.Transport{
			Proxy:                  nil, // a proxy would dial for us, past the address guard
			DialContext:            c.dialContext,
			ForceAttemptHTTP2:      true,
			TLSHandshakeTimeout:    c.timeout,
			ResponseHeaderTimeout:  c.timeout,
			ExpectContinueTimeout:  time.Second,
			DisableCompression:     true, // we decode, so MaxBytes bounds decoded bytes
			MaxIdleConns:           100,
			MaxIdleConnsPerHost:    2,
			IdleConnTimeout:        90 * time.Second,
			MaxResponseHeaderBytes: 1 << 20,
		}
		c.rt = c.own
	}
	return c
}

func (c *Client) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second, Control: c.control}
	return d.DialContext(ctx, network, addr)
}

// Close releases idle connections. The Client stays usable.
func (c *Client) Close() {
	if c.own != nil {
		c.own.CloseIdleConnections()
	}
}

// Get fetches rawURL, following redirects. v, when set, makes the request
// conditional. Any failure, including a non-2xx status, is an *Error.
func (c *Client) Get(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &Error{URL: redactRaw(rawURL), Err: fmt.Errorf("invalid URL: %v", err)}
	}
	u.Fragment, u.RawFragment = "", ""
	name := u.Redacted()
	if err := c.checkURL(u); err != nil {
		return nil, &Error{URL: name, Err: err}
	}
	cur := u
	for hop := 0; ; hop++ {
		fail := func(err error) error {
			if hop > 0 {
				err = fmt.Errorf("redirect to %s: %w", cur.Redacted(), err)
			}
			return &Error{URL: name, Err: err}
		}
		if hop > 0 {
			if err := c.checkURL(cur); err != nil {
				return nil, fail(err)
			}
		}
		gap := c.hostDelay
		if !c.ignoreRobots {
			rb, err := c.robotsFor(ctx, cur)
			if err != nil {
				return nil, fail(err)
			}
			if !rb.allowed(requestPath(cur)) {
				if rb.reason != "" {
					return nil, fail(fmt.Errorf("%w (robots.txt unreachable: %s)", ErrDisallowed, rb.reason))
				}
				return nil, fail(ErrDisallowed)
			}
			gap = max(gap, rb.crawlDelay)
		}
		resp, ctx2, cancel, err := c.exchange(ctx, cur, gap, v)
		if err != nil {
			return nil, fail(err)
		}
		code := resp.StatusCode
		if isRedirect(code) {
			loc := resp.Header.Get("Location")
			resp.Body.Close()
			cancel()
			if loc == "" {
				return nil, fail(fmt.Errorf("HTTP %d without Location", code))
			}
			if hop >= c.maxRedirects {
				return nil, fail(fmt.Errorf("%w (more than %d)", ErrTooManyRedirects, c.maxRedirects))
			}
			next, err := cur.Parse(loc)
			if err != nil {
				return nil, fail(fmt.Errorf("bad redirect Location %q", loc))
			}
			next.Fragment, next.RawFragment = "", ""
			cur = next
			continue
		}
		r := &Response{
			URL:         cur.String(),
			Status:      code,
			ContentType: resp.Header.Get("Content-Type"),
			Header:      resp.Header,
			Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
		}
		if code == http.StatusNotModified && (v.ETag != "" || v.LastModified != "") {
			resp.Body.Close()
			cancel()
			// A 304 may omit validators; the ones we sent still hold.
			if r.Validators.ETag == "" {
				r.Validators.ETag = v.ETag
			}
			if r.Validators.LastModified == "" {
				r.Validators.LastModified = v.LastModified
			}
			r.NotModified = true
			return r, nil
		}
		if code < 200 || code > 299 {
			resp.Body.Close()
			cancel()
			return nil, fail(&HTTPError{Status: code})
		}
		body, err := readBody(resp, c.maxBytes, false)
		resp.Body.Close()
		if err != nil {
			err = c.timeoutErr(ctx, ctx2, err, "reading body")
		}
		cancel()
		if err != nil {
			return nil, fail(err)
		}
		r.Body = body
		return r, nil
	}
}

// redactRaw hides credentials in a URL that did not parse, as
// url.URL.Redacted does for one that did.
func redactRaw(raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	auth := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		auth = rest[:i]
	}
	at := strings.LastIndexByte(auth, '@')
	if at < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(auth[:at], ":")
	if !hasPass {
		return raw
	}
	start := len(raw) - len(rest)
	return raw[:start] + user + ":xxxxx" + raw[start+at:]
}

func isRedirect(code int) bool {
	switch code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// requestPath is what robots rules are matched against.
func requestPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// hostKey names a host for rate limiting: lower-cased, default port dropped.
func hostKey(u *url.URL) string {
	h := strings.ToLower(u.Host)
	if u.Scheme == "http" {
		h = strings.TrimSuffix(h, ":80")
	} else if u.Scheme == "https" {
		h = strings.TrimSuffix(h, ":443")
	}
	return h
}

// exchange waits for the host's turn, then sends one GET; the per-exchange
// Timeout starts after the wait, which only ctx bounds. The caller must
// close the body and call cancel; ctx2 bounds the whole exchange by Timeout.
func (c *Client) exchange(ctx context.Context, u *url.URL, gap time.Duration, v Validators) (*http.Response, context.Context, context.CancelFunc, error) {
	start, err := c.lim.wait(ctx, hostKey(u), gap)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("waiting for our turn at %s: %w", hostKey(u), err)
	}
	ctx2, cancel := context.WithTimeout(ctx, c.timeout)
	req, err := http.NewRequestWithContext(ctx2, http.MethodGet, u.String(), nil)
	if err != nil {
		start()
		cancel()
		return nil, nil, nil, err
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	start()
	resp, err := c.rt.RoundTrip(req)
	if err != nil {
		err = c.timeoutErr(ctx, ctx2, err, "waiting for a response")
		cancel()
		return nil, nil, nil, err
	}
	return resp, ctx2, cancel, nil
}

// timeoutErr turns the many shapes of a deadline into one readable error and
// keeps the address guard's refusal as it is.
func (c *Client) timeoutErr(ctx, ctx2 context.Context, err error, phase string) error {
	var pe *privateAddrError
	if errors.As(err, &pe) {
		return pe
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ne net.Error
	if ctx2.Err() == context.DeadlineExceeded || errors.As(err, &ne) && ne.Timeout() {
		return &timeoutError{d: c.timeout, phase: phase}
	}
	return err
}

// robotsFor returns the robots rules for u's scheme and host, fetching them
// at most once at a time per host and caching the answer.
func (c *Client) robotsFor(ctx context.Context, u *url.URL) (*robots, error) {
	key := u.Scheme + "://" + hostKey(u)
	for {
		c.robotsMu.Lock()
		e := c.robotsC[key]
		if e != nil && e.done != nil {
			ch := e.done
			c.robotsMu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if e != nil && time.Now().Before(e.expires) {
			c.robotsMu.Unlock()
			return e.rules, nil
		}
		var stale *robots
		if e != nil && e.good {
			stale = e.rules
		}
		ne := &robotsEntry{done: make(chan struct{})}
		c.putRobots(key, ne)
		c.robotsMu.Unlock()

		rules, good, ttl, err := c.fetchRobots(ctx, u, stale)

		c.robotsMu.Lock()
		ch := ne.done
		ne.done = nil
		if err != nil { // our own failure (cancelled, private): cache nothing
			if e != nil {
				c.robotsC[key] = e
			} else {
				delete(c.robotsC, key)
			}
		} else {
			ne.rules, ne.good, ne.expires = rules, good, time.Now().Add(ttl)
		}
		close(ch)
		c.robotsMu.Unlock()
		if err != nil {
			return nil, err
		}
		return rules, nil
	}
}

// putRobots stores e, evicting expired and then arbitrary settled entries
// when the cache is full. Called with robotsMu held.
func (c *Client) putRobots(key string, e *robotsEntry) {
	if _, ok := c.robotsC[key]; !ok && len(c.robotsC) >= maxHosts {
		now := time.Now()
		for k, old := range c.robotsC {
			if old.done == nil && now.After(old.expires) {
				delete(c.robotsC, k)
			}
		}
		for k, old := range c.robotsC {
			if len(c.robotsC) < maxHosts {
				break
			}
			if old.done == nil {
				delete(c.robotsC, k)
			}
		}
	}
	c.robotsC[key] = e
}

// fetchRobots gets /robots.txt for u's host. Following RFC 9309: 2xx is
// parsed; other 4xx means no robots.txt, so everything is allowed; 5xx, 429
// and network failures mean the site is unreachable and everything is
// disallowed for robotsRetry (or the last good copy kept), since a site in
// trouble is the one a crawler must not add load to. The error return is
// only for failures of our own: cancellation or a private address.
func (c *Client) fetchRobots(ctx context.Context, u *url.URL, stale *robots) (*robots, bool, time.Duration, error) {
	unreachable := func(reason string) (*robots, bool, time.Duration, error) {
		if stale != nil {
			return stale, true, c.robotsRetry, nil
		}
		return &robots{disallowAll: true, reason: oneLine(reason)}, false, c.robotsRetry, nil
	}
	allowAll := &robots{}
	cur := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	gap := c.hostDelay
	if stale != nil {
		gap = max(gap, stale.crawlDelay)
	}
	for hop := 0; hop <= maxRobotsHops; hop++ {
		if hop > 0 {
			if err := c.checkURL(cur); err != nil {
				return unreachable("redirect to " + cur.Redacted() + ": " + err.Error())
			}
		}
		resp, ctx2, cancel, err := c.exchange(ctx, cur, gap, Validators{})
		if err != nil {
			if ctx.Err() != nil {
				return nil, false, 0, err
			}
			if errors.Is(err, ErrPrivateAddress) {
				if hop == 0 {
					return nil, false, 0, err // the page's own host is private
				}
			}
			return unreachable(err.Error())
		}
		code := resp.StatusCode
		switch {
		case isRedirect(code):
			loc := resp.Header.Get("Location")
			resp.Body.Close()
			cancel()
			next, err := cur.Parse(loc)
			if loc == "" || err != nil {
				return allowAll, true, robotsTTL, nil
			}
			cur, gap = next, c.hostDelay
			continue
		case code >= 200 && code <= 299:
			body, err := readBody(resp, maxRobotsBytes, true)
			resp.Body.Close()
			if err != nil {
				err = c.timeoutErr(ctx, ctx2, err, "reading robots.txt")
			}
			cancel()
			if err != nil {
				if ctx.Err() != nil {
					return nil, false, 0, err
				}
				return unreachable(err.Error())
			}
			return parseRobots(body, robotsToken), true, robotsTTL, nil
		case code == http.StatusTooManyRequests || code >= 500:
			resp.Body.Close()
			cancel()
			return unreachable((&HTTPError{Status: code}).Error())
		default: // 4xx and oddities: no usable robots.txt, nothing forbidden
			resp.Body.Close()
			cancel()
			return allowAll, true, robotsTTL, nil
		}
	}
	// RFC 9309 lets a crawler treat a robots.txt behind too many redirects as absent.
	return allowAll, true, robotsTTL, nil
}

// oneLine keeps error messages on one line whatever a server or URL sent.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t\x00") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < ' ':
			b.WriteString(strconv.QuoteRune(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
