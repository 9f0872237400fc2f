package meetingstest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// object is a JSON object: the state of rooms and themes is their wire form.
type object = map[string]any

// roomFields are the fields a client sets on a room, with their defaults; a
// nil default takes a string or null.
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
			return !firstBad(w, check{true, fmt.Sprintf("%q must be a %s", path+k, strings.Replace(want, "null", "string", 1))})
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

func clone(o object) (c object) {
	b, _ := json.Marshal(o)
	_ = json.Unmarshal(b, &c)
	return c
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

// A room is its wire object and its serial number, which start_id and end_id
// count: neither its ID nor contiguous.
type room struct {
	serial int
	o      object
}

// room returns the room with ID id, nil for none; s.mu is held.
func (s *Server) room(id string) *room {
	if i := slices.IndexFunc(s.rooms, func(r *room) bool { return r.o["id"] == id }); i >= 0 {
		return s.rooms[i]
	}
	return nil
}

func (s *Server) roomOr404(w http.ResponseWriter, r *http.Request) *room {
	rm := s.room(r.PathValue("id"))
	if rm == nil {
		writeError(w, http.StatusNotFound, notFound, "could not find room "+r.PathValue("id"))
	}
	return rm
}

// checkRoom answers 400 and returns false if the service would refuse o,
// else it sets o's expires_at in the wire's format and its URLs, which carry
// its theme's short_company_url. A new expires_at must be 10 minutes ahead.
func (s *Server) checkRoom(w http.ResponseWriter, o object, newExpiry bool) bool {
	typ, name, meta := str(o, "type"), str(o, "display_name"), str(o, "metadata")
	exp, err := time.Parse(time.RFC3339Nano, str(o, "expires_at"))
	cb, bad := o["callback_urls"].(object), false
	for _, u := range cb {
		bad = bad || u != nil && !strings.HasPrefix(u.(string), "http://") && !strings.HasPrefix(u.(string), "https://")
	}
	theme := s.theme(o["theme_id"])
	if firstBad(w,
		check{name == "", `"display_name" is required`},
		check{len(name) > 200 || len(meta) > 500, `"display_name" or "metadata" is too long`},
		oneOf(o, "type", "instant", "long_term"),
		check{typ == "long_term" && o["expires_at"] == nil, `"expires_at" is required`},
		check{typ == "instant" && (o["expires_at"] != nil || o["expire_after_use"] == true), `"expires_at" and "expire_after_use" are not allowed for an instant room`},
		check{o["expires_at"] != nil && err != nil, `"expires_at" must be in ISO 8601 date format`},
		check{newExpiry && err == nil && exp.Before(time.Now().Add(10*time.Minute)), `"expires_at" must be more than 10 minutes ahead`},
		oneOf(o, "join_approval_level", "none", "after_owner_only", "explicit_approval"),
		oneOf(o, "initial_join_options.microphone_state", "on", "off", "default"),
		oneOf(o, "ui_settings.language", "default", "en", "he", "es", "pt-br", "it", "ca", "fr", "de", "ar", "zh-tw", "zh-cn"),
		check{bad, `"callback_urls" must be http(s) URLs`},
	) {
		return false
	}
	if theme == nil && o["theme_id"] != nil {
		writeError(w, http.StatusBadRequest, badRequest, "Failed to save room because theme id "+str(o, "theme_id")+" not found")
		return false
	}
	if err == nil {
		o["expires_at"] = formatTime(exp)
	}
	s.linkRoom(o)
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
	if !merge(w, o, in, roomFields(), "") || !s.checkRoom(w, o, true) {
		return
	}
	if o["type"] == "instant" {
		o["expires_at"] = formatTime(now.Add(10 * time.Minute))
	}
	o["id"], o["meeting_code"], o["created_at"], o["is_available"] = newUUID(), fmt.Sprintf("%09d", rand.N(1_000_000_000)), formatTime(now), true
	s.linkRoom(o)
	s.rooms = append(s.rooms, &room{1000 + 10*len(s.rooms), o})
	writeJSON(w, http.StatusCreated, o)
}

func (s *Server) getRoom(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.roomOr404(w, r); rm != nil {
		writeJSON(w, http.StatusOK, rm.o)
	}
}

func (s *Server) updateRoom(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeUpdate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.roomOr404(w, r)
	if rm == nil {
		return
	}
	if rm.o["type"] == "instant" {
		writeError(w, http.StatusBadRequest, badRequest, "The room with id: "+str(rm.o, "id")+" could not be updated because of its type: temporary")
		return
	}
	o, fields := clone(rm.o), roomFields()
	delete(fields, "type")
	if merge(w, o, in, fields, "") && s.checkRoom(w, o, in["expires_at"] != nil) {
		s.linkRoom(o)
		rm.o = o
		writeJSON(w, http.StatusOK, o)
	}
}

func (s *Server) listRooms(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.page(w, r, nil)
}

func (s *Server) listThemeRooms(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := r.PathValue("id"); s.theme(id) == nil {
		writeError(w, http.StatusNotFound, notFound, "Failed to get rooms because theme id "+id+" not found")
	} else {
		s.page(w, r, id)
	}
}

// page answers a page of the rooms, or of those of the theme themeID: from
// start_id on, or the last before end_id alone.
func (s *Server) page(w http.ResponseWriter, r *http.Request, themeID any) {
	q := r.URL.Query()
	size, start, end := 20, 0, math.MaxInt
	for _, p := range []struct {
		name    string
		v       *int
		atLeast int
	}{{"page_size", &size, 1}, {"start_id", &start, 0}, {"end_id", &end, 0}} {
		if !q.Has(p.name) {
			continue
		}
		n, err := strconv.Atoi(q.Get(p.name))
		if firstBad(w, check{err != nil || n < p.atLeast, fmt.Sprintf("%q must be an integer of at least %d", p.name, p.atLeast)}) {
			return
		}
		*p.v = n
	}
	total, in := 0, []*room{}
	for _, rm := range s.rooms {
		if themeID == nil || rm.o["theme_id"] == themeID {
			if total++; rm.serial >= start && rm.serial < end {
				in = append(in, rm)
			}
		}
	}
	page := in[:min(size, len(in))]
	if q.Has("end_id") && !q.Has("start_id") {
		page = in[len(in)-len(page):]
	}
	base, rooms := fmt.Sprintf("api-eu.vonage.com/meetings/rooms?page_size=%d", size), []object{}
	links := object{"first": href{base}, "self": href{base + "&start_id=" + strconv.Itoa(start)}}
	for _, rm := range page {
		rooms = append(rooms, rm.o)
	}
	if len(page) > 0 {
		first, next := strconv.Itoa(page[0].serial), strconv.Itoa(page[len(page)-1].serial+1)
		links["self"], links["prev"], links["next"] = href{base + "&start_id=" + first}, href{base + "&end_id=" + first}, href{base + "&start_id=" + next}
	}
	writeJSON(w, http.StatusOK, object{"page_size": size, "_embedded": rooms, "_links": links, "total_items": total})
}

func dialInNumbers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, []map[string]string{
		{"number": "541139862166", "locale": "es-AR", "display_name": "Argentina"},
		{"number": "442381924626", "locale": "en-GB", "display_name": "United Kingdom"},
	})
}
