package meetingstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// downloadURLLifetime is how long a download URL stays valid, as S3 pre-signed
// URLs of the real service do for a while.
const downloadURLLifetime = time.Hour

var errCut = errors.New("meetingstest: body cut by an injected fault")

// DownloadURL returns a fresh, time-limited download URL of the file of
// recordingID on the storage host, the kind the API puts in a recording's
// _links.url.href and the recording:uploaded callback's url. It looks like
// "{StorageURL}/recordings/{escaped id}/archive.mp4?Expires=...&Signature=...".
// It works for any ID; the storage host answers 404 while there is no file.
func (s *Server) DownloadURL(recordingID string) (string, error) {
	if err := s.ready(); err != nil {
		return "", fmt.Errorf("meetingstest: DownloadURL: %w", err)
	}
	if recordingID == "" {
		return "", errors.New("meetingstest: DownloadURL: recording ID is empty")
	}
	return s.downloadURL(recordingID), nil
}

func (s *Server) downloadURL(id string) string {
	expires := strconv.FormatInt(time.Now().Add(downloadURLLifetime).Unix(), 10)
	s.mu.Lock()
	sig := sign(s.creds.urlKey, id, expires)
	s.mu.Unlock()
	q := url.Values{"Expires": {expires}, "Signature": {sig}}
	return s.StorageURL + "/recordings/" + url.PathEscape(id) + "/archive.mp4?" + q.Encode()
}

func sign(key []byte, id, expires string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "\n" + expires))
	return hex.EncodeToString(m.Sum(nil))
}

// ExpireDownloadURLs makes every download URL handed out so far invalid: the
// storage host answers 403 AccessDenied "Request has expired" to them, as S3
// does once a pre-signed URL's time is up. URLs the API hands out afterwards
// work. Use it to test that a client fetches a fresh URL.
func (s *Server) ExpireDownloadURLs() {
	if s.ready() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.creds.urlKey = newURLKey()
}

func (s *Server) serveStorage(w http.ResponseWriter, r *http.Request) {
	idx := s.logRequest(HostStorage, r)
	rec := &statusRecorder{ResponseWriter: w}
	defer func() { s.setStatus(idx, rec.status) }()

	f, answered := s.playFault(w, rec, r, true)
	if answered {
		return
	}

	if len(r.Header.Values("Authorization")) > 0 {
		writeS3Error(rec, http.StatusBadRequest, "InvalidArgument",
			"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rec.Header().Set("Allow", "GET, HEAD")
		writeS3Error(rec, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
		return
	}
	path := r.URL.EscapedPath()
	seg, ok := strings.CutPrefix(path, "/recordings/")
	if ok {
		seg, ok = strings.CutSuffix(seg, "/archive.mp4")
	}
	var id string
	if ok && seg != "" && !strings.Contains(seg, "/") {
		var err error
		id, err = url.PathUnescape(seg)
		ok = err == nil
	} else {
		ok = false
	}
	if !ok {
		writeS3Error(rec, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	if code, msg := s.checkSignature(r.URL.Query(), id); code != "" {
		writeS3Error(rec, http.StatusForbidden, code, msg)
		return
	}
	s.mu.Lock()
	file, ok := s.files[id]
	noRange := s.noRange
	s.mu.Unlock()
	if !ok {
		writeS3Error(rec, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}

	var out http.ResponseWriter = rec
	var cw *cutWriter
	if f.CutAfter > 0 {
		cw = &cutWriter{ResponseWriter: rec, left: f.CutAfter}
		out = cw
	}
	out.Header().Set("Content-Type", "video/mp4")
	if f.Chunked || noRange || f.IgnoreRange { // the whole file, 200, no Range support
		if f.Chunked {
			out.WriteHeader(http.StatusOK)
			_ = http.NewResponseController(w).Flush() // commits to chunked encoding, whatever the size
		} else {
			out.Header().Set("Content-Length", strconv.FormatInt(file.size, 10))
			out.WriteHeader(http.StatusOK)
		}
		if r.Method == http.MethodGet {
			_, _ = io.Copy(out, file.reader())
		}
	} else {
		out.Header().Set("ETag", file.etag())
		http.ServeContent(out, r, "archive.mp4", time.Time{}, file.reader())
	}
	if cw != nil && cw.cut {
		_ = http.NewResponseController(w).Flush()
		rec.status = 0              // logged as dropped by the deferred setStatus
		panic(http.ErrAbortHandler) // closes the connection mid-body, quietly
	}
}

// checkSignature returns an S3 error code and message for a missing, wrong
// or expired signature, and "" for a good one.
func (s *Server) checkSignature(q url.Values, id string) (code, msg string) {
	expires, sig := q.Get("Expires"), q.Get("Signature")
	if expires == "" || sig == "" {
		return "AccessDenied", "Query-string authentication requires the Signature and Expires parameters"
	}
	s.mu.Lock()
	want := sign(s.creds.urlKey, id, expires)
	s.mu.Unlock()
	if !hmac.Equal([]byte(sig), []byte(want)) {
		// A URL signed with a key since rotated by ExpireDownloadURLs lands here too.
		return "AccessDenied", "Request has expired"
	}
	unix, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || time.Now().Unix() > unix {
		return "AccessDenied", "Request has expired"
	}
	return "", ""
}

func writeS3Error(w http.ResponseWriter, status int, code, message string) {
	body := fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>",
		html.EscapeString(code), html.EscapeString(message), randomToken())
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// cutWriter passes through the first left bytes of a body and fails after.
type cutWriter struct {
	http.ResponseWriter
	left int64
	cut  bool
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if int64(len(p)) <= c.left {
		n, err := c.ResponseWriter.Write(p)
		c.left -= int64(n)
		return n, err
	}
	n, _ := c.ResponseWriter.Write(p[:c.left])
	c.left -= int64(n)
	c.cut = true
	return n, errCut
}
