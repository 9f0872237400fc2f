package callbacks

import (
	"reflect"
	"strconv"
	"strings"
	"time"
)

// describe writes an event for humans and logs: its canonical type and its
// exported fields, e.g. session:started{SessionID:"s1", RoomID:"r1",
// StartedAt:2021-11-02T15:53:28.753Z}. The raw bytes Parse keeps are left
// out (Raw returns them).
func describe(t EventType, v any) string {
	rv := reflect.ValueOf(v)
	var b strings.Builder
	b.WriteString(string(t))
	b.WriteByte('{')
	first := true
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		b.WriteString(f.Name)
		b.WriteByte(':')
		switch x := rv.Field(i).Interface().(type) {
		case string:
			b.WriteString(strconv.Quote(x))
		case bool:
			b.WriteString(strconv.FormatBool(x))
		case time.Time:
			b.WriteString(x.Format(time.RFC3339Nano))
		case time.Duration:
			b.WriteString(x.String())
		}
	}
	b.WriteByte('}')
	return b.String()
}

// String describes the event with its exported fields, for logs.
func (e RoomExpired) String() string { return describe(EventRoomExpired, e) }

// String describes the event with its exported fields, for logs.
func (e SessionStarted) String() string { return describe(EventSessionStarted, e) }

// String describes the event with its exported fields, for logs.
func (e SessionEnded) String() string { return describe(EventSessionEnded, e) }

// String describes the event with its exported fields, for logs.
func (e RecordingStarted) String() string { return describe(EventRecordingStarted, e) }

// String describes the event with its exported fields, for logs.
func (e RecordingEnded) String() string { return describe(EventRecordingEnded, e) }

// String describes the event with its exported fields, for logs.
func (e RecordingUploaded) String() string { return describe(EventRecordingUploaded, e) }

// String describes the event with its exported fields, for logs.
func (e ParticipantJoined) String() string { return describe(EventParticipantJoined, e) }

// String describes the event with its exported fields, for logs.
func (e ParticipantLeft) String() string { return describe(EventParticipantLeft, e) }

// String describes the unknown event: its type and its raw body as text.
func (u Unknown) String() string {
	return "Unknown{Type:" + strconv.Quote(string(u.Type)) + ", Raw:" + string(u.Raw) + "}"
}
