// Package recordings holds the recordings of Vonage Meetings sessions: the
// [Recording] model and the calls of [Service] to fetch, list, download and
// delete them.
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
// API calls (Get, Delete, ListBySession, and the Get that DownloadByID and
// DownloadByIDToFile make first) fail with the errors of package meetings:
// *meetings.APIError for a non-2xx answer (errors.Is(err,
// meetings.ErrNotFound) for a 404), *meetings.RequestError for a call without
// a usable answer, and *meetings.ArgumentError for a refused argument (also
// for a download's arguments).
//
// Downloads from the storage host fail with this package's errors: a
// [*StorageError] for a non-2xx answer from storage (errors.As), and errors
// wrapping [ErrNotUploaded], [ErrInsecureURL], [ErrNotResumable] or
// [ErrChanged] (errors.Is). A body cut short wraps io.ErrUnexpectedEOF, and a
// download stopped by its context satisfies errors.Is(err, ctx.Err()).
//
// # Downloads
//
//   - [Service.Download] streams a recording's file from its URL ([Recording.URL]
//     or a recording:uploaded callback's URL) into an io.Writer;
//     [Service.DownloadToFile] saves it through a temporary file in the same
//     directory, renamed to the final name only when complete.
//   - [Service.DownloadByID] and [Service.DownloadByIDToFile] call Get first for
//     a fresh URL (a callback's URL is time-limited), refuse recordings whose
//     status says the file is not ready yet ("started", "stopped" or
//     "paused": [ErrNotUploaded]; a status this version does not know is
//     attempted), and try a fresh URL once on a 403 from storage.
//
// The file comes from a storage host through the plain *http.Client: the API's
// credentials are never sent there, and only https is fetched (plain http on
// loopback hosts only). Only the context bounds a download, not the client's
// per-call timeout. Memory stays flat whatever the file's size; a short body is
// an error, never a truncated result; a lost connection resumes with an HTTP
// Range request ([WithMaxResumes], default 3) and [WithProgress] reports bytes
// done and the total.
//
// # Wire format
//
// A Recording is JSON with snake_case fields and its download URL under
// _links.url.href; [Recording] decodes and encodes that shape, whole URL
// included. Unknown statuses are kept as they are. Printed with fmt, a
// Recording shows its URL without the signed query ("https://host/path?…").
package recordings
