package meetings

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
)

// ParseBaseURL checks an API base URL: absolute, https (plain http for
// loopback hosts only), no user info, query or fragment. The trailing slash
// is dropped.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := SecureURL(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case u.User != nil:
		return nil, errors.New("must not carry user information: credentials go to NewClient")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, errors.New("must not have a query or fragment")
	}
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// SecureURL parses an absolute URL and refuses any scheme but https, and
// http for loopback hosts. Its errors never show the URL's query.
func SecureURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || strings.ContainsAny(raw, " \t\r\n") {
		return nil, fmt.Errorf("%q is not an absolute URL", RedactURL(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u, nil
	case "http":
		if Loopback(u.Hostname()) {
			return u, nil
		}
	}
	return nil, fmt.Errorf("%s must use https (plain http only for loopback hosts)", RedactURL(raw))
}

// Loopback reports whether host is localhost or a loopback IP address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RedactURL shows a URL as scheme, host and path: never its query (a signed
// URL's signature), user info or fragment.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
}

// redactError is err's text without the URL a *url.Error repeats.
func redactError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + " " + RedactURL(ue.URL) + ": " + ue.Err.Error()
	}
	return err.Error()
}

// Print writes v as fmt would under verb, where v is a copy of a public
// struct with its secrets already redacted, converted to a local type so
// that this does not recurse; %#v shows the public type's name.
func Print(f fmt.State, verb rune, v any, public string) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), v)
	if f.Flag('#') {
		s = strings.Replace(s, fmt.Sprintf("%T", v), public, 1)
	}
	_, _ = io.WriteString(f, s)
}
