package callbacks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// seedBodies adds every fixture, and bodies at the edges, to a corpus.
func seedBodies(f *testing.F, add func(body []byte)) {
	files, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
	for _, s := range []string{``, `null`, `[]`, `{}`, `{"event":5}`, `{"event":"session:started"} x`,
		`{"event":"recording:ended","duration":"3598"}`, `{"event":"recording:ended","duration":1.5e2}`,
		`{"event":"session:started","started_at":"yesterday"}`, `{"EVENT":"participant:left","IS_HOST":true}`,
		`{"event":"recording:started","is_host":"maybe"}`, `{"event":"session:started","event":""}`,
		`{"event":"session:started","event":null}`, `{"event":"a:b" , "Event":"recording:ready"}`,
		`{"x":"\\\"","event":"recording:started"}`, `{"\u0065vent":"recording\u003aended","duration":-0.5}`,
		`{"event":"session:started","started_at":"2021-11-02T17:53:28.123456789+02:00"}`} {
		add([]byte(s))
	}
}

// FuzzParse: Parse never panics; a failure is a *PayloadError; what it
// accepts keeps its bytes, marshals, and parses back to an equal event.
func FuzzParse(f *testing.F) {
	seedBodies(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := Parse(body)
		if err != nil {
			var pe *PayloadError
			if ev != nil || !errors.As(err, &pe) || !errors.Is(err, ErrInvalidPayload) {
				t.Fatalf("Parse = %v, %v: want nil and a *PayloadError", ev, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("Parse accepted invalid JSON %q", body)
		}
		// The event value is the one encoding/json decodes into a string
		// field (which skips a null and a value of the wrong type).
		var head struct{ Event string }
		if err := json.Unmarshal(body, &head); err != nil && !errors.As(err, new(*json.UnmarshalTypeError)) {
			t.Fatalf("json.Unmarshal: %v", err)
		}
		if WireEventType(ev) != EventType(head.Event) {
			t.Fatalf("event %q, encoding/json says %q", WireEventType(ev), head.Event)
		}
		if !bytes.Equal(Raw(ev), body) {
			t.Fatalf("Raw = %q, want %q", Raw(ev), body)
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", ev, err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse of %s: %v", out, err)
		}
		if !sameEvent(ev, again) || ev.EventType() != again.EventType() {
			t.Fatalf("round trip changed the event:\n%#v\n%#v", ev, again)
		}
	})
}

// FuzzHandler: the handler never panics and answers only the statuses it
// documents, and 204 only for a body Parse accepts.
func FuzzHandler(f *testing.F) {
	seedBodies(f, func(b []byte) {
		f.Add("application/json", b)
		f.Add("", b)
	})
	f.Add("text/plain", []byte(`{"event":"session:started"}`))
	f.Add("application/json; charset=latin1", []byte(`{"event":"a:b"}`))
	const limit = 2048
	h := NewHandler(func(context.Context, Event) error { return nil }, WithMaxBodyBytes(limit))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		_, parseErr := Parse(body)
		switch rec.Code {
		case http.StatusNoContent:
			if parseErr != nil || len(body) > limit || checkContentType(r.Header.Get("Content-Type")) != nil {
				t.Fatalf("204 for %q %q", contentType, body)
			}
		case http.StatusBadRequest:
			if parseErr == nil {
				t.Fatalf("400 for a body Parse accepts: %q", body)
			}
		case http.StatusRequestEntityTooLarge:
			if len(body) <= limit {
				t.Fatalf("413 for %d bytes", len(body))
			}
		case http.StatusUnsupportedMediaType:
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
