package meetings_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func exampleKey() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(testKey())
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), err
}

func mockClient(t *testing.T, newClient func(...meetings.Option) (*meetings.Client, error), opts ...meetings.Option) (*meetings.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := newClient(append([]meetings.Option{meetings.WithHTTPClient(&http.Client{Transport: mt})}, opts...)...)
	require.NoError(t, err)
	return c, mt
}

func TestDefaultBaseURLs(t *testing.T) {
	t.Parallel()
	key, err := exampleKey()
	require.NoError(t, err)
	basic, mt := mockClient(t, func(o ...meetings.Option) (*meetings.Client, error) { return meetings.NewClient("k", "s", o...) })
	mt.RegisterResponder(http.MethodGet, meetings.DefaultBaseURL+"/recordings/r1", httpmock.NewStringResponder(200, `{"id":"r1"}`))
	_, err = basic.Recordings.Get(context.Background(), "r1")
	assert.NoError(t, err)

	app, mt := mockClient(t, func(o ...meetings.Option) (*meetings.Client, error) {
		return meetings.NewApplicationClient("app-1", key, o...)
	})
	var auth string
	mt.RegisterResponder(http.MethodGet, meetings.DefaultApplicationBaseURL+"/recordings/r1", func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization")
		return httpmock.NewStringResponse(200, `{"id":"r1"}`), nil
	})
	_, err = app.Recordings.Get(context.Background(), "r1")
	require.NoError(t, err)
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	require.True(t, ok)
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return &testKey().PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}))
	require.NoError(t, err)
	assert.Equal(t, "app-1", claims["application_id"])
}

func TestOptionsAreChecked(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]meetings.Option{
		"WithHTTPClient":  meetings.WithHTTPClient(nil),
		"WithTimeout":     meetings.WithTimeout(0),
		"WithRetryPolicy": meetings.WithRetryPolicy(-1, time.Second, time.Second),
		"WithUserAgent":   meetings.WithUserAgent("bad\nagent"),
		"base URL":        meetings.WithBaseURL("http://api.example.com"),
	} {
		_, err := meetings.NewClient("k", "s", opt)
		var argErr *meetings.ArgumentError
		require.ErrorAs(t, err, &argErr, name)
		assert.Equal(t, name, argErr.Name)
	}
	_, err := meetings.NewClient("k", "s", meetings.WithRetryPolicy(2, time.Second, time.Millisecond))
	assert.Error(t, err, "maxWait below minWait")
	_, err = meetings.NewClient("k", "s", nil, meetings.WithRetryPolicy(0, 0, 0))
	assert.NoError(t, err, "a nil option is ignored; 0 retries needs no waits")
}

func TestWithHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt, Timeout: time.Minute}
	c, err := meetings.NewClient("k", "s", meetings.WithHTTPClient(hc), meetings.WithBaseURL("https://api.example.test"))
	require.NoError(t, err)
	mt.RegisterResponder(http.MethodGet, "https://api.example.test/recordings/r", httpmock.NewStringResponder(200, `{"id":"r"}`))
	_, err = c.Recordings.Get(context.Background(), "r")
	require.NoError(t, err)
	assert.Same(t, mt, hc.Transport)
	assert.Nil(t, hc.CheckRedirect)
	assert.Equal(t, time.Minute, hc.Timeout)
}

func TestApplicationKeyFile(t *testing.T) {
	t.Parallel()
	_, err := meetings.NewApplicationClientFromKeyFile("app", filepath.Join(t.TempDir(), "missing.pem"))
	assert.ErrorIs(t, err, fs.ErrNotExist)

	key, err := exampleKey()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(path, key, 0o600))
	_, err = meetings.NewApplicationClientFromKeyFile("app", path)
	assert.NoError(t, err)

	_, err = meetings.NewApplicationClient("app", []byte("not a key"))
	var argErr *meetings.ArgumentError
	assert.ErrorAs(t, err, &argErr)
}

func TestNewClientFromEnv(t *testing.T) { // not parallel: it sets the environment
	key, err := exampleKey()
	require.NoError(t, err)
	keyPath := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(keyPath, key, 0o600))
	for _, tt := range []struct {
		name    string
		env     map[string]string
		wantErr bool
	}{
		{"key and secret", map[string]string{meetings.EnvAPIKey: "k", meetings.EnvAPISecret: "s"}, false},
		{"application", map[string]string{meetings.EnvApplicationID: "app", meetings.EnvPrivateKeyPath: keyPath}, false},
		{"key and secret win over an application", map[string]string{meetings.EnvAPIKey: "k", meetings.EnvAPISecret: "s",
			meetings.EnvApplicationID: "app"}, false},
		{"key without secret", map[string]string{meetings.EnvAPIKey: "k"}, true},
		{"nothing", map[string]string{}, true},
		{"bad base URL", map[string]string{meetings.EnvAPIKey: "k", meetings.EnvAPISecret: "s", meetings.EnvBaseURL: "ftp://x"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range []string{meetings.EnvAPIKey, meetings.EnvAPISecret, meetings.EnvApplicationID, meetings.EnvPrivateKeyPath, meetings.EnvBaseURL} {
				t.Setenv(v, tt.env[v])
			}
			_, err := meetings.NewClientFromEnv()
			if tt.wantErr {
				var argErr *meetings.ArgumentError
				assert.ErrorAs(t, err, &argErr)
			} else {
				assert.NoError(t, err)
			}
		})
	}
	t.Setenv(meetings.EnvAPIKey, "k")
	t.Setenv(meetings.EnvAPISecret, "s")
	t.Setenv(meetings.EnvBaseURL, "ftp://bad")
	_, err = meetings.NewClientFromEnv(meetings.WithBaseURL("https://api.example.test"))
	assert.NoError(t, err, "an option in code wins over the environment")
}

func TestLoggerAndUserAgentReachTheWire(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	c, mt := mockClient(t, func(o ...meetings.Option) (*meetings.Client, error) { return meetings.NewClient("k", "s", o...) },
		meetings.WithBaseURL("https://api.example.test"), meetings.WithUserAgent("my-app/1.2"),
		meetings.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	var agent string
	mt.RegisterResponder(http.MethodGet, "https://api.example.test/recordings/r", func(r *http.Request) (*http.Response, error) {
		agent = r.Header.Get("User-Agent")
		return httpmock.NewStringResponse(200, `{"id":"r"}`), nil
	})
	_, err := c.Recordings.Get(context.Background(), "r")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(agent, "my-app/1.2 vonage-meetings-go/"+meetings.Version), agent)
	assert.Contains(t, logs.String(), "path=/recordings/r")
	assert.Contains(t, logs.String(), "status=200")
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := meetings.Ptr(false)
	require.NotNil(t, p)
	assert.False(t, *p)
	assert.NotSame(t, meetings.Ptr(1), meetings.Ptr(1))
}
