package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// gate holds every request to one host until release is closed, and reports
// each one on started: a download that is provably in flight.
type gate struct {
	host    string
	started chan struct{}
	release chan struct{}
}

func newGate(rawURL string) *gate {
	u, _ := url.Parse(rawURL)
	return &gate{host: u.Host, started: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == g.host {
		g.started <- struct{}{}
		select {
		case <-g.release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// setup starts the fake service and a receiver whose storage downloads wait
// at the returned gate.
func setup(t *testing.T, workers, queue int, verifier *callbacks.Verifier, opts ...meetingstest.Option) (*meetingstest.Server, *receiver, *gate, string, *bytes.Buffer) {
	t.Helper()
	srv := meetingstest.Start(t, opts...)
	g := newGate(srv.StorageURL)
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(),
		meetings.WithBaseURL(srv.URL), meetings.WithHTTPClient(&http.Client{Transport: g}))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	logs := &bytes.Buffer{} // read only once everything stopped
	rcv := newReceiver(client, slog.New(slog.NewJSONHandler(logs, nil)), dir, workers, queue, verifier)
	t.Cleanup(func() { _ = rcv.Shutdown(context.Background()) })
	return srv, rcv, g, dir, logs
}

func checkFile(t *testing.T, path string, size int64) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the download: %v", err)
	}
	got, err := fileSHA256(path)
	if err != nil {
		t.Fatalf("the download: %v", err)
	}
	want, _ := meetingstest.GeneratedSHA256(size)
	if fi.Size() != size || got != want {
		t.Errorf("%s: %d bytes with SHA-256 %s, want %d bytes with %s", path, fi.Size(), got, size, want)
	}
}

func TestCallbacksAreAnsweredBeforeTheDownloadAndShutdownWaitsForIt(t *testing.T) {
	t.Parallel()
	srv, rcv, g, dir, logs := setup(t, 2, 10, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, rcv, time.Minute, slog.New(slog.NewJSONHandler(io.Discard, nil))) }()
	base := "http://" + ln.Addr().String()

	// Every callback is acknowledged while the download is held at the gate:
	// the handler does not wait for it.
	played, err := srv.PlayMeeting(ctx, base+"/callbacks", meetingstest.Meeting{FileSize: 1 << 20})
	if err != nil {
		t.Fatalf("PlayMeeting: %v", err)
	}
	for _, cb := range played.Callbacks {
		if cb.StatusCode != http.StatusNoContent {
			t.Errorf("%s answered %d, want 204", cb.Event, cb.StatusCode)
		}
	}
	<-g.started // the download is in flight, and still held
	path := filepath.Join(dir, played.Meeting.RecordingID+".mp4")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file exists before the download was let through (Stat: %v)", err)
	}

	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("/healthz = %d %q, want 200 \"ok\\n\"", resp.StatusCode, body)
	}

	// Shut down (what SIGTERM does): the listener closes, but serve waits
	// for the download in flight.
	stop()
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break // the listener is closed: the shutdown has begun
		}
		c.Close()
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("serve returned (%v) while a download was in flight", err)
	case <-time.After(50 * time.Millisecond): // a bounded look for a premature return
	}
	close(g.release)
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	checkFile(t, path, 1<<20)
	if n := srv.StorageAuthorizationCount(); n != 0 {
		t.Errorf("%d requests carried credentials to storage", n)
	}
	if !strings.Contains(logs.String(), `"msg":"downloaded"`) {
		t.Errorf("logs lack the download:\n%s", logs)
	}
}

func TestFullQueueAnswers500SoTheSenderRetries(t *testing.T) {
	t.Parallel()
	srv, rcv, g, dir, _ := setup(t, 1, 1, nil)
	h := httptest.NewServer(mustHandler(t, rcv))
	defer h.Close()
	post := func(id string) int {
		t.Helper()
		if err := srv.AddRecording(meetingstest.Recording{ID: id, SessionID: "s1"}); err != nil {
			t.Fatal(err)
		}
		if err := srv.SetGeneratedFile(id, 1000); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(h.URL+"/callbacks", "application/json",
			strings.NewReader(`{"event":"recording:uploaded","recording_id":"`+id+`","session_id":"s1"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	if got := post("a"); got != http.StatusNoContent {
		t.Fatalf("first callback: %d, want 204", got)
	}
	<-g.started // the only worker is busy with a
	if got := post("b"); got != http.StatusNoContent {
		t.Errorf("second callback (queued): %d, want 204", got)
	}
	if got := post("c"); got != http.StatusInternalServerError {
		t.Errorf("third callback (queue full): %d, want 500", got)
	}
	close(g.release)
	if err := rcv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkFile(t, filepath.Join(dir, "a.mp4"), 1000)
	checkFile(t, filepath.Join(dir, "b.mp4"), 1000)
	if _, err := os.Stat(filepath.Join(dir, "c.mp4")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("c was refused but downloaded (Stat: %v)", err)
	}
}

func TestSignatures(t *testing.T) {
	t.Parallel()
	secret := []byte("test-signature-secret-0123456789")
	v, err := callbacks.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	sign := meetingstest.WithCallbackSignatureSecret(secret)
	srv, rcv, g, dir, _ := setup(t, 1, 10, v, sign)
	close(g.release)
	h := httptest.NewServer(mustHandler(t, rcv))
	defer h.Close()

	played, err := srv.PlayMeeting(context.Background(), h.URL+"/callbacks", meetingstest.Meeting{FileSize: 4096})
	if err != nil {
		t.Fatalf("signed callbacks: %v", err)
	}

	const body = `{"event":"session:ended","session_id":"s1"}`
	tests := []struct {
		name, authorization string
		want                int
	}{
		{"unsigned", "", http.StatusUnauthorized},
		{"signed with another secret", mustSign(t, []byte(body), []byte("another-secret-0123456789abcdef")), http.StatusUnauthorized},
		{"signed for another body", mustSign(t, []byte(`{"event":"session:ended"}`), secret), http.StatusUnauthorized},
		{"signed", mustSign(t, []byte(body), secret), http.StatusNoContent},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/callbacks", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if tt.authorization != "" {
			req.Header.Set("Authorization", tt.authorization)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}

	if err := rcv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkFile(t, filepath.Join(dir, played.Meeting.RecordingID+".mp4"), 4096)
}

func mustSign(t *testing.T, body, secret []byte) string {
	t.Helper()
	h, err := callbacks.Sign(body, secret)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{"LISTEN_ADDR": "127.0.0.1:9000", "RECORDINGS_DIR": "/data", EnvSignatureSecret: "s3cr3t-0123456789abcdef"}
	getenv := func(k string) string { return env[k] }

	cfg, err := parseConfig(nil, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.addr != "127.0.0.1:9000" || cfg.outDir != "/data" || cfg.signatureSecret != env[EnvSignatureSecret] || cfg.workers != 2 {
		t.Errorf("from the environment: %+v", cfg)
	}
	cfg, err = parseConfig([]string{"-addr", ":1", "-out", "x", "-workers", "4"}, getenv)
	if err != nil || cfg.addr != ":1" || cfg.outDir != "x" || cfg.workers != 4 {
		t.Errorf("flags over the environment: %+v, %v", cfg, err)
	}

	for _, args := range [][]string{{"-workers", "0"}, {"-queue", "-1"}, {"-shutdown-timeout", "0s"}, {"extra"}, {"-nope"}} {
		if _, err := parseConfig(args, getenv); err == nil {
			t.Errorf("parseConfig(%q) = nil error", args)
		}
	}
}

func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func mustHandler(t *testing.T, rcv *receiver) http.Handler {
	t.Helper()
	h, err := rcv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
