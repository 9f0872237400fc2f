package callbacks_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vonage-meetings/go-sdk/callbacks"
)

// The handler with a verifier: signed callbacks reach fn, everything else is a
// 401 that never reaches fn; without the option nothing is checked.
func TestHandlerWithSignatureVerifier(t *testing.T) {
	t.Parallel()
	body := `{"event":"session:started","session_id":"s1","room_id":"r1","started_at":"2021-11-02T15:53:28.753Z"}`
	good, err := callbacks.Sign([]byte(body), secret)
	if err != nil {
		t.Fatal(err)
	}
	otherSecret, err := callbacks.Sign([]byte(body), []byte("another-signature-secret"))
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(body, "s1", "s2", 1)
	v, err := callbacks.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		opts       []callbacks.HandlerOption
		body, auth string
		wantStatus int
	}{
		{"signed", []callbacks.HandlerOption{callbacks.WithSignatureVerifier(v)}, body, good, http.StatusNoContent},
		{"unsigned", []callbacks.HandlerOption{callbacks.WithSignatureVerifier(v)}, body, "", http.StatusUnauthorized},
		{"signed with another secret", []callbacks.HandlerOption{callbacks.WithSignatureVerifier(v)}, body, otherSecret, http.StatusUnauthorized},
		{"body changed after signing", []callbacks.HandlerOption{callbacks.WithSignatureVerifier(v)}, tampered, good, http.StatusUnauthorized},
		{"nil verifier fails closed", []callbacks.HandlerOption{callbacks.WithSignatureVerifier(nil)}, body, good, http.StatusUnauthorized},
		{"verification off: unsigned accepted", nil, body, "", http.StatusNoContent},
		{"verification off: bad signature ignored", nil, body, "Bearer garbage", http.StatusNoContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			var reported error
			opts := append([]callbacks.HandlerOption{callbacks.WithErrorFunc(func(_ *http.Request, _ int, err error) { reported = err })}, tc.opts...)
			h := callbacks.NewHandler(func(context.Context, callbacks.Event) error { calls.Add(1); return nil }, opts...)
			req := httptest.NewRequest(http.MethodPost, "/callbacks", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d (%s), want %d", rec.Code, strings.TrimSpace(rec.Body.String()), tc.wantStatus)
			}
			wantCalls := int32(0)
			if tc.wantStatus == http.StatusNoContent {
				wantCalls = 1
			}
			if calls.Load() != wantCalls {
				t.Errorf("fn called %d times, want %d", calls.Load(), wantCalls)
			}
			if tc.wantStatus == http.StatusUnauthorized {
				if got := rec.Header().Get("WWW-Authenticate"); got != "Bearer" {
					t.Errorf("WWW-Authenticate = %q, want Bearer", got)
				}
				if strings.Contains(rec.Body.String(), string(secret)) || (tc.auth != "" && strings.Contains(rec.Body.String(), tc.auth[7:])) {
					t.Errorf("401 body reveals the secret or token: %q", rec.Body.String())
				}
				// Which check failed is for the receiver's log, not for the sender.
				if got := rec.Body.String(); got != "invalid callback signature\n" {
					t.Errorf("401 body = %q, want the generic \"invalid callback signature\"", got)
				}
				if !errors.Is(reported, callbacks.ErrInvalidSignature) || reported.Error() == "callbacks: invalid signature" {
					t.Errorf("WithErrorFunc got %v, want the detailed ErrInvalidSignature", reported)
				}
			}
		})
	}
}

func TestZeroVerifierRefusesInsteadOfPanicking(t *testing.T) {
	t.Parallel()
	good, err := callbacks.Sign([]byte(`{}`), secret)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]*callbacks.Verifier{"nil": nil, "zero": {}} {
		if err := v.Verify(good, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "NewVerifier") {
			t.Errorf("%s Verifier: Verify error = %v, want one pointing at NewVerifier", name, err)
		} else if !errors.Is(err, callbacks.ErrInvalidSignature) {
			t.Errorf("%s Verifier: Verify error %v does not wrap ErrInvalidSignature, as every Verify failure must", name, err)
		}
	}
}

// WithSignatureVerifier(nil) fails closed, and its error is a signature
// failure like any other: it wraps ErrInvalidSignature.
func TestHandlerWithNilVerifierReportsErrInvalidSignature(t *testing.T) {
	t.Parallel()
	var reported error
	h := callbacks.NewHandler(func(context.Context, callbacks.Event) error { return nil },
		callbacks.WithSignatureVerifier(nil),
		callbacks.WithErrorFunc(func(_ *http.Request, _ int, err error) { reported = err }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"event":"session:started"}`)))
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", rec.Code)
	}
	if !errors.Is(reported, callbacks.ErrInvalidSignature) || !strings.Contains(reported.Error(), "nil *Verifier") {
		t.Errorf("reported %v, want ErrInvalidSignature naming the nil *Verifier", reported)
	}
}
