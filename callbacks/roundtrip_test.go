package callbacks

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Events built in code must either marshal into JSON that Parse accepts and
// that holds the same instants, or fail to marshal with an error naming the
// field: never marshal into something Parse refuses or reads differently.
func TestMarshalOfEventsBuiltInCodeRoundTripsOrFails(t *testing.T) {
	t.Parallel()
	at := func(year int, loc *time.Location) time.Time {
		return time.Date(year, 3, 1, 12, 30, 15, 250e6, loc)
	}
	// Europe/Amsterdam kept local mean time, +00:19:32, until 1937.
	amsterdamLMT := time.FixedZone("AMT", 19*60+32)

	roundTrips := []struct {
		name string
		ev   Event
		want string // the wire timestamp
	}{
		{"year 0000", &SessionStarted{StartedAt: at(0, time.UTC)}, "0000-03-01T12:30:15.250Z"},
		{"year 9999", &SessionStarted{StartedAt: at(9999, time.UTC)}, "9999-03-01T12:30:15.250Z"},
		{"offset 23:59", &SessionStarted{StartedAt: at(2021, time.FixedZone("", 23*3600+59*60))}, "2021-03-01T12:30:15.250+23:59"},
		{"offset with seconds is written in UTC", &SessionStarted{StartedAt: at(1930, amsterdamLMT)}, "1930-03-01T12:10:43.250Z"},
		{"negative offset with seconds", &SessionStarted{StartedAt: at(1880, time.FixedZone("", -(4*3600+56*60+2)))}, "1880-03-01T17:26:17.250Z"},
	}
	for _, tc := range roundTrips {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := json.Marshal(tc.ev)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if !strings.Contains(string(out), `"started_at":"`+tc.want+`"`) {
				t.Errorf("Marshal = %s, want started_at %s", out, tc.want)
			}
			again, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse(%s): %v", out, err)
			}
			got, want := again.(*SessionStarted).StartedAt, tc.ev.(*SessionStarted).StartedAt
			if !got.Equal(want) {
				t.Errorf("round trip moved the instant: %v, want %v", got, want)
			}
		})
	}

	refused := []struct {
		name  string
		ev    Event
		field string
	}{
		{"year 10000", &SessionStarted{StartedAt: at(10000, time.UTC)}, "started_at"},
		{"year -1", &SessionEnded{EndedAt: at(-1, time.UTC)}, "ended_at"},
		{"offset +25:00", &RoomExpired{CreatedAt: at(2021, time.FixedZone("", 25*3600))}, "created_at"},
		{"offset -24:00", &RecordingEnded{StartedAt: at(2021, time.FixedZone("", -24*3600))}, "started_at"},
		{"offset with seconds past 24h", &RecordingUploaded{EndedAt: at(2021, time.FixedZone("", 24*3600+1))}, "ended_at"},
		{"year 9999 that is 10000 in UTC", &SessionStarted{StartedAt: time.Date(9999, 12, 31, 23, 59, 0, 0, time.FixedZone("", -(60+1)))}, "started_at"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := json.Marshal(tc.ev)
			if err == nil {
				t.Fatalf("Marshal = %s, want an error", out)
			}
			if !strings.Contains(err.Error(), `"`+tc.field+`"`) || !strings.Contains(err.Error(), string(tc.ev.EventType())) {
				t.Errorf("error %q does not name the event and the field %q", err, tc.field)
			}
		})
	}
}
