// Package api is the SDK's one request path to the Meetings API: every call of
// every service goes through [Client.Do], so authentication, the User-Agent,
// retries, logging, body limits and error mapping happen in one place.
//
// The public face of what lives here is package meetings, which re-exports the
// error types and sentinels under its own name. Error strings therefore begin
// with "meetings:".
//
// # Safety
//
// Credentials are set only on requests to the base URL's scheme and host;
// redirects to any other host are refused. The underlying *http.Client, free of
// credentials, is available through [Client.HTTPClient] for requests to other
// hosts (the storage host of recording files).
package api
