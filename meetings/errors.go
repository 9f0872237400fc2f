package meetings

import core "github.com/vonage-meetings/go-sdk/internal/meetings"

// APIError is a non-2xx answer of the API (after retries, the last one). It
// holds the status, the Retry-After it gave, both error-body shapes' fields
// (gateway: Type, Title, Detail, Instance; service: Name, Message, Errors),
// the request ID, the attempts made and the raw body. errors.Is matches
// ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict, ErrRateLimited and
// ErrServer. Its text never holds a credential.
type APIError = core.APIError

// RequestError is a call that got no usable answer: a connection failure, a
// timeout, a cancelled context (errors.Is(err, ctx.Err()) holds), a refused
// redirect (ErrRedirect) or an undecodable body.
type RequestError = core.RequestError

// ArgumentError is an argument refused before anything was sent: an empty
// ID, an invalid option, a request the server would refuse for a reason the
// client can see. Name says which.
type ArgumentError = core.ArgumentError

// StorageError is a non-2xx answer of a storage host: the host of a
// recording's file, or a logo's upload target. Code and Message come from
// its XML error body; URL never shows the signed query.
type StorageError = core.StorageError

// Sentinels for errors.Is. The status ones match an *APIError.
var (
	ErrNotFound     = core.ErrNotFound     // 404 Not Found
	ErrUnauthorized = core.ErrUnauthorized // 401 Unauthorized: wrong or missing credentials
	ErrForbidden    = core.ErrForbidden    // 403 Forbidden, e.g. deleting a recording not yet uploaded
	ErrConflict     = core.ErrConflict     // 409 Conflict, e.g. a theme name already taken
	ErrRateLimited  = core.ErrRateLimited  // 429 Too Many Requests
	ErrServer       = core.ErrServer       // any 5xx
	ErrRedirect     = core.ErrRedirect     // a redirect to another host was refused (in a *RequestError)
)
