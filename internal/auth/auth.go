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

// NewBasic returns Basic auth for key and secret. Both must be non-empty.
func NewBasic(key, secret string) (*Basic, error) {
	switch {
	case key == "" && secret == "":
		return nil, errors.New("API key and secret are empty")
	case key == "":
		return nil, errors.New("API key is empty")
	case secret == "":
		return nil, errors.New("API secret is empty")
	}
	return &Basic{header: "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))}, nil
}

// Authenticate sets the Authorization header.
func (b *Basic) Authenticate(req *http.Request) error {
	req.Header.Set("Authorization", b.header)
	return nil
}

// Mode returns "basic".
func (b *Basic) Mode() string { return "basic" }

// Format prints the scheme and never the credentials, whatever the verb.
func (b *Basic) Format(f fmt.State, verb rune) { fmt.Fprint(f, "auth.Basic{REDACTED}") }
