package callbacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// DefaultMaxBodyBytes is the body limit of ParseRequest, and of NewHandler
// unless WithMaxBodyBytes changes it.
const DefaultMaxBodyBytes int64 = 64 << 10

// ErrInvalidPayload is wrapped by every error Parse returns: the body is not
// a callback.
var ErrInvalidPayload = errors.New("callbacks: invalid payload")

// PayloadError says why a body is not a callback. It wraps ErrInvalidPayload
// and Err.
type PayloadError struct {
	Event EventType // the event value as it arrived; "" when the fault is not in an event's field
	Field string    // the wire field at fault, such as "started_at"; "" for the body as a whole
	Err   error     // the cause, such as a *json.SyntaxError or *json.UnmarshalTypeError
}

// Error reads like
// `callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time`.
func (e *PayloadError) Error() string {
	msg := "callbacks: "
	if e.Event != "" {
		msg += string(e.Event) + ": "
	}
	if e.Field != "" {
		msg += fmt.Sprintf("field %q: ", e.Field)
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(e.Err, &se):
		return msg + fmt.Sprintf("body is not valid JSON: %v (byte %d)", se, se.Offset)
	case errors.As(e.Err, &te) && te.Type == reflect.TypeFor[time.Time]():
		return msg + te.Value + " is not an RFC 3339 time"
	case errors.As(e.Err, &te) && te.Type == reflect.TypeFor[time.Duration]():
		return msg + te.Value + " is not a number of seconds"
	case errors.As(e.Err, &te):
		return msg + "JSON " + te.Value + " is not a " + te.Type.String()
	}
	return msg + e.Err.Error()
}

// Unwrap returns ErrInvalidPayload and Err.
func (e *PayloadError) Unwrap() []error { return []error{ErrInvalidPayload, e.Err} }

// Parse decodes one callback body into its event: one of the pointer types
// of this package, or *Unknown (and no error) for an event value this
// version does not know. It copies body, so the caller may reuse it.
//
// Every error is a *PayloadError, for a body that is not one JSON object; a
// missing, non-string or empty "event"; a field of the event of the wrong
// JSON type; a time that is not RFC 3339; a "duration" that is not a number
// or a quoted number. Null or absent fields are zero; others are ignored.
// Keys match as in encoding/json, case-insensitively. A body that repeats a
// key (the API sends none) decodes, but which of its values wins is not
// specified.
func Parse(body []byte) (Event, error) { return parse(bytes.Clone(body)) }

// ParseRequest reads r's body, at most DefaultMaxBodyBytes of it, and
// decodes it with Parse. It does not check the method or the content type;
// NewHandler does. A body over the limit (or a Content-Length over it, then
// refused before reading) gives an error wrapping an *http.MaxBytesError.
func ParseRequest(r *http.Request) (Event, error) {
	body, err := readBody(r, DefaultMaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return parse(body)
}

// readBody reads r's body, never more than limit+1 bytes of it, into a
// buffer that grows with what arrives, whatever Content-Length claims.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	var err error = &http.MaxBytesError{Limit: limit}
	var body []byte
	if r.ContentLength <= limit {
		body, err = io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, fmt.Errorf("callbacks: body is over the limit of %d bytes: %w", limit, err)
	case err != nil:
		return nil, fmt.Errorf("callbacks: reading body: %w", err)
	}
	return body, nil
}

// parse reads the "event" value, looks it up in the events table, and
// decodes body once into that event's wire form; encoding/json checks the
// JSON and names a field at fault. The event keeps body.
func parse(body []byte) (Event, error) {
	name, nameErr := eventName(body)
	var ev event
	var dst any = &struct{}{} // an unknown event is only checked to be JSON
	if newEvent := events[string(name)]; nameErr == nil && newEvent != nil {
		ev = newEvent()
		dst = ev.wire()
	}
	if err := json.Unmarshal(body, dst); err != nil || nameErr != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, &PayloadError{Err: err}
		case nameErr != nil:
			return nil, nameErr
		case errors.As(err, &te):
			return nil, &PayloadError{Event: EventType(name), Field: te.Field, Err: err}
		}
		return nil, &PayloadError{Event: EventType(name), Err: err}
	}
	if ev == nil {
		return &Unknown{Type: EventType(name), Raw: body}, nil
	}
	// body is this package's own and never written again: share its bytes.
	*ev.parsed() = received{unsafe.SliceData(body), len(body)}
	return ev, nil
}

// eventName returns the text of the object's last top-level "event" member
// that is not null, as encoding/json decodes one into a string field. It
// only finds the member; json.Unmarshal checks the body.
func eventName(b []byte) ([]byte, error) {
	i := skipSpace(b, 0)
	if i == len(b) || b[i] != '{' {
		return nil, &PayloadError{Err: errors.New("body is not a JSON object")}
	}
	var value []byte
	for i = skipSpace(b, i+1); i < len(b) && b[i] == '"'; { // at a key
		end := stringEnd(b, i)
		key := b[i:end]
		if i = skipSpace(b, end); i < len(b) && b[i] == ':' {
			i = skipSpace(b, i+1)
		}
		v := i
		i = valueEnd(b, i)
		if isEvent(key) && string(b[v:i]) != "null" {
			value = b[v:i]
		}
		if i = skipSpace(b, i); i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	name, ok := unquote(value)
	switch {
	case value == nil:
		return nil, &PayloadError{Field: "event", Err: errors.New("missing")}
	case !ok:
		return nil, &PayloadError{Field: "event", Err: fmt.Errorf("%s is not a string", show(value))}
	case len(name) == 0:
		return nil, &PayloadError{Field: "event", Err: errors.New("empty")}
	}
	return name, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string that starts at b[i].
func stringEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			return len(b)
		}
		i += 1 + j
		escaped := false // by an odd number of backslashes
		for k := i - 1; b[k] == '\\'; k-- {
			escaped = !escaped
		}
		if !escaped {
			return i + 1
		}
	}
}

// valueEnd returns the index just past the JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	for depth := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = stringEnd(b, i) - 1
		case '{', '[':
			depth++
			continue
		case '}', ']':
			if depth == 0 {
				return i // the end of the enclosing object ends a literal
			}
			depth--
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
			continue
		default:
			continue
		}
		if depth == 0 {
			return i + 1 // a string or a closing bracket ended the value
		}
	}
	return len(b)
}

// isEvent reports whether the JSON string key is "event" as encoding/json
// matches keys: without regard to case, escapes decoded.
func isEvent(key []byte) bool {
	if len(key) != len(`"event"`) && bytes.IndexByte(key, '\\') < 0 {
		return false
	}
	key, ok := unquote(key)
	return ok && strings.EqualFold(string(key), "event")
}

// unquote returns the text of the JSON string b as encoding/json decodes it
// (invalid UTF-8 becomes U+FFFD), and whether b is a JSON string.
func unquote(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != '"' {
		return nil, false
	}
	if b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		return b[1 : len(b)-1], true
	}
	var s string
	err := json.Unmarshal(b, &s)
	return []byte(s), err == nil
}

// show returns a JSON value for an error message, cut short.
func show(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}

// Raw returns a copy of the bytes ev was parsed from, to forward them
// unchanged. For an event built in code it returns the event's JSON
// encoding, or nil if that fails.
func Raw(ev Event) json.RawMessage {
	switch e := ev.(type) {
	case *Unknown:
		if e.Raw != nil {
			return bytes.Clone(e.Raw)
		}
	case event:
		if b := e.parsed().body(); b != nil {
			return bytes.Clone(b)
		}
	}
	raw, _ := json.Marshal(ev)
	return raw
}

// WireEventType returns the event value as it arrived, which differs from
// ev.EventType() for an alias: "recording:ready" for a *RecordingUploaded
// sent so. For an event built in code it returns ev.EventType().
func WireEventType(ev Event) EventType {
	if e, ok := ev.(event); ok && e.parsed().body() != nil {
		name, _ := eventName(e.parsed().body())
		return EventType(name)
	}
	return ev.EventType()
}

// KnownEventTypes returns the canonical event types this version decodes,
// sorted, in a new slice. Aliases are not listed.
func KnownEventTypes() []EventType {
	var known []EventType
	for name, newEvent := range events {
		if t := newEvent().EventType(); string(t) == name {
			known = append(known, t)
		}
	}
	slices.Sort(known)
	return known
}
