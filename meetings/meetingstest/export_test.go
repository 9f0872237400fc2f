package meetingstest

import (
	"io"
	"net/url"
)

// GeneratedContent is the generated content of a file of size bytes.
func GeneratedContent(size int64) *io.SectionReader { return generated(size) }

// SignedDownloadURL is a download URL for id signed with the given Expires,
// such as one long past.
func SignedDownloadURL(s *Server, id, expires string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := url.Values{"Expires": {expires}, "Signature": {s.sign(id + "\n" + expires)}}
	return s.StorageURL + "/recordings/" + url.PathEscape(id) + "/archive.mp4?" + q.Encode()
}
