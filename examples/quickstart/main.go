package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
)

type config struct {
	baseURL string        // empty: run against the built-in fake
	listen  string        // the receiver's address
	out     string        // where the file is saved
	size    int64         // the fake's file size
	delete  bool          // delete the recording once downloaded
	timeout time.Duration // bound on the whole run
}

func main() {
	var cfg config
	flag.StringVar(&cfg.baseURL, "base-url", "", "the Meetings API's base URL, e.g. "+meetings.DefaultBaseURL+".\n"+
		"Given, the quickstart talks to that service with the credentials in "+meetings.EnvAPIKey+" and "+meetings.EnvAPISecret+"\n"+
		"(or "+meetings.EnvApplicationID+" and "+meetings.EnvPrivateKeyPath+" for application auth)\n"+
		"instead of the built-in fake, and waits for a real recording:uploaded callback:\n"+
		"set -listen to an address the service can reach (for example :8080 behind a tunnel)\n"+
		"and your application's callback URL to https://<public host>/callbacks.")
	flag.StringVar(&cfg.listen, "listen", "127.0.0.1:0", "the receiver's listen address (port 0: any free port)")
	flag.StringVar(&cfg.out, "out", "recordings", "the directory the file is saved in, as <recording-id>.mp4")
	flag.Int64Var(&cfg.size, "size", 8<<20, "the size in bytes of the fake's recording file (offline only)")
	flag.BoolVar(&cfg.delete, "delete", true, "delete the recording from the service once downloaded (the local file stays;\n"+
		"with -base-url that is a real recording: pass -delete=false to keep it)")
	flag.DurationVar(&cfg.timeout, "timeout", time.Minute, "give up after this long (with -base-url: the wait for a real meeting)")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), usage)
		flag.PrintDefaults()
	}
	flag.Parse()
	listenSet := false
	flag.Visit(func(f *flag.Flag) { listenSet = listenSet || f.Name == "listen" })
	switch {
	case flag.NArg() > 0:
		usageError("unexpected argument %q", flag.Arg(0))
	case cfg.size < 0:
		usageError("-size %d is negative", cfg.size)
	case cfg.baseURL != "" && !listenSet:
		usageError("-base-url needs -listen: an address the service can send callbacks to")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, newConsole(os.Stdout)); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart: FAILED:", err)
		os.Exit(1)
	}
}

const usage = `usage: go run ./examples/quickstart [flags]

Runs the SDK's main job: receive recording:uploaded, fetch the recording,
download its file into -out, list the session's recordings, delete the one
downloaded. Offline by default, against the SDK's fake Meetings service.

flags:
`

func usageError(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "quickstart: "+format+" (see -help)\n", args...)
	os.Exit(2)
}

// run is the whole program: start the service (or connect to one), receive
// callbacks, and do the job when recording:uploaded arrives.
func run(ctx context.Context, cfg config, out *console) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	// 1. A client, for the fake or for a real service.
	var fake *meetingstest.Server
	var client *meetings.Client
	var err error
	if cfg.baseURL == "" {
		fake, err = meetingstest.NewServer()
		if err != nil {
			return err
		}
		defer fake.Close()
		out.Printf("started the fake Meetings service: API %s, storage %s", fake.URL, fake.StorageURL)
		client, err = meetings.NewClient(fake.APIKey(), fake.APISecret(), meetings.WithBaseURL(fake.URL))
	} else {
		client, err = meetings.NewClientFromEnv(meetings.WithBaseURL(cfg.baseURL))
	}
	if err != nil {
		return err
	}

	// 2. The receiver: one typed function for recording:uploaded, a fallback
	// that logs the rest. It only hands the event over, so the sender gets its
	// 204 at once; the download happens on another goroutine.
	uploaded := make(chan *callbacks.RecordingUploaded, 1)
	mux, err := callbacks.NewMux(
		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error {
			out.Printf("callback: %s recording %s (%s long)", ev.EventType(), ev.RecordingID, ev.Duration)
			select {
			case uploaded <- ev:
			default: // one is being handled already: this quickstart does one job
			}
			return nil
		}),
		callbacks.Fallback(func(ctx context.Context, ev callbacks.Event) error {
			out.Printf("callback: %s", ev.EventType())
			return nil
		}),
	)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	receiver := &http.Server{Handler: callbacks.NewHandler(mux.Dispatch), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = receiver.Serve(ln) }()
	defer receiver.Close()
	receiverURL := "http://" + ln.Addr().String() + "/callbacks"
	out.Printf("receiving callbacks at %s", receiverURL)

	// 3. The job runs off the request path; main waits for its result.
	result := make(chan error, 1)
	go func() {
		select {
		case ev := <-uploaded:
			result <- handleUpload(ctx, client, ev, cfg, out)
		case <-ctx.Done():
			result <- fmt.Errorf("no recording:uploaded callback arrived: %w", ctx.Err())
		}
	}()

	// 4. Offline, the fake plays a meeting to the receiver. Online, the real
	// service calls when a recording is ready.
	if fake != nil {
		played, err := fake.PlayMeeting(ctx, receiverURL, meetingstest.Meeting{FileSize: cfg.size})
		if err != nil {
			return fmt.Errorf("playing the meeting: %w", err)
		}
		out.Printf("the fake played a meeting: %d callbacks, all acknowledged", len(played.Callbacks))
	} else {
		out.Printf("waiting up to %s for a recording:uploaded callback...", cfg.timeout)
	}
	if err := <-result; err != nil {
		return err
	}
	out.Printf("done")
	return nil
}

// handleUpload is what a receiver does with recording:uploaded: fetch the
// recording, save its file, then list and delete.
func handleUpload(ctx context.Context, client *meetings.Client, ev *callbacks.RecordingUploaded, cfg config, out *console) error {
	rec, err := client.Recordings.Get(ctx, ev.RecordingID)
	if err != nil {
		return fmt.Errorf("fetching recording %s: %w", ev.RecordingID, err)
	}
	out.Printf("fetched recording %s: status %s, session %s, %s to %s",
		rec.ID, rec.Status, rec.SessionID, rec.StartedAt.Format(time.TimeOnly), rec.EndedAt.Format(time.TimeOnly))

	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(cfg.out, rec.ID+".mp4")
	n, err := client.Recordings.DownloadToFile(ctx, rec.URL, path, recordings.WithProgress(out.Progress))
	out.EndProgress()
	if err != nil {
		return fmt.Errorf("downloading recording %s: %w", rec.ID, err)
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return err
	}
	out.Printf("downloaded %s: %d bytes, SHA-256 %s", path, n, sum)

	list, err := client.Recordings.ListBySession(ctx, rec.SessionID)
	if err != nil {
		return fmt.Errorf("listing the recordings of session %s: %w", rec.SessionID, err)
	}
	out.Printf("session %s has %d recording(s):", rec.SessionID, len(list))
	for _, r := range list {
		out.Printf("  %s  %-8s  %s", r.ID, r.Status, r.EndedAt.Sub(r.StartedAt))
	}

	if !cfg.delete {
		out.Printf("kept recording %s on the service (-delete=false)", rec.ID)
		return nil
	}
	if err := client.Recordings.Delete(ctx, rec.ID); err != nil {
		return fmt.Errorf("deleting recording %s: %w", rec.ID, err)
	}
	out.Printf("deleted recording %s from the service", rec.ID)
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
