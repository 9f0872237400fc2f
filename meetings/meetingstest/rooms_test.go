package meetingstest_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

var wireTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestCreateRoomAnswersTheServiceShape(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	room := createRoom(t, srv, map[string]any{"display_name": "my_test_room"})

	// The fields of the peer fixture meeting_room.json, plus the ones the
	// .NET fixtures and the reference add.
	keys := make([]string, 0, len(room))
	for k := range room {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"id", "display_name", "metadata", "type", "expires_at", "recording_options", "meeting_code", "_links",
		"created_at", "is_available", "expire_after_use", "theme_id", "initial_join_options", "callback_urls", "available_features",
		"join_approval_level", "ui_settings"}, keys)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, room["id"])
	assert.Regexp(t, `^\d{9}$`, room["meeting_code"])
	assert.Equal(t, "instant", room["type"])
	assert.Nil(t, room["metadata"])
	assert.Nil(t, room["theme_id"])
	assert.Equal(t, true, room["is_available"])
	assert.Equal(t, map[string]any{"auto_record": false, "record_only_owner": false}, room["recording_options"])
	assert.Equal(t, map[string]any{"microphone_state": "default"}, room["initial_join_options"])
	assert.Equal(t, map[string]any{"language": "default"}, room["ui_settings"])
	assert.Equal(t, "none", room["join_approval_level"])
	assert.Equal(t, map[string]any{"is_recording_available": true, "is_chat_available": true, "is_whiteboard_available": true,
		"is_locale_switcher_available": false, "is_captions_available": false}, room["available_features"])
	assert.Equal(t, map[string]any{"rooms_callback_url": nil, "sessions_callback_url": nil, "recordings_callback_url": nil}, room["callback_urls"])
	created, err := time.Parse(time.RFC3339, room["created_at"].(string))
	require.NoError(t, err)
	expires, err := time.Parse(time.RFC3339, room["expires_at"].(string))
	require.NoError(t, err)
	assert.Regexp(t, wireTimeRE, room["created_at"])
	assert.Equal(t, 10*time.Minute, expires.Sub(created).Round(time.Second), "an instant room expires 10 minutes after it was made")

	links := room["_links"].(map[string]any)
	code := room["meeting_code"].(string)
	assert.Equal(t, "https://meetings.vonage.com/"+code, links["guest_url"].(map[string]any)["href"])
	host, err := url.Parse(links["host_url"].(map[string]any)["href"].(string))
	require.NoError(t, err)
	assert.Equal(t, code, host.Query().Get("room_token"))
	assert.Regexp(t, `^[\w-]+\.[\w-]+\.[\w-]+$`, host.Query().Get("participant_token"), "a JWT")

	assert.Equal(t, room, get(t, srv, "/rooms/"+room["id"].(string)))
}

func TestCreateRoomTakesEverySetting(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	theme := createTheme(t, srv, map[string]any{"short_company_url": "my-company"})
	// The request of the .NET fixture CreateRoom-ShouldSerialize-request.json, long-term and with our theme.
	room := longTermRoom(t, srv, map[string]any{
		"available_features":   map[string]any{"is_captions_available": true, "is_chat_available": false, "is_locale_switcher_available": false, "is_recording_available": false, "is_whiteboard_available": false},
		"callback_urls":        map[string]any{"recordings_callback_url": "https://example.com/r", "rooms_callback_url": "https://example.com", "sessions_callback_url": "http://example.com/s"},
		"initial_join_options": map[string]any{"microphone_state": "off"},
		"join_approval_level":  "explicit_approval",
		"metadata":             "string",
		"recording_options":    map[string]any{"auto_record": true, "record_only_owner": true},
		"theme_id":             theme["theme_id"],
		"ui_settings":          map[string]any{"language": "de"},
		"expire_after_use":     true,
	})
	assert.Equal(t, "long_term", room["type"])
	assert.Equal(t, future.Format("2006-01-02T15:04:05.000Z"), room["expires_at"], "in the wire's format")
	assert.Equal(t, theme["theme_id"], room["theme_id"])
	assert.Equal(t, "string", room["metadata"])
	assert.Equal(t, true, room["expire_after_use"])
	assert.Equal(t, "explicit_approval", room["join_approval_level"])
	assert.Equal(t, map[string]any{"language": "de"}, room["ui_settings"])
	assert.Equal(t, true, room["available_features"].(map[string]any)["is_captions_available"])
	assert.Equal(t, "http://example.com/s", room["callback_urls"].(map[string]any)["sessions_callback_url"])
	assert.Equal(t, map[string]any{"auto_record": true, "record_only_owner": true}, room["recording_options"])
	guest := room["_links"].(map[string]any)["guest_url"].(map[string]any)["href"]
	assert.Equal(t, "https://meetings.vonage.com/my-company/"+room["meeting_code"].(string), guest, "the theme's short_company_url is in the URLs")
}

func TestCreateRoomRefusesWhatTheServiceRefuses(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	for _, tc := range []struct {
		name, body, errName, message string
	}{
		{"no display name", `{"type":"instant"}`, "InputValidationError", `"display_name" is required`},
		{"a long-term room without expiry", `{"display_name":"x","type":"long_term"}`, "InputValidationError", `"expires_at" is required`},
		{"an expiry not in RFC 3339", `{"display_name":"x","type":"long_term","expires_at":"2030-01-01 00:00:00"}`, "InputValidationError", "ISO 8601"},
		{"an unknown field", `{"display_name":"x","colour":"red"}`, "InputValidationError", `"colour" is not allowed`},
		{"an unknown nested field", `{"display_name":"x","ui_settings":{"lang":"en"}}`, "InputValidationError", `"ui_settings.lang" is not allowed`},
		{"a null display name", `{"display_name":null}`, "InputValidationError", `"display_name" is required`},
		{"an object where a string goes", `{"display_name":"x","metadata":{}}`, "InputValidationError", `"metadata" is not allowed`},
		{"a string where an object goes", `{"display_name":"x","ui_settings":"en"}`, "InputValidationError", `"ui_settings" is not allowed`},
		{"an unknown theme", `{"display_name":"x","theme_id":"nope"}`, "BadRequestError", "theme id nope not found"},
		{"not JSON", `{"display_name":`, "InputValidationError", "unexpected EOF"},
		{"not an object", `["display_name"]`, "InputValidationError", "cannot unmarshal array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, srv, "POST", "/rooms", tc.body)
			assertError(t, resp, body, 400, tc.errName, tc.message)
		})
	}
	assert.Equal(t, 0.0, get(t, srv, "/rooms")["total_items"], "no refused room was kept")
}

func TestUpdateRoom(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	room := longTermRoom(t, srv, map[string]any{"metadata": "m"})
	id := room["id"].(string)
	later := future.Add(time.Hour)
	theme := createTheme(t, srv, map[string]any{"short_company_url": "acme"})

	// The .NET fixture UpdateRoom-ShouldSerialize-request.json, with a valid expiry and our theme.
	resp, body := call(t, srv, "PATCH", "/rooms/"+id, map[string]any{"update_details": map[string]any{
		"available_features": map[string]any{"is_chat_available": false},
		"callback_urls":      map[string]any{"rooms_callback_url": "https://example.com"},
		"expire_after_use":   true, "expires_at": later.Format(time.RFC3339), "theme_id": theme["theme_id"],
		"join_approval_level": "none", "ui_settings": map[string]any{"language": "de"}, "display_name": "renamed",
	}})
	require.Equal(t, 200, resp.StatusCode, string(body))
	updated := decoded(t, body)
	assert.Equal(t, "renamed", updated["display_name"])
	assert.Equal(t, "m", updated["metadata"], "what the update does not name stays")
	assert.Equal(t, later.Format("2006-01-02T15:04:05.000Z"), updated["expires_at"])
	assert.Equal(t, false, updated["available_features"].(map[string]any)["is_chat_available"])
	assert.Equal(t, true, updated["available_features"].(map[string]any)["is_recording_available"], "nested fields merge")
	assert.Equal(t, "https://example.com", updated["callback_urls"].(map[string]any)["rooms_callback_url"])
	assert.Contains(t, updated["_links"].(map[string]any)["guest_url"].(map[string]any)["href"], "/acme/")
	assert.Equal(t, updated, get(t, srv, "/rooms/"+id))

	instant := createRoom(t, srv, map[string]any{"display_name": "now"})
	for _, tc := range []struct {
		name, path, body string
		status           int
		errName, message string
	}{
		{"no details", "/rooms/" + id, `{"update_details":{}}`, 400, "InputValidationError", `"update_details" must have at least 1 key`},
		{"no update_details", "/rooms/" + id, `{}`, 400, "InputValidationError", `"update_details" must have at least 1 key`},
		{"details under another name", "/rooms/" + id, `{"update_options":{"display_name":"x"}}`, 400, "InputValidationError", `unknown field "update_options"`},
		{"an instant room", "/rooms/" + instant["id"].(string), `{"update_details":{"display_name":"x"}}`, 400, "BadRequestError",
			"The room with id: " + instant["id"].(string) + " could not be updated because of its type: temporary"},
		{"an unknown theme", "/rooms/" + id, `{"update_details":{"theme_id":"nope"}}`, 400, "BadRequestError", "theme id nope not found"},
		{"an unknown room", "/rooms/nope", `{"update_details":{"display_name":"x"}}`, 404, "NotFoundError", "could not find room nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, srv, "PATCH", tc.path, tc.body)
			assertError(t, resp, body, tc.status, tc.errName, tc.message)
		})
	}
	assert.Equal(t, updated, get(t, srv, "/rooms/"+id), "a refused update changes nothing")
	resp, body = call(t, srv, "GET", "/rooms/nope", nil)
	assertError(t, resp, body, 404, "NotFoundError", "could not find room nope")
}

// page fetches a room list and returns its rooms' display names and its links' start_id/end_id.
func page(t *testing.T, srv *meetingstest.Server, path string) (names []string, body map[string]any, links map[string]string) {
	t.Helper()
	body = get(t, srv, path)
	for _, r := range body["_embedded"].([]any) {
		names = append(names, r.(map[string]any)["display_name"].(string))
	}
	links = map[string]string{}
	for k, v := range body["_links"].(map[string]any) {
		links[k] = v.(map[string]any)["href"].(string)
	}
	return names, body, links
}

func TestListRoomsPagesBySerialNumber(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	names, body, links := page(t, srv, "/rooms")
	assert.Empty(t, names)
	assert.Equal(t, []any{}, body["_embedded"])
	assert.NotContains(t, links, "next", "an empty page has no next")
	for i := range 5 {
		createRoom(t, srv, map[string]any{"display_name": fmt.Sprint("r", i)})
	}

	names, body, links = page(t, srv, "/rooms")
	assert.Equal(t, []string{"r0", "r1", "r2", "r3", "r4"}, names)
	assert.Equal(t, 20.0, body["page_size"], "the default page size")
	assert.Equal(t, 5.0, body["total_items"])
	assert.Equal(t, "api-eu.vonage.com/meetings/rooms?page_size=20", links["first"], "hrefs have no scheme, as the service's")
	assert.Contains(t, links, "next", "next is there on a short last page too")

	names, body, links = page(t, srv, "/rooms?page_size=2")
	assert.Equal(t, []string{"r0", "r1"}, names)
	assert.Equal(t, 2.0, body["page_size"])
	assert.Equal(t, 5.0, body["total_items"], "total_items counts every room of the list")
	next := startID(t, links["next"])
	assert.Equal(t, startID(t, links["self"])+11, next, "serial numbers are not contiguous: not an offset")

	names, _, links = page(t, srv, fmt.Sprintf("/rooms?page_size=2&start_id=%d", next))
	assert.Equal(t, []string{"r2", "r3"}, names)
	names, _, last := page(t, srv, fmt.Sprintf("/rooms?page_size=2&start_id=%d", startID(t, links["next"])))
	assert.Equal(t, []string{"r4"}, names, "a short last page")
	names, _, _ = page(t, srv, fmt.Sprintf("/rooms?page_size=2&start_id=%d", startID(t, last["next"])))
	assert.Empty(t, names, "past the last page")

	end, err := strconv.Atoi(strings.TrimPrefix(regexp.MustCompile(`end_id=\d+`).FindString(last["prev"]), "end_id="))
	require.NoError(t, err)
	names, _, _ = page(t, srv, fmt.Sprintf("/rooms?page_size=2&end_id=%d", end))
	assert.Equal(t, []string{"r2", "r3"}, names, "end_id alone: the page before it")
	names, _, _ = page(t, srv, fmt.Sprintf("/rooms?start_id=%d&end_id=%d", next, end))
	assert.Equal(t, []string{"r2", "r3"}, names, "start_id up to end_id, which is excluded")

	for _, q := range []string{"page_size=0", "page_size=x", "start_id=-1", "end_id=1.5"} {
		resp, body := call(t, srv, "GET", "/rooms?"+q, nil)
		assertError(t, resp, body, 400, "InputValidationError", "must be an integer")
	}
}

func startID(t *testing.T, href string) int {
	t.Helper()
	u, err := url.Parse(href) // a scheme-less href parses as a path and a query
	require.NoError(t, err)
	n, err := strconv.Atoi(u.Query().Get("start_id"))
	require.NoError(t, err, href)
	return n
}

func TestDialInNumbers(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	resp, body := call(t, srv, "GET", "/dial-in-numbers", nil)
	require.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `[{"number":"541139862166","locale":"es-AR","display_name":"Argentina"},
		{"number":"442381924626","locale":"en-GB","display_name":"United Kingdom"}]`, string(body))
}
