package callbacks

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// EventType is the value of a callback's "event" field, such as
// "session:started". Parse maps aliases to the canonical constants below.
type EventType string

// The event types the Meetings API sends. Aliases seen on the wire
// ("participant:joined", "participant:left", "recording:ready") decode to the
// canonical type and report the canonical constant.
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

// Event is one decoded callback. Parse returns one of the pointer types of
// this package: *RoomExpired, *SessionStarted, *SessionEnded,
// *RecordingStarted, *RecordingEnded, *RecordingUploaded, *ParticipantJoined,
// *ParticipantLeft, or *Unknown for an event value this version does not know.
//
// Only those pointer types come out of Parse; a type switch over them is
// complete. (The interface is not sealed, so other types can satisfy it; Mux
// hands such values to its fallback.)
type Event interface{ EventType() EventType }

// received is embedded in every known event type: it keeps what Parse saw, so
// Raw and WireEventType can return it. It is invisible to JSON and to users.
type received struct {
	raw  json.RawMessage // the body Parse decoded; nil for events built in code
	wire EventType       // the event value as it arrived, alias included
}

func (r *received) receive(raw []byte, wire EventType) { r.raw, r.wire = raw, wire }
func (r *received) receivedRaw() json.RawMessage       { return r.raw }
func (r *received) receivedType() EventType            { return r.wire }

// RoomExpired reports that a room can no longer start sessions
// ("room:expired").
type RoomExpired struct {
	RoomID    string
	RoomType  string // "instant" or "long_term"
	ExpiresAt time.Time
	CreatedAt time.Time
	received
}

// SessionStarted reports that a session started ("session:started").
type SessionStarted struct {
	SessionID string
	RoomID    string
	StartedAt time.Time
	received
}

// SessionEnded reports that a session finished ("session:ended").
type SessionEnded struct {
	SessionID string
	RoomID    string
	StartedAt time.Time
	EndedAt   time.Time
	received
}

// RecordingStarted reports that a recording began ("recording:started").
type RecordingStarted struct {
	RecordingID string
	SessionID   string
	received
}

// RecordingEnded reports that a recording stopped ("recording:ended").
type RecordingEnded struct {
	RecordingID string
	SessionID   string
	StartedAt   time.Time
	EndedAt     time.Time
	Duration    time.Duration // the wire's "duration", in seconds
	received
}

// RecordingUploaded reports that a recording's file is ready to download
// ("recording:uploaded", also sent as "recording:ready").
type RecordingUploaded struct {
	RecordingID string
	SessionID   string
	RoomID      string // sometimes absent on the wire
	StartedAt   time.Time
	EndedAt     time.Time
	Duration    time.Duration // the wire's "duration", in seconds
	URL         string        // a time-limited download URL on the storage host
	received
}

// ParticipantJoined reports that someone joined a session
// ("session:participant:joined", also sent as "participant:joined").
type ParticipantJoined struct {
	ParticipantID string
	SessionID     string
	RoomID        string
	Name          string
	Type          string // e.g. "Guest"; the API documents no closed set
	IsHost        bool
	received
}

// ParticipantLeft reports that someone left a session
// ("session:participant:left", also sent as "participant:left").
type ParticipantLeft struct {
	ParticipantID string
	SessionID     string
	RoomID        string
	Name          string
	Type          string // e.g. "Guest"; the API documents no closed set
	IsHost        bool
	received
}

// Unknown is a callback whose event value this version does not know. Parse
// returns it without error, whatever its other fields hold, so a new event
// type never breaks a receiver.
type Unknown struct {
	Type EventType       // the event value as it arrived
	Raw  json.RawMessage // the whole body, unchanged
}

// EventType returns EventRoomExpired.
func (*RoomExpired) EventType() EventType { return EventRoomExpired }

// EventType returns EventSessionStarted.
func (*SessionStarted) EventType() EventType { return EventSessionStarted }

// EventType returns EventSessionEnded.
func (*SessionEnded) EventType() EventType { return EventSessionEnded }

// EventType returns EventRecordingStarted.
func (*RecordingStarted) EventType() EventType { return EventRecordingStarted }

// EventType returns EventRecordingEnded.
func (*RecordingEnded) EventType() EventType { return EventRecordingEnded }

// EventType returns EventRecordingUploaded, also for "recording:ready".
func (*RecordingUploaded) EventType() EventType { return EventRecordingUploaded }

// EventType returns EventParticipantJoined, also for "participant:joined".
func (*ParticipantJoined) EventType() EventType { return EventParticipantJoined }

// EventType returns EventParticipantLeft, also for "participant:left".
func (*ParticipantLeft) EventType() EventType { return EventParticipantLeft }

// EventType returns the event value as it arrived (u.Type). It is safe to
// call on a nil *Unknown, which reports "".
func (u *Unknown) EventType() EventType {
	if u == nil {
		return ""
	}
	return u.Type
}

// MarshalJSON encodes the event as the API sends it, "event" included.
func (e RoomExpired) MarshalJSON() ([]byte, error) {
	if err := checkTimes(EventRoomExpired, namedTime{"expires_at", e.ExpiresAt}, namedTime{"created_at", e.CreatedAt}); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Event     EventType `json:"event"`
		RoomID    string    `json:"room_id"`
		RoomType  string    `json:"room_type"`
		ExpiresAt stamp     `json:"expires_at,omitzero"`
		CreatedAt stamp     `json:"created_at,omitzero"`
	}{EventRoomExpired, e.RoomID, e.RoomType, stamp{e.ExpiresAt}, stamp{e.CreatedAt}})
}

// MarshalJSON encodes the event as the API sends it, "event" included.
func (e SessionStarted) MarshalJSON() ([]byte, error) {
	if err := checkTimes(EventSessionStarted, namedTime{"started_at", e.StartedAt}); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Event     EventType `json:"event"`
		SessionID string    `json:"session_id"`
		RoomID    string    `json:"room_id"`
		StartedAt stamp     `json:"started_at,omitzero"`
	}{EventSessionStarted, e.SessionID, e.RoomID, stamp{e.StartedAt}})
}

// MarshalJSON encodes the event as the API sends it, "event" included.
func (e SessionEnded) MarshalJSON() ([]byte, error) {
	if err := checkTimes(EventSessionEnded, namedTime{"started_at", e.StartedAt}, namedTime{"ended_at", e.EndedAt}); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Event     EventType `json:"event"`
		SessionID string    `json:"session_id"`
		RoomID    string    `json:"room_id"`
		StartedAt stamp     `json:"started_at,omitzero"`
		EndedAt   stamp     `json:"ended_at,omitzero"`
	}{EventSessionEnded, e.SessionID, e.RoomID, stamp{e.StartedAt}, stamp{e.EndedAt}})
}

// MarshalJSON encodes the event as the API sends it, "event" included.
func (e RecordingStarted) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Event       EventType `json:"event"`
		RecordingID string    `json:"recording_id"`
		SessionID   string    `json:"session_id"`
	}{EventRecordingStarted, e.RecordingID, e.SessionID})
}

// MarshalJSON encodes the event as the API sends it, "event" included, with
// Duration in seconds.
func (e RecordingEnded) MarshalJSON() ([]byte, error) {
	if err := checkTimes(EventRecordingEnded, namedTime{"started_at", e.StartedAt}, namedTime{"ended_at", e.EndedAt}); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Event       EventType `json:"event"`
		RecordingID string    `json:"recording_id"`
		SessionID   string    `json:"session_id"`
		StartedAt   stamp     `json:"started_at,omitzero"`
		EndedAt     stamp     `json:"ended_at,omitzero"`
		Duration    seconds   `json:"duration"`
	}{EventRecordingEnded, e.RecordingID, e.SessionID, stamp{e.StartedAt}, stamp{e.EndedAt}, seconds(e.Duration)})
}

// MarshalJSON encodes the event as the API sends it, "event" included, with
// Duration in seconds. The canonical "recording:uploaded" is written even for
// an event that arrived as "recording:ready".
func (e RecordingUploaded) MarshalJSON() ([]byte, error) {
	if err := checkTimes(EventRecordingUploaded, namedTime{"started_at", e.StartedAt}, namedTime{"ended_at", e.EndedAt}); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Event       EventType `json:"event"`
		RecordingID string    `json:"recording_id"`
		SessionID   string    `json:"session_id"`
		RoomID      string    `json:"room_id,omitempty"`
		StartedAt   stamp     `json:"started_at,omitzero"`
		EndedAt     stamp     `json:"ended_at,omitzero"`
		Duration    seconds   `json:"duration"`
		URL         string    `json:"url"`
	}{EventRecordingUploaded, e.RecordingID, e.SessionID, e.RoomID, stamp{e.StartedAt}, stamp{e.EndedAt}, seconds(e.Duration), e.URL})
}

// participantWire is the wire shape shared by joined and left.
type participantWire struct {
	Event         EventType `json:"event"`
	ParticipantID string    `json:"participant_id"`
	SessionID     string    `json:"session_id"`
	RoomID        string    `json:"room_id"`
	Name          string    `json:"name"`
	Type          string    `json:"type"`
	IsHost        bool      `json:"is_host"`
}

// MarshalJSON encodes the event as the API sends it, with the canonical
// "session:participant:joined" even for one that arrived as
// "participant:joined".
func (e ParticipantJoined) MarshalJSON() ([]byte, error) {
	return json.Marshal(participantWire{EventParticipantJoined, e.ParticipantID, e.SessionID, e.RoomID, e.Name, e.Type, e.IsHost})
}

// MarshalJSON encodes the event as the API sends it, with the canonical
// "session:participant:left" even for one that arrived as "participant:left".
func (e ParticipantLeft) MarshalJSON() ([]byte, error) {
	return json.Marshal(participantWire{EventParticipantLeft, e.ParticipantID, e.SessionID, e.RoomID, e.Name, e.Type, e.IsHost})
}

// MarshalJSON encodes the event as the wire JSON Parse reads back as the
// same Unknown. Without Raw (an Unknown built in code) that is
// {"event": u.Type}. With Raw it is Raw, byte for byte, so a parsed Unknown
// round-trips unchanged; Raw must then be a JSON object whose "event" (keys
// matched as Parse matches them) equals Type, and changing one without the
// other is an error naming both. An empty Type, or one that is not valid
// UTF-8 (encoding/json would silently change it), is an error too.
func (u Unknown) MarshalJSON() ([]byte, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("callbacks: marshalling Unknown event %q: "+format, append([]any{string(u.Type)}, args...)...)
	}
	switch {
	case u.Type == "":
		return nil, fail("Type is empty; Parse refuses an empty event")
	case !utf8.ValidString(string(u.Type)):
		return nil, fail("Type is not valid UTF-8")
	case len(u.Raw) == 0:
		return json.Marshal(struct {
			Event EventType `json:"event"`
		}{u.Type})
	}
	if i := skipSpace(u.Raw, 0); i == len(u.Raw) || u.Raw[i] != '{' || !json.Valid(u.Raw) {
		return nil, fail("Raw is not a JSON object")
	}
	var head struct {
		Event eventName `json:"event"` // decoded as Parse decodes it: a null is skipped
	}
	if err := json.Unmarshal(u.Raw, &head); err != nil {
		return nil, fail(`Raw's "event" is not a string`)
	}
	switch {
	case !head.Event.seen:
		return nil, fail(`Raw has no "event"; it must be Type`)
	case head.Event.name != u.Type:
		return nil, fail(`Raw's "event" is %q, not Type %q: set both or clear Raw`, string(head.Event.name), string(u.Type))
	}
	return u.Raw, nil
}
