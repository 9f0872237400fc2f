package callbacks

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

func post(body, contentType string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/callbacks", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func TestHandlerStatusCodes(t *testing.T) {
	t.Parallel()
	valid := `{"event":"session:started","session_id":"s"}`
	ok := func(context.Context, Event) error { return nil }
	tests := []struct {
		name       string
		req        *http.Request
		fn         func(context.Context, Event) error
		opts       []HandlerOption
		wantStatus int
		wantBody   string // substring of the plain-text reason
	}{
		{"valid callback is 204", post(valid, "application/json"), ok, nil, 204, ""},
		{"charset parameter is fine", post(valid, "application/json; charset=utf-8"), ok, nil, 204, ""},
		{"upper-case media type is fine", post(valid, "Application/JSON"), ok, nil, 204, ""},
		{"upper-case UTF-8 charset is fine", post(valid, "application/json; charset=UTF-8"), ok, nil, 204, ""},
		{"quoted charset is fine", post(valid, `application/json; charset="utf-8"`), ok, nil, 204, ""},
		{"us-ascii charset is fine", post(valid, "application/json; charset=US-ASCII"), ok, nil, 204, ""},
		{"latin1 charset is 415, not silently U+FFFD", post("{\"event\":\"session:started\",\"room_id\":\"caf\xe9\"}", "application/json; charset=latin1"), ok, nil, 415,
			`charset "latin1" is not supported`},
		{"utf-16 charset is 415", post(valid, "application/json; charset=utf-16"), ok, nil, 415, `charset "utf-16" is not supported`},
		{"a +json media type is fine", post(valid, "application/cloudevents+json"), ok, nil, 204, ""},
		{"absent content type is taken as JSON", post(valid, ""), ok, nil, 204, ""},
		{"unknown event is 204", post(`{"event":"room:renamed","x":1}`, "application/json"), ok, nil, 204, ""},
		{"GET is 405", httptest.NewRequest(http.MethodGet, "/", nil), ok, nil, 405, "use POST"},
		{"PUT is 405", httptest.NewRequest(http.MethodPut, "/", strings.NewReader(valid)), ok, nil, 405, "use POST"},
		{"text/plain is 415", post(valid, "text/plain"), ok, nil, 415, "not JSON"},
		{"form is 415", post(valid, "application/x-www-form-urlencoded"), ok, nil, 415, "not JSON"},
		{"malformed content type is 415", post(valid, "application/json; charset"), ok, nil, 415, "not JSON"},
		{"invalid body is 400 with the reason", post(`{"event":"session:started","started_at":"yesterday"}`, "application/json"), ok, nil, 400,
			`callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time`},
		{"empty body is 400", post(``, "application/json"), ok, nil, 400, "body is empty"},
		{"body over the limit is 413", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(10)}, 413, "over the limit of 10 bytes"},
		{"body at the limit is 204", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(int64(len(valid)))}, 204, ""},
		{"the largest limit does not overflow", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(math.MaxInt64)}, 204, ""},
		{"non-positive limit means the default", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(0)}, 204, ""},
		{"fn error is 500 without its text", post(valid, "application/json"),
			func(context.Context, Event) error { return errors.New("db password=hunter2 rejected") }, nil, 500, "retry later"},
		{"fn panic is 500", post(valid, "application/json"),
			func(context.Context, Event) error { panic("boom") }, nil, 500, "retry later"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			NewHandler(tc.fn, tc.opts...).ServeHTTP(rec, tc.req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", rec.Code, tc.wantStatus, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Errorf("body = %q, want it to contain %q", rec.Body, tc.wantBody)
			}
			if strings.Contains(rec.Body.String(), "hunter2") {
				t.Errorf("fn's error text leaked to the sender: %q", rec.Body)
			}
			if tc.wantStatus == 405 && rec.Header().Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", rec.Header().Get("Allow"))
			}
			if tc.wantStatus >= 400 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
				t.Errorf("Content-Type = %q, want text/plain", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestHandlerBodyLimitNeverReadsPastIt(t *testing.T) {
	t.Parallel()
	const limit = 100
	big := `{"event":"x:y","pad":"` + strings.Repeat("a", 10*limit) + `"}`
	called := false
	h := NewHandler(func(context.Context, Event) error { called = true; return nil }, WithMaxBodyBytes(limit))

	t.Run("oversized Content-Length is refused before reading", func(t *testing.T) {
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = int64(len(big))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 413 || body.read != 0 {
			t.Errorf("status %d after reading %d bytes, want 413 after 0", rec.Code, body.read)
		}
	})
	t.Run("unknown length stops at limit+1", func(t *testing.T) {
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = -1
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 413 || body.read > limit+1 {
			t.Errorf("status %d after reading %d bytes, want 413 after at most %d", rec.Code, body.read, limit+1)
		}
	})
	if called {
		t.Error("fn was called for an oversized body")
	}
}

func TestHandlerGivesFnTheEventHeadersAndRequestContext(t *testing.T) {
	t.Parallel()
	var got Event
	var hdr http.Header
	h := NewHandler(func(ctx context.Context, ev Event) error {
		got, hdr = ev, HeaderFromContext(ctx)
		return nil
	})
	body := fixture(t, "participant_joined.json")
	r := post(string(body), "application/json")
	r.Header.Set("X-Room-Metadata", "team=blue")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 204 {
		t.Fatalf("status = %d", rec.Code)
	}
	if p, ok := got.(*ParticipantJoined); !ok || p.Name != "New Joiner" || !bytes.Equal(Raw(p), body) {
		t.Errorf("fn got %#v", got)
	}
	if hdr.Get("X-Room-Metadata") != "team=blue" {
		t.Errorf("HeaderFromContext = %v", hdr)
	}
	if HeaderFromContext(context.Background()) != nil {
		t.Error("HeaderFromContext outside the handler must be nil")
	}
}

func TestHandlerPanicIsRecoveredAndServerKeepsServing(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var reported atomic.Value
	h := NewHandler(func(ctx context.Context, ev Event) error {
		if calls.Add(1) == 1 {
			panic("nil map")
		}
		return nil
	}, WithErrorFunc(func(r *http.Request, status int, err error) { reported.Store(err.Error()) }))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for i, want := range []int{500, 204} {
		resp, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader(`{"event":"recording:started"}`))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("request %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	if s, _ := reported.Load().(string); !strings.Contains(s, "panicked") || !strings.Contains(s, "nil map") {
		t.Errorf("WithErrorFunc got %q, want the panic", s)
	}
}

func TestHandlerReRaisesErrAbortHandler(t *testing.T) {
	t.Parallel()
	h := NewHandler(func(context.Context, Event) error { panic(http.ErrAbortHandler) })
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler re-raised", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), post(`{"event":"a:b"}`, ""))
}

func TestHandlerContextIsCancelledWhenClientGoesAway(t *testing.T) {
	t.Parallel()
	entered, cancelled := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(NewHandler(func(ctx context.Context, ev Event) error {
		close(entered)
		<-ctx.Done()
		close(cancelled)
		return ctx.Err()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{"event":"a:b"}`))
	errc := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	<-entered
	cancel()
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second): // a failure guard, not a speed goal
		t.Fatal("fn's context was not cancelled after the client went away")
	}
	<-errc
}

func TestHandlerErrorFuncSeesEveryRefusal(t *testing.T) {
	t.Parallel()
	var statuses []int
	h := NewHandler(func(context.Context, Event) error { return errors.New("nope") },
		WithErrorFunc(func(r *http.Request, status int, err error) { statuses = append(statuses, status) }))
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/", nil),
		post(`{}`, "text/plain"),
		post(`{}`, "application/json"),
		post(`{"event":"a:b"}`, "application/json"),
	} {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if want := []int{405, 415, 400, 500}; !slices.Equal(statuses, want) {
		t.Errorf("WithErrorFunc saw %v, want %v", statuses, want)
	}
}

// A nil function cannot be refused with an error (NewHandler returns none), so
// it must not panic either: every callback is answered 500, the sender keeps
// it, and the reason reaches WithErrorFunc.
func TestNewHandlerWithNilFunctionAnswers500(t *testing.T) {
	t.Parallel()
	var reported error
	h := NewHandler(nil, WithErrorFunc(func(_ *http.Request, _ int, err error) { reported = err }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"event":"session:started"}`)))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if reported == nil || !strings.Contains(reported.Error(), "nil function") {
		t.Errorf("reported error = %v, want one naming the nil function", reported)
	}
}

// The seam for signed callbacks: handlerConfig.verify sees the exact raw body
// before Parse, and its error is a 401.
func TestHandlerVerifySeam(t *testing.T) {
	t.Parallel()
	body := string(fixture(t, "recording_uploaded.json"))
	tests := []struct {
		name       string
		body       string
		verifyErr  error
		wantStatus int
		wantBody   string
		wantCalled bool
	}{
		{"accepted signature reaches fn", body, nil, 204, "", true},
		{"refused signature is a generic 401", body, errors.New("callbacks: signature expired"), 401, "invalid callback signature", false},
		{"verification comes before parsing", `not json`, errors.New("callbacks: no signature"), 401, "invalid callback signature", false},
		{"verified but invalid body is still 400", `not json`, nil, 400, "not valid JSON", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			called := false
			var seen []byte
			var reported error
			h := NewHandler(func(context.Context, Event) error { called = true; return nil },
				WithErrorFunc(func(_ *http.Request, _ int, err error) { reported = err })).(*handler)
			h.verify = func(r *http.Request, b []byte) error {
				seen = bytes.Clone(b)
				if r.Header.Get("X-Signature") != "sig" {
					t.Errorf("verify did not get the request")
				}
				return tc.verifyErr
			}
			r := post(tc.body, "application/json")
			r.Header.Set("X-Signature", "sig")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tc.wantStatus || !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Errorf("got %d %q, want %d containing %q", rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
			if string(seen) != tc.body {
				t.Errorf("verify saw %q, want the exact body", seen)
			}
			if tc.verifyErr != nil { // the sender learns nothing of which check failed; the log does
				if strings.Contains(rec.Body.String(), tc.verifyErr.Error()) {
					t.Errorf("401 body %q tells which check failed", rec.Body)
				}
				if reported != tc.verifyErr {
					t.Errorf("WithErrorFunc got %v, want the detailed %v", reported, tc.verifyErr)
				}
			}
			if called != tc.wantCalled {
				t.Errorf("fn called = %v, want %v", called, tc.wantCalled)
			}
		})
	}
	t.Run("verify is not called for a refused method or size", func(t *testing.T) {
		t.Parallel()
		h := NewHandler(func(context.Context, Event) error { return nil }, WithMaxBodyBytes(4)).(*handler)
		h.verify = func(*http.Request, []byte) error { t.Error("verify called"); return nil }
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		h.ServeHTTP(httptest.NewRecorder(), post(body, "application/json"))
	})
}

// A reader that fails mid-body is a 400 and fn is not called.
func TestHandlerBodyReadFailureIs400(t *testing.T) {
	t.Parallel()
	h := NewHandler(func(context.Context, Event) error { t.Error("fn called"); return nil })
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(`{"ev`), iotest.ErrReader(errors.New("connection reset"))))
	r.ContentLength = -1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "reading body") {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

// An event that reaches no function (ErrUnhandled from a Mux without a
// fallback) is acknowledged, so the sender does not retry it forever, and
// reported with status 204, so it is not lost without a trace.
func TestHandlerAcknowledgesAndReportsUnhandledEvents(t *testing.T) {
	t.Parallel()
	m, err := NewMux(On(func(context.Context, *SessionStarted) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	type report struct {
		status int
		err    error
	}
	var reports []report
	h := NewHandler(m.Dispatch, WithErrorFunc(func(_ *http.Request, status int, err error) {
		reports = append(reports, report{status, err})
	}))
	for _, body := range []string{`{"event":"session:started"}`, `{"event":"session:ended"}`, `{"event":"a:b"}`} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post(body, "application/json"))
		if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Errorf("%s: status %d, body %q; want 204 and no body", body, rec.Code, rec.Body)
		}
	}
	if len(reports) != 2 {
		t.Fatalf("WithErrorFunc saw %v, want the two unrouted events", reports)
	}
	for i, typ := range []string{"session:ended", "a:b"} {
		if r := reports[i]; r.status != http.StatusNoContent || !errors.Is(r.err, ErrUnhandled) || !strings.Contains(r.err.Error(), typ) {
			t.Errorf("report %d = %d %v; want 204 and ErrUnhandled naming %s", i, r.status, r.err, typ)
		}
	}

	// A Mux that was never built fails loudly instead: 500, so the sender keeps the callback.
	var zero *Mux
	rec := httptest.NewRecorder()
	NewHandler(zero.Dispatch).ServeHTTP(rec, post(`{"event":"session:started"}`, "application/json"))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("nil Mux: status %d, want 500", rec.Code)
	}
}

// The 413 reason says what is wrong once, whichever way the size was found,
// and still matches ErrBodyTooLarge.
func TestBodyTooLargeReasonReadsOnce(t *testing.T) {
	t.Parallel()
	const body = `{"event":"session:started","session_id":"s1"}`
	for name, mk := range map[string]func() *http.Request{
		"Content-Length": func() *http.Request { return post(body, "application/json") },
		"unknown length": func() *http.Request {
			r := post(body, "application/json")
			r.ContentLength = -1
			return r
		},
	} {
		rec := httptest.NewRecorder()
		var reported error
		NewHandler(func(context.Context, Event) error { return nil }, WithMaxBodyBytes(10),
			WithErrorFunc(func(_ *http.Request, _ int, err error) { reported = err })).ServeHTTP(rec, mk())
		if want := "callbacks: body is over the limit of 10 bytes\n"; rec.Code != 413 || rec.Body.String() != want {
			t.Errorf("%s: %d %q, want 413 %q", name, rec.Code, rec.Body, want)
		}
		if !errors.Is(reported, ErrBodyTooLarge) {
			t.Errorf("%s: reported %v, want ErrBodyTooLarge", name, reported)
		}
	}
	r := post(body, "application/json")
	r.ContentLength = -1
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 4)
	_, err := ParseRequest(r)
	if want := "callbacks: body is over the limit of 4 bytes"; err == nil || err.Error() != want || !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("ParseRequest through a MaxBytesReader = %v, want %q wrapping ErrBodyTooLarge", err, want)
	}
}

// sizeRecordingReader serves a short body and records the largest buffer the
// reader was handed, which is what readBody allocated for it.
type sizeRecordingReader struct {
	r      io.Reader
	maxBuf int
}

func (s *sizeRecordingReader) Read(p []byte) (int, error) {
	s.maxBuf = max(s.maxBuf, len(p))
	return s.r.Read(p)
}

// A sender's Content-Length is a claim, not a size: the handler must not
// allocate by it. Not parallel: it measures the heap.
func TestHandlerDoesNotAllocateByClaimedContentLength(t *testing.T) {
	const body = `{"event":"session:started","session_id":"s"}`
	ok := func(context.Context, Event) error { return nil }
	tests := []struct {
		name    string
		limit   int64
		claimed int64
	}{
		// The claims are modest so that the test itself never needs much
		// memory, even against the allocation it guards against.
		{"a large limit and a 64 MiB claim for a short body", 1 << 30, 64 << 20},
		{"the largest limit and a 64 MiB claim", math.MaxInt64, 64 << 20},
		{"the largest limit and the largest claim", math.MaxInt64, math.MaxInt64},
		{"the largest limit and a claim one below it", math.MaxInt64, math.MaxInt64 - 1},
		{"a truthful claim", 1 << 30, int64(len(body))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHandler(ok, WithMaxBodyBytes(tt.limit))
			src := &sizeRecordingReader{r: strings.NewReader(body)}
			r := httptest.NewRequest(http.MethodPost, "/", src)
			r.ContentLength = tt.claimed
			rec := httptest.NewRecorder()

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			h.ServeHTTP(rec, r)
			runtime.ReadMemStats(&after)

			// The fake body ends early without an error (net/http's own body
			// reader would report it); what arrived is a whole callback.
			if rec.Code != 204 {
				t.Errorf("status %d, want 204 (%s)", rec.Code, rec.Body)
			}
			if src.maxBuf > 64<<10+1 {
				t.Errorf("read into a %d-byte buffer for a %d-byte body", src.maxBuf, len(body))
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Errorf("allocated %d bytes for a %d-byte body", grew, len(body))
			}
		})
	}
}

func TestHandlerReadsABodyLongerThanItsFirstBuffer(t *testing.T) {
	t.Parallel()
	big := `{"event":"x:y","pad":"` + strings.Repeat("a", 3*int(DefaultMaxBodyBytes)) + `"}`
	for _, claimed := range []int64{int64(len(big)), -1} {
		var got []byte
		h := NewHandler(func(_ context.Context, ev Event) error { got = ev.(*Unknown).Raw; return nil }, WithMaxBodyBytes(1<<20))
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(big))
		r.ContentLength = claimed
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != 204 || string(got) != big {
			t.Errorf("Content-Length %d: status %d, body of %d bytes, want 204 and all %d", claimed, rec.Code, len(got), len(big))
		}
	}
}
