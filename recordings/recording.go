package recordings

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

// Status is the state of a recording. Values this version does not know are
// kept as they are.
type Status string

// The documented recording statuses.
const (
	StatusStarted  Status = "started"  // recording is in progress
	StatusStopped  Status = "stopped"  // recording ended; the file is not uploaded yet
	StatusPaused   Status = "paused"   // recording is paused
	StatusUploaded Status = "uploaded" // the file can be downloaded from URL; only now can it be deleted
)

// Known reports whether s is one of the documented statuses.
func (s Status) Known() bool {
	switch s {
	case StatusStarted, StatusStopped, StatusPaused, StatusUploaded:
		return true
	}
	return false
}

// Recording is one recording of a session.
//
// On the wire it is
//
//	{"id": "...", "session_id": "...", "started_at": "2023-01-25T02:38:31.000Z",
//	 "ended_at": "...", "status": "uploaded", "_links": {"url": {"href": "https://..."}}}
//
// Timestamps are RFC 3339, with or without fractional seconds; a null or
// absent one is the zero time.
//
// Printed with fmt (%v, %+v, %s, %#v), a Recording shows its URL without the
// query string, as "https://host/path?…": the query holds the URL's
// signature, and whoever has it can fetch the file. The URL field itself and
// JSON encoding keep the whole URL.
type Recording struct {
	ID        string    // the recording's ID (a UUID)
	SessionID string    // the Video API session it belongs to
	StartedAt time.Time // when recording started
	EndedAt   time.Time // when recording ended; zero while it runs
	Status    Status    // see the Status constants
	// URL is _links.url.href: a time-limited download URL on a storage host
	// (not the API host). The API may send it while the recording is still
	// "started" or "stopped", before the file is complete: download only
	// recordings whose Status is StatusUploaded (DownloadByID checks that and
	// fails with ErrNotUploaded otherwise). It may be empty.
	URL string
}

type wireRecording struct {
	ID        string     `json:"id"`
	SessionID string     `json:"session_id"`
	StartedAt *string    `json:"started_at,omitempty"`
	EndedAt   *string    `json:"ended_at,omitempty"`
	Status    Status     `json:"status,omitempty"`
	Links     *wireLinks `json:"_links,omitempty"`
}

type wireLinks struct {
	URL *wireHref `json:"url,omitempty"`
}

type wireHref struct {
	Href string `json:"href"`
}

// UnmarshalJSON decodes the wire shape. A timestamp that is not RFC 3339 is
// an error naming the field; unknown fields are ignored.
func (r *Recording) UnmarshalJSON(b []byte) error {
	var w wireRecording
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("recordings: decoding recording: %w", err)
	}
	started, err := parseTime("started_at", w.StartedAt)
	if err != nil {
		return err
	}
	ended, err := parseTime("ended_at", w.EndedAt)
	if err != nil {
		return err
	}
	*r = Recording{ID: w.ID, SessionID: w.SessionID, StartedAt: started, EndedAt: ended, Status: w.Status}
	if w.Links != nil && w.Links.URL != nil {
		r.URL = w.Links.URL.Href
	}
	return nil
}

func parseTime(field string, s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return time.Time{}, fmt.Errorf("recordings: field %q: %q is not an RFC 3339 time", field, *s)
	}
	return t, nil
}

// MarshalJSON encodes the wire shape; zero times, an empty status and an
// empty URL are left out.
func (r Recording) MarshalJSON() ([]byte, error) {
	w := wireRecording{ID: r.ID, SessionID: r.SessionID, Status: r.Status}
	if !r.StartedAt.IsZero() {
		s := r.StartedAt.Format(time.RFC3339Nano)
		w.StartedAt = &s
	}
	if !r.EndedAt.IsZero() {
		s := r.EndedAt.Format(time.RFC3339Nano)
		w.EndedAt = &s
	}
	if r.URL != "" {
		w.Links = &wireLinks{URL: &wireHref{Href: r.URL}}
	}
	return json.Marshal(w)
}

// String returns the recording's fields for logs and debugging, with URL
// cut to scheme://host/path and "?…" in place of its signed query (a URL
// that does not parse shows as "(unparseable URL of N bytes)"), like
//
//	recordings.Recording{ID: "7734a958-...", SessionID: "2_MX40...", StartedAt: 2023-01-25T02:38:31Z,
//	 EndedAt: 2023-01-25T02:45:07Z, Status: "uploaded", URL: "https://storage.example.com/rec.mp4?…"}
//
// fmt's %v, %+v and %s use it.
func (r Recording) String() string {
	return fmt.Sprintf("recordings.Recording{ID: %q, SessionID: %q, StartedAt: %s, EndedAt: %s, Status: %q, URL: %q}",
		r.ID, r.SessionID, r.StartedAt.Format(time.RFC3339Nano), r.EndedAt.Format(time.RFC3339Nano), r.Status, safeurl.RedactString(r.URL))
}

// GoString is the Go syntax for %#v, with URL cut as String cuts it.
func (r Recording) GoString() string {
	return fmt.Sprintf("recordings.Recording{ID:%q, SessionID:%q, StartedAt:%s, EndedAt:%s, Status:%q, URL:%q}",
		r.ID, r.SessionID, goTime(r.StartedAt), goTime(r.EndedAt), r.Status, safeurl.RedactString(r.URL))
}

func goTime(t time.Time) string {
	if t.IsZero() {
		return "time.Time{}"
	}
	return t.GoString()
}
