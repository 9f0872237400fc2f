package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinels matched by [*Error.Is], for errors.Is.
var (
	ErrNotFound     = errors.New("meetings: not found")              // 404
	ErrUnauthorized = errors.New("meetings: unauthorized")           // 401
	ErrForbidden    = errors.New("meetings: forbidden")              // 403
	ErrConflict     = errors.New("meetings: conflict")               // 409
	ErrRateLimited  = errors.New("meetings: rate limited")           // 429
	ErrServer       = errors.New("meetings: server error")           // any 5xx
	ErrRedirect     = errors.New("redirect to another host refused") // inside a *RequestError
)

// Error is a non-2xx answer of the API. See meetings.APIError for the
// documentation users read.
type Error struct {
	// StatusCode is the HTTP status of the (last) response.
	StatusCode int
	// Method and Path name the call, Path relative to the base URL and escaped,
	// as in "/recordings/7734a958-6793-4438-9978-ab97d3091912". Never a query.
	// It is whole here, however long; Error() clips it.
	Method, Path string

	// Type, Title, Detail and Instance are the fields of a gateway-style
	// (RFC 7807) error body.
	Type, Title, Detail, Instance string

	// Name ("NotFoundError", "ConflictError", ...), Message and Errors are the
	// fields of a service-style error body. Each entry of Errors is the string
	// the service sent, or the compact JSON of an object it sent.
	Name, Message string
	Errors        []string

	// RequestID is the response's X-Request-Id (or X-Vonage-Trace-Id) header, if any.
	RequestID string
	// Attempts is how many requests were sent, retries included.
	Attempts int
	// Body is the raw response body, at most the first 1 MiB.
	Body []byte
}

// Error reads like
// "meetings: GET /recordings/x: 404 NotFoundError: Recording x was not found".
// A path longer than 200 bytes is clipped, with "…", so that a huge ID does
// not make a huge message; the Path field keeps it whole.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("meetings: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(clipPath(e.Path))
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	label := e.Name
	if label == "" {
		label = e.Title
	}
	if label == "" {
		label = http.StatusText(e.StatusCode)
	}
	if label != "" {
		b.WriteByte(' ')
		b.WriteString(clip(label, 100))
	}
	msg := e.Message
	if msg == "" {
		msg = e.Detail
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(clip(msg, 500))
	}
	if len(e.Errors) > 0 {
		shown := e.Errors
		if len(shown) > 3 {
			shown = shown[:3]
		}
		b.WriteString(" [")
		for i, s := range shown {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(clip(s, 200))
		}
		if len(e.Errors) > len(shown) {
			fmt.Fprintf(&b, "; and %d more", len(e.Errors)-len(shown))
		}
		b.WriteByte(']')
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and the other status sentinels work.
func (e *Error) Is(target error) bool {
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
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// clip shortens s to at most n bytes plus "…", cutting before a rune that
// would be split so the result stays valid UTF-8.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// maxPathInMessage is how many bytes of a path an error message shows.
const maxPathInMessage = 200

// clipPath is clip for an escaped path in a message: it also never ends
// inside a %XX escape, which would read as a different character.
func clipPath(p string) string {
	if len(p) <= maxPathInMessage {
		return p
	}
	n := maxPathInMessage
	for n > 0 && !utf8.RuneStart(p[n]) {
		n--
	}
	switch {
	case n >= 1 && p[n-1] == '%':
		n--
	case n >= 2 && p[n-2] == '%':
		n -= 2
	}
	return p[:n] + "…"
}

var bom = []byte("\xEF\xBB\xBF")

// trimBOM drops a leading UTF-8 byte-order mark, which some servers (and the
// .NET SDK's fixtures) put before JSON.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, bom) }

// newError maps a non-2xx response (body already read, at most maxErrorBody)
// to an *Error. Both body shapes are read leniently: a field of an unexpected
// JSON type is skipped, an empty or non-JSON body leaves only the status.
func newError(method, path string, resp *http.Response, body []byte, attempts int) *Error {
	e := &Error{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		Attempts:   attempts,
		Body:       body,
		RequestID:  resp.Header.Get("X-Request-Id"),
	}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("X-Vonage-Trace-Id")
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(trimBOM(body), &fields) != nil {
		return e
	}
	str := func(k string) string {
		var s string
		if raw, ok := fields[k]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	e.Type, e.Title, e.Detail, e.Instance = str("type"), str("title"), str("detail"), str("instance")
	e.Name, e.Message = str("name"), str("message")
	if raw, ok := fields["errors"]; ok {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			list = []json.RawMessage{raw} // a single string or object
		}
		for _, item := range list {
			// A null carries nothing; json.Unmarshal would make it "".
			if bytes.Equal(bytes.TrimSpace(item), []byte("null")) {
				continue
			}
			var s string
			if json.Unmarshal(item, &s) == nil {
				e.Errors = append(e.Errors, s)
				continue
			}
			var compact bytes.Buffer
			if json.Compact(&compact, item) == nil {
				e.Errors = append(e.Errors, compact.String())
			}
		}
	}
	return e
}

// RequestError is a call that got no usable HTTP answer: the connection
// failed, the per-call timeout or the caller's context ended, a redirect was
// refused, or a 2xx body could not be read or decoded.
type RequestError struct {
	// Method and Path name the call, Path relative to the base URL and escaped.
	Method, Path string
	// Attempts is how many requests were sent, retries included (0 when none was).
	Attempts int
	// Err is the cause; errors.Is and errors.As see through to it (and to a
	// context's error when the context ended).
	Err error
}

// Error reads like "meetings: GET /recordings/x: dial tcp 127.0.0.1:1: connect: connection refused (after 4 attempts)".
// The path is clipped as in [*Error.Error]; the Path field keeps it whole.
func (e *RequestError) Error() string {
	cause := "unknown error"
	if e.Err != nil {
		cause = e.Err.Error()
		// A *url.Error repeats the full URL; the method and path already say it.
		var ue *url.Error
		if errors.As(e.Err, &ue) && ue.Err != nil {
			cause = ue.Err.Error()
		}
	}
	s := "meetings: " + e.Method + " " + clipPath(e.Path) + ": " + cause
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Unwrap returns Err.
func (e *RequestError) Unwrap() error { return e.Err }

// ArgumentError is a bad argument the SDK refused before sending anything: an
// unusable ID, an invalid option, missing credentials. It never repeats a secret.
type ArgumentError struct {
	// Name names the argument, e.g. "recordingID", "WithTimeout", "apiKey".
	Name string
	// Reason says what is wrong with it.
	Reason string
	// Err is the underlying cause, when there is one (for example
	// fs.ErrNotExist for a key file that is missing); it may be nil.
	Err error
}

// Error reads like `meetings: recordingID: ".." is not a usable ID`.
func (e *ArgumentError) Error() string {
	return "meetings: " + e.Name + ": " + e.Reason
}

// Unwrap returns the underlying cause, or nil.
func (e *ArgumentError) Unwrap() error { return e.Err }
