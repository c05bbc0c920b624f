package fetch

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseRobots(t *testing.T) {
	type check struct {
		path string
		want bool
	}
	cases := []struct {
		name   string
		body   string
		checks []check
	}{
		{"prefix disallow", "User-agent: *\nDisallow: /private\n", []check{
			{"/private", false}, {"/private/x", false}, {"/privateer", false}, {"/public", true}, {"/", true}, {"", true},
		}},
		{"longest match wins", "User-agent: *\nDisallow: /a\nAllow: /a/b\n", []check{
			{"/a/b/c", true}, {"/a/c", false}, {"/a", false},
		}},
		{"allow wins a tie", "User-agent: *\nDisallow: /x\nAllow: /x\n", []check{{"/x", true}}},
		{"longer disallow beats shorter allow", "User-agent: *\nAllow: /p\nDisallow: /p/q\n", []check{
			{"/p/q", false}, {"/p/r", true},
		}},
		{"star and dollar", "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?\nDisallow: /foo*bar\n", []check{
			{"/doc.pdf", false}, {"/a/b/doc.pdf", false}, {"/doc.pdfx", true}, {"/doc.PDF", true},
			{"/page?id=1", false}, {"/page", true},
			{"/foo/baz/bar", false}, {"/foobar", false}, {"/foobaz", true},
		}},
		{"star dollar matches all", "User-agent: *\nDisallow: *$\n", []check{{"/", false}, {"/a?b", false}}},
		{"trailing star is a no-op", "User-agent: *\nDisallow: /a**\n", []check{{"/a", false}, {"/ab", false}, {"/b", true}}},
		{"anchored piece after a star", "User-agent: *\nDisallow: /*ab$\n", []check{{"/ab", false}, {"/xabab", false}, {"/aba", true}}},
		{"dollar alone anchors root", "User-agent: *\nDisallow: /$\n", []check{{"/", false}, {"/a", true}}},
		{"our group beats star", "User-agent: *\nDisallow: /\n\nUser-agent: dyad\nDisallow: /x\n", []check{
			{"/x", false}, {"/y", true},
		}},
		{"our empty group beats star", "User-agent: dyad\nDisallow:\n\nUser-agent: *\nDisallow: /\n", []check{{"/y", true}}},
		{"blank lines do not end an agent run", "User-agent: dyad\n\nUser-agent: *\nDisallow: /\n", []check{{"/y", false}}},
		{"agent match is case-insensitive on the product token", "User-Agent: DYAD/2.0 (+x)\nDisallow: /x\nUser-agent: *\nDisallow: /\n", []check{
			{"/x", false}, {"/y", true},
		}},
		{"agent name is not a substring match", "User-agent: dyadbot\nDisallow: /\n", []check{{"/y", true}}},
		{"several agents share a group", "User-agent: other\nUser-agent: dyad\nDisallow: /x\n", []check{{"/x", false}}},
		{"our groups merge", "User-agent: dyad\nDisallow: /a\n\nUser-agent: *\nDisallow: /c\n\nUser-agent: dyad\nDisallow: /b\n", []check{
			{"/a", false}, {"/b", false}, {"/c", true},
		}},
		{"agent line after rules starts a group", "User-agent: dyad\nDisallow: /a\nUser-agent: other\nDisallow: /b\n", []check{
			{"/a", false}, {"/b", true},
		}},
		{"sitemap does not split a group", "User-agent: dyad\nSitemap: https://x/s.xml\nDisallow: /a\n", []check{{"/a", false}}},
		{"empty disallow allows all", "User-agent: *\nDisallow:\n", []check{{"/anything", true}}},
		{"only other bots", "User-agent: googlebot\nDisallow: /\n", []check{{"/", true}}},
		{"rules before any agent are ignored", "Disallow: /\nUser-agent: *\nDisallow: /b\n", []check{{"/a", true}, {"/b", false}}},
		{"comments CRLF BOM", "\xef\xbb\xbfUser-agent: * # all\r\nDisallow: /c # secret\r\n# Disallow: /d\r\n", []check{
			{"/c", false}, {"/d", true},
		}},
		{"missing slash tolerated", "User-agent: *\nDisallow: private/\n", []check{{"/private/x", false}}},
		{"percent-encoding normalised", "User-agent: *\nDisallow: /%7Euser\nDisallow: /café\nDisallow: /a%2fb\n", []check{
			{"/~user/x", false}, {"/caf%c3%a9", false}, {"/a%2Fb", false}, {"/a/b", true},
		}},
		{"robots.txt always allowed", "User-agent: *\nDisallow: /\n", []check{{"/robots.txt", true}, {"/robots.txt?x", false}}},
		{"garbage", "\x00\xff\nnot a line\n:::\nUser-agent\nDisallow /x\n", []check{{"/x", true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := parseRobots([]byte(tc.body), robotsToken)
			for _, c := range tc.checks {
				if got := r.allowed(c.path); got != c.want {
					t.Errorf("allowed(%q) = %v, want %v", c.path, got, c.want)
				}
			}
		})
	}
}

func TestCrawlDelay(t *testing.T) {
	cases := []struct {
		body string
		want time.Duration
	}{
		{"User-agent: *\nCrawl-delay: 2.5\n", 2500 * time.Millisecond},
		{"User-agent: *\nCrawl-delay: 1\nCrawl-delay: 3\n", 3 * time.Second},
		{"User-agent: *\nCrawl-delay: 86400\n", maxCrawlDelay},
		{"User-agent: *\nCrawl-delay: soon\nCrawl-delay: -4\nCrawl-delay: NaN\n", 0},
		{"User-agent: *\nCrawl-delay: 5\nUser-agent: dyad\nCrawl-delay: 2\n", 2 * time.Second},
		{"User-agent: other\nCrawl-delay: 5\n", 0},
	}
	for _, tc := range cases {
		if got := parseRobots([]byte(tc.body), robotsToken).crawlDelay; got != tc.want {
			t.Errorf("%q: crawl delay %v, want %v", tc.body, got, tc.want)
		}
	}
}

func TestParseRobotsBounds(t *testing.T) {
	// A rule past the size cap is not read; an over-long pattern is ignored.
	body := "User-agent: *\n" + strings.Repeat("#", maxRobotsBytes) + "\nDisallow: /late\n" +
		"Disallow: /" + strings.Repeat("x", maxPatternBytes) + "\n"
	r := parseRobots([]byte(body), robotsToken)
	if !r.allowed("/late") || len(r.rules) != 0 {
		t.Fatalf("rules past %d bytes were used: %d rules", maxRobotsBytes, len(r.rules))
	}
	// The worst a hostile robots.txt can do: the most rules, each as long as
	// allowed and full of wildcards, against the longest path we match.
	var sb strings.Builder
	sb.WriteString("User-agent: *\n")
	for sb.Len() < maxRobotsBytes-maxPatternBytes {
		sb.WriteString("Disallow: /" + strings.Repeat("*a", 200) + "b\n")
	}
	r = parseRobots([]byte(sb.String()), robotsToken)
	path := "/" + strings.Repeat("a", maxMatchPath*2)
	start := time.Now()
	if !r.allowed(path) {
		t.Fatal("pattern ending in b matched a path without b")
	}
	// A hang guard, not a benchmark: this takes milliseconds.
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("one check against %d rules took %v", len(r.rules), d)
	}
}

func TestNormalizePath(t *testing.T) {
	cases := map[string]string{
		"/a%7eb":  "/a~b",
		"/%2f":    "/%2F",
		"/é":      "/%C3%A9",
		"/a b":    "/a%20b",
		"/100%":   "/100%25",
		"/%zz":    "/%25zz",
		"/plain*": "/plain*",
	}
	for in, want := range cases {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

// refAllowed is a slow, obviously-correct model of robots.allowed built on
// regexp, used to check the hand-written matcher.
func refAllowed(t *testing.T, r *robots, path string) bool {
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	if len(path) > maxMatchPath {
		path = path[:maxMatchPath]
	}
	path = normalizePath(path)
	best, allow := -1, true
	for _, ru := range r.rules {
		expr := "^" + strings.ReplaceAll(regexp.QuoteMeta(ru.pattern), `\*`, `.*`)
		if ru.anchor {
			expr += "$"
		}
		re, err := regexp.Compile("(?s)" + expr)
		if err != nil {
			t.Fatalf("reference regexp %q: %v", expr, err)
		}
		if !re.MatchString(path) {
			continue
		}
		if ru.length > best || ru.length == best && ru.allow {
			best, allow = ru.length, ru.allow
		}
	}
	return allow
}

func FuzzRobots(f *testing.F) {
	f.Add("User-agent: *\nDisallow: /private\nAllow: /private/ok\n", "/private/ok/1")
	f.Add("User-agent: dyad\nDisallow: /*.pdf$\nCrawl-delay: 2\n", "/a/b.pdf")
	f.Add("User-agent: *\nDisallow: /*?*x*\n", "/p?aaxb")
	f.Add("user-agent: DYAD\r\ndisallow: /%7e\r\nallow: /~a$\n", "/~a")
	f.Add("\xef\xbb\xbfUser-agent:*\nDisallow:/\nSitemap: x\n", "/robots.txt")
	f.Fuzz(func(t *testing.T, body, path string) {
		r := parseRobots([]byte(body), robotsToken)
		if !r.allowed("/robots.txt") {
			t.Fatal("/robots.txt disallowed")
		}
		if r.crawlDelay < 0 || r.crawlDelay > maxCrawlDelay {
			t.Fatalf("crawl delay %v out of range", r.crawlDelay)
		}
		if len(r.rules) > maxRules {
			t.Fatalf("%d rules", len(r.rules))
		}
		if again := parseRobots([]byte(body), robotsToken); !reflect.DeepEqual(r, again) {
			t.Fatal("parse is not deterministic")
		}
		got := r.allowed(path)
		if len(r.rules) <= 64 {
			if want := refAllowed(t, r, path); got != want {
				t.Fatalf("allowed(%q) = %v, reference says %v; rules %+v", path, got, want, r.rules)
			}
		}
		if n := normalizePath(path); normalizePath(n) != n {
			t.Fatalf("normalizePath not idempotent on %q", path)
		}
	})
}

func BenchmarkRobotsAllowed(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("User-agent: *\n")
	for i := 0; i < 200; i++ {
		sb.WriteString("Disallow: /section" + string(rune('a'+i%26)) + "/*/print$\n")
		sb.WriteString("Allow: /section" + string(rune('a'+i%26)) + "/public*\n")
	}
	r := parseRobots([]byte(sb.String()), robotsToken)
	b.ReportAllocs()
	for b.Loop() {
		r.allowed("/sectionq/2024/06/15/some-long-story-slug-about-politics?utm_source=feed")
	}
}
