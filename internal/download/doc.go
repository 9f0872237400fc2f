// Package download fetches a recording's file from its storage URL and
// streams it to an io.Writer or a file, safely and in flat memory. The
// recordings service wraps it; it has no knowledge of the Meetings API.
//
// # Entry points
//
// To streams the file into any io.Writer; ToFile saves it under a path.
// Both take an *http.Client, which must be a plain client: the storage host
// is not the API host, and the API's credentials must never reach it.
//
// # Safety
//
//   - Only https URLs are fetched, except http to loopback hosts (127.0.0.0/8,
//     ::1, localhost) for tests and local fakes; a redirect from https to http
//     is refused. A URL carrying user credentials is refused.
//   - No Authorization header is ever set, and Accept-Encoding is "identity"
//     so the bytes written are the stored bytes.
//   - Storage URLs carry time-limited signatures in their query string, so no
//     error ever shows the query: URLs appear as scheme://host/path.
//
// # Completeness
//
// The number of bytes written must match the Content-Length (or
// Content-Range) the server announced: a short body is an error wrapping
// io.ErrUnexpectedEOF that gives the byte counts (also when the request to
// resume it gets a final answer such as 403, whose *StatusError it wraps),
// and a body longer than announced is an error too. A result is never silently truncated.
//
// # Resuming
//
// When the connection is lost mid-body, the download continues with
// "Range: bytes=N-" and an If-Range holding the first response's strong ETag
// (or Last-Modified), so a file replaced meanwhile is never spliced. The
// server must answer 206 with a Content-Range starting at N. Connection
// errors and 408, 429, 500, 502, 503 and 504 answers are retried too, all
// within Options.MaxRetries (none unless set) with a doubling wait. To cannot
// rewind its writer, so when the server cannot resume (ErrNotResumable) or
// the file changed (ErrChanged) it fails; ToFile starts over instead.
//
// # Memory and speed
//
// Each download uses one 128 KiB buffer and a plain read-write loop, whatever
// the file's size. The loop is written out rather than left to io.Copy: it
// must tell a read error (resumable) from a write error (final), count and
// report progress, and never write past the announced length; a ReaderFrom
// or WriterTo shortcut could do none of that. BenchmarkDownload compares it
// with plain http.Get and io.Copy.
//
// # Cancellation
//
// The context bounds the whole download, waits between retries included;
// when it ends, the error satisfies errors.Is(err, ctx.Err()).
package download
