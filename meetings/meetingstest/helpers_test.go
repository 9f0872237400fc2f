package meetingstest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// call sends a request to the API host with the server's Basic credentials.
// body is nil, a string of raw JSON, or a value to encode.
func call(t *testing.T, srv *meetingstest.Server, method, path string, body any) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(t, err)
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(srv.APIKey(), srv.APISecret())
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// get is call for a GET that must answer 200; it returns the decoded body.
func get(t *testing.T, srv *meetingstest.Server, path string) map[string]any {
	t.Helper()
	resp, body := call(t, srv, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return decoded(t, body)
}

func decoded(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m), string(body))
	return m
}

// assertError checks a refusal's status and its body in the service's shape.
func assertError(t *testing.T, resp *http.Response, body []byte, status int, name, message string) {
	t.Helper()
	assert.Equal(t, status, resp.StatusCode, string(body))
	m := decoded(t, body)
	assert.Equal(t, name, m["name"], string(body))
	assert.Equal(t, float64(status), m["status"])
	assert.Contains(t, m["message"], message)
}

// future is an expires_at the service accepts for a long-term room.
var future = time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)

// createRoom creates a room and returns its wire object.
func createRoom(t *testing.T, srv *meetingstest.Server, fields map[string]any) map[string]any {
	t.Helper()
	resp, body := call(t, srv, http.MethodPost, "/rooms", fields)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	return decoded(t, body)
}

func longTermRoom(t *testing.T, srv *meetingstest.Server, more map[string]any) map[string]any {
	t.Helper()
	fields := map[string]any{"display_name": "standup", "type": "long_term", "expires_at": future.Format(time.RFC3339)}
	for k, v := range more {
		fields[k] = v
	}
	return createRoom(t, srv, fields)
}

func createTheme(t *testing.T, srv *meetingstest.Server, fields map[string]any) map[string]any {
	t.Helper()
	all := map[string]any{"main_color": "#12f64e", "brand_text": "My Company"}
	for k, v := range fields {
		all[k] = v
	}
	resp, body := call(t, srv, http.MethodPost, "/themes", all)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	return decoded(t, body)
}
