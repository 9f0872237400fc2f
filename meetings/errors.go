package meetings

import "github.com/vonage-meetings/go-sdk/internal/api"

// APIError is a non-2xx answer of the Meetings API, including the last one
// when retries ran out. Get it with errors.As:
//
//	var apiErr *meetings.APIError
//	if errors.As(err, &apiErr) { log.Print(apiErr.StatusCode, apiErr.Message) }
//
// Fields:
//   - StatusCode: the HTTP status.
//   - Method, Path: the call, Path relative to the base URL and escaped
//     ("/recordings/7734a958-..."); never a query or a credential.
//   - Type, Title, Detail, Instance: a gateway-style (RFC 7807) error body, e.g.
//     {"title":"Unauthorized","detail":"You did not provide correct credentials"}.
//   - Name, Message, Errors: a service-style error body, e.g.
//     {"name":"NotFoundError","message":"Recording x was not found","status":404};
//     each Errors entry is a string the service sent or the compact JSON of an object.
//   - RequestID: the X-Request-Id (or X-Vonage-Trace-Id) response header, if any.
//   - Attempts: how many requests were sent, retries included.
//   - Body: the raw body, at most its first 1 MiB.
//
// An empty or non-JSON body leaves only the status. Error() reads like
//
//	meetings: GET /recordings/x: 404 NotFoundError: Recording x was not found
//
// with a path over 200 bytes clipped (ending in "…"); the Path field keeps it
// whole. errors.Is matches the status sentinels: ErrNotFound, ErrUnauthorized,
// ErrForbidden, ErrConflict, ErrRateLimited, ErrServer.
type APIError = api.Error

// RequestError is a call that got no usable answer: the connection failed
// (after the retries), the per-call timeout (WithTimeout) or the caller's
// context ended, a redirect to another host was refused (ErrRedirect), or a
// 2xx body could not be read or decoded. It has the call's Method, Path and
// Attempts, and Err, the cause: errors.Is(err, ctx.Err()) holds when the
// caller's context ended, and errors.Is(err, context.DeadlineExceeded) when
// the per-call timeout did. Its Error() clips a long path as APIError's does.
type RequestError = api.RequestError

// ArgumentError is a bad argument refused before any request was sent: an
// empty, "." or ".." ID, an invalid option, missing credentials. Name names
// the argument ("recordingID", "WithTimeout", "apiKey"); Reason says what is
// wrong; Err, when set, is the underlying cause, which errors.Is and
// errors.As see through (a missing key file satisfies
// errors.Is(err, fs.ErrNotExist)). It is never an *APIError, and never
// repeats a secret.
type ArgumentError = api.ArgumentError

// Sentinels for errors.Is. The status ones match an *APIError of that status.
var (
	ErrNotFound     = api.ErrNotFound     // 404 Not Found
	ErrUnauthorized = api.ErrUnauthorized // 401 Unauthorized: wrong or missing credentials
	ErrForbidden    = api.ErrForbidden    // 403 Forbidden, e.g. deleting a recording not yet uploaded
	ErrConflict     = api.ErrConflict     // 409 Conflict
	ErrRateLimited  = api.ErrRateLimited  // 429 Too Many Requests (after the retries)
	ErrServer       = api.ErrServer       // any 5xx
	ErrRedirect     = api.ErrRedirect     // a redirect to another host was refused (in a *RequestError)
)
