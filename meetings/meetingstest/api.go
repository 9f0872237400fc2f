package meetingstest

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"
)

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z") // the service's: UTC with milliseconds
}

// routes serves the API host: the base path, then auth, then the operations.
func (s *Server) routes() func(*statusRecorder, *http.Request, Fault) {
	mux := http.NewServeMux()
	for pattern, h := range map[string]http.HandlerFunc{
		"GET /sessions/{id}/recordings":  s.listRecordings,
		"GET /recordings/{id}":           s.getRecording,
		"DELETE /recordings/{id}":        s.deleteRecording,
		"GET /rooms":                     s.listRooms,
		"POST /rooms":                    s.createRoom,
		"GET /rooms/{id}":                s.get(&s.rooms, "id", "room"),
		"PATCH /rooms/{id}":              s.update(&s.rooms, "id", "room", roomFields(), s.checkRoomUpdate),
		"GET /dial-in-numbers":           dialInNumbers,
		"GET /themes":                    s.listThemes,
		"POST /themes":                   s.createTheme,
		"GET /themes/logos-upload-urls":  s.logoTargets,
		"GET /themes/{id}":               s.get(&s.themes, "theme_id", "theme"),
		"PATCH /themes/{id}":             s.update(&s.themes, "theme_id", "theme", themeFields(), s.checkTheme),
		"DELETE /themes/{id}":            s.deleteTheme,
		"GET /themes/{id}/rooms":         s.listThemeRooms,
		"PUT /themes/{id}/finalizeLogos": s.finalizeLogos,
		"PATCH /applications":            s.updateApplication,
	} {
		mux.HandleFunc(pattern, h)
	}
	return func(w *statusRecorder, r *http.Request, _ Fault) {
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), s.basePath)
		u, err := url.Parse(rest)
		switch {
		case !ok || err != nil || !strings.HasPrefix(rest, "/"):
			writeGateway(w, http.StatusNotFound, "meetingstest: no route for "+r.URL.EscapedPath()+": the API is under "+s.basePath)
			return
		case s.authCheck(r) != nil:
			writeGateway(w, http.StatusUnauthorized, "You did not provide correct credentials")
			return
		}
		r.URL.Path, r.URL.RawPath = u.Path, u.RawPath
		if _, pattern := mux.Handler(r); pattern == "" { // 404 or 405, in the gateway's shape
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, r)
			w.Header()["Allow"] = rec.Header()["Allow"]
			writeGateway(w, rec.Code, "meetingstest: no route for "+r.Method+" "+rest)
			return
		}
		mux.ServeHTTP(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v) // the fake's own values, which always encode
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeGateway answers in the API gateway's shape: {"title","detail"}.
func writeGateway(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"title": http.StatusText(status), "detail": detail})
}

// Service error names.
const (
	badRequest = "BadRequestError"      // 400
	invalid    = "InputValidationError" // 400
	notFound   = "NotFoundError"        // 404
)

// writeError answers in the Meetings service's shape: {"message","name","errors"?,"status"}.
func writeError(w http.ResponseWriter, status int, name, message string, errs ...any) {
	writeJSON(w, status, struct {
		Message string `json:"message"`
		Name    string `json:"name"`
		Errors  []any  `json:"errors,omitempty"`
		Status  int    `json:"status"`
	}{message, name, errs, status})
}

// decode reads r's JSON body into v, refusing unknown fields; it answers
// 415 or 400 when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, badRequest, "Content-Type must be application/json")
		return false
	}
	d := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, invalid, strings.TrimPrefix(err.Error(), "json: "))
		return false
	}
	return true
}

// decodeUpdate reads {"update_details":{...}}, answering 400 for no details
// as the service does.
func decodeUpdate(w http.ResponseWriter, r *http.Request) (object, bool) {
	var body struct {
		UpdateDetails object `json:"update_details"`
	}
	if !decode(w, r, &body) {
		return nil, false
	}
	if len(body.UpdateDetails) == 0 {
		writeError(w, http.StatusBadRequest, invalid, `"update_details" must have at least 1 key`)
		return nil, false
	}
	return body.UpdateDetails, true
}
