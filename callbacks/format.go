package callbacks

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vonage-meetings/go-sdk/internal/safeurl"
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

// String describes the event with its exported fields, for logs. The URL is
// a signed download link, a credential until it expires: String shows only
// its scheme, host and path, with "?…" (or "#…") where a query (or fragment)
// was cut, and never its userinfo. The URL field itself is unchanged.
func (e RecordingUploaded) String() string {
	e.URL = safeurl.RedactString(e.URL)
	return describe(EventRecordingUploaded, e)
}

// GoString is what %#v prints: the same fields as String, under the Go type
// name, with the URL redacted the same way.
func (e RecordingUploaded) GoString() string {
	e.URL = safeurl.RedactString(e.URL)
	return describe("callbacks.RecordingUploaded", e)
}

// String describes the event with its exported fields, for logs.
func (e ParticipantJoined) String() string { return describe(EventParticipantJoined, e) }

// String describes the event with its exported fields, for logs.
func (e ParticipantLeft) String() string { return describe(EventParticipantLeft, e) }

// GoString is what %#v prints: the same as String, under the Go type name.
func (u Unknown) GoString() string { return "callbacks." + u.String() }

// String describes the unknown event for logs: its type, the length of its
// raw body and, for an object, its top-level keys (sorted, at most 32). It
// never prints the body's values, which may hold signed URLs or other
// credentials: Raw has them.
func (u Unknown) String() string {
	var b strings.Builder
	b.WriteString("Unknown{Type:")
	b.WriteString(strconv.Quote(string(u.Type)))
	fmt.Fprintf(&b, ", Raw:(%d bytes)", len(u.Raw))
	var members map[string]json.RawMessage
	if json.Unmarshal(u.Raw, &members) == nil && len(members) > 0 {
		keys := slices.Sorted(maps.Keys(members))
		b.WriteString(", Keys:[")
		for i, k := range keys {
			if i == maxLoggedKeys {
				fmt.Fprintf(&b, " …%d more", len(keys)-i)
				break
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Quote(k))
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return b.String()
}

// maxLoggedKeys bounds the keys Unknown.String lists.
const maxLoggedKeys = 32
