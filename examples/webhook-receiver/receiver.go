package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
)

// errQueueFull is returned to the handler when every worker is busy and the
// queue is full: the handler answers 500 and the sender retries later.
var errQueueFull = errors.New("download queue is full")

// receiver answers callbacks and downloads uploaded recordings with a bounded
// pool of workers, off the request path.
type receiver struct {
	client   *meetings.Client
	log      *slog.Logger
	outDir   string
	verifier *callbacks.Verifier // nil: signatures are not checked

	jobs chan job
	wg   sync.WaitGroup

	// workCtx bounds the downloads. It is not the server's context: a
	// shutdown lets the downloads in flight finish, and cancels them only
	// when its deadline passes.
	workCtx    context.Context
	cancelWork context.CancelFunc

	mu     sync.Mutex // guards closed and sending on jobs
	closed bool
}

// job is one download. ctx is the callback's context without its
// cancellation (context.WithoutCancel): the handler's context ends when it
// answers, but its values (the request's headers, a trace a middleware put
// there) go with the job into the worker's logs.
type job struct {
	ctx context.Context
	ev  *callbacks.RecordingUploaded
}

// newReceiver starts workers goroutines that download into outDir.
func newReceiver(client *meetings.Client, log *slog.Logger, outDir string, workers, queue int, verifier *callbacks.Verifier) *receiver {
	r := &receiver{
		client:   client,
		log:      log,
		outDir:   outDir,
		verifier: verifier,
		jobs:     make(chan job, queue),
	}
	r.workCtx, r.cancelWork = context.WithCancel(context.Background())
	for range workers {
		r.wg.Add(1)
		go r.work()
	}
	return r
}

// Handler serves /callbacks and /healthz. It fails only if the callback
// routes are wrong, a programming error to catch at start-up.
func (r *receiver) Handler() (http.Handler, error) {
	events, err := callbacks.NewMux(
		callbacks.On(r.onRecordingUploaded),
		callbacks.IgnoreOthers(), // acknowledged (204), neither logged nor reported as unhandled
	)
	if err != nil {
		return nil, err
	}
	opts := []callbacks.HandlerOption{
		callbacks.WithErrorFunc(func(req *http.Request, status int, err error) {
			r.log.Warn("callback refused", "status", status, "error", err.Error(), "remote", req.RemoteAddr)
		}),
	}
	if r.verifier != nil { // 401 for a callback without a valid signature
		opts = append(opts, callbacks.WithSignatureVerifier(r.verifier))
	}
	h := callbacks.NewHandler(events.Dispatch, opts...)

	mux := http.NewServeMux()
	mux.Handle("/callbacks", h)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux, nil
}

// onRecordingUploaded queues the download and returns at once, so the sender
// gets its 204 without waiting for the file.
func (r *receiver) onRecordingUploaded(ctx context.Context, ev *callbacks.RecordingUploaded) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return fmt.Errorf("recording %s: shutting down", ev.RecordingID)
	}
	select {
	case r.jobs <- job{context.WithoutCancel(ctx), ev}: // ctx ends when we return
		r.log.InfoContext(ctx, "callback", "event", string(ev.EventType()),
			"recording_id", ev.RecordingID, "session_id", ev.SessionID, "queued", len(r.jobs))
		return nil
	default:
		return fmt.Errorf("recording %s: %w", ev.RecordingID, errQueueFull)
	}
}

func (r *receiver) work() {
	defer r.wg.Done()
	for j := range r.jobs {
		r.download(j)
	}
}

// download saves one recording as <outDir>/<recording-id>.mp4. It fetches
// the recording by ID, so its URL is fresh even if the callback waited in the
// queue longer than the callback's URL lives. It runs with the job's values
// and the pool's cancellation.
func (r *receiver) download(j job) {
	ctx, cancel := context.WithCancel(j.ctx)
	defer cancel()
	defer context.AfterFunc(r.workCtx, cancel)()

	log := r.log.With("recording_id", j.ev.RecordingID)
	path := filepath.Join(r.outDir, filepath.Base(j.ev.RecordingID)+".mp4")
	if _, err := os.Stat(path); err == nil {
		log.InfoContext(ctx, "already downloaded", "path", path) // the sender retried a callback
		return
	}
	start := time.Now()
	n, err := r.client.Recordings.DownloadByIDToFile(ctx, j.ev.RecordingID, path)
	if err != nil {
		log.ErrorContext(ctx, "download failed", "error", err.Error())
		return
	}
	log.InfoContext(ctx, "downloaded", "path", path, "bytes", n, "duration", time.Since(start).String())
}

// Shutdown stops taking jobs and waits for the queued and running downloads.
// When ctx ends first, it cancels them and returns ctx's error. Callbacks
// must no longer arrive: shut the HTTP server down first.
func (r *receiver) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.jobs)
	}
	r.mu.Unlock()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		r.cancelWork()
		return nil
	case <-ctx.Done():
		r.cancelWork()
		<-done // cancelled downloads return promptly and remove their temporary files
		return ctx.Err()
	}
}
