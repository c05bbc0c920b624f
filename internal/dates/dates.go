// Package dates resolves the date of an event from the words of its sentence
// and the article's reference date (the dateline date, else the user's --date).
//
// The common path uses no regular expressions: a sentence is scanned once for
// words, and only words in a small table (weekdays, months, "yesterday", ...)
// are looked at further. Every returned time is midnight UTC of the date.
package dates

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// cue kinds for the words that matter.
const (
	cueNone = iota
	cueWeekday
	cueMonth
	cueYesterday
	cueToday
	cueTomorrow
	cueAgo     // "two days ago"
	cueBack    // "after", "earlier": "a day after X" puts the event a day before ref
	cueDay     // "day", "days", "week", "weeks" (unit words)
	cueBefore  // "the day before"
	cuePrev    // "previous", "prior"
	cueLast    // "last"
	cueNext    // "next", "coming"
	cueThis    // "this"
	cueNight   // "night"
	cueFuture  // "will", "shall", "scheduled" ... before a weekday: the coming one
	cueSay     // "said", "told" ...: ends the reach of a future word
	cueBound   // "since", "until", "by" ...: a date after it is not the event's date
	cueNumWord // "a", "one" ... "ten"
	cueOf      // "of" in "the 22nd of March"
	cueThe     // "the"
)

type cue struct {
	kind int
	val  int // weekday, month, number or unit length in days
}

var cues = map[string]cue{
	"monday": {cueWeekday, int(time.Monday)}, "tuesday": {cueWeekday, int(time.Tuesday)},
	"wednesday": {cueWeekday, int(time.Wednesday)}, "thursday": {cueWeekday, int(time.Thursday)},
	"friday": {cueWeekday, int(time.Friday)}, "saturday": {cueWeekday, int(time.Saturday)},
	"sunday": {cueWeekday, int(time.Sunday)},

	"january": {cueMonth, 1}, "february": {cueMonth, 2}, "march": {cueMonth, 3}, "april": {cueMonth, 4},
	"may": {cueMonth, 5}, "june": {cueMonth, 6}, "july": {cueMonth, 7}, "august": {cueMonth, 8},
	"september": {cueMonth, 9}, "october": {cueMonth, 10}, "november": {cueMonth, 11}, "december": {cueMonth, 12},
	"jan": {cueMonth, 1}, "feb": {cueMonth, 2}, "mar": {cueMonth, 3}, "apr": {cueMonth, 4},
	"jun": {cueMonth, 6}, "jul": {cueMonth, 7}, "aug": {cueMonth, 8}, "sep": {cueMonth, 9},
	"sept": {cueMonth, 9}, "oct": {cueMonth, 10}, "nov": {cueMonth, 11}, "dec": {cueMonth, 12},

	"yesterday": {cueYesterday, 0}, "today": {cueToday, 0}, "tonight": {cueToday, 0},
	"tomorrow": {cueTomorrow, 0},
	"ago":      {cueAgo, 0}, "after": {cueBack, 0}, "earlier": {cueBack, 0},
	"day": {cueDay, 1}, "days": {cueDay, 1}, "week": {cueDay, 7}, "weeks": {cueDay, 7},
	"before": {cueBefore, 0}, "previous": {cuePrev, 0}, "prior": {cuePrev, 0},
	"last": {cueLast, 0}, "next": {cueNext, 0}, "coming": {cueNext, 0}, "this": {cueThis, 0},
	"night": {cueNight, 0},

	"will": {cueFuture, 0}, "shall": {cueFuture, 0}, "scheduled": {cueFuture, 0},
	"slated": {cueFuture, 0}, "due": {cueFuture, 0}, "upcoming": {cueFuture, 0},

	"said": {cueSay, 0}, "says": {cueSay, 0}, "told": {cueSay, 0}, "announced": {cueSay, 0},
	"stated": {cueSay, 0}, "reported": {cueSay, 0},

	"since": {cueBound, 0}, "until": {cueBound, 0}, "till": {cueBound, 0}, "by": {cueBound, 0},
	"through": {cueBound, 0}, "from": {cueBound, 0}, "to": {cueBound, 0}, "between": {cueBound, 0},

	"a": {cueNumWord, 1}, "an": {cueNumWord, 1}, "one": {cueNumWord, 1}, "two": {cueNumWord, 2},
	"three": {cueNumWord, 3}, "four": {cueNumWord, 4}, "five": {cueNumWord, 5}, "six": {cueNumWord, 6},
	"seven": {cueNumWord, 7}, "eight": {cueNumWord, 8}, "nine": {cueNumWord, 9}, "ten": {cueNumWord, 10},
	"of": {cueOf, 0}, "the": {cueThe, 0},
}

// triggers are the cue kinds that can make a sentence differ from ref; a
// sentence with none of them (and no ISO date) takes the fast path.
func isTrigger(k int) bool {
	switch k {
	case cueWeekday, cueMonth, cueYesterday, cueToday, cueTomorrow, cueAgo, cueBack, cueBefore, cuePrev, cueNight:
		return true
	}
	return false
}

const maxCueLen = 9 // len("wednesday")

// lookup finds w (ASCII letters) in cues case-insensitively without allocating.
func lookup(w string) cue {
	if len(w) > maxCueLen {
		return cue{}
	}
	var buf [maxCueLen]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return cues[string(buf[:len(w)])]
}

// Month returns the month a name or common abbreviation ("Mar", "Sept.")
// stands for, case-insensitively.
func Month(name string) (time.Month, bool) {
	if n := len(name); n > 0 && name[n-1] == '.' {
		name = name[:n-1]
	}
	c := lookup(name)
	if c.kind != cueMonth {
		return 0, false
	}
	return time.Month(c.val), true
}

// Weekday returns the weekday a full name stands for, case-insensitively.
func Weekday(name string) (time.Weekday, bool) {
	c := lookup(name)
	if c.kind != cueWeekday {
		return 0, false
	}
	return time.Weekday(c.val), true
}

// Token kinds.
const (
	tWord = iota
	tNum
	tISO   // 2021-03-22
	tComma // ","
	tOther // any other punctuation that separates clauses
)

type token struct {
	s    string // as written (a word without its possessive "'s")
	kind int
	cue  cue
	poss bool // "Monday's"
	num  int  // value of tNum (ordinal suffix dropped); -1 when too long
}

// tokenize splits s into words, numbers, ISO dates and commas. Periods are
// dropped so "Mar. 22" reads as "Mar 22"; other punctuation becomes tOther.
func tokenize(s string, toks []token) []token {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c < utf8.RuneSelf && (c == ' ' || c == '.' || c == '\n' || c == '\t' || c == '\r'):
			i++
		case c == ',':
			toks = append(toks, token{s: ",", kind: tComma})
			i++
		case '0' <= c && c <= '9':
			j := i
			n := 0
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				if n >= 0 && j-i < 9 {
					n = n*10 + int(s[j]-'0')
				} else {
					n = -1
				}
				j++
			}
			// ISO date: dddd-dd-dd
			if j-i == 4 && j+6 <= len(s) && s[j] == '-' && isDigits(s[j+1:j+3]) && s[j+3] == '-' && isDigits(s[j+4:j+6]) &&
				(j+6 == len(s) || !isDigitByte(s[j+6])) {
				toks = append(toks, token{s: s[i : j+6], kind: tISO})
				i = j + 6
				continue
			}
			t := token{s: s[i:j], kind: tNum, num: n}
			// ordinal suffix: 22nd, 1st, 3rd, 4th
			if j+2 <= len(s) {
				switch lower2(s[j : j+2]) {
				case "st", "nd", "rd", "th":
					if j+2 == len(s) || !isLetterByte(s[j+2]) {
						j += 2
					}
				}
			}
			// glued letters ("5pm", "10km") make it something other than a day number
			if j < len(s) && isLetterByte(s[j]) {
				t.num = -1
				for j < len(s) && (isLetterByte(s[j]) || isDigitByte(s[j])) {
					j++
				}
			}
			toks = append(toks, t)
			i = j
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) {
				if !unicode.IsSpace(r) {
					toks = append(toks, token{s: s[i : i+size], kind: tOther})
				}
				i += size
				continue
			}
			j := i + size
			for j < len(s) {
				r, size = utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += size
			}
			t := token{s: s[i:j], kind: tWord}
			t.cue = lookup(t.s)
			// possessive or contraction: Monday's, Monday’s, they'll
			if j < len(s) && (s[j] == '\'' || (j+3 <= len(s) && s[j:j+3] == "’")) {
				k := j + 1
				if s[j] != '\'' {
					k = j + 3
				}
				if k < len(s) && (s[k] == 's' || s[k] == 'S') && (k+1 == len(s) || !isLetterByte(s[k+1])) {
					t.poss = true
					j = k + 1
				} else if k+1 < len(s) && lower2(s[k:k+2]) == "ll" && (k+2 == len(s) || !isLetterByte(s[k+2])) {
					t.cue = cue{cueFuture, 0}
					j = k + 2
				}
			}
			toks = append(toks, t)
			i = j
		}
	}
	return toks
}

func isDigitByte(c byte) bool  { return '0' <= c && c <= '9' }
func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

func lower2(s string) string {
	if len(s) != 2 {
		return ""
	}
	b0, b1 := s[0]|0x20, s[1]|0x20
	switch {
	case b0 == 's' && b1 == 't':
		return "st"
	case b0 == 'n' && b1 == 'd':
		return "nd"
	case b0 == 'r' && b1 == 'd':
		return "rd"
	case b0 == 't' && b1 == 'h':
		return "th"
	case b0 == 'l' && b1 == 'l':
		return "ll"
	}
	return ""
}

// ParseDate reads YYYY-MM-DD or YYYYMMDD (surrounding spaces allowed) and
// rejects dates that do not exist, such as 2021-02-29.
func ParseDate(s string) (time.Time, bool) {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	var y, m, d string
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d = s[:4], s[5:7], s[8:]
	case len(s) == 8:
		y, m, d = s[:4], s[4:6], s[6:]
	default:
		return time.Time{}, false
	}
	if !isDigits(y) || !isDigits(m) || !isDigits(d) {
		return time.Time{}, false
	}
	return makeDate(atoi(y), time.Month(atoi(m)), atoi(d))
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// makeDate builds the date and refuses ones time.Date would normalise
// (April 31 becoming May 1).
func makeDate(y int, m time.Month, d int) (time.Time, bool) {
	if y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != m {
		return time.Time{}, false
	}
	return t, true
}

// Day truncates t to midnight UTC of its calendar date (in t's own location).
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// YearFor gives a month and day written without a year the year that puts it
// nearest ref with a bias to the past (news mostly reports what happened):
// ref's year, the previous year when that lands more than 90 days after ref,
// the next year when it lands more than 275 days before ref.
func YearFor(m time.Month, d int, ref time.Time) (time.Time, bool) {
	ref = Day(ref)
	y := ref.Year()
	if t, ok := makeDate(y, m, d); ok {
		switch {
		case t.After(ref.AddDate(0, 0, 90)):
			return makeDate(y-1, m, d)
		case t.Before(ref.AddDate(0, 0, -275)):
			return makeDate(y+1, m, d)
		}
		return t, true
	}
	// Feb 29 outside a leap year: try the neighbours the same way.
	if t, ok := makeDate(y-1, m, d); ok && !t.Before(ref.AddDate(0, 0, -275)) {
		return t, true
	}
	if t, ok := makeDate(y+1, m, d); ok && !t.After(ref.AddDate(0, 0, 90)) {
		return t, true
	}
	return time.Time{}, false
}

// Ranks of candidate dates; the lowest rank wins, then the earliest mention.
const (
	rankFull     = iota // explicit date with a year
	rankMonthDay        // "March 22"
	rankWeekday         // "said Tuesday", "a day after Monday's vote"
	rankRelative        // "yesterday", "a day after", "two days ago"
	rankNone
)

// Resolve returns the date the sentence's event happened, as midnight UTC.
//
//   - an explicit date: "on 2021-03-22", "March 22, 2021", "22 March 2021";
//     "March 22" / "22nd of March" take the year from ref (see YearFor);
//   - a weekday: the one on or before ref ("said Tuesday" with ref a Tuesday
//     is ref itself, "Monday" is the day before); "last Monday" is strictly
//     before ref; "next Monday", "this Monday" and a weekday after "will",
//     "scheduled", "due" ... (with no "said" in between) are on or after ref;
//   - "yesterday", "last night" (-1), "today", "tonight" (0), "tomorrow" (+1),
//     "two days ago", "a week ago", "a day after X", "N days earlier",
//     "the day before", "the previous day" (all count back from ref);
//     "a day after Monday's vote" is the Tuesday.
//
// Dates after "since", "until", "by", "from", "to", "through", "between"
// bound the event rather than date it and are ignored, as are possessive
// weekdays ("criticised Monday's sanctions"). With no cue the event is dated
// ref. ok is false when ref is zero and the sentence has no full date.
func Resolve(sentence string, ref time.Time) (time.Time, bool) {
	hasRef := !ref.IsZero()
	if hasRef {
		ref = Day(ref)
	}
	if !mayHaveCue(sentence) {
		return ref, hasRef
	}
	var buf [64]token
	toks := tokenize(sentence, buf[:0])

	best, bestRank := time.Time{}, rankNone
	offer := func(t time.Time, rank int) {
		if rank < bestRank {
			best, bestRank = t, rank
		}
	}
	for i := 0; i < len(toks) && bestRank > rankFull; i++ {
		tk := toks[i]
		switch {
		case tk.kind == tISO:
			if bounded(toks, i) {
				continue
			}
			if t, ok := ParseDate(tk.s); ok {
				offer(t, rankFull)
			}
		case tk.kind == tNum:
			// "22 March [2021]", "22nd of March"
			if tk.num < 1 || tk.num > 31 {
				continue
			}
			j := i + 1
			if j < len(toks) && toks[j].cue.kind == cueOf {
				j++
			}
			if j < len(toks) && toks[j].kind == tWord && toks[j].cue.kind == cueMonth && monthCased(toks[j].s) {
				if bounded(toks, i) {
					continue
				}
				m := time.Month(toks[j].cue.val)
				if y, ok := yearAfter(toks, j+1); ok {
					if t, ok := makeDate(y, m, tk.num); ok {
						offer(t, rankFull)
					}
				} else if hasRef {
					if t, ok := YearFor(m, tk.num, ref); ok {
						offer(t, rankMonthDay)
					}
				}
			}
		case tk.kind != tWord:
		case tk.cue.kind == cueMonth:
			// "March 22[, 2021]"
			if !monthCased(tk.s) || i+1 >= len(toks) || toks[i+1].kind != tNum || toks[i+1].num < 1 || toks[i+1].num > 31 {
				continue
			}
			if i > 0 && toks[i-1].kind == tNum && toks[i-1].num >= 1 && toks[i-1].num <= 31 {
				continue // "22 March" handled at the number
			}
			if bounded(toks, i) {
				continue
			}
			m, d := time.Month(tk.cue.val), toks[i+1].num
			if y, ok := yearAfter(toks, i+2); ok {
				if t, ok := makeDate(y, m, d); ok {
					offer(t, rankFull)
				}
			} else if hasRef {
				if t, ok := YearFor(m, d, ref); ok {
					offer(t, rankMonthDay)
				}
			}
		case !hasRef:
			// everything below counts from ref
		case tk.cue.kind == cueWeekday:
			if tk.poss || bounded(toks, i) {
				continue
			}
			offer(weekday(toks, i, ref), rankWeekday)
		case tk.cue.kind == cueYesterday:
			offer(ref.AddDate(0, 0, -1), rankRelative)
		case tk.cue.kind == cueToday:
			offer(ref, rankRelative)
		case tk.cue.kind == cueTomorrow:
			offer(ref.AddDate(0, 0, 1), rankRelative)
		case tk.cue.kind == cueNight:
			if i > 0 && toks[i-1].cue.kind == cueLast {
				offer(ref.AddDate(0, 0, -1), rankRelative)
			}
		case tk.cue.kind == cueAgo || tk.cue.kind == cueBack:
			// "[a|two|3] day(s)/week(s) ago|after|earlier"
			if i < 1 || toks[i-1].cue.kind != cueDay {
				continue
			}
			n := 1
			if i >= 2 {
				p := toks[i-2]
				switch {
				case p.cue.kind == cueNumWord:
					n = p.cue.val
				case p.kind == tNum && p.num > 0 && p.num < 1000:
					n = p.num
				case p.cue.kind == cueThe && !strings.EqualFold(toks[i-1].s, "days") && !strings.EqualFold(toks[i-1].s, "weeks"):
				default:
					continue
				}
			}
			back := n * toks[i-1].cue.val
			if strings.EqualFold(tk.s, "after") {
				// "a day after Monday's vote": count from that weekday
				if k := nextWeekday(toks, i+1); k >= 0 {
					offer(weekday(toks, k, ref).AddDate(0, 0, back), rankWeekday)
					continue
				}
			}
			offer(ref.AddDate(0, 0, -back), rankRelative)
		case tk.cue.kind == cueBefore || tk.cue.kind == cuePrev:
			// "the day before." / "the previous day" / "the prior day"; "the day
			// before the summit" dates the summit's eve, which we cannot know.
			if tk.cue.kind == cueBefore && i >= 2 && strings.EqualFold(toks[i-1].s, "day") && toks[i-2].cue.kind == cueThe &&
				(i+1 == len(toks) || toks[i+1].kind != tWord) {
				offer(ref.AddDate(0, 0, -1), rankRelative)
			}
			if tk.cue.kind == cuePrev && i >= 1 && toks[i-1].cue.kind == cueThe && i+1 < len(toks) && strings.EqualFold(toks[i+1].s, "day") {
				offer(ref.AddDate(0, 0, -1), rankRelative)
			}
		}
	}
	if bestRank < rankNone {
		return best, true
	}
	return ref, hasRef
}

// mayHaveCue is the fast path: true when a digit or a trigger word occurs.
func mayHaveCue(s string) bool {
	i := 0
	for i < len(s) {
		c := s[i]
		if isDigitByte(c) {
			return true
		}
		if !isLetterByte(c) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isLetterByte(s[j]) {
			j++
		}
		if isTrigger(lookup(s[i:j]).kind) {
			return true
		}
		i = j
	}
	return false
}

// monthCased rejects lower-case "may"/"march" and other month words used as
// verbs; news writes months capitalised.
func monthCased(s string) bool { return s != "" && 'A' <= s[0] && s[0] <= 'Z' }

// bounded reports whether the date starting at toks[i] follows a bounding
// preposition ("since March 1", "until Friday").
func bounded(toks []token, i int) bool {
	if i > 0 && toks[i-1].cue.kind == cueThe {
		i--
	}
	return i > 0 && toks[i-1].cue.kind == cueBound
}

// yearAfter reads an optional comma and a four-digit year at toks[j].
func yearAfter(toks []token, j int) (int, bool) {
	if j < len(toks) && toks[j].kind == tComma {
		j++
	}
	if j < len(toks) && toks[j].kind == tNum && len(toks[j].s) == 4 && toks[j].num >= 1900 && toks[j].num < 2200 {
		return toks[j].num, true
	}
	return 0, false
}

// nextWeekday finds a weekday within three tokens of toks[j].
func nextWeekday(toks []token, j int) int {
	for k := j; k < len(toks) && k < j+3; k++ {
		if toks[k].cue.kind == cueWeekday {
			return k
		}
	}
	return -1
}

// weekday dates the weekday at toks[i] relative to ref.
func weekday(toks []token, i int, ref time.Time) time.Time {
	target := time.Weekday(toks[i].cue.val)
	back := (int(ref.Weekday()) - int(target) + 7) % 7
	fwd := (int(target) - int(ref.Weekday()) + 7) % 7
	mod := cueNone
	if i > 0 {
		mod = toks[i-1].cue.kind
		if mod == cueNext && i > 1 && toks[i-2].cue.kind == cueThis { // "this coming Friday"
			mod = cueThis
		}
	}
	switch {
	case mod == cueLast:
		if back == 0 {
			back = 7
		}
		return ref.AddDate(0, 0, -back)
	case mod == cueNext:
		if fwd == 0 {
			fwd = 7
		}
		return ref.AddDate(0, 0, fwd)
	case mod == cueThis || futureBefore(toks, i):
		return ref.AddDate(0, 0, fwd)
	}
	return ref.AddDate(0, 0, -back)
}

// futureBefore looks up to six tokens back for a future word, stopping at a
// reporting verb or clause punctuation ("He will go, she said on Monday").
func futureBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		switch {
		case toks[k].cue.kind == cueFuture:
			return true
		case toks[k].cue.kind == cueSay, toks[k].kind == tComma, toks[k].kind == tOther:
			return false
		}
	}
	return false
}
