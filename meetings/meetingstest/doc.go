// Package meetingstest is a fake Vonage Meetings service for tests: an API
// host on loopback that serves every operation of the Meetings API with state,
// a storage host like S3 for recording files and logo uploads, and a sender
// that plays a meeting's callbacks. It speaks the wire itself, with the
// standard library alone, so a test against it checks a client, not a copy of
// one.
//
// # The API host
//
// Start(t) starts it and closes it when the test ends. Server.URL is the API's
// base URL, path included (DefaultBasePath unless WithBasePath); a request
// outside it is a 404 naming the path. Every request needs HTTP Basic auth with
// APIKey and APISecret (WithAuthCheck replaces the check), else 401 with the
// gateway's {"title","detail"}. Refusals otherwise have the service's shape,
// {"message","name","errors"?,"status"}, with the service's messages:
// 400 InputValidationError for a field it refuses, also an unknown field, 400
// BadRequestError, 404 NotFoundError, 409 ConflictError.
//
// Recordings: GET /sessions/{id}/recordings, GET and DELETE /recordings/{id}
// (403 unless "uploaded"). Rooms: GET and POST /rooms, GET and PATCH
// /rooms/{id} ({"update_details":{...}}; 400 for an instant room), GET
// /dial-in-numbers. Room lists take page_size (default 20), start_id and
// end_id, room serial numbers that are neither the room ID nor contiguous;
// each page has page_size, total_items (all rooms of the list), _embedded (the
// rooms) and _links whose hrefs, as the service's, have no scheme and point at
// api-eu.vonage.com/meetings/rooms; next is on every non-empty page, the last
// included. Themes: GET and POST /themes, GET, PATCH and DELETE /themes/{id}
// (400 while rooms or the application use it, unless ?force=true), GET
// /themes/{id}/rooms, GET /themes/logos-upload-urls, PUT
// /themes/{id}/finalizeLogos ({"keys":[...]}, of logos uploaded to storage).
// The application: PATCH /applications (its default theme).
//
// # The storage host
//
// Server.StorageURL is another host. It serves recording files at the URLs of
// the recordings' _links.url.href: signed and time-limited (see
// ExpireDownloadURLs), with Range, ETag and Last-Modified. It takes logo
// uploads as S3 takes pre-signed POSTs: multipart/form-data with a
// Content-Length, every field of the target with its value, the file last,
// at most 1 MiB. It refuses any Authorization header, and answers errors as
// S3's XML. Files are bytes (SetFile) or generated content of any size at no
// memory cost (SetGeneratedFile, GeneratedContent, GeneratedSHA256).
//
// # Faults, the request log, secrets
//
// InjectAPIFault and InjectStorageFault queue a Fault for a host's next
// requests: a status with Retry-After, a dropped connection, a delay, or on
// storage a body cut short, a Range ignored, a body without Content-Length.
// Requests lists what each host received, without credentials. Printing a
// Server never shows its secrets.
//
// # Playing a meeting
//
// PlayMeeting POSTs a meeting's callbacks, with the payloads the service
// sends, and updates the state as it goes, so a receiver can fetch, download
// and delete the recording it is told about.
package meetingstest
