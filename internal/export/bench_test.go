package export

import (
	"io"
	"testing"
)

// BenchmarkWriters measures each format's throughput in events a second
// (one op is one event, Close included), writing to io.Discard.
//
//	go test -run '^$' -bench Writers -benchmem ./internal/export/
func BenchmarkWriters(b *testing.B) {
	evs := samples(1000)
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			w, err := New(format, io.Discard, Options{})
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				if err := w.Write(evs[i%len(evs)]); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
	b.Run("gdelt-mentions", func(b *testing.B) {
		b.ReportAllocs()
		ms := make([]Mention, len(evs))
		for i, e := range evs {
			ms[i] = MentionFromModel(e.ID, e.Event, docOf(e), e.DateAdded, e.DateAdded)
		}
		w := NewMentions(io.Discard, Options{})
		for i := 0; b.Loop(); i++ {
			if err := w.Write(ms[i%len(ms)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
}
