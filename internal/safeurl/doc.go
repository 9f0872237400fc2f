// Package safeurl holds the URL rules the SDK applies everywhere, with the
// standard library only, so that every package (callbacks included) can use
// it without pulling in more.
//
// # Loopback hosts
//
// IsLoopback tells the hosts that may be reached over plain http (tests and
// local fakes): localhost and the loopback IP addresses.
//
// # Redaction
//
// Redact shows a URL without what may make it a credential (userinfo, query,
// fragment): as scheme://host/path in errors, and through RedactString, with
// "?…" or "#…" marking what was cut, in logs and the String methods of
// values that hold a signed URL. Both are the one rule of what is kept.
//
// # Redirects
//
// LimitRedirects is net/http's limit of 10 redirects for the SDK's own
// redirect policies, with ErrTooManyRedirects to tell it apart.
package safeurl
