package safeurl

import (
	"errors"
	"net/http"
)

// maxRedirects is net/http's own limit, kept when a CheckRedirect of ours
// replaces its default policy.
const maxRedirects = 10

// ErrTooManyRedirects is LimitRedirects' error. Its text is net/http's.
var ErrTooManyRedirects = errors.New("stopped after 10 redirects")

// LimitRedirects applies net/http's default redirect limit for a
// CheckRedirect that replaces the default policy: it returns
// ErrTooManyRedirects when via already holds 10 requests, nil otherwise. A
// caller tells the limit from other failures with errors.Is.
func LimitRedirects(via []*http.Request) error {
	if len(via) >= maxRedirects {
		return ErrTooManyRedirects
	}
	return nil
}
