package callbacks

import (
	"fmt"
	"strings"
	"testing"
)

// %#v must not be the way around String's redaction of the signed URL.
func TestRecordingUploadedGoStringRedactsTheURL(t *testing.T) {
	t.Parallel()
	ev := &RecordingUploaded{RecordingID: "r1", URL: "https://bucket.example/r1/archive.mp4?Expires=1&Signature=s3cr3t"}
	for _, out := range []string{fmt.Sprintf("%#v", ev), fmt.Sprintf("%#v", *ev)} {
		if strings.Contains(out, "s3cr3t") || strings.Contains(out, "Expires") {
			t.Errorf("%%#v = %s: shows the URL's signature", out)
		}
		if !strings.Contains(out, "callbacks.RecordingUploaded{") || !strings.Contains(out, `"https://bucket.example/r1/archive.mp4?…"`) {
			t.Errorf("%%#v = %s: want the Go type name and the redacted URL", out)
		}
	}
}

// The README promises that %#v of an unknown event shows its type, size and
// keys, never its body: a body may hold signed URLs.
func TestUnknownGoStringDoesNotPrintTheBody(t *testing.T) {
	t.Parallel()
	ev, err := Parse([]byte(`{"event":"room:renamed","url":"https://h/x?sig=s3cr3t"}`))
	if err != nil {
		t.Fatal(err)
	}
	u := ev.(*Unknown)
	for _, out := range []string{fmt.Sprintf("%#v", u), fmt.Sprintf("%#v", *u)} {
		if strings.Contains(out, "s3cr3t") || strings.Contains(out, "0x") {
			t.Errorf("%%#v = %s: shows the body", out)
		}
		if !strings.Contains(out, "callbacks.Unknown{") || !strings.Contains(out, `"room:renamed"`) || !strings.Contains(out, "url") {
			t.Errorf("%%#v = %s: want the Go type name, the type and the keys", out)
		}
	}
}
