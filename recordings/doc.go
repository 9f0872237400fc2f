// Package recordings holds the recordings of Vonage Meetings sessions: the
// Recording model, and the calls of Service to fetch, list, download and
// delete them. Get a Service from a client:
//
//	client, err := meetings.NewClient(apiKey, apiSecret)
//	if err != nil { ... }
//	rec, err := client.Recordings.Get(ctx, recordingID)
//
// # Endpoints
//
//   - Service.Get: GET /recordings/{recording_id}
//   - Service.Delete: DELETE /recordings/{recording_id} (uploaded recordings only)
//   - Service.ListBySession: GET /sessions/{session_id}/recordings
//
// An empty ID, "." or ".." is refused with a *meetings.ArgumentError before
// anything is sent; any other ID travels as one escaped path segment. API
// calls fail with the errors of package meetings: *meetings.APIError for a
// non-2xx answer, *meetings.RequestError for no usable answer.
//
// # Downloads
//
// Download and DownloadToFile fetch a file from its URL (Recording.URL, or a
// recording:uploaded callback's URL); DownloadByID and DownloadByIDToFile
// fetch the recording first for a fresh URL. The file comes from a storage
// host: without the API's credentials, over https only (plain http on
// loopback hosts), bounded only by the context, retried under the same rule
// as API calls, and resumed with Range requests when the body is cut.
// Memory stays flat whatever the size. A non-2xx answer from storage is a
// *meetings.StorageError; a body that stays short wraps io.ErrUnexpectedEOF;
// ErrNotUploaded and ErrNotResumable are matched with errors.Is.
package recordings
