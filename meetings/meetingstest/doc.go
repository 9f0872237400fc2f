// Package meetingstest is a fake Vonage Meetings service for tests, written
// with the standard library alone: an API host with state for every operation
// of the Meetings API, a storage host like S3 for recording files and logo
// uploads, and a sender that plays a meeting's callbacks.
//
// # The API host
//
// Start(t) starts it and closes it when the test ends. Server.URL is the API's
// base URL, /beta/meetings included. Every request needs HTTP Basic auth with
// APIKey and APISecret (WithAuthCheck replaces the check), else 401 with the
// gateway's {"title","detail"}, as is an unknown route. Other refusals have
// the service's shape and messages, {"message","name","errors"?,"status"}.
//
// It serves recordings (GET /sessions/{id}/recordings, GET and DELETE
// /recordings/{id}, 403 unless "uploaded"), rooms (GET and POST /rooms, GET
// and PATCH /rooms/{id}, GET /dial-in-numbers), themes (GET and POST
// /themes, GET, PATCH and DELETE /themes/{id}, GET /themes/{id}/rooms, GET
// /themes/logos-upload-urls, PUT /themes/{id}/finalizeLogos) and PATCH
// /applications. Room lists page by page_size, start_id and end_id, room
// serial numbers; their _links hrefs, as the service's, have no scheme.
//
// # The storage host
//
// Server.StorageURL serves recording files at signed, expiring URLs (see
// DownloadURL and ExpireDownloadURLs), with Range, ETag and Last-Modified,
// and takes logo uploads as S3 takes pre-signed POSTs. It refuses any
// Authorization header and answers errors as S3's XML. Files are bytes
// (SetFile) or generated content of any size at no memory cost
// (SetGeneratedFile, GeneratedSHA256).
//
// # Faults, the request log, secrets
//
// InjectAPIFault and InjectStorageFault queue a Fault for a host's next
// requests. Requests lists what each host received, without credentials.
// Printing a Server never shows its secrets.
//
// # Playing a meeting
//
// PlayMeeting POSTs a meeting's callbacks with the service's payloads and
// updates the state as it goes, so a receiver can fetch, download and delete
// the recording it is told about.
package meetingstest
