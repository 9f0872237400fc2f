package meetingstest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/callbacks"
)

const (
	apiKey, apiSecret = "meetingstest-key", "meetingstest-secret"
	basePath          = "/beta/meetings"
)

// Hosts a Request is logged for.
const (
	HostAPI     = "api"
	HostStorage = "storage"
)

// Server is a fake Meetings service, safe for concurrent use.
type Server struct {
	URL        string // the API's base URL, such as "http://127.0.0.1:41234/beta/meetings"
	StorageURL string // the storage host's root URL, another port, as S3 is another host
	*core             // behind a pointer, which fmt prints as an address
}

type core struct {
	api, storage *httptest.Server
	cbSecret     secret
	authCheck    func(*http.Request) error
	done         chan struct{}
	closeOnce    sync.Once
	mu           sync.Mutex
	urlKey       secret              // signs download URLs and logo policies
	sessions     map[string][]string // session ID → recording IDs, in order
	recordings   map[string]*Recording
	files        map[string]*file
	faults       map[string][]queuedFault // by host
	log          []Request
	rooms        []object // in serial order
	themes       []object
	logos        map[string]*logo // upload targets by key
	appTheme     string           // the application's default theme ID
}

type secret func() string // fmt prints a func as an address

func newSecret(s string) secret { return func() string { return s } }

// Option configures a Server; NewServer ignores a nil one.
type Option func(*core) error

// WithAuthCheck replaces the API host's Basic auth check; an error answers 401.
func WithAuthCheck(check func(r *http.Request) error) Option {
	return func(c *core) error { c.authCheck = check; return nil }
}

// WithCallbackSignatureSecret makes PlayMeeting sign callbacks as callbacks.Sign does.
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

// Start starts a fake Meetings service that closes when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts both hosts down, cutting injected delays short.
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
func (s *Server) APIKey() string { return apiKey }

// APISecret returns the API secret the server accepts.
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

// Request is one request a host received.
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
func (s *Server) RequestsTo(host string) []Request {
	return slices.DeleteFunc(s.Requests(), func(r Request) bool { return r.Host != host })
}

// StorageAuthorizationCount returns how many storage requests had an Authorization header.
func (s *Server) StorageAuthorizationCount() int {
	return len(slices.DeleteFunc(s.RequestsTo(HostStorage), func(r Request) bool { return !r.HasAuthorization }))
}

// Fault is what a host does to a request: Delay first, then Drop or Status,
// or on storage CutAfter, IgnoreRange or Chunked.
type Fault struct {
	Status      int           // answer this status with the host's error body
	RetryAfter  string        // the Retry-After header, such as "1"
	Drop        bool          // close the connection; http.Transport retries a GET once by itself
	Delay       time.Duration // wait this long first, less if the client gives up
	CutAfter    int64         // if positive, close the connection after this many bytes of the body
	IgnoreRange bool          // answer 200 with the whole file, whatever the Range
	Chunked     bool          // answer 200 with the whole file and no Content-Length
}

type queuedFault struct {
	f    Fault
	left int
}

// InjectAPIFault makes the API host apply f to each of its next n requests,
// after the faults queued before; math.MaxInt means every request.
func (s *Server) InjectAPIFault(n int, f Fault) error { return s.inject(HostAPI, n, f) }

// InjectStorageFault is InjectAPIFault for the storage host.
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

// host logs each request and its status, and plays the host's next fault.
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
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
				f.Drop = true
			case <-s.done:
				f.Drop = true
			}
		}
		if f.RetryAfter != "" {
			rec.Header().Set("Retry-After", f.RetryAfter)
		}
		switch {
		case f.Drop:
			panic(http.ErrAbortHandler) // closes the connection without an answer
		case f.Status != 0 && name == HostStorage:
			writeS3Error(rec, f.Status, "InjectedFault", "meetingstest: injected fault")
		case f.Status != 0:
			writeGateway(rec, f.Status, "meetingstest: injected fault")
		default:
			next(rec, r, f)
		}
	})
}

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

// Defaults of a Meeting, from the service's example payloads.
const (
	DefaultRoomID      = "b307d837-c0ce-4619-8c5c-70e418ef9693"
	DefaultSessionID   = "2_MX40NjMzOTg5Mn5-MTYzNTg2ODQwODY4NH41cXIzMDdSa1BZa05BUDFpYnhxcTV4MCt-fg"
	DefaultRecordingID = "17461b93-f793-48a0-9392-7d82de40432f"
	DefaultFileSize    = 1 << 20 // bytes of generated content
)

// DefaultStartedAt is a Meeting's default start.
var DefaultStartedAt = time.Date(2021, 11, 2, 15, 53, 28, 753e6, time.UTC)

// Meeting is what PlayMeeting plays; zero fields take defaults.
type Meeting struct {
	RoomID                 string        // default DefaultRoomID; a room made with POST /rooms gives its type and callback URLs
	RoomType               string        // default "instant"
	SessionID, RecordingID string        // default DefaultSessionID and DefaultRecordingID
	Participants           []Participant // join after the session starts, leave after the recording; default a host and a guest
	StartedAt              time.Time     // the session's start, default DefaultStartedAt; the recording starts 2 minutes later
	RecordingDuration      time.Duration // default 38 s
	File                   []byte        // the recording's file; if nil, FileSize bytes of generated content
	FileSize               int64         // default DefaultFileSize
}

// Participant is someone who joins and leaves a played meeting.
type Participant struct {
	ID, Name string
	Type     string // such as "Guest"
	IsHost   bool
}

// Callback is one callback PlayMeeting sent.
type Callback struct {
	Event, URL string
	Body       []byte
	StatusCode int // the receiver's answer; 0 if the request failed
}

// Played is what PlayMeeting did: the meeting with its defaults, the url of
// recording:uploaded, and the callbacks sent.
type Played struct {
	Meeting     Meeting
	DownloadURL string
	Callbacks   []Callback
}

// CallbackError is PlayMeeting's error for a callback answered other than 2xx.
type CallbackError struct {
	Event      string
	StatusCode int
}

// Error names the status and the event.
func (e *CallbackError) Error() string {
	return fmt.Sprintf("meetingstest: receiver answered %d %s to %s", e.StatusCode, http.StatusText(e.StatusCode), e.Event)
}

// Its own transport, as httptest.Server.Close drops http.DefaultTransport's idle connections.
var callbackClient = &http.Client{Timeout: 15 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}

// PlayMeeting POSTs a meeting's callbacks as the service does: session:started,
// session:participant:joined for each participant, recording:started and
// :ended, session:participant:left for each, recording:uploaded, session:ended
// and room:expired, to receiverURL or a POST /rooms room's callback URLs. The
// state changes before each; it stops at the first callback that fails or is
// answered other than 2xx (a *CallbackError).
func (s *Server) PlayMeeting(ctx context.Context, receiverURL string, m Meeting) (*Played, error) {
	m.RoomID, m.RoomType = cmp.Or(m.RoomID, DefaultRoomID), cmp.Or(m.RoomType, "instant")
	m.SessionID, m.RecordingID = cmp.Or(m.SessionID, DefaultSessionID), cmp.Or(m.RecordingID, DefaultRecordingID)
	if m.Participants == nil {
		m.Participants = []Participant{{"b424e1c4-e988-4ce2-8ab9-e3efea7de542", "Host", "Guest", true}, {"5e2c0f8a-3c43-4b9e-9d1e-8c7a41f0b6d2", "New Joiner", "Guest", false}}
	}
	m.StartedAt, m.RecordingDuration = cmp.Or(m.StartedAt, DefaultStartedAt), cmp.Or(max(m.RecordingDuration, 0), 38*time.Second)
	if m.FileSize = cmp.Or(max(m.FileSize, 0), DefaultFileSize); m.File != nil {
		m.FileSize = int64(len(m.File))
	}
	recStart := m.StartedAt.Add(2*time.Minute + 6247*time.Millisecond) // 15:55:35.000 for the default start
	recEnd := recStart.Add(m.RecordingDuration)
	sessEnd := recEnd.Add(30 * time.Second)
	created, expires := formatTime(m.StartedAt.Add(-time.Minute)), formatTime(sessEnd.Add(10*time.Minute))
	dest := map[string]string{"room": receiverURL, "session": receiverURL, "recording": receiverURL}
	s.mu.Lock()
	if rm := s.room(m.RoomID); rm != nil {
		m.RoomType, created, expires = str(rm, "type"), str(rm, "created_at"), str(rm, "expires_at")
		for k := range dest {
			dest[k] = cmp.Or(str(rm, "callback_urls", k+"s_callback_url"), receiverURL)
		}
	}
	s.mu.Unlock()
	type event = map[string]any
	rec := event{"recording_id": m.RecordingID, "session_id": m.SessionID}
	ended := event{"started_at": formatTime(recStart), "ended_at": formatTime(recEnd), "duration": m.RecordingDuration.Seconds()}
	events := []event{{"event": "session:started", "session_id": m.SessionID, "room_id": m.RoomID, "started_at": formatTime(m.StartedAt)}}
	people := func(ev string) {
		for _, pt := range m.Participants {
			events = append(events, event{"event": ev, "participant_id": pt.ID, "session_id": m.SessionID, "room_id": m.RoomID, "name": pt.Name, "type": pt.Type, "is_host": pt.IsHost})
		}
	}
	people("session:participant:joined")
	events = append(events, merged(event{"event": "recording:started"}, rec), merged(event{"event": "recording:ended"}, rec, ended))
	people("session:participant:left")
	events = append(events, merged(event{"event": "recording:uploaded", "room_id": m.RoomID}, rec, ended),
		event{"event": "session:ended", "session_id": m.SessionID, "room_id": m.RoomID, "started_at": formatTime(m.StartedAt), "ended_at": formatTime(sessEnd)},
		event{"event": "room:expired", "room_id": m.RoomID, "room_type": m.RoomType, "expires_at": expires, "created_at": created})
	p := &Played{Meeting: m}
	r := Recording{ID: m.RecordingID, SessionID: m.SessionID, StartedAt: recStart}
	for _, ev := range events {
		name := ev["event"].(string)
		switch name { // the state changes first
		case "session:started":
			s.mu.Lock()
			if _, ok := s.sessions[m.SessionID]; !ok {
				s.sessions[m.SessionID] = []string{} // listed, even with no recording
			}
			s.mu.Unlock()
		case "recording:started":
			r.Status = StatusStarted
			_ = s.AddRecording(r)
		case "recording:ended":
			r.Status, r.EndedAt = StatusStopped, recEnd
			_ = s.AddRecording(r)
		case "recording:uploaded":
			if r.Status = StatusUploaded; m.File != nil {
				_ = s.SetFile(r.ID, m.File)
			} else {
				_ = s.SetGeneratedFile(r.ID, m.FileSize)
			}
			_ = s.AddRecording(r)
			p.DownloadURL, _ = s.DownloadURL(r.ID)
			ev["url"] = p.DownloadURL
		case "room:expired":
			s.mu.Lock()
			if rm := s.room(m.RoomID); rm != nil {
				rm["is_available"] = false
			}
			s.mu.Unlock()
		}
		prefix, _, _ := strings.Cut(name, ":")
		cb := Callback{Event: name, URL: dest[prefix]}
		cb.Body, _ = json.Marshal(ev)
		var err error
		cb.StatusCode, err = s.send(ctx, cb.URL, cb.Body)
		p.Callbacks = append(p.Callbacks, cb)
		switch {
		case err != nil:
			return p, fmt.Errorf("meetingstest: PlayMeeting: send %s: %w", name, err)
		case cb.StatusCode < 200 || cb.StatusCode > 299:
			return p, &CallbackError{Event: name, StatusCode: cb.StatusCode}
		}
	}
	return p, nil
}

func merged(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// send POSTs a callback; its errors don't quote target, which may hold a credential.
func (s *Server) send(ctx context.Context, target string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err == nil && s.cbSecret != nil {
		var auth string
		auth, err = callbacks.Sign(body, []byte(s.cbSecret()))
		req.Header.Set("Authorization", auth)
	}
	var resp *http.Response
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "meetingstest")
		resp, err = callbackClient.Do(req)
	}
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err
	}
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
