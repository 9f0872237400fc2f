package meetings

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client. Options are applied in order (a later one
// wins); a nil Option is ignored. A refused value makes the constructor
// return an *ArgumentError naming the option.
type Option func(*settings)

type settings struct {
	baseURL    string
	httpClient *http.Client
	timeout    time.Duration
	maxRetries int
	minWait    time.Duration
	maxWait    time.Duration
	logger     *slog.Logger
	userAgent  string
	err        *ArgumentError // the first refused option
}

func (s *settings) refuse(option, reason string) {
	if s.err == nil {
		s.err = &ArgumentError{Name: option, Reason: reason}
	}
}

// WithBaseURL sets the API's base URL, such as
// https://api-eu.vonage.com/v1/meetings or a local fake's. It must be https,
// or plain http for a loopback host.
func WithBaseURL(rawURL string) Option { return func(s *settings) { s.baseURL = rawURL } }

// WithHTTPClient sets the *http.Client requests go through (its Transport,
// Jar, and per-attempt Timeout for API calls; downloads ignore that Timeout,
// which would cut a long file). The client is never modified: the API's
// credentials and redirect rule are added on a copy.
func WithHTTPClient(c *http.Client) Option {
	return func(s *settings) {
		if c == nil {
			s.refuse("WithHTTPClient", "is given a nil *http.Client")
			return
		}
		s.httpClient = c
	}
}

// WithTimeout bounds each API call, retries and waits included (default
// 30 s). Downloads are bounded by their context only.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) {
		if d <= 0 {
			s.refuse("WithTimeout", fmt.Sprintf("%s is not positive", d))
			return
		}
		s.timeout = d
	}
}

// WithRetryPolicy sets how many times a failed GET, PUT or DELETE is retried
// (default 3; 0 disables retries) and the bounds of the waits between
// attempts (default 500 ms growing to 5 s, with jitter). A Retry-After up to
// maxWait is waited in full; a longer one ends the call at once with the
// answer, whose *APIError.RetryAfter says how long to wait.
func WithRetryPolicy(maxRetries int, minWait, maxWait time.Duration) Option {
	return func(s *settings) {
		switch {
		case maxRetries < 0 || maxRetries > 100:
			s.refuse("WithRetryPolicy", fmt.Sprintf("maxRetries %d is not from 0 to 100", maxRetries))
		case maxRetries > 0 && (minWait <= 0 || maxWait < minWait):
			s.refuse("WithRetryPolicy", fmt.Sprintf("waits %s to %s are not 0 < minWait <= maxWait", minWait, maxWait))
		default:
			s.maxRetries, s.minWait, s.maxWait = maxRetries, minWait, maxWait
		}
	}
}

// WithLogger logs each HTTP attempt at debug level: method, path, attempt,
// status or error, and whether it is retried. Never headers, bodies or
// queries. Nothing is logged by default.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithUserAgent puts a product token, such as "my-app/1.2", before the
// SDK's own in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(s *settings) {
		if strings.ContainsFunc(product, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
			s.refuse("WithUserAgent", fmt.Sprintf("%q holds a character that is not printable ASCII", product))
			return
		}
		s.userAgent = product
	}
}

// Ptr returns a pointer to v, for the optional fields of request types:
// rooms.UpdateRequest{DisplayName: meetings.Ptr("Standup")}, or
// rooms.FeatureParams{Chat: meetings.Ptr(false)}, where nil means "not set".
func Ptr[T any](v T) *T { return &v }
