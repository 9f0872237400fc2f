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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	apiKey, apiSecret = "meetingstest-key", "meetingstest-secret"
	basePath          = "/beta/meetings" // the beta service's
)

// Hosts a Request is logged for.
const (
	HostAPI     = "api"
	HostStorage = "storage"
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

// WithAuthCheck replaces the API host's Basic auth check, for example with
// one for the v1 API's JWTs. An error from check answers 401.
func WithAuthCheck(check func(r *http.Request) error) Option {
	return func(c *core) error { c.authCheck = check; return nil }
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
	c := &core{done: make(chan struct{}), urlKey: newSecret(rand.Text()), sessions: map[string][]string{},
		recordings: map[string]*Recording{}, files: map[string]*file{}, faults: map[string][]queuedFault{}, logos: map[string]*logo{}}
	for _, opt := range opts {
		if opt != nil {
			if err := opt(c); err != nil {
				return nil, err
			}
		}
	}
	if c.authCheck == nil {
		c.authCheck = checkBasic
	}
	s := &Server{core: c}
	start := func(name string, next func(*statusRecorder, *http.Request, Fault)) *httptest.Server {
		srv := httptest.NewUnstartedServer(s.host(name, next))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // injected faults make net/http complain
		srv.Start()
		return srv
	}
	c.api, c.storage = start(HostAPI, s.routes()), start(HostStorage, s.serveStorage)
	s.URL, s.StorageURL = c.api.URL+basePath, c.storage.URL
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

// APIKey returns the API key the server accepts with HTTP Basic auth.
func (s *Server) APIKey() string { return apiKey }

// APISecret returns the API secret the server accepts with HTTP Basic auth.
func (s *Server) APISecret() string { return apiSecret }

func checkBasic(r *http.Request) error {
	key, sec, _ := r.BasicAuth()
	x, y := sha256.Sum256([]byte(key+"\x00"+sec)), sha256.Sum256([]byte(apiKey+"\x00"+apiSecret))
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

// Request is one request a host received, as the request log keeps it.
type Request struct {
	Host             string // HostAPI or HostStorage
	Method           string
	Path             string // escaped as sent, without the query
	AuthScheme       string // of the Authorization header, such as "Basic"; the credentials are not kept
	HasAuthorization bool
	Range            string
	Header           http.Header // without Authorization, Proxy-Authorization and Cookie
	Status           int         // the status answered; 0 if the connection was dropped or cut
}

// Requests returns the request log of both hosts, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.log)
	for i := range out {
		out[i].Header = out[i].Header.Clone()
	}
	return out
}

// RequestsTo returns the requests one host, HostAPI or HostStorage, received.
func (s *Server) RequestsTo(host string) (out []Request) {
	for _, r := range s.Requests() {
		if r.Host == host {
			out = append(out, r)
		}
	}
	return out
}

// StorageAuthorizationCount returns how many requests to the storage host
// carried an Authorization header, which it refuses with 400 as S3 does.
func (s *Server) StorageAuthorizationCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storageAuth
}

// Fault is what a host does to one request instead of, or before, answering
// it: Delay first, then Drop or Status, or on storage CutAfter, IgnoreRange
// or Chunked, which change how a file is served.
type Fault struct {
	Status     int    // answer this status with the host's error body
	RetryAfter string // with Status: the Retry-After header, such as "1"
	// Drop closes the connection without an answer. Go's http.Transport
	// retries a GET once by itself when a reused connection closes so: inject
	// two drops to make such a client see an error.
	Drop        bool
	Delay       time.Duration // wait this long first, less if the client gives up
	CutAfter    int64         // if positive, close the connection after this many bytes of the body
	IgnoreRange bool          // answer 200 with the whole file, whatever the Range
	Chunked     bool          // answer 200 with the whole file and no Content-Length
}

type queuedFault struct {
	f    Fault
	left int
}

// InjectAPIFault makes the API host apply f to each of its next n requests.
// Faults queue up in order; any n costs the same, so math.MaxInt means every
// request from now on.
func (s *Server) InjectAPIFault(n int, f Fault) error { return s.inject(HostAPI, n, f) }

// InjectStorageFault makes the storage host apply f to each of its next n
// requests, queued as InjectAPIFault does.
func (s *Server) InjectStorageFault(n int, f Fault) error { return s.inject(HostStorage, n, f) }

func (s *Server) inject(host string, n int, f Fault) error {
	if n < 1 {
		return errors.New("meetingstest: inject fault: n must be at least 1")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[host] = append(s.faults[host], queuedFault{f, n})
	return nil
}

// host logs each request with the status answered and plays the host's next
// fault; next serves what the fault leaves to answer.
func (s *Server) host(name string, next func(*statusRecorder, *http.Request, Fault)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		for _, k := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
			h.Del(k)
		}
		scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		auth := len(r.Header.Values("Authorization")) > 0
		var f Fault
		s.mu.Lock()
		i := len(s.log)
		s.log = append(s.log, Request{name, r.Method, r.URL.EscapedPath(), scheme, auth, r.Header.Get("Range"), h, 0})
		if auth && name == HostStorage {
			s.storageAuth++
		}
		if q := s.faults[name]; len(q) > 0 {
			if f = q[0].f; q[0].left == 1 {
				s.faults[name] = q[1:]
			}
			q[0].left--
		}
		s.mu.Unlock()

		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			s.mu.Lock()
			s.log[i].Status = rec.status
			s.mu.Unlock()
		}()
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				f.Drop = true
			case <-s.done:
				f.Drop = true
			}
			t.Stop()
		}
		if f.RetryAfter != "" {
			rec.Header().Set("Retry-After", f.RetryAfter)
		}
		switch {
		case f.Drop:
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(http.ErrAbortHandler)
			}
			_ = conn.Close()
		case f.Status != 0 && name == HostStorage:
			writeS3Error(rec, f.Status, "InjectedFault", "meetingstest: injected fault")
		case f.Status != 0:
			writeGateway(rec, f.Status, "meetingstest: injected fault")
		default:
			next(rec, r, f)
		}
	})
}

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
