package meetingstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"
)

// Recording is a recording in the fake's state. Its JSON on the wire is the
// service's: id, session_id, started_at, ended_at (UTC with milliseconds),
// status and _links.url.href, a fresh download URL on the storage host.
type Recording struct {
	ID        string
	SessionID string
	StartedAt time.Time // zero: omitted from the JSON
	EndedAt   time.Time // zero: omitted from the JSON
	Status    string    // empty: StatusUploaded when added; any other value is served as-is
}

// file is one object on the storage host: explicit bytes or generated content.
type file struct {
	data      []byte // nil for generated content
	size      int64
	sha256hex string // computed lazily for generated content
}

func (f *file) reader() io.ReadSeeker {
	if f.data != nil {
		return bytes.NewReader(f.data)
	}
	return generated(f.size)
}

func (f *file) etag() string {
	if f.data != nil {
		return `"` + f.sha256hex[:32] + `"`
	}
	return fmt.Sprintf(`"generated-%d"`, f.size)
}

// AddSession adds a session with no recordings, so listing its recordings
// answers 200 with an empty list instead of 404. Adding a session that exists
// does nothing.
func (s *Server) AddSession(sessionID string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: AddSession: %w", err)
	}
	if sessionID == "" {
		return errors.New("meetingstest: AddSession: session ID is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[sessionID]; !ok {
		s.sessions[sessionID] = nil
	}
	return nil
}

// AddRecording adds rec to the state, and its session if that is new. A
// recording with the same ID is replaced (and moved to rec.SessionID). It does
// not add a file: use SetFile or SetGeneratedFile for that.
func (s *Server) AddRecording(rec Recording) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: AddRecording: %w", err)
	}
	switch {
	case rec.ID == "":
		return errors.New("meetingstest: AddRecording: recording ID is empty")
	case rec.SessionID == "":
		return fmt.Errorf("meetingstest: AddRecording: recording %q: session ID is empty", rec.ID)
	}
	if rec.Status == "" {
		rec.Status = StatusUploaded
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putRecordingLocked(rec)
	return nil
}

func (s *Server) putRecordingLocked(rec Recording) {
	old, listed := s.recordings[rec.ID]
	if listed && old.SessionID != rec.SessionID {
		s.sessions[old.SessionID] = without(s.sessions[old.SessionID], rec.ID)
		listed = false
	}
	if !listed {
		s.sessions[rec.SessionID] = append(s.sessions[rec.SessionID], rec.ID)
	}
	r := rec
	s.recordings[rec.ID] = &r
}

func without(ids []string, id string) []string {
	out := ids[:0:0]
	for _, v := range ids {
		if v != id {
			out = append(out, v)
		}
	}
	return out
}

// SetRecordingStatus changes the status of a recording, for example to
// StatusStopped so that deleting it is refused with 403.
func (s *Server) SetRecordingStatus(recordingID, status string) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: SetRecordingStatus: %w", err)
	}
	if status == "" {
		return fmt.Errorf("meetingstest: SetRecordingStatus: recording %q: status is empty", recordingID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.recordings[recordingID]
	if !ok {
		return fmt.Errorf("meetingstest: SetRecordingStatus: no recording %q", recordingID)
	}
	rec.Status = status
	return nil
}

// Recording returns the recording with the given ID as the fake holds it, and
// false if there is none (never added, or deleted).
func (s *Server) Recording(recordingID string) (Recording, bool) {
	if s.ready() != nil {
		return Recording{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.recordings[recordingID]
	if !ok {
		return Recording{}, false
	}
	return *rec, true
}

// SessionRecordings returns the recordings of a session in the order they
// were added, and false if the session does not exist.
func (s *Server) SessionRecordings(sessionID string) ([]Recording, bool) {
	if s.ready() != nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, ok := s.sessions[sessionID]
	if !ok {
		return nil, false
	}
	out := make([]Recording, 0, len(ids))
	for _, id := range ids {
		out = append(out, *s.recordings[id])
	}
	return out, true
}

// SetFile stores content (copied) as the file of recordingID on the storage
// host. The recording itself need not exist: DownloadURL works for any file.
func (s *Server) SetFile(recordingID string, content []byte) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: SetFile: %w", err)
	}
	if recordingID == "" {
		return errors.New("meetingstest: SetFile: recording ID is empty")
	}
	data := bytes.Clone(content)
	if data == nil {
		data = []byte{}
	}
	sum := sha256.Sum256(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[recordingID] = &file{data: data, size: int64(len(data)), sha256hex: hex.EncodeToString(sum[:])}
	return nil
}

// SetGeneratedFile stores a file of size bytes of generated content (see
// GeneratedContent) as the file of recordingID. It takes no memory
// proportional to size: a 1 GiB file costs nothing until it is served.
func (s *Server) SetGeneratedFile(recordingID string, size int64) error {
	if err := s.ready(); err != nil {
		return fmt.Errorf("meetingstest: SetGeneratedFile: %w", err)
	}
	switch {
	case recordingID == "":
		return errors.New("meetingstest: SetGeneratedFile: recording ID is empty")
	case size < 0:
		return fmt.Errorf("meetingstest: SetGeneratedFile: recording %q: size %d is negative", recordingID, size)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[recordingID] = &file{size: size}
	return nil
}

// FileSize returns the size of the file of recordingID, and false if it has none.
func (s *Server) FileSize(recordingID string) (int64, bool) {
	if s.ready() != nil {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[recordingID]
	if !ok {
		return 0, false
	}
	return f.size, true
}

// FileSHA256 returns the hex SHA-256 of the file of recordingID, the value a
// test compares a download against. For generated content it streams the
// content through the hash once (about a second per GiB) and remembers the
// result.
func (s *Server) FileSHA256(recordingID string) (string, error) {
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("meetingstest: FileSHA256: %w", err)
	}
	s.mu.Lock()
	f, ok := s.files[recordingID]
	var sum string
	if ok {
		sum = f.sha256hex
	}
	s.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("meetingstest: FileSHA256: no file for recording %q", recordingID)
	}
	if sum != "" {
		return sum, nil
	}
	sum, err := GeneratedSHA256(f.size)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	f.sha256hex = sum
	s.mu.Unlock()
	return sum, nil
}
