package aeb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shingleN is the shingle length the benchmark uses.
const shingleN = 4

// Scores are the benchmark's figures for one tool over a set of pages.
type Scores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Accuracy  float64 `json:"accuracy"` // share of pages whose token lists equal the truth's
	Pages     int     `json:"pages"`
}

// PageScore is one page's normalised shingle counts: TP+FP+FN is 1 unless
// both texts have no tokens, when all three are 0.
type PageScore struct {
	TP, FP, FN float64
	Exact      bool // token lists identical
}

// isWord reports whether r is matched by Python's Unicode `\w`: letters,
// anything numeric, and the underscore. Combining marks are not included,
// as in Python.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Tokens splits text into maximal runs of word characters (`\w+`). Invalid
// UTF-8 bytes separate tokens.
func Tokens(text string) []string {
	var toks []string
	start := -1
	for i, r := range text {
		if r != utf8.RuneError && isWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			toks = append(toks, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, text[start:])
	}
	return toks
}

// shingles counts the n-token windows of toks. A text with fewer than n
// tokens (but at least one) is one shingle of all its tokens.
func shingles(toks []string, n int) map[string]int {
	m := make(map[string]int)
	if len(toks) == 0 {
		return m
	}
	count := len(toks) - n + 1
	if count < 1 {
		count = 1
	}
	for i := 0; i < count; i++ {
		end := min(i+n, len(toks))
		// Tokens never contain a space, so joining keeps shingles distinct.
		m[strings.Join(toks[i:end], " ")]++
	}
	return m
}

// ScorePage compares a predicted article body with the true one.
func ScorePage(truth, pred string) PageScore {
	tt, pt := Tokens(truth), Tokens(pred)
	ts, ps := shingles(tt, shingleN), shingles(pt, shingleN)
	var tp, fp, fn float64
	for k, tc := range ts {
		pc := ps[k]
		tp += float64(min(tc, pc))
		fn += float64(max(0, tc-pc))
	}
	for k, pc := range ps {
		fp += float64(max(0, pc-ts[k]))
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	return PageScore{TP: tp, FP: fp, FN: fn, Exact: equalTokens(tt, pt)}
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (p PageScore) precision() float64 {
	switch {
	case p.FP == 0 && p.FN == 0:
		return 1
	case p.TP == 0 && p.FP == 0:
		return 0
	}
	return p.TP / (p.TP + p.FP)
}

func (p PageScore) recall() float64 {
	switch {
	case p.FP == 0 && p.FN == 0:
		return 1
	case p.TP == 0 && p.FN == 0:
		return 0
	}
	return p.TP / (p.TP + p.FN)
}

// Aggregate averages page scores the benchmark's way: precision is the mean
// over pages that predicted something (TP+FP > 0), recall the mean over pages
// with something to find (TP+FN > 0), and F1 is taken of the two means.
func Aggregate(pages []PageScore) Scores {
	var sp, sr float64
	var np, nr, exact int
	for _, p := range pages {
		if p.TP+p.FP > 0 {
			sp += p.precision()
			np++
		}
		if p.TP+p.FN > 0 {
			sr += p.recall()
			nr++
		}
		if p.Exact {
			exact++
		}
	}
	s := Scores{Pages: len(pages)}
	if np > 0 {
		s.Precision = sp / float64(np)
	}
	if nr > 0 {
		s.Recall = sr / float64(nr)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	if len(pages) > 0 {
		s.Accuracy = float64(exact) / float64(len(pages))
	}
	return s
}
