package meetingstest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Recording statuses the service reports.
const (
	StatusStarted  = "started"
	StatusStopped  = "stopped"
	StatusPaused   = "paused"
	StatusUploaded = "uploaded"
)

// Recording is a recording in the fake's state. On the wire it has id,
// session_id, started_at and ended_at (omitted when zero), status, and
// _links.url.href, a fresh download URL on the storage host.
type Recording struct {
	ID, SessionID      string
	StartedAt, EndedAt time.Time
	Status             string // "" is StatusUploaded; any other value is served as it is
}

// file is an object on the storage host: bytes, or generated content of a size.
type file struct {
	data []byte // nil for generated content
	size int64
	sum  string // hex SHA-256 of data
}

// AddSession adds a session without recordings, whose list is then empty
// instead of 404.
func (s *Server) AddSession(sessionID string) error {
	if sessionID == "" {
		return errors.New("meetingstest: AddSession: session ID is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions[sessionID] == nil {
		s.sessions[sessionID] = []string{}
	}
	return nil
}

// AddRecording adds or replaces a recording, adding its session if new. It
// adds no file: see SetFile and SetGeneratedFile.
func (s *Server) AddRecording(rec Recording) error {
	if rec.ID == "" || rec.SessionID == "" {
		return errors.New("meetingstest: AddRecording: recording and session IDs must be non-empty")
	}
	if rec.Status == "" {
		rec.Status = StatusUploaded
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unlist(rec.ID)
	s.sessions[rec.SessionID] = append(s.sessions[rec.SessionID], rec.ID)
	s.recordings[rec.ID] = &rec
	return nil
}

// unlist takes a recording off its session's list; s.mu is held.
func (s *Server) unlist(id string) {
	if old, ok := s.recordings[id]; ok {
		s.sessions[old.SessionID] = slices.DeleteFunc(s.sessions[old.SessionID], func(x string) bool { return x == id })
	}
}

// SetRecordingStatus changes a recording's status, for example to
// StatusStopped so that deleting it is refused with 403.
func (s *Server) SetRecordingStatus(recordingID, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.recordings[recordingID]
	if !ok {
		return fmt.Errorf("meetingstest: SetRecordingStatus: no recording %q", recordingID)
	}
	rec.Status = status
	return nil
}

// Recording returns a recording as the fake holds it, and false if there is none.
func (s *Server) Recording(recordingID string) (Recording, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.recordings[recordingID]; ok {
		return *rec, true
	}
	return Recording{}, false
}

// SetFile stores a copy of data as the file of recordingID on the storage
// host. The recording need not exist.
func (s *Server) SetFile(recordingID string, data []byte) error {
	sum := sha256.Sum256(data)
	return s.setFile(recordingID, &file{append([]byte{}, data...), int64(len(data)), hex.EncodeToString(sum[:])})
}

// SetGeneratedFile stores size bytes of generated content (see
// GeneratedContent) as the file of recordingID, at no memory cost.
func (s *Server) SetGeneratedFile(recordingID string, size int64) error {
	if size < 0 {
		return fmt.Errorf("meetingstest: SetGeneratedFile: size %d is negative", size)
	}
	return s.setFile(recordingID, &file{size: size})
}

func (s *Server) setFile(id string, f *file) error {
	if id == "" {
		return errors.New("meetingstest: set file: recording ID is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[id] = f
	return nil
}

// FileSHA256 returns the hex SHA-256 of the file of recordingID, to compare a
// download with. Generated content is streamed once, about a second per GiB.
func (s *Server) FileSHA256(recordingID string) (string, error) {
	s.mu.Lock()
	f := s.files[recordingID]
	s.mu.Unlock()
	if f == nil {
		return "", fmt.Errorf("meetingstest: FileSHA256: no file for recording %q", recordingID)
	}
	if f.data != nil {
		return f.sum, nil
	}
	return GeneratedSHA256(f.size)
}

type href struct {
	Href string `json:"href"`
}

// wire returns rec as the service sends it; s.mu is held.
func (s *Server) wire(rec *Recording) map[string]any {
	o := map[string]any{"id": rec.ID, "session_id": rec.SessionID, "status": rec.Status, "_links": map[string]href{"url": {s.downloadURL(rec.ID)}}}
	for k, t := range map[string]time.Time{"started_at": rec.StartedAt, "ended_at": rec.EndedAt} {
		if !t.IsZero() {
			o[k] = formatTime(t)
		}
	}
	return o
}

func (s *Server) listRecordings(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, ok := s.sessions[r.PathValue("id")]
	if !ok {
		writeError(w, http.StatusNotFound, notFound, "Failed to find session recordings by id: "+r.PathValue("id"))
		return
	}
	list := []any{}
	for _, id := range ids {
		list = append(list, s.wire(s.recordings[id]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"_embedded": map[string]any{"recordings": list}})
}

func (s *Server) getRecording(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.recordings[r.PathValue("id")]; ok {
		writeJSON(w, http.StatusOK, s.wire(rec))
		return
	}
	writeError(w, http.StatusNotFound, notFound, "Recording "+r.PathValue("id")+" was not found")
}

func (s *Server) deleteRecording(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch rec, ok := s.recordings[id]; {
	case !ok:
		writeError(w, http.StatusNotFound, notFound, "Could not find recording")
	case rec.Status != StatusUploaded:
		writeError(w, http.StatusForbidden, "ForbiddenError", "can only delete recordings in 'uploaded' status")
	default:
		s.unlist(id)
		delete(s.recordings, id)
		delete(s.files, id)
		w.WriteHeader(http.StatusNoContent)
	}
}
