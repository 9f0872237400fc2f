// Package recordings holds the recordings of Vonage Meetings sessions: the
// [Recording] model and the calls of [Service] to fetch, list and delete them.
//
// A Service comes from the client: create one with meetings.NewClient and use
// its Recordings field.
//
//	client, err := meetings.NewClient(apiKey, apiSecret)
//	if err != nil { ... }
//	rec, err := client.Recordings.Get(ctx, recordingID)
//
// # Endpoints
//
//   - [Service.Get]: GET /recordings/{recording_id}
//   - [Service.Delete]: DELETE /recordings/{recording_id} (only recordings whose status is "uploaded")
//   - [Service.ListBySession]: GET /sessions/{session_id}/recordings
//
// # IDs
//
// An empty ID, "." or ".." is refused with an argument error before any
// request is sent; any other ID travels as one path segment escaped with
// url.PathEscape, so an ID can never reach a different endpoint.
//
// # Errors
//
// Failures are the errors of package meetings: *meetings.APIError for a
// non-2xx answer (errors.Is(err, meetings.ErrNotFound) for a 404),
// *meetings.RequestError for a call without a usable answer, and
// *meetings.ArgumentError for a refused argument.
//
// # Wire format
//
// A Recording is JSON with snake_case fields and its download URL under
// _links.url.href; [Recording] decodes and encodes that shape. Unknown
// statuses are kept as they are.
package recordings
