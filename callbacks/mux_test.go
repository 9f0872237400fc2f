package callbacks

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// outsider is an Event from outside the package that claims a known type.
type outsider struct{}

func (outsider) EventType() EventType { return EventSessionStarted }

func mustMux(t *testing.T, routes ...Route) *Mux {
	t.Helper()
	m, err := NewMux(routes...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMuxRoutesByType(t *testing.T) {
	t.Parallel()
	var log []string
	m := mustMux(t,
		On(func(ctx context.Context, ev *RecordingUploaded) error {
			log = append(log, "uploaded:"+ev.RecordingID)
			return nil
		}),
		On(func(ctx context.Context, ev *ParticipantJoined) error {
			log = append(log, "joined:"+ev.Name)
			return nil
		}),
		On(func(ctx context.Context, ev *Unknown) error {
			log = append(log, "unknown:"+string(ev.Type))
			return nil
		}),
		Fallback(func(ctx context.Context, ev Event) error {
			log = append(log, "fallback:"+string(ev.EventType()))
			return nil
		}),
	)
	for _, body := range []string{
		`{"event":"recording:ready","recording_id":"r1"}`,
		`{"event":"recording:uploaded","recording_id":"r2"}`,
		`{"event":"participant:joined","name":"Ann"}`,
		`{"event":"session:participant:joined","name":"Bob"}`,
		`{"event":"session:started"}`,
		`{"event":"room:renamed"}`,
	} {
		if err := m.Dispatch(context.Background(), mustParse(t, []byte(body))); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Dispatch(context.Background(), outsider{}); err != nil {
		t.Fatal(err)
	}
	want := "uploaded:r1 uploaded:r2 joined:Ann joined:Bob fallback:session:started unknown:room:renamed fallback:session:started"
	if got := strings.Join(log, " "); got != want {
		t.Errorf("routed\n got %s\nwant %s", got, want)
	}
}

// Without a fallback an unrouted event is not dropped silently: Dispatch
// says so with ErrUnhandled (which NewHandler acknowledges and reports).
func TestMuxWithoutRouteOrFallbackReturnsErrUnhandled(t *testing.T) {
	t.Parallel()
	m := mustMux(t, On(func(context.Context, *SessionStarted) error { return nil }))
	for _, ev := range []Event{mustParse(t, []byte(`{"event":"session:ended"}`)), mustParse(t, []byte(`{"event":"a:b"}`)), outsider{}} {
		err := m.Dispatch(context.Background(), ev)
		if !errors.Is(err, ErrUnhandled) || !strings.Contains(err.Error(), string(ev.EventType())) {
			t.Errorf("Dispatch(%s) = %v, want ErrUnhandled naming the event type", ev.EventType(), err)
		}
	}
	if err := mustMux(t).Dispatch(context.Background(), &SessionStarted{}); !errors.Is(err, ErrUnhandled) {
		t.Errorf("empty Mux: Dispatch = %v, want ErrUnhandled", err)
	}
	if err := m.Dispatch(context.Background(), nil); err == nil || errors.Is(err, ErrUnhandled) {
		t.Errorf("Dispatch(nil) = %v, want an error that is not ErrUnhandled", err)
	}
}

func TestNilAndZeroMuxDispatchReturnsAnError(t *testing.T) {
	t.Parallel()
	var nilMux *Mux
	for name, m := range map[string]*Mux{"nil": nilMux, "zero": {}} {
		err := m.Dispatch(context.Background(), &SessionStarted{})
		if err == nil || !strings.Contains(err.Error(), "NewMux") || errors.Is(err, ErrUnhandled) {
			t.Errorf("%s Mux: Dispatch = %v, want an error pointing to NewMux", name, err)
		}
	}
}

func TestMuxUnknownGoesToFallbackWithoutOnUnknown(t *testing.T) {
	t.Parallel()
	want := errors.New("stored nowhere")
	m := mustMux(t, Fallback(func(ctx context.Context, ev Event) error { return want }))
	if err := m.Dispatch(context.Background(), &Unknown{Type: "a:b"}); err != want {
		t.Errorf("Dispatch = %v, want the fallback's error", err)
	}
}

func TestMuxReturnsTheRoutesError(t *testing.T) {
	t.Parallel()
	want := errors.New("queue full")
	m := mustMux(t, On(func(context.Context, *SessionEnded) error { return want }))
	if err := m.Dispatch(context.Background(), &SessionEnded{}); err != want {
		t.Errorf("Dispatch = %v, want %v", err, want)
	}
}

func TestNewMuxRefusesMisuse(t *testing.T) {
	t.Parallel()
	ok := func(context.Context, *SessionStarted) error { return nil }
	fb := func(context.Context, Event) error { return nil }
	tests := []struct {
		name   string
		routes []Route
		want   []string
	}{
		{"the same type twice", []Route{On(ok), On(ok)}, []string{"route 1", "On[*callbacks.SessionStarted]", "same event type twice"}},
		{"unknown twice", []Route{On(func(context.Context, *Unknown) error { return nil }), On(func(context.Context, *Unknown) error { return nil })},
			[]string{"route 1", "On[*callbacks.Unknown]", "same event type twice"}},
		{"two fallbacks", []Route{Fallback(fb), On(ok), Fallback(fb)}, []string{"route 2", "second fallback"}},
		{"the interface", []Route{On(func(context.Context, Event) error { return nil })}, []string{"callbacks.Event is not an event type", "*callbacks.RecordingUploaded"}},
		{"a foreign type", []Route{On(func(context.Context, outsider) error { return nil })}, []string{"callbacks.outsider is not an event type"}},
		{"nil On function", []Route{On[*SessionStarted](nil)}, []string{"On[*callbacks.SessionStarted]", "nil function"}},
		{"nil fallback", []Route{Fallback(nil)}, []string{"Fallback", "nil function"}},
		{"zero Route", []Route{{}}, []string{"route 0 is a zero Route"}},
		{"every problem is named", []Route{On(ok), Fallback(nil), On(ok)}, []string{"route 1, Fallback: nil function", "route 2, On[*callbacks.SessionStarted]: the same event type twice"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := NewMux(tc.routes...)
			if err == nil || m != nil {
				t.Fatalf("NewMux = %v, %v; want nil and an error", m, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// A built Mux is immutable, so any number of goroutines may Dispatch at once
// (run with -race).
func TestMuxIsSafeForConcurrentDispatch(t *testing.T) {
	t.Parallel()
	var routed, fell atomic.Int64
	m := mustMux(t,
		On(func(context.Context, *SessionStarted) error { routed.Add(1); return nil }),
		Fallback(func(context.Context, Event) error { fell.Add(1); return nil }),
	)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_ = m.Dispatch(context.Background(), &SessionStarted{})
				_ = m.Dispatch(context.Background(), &SessionEnded{})
			}
		}()
	}
	wg.Wait()
	if routed.Load() != 800 || fell.Load() != 800 {
		t.Errorf("routed %d, fell back %d; want 800 each", routed.Load(), fell.Load())
	}
}

// A typed nil event (a nil *SessionStarted in an Event) is refused like a
// plain nil, before any route function can dereference it.
func TestMuxDispatchRefusesTypedNilEvents(t *testing.T) {
	t.Parallel()
	called := false
	m, err := NewMux(
		On(func(_ context.Context, ev *SessionStarted) error { called = true; _ = ev.SessionID; return nil }),
		On(func(_ context.Context, ev *Unknown) error { called = true; _ = ev.Type; return nil }),
		Fallback(func(_ context.Context, ev Event) error { called = true; _ = ev.EventType(); return nil }),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []Event{(*SessionStarted)(nil), (*Unknown)(nil), (*RecordingUploaded)(nil)} {
		err := m.Dispatch(context.Background(), ev)
		if err == nil || errors.Is(err, ErrUnhandled) || !strings.Contains(err.Error(), "nil") {
			t.Errorf("Dispatch(%T(nil)) = %v, want an error about the nil event", ev, err)
		}
	}
	if called {
		t.Error("a route function was called with a nil event")
	}
}
