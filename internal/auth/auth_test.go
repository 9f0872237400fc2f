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
		out := fmt.Sprintf(verb, b) + fmt.Sprintf(verb, *b) // the pointer and the value
		for _, secret := range []string{"aaa012", "abc123456789", encoded} {
			if strings.Contains(out, secret) {
				t.Errorf("fmt %s of Basic = %q: reveals %q", verb, out, secret)
			}
		}
	}
}

// TestNewBasicRefusesCredentialsBasicAuthWouldChange pins that a key with a
// ':' (the server would split "a:b" + "c" as key "a", secret "b:c") and
// control characters or whitespace-only values are refused, and that the
// error never repeats the value.
func TestNewBasicRefusesCredentialsBasicAuthWouldChange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, key, secret, want string }{
		{"colon in key", "SEKRETa:b", "c", "API key contains ':'"},
		{"newline in key", "SEKRETa\nb", "c", "API key contains a control character"},
		{"tab in secret", "k", "SEKRET\tx", "API secret contains a control character"},
		{"NUL in secret", "k", "SEKRET\x00", "API secret contains a control character"},
		{"DEL in key", "SEKRET\x7f", "c", "API key contains a control character"},
		{"space-only key", " ", "c", "API key is only whitespace"},
		{"space-only secret", "k", "  ", "API secret is only whitespace"},
	} {
		_, err := NewBasic(tc.key, tc.secret)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want one starting %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "SEKRET") {
			t.Errorf("%s: error repeats the value: %v", tc.name, err)
		}
	}
	// A ':' is fine in the secret (RFC 7617 splits at the first one), and
	// so is non-ASCII text.
	for _, tc := range [][2]string{{"k", "a:b"}, {"clé", "sécret"}} {
		if _, err := NewBasic(tc[0], tc[1]); err != nil {
			t.Errorf("NewBasic(%q, %q) = %v, want success", tc[0], tc[1], err)
		}
	}
}
