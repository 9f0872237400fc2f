package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// syncBuffer is a log destination that workers write to while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// setup starts the fake service and a receiver whose storage downloads wait
// at the returned gate.
func setup(t *testing.T, workers, queue int, verifier *callbacks.Verifier, opts ...meetingstest.Option) (*meetingstest.Server, *receiver, *gate, string, *syncBuffer) {
	t.Helper()
	srv := meetingstest.Start(t, opts...)
	g := newGate(srv.StorageURL)
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(),
		meetings.WithBaseURL(srv.URL), meetings.WithHTTPClient(&http.Client{Transport: g}))
	require.NoError(t, err)
	dir := t.TempDir()
	logs := &syncBuffer{}
	rcv := newReceiver(client, slog.New(slog.NewJSONHandler(logs, nil)), dir, workers, queue, verifier)
	t.Cleanup(func() { _ = rcv.Shutdown(context.Background()) })
	return srv, rcv, g, dir, logs
}

func checkFile(t *testing.T, path string, size int64) {
	t.Helper()
	got, err := fileSHA256(path)
	require.NoError(t, err, "the download")
	want, err := meetingstest.GeneratedSHA256(size)
	require.NoError(t, err)
	assert.Equal(t, want, got, "SHA-256 of %s", path)
}

func TestCallbacksAreAnsweredBeforeTheDownloadAndShutdownWaitsForIt(t *testing.T) {
	t.Parallel()
	srv, rcv, g, dir, logs := setup(t, 2, 10, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, rcv, time.Minute, slog.New(slog.NewJSONHandler(io.Discard, nil))) }()
	base := "http://" + ln.Addr().String()

	// Every callback is acknowledged while the download is held at the gate:
	// the handler does not wait for it, and the download outlives the request.
	played, err := srv.PlayMeeting(ctx, base+"/callbacks", meetingstest.Meeting{FileSize: 1 << 20})
	require.NoError(t, err)
	for _, cb := range played.Callbacks {
		assert.Equal(t, http.StatusNoContent, cb.StatusCode, cb.Event)
	}
	<-g.started // the download is in flight, and still held
	path := filepath.Join(dir, played.Meeting.RecordingID+".mp4")
	assert.NoFileExists(t, path, "before the download was let through")

	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ok\n", string(body))

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
	require.NoError(t, <-served)
	checkFile(t, path, 1<<20)
	assert.Zero(t, srv.StorageAuthorizationCount(), "requests that carried credentials to storage")
	assert.Contains(t, logs.String(), `"msg":"downloaded"`)
}

func TestEventsWithoutARouteAreAcknowledgedQuietly(t *testing.T) {
	t.Parallel()
	srv, rcv, g, _, logs := setup(t, 1, 10, nil)
	close(g.release)
	h := httptest.NewServer(mustHandler(t, rcv))
	defer h.Close()

	played, err := srv.PlayMeeting(context.Background(), h.URL+"/callbacks", meetingstest.Meeting{FileSize: 1000})
	require.NoError(t, err)
	require.NoError(t, rcv.Shutdown(context.Background()))

	assert.Len(t, played.Callbacks, 10)
	for _, cb := range played.Callbacks {
		assert.Equal(t, http.StatusNoContent, cb.StatusCode, cb.Event)
	}
	assert.NotContains(t, logs.String(), "callback refused", "no event was reported as unhandled")
	assert.Equal(t, 1, strings.Count(logs.String(), `"msg":"callback"`), "only recording:uploaded is logged:\n%s", logs)
}

func TestShutdownPastItsDeadlineCancelsDownloadsAndLeavesNoFile(t *testing.T) {
	t.Parallel()
	srv, rcv, g, dir, logs := setup(t, 1, 10, nil)
	h := httptest.NewServer(mustHandler(t, rcv))
	defer h.Close()
	_, err := srv.PlayMeeting(context.Background(), h.URL+"/callbacks", meetingstest.Meeting{FileSize: 1000})
	require.NoError(t, err)
	<-g.started // held at the gate, never released

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, rcv.Shutdown(ctx), context.DeadlineExceeded)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "no file, partial or whole")
	assert.Contains(t, logs.String(), `"msg":"download failed"`)
}

func TestFullQueueAnswers500SoTheSenderRetries(t *testing.T) {
	t.Parallel()
	srv, rcv, g, dir, _ := setup(t, 1, 1, nil)
	h := httptest.NewServer(mustHandler(t, rcv))
	defer h.Close()
	post := func(id string) int {
		t.Helper()
		require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: id, SessionID: "s1"}))
		require.NoError(t, srv.SetGeneratedFile(id, 1000))
		resp, err := http.Post(h.URL+"/callbacks", "application/json",
			strings.NewReader(`{"event":"recording:uploaded","recording_id":"`+id+`","session_id":"s1"}`))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}

	require.Equal(t, http.StatusNoContent, post("a"), "first callback")
	<-g.started // the only worker is busy with a
	assert.Equal(t, http.StatusNoContent, post("b"), "second callback, queued")
	assert.Equal(t, http.StatusInternalServerError, post("c"), "third callback, queue full")
	close(g.release)
	require.NoError(t, rcv.Shutdown(context.Background()))
	checkFile(t, filepath.Join(dir, "a.mp4"), 1000)
	checkFile(t, filepath.Join(dir, "b.mp4"), 1000)
	assert.NoFileExists(t, filepath.Join(dir, "c.mp4"), "c was refused")
}

func TestSignatures(t *testing.T) {
	t.Parallel()
	secret := []byte("test-signature-secret-0123456789")
	v, err := callbacks.NewVerifier(secret)
	require.NoError(t, err)
	srv, rcv, g, dir, _ := setup(t, 1, 10, v, meetingstest.WithCallbackSignatureSecret(secret))
	close(g.release)
	h := httptest.NewServer(mustHandler(t, rcv))
	defer h.Close()

	played, err := srv.PlayMeeting(context.Background(), h.URL+"/callbacks", meetingstest.Meeting{FileSize: 4096})
	require.NoError(t, err, "signed callbacks")

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
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tt.want, resp.StatusCode, tt.name)
	}

	require.NoError(t, rcv.Shutdown(context.Background()))
	checkFile(t, filepath.Join(dir, played.Meeting.RecordingID+".mp4"), 4096)
}

func mustSign(t *testing.T, body, secret []byte) string {
	t.Helper()
	h, err := callbacks.Sign(body, secret)
	require.NoError(t, err)
	return h
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	none := func(string) string { return "" }
	cfg, err := parseConfig(nil, none)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", cfg.addr, "loopback by default")
	assert.Equal(t, "webhook-downloads", cfg.outDir, "not ./recordings, a package of the SDK")
	assert.Equal(t, 2, cfg.workers)

	env := map[string]string{"LISTEN_ADDR": ":9000", "RECORDINGS_DIR": "/data", EnvSignatureSecret: "s3cr3t-0123456789abcdef"}
	getenv := func(k string) string { return env[k] }
	cfg, err = parseConfig(nil, getenv)
	require.NoError(t, err, "all interfaces, with signature checks")
	assert.Equal(t, ":9000", cfg.addr)
	assert.Equal(t, "/data", cfg.outDir)
	assert.Equal(t, env[EnvSignatureSecret], cfg.signatureSecret)
	cfg, err = parseConfig([]string{"-addr", ":1", "-out", "x", "-workers", "4"}, getenv)
	require.NoError(t, err)
	assert.Equal(t, config{addr: ":1", outDir: "x", workers: 4, queue: 100, shutdownTimeout: 5 * time.Minute,
		signatureSecret: env[EnvSignatureSecret]}, cfg, "flags over the environment")

	for _, args := range [][]string{{"-workers", "0"}, {"-queue", "-1"}, {"-shutdown-timeout", "0s"}, {"extra"}, {"-nope"}} {
		_, err := parseConfig(args, getenv)
		assert.Error(t, err, "%q", args)
	}
}

func TestListeningBeyondLoopbackNeedsSignaturesOrAnExplicitFlag(t *testing.T) {
	t.Parallel()
	none := func(string) string { return "" }
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:8080"} {
		_, err := parseConfig([]string{"-addr", addr}, none)
		assert.NoError(t, err, "%s is loopback", addr)
	}
	for _, addr := range []string{":8080", "0.0.0.0:8080", "[::]:8080", "192.0.2.7:8080", "example.com:8080"} {
		_, err := parseConfig([]string{"-addr", addr}, none)
		assert.ErrorContains(t, err, "-insecure-listen-any", "%s without signature checks", addr)
		assert.ErrorContains(t, err, EnvSignatureSecret)

		cfg, err := parseConfig([]string{"-addr", addr, "-insecure-listen-any"}, none)
		assert.NoError(t, err, "%s with -insecure-listen-any", addr)
		assert.True(t, cfg.listenAny)
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
	require.NoError(t, err)
	return h
}
