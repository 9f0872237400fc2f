package callbacks_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/vonage-meetings/go-sdk/callbacks"
)

func ExampleParse() {
	body := []byte(`{
		"event": "recording:uploaded",
		"recording_id": "17461b93-f793-48a0-9392-7d82de40432f",
		"session_id": "2_MX40NjMzOTg5Mn5-fg",
		"started_at": "2021-11-02T15:55:35.000Z",
		"ended_at": "2021-11-02T15:56:13.000Z",
		"duration": 38,
		"url": "https://prod-meetings-recordings.s3.amazonaws.com/archive.mp4"
	}`)
	ev, err := callbacks.Parse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	switch ev := ev.(type) {
	case *callbacks.RecordingUploaded:
		fmt.Println(ev.RecordingID, ev.Duration, ev.URL)
	case *callbacks.Unknown:
		fmt.Println("an event this SDK does not know yet:", ev.Type)
	}
	// Output:
	// 17461b93-f793-48a0-9392-7d82de40432f 38s https://prod-meetings-recordings.s3.amazonaws.com/archive.mp4
}

func ExampleParse_errors() {
	_, err := callbacks.Parse([]byte(`{"event":"session:started","started_at":"yesterday"}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, callbacks.ErrInvalidPayload))

	var pe *callbacks.PayloadError
	if errors.As(err, &pe) {
		fmt.Println(pe.Event, pe.Field)
	}
	// Output:
	// callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time
	// true
	// session:started started_at
}

func ExampleParse_alias() {
	ev, _ := callbacks.Parse([]byte(`{"event":"participant:joined","name":"Ann","is_host":true}`))
	fmt.Println(ev.EventType(), callbacks.WireEventType(ev))
	// Output:
	// session:participant:joined participant:joined
}

func ExampleRaw() {
	body := []byte(`{"event":"session:started","session_id":"s1","room_id":"r1","started_at":"2021-11-02T15:53:28.753Z"}`)
	ev, _ := callbacks.Parse(body)
	fmt.Printf("%s\n", callbacks.Raw(ev)) // forward it to a queue unchanged
	// Output:
	// {"event":"session:started","session_id":"s1","room_id":"r1","started_at":"2021-11-02T15:53:28.753Z"}
}

func ExampleNewHandler() {
	h := callbacks.NewHandler(func(ctx context.Context, ev callbacks.Event) error {
		fmt.Println("received", ev.EventType(), "for room", callbacks.HeaderFromContext(ctx).Get("X-Room"))
		return nil
	})
	// In a service: http.Handle("/meetings/callbacks", h)

	req := httptest.NewRequest(http.MethodPost, "/meetings/callbacks",
		strings.NewReader(`{"event":"session:started","session_id":"s1","room_id":"r1"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Room", "standup")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// received session:started for room standup
	// 204
}

func ExampleNewMux() {
	mux, err := callbacks.NewMux(
		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error {
			fmt.Println("download", ev.URL)
			return nil
		}),
		callbacks.Fallback(func(ctx context.Context, ev callbacks.Event) error {
			fmt.Println("not handled:", ev.EventType())
			return nil
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := callbacks.NewHandler(mux.Dispatch)

	for _, body := range []string{
		`{"event":"recording:ready","url":"https://storage.example/r1.mp4"}`,
		`{"event":"session:ended","session_id":"s1"}`,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
		fmt.Println(rec.Code)
	}
	// Output:
	// download https://storage.example/r1.mp4
	// 204
	// not handled: session:ended
	// 204
}

// Without a fallback, an event without a route is still acknowledged (204),
// and reported to the WithErrorFunc function, never dropped without a trace.
func ExampleNewMux_withoutFallback() {
	mux, err := callbacks.NewMux(
		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error { return nil }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := callbacks.NewHandler(mux.Dispatch, callbacks.WithErrorFunc(func(r *http.Request, status int, err error) {
		fmt.Println(status, err, errors.Is(err, callbacks.ErrUnhandled))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"event":"session:ended"}`)))
	fmt.Println(rec.Code)
	// Output:
	// 204 callbacks: event not handled: session:ended has no function and the Mux no fallback true
	// 204
}

// NewMux names what is wrong with its routes.
func ExampleNewMux_errors() {
	uploaded := func(ctx context.Context, ev *callbacks.RecordingUploaded) error { return nil }
	_, err := callbacks.NewMux(callbacks.On(uploaded), callbacks.On(uploaded))
	fmt.Println(err)
	// Output:
	// callbacks: NewMux: route 1, On[*callbacks.RecordingUploaded]: the same event type twice
}
