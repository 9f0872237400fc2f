package auth

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestNewBasicRefusesEmptyCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ key, secret, want string }{
		{"", "", "API key and secret are empty"},
		{"", "s", "API key is empty"},
		{"k", "", "API secret is empty"},
	} {
		if _, err := NewBasic(tc.key, tc.secret); err == nil || err.Error() != tc.want {
			t.Errorf("NewBasic(%q, %q) error = %v, want %q", tc.key, tc.secret, err, tc.want)
		}
	}
}

func TestBasicSetsHeaderAndHidesIt(t *testing.T) {
	t.Parallel()
	b, err := NewBasic("aaa012", "abc123456789")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	if err := b.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	// The seed's own example header.
	if got, want := req.Header.Get("Authorization"), "Basic YWFhMDEyOmFiYzEyMzQ1Njc4OQ=="; got != want {
		t.Fatalf("Authorization = %q, want %q", got, want)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte("aaa012:abc123456789"))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out := fmt.Sprintf(verb, b)
		for _, secret := range []string{"aaa012", "abc123456789", encoded} {
			if strings.Contains(out, secret) {
				t.Errorf("fmt %s of Basic = %q: reveals %q", verb, out, secret)
			}
		}
	}
}
