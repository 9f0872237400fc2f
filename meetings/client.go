package meetings

import (
	"os"
	"time"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
	"github.com/vonage-meetings/go-sdk/recordings"
	"github.com/vonage-meetings/go-sdk/rooms"
	"github.com/vonage-meetings/go-sdk/themes"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = core.Version

// Default base URLs: the beta API takes an API key and secret, the v1 API an
// application's JWTs.
const (
	DefaultBaseURL            = "https://api-eu.vonage.com/beta/meetings"
	DefaultApplicationBaseURL = "https://api-eu.vonage.com/v1/meetings"
)

// The environment variables NewClientFromEnv reads.
const (
	EnvAPIKey         = "VONAGE_API_KEY"
	EnvAPISecret      = "VONAGE_API_SECRET"
	EnvApplicationID  = "VONAGE_APPLICATION_ID"
	EnvPrivateKeyPath = "VONAGE_PRIVATE_KEY_PATH"
	EnvBaseURL        = "VONAGE_MEETINGS_BASE_URL" // optional
)

const (
	defaultTimeout = 30 * time.Second
	defaultMinWait = 500 * time.Millisecond
	defaultMaxWait = 5 * time.Second
)

// Client is a client of the Vonage Meetings API: one service per API area.
// It is safe for concurrent use; make one and share it.
type Client struct {
	Recordings *recordings.Service
	Rooms      *rooms.Service
	Themes     *themes.Service

	conn *core.Conn
}

// NewClient returns a client that authenticates with an API key and secret
// (HTTP Basic auth, the beta API) at DefaultBaseURL unless WithBaseURL says
// otherwise. It refuses an empty key or secret, and values Basic auth would
// change (a key with ':', control characters), with an *ArgumentError that
// never shows them.
func NewClient(apiKey, apiSecret string, opts ...Option) (*Client, error) {
	auth, err := core.NewBasic(apiKey, apiSecret)
	if err != nil {
		return nil, err
	}
	return newClient(auth, DefaultBaseURL, opts)
}

// NewApplicationClient returns a client that authenticates an application
// (the v1 API) at DefaultApplicationBaseURL unless WithBaseURL says
// otherwise. It sends RS256 JWTs signed with privateKeyPEM (an unencrypted
// PKCS#1 or PKCS#8 RSA key of at least 2048 bits) with the claims
// application_id, iat, exp (15 minutes on) and jti, reusing each token until
// a minute before it expires. A key it cannot use is an *ArgumentError that
// never shows key material.
func NewApplicationClient(applicationID string, privateKeyPEM []byte, opts ...Option) (*Client, error) {
	auth, err := core.NewJWT(applicationID, privateKeyPEM)
	if err != nil {
		return nil, err
	}
	return newClient(auth, DefaultApplicationBaseURL, opts)
}

// NewApplicationClientFromKeyFile is NewApplicationClient with the private
// key read from a PEM file. A missing file satisfies
// errors.Is(err, fs.ErrNotExist).
func NewApplicationClientFromKeyFile(applicationID, path string, opts ...Option) (*Client, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, &ArgumentError{Name: "private key file", Reason: "cannot be read", Err: err}
	}
	return NewApplicationClient(applicationID, pem, opts...)
}

// NewClientFromEnv returns a client configured from the environment: with
// VONAGE_API_KEY and VONAGE_API_SECRET when either is set (NewClient), else
// with VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY_PATH
// (NewApplicationClientFromKeyFile). VONAGE_MEETINGS_BASE_URL, if set, is
// the base URL; options given in code are applied after it and win.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}
	key, secret := os.Getenv(EnvAPIKey), os.Getenv(EnvAPISecret)
	if key == "" && secret == "" {
		if id := os.Getenv(EnvApplicationID); id != "" {
			return NewApplicationClientFromKeyFile(id, os.Getenv(EnvPrivateKeyPath), opts...)
		}
		return nil, &ArgumentError{Name: EnvAPIKey + " and " + EnvAPISecret, Reason: "are not set (nor " + EnvApplicationID + ")"}
	}
	return NewClient(key, secret, opts...)
}

func newClient(auth core.Auth, baseURL string, opts []Option) (*Client, error) {
	s := &settings{baseURL: baseURL, timeout: defaultTimeout, maxRetries: 3, minWait: defaultMinWait, maxWait: defaultMaxWait}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	base, err := core.ParseBaseURL(s.baseURL)
	if err != nil {
		return nil, &ArgumentError{Name: "base URL", Reason: err.Error()}
	}
	conn := core.New(core.Config{BaseURL: base, Auth: auth, HTTPClient: s.httpClient, Timeout: s.timeout,
		MaxRetries: s.maxRetries, MinWait: s.minWait, MaxWait: s.maxWait, Logger: s.logger, UserAgent: s.userAgent})
	return &Client{
		Recordings: core.Services.Recordings(conn.For("recordings")).(*recordings.Service),
		Rooms:      core.Services.Rooms(conn.For("rooms")).(*rooms.Service),
		Themes:     core.Services.Themes(conn.For("themes")).(*themes.Service),
		conn:       conn,
	}, nil
}
