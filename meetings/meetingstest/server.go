package meetingstest

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/vonage-meetings/go-sdk/callbacks"
)

// Defaults of a new Server. Tests that do not care about credentials can pass
// DefaultAPIKey and DefaultAPISecret (or Server.APIKey and Server.APISecret) to
// the client.
const (
	DefaultAPIKey    = "meetingstest-key"
	DefaultAPISecret = "meetingstest-secret"
	// DefaultBasePath is the path under which the API is served, the same as
	// the beta service's, so a client that drops the base URL's path fails.
	DefaultBasePath = "/beta/meetings"
)

// Recording statuses the service reports.
const (
	StatusStarted  = "started"
	StatusStopped  = "stopped"
	StatusPaused   = "paused"
	StatusUploaded = "uploaded"
)

// Server is a fake Meetings service: an API host that serves the recordings
// endpoints and a storage host that serves recording files, both real HTTP
// servers on loopback. All its methods are safe for concurrent use.
//
// Make one with NewServer or Start. A zero or nil Server serves nothing; its
// methods do not panic: those with an error result return one saying the
// Server was not created with NewServer or Start, the others return zero
// values or do nothing.
//
// Printing a Server with fmt shows its URLs and never its secret.
type Server struct {
	// URL is the API's base URL, path included (for example
	// "http://127.0.0.1:41234/beta/meetings"): what a client's base URL option takes.
	URL string
	// StorageURL is the root URL of the storage host that serves recording
	// files. It is a different host (port) from URL, as S3 is in production.
	StorageURL string

	// Everything else sits behind a pointer, so a Server value holds no lock
	// (it can be copied and printed) and the credentials sit two pointers
	// deep, where no fmt verb reaches them.
	*core
}

// core is the state of a Server.
type core struct {
	api, storage *httptest.Server
	basePath     string
	creds        *credentials
	authCheck    func(*http.Request) error
	signer       func(*http.Request, []byte) error
	cbClient     *http.Client
	done         chan struct{}
	closeOnce    sync.Once

	mu            sync.Mutex
	sessions      map[string][]string // session ID → recording IDs in insertion order
	recordings    map[string]*Recording
	files         map[string]*file
	apiFaults     []queuedFault
	storageFaults []queuedFault
	log           []Request
	storageAuth   int
	noRange       bool
	// unusable, if set, is why this Server was never started (see Start).
	unusable error
}

var errNotCreated = errors.New("Server not created with NewServer or Start")

// ready returns why s cannot be used (a nil or zero Server, or one Start made
// with a nil testing.TB), or nil. Every exported method checks it first.
func (s *Server) ready() error {
	switch {
	case s == nil || s.core == nil:
		return errNotCreated
	case s.unusable != nil:
		return s.unusable
	}
	return nil
}

// credentials are the server's secrets: the API key and secret it accepts and
// the key it signs download URLs with (guarded by core.mu).
type credentials struct {
	key, secret string
	urlKey      []byte
}

// Format prints nothing of the credentials, whatever the verb.
func (credentials) Format(f fmt.State, _ rune) { fmt.Fprint(f, "REDACTED") }

// Option configures a Server.
type Option func(*Server) error

// WithCredentials sets the API key and secret the server accepts with Basic
// auth, instead of DefaultAPIKey and DefaultAPISecret. Both must be non-empty.
func WithCredentials(apiKey, apiSecret string) Option {
	return func(s *Server) error {
		if apiKey == "" || apiSecret == "" {
			return errors.New("meetingstest: WithCredentials: API key and secret must both be non-empty")
		}
		s.creds.key, s.creds.secret = apiKey, apiSecret
		return nil
	}
}

// WithBasePath serves the API under path instead of DefaultBasePath (for
// example "/v1/meetings"). The path is taken as it appears in a URL, escaped:
// it must start with "/", not end with one, have no empty segment ("//"), no
// whitespace, control character, query or fragment, and be escaped the way
// net/url escapes a path ("/a%20b", not "/a b"), so that Server.URL is a base
// URL a client accepts.
func WithBasePath(path string) Option {
	return func(s *Server) error {
		if err := checkBasePath(path); err != nil {
			return fmt.Errorf("meetingstest: WithBasePath: %q %w", path, err)
		}
		s.basePath = path
		return nil
	}
}

func checkBasePath(path string) error {
	switch {
	case !strings.HasPrefix(path, "/"):
		return errors.New(`must start with "/"`)
	case strings.HasSuffix(path, "/"):
		return errors.New(`must not end with "/"`)
	case strings.Contains(path, "//"):
		return errors.New(`has an empty segment ("//")`)
	case strings.ContainsFunc(path, unicode.IsSpace):
		return errors.New("contains whitespace; escape a space as %20")
	case strings.ContainsFunc(path, unicode.IsControl):
		return errors.New("contains a control character")
	case strings.Contains(path, "?"):
		return errors.New("must not have a query")
	case strings.Contains(path, "#"):
		return errors.New("must not have a fragment")
	}
	u, err := url.Parse(path)
	if err != nil {
		return errors.New(`has an invalid escape (a "%" not followed by two hex digits)`)
	}
	if esc := u.EscapedPath(); esc != path {
		return fmt.Errorf("must be escaped, as %q", esc)
	}
	return nil
}

// WithAuthCheck replaces the Basic auth check of the API host. check is called
// for every API request that reaches routing; a non-nil error answers 401 with
// the gateway's body. This is the hook for other schemes, such as the v1 API's
// JWT Bearer tokens.
func WithAuthCheck(check func(r *http.Request) error) Option {
	return func(s *Server) error {
		if check == nil {
			return errors.New("meetingstest: WithAuthCheck: check is nil")
		}
		s.authCheck = check
		return nil
	}
}

// WithCallbackSigner sets a hook that PlayMeeting calls on every callback
// request, after its body and Content-Type are set and before it is sent, so a
// test can add a signature (for example an Authorization header) computed from
// the body. An error from sign stops PlayMeeting.
func WithCallbackSigner(sign func(r *http.Request, body []byte) error) Option {
	return func(s *Server) error {
		if sign == nil {
			return errors.New("meetingstest: WithCallbackSigner: sign is nil")
		}
		s.signer = sign
		return nil
	}
}

// WithCallbackSignatureSecret makes PlayMeeting sign every callback the way
// Vonage signs them: an "Authorization: Bearer <JWT>" header, HS256 with
// secret, whose payload_hash is the SHA-256 of the exact body (see
// callbacks.Sign). A receiver built with callbacks.WithSignatureVerifier and
// the same secret accepts them.
func WithCallbackSignatureSecret(secret []byte) Option {
	if len(secret) == 0 {
		return func(*Server) error { return errors.New("meetingstest: WithCallbackSignatureSecret: secret is empty") }
	}
	secret = bytes.Clone(secret)
	return WithCallbackSigner(func(r *http.Request, body []byte) error {
		h, err := callbacks.Sign(body, secret)
		if err != nil {
			return err
		}
		r.Header.Set("Authorization", h)
		return nil
	})
}

// WithCallbackClient sets the HTTP client PlayMeeting sends callbacks with.
// The default has a 15 s timeout, like the real sender's.
func WithCallbackClient(c *http.Client) Option {
	return func(s *Server) error {
		if c == nil {
			return errors.New("meetingstest: WithCallbackClient: client is nil")
		}
		s.cbClient = c
		return nil
	}
}

// NewServer starts a fake Meetings service on loopback. The caller must call
// Close when done; in tests, Start does that by itself.
func NewServer(opts ...Option) (*Server, error) {
	s := &Server{core: &core{
		basePath:   DefaultBasePath,
		creds:      &credentials{key: DefaultAPIKey, secret: DefaultAPISecret, urlKey: newURLKey()},
		cbClient:   &http.Client{Timeout: 15 * time.Second},
		done:       make(chan struct{}),
		sessions:   map[string][]string{},
		recordings: map[string]*Recording{},
		files:      map[string]*file{},
	}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	if s.authCheck == nil {
		s.authCheck = s.checkBasic
	}
	api, err := startServer(http.HandlerFunc(s.serveAPI))
	if err != nil {
		return nil, fmt.Errorf("meetingstest: start API host: %w", err)
	}
	storage, err := startServer(http.HandlerFunc(s.serveStorage))
	if err != nil {
		api.Close()
		return nil, fmt.Errorf("meetingstest: start storage host: %w", err)
	}
	s.api, s.storage = api, storage
	s.URL = api.URL + s.basePath
	s.StorageURL = storage.URL
	return s, nil
}

// Start starts a fake Meetings service for a test and closes it when the test
// and its subtests end. It fails the test at once if the server cannot start.
//
//	srv := meetingstest.Start(t)
//
// Given a nil tb, Start cannot fail a test or register the Close, so it
// starts nothing (a server nobody closes would leak) and does not panic: it
// returns a Server whose methods all return an error saying so.
func Start(tb testing.TB, opts ...Option) *Server {
	if tb == nil {
		return &Server{core: &core{unusable: errors.New("Server made by Start with a nil testing.TB, so never started")}}
	}
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

func startServer(h http.Handler) (*httptest.Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if l, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			return nil, err
		}
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // injected faults make net/http complain; keep test output clean
	srv.Start()
	return srv, nil
}

// Close shuts both hosts down, cutting short any injected delay, and waits for
// requests in flight to finish. It is safe to call more than once, and does
// nothing on a Server NewServer or Start did not start.
func (s *Server) Close() {
	if s.ready() != nil {
		return
	}
	s.closeOnce.Do(func() {
		close(s.done)
		s.api.CloseClientConnections()
		s.storage.CloseClientConnections()
		s.api.Close()
		s.storage.Close()
	})
}

// APIKey returns the API key the server accepts.
// It returns "" for a Server NewServer or Start did not start.
func (s *Server) APIKey() string {
	if s.ready() != nil {
		return ""
	}
	return s.creds.key
}

// APISecret returns the API secret the server accepts.
// It returns "" for a Server NewServer or Start did not start.
func (s *Server) APISecret() string {
	if s.ready() != nil {
		return ""
	}
	return s.creds.secret
}

// BasePath returns the path under which the API is served, such as "/beta/meetings".
// It returns "" for a Server NewServer or Start did not start.
func (s *Server) BasePath() string {
	if s.ready() != nil {
		return ""
	}
	return s.basePath
}

// Format prints the server's URLs and never its credentials, whatever the
// verb, for a Server and a *Server alike (a nil *Server prints "<nil>").
func (s Server) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "meetingstest.Server{URL: %q, StorageURL: %q}", s.URL, s.StorageURL)
}

// checkBasic is the default auth check: HTTP Basic with the server's key and secret.
func (s *Server) checkBasic(r *http.Request) error {
	if r.Header.Get("Authorization") == "" {
		return errors.New("no Authorization header")
	}
	key, secret, ok := r.BasicAuth()
	if !ok {
		return errors.New("not HTTP Basic credentials")
	}
	if !sameSecret(key, s.creds.key) || !sameSecret(secret, s.creds.secret) {
		return errors.New("wrong credentials")
	}
	return nil
}

// sameSecret compares digests, so the comparison takes the same time whatever
// the values' lengths.
func sameSecret(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

func newURLKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // never fails since Go 1.24
	return k
}

// randomToken returns a short random hex string.
func randomToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
