package meetings

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// countAttempt is the RequestLogHook: it runs before every attempt.
func countAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	if st, ok := req.Context().Value(callKey{}).(*call); ok {
		st.attempts++
	}
}

// checkRetry is the one retry rule, for API calls and storage requests alike:
//   - a context that ended stops at once;
//   - a refused redirect and an untrusted certificate are never retried;
//   - other connection errors are retried for idempotent methods, and for
//     any method when the connection was never made;
//   - 429 and 5xx except 501 are retried for idempotent methods, unless
//     their Retry-After asks for a longer wait than the policy's cap: then
//     the answer is returned at once, carrying RetryAfter.
func (c *Conn) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st, _ := ctx.Value(callKey{}).(*call)
	if st == nil {
		st = &call{}
	}
	retry := false
	switch {
	case ctx.Err() != nil:
		c.log(ctx, st, resp, ctx.Err(), false)
		return false, ctx.Err()
	case err != nil:
		retry = retryableError(err) && (idempotent(st.method) || dialError(err))
	default:
		code := resp.StatusCode
		retry = (code == http.StatusTooManyRequests || code >= 500 && code != http.StatusNotImplemented) &&
			idempotent(st.method) && retryAfter(resp) <= c.maxWait
	}
	c.log(ctx, st, resp, err, retry)
	return retry, nil
}

// idempotent: methods that may be sent again after reaching the server (RFC 9110, 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func retryableError(err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
	)
	return !errors.Is(err, ErrRedirect) && !errors.As(err, &unknown) && !errors.As(err, &invalid) &&
		!errors.As(err, &hostname) && !errors.As(err, &verify)
}

func dialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// backoff waits minWait·2^attempt capped at maxWait, with equal jitter
// (between half and all of it, never below minWait); a Retry-After (which
// checkRetry has kept within maxWait) is waited in full.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if ra := retryAfter(resp); ra > 0 {
		return max(ra, minWait)
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

// retryAfter is the answer's Retry-After (seconds or an HTTP date), 0 if none.
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// log writes one attempt at debug level: method, host, path, attempt, status
// or error, and the decision. Never headers, bodies or queries.
func (c *Conn) log(ctx context.Context, st *call, resp *http.Response, err error, retry bool) {
	if c.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("method", st.method), slog.String("path", st.path), slog.Int("attempt", st.attempts)}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redactError(err)))
	}
	attrs = append(attrs, slog.Bool("retry", retry))
	c.logger.LogAttrs(ctx, slog.LevelDebug, "meetings: HTTP attempt", attrs...)
}
