package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
	"github.com/vonage-meetings/go-sdk/rooms"
)

type config struct {
	baseURL     string        // empty: run against the built-in fake
	listen      string        // the receiver's address
	callbackURL string        // where the service POSTs callbacks; empty: the receiver's own URL
	out         string        // where the file is saved
	size        int64         // the fake's file size
	delete      bool          // delete the recording once downloaded
	timeout     time.Duration // bound on the whole run
}

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		fmt.Fprintf(os.Stderr, "quickstart: %v (see -help)\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, newConsole(os.Stdout)); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart: FAILED:", err)
		os.Exit(1)
	}
}

const usage = `usage: go run ./examples/quickstart [flags]

Runs the SDK's main job: create a room whose callbacks come to a local
receiver, receive recording:uploaded, fetch the recording, download its file
into -out, list the session's recordings, and delete the one downloaded.

Offline by default: the SDK's fake Meetings service plays a meeting in the
room, and the recording is deleted from the fake afterwards.

With -base-url it talks to that service, with the credentials in
VONAGE_API_KEY and VONAGE_API_SECRET (or VONAGE_APPLICATION_ID and
VONAGE_PRIVATE_KEY_PATH), and waits for you to hold a meeting in the room it
creates (recorded automatically). The service must reach the receiver: run a
tunnel to -listen and pass its public URL as -callback-url. Against a service
the recording is kept unless you pass -delete.

flags:
`

// parseConfig reads the flags. Defaults that depend on the mode are settled
// here: against a real service nothing is deleted unless -delete is given.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.StringVar(&cfg.baseURL, "base-url", "", "the Meetings API's base URL, e.g. "+meetings.DefaultBaseURL+" (default: the built-in fake)")
	fs.StringVar(&cfg.listen, "listen", "", "the receiver's listen address (default 127.0.0.1:0, any free port;\nwith -base-url 127.0.0.1:8080, where your tunnel points)")
	fs.StringVar(&cfg.callbackURL, "callback-url", "", "with -base-url: the public URL the service POSTs callbacks to,\nforwarded to the receiver, e.g. https://abc.example-tunnel.app/callbacks")
	fs.StringVar(&cfg.out, "out", "quickstart-downloads", "the directory the file is saved in, as <recording-id>.mp4")
	fs.Int64Var(&cfg.size, "size", 8<<20, "the size in bytes of the fake's recording file (offline only)")
	fs.BoolVar(&cfg.delete, "delete", false, "delete the recording from the service once downloaded (the local file stays)\n(default true offline, false with -base-url)")
	fs.DurationVar(&cfg.timeout, "timeout", 0, "give up after this long (default 1m offline, 1h with -base-url)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, errors.New("bad flags") // the flag package printed why
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	offline := cfg.baseURL == ""
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case cfg.size < 0:
		return cfg, fmt.Errorf("-size %d is negative", cfg.size)
	case !offline && cfg.callbackURL == "":
		return cfg, errors.New("-base-url needs -callback-url: the public URL the service can send callbacks to")
	case offline && cfg.callbackURL != "":
		return cfg, errors.New("-callback-url is for -base-url: offline, the fake calls the receiver directly")
	}
	if !set["delete"] {
		cfg.delete = offline // the fake's recording is ours to delete; a real one is not
	}
	if cfg.listen == "" {
		cfg.listen = "127.0.0.1:8080" // a fixed port, for the tunnel
		if offline {
			cfg.listen = "127.0.0.1:0"
		}
	}
	if cfg.timeout <= 0 {
		cfg.timeout = time.Hour // time to hold a meeting
		if offline {
			cfg.timeout = time.Minute
		}
	}
	return cfg, nil
}

// run is the whole program: start the service (or connect to one), create a
// room whose callbacks come to the receiver, and do the job when
// recording:uploaded arrives.
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
	// that prints the rest. It only hands the event over, so the sender gets
	// its 204 at once; the download happens on another goroutine.
	// Only recordings of sessions seen starting in the room created below are
	// taken: behind a public tunnel anyone could post a recording:uploaded.
	uploaded := make(chan *callbacks.RecordingUploaded, 1)
	var roomID atomic.Value // set once the room exists
	var sessions sync.Map   // sessions of that room
	mux, err := callbacks.NewMux(
		callbacks.On(func(ctx context.Context, ev *callbacks.SessionStarted) error {
			out.Printf("callback: %s %s in room %s", ev.EventType(), ev.SessionID, ev.RoomID)
			if ev.RoomID == roomID.Load() {
				sessions.Store(ev.SessionID, true)
			}
			return nil
		}),
		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error {
			out.Printf("callback: %s recording %s (%s long)", ev.EventType(), ev.RecordingID, ev.Duration)
			if _, ok := sessions.Load(ev.SessionID); !ok {
				out.Printf("ignored: session %s did not start in this room", ev.SessionID)
				return nil
			}
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
	callbackURL := "http://" + ln.Addr().String() + "/callbacks"
	out.Printf("receiving callbacks at %s", callbackURL)
	if cfg.callbackURL != "" {
		callbackURL = cfg.callbackURL
	}

	// 3. A room whose events come to the receiver, recorded automatically.
	room, err := client.Rooms.Create(ctx, rooms.CreateRequest{
		DisplayName:      "SDK quickstart",
		RecordingOptions: &rooms.RecordingParams{AutoRecord: meetings.Ptr(true)},
		CallbackURLs:     &rooms.CallbackURLs{Rooms: callbackURL, Sessions: callbackURL, Recordings: callbackURL},
	})
	if err != nil {
		return fmt.Errorf("creating the room: %w", err)
	}
	out.Printf("created room %s (%s, until %s), callbacks to %s", room.ID, room.Type, room.ExpiresAt.Format(time.RFC3339), callbackURL)
	roomID.Store(room.ID)

	// 4. The job runs off the request path; run waits for its result.
	result := make(chan error, 1)
	go func() {
		select {
		case ev := <-uploaded:
			result <- handleUpload(ctx, client, ev, cfg, out)
		case <-ctx.Done():
			result <- fmt.Errorf("no recording:uploaded callback arrived: %w", ctx.Err())
		}
	}()

	// 5. Offline, the fake plays a meeting in the room; it sends the events
	// to the room's callback URLs. Online, people meet in the room.
	if fake != nil {
		played, err := fake.PlayMeeting(ctx, "", meetingstest.Meeting{RoomID: room.ID, FileSize: cfg.size})
		if err != nil {
			return fmt.Errorf("playing the meeting: %w", err)
		}
		out.Printf("the fake played a meeting in room %s: %d callbacks, all acknowledged", room.ID, len(played.Callbacks))
	} else {
		out.Printf("join the room at %s and hold a short meeting: it is recorded;", room.GuestURL)
		out.Printf("waiting up to %s for its recording:uploaded callback...", cfg.timeout)
	}
	if err := <-result; err != nil {
		return err
	}
	out.Printf("done")
	return nil
}

// handleUpload is what a receiver does with recording:uploaded: fetch the
// recording, save its file, list the session's recordings, and delete the
// one saved if asked to.
func handleUpload(ctx context.Context, client *meetings.Client, ev *callbacks.RecordingUploaded, cfg config, out *console) error {
	rec, err := client.Recordings.Get(ctx, ev.RecordingID)
	if err != nil {
		return fmt.Errorf("fetching recording %s: %w", ev.RecordingID, err)
	}
	out.Printf("fetched recording %s: status %s, session %s, %s long", rec.ID, rec.Status, rec.SessionID, rec.Duration)

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
		out.Printf("  %s  %-8s  %s", r.ID, r.Status, r.Duration)
	}

	if !cfg.delete {
		out.Printf("kept recording %s on the service (pass -delete to delete it)", rec.ID)
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
