package callbacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// eventSpec is one row of the event table: the canonical wire name, the other
// spellings the sender uses, the wire fields the event owns (besides
// "event"), and how to build the event from the decoded wire union.
type eventSpec struct {
	typ     EventType
	aliases []EventType
	fields  []string
	build   func(w *wire) parsedEvent
}

// parsedEvent is what every known event type is: an Event that remembers what
// Parse received (through the embedded received struct).
type parsedEvent interface {
	Event
	receive(raw []byte, wire EventType)
}

// events is THE table of known events. Adding an event is one row here, its
// struct (with EventType and MarshalJSON) in events.go, and for a wire field
// no event had before, a field in the wire union below and a case in
// wire.field (a test fails if one is missing).
var events = []eventSpec{
	{EventRoomExpired, nil, []string{"room_id", "room_type", "expires_at", "created_at"}, func(w *wire) parsedEvent {
		return &RoomExpired{RoomID: w.RoomID, RoomType: w.RoomType, ExpiresAt: w.ExpiresAt.Time, CreatedAt: w.CreatedAt.Time}
	}},
	{EventSessionStarted, nil, []string{"session_id", "room_id", "started_at"}, func(w *wire) parsedEvent {
		return &SessionStarted{SessionID: w.SessionID, RoomID: w.RoomID, StartedAt: w.StartedAt.Time}
	}},
	{EventSessionEnded, nil, []string{"session_id", "room_id", "started_at", "ended_at"}, func(w *wire) parsedEvent {
		return &SessionEnded{SessionID: w.SessionID, RoomID: w.RoomID, StartedAt: w.StartedAt.Time, EndedAt: w.EndedAt.Time}
	}},
	{EventRecordingStarted, nil, []string{"recording_id", "session_id"}, func(w *wire) parsedEvent {
		return &RecordingStarted{RecordingID: w.RecordingID, SessionID: w.SessionID}
	}},
	{EventRecordingEnded, nil, []string{"recording_id", "session_id", "started_at", "ended_at", "duration"}, func(w *wire) parsedEvent {
		return &RecordingEnded{RecordingID: w.RecordingID, SessionID: w.SessionID, StartedAt: w.StartedAt.Time, EndedAt: w.EndedAt.Time, Duration: w.Duration.d()}
	}},
	{EventRecordingUploaded, []EventType{"recording:ready"}, []string{"recording_id", "session_id", "room_id", "started_at", "ended_at", "duration", "url"}, func(w *wire) parsedEvent {
		return &RecordingUploaded{RecordingID: w.RecordingID, SessionID: w.SessionID, RoomID: w.RoomID, StartedAt: w.StartedAt.Time, EndedAt: w.EndedAt.Time, Duration: w.Duration.d(), URL: w.URL}
	}},
	{EventParticipantJoined, []EventType{"participant:joined"}, []string{"participant_id", "session_id", "room_id", "name", "type", "is_host"}, func(w *wire) parsedEvent {
		return &ParticipantJoined{ParticipantID: w.ParticipantID, SessionID: w.SessionID, RoomID: w.RoomID, Name: w.Name, Type: w.Type, IsHost: w.IsHost}
	}},
	{EventParticipantLeft, []EventType{"participant:left"}, []string{"participant_id", "session_id", "room_id", "name", "type", "is_host"}, func(w *wire) parsedEvent {
		return &ParticipantLeft{ParticipantID: w.ParticipantID, SessionID: w.SessionID, RoomID: w.RoomID, Name: w.Name, Type: w.Type, IsHost: w.IsHost}
	}},
}

// byWire maps every wire spelling (canonical and alias) to its table row.
var byWire = func() map[EventType]*eventSpec {
	m := make(map[EventType]*eventSpec)
	for i := range events {
		s := &events[i]
		m[s.typ] = s
		for _, a := range s.aliases {
			m[a] = s
		}
	}
	return m
}()

// wire is the union of every known event's fields. Parse decodes a body into
// it once, then copies the fields of the event named by "event".
type wire struct {
	Event         eventName `json:"event"`
	RoomID        string    `json:"room_id"`
	RoomType      string    `json:"room_type"`
	ExpiresAt     stamp     `json:"expires_at"`
	CreatedAt     stamp     `json:"created_at"`
	SessionID     string    `json:"session_id"`
	StartedAt     stamp     `json:"started_at"`
	EndedAt       stamp     `json:"ended_at"`
	RecordingID   string    `json:"recording_id"`
	Duration      seconds   `json:"duration"`
	URL           string    `json:"url"`
	ParticipantID string    `json:"participant_id"`
	Name          string    `json:"name"`
	Type          string    `json:"type"`
	IsHost        bool      `json:"is_host"`
}

// field returns a pointer to the union field with the given wire name and
// what its JSON value must be, for error messages.
func (w *wire) field(name string) (ptr any, want string) {
	switch name {
	case "room_id":
		return &w.RoomID, "a string"
	case "room_type":
		return &w.RoomType, "a string"
	case "expires_at":
		return &w.ExpiresAt, "an RFC 3339 time"
	case "created_at":
		return &w.CreatedAt, "an RFC 3339 time"
	case "session_id":
		return &w.SessionID, "a string"
	case "started_at":
		return &w.StartedAt, "an RFC 3339 time"
	case "ended_at":
		return &w.EndedAt, "an RFC 3339 time"
	case "recording_id":
		return &w.RecordingID, "a string"
	case "duration":
		return &w.Duration, "a number of seconds"
	case "url":
		return &w.URL, "a string"
	case "participant_id":
		return &w.ParticipantID, "a string"
	case "name":
		return &w.Name, "a string"
	case "type":
		return &w.Type, "a string"
	case "is_host":
		return &w.IsHost, "a boolean"
	}
	panic("callbacks: event table names unknown wire field " + name)
}

// eventName decodes the "event" value and looks it up in the table at once.
// A known spelling costs no allocation: name is the table's own string.
type eventName struct {
	name EventType
	spec *eventSpec // nil for an unknown event
	seen bool       // a non-null value was decoded, even ""
}

func (e *eventName) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	text, ok := jsonString(b)
	if !ok {
		return valueError("is not a string")
	}
	e.set(text)
	e.seen = true
	return nil
}

// set looks name up in the table.
func (e *eventName) set(name []byte) {
	if spec := byWire[EventType(name)]; spec != nil {
		e.spec, e.name = spec, spec.typ
		for _, a := range spec.aliases {
			if string(a) == string(name) {
				e.name = a
			}
		}
		return
	}
	e.spec, e.name = nil, EventType(name)
}

var wirePool = sync.Pool{New: func() any { return new(wire) }}

// ErrInvalidPayload is wrapped by every error Parse returns: the body is not a
// callback. errors.As with a *PayloadError gives the event and field at fault.
var ErrInvalidPayload = errors.New("callbacks: invalid payload")

// ErrBodyTooLarge is wrapped by the error ParseRequest returns for a body
// longer than its limit.
var ErrBodyTooLarge = errors.New("callbacks: body too large")

// bodyTooLargeError is the error for a body over limit: it reads once
// ("callbacks: body is over the limit of 10 bytes") and matches ErrBodyTooLarge.
type bodyTooLargeError struct{ limit int64 }

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("callbacks: body is over the limit of %d bytes", e.limit)
}

func (e *bodyTooLargeError) Unwrap() error { return ErrBodyTooLarge }

// DefaultMaxBodyBytes is the body limit of ParseRequest and of NewHandler
// unless WithMaxBodyBytes changes it.
const DefaultMaxBodyBytes int64 = 64 << 10

// PayloadError describes why a body is not a callback. It wraps
// ErrInvalidPayload. Its message quotes at most a short prefix of the
// offending value.
type PayloadError struct {
	Event  EventType // the event value as it arrived; "" if unknown at the point of failure
	Field  string    // the wire field at fault, e.g. "started_at"; "" for the body as a whole
	Reason string    // what is wrong, e.g. `"yesterday" is not an RFC 3339 time`
}

// Error reads like
// `callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time`.
func (e *PayloadError) Error() string {
	var b strings.Builder
	b.WriteString("callbacks: ")
	if e.Event != "" {
		b.WriteString(string(e.Event))
		b.WriteString(": ")
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns ErrInvalidPayload.
func (e *PayloadError) Unwrap() error { return ErrInvalidPayload }

// Parse decodes one callback body into its event: one of the pointer types of
// this package, or *Unknown (and no error) for an event value this version
// does not know. Aliases decode to their canonical types.
//
// Parse copies body first: the returned event, and the bytes Raw returns for
// it, never change when the caller reuses body.
//
// Every error wraps ErrInvalidPayload and is a *PayloadError naming the
// event and the field at fault. Parse fails on an empty body, a body that is
// not a JSON object or has data after it, a missing, null, non-string or
// empty "event", a known field of the wrong JSON type, a timestamp that is
// not RFC 3339 and a "duration" that is neither a number nor a quoted number
// of seconds. Unknown fields are ignored; null or absent fields are zero
// values. Keys match case-insensitively, as in encoding/json: "Event" counts
// as "event" and "Session_ID" as "session_id"; when a key appears twice, the
// last one wins.
func Parse(body []byte) (Event, error) {
	return parse(bytes.Clone(body))
}

// ParseRequest reads r's body once, at most DefaultMaxBodyBytes of it (less if
// r.Body is an http.MaxBytesReader with a lower limit), and decodes it with
// Parse. It refuses a Content-Length over the limit before reading. It does
// not check the method or the content type: NewHandler does.
//
// A body over the limit gives an error wrapping ErrBodyTooLarge; a read
// failure is returned wrapped; a nil r gives an error wrapping
// ErrInvalidPayload; anything else is Parse's answer.
func ParseRequest(r *http.Request) (Event, error) {
	if r == nil {
		return nil, &PayloadError{Reason: "request is nil"}
	}
	body, err := readBody(r, DefaultMaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return parse(body)
}

// initialBodyBuffer is the most readBody allocates up front on the word of
// Content-Length: the default limit, so callbacks under it need one buffer.
const initialBodyBuffer = DefaultMaxBodyBytes

// readBody reads r's body, never more than limit+1 bytes of it. The buffer
// grows with what arrives, not with what Content-Length claims.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	tooLarge := func() error { return &bodyTooLargeError{limit: limit} }
	if r.ContentLength > limit {
		return nil, tooLarge()
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	// Content-Length is the sender's claim, not what arrives: size the first
	// buffer by it only up to initialBodyBuffer (room to see EOF without
	// growing, so a callback of the default limit or less costs one
	// allocation), and let append grow it for what is actually read, never
	// past limit+1. A claim of 1 TiB with 45 bytes sent costs at most
	// initialBodyBuffer+1 bytes, and a claim near math.MaxInt64 cannot overflow.
	size := int64(512)
	if r.ContentLength >= 0 {
		size = min(r.ContentLength, initialBodyBuffer) + 1
	}
	buf := make([]byte, 0, size)
	readMax := limit + 1 // one byte more tells an over-long body from one at the limit
	if readMax < 0 {     // limit is math.MaxInt64
		readMax = limit
	}
	src := io.LimitReader(r.Body, readMax)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, &bodyTooLargeError{limit: min(mbe.Limit, limit)} // the limit that was hit
			}
			return nil, fmt.Errorf("callbacks: reading body: %w", err)
		}
	}
	if int64(len(buf)) > limit {
		return nil, tooLarge()
	}
	return buf, nil
}

// parse decodes body, which it keeps (the returned event's Raw is body).
//
// The fast path decodes the body once into the pooled wire union and builds
// the event from it. Any failure there goes to parseSlow, which finds the
// event and decodes only that event's fields, one at a time, so that the error
// names the field, and a bad field that the event does not own (or any field
// of an unknown event) is ignored as the contract says.
func parse(body []byte) (Event, error) {
	i := skipSpace(body, 0)
	if i == len(body) {
		return nil, &PayloadError{Reason: "body is empty"}
	}
	if body[i] != '{' {
		return nil, notObject(body)
	}
	w := wirePool.Get().(*wire)
	defer func() { *w = wire{}; wirePool.Put(w) }()

	// The sender puts "event" first. Then json need not decode it (a field
	// costs json more than skipping a key): read it here, and hand json the
	// rest of the object by briefly turning the byte before the next key
	// into '{'. The body is ours, and json copies what it keeps. A later
	// duplicate "event" still lands in w.Event and wins, as in encoding/json.
	if name, cut, ok := leadingEvent(body, i); ok {
		orig := body[cut]
		body[cut] = '{'
		err := json.Unmarshal(body[cut:], w)
		body[cut] = orig
		if err == nil && !w.Event.seen {
			w.Event.set(name)
			return w.event(body), nil
		}
		if err == nil && w.Event.name != "" {
			return w.event(body), nil
		}
		*w = wire{} // start again on the whole body, for exact errors
	}

	err := json.Unmarshal(body, w)
	if err == nil && w.Event.name != "" {
		return w.event(body), nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return nil, syntaxError(se)
	}
	return parseSlow(body)
}

// event builds the decoded event; body is its raw bytes.
func (w *wire) event(body []byte) Event {
	if spec := w.Event.spec; spec != nil {
		p := spec.build(w)
		p.receive(body, w.Event.name)
		return p
	}
	return &Unknown{Type: w.Event.name, Raw: body}
}

// leadingEvent recognises a body that starts `{"event":"name",` or
// `{"event":"name"}` (any JSON whitespace between), with a non-empty
// printable ASCII name without escapes. It returns the name and the index of
// the byte that, turned into '{', makes the rest of the body the same object
// without its first member. Anything else is left to the general path.
func leadingEvent(body []byte, i int) (name []byte, cut int, ok bool) {
	i = skipSpace(body, i+1) // past '{'
	const key = `"event"`
	if !bytes.HasPrefix(body[i:], []byte(key)) {
		return nil, 0, false
	}
	i = skipSpace(body, i+len(key))
	if i >= len(body) || body[i] != ':' {
		return nil, 0, false
	}
	i = skipSpace(body, i+1)
	if i >= len(body) || body[i] != '"' {
		return nil, 0, false
	}
	start := i + 1
	end := start
	for end < len(body) && body[end] != '"' {
		if c := body[end]; c < 0x20 || c >= 0x7f || c == '\\' {
			return nil, 0, false
		}
		end++
	}
	if end >= len(body) || end == start {
		return nil, 0, false
	}
	next := skipSpace(body, end+1)
	if next >= len(body) {
		return nil, 0, false
	}
	switch body[next] {
	case ',': // the comma becomes '{'; the next member must be a key
		if k := skipSpace(body, next+1); k < len(body) && body[k] == '"' {
			return body[start:end], next, true
		}
	case '}': // the closing quote becomes '{': `{}` plus what follows
		return body[start:end], end, true
	}
	return nil, 0, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

type member struct {
	key string
	raw json.RawMessage
}

// parseSlow decodes a body that is valid JSON but failed the fast path.
func parseSlow(body []byte) (Event, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // the '{' parse already saw
		return nil, &PayloadError{Reason: "body is not valid JSON: " + err.Error()}
	}
	var members []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &PayloadError{Reason: "body is not valid JSON: " + err.Error()}
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &PayloadError{Reason: "body is not valid JSON: " + err.Error()}
		}
		members = append(members, member{key, raw})
	}

	// encoding/json matches keys case-insensitively, lets the last duplicate
	// win and treats null as no value; so does this.
	var eventRaw json.RawMessage
	for _, m := range members {
		if strings.EqualFold(m.key, "event") && string(m.raw) != "null" {
			eventRaw = m.raw
		}
	}
	if eventRaw == nil {
		return nil, &PayloadError{Field: "event", Reason: "absent or null"}
	}
	var s string
	if err := json.Unmarshal(eventRaw, &s); err != nil {
		return nil, &PayloadError{Field: "event", Reason: show(eventRaw) + " is not a string"}
	}
	if s == "" {
		return nil, &PayloadError{Field: "event", Reason: "empty string"}
	}
	name := EventType(s)
	spec := byWire[name]
	if spec == nil {
		return &Unknown{Type: name, Raw: body}, nil
	}
	var w wire
	for _, m := range members {
		for _, f := range spec.fields {
			if !strings.EqualFold(m.key, f) {
				continue
			}
			ptr, want := w.field(f)
			if err := json.Unmarshal(m.raw, ptr); err != nil {
				reason := show(m.raw) + " is not " + want
				var ve valueError
				if errors.As(err, &ve) {
					reason = show(m.raw) + " " + string(ve)
				}
				return nil, &PayloadError{Event: name, Field: f, Reason: reason}
			}
		}
	}
	p := spec.build(&w)
	p.receive(body, name)
	return p, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func notObject(body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return syntaxError(se)
		}
		return &PayloadError{Reason: "body is not valid JSON: " + err.Error()}
	}
	kind := "JSON " + reflectKind(v)
	return &PayloadError{Reason: "body is " + kind + ", not an object"}
}

func reflectKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return reflect.TypeOf(v).String()
}

func syntaxError(se *json.SyntaxError) error {
	return &PayloadError{Reason: fmt.Sprintf("body is not valid JSON: %s (byte %d)", se.Error(), se.Offset)}
}

// show returns a JSON value for an error message: compact and cut short.
func show(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		b.Reset()
		b.Write(raw)
	}
	const max = 64
	if b.Len() > max {
		return string(b.Bytes()[:max]) + "..."
	}
	return b.String()
}

// KnownEventTypes returns the canonical event types this version decodes, in
// a fresh slice. Aliases are not listed; EventType.Canonical maps them.
func KnownEventTypes() []EventType {
	out := make([]EventType, len(events))
	for i, s := range events {
		out[i] = s.typ
	}
	return out
}

// Canonical returns the canonical constant for t if t is a known event value
// or one of its aliases ("recording:ready" gives EventRecordingUploaded), and
// t unchanged otherwise.
func (t EventType) Canonical() EventType {
	if s := byWire[t]; s != nil {
		return s.typ
	}
	return t
}

// Known reports whether t is a known event value or alias: whether Parse
// decodes it into one of this package's types rather than *Unknown.
func (t EventType) Known() bool { return byWire[t] != nil }

// Raw returns the body an event was parsed from, unchanged: what to forward
// to a queue. For an event built in code rather than by Parse it returns the
// event's JSON encoding (nil if that fails), and nil for a nil event.
// The returned bytes are shared with the event: do not modify them.
func Raw(ev Event) json.RawMessage {
	if isNilEvent(ev) {
		return nil
	}
	switch e := ev.(type) {
	case *Unknown:
		if len(e.Raw) > 0 {
			return e.Raw
		}
	case interface{ receivedRaw() json.RawMessage }:
		if r := e.receivedRaw(); r != nil {
			return r
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return nil
	}
	return b
}

// isNilEvent reports whether ev is nil or holds a nil pointer, such as
// (*SessionStarted)(nil): an event with nothing in it.
func isNilEvent(ev Event) bool {
	if ev == nil {
		return true
	}
	v := reflect.ValueOf(ev)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// WireEventType returns the event value as it arrived, which differs from
// ev.EventType() for an alias: "recording:ready" for a *RecordingUploaded that
// arrived so. For an event built in code it returns ev.EventType().
func WireEventType(ev Event) EventType {
	if ev == nil {
		return ""
	}
	if isNilEvent(ev) {
		return ev.EventType()
	}
	if e, ok := ev.(interface{ receivedType() EventType }); ok {
		if t := e.receivedType(); t != "" {
			return t
		}
	}
	return ev.EventType()
}
