package meetings_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey { return must(rsa.GenerateKey(rand.Reader, 2048)) })

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestJWTClaimsAndReuse(t *testing.T) {
	t.Parallel()
	key := testKey()
	j, err := core.NewJWT("app-1", pemOf(t, "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(key))))
	require.NoError(t, err)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	j.Now = func() time.Time { return now }

	h1, err := j.Header()
	require.NoError(t, err)
	tok, ok := strings.CutPrefix(h1, "Bearer ")
	require.True(t, ok)
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
	require.NoError(t, err)
	assert.Equal(t, "app-1", claims["application_id"])
	assert.EqualValues(t, now.Unix(), claims["iat"])
	assert.EqualValues(t, now.Add(15*time.Minute).Unix(), claims["exp"])
	assert.NotEmpty(t, claims["jti"])

	now = now.Add(13 * time.Minute)
	h2, _ := j.Header()
	assert.Equal(t, h1, h2, "reused while valid")
	now = now.Add(time.Minute + time.Second)
	h3, _ := j.Header()
	assert.NotEqual(t, h1, h3, "renewed a minute before expiry")
}

func TestJWTRefusesUnusableKeys(t *testing.T) {
	t.Parallel()
	small := must(rsa.GenerateKey(rand.Reader, 1024))
	ec := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	pkcs1 := pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(testKey()))
	_, err := core.NewJWT("app", pkcs1)
	require.NoError(t, err, "PKCS#1 is accepted")

	for name, keyPEM := range map[string][]byte{
		"not PEM":   []byte("hello"),
		"encrypted": pemOf(t, "ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}),
		"EC":        pemOf(t, "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(ec))),
		"small RSA": pemOf(t, "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(small))),
		"public":    pemOf(t, "PUBLIC KEY", must(x509.MarshalPKIXPublicKey(&small.PublicKey))),
		"garbage":   pemOf(t, "PRIVATE KEY", []byte("garbage")),
	} {
		_, err := core.NewJWT("app", keyPEM)
		var argErr *core.ArgumentError
		require.ErrorAs(t, err, &argErr, name)
		assert.Equal(t, "private key", argErr.Name, name)
		assert.NotContains(t, err.Error(), "MII", name)
	}
	_, err = core.NewJWT(" ", pkcs1)
	var argErr *core.ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.Equal(t, "applicationID", argErr.Name)
}

func TestBasicRefusesWhatItWouldChange(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ key, secret, name string }{
		{"", "s", "apiKey"}, {"k", "", "apiSecret"}, {"a:b", "s", "apiKey"}, {"k", "s\n", "apiSecret"}, {"  ", "s", "apiKey"},
	} {
		_, err := core.NewBasic(tt.key, tt.secret)
		var argErr *core.ArgumentError
		require.ErrorAs(t, err, &argErr, "%q/%q", tt.key, tt.secret)
		assert.Equal(t, tt.name, argErr.Name)
	}
}

func TestSecretsNeverShow(t *testing.T) {
	t.Parallel()
	const key, secret = "the-key", "the-secret-value"
	basic := base64.StdEncoding.EncodeToString([]byte(key + ":" + secret))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "https://elsewhere.example/x?token="+secret, http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"title":"Unavailable"}`)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	u, _ := core.ParseBaseURL(srv.URL)
	auth, err := core.NewBasic(key, secret)
	require.NoError(t, err)
	c := core.New(core.Config{BaseURL: u, Auth: auth, Timeout: time.Second, MaxRetries: 1, MinWait: time.Millisecond,
		MaxWait: time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}).For("x")

	var shown []string
	for _, path := range []string{"/x", "/redirect"} {
		err := c.Do(context.Background(), http.MethodGet, path, nil, nil, nil)
		require.Error(t, err)
		shown = append(shown, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	shown = append(shown, logs.String(), fmt.Sprintf("%v %+v %#v", auth, auth, auth), fmt.Sprintf("%+v %#v", c, c))
	j, err := core.NewJWT("app", pemOf(t, "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(testKey()))))
	require.NoError(t, err)
	tok, err := j.Header()
	require.NoError(t, err)
	shown = append(shown, fmt.Sprintf("%v %+v %#v", j, j, j))
	assert.NotContains(t, shown[len(shown)-1], tok[len("Bearer "):])
	require.Contains(t, logs.String(), "attempt=2", "the logger ran")
	for _, s := range shown {
		for _, leak := range []string{secret, basic} {
			assert.NotContains(t, s, leak)
		}
	}
}
