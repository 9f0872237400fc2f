package meetings_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

const testAppID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"

var (
	keyOnce sync.Once
	appKey  *rsa.PrivateKey
	keyPEM  []byte
)

// applicationKey returns one 2048-bit RSA key per test binary, as PKCS#8 PEM.
func applicationKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			panic(err)
		}
		appKey, keyPEM = k, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	})
	return appKey, keyPEM
}

// jwtServer is a fake v1 API that accepts only RS256 tokens signed by key for
// testAppID, and records each token it accepted.
func jwtServer(t *testing.T, key *rsa.PrivateKey) (*meetingstest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var tokens []string
	check := func(r *http.Request) error {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return errors.New("not a Bearer token")
		}
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
			jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuedAt(), jwt.WithExpirationRequired())
		if err != nil {
			return err
		}
		if claims["application_id"] != testAppID {
			return fmt.Errorf("application_id = %v", claims["application_id"])
		}
		if jti, _ := claims["jti"].(string); jti == "" {
			return errors.New("no jti")
		}
		mu.Lock()
		tokens = append(tokens, raw)
		mu.Unlock()
		return nil
	}
	srv := meetingstest.Start(t, meetingstest.WithBasePath("/v1/meetings"), meetingstest.WithAuthCheck(check))
	return srv, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), tokens...) }
}

func TestWithApplicationSendsVerifiableReusedBearerToken(t *testing.T) {
	t.Parallel()
	key, pemBytes := applicationKey(t)
	srv, tokens := jwtServer(t, key)
	if err := srv.AddRecording(meetingstest.Recording{ID: "rec-1", SessionID: "sess-1"}); err != nil {
		t.Fatal(err)
	}
	c, err := meetings.NewClient("", "", meetings.WithApplication(testAppID, pemBytes), meetings.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		rec, err := c.Recordings.Get(context.Background(), "rec-1")
		if err != nil {
			t.Fatalf("Get with application auth: %v", err)
		}
		if rec.ID != "rec-1" {
			t.Fatalf("Get returned %q", rec.ID)
		}
	}
	got := tokens()
	if len(got) != 3 || got[0] != got[1] || got[1] != got[2] {
		t.Fatalf("want one token reused for 3 calls, got %d tokens (%d distinct)", len(got), len(distinct(got)))
	}
}

func distinct(s []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return m
}

func TestWithApplicationSwitchesDefaultBaseURL(t *testing.T) {
	t.Parallel()
	_, pemBytes := applicationKey(t)
	c, err := meetings.NewClient("", "", meetings.WithApplication(testAppID, pemBytes))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c); !strings.Contains(got, meetings.DefaultApplicationBaseURL) || !strings.Contains(got, `"jwt"`) {
		t.Errorf("client = %s, want base URL %s and auth jwt", got, meetings.DefaultApplicationBaseURL)
	}
	c, err = meetings.NewClient("", "", meetings.WithBaseURL("http://127.0.0.1:1/x"), meetings.WithApplication(testAppID, pemBytes))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c); !strings.Contains(got, "http://127.0.0.1:1/x") {
		t.Errorf("client = %s: WithBaseURL must win over the application default", got)
	}
}

func TestWithApplicationRefusals(t *testing.T) {
	t.Parallel()
	_, pemBytes := applicationKey(t)
	missing := filepath.Join(t.TempDir(), "no-such-key.pem")
	for _, tc := range []struct {
		name      string
		key, sec  string
		opts      []meetings.Option
		wantName  string
		wantInErr string
		wantIs    error
	}{
		{"key and secret beside application auth", testKey, testSecret,
			[]meetings.Option{meetings.WithApplication(testAppID, pemBytes)}, "apiKey and apiSecret", "exactly one auth mode", nil},
		{"only a key beside application auth", testKey, "",
			[]meetings.Option{meetings.WithApplication(testAppID, pemBytes)}, "apiKey and apiSecret", "exactly one auth mode", nil},
		{"not PEM", "", "", []meetings.Option{meetings.WithApplication(testAppID, []byte("hello"))}, "WithApplication", "PEM", nil},
		{"empty application ID", "", "", []meetings.Option{meetings.WithApplication("", pemBytes)}, "WithApplication", "application ID", nil},
		{"configured twice", "", "", []meetings.Option{meetings.WithApplication(testAppID, pemBytes), meetings.WithApplication(testAppID, pemBytes)},
			"WithApplication", "twice", nil},
		{"missing key file", "", "", []meetings.Option{meetings.WithApplicationKeyFile(testAppID, missing)},
			"WithApplicationKeyFile", "no-such-key.pem", fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := meetings.NewClient(tc.key, tc.sec, tc.opts...)
			var ae *meetings.ArgumentError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *meetings.ArgumentError", err)
			}
			if ae.Name != tc.wantName || !strings.Contains(err.Error(), tc.wantInErr) {
				t.Errorf("err = %q (Name %q), want Name %q and text containing %q", err, ae.Name, tc.wantName, tc.wantInErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.wantIs)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), string(pemBytes[40:80])) {
				t.Errorf("error reveals key material: %q", err)
			}
		})
	}
}

func TestNewClientFromEnvApplication(t *testing.T) {
	key, pemBytes := applicationKey(t)
	srv, tokens := jwtServer(t, key)
	if err := srv.AddSession("sess-1"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "private.key")
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(meetings.EnvAPIKey, "")
	t.Setenv(meetings.EnvAPISecret, "")
	t.Setenv(meetings.EnvApplicationID, testAppID)
	t.Setenv(meetings.EnvPrivateKeyPath, path)
	t.Setenv(meetings.EnvBaseURL, srv.URL)

	// Application variables alone: JWT auth.
	c, err := meetings.NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Recordings.ListBySession(context.Background(), "sess-1"); err != nil {
		t.Fatalf("ListBySession: %v", err)
	}
	if len(tokens()) != 1 {
		t.Fatalf("server accepted %d tokens, want 1", len(tokens()))
	}

	// A key and secret in the environment are what issue 3 documents: they win
	// over application variables set for other Vonage products.
	t.Setenv(meetings.EnvAPIKey, testKey)
	t.Setenv(meetings.EnvAPISecret, testSecret)
	c, err = meetings.NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c); !strings.Contains(got, `"basic"`) || !strings.Contains(got, srv.URL) {
		t.Errorf("with key, secret and application variables: client = %s, want basic auth to %s", got, srv.URL)
	}

	// Credentials in code win over the environment's key and secret.
	c, err = meetings.NewClientFromEnv(meetings.WithApplication(testAppID, pemBytes))
	if err != nil {
		t.Fatalf("WithApplication in code beside an env key and secret: %v", err)
	}
	if _, err := c.Recordings.ListBySession(context.Background(), "sess-1"); err != nil {
		t.Fatalf("ListBySession with the code's application auth: %v", err)
	}

	// An application ID without its key file is a clear error.
	t.Setenv(meetings.EnvAPIKey, "")
	t.Setenv(meetings.EnvAPISecret, "")
	t.Setenv(meetings.EnvPrivateKeyPath, "")
	_, err = meetings.NewClientFromEnv()
	var ae *meetings.ArgumentError
	if !errors.As(err, &ae) || ae.Name != meetings.EnvPrivateKeyPath {
		t.Errorf("application ID without key path: err = %v, want an ArgumentError naming %s", err, meetings.EnvPrivateKeyPath)
	}

	// Nothing set at all: the error says what to set.
	t.Setenv(meetings.EnvApplicationID, "")
	_, err = meetings.NewClientFromEnv()
	if err == nil || !strings.Contains(err.Error(), meetings.EnvAPIKey) || !strings.Contains(err.Error(), meetings.EnvApplicationID) {
		t.Errorf("empty environment: err = %v, want one naming %s and %s", err, meetings.EnvAPIKey, meetings.EnvApplicationID)
	}
}
