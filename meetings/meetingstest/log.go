package meetingstest

import (
	"net/http"
	"strings"
)

// Hosts a Request can be logged for.
const (
	HostAPI     = "api"
	HostStorage = "storage"
)

// Request is one request either host received, as the request log keeps it.
// It never holds a credential: the Authorization header is reduced to its
// scheme.
type Request struct {
	Host   string // HostAPI or HostStorage
	Method string
	// Path is the path exactly as the client escaped it (for example
	// "/beta/meetings/recordings/a%2Fb"), without the query.
	Path string
	// AuthScheme is the scheme of the Authorization header ("Basic", "Bearer")
	// or "" when there was none. The credentials are never kept.
	AuthScheme string
	// HasAuthorization reports whether the request carried an Authorization header.
	HasAuthorization bool
	// Range is the Range header, "" when there was none.
	Range string
	// Header is a copy of the request's headers without Authorization,
	// Proxy-Authorization and Cookie.
	Header http.Header
	// Status is the status code answered; 0 when the connection was dropped
	// or cut before the answer finished.
	Status int
}

func (s *Server) logRequest(host string, r *http.Request) int {
	h := r.Header.Clone()
	h.Del("Authorization")
	h.Del("Proxy-Authorization")
	h.Del("Cookie")
	auth := r.Header.Get("Authorization")
	scheme, _, _ := strings.Cut(auth, " ")
	entry := Request{
		Host:             host,
		Method:           r.Method,
		Path:             r.URL.EscapedPath(),
		AuthScheme:       scheme,
		HasAuthorization: len(r.Header.Values("Authorization")) > 0,
		Range:            r.Header.Get("Range"),
		Header:           h,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if host == HostStorage && entry.HasAuthorization {
		s.storageAuth++
	}
	s.log = append(s.log, entry)
	return len(s.log) - 1
}

func (s *Server) setStatus(i, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i < len(s.log) {
		s.log[i].Status = status
	}
}

// Requests returns a copy of the request log of both hosts, in arrival order.
func (s *Server) Requests() []Request {
	if s.ready() != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// RequestsTo returns the requests one host received (HostAPI or HostStorage),
// in arrival order.
func (s *Server) RequestsTo(host string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Host == host {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests empties the request log. It leaves StorageAuthorizationCount as it is.
func (s *Server) ResetRequests() {
	if s.ready() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// StorageAuthorizationCount returns how many requests to the storage host
// carried an Authorization header since the server started. A client must
// never send its API credentials to storage, so tests assert this is 0. The
// storage host also refuses such requests with 400, as S3 does.
func (s *Server) StorageAuthorizationCount() int {
	if s.ready() != nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storageAuth
}

// statusRecorder remembers the status code a handler answered.
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

func (w *statusRecorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
