package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dyadproject/dyad/internal/model"
)

// FuzzStdin feeds arbitrary bytes through sniffing, extraction, feed and WARC
// parsing and coding: every input ends as records or one-line failures.
func FuzzStdin(f *testing.F) {
	f.Add([]byte(page(stories[0].title, stories[0].body)))
	f.Add([]byte(stories[1].title + "\n\n" + stories[1].body))
	f.Add([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><item><title>T</title><description>&lt;p&gt;Russia condemned Ukraine.&lt;/p&gt;</description></item></channel></rss>`))
	f.Add(warcRecord("https://x.example/a", "text/html", 200, page("A", stories[2].body)))
	f.Add(gz([]byte("WARC/1.0\r\nContent-Length: 99\r\n\r\nshort")))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0})
	p := newPipeline(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		in := New(p, Options{Stdin: bytes.NewReader(b), MaxBytes: 1 << 20})
		sink := &memSink{}
		if _, err := in.Run(context.Background(), []string{"-"}, sink, nil); err != nil {
			t.Fatal(err)
		}
		for _, f := range sink.failures {
			if f.Reason == "" || strings.ContainsAny(f.Reason, "\n\r") {
				t.Fatalf("failure reason not one line: %q", f.Reason)
			}
		}
		for _, r := range sink.recs {
			if r.Status != model.StatusCoded && r.Status != model.StatusSkipped && r.Status != model.StatusDuplicate {
				t.Fatalf("status %q", r.Status)
			}
		}
	})
}
