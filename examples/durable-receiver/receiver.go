package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/vonage-meetings/go-sdk/callbacks"
)

// headerReceivedAt carries when the receiver took the callback, in RFC 3339
// with nanoseconds: the start of the callback-to-file latency.
const headerReceivedAt = "Callback-Received-At"

// receiver stores each callback in the stream before it is answered 204.
type receiver struct {
	js      jetstream.JetStream
	log     *slog.Logger
	m       *metrics
	timeout time.Duration // how long a callback may wait to be stored
}

// handler answers 204 once the stream holds the callback, 500 when it could
// not be stored (the sender retries), and the callbacks package's 4xx answers
// for requests that are not callbacks.
func (r *receiver) handler(verifier *callbacks.Verifier) http.Handler {
	opts := []callbacks.HandlerOption{
		callbacks.WithErrorFunc(func(req *http.Request, status int, err error) {
			r.log.Warn("callback refused", "status", status, "error", err.Error(), "remote", req.RemoteAddr)
		}),
	}
	if verifier != nil {
		opts = append(opts, callbacks.WithSignatureVerifier(verifier))
	}
	return callbacks.NewHandler(r.store, opts...)
}

// store publishes the callback's exact bytes with its request headers and
// waits for the stream's acknowledgement. The message ID is the SHA-256 of
// the bytes, so a sender's retry of the same callback is dropped by the
// stream's duplicate window rather than processed twice.
func (r *receiver) store(ctx context.Context, ev callbacks.Event) error {
	body := callbacks.Raw(ev)
	sum := sha256.Sum256(body)
	msg := nats.NewMsg(subjectOf(ev))
	msg.Data = body
	for name, values := range callbacks.HeaderFromContext(ctx) {
		if keepHeader(name) {
			msg.Header[name] = values
		}
	}
	msg.Header.Set(jetstream.MsgIDHeader, hex.EncodeToString(sum[:]))
	msg.Header.Set(headerReceivedAt, time.Now().UTC().Format(time.RFC3339Nano))

	ack, err := r.publish(ctx, msg)
	if err != nil {
		r.m.persistErrors.Add(1)
		r.log.Error("callback not stored, answering 500", "event", string(ev.EventType()), "error", err.Error())
		return fmt.Errorf("storing the callback: %w", err)
	}
	r.m.accepted.Add(1)
	if ack.Duplicate {
		r.m.duplicates.Add(1)
	} else {
		r.m.persisted.Add(1)
	}
	return nil
}

// publish tries for up to r.timeout, each attempt for at most two seconds: a
// message sent while the connection moves to another node, or while the
// cluster elects a new stream leader, may get no answer at all. A retry of
// a message that was stored after all is dropped as a duplicate.
func (r *receiver) publish(ctx context.Context, msg *nats.Msg) (*jetstream.PubAck, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	wait := 50 * time.Millisecond
	for {
		attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
		ack, err := r.js.PublishMsg(attempt, msg, jetstream.WithExpectStream(streamName))
		cancel()
		if err == nil {
			return ack, nil
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// subjectOf is the subject a callback is stored under: its canonical event
// type with ":" as "_", or "unknown" for a type this SDK does not know
// (whose wire value could hold anything, dots and spaces included).
func subjectOf(ev callbacks.Event) string {
	if _, ok := ev.(*callbacks.Unknown); ok {
		return subjectPrefix + "unknown"
	}
	return subjectPrefix + strings.ReplaceAll(string(ev.EventType()), ":", "_")
}

// keepHeader reports whether a request header travels with the callback:
// all do but credentials, connection-level headers and the Nats- names
// JetStream reserves (a sender must not set the message ID).
func keepHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie", "Connection", "Content-Length",
		"Keep-Alive", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Accept-Encoding":
		return false
	}
	return !strings.HasPrefix(http.CanonicalHeaderKey(name), "Nats-") && http.CanonicalHeaderKey(name) != headerReceivedAt
}
