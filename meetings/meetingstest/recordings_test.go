package meetingstest_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

const (
	sessionA = "2_MX40NjMwODczMn5-MTU3NTgyODEwNzQ2MH5OZDJrVmdBRUNDbG5MUzNqNXgya20yQ1Z-fg"
	recA     = "7734a958-6793-4438-9978-ab97d3091912"
)

var startedA = time.Date(2023, 2, 6, 13, 58, 37, 0, time.UTC)

func seeded(t *testing.T, opts ...meetingstest.Option) *meetingstest.Server {
	t.Helper()
	srv := meetingstest.Start(t, opts...)
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: recA, SessionID: sessionA, StartedAt: startedA, EndedAt: startedA.Add(time.Minute)}))
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: "running", SessionID: sessionA, StartedAt: startedA, Status: meetingstest.StatusStarted}))
	require.NoError(t, srv.SetFile(recA, []byte("the recording")))
	return srv
}

func TestGetRecordingHasTheServiceFields(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	rec := get(t, srv, "/recordings/"+recA)
	href := rec["_links"].(map[string]any)["url"].(map[string]any)["href"].(string)
	assert.Equal(t, map[string]any{
		"id": recA, "session_id": sessionA, "status": "uploaded",
		"started_at": "2023-02-06T13:58:37.000Z", "ended_at": "2023-02-06T13:59:37.000Z",
		"_links": map[string]any{"url": map[string]any{"href": href}},
	}, rec)
	assert.True(t, strings.HasPrefix(href, srv.StorageURL+"/"), href)

	running := get(t, srv, "/recordings/running")
	assert.NotContains(t, running, "ended_at", "a zero time is left out")
}

func TestListRecordings(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	list := get(t, srv, "/sessions/"+sessionA+"/recordings")["_embedded"].(map[string]any)["recordings"].([]any)
	require.Len(t, list, 2)
	assert.Equal(t, recA, list[0].(map[string]any)["id"], "in insertion order")
	assert.Equal(t, "running", list[1].(map[string]any)["id"])

	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: "gone", SessionID: "empty"}))
	resp, _ := call(t, srv, "DELETE", "/recordings/gone", nil)
	require.Equal(t, 204, resp.StatusCode)
	empty := get(t, srv, "/sessions/empty/recordings") // its last recording deleted
	assert.Equal(t, map[string]any{"_embedded": map[string]any{"recordings": []any{}}}, empty)
}

func TestRecordingsRefusals(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	for _, tc := range []struct {
		name, method, path string
		status             int
		errName, message   string
	}{
		{"unknown session", "GET", "/sessions/nope/recordings", 404, "NotFoundError", "Failed to find session recordings by id: nope"},
		{"unknown recording", "GET", "/recordings/nope", 404, "NotFoundError", "Recording nope was not found"},
		{"deleting an unknown recording", "DELETE", "/recordings/nope", 404, "NotFoundError", "Could not find recording"},
		{"deleting a recording not uploaded", "DELETE", "/recordings/running", 403, "ForbiddenError", "can only delete recordings in 'uploaded' status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, srv, tc.method, tc.path, nil)
			assertError(t, resp, body, tc.status, tc.errName, tc.message)
		})
	}
}

func TestDeleteRemovesTheRecordingAndItsFile(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	u, err := srv.DownloadURL(recA)
	require.NoError(t, err)
	resp, _ := call(t, srv, "DELETE", "/recordings/"+recA, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, ok := meetingstest.RecordingOf(srv, recA)
	assert.False(t, ok)
	list := get(t, srv, "/sessions/"+sessionA+"/recordings")["_embedded"].(map[string]any)["recordings"].([]any)
	assert.Len(t, list, 1)
	file, _ := send(t, mustRequest(t, "GET", u))
	assert.Equal(t, http.StatusNotFound, file.StatusCode)
}

func TestIDsRoundTripEscaped(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	for _, id := range []string{"a/b", "a%b", "a b", "ünï"} {
		require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: id, SessionID: id}))
		require.NoError(t, srv.SetFile(id, []byte(id)))
		rec := get(t, srv, "/recordings/"+url.PathEscape(id))
		assert.Equal(t, id, rec["id"])
		list := get(t, srv, "/sessions/"+url.PathEscape(id)+"/recordings")["_embedded"].(map[string]any)["recordings"].([]any)
		assert.Len(t, list, 1)
		resp, body := send(t, mustRequest(t, "GET", rec["_links"].(map[string]any)["url"].(map[string]any)["href"].(string)))
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, id, string(body))
	}
	resp, _ := call(t, srv, "GET", "/recordings/a/b", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "an unescaped slash is two segments")
}

func TestSeedingAndStateHelpers(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	assert.Error(t, srv.AddRecording(meetingstest.Recording{ID: "r"}))
	assert.Error(t, srv.SetFile("", nil))
	assert.Error(t, srv.SetGeneratedFile("r", -1))
	_, err := srv.DownloadURL("")
	assert.Error(t, err)
	_, err = meetingstest.FileSHA256(srv, "nope")
	assert.ErrorContains(t, err, "meetingstest: ")

	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: "r", SessionID: "s1"}))
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: "r", SessionID: "s2", Status: meetingstest.StatusPaused}))
	rec, ok := meetingstest.RecordingOf(srv, "r")
	require.True(t, ok)
	assert.Equal(t, meetingstest.Recording{ID: "r", SessionID: "s2", Status: "paused"}, rec, "replaced and moved")
	assert.Empty(t, get(t, srv, "/sessions/s1/recordings")["_embedded"].(map[string]any)["recordings"])
}

func TestAuth(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	k, s := srv.APIKey(), srv.APISecret()
	for _, tc := range []struct {
		name string
		set  func(*http.Request)
		want int
	}{
		{"the server's credentials", func(r *http.Request) { r.SetBasicAuth(k, s) }, 200},
		{"a wrong secret", func(r *http.Request) { r.SetBasicAuth(k, "x") }, 401},
		{"a wrong key", func(r *http.Request) { r.SetBasicAuth("x", s) }, 401},
		{"none", func(*http.Request) {}, 401},
		{"a Bearer token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer k") }, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := mustRequest(t, "GET", srv.URL+"/recordings/"+recA)
			tc.set(req)
			resp, body := send(t, req)
			assert.Equal(t, tc.want, resp.StatusCode)
			if tc.want == 401 {
				assert.JSONEq(t, `{"title":"Unauthorized","detail":"You did not provide correct credentials"}`, string(body))
			}
		})
	}
	t.Run("on every path", func(t *testing.T) {
		for _, p := range []string{"/rooms", "/themes", "/dial-in-numbers", "/nowhere"} {
			resp, _ := send(t, mustRequest(t, "GET", srv.URL+p))
			assert.Equal(t, 401, resp.StatusCode, p)
		}
	})
}

func TestWithAuthCheckReplacesBasic(t *testing.T) {
	t.Parallel()
	srv := seeded(t, meetingstest.WithAuthCheck(func(r *http.Request) error {
		if r.Header.Get("Authorization") != "Bearer good" {
			return errors.New("bad token")
		}
		return nil
	}))
	req := mustRequest(t, "GET", srv.URL+"/recordings/"+recA)
	req.Header.Set("Authorization", "Bearer good")
	resp, _ := send(t, req)
	assert.Equal(t, 200, resp.StatusCode)
	resp, _ = call(t, srv, "GET", "/recordings/"+recA, nil)
	assert.Equal(t, 401, resp.StatusCode, "Basic no longer works")
	assert.Equal(t, "Bearer", srv.RequestsTo(meetingstest.HostAPI)[0].AuthScheme)
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	assert.True(t, strings.HasSuffix(srv.URL, "/beta/meetings"), srv.URL)
	root := strings.TrimSuffix(srv.URL, "/beta/meetings")
	for _, p := range []string{"/recordings/" + recA, "/v1/meetings/recordings/" + recA, "/beta/meetingsx/recordings"} {
		req := mustRequest(t, "GET", root+p)
		req.SetBasicAuth(srv.APIKey(), srv.APISecret())
		resp, body := send(t, req)
		assert.Equal(t, 404, resp.StatusCode, p)
		assert.Contains(t, string(body), "/beta/meetings", "the 404 names the base path")
	}
}

func TestUnknownRoutesAnswerInTheGatewayShape(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	resp, body := call(t, srv, "GET", "/nowhere", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "Not Found", decoded(t, body)["title"])
	resp, body = call(t, srv, "PUT", "/recordings/x", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "Not Found", decoded(t, body)["title"])
}

func TestOptionsAreChecked(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]meetingstest.Option{
		"WithCallbackSignatureSecret": meetingstest.WithCallbackSignatureSecret(nil),
	} {
		srv, err := meetingstest.NewServer(nil, opt)
		if !assert.Error(t, err, name) {
			srv.Close()
			continue
		}
		assert.True(t, strings.HasPrefix(err.Error(), "meetingstest: "+name+": "), err.Error())
	}
	srv, err := meetingstest.NewServer(nil, meetingstest.WithAuthCheck(nil))
	require.NoError(t, err, "a nil option and a nil check are ignored")
	srv.Close()
	srv.Close() // twice is fine
}

func TestSecretsNeverPrint(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t, meetingstest.WithCallbackSignatureSecret([]byte("cb-secret-XYZ")))
	key, secret := srv.APIKey(), srv.APISecret()
	call(t, srv, "GET", "/recordings/x", nil)
	forbidden := []string{secret, "cb-secret-XYZ", base64.StdEncoding.EncodeToString([]byte(key + ":" + secret))}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for name, v := range map[string]any{"pointer": srv, "value": *srv, "log": srv.Requests(), "in a struct": struct{ s *meetingstest.Server }{srv}} {
			out := fmt.Sprintf(verb, v)
			for _, f := range forbidden {
				assert.NotContains(t, out, f, "%s of the %s", verb, name)
			}
		}
	}
	assert.Equal(t, secret, srv.APISecret())
	assert.Equal(t, key, srv.APIKey())
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	call(t, srv, "GET", "/recordings/"+recA, nil)
	call(t, srv, "DELETE", "/recordings/running", nil)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for i, want := range []meetingstest.Request{
		{Host: "api", Method: "GET", Path: "/beta/meetings/recordings/" + recA, AuthScheme: "Basic", HasAuthorization: true, Status: 200},
		{Host: "api", Method: "DELETE", Path: "/beta/meetings/recordings/running", AuthScheme: "Basic", HasAuthorization: true, Status: 403},
	} {
		got := reqs[i]
		assert.Empty(t, got.Header.Get("Authorization"))
		assert.NotEmpty(t, got.Header.Get("User-Agent"))
		got.Header = nil
		assert.Equal(t, want, got)
	}
	assert.Empty(t, srv.RequestsTo(meetingstest.HostStorage))
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	return req
}
