// Package meetings is the client of the Vonage Meetings API: create a
// [Client] and call its services, one per API area.
//
//	client, err := meetings.NewClient(apiKey, apiSecret)
//	if err != nil {
//		log.Fatal(err)
//	}
//	rec, err := client.Recordings.Get(ctx, recordingID)   // package recordings
//	room, err := client.Rooms.Create(ctx, rooms.CreateRequest{DisplayName: "Standup"}) // package rooms
//	list, err := client.Themes.List(ctx)                  // package themes
//
// # Authentication and base URL
//
// [NewClient] takes an API key and secret, sent as HTTP Basic auth to
// [DefaultBaseURL], the beta API. [NewApplicationClient] (or
// [NewApplicationClientFromKeyFile]) authenticates an application instead,
// with short-lived RS256 JWTs signed by its private key, renewed before they
// expire, sent to [DefaultApplicationBaseURL], the v1 API.
// [NewClientFromEnv] picks one of the two from the environment. [WithBaseURL]
// points any client elsewhere: a replacement service or a local fake
// (package meetingstest). https is required except for loopback hosts, and
// credentials go only to the base URL's host: a redirect elsewhere is
// refused ([ErrRedirect]).
//
// # Options
//
// Options are functions applied in order; a nil one is ignored, and a
// refused value makes the constructor return an [*ArgumentError] naming it.
//
// # Timeouts, retries and logging
//
// Each API call, and each logo upload, is bounded by [WithTimeout] (default
// 30 s), retries included; downloads only by their context.
// One rule decides retries, for API calls and storage hosts alike:
// connection errors, 429 and 5xx answers except 501 are retried for GET,
// PUT and DELETE (default 3 retries, waits growing from 500 ms to a cap of
// 5 s with jitter; see [WithRetryPolicy]); a Retry-After up to the cap is
// waited in full, and a longer one returns the answer at once with
// [APIError].RetryAfter set; refused redirects and untrusted certificates
// are never retried; a DELETE whose retry answers 404 succeeds. A cancelled
// context stops a call at once, during a wait too, and the error satisfies
// errors.Is(err, ctx.Err()). [WithLogger] logs each attempt at debug level;
// nothing is logged by default.
//
// # Errors
//
// A failure of a call is one of four types, whose text begins with the
// package called ("recordings: GET /recordings/x: 404 NotFoundError: ..."):
//   - [*APIError]: a non-2xx answer of the API (after retries, the last
//     one); errors.Is matches [ErrNotFound], [ErrUnauthorized],
//     [ErrForbidden], [ErrConflict], [ErrRateLimited] and [ErrServer].
//   - [*StorageError]: a non-2xx answer of a storage host (a recording's
//     file, a logo's upload target), with the code of its XML body.
//   - [*RequestError]: no usable answer: a connection failure, a timeout,
//     an ended context, a refused redirect, an undecodable body.
//   - [*ArgumentError]: an argument refused before anything was sent.
//
// Downloads can also fail while the body streams: with an error wrapping
// io.ErrUnexpectedEOF (a body that stayed short), the writer's or the
// file's error, or the sentinels of package recordings.
//
// No error, log line or printed value of a client or error ever holds the
// API secret, the private key, a token, or a signed URL's query.
package meetings
