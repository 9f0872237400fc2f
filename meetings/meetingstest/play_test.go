package meetingstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// receiver records every callback and answers status (204 by default).
type receiver struct {
	mu      sync.Mutex
	bodies  []map[string]any
	headers []http.Header
	status  map[string]int                      // event → status to answer
	onEvent func(event string, r *http.Request) // called before answering
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	ev, _ := m["event"].(string)
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, m)
	rc.headers = append(rc.headers, r.Header.Clone())
	code := rc.status[ev]
	rc.mu.Unlock()
	if rc.onEvent != nil {
		rc.onEvent(ev, r)
	}
	if code == 0 {
		code = http.StatusNoContent
	}
	w.WriteHeader(code)
}

func TestPlayMeetingSendsTheServicePayloads(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	rc := &receiver{}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)

	played, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{})
	must(t, err)

	wantEvents := []string{
		"session:started",
		"session:participant:joined", "session:participant:joined",
		"recording:started", "recording:ended",
		"session:participant:left", "session:participant:left",
		"recording:uploaded", "session:ended", "room:expired",
	}
	if len(rc.bodies) != len(wantEvents) || len(played.Callbacks) != len(wantEvents) {
		t.Fatalf("received %d callbacks, Played lists %d, want %d", len(rc.bodies), len(played.Callbacks), len(wantEvents))
	}
	// The fields of the reference's table, exactly.
	wantFields := map[string]string{
		"session:started":            "event room_id session_id started_at",
		"session:participant:joined": "event is_host name participant_id room_id session_id type",
		"session:participant:left":   "event is_host name participant_id room_id session_id type",
		"recording:started":          "event recording_id session_id",
		"recording:ended":            "duration ended_at event recording_id session_id started_at",
		"recording:uploaded":         "duration ended_at event recording_id room_id session_id started_at url",
		"session:ended":              "ended_at event room_id session_id started_at",
		"room:expired":               "created_at event expires_at room_id room_type",
	}
	for i, body := range rc.bodies {
		ev := body["event"]
		if ev != wantEvents[i] || played.Callbacks[i].Event != wantEvents[i] || played.Callbacks[i].StatusCode != 204 {
			t.Errorf("callback %d is %v (Played: %+v), want %s answered 204", i, ev, played.Callbacks[i], wantEvents[i])
		}
		if got := strings.Join(sortedKeys(body), " "); got != wantFields[wantEvents[i]] {
			t.Errorf("%s has fields %q, want %q", ev, got, wantFields[wantEvents[i]])
		}
		for _, k := range []string{"started_at", "ended_at", "expires_at", "created_at"} {
			if v, ok := body[k]; ok && !wireTimeRE.MatchString(v.(string)) {
				t.Errorf("%s %s = %q, not UTC with milliseconds", ev, k, v)
			}
		}
		if d, ok := body["duration"]; ok && d != 38.0 {
			t.Errorf("%s duration = %#v, want the JSON number 38", ev, d)
		}
		if ct := rc.headers[i].Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s Content-Type %q", ev, ct)
		}
	}
	// The defaults are the documented example's values.
	up := rc.bodies[7]
	for k, want := range map[string]any{
		"recording_id": meetingstest.DefaultRecordingID, "session_id": meetingstest.DefaultSessionID,
		"room_id": meetingstest.DefaultRoomID, "started_at": "2021-11-02T15:55:35.000Z", "ended_at": "2021-11-02T15:56:13.000Z",
	} {
		if up[k] != want {
			t.Errorf("recording:uploaded %s = %v, want %v", k, up[k], want)
		}
	}
	if rc.bodies[0]["started_at"] != "2021-11-02T15:53:28.753Z" {
		t.Errorf("session:started started_at = %v", rc.bodies[0]["started_at"])
	}
	if rc.bodies[1]["is_host"] != true || rc.bodies[2]["is_host"] != false {
		t.Errorf("is_host of the default participants: %v %v", rc.bodies[1]["is_host"], rc.bodies[2]["is_host"])
	}

	// The uploaded recording is in the state and its file downloads from the url sent.
	if up["url"] != played.DownloadURL || !strings.HasPrefix(played.DownloadURL, srv.StorageURL+"/") {
		t.Errorf("url %v, Played.DownloadURL %q, storage %q", up["url"], played.DownloadURL, srv.StorageURL)
	}
	rec, ok := srv.Recording(meetingstest.DefaultRecordingID)
	if !ok || rec.Status != meetingstest.StatusUploaded || rec.SessionID != meetingstest.DefaultSessionID {
		t.Errorf("recording in the state: %+v %v", rec, ok)
	}
	resp, file := send(t, mustRequest(t, "GET", played.DownloadURL))
	want, _ := meetingstest.GeneratedSHA256(meetingstest.DefaultFileSize)
	if resp.StatusCode != 200 || sha(file) != want {
		t.Errorf("download: %d, %d bytes, sha %s want %s", resp.StatusCode, len(file), sha(file), want)
	}
	if resp, _ := call(t, srv, "DELETE", "/recordings/"+meetingstest.DefaultRecordingID); resp.StatusCode != 204 {
		t.Errorf("delete the played recording: %d", resp.StatusCode)
	}
}

func sortedKeys(m map[string]any) []string {
	out := keys(m)
	sort.Strings(out)
	return out
}

func TestPlayMeetingUpdatesTheStateAsItGoes(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	seen := map[string]string{}
	var mu sync.Mutex
	rc := &receiver{onEvent: func(ev string, _ *http.Request) {
		rec, ok := srv.Recording("r1")
		mu.Lock()
		defer mu.Unlock()
		if ok {
			seen[ev] = rec.Status
		} else {
			seen[ev] = "absent"
		}
	}}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)
	_, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{
		RecordingID: "r1", SessionID: "s1", File: []byte("tiny"),
		Participants: []meetingstest.Participant{{ID: "p1", Name: "Ann", Type: "Guest", IsHost: true}},
	})
	must(t, err)
	for ev, want := range map[string]string{
		"session:started": "absent", "recording:started": "started", "recording:ended": "stopped",
		"recording:uploaded": "uploaded", "room:expired": "uploaded",
	} {
		if seen[ev] != want {
			t.Errorf("at %s the recording was %q, want %q", ev, seen[ev], want)
		}
	}
	if n, _ := srv.FileSize("r1"); n != 4 {
		t.Errorf("file size %d, want 4", n)
	}
	if len(rc.bodies) != 8 {
		t.Errorf("%d callbacks for one participant, want 8", len(rc.bodies))
	}
}

func TestPlayMeetingStopsAtARefusedCallback(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	rc := &receiver{status: map[string]int{"recording:started": 500}}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)
	played, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{})
	var cbErr *meetingstest.CallbackError
	if !errors.As(err, &cbErr) || cbErr.Event != "recording:started" || cbErr.StatusCode != 500 {
		t.Fatalf("err = %v, want a CallbackError for recording:started 500", err)
	}
	if want := "meetingstest: receiver answered 500 Internal Server Error to recording:started"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if n := len(played.Callbacks); n != 4 || played.Callbacks[3].StatusCode != 500 {
		t.Errorf("Played lists %d callbacks: %+v", n, played.Callbacks)
	}
	if len(rc.bodies) != 4 {
		t.Errorf("receiver got %d callbacks after the refusal, want 4", len(rc.bodies))
	}
}

func TestPlayMeetingSignsWithTheHook(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t, meetingstest.WithCallbackSigner(func(r *http.Request, body []byte) error {
		r.Header.Set("Authorization", "Bearer signed-"+sha(body)[:8])
		return nil
	}))
	rc := &receiver{}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)
	played, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{})
	must(t, err)
	for i, h := range rc.headers {
		if want := "Bearer signed-" + sha(played.Callbacks[i].Body)[:8]; h.Get("Authorization") != want {
			t.Errorf("callback %d Authorization %q, want %q", i, h.Get("Authorization"), want)
		}
	}

	failing := meetingstest.Start(t, meetingstest.WithCallbackSigner(func(*http.Request, []byte) error {
		return errors.New("no key")
	}))
	if _, err := failing.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{}); err == nil || !strings.Contains(err.Error(), "no key") {
		t.Errorf("a failing signer: err = %v", err)
	}
}

func TestPlayMeetingRefusesBadInput(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	for name, tc := range map[string]struct {
		url  string
		m    meetingstest.Meeting
		want string
	}{
		"relative URL":           {"/callbacks", meetingstest.Meeting{}, "not an absolute http(s) URL"},
		"other scheme":           {"ftp://x/", meetingstest.Meeting{}, "not an absolute http(s) URL"},
		"negative file size":     {"http://127.0.0.1:1/", meetingstest.Meeting{FileSize: -1}, "file size -1 is negative"},
		"size and File disagree": {"http://127.0.0.1:1/", meetingstest.Meeting{File: []byte("ab"), FileSize: 3}, "does not match"},
		"participant without ID": {"http://127.0.0.1:1/", meetingstest.Meeting{Participants: []meetingstest.Participant{{Name: "x"}}}, "empty ID"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := srv.PlayMeeting(context.Background(), tc.url, tc.m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestPlayMeetingStopsWhenTheContextIsDone(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	recv := httptest.NewServer(&receiver{})
	t.Cleanup(recv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := srv.PlayMeeting(ctx, recv.URL, meetingstest.Meeting{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
