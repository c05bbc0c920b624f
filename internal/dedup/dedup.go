// Package dedup recognises copies of a document seen before: exact copies by
// canonical URL or content hash, and near-copies (the same wire story printed
// by many outlets with their own headline, byline or trailer) by MinHash.
package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"strconv"
	"strings"
	"unicode"
)

// Near-copies are found by MinHash over word 3-shingles: K hash minima per
// document, banded for lookup (Bands × Rows = K). SimHash was tried first and
// rejected: on 300-word stories one changed word moves it 4 bits, while
// unrelated BBC stories sharing stock phrases landed within 3 bits.
const (
	K         = 64
	Bands     = 16
	Rows      = K / Bands
	Threshold = 0.8 // estimated Jaccard similarity at which two texts are one story
	MinTokens = 40  // shorter texts are only deduplicated exactly
)

// Signature is a MinHash signature.
type Signature [K]uint32

// Hash is the exact-copy key of a cleaned text: whitespace and case folded so
// that re-wrapped copies match.
func Hash(text string) string {
	h := sha256.New()
	first := true
	for _, w := range strings.Fields(text) {
		if !first {
			h.Write([]byte{' '})
		}
		first = false
		h.Write([]byte(strings.ToLower(w)))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// MinHash signs text by its word 3-shingles. ok is false when the text has
// fewer than MinTokens words.
func MinHash(text string) (sig Signature, ok bool) {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) < MinTokens {
		return sig, false
	}
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	h := fnv.New64a()
	for i := 2; i < len(words); i++ {
		h.Reset()
		for _, w := range words[i-2 : i+1] {
			h.Write([]byte(strings.ToLower(w)))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for k := range sig {
			// K hash functions from one: mix the shingle hash with a per-k seed.
			if v := uint32(mix(x ^ seeds[k])); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig, true
}

// Similarity estimates the Jaccard similarity of the texts behind a and b.
func Similarity(a, b *Signature) float64 {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / K
}

var seeds = func() (s [K]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x)
	}
	return
}()

// mix is splitmix64's finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Index remembers the documents seen so far. It is not safe for concurrent
// use: callers decide in input order, so the first copy always wins.
type Index struct {
	urls   map[string]string
	hashes map[string]string
	bands  [Bands]map[uint64][]int32
	sigs   []Signature
	ids    []string
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	x := &Index{urls: map[string]string{}, hashes: map[string]string{}}
	for i := range x.bands {
		x.bands[i] = map[uint64][]int32{}
	}
	return x
}

// Doc is what the index needs of a document.
type Doc struct {
	ID, URL, Text string
	Hash          string // Hash(Text); computed when empty
}

// Match is the verdict on one document.
type Match struct {
	Of     string // ID of the first copy, "" when new
	Reason string // "same canonical URL", "same text", "near-duplicate (MinHash similarity 0.92)"
}

// Check says whether d copies a document already added, without adding it.
func (x *Index) Check(d Doc) Match {
	if m := x.exact(&d); m.Of != "" {
		return m
	}
	sig, ok := MinHash(d.Text)
	return x.near(d, &sig, ok)
}

// Add records d as seen.
func (x *Index) Add(d Doc) {
	x.exact(&d)
	sig, ok := MinHash(d.Text)
	x.add(d, &sig, ok)
}

// Insert checks d and, when it copies nothing, adds it, signing its text once.
func (x *Index) Insert(d Doc) Match {
	if m := x.exact(&d); m.Of != "" {
		return m
	}
	sig, ok := MinHash(d.Text)
	if m := x.near(d, &sig, ok); m.Of != "" {
		return m
	}
	x.add(d, &sig, ok)
	return Match{}
}

// exact looks d up by canonical URL and text hash, filling d.Hash.
func (x *Index) exact(d *Doc) Match {
	if d.URL != "" {
		if id, ok := x.urls[normURL(d.URL)]; ok && id != d.ID {
			return Match{Of: id, Reason: "same canonical URL"}
		}
	}
	if d.Hash == "" {
		d.Hash = Hash(d.Text)
	}
	if id, ok := x.hashes[d.Hash]; ok && id != d.ID {
		return Match{Of: id, Reason: "same text"}
	}
	return Match{}
}

func (x *Index) near(d Doc, sig *Signature, ok bool) Match {
	if !ok {
		return Match{}
	}
	best, bestSim := int32(-1), 0.0
	for b := range x.bands {
		for _, i := range x.bands[b][bandKey(sig, b)] {
			if sim := Similarity(sig, &x.sigs[i]); sim > bestSim || sim == bestSim && i < best {
				best, bestSim = i, sim
			}
		}
	}
	if best >= 0 && bestSim >= Threshold && x.ids[best] != d.ID {
		return Match{Of: x.ids[best], Reason: "near-duplicate (MinHash similarity " + strconv.FormatFloat(bestSim, 'f', 2, 64) + ")"}
	}
	return Match{}
}

// add records d (its Hash filled) with its signature.
func (x *Index) add(d Doc, sig *Signature, ok bool) {
	if d.URL != "" {
		if _, seen := x.urls[normURL(d.URL)]; !seen {
			x.urls[normURL(d.URL)] = d.ID
		}
	}
	if _, seen := x.hashes[d.Hash]; !seen {
		x.hashes[d.Hash] = d.ID
	}
	if ok {
		i := int32(len(x.sigs))
		x.sigs = append(x.sigs, *sig)
		x.ids = append(x.ids, d.ID)
		for b := range x.bands {
			k := bandKey(sig, b)
			x.bands[b][k] = append(x.bands[b][k], i)
		}
	}
}

// Len is the number of documents added with a signature.
func (x *Index) Len() int { return len(x.sigs) }

func bandKey(s *Signature, b int) uint64 {
	var k uint64
	for _, v := range s[b*Rows : (b+1)*Rows] {
		k = k*0x100000001b3 ^ uint64(v)
	}
	return k
}

// normURL folds the differences that do not change the page: scheme, a
// leading "www.", a trailing slash, the fragment and tracking parameters.
func normURL(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	low := strings.ToLower(u)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(low, p) {
			u = u[len(p):]
			break
		}
	}
	if strings.HasPrefix(strings.ToLower(u), "www.") {
		u = u[4:]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		var keep []string
		for _, kv := range strings.Split(u[i+1:], "&") {
			k := strings.ToLower(kv)
			if strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "fbclid") || strings.HasPrefix(k, "gclid") || kv == "" {
				continue
			}
			keep = append(keep, kv)
		}
		u = u[:i]
		if len(keep) > 0 {
			u += "?" + strings.Join(keep, "&")
		}
	}
	u = strings.TrimRight(u, "/")
	// the host is case-insensitive, the path is not
	if i := strings.IndexByte(u, '/'); i >= 0 {
		return strings.ToLower(u[:i]) + u[i:]
	}
	return strings.ToLower(u)
}
