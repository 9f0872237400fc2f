package meetingstest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// receiver records every callback and answers status[event] (204 by default).
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	bodies  []map[string]any
	headers []http.Header
	status  map[string]int
}

func newReceiver(t *testing.T, status map[string]int) *receiver {
	rc := &receiver{status: status}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, m)
		rc.headers = append(rc.headers, r.Header.Clone())
		code := rc.status[m["event"].(string)]
		rc.mu.Unlock()
		w.WriteHeader(max(code, http.StatusNoContent))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) events() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, b := range rc.bodies {
		out = append(out, b["event"].(string))
	}
	return out
}

var allEvents = []string{
	"session:started", "session:participant:joined", "session:participant:joined",
	"recording:started", "recording:ended", "session:participant:left", "session:participant:left",
	"recording:uploaded", "session:ended", "room:expired",
}

func TestPlayMeetingSendsTheServicePayloads(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	rc := newReceiver(t, nil)
	played, err := srv.PlayMeeting(context.Background(), rc.URL, meetingstest.Meeting{})
	require.NoError(t, err)
	require.Equal(t, allEvents, rc.events())
	require.Len(t, played.Callbacks, len(allEvents))

	wantFields := map[string]string{ // the reference's table, exactly
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
		ev := allEvents[i]
		var keys []string
		for k := range body {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		assert.Equal(t, wantFields[ev], strings.Join(keys, " "), ev)
		for _, k := range []string{"started_at", "ended_at", "expires_at", "created_at"} {
			if v, ok := body[k]; ok {
				assert.Regexp(t, wireTimeRE, v, "%s %s", ev, k)
			}
		}
		assert.Equal(t, "application/json", rc.headers[i].Get("Content-Type"))
		assert.Empty(t, rc.headers[i].Get("Authorization"), "unsigned without WithCallbackSignatureSecret")
		cb := played.Callbacks[i]
		assert.Equal(t, ev, cb.Event)
		assert.Equal(t, 204, cb.StatusCode)
		assert.Equal(t, rc.URL, cb.URL)
		assert.JSONEq(t, string(mustJSON(t, body)), string(cb.Body))
	}
	up := rc.bodies[7]
	assert.Equal(t, map[string]any{
		"event": "recording:uploaded", "recording_id": meetingstest.DefaultRecordingID, "session_id": meetingstest.DefaultSessionID,
		"room_id": meetingstest.DefaultRoomID, "started_at": "2021-11-02T15:55:35.000Z", "ended_at": "2021-11-02T15:56:13.000Z",
		"duration": 38.0, "url": played.DownloadURL,
	}, up)
	assert.Equal(t, "2021-11-02T15:53:28.753Z", rc.bodies[0]["started_at"])
	assert.Equal(t, true, rc.bodies[1]["is_host"])
	assert.Equal(t, false, rc.bodies[2]["is_host"])
	assert.Equal(t, "instant", rc.bodies[9]["room_type"])

	// The recording is in the state, its file downloads from the url sent, and it can be deleted.
	rec, ok := meetingstest.RecordingOf(srv, meetingstest.DefaultRecordingID)
	require.True(t, ok)
	assert.Equal(t, meetingstest.StatusUploaded, rec.Status)
	resp, file := send(t, mustRequest(t, "GET", played.DownloadURL))
	want, _ := meetingstest.GeneratedSHA256(meetingstest.DefaultFileSize)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, want, sha(file))
	resp, _ = call(t, srv, "DELETE", "/recordings/"+meetingstest.DefaultRecordingID, nil)
	assert.Equal(t, 204, resp.StatusCode)
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestPlayMeetingUpdatesTheStateBeforeEachEvent(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	seen := map[string]string{}
	var mu sync.Mutex
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		rec, _ := meetingstest.RecordingOf(srv, "r1")
		mu.Lock()
		seen[m["event"].(string)] = rec.Status
		mu.Unlock()
		w.WriteHeader(204)
	}))
	t.Cleanup(recv.Close)
	played, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{
		RecordingID: "r1", SessionID: "s1", File: []byte("tiny"), RecordingDuration: 1500 * time.Millisecond,
		Participants: []meetingstest.Participant{{ID: "p1", Name: "Ann", Type: "Guest", IsHost: true}},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"session:started": "", "session:participant:joined": "", "recording:started": "started", "recording:ended": "stopped",
		"session:participant:left": "stopped", "recording:uploaded": "uploaded", "session:ended": "uploaded", "room:expired": "uploaded"}, seen)
	assert.Len(t, played.Callbacks, 8)
	assert.Equal(t, int64(4), played.Meeting.FileSize)
	assert.Contains(t, string(played.Callbacks[3].Body), `"duration":1.5`)
	resp, body := send(t, mustRequest(t, "GET", played.DownloadURL))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "tiny", string(body))
}

func TestPlayMeetingIntoACreatedRoomUsesItsCallbackURLs(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	rooms, sessions, recs, fallback := newReceiver(t, nil), newReceiver(t, nil), newReceiver(t, nil), newReceiver(t, nil)
	room := longTermRoom(t, srv, map[string]any{"callback_urls": map[string]any{
		"rooms_callback_url": rooms.URL + "/rooms", "sessions_callback_url": sessions.URL, "recordings_callback_url": recs.URL,
	}})
	played, err := srv.PlayMeeting(context.Background(), fallback.URL, meetingstest.Meeting{RoomID: room["id"].(string)})
	require.NoError(t, err)
	assert.Equal(t, []string{"room:expired"}, rooms.events())
	assert.Equal(t, []string{"session:started", "session:participant:joined", "session:participant:joined",
		"session:participant:left", "session:participant:left", "session:ended"}, sessions.events())
	assert.Equal(t, []string{"recording:started", "recording:ended", "recording:uploaded"}, recs.events())
	assert.Empty(t, fallback.events())
	assert.Equal(t, rooms.URL+"/rooms", played.Callbacks[len(played.Callbacks)-1].URL)

	expired := rooms.bodies[0]
	assert.Equal(t, "long_term", expired["room_type"], "the room's type")
	assert.Equal(t, room["expires_at"], expired["expires_at"])
	assert.Equal(t, room["created_at"], expired["created_at"])
	assert.Equal(t, "long_term", played.Meeting.RoomType)
	assert.Equal(t, false, get(t, srv, "/rooms/"+room["id"].(string))["is_available"], "an expired room is no longer available")

	// A room with only some callback URLs sends the rest to receiverURL.
	partial := longTermRoom(t, srv, map[string]any{"callback_urls": map[string]any{"recordings_callback_url": recs.URL}})
	_, err = srv.PlayMeeting(context.Background(), fallback.URL, meetingstest.Meeting{RoomID: partial["id"].(string), RecordingID: "r2"})
	require.NoError(t, err)
	assert.Len(t, fallback.events(), 7)
	assert.Len(t, recs.events(), 6)
}

func TestPlayMeetingStopsAtARefusedCallback(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	rc := newReceiver(t, map[string]int{"recording:uploaded": 500})
	played, err := srv.PlayMeeting(context.Background(), rc.URL, meetingstest.Meeting{})
	var ce *meetingstest.CallbackError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, meetingstest.CallbackError{Event: "recording:uploaded", StatusCode: 500}, *ce)
	assert.Equal(t, "meetingstest: receiver answered 500 Internal Server Error to recording:uploaded", err.Error())
	assert.Len(t, played.Callbacks, 8, "the refused one included")
	assert.Equal(t, allEvents[:8], rc.events())
}

func TestPlayMeetingErrors(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := srv.PlayMeeting(ctx, newReceiver(t, nil).URL, meetingstest.Meeting{})
	assert.ErrorIs(t, err, context.Canceled)

	_, err = srv.PlayMeeting(context.Background(), "http://user:pass@127.0.0.1:1/hook?token=s3cret", meetingstest.Meeting{})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "meetingstest: PlayMeeting: send session:started: "), err.Error())
	assert.NotContains(t, err.Error(), "s3cret", "the receiver URL's query may hold a credential")
	assert.NotContains(t, err.Error(), "pass")

	_, err = srv.PlayMeeting(context.Background(), "::not a url", meetingstest.Meeting{})
	assert.Error(t, err)
	_, err = srv.PlayMeeting(context.Background(), newReceiver(t, nil).URL, meetingstest.Meeting{FileSize: -1, File: nil, RecordingID: "x", SessionID: "y"})
	assert.NoError(t, err, "a FileSize of 0 or less is the default")
}

func TestPlayMeetingSignsCallbacksWithTheSecret(t *testing.T) {
	t.Parallel()
	secret := []byte("meetingstest-signature-secret")
	srv := meetingstest.Start(t, meetingstest.WithCallbackSignatureSecret(secret))
	rc := newReceiver(t, nil)
	played, err := srv.PlayMeeting(context.Background(), rc.URL, meetingstest.Meeting{})
	require.NoError(t, err)
	for i, h := range rc.headers {
		token, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer ")
		require.True(t, ok, h.Get("Authorization"))
		parts := strings.Split(token, ".")
		require.Len(t, parts, 3)
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		assert.Equal(t, base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), parts[2], "HS256 with the secret")
		claims, err := base64.RawURLEncoding.DecodeString(parts[1])
		require.NoError(t, err)
		var c struct {
			PayloadHash string `json:"payload_hash"`
		}
		require.NoError(t, json.Unmarshal(claims, &c))
		sum := sha256.Sum256(played.Callbacks[i].Body)
		assert.Equal(t, hex.EncodeToString(sum[:]), c.PayloadHash, "over the exact body")
	}
}
