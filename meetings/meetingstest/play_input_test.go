package meetingstest_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestPlayMeetingRefusesBadInputBeforeTouchingState(t *testing.T) {
	t.Parallel()
	rc := &receiver{}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for name, tc := range map[string]struct {
		ctx  context.Context
		url  string
		want string
	}{
		"nil context":       {nil, recv.URL, "ctx is nil"},
		"cancelled context": {cancelled, recv.URL, "context canceled"},
		"empty URL":         {context.Background(), "", "receiverURL is empty"},
		"relative URL":      {context.Background(), "/callbacks", "receiverURL"},
		"no host":           {context.Background(), "http:///callbacks", "receiverURL"},
		"other scheme":      {context.Background(), "ftp://127.0.0.1/", "receiverURL"},
		"unparsable URL":    {context.Background(), "http://127.0.0.1:1/%zz", "receiverURL"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := meetingstest.Start(t)
			_, err := srv.PlayMeeting(tc.ctx, tc.url, meetingstest.Meeting{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
			if _, ok := srv.SessionRecordings(meetingstest.DefaultSessionID); ok {
				t.Error("the session was created before the input was refused")
			}
			if _, ok := srv.FileSize(meetingstest.DefaultRecordingID); ok {
				t.Error("the file was created before the input was refused")
			}
		})
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bodies) != 0 {
		t.Errorf("the receiver got %d callbacks for refused input", len(rc.bodies))
	}
}

func TestPlayMeetingErrorsHideTheReceiverURLsCredentials(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	closed := httptest.NewServer(&receiver{})
	host := strings.TrimPrefix(closed.URL, "http://")
	closed.Close() // a refused connection, on loopback
	for _, u := range []string{
		"http://alice:hunter2@" + host + "/cb?token=sekrit",  // refused when sent
		"ftp://alice:hunter2@" + host + "/cb?token=sekrit",   // refused scheme
		"http://alice:hunter2@" + host + "/%zz?token=sekrit", // unparsable
		"//alice:hunter2@" + host + "/cb?token=sekrit",       // no scheme
	} {
		_, err := srv.PlayMeeting(context.Background(), u, meetingstest.Meeting{})
		if err == nil {
			t.Errorf("PlayMeeting(%q) succeeded", u)
			continue
		}
		for _, secret := range []string{"alice", "hunter2", "sekrit"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("PlayMeeting(%q) error shows %q: %v", u, secret, err)
			}
		}
	}
}
