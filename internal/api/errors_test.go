package api

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClipKeepsRunesWhole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short stays", "héllo", 10, "héllo"},
		{"ASCII cut", "abcdef", 3, "abc…"},
		{"cut inside a 2-byte rune backs off", "aé", 2, "a…"},     // é is 2 bytes at offset 1
		{"cut inside a 4-byte rune backs off", "ab😀cd", 4, "ab…"}, // 😀 is bytes 2..5
		{"cut right after a rune keeps it", "ab😀cd", 6, "ab😀…"},
	} {
		got := clip(tc.in, tc.n)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("%s: clip(%q, %d) = %q, want %q", tc.name, tc.in, tc.n, got, tc.want)
		}
	}
}

// TestErrorsClipTheirPath pins that a huge ID does not make a huge error
// string (logs, HTTP error pages), while the struct keeps the full path; the
// clipped text stays valid UTF-8 and never ends inside a %XX escape.
func TestErrorsClipTheirPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, path string }{
		{"long ASCII ID", "/recordings/" + strings.Repeat("a", 100_000)},
		{"long escaped ID", "/recordings/" + strings.Repeat("%E2%82%AC", 20_000)},
		{"long unescaped runes", "/recordings/" + strings.Repeat("€", 50_000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, err := range []interface {
				error
			}{
				&Error{StatusCode: 404, Method: "GET", Path: tc.path, Name: "NotFoundError", Message: "not found"},
				&RequestError{Method: "GET", Path: tc.path, Err: errors.New("connection refused")},
			} {
				s := err.Error()
				if len(s) > 500 {
					t.Errorf("%T.Error() is %d bytes, want it clipped", err, len(s))
				}
				if !utf8.ValidString(s) || !strings.Contains(s, "…") {
					t.Errorf("%T.Error() = %.80q..., want valid UTF-8 with '…' where the path was clipped", err, s)
				}
				if i := strings.Index(s, "…"); i >= 0 {
					if head := s[:i]; strings.HasSuffix(head, "%") || (len(head) >= 2 && head[len(head)-2] == '%') {
						t.Errorf("%T.Error() cuts a %%XX escape: %q", err, head[len(head)-10:])
					}
				}
				if !strings.Contains(s, "not found") && !strings.Contains(s, "connection refused") {
					t.Errorf("%T.Error() = %.200q, lost the cause", err, s)
				}
			}
			if e := (&Error{Path: tc.path}); e.Path != tc.path {
				t.Error("the struct's Path changed")
			}
		})
	}
	short := &Error{StatusCode: 404, Method: "GET", Path: "/recordings/x"}
	if got := short.Error(); got != "meetings: GET /recordings/x: 404 Not Found" {
		t.Errorf("short path: %q", got)
	}
}
