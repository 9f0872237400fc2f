// Package callbacks decodes the callbacks (webhooks) that the Vonage Meetings
// API POSTs to your service, and serves them with a ready http.Handler. It
// needs only the standard library, and golang-jwt for signature checks.
//
// # Events
//
// Parse returns one pointer type per "event" value:
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
// An alias decodes to the canonical type; WireEventType tells which spelling
// arrived. "duration" is seconds on the wire, a number or a quoted number,
// and becomes a time.Duration; timestamps are RFC 3339. Unknown fields are
// ignored, so a new field or event type never breaks a receiver. Every Parse
// error is a *PayloadError naming the event and the field at fault:
//
//	callbacks: session:started: field "started_at": "yesterday" is not an RFC 3339 time
//
// Every event marshals back to wire JSON, with the canonical "event", that
// parses back to an equal event. Raw returns the exact bytes an event was
// parsed from; events keep them unexported, so compare them field by field.
//
// # Receiving callbacks
//
// NewHandler checks each request, parses its body and calls your function;
// a Mux routes each event type to its own typed function.
//
// Your function's context carries the request's headers (HeaderFromContext)
// and ends when the handler returns, and the sender waits about 15 seconds
// for an answer. Hand slow work, such as a download, to another goroutine,
// with context.WithoutCancel(ctx) to keep the values but not the
// cancellation, and return:
//
//	mux, err := callbacks.NewMux(
//		callbacks.On(func(ctx context.Context, ev *callbacks.RecordingUploaded) error {
//			go download(context.WithoutCancel(ctx), ev) // not in the handler
//			return nil
//		}),
//		callbacks.IgnoreOthers(),
//	)
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/meetings/callbacks", callbacks.NewHandler(mux.Dispatch))
//
// # Signed callbacks
//
// Signed callbacks carry "Authorization: Bearer <JWT>": HS256 with the
// account's signature secret, issuer "Vonage", an iat, and a payload_hash
// claim, the hex SHA-256 of the body. With WithSignatureVerifier the handler
// answers 401 to a missing or invalid signature. Sign makes one for tests.
//
// # Options
//
// Options are functions: HandlerOption for NewHandler, SignatureOption for
// NewVerifier and Sign. A nil option is ignored.
package callbacks
