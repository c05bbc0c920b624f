package dict

import (
	"fmt"
	"sort"
	"strings"
)

// ElemKind is the kind of one pattern element.
type ElemKind uint8

const (
	Lit    ElemKind = iota // a word, a verb's inflections, or alternatives
	Gap                    // "..": 0–3 tokens
	Target                 // "$T"
	Source                 // "$S"
)

// Elem is one element of a compiled pattern.
type Elem struct {
	Kind     ElemKind
	Words    map[string]bool // lowercase forms accepted (Lit)
	Verb     bool            // came from {lemma}: its participle may head a passive
	Optional bool
}

// Pattern is one compiled line of verbs.txt.
type Pattern struct {
	ID       string // verbs.txt:LINE
	Code     string // CAMEO code; "000" discards
	Text     string // the pattern as written, for explanations
	Elems    []Elem
	Literals int // number of non-optional literal elements: specificity
	spec     float64
}

// Specificity sums 1/alternatives over the required words, so a pattern
// with narrow word lists outranks one with broad lists of the same length.
func (p *Pattern) Specificity() float64 { return p.spec }

// Discard reports a non-political sense pattern.
func (p *Pattern) Discard() bool { return p.Code == "000" }

// Patterns is the compiled event dictionary, indexed by the forms its
// patterns can start with.
type Patterns struct {
	All     []*Pattern
	byFirst map[string][]*Pattern
	// verbs holds every inflected form of a {lemma} outside the statement
	// codes (01x), so the coder can tell "holding thousands of refugees"
	// makes the refugees an object.
	verbs map[string]bool
}

// ActionVerb reports whether w is a form of a non-statement verb.
func (ps *Patterns) ActionVerb(w string) bool { return ps.verbs[w] }

// Verb reports whether w is a form of any verb in the patterns.
func (ps *Patterns) Verb(w string) bool { _, ok := ps.verbs[w]; return ok }

// Starting returns the patterns whose first literal can be w (lowercase).
func (ps *Patterns) Starting(w string) []*Pattern { return ps.byFirst[w] }

// LoadPatterns compiles the embedded verbs.txt plus user pattern files.
// validCode, when non-nil, rejects codes the codebook does not know.
func LoadPatterns(validCode func(string) bool, extra ...NamedReader) (*Patterns, error) {
	ps := &Patterns{byFirst: map[string][]*Pattern{}, verbs: map[string]bool{}}
	var srcs []NamedReader
	for _, name := range []string{"verbs.txt", "constructions.txt"} {
		f, err := files.Open("data/" + name)
		if err != nil {
			return nil, fmt.Errorf("dictionary %s: %w", name, err)
		}
		defer f.Close()
		srcs = append(srcs, NamedReader{Name: name, R: f})
	}
	srcs = append(srcs, extra...)
	var errs []string
	for _, s := range srcs {
		err := eachLine(s.R, s.Name, func(name string, line int, cols []string) error {
			p, err := compile(col(cols, 0), col(cols, 1))
			if err == nil && validCode != nil && p.Code != "000" && !validCode(p.Code) {
				err = fmt.Errorf("unknown CAMEO code %q", p.Code)
			}
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s:%d: %v", name, line, err))
				return nil
			}
			p.ID = id(name, line)
			ps.add(p)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(errs) > 0 {
		return ps, fmt.Errorf("%d bad pattern lines, first: %s", len(errs), errs[0])
	}
	return ps, nil
}

func (ps *Patterns) add(p *Pattern) {
	ps.All = append(ps.All, p)
	for _, e := range p.Elems {
		if !e.Verb {
			continue
		}
		for w := range e.Words {
			switch {
			case strings.HasPrefix(p.Code, "01"):
				ps.verbs[w] = false // a speech verb, whatever else it does
			case p.Code != "000":
				if _, seen := ps.verbs[w]; !seen {
					ps.verbs[w] = true
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, w := range firstWords(p.Elems) {
		if !seen[w] {
			seen[w] = true
			ps.byFirst[w] = append(ps.byFirst[w], p)
		}
	}
}

// firstWords lists the forms a match can start on: the first literal, plus
// what follows it when it is optional. Leading slots are matched leftwards.
func firstWords(es []Elem) []string {
	var out []string
	for _, e := range es {
		if e.Kind != Lit {
			continue
		}
		for w := range e.Words {
			out = append(out, w)
		}
		if !e.Optional {
			break
		}
	}
	sort.Strings(out)
	return out
}

func compile(code, pat string) (*Pattern, error) {
	if code == "" || strings.Trim(code, "0123456789") != "" || len(code) < 2 || len(code) > 4 {
		return nil, fmt.Errorf("bad code %q", code)
	}
	if i := strings.Index(pat, "\t#"); i >= 0 {
		pat = pat[:i]
	}
	p := &Pattern{Code: code, Text: strings.TrimSpace(pat)}
	fields := strings.Fields(pat)
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty pattern")
	}
	var nT, nS int
	for _, f := range fields {
		e := Elem{}
		if len(f) > 1 && strings.HasSuffix(f, "?") {
			e.Optional = true
			f = f[:len(f)-1]
		}
		switch f {
		case "..":
			e.Kind = Gap
		case "$T":
			e.Kind = Target
			nT++
		case "$S":
			e.Kind = Source
			nS++
		default:
			e.Kind = Lit
			e.Words = map[string]bool{}
			for _, alt := range strings.Split(f, "|") {
				if alt == "" {
					continue
				}
				if strings.HasPrefix(alt, "{") && strings.HasSuffix(alt, "}") {
					e.Verb = true
					for _, form := range Inflect(strings.ToLower(alt[1 : len(alt)-1])) {
						e.Words[form] = true
					}
				} else {
					e.Words[normWord(alt)] = true
				}
			}
			if len(e.Words) == 0 {
				return nil, fmt.Errorf("empty alternative in %q", f)
			}
			if !e.Optional {
				p.Literals++
				// {lemma} inflections count as one alternative
				p.spec += 1 / float64(verbCount(f))
			}
		}
		p.Elems = append(p.Elems, e)
	}
	if nT > 1 || nS > 1 {
		return nil, fmt.Errorf("$T and $S may appear once each")
	}
	if p.Literals == 0 {
		return nil, fmt.Errorf("pattern has no required word")
	}
	return p, nil
}

func normWord(w string) string {
	w = strings.ToLower(w)
	return strings.ReplaceAll(w, "’", "'")
}

// irregular verbs: base → past, past participle (and extra forms).
var irregular = map[string][]string{
	"meet": {"met"}, "hold": {"held"}, "give": {"gave", "given"}, "send": {"sent"}, "seek": {"sought"},
	"take": {"took", "taken"}, "shoot": {"shot"}, "fight": {"fought"}, "lead": {"led"}, "break": {"broke", "broken"},
	"bring": {"brought"}, "speak": {"spoke", "spoken"}, "withdraw": {"withdrew", "withdrawn"}, "strike": {"struck", "stricken"},
	"say": {"said"}, "tell": {"told"}, "make": {"made"}, "keep": {"kept"}, "leave": {"left"}, "buy": {"bought"},
	"sell": {"sold"}, "pay": {"paid"}, "lay": {"laid"}, "win": {"won"}, "lose": {"lost"}, "begin": {"began", "begun"},
	"fall": {"fell", "fallen"}, "forbid": {"forbade", "forbidden"}, "forgive": {"forgave", "forgiven"}, "freeze": {"froze", "frozen"},
	"go": {"went", "gone", "goes"}, "do": {"did", "done", "does"}, "have": {"had", "has"}, "be": {"was", "were", "been", "is", "are", "am"},
	"see": {"saw", "seen"}, "write": {"wrote", "written"}, "drive": {"drove", "driven"}, "ride": {"rode", "ridden"},
	"rise": {"rose", "risen"}, "arise": {"arose", "arisen"}, "choose": {"chose", "chosen"}, "steal": {"stole", "stolen"},
	"swear": {"swore", "sworn"}, "tear": {"tore", "torn"}, "wear": {"wore", "worn"}, "throw": {"threw", "thrown"},
	"blow": {"blew", "blown"}, "grow": {"grew", "grown"}, "know": {"knew", "known"}, "draw": {"drew", "drawn"},
	"fly": {"flew", "flown", "flies"}, "forsake": {"forsook", "forsaken"}, "overthrow": {"overthrew", "overthrown"},
	"undertake": {"undertook", "undertaken"}, "overtake": {"overtook", "overtaken"}, "mistake": {"mistook", "mistaken"},
	"hide": {"hid", "hidden"}, "bite": {"bit", "bitten"}, "beat": {"beat", "beaten"}, "bind": {"bound"}, "find": {"found"},
	"feel": {"felt"}, "flee": {"fled"}, "hang": {"hung", "hanged"}, "hear": {"heard"}, "hit": {"hit"}, "hurt": {"hurt"},
	"let": {"let"}, "put": {"put"}, "quit": {"quit"}, "set": {"set"}, "shut": {"shut"}, "split": {"split"}, "spread": {"spread"},
	"upset": {"upset"}, "cut": {"cut"}, "cast": {"cast"}, "broadcast": {"broadcast"}, "forecast": {"forecast"}, "bid": {"bid"},
	"read": {"read"}, "lend": {"lent"}, "spend": {"spent"}, "build": {"built"}, "bend": {"bent"}, "sweep": {"swept"},
	"sleep": {"slept"}, "stand": {"stood"}, "understand": {"understood"}, "withstand": {"withstood"}, "uphold": {"upheld"},
	"withhold": {"withheld"}, "teach": {"taught"}, "catch": {"caught"}, "think": {"thought"}, "sting": {"stung"},
	"swing": {"swung"}, "sink": {"sank", "sunk"}, "sing": {"sang", "sung"}, "ring": {"rang", "rung"}, "shrink": {"shrank", "shrunk"},
	"slay": {"slew", "slain"}, "smite": {"smote", "smitten"}, "stick": {"stuck"}, "strive": {"strove", "striven"},
	"wage": {"waged"}, "wind": {"wound"}, "get": {"got", "gotten"}, "come": {"came"}, "become": {"became"}, "run": {"ran"},
	"oversee": {"oversaw", "overseen"}, "foresee": {"foresaw", "foreseen"}, "lie": {"lay", "lain", "lied", "lying"},
	"die": {"died", "dying"}, "tie": {"tied", "tying"}, "mislead": {"misled"}, "feed": {"fed"}, "shed": {"shed"},
	"deal": {"dealt"}, "mean": {"meant"}, "light": {"lit"}, "slide": {"slid"}, "wake": {"woke", "woken"}, "shake": {"shook", "shaken"},
	"forget": {"forgot", "forgotten"}, "eat": {"ate", "eaten"}, "fire": {"fired"},
}

// Inflect lists a verb's forms: base, -s, -ed, -ing, plus irregular forms and
// British/American -ise/-ize twins. Over-generating ("visitting") is harmless:
// such forms never occur in text, and missing a real form loses events.
func Inflect(lemma string) []string {
	if strings.Contains(lemma, " ") {
		return []string{lemma}
	}
	set := map[string]bool{}
	add := func(base string) {
		set[base] = true
		for _, f := range irregular[base] {
			set[f] = true
		}
		n := len(base)
		switch {
		case strings.HasSuffix(base, "e") && !strings.HasSuffix(base, "ee"):
			set[base+"s"] = true
			set[base+"d"] = true
			set[base[:n-1]+"ing"] = true
		case strings.HasSuffix(base, "ee"):
			set[base+"s"] = true
			set[base+"d"] = true
			set[base+"ing"] = true
		case n > 1 && strings.HasSuffix(base, "y") && !isVowel(base[n-2]):
			set[base[:n-1]+"ies"] = true
			set[base[:n-1]+"ied"] = true
			set[base+"ing"] = true
		case strings.HasSuffix(base, "s") || strings.HasSuffix(base, "x") || strings.HasSuffix(base, "z") ||
			strings.HasSuffix(base, "ch") || strings.HasSuffix(base, "sh"):
			set[base+"es"] = true
			set[base+"ed"] = true
			set[base+"ing"] = true
		default:
			set[base+"s"] = true
			set[base+"ed"] = true
			set[base+"ing"] = true
			if n >= 3 && !isVowel(base[n-1]) && isVowel(base[n-2]) && !isVowel(base[n-3]) && !strings.ContainsRune("wxy", rune(base[n-1])) {
				d := base + base[n-1:]
				set[d+"ed"] = true
				set[d+"ing"] = true
			}
			if strings.HasSuffix(base, "c") {
				set[base+"ked"] = true
				set[base+"king"] = true
			}
		}
	}
	add(lemma)
	if strings.HasSuffix(lemma, "ize") {
		add(lemma[:len(lemma)-3] + "ise")
	} else if strings.HasSuffix(lemma, "ise") && len(lemma) > 5 {
		add(lemma[:len(lemma)-3] + "ize")
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Participle reports whether form can be a past participle of a verb
// element, which a passive needs ("was sanctioned").
func Participle(form string) bool {
	if strings.HasSuffix(form, "ed") || strings.HasSuffix(form, "en") || strings.HasSuffix(form, "wn") {
		return true
	}
	switch form {
	case "met", "held", "sent", "sought", "shot", "fought", "led", "brought", "struck", "told", "made", "kept", "left",
		"sold", "paid", "won", "lost", "bound", "found", "felt", "fled", "hung", "heard", "hit", "hurt", "put", "set",
		"cut", "built", "taught", "caught", "stuck", "slain", "upheld", "withheld", "said", "seen", "done", "gone", "sunk":
		return true
	}
	return false
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// verbCount counts the alternatives of a pattern token, {lemma} forms as one.
func verbCount(f string) int {
	n := 0
	for _, alt := range strings.Split(f, "|") {
		if alt != "" {
			n++
		}
	}
	return n
}
