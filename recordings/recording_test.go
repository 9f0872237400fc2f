package recordings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
}

func TestRecordingDecodesPeerFixtures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		want Recording
	}{
		{"get_recording.json", Recording{
			ID:        "e5b73c98-c087-4ee5-b61b-0ea08204fc65",
			SessionID: "1_MX40NjMzOTg5Mn5-MTY3NDYxNDI4NjY5M35WM0xaVXBSc1lpT3hKWE1XQ2diM1B3cXB-fn4",
			StartedAt: time.Date(2023, 1, 25, 2, 38, 31, 0, time.UTC),
			EndedAt:   time.Date(2023, 1, 25, 2, 38, 40, 0, time.UTC),
			Status:    StatusUploaded,
		}},
		{"dotnet_get_recording.json", Recording{
			ID:        "7734a958-6793-4438-9978-ab97d3091912",
			SessionID: "2_MX40NjMwODczMn5-MTU3NTgyODEwNzQ2MH5OZDJrVmdBRUNDbG5MUzNqNXgya20yQ1Z-fg",
			StartedAt: time.Date(2023, 2, 6, 13, 58, 37, 0, time.UTC),
			EndedAt:   time.Date(2023, 2, 6, 13, 59, 37, 0, time.UTC),
			Status:    StatusStarted,
			URL:       "https://prod-meetings-recordings.s3.amazonaws.com/46339892/7734a958-6793-4438-9978-ab97d3091912",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			var got Recording
			if err := json.Unmarshal(readFixture(t, tc.file), &got); err != nil {
				t.Fatal(err)
			}
			if tc.want.URL == "" { // the Python fixture's URL is long; check its shape
				if !strings.HasPrefix(got.URL, "https://prod-meetings-recordings.s3.amazonaws.com/46339892/e5b73c98") {
					t.Errorf("URL = %q, want the _links.url.href of the fixture", got.URL)
				}
				tc.want.URL = got.URL
			}
			if !got.StartedAt.Equal(tc.want.StartedAt) || !got.EndedAt.Equal(tc.want.EndedAt) {
				t.Errorf("times = %v, %v; want %v, %v", got.StartedAt, got.EndedAt, tc.want.StartedAt, tc.want.EndedAt)
			}
			got.StartedAt, got.EndedAt = tc.want.StartedAt, tc.want.EndedAt
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestRecordingMarshalsBackToTheWireShape(t *testing.T) {
	t.Parallel()
	raw := readFixture(t, "dotnet_get_recording.json")
	var rec Recording
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var wire, original map[string]any
	if err := json.Unmarshal(out, &wire); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(raw, &original)
	for _, k := range []string{"id", "session_id", "status", "_links"} {
		if !jsonEqual(wire[k], original[k]) {
			t.Errorf("%s = %v, want %v", k, wire[k], original[k])
		}
	}
	var again Recording
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if !again.StartedAt.Equal(rec.StartedAt) || !again.EndedAt.Equal(rec.EndedAt) || again.URL != rec.URL || again.Status != rec.Status {
		t.Errorf("round trip changed the recording: %+v -> %+v (URL %q -> %q)", rec, again, rec.URL, again.URL)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestRecordingDecoding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		check      func(t *testing.T, r Recording)
		wantErr    string
	}{
		{"unknown status is kept", `{"id":"r","status":"archived"}`, func(t *testing.T, r Recording) {
			if r.Status != "archived" || r.Status.Known() {
				t.Errorf("Status = %q (known %v), want archived, unknown", r.Status, r.Status.Known())
			}
		}, ""},
		{"null and absent times are zero", `{"id":"r","started_at":"2021-11-02T15:55:35Z","ended_at":null}`, func(t *testing.T, r Recording) {
			if !r.EndedAt.IsZero() || r.StartedAt.IsZero() {
				t.Errorf("StartedAt %v, EndedAt %v", r.StartedAt, r.EndedAt)
			}
		}, ""},
		{"fractional seconds", `{"started_at":"2021-11-02T15:53:28.753Z"}`, func(t *testing.T, r Recording) {
			if r.StartedAt.Nanosecond() != 753000000 {
				t.Errorf("StartedAt = %v", r.StartedAt)
			}
		}, ""},
		{"missing _links gives empty URL", `{"id":"r","_links":{}}`, func(t *testing.T, r Recording) {
			if r.URL != "" {
				t.Errorf("URL = %q", r.URL)
			}
		}, ""},
		{"unknown fields are ignored", `{"id":"r","duration":38,"extra":{"a":1}}`, func(t *testing.T, r Recording) {
			if r.ID != "r" {
				t.Errorf("ID = %q", r.ID)
			}
		}, ""},
		{"bad timestamp names the field", `{"ended_at":"yesterday"}`, nil, `recordings: field "ended_at": "yesterday" is not an RFC 3339 time`},
		{"wrong type is an error", `{"id":7}`, nil, "recordings: decoding recording"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var r Recording
			err := json.Unmarshal([]byte(tc.body), &r)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, r)
		})
	}
}

func TestRecordingMarshalLeavesOutEmptyFields(t *testing.T) {
	t.Parallel()
	out, err := json.Marshal(Recording{ID: "r", SessionID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), `{"id":"r","session_id":"s"}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

// TestRecordingPrintsWithoutTheURLSignature pins that fmt never shows the
// download URL's query (its Expires and Signature: whoever holds them can
// fetch the file), whatever the verb, as the download errors don't, while
// JSON still carries the whole URL.
func TestRecordingPrintsWithoutTheURLSignature(t *testing.T) {
	t.Parallel()
	started := time.Date(2023, 1, 25, 2, 38, 31, 0, time.UTC)
	for _, tc := range []struct {
		name, url, want string
	}{
		{"signed URL", "https://storage.example.com/46339892/rec.mp4?Expires=1674614700&Signature=SEKRET&Key-Pair-Id=K2", `"https://storage.example.com/46339892/rec.mp4?…"`},
		{"URL with a fragment", "https://storage.example.com/rec.mp4?X-Amz-Signature=SEKRET#SEKRET", `"https://storage.example.com/rec.mp4?…"`},
		{"URL with user info", "https://SEKRET:SEKRET@storage.example.com/rec.mp4", `"https://storage.example.com/rec.mp4"`},
		{"unparsable URL", "https://storage.example.com/%zz?Signature=SEKRET", `"(unparseable URL of 48 bytes)"`}, // as callbacks shows one
		{"URL without a query", "https://storage.example.com/rec.mp4", `"https://storage.example.com/rec.mp4"`},
		{"no URL", "", `""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := Recording{ID: "rec-1", SessionID: "2_MX40", StartedAt: started, Status: StatusUploaded, URL: tc.url}
			for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%q"} {
				for _, v := range []any{rec, &rec, []Recording{rec}} {
					got := fmt.Sprintf(verb, v)
					for _, secret := range []string{"SEKRET", "Signature", "Expires"} {
						if strings.Contains(got, secret) {
							t.Errorf("Sprintf(%q, %T) shows %q: %s", verb, v, secret, got)
						}
					}
					if verb == "%q" {
						continue
					}
					for _, w := range []string{tc.want, "rec-1", "2_MX40", "uploaded", "2023"} {
						if !strings.Contains(got, w) {
							t.Errorf("Sprintf(%q, %T) = %s, want it to show %s", verb, v, got, w)
						}
					}
				}
			}
			b, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			var back Recording
			if err := json.Unmarshal(b, &back); err != nil || back.URL != tc.url {
				t.Errorf("JSON round trip URL = %q (%v), want the whole %q", back.URL, err, tc.url)
			}
		})
	}
	if got, want := fmt.Sprintf("%#v", Recording{ID: "x"}), `recordings.Recording{ID:"x", SessionID:"", StartedAt:time.Time{}, EndedAt:time.Time{}, Status:"", URL:""}`; got != want {
		t.Errorf("%%#v = %s\nwant %s", got, want)
	}
}
