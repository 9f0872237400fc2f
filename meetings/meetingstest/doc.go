// Package meetingstest is a fake Vonage Meetings service for tests, written
// with the standard library alone: an API host with state for every operation
// of the Meetings API, a storage host like S3 for recording files and logo
// uploads, and a sender that plays a meeting's callbacks.
//
// Start(t) starts it; Server.URL is the API's base URL, /beta/meetings
// included. Requests need HTTP Basic auth with APIKey and APISecret (see
// WithAuthCheck), else 401 in the gateway's {"title","detail"}, as an unknown
// route; other refusals have the service's {"message","name","errors"?,"status"}.
//
// Server.StorageURL serves recording files at signed, expiring URLs with
// Range, and takes logo uploads as S3 takes pre-signed POSTs, answering errors
// as S3's XML. Files are bytes (SetFile) or generated content of any size at
// no memory cost (SetGeneratedFile, GeneratedSHA256).
//
// InjectAPIFault and InjectStorageFault queue faults; Requests lists what the
// hosts received, without credentials; printing a Server never shows a
// secret. PlayMeeting posts a meeting's callbacks, updating the state.
package meetingstest
