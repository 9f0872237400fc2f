package meetingstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Defaults of a Meeting, taken from the service's documented example payloads.
const (
	DefaultRoomID      = "b307d837-c0ce-4619-8c5c-70e418ef9693"
	DefaultSessionID   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODQwODY4NH41cXIzMDdSa1BZa05BUDFpYnhxcTV4MCt-fg"
	DefaultRecordingID = "17461b93-f793-48a0-9392-7d82de40432f"
	DefaultFileSize    = 1 << 20 // 1 MiB of generated content
)

const defaultRecordingTime = 38 * time.Second

// DefaultStartedAt is when a Meeting's session starts unless told otherwise:
// 2021-11-02T15:53:28.753Z, as in the service's example payloads.
var DefaultStartedAt = time.Date(2021, 11, 2, 15, 53, 28, 753e6, time.UTC)

// Meeting describes the meeting PlayMeeting plays. Every zero field takes a
// default, so Meeting{} plays a complete, deterministic meeting.
type Meeting struct {
	RoomID      string // default DefaultRoomID
	RoomType    string // "instant" (default) or "long_term"
	SessionID   string // default DefaultSessionID
	RecordingID string // default DefaultRecordingID
	// Participants join in order after the session starts and leave in order
	// after the recording ends. Default: a host and a guest.
	Participants []Participant
	// StartedAt is when the session starts (default DefaultStartedAt). The
	// recording starts about two minutes later.
	StartedAt time.Time
	// RecordingDuration is how long the recording lasts (default 38 s),
	// sent as duration in whole or fractional seconds.
	RecordingDuration time.Duration
	// File is the recording's file. If nil, the file is FileSize bytes of
	// generated content (see GeneratedContent).
	File []byte
	// FileSize is the size of the generated file when File is nil (default
	// DefaultFileSize). It costs no memory, whatever its size. For an empty
	// file, set File to []byte{}.
	FileSize int64
}

// Participant is someone who joins and leaves a played meeting.
type Participant struct {
	ID     string
	Name   string
	Type   string // for example "Guest"
	IsHost bool
}

var defaultParticipants = []Participant{
	{ID: "b424e1c4-e988-4ce2-8ab9-e3efea7de542", Name: "Host", Type: "Guest", IsHost: true},
	{ID: "5e2c0f8a-3c43-4b9e-9d1e-8c7a41f0b6d2", Name: "New Joiner", Type: "Guest"},
}

// Callback is one callback PlayMeeting sent.
type Callback struct {
	Event      string // the wire value of event, such as "recording:uploaded"
	Body       []byte // the JSON body as sent
	StatusCode int    // the receiver's answer; 0 if the request failed
}

// Played is what PlayMeeting did.
type Played struct {
	// Meeting is the meeting played, defaults filled in.
	Meeting Meeting
	// DownloadURL is the url of the recording:uploaded callback.
	DownloadURL string
	// Callbacks are the callbacks sent, in order, the failed one included.
	Callbacks []Callback
}

// CallbackError is the error PlayMeeting returns when the receiver answered
// a callback with a status other than 2xx.
type CallbackError struct {
	Event      string // the callback's event, e.g. "recording:uploaded"
	StatusCode int    // the status the receiver answered, e.g. 500
}

// Error reads like
// "meetingstest: receiver answered 500 Internal Server Error to recording:uploaded".
func (e *CallbackError) Error() string {
	return fmt.Sprintf("meetingstest: receiver answered %d %s to %s", e.StatusCode, http.StatusText(e.StatusCode), e.Event)
}

// PlayMeeting plays one meeting's life to receiverURL as the service does:
// a JSON POST per event, with Content-Type application/json, in this order:
//
//	session:started
//	session:participant:joined   (one per participant)
//	recording:started
//	recording:ended
//	session:participant:left     (one per participant)
//	recording:uploaded           (url: a download URL on the storage host)
//	session:ended
//	room:expired
//
// It updates the fake's state as it goes, before sending each event: the
// session exists from session:started, the recording is "started" from
// recording:started, "stopped" from recording:ended, and "uploaded" with its
// file on the storage host from recording:uploaded, so a receiver can get,
// list, download and delete it from there on.
//
// It stops at the first callback the receiver does not answer with 2xx
// (returning a *CallbackError) or that cannot be sent, and returns what it
// sent so far with the error. Playing two meetings with the same IDs replaces
// the first's recording.
//
// A nil or done ctx, or a receiverURL that is not an absolute http or https
// URL, is refused before anything changes. Errors never show receiverURL's
// userinfo or query.
func (s *Server) PlayMeeting(ctx context.Context, receiverURL string, m Meeting) (*Played, error) {
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("meetingstest: PlayMeeting: %w", err)
	}
	// Check every argument before the first state change, so refused input
	// leaves the fake as it was.
	if ctx == nil {
		return nil, errors.New("meetingstest: PlayMeeting: ctx is nil")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("meetingstest: PlayMeeting: ctx: %w", err)
	}
	u, err := checkReceiverURL(receiverURL)
	if err != nil {
		return nil, fmt.Errorf("meetingstest: PlayMeeting: %w", err)
	}
	if err := m.fillDefaults(); err != nil {
		return nil, fmt.Errorf("meetingstest: PlayMeeting: %w", err)
	}
	p := &Played{Meeting: m}

	recStart := m.StartedAt.Add(2*time.Minute + 6247*time.Millisecond) // 15:55:35.000 for the default start
	recEnd := recStart.Add(m.RecordingDuration)
	sessEnd := recEnd.Add(30 * time.Second)
	created := m.StartedAt.Add(-time.Minute)
	expires := sessEnd.Add(10 * time.Minute)
	seconds := m.RecordingDuration.Seconds()

	type step struct {
		event  string
		before func() error // state change made before the callback is sent
		fields map[string]any
	}
	var steps []step
	steps = append(steps, step{"session:started", func() error { return s.AddSession(m.SessionID) }, map[string]any{
		"session_id": m.SessionID, "room_id": m.RoomID, "started_at": formatTime(m.StartedAt),
	}})
	for _, pt := range m.Participants {
		steps = append(steps, step{"session:participant:joined", nil, m.participantFields(pt)})
	}
	rec := Recording{ID: m.RecordingID, SessionID: m.SessionID, StartedAt: recStart}
	steps = append(steps,
		step{"recording:started", func() error {
			rec.Status = StatusStarted
			return s.AddRecording(rec)
		}, map[string]any{"recording_id": m.RecordingID, "session_id": m.SessionID}},
		step{"recording:ended", func() error {
			rec.Status, rec.EndedAt = StatusStopped, recEnd
			return s.AddRecording(rec)
		}, map[string]any{
			"recording_id": m.RecordingID, "session_id": m.SessionID,
			"started_at": formatTime(recStart), "ended_at": formatTime(recEnd), "duration": seconds,
		}})
	for _, pt := range m.Participants {
		steps = append(steps, step{"session:participant:left", nil, m.participantFields(pt)})
	}
	uploaded := map[string]any{
		"recording_id": m.RecordingID, "session_id": m.SessionID, "room_id": m.RoomID,
		"started_at": formatTime(recStart), "ended_at": formatTime(recEnd), "duration": seconds,
	}
	steps = append(steps,
		step{"recording:uploaded", func() error {
			var err error
			if m.File != nil {
				err = s.SetFile(m.RecordingID, m.File)
			} else {
				err = s.SetGeneratedFile(m.RecordingID, m.FileSize)
			}
			if err != nil {
				return err
			}
			rec.Status = StatusUploaded
			if err := s.AddRecording(rec); err != nil {
				return err
			}
			p.DownloadURL = s.downloadURL(m.RecordingID)
			uploaded["url"] = p.DownloadURL
			return nil
		}, uploaded},
		step{"session:ended", nil, map[string]any{
			"session_id": m.SessionID, "room_id": m.RoomID,
			"started_at": formatTime(m.StartedAt), "ended_at": formatTime(sessEnd),
		}},
		step{"room:expired", nil, map[string]any{
			"room_id": m.RoomID, "room_type": m.RoomType,
			"expires_at": formatTime(expires), "created_at": formatTime(created),
		}},
	)

	for _, st := range steps {
		if st.before != nil {
			if err := st.before(); err != nil {
				return p, fmt.Errorf("meetingstest: PlayMeeting: %s: %w", st.event, err)
			}
		}
		st.fields["event"] = st.event
		body, err := json.Marshal(st.fields)
		if err != nil {
			return p, fmt.Errorf("meetingstest: PlayMeeting: %s: encode: %w", st.event, err)
		}
		code, err := s.sendCallback(ctx, receiverURL, body)
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redactURL(u) // net/http masks only the password; the user and query may be secrets too
		}
		p.Callbacks = append(p.Callbacks, Callback{Event: st.event, Body: body, StatusCode: code})
		if err != nil {
			return p, fmt.Errorf("meetingstest: PlayMeeting: send %s: %w", st.event, err)
		}
		if code < 200 || code > 299 {
			return p, &CallbackError{Event: st.event, StatusCode: code}
		}
	}
	return p, nil
}

// checkReceiverURL parses raw and requires an absolute http or https URL.
// Its errors never quote raw's userinfo or query, which may hold credentials.
func checkReceiverURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("receiverURL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL that *url.Error quotes in full
		}
		return nil, fmt.Errorf("receiverURL is not an absolute http(s) URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("receiverURL %q is not an absolute http(s) URL", redactURL(u))
	}
	return u, nil
}

// redactURL returns u for an error message, with any userinfo and query
// replaced by "REDACTED" and no fragment.
func redactURL(u *url.URL) string {
	r := *u
	if r.User != nil {
		r.User = url.User("REDACTED")
	}
	if r.RawQuery != "" || r.ForceQuery {
		r.RawQuery, r.ForceQuery = "REDACTED", false
	}
	r.Fragment, r.RawFragment = "", ""
	return r.String()
}

func (s *Server) sendCallback(ctx context.Context, receiverURL string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, receiverURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "meetingstest")
	if s.signer != nil {
		if err := s.signer(req, body); err != nil {
			return 0, fmt.Errorf("sign: %w", err)
		}
	}
	resp, err := s.cbClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

func (m *Meeting) fillDefaults() error {
	if m.RoomID == "" {
		m.RoomID = DefaultRoomID
	}
	if m.RoomType == "" {
		m.RoomType = "instant"
	}
	if m.SessionID == "" {
		m.SessionID = DefaultSessionID
	}
	if m.RecordingID == "" {
		m.RecordingID = DefaultRecordingID
	}
	if m.Participants == nil {
		m.Participants = append([]Participant(nil), defaultParticipants...)
	}
	if m.StartedAt.IsZero() {
		m.StartedAt = DefaultStartedAt
	}
	switch {
	case m.RecordingDuration < 0:
		return fmt.Errorf("recording duration %v is negative", m.RecordingDuration)
	case m.RecordingDuration == 0:
		m.RecordingDuration = defaultRecordingTime
	}
	switch {
	case m.FileSize < 0:
		return fmt.Errorf("file size %d is negative", m.FileSize)
	case m.File != nil && m.FileSize != 0 && m.FileSize != int64(len(m.File)):
		return fmt.Errorf("file size %d does not match the %d bytes of File", m.FileSize, len(m.File))
	case m.File != nil:
		m.FileSize = int64(len(m.File))
	case m.FileSize == 0:
		m.FileSize = DefaultFileSize
	}
	for i, pt := range m.Participants {
		if pt.ID == "" {
			return fmt.Errorf("participant %d has an empty ID", i)
		}
	}
	return nil
}

func (m *Meeting) participantFields(pt Participant) map[string]any {
	return map[string]any{
		"participant_id": pt.ID, "session_id": m.SessionID, "room_id": m.RoomID,
		"name": pt.Name, "type": pt.Type, "is_host": pt.IsHost,
	}
}
