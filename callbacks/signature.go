package callbacks

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// DefaultIssuer is the iss claim of the tokens Vonage signs callbacks with.
	DefaultIssuer = "Vonage"

	// DefaultTolerance is how far a token's iat may lie from the clock, in
	// the past or the future, before Verify refuses it.
	DefaultTolerance = 5 * time.Minute
)

// ErrInvalidSignature is wrapped by every error Verify returns, for a
// missing header as for a forged token. The error says which check failed;
// it never holds the secret or the token.
var ErrInvalidSignature = errors.New("callbacks: invalid signature")

// SignatureOption configures NewVerifier and Sign, so that a test can sign
// and verify with the same issuer and clock. Given a zero value, an option
// leaves the default.
type SignatureOption func(*signatureConfig)

type signatureConfig struct {
	issuer    string
	tolerance time.Duration
	now       func() time.Time
}

// WithIssuer sets the iss claim that Verify requires and Sign writes
// (default DefaultIssuer).
func WithIssuer(iss string) SignatureOption {
	return func(c *signatureConfig) { c.issuer = cmp.Or(iss, c.issuer) }
}

// WithTolerance sets how far iat may lie before or after the clock (default
// DefaultTolerance; d <= 0 leaves it); it is also the leeway for exp and nbf
// when a token has them. Sign ignores it.
func WithTolerance(d time.Duration) SignatureOption {
	return func(c *signatureConfig) { c.tolerance = cmp.Or(max(d, 0), c.tolerance) }
}

// WithClock replaces time.Now: Verify measures iat against it and Sign
// writes it as iat.
func WithClock(now func() time.Time) SignatureOption {
	return func(c *signatureConfig) {
		if now != nil {
			c.now = now
		}
	}
}

func newSignatureConfig(secret []byte, opts []SignatureOption) (*signatureConfig, error) {
	if len(secret) == 0 {
		return nil, errors.New("callbacks: the signature secret is empty")
	}
	c := &signatureConfig{issuer: DefaultIssuer, tolerance: DefaultTolerance, now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	return c, nil
}

// Verifier checks callback signatures made with a shared secret (see
// Verify). It is safe for concurrent use; no fmt verb prints its secret.
type Verifier struct {
	parser *jwt.Parser
	key    jwt.Keyfunc // returns the secret: a func, which fmt prints as an address
	*signatureConfig
}

// NewVerifier returns a Verifier for callbacks signed with secret, the
// account's signature secret (in the dashboard's API settings), which it
// copies. It refuses an empty secret.
func NewVerifier(secret []byte, opts ...SignatureOption) (*Verifier, error) {
	c, err := newSignatureConfig(secret, opts)
	if err != nil {
		return nil, err
	}
	secret = bytes.Clone(secret)
	return &Verifier{
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(c.issuer),
			jwt.WithLeeway(c.tolerance),
			jwt.WithTimeFunc(c.now),
		),
		key:             func(*jwt.Token) (any, error) { return secret, nil },
		signatureConfig: c,
	}, nil
}

// Verify checks that authorization, the Authorization header, is "Bearer
// <JWT>" signed HS256 with the secret, with the expected issuer, an iat
// within the tolerance of the clock either way, and a payload_hash that is
// the SHA-256 of body, exactly as received. Any failure is an error wrapping
// ErrInvalidSignature that names the check. A nil Verifier refuses all.
func (v *Verifier) Verify(authorization string, body []byte) error {
	if v == nil {
		return fmt.Errorf("%w: nil Verifier", ErrInvalidSignature)
	}
	scheme, token, _ := strings.Cut(authorization, " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return fmt.Errorf("%w: no Bearer token in the Authorization header", ErrInvalidSignature)
	}
	var claims struct {
		PayloadHash string `json:"payload_hash"`
		jwt.RegisteredClaims
	}
	if _, err := v.parser.ParseWithClaims(token, &claims, v.key); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidSignature, err)
	}
	if claims.IssuedAt == nil {
		return fmt.Errorf("%w: the token has no iat", ErrInvalidSignature)
	}
	if d := v.now().Sub(claims.IssuedAt.Time); d > v.tolerance || d < -v.tolerance {
		return fmt.Errorf("%w: the token was issued at %v, more than %v from now", ErrInvalidSignature, claims.IssuedAt.Time, v.tolerance)
	}
	want, err := hex.DecodeString(claims.PayloadHash)
	got := sha256.Sum256(body)
	if err != nil || subtle.ConstantTimeCompare(got[:], want) != 1 {
		return fmt.Errorf("%w: payload_hash does not match the body", ErrInvalidSignature)
	}
	return nil
}

// VerifyRequest is Verify for r's Authorization header and body. It reads
// the body, at most DefaultMaxBodyBytes of it, and puts an identical one
// back, so that it can be decoded afterwards. A failure to read the body is
// returned wrapped, not as ErrInvalidSignature.
func (v *Verifier) VerifyRequest(r *http.Request) error {
	body, err := readBody(r, DefaultMaxBodyBytes)
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return v.Verify(r.Header.Get("Authorization"), body)
}

// Sign returns the Authorization header value, "Bearer <JWT>", that signs
// body with secret as Vonage does (HS256; iat now, a random jti, iss and
// payload_hash), for tests of a receiver. It refuses an empty secret.
func Sign(body, secret []byte, opts ...SignatureOption) (string, error) {
	c, err := newSignatureConfig(secret, opts)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(body)
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iat":          c.now().Unix(),
		"jti":          rand.Text(),
		"iss":          c.issuer,
		"payload_hash": hex.EncodeToString(sum[:]),
	}).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("callbacks: signing: %w", err)
	}
	return "Bearer " + token, nil
}
