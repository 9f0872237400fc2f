package meetingstest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Defaults of a new Server; the base path is the beta service's.
const (
	DefaultAPIKey    = "meetingstest-key"
	DefaultAPISecret = "meetingstest-secret"
	DefaultBasePath  = "/beta/meetings"
)

// Server is a fake Meetings service: an API host and a storage host on
// loopback, safe for concurrent use. Printing it never shows a secret.
type Server struct {
	URL        string // the API's base URL, such as "http://127.0.0.1:41234/beta/meetings"
	StorageURL string // the storage host's root URL, another port, as S3 is another host

	*core // behind a pointer, which fmt prints as an address
}

type core struct {
	api, storage *httptest.Server
	basePath     string
	apiKey       string
	apiSecret    secret
	cbSecret     secret
	authCheck    func(*http.Request) error
	done         chan struct{}
	closeOnce    sync.Once

	mu          sync.Mutex
	urlKey      secret              // signs download URLs and logo policies
	sessions    map[string][]string // session ID → recording IDs, in order
	recordings  map[string]*Recording
	files       map[string]*file
	faults      map[string][]queuedFault // by host
	log         []Request
	storageAuth int
	rooms       []object // in serial order
	themes      []object
	logos       map[string]*logo // upload targets by key
	appTheme    string           // the application's default theme ID
}

// secret holds a string where no fmt verb reaches it: fmt prints a func as an address.
type secret func() string

func newSecret(s string) secret { return func() string { return s } }

// Option configures a Server; NewServer ignores a nil one.
type Option func(*core) error

// WithCredentials sets the API key and secret the server accepts with HTTP
// Basic auth, instead of DefaultAPIKey and DefaultAPISecret.
func WithCredentials(apiKey, apiSecret string) Option {
	return func(c *core) error {
		if apiKey == "" || apiSecret == "" {
			return errors.New("meetingstest: WithCredentials: API key and secret must both be non-empty")
		}
		c.apiKey, c.apiSecret = apiKey, newSecret(apiSecret)
		return nil
	}
}

// WithBasePath serves the API under path, escaped as in a URL (such as
// "/v1/meetings"), instead of DefaultBasePath.
func WithBasePath(path string) Option {
	return func(c *core) error {
		if !strings.HasPrefix(path, "/") || strings.HasSuffix(path, "/") {
			return fmt.Errorf(`meetingstest: WithBasePath: %q must start with "/" and not end with one`, path)
		}
		c.basePath = path
		return nil
	}
}

// WithAuthCheck replaces the API host's Basic auth check, for example with
// one for the v1 API's JWTs. An error from check answers 401.
func WithAuthCheck(check func(r *http.Request) error) Option {
	return func(c *core) error {
		c.authCheck = check
		return nil
	}
}

// WithCallbackSignatureSecret makes PlayMeeting sign every callback as Vonage
// does, with the "Authorization: Bearer <JWT>" header of callbacks.Sign.
func WithCallbackSignatureSecret(s []byte) Option {
	return func(c *core) error {
		if len(s) == 0 {
			return errors.New("meetingstest: WithCallbackSignatureSecret: secret is empty")
		}
		c.cbSecret = newSecret(string(s))
		return nil
	}
}

// NewServer starts a fake Meetings service, which the caller must Close.
func NewServer(opts ...Option) (*Server, error) {
	c := &core{
		basePath: DefaultBasePath, apiKey: DefaultAPIKey, apiSecret: newSecret(DefaultAPISecret),
		done: make(chan struct{}), urlKey: newSecret(rand.Text()),
		sessions: map[string][]string{}, recordings: map[string]*Recording{}, files: map[string]*file{},
		faults: map[string][]queuedFault{}, logos: map[string]*logo{},
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.authCheck == nil {
		c.authCheck = c.checkBasic
	}
	s := &Server{core: c}
	start := func(name string, next func(*statusRecorder, *http.Request, Fault)) *httptest.Server {
		srv := httptest.NewUnstartedServer(s.host(name, next))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // injected faults make net/http complain
		srv.Start()
		return srv
	}
	c.api, c.storage = start(HostAPI, s.routes()), start(HostStorage, s.serveStorage)
	s.URL, s.StorageURL = c.api.URL+c.basePath, c.storage.URL
	return s, nil
}

// Start starts a fake Meetings service for a test, failing it if an option is
// refused, and closes it when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts both hosts down, cutting injected delays short; twice is fine.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		for _, h := range []*httptest.Server{s.api, s.storage} {
			h.CloseClientConnections()
			h.Close()
		}
	})
}

// APIKey returns the API key the server accepts.
func (s *Server) APIKey() string { return s.apiKey }

// APISecret returns the API secret the server accepts.
func (s *Server) APISecret() string { return s.apiSecret() }

func (c *core) checkBasic(r *http.Request) error {
	key, sec, _ := r.BasicAuth()
	x, y := sha256.Sum256([]byte(key+"\x00"+sec)), sha256.Sum256([]byte(c.apiKey+"\x00"+c.apiSecret()))
	if subtle.ConstantTimeCompare(x[:], y[:]) != 1 {
		return errors.New("wrong or missing Basic credentials")
	}
	return nil
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
