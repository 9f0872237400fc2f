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
	// verify, when set, checks the exact raw body right after it is read and
	// before it is parsed; an error answers 401. It is the seam for signed
	// callbacks (set by the signature options, not by users directly).
	verify func(r *http.Request, body []byte) error
}

// WithMaxBodyBytes sets the largest body the handler reads, in bytes; a
// longer one is answered 413. The default is DefaultMaxBodyBytes (64 KiB);
// n <= 0 restores it.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(c *handlerConfig) {
		if n <= 0 {
			n = DefaultMaxBodyBytes
		}
		c.maxBody = n
	}
}

// WithErrorFunc sets a function the handler calls with every answer other
// than a plain 204 success, and for events acknowledged without a handler:
// the status it sent and why (a refused request, fn's error, a recovered
// panic with its stack, or, with status 204, an error wrapping ErrUnhandled).
// Use it to log; it must not write to the response. By default such errors
// are only answered, not reported.
func WithErrorFunc(f func(r *http.Request, status int, err error)) HandlerOption {
	return func(c *handlerConfig) { c.onError = f }
}

// WithSignatureVerifier makes the handler check each callback's signature
// with v right after the body is read (within the size limit) and before it
// is parsed: a request whose Authorization
// header is missing, is not a Bearer token, or does not verify over the exact
// body bytes received is answered 401 Unauthorized (with
// "WWW-Authenticate: Bearer" and the generic reason "invalid callback
// signature"; which check failed goes only to the WithErrorFunc function)
// and never reaches fn. Without this option
// signatures are not checked. A nil v refuses every request, so a missing
// verifier fails closed rather than open.
func WithSignatureVerifier(v *Verifier) HandlerOption {
	return func(c *handlerConfig) {
		c.verify = func(r *http.Request, body []byte) error {
			if v == nil {
				return invalidSignature("WithSignatureVerifier was given a nil *Verifier")
			}
			return v.Verify(r.Header.Get("Authorization"), body)
		}
	}
}

type handler struct {
	fn func(ctx context.Context, ev Event) error
	handlerConfig
}

type headerKey struct{}

// HeaderFromContext returns the headers of the callback request being
// handled, inside the function given to NewHandler (the sender may put room
// metadata in a header). It returns nil for any other context, a nil one
// included. The header is the request's own: read it, do not modify it.
func HeaderFromContext(ctx context.Context) http.Header {
	if ctx == nil {
		return nil
	}
	h, _ := ctx.Value(headerKey{}).(http.Header)
	return h
}

// NewHandler returns an http.Handler that receives Meetings callbacks, parses
// each with Parse and calls fn with the event. Unknown events reach fn as
// *Unknown. To route by event type without a type switch, pass a Mux's
// Dispatch method as fn.
//
// fn's context carries the request's headers (HeaderFromContext) and is
// cancelled when the client goes away. The handler answers:
//
//   - 204 No Content when fn returns nil, and also when fn returns an error
//     wrapping ErrUnhandled (a Mux without a route or fallback for the
//     event): the event is acknowledged, so the sender does not retry it
//     forever, and the error goes to the WithErrorFunc function;
//   - 400 Bad Request, with a short plain-text reason, for a body that is not a
//     valid callback (or that could not be read);
//   - 405 Method Not Allowed for any method but POST;
//   - 413 Request Entity Too Large for a body over the limit (WithMaxBodyBytes,
//     64 KiB by default): an oversized Content-Length is refused before
//     reading, and no more than limit+1 bytes are ever read;
//   - 415 Unsupported Media Type for a Content-Type that is not JSON
//     (application/json or any application/*+json), or that names a charset
//     other than utf-8 or us-ascii (in any case): JSON is UTF-8, and reading
//     another charset as UTF-8 would silently turn its non-ASCII bytes into
//     U+FFFD. Other parameters are ignored;
//   - 500 Internal Server Error when fn returns an error or panics, so the
//     sender retries. A panic is recovered and the server keeps serving
//     (http.ErrAbortHandler is re-raised, as net/http expects).
//
// A request without a Content-Type is accepted as JSON: the Meetings API does
// not document the header it sends, and refusing would make the sender retry
// a callback forever; the body must still parse as a JSON callback.
//
// A nil fn is a programming error that NewHandler cannot return: the handler
// then answers every callback 500 with that reason (reported to
// WithErrorFunc), so the sender keeps the callbacks and retries them.
func NewHandler(fn func(ctx context.Context, ev Event) error, opts ...HandlerOption) http.Handler {
	if fn == nil {
		fn = func(context.Context, Event) error {
			return errors.New("callbacks: NewHandler was given a nil function")
		}
	}
	h := &handler{fn: fn, handlerConfig: handlerConfig{maxBody: DefaultMaxBodyBytes}}
	for _, o := range opts {
		if o != nil {
			o(&h.handlerConfig)
		}
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, fmt.Errorf("callbacks: method %s not allowed: use POST", r.Method))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
			h.fail(w, r, http.StatusUnsupportedMediaType, errors.New("callbacks: content type is not JSON"))
			return
		}
		// JSON is UTF-8 (RFC 8259): decoding another charset as UTF-8 would
		// silently turn its non-ASCII bytes into U+FFFD.
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
			h.fail(w, r, http.StatusUnsupportedMediaType,
				fmt.Errorf("callbacks: charset %q is not supported: JSON callbacks must be UTF-8", cs))
			return
		}
	}
	body, err := readBody(r, h.maxBody)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrBodyTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.fail(w, r, status, err)
		return
	}
	if h.verify != nil {
		if err := h.verify(r, body); err != nil {
			w.Header().Set("WWW-Authenticate", "Bearer")
			h.fail(w, r, http.StatusUnauthorized, err)
			return
		}
	}
	ev, err := parse(body) // body is ours: no copy needed
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := context.WithValue(r.Context(), headerKey{}, r.Header)
	if err := h.call(ctx, ev); err != nil {
		if errors.Is(err, ErrUnhandled) { // no function for it: acknowledge, but never silently
			if h.onError != nil {
				h.onError(r, http.StatusNoContent, err)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// call runs fn, turning a panic into an error.
func (h *handler) call(ctx context.Context, ev Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return h.fn(ctx, ev)
}

type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("callbacks: handler function panicked: %v\n%s", e.value, e.stack)
}

// fail answers status with a short plain-text reason. For a 500 the reason is
// generic: fn's error may hold internals the sender must not see. For a 401
// it is generic too: telling which check failed would help a forger; the
// detail goes to the WithErrorFunc function only.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.onError != nil {
		h.onError(r, status, err)
	}
	msg := err.Error()
	switch status {
	case http.StatusInternalServerError:
		msg = "callbacks: the callback was not processed; retry later"
	case http.StatusUnauthorized:
		msg = "invalid callback signature"
	}
	http.Error(w, msg, status)
}
