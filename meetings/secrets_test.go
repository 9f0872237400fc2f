package meetings_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
)

// syncBuffer is a log sink safe for the handler's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func debugLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestLoggerLogsEachAttempt(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	c, mock := newMockClient(t, meetings.WithLogger(debugLogger(&logs)))
	responder, _ := sequence(503, 200)
	mock.RegisterResponder(http.MethodGet, mockBase+"/recordings/x", responder)
	if _, err := c.Recordings.Get(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want one per attempt:\n%s", len(lines), logs.String())
	}
	for i, want := range []map[string]any{
		{"method": "GET", "host": "api.test", "path": "/beta/meetings/recordings/x", "status": 503.0, "attempt": 1.0, "retry": true},
		{"method": "GET", "host": "api.test", "path": "/beta/meetings/recordings/x", "status": 200.0, "attempt": 2.0, "retry": false},
	} {
		var got map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatal(err)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("line %d: %s = %v, want %v", i+1, k, got[k], v)
			}
		}
	}
}

// TestSecretsAppearNowhere drives every path of a call with logging on and
// looks for the key, the secret and their Basic form in every error string,
// every print of the client, its options and its errors, and the logs.
func TestSecretsAppearNowhere(t *testing.T) {
	t.Parallel()
	const key, secret = "KEY7f3e9d0a", "SECRETc41b8a55"
	secrets := []string{key, secret, base64.StdEncoding.EncodeToString([]byte(key + ":" + secret))}

	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other host was called with %q", r.Header.Get("Authorization"))
	}))
	defer other.Close()
	calls := 0
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		switch r.URL.Path {
		case "/recordings/ok":
			_, _ = w.Write([]byte(`{"id":"ok","status":"uploaded"}`))
		case "/recordings/missing":
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"message":"Recording missing was not found","name":"NotFoundError","status":404}`))
		case "/recordings/unauthorized":
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"title":"Unauthorized","detail":"You did not provide correct credentials"}`))
		case "/recordings/broken":
			w.WriteHeader(503)
		case "/recordings/slow":
			<-r.Context().Done()
		case "/recordings/redirect":
			http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
		case "/recordings/garbage":
			_, _ = w.Write([]byte(`{{{`))
		}
	}))
	defer srv.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()

	var logs syncBuffer
	opts := []meetings.Option{
		meetings.WithBaseURL(srv.URL),
		meetings.WithLogger(debugLogger(&logs)),
		meetings.WithRetryPolicy(2, time.Millisecond, time.Millisecond),
		meetings.WithTimeout(200 * time.Millisecond),
		meetings.WithUserAgent("secrets-test/1"),
	}
	c, err := meetings.NewClient(key, secret, opts...)
	if err != nil {
		t.Fatal(err)
	}
	dead, err := meetings.NewClient(key, secret, meetings.WithBaseURL(closed), meetings.WithLogger(debugLogger(&logs)),
		meetings.WithRetryPolicy(1, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	var outputs []any
	for _, id := range []string{"ok", "missing", "unauthorized", "broken", "slow", "redirect", "garbage", "", ".."} {
		rec, err := c.Recordings.Get(ctx, id)
		outputs = append(outputs, rec, err)
		outputs = append(outputs, c.Recordings.Delete(ctx, id))
		_, err = c.Recordings.ListBySession(ctx, id)
		outputs = append(outputs, err)
	}
	_, err = c.Recordings.Get(cancelled, "ok")
	outputs = append(outputs, err)
	_, err = dead.Recordings.Get(ctx, "x")
	outputs = append(outputs, err)
	// Errors of NewClient itself: a bad option beside good credentials.
	_, err = meetings.NewClient(key, secret, meetings.WithBaseURL("http://"+key+":"+secret+"@example.com"))
	outputs = append(outputs, err)
	_, err = meetings.NewClient(key, "")
	outputs = append(outputs, err)
	outputs = append(outputs, c, dead, *c)

	// A download through the fake: DownloadByID fetches the recording with
	// the credentials, then the file from the storage host without them. The
	// second one meets an expired URL (403) and then a cut body, so the
	// download's error paths are scanned too.
	fake := meetingstest.Start(t, meetingstest.WithCredentials(key, secret))
	if err := fake.AddRecording(meetingstest.Recording{ID: "rec", SessionID: "s"}); err != nil {
		t.Fatal(err)
	}
	if err := fake.SetGeneratedFile("rec", 100_000); err != nil {
		t.Fatal(err)
	}
	dl, err := meetings.NewClient(key, secret, meetings.WithBaseURL(fake.URL), meetings.WithLogger(debugLogger(&logs)),
		meetings.WithRetryPolicy(1, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	n, err := dl.Recordings.DownloadByID(ctx, "rec", &file)
	if err != nil || n != 100_000 {
		t.Fatalf("DownloadByID = %d, %v; want the 100000-byte file", n, err)
	}
	_ = fake.InjectStorageFault(2, meetingstest.Fault{Status: http.StatusForbidden})
	_, err = dl.Recordings.DownloadByID(ctx, "rec", io.Discard)
	if err == nil {
		t.Error("DownloadByID succeeded through two 403s from storage")
	}
	outputs = append(outputs, err, dl)
	_ = fake.InjectStorageFault(1, meetingstest.Fault{CutAfter: 10})
	_, err = dl.Recordings.DownloadByID(ctx, "rec", io.Discard, recordings.WithMaxResumes(0))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut download: err = %v, want io.ErrUnexpectedEOF", err)
	}
	outputs = append(outputs, err)
	if got := fake.StorageAuthorizationCount(); got != 0 {
		t.Errorf("storage host got %d requests with Authorization, want 0", got)
	}
	storageReqs := fake.RequestsTo(meetingstest.HostStorage)
	if len(storageReqs) < 4 {
		t.Errorf("storage host got %d requests, want the download, two 403s and the cut one", len(storageReqs))
	}
	for _, r := range storageReqs {
		outputs = append(outputs, r)
	}
	for _, o := range opts {
		outputs = append(outputs, o)
	}

	var seen strings.Builder
	kinds := map[string]bool{}
	for _, o := range outputs {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&seen, verb+"\n", o)
		}
		if e, ok := o.(error); ok && e != nil {
			if errors.Is(e, meetings.ErrRedirect) {
				kinds["redirect"] = true
			}
			if errors.Is(e, context.DeadlineExceeded) {
				kinds["timeout"] = true
			}
			if errors.Is(e, context.Canceled) {
				kinds["cancelled"] = true
			}
			var storageErr *recordings.StorageError
			if errors.As(e, &storageErr) {
				kinds["storage"] = true
			}
			var apiErr *meetings.APIError
			var reqErr *meetings.RequestError
			var argErr *meetings.ArgumentError
			switch {
			case errors.As(e, &apiErr):
				kinds[fmt.Sprint("api ", apiErr.StatusCode)] = true
				fmt.Fprintf(&seen, "%s %s\n", apiErr.Body, apiErr.Errors)
			case errors.As(e, &reqErr):
				kinds["request"] = true
			case errors.As(e, &argErr):
				kinds["argument"] = true
			}
		}
	}
	seen.WriteString(logs.String())
	for _, want := range []string{"api 404", "api 401", "api 503", "request", "argument", "redirect", "timeout", "cancelled", "storage"} {
		if !kinds[want] {
			t.Errorf("no %s error was produced: the test does not drive that path", want)
		}
	}
	if !strings.Contains(logs.String(), `"status":503`) || !strings.Contains(logs.String(), `"attempt":3`) {
		t.Errorf("logs do not show the retries:\n%s", logs.String())
	}
	for _, s := range secrets {
		if i := strings.Index(seen.String(), s); i >= 0 {
			t.Errorf("secret %q appears: ...%s...", s, seen.String()[max(0, i-200):min(len(seen.String()), i+100)])
		}
	}
}
