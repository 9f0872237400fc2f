package meetings

import (
	"errors"
	"fmt"
	"os"

	"github.com/vonage-meetings/go-sdk/internal/api"
	"github.com/vonage-meetings/go-sdk/internal/auth"
	"github.com/vonage-meetings/go-sdk/recordings"
)

// Version is this SDK's version, 0.1.0, sent in the User-Agent header as
// "vonage-meetings-go/<Version> (<GOOS> <GOARCH>) go/<Go version>".
const Version = api.Version

// DefaultBaseURL is the base URL of the beta API, which takes an API key and
// secret (HTTP Basic auth).
const DefaultBaseURL = "https://api-eu.vonage.com/beta/meetings"

// Environment variables read by NewClientFromEnv.
const (
	EnvAPIKey    = "VONAGE_API_KEY"
	EnvAPISecret = "VONAGE_API_SECRET"
	EnvBaseURL   = "VONAGE_MEETINGS_BASE_URL" // optional
)

// Client is a Vonage Meetings API client: one service per API area. Create it
// with NewClient; it is safe for concurrent use.
type Client struct {
	// Recordings fetches, lists, downloads and deletes recordings.
	Recordings *recordings.Service

	api *api.Client
}

// NewClient returns a client that authenticates with an API key and secret
// (HTTP Basic auth) against DefaultBaseURL, changed by opts.
//
// It fails with an *ArgumentError, which names the argument and never repeats
// its value, when the key or secret is empty or an option is invalid, and
// when HTTP Basic auth could not carry the key or secret unchanged: a ':' in
// the key (RFC 7617; the server would split "a:b" and "c" into key "a" and
// secret "b:c"), a control character such as a newline in either, or a value
// that is only whitespace. Nothing is sent until a call is made.
//
// For application (JWT) auth, the v1 API's scheme, pass empty apiKey and
// apiSecret and the WithApplication option: a client uses exactly one auth
// mode, so a key or secret given beside WithApplication is refused.
func NewClient(apiKey, apiSecret string, opts ...Option) (*Client, error) {
	return newClient(credentials{apiKey, apiSecret, "apiKey", "apiSecret", false}, opts)
}

// NewClientFromEnv is NewClient with the key and secret read from
// VONAGE_API_KEY and VONAGE_API_SECRET, and the base URL from
// VONAGE_MEETINGS_BASE_URL when that is set. Options in opts win over the
// environment, credentials included: WithApplication in opts replaces the
// environment's key and secret. The key and secret are checked as NewClient
// checks them, and an *ArgumentError names the variable: a value with a
// trailing newline, say, is refused rather than trimmed.
//
// Only when neither VONAGE_API_KEY nor VONAGE_API_SECRET is set does it look
// for application (JWT) auth: VONAGE_APPLICATION_ID with the private key file
// named by VONAGE_PRIVATE_KEY_PATH, as WithApplicationKeyFile.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	var envOpts []Option
	if base := os.Getenv(EnvBaseURL); base != "" {
		envOpts = append(envOpts, baseURL(base, EnvBaseURL))
	}
	key, secret := os.Getenv(EnvAPIKey), os.Getenv(EnvAPISecret)
	if key == "" && secret == "" {
		app, err := envApplication()
		if err != nil {
			return nil, err
		}
		if app != nil {
			envOpts = append(envOpts, app)
		}
	}
	return newClient(credentials{key, secret, EnvAPIKey, EnvAPISecret, true}, append(envOpts, opts...))
}

// credentials are the key and secret NewClient or NewClientFromEnv was given,
// with the names errors call them by.
type credentials struct {
	key, secret         string
	keyName, secretName string
	fromEnv             bool // an option in code that brings other auth replaces them
}

func newClient(cr credentials, opts []Option) (*Client, error) {
	key, secret, keyName, secretName := cr.key, cr.secret, cr.keyName, cr.secretName
	s := defaultSettings()
	for _, opt := range opts {
		if opt == nil {
			return nil, &ArgumentError{Name: "Option", Reason: "is nil"}
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	if s.auth != nil && cr.fromEnv {
		key, secret = "", "" // credentials in code win over the environment's
	}
	if s.auth != nil && (key != "" || secret != "") {
		return nil, &ArgumentError{Name: keyName + " and " + secretName,
			Reason: "must be empty with application auth (WithApplication): a client uses exactly one auth mode"}
	}
	if s.auth == nil { // no option supplied other credentials: key and secret it is
		if key == "" && secret == "" && cr.fromEnv {
			return nil, &ArgumentError{Name: keyName + " and " + secretName,
				Reason: "are not set (for application auth, set " + EnvApplicationID + " and " + EnvPrivateKeyPath + " instead)"}
		}
		// NewBasic is the one place the key and secret are checked; its
		// error says which is wrong, and gets our names for them here.
		basic, err := auth.NewBasic(key, secret)
		var ce *auth.CredentialError
		switch {
		case errors.As(err, &ce) && ce.Key && ce.Secret:
			return nil, &ArgumentError{Name: keyName + " and " + secretName, Reason: ce.Reason}
		case errors.As(err, &ce) && ce.Key:
			return nil, &ArgumentError{Name: keyName, Reason: ce.Reason}
		case errors.As(err, &ce):
			return nil, &ArgumentError{Name: secretName, Reason: ce.Reason}
		case err != nil:
			return nil, err
		}
		s.auth = basic
	}
	base := s.baseURL
	if base == "" {
		base = s.defaultBaseURL
	}
	c, err := api.New(api.Config{
		BaseURL:    base,
		Auth:       s.auth,
		HTTPClient: s.httpClient,
		Timeout:    s.timeout,
		MaxRetries: s.maxRetries,
		MinWait:    s.minWait,
		MaxWait:    s.maxWait,
		Logger:     s.logger,
		UserAgent:  s.userAgent,
	})
	if err != nil {
		return nil, err
	}
	return &Client{Recordings: recordings.NewService(c), api: c}, nil
}

// Format prints the base URL and the authentication scheme, never
// credentials, whatever the verb.
func (c *Client) Format(f fmt.State, _ rune) {
	if c == nil || c.api == nil {
		fmt.Fprint(f, "meetings.Client(nil)")
		return
	}
	fmt.Fprintf(f, "meetings.Client{BaseURL: %q, Auth: %q}", c.api.BaseURL(), c.api.AuthMode())
}
