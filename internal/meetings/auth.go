package meetings

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/golang-jwt/jwt/v5"
)

// Auth gives the Authorization header of API requests.
type Auth interface{ Header() (string, error) }

// Secret is a string that prints as REDACTED under every fmt verb. As an
// Auth it is a fixed Authorization header. (fmt cannot call the method of
// an unexported field: a struct holding a Secret there needs its own Format.)
type Secret string

// Format prints REDACTED, whatever the verb.
func (Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, "REDACTED") }

// Header returns the secret itself.
func (s Secret) Header() (string, error) { return string(s), nil }

// NewBasic returns HTTP Basic auth with an API key and secret, refusing
// values Basic auth would change: a key with ':' (RFC 7617), control
// characters, and blank values. The reason names which is at fault, and
// never shows either.
func NewBasic(key, secret string) (Auth, error) {
	check := func(name, v string) error {
		switch {
		case strings.TrimSpace(v) == "":
			return &ArgumentError{Name: name, Reason: "is empty"}
		case strings.ContainsFunc(v, unicode.IsControl):
			return &ArgumentError{Name: name, Reason: "contains a control character, such as a stray line end"}
		case name == "apiKey" && strings.Contains(v, ":"):
			return &ArgumentError{Name: name, Reason: "contains ':', which HTTP Basic auth cannot carry (RFC 7617)"}
		}
		return nil
	}
	if err := check("apiKey", key); err != nil {
		return nil, err
	}
	if err := check("apiSecret", secret); err != nil {
		return nil, err
	}
	return Secret("Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))), nil
}

// Token lifetimes of application auth: a token is reused until renewMargin
// before it expires.
const (
	tokenLifetime = 15 * time.Minute
	renewMargin   = time.Minute
)

// JWT is application auth: short-lived RS256 tokens with the claims
// application_id, iat, exp and jti, minted once and reused while valid.
type JWT struct {
	appID string
	key   *rsa.PrivateKey
	Now   func() time.Time // the clock; tests replace it

	mu      sync.Mutex
	token   Secret
	renewAt time.Time
}

// NewJWT parses an unencrypted PEM RSA private key (PKCS#1 or PKCS#8, at
// least 2048 bits). Its errors are *ArgumentError and never show key material.
func NewJWT(applicationID string, privateKeyPEM []byte) (*JWT, error) {
	if strings.TrimSpace(applicationID) == "" {
		return nil, &ArgumentError{Name: "applicationID", Reason: "is empty"}
	}
	key, err := parseKey(privateKeyPEM)
	if err != nil {
		return nil, &ArgumentError{Name: "private key", Reason: err.Error()}
	}
	return &JWT{appID: applicationID, key: key, Now: time.Now}, nil
}

func parseKey(privateKeyPEM []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(privateKeyPEM)
	switch {
	case block == nil:
		return nil, errors.New("is not PEM (expected -----BEGIN PRIVATE KEY-----)")
	case block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED"):
		return nil, errors.New("is encrypted: decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)")
	case block.Type != "PRIVATE KEY" && block.Type != "RSA PRIVATE KEY":
		return nil, fmt.Errorf("is a PEM %q block; expected PRIVATE KEY or RSA PRIVATE KEY", block.Type)
	}
	var parsed any
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		if parsed, err = x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return nil, errors.New("is neither a PKCS#8 nor a PKCS#1 key")
		}
	}
	key, ok := parsed.(*rsa.PrivateKey)
	switch {
	case !ok:
		return nil, fmt.Errorf("is a %T; RS256 needs an RSA key", parsed)
	case key.N.BitLen() < 2048:
		return nil, fmt.Errorf("has %d bits; RS256 needs at least 2048", key.N.BitLen())
	}
	return key, nil
}

// Header returns "Bearer <token>", minting a new token when the current one
// is within a minute of expiring.
func (j *JWT) Header() (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.Now()
	if j.token != "" && now.Before(j.renewAt) {
		return string(j.token), nil
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	iat := now.Truncate(time.Second)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"application_id": j.appID,
		"iat":            iat.Unix(),
		"exp":            iat.Add(tokenLifetime).Unix(),
		"jti":            hex.EncodeToString(id),
	}).SignedString(j.key)
	if err != nil {
		return "", fmt.Errorf("signing the application JWT: %w", err)
	}
	j.token, j.renewAt = Secret("Bearer "+tok), iat.Add(tokenLifetime-renewMargin)
	return string(j.token), nil
}

// Format prints the application ID, never the key or token.
func (j *JWT) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "JWT{ApplicationID: %q}", j.appID) }
