// Package demo holds the sample corpus dyad demo serves: short wire-style
// articles written for this project (invented reports about real states),
// dated over the first half of 2025, one JSON object per line with
// "id", "date", "url" and "text".
package demo

import _ "embed"

// Articles is the corpus as JSON Lines.
//
//go:embed articles.jsonl
var Articles []byte
