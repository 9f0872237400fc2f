package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

// countAttempt is the RequestLogHook: it runs before every attempt.
func countAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	if st := stateOf(req.Context()); st != nil {
		st.attempts++
	}
}

// idempotent reports whether a request with this method may be sent again
// after it may have reached the server (RFC 9110, section 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryableStatus: 429, and 5xx except 501 Not Implemented.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code <= 599 && code != http.StatusNotImplemented)
}

// checkRetry is the retry policy. A context that ended stops at once. A
// connection error is retried for idempotent methods, and for others only
// when the connection was never made (the request cannot have reached the
// server). 429 and 5xx except 501 are retried for idempotent methods only.
// Redirect refusals and certificate errors are never retried.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateOf(ctx)
	method := ""
	if st != nil {
		method = st.method
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		c.logAttempt(ctx, st, resp, ctxErr, false)
		return false, ctxErr
	}
	retry := false
	if err != nil {
		retry = retryableError(err) && (idempotent(method) || isDialError(err))
	} else {
		retry = retryableStatus(resp.StatusCode) && idempotent(method)
	}
	c.logAttempt(ctx, st, resp, err, retry)
	return retry, nil
}

func retryableError(err error) bool {
	var (
		redirect *redirectError
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &redirect), errors.As(err, &unknown), errors.As(err, &invalid),
		errors.As(err, &hostname), errors.As(err, &verify):
		return false
	case errors.Is(err, safeurl.ErrTooManyRedirects): // our checkRedirect's limit
		return false
	}
	return true
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// logAttempt logs one attempt at slog.LevelDebug: method, host, path,
// attempt, and status or error. Never headers, bodies or queries.
func (c *Client) logAttempt(ctx context.Context, st *callState, resp *http.Response, err error, retry bool) {
	if c.logger == nil || st == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", st.method),
		slog.String("host", c.base.Host),
		slog.String("path", c.base.EscapedPath()+st.path),
		slog.Int("attempt", st.attempts),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		msg := err.Error()
		var ue *url.Error // repeats the full URL; host and path are logged already
		if errors.As(err, &ue) && ue.Err != nil {
			msg = ue.Err.Error()
		}
		attrs = append(attrs, slog.String("error", msg))
	}
	attrs = append(attrs, slog.Bool("retry", retry))
	c.logger.LogAttrs(ctx, slog.LevelDebug, "meetings: HTTP attempt", attrs...)
}

// backoff waits between minWait and maxWait: minWait·2^attempt capped at
// maxWait, with "equal jitter" (between half and all of that, never below
// minWait). A Retry-After header (seconds or an HTTP date) on the response
// replaces it, kept within the same bounds.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(max(d, minWait), maxWait)
		}
	}
	wait := maxWait
	if attempt < 30 {
		if w := minWait << attempt; w > 0 && w < maxWait {
			wait = w
		}
	}
	half := wait / 2
	return max(half+rand.N(wait-half+1), minWait)
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP date.
func retryAfter(v string) (time.Duration, bool) { return retryAfterAt(v, time.Now()) }

func retryAfterAt(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// keepLastResponse is the ErrorHandler: when retries run out, the caller gets
// the last response (mapped to an *Error with its attempt count) instead of
// retryablehttp's "giving up after N attempts".
func keepLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	return resp, nil
}
