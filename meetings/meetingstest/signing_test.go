package meetingstest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// signedReceiver is a callbacks handler that verifies signatures with secret
// and counts the events that reached it.
func signedReceiver(t *testing.T, secret []byte) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	v, err := callbacks.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	recv := httptest.NewServer(callbacks.NewHandler(func(context.Context, callbacks.Event) error {
		n.Add(1)
		return nil
	}, callbacks.WithSignatureVerifier(v)))
	t.Cleanup(recv.Close)
	return recv, &n
}

func TestPlayMeetingSignsCallbacksAVerifierAccepts(t *testing.T) {
	t.Parallel()
	secret := []byte("meetingstest-signature-secret")
	srv := meetingstest.Start(t, meetingstest.WithCallbackSignatureSecret(secret))
	recv, n := signedReceiver(t, secret)
	played, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{})
	if err != nil {
		t.Fatalf("PlayMeeting to a verifying receiver: %v", err)
	}
	if got, want := int(n.Load()), len(played.Callbacks); got != want || want < 8 {
		t.Errorf("receiver got %d events, PlayMeeting sent %d (want every one of at least 8)", got, want)
	}
}

func TestPlayMeetingSignedWithAnotherSecretIsRefused(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t, meetingstest.WithCallbackSignatureSecret([]byte("the-wrong-secret")))
	recv, n := signedReceiver(t, []byte("the-receivers-secret"))
	_, err := srv.PlayMeeting(context.Background(), recv.URL, meetingstest.Meeting{})
	var ce *meetingstest.CallbackError
	if !errors.As(err, &ce) || ce.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a *CallbackError with status 401", err)
	}
	if n.Load() != 0 {
		t.Errorf("%d events reached the function despite a bad signature", n.Load())
	}
}

func TestWithCallbackSignatureSecretRefusesEmpty(t *testing.T) {
	t.Parallel()
	srv, err := meetingstest.NewServer(meetingstest.WithCallbackSignatureSecret(nil))
	if err == nil {
		srv.Close()
		t.Fatal("NewServer accepted an empty signature secret")
	}
	if !strings.Contains(err.Error(), "WithCallbackSignatureSecret") {
		t.Errorf("error %q does not name the option", err)
	}
}
