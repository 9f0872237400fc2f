package meetings

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
	"runtime"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.2.0"

var userAgent = "vonage-meetings-go/" + Version + " (" + runtime.GOOS + " " + runtime.GOARCH + ") go/" +
	strings.TrimPrefix(runtime.Version(), "go")

// Limits on what is read of a response.
const (
	maxJSONBody  = 10 << 20
	maxErrorBody = 1 << 20
)

// Config is what New needs; package meetings fills it from its options.
type Config struct {
	BaseURL          *url.URL     // checked by ParseBaseURL
	Auth             Auth         // the credentials of requests to the base URL's host
	HTTPClient       *http.Client // nil: a pooled client of its own
	Timeout          time.Duration
	MaxRetries       int
	MinWait, MaxWait time.Duration
	Logger           *slog.Logger // nil: no logging
	UserAgent        string       // a product token put before the SDK's own, or ""
}

// Conn is the connection to one API base URL, shared by every service of a
// client. It is safe for concurrent use.
type Conn struct {
	base    *url.URL
	baseStr string
	auth    Auth
	api     *retryablehttp.Client // credentials on, redirects kept on the API host
	storage *retryablehttp.Client // no credentials, https-only redirects
	timeout time.Duration
	maxWait time.Duration
	logger  *slog.Logger
	agent   string
}

// New builds a Conn. It never modifies cfg.HTTPClient.
func New(cfg Config) *Conn {
	hc := cfg.HTTPClient
	if hc == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64 // concurrent callers reuse connections instead of opening new ones
		hc = &http.Client{Transport: t}
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c := &Conn{base: cfg.BaseURL, auth: cfg.Auth, baseStr: cfg.BaseURL.String(), timeout: cfg.Timeout, maxWait: cfg.MaxWait,
		logger: cfg.Logger, agent: strings.TrimSpace(cfg.UserAgent + " " + userAgent)}
	apiHC, storageHC := *hc, *hc
	apiHC.Transport, storageHC.Transport = keepIdle{rt}, keepIdle{rt}
	apiHC.CheckRedirect = c.sameHost
	storageHC.CheckRedirect = secureRedirect
	storageHC.Timeout = 0 // only the context bounds a download
	c.api, c.storage = c.retrying(&apiHC, cfg), c.retrying(&storageHC, cfg)
	return c
}

func (c *Conn) retrying(hc *http.Client, cfg Config) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:     hc,
		RetryWaitMin:   cfg.MinWait,
		RetryWaitMax:   cfg.MaxWait,
		RetryMax:       cfg.MaxRetries,
		RequestLogHook: countAttempt,
		CheckRetry:     c.checkRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
	}
}

// keepIdle hides its transport's CloseIdleConnections method: retryablehttp
// calls it after a failed call, which would drop the idle connections of
// every other caller.
type keepIdle struct{ http.RoundTripper }

// sameHost keeps the API's redirects on its scheme and host.
func (c *Conn) sameHost(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != c.base.Scheme || !strings.EqualFold(req.URL.Host, c.base.Host) {
		return fmt.Errorf("%w (to %s)", ErrRedirect, req.URL.Host)
	}
	return limitRedirects(via)
}

// secureRedirect lets storage redirect to secure URLs only.
func secureRedirect(req *http.Request, via []*http.Request) error {
	if _, err := SecureURL(req.URL.String()); err != nil {
		return fmt.Errorf("%w (to %s)", ErrRedirect, RedactURL(req.URL.String()))
	}
	return limitRedirects(via)
}

func limitRedirects(via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("%w (more than 10 hops)", ErrRedirect)
	}
	return nil
}

// Client is one service package's handle on the Conn: its errors begin with
// the package's name.
type Client struct {
	*Conn
	pkg string
}

// For returns the handle of package pkg ("recordings", "rooms", ...).
func (c *Conn) For(pkg string) *Client { return &Client{c, pkg} }

// Services holds the constructors of the service packages' Service types.
// Each package sets its own in an init function, so that package meetings
// can build them without a constructor in their public API.
var Services struct{ Recordings, Rooms, Themes func(*Client) any }

// call is one call's state, carried in its context for the retry hooks.
type call struct {
	method, path string
	attempts     int
}

type callKey struct{}

var errTimeout = errors.New("per-call timeout")

// Do sends one API call: method to path (relative to the base URL, built
// from Segment), with q's fields as the query string (go-querystring tags;
// nil for none), in marshalled as the JSON body (nil for none), and decodes
// a 2xx JSON answer into out (nil to discard it; a *json.RawMessage gets
// the body as it is, even empty, for the caller to decode).
func (c *Client) Do(ctx context.Context, method, path string, q, in, out any) error {
	st := &call{method: method, path: path}
	ctx2, cancel := context.WithTimeoutCause(context.WithValue(ctx, callKey{}, st), c.timeout, errTimeout)
	defer cancel()
	fail := func(err error) error {
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case context.Cause(ctx2) == errTimeout:
			err = fmt.Errorf("timed out after %s (see WithTimeout): %w", c.timeout, context.DeadlineExceeded)
		default:
			err = cause(err)
		}
		return &RequestError{Method: method, Path: path, Attempts: st.attempts, Err: err, pkg: c.pkg}
	}

	u := c.baseStr + path
	if q != nil {
		v, err := query.Values(q)
		if err != nil {
			return fail(err)
		}
		if enc := v.Encode(); enc != "" {
			u += "?" + enc
		}
	}
	var body any
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fail(fmt.Errorf("encoding the request body: %w", err))
		}
		body = b
	}
	req, err := retryablehttp.NewRequestWithContext(ctx2, method, u, body)
	if err != nil {
		return fail(err)
	}
	// Set once for all attempts: a token outlives a call's timeout by far, and
	// net/http forwards it only on redirects that sameHost lets through.
	auth, err := c.auth.Header()
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.api.Do(req)
	if err != nil {
		if resp != nil { // the context ended as the answer came
			resp.Body.Close()
		}
		return fail(err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if resp.StatusCode == http.StatusNotFound && method == http.MethodDelete && st.attempts > 1 {
			return nil // an earlier attempt may have deleted it: the goal holds
		}
		return newAPIError(c.pkg, method, path, resp, b, st.attempts)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxJSONBody))
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody+1))
	switch {
	case err != nil:
		return fail(fmt.Errorf("reading the %d answer: %w", resp.StatusCode, err))
	case len(b) > maxJSONBody:
		return fail(fmt.Errorf("the %d answer is larger than %d MiB", resp.StatusCode, maxJSONBody>>20))
	}
	raw, isRaw := out.(*json.RawMessage)
	switch b = bytes.TrimSpace(trimBOM(b)); {
	case isRaw:
		*raw = b
		return nil
	case len(b) == 0, string(b) == "null":
		return fail(fmt.Errorf("the %d answer has no JSON value", resp.StatusCode))
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fail(fmt.Errorf("decoding the %d answer: %w", resp.StatusCode, err))
	}
	return nil
}

// Storage sends a request to a storage host (a recording's file, a logo's
// upload target): without credentials, to secure URLs only, under the same
// retry rule as API calls. It returns a 2xx answer, whose body the caller
// closes; any other answer is a *StorageError, a failed request a
// *RequestError whose Path is the redacted URL.
func (c *Client) Storage(ctx context.Context, method, rawURL string, h http.Header, body []byte) (*http.Response, error) {
	shown := RedactURL(rawURL)
	if _, err := SecureURL(rawURL); err != nil {
		return nil, &ArgumentError{Name: "URL", Reason: err.Error(), pkg: c.pkg}
	}
	st := &call{method: method, path: shown}
	var b any
	if body != nil {
		b = body
	}
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, callKey{}, st), method, rawURL, b)
	if err != nil {
		return nil, &RequestError{Method: method, Path: shown, Err: err, pkg: c.pkg}
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.storage.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if err = cause(err); ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, &RequestError{Method: method, Path: shown, Attempts: st.attempts, Err: err, pkg: c.pkg}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
		return nil, newStorageError(c.pkg, shown, resp, b)
	}
	return resp, nil
}

// cause drops the *url.Error around err: it repeats the whole URL, which
// may be a signed one or a redirect's target.
func cause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Timeout is the per-call timeout of API calls, for other bounded calls.
func (c *Conn) Timeout() time.Duration { return c.timeout }

// Arg returns an *ArgumentError of the Client's package.
func (c *Client) Arg(name, reason string) *ArgumentError {
	return &ArgumentError{Name: name, Reason: reason, pkg: c.pkg}
}

// Segment checks an ID argument and escapes it as one path segment: an
// empty ID, "." or ".." is refused, so an ID never reaches another endpoint.
func (c *Client) Segment(name, id string) (string, error) {
	switch id {
	case "":
		return "", c.Arg(name, "is empty")
	case ".", "..":
		return "", c.Arg(name, fmt.Sprintf("%q is not an ID", id))
	}
	return url.PathEscape(id), nil
}
