package meetingstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

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

// find returns the object of list whose key is id, nil for none.
func find(list []object, key string, id any) object {
	for _, o := range list {
		if id != nil && o[key] == id {
			return o
		}
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
			if u := clone(o); merge(w, u, in, fields, "") && check(w, u, in) {
				maps.Copy(o, u)
				for _, rm := range s.rooms { // their URLs carry their theme's short_company_url
					s.linkRoom(rm)
				}
				writeJSON(w, http.StatusOK, o)
			}
		}
	}
}
