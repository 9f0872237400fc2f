package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/recordings"
	"github.com/vonage-meetings/go-sdk/rooms"
	"github.com/vonage-meetings/go-sdk/themes"
)

// commands is the usage, in order.
var commands = []command{
	{"recordings list", "SESSION_ID", "list a session's recordings", 1, 1, noFlags(listRecordings)},
	{"recordings get", "ID", "show a recording", 1, 1, noFlags(getRecording)},
	{"recordings download", "ID [PATH]", "save its file to PATH (default ./ID.mp4; a directory: PATH/ID.mp4; -: standard output)", 1, 2, noFlags(download)},
	{"recordings delete", "ID", "delete a recording (only uploaded ones can be)", 1, 1, noFlags(deleteRecording)},
	{"rooms list", "", "list the application's rooms", 0, 0, noFlags(listRooms)},
	{"rooms get", "ID", "show a room", 1, 1, noFlags(getRoom)},
	{"rooms create", "NAME [-long-term -expires RFC3339]", "create an instant room, or a long-term one", 1, 1, createRoom},
	{"rooms update", "ID [-name NAME] [-theme THEME_ID]", "change a long-term room", 1, 1, updateRoom},
	{"themes list", "", "list the application's themes", 0, 0, noFlags(listThemes)},
	{"themes get", "ID", "show a theme", 1, 1, noFlags(getTheme)},
	{"themes create", "-color COLOR -brand TEXT [-name NAME]", "create a theme (COLOR: #rrggbb)", 0, 0, createTheme},
	{"themes update", "ID [-color COLOR] [-brand TEXT] [-name NAME]", "change a theme", 1, 1, updateTheme},
	{"themes set-logo", "ID white|colored|favicon FILE", "set one of a theme's logos from an image file", 3, 3, noFlags(setLogo)},
	{"dial-in", "", "list the numbers that dial into meetings", 0, 0, noFlags(dialIn)},
}

func noFlags(a action) func(*flag.FlagSet) action { return func(*flag.FlagSet) action { return a } }

// Recordings

func listRecordings(ctx context.Context, c *meetings.Client, args []string, out output) error {
	list, err := c.Recordings.ListBySession(ctx, args[0])
	if err != nil {
		return err
	}
	t := newTable(out.stdout, "ID", "STATUS", "STARTED", "DURATION")
	for _, r := range list {
		t.row(r.ID, string(r.Status), timeOrDash(r.StartedAt), durationOrDash(r.Duration))
	}
	return t.Flush()
}

func getRecording(ctx context.Context, c *meetings.Client, args []string, out output) error {
	r, err := c.Recordings.Get(ctx, args[0])
	if err != nil {
		return err
	}
	t := newTable(out.stdout)
	t.row("ID", r.ID)
	t.row("Session", r.SessionID)
	t.row("Status", string(r.Status))
	t.row("Started", timeOrDash(r.StartedAt))
	t.row("Ended", timeOrDash(r.EndedAt))
	t.row("Duration", durationOrDash(r.Duration))
	t.row("URL", withoutQuery(r.URL)) // the query is the signature: download with the ID instead
	return t.Flush()
}

// download saves the file by ID, so its URL is always fresh. Progress goes to
// stderr, so that "-" can stream the file to stdout.
func download(ctx context.Context, c *meetings.Client, args []string, out output) error {
	id, path := args[0], "."
	if len(args) == 2 {
		path = args[1]
	}
	progress := recordings.WithProgress(progressPrinter(out.stderr, id))
	if path == "-" {
		n, err := c.Recordings.DownloadByID(ctx, id, out.stdout, progress)
		endProgress(out.stderr)
		if err == nil {
			fmt.Fprintf(out.stderr, "wrote %d bytes to standard output\n", n)
		}
		return err
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, filepath.Base(id)+".mp4")
	}
	n, err := c.Recordings.DownloadByIDToFile(ctx, id, path, progress)
	endProgress(out.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out.stderr, "saved %d bytes to %s\n", n, path)
	return nil
}

func deleteRecording(ctx context.Context, c *meetings.Client, args []string, out output) error {
	if err := c.Recordings.Delete(ctx, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(out.stdout, "deleted %s\n", args[0])
	return nil
}

// Rooms

func listRooms(ctx context.Context, c *meetings.Client, _ []string, out output) error {
	t := newTable(out.stdout, "ID", "NAME", "TYPE", "EXPIRES", "AVAILABLE")
	for room, err := range c.Rooms.List(ctx, nil) { // every page
		if err != nil {
			return err
		}
		t.row(room.ID, room.DisplayName, string(room.Type), timeOrDash(room.ExpiresAt), fmt.Sprint(room.IsAvailable))
	}
	return t.Flush()
}

func getRoom(ctx context.Context, c *meetings.Client, args []string, out output) error {
	room, err := c.Rooms.Get(ctx, args[0])
	if err != nil {
		return err
	}
	return printRoom(out.stdout, room)
}

func createRoom(fs *flag.FlagSet) action {
	longTerm := fs.Bool("long-term", false, "a long-term room, reusable until -expires")
	var expires time.Time
	fs.Func("expires", "when the long-term room expires, RFC 3339 (more than 10 minutes ahead)", func(s string) (err error) {
		expires, err = time.Parse(time.RFC3339, s)
		return err
	})
	return func(ctx context.Context, c *meetings.Client, args []string, out output) error {
		req := rooms.CreateRequest{DisplayName: args[0], ExpiresAt: expires}
		if *longTerm {
			req.Type = rooms.LongTerm
		}
		room, err := c.Rooms.Create(ctx, req)
		if err != nil {
			return err
		}
		return printRoom(out.stdout, room)
	}
}

func updateRoom(fs *flag.FlagSet) action {
	var req rooms.UpdateRequest // a flag not given leaves its field nil: unchanged
	fs.Func("name", "the room's new display name", func(s string) error { req.DisplayName = &s; return nil })
	fs.Func("theme", "the ID of the room's new theme", func(s string) error { req.ThemeID = &s; return nil })
	return func(ctx context.Context, c *meetings.Client, args []string, out output) error {
		room, err := c.Rooms.Update(ctx, args[0], req)
		if err != nil {
			return err
		}
		return printRoom(out.stdout, room)
	}
}

// printRoom shows a room, but not its host URL, which lets anyone in as the host.
func printRoom(w io.Writer, room *rooms.Room) error {
	t := newTable(w)
	t.row("ID", room.ID)
	t.row("Name", room.DisplayName)
	t.row("Type", string(room.Type))
	t.row("Created", timeOrDash(room.CreatedAt))
	t.row("Expires", timeOrDash(room.ExpiresAt))
	t.row("Available", fmt.Sprint(room.IsAvailable))
	t.row("Meeting code", room.MeetingCode)
	t.row("Theme", orDash(room.ThemeID))
	t.row("Guest URL", room.GuestURL)
	return t.Flush()
}

func dialIn(ctx context.Context, c *meetings.Client, _ []string, out output) error {
	numbers, err := c.Rooms.DialInNumbers(ctx)
	if err != nil {
		return err
	}
	t := newTable(out.stdout, "NUMBER", "LOCALE", "COUNTRY")
	for _, n := range numbers {
		t.row(n.Number, n.Locale, n.DisplayName)
	}
	return t.Flush()
}

// Themes

func listThemes(ctx context.Context, c *meetings.Client, _ []string, out output) error {
	list, err := c.Themes.List(ctx)
	if err != nil {
		return err
	}
	t := newTable(out.stdout, "ID", "NAME", "COLOR", "BRAND")
	for _, th := range list {
		t.row(th.ID, orDash(th.Name), th.MainColor, th.BrandText)
	}
	return t.Flush()
}

func getTheme(ctx context.Context, c *meetings.Client, args []string, out output) error {
	th, err := c.Themes.Get(ctx, args[0])
	if err != nil {
		return err
	}
	return printTheme(out.stdout, th)
}

func createTheme(fs *flag.FlagSet) action {
	var req themes.CreateRequest
	fs.StringVar(&req.MainColor, "color", "", "the main colour, #rgb or #rrggbb (required)")
	fs.StringVar(&req.BrandText, "brand", "", "the brand text in the room's header (required)")
	fs.StringVar(&req.Name, "name", "", "the theme's name, unique in the application")
	return func(ctx context.Context, c *meetings.Client, _ []string, out output) error {
		th, err := c.Themes.Create(ctx, req)
		if err != nil {
			return err
		}
		return printTheme(out.stdout, th)
	}
}

func updateTheme(fs *flag.FlagSet) action {
	var req themes.UpdateRequest // a flag not given leaves its field nil: unchanged
	fs.Func("color", "the new main colour", func(s string) error { req.MainColor = &s; return nil })
	fs.Func("brand", "the new brand text", func(s string) error { req.BrandText = &s; return nil })
	fs.Func("name", "the new name", func(s string) error { req.Name = &s; return nil })
	return func(ctx context.Context, c *meetings.Client, args []string, out output) error {
		th, err := c.Themes.Update(ctx, args[0], req)
		if err != nil {
			return err
		}
		return printTheme(out.stdout, th)
	}
}

func setLogo(ctx context.Context, c *meetings.Client, args []string, out output) error {
	id, typ, path := args[0], themes.LogoType(args[1]), args[2]
	switch typ {
	case themes.LogoWhite, themes.LogoColored, themes.LogoFavicon:
	default:
		return usageError(fmt.Sprintf("logo type %q is not white, colored or favicon", typ))
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := c.Themes.SetLogo(ctx, id, typ, f); err != nil {
		return err
	}
	fmt.Fprintf(out.stdout, "set the %s logo of theme %s from %s\n", typ, id, path)
	return nil
}

func printTheme(w io.Writer, th *themes.Theme) error {
	t := newTable(w)
	t.row("ID", th.ID)
	t.row("Name", orDash(th.Name))
	t.row("Color", th.MainColor)
	t.row("Brand", th.BrandText)
	t.row("Short URL", orDash(th.ShortCompanyURL))
	t.row("White logo", orDash(th.BrandImageWhiteURL))
	t.row("Colored logo", orDash(th.BrandImageColoredURL))
	t.row("Favicon", orDash(th.BrandedFaviconURL))
	return t.Flush()
}

// Output

// table prints aligned columns.
type table struct{ *tabwriter.Writer }

func newTable(w io.Writer, header ...string) table {
	t := table{tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
	if header != nil {
		t.row(header...)
	}
	return t
}

func (t table) row(cells ...string) { fmt.Fprintln(t, strings.Join(cells, "\t")) }

func timeOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func durationOrDash(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return d.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// withoutQuery shows a URL without its query, which holds a signed URL's signature.
func withoutQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return "-"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
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
