// Package meetingstest provides a fake Vonage Meetings service for tests: a
// real HTTP server on loopback that speaks the recordings endpoints as the
// service does, a separate storage host that serves recording files, and a
// callback sender that plays a meeting's life to a webhook receiver.
//
// It implements the wire protocol itself, with the standard library and
// without the SDK's client or decoders (package callbacks is used only to sign
// callbacks, with WithCallbackSignatureSecret), so a test against it checks a
// client, not a copy of the client.
//
// # Starting it
//
// In a test, one line starts it and closes it when the test ends:
//
//	srv := meetingstest.Start(t)
//	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
//
// Elsewhere (an example program, TestMain), NewServer starts it and Close
// stops it.
//
// # The API host
//
// Server.URL is the API's base URL, path included ("/beta/meetings" unless
// WithBasePath says otherwise): a client that drops the path gets a 404
// naming it. The host serves
//
//	GET    /sessions/{session_id}/recordings   200 {"_embedded":{"recordings":[...]}}, 404
//	GET    /recordings/{recording_id}          200 recording, 404
//	DELETE /recordings/{recording_id}          204 empty body, 403 unless "uploaded", 404
//
// and checks HTTP Basic auth with the server's key and secret (WithCredentials
// changes them; WithAuthCheck replaces the check, for example for JWT). Errors
// come in the service's two shapes: the gateway's {"title","detail"} for 401
// and routing errors, the service's {"message","name","status"} for 403 and
// 404, with the messages the real service used. IDs are read from the escaped
// path one segment at a time, so an ID holding "/" or "%" must arrive escaped
// (url.PathEscape) and round-trips.
//
// # The storage host
//
// Server.StorageURL is another host, like S3 in production. A recording's
// _links.url.href (and the recording:uploaded callback's url) points there,
// with a signature and an expiry in the query, as pre-signed S3 URLs do. The
// storage host serves GET and HEAD with Range support, refuses any request
// that carries an Authorization header with 400 (and counts it, see
// StorageAuthorizationCount), and answers 403 to URLs made stale by
// ExpireDownloadURLs.
//
// Files are set as bytes (SetFile) or as a size of generated content
// (SetGeneratedFile) that costs no memory, so a test can download gigabytes.
// GeneratedContent and GeneratedSHA256 give the expected bytes and checksum;
// FileSHA256 gives a stored file's.
//
// # Seeding state
//
// AddSession, AddRecording, SetRecordingStatus, SetFile and SetGeneratedFile
// set the state; Recording, SessionRecordings and FileSize read it back.
//
// # Faults
//
// InjectAPIFault and InjectStorageFault queue a Fault for the next n requests
// to a host: an error status with an optional Retry-After, a dropped
// connection, a delay, and on storage a body cut after k bytes (so a client
// can resume with Range), a Range ignored, or a body sent chunked without a
// Content-Length (a size the client cannot know). SetRangeSupport turns Range
// support off for good.
//
// # The request log
//
// Requests and RequestsTo list what each host received: method, escaped
// path, auth scheme, Range, headers and the status answered. Credentials are
// never kept: the Authorization header is reduced to its scheme.
//
// # Playing a meeting
//
// PlayMeeting POSTs a meeting's callbacks to a receiver URL, as JSON with the
// payload fields the service sends: session:started, participants joining,
// recording:started, recording:ended, participants leaving,
// recording:uploaded, session:ended and room:expired. It updates the state as
// it goes, so the receiver can fetch, download and delete the recording it is
// told about. WithCallbackSigner adds headers (a signature) to each callback.
//
// # Secrets
//
// Printing a Server or a Request never shows the API secret or an
// Authorization value.
package meetingstest
