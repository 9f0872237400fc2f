package callbacks

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// A signed download URL is a credential until it expires: the String of an
// event, meant for logs, must not carry its query (or userinfo or fragment).
func TestRecordingUploadedStringRedactsTheURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url, want string
	}{
		{"a signed S3 URL keeps scheme, host and path",
			"https://bucket.s3.amazonaws.com/46339892/rec/archive.mp4?Expires=1636000000&Signature=c2VjcmV0&Key-Pair-Id=K1",
			"https://bucket.s3.amazonaws.com/46339892/rec/archive.mp4?…"},
		{"userinfo is dropped", "https://user:hunter2@host.example/a.mp4", "https://host.example/a.mp4"},
		{"a fragment is dropped", "https://host.example/a.mp4#token=hunter2", "https://host.example/a.mp4#…"},
		{"a port and an escaped path are kept", "https://host.example:8443/a%20b.mp4?sig=hunter2", "https://host.example:8443/a%20b.mp4?…"},
		{"a URL without query is unchanged", "https://host.example/a.mp4", "https://host.example/a.mp4"},
		{"an empty URL stays empty", "", ""},
		{"an unparseable URL is not shown", "https://host.example/%zz?sig=hunter2", "(unparseable URL of 36 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev := &RecordingUploaded{RecordingID: "r", URL: tt.url}
			for _, verb := range []string{"%v", "%+v", "%s"} {
				for _, val := range []any{ev, *ev} {
					got := fmt.Sprintf(verb, val)
					if !strings.Contains(got, "URL:"+fmt.Sprintf("%q", tt.want)) {
						t.Errorf("%s = %s, want URL:%q", verb, got, tt.want)
					}
					for _, leak := range []string{"hunter2", "Signature=", "c2VjcmV0"} {
						if strings.Contains(got, leak) {
							t.Errorf("%s = %s reveals %q", verb, got, leak)
						}
					}
				}
			}
		})
	}
	if ev := (RecordingUploaded{URL: "https://h/p?sig=x"}); ev.URL != "https://h/p?sig=x" {
		t.Error("String changed the event")
	}
}

// An unknown event's body may hold anything, signed URLs included: its String
// names the type, the length and the top-level keys, never the values.
func TestUnknownStringDoesNotPrintTheBody(t *testing.T) {
	t.Parallel()
	raw := `{"event":"recording:archived","url":"https://h/a.mp4?Signature=hunter2","room_id":"r1"}`
	u := Unknown{Type: "recording:archived", Raw: json.RawMessage(raw)}
	want := fmt.Sprintf(`Unknown{Type:"recording:archived", Raw:(%d bytes), Keys:["event" "room_id" "url"]}`, len(raw))
	for _, val := range []any{u, &u} {
		for _, verb := range []string{"%v", "%+v", "%s"} {
			if got := fmt.Sprintf(verb, val); got != want {
				t.Errorf("%s of %T = %s, want %s", verb, val, got, want)
			}
		}
	}
	if got, want := (Unknown{Type: "x"}).String(), `Unknown{Type:"x", Raw:(0 bytes)}`; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if got, want := (Unknown{Type: "x", Raw: json.RawMessage(`[1,"hunter2"]`)}).String(), `Unknown{Type:"x", Raw:(13 bytes)}`; got != want {
		t.Errorf("String of a non-object = %s, want %s", got, want)
	}
}
