package meetingstest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestThemes(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	resp, body := call(t, srv, "GET", "/themes", nil)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "[]", string(body), "no themes is an empty array")

	theme := createTheme(t, srv, map[string]any{"theme_name": "my_theme", "short_company_url": "my-company"})
	id := theme["theme_id"].(string)
	assert.Equal(t, map[string]any{
		"theme_id": id, "theme_name": "my_theme", "domain": "VCP", "account_id": srv.APIKey(), "application_id": theme["application_id"],
		"main_color": "#12f64e", "short_company_url": "my-company", "brand_text": "My Company",
		"brand_image_colored": nil, "brand_image_white": nil, "branded_favicon": nil,
		"brand_image_white_url": nil, "brand_image_colored_url": nil, "branded_favicon_url": nil,
	}, theme, "the fields of the peer fixture theme.json")
	assert.Equal(t, theme, get(t, srv, "/themes/"+id))
	minimal := createTheme(t, srv, nil)
	assert.Nil(t, minimal["theme_name"], "optional fields not given are null")

	var list []map[string]any
	_, body = call(t, srv, "GET", "/themes", nil)
	require.NoError(t, json.Unmarshal(body, &list))
	assert.Equal(t, []map[string]any{theme, minimal}, list)

	resp, body = call(t, srv, "PATCH", "/themes/"+id, map[string]any{"update_details": map[string]any{"theme_name": "updated_theme", "main_color": "#FF0000"}})
	require.Equal(t, 200, resp.StatusCode, string(body))
	updated := decoded(t, body)
	assert.Equal(t, "updated_theme", updated["theme_name"])
	assert.Equal(t, "#FF0000", updated["main_color"])
	assert.Equal(t, "My Company", updated["brand_text"], "what the update does not name stays")
	assert.Equal(t, updated, get(t, srv, "/themes/"+id))
}

func TestThemeRefusals(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	theme := createTheme(t, srv, map[string]any{"theme_name": "taken", "short_company_url": "taken-url"})
	other := createTheme(t, srv, map[string]any{"theme_name": "other"})
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		errName, message         string
	}{
		{"an unknown field", "POST", "/themes", `{"main_color":"#abc","brand_text":"b","logo":"x"}`, 400, "InputValidationError", `"logo" is not allowed`},
		{"a name taken", "POST", "/themes", `{"main_color":"#abc","brand_text":"b","theme_name":"taken"}`, 409, "ConflictError", "theme_name already exists in application"},
		{"a short URL taken", "POST", "/themes", `{"main_color":"#abc","brand_text":"b","short_company_url":"taken-url"}`, 409, "ConflictError", "short_company_url already exists"},
		{"an update to a name taken", "PATCH", "/themes/" + other["theme_id"].(string), `{"update_details":{"theme_name":"taken"}}`, 409, "ConflictError", "theme_name already exists"},
		{"an update with no keys", "PATCH", "/themes/" + other["theme_id"].(string), `{"update_details":{}}`, 400, "InputValidationError", `"update_details" must have at least 1 key`},
		{"an unknown theme", "GET", "/themes/nope", "", 404, "NotFoundError", "could not find theme nope"},
		{"updating an unknown theme", "PATCH", "/themes/nope", `{"update_details":{"theme_name":"x"}}`, 404, "NotFoundError", "could not find theme nope"},
		{"deleting an unknown theme", "DELETE", "/themes/nope", "", 404, "NotFoundError", "could not find theme nope"},
		{"rooms of an unknown theme", "GET", "/themes/nope/rooms", "", 404, "NotFoundError", "Failed to get rooms because theme id nope not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			resp, b := call(t, srv, tc.method, tc.path, body)
			assertError(t, resp, b, tc.status, tc.errName, tc.message)
		})
	}
	resp, body := call(t, srv, "PATCH", "/themes/"+theme["theme_id"].(string), `{"update_details":{"theme_name":"taken"}}`)
	assert.Equal(t, 200, resp.StatusCode, "a theme keeps its own name: %s", body)
}

func TestDeleteTheme(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	theme := createTheme(t, srv, map[string]any{"short_company_url": "acme"})
	id := theme["theme_id"].(string)
	room := longTermRoom(t, srv, map[string]any{"theme_id": id})
	longTermRoom(t, srv, nil)

	names, body, links := page(t, srv, "/themes/"+id+"/rooms")
	assert.Equal(t, []string{"standup"}, names)
	assert.Equal(t, 1.0, body["total_items"])
	assert.Equal(t, room["id"], body["_embedded"].([]any)[0].(map[string]any)["id"])
	assert.Contains(t, links["next"], "api-eu.vonage.com/meetings/rooms?", "theme room links point at /meetings/rooms")

	resp, b := call(t, srv, "PATCH", "/applications", map[string]any{"update_details": map[string]any{"default_theme_id": id}})
	require.Equal(t, 200, resp.StatusCode, string(b))
	for _, force := range []string{"", "?force=false", "?force=True"} {
		resp, b = call(t, srv, "DELETE", "/themes/"+id+force, nil)
		assertError(t, resp, b, 400, "BadRequestError", "could not delete theme")
		assert.Equal(t, []any{"Theme " + id + " is used by 1 room", "Theme " + id + " is the application's default theme"}, decoded(t, b)["errors"])
	}
	get(t, srv, "/themes/"+id)

	resp, _ = call(t, srv, "DELETE", "/themes/"+id+"?force=true", nil)
	require.Equal(t, 204, resp.StatusCode)
	resp, _ = call(t, srv, "GET", "/themes/"+id, nil)
	assert.Equal(t, 404, resp.StatusCode)
	after := get(t, srv, "/rooms/"+room["id"].(string))
	assert.Nil(t, after["theme_id"], "the room lost its theme")
	assert.NotContains(t, after["_links"].(map[string]any)["guest_url"].(map[string]any)["href"], "acme")

	unused := createTheme(t, srv, nil)
	resp, _ = call(t, srv, "DELETE", "/themes/"+unused["theme_id"].(string), nil)
	assert.Equal(t, 204, resp.StatusCode, "an unused theme needs no force")
}

func TestUpdateApplication(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	theme := createTheme(t, srv, nil)
	resp, body := call(t, srv, "PATCH", "/applications", map[string]any{"update_details": map[string]any{"default_theme_id": theme["theme_id"]}})
	require.Equal(t, 200, resp.StatusCode)
	app := decoded(t, body)
	assert.Equal(t, theme["theme_id"], app["default_theme_id"])
	assert.Equal(t, theme["application_id"], app["application_id"])
	assert.Equal(t, srv.APIKey(), app["account_id"])

	resp, body = call(t, srv, "PATCH", "/applications", `{"update_details":{"default_theme_id":"not-a-real-theme-id"}}`)
	assertError(t, resp, body, 400, "BadRequestError", "Failed to update application because theme id not-a-real-theme-id not found")
	resp, body = call(t, srv, "PATCH", "/applications", `{"update_details":{}}`)
	assertError(t, resp, body, 400, "InputValidationError", "at least 1 key")
}

type target struct {
	URL    string            `json:"url"`
	Fields map[string]string `json:"fields"`
}

func logoTargets(t *testing.T, srv *meetingstest.Server) map[string]target {
	t.Helper()
	resp, body := call(t, srv, "GET", "/themes/logos-upload-urls", nil)
	require.Equal(t, 200, resp.StatusCode)
	var list []target
	require.NoError(t, json.Unmarshal(body, &list))
	out := map[string]target{}
	for _, tg := range list {
		out[tg.Fields["logoType"]] = tg
	}
	return out
}

// form builds a multipart body: fields in order, then the file (unless nil).
func form(t *testing.T, fields [][2]string, file []byte, fileFirst bool) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	addFile := func() {
		if file != nil {
			fw, err := w.CreateFormFile("file", "logo.png")
			require.NoError(t, err)
			_, _ = fw.Write(file)
		}
	}
	if fileFirst {
		addFile()
	}
	for _, f := range fields {
		require.NoError(t, w.WriteField(f[0], f[1]))
	}
	if !fileFirst {
		addFile()
	}
	require.NoError(t, w.Close())
	return w.FormDataContentType(), b.Bytes()
}

func fieldsOf(tg target, drop string, set ...string) [][2]string {
	var out [][2]string
	for _, k := range []string{"Content-Type", "key", "logoType", "bucket", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Security-Token", "Policy", "X-Amz-Signature"} {
		v := tg.Fields[k]
		if len(set) == 2 && set[0] == k {
			v = set[1]
		}
		if k != drop {
			out = append(out, [2]string{k, v})
		}
	}
	if len(set) == 2 && tg.Fields[set[0]] == "" {
		out = append(out, [2]string{set[0], set[1]})
	}
	return out
}

var png = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)

func upload(t *testing.T, tg target, contentType string, body []byte, mutate func(*http.Request)) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", tg.URL, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	if mutate != nil {
		mutate(req)
	}
	return send(t, req)
}

func TestLogoUploadTargets(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	targets := logoTargets(t, srv)
	require.Len(t, targets, 3)
	for _, typ := range []string{"white", "colored", "favicon"} {
		tg := targets[typ]
		assert.True(t, strings.HasPrefix(tg.URL, srv.StorageURL+"/"), "the storage host: %s", tg.URL)
		assert.Regexp(t, `^auto-expiring-temp/logos/`+typ+`/[0-9a-f-]{36}$`, tg.Fields["key"])
		for _, k := range []string{"Content-Type", "bucket", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Security-Token", "Policy", "X-Amz-Signature"} {
			assert.NotEmpty(t, tg.Fields[k], k)
		}
		assert.Len(t, tg.Fields, 10, "the fields of list_logo_upload_urls.json")
	}
}

func TestLogoUploadIsCheckedAsS3ChecksAPresignedPOST(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	tg := logoTargets(t, srv)["white"]
	for _, tc := range []struct {
		name      string
		fields    [][2]string
		file      []byte
		fileFirst bool
		mutate    func(*http.Request)
		status    int
		code      string
	}{
		{"a missing field", fieldsOf(tg, "Policy"), png, false, nil, 403, "AccessDenied"},
		{"a missing logoType", fieldsOf(tg, "logoType"), png, false, nil, 403, "AccessDenied"},
		{"a wrong value", fieldsOf(tg, "", "X-Amz-Signature", "forged"), png, false, nil, 403, "AccessDenied"},
		{"an unknown key", fieldsOf(tg, "", "key", "auto-expiring-temp/logos/white/nope"), png, false, nil, 403, "AccessDenied"},
		{"an extra field", fieldsOf(tg, "", "acl", "public-read"), png, false, nil, 403, "AccessDenied"},
		{"the file before the fields", fieldsOf(tg, ""), png, true, nil, 403, "AccessDenied"},
		{"no file", fieldsOf(tg, ""), nil, false, nil, 403, "AccessDenied"},
		{"a file over 1 MB", fieldsOf(tg, ""), make([]byte, 1<<20+1), false, nil, 400, "EntityTooLarge"},
		{"an Authorization header", fieldsOf(tg, ""), png, false, func(r *http.Request) { r.SetBasicAuth("k", "s") }, 400, "InvalidArgument"},
		{"a chunked body", fieldsOf(tg, ""), png, false, func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(r.Body), -1
		}, 411, "MissingContentLength"},
		{"a body too long", fieldsOf(tg, ""), make([]byte, 2<<20), false, nil, 400, "EntityTooLarge"},
		{"not multipart", nil, nil, false, func(r *http.Request) { r.Header.Set("Content-Type", "application/json") }, 403, "AccessDenied"},
		{"a broken multipart body", nil, nil, false, func(r *http.Request) { r.Header.Set("Content-Type", "multipart/form-data; boundary=zzz") }, 403, "AccessDenied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := form(t, tc.fields, tc.file, tc.fileFirst)
			resp, b := upload(t, tg, ct, body, tc.mutate)
			assert.Equal(t, tc.status, resp.StatusCode, string(b))
			assert.Contains(t, string(b), "<Error><Code>"+tc.code+"</Code>")
		})
	}
	resp, _ := send(t, mustRequest(t, "GET", tg.URL))
	assert.Equal(t, 404, resp.StatusCode)
	theme := createTheme(t, srv, nil)
	resp, body := call(t, srv, "PUT", "/themes/"+theme["theme_id"].(string)+"/finalizeLogos", map[string]any{"keys": []string{tg.Fields["key"]}})
	assertError(t, resp, body, 400, "BadRequestError", "could not finalize logos")
	assert.Equal(t, []any{map[string]any{"logoKey": tg.Fields["key"], "code": "key_not_found"}}, decoded(t, body)["errors"], "no refused upload counts")
}

func TestSetLogosEndToEnd(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	theme := createTheme(t, srv, nil)
	id := theme["theme_id"].(string)
	targets := logoTargets(t, srv)
	var keys []string
	for _, typ := range []string{"white", "colored", "favicon"} {
		ct, body := form(t, fieldsOf(targets[typ], ""), png, false)
		resp, b := upload(t, targets[typ], ct, body, nil)
		require.Equal(t, 204, resp.StatusCode, string(b))
		keys = append(keys, targets[typ].Fields["key"])
	}
	resp, body := call(t, srv, "PUT", "/themes/"+id+"/finalizeLogos", map[string]any{"keys": keys})
	require.Equal(t, 200, resp.StatusCode, string(body))
	assert.False(t, json.Valid(body), "the service's 200 is not JSON")

	after := get(t, srv, "/themes/"+id)
	for typ, f := range map[string]string{"white": "brand_image_white", "colored": "brand_image_colored", "favicon": "branded_favicon"} {
		key := strings.TrimPrefix(targets[typ].Fields["key"], "auto-expiring-temp/")
		assert.Equal(t, key, after[f])
		assert.Equal(t, targets[typ].URL+"/"+key, after[f+"_url"])
	}
	assert.Zero(t, srv.StorageAuthorizationCount())

	resp, body = call(t, srv, "PUT", "/themes/"+id+"/finalizeLogos", map[string]any{"keys": keys[:1]})
	assertError(t, resp, body, 400, "BadRequestError", "could not finalize logos") // a key is finalized once
	resp, body = call(t, srv, "PUT", "/themes/"+id+"/finalizeLogos", map[string]any{"keys": []string{"not-a-key"}})
	assertError(t, resp, body, 400, "BadRequestError", "could not finalize logos")
	assert.Equal(t, []any{map[string]any{"logoKey": "not-a-key", "code": "key_not_found"}}, decoded(t, body)["errors"])

	for _, tc := range []struct {
		path, body    string
		status        int
		name, message string
	}{
		{"/themes/" + id + "/finalizeLogos", `[{"key":"x"}]`, 400, "InputValidationError", "cannot unmarshal array"},
		{"/themes/nope/finalizeLogos", `{"keys":["x"]}`, 404, "NotFoundError", "could not find theme nope"},
	} {
		resp, body := call(t, srv, "PUT", tc.path, tc.body)
		assertError(t, resp, body, tc.status, tc.name, tc.message)
	}
}
