package safeurl

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// IsLoopback reports whether host (without port or brackets) is localhost or
// a loopback IP address (127.0.0.0/8, ::1).
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Redact returns u as scheme://host/path: without userinfo, query or
// fragment, and without a mark where they were cut, as errors show a URL
// (a storage URL's query holds its signature). A nil u gives "".
func Redact(u *url.URL) string {
	if u == nil {
		return ""
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
}

// RedactString is Redact for a URL held as a string, in the form logs and
// String methods show: "?…" marks where a query (and any fragment after it)
// was cut, "#…" a fragment alone, and an opaque URL ("mailto:x") shows as its scheme and "…". A URL that
// does not parse is not shown at all: the result is
// "(unparseable URL of N bytes)". An empty raw stays empty.
func RedactString(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("(unparseable URL of %d bytes)", len(raw))
	}
	if u.Opaque != "" { // e.g. "mailto:x": nothing of a path to keep
		return u.Scheme + ":…"
	}
	// Everything after the path is cut: the mark is the character that
	// started it ("?" for a query, with or without a fragment after it).
	switch shown := Redact(u); {
	case u.RawQuery != "":
		return shown + "?…"
	case u.Fragment != "":
		return shown + "#…"
	default:
		return shown
	}
}
