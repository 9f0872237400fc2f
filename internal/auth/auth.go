// Package auth holds the ways the client proves who it is to the Meetings API.
//
// Every Authenticator keeps its secret out of fmt's verbs (%v, %+v, %#v, %s)
// so that a credential never reaches a log line or an error string by accident.
package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// Authenticator sets the credentials of one outgoing request to the API host.
// It is never called for requests to other hosts (the storage host of recordings).
// Implementations are safe for concurrent use.
type Authenticator interface {
	Authenticate(req *http.Request) error
	// Mode names the scheme ("basic", "jwt") for logs and errors; it never reveals a secret.
	Mode() string
}

// Basic is HTTP Basic auth with an API key and secret, as the beta API expects.
type Basic struct {
	header string // "Basic base64(key:secret)", computed once
}

// NewBasic returns Basic auth for key and secret. Both must be non-empty and
// pass checkKey and checkSecret. Its errors are a *CredentialError, which
// never repeats either value.
func NewBasic(key, secret string) (*Basic, error) {
	switch {
	case key == "" && secret == "":
		return nil, &CredentialError{Key: true, Secret: true, Reason: "are empty"}
	case key == "":
		return nil, &CredentialError{Key: true, Reason: "is empty"}
	case secret == "":
		return nil, &CredentialError{Secret: true, Reason: "is empty"}
	}
	if err := checkKey(key); err != nil {
		return nil, &CredentialError{Key: true, Reason: err.Error()}
	}
	if err := checkSecret(secret); err != nil {
		return nil, &CredentialError{Secret: true, Reason: err.Error()}
	}
	return &Basic{header: "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))}, nil
}

// CredentialError is NewBasic's error: which value was refused and why,
// without the value, so that a caller can name the value its own way.
type CredentialError struct {
	Key, Secret bool   // which value is at fault (both when both are empty)
	Reason      string // follows the value's name, e.g. "is empty"
}

// Error returns, for example, "API key is empty".
func (e *CredentialError) Error() string {
	switch {
	case e.Key && e.Secret:
		return "API key and secret " + e.Reason
	case e.Key:
		return "API key " + e.Reason
	default:
		return "API secret " + e.Reason
	}
}

// Authenticate sets the Authorization header.
func (b *Basic) Authenticate(req *http.Request) error {
	req.Header.Set("Authorization", b.header)
	return nil
}

// Mode returns "basic".
func (b *Basic) Mode() string { return "basic" }

// Format prints the scheme and never the credentials, whatever the verb.
func (b Basic) Format(f fmt.State, verb rune) { fmt.Fprint(f, "auth.Basic{REDACTED}") }

// checkKey reports why key cannot be sent as the user-id of HTTP Basic auth
// unchanged, or returns nil. RFC 7617 forbids ':' in the user-id: the server
// splits "user:password" at the first ':', so key "a:b" with secret "c"
// would arrive as key "a" and secret "b:c". Control characters and
// whitespace-only values are refused as checkSecret does. The error is a
// reason to follow the value's name ("contains ':' ..."); it never repeats
// the value.
func checkKey(key string) error {
	if strings.Contains(key, ":") {
		return errors.New("contains ':', which HTTP Basic auth cannot carry in the user-id (RFC 7617)")
	}
	return checkText(key)
}

// checkSecret reports why secret cannot be sent as the password of HTTP
// Basic auth unchanged, or returns nil: it must not contain control
// characters (a newline or tab, often pasted or read from a file by
// mistake) nor be only whitespace. A ':' is allowed. Like checkKey, the error
// never repeats the value.
func checkSecret(secret string) error { return checkText(secret) }

func checkText(s string) error {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return errors.New("contains a control character (such as a newline, tab or NUL); check for a stray line end")
	}
	if s != "" && strings.TrimSpace(s) == "" {
		return errors.New("is only whitespace")
	}
	return nil
}
