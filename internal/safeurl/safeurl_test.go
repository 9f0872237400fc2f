package safeurl

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost":             true,
		"LocalHost":             true,
		"127.0.0.1":             true,
		"127.8.9.10":            true,
		"::1":                   true,
		"localhost.example.com": false,
		"[::1]":                 false, // brackets are the caller's to strip
		"10.0.0.1":              false,
		"storage.example.com":   false,
		"":                      false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestRedactStringDropsWhatMayBeACredential(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, raw, want string }{
		{"a signed S3 URL keeps scheme, host and path",
			"https://bucket.s3.amazonaws.com/46339892/rec/archive.mp4?Expires=1636000000&Signature=c2VjcmV0&Key-Pair-Id=K1",
			"https://bucket.s3.amazonaws.com/46339892/rec/archive.mp4?…"},
		{"userinfo is dropped", "https://user:hunter2@host.example/a.mp4", "https://host.example/a.mp4"},
		{"a fragment is dropped", "https://host.example/a.mp4#token=hunter2", "https://host.example/a.mp4#…"},
		{"a query and a fragment are cut at the query", "https://host.example/a.mp4?sig=hunter2#hunter2", "https://host.example/a.mp4?…"},
		{"a port and an escaped path are kept", "https://host.example:8443/a%20b.mp4?sig=hunter2", "https://host.example:8443/a%20b.mp4?…"},
		{"a URL without query is unchanged", "https://host.example/a.mp4", "https://host.example/a.mp4"},
		{"an opaque URL shows only its scheme", "mailto:hunter2@host.example", "mailto:…"},
		{"an empty URL stays empty", "", ""},
		{"an unparseable URL is not shown", "https://host.example/%zz?sig=hunter2", "(unparseable URL of 36 bytes)"},
		{"an unparseable URL with userinfo is not shown", "https://user:hunter2@host.example/%zz", "(unparseable URL of 37 bytes)"},
	} {
		got := RedactString(tc.raw)
		if got != tc.want {
			t.Errorf("%s: RedactString(%q) = %q, want %q", tc.name, tc.raw, got, tc.want)
		}
		if strings.Contains(got, "hunter2") || strings.Contains(got, "c2VjcmV0") {
			t.Errorf("%s: RedactString(%q) = %q reveals the secret", tc.name, tc.raw, got)
		}
	}
}

func TestRedactShowsNoMarkForErrors(t *testing.T) {
	t.Parallel()
	u, err := url.Parse("https://user:hunter2@storage.example.com:8443/a%20b/rec.mp4?X-Amz-Signature=hunter2#hunter2")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Redact(u), "https://storage.example.com:8443/a%20b/rec.mp4"; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
	if got := Redact(nil); got != "" {
		t.Errorf("Redact(nil) = %q, want \"\"", got)
	}
}

func TestLimitRedirectsStopsAtTen(t *testing.T) {
	t.Parallel()
	via := make([]*http.Request, 9)
	if err := LimitRedirects(via); err != nil {
		t.Errorf("9 redirects: %v, want nil", err)
	}
	if err := LimitRedirects(append(via, nil)); err != ErrTooManyRedirects {
		t.Errorf("10 redirects: %v, want ErrTooManyRedirects", err)
	}
}
