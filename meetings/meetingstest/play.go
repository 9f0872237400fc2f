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
	"strings"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
)

// Defaults of a Meeting, the values of the service's documented example payloads.
const (
	DefaultRoomID      = "b307d837-c0ce-4619-8c5c-70e418ef9693"
	DefaultSessionID   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODQwODY4NH41cXIzMDdSa1BZa05BUDFpYnhxcTV4MCt-fg"
	DefaultRecordingID = "17461b93-f793-48a0-9392-7d82de40432f"
	DefaultFileSize    = 1 << 20 // bytes of generated content
)

// DefaultStartedAt is when a Meeting's session starts unless told otherwise.
var DefaultStartedAt = time.Date(2021, 11, 2, 15, 53, 28, 753e6, time.UTC)

// Meeting is what PlayMeeting plays; zero fields take defaults.
type Meeting struct {
	RoomID   string // default DefaultRoomID; a room made with POST /rooms gives its type and callback URLs
	RoomType string // default "instant"
	// SessionID and RecordingID default to DefaultSessionID and DefaultRecordingID.
	SessionID, RecordingID string
	Participants           []Participant // join after the session starts, leave after the recording; default a host and a guest
	StartedAt              time.Time     // the session's start, default DefaultStartedAt; the recording starts 2 minutes later
	RecordingDuration      time.Duration // default 38 s
	File                   []byte        // the recording's file; if nil, FileSize bytes of generated content
	FileSize               int64         // default DefaultFileSize
}

// Participant is someone who joins and leaves a played meeting.
type Participant struct {
	ID, Name string
	Type     string // such as "Guest"
	IsHost   bool
}

// Callback is one callback PlayMeeting sent.
type Callback struct {
	Event, URL string
	Body       []byte
	StatusCode int // the receiver's answer; 0 if the request failed
}

// Played is what PlayMeeting did: the meeting with its defaults, the url of
// recording:uploaded, and the callbacks sent, a failed one included.
type Played struct {
	Meeting     Meeting
	DownloadURL string
	Callbacks   []Callback
}

// CallbackError is PlayMeeting's error for a callback answered with a status
// other than 2xx.
type CallbackError struct {
	Event      string
	StatusCode int
}

// Error reads "meetingstest: receiver answered 500 Internal Server Error to recording:uploaded".
func (e *CallbackError) Error() string {
	return fmt.Sprintf("meetingstest: receiver answered %d %s to %s", e.StatusCode, http.StatusText(e.StatusCode), e.Event)
}

// callbackClient gives a receiver 15 s, as the service does.
var callbackClient = &http.Client{Timeout: 15 * time.Second}

// PlayMeeting plays a meeting's life as the service does, a JSON POST per
// event: session:started, session:participant:joined for each participant,
// recording:started, recording:ended, session:participant:left for each,
// recording:uploaded (its url on the storage host), session:ended and
// room:expired. They go to receiverURL or, for a room made with POST /rooms,
// to its rooms_callback_url (room:*), sessions_callback_url (session:*) and
// recordings_callback_url (recording:*) where it has them.
//
// The state changes before each event: the recording is "started" from
// recording:started, "stopped" from recording:ended and "uploaded" with its
// file from recording:uploaded; a room in the state is unavailable from
// room:expired. PlayMeeting stops at the first callback that fails or is not
// answered 2xx (then with a *CallbackError).
func (s *Server) PlayMeeting(ctx context.Context, receiverURL string, m Meeting) (*Played, error) {
	m.RoomID, m.RoomType = or(m.RoomID, DefaultRoomID), or(m.RoomType, "instant")
	m.SessionID, m.RecordingID = or(m.SessionID, DefaultSessionID), or(m.RecordingID, DefaultRecordingID)
	if m.Participants == nil {
		m.Participants = []Participant{{"b424e1c4-e988-4ce2-8ab9-e3efea7de542", "Host", "Guest", true}, {"5e2c0f8a-3c43-4b9e-9d1e-8c7a41f0b6d2", "New Joiner", "Guest", false}}
	}
	if m.StartedAt.IsZero() {
		m.StartedAt = DefaultStartedAt
	}
	if m.RecordingDuration <= 0 {
		m.RecordingDuration = 38 * time.Second
	}
	if m.File != nil {
		m.FileSize = int64(len(m.File))
	} else if m.FileSize <= 0 {
		m.FileSize = DefaultFileSize
	}
	recStart := m.StartedAt.Add(2*time.Minute + 6247*time.Millisecond) // 15:55:35.000 for the default start
	recEnd := recStart.Add(m.RecordingDuration)
	sessEnd := recEnd.Add(30 * time.Second)
	created, expires := formatTime(m.StartedAt.Add(-time.Minute)), formatTime(sessEnd.Add(10*time.Minute))
	dest := map[string]string{"room": receiverURL, "session": receiverURL, "recording": receiverURL}
	s.mu.Lock()
	if rm := s.room(m.RoomID); rm != nil {
		m.RoomType, created, expires = str(rm, "type"), str(rm, "created_at"), str(rm, "expires_at")
		for k := range dest {
			dest[k] = or(str(rm, "callback_urls", k+"s_callback_url"), receiverURL)
		}
	}
	s.mu.Unlock()

	type event = map[string]any
	rec := event{"recording_id": m.RecordingID, "session_id": m.SessionID}
	ended := event{"started_at": formatTime(recStart), "ended_at": formatTime(recEnd), "duration": m.RecordingDuration.Seconds()}
	events := []event{{"event": "session:started", "session_id": m.SessionID, "room_id": m.RoomID, "started_at": formatTime(m.StartedAt)}}
	people := func(ev string) {
		for _, pt := range m.Participants {
			events = append(events, event{"event": ev, "participant_id": pt.ID, "session_id": m.SessionID, "room_id": m.RoomID, "name": pt.Name, "type": pt.Type, "is_host": pt.IsHost})
		}
	}
	people("session:participant:joined")
	events = append(events, merged(event{"event": "recording:started"}, rec), merged(event{"event": "recording:ended"}, rec, ended))
	people("session:participant:left")
	events = append(events, merged(event{"event": "recording:uploaded", "room_id": m.RoomID}, rec, ended),
		event{"event": "session:ended", "session_id": m.SessionID, "room_id": m.RoomID, "started_at": formatTime(m.StartedAt), "ended_at": formatTime(sessEnd)},
		event{"event": "room:expired", "room_id": m.RoomID, "room_type": m.RoomType, "expires_at": expires, "created_at": created})

	p := &Played{Meeting: m}
	r := Recording{ID: m.RecordingID, SessionID: m.SessionID, StartedAt: recStart}
	for _, ev := range events {
		name := ev["event"].(string)
		switch name { // the state changes first
		case "session:started":
			s.mu.Lock()
			if _, ok := s.sessions[m.SessionID]; !ok {
				s.sessions[m.SessionID] = []string{} // listed, even with no recording
			}
			s.mu.Unlock()
		case "recording:started":
			r.Status = StatusStarted
			_ = s.AddRecording(r)
		case "recording:ended":
			r.Status, r.EndedAt = StatusStopped, recEnd
			_ = s.AddRecording(r)
		case "recording:uploaded":
			if r.Status = StatusUploaded; m.File != nil {
				_ = s.SetFile(r.ID, m.File)
			} else {
				_ = s.SetGeneratedFile(r.ID, m.FileSize)
			}
			_ = s.AddRecording(r)
			p.DownloadURL, _ = s.DownloadURL(r.ID)
			ev["url"] = p.DownloadURL
		case "room:expired":
			s.mu.Lock()
			if rm := s.room(m.RoomID); rm != nil {
				rm["is_available"] = false
			}
			s.mu.Unlock()
		}
		prefix, _, _ := strings.Cut(name, ":")
		cb := Callback{Event: name, URL: dest[prefix]}
		cb.Body, _ = json.Marshal(ev)
		var err error
		cb.StatusCode, err = s.send(ctx, cb.URL, cb.Body)
		p.Callbacks = append(p.Callbacks, cb)
		switch {
		case err != nil:
			return p, fmt.Errorf("meetingstest: PlayMeeting: send %s: %w", name, err)
		case cb.StatusCode < 200 || cb.StatusCode > 299:
			return p, &CallbackError{Event: name, StatusCode: cb.StatusCode}
		}
	}
	return p, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func merged(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// send POSTs one callback and returns the receiver's status. Its errors do
// not quote target, whose userinfo or query may hold a credential.
func (s *Server) send(ctx context.Context, target string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err == nil && s.cbSecret != nil {
		var auth string
		auth, err = callbacks.Sign(body, []byte(s.cbSecret()))
		req.Header.Set("Authorization", auth)
	}
	var resp *http.Response
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "meetingstest")
		resp, err = callbackClient.Do(req)
	}
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err
	}
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
