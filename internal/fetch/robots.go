package fetch

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"
)

// robotsToken is the product token we look for in robots.txt user-agent lines,
// whatever full User-Agent string the client sends.
const robotsToken = "dyad"

const (
	maxRobotsBytes  = 512 << 10 // RFC 9309 asks parsers to read at least 500 KiB
	maxPatternBytes = 2048      // longer rules are ignored: bounded matching cost
	maxRules        = 10000     // per group set; the rest are ignored
	maxCrawlDelay   = 60 * time.Second
	maxMatchPath    = 8192 // longer URL paths are matched on their first 8 KiB
)

type rule struct {
	pattern string   // normalized, trailing '$' stripped
	segs    []string // pattern split at '*' runs
	anchor  bool     // pattern ended in '$': must match the whole path
	allow   bool
	length  int // length as written, for longest-match priority
}

// robots is what applies to us from one host's robots.txt.
type robots struct {
	rules       []rule
	crawlDelay  time.Duration
	disallowAll bool   // robots.txt unreachable: nothing may be fetched
	reason      string // why disallowAll, for the error message
}

// groupRules collects the rules and Crawl-delay of every group for one agent.
type groupRules struct {
	seen  bool
	rules []rule
	delay time.Duration
}

func (g *groupRules) add(r rule) {
	if len(g.rules) < maxRules {
		g.rules = append(g.rules, r)
	}
}

// parseRobots parses a robots.txt body (RFC 9309 plus the common Crawl-delay
// extension) and keeps the groups addressed to agent, or to "*" when no group
// names agent. Unknown lines and bad values are ignored, never fatal.
func parseRobots(body []byte, agent string) *robots {
	if len(body) > maxRobotsBytes {
		body = body[:maxRobotsBytes]
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	agent = strings.ToLower(agent)

	var (
		mine, star       groupRules
		inAgents         bool // the previous group line was a user-agent line
		curMine, curStar bool // the current group addresses us / everyone
	)
	for len(body) > 0 {
		var line []byte
		if i := bytes.IndexAny(body, "\r\n"); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			line, body = body, nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		key := strings.ToLower(string(bytes.TrimSpace(k)))
		val := string(bytes.TrimSpace(v))
		switch key {
		case "user-agent", "useragent", "user agent":
			if !inAgents { // a user-agent line after rules starts a new group
				curMine, curStar = false, false
			}
			inAgents = true
			if tok := productToken(val); tok != "" && tok == agent {
				curMine, mine.seen = true, true
			} else if strings.HasPrefix(val, "*") {
				curStar, star.seen = true, true
			}
		case "allow", "disallow":
			inAgents = false
			if val == "" { // "Disallow:" with no path allows everything
				continue
			}
			r, ok := makeRule(val, key == "allow")
			if !ok {
				continue
			}
			if curMine {
				mine.add(r)
			}
			if curStar {
				star.add(r)
			}
		case "crawl-delay":
			inAgents = false
			d, ok := parseDelay(val)
			if !ok {
				continue
			}
			if curMine && d > mine.delay {
				mine.delay = d
			}
			if curStar && d > star.delay {
				star.delay = d
			}
		case "sitemap":
			// Not a group member, so it neither ends nor starts a group.
		default:
			inAgents = false
		}
	}
	// A group naming us wins over "*" even when it has no rules.
	g := star
	if mine.seen {
		g = mine
	}
	return &robots{rules: g.rules, crawlDelay: g.delay}
}

// productToken reduces a user-agent line value to its leading product token
// ("Dyad/1.0 (+url)" -> "dyad"), the part RFC 9309 matches on.
func productToken(v string) string {
	end := 0
	for end < len(v) {
		c := v[end]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			break
		}
		end++
	}
	return strings.ToLower(v[:end])
}

func parseDelay(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return 0, false
	}
	if f >= maxCrawlDelay.Seconds() {
		return maxCrawlDelay, true
	}
	return time.Duration(f * float64(time.Second)), true
}

func makeRule(v string, allow bool) (rule, bool) {
	if len(v) > maxPatternBytes {
		return rule{}, false
	}
	r := rule{allow: allow, length: len(v)}
	if strings.HasSuffix(v, "$") {
		r.anchor = true
		v = v[:len(v)-1]
	}
	if v != "" && v[0] != '/' && v[0] != '*' {
		v = "/" + v // tolerate "Disallow: private/": paths are always absolute
	}
	r.pattern = normalizePath(v)
	// A run of '*' is one wildcard: keep the first and last pieces, drop the
	// empty ones between stars.
	parts := strings.Split(r.pattern, "*")
	r.segs = parts[:1]
	for i, seg := range parts[1:] {
		if seg != "" || i == len(parts)-2 {
			r.segs = append(r.segs, seg)
		}
	}
	return r, true
}

// allowed reports whether path (escaped path plus "?query") may be fetched:
// the longest matching rule wins, Allow wins a tie, no match allows.
func (r *robots) allowed(path string) bool {
	if r.disallowAll {
		return false
	}
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
	for i := range r.rules {
		ru := &r.rules[i]
		if ru.length < best || (ru.length == best && allow) {
			continue
		}
		if match(ru.segs, ru.anchor, path) {
			best, allow = ru.length, ru.allow
		}
	}
	return allow
}

// match reports whether the pattern split into segs (the literal pieces
// between '*'s) matches a prefix of path, or all of it when anchored. Placing
// each middle piece at its leftmost occurrence is optimal for '*'-only globs,
// so this is a handful of substring searches, never backtracking.
func match(segs []string, anchor bool, path string) bool {
	if !strings.HasPrefix(path, segs[0]) {
		return false
	}
	last := len(segs) - 1
	if last == 0 {
		return !anchor || len(path) == len(segs[0])
	}
	pos := len(segs[0])
	for _, seg := range segs[1:last] {
		j := strings.Index(path[pos:], seg)
		if j < 0 {
			return false
		}
		pos += j + len(seg)
	}
	if anchor {
		return len(path)-pos >= len(segs[last]) && strings.HasSuffix(path, segs[last])
	}
	return strings.Contains(path[pos:], segs[last])
}

// normalizePath puts robots patterns and URL paths into one form so they
// compare byte for byte: %XX of unreserved characters decoded, other escapes
// upper-cased, non-ASCII and control bytes escaped.
func normalizePath(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c <= ' ' || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(d) {
				b.WriteByte(d)
			} else {
				b.WriteByte('%')
				b.WriteByte(hexd[d>>4])
				b.WriteByte(hexd[d&15])
			}
			i += 2
		case c <= ' ' || c >= 0x7f || c == '%':
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
