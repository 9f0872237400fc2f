package meetingstest

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// applicationID is the fake's application, which its themes belong to.
const applicationID = "0e5f2d3c-8a4b-4c6d-9e1f-2a3b4c5d6e7f"

// themeFields are the fields a client sets on a theme, with their defaults.
func themeFields() object {
	return object{"theme_name": nil, "main_color": "", "brand_text": "", "short_company_url": nil}
}

// logoFields name a theme's fields for each logo type; the URL's is the key's plus "_url".
var logoFields = map[string]string{"white": "brand_image_white", "colored": "brand_image_colored", "favicon": "branded_favicon"}

func (s *Server) theme(id any) object { return find(s.themes, "theme_id", id) }

var (
	colorRE = regexp.MustCompile(`^#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$`)
	slugRE  = regexp.MustCompile(`^[a-zA-Z0-9_~-]{0,128}$`) // and not all digits
)

// checkTheme answers 400 or 409 and returns false if the service would refuse t.
func (s *Server) checkTheme(w http.ResponseWriter, t, _ object) bool {
	slug := str(t, "short_company_url")
	if firstBad(w,
		check{!colorRE.MatchString(str(t, "main_color")), `"main_color" is required, a hex color such as #12f64e`},
		check{str(t, "brand_text") == "", `"brand_text" is required`},
		check{len(str(t, "brand_text")) > 200 || len(str(t, "theme_name")) > 200, `"brand_text" or "theme_name" is too long`},
		check{!slugRE.MatchString(slug) || slug != "" && strings.Trim(slug, "0123456789") == "", `"short_company_url" must be at most 128 of a-z, A-Z, 0-9, _, ~ and -, not all digits`},
	) {
		return false
	}
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
	t["theme_id"], t["domain"], t["account_id"], t["application_id"] = newUUID(), "VCP", s.apiKey, applicationID
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

// deleteTheme refuses a theme in use unless force=true, which takes it off
// its rooms and the application.
func (s *Server) deleteTheme(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	t := s.theme(id)
	if !found(w, t, "theme", id) {
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
		writeError(w, http.StatusBadRequest, badRequest, "could not delete theme", errs...)
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

// finalizeLogos makes uploaded logos the theme's, answering 200 with a body
// that is not JSON, as the service does.
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
	if !found(w, t, "theme", r.PathValue("id")) || firstBad(w, check{len(body.Keys) == 0, `"keys" must contain at least 1 items`}) {
		return
	}
	var errs []any
	for _, k := range body.Keys {
		switch l := s.logos[k]; {
		case l == nil || l.uploaded == "":
			errs = append(errs, map[string]string{"logoKey": k, "code": "key_not_found"})
		case !strings.HasPrefix(l.uploaded, "image/"):
			errs = append(errs, map[string]string{"logoKey": k, "code": "invalid_logo_properties", "invalidProperty": "type"})
		}
	}
	if errs != nil {
		writeError(w, http.StatusBadRequest, badRequest, "could not finalize logos", errs...)
		return
	}
	for _, k := range body.Keys {
		if l := s.logos[k]; l != nil {
			key, f := strings.TrimPrefix(k, "auto-expiring-temp/"), logoFields[l.Fields["logoType"]]
			t[f], t[f+"_url"] = key, s.StorageURL+"/"+logoBucket+"/"+key
			delete(s.logos, k)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "OK")
}

func (s *Server) updateApplication(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeUpdate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := str(in, "default_theme_id")
	switch {
	case len(in) > 1 || in["default_theme_id"] == nil:
		writeError(w, http.StatusBadRequest, invalid, `"update_details" takes "default_theme_id" alone`)
	case s.theme(id) == nil:
		writeError(w, http.StatusBadRequest, badRequest, "Failed to update application because theme id "+id+" not found")
	default:
		s.appTheme = id
		writeJSON(w, http.StatusOK, object{"application_id": applicationID, "account_id": s.apiKey, "default_theme_id": id})
	}
}
