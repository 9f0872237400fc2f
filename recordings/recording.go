package recordings

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// Status is a recording's state. Values this version does not know are kept
// as they arrive.
type Status string

// The statuses the API documents.
const (
	StatusStarted  Status = "started"  // recording is in progress
	StatusStopped  Status = "stopped"  // recording ended; the file is not uploaded yet
	StatusPaused   Status = "paused"   // recording is paused
	StatusUploaded Status = "uploaded" // the file can be downloaded from URL; only now can it be deleted
)

// Recording is a recording of a session.
type Recording struct {
	ID        string        // the recording's ID (a UUID)
	SessionID string        // the Video API session it belongs to
	StartedAt time.Time     // when recording started
	EndedAt   time.Time     // when it ended; zero while it runs
	Duration  time.Duration // EndedAt - StartedAt; zero while it runs
	Status    Status        // see the Status constants
	// URL is where the file can be downloaded (_links.url.href on the
	// wire): a time-limited signed URL on a storage host. Printing a
	// Recording shows it without its query, the signature.
	URL string
}

type wireRecording struct {
	ID        string    `json:"id"`
	SessionID string    `json:"session_id"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at"`
	Status    Status    `json:"status"`
	Links     struct {
		URL struct {
			Href string `json:"href"`
		} `json:"url"`
	} `json:"_links"`
}

// UnmarshalJSON reads the wire shape: times in RFC 3339, the URL from
// _links.url.href.
func (r *Recording) UnmarshalJSON(b []byte) error {
	var w wireRecording
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = Recording{ID: w.ID, SessionID: w.SessionID, StartedAt: w.StartedAt, EndedAt: w.EndedAt,
		Status: w.Status, URL: w.Links.URL.Href}
	if !w.StartedAt.IsZero() && !w.EndedAt.IsZero() {
		r.Duration = w.EndedAt.Sub(w.StartedAt)
	}
	return nil
}

// MarshalJSON writes the wire shape that UnmarshalJSON reads.
func (r Recording) MarshalJSON() ([]byte, error) {
	w := wireRecording{ID: r.ID, SessionID: r.SessionID, StartedAt: r.StartedAt, EndedAt: r.EndedAt, Status: r.Status}
	w.Links.URL.Href = r.URL
	return json.Marshal(w)
}

// Format prints the Recording as fmt would, but its URL without the query.
func (r Recording) Format(f fmt.State, verb rune) {
	type plain Recording
	r.URL = core.RedactURL(r.URL)
	core.Print(f, verb, plain(r), "recordings.Recording")
}

// LogValue makes log/slog print what Format does, even with a JSON handler
// (which would otherwise use MarshalJSON, the wire form, URL and all).
func (r Recording) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", r)) }
