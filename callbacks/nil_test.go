package callbacks

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Nil arguments are bad input: a clear error (or nil), never a panic.
func TestNilArgumentsGiveErrorsNotPanics(t *testing.T) {
	t.Parallel()
	t.Run("ParseRequest(nil)", func(t *testing.T) {
		t.Parallel()
		ev, err := ParseRequest(nil)
		if ev != nil || !errors.Is(err, ErrInvalidPayload) || !strings.Contains(err.Error(), "request is nil") {
			t.Errorf("ParseRequest(nil) = %v, %v; want an ErrInvalidPayload saying the request is nil", ev, err)
		}
	})
	t.Run("VerifyRequest(nil)", func(t *testing.T) {
		t.Parallel()
		v, err := NewVerifier([]byte("k"))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.VerifyRequest(nil); !errors.Is(err, ErrInvalidSignature) || !strings.Contains(err.Error(), "request is nil") {
			t.Errorf("VerifyRequest(nil) = %v, want ErrInvalidSignature saying the request is nil", err)
		}
	})
	t.Run("VerifyRequest of a request without a header leaves the body unread", func(t *testing.T) {
		t.Parallel()
		v, err := NewVerifier([]byte("k"))
		if err != nil {
			t.Fatal(err)
		}
		body := &countingReader{r: strings.NewReader(`{"event":"x:y"}`)}
		r := httptest.NewRequest(http.MethodPost, "/", body)
		r.Header = nil
		if err := v.VerifyRequest(r); !errors.Is(err, ErrInvalidSignature) || !strings.Contains(err.Error(), "no Authorization header") {
			t.Errorf("VerifyRequest = %v, want ErrInvalidSignature for the missing header", err)
		}
		if body.read != 0 {
			t.Errorf("read %d bytes of a request that cannot verify", body.read)
		}
	})
	t.Run("VerifyRequest on a nil Verifier", func(t *testing.T) {
		t.Parallel()
		var v *Verifier
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(`{}`)))
		if err := v.VerifyRequest(r); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("VerifyRequest = %v, want ErrInvalidSignature", err)
		}
	})
	t.Run("HeaderFromContext(nil)", func(t *testing.T) {
		t.Parallel()
		var ctx context.Context // a nil context, as a careless caller passes it
		if h := HeaderFromContext(ctx); h != nil {
			t.Errorf("HeaderFromContext(nil) = %v, want nil", h)
		}
	})
}
