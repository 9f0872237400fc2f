package callbacks

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unsafe"
)

// EventType is the value of a callback's "event" field, such as
// "session:started".
type EventType string

// The event types the Meetings API sends. Parse maps the aliases
// "participant:joined", "participant:left" and "recording:ready" to these.
const (
	EventRoomExpired       EventType = "room:expired"
	EventSessionStarted    EventType = "session:started"
	EventSessionEnded      EventType = "session:ended"
	EventRecordingStarted  EventType = "recording:started"
	EventRecordingEnded    EventType = "recording:ended"
	EventRecordingUploaded EventType = "recording:uploaded"
	EventParticipantJoined EventType = "session:participant:joined"
	EventParticipantLeft   EventType = "session:participant:left"
)

// Event is one decoded callback: one of this package's pointer types, such
// as *SessionStarted, or *Unknown for an event this version does not know.
type Event interface{ EventType() EventType }

// events is the one table of the event values Parse knows, aliases
// included: each makes an empty event of its type.
var events = map[string]func() event{
	string(EventRoomExpired):       func() event { return new(RoomExpired) },
	string(EventSessionStarted):    func() event { return new(SessionStarted) },
	string(EventSessionEnded):      func() event { return new(SessionEnded) },
	string(EventRecordingStarted):  func() event { return new(RecordingStarted) },
	string(EventRecordingEnded):    func() event { return new(RecordingEnded) },
	string(EventRecordingUploaded): func() event { return new(RecordingUploaded) },
	"recording:ready":              func() event { return new(RecordingUploaded) },
	string(EventParticipantJoined): func() event { return new(ParticipantJoined) },
	"participant:joined":           func() event { return new(ParticipantJoined) },
	string(EventParticipantLeft):   func() event { return new(ParticipantLeft) },
	"participant:left":             func() event { return new(ParticipantLeft) },
}

// event is what every known event type is: an Event with a wire form, a
// struct of pointers into the event tagged for encoding/json, which Parse
// decodes into and MarshalJSON encodes, and with the body it came from.
type event interface {
	Event
	wire() any
	parsed() *received
}

// received is embedded in every known event type: the body Parse decoded
// it from.
// A pointer and a length, so that %v shows no body: it may hold fields this
// version does not know.
type received struct {
	p *byte
	n int
}

// body returns the bytes Parse kept, or nil for an event built in code.
func (r *received) body() []byte { return unsafe.Slice(r.p, r.n) }

func (r *received) parsed() *received { return r }

// canonical is the "event" member of a wire form: it encodes as the
// canonical type and is not decoded (Parse has read it already).
type canonical EventType

func (*canonical) UnmarshalJSON([]byte) error { return nil }

// RoomExpired reports that a room can no longer start sessions
// ("room:expired").
type RoomExpired struct {
	RoomID, RoomType     string // RoomType is "instant" or "long_term"
	ExpiresAt, CreatedAt time.Time
	received
}

// EventType returns EventRoomExpired.
func (*RoomExpired) EventType() EventType { return EventRoomExpired }

// MarshalJSON encodes the event as the API sends it.
func (e RoomExpired) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *RoomExpired) wire() any {
	return &struct {
		Event     canonical `json:"event"`
		RoomID    *string   `json:"room_id"`
		RoomType  *string   `json:"room_type"`
		ExpiresAt *stamp    `json:"expires_at,omitzero"`
		CreatedAt *stamp    `json:"created_at,omitzero"`
	}{canonical(EventRoomExpired), &e.RoomID, &e.RoomType, (*stamp)(&e.ExpiresAt), (*stamp)(&e.CreatedAt)}
}

// SessionStarted reports that a session started ("session:started").
type SessionStarted struct {
	SessionID, RoomID string
	StartedAt         time.Time
	received
}

// EventType returns EventSessionStarted.
func (*SessionStarted) EventType() EventType { return EventSessionStarted }

// MarshalJSON encodes the event as the API sends it.
func (e SessionStarted) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *SessionStarted) wire() any {
	return &struct {
		Event     canonical `json:"event"`
		SessionID *string   `json:"session_id"`
		RoomID    *string   `json:"room_id"`
		StartedAt *stamp    `json:"started_at,omitzero"`
	}{canonical(EventSessionStarted), &e.SessionID, &e.RoomID, (*stamp)(&e.StartedAt)}
}

// SessionEnded reports that a session finished ("session:ended").
type SessionEnded struct {
	SessionID, RoomID  string
	StartedAt, EndedAt time.Time
	received
}

// EventType returns EventSessionEnded.
func (*SessionEnded) EventType() EventType { return EventSessionEnded }

// MarshalJSON encodes the event as the API sends it.
func (e SessionEnded) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *SessionEnded) wire() any {
	return &struct {
		Event     canonical `json:"event"`
		SessionID *string   `json:"session_id"`
		RoomID    *string   `json:"room_id"`
		StartedAt *stamp    `json:"started_at,omitzero"`
		EndedAt   *stamp    `json:"ended_at,omitzero"`
	}{canonical(EventSessionEnded), &e.SessionID, &e.RoomID, (*stamp)(&e.StartedAt), (*stamp)(&e.EndedAt)}
}

// RecordingStarted reports that a recording began ("recording:started").
type RecordingStarted struct {
	RecordingID, SessionID string
	received
}

// EventType returns EventRecordingStarted.
func (*RecordingStarted) EventType() EventType { return EventRecordingStarted }

// MarshalJSON encodes the event as the API sends it.
func (e RecordingStarted) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *RecordingStarted) wire() any {
	return &struct {
		Event       canonical `json:"event"`
		RecordingID *string   `json:"recording_id"`
		SessionID   *string   `json:"session_id"`
	}{canonical(EventRecordingStarted), &e.RecordingID, &e.SessionID}
}

// RecordingEnded reports that a recording stopped ("recording:ended").
type RecordingEnded struct {
	RecordingID, SessionID string
	StartedAt, EndedAt     time.Time
	Duration               time.Duration // the wire's "duration", in seconds
	received
}

// EventType returns EventRecordingEnded.
func (*RecordingEnded) EventType() EventType { return EventRecordingEnded }

// MarshalJSON encodes the event as the API sends it.
func (e RecordingEnded) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *RecordingEnded) wire() any {
	return &struct {
		Event       canonical `json:"event"`
		RecordingID *string   `json:"recording_id"`
		SessionID   *string   `json:"session_id"`
		StartedAt   *stamp    `json:"started_at,omitzero"`
		EndedAt     *stamp    `json:"ended_at,omitzero"`
		Duration    *seconds  `json:"duration"`
	}{canonical(EventRecordingEnded), &e.RecordingID, &e.SessionID, (*stamp)(&e.StartedAt), (*stamp)(&e.EndedAt), (*seconds)(&e.Duration)}
}

// RecordingUploaded reports that a recording's file is ready to download
// ("recording:uploaded", also sent as "recording:ready").
type RecordingUploaded struct {
	RecordingID, SessionID string
	RoomID                 string // sometimes absent on the wire
	StartedAt, EndedAt     time.Time
	Duration               time.Duration // the wire's "duration", in seconds
	URL                    string        // signed and time-limited: a credential until it expires
	received
}

// EventType returns EventRecordingUploaded, also for "recording:ready".
func (*RecordingUploaded) EventType() EventType { return EventRecordingUploaded }

// MarshalJSON encodes the event as the API sends it, URL included: it is for
// forwarding, not for logs.
func (e RecordingUploaded) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *RecordingUploaded) wire() any {
	return &struct {
		Event       canonical `json:"event"`
		RecordingID *string   `json:"recording_id"`
		SessionID   *string   `json:"session_id"`
		RoomID      *string   `json:"room_id,omitzero"`
		StartedAt   *stamp    `json:"started_at,omitzero"`
		EndedAt     *stamp    `json:"ended_at,omitzero"`
		Duration    *seconds  `json:"duration"`
		URL         *string   `json:"url"`
	}{canonical(EventRecordingUploaded), &e.RecordingID, &e.SessionID, &e.RoomID,
		(*stamp)(&e.StartedAt), (*stamp)(&e.EndedAt), (*seconds)(&e.Duration), &e.URL}
}

// Format prints the event as fmt would under any verb, but with the URL's
// query and fragment cut: the query of a signed download URL is its
// signature.
func (e RecordingUploaded) Format(f fmt.State, verb rune) {
	if i := strings.IndexAny(e.URL, "?#"); i >= 0 {
		e.URL = e.URL[:i] + "?REDACTED"
	}
	type plain RecordingUploaded // without Format
	s := fmt.Sprintf(fmt.FormatString(f, verb), plain(e))
	_, _ = io.WriteString(f, strings.Replace(s, "callbacks.plain", "callbacks.RecordingUploaded", 1))
}

// LogValue makes log/slog print %+v, URL redacted, even with a JSON handler.
func (e RecordingUploaded) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", e)) }

// ParticipantJoined reports that someone joined a session
// ("session:participant:joined", also sent as "participant:joined").
type ParticipantJoined struct {
	ParticipantID, SessionID, RoomID, Name string
	Type                                   string // e.g. "Guest"; the API documents no closed set
	IsHost                                 bool
	received
}

// EventType returns EventParticipantJoined, also for "participant:joined".
func (*ParticipantJoined) EventType() EventType { return EventParticipantJoined }

// MarshalJSON encodes the event as the API sends it.
func (e ParticipantJoined) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *ParticipantJoined) wire() any { return participantWire(EventParticipantJoined, e) }

// ParticipantLeft reports that someone left a session
// ("session:participant:left", also sent as "participant:left").
// It has the fields of ParticipantJoined.
type ParticipantLeft ParticipantJoined

// EventType returns EventParticipantLeft, also for "participant:left".
func (*ParticipantLeft) EventType() EventType { return EventParticipantLeft }

// MarshalJSON encodes the event as the API sends it.
func (e ParticipantLeft) MarshalJSON() ([]byte, error) { return json.Marshal(e.wire()) }

func (e *ParticipantLeft) wire() any {
	return participantWire(EventParticipantLeft, (*ParticipantJoined)(e))
}

// participantWire is the wire form that joined and left share.
func participantWire(t EventType, e *ParticipantJoined) any {
	return &struct {
		Event         canonical `json:"event"`
		ParticipantID *string   `json:"participant_id"`
		SessionID     *string   `json:"session_id"`
		RoomID        *string   `json:"room_id"`
		Name          *string   `json:"name"`
		Type          *string   `json:"type"`
		IsHost        *bool     `json:"is_host"`
	}{canonical(t), &e.ParticipantID, &e.SessionID, &e.RoomID, &e.Name, &e.Type, &e.IsHost}
}

// Unknown is a callback whose event value this version does not know. Parse
// returns it without error, whatever its other fields hold, so a new event
// type never breaks a receiver.
type Unknown struct {
	Type EventType       // the event value as it arrived
	Raw  json.RawMessage // the whole body, unchanged
}

// EventType returns u.Type.
func (u *Unknown) EventType() EventType { return u.Type }

// MarshalJSON returns u.Raw, or {"event": u.Type} when Raw is empty.
func (u Unknown) MarshalJSON() ([]byte, error) {
	if len(u.Raw) > 0 {
		return u.Raw, nil
	}
	return json.Marshal(map[string]EventType{"event": u.Type})
}

// Format prints the type and size of the event under any verb, never its
// body, which may hold credentials: Raw has them.
func (u Unknown) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "callbacks.Unknown{Type:%q, Raw:(%d bytes)}", u.Type, len(u.Raw))
}

// LogValue makes log/slog print what Format does, even with a JSON handler.
func (u Unknown) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(u)) }
