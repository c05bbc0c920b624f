package ingest

import (
	"bytes"
	"strings"

	"github.com/dyadproject/dyad/internal/extract"
)

// fragmentText turns a feed item's body into paragraphs of plain text. A body
// without markup keeps its own line breaks.
func fragmentText(b []byte) string {
	if !bytes.ContainsAny(b, "<&") {
		return strings.TrimSpace(string(b))
	}
	return extract.FragmentText(b)
}
