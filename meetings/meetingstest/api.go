package meetingstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
		"GET /themes/{id}/rooms":         s.listRooms,
		"PUT /themes/{id}/finalizeLogos": s.finalizeLogos,
		"PATCH /applications":            s.updateApplication,
	} {
		mux.HandleFunc(pattern, h)
	}
	return func(w *statusRecorder, r *http.Request, _ Fault) {
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), basePath)
		u, err := url.Parse(rest)
		switch {
		case !ok || err != nil || !strings.HasPrefix(rest, "/"):
			writeGateway(w, http.StatusNotFound, "meetingstest: no route for "+r.URL.EscapedPath()+": the API is under "+basePath)
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

func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z") // the service's: UTC with milliseconds
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
	err := d.Decode(v)
	return !firstBad(w, check{err != nil, strings.TrimPrefix(fmt.Sprint(err), "json: ")})
}

// decodeUpdate reads {"update_details":{...}}, answering 400 for no details
// as the service does.
func decodeUpdate(w http.ResponseWriter, r *http.Request) (object, bool) {
	var body struct {
		UpdateDetails object `json:"update_details"`
	}
	ok := decode(w, r, &body) && !firstBad(w, check{len(body.UpdateDetails) == 0, `"update_details" must have at least 1 key`})
	return body.UpdateDetails, ok
}

// object is a JSON object: rooms and themes are kept in their wire form.
type object = map[string]any

// merge sets src's fields on dst, as fields, dst's defaults, allows them:
// no other field, no other JSON type. It answers 400 and returns false if not.
func merge(w http.ResponseWriter, dst, src, fields object, path string) bool {
	for k, v := range src {
		def, known := fields[k]
		want, got := jsonType(def), jsonType(v)
		switch {
		case !known:
			return !firstBad(w, check{true, fmt.Sprintf("%q is not allowed", path+k)})
		case want == "object" && got == "object":
			if !merge(w, dst[k].(object), v.(object), def.(object), path+k+".") {
				return false
			}
		case want != got && !(want == "null" && (got == "string" || got == "null")):
			return !firstBad(w, check{true, fmt.Sprintf("%q must be of type %s", path+k, strings.Replace(want, "null", "string", 1))})
		default:
			dst[k] = v
		}
	}
	return true
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case object:
		return "object"
	}
	return "number or array"
}

// str returns the string at a path of keys in o, "" for none.
func str(o object, path ...string) string {
	for _, k := range path[:len(path)-1] {
		o, _ = o[k].(object)
	}
	v, _ := o[path[len(path)-1]].(string)
	return v
}

type check struct {
	bad bool
	msg string
}

// firstBad answers 400 for the first bad check and reports whether there was one.
func firstBad(w http.ResponseWriter, checks ...check) bool {
	for _, c := range checks {
		if c.bad {
			writeError(w, http.StatusBadRequest, invalid, c.msg)
			return true
		}
	}
	return false
}

func oneOf(o object, path string, allowed ...string) check {
	return check{!slices.Contains(allowed, str(o, strings.Split(path, ".")...)), fmt.Sprintf("%q must be one of [%s]", path, strings.Join(allowed, ", "))}
}

// find returns the object of list whose key is id, nil for none.
func find(list []object, key string, id any) object {
	if i := slices.IndexFunc(list, func(o object) bool { return id != nil && o[key] == id }); i >= 0 {
		return list[i]
	}
	return nil
}

// found answers 404 and returns false if o, the what named id, is nil.
func found(w http.ResponseWriter, o object, what, id string) bool {
	if o == nil {
		writeError(w, http.StatusNotFound, notFound, "could not find "+what+" "+id)
	}
	return o != nil
}

// get serves the object of *list whose key is the path's id.
func (s *Server) get(list *[]object, key, what string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if o := find(*list, key, r.PathValue("id")); found(w, o, what, r.PathValue("id")) {
			writeJSON(w, http.StatusOK, o)
		}
	}
}

// update serves {"update_details":{...}} of fields for the object of *list
// whose key is the path's id, changing it only if check passes.
func (s *Server) update(list *[]object, key, what string, fields object, check func(w http.ResponseWriter, o, in object) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in, ok := decodeUpdate(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if o := find(*list, key, r.PathValue("id")); found(w, o, what, r.PathValue("id")) {
			var u object // a deep copy of o
			b, _ := json.Marshal(o)
			_ = json.Unmarshal(b, &u)
			if merge(w, u, in, fields, "") && check(w, u, in) {
				maps.Copy(o, u)
				for _, rm := range s.rooms { // their URLs carry their theme's short_company_url
					s.linkRoom(rm)
				}
				writeJSON(w, http.StatusOK, o)
			}
		}
	}
}
