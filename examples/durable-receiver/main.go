// Command durable-receiver receives Vonage Meetings callbacks and never loses
// one it acknowledged: each callback is stored in NATS JetStream before it is
// answered 204, and workers take the stored callbacks from a work queue,
// download each uploaded recording once and log every other event.
//
// By default the JetStream server runs inside the process, with file storage
// under -data: nothing to install. With -nats, receivers and workers share an
// external JetStream cluster instead, and -role splits them into processes.
// See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// EnvSignatureSecret turns signature verification on, as in the webhook-receiver example.
const EnvSignatureSecret = "VONAGE_SIGNATURE_SECRET"

type config struct {
	role            string // "all", "receiver" or "worker"
	listen          string
	dataDir         string
	outDir          string
	natsURL         string // "" runs the embedded server
	replicas        int    // 0: 1 on a single server, 3 on a cluster
	workers         int
	maxAttempts     int
	ackWait         time.Duration
	retryWait       time.Duration
	dedupeWindow    time.Duration
	publishTimeout  time.Duration
	shutdownTimeout time.Duration
	fsync           bool
	demo            int // meetings to play from a built-in fake service
	signatureSecret string
	listenAny       bool // -insecure-listen-any: beyond loopback without signature checks
}

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "durable-receiver:", err)
		os.Exit(2)
	}
	if err := run(ctx, cfg, log); err != nil {
		log.Error("exiting", "error", err.Error())
		os.Exit(1)
	}
}

func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	cfg := config{signatureSecret: getenv(EnvSignatureSecret)}
	fs := flag.NewFlagSet("durable-receiver", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: durable-receiver [flags]

Stores every callback POSTed to /callbacks in NATS JetStream before answering
204, and downloads each uploaded recording to -out/<recording-id>.mp4 exactly
once. GET /healthz, /readyz and /metrics (Prometheus text) are served on -listen.

environment:
  VONAGE_API_KEY, VONAGE_API_SECRET   credentials (roles all and worker)
  VONAGE_MEETINGS_BASE_URL            the Meetings API's base URL (default: the beta API)
  VONAGE_SIGNATURE_SECRET             if set, callbacks must be signed with it (else 401)

flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.role, "role", "all", "all (receive and work), receiver (store callbacks only) or worker (process stored callbacks only)")
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "HTTP listen address: POST /callbacks, GET /healthz, /readyz, /metrics;\nbeyond loopback it needs "+EnvSignatureSecret+" or -insecure-listen-any")
	fs.BoolVar(&cfg.listenAny, "insecure-listen-any", false, "listen beyond loopback without "+EnvSignatureSecret+":\nanyone who reaches the port can post callbacks that are stored")
	fs.StringVar(&cfg.dataDir, "data", "data", "storage directory of the embedded JetStream server (unused with -nats)")
	fs.StringVar(&cfg.outDir, "out", "recordings", "where recordings land as <recording-id>.mp4, and events as events/<session-id>.jsonl")
	fs.StringVar(&cfg.natsURL, "nats", "", "external NATS JetStream URL(s), comma-separated, instead of the embedded server")
	fs.IntVar(&cfg.replicas, "replicas", 0, "stream replicas (0: 3 when -nats is a cluster, else 1)")
	fs.IntVar(&cfg.workers, "workers", 4, "callbacks processed at once by this process")
	fs.IntVar(&cfg.maxAttempts, "max-attempts", 5, "processing attempts of one callback before it is dead-lettered")
	fs.DurationVar(&cfg.ackWait, "ack-wait", 30*time.Second, "redeliver a callback whose worker went silent this long (workers heartbeat at a third of it)")
	fs.DurationVar(&cfg.retryWait, "retry-wait", time.Second, "delay before the first retry of a failed callback, doubling up to a minute")
	fs.DurationVar(&cfg.dedupeWindow, "dedupe-window", time.Hour, "how long the stream drops a callback whose exact bytes it already holds")
	fs.DurationVar(&cfg.publishTimeout, "publish-timeout", 10*time.Second, "how long a callback may wait to be stored before it is answered 500")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 25*time.Second, "how long a shutdown lets work in flight finish; past it, the work is handed back")
	fs.BoolVar(&cfg.fsync, "fsync", false, "embedded server: fsync every write, so a power loss loses nothing either (a crashed process never loses an acknowledged callback)")
	fs.IntVar(&cfg.demo, "demo", 0, "play this many meetings from a built-in fake Meetings service (meetingstest) at this receiver, no credentials needed")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case cfg.role != "all" && cfg.role != "receiver" && cfg.role != "worker":
		return cfg, fmt.Errorf("-role %q: want all, receiver or worker", cfg.role)
	case cfg.replicas < 0 || cfg.replicas > 5:
		return cfg, fmt.Errorf("-replicas %d: want 0 to 5", cfg.replicas)
	case cfg.workers < 1:
		return cfg, fmt.Errorf("-workers %d: need at least 1", cfg.workers)
	case cfg.maxAttempts < 1:
		return cfg, fmt.Errorf("-max-attempts %d: need at least 1", cfg.maxAttempts)
	case cfg.ackWait < time.Second:
		return cfg, fmt.Errorf("-ack-wait %s: need at least 1s", cfg.ackWait)
	case cfg.demo < 0 || cfg.demo > 0 && cfg.role != "all":
		return cfg, errors.New("-demo needs a positive count and -role all")
	case cfg.retryWait <= 0 || cfg.dedupeWindow <= 0 || cfg.publishTimeout <= 0 || cfg.shutdownTimeout <= 0:
		return cfg, errors.New("-retry-wait, -dedupe-window, -publish-timeout and -shutdown-timeout must be positive")
	case cfg.role != "worker" && cfg.signatureSecret == "" && !cfg.listenAny && !loopback(cfg.listen):
		return cfg, fmt.Errorf("-listen %q is beyond loopback, and without %s callbacks are not signature-checked:\n"+
			"set %[2]s, or pass -insecure-listen-any to store unsigned callbacks from anyone who can reach the port", cfg.listen, EnvSignatureSecret)
	}
	return cfg, nil
}

// run serves until ctx ends, then shuts down: it stops taking callbacks
// (those in flight are stored and answered), stops taking work, lets the
// work in flight finish within -shutdown-timeout and hands back what is left
// (a nak: another worker, or this one after a restart, does it again).
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	m := newMetrics()
	eng, err := openEngine(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer eng.close()

	mux := http.NewServeMux()
	var stopping atomic.Bool
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		err := eng.ready(r.Context())
		if err == nil && stopping.Load() {
			err = errors.New("shutting down")
		}
		if err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.write(w, eng.depths(r.Context()))
	})

	if cfg.role != "worker" {
		var verifier *callbacks.Verifier
		if cfg.signatureSecret != "" {
			if verifier, err = callbacks.NewVerifier([]byte(cfg.signatureSecret)); err != nil {
				return fmt.Errorf("%s: %w", EnvSignatureSecret, err)
			}
		}
		rcv := &receiver{js: eng.js, log: log, m: m, timeout: cfg.publishTimeout}
		mux.Handle("/callbacks", rcv.handler(verifier))
	}

	stopWork, cancelStop := context.WithCancel(context.Background())
	defer cancelStop()
	work, cancelWork := context.WithCancel(context.Background())
	defer cancelWork()
	var working sync.WaitGroup
	var demo *meetingstest.Server
	if cfg.role != "receiver" {
		opts := []meetings.Option{meetings.WithLogger(log), meetings.WithUserAgent("durable-receiver-example")}
		var client *meetings.Client
		if cfg.demo > 0 {
			var signing []meetingstest.Option // the demo's callbacks pass the receiver's check
			if cfg.signatureSecret != "" {
				signing = append(signing, meetingstest.WithCallbackSignatureSecret([]byte(cfg.signatureSecret)))
			}
			if demo, err = meetingstest.NewServer(signing...); err != nil {
				return err
			}
			defer demo.Close()
			client, err = meetings.NewClient(demo.APIKey(), demo.APISecret(), append(opts, meetings.WithBaseURL(demo.URL))...)
		} else {
			client, err = meetings.NewClientFromEnv(opts...)
		}
		if err != nil {
			return err
		}
		wk, err := newWorker(ctx, cfg, eng, client, log, m)
		if err != nil {
			return err
		}
		working.Go(func() { wk.run(stopWork, work) })
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		cancelStop()
		working.Wait()
		return err
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      cfg.publishTimeout + 5*time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "role", cfg.role, "engine", eng.String(), "out", cfg.outDir)
	if demo != nil {
		go playDemo(ctx, demo, ln.Addr().(*net.TCPAddr).Port, cfg.demo, log)
	}

	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
	}
	stopping.Store(true)
	log.Info("shutting down", "timeout", cfg.shutdownTimeout.String())
	deadline, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	httpErr := srv.Shutdown(deadline) // no new callbacks; those being stored finish
	cancelStop()                      // no new work
	done := make(chan struct{})
	go func() { working.Wait(); close(done) }()
	select {
	case <-done:
	case <-deadline.Done():
		log.Warn("shutdown timeout: handing back the work in flight")
		cancelWork()
		<-done
	}
	if err := errors.Join(serveErr, httpErr); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// playDemo plays n meetings from the fake service at this receiver, one
// after the other, with new IDs each run.
func playDemo(ctx context.Context, demo *meetingstest.Server, port, n int, log *slog.Logger) {
	url := fmt.Sprintf("http://127.0.0.1:%d/callbacks", port)
	run := time.Now().Format("20060102-150405")
	for i := range n {
		m := meetingstest.Meeting{
			SessionID:   fmt.Sprintf("demo-%s-session-%d", run, i),
			RecordingID: fmt.Sprintf("demo-%s-recording-%d", run, i),
			FileSize:    4 << 20,
		}
		if _, err := demo.PlayMeeting(ctx, url, m); err != nil {
			log.Error("demo meeting", "error", err.Error())
			return
		}
		log.Info("demo meeting played", "recording_id", m.RecordingID)
	}
}

// loopback reports whether addr listens on a loopback address only; ":8080"
// listens on every interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
