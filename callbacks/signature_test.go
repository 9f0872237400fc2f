package callbacks_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/vonage-meetings/go-sdk/callbacks"
)

var (
	secret   = []byte("test-signature-secret-0123456789")
	sigNow   = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	sigClock = func() time.Time { return sigNow }
	sigBody  = mustReadFile("testdata/signature/recording_uploaded.json")
)

func mustReadFile(name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// rsaKey is generated once per test binary, for tokens signed RS256.
var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newTestVerifier(t testing.TB, opts ...callbacks.VerifyOption) *callbacks.Verifier {
	t.Helper()
	v, err := callbacks.NewVerifier(secret, append([]callbacks.VerifyOption{callbacks.WithClock(sigClock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func payloadHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// vonageClaims are the claims of Vonage's documented sample token, issued at sigNow for sigBody.
func vonageClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iat":            sigNow.Unix(),
		"jti":            "c5ba8f24-1a14-4c10-bfdf-3fbe8ce511b5",
		"iss":            "Vonage",
		"payload_hash":   payloadHash(sigBody),
		"api_key":        "a1b2c3d",
		"application_id": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
	}
}

// handMadeHS256 builds a token without the JWT library: the JOSE header and
// claims JSON as given, signed HMAC-SHA256 with key. It is the independent
// oracle the library-based Verify is checked against.
func handMadeHS256(header string, claims any, key []byte) string {
	c, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	enc := base64.RawURLEncoding
	signingInput := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString(c)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signingInput))
	return signingInput + "." + enc.EncodeToString(mac.Sum(nil))
}

func signWith(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + s
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	c[k] = v
	return c
}

func without(c jwt.MapClaims, k string) jwt.MapClaims {
	delete(c, k)
	return c
}

func TestVerifyAccepts(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	const hs256 = `{"alg":"HS256","typ":"JWT"}`
	for _, tc := range []struct {
		name   string
		header string
		body   []byte
	}{
		{"Vonage's documented token shape, made by hand", "Bearer " + handMadeHS256(hs256, vonageClaims(), secret), sigBody},
		{"a token from the JWT library", signWith(t, jwt.SigningMethodHS256, vonageClaims(), secret), sigBody},
		{"a token from Sign", mustSign(t, sigBody), sigBody},
		{"the scheme in lower case", "bearer " + handMadeHS256(hs256, vonageClaims(), secret), sigBody},
		{"no typ header", "Bearer " + handMadeHS256(`{"alg":"HS256"}`, vonageClaims(), secret), sigBody},
		{"payload_hash in upper-case hex", "Bearer " + handMadeHS256(hs256, with(vonageClaims(), "payload_hash", strings.ToUpper(payloadHash(sigBody))), secret), sigBody},
		{"iat exactly the tolerance ago", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", sigNow.Add(-5*time.Minute).Unix()), secret), sigBody},
		{"iat with a fraction (a NumericDate may have one)", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", float64(sigNow.Unix())+0.5), secret), sigBody},
		{"iat exactly the tolerance ahead", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", sigNow.Add(5*time.Minute).Unix()), secret), sigBody},
		{"no jti, api_key or application_id", signWith(t, jwt.SigningMethodHS256, jwt.MapClaims{"iat": sigNow.Unix(), "iss": "Vonage", "payload_hash": payloadHash(sigBody)}, secret), sigBody},
		{"an exp still in the future", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "exp", sigNow.Add(time.Minute).Unix()), secret), sigBody},
		{"an empty body", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "payload_hash", payloadHash(nil)), secret), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := v.Verify(tc.header, tc.body); err != nil {
				t.Fatalf("Verify = %v, want nil", err)
			}
		})
	}
}

func mustSign(t testing.TB, body []byte, opts ...callbacks.SignOption) string {
	t.Helper()
	h, err := callbacks.Sign(body, secret, append([]callbacks.SignOption{callbacks.WithClock(sigClock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	const hs256 = `{"alg":"HS256","typ":"JWT"}`
	good := handMadeHS256(hs256, vonageClaims(), secret)
	parts := strings.Split(good, ".")
	otherClaims, _ := json.Marshal(with(vonageClaims(), "payload_hash", payloadHash([]byte(`{}`))))
	enc := base64.RawURLEncoding
	noneToken, err := jwt.NewWithClaims(jwt.SigningMethodNone, vonageClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		header string
		body   []byte
		reason string // the part of the error text that names the failed check
	}{
		// The Authorization header itself.
		{"missing header", "", sigBody, "no Authorization header"},
		{"blank header", "   ", sigBody, "no Authorization header"},
		{"Basic scheme", "Basic dXNlcjpwYXNz", sigBody, "scheme is not Bearer"},
		{"token without a scheme", good, sigBody, "scheme is not Bearer"},
		{"Bearer with no token", "Bearer ", sigBody, "Bearer token is empty"},
		{"Bearer alone", "Bearer", sigBody, "Bearer token is empty"},
		{"Bearer alone, lower case, padded", " bearer  ", sigBody, "Bearer token is empty"},
		{"a scheme that starts with Bearer", "Bearerx abc", sigBody, "scheme is not Bearer"},
		{"two tokens", "Bearer " + good + " " + good, sigBody, "contains whitespace"},
		{"an oversized token", "Bearer " + strings.Repeat("a", 9000), sigBody, "longer than 8192 bytes"},
		{"garbage", "Bearer not-a-jwt", sigBody, "not a well-formed JWT"},
		{"garbage with dots", "Bearer a.b.c", sigBody, "not a well-formed JWT"},
		{"four segments", "Bearer " + good + ".x", sigBody, "not a well-formed JWT"},
		{"base64 padding added", "Bearer " + parts[0] + "." + parts[1] + "." + parts[2] + "=", sigBody, "not a well-formed JWT"},

		// The signature and its algorithm.
		{"wrong secret", "Bearer " + handMadeHS256(hs256, vonageClaims(), []byte("another-secret-of-enough-length")), sigBody, "signature does not match the signature secret"},
		{"signature stripped", "Bearer " + parts[0] + "." + parts[1] + ".", sigBody, "signature does not match"},
		{"claims swapped under a valid signature", "Bearer " + parts[0] + "." + enc.EncodeToString(otherClaims) + "." + parts[2], []byte(`{}`), "signature does not match"},
		{"alg none", "Bearer " + noneToken, sigBody, `algorithm "none" is not HS256`},
		{"alg none, claiming HS256's signature", "Bearer " + handMadeHS256(`{"alg":"none"}`, vonageClaims(), secret), sigBody, `algorithm "none" is not HS256`},
		{"alg RS256", signWith(t, jwt.SigningMethodRS256, vonageClaims(), rsaKey()), sigBody, `algorithm "RS256" is not HS256`},
		{"alg RS256 over an HMAC with the secret (RS/HS confusion)", "Bearer " + handMadeHS256(`{"alg":"RS256","typ":"JWT"}`, vonageClaims(), secret), sigBody, `algorithm "RS256" is not HS256`},
		{"alg HS512 with the right secret", signWith(t, jwt.SigningMethodHS512, vonageClaims(), secret), sigBody, `algorithm "HS512" is not HS256`},
		{"alg HS384 with the right secret", signWith(t, jwt.SigningMethodHS384, vonageClaims(), secret), sigBody, `algorithm "HS384" is not HS256`},
		{"alg in lower case", "Bearer " + handMadeHS256(`{"alg":"hs256"}`, vonageClaims(), secret), sigBody, "no usable algorithm"},
		{"an unknown alg is not echoed", "Bearer " + handMadeHS256(`{"alg":"<script>"}`, vonageClaims(), secret), sigBody, "no usable algorithm"},
		{"no alg", "Bearer " + handMadeHS256(`{"typ":"JWT"}`, vonageClaims(), secret), sigBody, "no usable algorithm"},

		// The body.
		{"tampered body", mustSign(t, sigBody), bytes.Replace(sigBody, []byte("rec"), []byte("REC"), 1), "payload_hash does not match the body"},
		{"body with a trailing newline", mustSign(t, sigBody), append(bytes.Clone(sigBody), '\n'), "payload_hash does not match the body"},
		{"body re-encoded", mustSign(t, sigBody), compact(t, sigBody), "payload_hash does not match the body"},
		{"empty body for a signed payload", mustSign(t, sigBody), nil, "payload_hash does not match the body"},
		{"no payload_hash", signWith(t, jwt.SigningMethodHS256, without(vonageClaims(), "payload_hash"), secret), sigBody, "no payload_hash claim"},
		{"payload_hash not hex", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "payload_hash", "zz"), secret), sigBody, "not a hex SHA-256 digest"},
		{"payload_hash of the wrong length", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "payload_hash", "abcd"), secret), sigBody, "not a hex SHA-256 digest"},
		{"payload_hash not a string", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "payload_hash", 42), secret), sigBody, "not a well-formed JWT"},

		// Time.
		{"stale iat", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", sigNow.Add(-5*time.Minute-time.Second).Unix()), secret), sigBody, "issued 5m1s ago, longer than the tolerance of 5m0s"},
		{"future iat", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", sigNow.Add(5*time.Minute+time.Second).Unix()), secret), sigBody, "issued 5m1s in the future"},
		{"a replay from yesterday", mustSign(t, sigBody, callbacks.WithClock(func() time.Time { return sigNow.Add(-24 * time.Hour) })), sigBody, "issued 24h0m0s ago"},
		{"no iat", signWith(t, jwt.SigningMethodHS256, without(vonageClaims(), "iat"), secret), sigBody, "no iat claim"},
		{"iat not a number", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", "yesterday"), secret), sigBody, "iat claim is not a JSON number"},
		{"iat a quoted number (RFC 7519 wants a JSON number)", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", strconv.FormatInt(sigNow.Unix(), 10)), secret), sigBody, "iat claim is not a JSON number"},
		{"iat null", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", nil), secret), sigBody, "no iat claim"},
		{"iat far beyond any time", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", 1e300), secret), sigBody, "iat claim 1e+300 is not a plausible time"},
		{"iat far before any time", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", -1e300), secret), sigBody, "iat claim -1e+300 is not a plausible time"},
		{"iat in year 5000", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iat", time.Date(5000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()), secret), sigBody, "issued at 5000-01-01T00:00:00Z, in the future"},
		{"expired exp", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "exp", sigNow.Add(-6*time.Minute).Unix()), secret), sigBody, "expired"},
		{"nbf ahead", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "nbf", sigNow.Add(6*time.Minute).Unix()), secret), sigBody, "not valid yet"},

		// The issuer.
		{"wrong iss", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iss", "Nexmo"), secret), sigBody, `issuer is not "Vonage"`},
		{"iss in another case", signWith(t, jwt.SigningMethodHS256, with(vonageClaims(), "iss", "vonage"), secret), sigBody, `issuer is not "Vonage"`},
		{"no iss", signWith(t, jwt.SigningMethodHS256, without(vonageClaims(), "iss"), secret), sigBody, "no iss claim"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := v.Verify(tc.header, tc.body)
			if err == nil {
				t.Fatal("Verify = nil, want an error")
			}
			if !errors.Is(err, callbacks.ErrInvalidSignature) {
				t.Errorf("Verify error %q does not satisfy errors.Is ErrInvalidSignature", err)
			}
			if !strings.HasPrefix(err.Error(), "callbacks: invalid signature: ") || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Verify error = %q, want it to name %q", err, tc.reason)
			}
			assertNoSecretOrToken(t, err.Error(), tc.header)
		})
	}
}

// assertNoSecretOrToken fails if out reveals the secret or any 12-byte run of the token.
func assertNoSecretOrToken(t *testing.T, out, header string) {
	t.Helper()
	if strings.Contains(out, string(secret)) || strings.Contains(out, hex.EncodeToString(secret)) {
		t.Fatalf("%q reveals the secret", out)
	}
	token := strings.TrimPrefix(header, "Bearer ")
	for i := 0; i+12 <= len(token); i += 6 {
		if strings.Contains(out, token[i:i+12]) {
			t.Fatalf("%q quotes the token", out)
		}
	}
}

func compact(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(out.Bytes(), b) {
		t.Fatal("fixture is already compact; the re-encoding case tests nothing")
	}
	return out.Bytes()
}

func TestVerifyWithOptions(t *testing.T) {
	t.Parallel()
	t.Run("a custom issuer is required and signed", func(t *testing.T) {
		t.Parallel()
		v := newTestVerifier(t, callbacks.WithIssuer("meetings-fake"))
		if err := v.Verify(mustSign(t, sigBody, callbacks.WithIssuer("meetings-fake")), sigBody); err != nil {
			t.Errorf("custom issuer: %v", err)
		}
		if err := v.Verify(mustSign(t, sigBody), sigBody); err == nil || !strings.Contains(err.Error(), `issuer is not "meetings-fake"`) {
			t.Errorf("default issuer against custom: %v", err)
		}
	})
	t.Run("the tolerance widens and narrows the window both ways", func(t *testing.T) {
		t.Parallel()
		v := newTestVerifier(t, callbacks.WithTolerance(time.Minute))
		for _, tc := range []struct {
			offset time.Duration
			ok     bool
		}{{-time.Minute, true}, {time.Minute, true}, {-61 * time.Second, false}, {61 * time.Second, false}} {
			h := mustSign(t, sigBody, callbacks.WithClock(func() time.Time { return sigNow.Add(tc.offset) }))
			if err := v.Verify(h, sigBody); (err == nil) != tc.ok {
				t.Errorf("iat at now%+v: Verify = %v, want ok %v", tc.offset, err, tc.ok)
			}
		}
	})
	t.Run("the clock is read at every call", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		now := sigNow
		v, _ := callbacks.NewVerifier(secret, callbacks.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
		h := mustSign(t, sigBody)
		if err := v.Verify(h, sigBody); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		now = now.Add(10 * time.Minute)
		mu.Unlock()
		if err := v.Verify(h, sigBody); err == nil {
			t.Fatal("a token 10 minutes old still verifies")
		}
	})
	t.Run("the secret is copied", func(t *testing.T) {
		t.Parallel()
		s := bytes.Clone(secret)
		v, _ := callbacks.NewVerifier(s, callbacks.WithClock(sigClock))
		s[0] ^= 0xff
		if err := v.Verify(mustSign(t, sigBody), sigBody); err != nil {
			t.Fatalf("changing the caller's slice changed the Verifier: %v", err)
		}
	})
	t.Run("extra claims are signed", func(t *testing.T) {
		t.Parallel()
		h := mustSign(t, sigBody, callbacks.WithClaim("api_key", "a1b2c3d"), callbacks.WithClaim("jti", "fixed"))
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(strings.TrimPrefix(h, "Bearer "), claims); err != nil {
			t.Fatal(err)
		}
		if claims["api_key"] != "a1b2c3d" || claims["jti"] != "fixed" || claims["iss"] != "Vonage" || claims["payload_hash"] != payloadHash(sigBody) || claims["iat"] != float64(sigNow.Unix()) {
			t.Errorf("claims = %v", claims)
		}
		if err := newTestVerifier(t).Verify(h, sigBody); err != nil {
			t.Error(err)
		}
	})
}

func TestSignGivesFreshJTIs(t *testing.T) {
	t.Parallel()
	seen := map[any]bool{}
	for range 50 {
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(strings.TrimPrefix(mustSign(t, sigBody), "Bearer "), claims); err != nil {
			t.Fatal(err)
		}
		if seen[claims["jti"]] {
			t.Fatalf("jti %v repeated", claims["jti"])
		}
		seen[claims["jti"]] = true
	}
}

func TestNewVerifierAndSignRefuseBadConfiguration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		secret []byte
		vopts  []callbacks.VerifyOption
		sopts  []callbacks.SignOption
		want   string
	}{
		{"nil secret", nil, nil, nil, "signature secret is empty"},
		{"empty secret", []byte{}, nil, nil, "signature secret is empty"},
		{"empty issuer", secret, []callbacks.VerifyOption{callbacks.WithIssuer("")}, []callbacks.SignOption{callbacks.WithIssuer("")}, "issuer is empty"},
		{"nil clock", secret, []callbacks.VerifyOption{callbacks.WithClock(nil)}, []callbacks.SignOption{callbacks.WithClock(nil)}, "clock is nil"},
	} {
		if _, err := callbacks.NewVerifier(tc.secret, tc.vopts...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: NewVerifier error = %v, want it to contain %q", tc.name, err, tc.want)
		}
		if _, err := callbacks.Sign(sigBody, tc.secret, tc.sopts...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Sign error = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	for _, tol := range []time.Duration{0, -time.Second} {
		if _, err := callbacks.NewVerifier(secret, callbacks.WithTolerance(tol)); err == nil || !strings.Contains(err.Error(), "is not positive") {
			t.Errorf("WithTolerance(%v): error = %v", tol, err)
		}
	}
	for _, name := range []string{"", "iat", "iss", "payload_hash"} {
		if _, err := callbacks.Sign(sigBody, secret, callbacks.WithClaim(name, "x")); err == nil {
			t.Errorf("WithClaim(%q) accepted", name)
		}
	}
	if _, err := callbacks.Sign(sigBody, secret, callbacks.WithClaim("bad", make(chan int))); err == nil {
		t.Error("Sign with an unencodable claim succeeded")
	}
}

func TestVerifierNeverPrintsTheSecret(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, val := range []any{v, []any{v}} {
			out := fmt.Sprintf(verb, val)
			if strings.Contains(out, string(secret)) || strings.Contains(out, hex.EncodeToString(secret)) || strings.Contains(out, fmt.Sprint(secret)) {
				t.Errorf("fmt %s = %q reveals the secret", verb, out)
			}
		}
	}
	if got, want := fmt.Sprint(v), `callbacks.Verifier{issuer: "Vonage", tolerance: 5m0s, secret: REDACTED}`; got != want {
		t.Errorf("fmt %%v = %q, want %q", got, want)
	}
}

func TestVerifyRequestLeavesTheBodyReadable(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	req := httptest.NewRequest(http.MethodPost, "/callbacks", bytes.NewReader(sigBody))
	req.Header.Set("Authorization", mustSign(t, sigBody))
	if err := v.VerifyRequest(req); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, _ := io.ReadAll(req.Body)
		if !bytes.Equal(got, sigBody) {
			t.Fatalf("body after VerifyRequest = %q, want the original", got)
		}
		req.Body, _ = req.GetBody()
	}

	tampered := httptest.NewRequest(http.MethodPost, "/callbacks", strings.NewReader(`{"event":"x"}`))
	tampered.Header.Set("Authorization", mustSign(t, sigBody))
	if err := v.VerifyRequest(tampered); !errors.Is(err, callbacks.ErrInvalidSignature) {
		t.Errorf("tampered request: %v", err)
	}

	unsigned := httptest.NewRequest(http.MethodPost, "/callbacks", nil)
	if err := v.VerifyRequest(unsigned); err == nil || !strings.Contains(err.Error(), "no Authorization header") {
		t.Errorf("unsigned request: %v", err)
	}

	broken := httptest.NewRequest(http.MethodPost, "/callbacks", io.MultiReader(strings.NewReader("{"), iotest.ErrReader(errors.New("connection reset"))))
	broken.Header.Set("Authorization", mustSign(t, sigBody))
	if err := v.VerifyRequest(broken); err == nil || errors.Is(err, callbacks.ErrInvalidSignature) || !strings.Contains(err.Error(), "reading callback body") {
		t.Errorf("unreadable body: %v, want a read error that is not ErrInvalidSignature", err)
	}
}

func TestVerifyIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	good := mustSign(t, sigBody)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if i%2 == 0 {
					if err := v.Verify(good, sigBody); err != nil {
						t.Error(err)
						return
					}
				} else if err := v.Verify(good, []byte("{}")); err == nil {
					t.Error("tampered body verified")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzVerify checks that Verify never panics, that every failure satisfies
// ErrInvalidSignature without echoing the secret, and that whatever verifies
// was signed: its signature is an HMAC-SHA256 with the secret (checked without
// the JWT library) and its payload_hash is the body's.
func FuzzVerify(f *testing.F) {
	v := newTestVerifier(f)
	f.Add(mustSign(f, sigBody), sigBody)
	f.Add(mustSign(f, nil), []byte{})
	f.Add(mustSign(f, []byte(`{"event":"session:started"}`)), []byte(`{"event":"session:started"}`))
	f.Add("Bearer "+handMadeHS256(`{"alg":"HS256","typ":"JWT"}`, vonageClaims(), secret), sigBody)
	f.Add("Bearer "+handMadeHS256(`{"alg":"none"}`, vonageClaims(), secret), sigBody)
	f.Add("Bearer a.b.c", []byte("x"))
	f.Add("Basic dXNlcjpwYXNz", []byte(""))
	f.Add("", []byte(nil))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := v.Verify(header, body)
		if err != nil {
			if !errors.Is(err, callbacks.ErrInvalidSignature) {
				t.Fatalf("error %q does not satisfy ErrInvalidSignature", err)
			}
			if strings.Contains(err.Error(), string(secret)) {
				t.Fatalf("error %q reveals the secret", err)
			}
			return
		}
		_, token, _ := strings.Cut(header, " ")
		token = strings.Trim(token, " ")
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Fatalf("verified a token with %d segments", len(parts))
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		if got := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); got != parts[2] {
			t.Fatalf("verified a token whose signature is not the HMAC of its content: %q", header)
		}
		claimsJSON, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		var claims struct {
			PayloadHash string `json:"payload_hash"`
		}
		if err := json.Unmarshal(claimsJSON, &claims); err != nil {
			t.Fatal(err)
		}
		if !strings.EqualFold(claims.PayloadHash, payloadHash(body)) {
			t.Fatalf("verified a body whose hash is not payload_hash")
		}
	})
}

// BenchmarkVerify measures one verification of a typical callback.
func BenchmarkVerify(b *testing.B) {
	v := newTestVerifier(b)
	h := mustSign(b, sigBody)
	b.ReportAllocs()
	b.SetBytes(int64(len(sigBody)))
	for b.Loop() {
		if err := v.Verify(h, sigBody); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyFloor is the same checks by hand with the standard library
// (split, HMAC, base64, JSON of the claims, SHA-256 of the body): the floor
// BenchmarkVerify can be compared with.
func BenchmarkVerifyFloor(b *testing.B) {
	h := mustSign(b, sigBody)
	b.ReportAllocs()
	b.SetBytes(int64(len(sigBody)))
	for b.Loop() {
		token := strings.TrimPrefix(h, "Bearer ")
		i := strings.LastIndexByte(token, '.')
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(token[:i]))
		sig, _ := base64.RawURLEncoding.DecodeString(token[i+1:])
		if !hmac.Equal(mac.Sum(nil), sig) {
			b.Fatal("signature")
		}
		j := strings.IndexByte(token, '.')
		raw, _ := base64.RawURLEncoding.DecodeString(token[j+1 : i])
		var c struct {
			Iat         int64  `json:"iat"`
			Iss         string `json:"iss"`
			PayloadHash string `json:"payload_hash"`
		}
		if err := json.Unmarshal(raw, &c); err != nil || c.Iss != "Vonage" {
			b.Fatal("claims")
		}
		want, _ := hex.DecodeString(c.PayloadHash)
		got := sha256.Sum256(sigBody)
		if !hmac.Equal(got[:], want) {
			b.Fatal("hash")
		}
	}
}

func ExampleVerifier_Verify() {
	secret := []byte("your-account-signature-secret") // from the dashboard's API settings
	body := []byte(`{"event":"session:started","session_id":"s1","room_id":"r1","started_at":"2024-05-01T12:00:00Z"}`)
	header, _ := callbacks.Sign(body, secret) // what Vonage would send in Authorization

	v, err := callbacks.NewVerifier(secret)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Verify(header, body))
	fmt.Println(v.Verify(header, []byte(`{"event":"session:ended"}`)))
	fmt.Println(v.Verify("", body))
	// Output:
	// <nil>
	// callbacks: invalid signature: payload_hash does not match the body
	// callbacks: invalid signature: no Authorization header
}

func ExampleSign() {
	secret := []byte("test-signature-secret-0123456789")
	body := []byte(`{"event":"recording:started","recording_id":"rec1","session_id":"s1"}`)
	header, err := callbacks.Sign(body, secret, callbacks.WithClaim("api_key", "a1b2c3d"))
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/callbacks", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", header)

	v, _ := callbacks.NewVerifier(secret)
	fmt.Println(strings.HasPrefix(header, "Bearer "), v.VerifyRequest(req))
	// Output: true <nil>
}

// A Verifier printed by value, through a pointer, as a nil pointer, or as a
// field of a user's struct (exported or not, by value or by pointer) never
// shows the secret, whatever the verb.
func TestVerifierNeverPrintsTheSecretInAnyShape(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	var nilVerifier *callbacks.Verifier
	type userConfig struct {
		Name     string
		Verifier callbacks.Verifier
		Ptr      *callbacks.Verifier
		hidden   callbacks.Verifier
	}
	shapes := map[string]any{
		"value":             *v,
		"pointer":           v,
		"nil pointer":       nilVerifier,
		"zero value":        callbacks.Verifier{},
		"user struct":       userConfig{Name: "n", Verifier: *v, Ptr: v, hidden: *v},
		"user struct ptr":   &userConfig{Name: "n", Verifier: *v, Ptr: v, hidden: *v},
		"slice of values":   []callbacks.Verifier{*v},
		"map of values":     map[string]callbacks.Verifier{"k": *v},
		"interface slice":   []any{*v, v},
		"array of pointers": [1]*callbacks.Verifier{v},
	}
	leaks := []string{
		string(secret),
		hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)),
		strings.Trim(fmt.Sprint(secret), "[]"),
		strings.Trim(fmt.Sprintf("%#v", secret), "[]byte{}"),
		strconv.Quote(string(secret)),
	}
	for name, val := range shapes {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
			var out string
			if verb == "%T %v" {
				out = fmt.Sprintf(verb, val, val)
			} else {
				out = fmt.Sprintf(verb, val)
			}
			for _, leak := range leaks {
				if strings.Contains(out, leak) {
					t.Errorf("%s printed with %s = %q reveals the secret", name, verb, out)
					break
				}
			}
		}
	}
	if got, want := fmt.Sprintf("%+v", *v), `callbacks.Verifier{issuer: "Vonage", tolerance: 5m0s, secret: REDACTED}`; got != want {
		t.Errorf("%%+v of the value = %q, want %q", got, want)
	}
	if got, want := fmt.Sprint(nilVerifier), "<nil>"; got != want {
		t.Errorf("nil *Verifier prints %q, want %q", got, want)
	}
	if got, want := fmt.Sprint(callbacks.Verifier{}), "callbacks.Verifier{not initialised: create it with NewVerifier}"; got != want {
		t.Errorf("zero Verifier prints %q, want %q", got, want)
	}
}

// WithClaim refuses a registered claim of a type Verify would refuse, so
// Sign never makes a token its own Verifier rejects for its shape; a claim of
// the right type signs a token that verifies.
func TestWithClaimChecksRegisteredClaimTypes(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	later := sigNow.Add(time.Hour)
	accepted := []struct {
		name  string
		value any
	}{
		{"exp", later.Unix()},
		{"exp", int(later.Unix())},
		{"exp", uint64(later.Unix())},
		{"exp", float64(later.Unix()) + 0.5},
		{"exp", json.Number(strconv.FormatInt(later.Unix(), 10))},
		{"exp", jwt.NewNumericDate(later)},
		{"exp", *jwt.NewNumericDate(later)},
		{"nbf", sigNow.Add(-time.Hour).Unix()},
		{"jti", "my-id"},
		{"sub", "subject"},
		{"aud", "audience"},
		{"aud", []string{"a", "b"}},
		{"aud", jwt.ClaimStrings{"a"}},
		{"api_key", 12345}, // not registered: any type
	}
	for _, tc := range accepted {
		auth, err := callbacks.Sign(sigBody, secret, callbacks.WithClock(sigClock), callbacks.WithClaim(tc.name, tc.value))
		if err != nil {
			t.Errorf("WithClaim(%q, %#v): Sign: %v", tc.name, tc.value, err)
			continue
		}
		if err := v.Verify(auth, sigBody); err != nil {
			t.Errorf("WithClaim(%q, %#v): Verify refused Sign's token: %v", tc.name, tc.value, err)
		}
	}
	refused := []struct {
		name  string
		value any
		want  string
	}{
		{"exp", "tomorrow", `claim "exp" must be a number of seconds since 1970`},
		{"exp", later, `claim "exp" must be a number of seconds since 1970`},
		{"exp", json.Number("soon"), `claim "exp" must be a number of seconds since 1970`},
		{"exp", math.NaN(), `claim "exp" must be a number of seconds since 1970`},
		{"exp", (*jwt.NumericDate)(nil), `claim "exp" must be a number of seconds since 1970`},
		{"nbf", "1700000000", `claim "nbf" must be a number of seconds since 1970`},
		{"jti", 7, `claim "jti" must be a string`},
		{"sub", []string{"x"}, `claim "sub" must be a string`},
		{"aud", 7, `claim "aud" must be a string or a []string`},
		{"aud", nil, `claim "aud" must be a string or a []string`},
	}
	for _, tc := range refused {
		_, err := callbacks.Sign(sigBody, secret, callbacks.WithClaim(tc.name, tc.value))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("WithClaim(%q, %#v): Sign err = %v, want one saying %q", tc.name, tc.value, err, tc.want)
		}
	}
}
