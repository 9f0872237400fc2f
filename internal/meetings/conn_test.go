package meetings_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// script serves the given statuses in order (the last repeats), counting hits.
type script struct {
	hits     atomic.Int32
	statuses []int
	header   http.Header
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.hits.Add(1)) - 1
	code := s.statuses[min(i, len(s.statuses)-1)]
	for k, v := range s.header {
		w.Header()[k] = v
	}
	if code == 0 { // drop the connection
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	w.WriteHeader(code)
	if code != http.StatusNoContent {
		fmt.Fprint(w, `{"id":"x"}`)
	}
}

func newConn(t *testing.T, base string, cfg core.Config) *core.Client {
	t.Helper()
	u, err := core.ParseBaseURL(base)
	require.NoError(t, err)
	auth, err := core.NewBasic("key", "secret")
	require.NoError(t, err)
	cfg.BaseURL, cfg.Auth = u, auth
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MinWait == 0 {
		cfg.MaxRetries, cfg.MinWait, cfg.MaxWait = 3, time.Millisecond, 2*time.Second
	}
	return core.New(cfg).For("recordings")
}

func TestRetryRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		method       string
		statuses     []int
		retryAfter   string
		wantAttempts int32
		wantStatus   int // 0: success
	}{
		{"GET 503 then 200 is retried", http.MethodGet, []int{503, 503, 200}, "", 3, 0},
		{"GET 5xx until retries run out returns the last answer", http.MethodGet, []int{500}, "", 4, 500},
		{"GET 429 is retried", http.MethodGet, []int{429, 200}, "", 2, 0},
		{"GET 501 is not retried", http.MethodGet, []int{501}, "", 1, 501},
		{"GET 404 is not retried", http.MethodGet, []int{404}, "", 1, 404},
		{"GET dropped connection is retried", http.MethodGet, []int{0, 200}, "", 2, 0},
		{"POST 503 is not retried", http.MethodPost, []int{503}, "", 1, 503},
		{"PATCH 429 is not retried", http.MethodPatch, []int{429}, "", 1, 429},
		{"PUT 503 is retried", http.MethodPut, []int{503, 200}, "", 2, 0},
		{"DELETE 503 then 404 succeeds: the first may have deleted it", http.MethodDelete, []int{503, 404}, "", 2, 0},
		{"DELETE 404 first stays not found", http.MethodDelete, []int{404}, "", 1, 404},
		{"Retry-After beyond the cap returns at once", http.MethodGet, []int{429, 200}, "30", 1, 429},
		{"503 Retry-After beyond the cap returns at once", http.MethodGet, []int{503, 200}, "3600", 1, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &script{statuses: tt.statuses, header: http.Header{}}
			if tt.retryAfter != "" {
				s.header.Set("Retry-After", tt.retryAfter)
			}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := newConn(t, srv.URL, core.Config{})

			err := c.Do(context.Background(), tt.method, "/recordings/x", nil, nil, nil)

			assert.Equal(t, tt.wantAttempts, s.hits.Load(), "requests sent")
			if tt.wantStatus == 0 {
				assert.NoError(t, err)
				return
			}
			var apiErr *core.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			assert.Equal(t, int(tt.wantAttempts), apiErr.Attempts)
			if tt.retryAfter != "" {
				ra, _ := time.ParseDuration(tt.retryAfter + "s")
				assert.Equal(t, ra, apiErr.RetryAfter)
			}
		})
	}
}

func TestRetryAfterWithinTheCapIsWaitedInFull(t *testing.T) {
	t.Parallel()
	s := &script{statuses: []int{429, 200}, header: http.Header{"Retry-After": {"1"}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newConn(t, srv.URL, core.Config{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Second})

	start := time.Now()
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/x", nil, nil, nil))
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "the wait must not be cut short")
	assert.EqualValues(t, 2, s.hits.Load())
}

func TestRefusedRedirectIsNotRetried(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "http://storage.example.com/steal", http.StatusFound)
	}))
	defer srv.Close()
	c := newConn(t, srv.URL, core.Config{})

	err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil, nil)
	assert.ErrorIs(t, err, core.ErrRedirect, "another host")
	var reqErr *core.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, 1, reqErr.Attempts)
	assert.EqualValues(t, 1, hits.Load())

	_, err = c.Storage(context.Background(), http.MethodGet, srv.URL+"/file?sig=1", nil, nil)
	assert.ErrorIs(t, err, core.ErrRedirect, "plain http to a host that is not loopback")
	assert.EqualValues(t, 2, hits.Load(), "storage follows the same rule: no retry")
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, 1, reqErr.Attempts)
	assert.NotContains(t, err.Error(), "sig=1")
}

func TestStorageRedirectMustStaySecure(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://storage.example.com/file", http.StatusFound)
	}))
	defer srv.Close()
	_, err := newConn(t, srv.URL, core.Config{}).Storage(context.Background(), http.MethodGet, srv.URL+"/f", nil, nil)
	assert.ErrorIs(t, err, core.ErrRedirect)
}

func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	t.Parallel()
	var handshakes atomic.Int32
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		handshakes.Add(1)
		return nil, nil
	}}
	srv.StartTLS()
	defer srv.Close()
	c := newConn(t, srv.URL, core.Config{}) // the default client does not trust the test CA

	err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil, nil)
	require.Error(t, err)
	_, err2 := c.Storage(context.Background(), http.MethodGet, srv.URL+"/file", nil, nil)
	require.Error(t, err2)
	assert.EqualValues(t, 2, handshakes.Load(), "one attempt each, no retries")
}

func TestStorageErrorKeepsCodeAndRetryAfter(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>`)
	}))
	defer srv.Close()
	_, err := newConn(t, srv.URL, core.Config{}).Storage(context.Background(), http.MethodGet, srv.URL+"/f?X-Amz-Signature=s3cr3t", nil, nil)
	var se *core.StorageError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, http.StatusServiceUnavailable, se.StatusCode)
	assert.Equal(t, "SlowDown", se.Code)
	assert.Equal(t, 2*time.Minute, se.RetryAfter)
	assert.NotContains(t, err.Error(), "s3cr3t")
}

func TestCancelStopsAWait(t *testing.T) {
	t.Parallel()
	s := &script{statuses: []int{503}, header: http.Header{"Retry-After": {"2"}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newConn(t, srv.URL, core.Config{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)

	start := time.Now()
	err := c.Do(ctx, http.MethodGet, "/x", nil, nil, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second, "the wait was not interrupted")
}

func TestTimeoutBoundsTheCall(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := newConn(t, srv.URL, core.Config{Timeout: 50 * time.Millisecond})
	err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestConcurrentCallersReuseConnections(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":"x"}`)
	}))
	var opened atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newConn(t, srv.URL, core.Config{})

	const goroutines, calls = 16, 200
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				var out struct{ ID string }
				assert.NoError(t, c.Do(context.Background(), http.MethodGet, "/recordings/x", nil, nil, &out))
			}
		}()
	}
	wg.Wait()
	// Go's Transport may dial a spare connection while another one frees
	// up, so a few more than 16 can open; without pooling it was ~1,500.
	assert.LessOrEqual(t, opened.Load(), int32(2*goroutines))
}

func TestAnswersWithoutJSONAreRequestErrors(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", "null", "  \n", "\xEF\xBB\xBF", "{not json"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
		var out struct{ ID string }
		err := newConn(t, srv.URL, core.Config{}).Do(context.Background(), http.MethodGet, "/x", nil, nil, &out)
		var reqErr *core.RequestError
		assert.ErrorAs(t, err, &reqErr, "body %q", body)
		srv.Close()
	}
}

func TestRequestShape(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r, must(io.ReadAll(r.Body))
		fmt.Fprint(w, "\xEF\xBB\xBF"+`{"id":"r1"}`)
	}))
	defer srv.Close()
	c := newConn(t, srv.URL+"/beta/meetings/", core.Config{UserAgent: "my-app/1.0"})
	type q struct {
		PageSize int  `url:"page_size,omitempty"`
		Force    bool `url:"force,omitempty"`
	}
	var out struct{ ID string }
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/rooms", q{PageSize: 5}, map[string]string{"a": "b"}, &out))

	assert.Equal(t, "r1", out.ID, "a byte-order mark is skipped")
	assert.Equal(t, "/beta/meetings/rooms", got.URL.Path)
	assert.Equal(t, url.Values{"page_size": {"5"}}, got.URL.Query())
	assert.JSONEq(t, `{"a":"b"}`, string(body))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(got.Header.Get("User-Agent"), "my-app/1.0 vonage-meetings-go/"))
	user, pass, ok := got.BasicAuth()
	assert.True(t, ok)
	assert.Equal(t, []string{"key", "secret"}, []string{user, pass})
}

func TestSegment(t *testing.T) {
	t.Parallel()
	c := newConn(t, "https://api.example.com", core.Config{})
	for _, bad := range []string{"", ".", ".."} {
		_, err := c.Segment("recordingID", bad)
		var argErr *core.ArgumentError
		require.ErrorAs(t, err, &argErr, "%q", bad)
		assert.Equal(t, "recordingID", argErr.Name)
	}
	seg, err := c.Segment("id", "a/../b?c")
	require.NoError(t, err)
	assert.Equal(t, "a%2F..%2Fb%3Fc", seg)
}

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://api-eu.vonage.com/beta/meetings/": true,
		"http://127.0.0.1:8080/v1/meetings":        true,
		"http://localhost/x":                       true,
		"http://[::1]:9/x":                         true,
		"http://api.example.com":                   false,
		"ftp://api.example.com":                    false,
		"api.example.com/x":                        false,
		"https://user:pw@api.example.com":          false,
		"https://api.example.com/?q=1":             false,
		"https://api.example.com/#f":               false,
		"https://api.example.com/a b":              false,
		"":                                         false,
	} {
		u, err := core.ParseBaseURL(raw)
		if ok {
			require.NoError(t, err, raw)
			assert.False(t, strings.HasSuffix(u.Path, "/"), raw)
		} else {
			assert.Error(t, err, raw)
		}
	}
}

func TestAPIErrorDecodesBothShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		check      func(t *testing.T, e *core.APIError)
	}{
		{"gateway", `{"type":"https://e/x","title":"Unauthorized","detail":"You did not provide correct credentials","instance":"i-1"}`,
			func(t *testing.T, e *core.APIError) {
				assert.Equal(t, []string{"https://e/x", "Unauthorized", "You did not provide correct credentials", "i-1"},
					[]string{e.Type, e.Title, e.Detail, e.Instance})
			}},
		{"service with string errors", `{"message":"bad","name":"InputValidationError","status":400,"errors":["a","b"]}`,
			func(t *testing.T, e *core.APIError) {
				assert.Equal(t, "InputValidationError", e.Name)
				assert.Equal(t, "bad", e.Message)
				assert.Equal(t, []string{"a", "b"}, e.Errors)
			}},
		{"service with object errors", `{"message":"m","name":"BadRequestError","errors":[{"logoKey":"k","code":"c"}]}`,
			func(t *testing.T, e *core.APIError) {
				assert.Equal(t, []string{`{"logoKey":"k","code":"c"}`}, e.Errors)
			}},
		{"not JSON", `<html>bad gateway</html>`,
			func(t *testing.T, e *core.APIError) { assert.Equal(t, []byte(`<html>bad gateway</html>`), e.Body) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-1")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			c := newConn(t, srv.URL, core.Config{})
			err := c.Do(context.Background(), http.MethodGet, "/x", nil, nil, nil)
			var e *core.APIError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "req-1", e.RequestID)
			assert.True(t, strings.HasPrefix(e.Error(), "recordings: GET /x: 400"))
			tt.check(t, e)
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]error{401: core.ErrUnauthorized, 403: core.ErrForbidden, 404: core.ErrNotFound,
		409: core.ErrConflict, 429: core.ErrRateLimited, 500: core.ErrServer, 503: core.ErrServer} {
		e := &core.APIError{StatusCode: code}
		assert.ErrorIs(t, e, want, code)
		assert.NotErrorIs(t, &core.APIError{StatusCode: 400}, want)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var _ = errors.New

type closeSpy struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeSpy) Close() error { c.closed.Store(true); return nil }

// cancelling answers 200 after cancelling the call's context, as when a
// context ends just as the answer arrives.
type cancelling struct {
	cancel context.CancelFunc
	body   *closeSpy
}

func (c cancelling) RoundTrip(*http.Request) (*http.Response, error) {
	c.cancel()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: c.body}, nil
}

func TestAnAnswerAfterTheContextEndedIsClosed(t *testing.T) {
	t.Parallel()
	for _, storage := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		spy := &closeSpy{Reader: strings.NewReader(`{}`)}
		c := newConn(t, "https://api.example.test", core.Config{HTTPClient: &http.Client{Transport: cancelling{cancel, spy}}})
		var err error
		if storage {
			_, err = c.Storage(ctx, http.MethodGet, "https://storage.example.test/f", nil, nil)
		} else {
			err = c.Do(ctx, http.MethodGet, "/x", nil, nil, nil)
		}
		assert.ErrorIs(t, err, context.Canceled)
		assert.True(t, spy.closed.Load(), "storage %v: the body was left open", storage)
	}
}
