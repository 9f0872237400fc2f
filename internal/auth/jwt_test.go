package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Test keys are generated once per test binary: 2048-bit key generation takes
// a noticeable fraction of a second, and committing private keys invites scanners.
var (
	keysOnce  sync.Once
	testKey   *rsa.PrivateKey // 2048 bits
	smallKey  *rsa.PrivateKey // 1024 bits: too small
	testPKCS1 []byte
	testPKCS8 []byte
)

func keys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if testKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if smallKey, err = rsa.GenerateKey(rand.Reader, 1024); err != nil {
			panic(err)
		}
		testPKCS1 = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey)})
		der, err := x509.MarshalPKCS8PrivateKey(testKey)
		if err != nil {
			panic(err)
		}
		testPKCS8 = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	})
}

func pkcs8PEM(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// fakeClock is a settable clock safe for concurrent reads.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock(t time.Time) *fakeClock {
	c := &fakeClock{}
	c.ns.Store(t.UnixNano())
	return c
}
func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

var start = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// parseAppJWT verifies an Authorization header value against the public key
// the way the API would, and returns its claims.
func parseAppJWT(t *testing.T, header string, now time.Time) jwt.MapClaims {
	t.Helper()
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		t.Fatalf("Authorization = %.20q..., want a Bearer token", header)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return &testKey.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithIssuedAt(), jwt.WithExpirationRequired())
	if err != nil {
		t.Fatalf("token does not verify with the public key: %v", err)
	}
	return claims
}

func authHeader(t *testing.T, a Authenticator) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/v1/meetings/rooms", nil)
	if err := a.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	return req.Header.Get("Authorization")
}

func TestNewJWTAcceptsPKCS1AndPKCS8(t *testing.T) {
	t.Parallel()
	keys(t)
	for name, pemBytes := range map[string][]byte{
		"PKCS#1":                 testPKCS1,
		"PKCS#8":                 testPKCS8,
		"PKCS#8 labelled PKCS#1": []byte(strings.ReplaceAll(string(testPKCS8), "PRIVATE KEY", "RSA PRIVATE KEY")),
		"text around the block":  append(append([]byte("Key for app X\n"), testPKCS8...), "trailer\n"...),
		"public key before it":   append(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), testPKCS1...),
		"CRLF line endings":      []byte(strings.ReplaceAll(string(testPKCS8), "\n", "\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a, err := NewJWT("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", pemBytes)
			if err != nil {
				t.Fatalf("NewJWT: %v", err)
			}
			parseAppJWT(t, authHeader(t, a), time.Now())
		})
	}
}

func TestNewJWTRefusesBadInputClearly(t *testing.T) {
	t.Parallel()
	keys(t)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalECPrivateKey(ecKey)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   []byte("ciphertext that is not DER"),
	})
	pkcs8Encrypted := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("ciphertext")})

	for _, tc := range []struct {
		name  string
		appID string
		pem   []byte
		want  string
	}{
		{"empty application ID", "", testPKCS8, "application ID is empty"},
		{"blank application ID", "  ", testPKCS8, "application ID is empty"},
		{"empty key", "app", nil, "private key is empty"},
		{"not PEM", "app", []byte("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "not PEM encoded"},
		{"a public key", "app", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&testKey.PublicKey)}), `holds "PUBLIC KEY" and no private key`},
		{"a certificate", "app", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30}}), `holds "CERTIFICATE"`},
		{"an unknown private key type", "app", pem.EncodeToMemory(&pem.Block{Type: "DSA PRIVATE KEY", Bytes: []byte{0x30}}), `block is "DSA PRIVATE KEY"`},
		{"an OpenSSH key", "app", pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: []byte("openssh-key-v1")}), "OpenSSH format"},
		{"SEC 1 EC key", "app", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER}), "EC key; RS256 needs an RSA key"},
		{"SEC 1 EC key labelled RSA", "app", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: ecDER}), "EC key; RS256 needs an RSA key"},
		{"PKCS#8 EC key", "app", pkcs8PEM(t, ecKey), "an EC key; RS256 needs an RSA key"},
		{"PKCS#8 Ed25519 key", "app", pkcs8PEM(t, edKey), "an Ed25519 key; RS256 needs an RSA key"},
		{"legacy encrypted PEM", "app", legacyEncrypted, "encrypted (PEM Proc-Type 4,ENCRYPTED)"},
		{"PKCS#8 encrypted", "app", pkcs8Encrypted, "encrypted (PKCS#8 ENCRYPTED PRIVATE KEY)"},
		{"corrupt DER", "app", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("garbage")}), "neither a valid PKCS#1 nor PKCS#8"},
		{"1024-bit RSA", "app", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(smallKey)}), "has 1024 bits; at least 2048 are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := NewJWT(tc.appID, tc.pem)
			if err == nil {
				t.Fatalf("NewJWT succeeded (%v), want error containing %q", a, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewJWT error = %q, want it to contain %q", err, tc.want)
			}
			assertNoKeyMaterial(t, err.Error(), tc.pem)
		})
	}
}

// assertNoKeyMaterial fails if out contains any 16-character run of the PEM's base64 body.
func assertNoKeyMaterial(t *testing.T, out string, pemBytes []byte) {
	t.Helper()
	for _, line := range strings.Split(string(pemBytes), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "-----") || len(line) < 16 {
			continue
		}
		for i := 0; i+16 <= len(line); i += 8 {
			if strings.Contains(out, line[i:i+16]) {
				t.Fatalf("output %q reveals key material", out)
			}
		}
	}
}

func TestNewJWTRefusesBadOptions(t *testing.T) {
	t.Parallel()
	keys(t)
	for _, tc := range []struct {
		name string
		opt  JWTOption
		want string
	}{
		{"nil clock", WithClock(nil), "JWT clock is nil"},
		{"lifetime too short", WithTokenLifetime(time.Minute), "lifetime 1m0s is outside"},
		{"lifetime too long", WithTokenLifetime(48 * time.Hour), "lifetime 48h0m0s is outside"},
	} {
		if _, err := NewJWT("app", testPKCS8, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestJWTTokenHasTheDocumentedClaims(t *testing.T) {
	t.Parallel()
	keys(t)
	clock := newFakeClock(start.Add(400 * time.Millisecond))
	a, err := NewJWT("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", testPKCS8, WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	header := authHeader(t, a)
	raw := strings.TrimPrefix(header, "Bearer ")
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Header["alg"] != "RS256" || tok.Header["typ"] != "JWT" {
		t.Errorf("JOSE header = %v, want alg RS256 typ JWT", tok.Header)
	}
	claims := parseAppJWT(t, header, clock.Now())
	if got := claims["application_id"]; got != "aaaaaaaa-bbbb-cccc-dddd-0123456789ab" {
		t.Errorf("application_id = %v", got)
	}
	if got := claims["iat"]; got != float64(start.Unix()) {
		t.Errorf("iat = %v, want %d", got, start.Unix())
	}
	if got := claims["exp"]; got != float64(start.Add(15*time.Minute).Unix()) {
		t.Errorf("exp = %v, want iat + 15m", got)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if jti, _ := claims["jti"].(string); !uuid.MatchString(jti) {
		t.Errorf("jti = %q, want a random UUID", jti)
	}
	if len(claims) != 4 {
		t.Errorf("claims = %v, want exactly application_id, iat, exp, jti", claims)
	}
}

func TestJWTReusesTokenUntilTheRenewalMargin(t *testing.T) {
	t.Parallel()
	keys(t)
	clock := newFakeClock(start)
	a, err := NewJWT("app", testPKCS1, WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	first := authHeader(t, a)
	clock.Advance(13*time.Minute + 59*time.Second) // 1s before the renewal point (exp - 1m)
	if got := authHeader(t, a); got != first {
		t.Fatal("token was renewed while more than the margin remained")
	}
	clock.Advance(time.Second) // exactly exp - 1m
	second := authHeader(t, a)
	if second == first {
		t.Fatal("token was not renewed a minute before expiry")
	}
	claims := parseAppJWT(t, second, clock.Now())
	if got := claims["iat"]; got != float64(start.Add(14*time.Minute).Unix()) {
		t.Errorf("renewed iat = %v, want now", got)
	}
	if j1, j2 := parseAppJWT(t, first, start)["jti"], claims["jti"]; j1 == j2 {
		t.Errorf("renewed token reuses jti %v", j1)
	}
	if got := authHeader(t, a); got != second {
		t.Fatal("renewed token was not reused")
	}
}

func TestJWTRenewsWhenTheClockStepsBack(t *testing.T) {
	t.Parallel()
	keys(t)
	clock := newFakeClock(start)
	a, _ := NewJWT("app", testPKCS8, WithClock(clock.Now))
	first := authHeader(t, a)
	clock.Advance(-time.Hour)
	second := authHeader(t, a)
	if second == first {
		t.Fatal("token with an iat in the future was reused after the clock stepped back")
	}
	parseAppJWT(t, second, clock.Now())
}

func TestJWTWithTokenLifetime(t *testing.T) {
	t.Parallel()
	keys(t)
	clock := newFakeClock(start)
	a, err := NewJWT("app", testPKCS8, WithClock(clock.Now), WithTokenLifetime(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	claims := parseAppJWT(t, authHeader(t, a), clock.Now())
	if got := claims["exp"].(float64) - claims["iat"].(float64); got != 300 {
		t.Errorf("exp - iat = %v s, want 300", got)
	}
}

// Many goroutines sharing one authenticator see one token at a time, all valid,
// and a stale token is renewed once, not once per goroutine. Run with -race.
func TestJWTIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	keys(t)
	clock := newFakeClock(start)
	a, _ := NewJWT("app", testPKCS8, WithClock(clock.Now))

	const goroutines, calls = 32, 50
	var (
		mu   sync.Mutex
		seen = map[string]bool{}
		wg   sync.WaitGroup
	)
	round := func() {
		wg.Add(goroutines)
		for range goroutines {
			go func() {
				defer wg.Done()
				for range calls {
					req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
					if err := a.Authenticate(req); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					seen[req.Header.Get("Authorization")] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	round()
	if len(seen) != 1 {
		t.Fatalf("concurrent first use minted %d tokens, want 1", len(seen))
	}
	clock.Advance(14 * time.Minute) // every goroutine now finds the token stale
	round()
	if len(seen) != 2 {
		t.Fatalf("concurrent renewal minted %d new tokens, want 1", len(seen)-1)
	}
	for h := range seen {
		parseAppJWT(t, h, start.Add(14*time.Minute))
	}
}

// The clock is advanced concurrently with being read; every token handed out
// must have been usable at some instant during the Authenticate call.
func TestJWTConcurrentUseWhileTimePasses(t *testing.T) {
	t.Parallel()
	keys(t)
	clock := newFakeClock(start)
	a, _ := NewJWT("app", testPKCS8, WithClock(clock.Now), WithTokenLifetime(2*time.Minute))
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		tokens = map[string]bool{}
	)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				clock.Advance(7 * time.Second)
				before := clock.Now()
				h := authHeader(t, a)
				after := clock.Now()
				claims := jwt.MapClaims{}
				_, err := jwt.ParseWithClaims(strings.TrimPrefix(h, "Bearer "), claims,
					func(*jwt.Token) (any, error) { return &testKey.PublicKey, nil },
					jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
				if err != nil {
					t.Error(err)
					return
				}
				iat := time.Unix(int64(claims["iat"].(float64)), 0)
				exp := time.Unix(int64(claims["exp"].(float64)), 0)
				if iat.After(after) || !before.Before(exp.Add(-renewMargin)) {
					t.Errorf("during [%v, %v] got a token for [%v, %v)", before, after, iat, exp)
					return
				}
				mu.Lock()
				tokens[h] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(tokens) < 2 {
		t.Errorf("%d distinct tokens over %v of clock time, want renewals", len(tokens), 16*40*7*time.Second)
	}
}

func TestJWTNeverPrintsKeyOrToken(t *testing.T) {
	t.Parallel()
	keys(t)
	a, _ := NewJWT("app-123", testPKCS8)
	token := strings.TrimPrefix(authHeader(t, a), "Bearer ")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{a, []any{a}, map[string]any{"auth": a}} {
			out := fmt.Sprintf(verb, v)
			assertNoKeyMaterial(t, out, testPKCS8)
			if strings.Contains(out, token[:40]) || strings.Contains(out, token[len(token)-20:]) {
				t.Errorf("fmt %s = %q reveals the token", verb, out)
			}
			if strings.Contains(out, fmt.Sprint(testKey.D)[:20]) || strings.Contains(out, fmt.Sprintf("%x", testKey.D.Bytes())[:20]) {
				t.Errorf("fmt %s = %q reveals the private exponent", verb, out)
			}
		}
	}
	if got := fmt.Sprint(a); got != `auth.JWT{ApplicationID: "app-123", key: REDACTED}` {
		t.Errorf("fmt %%v = %q", got)
	}
	if a.Mode() != "jwt" || a.ApplicationID() != "app-123" {
		t.Errorf("Mode, ApplicationID = %q, %q", a.Mode(), a.ApplicationID())
	}
}

func TestNewJWTFromFile(t *testing.T) {
	t.Parallel()
	keys(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "private.key")
	if err := os.WriteFile(good, testPKCS8, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := NewJWTFromFile("app", good)
	if err != nil {
		t.Fatal(err)
	}
	parseAppJWT(t, authHeader(t, a), time.Now())

	bad := filepath.Join(dir, "public.pem")
	_ = os.WriteFile(bad, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), 0o600)
	huge := filepath.Join(dir, "huge.pem")
	_ = os.WriteFile(huge, make([]byte, maxKeyFileBytes+1), 0o600)

	for _, tc := range []struct{ path, want string }{
		{"", "private key file path is empty"},
		{filepath.Join(dir, "missing.key"), "reading private key file"},
		{bad, `public.pem": private key PEM holds "PUBLIC KEY"`},
		{huge, "larger than 1048576 bytes"},
	} {
		_, err := NewJWTFromFile("app", tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewJWTFromFile(%q) error = %v, want it to contain %q", tc.path, err, tc.want)
		}
	}
	if _, err := NewJWTFromFile("app", filepath.Join(dir, "missing.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file error = %v, want errors.Is os.ErrNotExist", err)
	}
}

// JWT satisfies Authenticator.
var _ Authenticator = (*JWT)(nil)

func BenchmarkJWTAuthenticateCached(b *testing.B) {
	keys(b)
	a, _ := NewJWT("app", testPKCS8)
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := req.Clone(req.Context())
		for pb.Next() {
			if err := a.Authenticate(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkJWTMint is the cost paid once per token lifetime: one RS256 signature.
func BenchmarkJWTMint(b *testing.B) {
	keys(b)
	a, _ := NewJWT("app", testPKCS8)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.mint(time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
