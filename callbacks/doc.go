// Package callbacks decodes the callbacks (webhooks) that the Vonage Meetings
// API POSTs to your service, and serves them with a ready http.Handler.
//
// It depends on the standard library, plus golang-jwt for signature checks
// (github.com/golang-jwt/jwt/v5) and two small internal packages of this
// module (URL redaction, token IDs): a webhook receiver does not pull in the
// HTTP client of package meetings or its retry library.
//
// # Events
//
// Every callback is a JSON object whose "event" value names its type. Parse
// returns one pointer type per event:
//
//	room:expired                  *RoomExpired
//	session:started               *SessionStarted
//	session:ended                 *SessionEnded
//	recording:started             *RecordingStarted
//	recording:ended               *RecordingEnded
//	recording:uploaded            *RecordingUploaded  (also sent as recording:ready)
//	session:participant:joined    *ParticipantJoined  (also sent as participant:joined)
//	session:participant:left      *ParticipantLeft    (also sent as participant:left)
//	anything else                 *Unknown, with no error
//
// Aliases decode to the canonical type, whose EventType returns the canonical
// constant; WireEventType tells which spelling arrived. KnownEventTypes lists
// the canonical types.
//
// On the wire, "duration" is seconds, as a JSON number or a quoted one
// ("3598"); it becomes a time.Duration. Timestamps are RFC 3339 with or
// without fractional seconds. Keys match case-insensitively, as in
// encoding/json ("Event" counts as "event"). Unknown fields are ignored, null
// or absent fields are zero values, and an unknown "event" value gives
// *Unknown with the whole body, so a new event type never breaks a receiver.
//
// # Parsing
//
// Parse takes a body; ParseRequest reads a request's body (at most
// DefaultMaxBodyBytes) and parses it. Parse copies its input, so reusing the
// caller's buffer never changes a returned event. It decodes the body once:
// its cost is close to a plain json.Unmarshal into the right struct.
//
// # Errors
//
// Every Parse error wraps ErrInvalidPayload and is a *PayloadError that names
// the event and the field at fault:
//
//	callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time
//
// An empty body, one that is not a JSON object or has data after it, a
// missing, null, non-string or empty "event", a known field of the wrong JSON
// type, a timestamp that is not RFC 3339 and a duration that is not a number
// of seconds are all errors. A wrongly typed field that the event does not
// own (or any field of an unknown event) is not.
//
// # Encoding and raw bytes
//
// Every event type marshals back to the wire JSON: the canonical "event"
// value, "duration" in seconds and timestamps in RFC 3339 with milliseconds,
// as the API sends them (more digits only when a value needs them). A marshalled
// event parses back to an equal one. A time whose UTC offset has a seconds
// part (local mean time, as Amsterdam kept until 1937) is written in UTC, the
// same instant, since RFC 3339 offsets are hours and minutes; a time RFC 3339
// cannot carry at all (a year outside 0000-9999, an offset of 24 hours or
// more) makes MarshalJSON fail with an error naming the event and the field.
// An Unknown marshals to its Raw bytes unchanged, or to {"event": Type}
// without Raw; a Raw whose "event" is not Type, or an empty Type, is an error.
//
// Raw returns the exact bytes an event was parsed from, to forward it to a
// queue unchanged. Events from Parse carry those bytes in unexported fields,
// so compare events field by field (or compare json.Marshal output) rather
// than with reflect.DeepEqual against an event built in code.
//
// # Receiving callbacks
//
// NewHandler returns an http.Handler that checks the method (POST), the
// content type (JSON, in UTF-8: a charset other than utf-8 or us-ascii is
// refused rather than mangled; an absent Content-Type is accepted, because
// the sender does not document its headers) and the body size (64 KiB by default,
// WithMaxBodyBytes changes it), parses the body and calls your function. It
// answers 204 when the function returns nil (or an ErrUnhandled error, see
// below), 400/405/413/415 for requests that are not callbacks, and 500 when
// the function fails or panics, so that the sender retries. The function's context carries the request headers
// (HeaderFromContext; the sender may put a room's metadata in a header) and is
// cancelled when the sender goes away.
//
//	http.Handle("/meetings/callbacks", callbacks.NewHandler(
//		func(ctx context.Context, ev callbacks.Event) error {
//			return queue.Publish(ctx, callbacks.Raw(ev))
//		}))
//
// # Routing by event type
//
// A Mux calls a typed function per event type, so a receiver that only cares
// about recordings writes one function and no type switch. NewMux checks its
// routes when it builds the Mux (a nil function, the same event type twice,
// two fallbacks, a type that is not one of this package's events are errors),
// and a Mux never changes afterwards, so it is safe for concurrent use.
//
// Events without a function go to the fallback, if one is set. Without one,
// Dispatch returns an error wrapping ErrUnhandled, which NewHandler answers
// 204, so the sender does not retry forever, and reports to the
// WithErrorFunc function: nothing is dropped without a trace.
//
//	mux, err := callbacks.NewMux(
//		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error {
//			return download(ctx, ev.URL)
//		}),
//		callbacks.Fallback(func(ctx context.Context, ev callbacks.Event) error {
//			log.Printf("ignored %s", ev.EventType())
//			return nil
//		}),
//	)
//	if err != nil { ... }
//	http.Handle("/meetings/callbacks", callbacks.NewHandler(mux.Dispatch))
//
// # Signed callbacks
//
// Where the sender signs its callbacks, as Vonage's APIs do, each carries
// "Authorization: Bearer <JWT>": HS256 with the account's signature secret,
// issuer "Vonage", an iat, and a payload_hash claim holding the SHA-256 of
// the body. Checking is opt-in: build a [Verifier] with [NewVerifier] and
// pass it to [WithSignatureVerifier]; the handler then verifies the exact
// bytes received, before parsing, and answers 401 to a missing or invalid
// signature. The algorithm is pinned to HS256, the issuer is checked, and iat
// must lie within [DefaultTolerance] (5 minutes) of the clock in either
// direction ([WithTolerance]).
//
//	v, err := callbacks.NewVerifier([]byte(os.Getenv("VONAGE_SIGNATURE_SECRET")))
//	if err != nil { ... }
//	h := callbacks.NewHandler(mux.Dispatch, callbacks.WithSignatureVerifier(v))
//
// [Sign] produces the header a signed callback carries, for your own tests.
package callbacks
