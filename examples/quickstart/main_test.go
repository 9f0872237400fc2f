package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestRunDownloadsListsAndDeletesOffline(t *testing.T) {
	t.Parallel()
	const size = 3<<20 + 17                         // not a multiple of the download's chunk size
	dir := filepath.Join(t.TempDir(), "recordings") // created by run
	var buf bytes.Buffer
	cfg := config{listen: "127.0.0.1:0", out: dir, size: size, delete: true, timeout: time.Minute}

	if err := run(context.Background(), cfg, &console{w: &buf}); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, buf.String())
	}

	path := filepath.Join(dir, meetingstest.DefaultRecordingID+".mp4")
	sum, err := fileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := meetingstest.GeneratedSHA256(size)
	if err != nil {
		t.Fatal(err)
	}
	if sum != want {
		t.Errorf("SHA-256 of %s = %s, want %s", path, sum, want)
	}
	out := buf.String()
	for _, line := range []string{
		"callback: recording:uploaded recording " + meetingstest.DefaultRecordingID,
		"callback: room:expired",
		"the fake played a meeting: 10 callbacks, all acknowledged",
		"  download 100%",
		"SHA-256 " + want,
		"has 1 recording(s):",
		"deleted recording " + meetingstest.DefaultRecordingID,
		"done",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
	if strings.Contains(out, "\r") {
		t.Errorf("output to a non-terminal holds a \\r:\n%q", out)
	}
}

func TestRunFailsClearly(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cfg     config
		wantErr string
	}{
		{"bad listen address", config{listen: "not an address", out: t.TempDir()}, "listen"},
		{"out is a file", config{listen: "127.0.0.1:0", out: file}, "not a directory"},
		{"base URL not https", config{baseURL: "http://api.example.com", listen: "127.0.0.1:0"}, "https is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.size, tt.cfg.timeout = 1024, time.Minute
			err := run(context.Background(), tt.cfg, &console{w: &bytes.Buffer{}})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run = %v, want an error containing %q", err, tt.wantErr)
			}
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
	if got := buf.String(); got != want {
		t.Errorf("terminal output:\n got %q\nwant %q", got, want)
	}
}

// urlWatcher is the console's writer in a test: it keeps the output and
// reports the receiver's URL once printed.
type urlWatcher struct {
	mu  sync.Mutex
	buf bytes.Buffer
	url chan string
}

func (w *urlWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, u, ok := strings.Cut(string(p), "receiving callbacks at "); ok {
		w.url <- strings.TrimSpace(u)
	}
	return w.buf.Write(p)
}

// With -base-url the quickstart uses credentials from the environment and
// waits for the service's callbacks: here the fake plays the service, from
// outside the program.
func TestRunAgainstABaseURL(t *testing.T) {
	srv := meetingstest.Start(t)
	t.Setenv(meetings.EnvAPIKey, srv.APIKey())
	t.Setenv(meetings.EnvAPISecret, srv.APISecret())
	dir := t.TempDir()
	w := &urlWatcher{url: make(chan string, 1)}
	cfg := config{baseURL: srv.URL, listen: "127.0.0.1:0", out: dir, delete: false, timeout: time.Minute}

	done := make(chan error, 1)
	go func() { done <- run(context.Background(), cfg, &console{w: w}) }()
	var receiverURL string
	select {
	case receiverURL = <-w.url:
	case err := <-done:
		t.Fatalf("run ended before listening: %v", err)
	}
	played, err := srv.PlayMeeting(context.Background(), receiverURL, meetingstest.Meeting{FileSize: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("run: %v\n%s", err, w.buf.String())
	}

	got, err := fileSHA256(filepath.Join(dir, played.Meeting.RecordingID+".mp4"))
	want, _ := srv.FileSHA256(played.Meeting.RecordingID)
	if err != nil || got != want {
		t.Errorf("file SHA-256 %s (%v), want %s", got, err, want)
	}
	if _, ok := srv.Recording(played.Meeting.RecordingID); !ok {
		t.Error("-delete=false, but the recording was deleted")
	}
	if !strings.Contains(w.buf.String(), "kept recording") {
		t.Errorf("output:\n%s", w.buf.String())
	}
}
