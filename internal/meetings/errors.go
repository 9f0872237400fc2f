package meetings

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinels matched by APIError.Is, for errors.Is.
var (
	ErrNotFound     = errors.New("meetings: not found")              // 404
	ErrUnauthorized = errors.New("meetings: unauthorized")           // 401
	ErrForbidden    = errors.New("meetings: forbidden")              // 403
	ErrConflict     = errors.New("meetings: conflict")               // 409
	ErrRateLimited  = errors.New("meetings: rate limited")           // 429
	ErrServer       = errors.New("meetings: server error")           // any 5xx
	ErrRedirect     = errors.New("redirect to another host refused") // inside a *RequestError
)

// APIError is a non-2xx answer of the API: after retries, the last one.
type APIError struct {
	StatusCode int           // the HTTP status, e.g. 404
	RetryAfter time.Duration // the answer's Retry-After, 0 when it had none

	// Method and Path name the call; Path is relative to the base URL,
	// escaped, and never has a query.
	Method, Path string

	// Type, Title, Detail and Instance are the fields of a gateway-style
	// (RFC 7807) error body.
	Type, Title, Detail, Instance string

	// Name ("NotFoundError", "ConflictError", ...), Message and Errors are the
	// fields of a service-style error body. Each entry of Errors is the string
	// the service sent, or the compact JSON of an object it sent.
	Name, Message string
	Errors        []string

	RequestID string // the X-Request-Id header, if any
	Attempts  int    // requests sent, retries included
	Body      []byte // the raw body, at most its first 1 MiB

	pkg string
}

// Error reads like
// "recordings: GET /recordings/x: 404 NotFoundError: Recording x was not found".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s: %d", pkgOr(e.pkg), e.Method, clip(e.Path, 200), e.StatusCode)
	if label := first(e.Name, e.Title, http.StatusText(e.StatusCode)); label != "" {
		b.WriteString(" " + clip(label, 100))
	}
	if msg := first(e.Message, e.Detail); msg != "" {
		b.WriteString(": " + clip(msg, 500))
	}
	if len(e.Errors) > 0 {
		fmt.Fprintf(&b, " %s", clip(strings.Join(e.Errors, "; "), 500))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and the other status sentinels work.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// newAPIError decodes either error-body shape; a body that is neither (empty,
// HTML from a proxy) leaves the fields empty and is kept in Body.
func newAPIError(pkg, method, path string, resp *http.Response, body []byte, attempts int) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp), Method: method, Path: path,
		RequestID: resp.Header.Get("X-Request-Id"), Attempts: attempts, Body: body, pkg: pkg}
	var w struct {
		Type, Title, Detail, Instance, Name, Message string
		Errors                                       []json.RawMessage
	}
	if json.Unmarshal(trimBOM(body), &w) == nil {
		e.Type, e.Title, e.Detail, e.Instance, e.Name, e.Message = w.Type, w.Title, w.Detail, w.Instance, w.Name, w.Message
		for _, raw := range w.Errors {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				s = string(raw)
			}
			e.Errors = append(e.Errors, s)
		}
	}
	return e
}

// RequestError is a call that got no usable answer: a connection failure, a
// timeout, a cancelled context, a refused redirect or an undecodable body.
type RequestError struct {
	Method, Path string // the call; Path as in APIError
	Attempts     int    // requests sent, retries included
	Err          error  // the cause; errors.Is(err, ctx.Err()) holds for an ended context

	pkg string
}

// Error reads like "recordings: GET /recordings/x: context deadline exceeded".
func (e *RequestError) Error() string {
	return fmt.Sprintf("%s: %s %s: %v", pkgOr(e.pkg), e.Method, clip(e.Path, 200), e.Err)
}

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// ArgumentError is an argument refused before anything was sent.
type ArgumentError struct {
	Name   string // the argument, option or field, e.g. "recordingID" or "WithTimeout"
	Reason string // what is wrong with it, e.g. "is empty"
	Err    error  // the cause, if any

	pkg string
}

// Error reads like "recordings: recordingID is empty".
func (e *ArgumentError) Error() string { return pkgOr(e.pkg) + ": " + e.Name + " " + e.Reason }

// Unwrap returns the cause, if any.
func (e *ArgumentError) Unwrap() error { return e.Err }

// StorageError is a non-2xx answer of a storage host: a recording's file
// host, or the logo upload target.
type StorageError struct {
	StatusCode int           // the HTTP status, e.g. 403
	RetryAfter time.Duration // the answer's Retry-After, 0 when it had none
	URL        string        // scheme, host and path: never the signed query
	Code       string        // the XML body's <Code>, e.g. "AccessDenied"; may be empty
	Message    string        // the XML body's <Message>; may be empty

	pkg string
}

// Error reads like "recordings: storage https://host/path: 403 Forbidden (AccessDenied: Request has expired)".
func (e *StorageError) Error() string {
	s := fmt.Sprintf("%s: storage %s: %d %s", pkgOr(e.pkg), e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" || e.Message != "" {
		s += " (" + strings.TrimPrefix(e.Code+": "+e.Message, ": ") + ")"
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

func newStorageError(pkg, shown string, resp *http.Response, body []byte) *StorageError {
	e := &StorageError{StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp), URL: shown, pkg: pkg}
	var x struct{ Code, Message string }
	if xml.Unmarshal(body, &x) == nil {
		e.Code, e.Message = clip(x.Code, 100), clip(x.Message, 300)
	}
	return e
}

func pkgOr(pkg string) string {
	if pkg == "" {
		return "meetings"
	}
	return pkg
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut with "…".
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}
