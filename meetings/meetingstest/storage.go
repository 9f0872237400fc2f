package meetingstest

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Recording statuses the service reports.
const (
	StatusStarted  = "started"
	StatusStopped  = "stopped"
	StatusPaused   = "paused"
	StatusUploaded = "uploaded"
)

// Recording is a recording in the fake's state; on the wire, _links.url.href is a fresh download URL.
type Recording struct {
	ID, SessionID      string
	StartedAt, EndedAt time.Time
	Status             string // "" is StatusUploaded; any other value is served as it is
}

// file is an object on the storage host: bytes, or generated content.
type file struct {
	content io.ReaderAt
	size    int64
	etag    string
}

// AddRecording adds or replaces a recording, and its session if new, without a file.
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

func (s *Server) unlist(id string) {
	if old, ok := s.recordings[id]; ok {
		s.sessions[old.SessionID] = slices.DeleteFunc(s.sessions[old.SessionID], func(x string) bool { return x == id })
	}
}

// SetFile stores a copy of data as the file of recordingID, which need not exist.
func (s *Server) SetFile(recordingID string, data []byte) error {
	sum := sha256.Sum256(data)
	return s.setFile(recordingID, &file{bytes.NewReader(bytes.Clone(data)), int64(len(data)), fmt.Sprintf(`"%x"`, sum[:16])})
}

// SetGeneratedFile stores size bytes of generated content as the file of recordingID.
func (s *Server) SetGeneratedFile(recordingID string, size int64) error {
	return s.setFile(recordingID, &file{generator{}, size, fmt.Sprintf(`"generated-%d"`, size)})
}

func (s *Server) setFile(id string, f *file) error {
	if id == "" || f.size < 0 {
		return fmt.Errorf("meetingstest: set file of %q: empty ID or negative size %d", id, f.size)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[id] = f
	return nil
}

// wire returns rec as the service sends it; s.mu is held.
func (s *Server) wire(rec *Recording) map[string]any {
	o := map[string]any{"id": rec.ID, "session_id": rec.SessionID, "status": rec.Status, "_links": object{"url": object{"href": s.downloadURL(rec.ID)}}}
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
		writeError(w, http.StatusNotFound, "NotFoundError", "Failed to find session recordings by id: "+r.PathValue("id"))
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
	writeError(w, http.StatusNotFound, "NotFoundError", "Recording "+r.PathValue("id")+" was not found")
}

func (s *Server) deleteRecording(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch rec, ok := s.recordings[id]; {
	case !ok:
		writeError(w, http.StatusNotFound, "NotFoundError", "Could not find recording")
	case rec.Status != StatusUploaded:
		writeError(w, http.StatusForbidden, "ForbiddenError", "can only delete recordings in 'uploaded' status")
	default:
		s.unlist(id)
		delete(s.recordings, id)
		delete(s.files, id)
		w.WriteHeader(http.StatusNoContent)
	}
}

const (
	logoBucket  = "roomservice-whitelabel-logos-prod"
	maxLogoSize = 1 << 20
)

// DownloadURL returns a fresh download URL of the file of recordingID, signed
// and valid for an hour, as a recording's _links.url.href.
func (s *Server) DownloadURL(recordingID string) (string, error) {
	if recordingID == "" {
		return "", errors.New("meetingstest: DownloadURL: recording ID is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloadURL(recordingID), nil
}

func (s *Server) downloadURL(id string) string {
	expires := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	q := url.Values{"Expires": {expires}, "Signature": {s.sign(id + "\n" + expires)}}
	return s.StorageURL + "/recordings/" + url.PathEscape(id) + "/archive.mp4?" + q.Encode()
}

// sign returns the hex HMAC of msg with the URL key; s.mu is held.
func (s *Server) sign(msg string) string {
	m := hmac.New(sha256.New, []byte(s.urlKey()))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func writeS3Error(w http.ResponseWriter, status int, code, message string) {
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>",
		code, html.EscapeString(message), newUUID()[:8])
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (s *Server) serveStorage(w *statusRecorder, r *http.Request, f Fault) {
	path, get := r.URL.EscapedPath(), r.Method == http.MethodGet || r.Method == http.MethodHead
	id, err := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(path, "/recordings/"), "/archive.mp4"))
	isFile := err == nil && path == "/recordings/"+url.PathEscape(id)+"/archive.mp4"
	switch {
	case len(r.Header.Values("Authorization")) > 0:
		writeS3Error(w, http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
	case path == "/"+logoBucket && r.Method == http.MethodPost:
		s.uploadLogo(w, r)
	case isFile && get:
		s.serveFile(w, r, f, id)
	default:
		writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	}
}

func (s *Server) serveFile(w *statusRecorder, r *http.Request, f Fault, id string) {
	q := r.URL.Query()
	expires, _ := strconv.ParseInt(q.Get("Expires"), 10, 64)
	s.mu.Lock()
	signed := hmac.Equal([]byte(q.Get("Signature")), []byte(s.sign(id+"\n"+q.Get("Expires"))))
	file := s.files[id]
	s.mu.Unlock()
	switch {
	case !signed:
		writeS3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	case time.Now().Unix() > expires:
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
	case file == nil:
		writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	default:
		if f.Chunked || f.IgnoreRange {
			r.Header.Del("Range")
		}
		out := &fileWriter{statusRecorder: w, left: cmp.Or(max(f.CutAfter, 0), file.size+1), chunked: f.Chunked}
		w.Header().Set("Content-Type", "video/mp4")
		w.Header().Set("ETag", file.etag)
		http.ServeContent(out, r, "archive.mp4", started, io.NewSectionReader(file.content, 0, file.size))
		if out.cut {
			_ = http.NewResponseController(w).Flush()
			w.status = 0                // logged as cut
			panic(http.ErrAbortHandler) // closes the connection mid-body
		}
	}
}

// started is every file's Last-Modified.
var started = time.Now().UTC().Truncate(time.Second)

// fileWriter serves a file as a fault says: cut after left bytes, or
// chunked, without a Content-Length.
type fileWriter struct {
	*statusRecorder
	left         int64
	chunked, cut bool
}

func (c *fileWriter) WriteHeader(code int) {
	if c.chunked {
		c.Header().Del("Content-Length")
	}
	c.statusRecorder.WriteHeader(code)
	_ = http.NewResponseController(c.statusRecorder).Flush() // commits the headers as they are
}

func (c *fileWriter) Write(p []byte) (int, error) {
	n, err := c.statusRecorder.Write(p[:min(int64(len(p)), c.left)])
	if c.left -= int64(n); err == nil && n < len(p) {
		c.cut, err = true, errors.New("meetingstest: body cut by an injected fault")
	}
	return n, err
}

// logo is an upload target of GET /themes/logos-upload-urls.
type logo struct {
	URL      string            `json:"url"`
	Fields   map[string]string `json:"fields"`
	uploaded bool
}

func (s *Server) logoTargets(w http.ResponseWriter, _ *http.Request) {
	now := time.Now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*logo
	for _, typ := range []string{"white", "colored", "favicon"} {
		key := "auto-expiring-temp/logos/" + typ + "/" + newUUID()
		policy := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, `{"expiration":%q,"conditions":[{"bucket":%q},{"key":%q},["content-length-range",0,%d]]}`,
			now.Add(time.Hour).Format(time.RFC3339), logoBucket, key, maxLogoSize))
		l := &logo{URL: s.StorageURL + "/" + logoBucket, Fields: map[string]string{
			"Content-Type": "image/png", "key": key, "logoType": typ, "bucket": logoBucket,
			"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": "MEETINGSTEST/" + now.Format("20060102") + "/eu-west-1/s3/aws4_request",
			"X-Amz-Date": now.Format("20060102T150405Z"), "X-Amz-Security-Token": newUUID(), "Policy": policy, "X-Amz-Signature": s.sign(policy),
		}}
		s.logos[key] = l
		out = append(out, l)
	}
	writeJSON(w, http.StatusOK, out)
}

// uploadLogo takes a pre-signed POST as S3 does: with a Content-Length, every
// field of the target as given, then the file, of at most 1 MiB.
func (s *Server) uploadLogo(w http.ResponseWriter, r *http.Request) {
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }() // so that net/http need not linger before closing
	if r.ContentLength < 0 {
		writeS3Error(w, http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
		return
	}
	form, data, ordered := map[string]string{}, []byte(nil), true
	mr, err := r.MultipartReader()
	for err == nil {
		part, e := mr.NextPart()
		if err = e; e == nil {
			b, _ := io.ReadAll(io.LimitReader(part, maxLogoSize+1))
			if ordered = ordered && data == nil; part.FormName() == "file" {
				data = b
			} else {
				form[part.FormName()] = string(b)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.logos[form["key"]]
	switch {
	case len(data) > maxLogoSize:
		writeS3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	case err != io.EOF || data == nil || !ordered || l == nil || !maps.Equal(form, l.Fields):
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Invalid according to Policy: Policy Condition failed")
	default:
		l.uploaded = true
		w.WriteHeader(http.StatusNoContent)
	}
}

// Generated content is a fixed pseudo-random 64 KiB pattern, repeated, each
// 512-byte block starting with its big-endian offset, so that every block is
// unique. It never changes between versions: checksums can be pinned.
const (
	patternSize = 64 << 10
	stampEvery  = 512
)

var pattern = sync.OnceValue(func() []byte {
	p := make([]byte, patternSize)
	x := uint64(0x9E3779B97F4A7C15) // xorshift64*, fixed seed
	for i := 0; i < patternSize; i += 8 {
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		binary.LittleEndian.PutUint64(p[i:], x*0x2545F4914F6CDD1D)
	}
	return p
})

type generator struct{}

func (generator) ReadAt(p []byte, off int64) (int, error) {
	pat, n := pattern(), int64(len(p))
	for i := int64(0); i < n; {
		i += int64(copy(p[i:], pat[(off+i)%patternSize:]))
	}
	var stamp [8]byte
	for b := off / stampEvery * stampEvery; b < off+n; b += stampEvery { // every block whose stamp overlaps p
		binary.BigEndian.PutUint64(stamp[:], uint64(b))
		for k := int64(0); k < 8; k++ {
			if at := b + k - off; at >= 0 && at < n {
				p[at] = stamp[k]
			}
		}
	}
	return len(p), nil
}

// GeneratedSHA256 returns the hex SHA-256 of size bytes of generated content,
// a prefix of any longer generated file.
func GeneratedSHA256(size int64) (string, error) {
	if size < 0 {
		return "", fmt.Errorf("meetingstest: GeneratedSHA256: size %d is negative", size)
	}
	h := sha256.New()
	_, _ = io.CopyBuffer(h, io.NewSectionReader(generator{}, 0, size), make([]byte, 256<<10))
	return hex.EncodeToString(h.Sum(nil)), nil
}
