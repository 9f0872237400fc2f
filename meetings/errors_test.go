package meetings_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/vonage-meetings/go-sdk/meetings"
)

func TestAPIErrorReadsEveryBodyShape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		header   http.Header
		sentinel error
		check    func(t *testing.T, e *meetings.APIError)
		wantErr  string
	}{
		{
			name: "service shape 404", status: 404, body: fixture(t, "get_recording_not_found.json"), sentinel: meetings.ErrNotFound,
			check: func(t *testing.T, e *meetings.APIError) {
				if e.Name != "NotFoundError" || e.Message != "Recording not-a-real-recording-id was not found" {
					t.Errorf("Name, Message = %q, %q", e.Name, e.Message)
				}
			},
			wantErr: "meetings: GET /recordings/x: 404 NotFoundError: Recording not-a-real-recording-id was not found",
		},
		{
			name: "gateway shape 401", status: 401, body: fixture(t, "unauthorized.json"), sentinel: meetings.ErrUnauthorized,
			check: func(t *testing.T, e *meetings.APIError) {
				if e.Title != "Unauthorized" || e.Detail != "You did not provide correct credentials" {
					t.Errorf("Title, Detail = %q, %q", e.Title, e.Detail)
				}
			},
			wantErr: "meetings: GET /recordings/x: 401 Unauthorized: You did not provide correct credentials",
		},
		{
			name: "gateway shape with type and instance", status: 403, sentinel: meetings.ErrForbidden,
			body: `{"type":"https://developer.vonage.com/api-errors#forbidden","title":"Forbidden","detail":"no","instance":"bf0ca0bf"}`,
			check: func(t *testing.T, e *meetings.APIError) {
				if e.Type != "https://developer.vonage.com/api-errors#forbidden" || e.Instance != "bf0ca0bf" {
					t.Errorf("Type, Instance = %q, %q", e.Type, e.Instance)
				}
			},
			wantErr: "meetings: GET /recordings/x: 403 Forbidden: no",
		},
		{
			name: "errors as strings", status: 400, body: fixture(t, "delete_theme_in_use.json"),
			check: func(t *testing.T, e *meetings.APIError) {
				if len(e.Errors) != 1 || e.Errors[0] != "Theme 90a21428-b74a-4221-adc3-783935d654db is used by 1 room" {
					t.Errorf("Errors = %q", e.Errors)
				}
			},
			wantErr: "meetings: GET /recordings/x: 400 BadRequestError: could not delete theme [Theme 90a21428-b74a-4221-adc3-783935d654db is used by 1 room]",
		},
		{
			name: "errors as objects", status: 400, body: fixture(t, "logo_key_error.json"),
			check: func(t *testing.T, e *meetings.APIError) {
				if len(e.Errors) != 1 || e.Errors[0] != `{"logoKey":"not-a-key","code":"key_not_found"}` {
					t.Errorf("Errors = %q", e.Errors)
				}
			},
			wantErr: `meetings: GET /recordings/x: 400 BadRequestError: could not finalize logos [{"logoKey":"not-a-key","code":"key_not_found"}]`,
		},
		{
			name: "conflict", status: 409, body: fixture(t, "theme_name_in_use.json"), sentinel: meetings.ErrConflict,
			wantErr: "meetings: GET /recordings/x: 409 ConflictError: theme_name already exists in application",
		},
		{
			name: "body with a BOM", status: 404, body: "\xEF\xBB\xBF" + fixture(t, "delete_recording_not_found.json"), sentinel: meetings.ErrNotFound,
			wantErr: "meetings: GET /recordings/x: 404 NotFoundError: Could not find recording",
		},
		{
			name: "empty body keeps the status", status: 404, body: "", sentinel: meetings.ErrNotFound,
			wantErr: "meetings: GET /recordings/x: 404 Not Found",
		},
		{
			name: "HTML body keeps the status", status: 502, body: "<html><body>Bad gateway</body></html>", sentinel: meetings.ErrServer,
			check: func(t *testing.T, e *meetings.APIError) {
				if string(e.Body) != "<html><body>Bad gateway</body></html>" || e.Attempts != 4 {
					t.Errorf("Body = %q, Attempts = %d", e.Body, e.Attempts)
				}
			},
			wantErr: "meetings: GET /recordings/x: 502 Bad Gateway (after 4 attempts)",
		},
		{
			name: "fields of the wrong type are skipped", status: 400, body: `{"title":7,"detail":"kept","errors":"one"}`,
			check: func(t *testing.T, e *meetings.APIError) {
				if e.Title != "" || e.Detail != "kept" || len(e.Errors) != 1 || e.Errors[0] != "one" {
					t.Errorf("APIError = %+v", e)
				}
			},
			wantErr: "meetings: GET /recordings/x: 400 Bad Request: kept [one]",
		},
		{
			name: "null entries in errors are skipped", status: 400,
			body: `{"name":"BadRequestError","message":"bad","errors":[null,"kept",null,{"code":"x"}]}`,
			check: func(t *testing.T, e *meetings.APIError) {
				if len(e.Errors) != 2 || e.Errors[0] != "kept" || e.Errors[1] != `{"code":"x"}` {
					t.Errorf("Errors = %q, want [kept {\"code\":\"x\"}]", e.Errors)
				}
			},
			wantErr: `meetings: GET /recordings/x: 400 BadRequestError: bad [kept; {"code":"x"}]`,
		},
		{
			name: "errors null", status: 400, body: `{"message":"bad","errors":null}`,
			check: func(t *testing.T, e *meetings.APIError) {
				if len(e.Errors) != 0 {
					t.Errorf("Errors = %q, want none", e.Errors)
				}
			},
			wantErr: `meetings: GET /recordings/x: 400 Bad Request: bad`,
		},
		{
			name: "rate limited", status: 429, body: "", sentinel: meetings.ErrRateLimited,
			wantErr: "meetings: GET /recordings/x: 429 Too Many Requests (after 4 attempts)",
		},
		{
			name: "request id header", status: 500, body: "{}", header: http.Header{"X-Request-Id": {"req-42"}}, sentinel: meetings.ErrServer,
			check: func(t *testing.T, e *meetings.APIError) {
				if e.RequestID != "req-42" {
					t.Errorf("RequestID = %q", e.RequestID)
				}
			},
			wantErr: "meetings: GET /recordings/x: 500 Internal Server Error (after 4 attempts)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newMockClient(t)
			mock.RegisterResponder(http.MethodGet, mockBase+"/recordings/x", func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(tc.status, tc.body)
				for k, v := range tc.header {
					resp.Header[k] = v
				}
				return resp, nil
			})
			_, err := c.Recordings.Get(context.Background(), "x")
			var apiErr *meetings.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %#v, want *meetings.APIError", err)
			}
			if apiErr.StatusCode != tc.status {
				t.Errorf("StatusCode = %d, want %d", apiErr.StatusCode, tc.status)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tc.sentinel)
			}
			for _, other := range []error{meetings.ErrNotFound, meetings.ErrUnauthorized, meetings.ErrForbidden, meetings.ErrConflict, meetings.ErrRateLimited, meetings.ErrServer} {
				if other != tc.sentinel && errors.Is(err, other) {
					t.Errorf("errors.Is(err, %v) = true for a %d", other, tc.status)
				}
			}
			if got := err.Error(); got != tc.wantErr {
				t.Errorf("Error() = %q\nwant      %q", got, tc.wantErr)
			}
			if tc.check != nil {
				tc.check(t, apiErr)
			}
		})
	}
}

func TestErrorBodyIsCappedAtOneMiB(t *testing.T) {
	t.Parallel()
	c, mock := newMockClient(t)
	big := make([]byte, 3<<20)
	mock.RegisterResponder(http.MethodGet, mockBase+"/recordings/x", httpmock.NewBytesResponder(400, big))
	_, err := c.Recordings.Get(context.Background(), "x")
	var apiErr *meetings.APIError
	if !errors.As(err, &apiErr) || len(apiErr.Body) != 1<<20 {
		t.Fatalf("error = %v, body kept %d bytes, want 1 MiB", err, len(apiErr.Body))
	}
}

func TestSuccessBodyOverTenMiBIsRefused(t *testing.T) {
	t.Parallel()
	c, mock := newMockClient(t)
	big := []byte(`{"id":"` + string(make([]byte, 10<<20)) + `"}`)
	mock.RegisterResponder(http.MethodGet, mockBase+"/recordings/x", httpmock.NewBytesResponder(200, big))
	_, err := c.Recordings.Get(context.Background(), "x")
	var reqErr *meetings.RequestError
	if !errors.As(err, &reqErr) {
		t.Fatalf("error = %v, want *RequestError", err)
	}
}

func TestUndecodableSuccessBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, wantText string }{
		{"empty", "", "empty body"},
		{"not JSON", "<html>", "decoding 200 response"},
		{"wrong", `{"id":1}`, "decoding 200 response"},
		{"null", "null", "200 response is null"},
		{"null with spaces and BOM", "\xEF\xBB\xBF null \n", "200 response is null"},
		{"no id", `{}`, "200 response has no id"},
		{"empty id", `{"id":"","status":"uploaded"}`, "200 response has no id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mock := newMockClient(t)
			mock.RegisterResponder(http.MethodGet, mockBase+"/recordings/x", httpmock.NewStringResponder(200, tc.body))
			rec, err := c.Recordings.Get(context.Background(), "x")
			var reqErr *meetings.RequestError
			var apiErr *meetings.APIError
			if !errors.As(err, &reqErr) || errors.As(err, &apiErr) {
				t.Fatalf("Get = %+v, %v; want *RequestError", rec, err)
			}
			if rec != nil {
				t.Errorf("Get returned %+v with its error, want nil", rec)
			}
			if !strings.Contains(err.Error(), tc.wantText) || !strings.Contains(err.Error(), "GET /recordings/x") {
				t.Errorf("error %q does not say %q and name the call", err, tc.wantText)
			}
		})
	}
}
