package meetings

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vonage-meetings/go-sdk/internal/api"
	"github.com/vonage-meetings/go-sdk/internal/auth"
)

// Option changes how NewClient builds a client. Each option checks its
// arguments; an invalid one makes NewClient fail with an *ArgumentError.
type Option func(*settings) error

// settings is what the options build. Defaults are resolved after all
// options ran, so an option can bring other credentials (auth) and, with
// them, another default base URL (defaultBaseURL); WithBaseURL always wins.
type settings struct {
	auth           auth.Authenticator // nil: Basic from the key and secret
	authFromEnv    bool               // auth came from the environment; an option may replace it
	baseURL        string             // set by WithBaseURL, checked
	defaultBaseURL string             // used when baseURL is empty
	httpClient     *http.Client
	timeout        time.Duration
	maxRetries     int
	minWait        time.Duration
	maxWait        time.Duration
	logger         *slog.Logger
	userAgent      string
}

// The defaults of WithTimeout and WithRetryPolicy; the API client takes the
// values as they are, so these are the only ones.
const (
	defaultTimeout    = 30 * time.Second
	defaultMaxRetries = 3
	defaultMinWait    = 500 * time.Millisecond
	defaultMaxWait    = 5 * time.Second
)

func defaultSettings() *settings {
	return &settings{
		defaultBaseURL: DefaultBaseURL,
		timeout:        defaultTimeout,
		maxRetries:     defaultMaxRetries,
		minWait:        defaultMinWait,
		maxWait:        defaultMaxWait,
	}
}

// Format keeps credentials out of any print of the settings.
func (s *settings) Format(f fmt.State, _ rune) { fmt.Fprint(f, "meetings.settings{REDACTED}") }

// WithBaseURL sets the API's base URL (default DefaultBaseURL). It may carry
// a path prefix such as "/beta/meetings" or "/v1/meetings". It must be https,
// except for loopback hosts (127.0.0.0/8, ::1, localhost), which may use http
// for tests and local fakes; user information, a query, a fragment, any
// whitespace, or a port outside 1–65535 is refused.
func WithBaseURL(rawURL string) Option { return baseURL(rawURL, "WithBaseURL") }

// baseURL is WithBaseURL with errors naming name, the option or the
// environment variable the URL came from.
func baseURL(rawURL, name string) Option {
	return func(s *settings) error {
		u, err := api.ParseBaseURL(rawURL)
		if err != nil {
			return renamed(err, name)
		}
		s.baseURL = u.String()
		return nil
	}
}

func renamed(err error, name string) error {
	if ae, ok := err.(*ArgumentError); ok {
		return &ArgumentError{Name: name, Reason: ae.Reason}
	}
	return err
}

// WithHTTPClient sends requests through c instead of a default client. c is
// not modified: the client works on a copy whose redirects are kept on the
// API host. A Timeout set on c applies too (to API calls, not to downloads),
// beside WithTimeout. c's Transport
// may be shared with the rest of the program: a failed API call never closes
// its idle connections.
func WithHTTPClient(c *http.Client) Option {
	return func(s *settings) error {
		if c == nil {
			return &ArgumentError{Name: "WithHTTPClient", Reason: "the *http.Client is nil"}
		}
		s.httpClient = c
		return nil
	}
}

// WithTimeout bounds each API call, retries and waits included (default
// 30 s). It is a context deadline per call, so it never cuts a download from
// the storage host. d must be positive. A call that times out fails with a
// *RequestError satisfying errors.Is(err, context.DeadlineExceeded).
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return &ArgumentError{Name: "WithTimeout", Reason: fmt.Sprintf("%s is not a positive duration", d)}
		}
		s.timeout = d
		return nil
	}
}

// WithRetryPolicy sets how failed calls are retried: at most maxRetries
// retries after the first attempt (0 disables retries; default 3; more than
// 100, or a negative number, is refused), waiting between minWait and maxWait
// (defaults 500 ms and 5 s; when retrying, minWait must be positive and
// maxWait at least minWait). Waits grow exponentially from minWait with
// jitter; a Retry-After header is honoured up to maxWait.
//
// Retried: connection errors, 429 and 5xx except 501, for GET and DELETE
// (and the other idempotent methods). A cancelled or expired context stops
// at once, during a wait too.
func WithRetryPolicy(maxRetries int, minWait, maxWait time.Duration) Option {
	return func(s *settings) error {
		switch {
		case maxRetries < 0:
			return &ArgumentError{Name: "WithRetryPolicy", Reason: fmt.Sprintf("maxRetries %d is negative", maxRetries)}
		case maxRetries > 100:
			return &ArgumentError{Name: "WithRetryPolicy", Reason: fmt.Sprintf("maxRetries %d is more than 100", maxRetries)}
		case maxRetries > 0 && minWait <= 0:
			return &ArgumentError{Name: "WithRetryPolicy", Reason: fmt.Sprintf("minWait %s is not positive", minWait)}
		case maxRetries > 0 && maxWait < minWait:
			return &ArgumentError{Name: "WithRetryPolicy", Reason: fmt.Sprintf("maxWait %s is less than minWait %s", maxWait, minWait)}
		}
		s.maxRetries, s.minWait, s.maxWait = maxRetries, minWait, maxWait
		return nil
	}
}

// WithLogger logs every HTTP attempt to l at slog.LevelDebug, with the
// method, host, path, attempt number and status or error. Headers, bodies,
// queries and credentials are never logged. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return &ArgumentError{Name: "WithLogger", Reason: "the *slog.Logger is nil"}
		}
		s.logger = l
		return nil
	}
}

// WithUserAgent puts product (e.g. "my-app/1.2") before the SDK's own token in
// the User-Agent header. It must be non-empty printable ASCII.
func WithUserAgent(product string) Option {
	return func(s *settings) error {
		p := strings.TrimSpace(product)
		if p == "" {
			return &ArgumentError{Name: "WithUserAgent", Reason: "is empty"}
		}
		for _, r := range p {
			if r < 0x20 || r > 0x7e {
				return &ArgumentError{Name: "WithUserAgent", Reason: fmt.Sprintf("%q holds a character that is not printable ASCII", product)}
			}
		}
		s.userAgent = p
		return nil
	}
}
