package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/recordings"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotFound = 3
)

const usage = `usage: recordings [flags] COMMAND [ARGS]

commands:
  list SESSION_ID       list the recordings of a session
  get ID                show one recording
  download ID [PATH]    save a recording's file to PATH (default ./ID.mp4;
                        a directory: PATH/ID.mp4; "-": standard output)
  delete ID             delete a recording (only uploaded ones can be)

environment:
  VONAGE_API_KEY, VONAGE_API_SECRET   credentials (HTTP Basic auth, the beta API)
  VONAGE_APPLICATION_ID,              or, when no key or secret is set: application
    VONAGE_PRIVATE_KEY_PATH           (JWT) auth, the v1 API
  VONAGE_MEETINGS_BASE_URL            base URL, if -base-url is not given

exit status: 0 success, 1 failure, 2 usage or configuration, 3 not found

flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a command line that makes no sense; run prints the usage.
type usageError string

func (e usageError) Error() string { return string(e) }

// run is the command: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("recordings", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	baseURL := fs.String("base-url", "", "the Meetings API's base URL (default $"+meetings.EnvBaseURL+", else the beta API, or v1 with application auth)")
	asJSON := fs.Bool("json", false, "print list and get as JSON")
	timeout := fs.Duration("timeout", 30*time.Second, "bound on each API call, retries included (downloads are not bounded)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage // the flag package printed the error and the usage
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "recordings: -timeout %s is not a positive duration\n", *timeout)
		return exitUsage
	}

	cmd, err := parseCommand(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "recordings: %v\n\n", err)
		fs.Usage()
		return exitUsage
	}

	opts := []meetings.Option{meetings.WithUserAgent("recordings-cli-example"), meetings.WithTimeout(*timeout)}
	if *baseURL != "" {
		opts = append(opts, meetings.WithBaseURL(*baseURL))
	}
	client, err := meetings.NewClientFromEnv(opts...)
	if err != nil {
		fmt.Fprintln(stderr, "recordings:", err)
		return exitUsage
	}

	err = cmd(ctx, client.Recordings, output{stdout: stdout, stderr: stderr, json: *asJSON})
	var argErr *meetings.ArgumentError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, meetings.ErrNotFound):
		fmt.Fprintln(stderr, "recordings:", err)
		return exitNotFound
	case errors.As(err, &argErr):
		fmt.Fprintln(stderr, "recordings:", err)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "recordings:", err)
		return exitFailure
	}
}

type output struct {
	stdout, stderr io.Writer
	json           bool
}

type command func(ctx context.Context, svc *recordings.Service, out output) error

// parseCommand checks the command and its arguments before anything is sent.
func parseCommand(args []string) (command, error) {
	if len(args) == 0 {
		return nil, usageError("no command")
	}
	name, args := args[0], args[1:]
	want := func(min, max int, names string) error {
		if len(args) < min || len(args) > max {
			return usageError(fmt.Sprintf("%s takes %s, got %d argument(s)", name, names, len(args)))
		}
		return nil
	}
	switch name {
	case "list":
		if err := want(1, 1, "SESSION_ID"); err != nil {
			return nil, err
		}
		return func(ctx context.Context, svc *recordings.Service, out output) error {
			return list(ctx, svc, out, args[0])
		}, nil
	case "get":
		if err := want(1, 1, "ID"); err != nil {
			return nil, err
		}
		return func(ctx context.Context, svc *recordings.Service, out output) error {
			return get(ctx, svc, out, args[0])
		}, nil
	case "download":
		if err := want(1, 2, "ID [PATH]"); err != nil {
			return nil, err
		}
		path := ""
		if len(args) == 2 {
			path = args[1]
		}
		return func(ctx context.Context, svc *recordings.Service, out output) error {
			return download(ctx, svc, out, args[0], path)
		}, nil
	case "delete":
		if err := want(1, 1, "ID"); err != nil {
			return nil, err
		}
		return func(ctx context.Context, svc *recordings.Service, out output) error {
			if err := svc.Delete(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(out.stdout, "deleted %s\n", args[0])
			return nil
		}, nil
	default:
		return nil, usageError(fmt.Sprintf("unknown command %q", name))
	}
}

func list(ctx context.Context, svc *recordings.Service, out output, sessionID string) error {
	recs, err := svc.ListBySession(ctx, sessionID)
	if err != nil {
		return err
	}
	if out.json {
		return writeJSON(out.stdout, recs)
	}
	tw := tabwriter.NewWriter(out.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSTARTED\tDURATION")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Status, timeOrDash(r.StartedAt), duration(r))
	}
	return tw.Flush()
}

func get(ctx context.Context, svc *recordings.Service, out output, id string) error {
	r, err := svc.Get(ctx, id)
	if err != nil {
		return err
	}
	if out.json {
		return writeJSON(out.stdout, r)
	}
	tw := tabwriter.NewWriter(out.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\t%s\n", r.ID)
	fmt.Fprintf(tw, "Session\t%s\n", r.SessionID)
	fmt.Fprintf(tw, "Status\t%s\n", r.Status)
	fmt.Fprintf(tw, "Started\t%s\n", timeOrDash(r.StartedAt))
	fmt.Fprintf(tw, "Ended\t%s\n", timeOrDash(r.EndedAt))
	fmt.Fprintf(tw, "Duration\t%s\n", duration(r))
	fmt.Fprintf(tw, "URL\t%s\n", r.URL)
	return tw.Flush()
}

// download saves the file by ID, so its URL is always fresh. Progress goes to
// stderr, so that "-" can stream the file to stdout.
func download(ctx context.Context, svc *recordings.Service, out output, id, path string) error {
	progress := recordings.WithProgress(progressPrinter(out.stderr, id))
	if path == "-" {
		n, err := svc.DownloadByID(ctx, id, out.stdout, progress)
		endProgress(out.stderr)
		if err == nil {
			fmt.Fprintf(out.stderr, "wrote %d bytes to standard output\n", n)
		}
		return err
	}
	if path == "" {
		path = "."
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, filepath.Base(id)+".mp4")
	}
	n, err := svc.DownloadByIDToFile(ctx, id, path, progress)
	endProgress(out.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out.stderr, "saved %d bytes to %s\n", n, path)
	return nil
}

// progressPrinter redraws one progress line on a terminal and prints nothing
// otherwise, so that logs and pipes stay clean.
func progressPrinter(w io.Writer, id string) func(done, total int64) {
	if !isTerminal(w) {
		return func(int64, int64) {}
	}
	return func(done, total int64) {
		if total > 0 {
			fmt.Fprintf(w, "\r%s: %3d%%  %.1f / %.1f MiB", id, done*100/total, mib(done), mib(total))
		} else {
			fmt.Fprintf(w, "\r%s: %.1f MiB", id, mib(done))
		}
	}
}

func endProgress(w io.Writer) {
	if isTerminal(w) {
		fmt.Fprint(w, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func timeOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func duration(r *recordings.Recording) string {
	if r.StartedAt.IsZero() || r.EndedAt.IsZero() {
		return "-"
	}
	return r.EndedAt.Sub(r.StartedAt).String()
}
