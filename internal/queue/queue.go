// Package queue spreads dyad's work over NATS JetStream: ingest publishes one
// message per document to a work-queue stream, and any number of workers on
// any number of machines code the documents, write them to the shared store
// in one transaction per batch, and acknowledge only after the commit. A
// message redelivered after a crash is absorbed by the store's idempotence, so
// nothing is lost or doubled; a message that keeps failing is parked, with its
// error, in a dead-letter stream.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dyadproject/dyad/internal/coder"
	"github.com/dyadproject/dyad/internal/dict"
	"github.com/dyadproject/dyad/internal/model"
)

// Names of the streams, subjects and the shared durable consumer.
const (
	Stream     = "DYAD_DOCS"
	Subject    = "dyad.docs"
	DLQStream  = "DYAD_DLQ"
	DLQSubject = "dyad.dlq"
	Consumer   = "dyad-workers"

	// Headers of a dead letter.
	HeaderError      = "Dyad-Error"
	HeaderDeliveries = "Dyad-Deliveries"
	HeaderStreamSeq  = "Dyad-Stream-Seq"
)

// Message kinds.
const (
	KindRecord  = "record"  // a document extracted and cleaned by ingest, still to be coded
	KindArticle = "article" // a raw article (text or HTML page), still to be extracted and coded
)

// MaxMessage bounds one published document; NATS's default max_payload is 1 MiB.
const MaxMessage = 1 << 20

// Message is one document on the work queue.
type Message struct {
	Kind    string        `json:"kind"`
	Record  *model.Record `json:"record,omitempty"`
	Article *Article      `json:"article,omitempty"`
}

// Article is a raw document as --nats-raw publishes it: plain text or an HTML
// page.
type Article struct {
	ID   string `json:"id"`
	Text string `json:"text,omitempty"`
	HTML string `json:"html,omitempty"`
	URL  string `json:"url,omitempty"`
	Date string `json:"date,omitempty"`
}

// ID is the message's document ID, used for publish de-duplication.
func (m *Message) ID() string {
	switch {
	case m.Record != nil:
		return m.Record.Document.ID
	case m.Article != nil:
		return m.Article.ID
	}
	return ""
}

// Decode parses and checks one message.
func Decode(b []byte) (Message, error) {
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("not a dyad message: %v", err)
	}
	switch m.Kind {
	case KindRecord:
		if m.Record == nil || strings.TrimSpace(m.Record.Document.ID) == "" {
			return m, errors.New("record message without a document id")
		}
	case KindArticle:
		if m.Article == nil || strings.TrimSpace(m.Article.ID) == "" {
			return m, errors.New("article message without an id")
		}
		if strings.TrimSpace(m.Article.Text) == "" && strings.TrimSpace(m.Article.HTML) == "" {
			return m, fmt.Errorf("article %q: no text or html", m.Article.ID)
		}
	default:
		return m, fmt.Errorf("message kind %q: want record or article", m.Kind)
	}
	return m, nil
}

// StreamOptions tune the streams created by Setup.
type StreamOptions struct {
	// Replicas is the number of copies of each stream in a cluster (1 or 3).
	Replicas int
	// DedupWindow is how long a document ID is remembered for publish
	// de-duplication; 0 means one hour.
	DedupWindow time.Duration
}

// Setup creates or updates the work stream and the dead-letter stream.
// Publishers and workers both call it, so either may start first.
func Setup(ctx context.Context, js jetstream.JetStream, o StreamOptions) error {
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.DedupWindow <= 0 {
		o.DedupWindow = time.Hour
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        Stream,
		Subjects:    []string{Subject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
		Duplicates:  o.DedupWindow,
		MaxMsgSize:  MaxMessage,
		Description: "dyad documents waiting to be coded",
	}); err != nil {
		return fmt.Errorf("stream %s: %v", Stream, err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        DLQStream,
		Subjects:    []string{DLQSubject},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
		Description: "dyad documents that could not be coded, with their error",
	}); err != nil {
		return fmt.Errorf("stream %s: %v", DLQStream, err)
	}
	return nil
}

// Connect dials url with settings fit for a long-running process: unlimited
// reconnects, so a restarted NATS node does not end the worker.
func Connect(url, name string) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("nats %s: %v", url, err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(512))
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("nats %s: %v", url, err)
	}
	return nc, js, nil
}

// NoCoder returns a coder with empty dictionaries: ingest with --nats uses it
// so that publishing extracts and cleans but leaves the coding, the costly
// part, to the workers.
func NoCoder() *coder.Coder { return coder.New(&dict.Actors{}, &dict.Patterns{}) }
