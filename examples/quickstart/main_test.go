package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestRunOfflineCreatesARoomAndSavesListsAndDeletesItsRecording(t *testing.T) {
	t.Parallel()
	const size = 3<<20 + 17                        // not a multiple of the download's chunk size
	dir := filepath.Join(t.TempDir(), "downloads") // created by run
	cfg, err := parseConfig([]string{"-out", dir, "-size", strconv.Itoa(size)}, io.Discard)
	require.NoError(t, err)
	require.EqualValues(t, size, cfg.size)
	var buf bytes.Buffer

	require.NoError(t, run(context.Background(), cfg, &console{w: &buf}), "output:\n%s", buf.String())

	want, err := meetingstest.GeneratedSHA256(size)
	require.NoError(t, err)
	got, err := fileSHA256(filepath.Join(dir, meetingstest.DefaultRecordingID+".mp4"))
	require.NoError(t, err)
	assert.Equal(t, want, got, "the saved file")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the recording, no temporary file")

	out := buf.String()
	for _, line := range []string{
		"created room ",
		"callback: session:started",
		"callback: recording:uploaded recording " + meetingstest.DefaultRecordingID + " (38s long)",
		"callback: room:expired",
		"10 callbacks, all acknowledged",
		"  download 100%",
		"SHA-256 " + want,
		"has 1 recording(s):",
		"deleted recording " + meetingstest.DefaultRecordingID,
		"done",
	} {
		assert.Contains(t, out, line)
	}
	assert.NotContains(t, out, "\r", "output to a non-terminal has no progress bar")
}

func TestParseConfigDeletesOnlyOnTheFakeUnlessAsked(t *testing.T) {
	t.Parallel()
	online := []string{"-base-url", "https://api.example.com/v1/meetings", "-callback-url", "https://tunnel.example/callbacks"}
	tests := []struct {
		name       string
		args       []string
		wantDelete bool
		wantListen string
		wantTime   time.Duration
	}{
		{"offline", nil, true, "127.0.0.1:0", time.Minute},
		{"offline, kept", []string{"-delete=false"}, false, "127.0.0.1:0", time.Minute},
		{"against a service", online, false, "127.0.0.1:8080", time.Hour},
		{"against a service, asked to delete", append(online, "-delete", "-listen", ":9000", "-timeout", "5m"), true, ":9000", 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(tt.args, io.Discard)
			require.NoError(t, err)
			assert.Equal(t, tt.wantDelete, cfg.delete, "delete")
			assert.Equal(t, tt.wantListen, cfg.listen, "listen")
			assert.Equal(t, tt.wantTime, cfg.timeout, "timeout")
			assert.Equal(t, "quickstart-downloads", cfg.out, "not ./recordings, a package of the SDK")
		})
	}
}

func TestParseConfigRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"-base-url needs -callback-url":  {"-base-url", "https://api.example.com"},
		"-callback-url is for -base-url": {"-callback-url", "https://tunnel.example/callbacks"},
		"-size -1 is negative":           {"-size", "-1"},
		`unexpected argument "extra"`:    {"extra"},
		"bad flags":                      {"-nope"},
	}
	for want, args := range tests {
		_, err := parseConfig(args, io.Discard)
		assert.ErrorContains(t, err, want, "%q", args)
	}
}

func TestRunFailsClearly(t *testing.T) { // t.Setenv: not parallel
	t.Setenv(meetings.EnvAPIKey, "key")
	t.Setenv(meetings.EnvAPISecret, "secret")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	tests := []struct {
		name    string
		cfg     config
		wantErr string
	}{
		{"bad listen address", config{listen: "not an address", out: t.TempDir()}, "listen"},
		{"out is a file", config{listen: "127.0.0.1:0", out: file}, "not a directory"},
		{"base URL not https", config{baseURL: "http://api.example.com", listen: "127.0.0.1:0"}, "must use https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.size, tt.cfg.timeout, tt.cfg.delete = 1024, time.Minute, true
			err := run(context.Background(), tt.cfg, &console{w: io.Discard})
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestProgressBarOnATerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := &console{w: &buf, tty: true}
	for _, done := range []int64{0, 1 << 20, 1 << 20, 2 << 20} {
		c.Progress(done, 2<<20)
	}
	c.EndProgress()
	c.Printf("next")
	want := "\r  [..............................]   0%  0.0 MiB / 2.0 MiB" +
		"\r  [###############...............]  50%  1.0 MiB / 2.0 MiB" +
		"\r  [##############################] 100%  2.0 MiB / 2.0 MiB\nnext\n"
	assert.Equal(t, want, buf.String())
}

// roomWatcher is the console's writer in a test: it keeps the output and
// reports the ID of the room once the quickstart has created it.
type roomWatcher struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	room chan string
}

func (w *roomWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if rest, ok := strings.CutPrefix(string(p), "created room "); ok {
		id, _, _ := strings.Cut(rest, " ")
		w.room <- id
	}
	return w.buf.Write(p)
}

func (w *roomWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// With -base-url the quickstart takes its credentials from the environment,
// creates the room there and waits for the service's callbacks: here the fake
// plays the service, from outside the program, in the room the quickstart made.
func TestRunAgainstABaseURLKeepsTheRecording(t *testing.T) { // t.Setenv: not parallel
	srv := meetingstest.Start(t)
	t.Setenv(meetings.EnvAPIKey, srv.APIKey())
	t.Setenv(meetings.EnvAPISecret, srv.APISecret())
	dir := t.TempDir()
	w := &roomWatcher{room: make(chan string, 1)}
	// As parseConfig leaves it for -base-url, but with the receiver's own URL
	// as the callback URL, which the fake on loopback can reach.
	cfg := config{baseURL: srv.URL, listen: "127.0.0.1:0", out: dir, delete: false, timeout: time.Minute}

	done := make(chan error, 1)
	go func() { done <- run(context.Background(), cfg, &console{w: w}) }()
	var roomID string
	select {
	case roomID = <-w.room:
	case err := <-done:
		t.Fatalf("run ended before creating a room: %v\n%s", err, w)
	}
	// First a meeting of another room is posted to the same receiver, as
	// anyone who knows a public tunnel's URL could: its recording is ignored.
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
	require.NoError(t, err)
	room, err := client.Rooms.Get(context.Background(), roomID)
	require.NoError(t, err)
	_, err = srv.PlayMeeting(context.Background(), room.CallbackURLs.Recordings,
		meetingstest.Meeting{RoomID: "another-room", SessionID: "another-session", RecordingID: "another-recording", FileSize: 1000})
	require.NoError(t, err)
	played, err := srv.PlayMeeting(context.Background(), "", meetingstest.Meeting{RoomID: roomID, FileSize: 100_000})
	require.NoError(t, err, "the room's callback URLs reach the receiver")
	require.NoError(t, <-done, "output:\n%s", w)

	want, err := meetingstest.GeneratedSHA256(played.Meeting.FileSize)
	require.NoError(t, err)
	got, err := fileSHA256(filepath.Join(dir, played.Meeting.RecordingID+".mp4"))
	require.NoError(t, err)
	assert.Equal(t, want, got, "the saved file")
	_, err = client.Recordings.Get(context.Background(), played.Meeting.RecordingID)
	assert.NoError(t, err, "the recording on a real service is kept unless -delete")
	assert.Contains(t, w.String(), "kept recording "+played.Meeting.RecordingID)
	assert.Contains(t, w.String(), "join the room at https://meetings.vonage.com/")
	assert.Contains(t, w.String(), "ignored: session another-session did not start in this room")
	assert.NoFileExists(t, filepath.Join(dir, "another-recording.mp4"))
}
