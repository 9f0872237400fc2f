// Package meetings is the SDK's one request path, shared by the services of
// packages recordings, rooms and themes and assembled by the public package
// meetings: the connection to an API base URL (auth, retries, timeouts,
// logging, error decoding), the storage-host requests of downloads and logo
// uploads under the same retry rule, and the error types the public package
// re-exports.
//
// It is named meetings so that the error types print as users name them
// (*meetings.APIError), though it lives under internal/.
package meetings
