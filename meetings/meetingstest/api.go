package meetingstest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
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
		if ok = ok && err == nil && strings.HasPrefix(rest, "/"); ok {
			r.URL.Path, r.URL.RawPath = u.Path, u.RawPath
		}
		_, pattern := mux.Handler(r)
		switch {
		case ok && s.authCheck(r) != nil:
			writeGateway(w, http.StatusUnauthorized, "You did not provide correct credentials")
		case !ok || pattern == "":
			writeGateway(w, http.StatusNotFound, "meetingstest: no route for "+r.Method+" "+rest+" under "+basePath)
		default:
			mux.ServeHTTP(w, r)
		}
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

// writeError answers in the Meetings service's shape: {"message","name","errors"?,"status"}.
func writeError(w http.ResponseWriter, status int, name, message string, errs ...any) {
	writeJSON(w, status, struct {
		Message string `json:"message"`
		Name    string `json:"name"`
		Errors  []any  `json:"errors,omitempty"`
		Status  int    `json:"status"`
	}{message, name, errs, status})
}

// decode reads r's JSON body into v, else answers 400.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	d := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	d.DisallowUnknownFields()
	err := d.Decode(v)
	return !bad(w, err != nil, strings.TrimPrefix(fmt.Sprint(err), "json: "))
}

// decodeUpdate reads {"update_details":{...}}, with at least one.
func decodeUpdate(w http.ResponseWriter, r *http.Request) (object, bool) {
	var body struct {
		UpdateDetails object `json:"update_details"`
	}
	ok := decode(w, r, &body) && !bad(w, len(body.UpdateDetails) == 0, `"update_details" must have at least 1 key`)
	return body.UpdateDetails, ok
}

type object = map[string]any

// merge sets src's fields on dst, objects into objects, if fields, the defaults, has them; else 400.
func merge(w http.ResponseWriter, dst, src, fields object, path string) bool {
	for k, v := range src {
		def, known := fields[k]
		d, dObj := def.(object)
		sub, vObj := v.(object)
		switch {
		case !known || dObj != vObj:
			return !bad(w, true, fmt.Sprintf("%q is not allowed", path+k))
		case dObj:
			if !merge(w, dst[k].(object), sub, d, path+k+".") {
				return false
			}
		default:
			dst[k] = v
		}
	}
	return true
}

func str(o object, path ...string) string {
	for _, k := range path[:len(path)-1] {
		o, _ = o[k].(object)
	}
	v, _ := o[path[len(path)-1]].(string)
	return v
}

// bad answers 400 with msg if cond holds, and reports whether it did.
func bad(w http.ResponseWriter, cond bool, msg string) bool {
	if cond {
		writeError(w, http.StatusBadRequest, "InputValidationError", msg)
	}
	return cond
}

func find(list []object, key string, id any) object {
	if i := slices.IndexFunc(list, func(o object) bool { return id != nil && o[key] == id }); i >= 0 {
		return list[i]
	}
	return nil
}

// found answers 404 and returns false if o, the what named id, is nil.
func found(w http.ResponseWriter, o object, what, id string) bool {
	if o == nil {
		writeError(w, http.StatusNotFound, "NotFoundError", "could not find "+what+" "+id)
	}
	return o != nil
}

func (s *Server) get(list *[]object, key, what string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if o := find(*list, key, r.PathValue("id")); found(w, o, what, r.PathValue("id")) {
			writeJSON(w, http.StatusOK, o)
		}
	}
}

// update changes the path's object of *list if merge and check pass.
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

// roomFields are a room's settable fields and defaults; nil takes a string or null.
func roomFields() object {
	return object{
		"display_name": "", "metadata": nil, "type": "instant", "expires_at": nil, "expire_after_use": false, "theme_id": nil,
		"join_approval_level": "none", "recording_options": object{"auto_record": false, "record_only_owner": false},
		"initial_join_options": object{"microphone_state": "default"}, "ui_settings": object{"language": "default"},
		"callback_urls": object{"rooms_callback_url": nil, "sessions_callback_url": nil, "recordings_callback_url": nil},
		"available_features": object{"is_recording_available": true, "is_chat_available": true, "is_whiteboard_available": true,
			"is_locale_switcher_available": false, "is_captions_available": false},
	}
}

// serial is what start_id and end_id count: neither a room's ID nor contiguous.
func serial(i int) int { return 1000 + 10*i }

// checkRoom answers 400 for what the SDK does not check itself, else formats o's expires_at.
func (s *Server) checkRoom(w http.ResponseWriter, o object) bool {
	exp, err := time.Parse(time.RFC3339Nano, str(o, "expires_at"))
	if bad(w, str(o, "display_name") == "", `"display_name" is required`) ||
		bad(w, o["type"] == "long_term" && err != nil, `"expires_at" is required, in ISO 8601 date format`) {
		return false
	}
	if o["theme_id"] != nil && s.theme(o["theme_id"]) == nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", "Failed to save room because theme id "+str(o, "theme_id")+" not found")
		return false
	}
	if err == nil {
		o["expires_at"] = formatTime(exp)
	}
	return true
}

// linkRoom sets o's URLs, which carry its theme's short_company_url; s.mu is held.
func (s *Server) linkRoom(o object) {
	base, code, enc := "https://meetings.vonage.com/", str(o, "meeting_code"), base64.RawURLEncoding
	if slug := str(s.theme(o["theme_id"]), "short_company_url"); slug != "" {
		base += slug + "/"
	}
	token := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString(fmt.Appendf(nil, `{"participantId":%q}`, o["id"])) + "." + enc.EncodeToString([]byte(s.sign(code)))
	o["_links"] = object{"guest_url": object{"href": base + code}, "host_url": object{"href": base + "?room_token=" + code + "&participant_token=" + token}}
}

func (s *Server) createRoom(w http.ResponseWriter, r *http.Request) {
	var in object
	if !decode(w, r, &in) {
		return
	}
	now, o := time.Now(), roomFields()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !merge(w, o, in, roomFields(), "") || !s.checkRoom(w, o) {
		return
	}
	if o["type"] == "instant" {
		o["expires_at"] = formatTime(now.Add(10 * time.Minute))
	}
	o["id"], o["meeting_code"], o["created_at"], o["is_available"] = newUUID(), fmt.Sprintf("%09d", rand.N(1_000_000_000)), formatTime(now), true
	s.linkRoom(o)
	s.rooms = append(s.rooms, o)
	writeJSON(w, http.StatusCreated, o)
}

func (s *Server) room(id any) object { return find(s.rooms, "id", id) }

func (s *Server) checkRoomUpdate(w http.ResponseWriter, o, in object) bool {
	if o["type"] == "instant" {
		writeError(w, http.StatusBadRequest, "BadRequestError", "The room with id: "+str(o, "id")+" could not be updated because of its type: temporary")
		return false
	}
	return s.checkRoom(w, o)
}

// listRooms pages the rooms, or the path's theme's: from start_id, or up to end_id alone.
func (s *Server) listRooms(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	themeID, q := r.PathValue("id"), r.URL.Query()
	if themeID != "" && s.theme(themeID) == nil {
		writeError(w, http.StatusNotFound, "NotFoundError", "Failed to get rooms because theme id "+themeID+" not found")
		return
	}
	size, start, end := 20, 0, math.MaxInt
	for name, v := range map[string]*int{"page_size": &size, "start_id": &start, "end_id": &end} {
		n, err := strconv.Atoi(q.Get(name))
		if q.Has(name) && bad(w, err != nil || n < 0 || n == 0 && v == &size, fmt.Sprintf("%q must be an integer, page_size a positive one", name)) {
			return
		} else if q.Has(name) {
			*v = n
		}
	}
	total, in := 0, []int{} // the indexes of the rooms from start to end
	for i, o := range s.rooms {
		if themeID == "" || o["theme_id"] == themeID {
			if total++; serial(i) >= start && serial(i) < end {
				in = append(in, i)
			}
		}
	}
	page := in[:min(size, len(in))]
	if q.Has("end_id") && !q.Has("start_id") {
		page = in[len(in)-len(page):]
	}
	base, rooms := fmt.Sprintf("api-eu.vonage.com/meetings/rooms?page_size=%d", size), []object{}
	href := func(q string) object { return object{"href": base + q} }
	links := object{"first": href(""), "self": href("&start_id=" + strconv.Itoa(start))}
	for _, i := range page {
		rooms = append(rooms, s.rooms[i])
	}
	if len(page) > 0 {
		first, next := strconv.Itoa(serial(page[0])), strconv.Itoa(serial(page[len(page)-1])+1)
		links["self"], links["prev"], links["next"] = href("&start_id="+first), href("&end_id="+first), href("&start_id="+next)
	}
	writeJSON(w, http.StatusOK, object{"page_size": size, "_embedded": rooms, "_links": links, "total_items": total})
}

func dialInNumbers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, []map[string]string{
		{"number": "541139862166", "locale": "es-AR", "display_name": "Argentina"},
		{"number": "442381924626", "locale": "en-GB", "display_name": "United Kingdom"},
	})
}

const applicationID = "0e5f2d3c-8a4b-4c6d-9e1f-2a3b4c5d6e7f"

func themeFields() object {
	return object{"theme_name": nil, "main_color": "", "brand_text": "", "short_company_url": nil}
}

// logoFields name a theme's fields for each logo type; the URL's is the key's plus "_url".
var logoFields = map[string]string{"white": "brand_image_white", "colored": "brand_image_colored", "favicon": "branded_favicon"}

func (s *Server) theme(id any) object { return find(s.themes, "theme_id", id) }

// checkTheme answers 409 and returns false if t's name or short_company_url is another's.
func (s *Server) checkTheme(w http.ResponseWriter, t, _ object) bool {
	for _, other := range s.themes {
		for _, k := range []string{"theme_name", "short_company_url"} {
			if other["theme_id"] != t["theme_id"] && t[k] != nil && other[k] == t[k] {
				writeError(w, http.StatusConflict, "ConflictError", k+" already exists in application")
				return false
			}
		}
	}
	return true
}

func (s *Server) listThemes(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, append([]object{}, s.themes...))
}

func (s *Server) createTheme(w http.ResponseWriter, r *http.Request) {
	var in object
	if !decode(w, r, &in) {
		return
	}
	t := themeFields()
	t["theme_id"], t["domain"], t["account_id"], t["application_id"] = newUUID(), "VCP", apiKey, applicationID
	for _, f := range logoFields {
		t[f], t[f+"_url"] = nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if merge(w, t, in, themeFields(), "") && s.checkTheme(w, t, nil) {
		s.themes = append(s.themes, t)
		writeJSON(w, http.StatusCreated, t)
	}
}

// deleteTheme refuses a theme in use unless force=true, which takes it off its users.
func (s *Server) deleteTheme(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	if !found(w, s.theme(id), "theme", id) {
		return
	}
	users := slices.DeleteFunc(slices.Clone(s.rooms), func(rm object) bool { return rm["theme_id"] != id })
	var errs []any
	if n := len(users); n > 0 {
		errs = append(errs, fmt.Sprintf("Theme %s is used by %d room%s", id, n, strings.Repeat("s", min(n-1, 1))))
	}
	if s.appTheme == id {
		errs = append(errs, fmt.Sprintf("Theme %s is the application's default theme", id))
	}
	if errs != nil && r.URL.Query().Get("force") != "true" {
		writeError(w, http.StatusBadRequest, "BadRequestError", "could not delete theme", errs...)
		return
	}
	s.themes = slices.DeleteFunc(s.themes, func(x object) bool { return x["theme_id"] == id })
	for _, rm := range users {
		rm["theme_id"] = nil
		s.linkRoom(rm)
	}
	if s.appTheme == id {
		s.appTheme = ""
	}
	w.WriteHeader(http.StatusNoContent)
}

// finalizeLogos makes uploaded logos the theme's, answering 200 "OK" as the service does.
func (s *Server) finalizeLogos(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Keys []string `json:"keys"`
	}
	if !decode(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.theme(r.PathValue("id"))
	if !found(w, t, "theme", r.PathValue("id")) {
		return
	}
	var errs []any
	for _, k := range body.Keys {
		if l := s.logos[k]; l == nil || !l.uploaded {
			errs = append(errs, map[string]string{"logoKey": k, "code": "key_not_found"})
		}
	}
	if errs != nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", "could not finalize logos", errs...)
		return
	}
	for _, k := range body.Keys {
		if l := s.logos[k]; l != nil {
			key, f := strings.TrimPrefix(k, "auto-expiring-temp/"), logoFields[l.Fields["logoType"]]
			t[f], t[f+"_url"] = key, s.StorageURL+"/"+logoBucket+"/"+key
			delete(s.logos, k)
		}
	}
	_, _ = io.WriteString(w, "OK") // 200, text/plain by net/http's sniffing
}

func (s *Server) updateApplication(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeUpdate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := str(in, "default_theme_id"); s.theme(id) == nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", "Failed to update application because theme id "+id+" not found")
	} else {
		s.appTheme = id
		writeJSON(w, http.StatusOK, object{"application_id": applicationID, "account_id": apiKey, "default_theme_id": id})
	}
}
