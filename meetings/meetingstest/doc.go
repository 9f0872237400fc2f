// Package meetingstest is a fake Vonage Meetings service for tests, with the
// standard library alone: an API host with state for every Meetings API
// operation, an S3-like storage host for recording files and logo uploads,
// and PlayMeeting, which posts a meeting's callbacks and updates the state.
//
// Start(t) starts it; Server.URL is the API's base URL, /beta/meetings
// included. Requests need HTTP Basic auth with APIKey and APISecret (see
// WithAuthCheck), else 401 in the gateway's {"title","detail"}, as an unknown
// route; other refusals have the service's {"message","name","errors"?,"status"}.
// Server.StorageURL serves files (SetFile, SetGeneratedFile) at signed,
// expiring URLs with Range, and answers errors as S3's XML. Faults queue with
// InjectAPIFault and InjectStorageFault; Requests is the request log, without
// credentials. Printing a Server never shows a secret.
package meetingstest
