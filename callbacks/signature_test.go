package callbacks

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	sigSecret = []byte("test-signature-secret-0123456789")
	sigNow    = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	sigClock  = func() time.Time { return sigNow }
)

func sigBody(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/signature/recording_uploaded.json")
	require.NoError(t, err)
	return b
}

func newTestVerifier(t testing.TB, opts ...SignatureOption) *Verifier {
	t.Helper()
	v, err := NewVerifier(sigSecret, append([]SignatureOption{WithClock(sigClock)}, opts...)...)
	require.NoError(t, err)
	return v
}

// vonageClaims are the claims of a callback signed at sigNow for body, as
// Vonage signs them.
func vonageClaims(body []byte) jwt.MapClaims {
	sum := sha256.Sum256(body)
	return jwt.MapClaims{
		"iat":            sigNow.Unix(),
		"jti":            "c5ba8f24-1a14-4c10-bfdf-3fbe8ce511b5",
		"iss":            "Vonage",
		"payload_hash":   hex.EncodeToString(sum[:]),
		"api_key":        "a1b2c3d",
		"application_id": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
	}
}

func signWith(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return "Bearer " + s
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims { c[k] = v; return c }

func without(c jwt.MapClaims, k string) jwt.MapClaims { delete(c, k); return c }

func TestVerifyAcceptsAndRejects(t *testing.T) {
	t.Parallel()
	body := sigBody(t)
	v := newTestVerifier(t)
	hs256 := func(c jwt.MapClaims) string { return signWith(t, jwt.SigningMethodHS256, c, sigSecret) }
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	none := signWith(t, jwt.SigningMethodNone, vonageClaims(body), jwt.UnsafeAllowNoneSignatureType)
	tampered := bytes.Replace(body, []byte("930"), []byte("931"), 1)
	for _, tc := range []struct {
		name, auth string
		body       []byte
		ok         bool
	}{
		{"Vonage's claims", hs256(vonageClaims(body)), body, true},
		{"Sign's header", mustSign(t, body, sigSecret, WithClock(sigClock)), body, true},
		{"lower-case scheme", strings.Replace(hs256(vonageClaims(body)), "Bearer", "bearer", 1), body, true},
		{"iat at the edge of the tolerance", hs256(with(vonageClaims(body), "iat", sigNow.Add(-DefaultTolerance).Unix())), body, true},
		{"upper-case hex hash", hs256(with(vonageClaims(body), "payload_hash", strings.ToUpper(vonageClaims(body)["payload_hash"].(string)))), body, true},
		{"wrong secret", signWith(t, jwt.SigningMethodHS256, vonageClaims(body), []byte("another secret")), body, false},
		{"tampered body", hs256(vonageClaims(body)), tampered, false},
		{"alg none", none, body, false},
		{"RS256", signWith(t, jwt.SigningMethodRS256, vonageClaims(body), rsaKey), body, false},
		{"HS512 with the right secret", signWith(t, jwt.SigningMethodHS512, vonageClaims(body), sigSecret), body, false},
		{"stale iat", hs256(with(vonageClaims(body), "iat", sigNow.Add(-DefaultTolerance-time.Second).Unix())), body, false},
		{"future iat", hs256(with(vonageClaims(body), "iat", sigNow.Add(DefaultTolerance+time.Second).Unix())), body, false},
		{"far future iat", hs256(with(vonageClaims(body), "iat", int64(1)<<50)), body, false},
		{"no iat", hs256(without(vonageClaims(body), "iat")), body, false},
		{"wrong iss", hs256(with(vonageClaims(body), "iss", "Mallory")), body, false},
		{"no iss", hs256(without(vonageClaims(body), "iss")), body, false},
		{"expired", hs256(with(vonageClaims(body), "exp", sigNow.Add(-time.Hour).Unix())), body, false},
		{"no payload_hash", hs256(without(vonageClaims(body), "payload_hash")), body, false},
		{"payload_hash not hex", hs256(with(vonageClaims(body), "payload_hash", "zz")), body, false},
		{"missing header", "", body, false},
		{"Bearer alone", "Bearer", body, false},
		{"Bearer and a space", "Bearer ", body, false},
		{"non-Bearer scheme", strings.Replace(hs256(vonageClaims(body)), "Bearer", "Basic", 1), body, false},
		{"garbage", "Bearer not.a.jwt", body, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := v.Verify(tc.auth, tc.body)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrInvalidSignature)
			assert.NotContains(t, err.Error(), string(sigSecret))
			if tok := strings.TrimPrefix(tc.auth, "Bearer "); len(tok) > 10 {
				assert.NotContains(t, err.Error(), tok, "the token stays out of the error")
			}
		})
	}
}

func TestVerifierOptions(t *testing.T) {
	t.Parallel()
	body := sigBody(t)
	late := func() time.Time { return sigNow.Add(9 * time.Minute) }
	header := mustSign(t, body, sigSecret, WithClock(sigClock), WithIssuer("Acme"))
	assert.NoError(t, newTestVerifier(t, WithIssuer("Acme")).Verify(header, body))
	assert.ErrorIs(t, newTestVerifier(t).Verify(header, body), ErrInvalidSignature, "the default issuer is Vonage")
	assert.ErrorIs(t, newTestVerifier(t, WithIssuer("Acme"), WithClock(late)).Verify(header, body), ErrInvalidSignature)
	assert.NoError(t, newTestVerifier(t, WithIssuer("Acme"), WithClock(late), WithTolerance(10*time.Minute)).Verify(header, body))
	// Zero values and nil options leave the defaults.
	assert.NoError(t, newTestVerifier(t, WithIssuer("Acme"), WithTolerance(-1), nil).Verify(header, body))
	assert.NoError(t, newTestVerifier(t, WithIssuer("")).Verify(mustSign(t, body, sigSecret, WithClock(sigClock), WithIssuer("")), body))

	_, err := NewVerifier(nil)
	assert.Error(t, err)
	_, err = Sign(body, nil)
	assert.Error(t, err)
	var nilVerifier *Verifier
	assert.ErrorIs(t, nilVerifier.Verify(header, body), ErrInvalidSignature)
}

func TestSignMakesAFullHeaderWithTheClaims(t *testing.T) {
	t.Parallel()
	body := sigBody(t)
	h1, h2 := mustSign(t, body, sigSecret, WithClock(sigClock)), mustSign(t, body, sigSecret, WithClock(sigClock))
	require.True(t, strings.HasPrefix(h1, "Bearer "))
	assert.NotEqual(t, h1, h2, "jti is random")
	claims := jwt.MapClaims{}
	tok, err := jwt.NewParser().ParseWithClaims(strings.TrimPrefix(h1, "Bearer "), claims, func(*jwt.Token) (any, error) { return sigSecret, nil })
	require.NoError(t, err)
	assert.Equal(t, "HS256", tok.Method.Alg())
	assert.Equal(t, "Vonage", claims["iss"])
	assert.Equal(t, float64(sigNow.Unix()), claims["iat"])
	assert.Equal(t, vonageClaims(body)["payload_hash"], claims["payload_hash"])
	assert.NotEmpty(t, claims["jti"])
}

func TestVerifyRequestPutsTheBodyBack(t *testing.T) {
	t.Parallel()
	body := sigBody(t)
	v := newTestVerifier(t)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Authorization", mustSign(t, body, sigSecret, WithClock(sigClock)))
	require.NoError(t, v.VerifyRequest(r))
	again, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, body, again)

	r = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	assert.ErrorIs(t, v.VerifyRequest(r), ErrInvalidSignature)
	r = httptest.NewRequest(http.MethodPost, "/", failingReader{io.ErrUnexpectedEOF})
	assert.ErrorIs(t, v.VerifyRequest(r), io.ErrUnexpectedEOF)
}

func TestSecretsStayOutOfPrints(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t)
	ev := mustParse(t, []byte(`{"event":"recording:uploaded","recording_id":"r1","url":"https://storage.example/r1.mp4?X-Amz-Signature=s3cr3t#frag"}`)).(*RecordingUploaded)
	type holder struct{ v Verifier } // fmt cannot call methods here: the secret must not be in the bytes at all
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
		for _, x := range []any{v, *v, holder{v: *v}, []*Verifier{v}} {
			s := fmt.Sprintf(verb, x)
			assert.NotContains(t, s, string(sigSecret), verb)
			assert.NotContains(t, s, fmt.Sprint(sigSecret[:4]), verb, "not even as bytes")
		}
		for _, x := range []any{ev, *ev, []Event{ev}} {
			s := fmt.Sprintf(verb, x)
			assert.NotContains(t, s, "s3cr3t", verb)
			assert.NotContains(t, s, "frag", verb)
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.Contains(t, fmt.Sprintf(verb, ev), "https://storage.example/r1.mp4?REDACTED", verb)
	}
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("callback", "event", ev, "unknown", mustParse(t, []byte(`{"event":"x:y","token":"s3cr3t"}`)))
	assert.NotContains(t, logs.String(), "s3cr3t", "a JSON log handler uses LogValue, not MarshalJSON")
	assert.Contains(t, logs.String(), "r1.mp4?REDACTED")
	started := mustParse(t, []byte(`{"event":"session:started","session_id":"s1","extra":"s3cr3t"}`))
	assert.NotContains(t, fmt.Sprintf("%+v", started), "s3cr3t", "the kept body is not printed")
	assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", ev), "callbacks.RecordingUploaded{"))
	assert.Contains(t, ev.URL, "s3cr3t", "the field itself is unchanged")

	u := mustParse(t, []byte(`{"event":"x:y","token":"s3cr3t"}`))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d"} {
		s := fmt.Sprintf(verb, u)
		assert.NotContains(t, s, "s3cr3t", verb)
		assert.Contains(t, s, `"x:y"`, verb)
		assert.Contains(t, s, "32 bytes", verb)
	}
}
