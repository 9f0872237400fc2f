package meetingstest

import "bytes"

// URLKey exposes the download-URL signing key to the tests that check it never prints.
func URLKey(s *Server) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.creds.urlKey)
}
