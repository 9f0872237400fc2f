package meetingstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	logoBucket  = "roomservice-whitelabel-logos-prod"
	maxLogoSize = 1 << 20
)

// DownloadURL returns a fresh download URL of the file of recordingID, as a
// recording's _links.url.href has it: on the storage host, signed, valid for
// an hour. Storage answers 404 while there is no file.
func (s *Server) DownloadURL(recordingID string) (string, error) {
	if recordingID == "" {
		return "", errors.New("meetingstest: DownloadURL: recording ID is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloadURL(recordingID), nil
}

// downloadURL is DownloadURL with s.mu held.
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

// ExpireDownloadURLs makes every download URL handed out so far stale: storage
// answers it 403, as S3 does once a pre-signed URL's time is up.
func (s *Server) ExpireDownloadURLs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.urlKey = newSecret(newUUID())
}

// writeS3Error answers in S3's XML shape.
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
	case path == "/"+logoBucket || isFile:
		writeS3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
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
		return
	case time.Now().Unix() > expires:
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	case file == nil:
		writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	if f.Chunked || f.IgnoreRange {
		r.Header.Del("Range")
	}
	out := &fileWriter{statusRecorder: w, left: max(f.CutAfter, 0), chunked: f.Chunked}
	if f.CutAfter <= 0 {
		out.left = file.size + 1 // never cuts
	}
	var content io.ReadSeeker = generated(file.size)
	etag := fmt.Sprintf(`"generated-%d"`, file.size)
	if file.data != nil {
		content, etag = bytes.NewReader(file.data), `"`+file.sum[:32]+`"`
	}
	w.Header().Set("Content-Type", "video/mp4")
	w.Header().Set("ETag", etag)
	http.ServeContent(out, r, "archive.mp4", started, content)
	if out.cut {
		_ = http.NewResponseController(w).Flush()
		w.status = 0                // logged as cut
		panic(http.ErrAbortHandler) // closes the connection mid-body
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
	uploaded string            // the detected content type of the file, "" until uploaded
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

// uploadLogo takes a pre-signed POST as S3 does: multipart/form-data with a
// Content-Length, every field of the target as given, then the file.
func (s *Server) uploadLogo(w http.ResponseWriter, r *http.Request) {
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }() // so that net/http need not linger before closing
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.ContentLength < 0:
		writeS3Error(w, http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
		return
	case r.ContentLength > maxLogoSize+64<<10:
		writeS3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
		return
	case mt != "multipart/form-data" || params["boundary"] == "":
		writeS3Error(w, http.StatusPreconditionFailed, "PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data")
		return
	}
	form, data := map[string]string{}, []byte(nil)
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var b []byte
		if err == nil {
			b, err = io.ReadAll(part)
		}
		switch {
		case err != nil:
			writeS3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
			return
		case data != nil:
			writeS3Error(w, http.StatusBadRequest, "InvalidArgument", "meetingstest: the file must be the form's last part; S3 ignores the fields after it")
			return
		case part.FormName() == "file":
			data = b
		default:
			form[part.FormName()] = string(b)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.logos[form["key"]]
	if status, code, msg := checkUpload(l, form, data); status != 0 {
		writeS3Error(w, status, code, msg)
		return
	}
	l.uploaded = http.DetectContentType(data)
	w.WriteHeader(http.StatusNoContent)
}

func checkUpload(l *logo, form map[string]string, data []byte) (status int, code, msg string) {
	const policy = "Invalid according to Policy: "
	switch {
	case data == nil:
		return http.StatusBadRequest, "InvalidArgument", "POST requires exactly one file upload per request."
	case len(data) > maxLogoSize:
		return http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
	case l == nil:
		return http.StatusForbidden, "AccessDenied", policy + `Policy Condition failed: ["eq", "$key"]`
	}
	for k, v := range l.Fields {
		if form[k] != v {
			return http.StatusForbidden, "AccessDenied", fmt.Sprintf(`%sPolicy Condition failed: ["eq", "$%s"]`, policy, k)
		}
	}
	for k := range form {
		if _, ok := l.Fields[k]; !ok {
			return http.StatusForbidden, "AccessDenied", policy + "Extra input fields: " + k
		}
	}
	return 0, "", ""
}
