package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/vonage-meetings/go-sdk/internal/auth"
	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{fixed.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second, true},
		{fixed.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"99999999", 24 * time.Hour, true},
	} {
		got, ok := retryAfterAt(tc.value, fixed)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestBackoffGrowsWithJitterUpToTheCap(t *testing.T) {
	t.Parallel()
	minWait, maxWait := 100*time.Millisecond, time.Second
	for attempt, base := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		base *= time.Millisecond
		for range 50 {
			got := backoff(minWait, maxWait, attempt, nil)
			if low := max(base/2, minWait); got < low || got > base {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, got, low, base)
			}
		}
	}
	if got := backoff(minWait, maxWait, 1000, nil); got > maxWait {
		t.Errorf("huge attempt: %v", got)
	}
}

func TestBackoffHonoursRetryAfterUpToTheCap(t *testing.T) {
	t.Parallel()
	resp := &http.Response{Header: http.Header{"Retry-After": {"2"}}}
	if got := backoff(time.Millisecond, 5*time.Second, 0, resp); got != 2*time.Second {
		t.Errorf("Retry-After 2 under a 5s cap: %v", got)
	}
	if got := backoff(time.Millisecond, time.Second, 0, resp); got != time.Second {
		t.Errorf("Retry-After 2 over a 1s cap: %v", got)
	}
	// WithRetryPolicy promises waits between minWait and maxWait: a Retry-After
	// of 0 (or a date in the past) still waits minWait.
	for _, v := range []string{"0", "Mon, 02 Jan 2006 15:04:05 GMT"} {
		resp := &http.Response{Header: http.Header{"Retry-After": {v}}}
		if got := backoff(300*time.Millisecond, time.Second, 0, resp); got != 300*time.Millisecond {
			t.Errorf("Retry-After %q: wait %v, want the 300ms minimum", v, got)
		}
	}
}

func TestBackoffNeverWaitsLessThanMinWait(t *testing.T) {
	t.Parallel()
	for range 200 { // equal jitter would go as low as 200ms for a flat 400ms policy
		if got := backoff(400*time.Millisecond, 400*time.Millisecond, 0, nil); got != 400*time.Millisecond {
			t.Fatalf("flat 400ms policy waited %v", got)
		}
	}
}

func newTestClient(t *testing.T, rt http.RoundTripper) *Client {
	t.Helper()
	basic, _ := auth.NewBasic("k", "s")
	c, err := New(Config{BaseURL: "https://api.test/v1/meetings", Auth: basic, HTTPClient: &http.Client{Transport: rt},
		MaxRetries: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNonIdempotentMethodsAreNotRetriedOnceSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		method    string
		fail      func() (*http.Response, error)
		wantCalls int
	}{
		{"POST 503", http.MethodPost, func() (*http.Response, error) { return httpmock.NewStringResponse(503, ""), nil }, 1},
		{"PATCH 429", http.MethodPatch, func() (*http.Response, error) { return httpmock.NewStringResponse(429, ""), nil }, 1},
		{"POST reset after sending", http.MethodPost, func() (*http.Response, error) {
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset")}
		}, 1},
		{"POST never connected", http.MethodPost, func() (*http.Response, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		}, 4},
		{"PUT 503", http.MethodPut, func() (*http.Response, error) { return httpmock.NewStringResponse(503, ""), nil }, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			calls := 0
			var bodies []string
			mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				calls++
				b := make([]byte, 64)
				n, _ := r.Body.Read(b)
				bodies = append(bodies, string(b[:n]))
				return tc.fail()
			})
			c := newTestClient(t, mock)
			err := c.Do(context.Background(), tc.method, "/rooms", map[string]string{"a": "b"}, nil)
			if err == nil || calls != tc.wantCalls {
				t.Fatalf("err %v after %d calls, want an error after %d", err, calls, tc.wantCalls)
			}
			for i, b := range bodies {
				if b != `{"a":"b"}` {
					t.Errorf("attempt %d sent body %q: not reset before the retry", i+1, b)
				}
			}
		})
	}
}

// TestClientWaitsForRetryAfter spies on the client's backoff: it records the
// wait the client chose for each retry (and then waits 1 ms instead), so the
// test proves a response's Retry-After reaches the wait without sleeping.
func TestClientWaitsForRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		want        time.Duration
	}{
		{"seconds", "3", 3 * time.Second},
		{"date", time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat), 10 * time.Second},
		{"over the cap", "120", 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			calls := 0
			mock.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				calls++
				if calls == 1 {
					resp := httpmock.NewStringResponse(429, "")
					resp.Header.Set("Retry-After", tc.value)
					return resp, nil
				}
				return httpmock.NewStringResponse(200, `{}`), nil
			})
			basic, _ := auth.NewBasic("k", "s")
			c, err := New(Config{BaseURL: "https://api.test/v1/meetings", Auth: basic, HTTPClient: &http.Client{Transport: mock},
				MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			var waits []time.Duration
			chosen := c.rc.Backoff
			c.rc.Backoff = func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
				waits = append(waits, chosen(minWait, maxWait, attempt, resp))
				return time.Millisecond
			}
			if err := c.Do(context.Background(), http.MethodGet, "/recordings/x", nil, nil); err != nil || calls != 2 {
				t.Fatalf("err %v after %d calls, want success after 2", err, calls)
			}
			if len(waits) != 1 {
				t.Fatalf("backoff consulted %d times, want once", len(waits))
			}
			// A date is converted against the clock: allow a second of drift.
			if got := waits[0]; got > tc.want || got < tc.want-time.Second {
				t.Errorf("waited %v before the retry, want %v (Retry-After %q, cap 10s)", got, tc.want, tc.value)
			}
		})
	}
}

// idleCounter is a shared transport that counts CloseIdleConnections calls.
type idleCounter struct {
	http.RoundTripper
	closes int
}

func (c *idleCounter) CloseIdleConnections() { c.closes++ }

func TestFailedCallsLeaveTheUsersTransportAlone(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewStringResponder(503, ""))
	shared := &idleCounter{RoundTripper: mock}
	c := newTestClient(t, shared)
	if err := c.Do(context.Background(), http.MethodGet, "/recordings/x", nil, nil); err == nil {
		t.Fatal("Do succeeded through 503s")
	}
	if calls := mock.GetTotalCallCount(); calls != 4 {
		t.Errorf("transport saw %d requests, want 4 (1 + 3 retries) through the wrapper", calls)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_ = c.Do(cancelled, http.MethodGet, "/recordings/x", nil, nil)
	if shared.closes != 0 {
		t.Errorf("the user's transport had its idle connections closed %d times, want 0", shared.closes)
	}
}

// TestRedirectLoopIsNotRetried pins that hitting the redirect limit is final:
// retrying would only follow the same loop again.
func TestRedirectLoopIsNotRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	basic, _ := auth.NewBasic("k", "s")
	c, err := New(Config{BaseURL: srv.URL, Auth: basic, MaxRetries: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), http.MethodGet, "/rooms", nil, nil)
	if !errors.Is(err, safeurl.ErrTooManyRedirects) {
		t.Fatalf("err = %v, want ErrTooManyRedirects", err)
	}
	if n := calls.Load(); n != 10 {
		t.Errorf("server saw %d requests, want 10: one attempt, not retried", n)
	}
}
