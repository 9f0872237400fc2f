package meetingstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

const (
	sessionA = "2_MX40NjMwODczMn5-MTU3NTgyODEwNzQ2MH5OZDJrVmdBRUNDbG5MUzNqNXgya20yQ1Z-fg"
	recA     = "7734a958-6793-4438-9978-ab97d3091912"
)

var startedA = time.Date(2023, 2, 6, 13, 58, 37, 0, time.UTC)

// call sends one request to the API host with the server's Basic credentials.
func call(t *testing.T, srv *meetingstest.Server, method, escapedPath string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+escapedPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(srv.APIKey(), srv.APISecret())
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

func seeded(t *testing.T, opts ...meetingstest.Option) *meetingstest.Server {
	t.Helper()
	srv := meetingstest.Start(t, opts...)
	must(t, srv.AddRecording(meetingstest.Recording{
		ID: recA, SessionID: sessionA, StartedAt: startedA, EndedAt: startedA.Add(time.Minute), Status: meetingstest.StatusUploaded,
	}))
	must(t, srv.AddRecording(meetingstest.Recording{
		ID: "rec-running", SessionID: sessionA, StartedAt: startedA, Status: meetingstest.StatusStarted,
	}))
	must(t, srv.AddSession("empty-session"))
	must(t, srv.SetFile(recA, []byte("the recording")))
	return srv
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// assertJSON compares a body with want (a JSON text or a testdata file name) as JSON values.
func assertJSON(t *testing.T, body []byte, want string) {
	t.Helper()
	if strings.HasSuffix(want, ".json") {
		b, err := os.ReadFile(filepath.Join("testdata", want))
		if err != nil {
			t.Fatal(err)
		}
		want = string(b)
	}
	var got, exp any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body is not JSON: %v: %q", err, body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	g, _ := json.Marshal(got)
	e, _ := json.Marshal(exp)
	if !bytes.Equal(g, e) {
		t.Errorf("body\n got %s\nwant %s", g, e)
	}
}

func TestAPIAnswersLikeTheService(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		noAuth, badAuth    bool
		wantStatus         int
		wantBody           string // JSON text, testdata file, or "" for an empty body
	}{
		{name: "missing credentials get the gateway's 401", method: "GET", path: "/recordings/" + recA, noAuth: true,
			wantStatus: 401, wantBody: "unauthorized.json"},
		{name: "wrong credentials get the gateway's 401", method: "GET", path: "/recordings/" + recA, badAuth: true,
			wantStatus: 401, wantBody: "unauthorized.json"},
		{name: "unknown recording is a service-style 404", method: "GET", path: "/recordings/not-a-real-recording-id",
			wantStatus: 404, wantBody: "get_recording_not_found.json"},
		{name: "unknown session is a service-style 404", method: "GET", path: "/sessions/not-a-real-session-id/recordings",
			wantStatus: 404, wantBody: "get_session_recordings_not_found.json"},
		{name: "deleting an unknown recording is a service-style 404", method: "DELETE", path: "/recordings/nope",
			wantStatus: 404, wantBody: "delete_recording_not_found.json"},
		{name: "deleting a recording not uploaded is refused with 403", method: "DELETE", path: "/recordings/rec-running",
			wantStatus: 403, wantBody: `{"message":"can only delete recordings in 'uploaded' status","name":"ForbiddenError","status":403}`},
		{name: "a session without recordings lists none", method: "GET", path: "/sessions/empty-session/recordings",
			wantStatus: 200, wantBody: `{"_embedded":{"recordings":[]}}`},
		{name: "a method the endpoint lacks is 405", method: "POST", path: "/recordings/" + recA,
			wantStatus: 405, wantBody: `{"title":"Method Not Allowed","detail":"meetingstest: POST is not allowed here"}`},
		{name: "an unknown route is 404", method: "GET", path: "/rooms",
			wantStatus: 404, wantBody: `{"title":"Not Found","detail":"meetingstest: no route for GET /beta/meetings/rooms"}`},
		{name: "an empty recording ID is 404", method: "GET", path: "/recordings/",
			wantStatus: 404, wantBody: `{"title":"Not Found","detail":"meetingstest: empty path segment"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := seeded(t)
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			must(t, err)
			switch {
			case tt.badAuth:
				req.SetBasicAuth(srv.APIKey(), "wrong")
			case !tt.noAuth:
				req.SetBasicAuth(srv.APIKey(), srv.APISecret())
			}
			resp, body := send(t, req)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.wantStatus, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want JSON", ct)
			}
			assertJSON(t, body, tt.wantBody)
		})
	}
}

var wireTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestGetRecordingHasTheServiceFields(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	resp, body := call(t, srv, "GET", "/recordings/"+recA)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var got map[string]any
	must(t, json.Unmarshal(body, &got))
	for k, want := range map[string]string{
		"id": recA, "session_id": sessionA, "status": "uploaded",
		"started_at": "2023-02-06T13:58:37.000Z", "ended_at": "2023-02-06T13:59:37.000Z",
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %q", k, got[k], want)
		}
	}
	href := got["_links"].(map[string]any)["url"].(map[string]any)["href"].(string)
	if !strings.HasPrefix(href, srv.StorageURL+"/") {
		t.Errorf("href %q is not on the storage host %q", href, srv.StorageURL)
	}
	if strings.HasPrefix(href, srv.URL) {
		t.Errorf("href %q is on the API host", href)
	}
	if len(got) != 6 {
		t.Errorf("recording has fields %v, want exactly id, session_id, started_at, ended_at, status, _links", keys(got))
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestListRecordingsInInsertionOrder(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	resp, body := call(t, srv, "GET", "/sessions/"+sessionA+"/recordings")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var list struct {
		Embedded struct {
			Recordings []struct {
				ID, Status, StartedAt, EndedAt string
			} `json:"recordings"`
		} `json:"_embedded"`
	}
	must(t, json.Unmarshal(body, &list))
	recs := list.Embedded.Recordings
	if len(recs) != 2 || recs[0].ID != recA || recs[1].ID != "rec-running" {
		t.Fatalf("recordings = %+v, want %s then rec-running", recs, recA)
	}
	if !strings.Contains(string(body), `"started_at":"2023-02-06T13:58:37.000Z"`) {
		t.Errorf("timestamps not in the service's format: %s", body)
	}
	if strings.Count(string(body), `"ended_at"`) != 1 {
		t.Errorf("a recording still running must have no ended_at: %s", body)
	}
}

func TestDeleteUploadedRecordingRemovesItAndItsFile(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	dl, err := srv.DownloadURL(recA)
	must(t, err)
	resp, body := call(t, srv, "DELETE", "/recordings/"+recA)
	if resp.StatusCode != 204 || len(body) != 0 {
		t.Fatalf("delete = %d %q, want 204 and an empty body", resp.StatusCode, body)
	}
	if resp, _ := call(t, srv, "GET", "/recordings/"+recA); resp.StatusCode != 404 {
		t.Errorf("get after delete = %d, want 404", resp.StatusCode)
	}
	if _, ok := srv.Recording(recA); ok {
		t.Error("Recording still reports the deleted recording")
	}
	if resp, err := http.Get(dl); err != nil || resp.StatusCode != 404 {
		t.Errorf("file after delete: %v %v, want 404", resp.Status, err)
	}
	recs, _ := srv.SessionRecordings(sessionA)
	if len(recs) != 1 {
		t.Errorf("session still lists %d recordings, want 1", len(recs))
	}
}

func TestIDsRoundTripThroughPathEscaping(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"a/b", "with space", "100%", "q?x=1#frag", "ünï", "..", "+plus", "semi;colon"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			srv := meetingstest.Start(t)
			must(t, srv.AddRecording(meetingstest.Recording{ID: id, SessionID: id}))
			must(t, srv.SetFile(id, []byte("file of "+id)))

			resp, body := call(t, srv, "GET", "/recordings/"+url.PathEscape(id))
			if resp.StatusCode != 200 {
				t.Fatalf("get = %d: %s", resp.StatusCode, body)
			}
			var rec struct {
				ID    string `json:"id"`
				Links struct {
					URL struct{ Href string } `json:"url"`
				} `json:"_links"`
			}
			must(t, json.Unmarshal(body, &rec))
			if rec.ID != id {
				t.Errorf("id = %q, want %q", rec.ID, id)
			}
			if resp, _ := call(t, srv, "GET", "/sessions/"+url.PathEscape(id)+"/recordings"); resp.StatusCode != 200 {
				t.Errorf("list = %d, want 200", resp.StatusCode)
			}
			fresp, fbody := send(t, mustRequest(t, "GET", rec.Links.URL.Href))
			if fresp.StatusCode != 200 || string(fbody) != "file of "+id {
				t.Errorf("download = %d %q", fresp.StatusCode, fbody)
			}
			reqs := srv.RequestsTo(meetingstest.HostAPI)
			if want := srv.BasePath() + "/recordings/" + url.PathEscape(id); reqs[0].Path != want {
				t.Errorf("logged path %q, want the escaped %q", reqs[0].Path, want)
			}
		})
	}
}

func TestAnUnescapedSlashInAnIDDoesNotMatch(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	must(t, srv.AddRecording(meetingstest.Recording{ID: "a/b", SessionID: "s"}))
	if resp, _ := call(t, srv, "GET", "/recordings/a/b"); resp.StatusCode != 404 {
		t.Errorf("GET /recordings/a/b = %d, want 404 (the ID must be escaped)", resp.StatusCode)
	}
}

func TestAClientThatDropsTheBasePathFailsLoudly(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	base := strings.TrimSuffix(srv.URL, srv.BasePath())
	req := mustRequest(t, "GET", base+"/recordings/"+recA)
	req.SetBasicAuth(srv.APIKey(), srv.APISecret())
	resp, body := send(t, req)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "served under /beta/meetings") {
		t.Errorf("got %d %s, want 404 naming the base path", resp.StatusCode, body)
	}
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	must(t, err)
	return req
}

func TestOptions(t *testing.T) {
	t.Parallel()
	t.Run("custom credentials are the only ones accepted", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t, meetingstest.WithCredentials("k", "s"))
		req := mustRequest(t, "GET", srv.URL+"/recordings/"+recA)
		req.SetBasicAuth("k", "s")
		if resp, _ := send(t, req); resp.StatusCode != 200 {
			t.Errorf("custom credentials: %d", resp.StatusCode)
		}
		req.SetBasicAuth(meetingstest.DefaultAPIKey, meetingstest.DefaultAPISecret)
		if resp, _ := send(t, req); resp.StatusCode != 401 {
			t.Errorf("default credentials: %d, want 401", resp.StatusCode)
		}
	})
	t.Run("base path moves the API", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t, meetingstest.WithBasePath("/v1/meetings"))
		if !strings.HasSuffix(srv.URL, "/v1/meetings") {
			t.Fatalf("URL = %q", srv.URL)
		}
		if resp, _ := call(t, srv, "GET", "/recordings/"+recA); resp.StatusCode != 200 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("an auth check replaces Basic", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t, meetingstest.WithAuthCheck(func(r *http.Request) error {
			if r.Header.Get("Authorization") != "Bearer good" {
				return errors.New("bad token")
			}
			return nil
		}))
		req := mustRequest(t, "GET", srv.URL+"/recordings/"+recA)
		req.Header.Set("Authorization", "Bearer good")
		if resp, _ := send(t, req); resp.StatusCode != 200 {
			t.Errorf("bearer: %d", resp.StatusCode)
		}
		if resp, _ := call(t, srv, "GET", "/recordings/"+recA); resp.StatusCode != 401 {
			t.Errorf("basic: %d, want 401", resp.StatusCode)
		}
		if got := srv.RequestsTo(meetingstest.HostAPI)[0].AuthScheme; got != "Bearer" {
			t.Errorf("AuthScheme = %q", got)
		}
	})
	bad := map[string]meetingstest.Option{
		"WithCredentials":    meetingstest.WithCredentials("", "s"),
		"WithBasePath":       meetingstest.WithBasePath("beta/"),
		"WithAuthCheck":      meetingstest.WithAuthCheck(nil),
		"WithCallbackSigner": meetingstest.WithCallbackSigner(nil),
		"WithCallbackClient": meetingstest.WithCallbackClient(nil),
	}
	for name, opt := range bad {
		t.Run("bad "+name+" is an error naming it", func(t *testing.T) {
			t.Parallel()
			srv, err := meetingstest.NewServer(opt)
			if err == nil {
				srv.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not name %s", err, name)
			}
		})
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t, meetingstest.WithCredentials("key-XYZ", "secret-XYZ"))
	req := mustRequest(t, "GET", srv.URL+"/recordings/x")
	req.SetBasicAuth("key-XYZ", "secret-XYZ")
	send(t, req)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{srv, srv.Requests()} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, "secret-XYZ") || strings.Contains(out, "a2V5LVhZWjpzZWNyZXQtWFla") {
				t.Errorf("%s of %T shows the secret: %s", verb, v, out)
			}
		}
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	call(t, srv, "GET", "/recordings/"+recA)
	call(t, srv, "DELETE", "/recordings/rec-running")
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests logged, want 2", len(reqs))
	}
	want := []meetingstest.Request{
		{Host: "api", Method: "GET", Path: "/beta/meetings/recordings/" + recA, AuthScheme: "Basic", HasAuthorization: true, Status: 200},
		{Host: "api", Method: "DELETE", Path: "/beta/meetings/recordings/rec-running", AuthScheme: "Basic", HasAuthorization: true, Status: 403},
	}
	for i, w := range want {
		g := reqs[i]
		if g.Host != w.Host || g.Method != w.Method || g.Path != w.Path || g.AuthScheme != w.AuthScheme ||
			g.HasAuthorization != w.HasAuthorization || g.Status != w.Status {
			t.Errorf("request %d = %+v, want %+v", i, g, w)
		}
		if g.Header.Get("Authorization") != "" {
			t.Errorf("request %d keeps the Authorization header", i)
		}
	}
	srv.ResetRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests after ResetRequests", n)
	}
}

func TestAPIFaults(t *testing.T) {
	t.Parallel()
	t.Run("status with Retry-After for the next n, then normal", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t)
		must(t, srv.InjectAPIFault(2, meetingstest.Fault{Status: 429, RetryAfter: "1"}))
		for i := range 2 {
			resp, body := call(t, srv, "GET", "/recordings/"+recA)
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
				t.Fatalf("request %d: %d Retry-After %q", i, resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			assertJSON(t, body, `{"title":"Too Many Requests","detail":"meetingstest: injected fault"}`)
		}
		if resp, _ := call(t, srv, "GET", "/recordings/"+recA); resp.StatusCode != 200 {
			t.Errorf("after the faults: %d, want 200", resp.StatusCode)
		}
		if api, storage := srv.PendingFaults(); api != 0 || storage != 0 {
			t.Errorf("pending faults %d %d", api, storage)
		}
	})
	t.Run("a custom body replaces the default", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t)
		must(t, srv.InjectAPIFault(1, meetingstest.Fault{Status: 503, Body: "not json"}))
		resp, body := call(t, srv, "GET", "/recordings/"+recA)
		if resp.StatusCode != 503 || string(body) != "not json" {
			t.Errorf("got %d %q", resp.StatusCode, body)
		}
	})
	t.Run("a 200 with a body serves any answer", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t)
		must(t, srv.InjectAPIFault(1, meetingstest.Fault{Status: 200, Body: `{}`}))
		resp, body := call(t, srv, "GET", "/sessions/"+sessionA+"/recordings")
		if resp.StatusCode != 200 || string(body) != `{}` || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
		}
	})
	t.Run("drop closes the connection without an answer", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t)
		must(t, srv.InjectAPIFault(1, meetingstest.Fault{Drop: true}))
		req := mustRequest(t, "GET", srv.URL+"/recordings/"+recA)
		req.SetBasicAuth(srv.APIKey(), srv.APISecret())
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("got %d, want a connection error", resp.StatusCode)
		}
		if got := srv.Requests()[0].Status; got != 0 {
			t.Errorf("logged status %d for a dropped request, want 0", got)
		}
	})
	t.Run("a delay then answers normally", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t)
		must(t, srv.InjectAPIFault(1, meetingstest.Fault{Delay: time.Millisecond}))
		if resp, _ := call(t, srv, "GET", "/recordings/"+recA); resp.StatusCode != 200 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("a client giving up ends a long delay", func(t *testing.T) {
		t.Parallel()
		srv := seeded(t)
		must(t, srv.InjectAPIFault(1, meetingstest.Fault{Delay: time.Hour}))
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/recordings/"+recA, nil)
		errc := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		for len(srv.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		srv.Close() // must not wait an hour
	})
	t.Run("Close ends a long delay", func(t *testing.T) {
		t.Parallel()
		srv, err := meetingstest.NewServer()
		must(t, err)
		must(t, srv.InjectAPIFault(1, meetingstest.Fault{Delay: time.Hour}))
		errc := make(chan error, 1)
		go func() {
			resp, err := http.Get(srv.URL + "/recordings/x")
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		for len(srv.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		srv.Close()
		<-errc
	})
	for name, tc := range map[string]struct {
		n int
		f meetingstest.Fault
	}{
		"zero count":          {0, meetingstest.Fault{Status: 500}},
		"status out of range": {1, meetingstest.Fault{Status: 999}},
		"CutAfter on the API": {1, meetingstest.Fault{CutAfter: 10}},
		"RetryAfter alone":    {1, meetingstest.Fault{RetryAfter: "1"}},
		"Status and Drop":     {1, meetingstest.Fault{Status: 500, Drop: true}},
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			t.Parallel()
			srv := meetingstest.Start(t)
			err := srv.InjectAPIFault(tc.n, tc.f)
			if err == nil || !strings.HasPrefix(err.Error(), "meetingstest: InjectAPIFault: ") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestSeedingRefusesBadInput(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	for name, err := range map[string]error{
		"AddSession":         srv.AddSession(""),
		"AddRecording":       srv.AddRecording(meetingstest.Recording{SessionID: "s"}),
		"SetRecordingStatus": srv.SetRecordingStatus("missing", "stopped"),
		"SetFile":            srv.SetFile("", nil),
		"SetGeneratedFile":   srv.SetGeneratedFile("r", -1),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v, want one naming it", name, err)
		}
	}
	if _, err := srv.FileSHA256("missing"); err == nil {
		t.Error("FileSHA256 of a missing file: no error")
	}
}

func TestAddRecordingReplacesAndMoves(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	must(t, srv.AddRecording(meetingstest.Recording{ID: "r", SessionID: "s1"}))
	must(t, srv.AddRecording(meetingstest.Recording{ID: "r", SessionID: "s2", Status: "paused"}))
	if recs, _ := srv.SessionRecordings("s1"); len(recs) != 0 {
		t.Errorf("s1 still lists %v", recs)
	}
	recs, _ := srv.SessionRecordings("s2")
	if len(recs) != 1 || recs[0].Status != "paused" {
		t.Errorf("s2 lists %v", recs)
	}
	must(t, srv.SetRecordingStatus("r", "uploaded"))
	if rec, _ := srv.Recording("r"); rec.Status != "uploaded" {
		t.Errorf("status %q", rec.Status)
	}
}
