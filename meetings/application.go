package meetings

import (
	"os"

	"github.com/vonage-meetings/go-sdk/internal/auth"
)

// DefaultApplicationBaseURL is the base URL of the v1 (GA) API, which takes
// application (JWT) auth. WithApplication makes it the default base URL.
const DefaultApplicationBaseURL = "https://api-eu.vonage.com/v1/meetings"

// Environment variables read by NewClientFromEnv for application auth.
const (
	EnvApplicationID  = "VONAGE_APPLICATION_ID"
	EnvPrivateKeyPath = "VONAGE_PRIVATE_KEY_PATH"
)

// WithApplication authenticates as a Vonage application instead of with an
// API key and secret: every request carries "Authorization: Bearer <JWT>",
// an RS256 token signed with privateKeyPEM and claiming applicationID, iat,
// exp and a random jti. A token lives 15 minutes, is reused while valid and
// renewed a minute before it expires; the client stays safe for concurrent use.
//
// privateKeyPEM is the application's RSA private key as the dashboard
// downloads it: PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"),
// unencrypted, of at least 2048 bits. Anything else is refused with an
// *ArgumentError that says what is wrong and never shows the key.
//
// With WithApplication the default base URL is DefaultApplicationBaseURL
// (WithBaseURL still wins), and NewClient's apiKey and apiSecret must be
// empty: a client uses exactly one auth mode.
func WithApplication(applicationID string, privateKeyPEM []byte) Option {
	return func(s *settings) error {
		a, err := auth.NewJWT(applicationID, privateKeyPEM)
		return s.setApplication(a, err, "WithApplication")
	}
}

// WithApplicationKeyFile is WithApplication with the private key read from
// the PEM file at path (as the dashboard downloads it). A missing file is an
// *ArgumentError that also satisfies errors.Is(err, fs.ErrNotExist).
func WithApplicationKeyFile(applicationID, path string) Option {
	return func(s *settings) error {
		a, err := auth.NewJWTFromFile(applicationID, path)
		return s.setApplication(a, err, "WithApplicationKeyFile")
	}
}

func (s *settings) setApplication(a *auth.JWT, err error, option string) error {
	if err != nil {
		return &ArgumentError{Name: option, Reason: err.Error(), Err: err}
	}
	if s.auth != nil && !s.authFromEnv {
		return &ArgumentError{Name: option, Reason: "application auth is configured twice; give one WithApplication or WithApplicationKeyFile"}
	}
	s.auth, s.authFromEnv = a, false
	s.defaultBaseURL = DefaultApplicationBaseURL
	return nil
}

// envApplication returns the application-auth option the environment asks
// for, or nil when EnvApplicationID is unset.
func envApplication() (Option, error) {
	id := os.Getenv(EnvApplicationID)
	if id == "" {
		return nil, nil
	}
	path := os.Getenv(EnvPrivateKeyPath)
	if path == "" {
		return nil, &ArgumentError{Name: EnvPrivateKeyPath, Reason: "is empty but " + EnvApplicationID + " is set; point it at the application's private key file"}
	}
	return func(s *settings) error {
		a, err := auth.NewJWTFromFile(id, path)
		if err := s.setApplication(a, err, EnvPrivateKeyPath); err != nil {
			return err
		}
		s.authFromEnv = true // an application option in code replaces it
		return nil
	}, nil
}
