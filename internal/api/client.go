package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vonage-meetings/go-sdk/internal/auth"
	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

// Limits on what the client reads from a response.
const (
	maxJSONBody  = 10 << 20 // a 2xx JSON body larger than this is an error
	maxErrorBody = 1 << 20  // at most this much of an error body is kept
)

// Config is everything New needs. BaseURL and Auth are required; the other
// fields are taken as they are (package meetings holds the defaults and
// checks the values its options accept).
type Config struct {
	BaseURL    string             // checked by ParseBaseURL
	Auth       auth.Authenticator // sets the credentials of requests to the base URL's host
	HTTPClient *http.Client       // nil: a client of its own over a clone of http.DefaultTransport
	Timeout    time.Duration      // per call, retries and body included; a context deadline (0: none)

	// Retries after the first attempt (0: none), and the bounds of the
	// waits between attempts (MinWait <= MaxWait).
	MaxRetries       int
	MinWait, MaxWait time.Duration

	Logger    *slog.Logger // nil: no logging
	UserAgent string       // a product token put before the SDK's own, or ""
}

// Client sends requests to one API base URL. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	baseStr   string // base URL without a trailing slash
	auth      auth.Authenticator
	plain     *http.Client // the user's or the default client, untouched
	rc        *retryablehttp.Client
	timeout   time.Duration
	logger    *slog.Logger
	userAgent string
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Auth == nil {
		return nil, &ArgumentError{Name: "auth", Reason: "no credentials configured"}
	}
	c := &Client{
		base:      base,
		baseStr:   base.String(),
		auth:      cfg.Auth,
		plain:     cfg.HTTPClient,
		timeout:   cfg.Timeout,
		logger:    cfg.Logger,
		userAgent: sdkUserAgent,
	}
	if cfg.UserAgent != "" {
		c.userAgent = cfg.UserAgent + " " + sdkUserAgent
	}
	if c.plain == nil {
		c.plain = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	// The API's client is a copy of the plain one whose redirects stay on the
	// API host; the user's *http.Client itself is never modified.
	apiHTTP := *c.plain
	apiHTTP.CheckRedirect = c.checkRedirect(c.plain.CheckRedirect)
	// retryablehttp calls CloseIdleConnections on its client after a call
	// that fails; through a shared Transport that would drop the idle
	// connections of every other user of it. The wrapper has no such method,
	// which makes that call a no-op.
	rt := apiHTTP.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	apiHTTP.Transport = keepIdle{rt}

	c.rc = &retryablehttp.Client{
		HTTPClient:     &apiHTTP,
		Logger:         nil, // ours logs through RequestLogHook/CheckRetry, never headers
		RetryWaitMin:   cfg.MinWait,
		RetryWaitMax:   cfg.MaxWait,
		RetryMax:       max(cfg.MaxRetries, 0),
		RequestLogHook: countAttempt,
		CheckRetry:     c.checkRetry,
		Backoff:        backoff,
		ErrorHandler:   keepLastResponse,
		PrepareRetry:   c.prepareRetry,
	}
	return c, nil
}

// keepIdle wraps a RoundTripper, hiding its CloseIdleConnections method.
type keepIdle struct{ rt http.RoundTripper }

func (k keepIdle) RoundTrip(r *http.Request) (*http.Response, error) { return k.rt.RoundTrip(r) }

// HTTPClient returns the *http.Client the API client was built on (the one
// given with WithHTTPClient, or the default), without credentials or redirect
// restrictions: use it for requests to hosts other than the API's, such as
// the storage host of recording files. No per-call timeout is set on it.
func (c *Client) HTTPClient() *http.Client { return c.plain }

// BaseURL returns a copy of the base URL.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// AuthMode names the authentication scheme ("basic", "jwt").
func (c *Client) AuthMode() string { return c.auth.Mode() }

// Format prints the base URL and auth mode, never credentials, whatever the verb.
func (c *Client) Format(f fmt.State, _ rune) {
	if c == nil {
		fmt.Fprint(f, "api.Client(nil)")
		return
	}
	fmt.Fprintf(f, "api.Client{BaseURL: %q, Auth: %q}", c.baseStr, c.auth.Mode())
}

// callState travels in the request's context so the hooks, which
// retryablehttp shares between calls, can count and log this call's attempts.
type callState struct {
	method, path string
	attempts     int
}

type callStateKey struct{}

func stateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

var errTimeout = errors.New("per-call timeout")

// Do sends one API call: method to path (relative to the base URL, built
// with Segment), body (marshalled as JSON when non-nil), and decodes a 2xx
// JSON answer into out (when non-nil). A non-2xx answer is an *Error; a call
// without a usable answer is a *RequestError.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	if c == nil {
		return &ArgumentError{Name: "client", Reason: "is nil; create it with meetings.NewClient"}
	}
	if ctx == nil {
		return &ArgumentError{Name: "ctx", Reason: "is nil; use context.Background()"}
	}
	st := &callState{method: method, path: path}
	var callCtx context.Context
	var cancel context.CancelFunc
	if withState := context.WithValue(ctx, callStateKey{}, st); c.timeout > 0 {
		callCtx, cancel = context.WithTimeoutCause(withState, c.timeout, errTimeout)
	} else {
		callCtx, cancel = context.WithCancel(withState)
	}
	defer cancel()

	var rawBody any // nil interface: no body at all
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return &RequestError{Method: method, Path: path, Err: fmt.Errorf("encoding request body: %w", err)}
		}
		rawBody = b
	}
	req, err := retryablehttp.NewRequestWithContext(callCtx, method, c.baseStr+path, rawBody)
	if err != nil {
		return &RequestError{Method: method, Path: path, Err: err}
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := c.auth.Authenticate(req.Request); err != nil {
		return &RequestError{Method: method, Path: path, Err: fmt.Errorf("%s auth: %w", c.auth.Mode(), err)}
	}

	resp, err := c.rc.Do(req)
	if err != nil {
		return c.requestError(ctx, callCtx, st, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if err != nil && callCtx.Err() != nil {
			return c.requestError(ctx, callCtx, st, err)
		}
		return newError(method, path, resp, b, st.attempts)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJSONBody))
		return nil
	}
	b, err := readLimited(resp.Body, maxJSONBody)
	if err != nil {
		return c.requestError(ctx, callCtx, st, fmt.Errorf("reading %d response: %w", resp.StatusCode, err))
	}
	b = trimBOM(b)
	switch trimmed := bytes.TrimSpace(b); {
	case len(trimmed) == 0:
		return &RequestError{Method: method, Path: path, Attempts: st.attempts,
			Err: fmt.Errorf("%d response has an empty body, expected JSON", resp.StatusCode)}
	case string(trimmed) == "null":
		// json.Unmarshal would leave out untouched and report success.
		return &RequestError{Method: method, Path: path, Attempts: st.attempts,
			Err: fmt.Errorf("%d response is null, expected a JSON object", resp.StatusCode)}
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &RequestError{Method: method, Path: path, Attempts: st.attempts,
			Err: fmt.Errorf("decoding %d response: %w", resp.StatusCode, err)}
	}
	if ch, ok := out.(ResponseChecker); ok {
		if err := ch.CheckResponse(); err != nil {
			return &RequestError{Method: method, Path: path, Attempts: st.attempts,
				Err: fmt.Errorf("%d response %w", resp.StatusCode, err)}
		}
	}
	return nil
}

// ResponseChecker is implemented by an out value of Do that can tell a
// decoded body unusable (a recording without an id). Do calls CheckResponse
// after decoding and turns its error into a *RequestError reading
// "<status> response <err>", so err should read like "has no id".
type ResponseChecker interface {
	CheckResponse() error
}

// readLimited reads r to the end, failing when it holds more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("body exceeds the %d MiB limit", limit>>20)
	}
	return b, nil
}

// requestError wraps err for the caller; when a context ended, the cause is
// that context's error, so errors.Is(err, ctx.Err()) holds.
func (c *Client) requestError(parent, callCtx context.Context, st *callState, err error) error {
	re := &RequestError{Method: st.method, Path: st.path, Attempts: st.attempts, Err: err}
	switch {
	case parent.Err() != nil:
		re.Err = parent.Err()
	case callCtx.Err() != nil && context.Cause(callCtx) == errTimeout:
		re.Err = fmt.Errorf("timed out after %s (see WithTimeout): %w", c.timeout, context.DeadlineExceeded)
	default:
		var redirect *redirectError
		if errors.As(err, &redirect) {
			re.Err = redirect
		}
	}
	return re
}

type redirectError struct{ host string }

func (e *redirectError) Error() string { return fmt.Sprintf("%v (to %q)", ErrRedirect, e.host) }
func (e *redirectError) Unwrap() error { return ErrRedirect }

// checkRedirect keeps redirects on the API's scheme and host, so credentials
// never leave it, then applies the user's policy (or net/http's 10-hop limit).
func (c *Client) checkRedirect(user func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != c.base.Scheme || !strings.EqualFold(req.URL.Host, c.base.Host) {
			return &redirectError{host: req.URL.Host}
		}
		if user != nil {
			return user(req, via)
		}
		return safeurl.LimitRedirects(via)
	}
}

// prepareRetry re-authenticates each retry on a header copy (so a JWT is
// fresh, and the previous attempt's headers are never written concurrently).
func (c *Client) prepareRetry(req *http.Request) error {
	req.Header = req.Header.Clone()
	return c.auth.Authenticate(req)
}
