package auth

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// DefaultTokenLifetime is how long a minted application JWT stays valid.
	DefaultTokenLifetime = 15 * time.Minute

	// renewMargin is how long before its expiry a token is replaced, so that a
	// token never expires between being set on a request and reaching the API.
	renewMargin = time.Minute

	// minTokenLifetime keeps the renewal margin a small share of a token's life.
	minTokenLifetime = 2 * renewMargin
	// maxTokenLifetime bounds the damage of a leaked token.
	maxTokenLifetime = 24 * time.Hour

	// minRSABits is the smallest RSA modulus accepted for RS256 (NIST SP 800-131A).
	minRSABits = 2048

	// maxKeyFileBytes bounds what NewJWTFromFile reads; a PEM RSA key is a few KiB.
	maxKeyFileBytes = 1 << 20
)

// JWT is the application auth of the Meetings API's v1 generation: every
// request carries "Authorization: Bearer <JWT>", a token signed RS256 with the
// application's private key and carrying the claims application_id, iat, exp
// and jti.
//
// A token is minted on first use, reused while it is valid and replaced a
// minute before it expires. JWT is safe for concurrent use; concurrent callers
// that find the token stale wait for a single renewal rather than each minting
// their own.
type JWT struct {
	appID    string
	key      *rsa.PrivateKey
	lifetime time.Duration
	now      func() time.Time

	mu  sync.Mutex                  // serialises minting
	cur atomic.Pointer[mintedToken] // the token in use; nil before the first request
}

// mintedToken is one signed token and the instants that bound its reuse.
type mintedToken struct {
	header   string    // "Bearer <jwt>"
	issuedAt time.Time // the iat claim, second precision
	renewAt  time.Time // exp minus renewMargin
}

// usable reports whether t may be sent at now. A clock that stepped back
// before the token's iat also forces a new token, so the API never sees an
// iat in its future.
func (t *mintedToken) usable(now time.Time) bool {
	return t != nil && now.Before(t.renewAt) && !now.Before(t.issuedAt)
}

// JWTOption configures a JWT authenticator.
type JWTOption func(*JWT) error

// WithClock replaces time.Now as the source of iat and exp, for tests.
func WithClock(now func() time.Time) JWTOption {
	return func(j *JWT) error {
		if now == nil {
			return errors.New("JWT clock is nil")
		}
		j.now = now
		return nil
	}
}

// WithTokenLifetime sets how long each minted token is valid (exp - iat).
// The default is DefaultTokenLifetime; values from 2 minutes to 24 hours are accepted.
func WithTokenLifetime(d time.Duration) JWTOption {
	return func(j *JWT) error {
		if d < minTokenLifetime || d > maxTokenLifetime {
			return fmt.Errorf("JWT token lifetime %v is outside %v to %v", d, minTokenLifetime, maxTokenLifetime)
		}
		j.lifetime = d
		return nil
	}
}

// NewJWT returns JWT application auth for applicationID, signing with the RSA
// private key in privateKeyPEM: PKCS#1 ("RSA PRIVATE KEY") or PKCS#8
// ("PRIVATE KEY", the form the Vonage dashboard downloads), unencrypted, of at
// least 2048 bits.
//
// It fails with an error naming the problem for an empty application ID, input
// that is not PEM, a PEM block that is not a private key, an encrypted key, a
// key that is not RSA, or a key that is too small. Errors never contain key material.
func NewJWT(applicationID string, privateKeyPEM []byte, opts ...JWTOption) (*JWT, error) {
	if strings.TrimSpace(applicationID) == "" {
		return nil, errors.New("application ID is empty")
	}
	key, err := parseRSAPrivateKey(privateKeyPEM)
	if err != nil {
		return nil, err
	}
	j := &JWT{appID: applicationID, key: key, lifetime: DefaultTokenLifetime, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(j); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// NewJWTFromFile is NewJWT with the private key read from the file at path.
func NewJWTFromFile(applicationID, path string, opts ...JWTOption) (*JWT, error) {
	if path == "" {
		return nil, errors.New("private key file path is empty")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading private key file: %w", err)
	}
	defer f.Close()
	pemBytes, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading private key file %q: %w", path, err)
	}
	if len(pemBytes) > maxKeyFileBytes {
		return nil, fmt.Errorf("private key file %q is larger than %d bytes; it is not a PEM private key", path, maxKeyFileBytes)
	}
	j, err := NewJWT(applicationID, pemBytes, opts...)
	if err != nil {
		return nil, fmt.Errorf("private key file %q: %w", path, err)
	}
	return j, nil
}

// parseRSAPrivateKey finds the first private-key PEM block in data and returns
// the RSA key in it. Its errors say what was found instead and never quote the input.
func parseRSAPrivateKey(data []byte) (*rsa.PrivateKey, error) {
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, errors.New("private key is empty")
	}
	var (
		block *pem.Block
		seen  []string
	)
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if strings.HasSuffix(b.Type, "PRIVATE KEY") {
			block = b
			break
		}
		seen = append(seen, fmt.Sprintf("%q", b.Type))
	}
	if block == nil {
		if len(seen) == 0 {
			return nil, errors.New("private key is not PEM encoded (expected a block starting with -----BEGIN PRIVATE KEY-----)")
		}
		return nil, fmt.Errorf("private key PEM holds %s and no private key (expected PRIVATE KEY or RSA PRIVATE KEY)", strings.Join(seen, ", "))
	}

	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("private key is encrypted (PKCS#8 ENCRYPTED PRIVATE KEY); decrypt it first, e.g. openssl pkcs8 -in key.pem -out plain.pem")
	case strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED"):
		return nil, errors.New("private key is encrypted (PEM Proc-Type 4,ENCRYPTED); decrypt it first, e.g. openssl rsa -in key.pem -out plain.pem")
	case block.Type == "EC PRIVATE KEY":
		return nil, errors.New("private key is an EC key; RS256 needs an RSA key")
	case block.Type == "OPENSSH PRIVATE KEY":
		return nil, errors.New("private key is in OpenSSH format; convert it to PEM, e.g. ssh-keygen -p -m PKCS8 -f key")
	case block.Type != "PRIVATE KEY" && block.Type != "RSA PRIVATE KEY":
		return nil, fmt.Errorf("private key PEM block is %q; expected PRIVATE KEY or RSA PRIVATE KEY", block.Type)
	}

	// Try both encodings whatever the label says: keys relabelled by hand are common.
	var parsed any
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		parsed = k
	} else if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		parsed = k
	} else if _, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return nil, errors.New("private key is an EC key; RS256 needs an RSA key")
	} else {
		// x509's own text is not echoed: it is of no help and is best kept away from key bytes.
		return nil, fmt.Errorf("private key PEM block %q is neither a valid PKCS#1 nor PKCS#8 private key", block.Type)
	}

	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key is %s; RS256 needs an RSA key", keyKind(parsed))
	}
	if bits := key.N.BitLen(); bits < minRSABits {
		return nil, fmt.Errorf("RSA private key has %d bits; at least %d are required", bits, minRSABits)
	}
	return key, nil
}

// keyKind names a non-RSA key type for an error message.
func keyKind(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return "an EC key"
	case ed25519.PrivateKey:
		return "an Ed25519 key"
	case *ecdh.PrivateKey:
		return "an X25519 key"
	default:
		return fmt.Sprintf("a %T", k)
	}
}

// appClaims are the claims of an application JWT.
type appClaims struct {
	ApplicationID string `json:"application_id"`
	jwt.RegisteredClaims
}

// Authenticate sets "Authorization: Bearer <JWT>" on req, minting a new token
// when none is in use or the current one is within a minute of expiring.
func (j *JWT) Authenticate(req *http.Request) error {
	h, err := j.bearer()
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", h)
	return nil
}

// bearer returns the header value of a usable token, minting one if needed.
func (j *JWT) bearer() (string, error) {
	if t := j.cur.Load(); t.usable(j.now()) {
		return t.header, nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	if t := j.cur.Load(); t.usable(now) { // another caller renewed it while we waited
		return t.header, nil
	}
	t, err := j.mint(now)
	if err != nil {
		return "", err
	}
	j.cur.Store(t)
	return t.header, nil
}

// mint signs a new token issued at now.
func (j *JWT) mint(now time.Time) (*mintedToken, error) {
	iat := now.Truncate(time.Second) // the wire has whole seconds; keep usable() consistent with it
	exp := iat.Add(j.lifetime)
	claims := appClaims{
		ApplicationID: j.appID,
		RegisteredClaims: jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(iat),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        NewJTI(),
		},
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(j.key)
	if err != nil {
		// The RSA signer's errors carry no key material.
		return nil, fmt.Errorf("signing application JWT: %w", err)
	}
	return &mintedToken{header: "Bearer " + signed, issuedAt: iat, renewAt: exp.Add(-renewMargin)}, nil
}

// NewJTI returns a random version 4 UUID, the shape of jti Vonage's tokens
// carry: application JWTs here, signed callbacks in package callbacks.
func NewJTI() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+); it crashes the program instead
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// Mode returns "jwt".
func (j *JWT) Mode() string { return "jwt" }

// ApplicationID returns the application ID the tokens are issued for. It is not a secret.
func (j *JWT) ApplicationID() string { return j.appID }

// Format prints the application ID and never the key or a token, whatever the verb.
func (j *JWT) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "auth.JWT{ApplicationID: %q, key: REDACTED}", j.appID)
}
