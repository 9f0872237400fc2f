package download

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vonage-meetings/go-sdk/internal/safeurl"
)

// ErrNotResumable is wrapped by the error for a download whose connection was
// lost mid-body when the server cannot continue it: it sent
// "Accept-Ranges: none", answered a Range request with the whole file (200),
// or resumed at another offset than the one asked for.
var ErrNotResumable = errors.New("server cannot resume the download")

// ErrChanged is wrapped by the error for a download whose file changed on the
// server between the first response and a resumed one (another ETag,
// Last-Modified or size), so the parts cannot be joined.
var ErrChanged = errors.New("file changed on the server during the download")

const (
	bufferSize       = 128 << 10 // one buffer per download: memory stays flat
	defaultRetryWait = 250 * time.Millisecond
	maxRetryWait     = 5 * time.Second
)

// Options tune a download. The zero value is ready to use, and retries
// nothing.
type Options struct {
	// Progress, when set, is called on the downloading goroutine: once when
	// the response headers arrive (done is 0, or the offset a resumed
	// download continues from), then after each chunk is written. total is
	// the file's size from Content-Length or Content-Range, or -1 when the
	// server did not say. The download waits for it, so keep it short.
	// ToFile may report done going back to 0 when it restarts from scratch.
	Progress func(done, total int64)

	// MaxRetries bounds how many times a failed attempt is tried again: a
	// connection error or a 408, 429, 500, 502, 503 or 504 answer, and a
	// connection lost mid-body (continued with a Range request). Zero (or a
	// negative value) means never: the caller picks the budget.
	MaxRetries int

	// RetryWait is the wait before the first retry; it doubles for each
	// further one, up to 5s. Zero means 250ms.
	RetryWait time.Duration
}

// StatusError is the error for an answer outside 2xx. It names the status and
// the URL without its query string (the storage host's signature), and the
// storage service's error code and message when the body carries an
// S3-style XML error.
type StatusError struct {
	StatusCode int    // e.g. 403
	Status     string // e.g. "403 Forbidden"
	URL        string // scheme://host/path, without query string
	Code       string // the body's <Code>, e.g. "AccessDenied"; may be empty
	Message    string // the body's <Message>, e.g. "Request has expired"; may be empty
}

// Error returns, for example,
// "download https://storage.example/rec.mp4: server answered 403 Forbidden (AccessDenied: Request has expired)".
func (e *StatusError) Error() string {
	s := fmt.Sprintf("download %s: server answered %s", e.URL, e.Status)
	switch {
	case e.Code != "" && e.Message != "":
		s += fmt.Sprintf(" (%s: %s)", e.Code, e.Message)
	case e.Code != "" || e.Message != "":
		s += " (" + e.Code + e.Message + ")"
	}
	return s
}

// To downloads the file at rawURL and streams it into w, returning the number
// of bytes written.
//
// rawURL must be https, or http to a loopback host; it is fetched with hc
// (http.DefaultClient when nil), which must be a plain client whose
// Transport adds no credentials: To never sets an Authorization header and
// leaves the client's cookie jar out. A client Timeout also bounds the body,
// so limit big downloads with ctx instead.
//
// When the connection is lost mid-body, To continues with a Range request
// (bounded by Options.MaxRetries) if the server allows it and the file has
// not changed; as w cannot be rewound, it never starts over. A body shorter
// than its Content-Length is an error wrapping io.ErrUnexpectedEOF, and the
// error also wraps ErrNotResumable or ErrChanged when that is why it could not
// be continued; when the server refuses the resume outright (a 403, 404 or
// 416, say), that error wraps its *StatusError as well. Any other answer
// outside 2xx is a *StatusError. When ctx ends, the
// error satisfies errors.Is(err, ctx.Err()). Errors never contain the URL's
// query string. On error, n tells how many bytes already reached w.
func To(ctx context.Context, hc *http.Client, rawURL string, w io.Writer, o Options) (n int64, err error) {
	if w == nil {
		return 0, errors.New("download: destination writer is nil")
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return 0, err
	}
	j := newJob(hc, u, w, o)
	return j.run(ctx)
}

// job is one download's state across its attempts.
type job struct {
	hc      *http.Client
	u       *url.URL
	shown   string // redacted URL for errors
	w       io.Writer
	o       Options
	restart func() error // rewinds w to empty; nil when w cannot be rewound
	buf     []byte

	started      bool   // a first response was accepted; later attempts resume
	resuming     bool   // this attempt continues a body w holds part of, and its answer is not accepted yet
	done         int64  // bytes written to w
	total        int64  // file size, or -1 when unknown
	rangeEnd     int64  // last byte (inclusive) the current 206 covers, or -1
	etag         string // strong ETag of the first response
	lastModified string
	noRanges     bool // the server said "Accept-Ranges: none"
}

func newJob(hc *http.Client, u *url.URL, w io.Writer, o Options) *job {
	if o.RetryWait <= 0 {
		o.RetryWait = defaultRetryWait
	}
	return &job{hc: client(hc), u: u, shown: safeurl.Redact(u), w: w, o: o, total: -1, rangeEnd: -1}
}

// transient marks an attempt's failure as worth another attempt.
type transient struct {
	err     error
	midBody bool // the body was cut: the error must report it as truncated
}

func (t *transient) Error() string { return t.err.Error() }
func (t *transient) Unwrap() error { return t.err }

// errMoreRanges reports that a 206 answer ended cleanly at the end of a range
// shorter than the rest of the file: the next attempt asks for the rest and
// is not counted as a retry.
var errMoreRanges = errors.New("more ranges to fetch")

func (j *job) run(ctx context.Context) (int64, error) {
	retries := 0
	for {
		err := j.attempt(ctx)
		if err == nil {
			return j.done, nil
		}
		if errors.Is(err, errMoreRanges) {
			continue
		}
		if ctx.Err() != nil {
			return j.done, fmt.Errorf("download %s: stopped after %s: %w", j.shown, j.progressText(), ctx.Err())
		}
		var t *transient
		if !errors.As(err, &t) {
			if j.resuming && !errors.Is(err, io.ErrUnexpectedEOF) {
				// A final answer to a resume (403, 404, 416…) leaves w
				// short like the cut it was to mend: report it as one.
				return j.done, j.cutError(err, retries, nil)
			}
			return j.done, err
		}
		if t.midBody && j.noRanges && j.restart == nil {
			return j.done, j.cutError(t.err, retries, fmt.Errorf("%w (it sent Accept-Ranges: none)", ErrNotResumable))
		}
		if retries >= j.o.MaxRetries {
			if t.midBody {
				return j.done, j.cutError(t.err, retries, nil)
			}
			if retries > 0 {
				return j.done, fmt.Errorf("%w (gave up after %d retries)", t.err, retries)
			}
			return j.done, t.err
		}
		retries++
		if err := sleep(ctx, j.wait(retries)); err != nil {
			return j.done, fmt.Errorf("download %s: stopped after %s: %w", j.shown, j.progressText(), err)
		}
	}
}

// cutError reports a body that ended before its end. It wraps
// io.ErrUnexpectedEOF, why it could not be continued (reason, may be nil) and
// the cause.
func (j *job) cutError(cause error, retries int, reason error) error {
	if errors.Is(cause, io.ErrUnexpectedEOF) || errors.Is(cause, io.EOF) {
		cause = nil
	}
	msg := fmt.Sprintf("download %s: body ended after %s", j.shown, j.progressText())
	if retries > 0 {
		msg += fmt.Sprintf(" and %d resume attempts", retries)
	}
	var errs []error
	format := "%s"
	for _, e := range []error{reason, cause, io.ErrUnexpectedEOF} {
		if e != nil {
			errs = append(errs, e)
			format += ": %w"
		}
	}
	args := []any{msg}
	for _, e := range errs {
		args = append(args, e)
	}
	return fmt.Errorf(format, args...)
}

func (j *job) progressText() string {
	if j.total >= 0 {
		return fmt.Sprintf("%d of %d bytes", j.done, j.total)
	}
	return fmt.Sprintf("%d bytes (size unknown)", j.done)
}

func (j *job) wait(retry int) time.Duration {
	d := j.o.RetryWait
	for i := 1; i < retry && d < maxRetryWait; i++ {
		d *= 2
	}
	return min(d, maxRetryWait)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt sends one request (a Range request once a first response was
// accepted) and copies its body into w.
func (j *job) attempt(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.u.String(), nil)
	if err != nil {
		return fmt.Errorf("download %s: %w", j.shown, err)
	}
	// The stored bytes, not a re-encoding: offsets must mean the same thing
	// in every attempt, and Content-Length must count what is written.
	req.Header.Set("Accept-Encoding", "identity")
	resuming := j.started
	j.resuming = resuming
	if resuming {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", j.done))
		switch {
		case j.etag != "":
			req.Header.Set("If-Range", j.etag)
		case j.lastModified != "":
			req.Header.Set("If-Range", j.lastModified)
		}
	}
	resp, err := j.hc.Do(req)
	if err != nil {
		return &transient{err: fmt.Errorf("download: %w", redactError(err)), midBody: resuming}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return j.statusError(resp, resuming)
	}
	if resuming {
		err = j.acceptResumed(resp)
	} else {
		err = j.acceptFirst(resp)
	}
	if err != nil {
		return err
	}
	j.resuming = false // errors from here on are the new body's own
	if j.o.Progress != nil {
		j.o.Progress(j.done, j.total)
	}
	return j.copy(resp.Body)
}

// statusError builds the *StatusError for resp, marked transient when the
// status is worth retrying.
func (j *job) statusError(resp *http.Response, midBody bool) error {
	e := &StatusError{StatusCode: resp.StatusCode, Status: resp.Status, URL: j.shown}
	if e.Status == "" {
		e.Status = strconv.Itoa(resp.StatusCode)
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		var body struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		}
		if xml.NewDecoder(io.LimitReader(resp.Body, 8<<10)).Decode(&body) == nil {
			e.Code, e.Message = clip(body.Code), clip(body.Message)
		}
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return &transient{err: e, midBody: midBody}
	}
	return e
}

// clip trims s and shortens it to at most 200 bytes plus "…", cutting
// before a rune that would be split so the result stays valid UTF-8.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if n := 200; len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return s
}

// acceptFirst checks a response to a request without Range and records the
// file's size and validators.
func (j *job) acceptFirst(resp *http.Response) error {
	if resp.StatusCode == http.StatusPartialContent {
		return fmt.Errorf("download %s: server answered 206 Partial Content to a request for the whole file", j.shown)
	}
	j.started = true
	j.total = resp.ContentLength
	j.rangeEnd = -1
	j.etag = strongETag(resp.Header.Get("ETag"))
	j.lastModified = resp.Header.Get("Last-Modified")
	j.noRanges = strings.EqualFold(strings.TrimSpace(resp.Header.Get("Accept-Ranges")), "none")
	return nil
}

// acceptResumed checks the answer to a Range request: a 206 whose
// Content-Range starts where w stopped, for the same file. A 200 is the whole
// file again: taken from the start when w can be rewound, an error otherwise.
func (j *job) acceptResumed(resp *http.Response) error {
	if resp.StatusCode != http.StatusPartialContent {
		why := fmt.Errorf("%w (it answered %s to a Range request)", ErrNotResumable, resp.Status)
		if resp.StatusCode == http.StatusOK && j.changed(resp) {
			why = fmt.Errorf("%w (it answered %s to a Range request with If-Range)", ErrChanged, resp.Status)
		}
		if j.restart == nil || resp.StatusCode != http.StatusOK {
			return j.cutError(nil, 0, why)
		}
		if err := j.restart(); err != nil {
			return fmt.Errorf("download %s: starting over: %w", j.shown, err)
		}
		j.done = 0
		return j.acceptFirst(resp)
	}
	start, end, size, err := parseContentRange(resp.Header.Get("Content-Range"))
	if err != nil {
		return j.startOver(fmt.Errorf("%w: %v", ErrNotResumable, err))
	}
	if start != j.done {
		return j.startOver(fmt.Errorf("%w (asked for byte %d, it sent from byte %d)", ErrNotResumable, j.done, start))
	}
	if j.changed(resp) || (size >= 0 && j.total >= 0 && size != j.total) {
		return j.startOver(ErrChanged)
	}
	if resp.ContentLength >= 0 && resp.ContentLength != end-start+1 {
		return j.startOver(fmt.Errorf("%w (Content-Range covers %d bytes, Content-Length says %d)", ErrNotResumable, end-start+1, resp.ContentLength))
	}
	if j.total < 0 {
		j.total = size
	}
	j.rangeEnd = end
	return nil
}

// startOver handles a resumed answer that cannot be joined to what w holds,
// for the reason why. When w cannot be rewound, the download ends with an
// error wrapping why and io.ErrUnexpectedEOF. Otherwise w is emptied and the
// returned transient error makes the next attempt (counted as a retry) fetch
// the whole file again.
func (j *job) startOver(why error) error {
	if j.restart == nil {
		return j.cutError(nil, 0, why)
	}
	if err := j.restart(); err != nil {
		return fmt.Errorf("download %s: starting over: %w", j.shown, err)
	}
	j.done, j.started = 0, false
	j.total, j.rangeEnd = -1, -1
	return &transient{err: fmt.Errorf("download %s: starting over: %w", j.shown, why)}
}

// changed reports whether resp names another version of the file than the
// first response did.
func (j *job) changed(resp *http.Response) bool {
	if j.etag != "" {
		if et := resp.Header.Get("ETag"); et != "" && et != j.etag {
			return true
		}
	}
	if j.lastModified != "" {
		if lm := resp.Header.Get("Last-Modified"); lm != "" && lm != j.lastModified {
			return true
		}
	}
	return false
}

// copy streams body into w through the job's one buffer, keeping the count
// and calling Progress. A read error is transient (the body was cut); a
// write error is final.
func (j *job) copy(body io.Reader) error {
	if j.buf == nil {
		j.buf = make([]byte, bufferSize)
	}
	limit := j.total // bytes w may hold at the end of this body
	if j.rangeEnd >= 0 {
		limit = j.rangeEnd + 1
	}
	for {
		nr, rerr := body.Read(j.buf)
		if nr > 0 {
			if limit >= 0 && j.done+int64(nr) > limit {
				return fmt.Errorf("download %s: server sent more than the %d bytes it announced", j.shown, limit)
			}
			nw, werr := j.w.Write(j.buf[:nr])
			if nw < 0 || nw > nr {
				nw, werr = 0, fmt.Errorf("writer returned invalid count %d", nw)
			}
			j.done += int64(nw)
			if werr == nil && nw < nr {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return fmt.Errorf("download %s: writing after %s: %w", j.shown, j.progressText(), werr)
			}
			if j.o.Progress != nil {
				j.o.Progress(j.done, j.total)
			}
		}
		switch {
		case rerr == nil:
			continue
		case !errors.Is(rerr, io.EOF):
			return &transient{err: rerr, midBody: true}
		case limit >= 0 && j.done < limit:
			// A clean end before the announced length. Go's transport
			// reports that as io.ErrUnexpectedEOF when Content-Length was
			// set; this catches bodies without one (chunked).
			return &transient{err: io.ErrUnexpectedEOF, midBody: true}
		case j.total >= 0 && j.done < j.total:
			return errMoreRanges // a 206 for part of the rest ended cleanly
		default:
			return nil
		}
	}
}

// strongETag returns etag, or "" when it is weak (If-Range needs a strong
// validator).
func strongETag(etag string) string {
	if strings.HasPrefix(etag, "W/") {
		return ""
	}
	return etag
}

// parseContentRange parses "bytes first-last/size" (size may be "*", giving
// -1).
func parseContentRange(v string) (first, last, size int64, err error) {
	bad := fmt.Errorf("malformed Content-Range %q", v)
	rest, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !ok {
		return 0, 0, 0, bad
	}
	span, sz, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, 0, 0, bad
	}
	a, b, ok := strings.Cut(span, "-")
	if !ok {
		return 0, 0, 0, bad
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || first < 0 || last < first {
		return 0, 0, 0, bad
	}
	size = -1
	if sz != "*" {
		size, err = strconv.ParseInt(sz, 10, 64)
		if err != nil || size <= last {
			return 0, 0, 0, bad
		}
	}
	return first, last, size, nil
}
