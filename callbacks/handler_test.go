package callbacks

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(body, contentType string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/callbacks", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func TestHandlerStatuses(t *testing.T) {
	t.Parallel()
	valid := `{"event":"session:started","session_id":"s"}`
	ok := func(context.Context, Event) error { return nil }
	tests := []struct {
		name       string
		req        *http.Request
		fn         func(context.Context, Event) error
		opts       []HandlerOption
		wantStatus int
		wantBody   string // in the plain-text reason
	}{
		{"valid callback is 204", post(valid, "application/json"), ok, nil, 204, ""},
		{"charset utf-8 is fine", post(valid, "application/json; charset=utf-8"), ok, nil, 204, ""},
		{"upper case is fine", post(valid, "Application/JSON; charset=UTF-8"), ok, nil, 204, ""},
		{"quoted charset is fine", post(valid, `application/json; charset="utf-8"`), ok, nil, 204, ""},
		{"us-ascii is fine", post(valid, "application/json; charset=US-ASCII"), ok, nil, 204, ""},
		{"a +json type is fine", post(valid, "application/cloudevents+json"), ok, nil, 204, ""},
		{"no content type is taken as JSON", post(valid, ""), ok, nil, 204, ""},
		{"unknown event is 204", post(`{"event":"room:renamed","x":1}`, "application/json"), ok, nil, 204, ""},
		{"nil options are ignored", post(valid, ""), ok, []HandlerOption{nil}, 204, ""},
		{"latin1 is 415", post(valid, "application/json; charset=latin1"), ok, nil, 415, `charset "latin1"`},
		{"utf-16 is 415", post(valid, "application/json; charset=utf-16"), ok, nil, 415, `charset "utf-16"`},
		{"text/plain is 415", post(valid, "text/plain"), ok, nil, 415, "not JSON"},
		{"form is 415", post(valid, "application/x-www-form-urlencoded"), ok, nil, 415, "not JSON"},
		{"+json outside application is 415", post(valid, "text/x+json"), ok, nil, 415, "not JSON"},
		{"malformed content type is 415", post(valid, "application/json; charset"), ok, nil, 415, "not JSON"},
		{"GET is 405", httptest.NewRequest(http.MethodGet, "/", nil), ok, nil, 405, "use POST"},
		{"PUT is 405", httptest.NewRequest(http.MethodPut, "/", strings.NewReader(valid)), ok, nil, 405, "use POST"},
		{"invalid body is 400 with the reason", post(`{"event":"session:started","started_at":"yesterday"}`, "application/json"), ok, nil, 400,
			`callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time`},
		{"empty body is 400", post(``, "application/json"), ok, nil, 400, "not valid JSON"},
		{"body over the limit is 413", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(10)}, 413, "over the limit of 10 bytes"},
		{"body at the limit is 204", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(int64(len(valid)))}, 204, ""},
		{"the largest limit does not overflow", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(math.MaxInt64)}, 204, ""},
		{"a limit of 0 means the default", post(valid, "application/json"), ok, []HandlerOption{WithMaxBodyBytes(0)}, 204, ""},
		{"fn error is 500 without its text", post(valid, "application/json"),
			func(context.Context, Event) error { return errors.New("db password=hunter2 rejected") }, nil, 500, "retry later"},
		{"fn panic is 500", post(valid, "application/json"), func(context.Context, Event) error { panic("boom") }, nil, 500, "retry later"},
		{"nil fn is 500", post(valid, "application/json"), nil, nil, 500, "retry later"},
		{"ErrUnhandled is 204", post(valid, "application/json"), func(context.Context, Event) error { return ErrUnhandled }, nil, 204, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			NewHandler(tc.fn, tc.opts...).ServeHTTP(rec, tc.req)
			require.Equal(t, tc.wantStatus, rec.Code, rec.Body.String())
			assert.Contains(t, rec.Body.String(), tc.wantBody)
			assert.NotContains(t, rec.Body.String(), "hunter2")
			if tc.wantStatus == 405 {
				assert.Equal(t, "POST", rec.Header().Get("Allow"))
			}
			if tc.wantStatus >= 400 {
				assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain"))
			}
		})
	}
}

func TestHandlerBodyLimitNeverReadsPastIt(t *testing.T) {
	t.Parallel()
	const limit = 100
	big := `{"event":"x:y","pad":"` + strings.Repeat("a", 10*limit) + `"}`
	var called atomic.Bool
	h := NewHandler(func(context.Context, Event) error { called.Store(true); return nil }, WithMaxBodyBytes(limit))
	for _, tc := range []struct {
		name          string
		contentLength int64
		maxRead       int
	}{
		{"oversized Content-Length is refused before reading", int64(len(big)), 0},
		{"unknown length stops at limit+1", -1, limit + 1},
		{"a Content-Length that lies low stops at limit+1", 10, limit + 1},
	} {
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = tc.contentLength
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		assert.Equal(t, 413, rec.Code, tc.name)
		assert.LessOrEqual(t, body.read, tc.maxRead, tc.name)
	}
	assert.False(t, called.Load(), "fn was called for an oversized body")
}

func TestHandlerReadFailureIs400(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	NewHandler(func(context.Context, Event) error { return nil }).ServeHTTP(rec,
		httptest.NewRequest(http.MethodPost, "/", failingReader{errors.New("reset")}))
	assert.Equal(t, 400, rec.Code)
}

func TestHandlerGivesFnTheEventAndTheHeaders(t *testing.T) {
	t.Parallel()
	var got Event
	var hdr http.Header
	h := NewHandler(func(ctx context.Context, ev Event) error {
		got, hdr = ev, HeaderFromContext(context.WithoutCancel(ctx)) // values survive WithoutCancel
		return nil
	})
	body := fixture(t, "participant_joined.json")
	r := post(string(body), "application/json")
	r.Header.Set("X-Room-Metadata", "team=blue")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	require.Equal(t, 204, rec.Code)
	require.IsType(t, &ParticipantJoined{}, got)
	assert.Equal(t, "New Joiner", got.(*ParticipantJoined).Name)
	assert.Equal(t, body, []byte(Raw(got)))
	assert.Equal(t, "team=blue", hdr.Get("X-Room-Metadata"))
	assert.Nil(t, HeaderFromContext(context.Background()))
}

func TestHandlerRecoversPanicsAndKeepsServing(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var reported atomic.Value
	srv := httptest.NewServer(NewHandler(func(ctx context.Context, ev Event) error {
		if calls.Add(1) == 1 {
			panic("nil map")
		}
		return nil
	}, WithErrorFunc(func(r *http.Request, status int, err error) { reported.Store(err.Error()) })))
	defer srv.Close()
	for _, want := range []int{500, 204} {
		resp, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader(`{"event":"recording:started"}`))
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode)
	}
	s, _ := reported.Load().(string)
	assert.Contains(t, s, "panicked: nil map")
	assert.Contains(t, s, "goroutine", "the stack is reported")
}

func TestHandlerReRaisesErrAbortHandler(t *testing.T) {
	t.Parallel()
	h := NewHandler(func(context.Context, Event) error { panic(http.ErrAbortHandler) })
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { h.ServeHTTP(httptest.NewRecorder(), post(`{"event":"a:b"}`, "")) })
}

func TestHandlerContextEndsWhenTheClientGoesAway(t *testing.T) {
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{"event":"a:b"}`))
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := srv.Client().Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	<-entered
	cancel()
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second): // a failure guard, not a speed goal
		t.Fatal("fn's context was not cancelled")
	}
	<-done
}

func TestHandlerErrorFuncSeesEveryRefusal(t *testing.T) {
	t.Parallel()
	type report struct {
		status int
		err    error
	}
	var reports []report
	mux, err := NewMux(On(func(context.Context, *SessionStarted) error { return errors.New("nope") }))
	require.NoError(t, err)
	v, err := NewVerifier([]byte("secret"))
	require.NoError(t, err)
	plain := NewHandler(mux.Dispatch, WithErrorFunc(func(_ *http.Request, status int, err error) { reports = append(reports, report{status, err}) }))
	signed := NewHandler(mux.Dispatch, WithSignatureVerifier(v), WithErrorFunc(func(_ *http.Request, status int, err error) { reports = append(reports, report{status, err}) }))
	for _, tc := range []struct {
		h   http.Handler
		req *http.Request
	}{
		{plain, httptest.NewRequest(http.MethodGet, "/", nil)},
		{plain, post(`{}`, "text/plain")},
		{plain, post(`{}`, "application/json")},
		{plain, post(`{"event":"session:started"}`, "application/json")},
		{plain, post(`{"event":"session:ended"}`, "application/json")},
		{signed, post(`{"event":"session:ended"}`, "application/json")},
		{plain, post(`{"event":"recording:started"}`, "")},
	} {
		tc.h.ServeHTTP(httptest.NewRecorder(), tc.req)
	}
	var statuses []int
	for _, r := range reports {
		statuses = append(statuses, r.status)
	}
	require.Equal(t, []int{405, 415, 400, 500, 204, 401, 204}, statuses)
	assert.ErrorIs(t, reports[2].err, ErrInvalidPayload)
	assert.ErrorIs(t, reports[4].err, ErrUnhandled)
	assert.ErrorIs(t, reports[5].err, ErrInvalidSignature)
}

func TestHandlerWithSignatureVerifier(t *testing.T) {
	t.Parallel()
	secret := []byte("test-signature-secret")
	v, err := NewVerifier(secret)
	require.NoError(t, err)
	body := fixture(t, "recording_uploaded.json")
	good, err := Sign(body, secret)
	require.NoError(t, err)
	var calls atomic.Int32
	fn := func(context.Context, Event) error { calls.Add(1); return nil }
	for _, tc := range []struct {
		name, auth string
		v          *Verifier
		want       int
	}{
		{"valid signature", good, v, 204},
		{"missing signature", "", v, 401},
		{"wrong secret", mustSign(t, body, []byte("other")), v, 401},
		{"signed for another body", mustSign(t, []byte(`{}`), secret), v, 401},
		{"nil verifier fails closed", good, nil, 401},
	} {
		r := post(string(body), "application/json")
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		rec := httptest.NewRecorder()
		NewHandler(fn, WithSignatureVerifier(tc.v)).ServeHTTP(rec, r)
		require.Equal(t, tc.want, rec.Code, tc.name)
		if tc.want == 401 {
			assert.Equal(t, "Bearer", rec.Header().Get("WWW-Authenticate"), tc.name)
			assert.Equal(t, "callbacks: invalid callback signature\n", rec.Body.String(), "a generic reason")
		}
	}
	assert.Equal(t, int32(1), calls.Load(), "only the signed callback reaches fn")
}

func mustSign(t *testing.T, body, secret []byte, opts ...SignatureOption) string {
	t.Helper()
	h, err := Sign(body, secret, opts...)
	require.NoError(t, err)
	return h
}
