package callbacks

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// outsider is an Event from outside the package that claims a known type.
type outsider struct{}

func (outsider) EventType() EventType { return EventSessionStarted }

func TestMuxRoutesByType(t *testing.T) {
	t.Parallel()
	var log []string
	m := NewMux()
	On(m, func(ctx context.Context, ev *RecordingUploaded) error {
		log = append(log, "uploaded:"+ev.RecordingID)
		return nil
	})
	On(m, func(ctx context.Context, ev *ParticipantJoined) error {
		log = append(log, "joined:"+ev.Name)
		return nil
	})
	On(m, func(ctx context.Context, ev *Unknown) error {
		log = append(log, "unknown:"+string(ev.Type))
		return nil
	})
	m.Fallback(func(ctx context.Context, ev Event) error {
		log = append(log, "fallback:"+string(ev.EventType()))
		return nil
	})
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

func TestMuxWithoutRouteOrFallbackAcknowledges(t *testing.T) {
	t.Parallel()
	var m Mux // the zero Mux works
	for _, body := range []string{`{"event":"session:ended"}`, `{"event":"a:b"}`} {
		if err := m.Dispatch(context.Background(), mustParse(t, []byte(body))); err != nil {
			t.Errorf("Dispatch = %v, want nil", err)
		}
	}
	if err := m.Dispatch(context.Background(), nil); err != nil {
		t.Errorf("Dispatch(nil) = %v", err)
	}
}

func TestMuxUnknownGoesToFallbackWithoutOnUnknown(t *testing.T) {
	t.Parallel()
	m := NewMux()
	want := errors.New("stored nowhere")
	m.Fallback(func(ctx context.Context, ev Event) error { return want })
	if err := m.Dispatch(context.Background(), &Unknown{Type: "a:b"}); err != want {
		t.Errorf("Dispatch = %v, want the fallback's error", err)
	}
}

func TestMuxReturnsTheRoutesError(t *testing.T) {
	t.Parallel()
	m := NewMux()
	want := errors.New("queue full")
	On(m, func(context.Context, *SessionEnded) error { return want })
	if err := m.Dispatch(context.Background(), &SessionEnded{}); err != want {
		t.Errorf("Dispatch = %v, want %v", err, want)
	}
}

func TestOnRefusesMisuse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		reg  func(m *Mux)
		want string
	}{
		{"twice", func(m *Mux) {
			On(m, func(context.Context, *SessionStarted) error { return nil })
			On(m, func(context.Context, *SessionStarted) error { return nil })
		}, "registered twice"},
		{"unknown twice", func(m *Mux) {
			On(m, func(context.Context, *Unknown) error { return nil })
			On(m, func(context.Context, *Unknown) error { return nil })
		}, "registered twice"},
		{"the interface", func(m *Mux) { On(m, func(context.Context, Event) error { return nil }) }, "not an event type"},
		{"a foreign type", func(m *Mux) { On(m, func(context.Context, outsider) error { return nil }) }, "not an event type"},
		{"nil function", func(m *Mux) { On[*SessionStarted](m, nil) }, "nil function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				v := recover()
				if s, _ := v.(string); !strings.Contains(s, tc.want) {
					t.Errorf("panic %v, want one containing %q", v, tc.want)
				}
			}()
			tc.reg(NewMux())
		})
	}
}
