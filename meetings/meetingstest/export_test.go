package meetingstest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
)

// GeneratedContent is the generated content of a file of size bytes.
func GeneratedContent(size int64) *io.SectionReader { return io.NewSectionReader(generator{}, 0, size) }

// SignedDownloadURL is a download URL for id signed with the given Expires,
// such as one long past.
func SignedDownloadURL(s *Server, id, expires string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := url.Values{"Expires": {expires}, "Signature": {s.sign(id + "\n" + expires)}}
	return s.StorageURL + "/recordings/" + url.PathEscape(id) + "/archive.mp4?" + q.Encode()
}

// RecordingOf returns a recording as the fake holds it, and false if there is none.
func RecordingOf(s *Server, id string) (Recording, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.recordings[id]; ok {
		return *rec, true
	}
	return Recording{}, false
}

// FileSHA256 returns the hex SHA-256 of the file of id.
func FileSHA256(s *Server, id string) (string, error) {
	s.mu.Lock()
	f := s.files[id]
	s.mu.Unlock()
	if f == nil {
		return "", fmt.Errorf("meetingstest: no file for %q", id)
	}
	h := sha256.New()
	_, _ = io.Copy(h, io.NewSectionReader(f.content, 0, f.size))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ExpireDownloadURLs makes every download URL handed out so far stale.
func ExpireDownloadURLs(s *Server) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.urlKey = newSecret(newUUID())
}
