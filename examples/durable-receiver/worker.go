package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
)

// worker takes stored callbacks from the shared durable consumer, at least
// once each, and processes them idempotently: a recording already on disk is
// not downloaded again, an event already in its log is not appended again.
type worker struct {
	js          jetstream.JetStream
	cons        jetstream.Consumer
	client      *meetings.Client
	outDir      string
	concurrency int
	maxAttempts int
	ackWait     time.Duration
	retryWait   time.Duration
	log         *slog.Logger
	m           *metrics
}

func newWorker(ctx context.Context, cfg config, eng *engine, client *meetings.Client, log *slog.Logger, m *metrics) (*worker, error) {
	if err := os.MkdirAll(filepath.Join(cfg.outDir, "events"), 0o755); err != nil {
		return nil, err
	}
	var cons jetstream.Consumer
	err := retry(ctx, func(ctx context.Context) (err error) {
		cons, err = eng.stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
			Durable:     consumerName,
			Description: "the download workers",
			AckPolicy:   jetstream.AckExplicitPolicy,
			AckWait:     cfg.ackWait,
			MaxDeliver:  cfg.maxAttempts + deadLetterDeliveries,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("creating the consumer: %w", err)
	}
	return &worker{
		js: eng.js, cons: cons, client: client, outDir: cfg.outDir,
		concurrency: cfg.workers, maxAttempts: cfg.maxAttempts,
		ackWait: cfg.ackWait, retryWait: cfg.retryWait, log: log, m: m,
	}, nil
}

// run takes messages until stop ends and processes them under work; it
// returns once every message it took was acked, naked or dead-lettered.
// Cancelling work cuts the processing short: those messages are naked.
func (w *worker) run(stop, work context.Context) {
	var wg sync.WaitGroup
	for range w.concurrency {
		wg.Go(func() {
			for stop.Err() == nil {
				// One message per pull, so none waits in this process while
				// its AckWait runs: every other one stays free for other workers.
				msg, err := w.cons.Next(jetstream.FetchMaxWait(time.Second))
				if err == nil {
					w.handle(work, msg)
					continue
				}
				if !errors.Is(err, nats.ErrTimeout) {
					w.log.Warn("fetching", "error", err.Error())
					sleep(stop, 250*time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
}

func (w *worker) handle(work context.Context, msg jetstream.Msg) {
	md, err := msg.Metadata()
	if err != nil { // not a JetStream message: cannot happen on a pull consumer
		w.log.Error("message without metadata", "error", err.Error())
		return
	}
	log := w.log.With("seq", md.Sequence.Stream, "subject", msg.Subject(), "delivery", md.NumDelivered)
	attempt := int(md.NumDelivered)
	if attempt > 1 {
		w.m.redelivered.Add(1)
	}
	if attempt > w.maxAttempts { // the earlier attempts died without an answer
		w.deadLetter(log, msg, md, fmt.Errorf("%d attempts ended without an answer (the worker died or lost its connection)", attempt-1))
		return
	}

	ctx, cancel := context.WithCancel(work)
	beating := w.heartbeat(ctx, msg)
	err = w.process(ctx, log, msg)
	cancel()
	<-beating

	var permanent *permanentError
	switch {
	case err == nil:
		ackCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := msg.DoubleAck(ackCtx); err != nil {
			// The work is done; the redelivery will find it done.
			log.Warn("ack not confirmed", "error", err.Error())
		}
		w.m.processed.Add(1)
	case errors.As(err, &permanent):
		w.deadLetter(log, msg, md, err)
	case work.Err() != nil:
		log.Info("shutting down: handing the message back", "error", err.Error())
		_ = msg.Nak()
	case attempt == w.maxAttempts:
		w.deadLetter(log, msg, md, err)
	default:
		wait := w.retryWait << min(attempt-1, 10)
		wait = min(wait, time.Minute)
		log.Warn("processing failed, will retry", "error", err.Error(), "in", wait.String())
		w.m.retried.Add(1)
		_ = msg.NakWithDelay(wait)
	}
}

// heartbeat tells the server the message is being worked on, every third of
// AckWait, until ctx ends: a long download is not redelivered to another
// worker, but a dead worker's message is, one AckWait after its last beat.
func (w *worker) heartbeat(ctx context.Context, msg jetstream.Msg) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(w.ackWait / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	return done
}

func (w *worker) process(ctx context.Context, log *slog.Logger, msg jetstream.Msg) error {
	ev, err := callbacks.Parse(msg.Data())
	if err != nil {
		return &permanentError{err}
	}
	if up, ok := ev.(*callbacks.RecordingUploaded); ok {
		return w.download(ctx, log, msg, up)
	}
	return w.record(msg, ev)
}

// download saves the recording as <out>/<recording-id>.mp4 unless it is
// there already. The SDK writes a temporary ".<id>.mp4.*.part" beside it and
// renames it only once complete and flushed; a part left by a killed worker
// is removed first, and the download starts over.
func (w *worker) download(ctx context.Context, log *slog.Logger, msg jetstream.Msg, ev *callbacks.RecordingUploaded) error {
	if err := checkName(ev.RecordingID); err != nil {
		return &permanentError{fmt.Errorf("recording_id: %w", err)}
	}
	name := ev.RecordingID + ".mp4"
	path := filepath.Join(w.outDir, name)
	log = log.With("recording_id", ev.RecordingID)
	parts, _ := filepath.Glob(filepath.Join(w.outDir, "."+name+".*.part")) // checkName allows no pattern characters
	for _, p := range parts {
		_ = os.Remove(p)
	}
	if _, err := os.Lstat(path); err == nil {
		w.m.skipped.Add(1)
		log.Info("already on disk", "path", path)
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	start := time.Now()
	n, err := w.client.Recordings.DownloadByIDToFile(ctx, ev.RecordingID, path)
	if errors.Is(err, meetings.ErrNotFound) {
		return &permanentError{err}
	}
	if err != nil {
		return err
	}
	w.m.downloaded.Add(1)
	var since time.Duration
	if at, err := time.Parse(time.RFC3339Nano, msg.Headers().Get(headerReceivedAt)); err == nil {
		since = time.Since(at)
		w.m.latency.observe(since)
	}
	log.Info("downloaded", "path", path, "bytes", n, "took", time.Since(start).String(), "since_callback", since.String())
	return nil
}

// record appends the event as one JSON line to <out>/events/<session-id>.jsonl
// (room-<room-id>.jsonl for an event without a session, unsorted.jsonl for
// one with neither), unless a line with its message ID is there already.
func (w *worker) record(msg jetstream.Msg, ev callbacks.Event) error {
	var ids struct {
		SessionID string `json:"session_id"`
		RoomID    string `json:"room_id"`
	}
	_ = json.Unmarshal(msg.Data(), &ids) // Parse took it: a JSON object
	name := "unsorted"
	if checkName(ids.SessionID) == nil {
		name = ids.SessionID
	} else if checkName(ids.RoomID) == nil {
		name = "room-" + ids.RoomID
	}
	md, _ := msg.Metadata()
	header := map[string][]string{}
	for k, v := range msg.Headers() {
		if !strings.HasPrefix(k, "Nats-") {
			header[k] = v
		}
	}
	id := msg.Headers().Get(jetstream.MsgIDHeader)
	if id == "" { // not stored by a receiver: the stream sequence will do
		id = "seq-" + strconv.FormatUint(md.Sequence.Stream, 10)
	}
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		ID       string              `json:"id"` // the message ID, first: the duplicate check reads it
		Seq      uint64              `json:"stream_seq"`
		Event    callbacks.EventType `json:"event"`
		Header   map[string][]string `json:"header,omitempty"`
		Callback json.RawMessage     `json:"callback"` // the body, compacted onto one line
	}{id, md.Sequence.Stream, ev.EventType(), header, msg.Data()})
	if err != nil {
		return &permanentError{err}
	}

	// The check and the append happen under a lock on the file, so two
	// workers (processes sharing -out) handed the same message append it once.
	f, err := os.OpenFile(filepath.Join(w.outDir, "events", name+".jsonl"), os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	unlock, err := lockFile(f)
	if err != nil {
		return err
	}
	defer unlock()
	if seen, err := hasLine(f, `{"id":"`+id+`",`); err != nil || seen {
		return err
	}
	if _, err := f.Write(line.Bytes()); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	w.m.recorded.Add(1)
	return nil
}

// hasLine reports whether f, read from its start, has a line starting with prefix.
func hasLine(f *os.File, prefix string) (bool, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), prefix) {
			return true, nil
		}
	}
	return false, sc.Err()
}

// deadLetter copies the message to the dead-letter stream with why it failed,
// then terminates it. The copy keeps the message ID, so a message
// dead-lettered twice (the worker died between the two steps) is kept once.
func (w *worker) deadLetter(log *slog.Logger, msg jetstream.Msg, md *jetstream.MsgMetadata, cause error) {
	dl := nats.NewMsg(deadSubjectPrefix + strings.TrimPrefix(msg.Subject(), subjectPrefix))
	dl.Data = msg.Data()
	for k, v := range msg.Headers() {
		if !strings.HasPrefix(k, "Nats-") {
			dl.Header[k] = v
		}
	}
	if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" {
		dl.Header.Set(jetstream.MsgIDHeader, id)
	}
	dl.Header.Set("Dead-Letter-Reason", strings.Join(strings.Fields(cause.Error()), " "))
	dl.Header.Set("Dead-Letter-Stream-Sequence", strconv.FormatUint(md.Sequence.Stream, 10))
	dl.Header.Set("Dead-Letter-Deliveries", strconv.FormatUint(md.NumDelivered, 10))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := w.js.PublishMsg(ctx, dl, jetstream.WithExpectStream(deadStreamName)); err != nil {
		log.Error("dead-lettering failed, will try again", "error", err.Error(), "cause", cause.Error())
		_ = msg.NakWithDelay(w.retryWait)
		return
	}
	_ = msg.TermWithReason("dead-lettered")
	w.m.deadLettered.Add(1)
	log.Error("dead-lettered", "cause", cause.Error())
}

// permanentError marks a failure no retry can mend: the message goes to the
// dead-letter stream at once.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// checkName refuses an ID that must not become a file name: empty, longer
// than 200 bytes, starting with a dot (".", "..", hidden and temporary
// files), or holding anything but ASCII letters, digits and "-_.~+=" (so no
// path separator and no glob pattern character).
func checkName(id string) error {
	switch {
	case id == "":
		return errors.New("is empty")
	case len(id) > 200:
		return fmt.Errorf("is %d bytes long, more than 200", len(id))
	case id[0] == '.':
		return fmt.Errorf("%q starts with a dot", id)
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~+=", c) >= 0) {
			return fmt.Errorf("%q holds %q, which is not allowed in a file name here", id, c)
		}
	}
	return nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
