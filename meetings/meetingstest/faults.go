package meetingstest

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"time"
)

// Hosts a Request is logged for.
const (
	HostAPI     = "api"
	HostStorage = "storage"
)

// Request is one request a host received, as the request log keeps it: of the
// Authorization header only the scheme is kept.
type Request struct {
	Host             string // HostAPI or HostStorage
	Method           string
	Path             string // escaped as sent, without the query
	AuthScheme       string // "Basic", "Bearer", "" without an Authorization header
	HasAuthorization bool
	Range            string
	Header           http.Header // without Authorization, Proxy-Authorization and Cookie
	Status           int         // the status answered; 0 if the connection was dropped or cut
}

// Requests returns the request log of both hosts, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// RequestsTo returns the requests one host, HostAPI or HostStorage, received.
func (s *Server) RequestsTo(host string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Host == host {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
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

// PendingFaults returns how many injected faults each host has yet to apply,
// at most math.MaxInt.
func (s *Server) PendingFaults() (api, storage int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	count := func(q []queuedFault) (n int) {
		for _, e := range q {
			n += min(e.left, math.MaxInt-n)
		}
		return n
	}
	return count(s.faults[HostAPI]), count(s.faults[HostStorage])
}

// host logs each request with the status answered and plays the host's next
// fault; next serves what the fault leaves to answer.
func (s *Server) host(name string, next func(*statusRecorder, *http.Request, Fault)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		h.Del("Authorization")
		h.Del("Proxy-Authorization")
		h.Del("Cookie")
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
			f = q[0].f
			if q[0].left--; q[0].left == 0 {
				s.faults[name] = q[1:]
			}
		}
		s.mu.Unlock()

		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			s.mu.Lock()
			if i < len(s.log) { // unless ResetRequests ran
				s.log[i].Status = rec.status
			}
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
