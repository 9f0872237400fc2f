// Package meetings is the client of the Vonage Meetings API: create a
// [Client] with [NewClient] and call its services, such as
// Client.Recordings (package recordings).
//
//	client, err := meetings.NewClient(apiKey, apiSecret)
//	if err != nil {
//		log.Fatal(err)
//	}
//	rec, err := client.Recordings.Get(ctx, recordingID)
//
// # Authentication and base URL
//
// NewClient takes an API key and secret and sends them as HTTP Basic auth to
// [DefaultBaseURL], the beta API. [WithBaseURL] points the client elsewhere:
// the v1 path, a replacement service or a local fake. https is required
// except for loopback hosts. Credentials are sent only to the base URL's
// host: a redirect to any other host is refused ([ErrRedirect]).
// [NewClientFromEnv] reads the key, secret and base URL from the environment.
//
// The v1 API authenticates an application instead: pass empty key and secret
// and [WithApplication] (or [WithApplicationKeyFile]) with the application ID
// and its RSA private key. The client then sends short-lived RS256 JWTs,
// renewed before they expire, to [DefaultApplicationBaseURL] unless
// [WithBaseURL] says otherwise. A client uses exactly one auth mode.
//
// # Timeouts, retries and logging
//
// Each call is bounded by [WithTimeout] (default 30 s), retries included.
// Connection errors, 429 and 5xx answers except 501 are retried for GET and
// DELETE (default 3 retries, exponential backoff with jitter from 500 ms to a
// cap of 5 s, Retry-After honoured up to the cap; see [WithRetryPolicy]).
// A cancelled context stops a call at once, during a wait too, and the error
// satisfies errors.Is(err, ctx.Err()). [WithLogger] logs each attempt;
// nothing is logged by default and credentials never are.
//
// # Errors
//
// Every failure of an API call is one of three types:
//   - [*APIError]: the API answered with a non-2xx status (after retries, the
//     last answer). errors.Is matches [ErrNotFound], [ErrUnauthorized],
//     [ErrForbidden], [ErrConflict], [ErrRateLimited] and [ErrServer].
//   - [*RequestError]: no usable answer: connection failure, timeout,
//     cancelled context, refused redirect, undecodable body.
//   - [*ArgumentError]: an argument refused before anything was sent, such as
//     an empty recording ID or an invalid option.
//
// Downloading a recording's file talks to a storage host, not the API, and
// fails in its own ways, described in package recordings: a
// recordings.StorageError for a non-2xx answer from storage, and errors
// wrapping recordings.ErrNotUploaded, ErrInsecureURL, ErrNotResumable,
// ErrChanged or io.ErrUnexpectedEOF (a body cut short). Its bad arguments are
// *ArgumentError too.
//
// No error string, log line or printed value of a client, option or error
// ever holds the API key, secret or Authorization header.
package meetings
