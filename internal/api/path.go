package api

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

// Segment checks that value can be used as the path segment named name (for
// example "recordingID") and returns it escaped with url.PathEscape, so that
// no ID can make the client call a different endpoint. An empty value, "."
// and ".." are refused with an [*ArgumentError].
func Segment(name, value string) (string, error) {
	switch value {
	case "":
		return "", &ArgumentError{Name: name, Reason: "is empty"}
	case ".", "..":
		return "", &ArgumentError{Name: name, Reason: fmt.Sprintf("%q is not a usable ID", value)}
	}
	return url.PathEscape(value), nil
}

// ParseBaseURL checks rawURL as a base URL for the API: absolute, https (http
// only for loopback hosts: 127.0.0.0/8, ::1, localhost), no user information,
// query or fragment, no whitespace anywhere, and a port, if any, from 1 to
// 65535. A path prefix such as "/beta/meetings" is kept; a
// trailing slash is dropped. The error never repeats the URL, which could
// hold a password.
func ParseBaseURL(rawURL string) (*url.URL, error) {
	bad := func(reason string) (*url.URL, error) {
		return nil, &ArgumentError{Name: "base URL", Reason: reason}
	}
	if strings.TrimSpace(rawURL) == "" {
		return bad("is empty")
	}
	// url.Parse keeps a space inside or at the end (as %20), and refuses one
	// at the start with a vague error: refuse any, saying why.
	if strings.ContainsFunc(rawURL, unicode.IsSpace) {
		return bad("contains whitespace (a space, tab or newline); escape a space in the path as %20")
	}
	const badPort = "has a port that is not a number from 1 to 65535"
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the input; say what it means without it.
		if strings.Contains(err.Error(), "invalid port") {
			return bad(badPort)
		}
		return bad("is not a valid URL")
	}
	// url.Parse takes any run of ASCII digits as a port; a port out of range
	// would only fail at the first request.
	if strings.HasSuffix(u.Host, ":") {
		return bad("has a ':' after the host but no port; drop the ':' or add a port from 1 to 65535")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
			return bad(badPort)
		}
	}
	switch {
	case u.Scheme == "" || u.Host == "":
		return bad("must be absolute, like https://api-eu.vonage.com/beta/meetings")
	case u.User != nil:
		return bad("must not carry user information; credentials go in NewClient")
	case u.RawQuery != "" || u.ForceQuery:
		return bad("must not have a query")
	case u.Fragment != "":
		return bad("must not have a fragment")
	case u.Opaque != "":
		return bad("must be absolute, like https://api-eu.vonage.com/beta/meetings")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "https":
	case "http":
		if !safeurl.IsLoopback(u.Hostname()) {
			return bad(fmt.Sprintf("uses http for host %q; https is required except for loopback hosts", u.Hostname()))
		}
	default:
		return bad(fmt.Sprintf("has scheme %q; https is required", u.Scheme))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}
