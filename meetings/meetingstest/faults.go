package meetingstest

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"
)

// Fault is what the server does to one request instead of (or before)
// answering it normally. Faults are queued per host by InjectAPIFault and
// InjectStorageFault; each request to that host takes the next one, in arrival
// order, before anything else is checked.
//
// The fields combine: Delay happens first; then Drop, Status or (storage only)
// CutAfter, IgnoreRange and Chunked apply. A Fault with only Delay set answers normally,
// late.
type Fault struct {
	// Status, if non-zero, answers with this status code and an error body in
	// the host's style: the API gateway's {"title","detail"} JSON, or S3's XML
	// on the storage host. With Body, any status (200 included) serves that
	// body as-is: a way to answer what the service may send but the fake does
	// not, such as a list without "_embedded".
	Status int
	// RetryAfter is sent as the Retry-After header with Status (for example
	// "1", or an HTTP date). Empty sends none.
	RetryAfter string
	// Body, if non-empty, replaces the default error body of Status, sent with
	// Content-Type application/json on the API host and application/xml on storage.
	Body string
	// Drop closes the connection without answering a byte. Note that Go's
	// http.Transport retries a GET or DELETE by itself, once, when a reused
	// (keep-alive) connection closes before answering: inject at least two
	// drops to make a client using a reused connection see an error.
	Drop bool
	// Delay waits this long before answering. The wait ends early if the
	// client gives up or the server is closed.
	Delay time.Duration
	// CutAfter, storage host only, if positive: answer normally (headers with
	// the full Content-Length) but close the connection after this many bytes
	// of the body, counted from the start of this response (its Range).
	CutAfter int64
	// IgnoreRange, storage host only: answer 200 with the whole file even if
	// the request asked for a Range, as servers without range support do.
	IgnoreRange bool
	// Chunked, storage host only: answer 200 with the whole file and no
	// Content-Length (chunked transfer encoding), as a server that does not
	// know the size does. Range is ignored.
	Chunked bool
}

func (f Fault) validate(storage bool) error {
	switch {
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("status %d is not an HTTP status code", f.Status)
	case f.Status != 0 && f.Drop:
		return errors.New("a fault cannot both Drop and answer a Status")
	case f.Delay < 0:
		return fmt.Errorf("delay %v is negative", f.Delay)
	case f.CutAfter < 0:
		return fmt.Errorf("CutAfter %d is negative", f.CutAfter)
	case !storage && (f.CutAfter != 0 || f.IgnoreRange || f.Chunked):
		return errors.New("the API host takes no CutAfter, IgnoreRange or Chunked (storage only)")
	case f.RetryAfter != "" && f.Status == 0:
		return errors.New("a RetryAfter needs a Status")
	case f.Body != "" && f.Status == 0:
		return errors.New("a Body needs a Status")
	}
	return nil
}

// queuedFault is one InjectAPIFault or InjectStorageFault call: f for the
// next remaining requests. Keeping the count instead of n copies makes any n,
// math.MaxInt included, cost the same memory.
type queuedFault struct {
	f         Fault
	remaining int
}

// InjectAPIFault makes the API host apply f to each of its next n requests.
// Calls queue up: InjectAPIFault(2, a) then InjectAPIFault(1, b) answers the
// next three requests with a, a, b. Any n costs the same memory, so
// math.MaxInt is a way to say "every request from now on".
func (s *Server) InjectAPIFault(n int, f Fault) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: InjectAPIFault: %w", err)
	}
	if err := checkFault(n, f, false); err != nil {
		return fmt.Errorf("meetingstest: InjectAPIFault: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apiFaults = append(s.apiFaults, queuedFault{f, n})
	return nil
}

// InjectStorageFault makes the storage host apply f to each of its next n
// requests, queued like InjectAPIFault.
func (s *Server) InjectStorageFault(n int, f Fault) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: InjectStorageFault: %w", err)
	}
	if err := checkFault(n, f, true); err != nil {
		return fmt.Errorf("meetingstest: InjectStorageFault: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storageFaults = append(s.storageFaults, queuedFault{f, n})
	return nil
}

func checkFault(n int, f Fault, storage bool) error {
	if n < 1 {
		return fmt.Errorf("count %d: must be at least 1", n)
	}
	return f.validate(storage)
}

// PendingFaults returns how many injected faults the API host and the storage
// host have not applied yet. A count that would overflow an int is reported
// as math.MaxInt.
func (s *Server) PendingFaults() (api, storage int) {
	if s.ready() != nil {
		return 0, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return pending(s.apiFaults), pending(s.storageFaults)
}

func pending(q []queuedFault) int {
	sum := 0
	for _, e := range q {
		if e.remaining > math.MaxInt-sum {
			return math.MaxInt
		}
		sum += e.remaining
	}
	return sum
}

// SetRangeSupport turns the storage host's Range support on (the default) or
// off. Off, it answers every GET with 200 and the whole file, and sends no
// Accept-Ranges header.
func (s *Server) SetRangeSupport(on bool) {
	if s.ready() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noRange = !on
}

func (s *Server) nextFault(storage bool) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &s.apiFaults
	if storage {
		q = &s.storageFaults
	}
	if len(*q) == 0 {
		return Fault{}, false
	}
	head := &(*q)[0]
	f := head.f
	if head.remaining--; head.remaining == 0 {
		*q = (*q)[1:]
	}
	return f, true
}

// playFault plays the next fault queued for the API host or (storage) the
// storage host and reports whether it answered the request, so the caller
// stops; a fault that only delays (or none) lets the request go on. The
// storage-only fields (CutAfter, IgnoreRange, Chunked) stay for the caller.
func (s *Server) playFault(w http.ResponseWriter, rec *statusRecorder, r *http.Request, storage bool) (Fault, bool) {
	f, ok := s.nextFault(storage)
	if !ok {
		return f, false
	}
	switch {
	case !s.wait(r, f.Delay), f.Drop:
		drop(w)
		return f, true
	case f.Status != 0:
		writeFault(rec, f, storage)
		return f, true
	}
	return f, false
}

// wait sleeps for d, or less if the request is cancelled or the server closes.
// It reports whether the full delay passed; when it did not, the caller drops
// the connection rather than answer.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

// drop closes the request's connection without answering.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
