package download

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

// ErrInsecureURL is wrapped by the error for a URL, or a redirect, that would
// fetch a file over plain http from a host other than a loopback one, or that
// carries user credentials.
var ErrInsecureURL = errors.New("insecure URL")

// parseURL checks rawURL before any request: it must be absolute https, or
// http to a loopback host (127.0.0.0/8, ::1, localhost), without user
// credentials. Errors never repeat the query string, which holds the storage
// host's time-limited signature.
func parseURL(rawURL string) (*url.URL, error) {
	if rawURL == "" {
		return nil, errors.New("download: URL is empty")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the whole input, signature included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("download: malformed URL: %v", err)
	}
	if err := checkURL(u); err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return u, nil
}

// checkURL applies the scheme, host and credential rules of parseURL to u,
// which may also be a redirect's target.
func checkURL(u *url.URL) error {
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("URL %s has no host", safeurl.Redact(u))
	}
	if u.User != nil {
		return fmt.Errorf("%w: URL %s carries user credentials, which are never sent to a storage host", ErrInsecureURL, safeurl.Redact(u))
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if safeurl.IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: %s uses http; only https is allowed, except for loopback hosts", ErrInsecureURL, safeurl.Redact(u))
	default:
		return fmt.Errorf("URL %s has scheme %q; only https is supported", safeurl.Redact(u), u.Scheme)
	}
}

// redactError rewrites the URL inside a *url.Error from http.Client.Do (which
// quotes the full URL, signature included) to its redacted form. Other errors
// are returned as they are.
func redactError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	shown := safeurl.RedactString(ue.URL) // "(unparseable URL of N bytes)"
	if u, perr := url.Parse(ue.URL); perr == nil {
		shown = safeurl.Redact(u)
	}
	return &url.Error{Op: ue.Op, URL: shown, Err: ue.Err}
}

// client returns a shallow copy of hc (http.DefaultClient when nil) without
// its cookie jar, so no cookie reaches the storage host, and whose redirect
// policy also refuses any target checkURL refuses and any step from https
// down to http. The caller's own CheckRedirect still runs after ours.
func client(hc *http.Client) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	c.Jar = nil
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkURL(req.URL); err != nil {
			return err
		}
		for _, v := range via {
			if v.URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: refusing redirect from https to %s", ErrInsecureURL, safeurl.Redact(req.URL))
			}
		}
		if next != nil {
			return next(req, via)
		}
		return safeurl.LimitRedirects(via)
	}
	return &c
}
