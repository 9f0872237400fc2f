package callbacks_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

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

func ExampleWireEventType() {
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

// The handler's context ends when it returns: hand slow work, such as a
// download, to another goroutine, keeping the context's values but not its
// cancellation.
func ExampleNewHandler_slowWork() {
	done := make(chan struct{})
	h := callbacks.NewHandler(func(ctx context.Context, ev callbacks.Event) error {
		go func(ctx context.Context) {
			defer close(done)
			time.Sleep(10 * time.Millisecond) // the download, after the handler answered
			fmt.Println("worker: context alive:", ctx.Err() == nil, "room:", callbacks.HeaderFromContext(ctx).Get("X-Room"))
		}(context.WithoutCancel(ctx))
		return nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"event":"recording:uploaded","url":"https://storage.example/r1.mp4"}`))
	req.Header.Set("X-Room", "standup")
	resp, err := srv.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("answered", resp.StatusCode)
	<-done
	// Output:
	// answered 204
	// worker: context alive: true room: standup
}

// A Mux routes by type; Ignore and IgnoreOthers decide on the other events
// quietly.
func ExampleNewMux() {
	mux, err := callbacks.NewMux(
		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error {
			fmt.Println("queue", ev.RecordingID)
			return nil
		}),
		callbacks.Ignore[*callbacks.SessionStarted](),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := callbacks.NewHandler(mux.Dispatch, callbacks.WithErrorFunc(func(r *http.Request, status int, err error) {
		fmt.Println(status, err)
	}))
	for _, body := range []string{
		`{"event":"recording:ready","recording_id":"r1"}`,
		`{"event":"session:started"}`,
		`{"event":"session:ended"}`,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
		fmt.Println(rec.Code)
	}
	// Output:
	// queue r1
	// 204
	// 204
	// 204 callbacks: event not handled: session:ended has no route and the Mux no fallback
	// 204
}

func ExampleFallback() {
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

func ExampleSign() {
	secret := []byte("the account's signature secret")
	body := []byte(`{"event":"session:started","session_id":"s1"}`)
	header, err := callbacks.Sign(body, secret)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := callbacks.NewVerifier(secret)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Verify(header, body))
	err = v.Verify(header, []byte(`{"event":"session:started","session_id":"s2"}`))
	fmt.Println(err, errors.Is(err, callbacks.ErrInvalidSignature))
	// Output:
	// <nil>
	// callbacks: invalid signature: payload_hash does not match the body true
}

func ExampleWithSignatureVerifier() {
	secret := []byte("the account's signature secret")
	v, err := callbacks.NewVerifier(secret)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := callbacks.NewHandler(func(ctx context.Context, ev callbacks.Event) error { return nil },
		callbacks.WithSignatureVerifier(v))

	body := `{"event":"session:started"}`
	signed := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	header, _ := callbacks.Sign([]byte(body), secret)
	signed.Header.Set("Authorization", header)
	for _, req := range []*http.Request{signed, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Printf("%d %q\n", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	// Output:
	// 204 ""
	// 401 "Bearer"
}
