package api

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBaseURLRefusesWhitespace(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://h/ ",
		"https://h/beta meetings",
		" https://h",
		"https://h\t",
		"https://h/\n",
		"https://h/beta\u00a0meetings",
	} {
		_, err := ParseBaseURL(raw)
		var argErr *ArgumentError
		if !errors.As(err, &argErr) || !strings.Contains(err.Error(), "whitespace") {
			t.Errorf("ParseBaseURL(%q) = %v, want an *ArgumentError about whitespace", raw, err)
		}
	}
	if _, err := ParseBaseURL("   "); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("ParseBaseURL of blanks = %v, want \"is empty\"", err)
	}
	if u, err := ParseBaseURL("https://h/beta%20meetings"); err != nil || u.Path != "/beta meetings" {
		t.Errorf("an escaped space is a valid path: %v, %v", u, err)
	}
}

// TestParseBaseURLChecksThePort pins that a port outside 1–65535 is refused
// when the client is made, not at the first request, with an error that
// says what is wrong and never repeats the URL.
func TestParseBaseURLChecksThePort(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://h:99999",
		"https://h:65536/beta/meetings",
		"https://h:0",
		"https://h:00000",
		"http://127.0.0.1:123456789012345678901234567890",
		"https://h:",
		"https://h:abc",
		"https://h:-1",
		"https://h:+443",
		"https://[::1]:70000",
		"https://h:４４３", // fullwidth digits
	} {
		_, err := ParseBaseURL(raw)
		var argErr *ArgumentError
		if !errors.As(err, &argErr) || argErr.Name != "base URL" || !strings.Contains(argErr.Reason, "port") {
			t.Errorf("ParseBaseURL(%q) = %v, want an *ArgumentError about the port", raw, err)
			continue
		}
		if strings.Contains(err.Error(), "//h") || strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("ParseBaseURL(%q): error repeats the URL: %v", raw, err)
		}
	}
	for _, raw := range []string{"https://h:1", "https://h:443/beta", "http://127.0.0.1:65535", "https://[::1]:8443", "https://h"} {
		if _, err := ParseBaseURL(raw); err != nil {
			t.Errorf("ParseBaseURL(%q) = %v, want success", raw, err)
		}
	}
}

func TestSegment(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"abc": "abc", "a/b": "a%2Fb", "..a": "..a", "?": "%3F"} {
		if got, err := Segment("id", in); err != nil || got != want {
			t.Errorf("Segment(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
