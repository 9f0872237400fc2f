package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// The tests set the environment (t.Setenv), so none runs in parallel.

const (
	recID     = "17461b93-f793-48a0-9392-7d82de40432f"
	stoppedID = "0d0c1e1b-0000-4000-8000-000000000001"
	sessionID = "2_MX40fg"
	fileSize  = 200_000
)

// start runs the fake with one uploaded recording (with a file) and one
// stopped one, and points the environment at it.
func start(t *testing.T) *meetingstest.Server {
	srv := meetingstest.Start(t)
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: recID, SessionID: sessionID,
		StartedAt: meetingstest.DefaultStartedAt, EndedAt: meetingstest.DefaultStartedAt.Add(38 * time.Second)}))
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: stoppedID, SessionID: sessionID, Status: meetingstest.StatusStopped}))
	require.NoError(t, srv.SetGeneratedFile(recID, fileSize))
	t.Setenv(meetings.EnvAPIKey, srv.APIKey())
	t.Setenv(meetings.EnvAPISecret, srv.APISecret())
	t.Setenv(meetings.EnvBaseURL, srv.URL)
	return srv
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// step is one command line and what it must print.
type step struct {
	args       []string
	wantCode   int
	wantStdout []string // substrings
	wantStderr []string
}

func (s step) check(t *testing.T) (stdout string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, s.args...)
	assert.Equal(t, s.wantCode, code, "%q: exit status\nstdout: %s\nstderr: %s", s.args, stdout, stderr)
	for _, want := range s.wantStdout {
		assert.Contains(t, stdout, want, "%q: stdout", s.args)
	}
	for _, want := range s.wantStderr {
		assert.Contains(t, stderr, want, "%q: stderr", s.args)
	}
	return stdout
}

// field returns the value of a "Name  value" line of a command's output.
func field(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s line in:\n%s", name, out)
	return ""
}

func TestRecordings(t *testing.T) {
	srv := start(t)
	dir := t.TempDir()
	for _, s := range []step{ // in order: delete comes last
		{[]string{"recordings", "list", sessionID}, 0, []string{"ID", "STATUS", recID + "  uploaded  2021-11-02T15:53:28Z  38s", stoppedID + "  stopped"}, nil},
		{[]string{"recordings", "list", "nope"}, 3, nil, []string{"meetings-cli: recordings: GET /sessions/nope/recordings: 404"}},
		{[]string{"recordings", "get", recID}, 0, []string{"ID        " + recID, "Session   " + sessionID, "Status    uploaded", "Duration  38s", "URL       " + srv.StorageURL}, nil},
		{[]string{"recordings", "get", "nope"}, 3, nil, []string{"404"}},
		{[]string{"recordings", "get", ".."}, 2, nil, []string{`recordings: recordingID ".." is not an ID`}},
		{[]string{"recordings", "download", recID, filepath.Join(dir, "a.mp4")}, 0, nil, []string{"saved 200000 bytes to " + filepath.Join(dir, "a.mp4")}},
		{[]string{"recordings", "download", recID, dir}, 0, nil, []string{"saved 200000 bytes to " + filepath.Join(dir, recID+".mp4")}},
		{[]string{"recordings", "download", stoppedID, filepath.Join(dir, "b.mp4")}, 1, nil, []string{"not uploaded", "stopped"}},
		{[]string{"recordings", "download", "nope", filepath.Join(dir, "c.mp4")}, 3, nil, []string{"404"}},
		{[]string{"recordings", "delete", stoppedID}, 1, nil, []string{"403"}},
		{[]string{"recordings", "delete", recID}, 0, []string{"deleted " + recID}, nil},
		{[]string{"recordings", "get", recID}, 3, nil, []string{"404"}},
	} {
		s.check(t)
	}

	want, err := meetingstest.GeneratedSHA256(fileSize)
	require.NoError(t, err)
	for _, name := range []string{"a.mp4", recID + ".mp4"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		assert.Equal(t, want, hex.EncodeToString(sum[:]), name)
	}
	assert.NoFileExists(t, filepath.Join(dir, "b.mp4"), "a refused download leaves no file")
	assert.Zero(t, srv.StorageAuthorizationCount(), "requests that carried credentials to storage")
}

func TestRecordingURLIsShownWithoutItsSignature(t *testing.T) {
	srv := start(t)
	signed, err := srv.DownloadURL(recID)
	require.NoError(t, err)
	require.Contains(t, signed, "?", "the fake signs its download URLs in the query")
	base, _, _ := strings.Cut(signed, "?")

	_, stdout, _ := runCLI(t, "recordings", "get", recID)
	assert.Equal(t, base, field(t, stdout, "URL"))
}

func TestDownloadToStdout(t *testing.T) {
	start(t)
	code, stdout, stderr := runCLI(t, "recordings", "download", recID, "-")
	require.Equal(t, 0, code, stderr)
	want, err := meetingstest.GeneratedSHA256(fileSize)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(stdout))
	assert.Equal(t, want, hex.EncodeToString(sum[:]))
	assert.Contains(t, stderr, "wrote 200000 bytes to standard output")
}

func TestRooms(t *testing.T) {
	start(t)
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	instant := step{[]string{"rooms", "create", "Standup"}, 0, []string{"Name          Standup", "Type          instant", "Available     true", "Guest URL     https://"}, nil}.check(t)
	instantID := field(t, instant, "ID")
	assert.NotContains(t, instant, "participant_token", "the host URL is not printed")
	longTerm := step{[]string{"rooms", "create", "Weekly", "-long-term", "-expires", expires.Format(time.RFC3339)}, 0,
		[]string{"Type          long_term", "Expires       " + expires.Format(time.RFC3339)}, nil}.check(t)
	longTermID := field(t, longTerm, "ID")
	theme := step{[]string{"themes", "create", "-color", "#12f64e", "-brand", "Acme"}, 0, nil, nil}.check(t)
	themeID := field(t, theme, "ID")

	for _, s := range []step{
		{[]string{"rooms", "get", instantID}, 0, []string{"ID            " + instantID, "Name          Standup"}, nil},
		{[]string{"rooms", "list"}, 0, []string{"ID", "NAME", instantID + "  Standup", longTermID + "  Weekly"}, nil},
		{[]string{"rooms", "update", longTermID, "-name", "Retro", "-theme", themeID}, 0, []string{"Name          Retro", "Theme         " + themeID}, nil},
		{[]string{"rooms", "get", longTermID}, 0, []string{"Name          Retro"}, nil},
		{[]string{"rooms", "update", instantID, "-name", "Other"}, 1, nil, []string{"rooms: PATCH /rooms/" + instantID + ": 400"}},
		{[]string{"rooms", "update", longTermID}, 2, nil, []string{"rooms: "}}, // nothing to change: refused before sending
		{[]string{"rooms", "create", "Weekly", "-long-term"}, 2, nil, []string{"rooms: ", "ExpiresAt"}},
		{[]string{"rooms", "create", "Weekly", "-expires", "tomorrow"}, 2, nil, []string{`invalid value "tomorrow" for flag -expires`}},
		{[]string{"rooms", "get", "nope"}, 3, nil, []string{"rooms: GET /rooms/nope: 404"}},
	} {
		s.check(t)
	}
}

func TestThemes(t *testing.T) {
	start(t)
	var logoPNG bytes.Buffer
	require.NoError(t, png.Encode(&logoPNG, image.NewRGBA(image.Rect(0, 0, 16, 16))))
	logo := filepath.Join(t.TempDir(), "logo.png")
	require.NoError(t, os.WriteFile(logo, logoPNG.Bytes(), 0o600))
	created := step{[]string{"themes", "create", "-color", "#12f64e", "-brand", "Acme", "-name", "Main"}, 0,
		[]string{"Name          Main", "Color         #12f64e", "Brand         Acme", "White logo    -"}, nil}.check(t)
	id := field(t, created, "ID")

	for _, s := range []step{
		{[]string{"themes", "list"}, 0, []string{"ID", "NAME", id + "  Main  #12f64e  Acme"}, nil},
		{[]string{"themes", "get", id}, 0, []string{"ID            " + id}, nil},
		{[]string{"themes", "update", id, "-brand", "Acme Corp"}, 0, []string{"Name          Main", "Brand         Acme Corp"}, nil},
		{[]string{"themes", "set-logo", id, "white", logo}, 0, []string{"set the white logo of theme " + id}, nil},
		{[]string{"themes", "set-logo", id, "black", logo}, 2, nil, []string{`logo type "black" is not white, colored or favicon`}},
		{[]string{"themes", "set-logo", id, "favicon", logo + ".missing"}, 1, nil, []string{"no such file"}},
		{[]string{"themes", "create", "-brand", "Acme"}, 2, nil, []string{"themes: ", "MainColor"}},
		{[]string{"themes", "create", "-color", "#fff", "-brand", "Acme", "-name", "Main"}, 1, nil, []string{"409"}},
		{[]string{"themes", "update", id}, 2, nil, []string{"themes: "}},
		{[]string{"themes", "get", "nope"}, 3, nil, []string{"themes: GET /themes/nope: 404"}},
	} {
		s.check(t)
	}
	got := step{[]string{"themes", "get", id}, 0, nil, nil}.check(t)
	assert.NotEqual(t, "-", field(t, got, "White logo"), "the logo is the theme's")
}

func TestDialIn(t *testing.T) {
	start(t)
	step{[]string{"dial-in"}, 0, []string{"NUMBER", "LOCALE", "442381924626  en-GB   United Kingdom"}, nil}.check(t)
}

func TestUsageErrors(t *testing.T) {
	start(t)
	tests := []struct {
		name      string
		args      []string
		wantInErr string
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"rename", "x"}, `unknown command "rename x"`},
		{"unknown subcommand", []string{"rooms", "delete", "x"}, `unknown command "rooms delete"`},
		{"list without session", []string{"recordings", "list"}, "recordings list takes SESSION_ID, got 0 argument(s)"},
		{"get with two IDs", []string{"rooms", "get", "a", "b"}, "rooms get takes ID, got 2 argument(s)"},
		{"download with three", []string{"recordings", "download", "a", "b", "c"}, "recordings download takes ID [PATH], got 3"},
		{"dial-in with an argument", []string{"dial-in", "x"}, "dial-in takes no arguments, got 1"},
		{"unknown flag", []string{"rooms", "create", "x", "-nope"}, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tt.wantInErr)
			assert.Empty(t, stdout)
		})
	}

	t.Run("no credentials", func(t *testing.T) {
		t.Setenv(meetings.EnvAPIKey, "")
		t.Setenv(meetings.EnvAPISecret, "")
		code, _, stderr := runCLI(t, "dial-in")
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, meetings.EnvAPIKey)
	})
	t.Run("base URL not https", func(t *testing.T) {
		t.Setenv(meetings.EnvBaseURL, "http://api.example.com")
		code, _, stderr := runCLI(t, "dial-in")
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, "must use https")
	})
	t.Run("help", func(t *testing.T) {
		code, stdout, _ := runCLI(t, "help")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "rooms create NAME [-long-term -expires RFC3339]")
		code, _, stderr := runCLI(t, "themes", "create", "-h")
		assert.Equal(t, 0, code)
		assert.Contains(t, stderr, "-color")
	})
}
