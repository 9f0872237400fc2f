package callbacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stripped returns ev without what Parse remembers (raw bytes, wire name), so
// it can be compared with an event built in code.
func stripped(ev Event) Event {
	if p, ok := ev.(parsedEvent); ok {
		c := reflect.New(reflect.TypeOf(p).Elem())
		c.Elem().Set(reflect.ValueOf(p).Elem())
		q := c.Interface().(parsedEvent)
		q.receive(nil, "")
		return q
	}
	return ev
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	sessionA   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODQwODY4NH41cXIzMDdSa1BZa05BUDFpYnhxcTV4MCt-fg"
	sessionB   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODUxNzIzNH5mOUVub3hPNCt6czlwQzdvaTYvbm5lOTN-fg"
	roomA      = "b307d837-c0ce-4619-8c5c-70e418ef9693"
	recordingA = "17461b93-f793-48a0-9392-7d82de40432f"
	recURL     = "https://prod-meetings-recordings.s3.amazonaws.com/46339892/17461b93-f793-48a0-9392-7d82de40432f/archive.mp4?..."
)

// fixtureEvents is every fixture under testdata/events with the event it
// must decode to and the wire name it arrived as.
var fixtureEvents = []struct {
	file string
	wire EventType
	want Event
}{
	{"room_expired.json", "room:expired", &RoomExpired{RoomID: roomA, RoomType: "instant", ExpiresAt: ts("2021-11-02T16:53:28.753Z"), CreatedAt: ts("2021-11-02T15:43:28.753Z")}},
	{"session_started.json", "session:started", &SessionStarted{SessionID: sessionA, RoomID: roomA, StartedAt: ts("2021-11-02T15:53:28.753Z")}},
	{"session_ended.json", "session:ended", &SessionEnded{SessionID: sessionA, RoomID: roomA, StartedAt: ts("2021-11-02T15:53:28.753Z"), EndedAt: ts("2021-11-02T16:53:27Z")}},
	{"recording_started.json", "recording:started", &RecordingStarted{RecordingID: recordingA, SessionID: sessionB}},
	{"recording_ended.json", "recording:ended", &RecordingEnded{RecordingID: recordingA, SessionID: sessionB, StartedAt: ts("2021-11-02T15:55:35Z"), EndedAt: ts("2021-11-02T16:55:33Z"), Duration: 3598 * time.Second}},
	{"recording_uploaded.json", "recording:uploaded", &RecordingUploaded{RecordingID: recordingA, SessionID: sessionB, StartedAt: ts("2021-11-02T15:55:35Z"), EndedAt: ts("2021-11-02T15:56:13Z"), Duration: 38 * time.Second, URL: recURL}},
	{"recording_ready.json", "recording:ready", &RecordingUploaded{RecordingID: recordingA, SessionID: sessionB, RoomID: roomA, StartedAt: ts("2021-11-02T15:55:35Z"), EndedAt: ts("2021-11-02T15:56:13Z"), Duration: 38 * time.Second, URL: recURL}},
	{"session_participant_joined.json", "session:participant:joined", &ParticipantJoined{ParticipantID: "b424e1c4-e988-4ce2-8ab9-e3efea7de542", SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest", IsHost: true}},
	{"participant_joined.json", "participant:joined", &ParticipantJoined{ParticipantID: "b424e1c4-e988-4ce2-8ab9-e3efea7de542", SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest", IsHost: true}},
	{"session_participant_left.json", "session:participant:left", &ParticipantLeft{ParticipantID: "b424e1c4-e988-4ce2-8ab9-e3efea7de542", SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest"}},
	{"participant_left.json", "participant:left", &ParticipantLeft{ParticipantID: "b424e1c4-e988-4ce2-8ab9-e3efea7de542", SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest"}},
}

func TestParseDecodesEveryFixture(t *testing.T) {
	t.Parallel()
	for _, tc := range fixtureEvents {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			body := fixture(t, tc.file)
			ev, err := Parse(body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := stripped(ev); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, tc.want)
			}
			if ev.EventType() != tc.want.EventType() {
				t.Errorf("EventType() = %q, want the canonical %q", ev.EventType(), tc.want.EventType())
			}
			if got := WireEventType(ev); got != tc.wire {
				t.Errorf("WireEventType = %q, want %q", got, tc.wire)
			}
			if !bytes.Equal(Raw(ev), body) {
				t.Errorf("Raw = %s, want the body unchanged", Raw(ev))
			}
		})
	}
}

func TestEveryKnownTypeIsMapped(t *testing.T) {
	t.Parallel()
	want := []EventType{EventRoomExpired, EventSessionStarted, EventSessionEnded, EventRecordingStarted,
		EventRecordingEnded, EventRecordingUploaded, EventParticipantJoined, EventParticipantLeft}
	if got := KnownEventTypes(); !slices.Equal(got, want) {
		t.Fatalf("KnownEventTypes = %q, want %q", got, want)
	}
	fixtured := map[EventType]bool{}
	for _, tc := range fixtureEvents {
		fixtured[tc.wire] = true
	}
	for _, s := range events {
		built := s.build(&wire{})
		if built.EventType() != s.typ {
			t.Errorf("row %q builds a %T whose EventType() is %q", s.typ, built, built.EventType())
		}
		for _, name := range append([]EventType{s.typ}, s.aliases...) {
			if !fixtured[name] {
				t.Errorf("no fixture under testdata/events for %q", name)
			}
			if !name.Known() || name.Canonical() != s.typ {
				t.Errorf("%q: Known=%v Canonical=%q, want true and %q", name, name.Known(), name.Canonical(), s.typ)
			}
		}
		for _, f := range s.fields {
			(&wire{}).field(f) // panics on a field the union lacks
		}
	}
	if EventType("room:renamed").Known() || EventType("room:renamed").Canonical() != "room:renamed" {
		t.Error("an unknown event value must be neither Known nor changed by Canonical")
	}
}

// The table's field list (what Parse decodes) and MarshalJSON (what it writes)
// must name the same wire fields.
func TestMarshalWritesExactlyTheTableFields(t *testing.T) {
	t.Parallel()
	for _, tc := range fixtureEvents {
		ev, err := Parse(fixture(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		spec := byWire[ev.EventType()]
		want := append([]string{"event"}, spec.fields...)
		if tc.file == "recording_uploaded.json" { // the seed's example has no room_id; it stays absent
			want = slices.DeleteFunc(want, func(s string) bool { return s == "room_id" })
		}
		got := slices.Sorted(maps.Keys(m))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: marshalled fields %q, want %q", tc.file, got, want)
		}
	}
}

func TestParseUnknownEventKeepsRawWithoutError(t *testing.T) {
	t.Parallel()
	body := fixture(t, "unknown.json") // its known-looking fields have odd types
	ev, err := Parse(body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	u, ok := ev.(*Unknown)
	if !ok {
		t.Fatalf("Parse = %T, want *Unknown", ev)
	}
	if u.Type != "room:renamed" || u.EventType() != "room:renamed" || !bytes.Equal(u.Raw, body) {
		t.Errorf("Unknown = {%q, %s}, want room:renamed and the body", u.Type, u.Raw)
	}
	if !bytes.Equal(Raw(ev), body) {
		t.Errorf("Raw = %s", Raw(ev))
	}
	out, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	_ = json.Compact(&compact, body)
	if !bytes.Equal(out, compact.Bytes()) {
		t.Errorf("Marshal(Unknown) = %s, want the body", out)
	}
}

// encoding/json turns invalid UTF-8 into U+FFFD; the event name must too, or
// a marshalled Unknown would re-parse to another Type (found by FuzzParse).
func TestParseEventNameWithInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"{\"event\":\"\xff&\"}", "{\"event\":\"\xff\\u0026\"}"} {
		ev, err := Parse([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if u, ok := ev.(*Unknown); !ok || u.Type != "\ufffd&" {
			t.Errorf("Parse(%q) = %#v, want Unknown with Type %q", body, ev, "\ufffd&")
		}
	}
}

func TestParseRefusesWhatIsNotACallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"empty body", ``, `callbacks: body is empty`},
		{"only whitespace", " \n\t", `callbacks: body is empty`},
		{"not JSON", `hello`, `callbacks: body is not valid JSON: invalid character 'h' looking for beginning of value (byte 1)`},
		{"a JSON array", `[{"event":"session:started"}]`, `callbacks: body is JSON array, not an object`},
		{"a JSON string", `"session:started"`, `callbacks: body is JSON string, not an object`},
		{"JSON null", `null`, `callbacks: body is JSON null, not an object`},
		{"truncated JSON", `{"event":"session:started","session_id":"abc`, `callbacks: body is not valid JSON: unexpected end of JSON input (byte 44)`},
		{"data after the object", `{"event":"session:started"} {}`, `callbacks: body is not valid JSON: invalid character '{' after top-level value (byte 29)`},
		{"trailing comma after the event", `{"event":"session:started",}`, `callbacks: body is not valid JSON: invalid character '}' looking for beginning of object key string (byte 28)`},
		{"data after an event-only object", `{"event":"session:started"}]`, `callbacks: body is not valid JSON: invalid character ']' after top-level value (byte 28)`},
		{"bad field after the leading event", `{"event":"recording:ended" ,"duration":"1h"}`, `callbacks: recording:ended: field "duration": "1h" is not a number of seconds`},
		{"missing event", `{"session_id":"abc"}`, `callbacks: field "event": absent or null`},
		{"null event", `{"event":null}`, `callbacks: field "event": absent or null`},
		{"numeric event", `{"event":5}`, `callbacks: field "event": 5 is not a string`},
		{"object event", `{"event":{"type":"x"}}`, `callbacks: field "event": {"type":"x"} is not a string`},
		{"a later empty event", `{"event":"session:started","event":""}`, `callbacks: field "event": empty string`},
		{"empty event", `{"event":""}`, `callbacks: field "event": empty string`},
		{"boolean field as string", `{"event":"session:participant:joined","is_host":"maybe"}`, `callbacks: session:participant:joined: field "is_host": "maybe" is not a boolean`},
		{"alias named as sent", `{"event":"participant:left","is_host":1}`, `callbacks: participant:left: field "is_host": 1 is not a boolean`},
		{"timestamp not RFC 3339", `{"event":"session:started","started_at":"yesterday"}`, `callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time`},
		{"timestamp as number", `{"event":"session:ended","ended_at":1635868408}`, `callbacks: session:ended: field "ended_at": 1635868408 is not an RFC 3339 time`},
		{"date only", `{"event":"room:expired","expires_at":"2021-11-02"}`, `callbacks: room:expired: field "expires_at": "2021-11-02" is not an RFC 3339 time`},
		{"string field as number", `{"event":"recording:started","recording_id":17461}`, `callbacks: recording:started: field "recording_id": 17461 is not a string`},
		{"duration as word", `{"event":"recording:ended","duration":"long"}`, `callbacks: recording:ended: field "duration": "long" is not a number of seconds`},
		{"duration as boolean", `{"event":"recording:uploaded","duration":true}`, `callbacks: recording:uploaded: field "duration": true is not a number of seconds`},
		{"duration too long", `{"event":"recording:ended","duration":1e300}`, `callbacks: recording:ended: field "duration": 1e300 is out of range for a duration`},
		{"long value is cut short", `{"event":"session:started","room_id":[` + strings.Repeat(`1,`, 50) + `1]}`, `callbacks: session:started: field "room_id": [` + strings.Repeat(`1,`, 31) + `1... is not a string`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := Parse([]byte(tc.body))
			if err == nil {
				t.Fatalf("Parse = %#v, want an error", ev)
			}
			if !errors.Is(err, ErrInvalidPayload) {
				t.Errorf("error %v does not wrap ErrInvalidPayload", err)
			}
			var pe *PayloadError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *PayloadError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestParseLeniencies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       Event
	}{
		{"duration as a number", `{"event":"recording:ended","duration":38}`, &RecordingEnded{Duration: 38 * time.Second}},
		{"duration as a quoted number", `{"event":"recording:ended","duration":"3598"}`, &RecordingEnded{Duration: 3598 * time.Second}},
		{"fractional duration is exact", `{"event":"recording:ended","duration":1.000000001}`, &RecordingEnded{Duration: time.Second + 1}},
		{"duration with exponent", `{"event":"recording:ended","duration":"1.5e2"}`, &RecordingEnded{Duration: 150 * time.Second}},
		{"null duration is zero", `{"event":"recording:ended","duration":null}`, &RecordingEnded{}},
		{"negative duration is a number, so it decodes (API.md)", `{"event":"recording:ended","duration":-1}`, &RecordingEnded{Duration: -time.Second}},
		{"timestamp without fraction", `{"event":"session:started","started_at":"2021-11-02T15:53:28Z"}`, &SessionStarted{StartedAt: ts("2021-11-02T15:53:28Z")}},
		{"timestamp with offset and nanoseconds", `{"event":"session:started","started_at":"2021-11-02T17:53:28.123456789+02:00"}`, &SessionStarted{StartedAt: ts("2021-11-02T17:53:28.123456789+02:00")}},
		{"null and absent fields are zero", `{"event":"session:ended","session_id":null,"started_at":null}`, &SessionEnded{}},
		{"unknown fields are ignored", `{"event":"recording:started","recording_id":"r","extra":{"a":[1,2]},"v":2}`, &RecordingStarted{RecordingID: "r"}},
		{"bad field the event does not own is ignored", `{"event":"recording:started","recording_id":"r","is_host":"maybe","started_at":"yesterday"}`, &RecordingStarted{RecordingID: "r"}},
		{"escaped strings", `{"event":"session:started","room_id":"a\u00e9\"b","started_at":"2021-11-02T15:53:28\u002e5Z"}`, &SessionStarted{RoomID: "aé\"b", StartedAt: ts("2021-11-02T15:53:28.5Z")}},
		{"a later null event is no value, as in encoding/json", `{"event":"recording:started","event":null,"is_host":"x"}`, &RecordingStarted{}},
		{"keys match case-insensitively, as in encoding/json", `{"EVENT":"recording:started","Recording_ID":"r"}`, &RecordingStarted{RecordingID: "r"}},
		{"a later duplicate event wins, as in encoding/json", `{"event":"session:started","event":"recording:started","recording_id":"r"}`, &RecordingStarted{RecordingID: "r"}},
		{"event alone", `{ "event" : "recording:started" }`, &RecordingStarted{}},
		{"event not first", `{"recording_id":"r","event":"recording:started"}`, &RecordingStarted{RecordingID: "r"}},
		{"last duplicate wins", `{"event":"recording:started","recording_id":"a","recording_id":"b"}`, &RecordingStarted{RecordingID: "b"}},
		{"surrounding whitespace", " \n{\"event\":\"recording:started\"}\n ", &RecordingStarted{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := Parse([]byte(tc.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := stripped(ev)
			// Compare times by instant: a parsed offset is a distinct *Location.
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(tc.want)
			if reflect.TypeOf(got) != reflect.TypeOf(tc.want) || !bytes.Equal(gj, wj) {
				t.Errorf("Parse = %T %s, want %T %s", got, gj, tc.want, wj)
			}
		})
	}
}

func TestEveryFixtureRoundTrips(t *testing.T) {
	t.Parallel()
	for _, tc := range fixtureEvents {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			ev, err := Parse(fixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Parse(out)
			if err != nil {
				t.Fatalf("re-Parse of %s: %v", out, err)
			}
			if !reflect.DeepEqual(stripped(again), stripped(ev)) {
				t.Errorf("round trip changed the event:\n%#v\n%#v", stripped(again), stripped(ev))
			}
			if WireEventType(again) != ev.EventType() {
				t.Errorf("marshalled event value %q, want the canonical %q", WireEventType(again), ev.EventType())
			}
		})
	}
}

func TestMarshalWritesTheWireFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ev   any
		want string
	}{
		{"alias marshals canonical, times with milliseconds, duration in seconds",
			mustParse(t, fixture(t, "recording_ready.json")),
			`{"event":"recording:uploaded","recording_id":"` + recordingA + `","session_id":"` + sessionB + `","room_id":"` + roomA + `","started_at":"2021-11-02T15:55:35.000Z","ended_at":"2021-11-02T15:56:13.000Z","duration":38,"url":"` + recURL + `"}`},
		{"value and pointer encode alike", SessionStarted{SessionID: "s", StartedAt: ts("2021-11-02T17:53:28.5+02:00")},
			`{"event":"session:started","session_id":"s","room_id":"","started_at":"2021-11-02T17:53:28.500+02:00"}`},
		{"sub-millisecond precision is kept", &SessionStarted{StartedAt: ts("2021-11-02T15:53:28.1234567Z")},
			`{"event":"session:started","session_id":"","room_id":"","started_at":"2021-11-02T15:53:28.1234567Z"}`},
		{"zero times are left out", &SessionEnded{SessionID: "s"}, `{"event":"session:ended","session_id":"s","room_id":""}`},
		{"fractional duration", &RecordingEnded{Duration: 1500 * time.Millisecond}, `{"event":"recording:ended","recording_id":"","session_id":"","duration":1.5}`},
		{"participant alias canonical", mustParse(t, fixture(t, "participant_left.json")),
			`{"event":"session:participant:left","participant_id":"b424e1c4-e988-4ce2-8ab9-e3efea7de542","session_id":"` + sessionA + `","room_id":"` + roomA + `","name":"New Joiner","type":"Guest","is_host":false}`},
		{"unknown without raw", &Unknown{Type: "x:y"}, `{"event":"x:y"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := json.Marshal(tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Errorf("Marshal\n got %s\nwant %s", out, tc.want)
			}
		})
	}
}

func mustParse(t *testing.T, b []byte) Event {
	t.Helper()
	ev, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestSecondsRoundTripExactly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		wire string
		d    time.Duration
	}{
		{"0", 0},
		{"38", 38 * time.Second},
		{"0.000000001", 1},
		{"-2.5", -2500 * time.Millisecond},
		{"9223372036.854775807", time.Duration(1<<63 - 1)},
		{"-9223372036.854775808", time.Duration(-1 << 63)},
	}
	for _, tc := range tests {
		out, err := seconds(tc.d).MarshalJSON()
		if err != nil || string(out) != tc.wire {
			t.Errorf("seconds(%d).MarshalJSON = %s, %v; want %s", tc.d, out, err, tc.wire)
		}
		var s seconds
		if err := s.UnmarshalJSON([]byte(tc.wire)); err != nil || time.Duration(s) != tc.d {
			t.Errorf("UnmarshalJSON(%s) = %d, %v; want %d", tc.wire, s, err, tc.d)
		}
	}
	for _, bad := range []string{`"9223372037"`, `99999999999999999999`, `"1."`, `"-"`, `".5"`, `"1e"`, `"1 "`, `""`, `"0x10"`, `[1]`} {
		var s seconds
		if err := s.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("UnmarshalJSON(%s) = %d, want an error", bad, s)
		}
	}
}

func TestParseCopiesItsInput(t *testing.T) {
	t.Parallel()
	body := fixture(t, "session_started.json")
	orig := bytes.Clone(body)
	ev, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	u, err := Parse([]byte(`{"event":"x:y","a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'X'
	}
	if !bytes.Equal(Raw(ev), orig) {
		t.Errorf("Raw changed with the caller's slice: %s", Raw(ev))
	}
	if ev.(*SessionStarted).SessionID != sessionA {
		t.Errorf("event changed with the caller's slice")
	}
	if string(Raw(u)) != `{"event":"x:y","a":1}` {
		t.Errorf("Unknown.Raw = %s", Raw(u))
	}
}

func TestRawAndWireEventTypeOfEventsBuiltInCode(t *testing.T) {
	t.Parallel()
	ev := &RecordingStarted{RecordingID: "r", SessionID: "s"}
	if got := string(Raw(ev)); got != `{"event":"recording:started","recording_id":"r","session_id":"s"}` {
		t.Errorf("Raw = %s", got)
	}
	if WireEventType(ev) != EventRecordingStarted {
		t.Errorf("WireEventType = %q", WireEventType(ev))
	}
	var nilEv *SessionStarted
	if Raw(nil) != nil || Raw(nilEv) != nil || WireEventType(nil) != "" || WireEventType(nilEv) != EventSessionStarted {
		t.Error("nil events must give nil Raw and no panic")
	}
	if got := string(Raw(&Unknown{Type: "a:b"})); got != `{"event":"a:b"}` {
		t.Errorf("Raw(Unknown without Raw) = %s", got)
	}
}

type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

func TestParseRequest(t *testing.T) {
	t.Parallel()
	big := `{"event":"x:y","pad":"` + strings.Repeat("a", int(DefaultMaxBodyBytes)) + `"}`
	t.Run("decodes the body", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(fixture(t, "recording_uploaded.json")))
		ev, err := ParseRequest(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ev.(*RecordingUploaded); !ok {
			t.Errorf("ParseRequest = %T", ev)
		}
	})
	t.Run("oversized Content-Length is refused before reading", func(t *testing.T) {
		t.Parallel()
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = int64(len(big))
		_, err := ParseRequest(r)
		if !errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrInvalidPayload) {
			t.Errorf("err = %v, want ErrBodyTooLarge only", err)
		}
		if body.read != 0 {
			t.Errorf("read %d bytes, want 0", body.read)
		}
	})
	t.Run("oversized body of unknown length is read to the limit only", func(t *testing.T) {
		t.Parallel()
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = -1
		_, err := ParseRequest(r)
		if !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("err = %v, want ErrBodyTooLarge", err)
		}
		if body.read > int(DefaultMaxBodyBytes)+1 {
			t.Errorf("read %d bytes, past the limit+1", body.read)
		}
	})
	t.Run("a lower http.MaxBytesReader limit counts as too large", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"event":"x:y"}`))
		r.ContentLength = -1
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 4)
		if _, err := ParseRequest(r); !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("err = %v, want ErrBodyTooLarge", err)
		}
	})
	t.Run("no body is an empty body", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if _, err := ParseRequest(r); !errors.Is(err, ErrInvalidPayload) {
			t.Errorf("err = %v, want ErrInvalidPayload", err)
		}
	})
}

func TestEventsPrintTheirFieldsNotTheirBytes(t *testing.T) {
	t.Parallel()
	ev := mustParse(t, fixture(t, "recording_ready.json"))
	got := fmt.Sprintf("%v", ev)
	want := `recording:uploaded{RecordingID:"` + recordingA + `", SessionID:"` + sessionB + `", RoomID:"` + roomA +
		`", StartedAt:2021-11-02T15:55:35Z, EndedAt:2021-11-02T15:56:13Z, Duration:38s, URL:"` + strings.TrimSuffix(recURL, "?...") + `?…"}` // the signed query is not logged
	if got != want {
		t.Errorf("%%v =\n%s\nwant\n%s", got, want)
	}
	if s := fmt.Sprintf("%+v", *ev.(*RecordingUploaded)); s != want {
		t.Errorf("%%+v of the value = %s", s)
	}
	if s := fmt.Sprint(&Unknown{Type: "a:b", Raw: json.RawMessage(`{"event":"a:b"}`)}); s != `Unknown{Type:"a:b", Raw:(15 bytes), Keys:["event"]}` {
		t.Errorf("Unknown prints %s", s)
	}
}
