// Package codebook is the CAMEO event codebook: names, GDELT Goldstein weights
// and quad classes, and the PLOVER 2 category and mode of every CAMEO event
// code. The data lives in cameo.tsv (embedded), which is meant to be edited by
// hand; the package parses it once on first use.
package codebook

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed cameo.tsv
var cameoTSV []byte

// Code is one CAMEO event code.
type Code struct {
	Code       string  // "163"
	Name       string  // "Impose embargo, boycott, or sanctions"
	Root       string  // "16"
	Goldstein  float64 // GDELT Goldstein weight
	Quad       int     // GDELT quad class 1-4, see QuadName
	PLOVER     string  // PLOVER 2 category, "" where PLOVER has none
	PLOVERMode string  // PLOVER 2 mode, often ""
}

// PLOVERCategories are the PLOVER 2 event categories, in codebook order.
var PLOVERCategories = []string{
	"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
	"REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
	"MOBILIZE", "COERCE", "ASSAULT",
}

var (
	loadOnce sync.Once
	byCode   map[string]Code
	sorted   []Code
)

func load() {
	loadOnce.Do(func() {
		codes, err := parse(cameoTSV)
		if err != nil {
			// The file is embedded, so this is a build defect; the tests catch it.
			panic("codebook: " + err.Error())
		}
		sorted = codes
		byCode = make(map[string]Code, len(codes))
		for _, c := range codes {
			byCode[c.Code] = c
		}
	})
}

// Lookup returns the entry for an exact CAMEO code such as "163" or "0211".
func Lookup(code string) (Code, bool) {
	load()
	c, ok := byCode[code]
	return c, ok
}

// All returns every code, sorted by code (so each root precedes its children).
func All() []Code {
	load()
	return append([]Code(nil), sorted...)
}

// Root returns the root of a CAMEO code: its first two characters.
func Root(code string) string {
	if len(code) < 2 {
		return code
	}
	return code[:2]
}

// QuadName names a GDELT quad class; "" for anything outside 1-4.
func QuadName(q int) string {
	switch q {
	case 1:
		return "Verbal Cooperation"
	case 2:
		return "Material Cooperation"
	case 3:
		return "Verbal Conflict"
	case 4:
		return "Material Conflict"
	}
	return ""
}

// IsPLOVER reports whether s is a PLOVER 2 category name.
func IsPLOVER(s string) bool {
	return slices.Contains(PLOVERCategories, s)
}

const header = "code\tname\tgoldstein\tquad\tplover\tplover_mode"

// parse reads the codebook format and checks every row, naming the line of
// the first problem.
func parse(data []byte) ([]Code, error) {
	var codes []Code
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	sawHeader := false
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !sawHeader {
			if line != header {
				return nil, fmt.Errorf("cameo.tsv:%d: want header %q", n, header)
			}
			sawHeader = true
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("cameo.tsv:%d: %d fields, want 6", n, len(f))
		}
		c := Code{Code: f[0], Name: f[1], PLOVER: f[4], PLOVERMode: f[5]}
		if !validCode(c.Code) {
			return nil, fmt.Errorf("cameo.tsv:%d: bad code %q", n, c.Code)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("cameo.tsv:%d: duplicate code %s", n, c.Code)
		}
		seen[c.Code] = true
		c.Root = Root(c.Code)
		if c.Name == "" {
			return nil, fmt.Errorf("cameo.tsv:%d: code %s has no name", n, c.Code)
		}
		g, err := strconv.ParseFloat(f[2], 64)
		if err != nil || g < -10 || g > 10 {
			return nil, fmt.Errorf("cameo.tsv:%d: bad Goldstein weight %q", n, f[2])
		}
		c.Goldstein = g
		q, err := strconv.Atoi(f[3])
		if err != nil || QuadName(q) == "" {
			return nil, fmt.Errorf("cameo.tsv:%d: bad quad class %q", n, f[3])
		}
		c.Quad = q
		if c.PLOVER != "" && !IsPLOVER(c.PLOVER) {
			return nil, fmt.Errorf("cameo.tsv:%d: unknown PLOVER category %q", n, c.PLOVER)
		}
		if c.PLOVER == "" && c.PLOVERMode != "" {
			return nil, fmt.Errorf("cameo.tsv:%d: PLOVER mode %q without category", n, c.PLOVERMode)
		}
		codes = append(codes, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !sawHeader {
		return nil, fmt.Errorf("cameo.tsv: no header")
	}
	for _, c := range codes {
		if !seen[c.Root] {
			return nil, fmt.Errorf("cameo.tsv: code %s has no root row %s", c.Code, c.Root)
		}
	}
	slices.SortFunc(codes, func(a, b Code) int { return strings.Compare(a.Code, b.Code) })
	return codes, nil
}

func validCode(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	r := s[:2]
	return r >= "01" && r <= "20"
}
