package meetings_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
)

func TestNewClientRefusesEmptyCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ key, secret, wantName string }{
		{"", "", "apiKey and apiSecret"},
		{"", "s", "apiKey"},
		{"k", "", "apiSecret"},
	} {
		_, err := meetings.NewClient(tc.key, tc.secret)
		var argErr *meetings.ArgumentError
		if !errors.As(err, &argErr) || argErr.Name != tc.wantName {
			t.Errorf("NewClient(%q, %q) error = %v, want an *ArgumentError naming %s", tc.key, tc.secret, err, tc.wantName)
		}
	}
}

// TestNewClientRefusesCredentialsBasicAuthWouldChange pins that a key or
// secret HTTP Basic auth cannot carry as given is refused with an
// *ArgumentError naming it, never repeating it: a ':' in the key (the server
// would read "a:b" and "c" as key "a" and secret "b:c"), a control character,
// or only whitespace.
func TestNewClientRefusesCredentialsBasicAuthWouldChange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, key, secret, wantName, wantReason string }{
		{"colon in key", "SEKRETa:b", "c", "apiKey", "contains ':'"},
		{"newline in key", "SEKRETa\nb", "c", "apiKey", "control character"},
		{"CR in secret", "k", "SEKRET\r", "apiSecret", "control character"},
		{"space-only key", " ", "c", "apiKey", "only whitespace"},
		{"whitespace-only secret", "k", " \u00a0", "apiSecret", "only whitespace"},
	} {
		_, err := meetings.NewClient(tc.key, tc.secret)
		var argErr *meetings.ArgumentError
		if !errors.As(err, &argErr) || argErr.Name != tc.wantName || !strings.Contains(argErr.Reason, tc.wantReason) {
			t.Errorf("%s: error = %v, want an *ArgumentError naming %s that says %q", tc.name, err, tc.wantName, tc.wantReason)
		}
		if err != nil && strings.Contains(err.Error(), "SEKRET") {
			t.Errorf("%s: error repeats the value: %v", tc.name, err)
		}
	}
	if _, err := meetings.NewClient("key", "se:cret"); err != nil {
		t.Errorf("a ':' in the secret is allowed: %v", err)
	}
}

func TestNewClientFromEnvRefusesCredentialsBasicAuthWouldChange(t *testing.T) {
	// Not parallel: t.Setenv.
	for _, tc := range []struct{ key, secret, wantName string }{
		{"SEKRETa:b", "c", meetings.EnvAPIKey},
		{"SEKRETkey\n", "c", meetings.EnvAPIKey}, // a trailing newline from a file
		{"key", "SEKRET\n", meetings.EnvAPISecret},
		{"key", " ", meetings.EnvAPISecret},
	} {
		t.Setenv(meetings.EnvAPIKey, tc.key)
		t.Setenv(meetings.EnvAPISecret, tc.secret)
		_, err := meetings.NewClientFromEnv()
		var argErr *meetings.ArgumentError
		if !errors.As(err, &argErr) || argErr.Name != tc.wantName {
			t.Errorf("NewClientFromEnv with %s=%q, %s=%q: error = %v, want an *ArgumentError naming %s",
				meetings.EnvAPIKey, tc.key, meetings.EnvAPISecret, tc.secret, err, tc.wantName)
		}
		if err != nil && strings.Contains(err.Error(), "SEKRET") {
			t.Errorf("error repeats the value: %v", err)
		}
	}
}

func TestOptionsAreValidated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		opt      meetings.Option
		wantName string
		wantText string
	}{
		{"http for a public host", meetings.WithBaseURL("http://api-eu.vonage.com/beta/meetings"), "WithBaseURL", "https is required"},
		{"other scheme", meetings.WithBaseURL("ftp://127.0.0.1/"), "WithBaseURL", `scheme "ftp"`},
		{"relative URL", meetings.WithBaseURL("/beta/meetings"), "WithBaseURL", "absolute"},
		{"empty URL", meetings.WithBaseURL(""), "WithBaseURL", "empty"},
		{"user info", meetings.WithBaseURL("https://user:pw@api.test/"), "WithBaseURL", "user information"},
		{"query", meetings.WithBaseURL("https://api.test/?a=b"), "WithBaseURL", "query"},
		{"fragment", meetings.WithBaseURL("https://api.test/#x"), "WithBaseURL", "fragment"},
		{"nil HTTP client", meetings.WithHTTPClient(nil), "WithHTTPClient", "nil"},
		{"zero timeout", meetings.WithTimeout(0), "WithTimeout", "not a positive"},
		{"negative timeout", meetings.WithTimeout(-time.Second), "WithTimeout", "not a positive"},
		{"negative retries", meetings.WithRetryPolicy(-1, time.Second, time.Second), "WithRetryPolicy", "negative"},
		{"too many retries", meetings.WithRetryPolicy(101, time.Second, time.Second), "WithRetryPolicy", "more than 100"},
		{"zero min wait", meetings.WithRetryPolicy(3, 0, time.Second), "WithRetryPolicy", "minWait"},
		{"max below min", meetings.WithRetryPolicy(3, time.Second, time.Millisecond), "WithRetryPolicy", "less than minWait"},
		{"nil logger", meetings.WithLogger(nil), "WithLogger", "nil"},
		{"empty user agent", meetings.WithUserAgent(" "), "WithUserAgent", "empty"},
		{"header injection", meetings.WithUserAgent("a\r\nX-Evil: 1"), "WithUserAgent", "printable ASCII"},
		{"nil option", nil, "Option", "nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := meetings.NewClient(testKey, testSecret, tc.opt)
			var argErr *meetings.ArgumentError
			if !errors.As(err, &argErr) || argErr.Name != tc.wantName || !strings.Contains(argErr.Reason, tc.wantText) {
				t.Fatalf("error = %v, want an *ArgumentError naming %s and saying %q", err, tc.wantName, tc.wantText)
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Errorf("Error() = %q repeats the URL's password", err)
			}
		})
	}
}

func TestBaseURLsAccepted(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://api-eu.vonage.com/beta/meetings",
		"https://api-eu.vonage.com/v1/meetings/",
		"http://127.0.0.1:8080",
		"http://127.1.2.3/x",
		"http://[::1]:9000/beta/meetings",
		"http://localhost:1234",
		"HTTP://LOCALHOST/",
	} {
		if _, err := meetings.NewClient(testKey, testSecret, meetings.WithBaseURL(raw)); err != nil {
			t.Errorf("WithBaseURL(%q): %v", raw, err)
		}
	}
}

func TestRequestsCarryHeadersAndPrefix(t *testing.T) {
	t.Parallel()
	c, mock := newMockClient(t, meetings.WithUserAgent("my-app/1.2"))
	var got http.Header
	var path string
	mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		got, path = r.Header, r.URL.Path
		return &http.Response{StatusCode: 204, Body: http.NoBody, Header: http.Header{}}, nil
	})
	if err := c.Recordings.Delete(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if path != "/beta/meetings/recordings/x" {
		t.Errorf("path = %q", path)
	}
	if got.Get("Authorization") != "Basic YWFhMDEyOmFiYzEyMzQ1Njc4OQ==" {
		t.Errorf("Authorization = %q, want the seed's Basic header", got.Get("Authorization"))
	}
	if got.Get("Accept") != "application/json" || got.Get("Content-Type") != "" {
		t.Errorf("Accept, Content-Type = %q, %q", got.Get("Accept"), got.Get("Content-Type"))
	}
	want := regexp.MustCompile(`^my-app/1\.2 vonage-meetings-go/` + regexp.QuoteMeta(meetings.Version) +
		` \(` + runtime.GOOS + ` ` + runtime.GOARCH + `\) go/\d+\.\d+`)
	if ua := got.Get("User-Agent"); !want.MatchString(ua) {
		t.Errorf("User-Agent = %q, want %s", ua, want)
	}
}

func TestNewClientFromEnv(t *testing.T) {
	// Not parallel: t.Setenv.
	t.Setenv(meetings.EnvAPIKey, testKey)
	t.Setenv(meetings.EnvAPISecret, testSecret)
	t.Setenv(meetings.EnvBaseURL, "http://127.0.0.1:1/v1/meetings")
	c, err := meetings.NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c); !strings.Contains(got, `"http://127.0.0.1:1/v1/meetings"`) {
		t.Errorf("client = %s, want the environment's base URL", got)
	}
	c, err = meetings.NewClientFromEnv(meetings.WithBaseURL("https://api.test"))
	if err != nil || !strings.Contains(fmt.Sprint(c), `"https://api.test"`) {
		t.Errorf("an option should win over the environment: %v, %v", c, err)
	}

	t.Setenv(meetings.EnvBaseURL, "http://example.com")
	_, err = meetings.NewClientFromEnv()
	var argErr *meetings.ArgumentError
	if !errors.As(err, &argErr) || argErr.Name != meetings.EnvBaseURL {
		t.Errorf("bad %s: error = %v", meetings.EnvBaseURL, err)
	}

	t.Setenv(meetings.EnvBaseURL, "")
	t.Setenv(meetings.EnvAPISecret, "")
	_, err = meetings.NewClientFromEnv()
	if !errors.As(err, &argErr) || argErr.Name != meetings.EnvAPISecret {
		t.Errorf("missing secret: error = %v, want one naming %s", err, meetings.EnvAPISecret)
	}
	c, err = meetings.NewClientFromEnv(meetings.WithBaseURL("https://api.test"), meetings.WithRetryPolicy(0, 0, 0))
	if err == nil {
		t.Errorf("client without a secret: %v", c)
	}
}

func TestClientPrintsNoCredentials(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		got := fmt.Sprintf(verb, c)
		if want := `meetings.Client{BaseURL: "https://api.test/beta/meetings", Auth: "basic"}`; got != want {
			t.Errorf("%s of client = %s, want %s", verb, got, want)
		}
	}
}
