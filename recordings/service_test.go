package recordings_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/recordings"
)

const prefix = "/beta/meetings"

// setup starts a server that mounts mux under the base URL's path prefix, so
// a path built without the prefix (an absolute-URL bug) fails loudly.
func setup(t *testing.T) (*meetings.Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(prefix+"/", http.StripPrefix(prefix, mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	c, err := meetings.NewClient("key", "secret",
		meetings.WithBaseURL(srv.URL+prefix),
		meetings.WithRetryPolicy(2, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

func serveFile(t *testing.T, name string, status int) http.HandlerFunc {
	body, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"get_recording.json", "dotnet_get_recording.json"} { // the .NET one starts with a BOM
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /recordings/{id}", func(w http.ResponseWriter, r *http.Request) {
				if got := r.PathValue("id"); got != "rec-1" {
					t.Errorf("id = %q", got)
				}
				serveFile(t, file, http.StatusOK)(w, r)
			})
			rec, err := c.Recordings.Get(context.Background(), "rec-1")
			if err != nil {
				t.Fatal(err)
			}
			if rec.ID == "" || rec.SessionID == "" || rec.URL == "" || rec.StartedAt.IsZero() || !rec.Status.Known() {
				t.Errorf("Get = %+v: fields missing", rec)
			}
		})
	}
}

func TestGetNotFound(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	body := `{"message":"Recording nope was not found","name":"NotFoundError","status":404}`
	mux.HandleFunc("GET /recordings/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(body))
	})
	_, err := c.Recordings.Get(context.Background(), "nope")
	if !errors.Is(err, meetings.ErrNotFound) {
		t.Fatalf("error = %v, want ErrNotFound", err)
	}
	if got, want := err.Error(), "meetings: GET /recordings/nope: 404 NotFoundError: Recording nope was not found"; got != want {
		t.Errorf("Error() = %q\nwant      %q", got, want)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("DELETE /recordings/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.PathValue("id") != "rec-1" {
			t.Errorf("id = %q", r.PathValue("id"))
		}
		w.WriteHeader(http.StatusNoContent)
	})
	if err := c.Recordings.Delete(context.Background(), "rec-1"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("DELETE sent %d times, want 1", calls.Load())
	}
}

func TestDeleteForbiddenIsNotRetried(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("DELETE /recordings/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"title":"Forbidden","detail":"can only delete recordings in 'uploaded' status"}`))
	})
	err := c.Recordings.Delete(context.Background(), "rec-1")
	var apiErr *meetings.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, meetings.ErrForbidden) {
		t.Fatalf("error = %v, want a 403 *APIError", err)
	}
	if apiErr.Detail != "can only delete recordings in 'uploaded' status" || apiErr.Attempts != 1 || calls.Load() != 1 {
		t.Errorf("APIError = %+v after %d calls", apiErr, calls.Load())
	}
}

func TestListBySession(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"python fixture", "", 1},
		{"_embedded missing", `{}`, 0},
		{"_embedded null", `{"_embedded":null}`, 0},
		{"_embedded empty", `{"_embedded":{}}`, 0},
		{"recordings empty", `{"_embedded":{"recordings":[]}}`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /sessions/{id}/recordings", func(w http.ResponseWriter, r *http.Request) {
				if r.PathValue("id") != "2_MX40-fg" {
					t.Errorf("session id = %q", r.PathValue("id"))
				}
				if tc.body == "" {
					serveFile(t, "get_session_recordings.json", http.StatusOK)(w, r)
					return
				}
				_, _ = w.Write([]byte(tc.body))
			})
			list, err := c.Recordings.ListBySession(context.Background(), "2_MX40-fg")
			if err != nil {
				t.Fatal(err)
			}
			if list == nil || len(list) != tc.want {
				t.Fatalf("ListBySession = %v (nil %v), want %d recordings", list, list == nil, tc.want)
			}
			for _, r := range list {
				if r == nil || r.ID == "" {
					t.Errorf("entry %+v", r)
				}
			}
		})
	}
}

func TestListBySessionRefusesUnusableEntries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, wantText string }{
		{"null entry", `{"_embedded":{"recordings":[{"id":"a"},null]}}`, "_embedded.recordings[1] is null"},
		{"entry without id", `{"_embedded":{"recordings":[{"status":"uploaded"}]}}`, "_embedded.recordings[0] has no id"},
		{"null body", `null`, "200 response is null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			mux.HandleFunc("GET /sessions/{id}/recordings", func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(tc.body))
			})
			list, err := c.Recordings.ListBySession(context.Background(), "s")
			var reqErr *meetings.RequestError
			if !errors.As(err, &reqErr) {
				t.Fatalf("ListBySession = %v, %v; want a *meetings.RequestError", list, err)
			}
			if list != nil {
				t.Errorf("ListBySession returned %v with its error, want nil", list)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q does not say %q", err, tc.wantText)
			}
		})
	}
}

func TestListBySessionDotNetFixtureWithBOM(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET /sessions/{id}/recordings", serveFile(t, "dotnet_get_recordings.json", http.StatusOK))
	list, err := c.Recordings.ListBySession(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != "7734a958-6793-4438-9978-ab97d3091912" || list[0].Status != recordings.StatusStarted {
		t.Errorf("list = %+v", list)
	}
}

func TestIDsTravelAsOneEscapedSegment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ id, wantURI string }{
		{"a/b", "/recordings/a%2Fb"},
		{"../sessions", "/recordings/..%2Fsessions"},
		{"a?b=c", "/recordings/a%3Fb=c"},
		{"a#b", "/recordings/a%23b"},
		{"a b", "/recordings/a%20b"},
		{"%2e%2e", "/recordings/%252e%252e"},
		{"...", "/recordings/..."},
		{"é", "/recordings/%C3%A9"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			c, mux := setup(t)
			var got string
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				got = r.URL.EscapedPath()
				w.WriteHeader(http.StatusNoContent)
			})
			if err := c.Recordings.Delete(context.Background(), tc.id); err != nil {
				t.Fatal(err)
			}
			if got != tc.wantURI {
				t.Errorf("path sent = %q, want %q", got, tc.wantURI)
			}
		})
	}
}

func TestUnusableIDsAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request sent: %s %s", r.Method, r.URL)
	})
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		for _, tc := range []struct {
			call, wantName string
			do             func() error
		}{
			{"Get", "recordingID", func() error { _, err := c.Recordings.Get(ctx, id); return err }},
			{"Delete", "recordingID", func() error { return c.Recordings.Delete(ctx, id) }},
			{"ListBySession", "sessionID", func() error { _, err := c.Recordings.ListBySession(ctx, id); return err }},
		} {
			err := tc.do()
			var argErr *meetings.ArgumentError
			var apiErr *meetings.APIError
			if !errors.As(err, &argErr) || errors.As(err, &apiErr) {
				t.Errorf("%s(%q): error = %v, want an *ArgumentError only", tc.call, id, err)
				continue
			}
			if argErr.Name != tc.wantName {
				t.Errorf("%s(%q): ArgumentError.Name = %q, want %q", tc.call, id, argErr.Name, tc.wantName)
			}
		}
	}
}

func TestZeroServiceFailsWithoutPanic(t *testing.T) {
	t.Parallel()
	var s *recordings.Service
	if _, err := s.Get(context.Background(), "x"); err == nil {
		t.Error("nil Service: Get succeeded")
	}
	if err := new(recordings.Service).Delete(context.Background(), "x"); err == nil {
		t.Error("zero Service: Delete succeeded")
	}
}
