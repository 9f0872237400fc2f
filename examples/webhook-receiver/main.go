package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
)

// EnvSignatureSecret turns signature verification on.
const EnvSignatureSecret = "VONAGE_SIGNATURE_SECRET"

type config struct {
	addr            string
	listenAny       bool // -insecure-listen-any: beyond loopback without signature checks
	baseURL         string
	outDir          string
	workers         int
	queue           int
	shutdownTimeout time.Duration
	signatureSecret string
}

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := parseConfig(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		if !errors.Is(err, errFlags) { // the flag package has printed those already
			fmt.Fprintln(os.Stderr, "webhook-receiver:", err)
		}
		os.Exit(2)
	}
	if err := run(ctx, cfg, log); err != nil {
		log.Error("exiting", "error", err.Error())
		os.Exit(1)
	}
}

// errFlags marks an error the flag package has already printed, with the usage.
var errFlags = errors.New("bad flags")

// parseConfig reads flags, whose defaults come from the environment.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	cfg := config{signatureSecret: getenv(EnvSignatureSecret)}
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: webhook-receiver [flags]

Receives Meetings callbacks at POST /callbacks (answers 204 at once) and downloads
each uploaded recording in the background; GET /healthz answers 200. SIGINT or
SIGTERM shuts down gracefully, waiting for downloads in flight.

environment:
  VONAGE_API_KEY, VONAGE_API_SECRET   credentials (HTTP Basic auth, the beta API)
  VONAGE_APPLICATION_ID,              or, when no key or secret is set: application
    VONAGE_PRIVATE_KEY_PATH           (JWT) auth, the v1 API
  VONAGE_MEETINGS_BASE_URL            base URL, if -base-url is not given
  VONAGE_SIGNATURE_SECRET             if set, callbacks must be signed with it (else 401);
                                      needed to listen beyond loopback
  LISTEN_ADDR, RECORDINGS_DIR         defaults of -addr and -out

exit status: 0 after a clean shutdown, 1 on an error, 2 for bad flags

flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.addr, "addr", envOr(getenv, "LISTEN_ADDR", "127.0.0.1:8080"), "listen address (env LISTEN_ADDR); beyond loopback it needs\n"+EnvSignatureSecret+" or -insecure-listen-any")
	fs.BoolVar(&cfg.listenAny, "insecure-listen-any", false, "listen beyond loopback without "+EnvSignatureSecret+":\nanyone who reaches the port can post callbacks that are believed")
	fs.StringVar(&cfg.baseURL, "base-url", "", "the Meetings API's base URL (default: env "+meetings.EnvBaseURL+", else the beta API, or v1 with application auth)")
	fs.StringVar(&cfg.outDir, "out", envOr(getenv, "RECORDINGS_DIR", "webhook-downloads"), "directory the files are saved in (env RECORDINGS_DIR)")
	fs.IntVar(&cfg.workers, "workers", 2, "downloads running at once")
	fs.IntVar(&cfg.queue, "queue", 100, "downloads waiting for a worker before callbacks are answered 500")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 5*time.Minute, "how long a shutdown waits for downloads in flight")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, fmt.Errorf("%w: %w", errFlags, err)
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case cfg.workers < 1:
		return cfg, fmt.Errorf("-workers %d: need at least 1", cfg.workers)
	case cfg.queue < 0:
		return cfg, fmt.Errorf("-queue %d is negative", cfg.queue)
	case cfg.shutdownTimeout <= 0:
		return cfg, fmt.Errorf("-shutdown-timeout %s is not positive", cfg.shutdownTimeout)
	case cfg.signatureSecret == "" && !cfg.listenAny && !loopback(cfg.addr):
		return cfg, fmt.Errorf("-addr %q listens beyond loopback, and without %s callbacks are not signature-checked:\n"+
			"set %[2]s, or pass -insecure-listen-any to accept unsigned callbacks from anyone who can reach the port", cfg.addr, EnvSignatureSecret)
	}
	return cfg, nil
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

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// run builds the receiver from cfg and serves until ctx ends.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	opts := []meetings.Option{meetings.WithLogger(log), meetings.WithUserAgent("webhook-receiver-example")}
	if cfg.baseURL != "" {
		opts = append(opts, meetings.WithBaseURL(cfg.baseURL))
	}
	client, err := meetings.NewClientFromEnv(opts...)
	if err != nil {
		return err
	}
	var verifier *callbacks.Verifier
	if cfg.signatureSecret != "" {
		if verifier, err = callbacks.NewVerifier([]byte(cfg.signatureSecret)); err != nil {
			return fmt.Errorf("%s: %w", EnvSignatureSecret, err)
		}
	}
	if err := os.MkdirAll(cfg.outDir, 0o755); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	rcv := newReceiver(client, log, cfg.outDir, cfg.workers, cfg.queue, verifier)
	log.Info("starting", "addr", ln.Addr().String(), "out", cfg.outDir, "workers", cfg.workers, "signatures", verifier != nil)
	if verifier == nil && !loopback(cfg.addr) {
		log.Warn("callbacks are not signature-checked, and the port is reachable beyond loopback (-insecure-listen-any)")
	}
	return serve(ctx, ln, rcv, cfg.shutdownTimeout, log)
}

// serve serves rcv on ln until ctx ends, then shuts down gracefully: the HTTP
// server first (no new callbacks), then the downloads, both within timeout.
func serve(ctx context.Context, ln net.Listener, rcv *receiver, timeout time.Duration, log *slog.Logger) error {
	handler, err := rcv.Handler()
	if err != nil {
		_ = rcv.Shutdown(context.Background())
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second, // callbacks are small (64 KiB at most)
		WriteTimeout:      10 * time.Second, // answers are 204s: handlers never wait for a download
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served: // the listener failed
		_ = rcv.Shutdown(context.Background())
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", timeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	httpErr := srv.Shutdown(shutdownCtx)
	workErr := rcv.Shutdown(shutdownCtx)
	if err := errors.Join(httpErr, workErr); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}
