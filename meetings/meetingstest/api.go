package meetingstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// wireTime is the service's timestamp format: UTC with milliseconds.
const wireTime = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(wireTime)
}

// The messages the service answers with (see the reference's peer fixtures).
const (
	msgUnauthorized      = "You did not provide correct credentials"
	msgDeleteNotUploaded = "can only delete recordings in 'uploaded' status"
	msgDeleteNotFound    = "Could not find recording"
)

type wireRecording struct {
	ID        string `json:"id"`
	SessionID string `json:"session_id"`
	StartedAt string `json:"started_at,omitempty"`
	EndedAt   string `json:"ended_at,omitempty"`
	Status    string `json:"status"`
	Links     struct {
		URL struct {
			Href string `json:"href"`
		} `json:"url"`
	} `json:"_links"`
}

func (s *Server) toWire(rec Recording) wireRecording {
	w := wireRecording{
		ID:        rec.ID,
		SessionID: rec.SessionID,
		StartedAt: formatTime(rec.StartedAt),
		EndedAt:   formatTime(rec.EndedAt),
		Status:    rec.Status,
	}
	w.Links.URL.Href = s.downloadURL(rec.ID)
	return w
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	idx := s.logRequest(HostAPI, r)
	rec := &statusRecorder{ResponseWriter: w}
	defer func() { s.setStatus(idx, rec.status) }()

	if _, answered := s.playFault(w, rec, r, false); answered {
		return
	}

	path := r.URL.EscapedPath()
	rest, ok := strings.CutPrefix(path, s.basePath+"/")
	if !ok {
		writeGateway(rec, http.StatusNotFound, "Not Found",
			fmt.Sprintf("meetingstest: no route for %s %s: the API is served under %s", r.Method, path, s.basePath))
		return
	}
	if err := s.authCheck(r); err != nil {
		writeGateway(rec, http.StatusUnauthorized, "Unauthorized", msgUnauthorized)
		return
	}
	segs := strings.Split(rest, "/")
	switch {
	case len(segs) == 3 && segs[0] == "sessions" && segs[2] == "recordings":
		id, ok := unescapeSegment(rec, segs[1])
		if ok && allow(rec, r, http.MethodGet) {
			s.listRecordings(rec, id)
		}
	case len(segs) == 2 && segs[0] == "recordings":
		id, ok := unescapeSegment(rec, segs[1])
		if ok && allow(rec, r, http.MethodGet, http.MethodDelete) {
			if r.Method == http.MethodDelete {
				s.deleteRecording(rec, id)
			} else {
				s.getRecording(rec, id)
			}
		}
	default:
		writeGateway(rec, http.StatusNotFound, "Not Found",
			fmt.Sprintf("meetingstest: no route for %s %s", r.Method, path))
	}
}

// unescapeSegment decodes one escaped path segment, answering 404 for an
// empty one and 400 for a malformed escape.
func unescapeSegment(w http.ResponseWriter, seg string) (string, bool) {
	if seg == "" {
		writeGateway(w, http.StatusNotFound, "Not Found", "meetingstest: empty path segment")
		return "", false
	}
	id, err := url.PathUnescape(seg)
	if err != nil {
		writeService(w, http.StatusBadRequest, "BadRequestError", fmt.Sprintf("malformed path segment %q", seg))
		return "", false
	}
	return id, true
}

func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeGateway(w, http.StatusMethodNotAllowed, "Method Not Allowed",
		fmt.Sprintf("meetingstest: %s is not allowed here", r.Method))
	return false
}

func (s *Server) listRecordings(w http.ResponseWriter, sessionID string) {
	recs, ok := s.SessionRecordings(sessionID)
	if !ok {
		writeService(w, http.StatusNotFound, "NotFoundError", "Failed to find session recordings by id: "+sessionID)
		return
	}
	var body struct {
		Embedded struct {
			Recordings []wireRecording `json:"recordings"`
		} `json:"_embedded"`
	}
	body.Embedded.Recordings = make([]wireRecording, 0, len(recs))
	for _, rec := range recs {
		body.Embedded.Recordings = append(body.Embedded.Recordings, s.toWire(rec))
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) getRecording(w http.ResponseWriter, id string) {
	rec, ok := s.Recording(id)
	if !ok {
		writeService(w, http.StatusNotFound, "NotFoundError", "Recording "+id+" was not found")
		return
	}
	writeJSON(w, http.StatusOK, s.toWire(rec))
}

func (s *Server) deleteRecording(w http.ResponseWriter, id string) {
	s.mu.Lock()
	rec, ok := s.recordings[id]
	switch {
	case !ok:
		s.mu.Unlock()
		writeService(w, http.StatusNotFound, "NotFoundError", msgDeleteNotFound)
		return
	case rec.Status != StatusUploaded:
		s.mu.Unlock()
		writeService(w, http.StatusForbidden, "ForbiddenError", msgDeleteNotUploaded)
		return
	}
	delete(s.recordings, id)
	delete(s.files, id)
	s.sessions[rec.SessionID] = without(s.sessions[rec.SessionID], id)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "meetingstest: encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeGateway answers in the API gateway's shape: {"title","detail"}.
func writeGateway(w http.ResponseWriter, status int, title, detail string) {
	writeJSON(w, status, struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}{title, detail})
}

// writeService answers in the Meetings service's shape: {"message","name","status"}.
func writeService(w http.ResponseWriter, status int, name, message string) {
	writeJSON(w, status, struct {
		Message string `json:"message"`
		Name    string `json:"name"`
		Status  int    `json:"status"`
	}{message, name, status})
}

// writeFault answers an injected Status fault.
func writeFault(w http.ResponseWriter, f Fault, storage bool) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.Body != "":
		contentType := "application/json"
		if storage {
			contentType = "application/xml"
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
	case storage:
		writeS3Error(w, f.Status, "InjectedFault", "meetingstest: injected fault")
	case f.Status < 400:
		w.WriteHeader(f.Status)
	default:
		writeGateway(w, f.Status, http.StatusText(f.Status), "meetingstest: injected fault")
	}
}
