package meetingstest_test

import (
	"strings"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestWithBasePathRefusesPathsAClientCannotUse(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"":            `must start with "/"`,
		"v1/meetings": `must start with "/"`,
		"/":           `must not end with "/"`,
		"/v1/":        `must not end with "/"`,
		"/a b":        "whitespace",
		"/a\tb":       "whitespace",
		"/a\nb":       "whitespace",
		"/a\x00b":     "control character",
		"/a%zz":       "invalid escape",
		"/a%2":        "invalid escape",
		"/a//b":       "empty segment",
		"//a":         "empty segment",
		"/a?x=1":      "query",
		"/a#frag":     "fragment",
		"/a{b}":       `must be escaped, as "/a%7Bb%7D"`,
		"/caf\u00e9":  `must be escaped, as "/caf%C3%A9"`,
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			srv, err := meetingstest.NewServer(meetingstest.WithBasePath(path))
			if err == nil {
				srv.Close()
				t.Fatalf("WithBasePath(%q) accepted; the client then gets URL %q", path, srv.URL)
			}
			if !strings.HasPrefix(err.Error(), "meetingstest: WithBasePath: ") || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %q, want it to name WithBasePath and say %q", err, want)
			}
		})
	}
}

func TestWithBasePathGivesAURLTheClientAccepts(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/v1/meetings", "/x", "/a%20b", "/a%2Fb/c", "/a:b@c~d"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			srv := meetingstest.Start(t, meetingstest.WithBasePath(path))
			if srv.BasePath() != path || !strings.HasSuffix(srv.URL, path) {
				t.Errorf("BasePath %q, URL %q; want both to end in %q", srv.BasePath(), srv.URL, path)
			}
			if _, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL)); err != nil {
				t.Errorf("the client refuses the server's URL: %v", err)
			}
			if resp, _ := call(t, srv, "GET", "/sessions/s/recordings"); resp.StatusCode != 404 || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
				t.Errorf("GET under the base path: %d %s, want the service's 404", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		})
	}
}
