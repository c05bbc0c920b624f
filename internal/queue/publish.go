package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dyadproject/dyad/internal/ingest"
	"github.com/dyadproject/dyad/internal/model"
	"github.com/dyadproject/dyad/internal/reader"
)

// Publisher publishes documents to the work stream, asynchronously, with the
// document ID as Nats-Msg-Id so that a re-run publishes nothing twice within
// the stream's de-duplication window.
type Publisher struct {
	js      jetstream.JetStream
	pending []jetstream.PubAckFuture
	ids     []string
	// Published and Deduplicated count acknowledged publishes.
	Published, Deduplicated int
}

// NewPublisher publishes through js (after Setup).
func NewPublisher(js jetstream.JetStream) *Publisher { return &Publisher{js: js} }

// Publish sends one message; the JetStream acknowledgements are checked in
// groups, at the latest by Flush.
func (p *Publisher) Publish(ctx context.Context, m Message) error {
	id := m.ID()
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("document %s: %v", id, err)
	}
	if len(b) > MaxMessage {
		return fmt.Errorf("document %s: %d bytes, over the %d-byte message limit", id, len(b), MaxMessage)
	}
	f, err := p.js.PublishAsync(Subject, b, jetstream.WithMsgID(id))
	if err != nil {
		return fmt.Errorf("document %s: publish: %v", id, err)
	}
	p.pending = append(p.pending, f)
	p.ids = append(p.ids, id)
	if len(p.pending) >= 256 {
		return p.Flush(ctx)
	}
	return nil
}

// Flush waits for every outstanding publish to be stored by the server.
func (p *Publisher) Flush(ctx context.Context) error {
	defer func() { p.pending, p.ids = p.pending[:0], p.ids[:0] }()
	var first error
	for i, f := range p.pending {
		select {
		case ack := <-f.Ok():
			p.Published++
			if ack.Duplicate {
				p.Deduplicated++
			}
		case err := <-f.Err():
			if first == nil {
				first = fmt.Errorf("document %s: publish: %v", p.ids[i], err)
			}
		case <-ctx.Done():
			return fmt.Errorf("publish: %v", ctx.Err())
		}
	}
	return first
}

// Sink is an ingest.Sink that publishes each record, stripped of events,
// instead of storing it; failures go to Next (the report and stderr).
type Sink struct {
	Ctx  context.Context
	Pub  *Publisher
	Next ingest.Sink
}

// Record publishes one prepared record; coding is left to the workers.
func (s *Sink) Record(r model.Record) error {
	if r.Status == model.StatusCoded {
		r.Events = nil
	}
	return s.Pub.Publish(s.Ctx, Message{Kind: KindRecord, Record: &r})
}

// Failure passes failures on.
func (s *Sink) Failure(f ingest.Failure) error {
	if s.Next == nil {
		return nil
	}
	return s.Next.Failure(f)
}

// PublishRaw reads plain-text and JSON Lines sources ("-" is stdin) as dyad
// code does and publishes each article as it is, for workers to extract and
// code. Bad inputs go to fail, one line each; it returns how many articles it
// published and the first publishing error.
func PublishRaw(ctx context.Context, p *Publisher, sources []string, stdin io.Reader, fail func(error)) (int, error) {
	n := 0
	var perr error
	for _, src := range sources {
		if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
			fail(fmt.Errorf("%s: --nats-raw reads files, JSON Lines and standard input, not URLs", src))
			continue
		}
		reader.Read(src, false, stdin, func(it reader.Item) {
			if perr != nil || ctx.Err() != nil {
				return
			}
			if it.Err != nil {
				fail(it.Err)
				return
			}
			a := it.Article
			if a.ID == "" && it.HTML == "" {
				a.ID = contentID(a.Text)
			}
			if a.ID == "" {
				fail(fmt.Errorf("%s: an HTML record needs an id", src))
				return
			}
			perr = p.Publish(ctx, Message{Kind: KindArticle, Article: &Article{ID: a.ID, Text: a.Text, HTML: it.HTML, URL: a.URL, Date: a.Date}})
			if perr == nil {
				n++
			}
		})
		if perr != nil {
			break
		}
	}
	if err := p.Flush(ctx); perr == nil {
		perr = err
	}
	if perr == nil && ctx.Err() != nil {
		perr = ctx.Err()
	}
	return n, perr
}
