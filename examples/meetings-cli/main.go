package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/vonage-meetings/go-sdk/meetings"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotFound = 3
)

// command is one line of the usage: its words, arguments and flags, and what
// it does once they are parsed.
type command struct {
	name     string // "rooms create"
	args     string // "NAME [-long-term -expires RFC3339]"
	help     string
	min, max int                           // how many positional arguments it takes
	setup    func(fs *flag.FlagSet) action // defines the command's flags
}

// action runs a command with its positional arguments.
type action func(ctx context.Context, c *meetings.Client, args []string, out output) error

// output is where a command writes: results on stdout, progress on stderr.
type output struct{ stdout, stderr io.Writer }

// usageError is a command line that makes no sense.
type usageError string

func (e usageError) Error() string { return string(e) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd, rest := lookup(args)
	if cmd == nil {
		if len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			printUsage(stdout)
			return exitOK
		}
		if len(args) == 0 {
			fmt.Fprint(stderr, "meetings-cli: no command\n\n")
		} else {
			fmt.Fprintf(stderr, "meetings-cli: unknown command %q\n\n", strings.Join(args[:min(len(args), 2)], " "))
		}
		printUsage(stderr)
		return exitUsage
	}

	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: meetings-cli %s\n", strings.TrimSpace(cmd.name+" "+cmd.args))
		fs.PrintDefaults()
	}
	act := cmd.setup(fs)
	pos, err := parseArgs(fs, rest)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage // the flag package printed the error and the usage
	case len(pos) < cmd.min || len(pos) > cmd.max:
		fmt.Fprintf(stderr, "meetings-cli: %s takes %s, got %d argument(s)\n", cmd.name, cmp.Or(cmd.args, "no arguments"), len(pos))
		fs.Usage()
		return exitUsage
	}

	client, err := meetings.NewClientFromEnv(meetings.WithUserAgent("meetings-cli-example"))
	if err != nil {
		fmt.Fprintln(stderr, "meetings-cli:", err)
		return exitUsage
	}
	err = act(ctx, client, pos, output{stdout, stderr})
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "meetings-cli:", err)
	var argErr *meetings.ArgumentError
	var usageErr usageError
	switch {
	case errors.Is(err, meetings.ErrNotFound):
		return exitNotFound
	case errors.As(err, &argErr), errors.As(err, &usageErr):
		return exitUsage
	default:
		return exitFailure
	}
}

// lookup finds the command that args begin with, of one word or two.
func lookup(args []string) (*command, []string) {
	for i := range commands {
		words := strings.Fields(commands[i].name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == commands[i].name {
			return &commands[i], args[len(words):]
		}
	}
	return nil, nil
}

// parseArgs parses flags wherever they are among the arguments, as in
// "rooms create Standup -long-term", which fs.Parse alone stops at.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		if n := len(args) - fs.NArg(); n > 0 && args[n-1] == "--" {
			return append(pos, fs.Args()...), nil // all arguments after "--"
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: meetings-cli COMMAND [ARGS]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %s\n    \t%s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}
	fmt.Fprint(w, `
environment:
  VONAGE_API_KEY, VONAGE_API_SECRET   credentials (HTTP Basic auth, the beta API)
  VONAGE_APPLICATION_ID,              or, when no key or secret is set: application
    VONAGE_PRIVATE_KEY_PATH           (JWT) auth, the v1 API
  VONAGE_MEETINGS_BASE_URL            the API's base URL (default: the beta API,
                                      or v1 with application auth)

exit status: 0 success, 1 failure, 2 usage or configuration, 3 not found
`)
}
