package callbacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	sessionA   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODQwODY4NH41cXIzMDdSa1BZa05BUDFpYnhxcTV4MCt-fg"
	sessionB   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODUxNzIzNH5mOUVub3hPNCt6czlwQzdvaTYvbm5lOTN-fg"
	roomA      = "b307d837-c0ce-4619-8c5c-70e418ef9693"
	recordingA = "17461b93-f793-48a0-9392-7d82de40432f"
	personA    = "b424e1c4-e988-4ce2-8ab9-e3efea7de542"
	recURL     = "https://prod-meetings-recordings.s3.amazonaws.com/46339892/17461b93-f793-48a0-9392-7d82de40432f/archive.mp4?..."
)

// fixtureEvents is every fixture of a known event under testdata/events,
// with the event it decodes to and the event value it arrived as.
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
	{"session_participant_joined.json", "session:participant:joined", &ParticipantJoined{ParticipantID: personA, SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest", IsHost: true}},
	{"participant_joined.json", "participant:joined", &ParticipantJoined{ParticipantID: personA, SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest", IsHost: true}},
	{"session_participant_left.json", "session:participant:left", &ParticipantLeft{ParticipantID: personA, SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest"}},
	{"participant_left.json", "participant:left", &ParticipantLeft{ParticipantID: personA, SessionID: sessionA, RoomID: roomA, Name: "New Joiner", Type: "Guest"}},
}

func TestParseDecodesEveryFixture(t *testing.T) {
	t.Parallel()
	for _, tc := range fixtureEvents {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			body := fixture(t, tc.file)
			ev, err := Parse(body)
			require.NoError(t, err)
			assertSameEvent(t, tc.want, ev)
			assert.Equal(t, tc.want.EventType(), ev.EventType(), "EventType is the canonical constant")
			assert.Equal(t, tc.wire, WireEventType(ev))
			assert.Equal(t, body, []byte(Raw(ev)))
		})
	}
}

func TestEveryKnownTypeAndAliasIsMapped(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []EventType{EventRecordingEnded, EventRecordingStarted, EventRecordingUploaded, EventRoomExpired,
		EventSessionEnded, EventParticipantJoined, EventParticipantLeft, EventSessionStarted}, KnownEventTypes())
	fixtured := map[EventType]Event{}
	for _, tc := range fixtureEvents {
		fixtured[tc.wire] = tc.want
	}
	require.Len(t, events, len(fixtured), "one fixture per event value and alias")
	for name, newEvent := range events {
		want, ok := fixtured[EventType(name)]
		if assert.Truef(t, ok, "no fixture for %q", name) {
			assert.IsType(t, want, newEvent(), name)
		}
	}
}

func TestParseUnknownEventKeepsRawWithoutError(t *testing.T) {
	t.Parallel()
	for _, body := range [][]byte{
		fixture(t, "unknown.json"), // its known-looking fields have odd types
		[]byte(`{"event":"x:y"}`),
		[]byte(`{"EVENT":"Session:Started"}`), // values match exactly, keys do not
	} {
		ev, err := Parse(body)
		require.NoError(t, err)
		u, ok := ev.(*Unknown)
		require.Truef(t, ok, "Parse(%s) = %T", body, ev)
		assert.Equal(t, body, []byte(u.Raw))
		assert.Equal(t, body, []byte(Raw(ev)))
		assert.Equal(t, u.Type, u.EventType())
		assert.Equal(t, u.Type, WireEventType(ev))
	}
	assert.Equal(t, EventType("room:renamed"), mustParse(t, fixture(t, "unknown.json")).EventType())
}

func TestParseRefusesWhatIsNotACallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body   string
		event, field string
	}{
		{"empty body", ``, "", ""},
		{"only whitespace", " \n\t", "", ""},
		{"not JSON", `hello`, "", ""},
		{"a JSON array", `[{"event":"session:started"}]`, "", ""},
		{"a JSON string", `"session:started"`, "", ""},
		{"JSON null", `null`, "", ""},
		{"truncated JSON", `{"event":"session:started","session_id":"abc`, "", ""},
		{"truncated event", `{"event":"session:star`, "", ""},
		{"data after the object", `{"event":"session:started"} {}`, "", ""},
		{"data after an unknown event", `{"event":"x:y"}]`, "", ""},
		{"trailing comma", `{"event":"session:started",}`, "", ""},
		{"missing event", `{"session_id":"abc"}`, "", "event"},
		{"empty object", `{}`, "", "event"},
		{"null event", `{"event":null}`, "", "event"},
		{"numeric event", `{"event":5}`, "", "event"},
		{"object event", `{"event":{"type":"x"}}`, "", "event"},
		{"empty event", `{"event":""}`, "", "event"},
		{"a later empty event", `{"event":"session:started","event":""}`, "", "event"},
		{"boolean field as string", `{"event":"session:participant:joined","is_host":"maybe"}`, "session:participant:joined", "is_host"},
		{"alias named as sent", `{"event":"participant:left","is_host":1}`, "participant:left", "is_host"},
		{"timestamp not RFC 3339", `{"event":"session:started","started_at":"yesterday"}`, "session:started", "started_at"},
		{"timestamp as number", `{"event":"session:ended","ended_at":1635868408}`, "session:ended", "ended_at"},
		{"date only", `{"event":"room:expired","expires_at":"2021-11-02"}`, "room:expired", "expires_at"},
		{"string field as number", `{"event":"recording:started","recording_id":17461}`, "recording:started", "recording_id"},
		{"string field as object", `{"event":"session:started","room_id":{"a":[1]}}`, "session:started", "room_id"},
		{"duration as word", `{"event":"recording:ended","duration":"long"}`, "recording:ended", "duration"},
		{"duration with a unit", `{"event":"recording:ended","duration":"1m"}`, "recording:ended", "duration"},
		{"duration as boolean", `{"event":"recording:uploaded","duration":true}`, "recording:uploaded", "duration"},
		{"duration too long", `{"event":"recording:ended","duration":1e300}`, "recording:ended", "duration"},
		{"duration too long without exponent", `{"event":"recording:ended","duration":"9223372037"}`, "recording:ended", "duration"},
		{"empty quoted duration", `{"event":"recording:ended","duration":""}`, "recording:ended", "duration"},
		{"a later bad field", `{"event":"recording:uploaded","url":"u","duration":[1]}`, "recording:uploaded", "duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := Parse([]byte(tc.body))
			require.Error(t, err)
			assert.Nil(t, ev)
			assert.ErrorIs(t, err, ErrInvalidPayload)
			var pe *PayloadError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, EventType(tc.event), pe.Event)
			assert.Equal(t, tc.field, pe.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "callbacks: "), err.Error())
		})
	}
}

func TestPayloadErrorNamesTheEventAndTheField(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"event":"session:started","started_at":"yesterday"}`: `callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time`,
		`{"event":"recording:ended","duration":"long"}`:        `callbacks: recording:ended: field "duration": "long" is not a number of seconds`,
		`{"event":"recording:started","recording_id":17461}`:   `callbacks: recording:started: field "recording_id": JSON number is not a string`,
		`{"event":5}`:     `callbacks: field "event": 5 is not a string`,
		`{}`:              `callbacks: field "event": missing`,
		`[]`:              `callbacks: body is not a JSON object`,
		`{"event":"a"} x`: `callbacks: body is not valid JSON: invalid character 'x' after top-level value (byte 15)`,
	} {
		_, err := Parse([]byte(body))
		assert.EqualError(t, err, want, body)
	}
	_, err := Parse([]byte(`{"event":"session:started","started_at":"` + strings.Repeat("9", 100) + `"}`))
	assert.LessOrEqual(t, len(err.Error()), 160, "a long value is cut short")
	var se *json.SyntaxError
	_, err = Parse([]byte(`{`))
	assert.ErrorAs(t, err, &se, "the cause is kept")
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
		{"digits past nanoseconds are dropped", `{"event":"recording:ended","duration":0.0000000019}`, &RecordingEnded{Duration: 1}},
		{"duration with exponent", `{"event":"recording:ended","duration":"1.5e2"}`, &RecordingEnded{Duration: 150 * time.Second}},
		{"largest duration", `{"event":"recording:ended","duration":9223372036.854775807}`, &RecordingEnded{Duration: 1<<63 - 1}},
		{"null duration is zero", `{"event":"recording:ended","duration":null}`, &RecordingEnded{}},
		{"negative duration is a number, so it decodes", `{"event":"recording:ended","duration":-1.5}`, &RecordingEnded{Duration: -1500 * time.Millisecond}},
		{"escaped quoted duration", `{"event":"recording:ended","duration":"\u0033"}`, &RecordingEnded{Duration: 3 * time.Second}},
		{"timestamp without fraction", `{"event":"session:started","started_at":"2021-11-02T15:53:28Z"}`, &SessionStarted{StartedAt: ts("2021-11-02T15:53:28Z")}},
		{"timestamp with offset and nanoseconds", `{"event":"session:started","started_at":"2021-11-02T17:53:28.123456789+02:00"}`, &SessionStarted{StartedAt: ts("2021-11-02T15:53:28.123456789Z")}},
		{"escaped timestamp", `{"event":"session:started","started_at":"2021-11-02T15:53:28\u002e5Z"}`, &SessionStarted{StartedAt: ts("2021-11-02T15:53:28.5Z")}},
		{"null and absent fields are zero", `{"event":"session:ended","session_id":null,"started_at":null}`, &SessionEnded{}},
		{"unknown fields are ignored", `{"event":"recording:started","recording_id":"r","extra":{"a":[1,"]"]},"v":2}`, &RecordingStarted{RecordingID: "r"}},
		{"bad fields the event does not own are ignored", `{"event":"recording:started","recording_id":"r","is_host":"maybe","started_at":"yesterday"}`, &RecordingStarted{RecordingID: "r"}},
		{"escaped strings", `{"event":"session:started","room_id":"a\u00e9\"b"}`, &SessionStarted{RoomID: "aé\"b"}},
		{"keys match case-insensitively", `{"EVENT":"recording:started","Recording_ID":"r"}`, &RecordingStarted{RecordingID: "r"}},
		{"escaped key", `{"\u0065vent":"recording:started"}`, &RecordingStarted{}},
		{"escaped event", `{"event":"recording\u003astarted"}`, &RecordingStarted{}},
		{"the last duplicate event wins", `{"event":"session:started","event":"recording:started","recording_id":"r"}`, &RecordingStarted{RecordingID: "r"}},
		{"a later null event is no value", `{"event":"recording:started","event":null}`, &RecordingStarted{}},
		{"a non-string event before the real one", `{"event":5,"event":"recording:started"}`, &RecordingStarted{}},
		{"event not first", `{"recording_id":"r","nested":{"event":"x"},"event":"recording:started"}`, &RecordingStarted{RecordingID: "r"}},
		{"event after literals", `{"a":true,"b":null,"c":-1.5e3,"d":[],"event":"recording:started"}`, &RecordingStarted{}},
		{"last duplicate field wins", `{"event":"recording:started","recording_id":"a","recording_id":"b"}`, &RecordingStarted{RecordingID: "b"}},
		{"whitespace everywhere", " \n{ \"event\" :\t\"recording:started\" , \"a\" : 1 }\r\n", &RecordingStarted{}},
		{"backslashes before a quote", `{"x":"\\","event":"recording:started"}`, &RecordingStarted{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertSameEvent(t, tc.want, mustParse(t, []byte(tc.body)))
		})
	}
}

// encoding/json turns invalid UTF-8 into U+FFFD; the event value must too,
// or a marshalled Unknown would parse back to another Type.
func TestParseEventWithInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"{\"event\":\"\xff&\"}", "{\"event\":\"\xff\\u0026\"}"} {
		ev := mustParse(t, []byte(body))
		assert.Equal(t, EventType("\ufffd&"), ev.EventType())
	}
}

func TestEveryFixtureRoundTrips(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	require.NoError(t, err)
	for _, file := range files {
		body, err := os.ReadFile(file)
		require.NoError(t, err)
		ev := mustParse(t, body)
		out, err := json.Marshal(ev)
		require.NoError(t, err)
		again := mustParse(t, out)
		assertSameEvent(t, ev, again)
		assert.Equal(t, ev.EventType(), WireEventType(again), "marshalled with the canonical event value")
	}
}

func TestMarshalWritesTheWireFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ev   any
		want string
	}{
		{"alias marshals canonical, times with milliseconds, duration in seconds", mustParse(t, fixture(t, "recording_ready.json")),
			`{"event":"recording:uploaded","recording_id":"` + recordingA + `","session_id":"` + sessionB + `","room_id":"` + roomA + `","started_at":"2021-11-02T15:55:35.000Z","ended_at":"2021-11-02T15:56:13.000Z","duration":38,"url":"` + recURL + `"}`},
		{"value and pointer encode alike", SessionStarted{SessionID: "s", StartedAt: ts("2021-11-02T17:53:28.5+02:00")},
			`{"event":"session:started","session_id":"s","room_id":"","started_at":"2021-11-02T17:53:28.500+02:00"}`},
		{"sub-millisecond precision is kept", &SessionStarted{StartedAt: ts("2021-11-02T15:53:28.1234567Z")},
			`{"event":"session:started","session_id":"","room_id":"","started_at":"2021-11-02T15:53:28.1234567Z"}`},
		{"zero times are left out", &SessionEnded{SessionID: "s"}, `{"event":"session:ended","session_id":"s","room_id":""}`},
		{"room expired", &RoomExpired{RoomID: "r", RoomType: "long_term", CreatedAt: ts("2021-11-02T15:53:28Z")},
			`{"event":"room:expired","room_id":"r","room_type":"long_term","created_at":"2021-11-02T15:53:28.000Z"}`},
		{"fractional duration", &RecordingEnded{Duration: 1500 * time.Millisecond}, `{"event":"recording:ended","recording_id":"","session_id":"","duration":1.5}`},
		{"negative duration", &RecordingEnded{Duration: -500 * time.Millisecond}, `{"event":"recording:ended","recording_id":"","session_id":"","duration":-0.5}`},
		{"smallest duration", &RecordingEnded{Duration: -1 << 63}, `{"event":"recording:ended","recording_id":"","session_id":"","duration":-9223372036.854775808}`},
		{"participant alias canonical", mustParse(t, fixture(t, "participant_left.json")),
			`{"event":"session:participant:left","participant_id":"` + personA + `","session_id":"` + sessionA + `","room_id":"` + roomA + `","name":"New Joiner","type":"Guest","is_host":false}`},
		{"participant joined", &ParticipantJoined{Name: "Ann", IsHost: true},
			`{"event":"session:participant:joined","participant_id":"","session_id":"","room_id":"","name":"Ann","type":"","is_host":true}`},
		{"recording started", RecordingStarted{RecordingID: "r"}, `{"event":"recording:started","recording_id":"r","session_id":""}`},
		{"unknown without raw", &Unknown{Type: "x:y"}, `{"event":"x:y"}`},
		{"unknown with raw", &Unknown{Type: "x:y", Raw: json.RawMessage(`{"event":"x:y", "a":1}`)}, `{"event":"x:y","a":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := json.Marshal(tc.ev)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
		})
	}
}

func TestMarshalRefusesAYearRFC3339CannotCarry(t *testing.T) {
	t.Parallel()
	_, err := json.Marshal(&SessionStarted{StartedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.Error(t, err)
}

func TestParseCopiesItsInput(t *testing.T) {
	t.Parallel()
	body := fixture(t, "session_started.json")
	orig := bytes.Clone(body)
	ev := mustParse(t, body)
	unknownBody := []byte(`{"event":"x:y","a":1}`)
	u := mustParse(t, unknownBody)
	for _, b := range [][]byte{body, unknownBody} {
		for i := range b {
			b[i] = 'X'
		}
	}
	assert.Equal(t, orig, []byte(Raw(ev)))
	assert.Equal(t, sessionA, ev.(*SessionStarted).SessionID)
	assert.Equal(t, `{"event":"x:y","a":1}`, string(Raw(u)))

	raw := Raw(ev)
	raw[0] = 'X'
	assert.Equal(t, orig, []byte(Raw(ev)), "Raw returns a copy")
}

func TestRawAndWireEventTypeOfEventsBuiltInCode(t *testing.T) {
	t.Parallel()
	ev := &RecordingStarted{RecordingID: "r", SessionID: "s"}
	assert.Equal(t, `{"event":"recording:started","recording_id":"r","session_id":"s"}`, string(Raw(ev)))
	assert.Equal(t, EventRecordingStarted, WireEventType(ev))
	assert.Equal(t, `{"event":"a:b"}`, string(Raw(&Unknown{Type: "a:b"})))
	assert.Nil(t, Raw(&SessionStarted{StartedAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}), "nil when marshalling fails")
}

type countingReader struct {
	r    *strings.Reader
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
		ev, err := ParseRequest(httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(fixture(t, "recording_uploaded.json"))))
		require.NoError(t, err)
		assert.IsType(t, &RecordingUploaded{}, ev)
	})
	t.Run("oversized Content-Length is refused before reading", func(t *testing.T) {
		t.Parallel()
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = int64(len(big))
		_, err := ParseRequest(r)
		var tooLarge *http.MaxBytesError
		assert.ErrorAs(t, err, &tooLarge)
		assert.NotErrorIs(t, err, ErrInvalidPayload)
		assert.Zero(t, body.read)
	})
	t.Run("oversized body of unknown length is read to the limit only", func(t *testing.T) {
		t.Parallel()
		body := &countingReader{r: strings.NewReader(big)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.ContentLength = -1
		_, err := ParseRequest(r)
		var tooLarge *http.MaxBytesError
		assert.ErrorAs(t, err, &tooLarge)
		assert.LessOrEqual(t, body.read, int(DefaultMaxBodyBytes)+1)
	})
	t.Run("a failed read is returned wrapped", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("connection reset")
		r := httptest.NewRequest(http.MethodPost, "/", failingReader{boom})
		_, err := ParseRequest(r)
		assert.ErrorIs(t, err, boom)
	})
	t.Run("no body is an invalid payload", func(t *testing.T) {
		t.Parallel()
		_, err := ParseRequest(httptest.NewRequest(http.MethodPost, "/", nil))
		assert.ErrorIs(t, err, ErrInvalidPayload)
	})
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestDurationsRoundTripExactly(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{0, 1, 38 * time.Second, -2500 * time.Millisecond, 1<<63 - 1, -1 << 63, 1234567890123456789} {
		out, err := json.Marshal(&RecordingEnded{Duration: d})
		require.NoError(t, err)
		ev := mustParse(t, out)
		assert.Equal(t, d, ev.(*RecordingEnded).Duration, string(out))
	}
	assert.True(t, slices.Contains(KnownEventTypes(), EventRecordingEnded))
}
