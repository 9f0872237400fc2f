package callbacks

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMuxRoutesByType(t *testing.T) {
	t.Parallel()
	var got []string
	mux, err := NewMux(
		On(func(_ context.Context, ev *RecordingUploaded) error {
			got = append(got, "uploaded "+ev.URL)
			return nil
		}),
		On(func(_ context.Context, ev *ParticipantJoined) error { got = append(got, "joined "+ev.Name); return nil }),
		On(func(_ context.Context, ev *Unknown) error { got = append(got, "unknown "+string(ev.Type)); return nil }),
		Fallback(func(_ context.Context, ev Event) error {
			got = append(got, "fallback "+string(ev.EventType()))
			return nil
		}),
	)
	require.NoError(t, err)
	for _, body := range []string{
		`{"event":"recording:ready","url":"u"}`,
		`{"event":"participant:joined","name":"Ann"}`,
		`{"event":"room:renamed"}`,
		`{"event":"session:ended"}`,
	} {
		require.NoError(t, mux.Dispatch(context.Background(), mustParse(t, []byte(body))))
	}
	assert.Equal(t, []string{"uploaded u", "joined Ann", "unknown room:renamed", "fallback session:ended"}, got)
}

func TestMuxReturnsTheRoutesError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	mux, err := NewMux(On(func(context.Context, *SessionStarted) error { return boom }))
	require.NoError(t, err)
	assert.ErrorIs(t, mux.Dispatch(context.Background(), &SessionStarted{}), boom)
}

func TestMuxIgnoreIsQuietAndUnhandledIsReported(t *testing.T) {
	t.Parallel()
	uploaded := func(context.Context, *RecordingUploaded) error { return nil }
	ignoring, err := NewMux(On(uploaded), Ignore[*SessionStarted](), Ignore[*Unknown]())
	require.NoError(t, err)
	ignoringAll, err := NewMux(On(uploaded), IgnoreOthers())
	require.NoError(t, err)
	bare, err := NewMux(On(uploaded))
	require.NoError(t, err)
	ctx := context.Background()

	assert.NoError(t, ignoring.Dispatch(ctx, &SessionStarted{}))
	assert.NoError(t, ignoring.Dispatch(ctx, &Unknown{Type: "x:y"}))
	assert.ErrorIs(t, ignoring.Dispatch(ctx, &SessionEnded{}), ErrUnhandled, "Ignore covers only its type")
	assert.NoError(t, ignoringAll.Dispatch(ctx, &SessionEnded{}))
	assert.NoError(t, ignoringAll.Dispatch(ctx, &Unknown{Type: "x:y"}))
	err = bare.Dispatch(ctx, &SessionEnded{})
	assert.ErrorIs(t, err, ErrUnhandled)
	assert.Contains(t, err.Error(), "session:ended")

	// Through the handler: 204 either way, and only the undecided one is reported.
	var reported []error
	for _, m := range []*Mux{ignoringAll, bare} {
		h := NewHandler(m.Dispatch, WithErrorFunc(func(_ *http.Request, _ int, err error) { reported = append(reported, err) }))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"event":"session:ended"}`)))
		assert.Equal(t, http.StatusNoContent, rec.Code)
	}
	require.Len(t, reported, 1)
	assert.ErrorIs(t, reported[0], ErrUnhandled)
}

func TestNewMuxRefusesMisuse(t *testing.T) {
	t.Parallel()
	uploaded := func(context.Context, *RecordingUploaded) error { return nil }
	ok := func(context.Context, Event) error { return nil }
	for _, tc := range []struct {
		name   string
		routes []Route
		want   string
	}{
		{"nil function", []Route{On[*RecordingUploaded](nil)}, "route 0 (*callbacks.RecordingUploaded) has a nil function"},
		{"nil fallback", []Route{Fallback(nil)}, "route 0 (fallback) has a nil function"},
		{"zero Route", []Route{On(uploaded), {}}, "route 1 (fallback) has a nil function"},
		{"same type twice", []Route{On(uploaded), On(uploaded)}, "route 1 (*callbacks.RecordingUploaded) is a second route"},
		{"On and Ignore for one type", []Route{On(uploaded), Ignore[*RecordingUploaded]()}, "is a second route"},
		{"two fallbacks", []Route{Fallback(ok), IgnoreOthers()}, "route 1 (fallback) is a second fallback"},
		{"an interface type", []Route{On(func(context.Context, Event) error { return nil })}, "interface type"},
	} {
		mux, err := NewMux(tc.routes...)
		assert.Nil(t, mux, tc.name)
		if assert.Error(t, err, tc.name) {
			assert.Contains(t, err.Error(), tc.want, tc.name)
			assert.True(t, strings.HasPrefix(err.Error(), "callbacks: NewMux: "), tc.name)
		}
	}
}

func TestMuxIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	mux, err := NewMux(On(func(context.Context, *SessionStarted) error { return nil }), IgnoreOthers())
	require.NoError(t, err)
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				_ = mux.Dispatch(context.Background(), &SessionStarted{})
				_ = mux.Dispatch(context.Background(), &SessionEnded{})
			}
		}()
	}
	for range 8 {
		<-done
	}
}
