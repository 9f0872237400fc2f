package callbacks

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
)

// HandlerOption configures NewHandler.
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	maxBody int64
	onError func(r *http.Request, status int, err error)
	verify  func(r *http.Request, body []byte) error
}

// WithMaxBodyBytes sets the largest body the handler reads; a longer one is
// answered 413. n <= 0 means the default, DefaultMaxBodyBytes (64 KiB).
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(c *handlerConfig) {
		if c.maxBody = n; n <= 0 {
			c.maxBody = DefaultMaxBodyBytes
		}
	}
}

// WithErrorFunc sets a function called, before the answer, with every status
// but a plain 204 and why: a refusal, fn's error, a panic with its stack, or
// with 204 an ErrUnhandled. Use it to log; it must not write the response.
func WithErrorFunc(f func(r *http.Request, status int, err error)) HandlerOption {
	return func(c *handlerConfig) { c.onError = f }
}

// WithSignatureVerifier makes the handler check each callback's signature
// with v over the exact body received, before parsing it, and answer 401
// with "WWW-Authenticate: Bearer" and a generic reason (the failed check goes
// to WithErrorFunc only) to a missing or invalid one. A nil v refuses all.
func WithSignatureVerifier(v *Verifier) HandlerOption {
	return func(c *handlerConfig) {
		c.verify = func(r *http.Request, body []byte) error { return v.Verify(r.Header.Get("Authorization"), body) }
	}
}

type headerKey struct{}

// HeaderFromContext returns the headers of the callback request inside the
// function given to NewHandler (the sender may put a room's metadata in a
// header), and nil for any other context. Do not modify them.
func HeaderFromContext(ctx context.Context) http.Header {
	h, _ := ctx.Value(headerKey{}).(http.Header)
	return h
}

// NewHandler returns an http.Handler that receives Meetings callbacks: it
// parses each body with Parse and calls fn with the event (*Unknown for an
// event this version does not know). To route by event type, pass a Mux's
// Dispatch as fn. fn's context is the request's, carrying its headers
// (HeaderFromContext): it ends when the handler returns, so hand slow work
// to another goroutine (see the package doc). The handler answers:
//
//   - 204 when fn returns nil, or an error wrapping ErrUnhandled;
//   - 400, with a short plain-text reason, for a body that is not a callback;
//   - 401 for a missing or invalid signature, with WithSignatureVerifier;
//   - 405 for a method other than POST;
//   - 413 for a body over the limit (WithMaxBodyBytes): a Content-Length over
//     it is refused before reading, and at most limit+1 bytes are read;
//   - 415 for a Content-Type that is not application/json or
//     application/*+json, or names a charset but utf-8 or us-ascii (a
//     request without one is accepted);
//   - 500 when fn returns another error or panics, so that the sender
//     retries; fn's error is not sent back.
func NewHandler(fn func(ctx context.Context, ev Event) error, opts ...HandlerOption) http.Handler {
	h := &handler{fn: fn, handlerConfig: handlerConfig{maxBody: DefaultMaxBodyBytes}}
	for _, opt := range opts {
		if opt != nil {
			opt(&h.handlerConfig)
		}
	}
	return h
}

type handler struct {
	fn func(ctx context.Context, ev Event) error
	handlerConfig
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, err := h.serve(r)
	if err != nil && h.onError != nil {
		h.onError(r, status, err)
	}
	switch status {
	case http.StatusNoContent:
		w.WriteHeader(status)
		return
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", http.MethodPost)
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", "Bearer")
		err = errors.New("callbacks: invalid callback signature")
	case http.StatusInternalServerError:
		err = errors.New("callbacks: the callback was not processed; retry later")
	}
	http.Error(w, err.Error(), status)
}

// serve handles one request and returns the status to answer and why.
func (h *handler) serve(r *http.Request) (int, error) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, fmt.Errorf("callbacks: method %s is not allowed; use POST", r.Method)
	}
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return http.StatusUnsupportedMediaType, err
	}
	body, err := readBody(r, h.maxBody)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge, err
	}
	if err != nil {
		return http.StatusBadRequest, err
	}
	if h.verify != nil {
		if err := h.verify(r, body); err != nil {
			return http.StatusUnauthorized, err
		}
	}
	ev, err := parse(body) // body is ours: no copy
	if err != nil {
		return http.StatusBadRequest, err
	}
	if err := h.call(context.WithValue(r.Context(), headerKey{}, r.Header), ev); err != nil {
		if errors.Is(err, ErrUnhandled) {
			return http.StatusNoContent, err
		}
		return http.StatusInternalServerError, err
	}
	return http.StatusNoContent, nil
}

// checkContentType refuses a type that is not JSON, and JSON in a charset
// that decoding as UTF-8 would mangle.
func checkContentType(ct string) error {
	if ct == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return fmt.Errorf("callbacks: content type %q is not JSON", ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
		return fmt.Errorf("callbacks: charset %q is not supported; JSON is UTF-8", cs)
	}
	return nil
}

// call runs fn, turning a panic but http.ErrAbortHandler into an error.
func (h *handler) call(ctx context.Context, ev Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err = fmt.Errorf("callbacks: handler function panicked: %v\n%s", v, debug.Stack())
		}
	}()
	return h.fn(ctx, ev)
}
