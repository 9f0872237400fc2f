package callbacks

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/vonage-meetings/go-sdk/internal/auth"
)

// Signed callbacks, the way Vonage signs webhooks: the request carries
// "Authorization: Bearer <JWT>", an HS256 token made with the account's
// signature secret, whose claims are
//
//	iat           when it was signed (Unix seconds)
//	jti           a unique ID
//	iss           "Vonage"
//	payload_hash  hex SHA-256 of the raw request body
//
// plus informational claims such as api_key and application_id.

const (
	// DefaultIssuer is the iss claim Vonage puts in the tokens it signs callbacks with.
	DefaultIssuer = "Vonage"

	// DefaultTolerance is how far a token's iat may lie from the receiver's clock,
	// in the past or the future, before Verify refuses it.
	DefaultTolerance = 5 * time.Minute

	// maxSignatureTokenLength bounds the work spent on a header; Vonage's tokens are under 1 KiB.
	maxSignatureTokenLength = 8 << 10
)

// ErrInvalidSignature is matched by every error Verify returns: errors.Is(err,
// ErrInvalidSignature) holds for a missing header as for a forged token. The
// error text says which check failed; it never contains the secret or the token.
var ErrInvalidSignature = errors.New("callbacks: invalid signature")

// invalidSignature returns an error wrapping ErrInvalidSignature with reason.
func invalidSignature(reason string) error { return fmt.Errorf("%w: %s", ErrInvalidSignature, reason) }

// Verifier checks the signature of callbacks signed with a shared secret.
// It is safe for concurrent use. Create one with NewVerifier.
//
// Printing a Verifier with any fmt verb, by value or by pointer, shows its
// issuer and tolerance and never its secret.
type Verifier struct {
	// key returns the secret. It is a closure because fmt cannot look into
	// one: even where Format cannot run (a Verifier in an unexported field
	// of a user's struct, printed with any verb), fmt shows an address
	// rather than the secret's bytes.
	key       func() []byte
	issuer    string
	tolerance time.Duration
	now       func() time.Time
	parser    *jwt.Parser
}

// signatureConfig holds what the options of Verifier and Sign set.
type signatureConfig struct {
	issuer    string
	tolerance time.Duration
	now       func() time.Time
	claims    map[string]any // Sign only
	errs      []error
}

// VerifyOption configures NewVerifier.
type VerifyOption interface{ applyVerify(*signatureConfig) }

// SignOption configures Sign.
type SignOption interface{ applySign(*signatureConfig) }

// SignatureOption configures both NewVerifier and Sign, so a test can sign
// and verify with the same issuer and clock.
type SignatureOption interface {
	VerifyOption
	SignOption
}

type sigOptionFunc func(*signatureConfig)

func (f sigOptionFunc) applyVerify(c *signatureConfig) { f(c) }
func (f sigOptionFunc) applySign(c *signatureConfig)   { f(c) }

type sigVerifyOnly func(*signatureConfig)

func (f sigVerifyOnly) applyVerify(c *signatureConfig) { f(c) }

type sigSignOnly func(*signatureConfig)

func (f sigSignOnly) applySign(c *signatureConfig) { f(c) }

// WithIssuer sets the iss claim Verify requires and Sign writes (default "Vonage").
// An empty issuer is refused.
func WithIssuer(iss string) SignatureOption {
	return sigOptionFunc(func(c *signatureConfig) {
		if iss == "" {
			c.errs = append(c.errs, errors.New("issuer is empty"))
			return
		}
		c.issuer = iss
	})
}

// WithClock replaces time.Now: Verify measures iat against it and Sign writes
// it as iat. A nil clock is refused.
func WithClock(now func() time.Time) SignatureOption {
	return sigOptionFunc(func(c *signatureConfig) {
		if now == nil {
			c.errs = append(c.errs, errors.New("clock is nil"))
			return
		}
		c.now = now
	})
}

// WithTolerance sets how far iat may lie before or after the receiver's clock
// (default 5 minutes). It also serves as leeway for exp and nbf when a token
// carries them. A tolerance that is not positive is refused.
func WithTolerance(d time.Duration) VerifyOption {
	return sigVerifyOnly(func(c *signatureConfig) {
		if d <= 0 {
			c.errs = append(c.errs, fmt.Errorf("tolerance %v is not positive", d))
			return
		}
		c.tolerance = d
	})
}

// WithClaim makes Sign add one more claim, such as api_key or application_id,
// or replace the random jti. The claims Sign computes (iat, iss, payload_hash)
// cannot be replaced this way: use WithClock, WithIssuer and the body instead.
// The other registered claims must have the type Verify expects: exp and nbf
// a number of seconds since 1970 (a Go number, json.Number or
// jwt.NumericDate), jti and sub a string, aud a string or []string; Sign
// refuses anything else with an error naming the claim.
func WithClaim(name string, value any) SignOption {
	return sigSignOnly(func(c *signatureConfig) {
		switch name {
		case "":
			c.errs = append(c.errs, errors.New("claim name is empty"))
			return
		case "iat", "iss", "payload_hash":
			c.errs = append(c.errs, fmt.Errorf("claim %q is set by Sign; use WithClock, WithIssuer or the body", name))
			return
		}
		if err := checkClaimType(name, value); err != nil {
			c.errs = append(c.errs, err)
			return
		}
		if c.claims == nil {
			c.claims = map[string]any{}
		}
		c.claims[name] = value
	})
}

// checkClaimType refuses a registered claim (RFC 7519 section 4.1) of a type
// Verify refuses, so that Sign never makes a token its own Verifier rejects
// for its shape: exp and nbf are JSON numbers (any Go integer or finite
// float, a json.Number, a jwt.NumericDate), jti and sub strings, aud a string
// or a list of strings. Other claims may be any JSON-encodable value.
func checkClaimType(name string, value any) error {
	switch name {
	case "exp", "nbf":
		ok := false
		switch x := value.(type) {
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			ok = true
		case float32:
			ok = !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0)
		case float64:
			ok = !math.IsNaN(x) && !math.IsInf(x, 0)
		case json.Number:
			_, err := x.Float64()
			ok = err == nil
		case jwt.NumericDate:
			ok = true
		case *jwt.NumericDate:
			ok = x != nil
		}
		if !ok {
			return fmt.Errorf("claim %q must be a number of seconds since 1970 (such as time.Now().Add(time.Hour).Unix() or a *jwt.NumericDate), not %T", name, value)
		}
	case "jti", "sub":
		if _, ok := value.(string); !ok {
			return fmt.Errorf("claim %q must be a string, not %T", name, value)
		}
	case "aud":
		switch value.(type) {
		case string, []string, jwt.ClaimStrings:
		default:
			return fmt.Errorf("claim %q must be a string or a []string, not %T", name, value)
		}
	}
	return nil
}

func newSignatureConfig() *signatureConfig {
	return &signatureConfig{issuer: DefaultIssuer, tolerance: DefaultTolerance, now: time.Now}
}

func checkSignatureSecret(secret []byte) error {
	// Only emptiness is refused: the account's secret is chosen in the Vonage
	// dashboard, and a verifier that refused a real secret would be useless.
	if len(secret) == 0 {
		return errors.New("callbacks: signature secret is empty")
	}
	return nil
}

// NewVerifier returns a Verifier for callbacks signed with secret, the
// signature secret of the account (in the Vonage dashboard's API settings).
// It refuses an empty secret and invalid options.
// The secret is copied; later changes to the slice do not affect the Verifier.
func NewVerifier(secret []byte, opts ...VerifyOption) (*Verifier, error) {
	if err := checkSignatureSecret(secret); err != nil {
		return nil, err
	}
	c := newSignatureConfig()
	for _, o := range opts {
		if o != nil {
			o.applyVerify(c)
		}
	}
	if err := errors.Join(c.errs...); err != nil {
		return nil, fmt.Errorf("callbacks: NewVerifier: %w", err)
	}
	secret = bytes.Clone(secret)
	v := &Verifier{key: func() []byte { return secret }, issuer: c.issuer, tolerance: c.tolerance, now: c.now}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), // no none, no RS/HS confusion, no HS384/512
		jwt.WithIssuer(v.issuer),
		jwt.WithTimeFunc(v.now),
		jwt.WithLeeway(v.tolerance),
		jwt.WithStrictDecoding(), // one encoding per token: a re-encoded signature is not the same token
	)
	return v, nil
}

// signedClaims are the claims of a signed callback.
type signedClaims struct {
	PayloadHash string `json:"payload_hash"`
	// IssuedAt shadows RegisteredClaims.IssuedAt, whose decoder accepts a
	// quoted number and overflows on a huge one: Verify checks it by hand
	// (issuedAt). The parser does not validate iat itself.
	IssuedAt json.RawMessage `json:"iat"`
	jwt.RegisteredClaims
}

// maxIssuedAt is the last second of year 9999, the latest iat taken for a time.
const maxIssuedAt = 253402300799

// issuedAt reads the iat claim: a JSON number (RFC 7519's NumericDate, not a
// quoted one) of seconds since 1970 that is a plausible time. On failure it
// returns the reason.
func issuedAt(raw json.RawMessage) (time.Time, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, "token has no iat claim"
	}
	if raw[0] != '-' && !isDigit(raw[0]) {
		return time.Time{}, "token iat claim is not a JSON number"
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return time.Time{}, "token iat claim is not a JSON number"
	}
	if err != nil || f < 0 || f > maxIssuedAt {
		return time.Time{}, fmt.Sprintf("token iat claim %s is not a plausible time", show(raw))
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))), ""
}

// issuedWhen says how far iat lies from now, d, for an error: a duration,
// or the time itself when the distance is too large for a Duration.
func issuedWhen(iat time.Time, d time.Duration, dir string) string {
	if d == math.MaxInt64 || d == math.MinInt64 {
		return "at " + iat.UTC().Format(time.RFC3339) + ", " + dir
	}
	return d.Round(time.Second).String() + " " + dir
}

// Verify checks that authorization, the value of the request's Authorization
// header, is "Bearer <JWT>" signed HS256 with the Verifier's secret, that its
// iss is the expected issuer, that its iat (a JSON number of seconds, as RFC
// 7519 requires; a quoted number is refused) lies within the tolerance of now in
// either direction, and that its payload_hash is the SHA-256 of body, the raw
// request body exactly as received. Call it before decoding the body.
//
// It returns nil for a valid signature and otherwise an error that satisfies
// errors.Is(err, ErrInvalidSignature) and names the failed check.
func (v *Verifier) Verify(authorization string, body []byte) error {
	if v == nil || v.parser == nil || v.key == nil {
		return invalidSignature("Verifier is not initialised; create it with NewVerifier")
	}
	raw, err := parseBearer(authorization)
	if err != nil {
		return err
	}
	var claims signedClaims
	tok, err := v.parser.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodHS256 { // belt and braces beside WithValidMethods
			return nil, errors.New("unexpected signing method")
		}
		return v.key(), nil
	})
	if err != nil {
		return invalidSignature(describeJWTError(tok, err, v.issuer))
	}

	iat, reason := issuedAt(claims.IssuedAt)
	if reason != "" {
		return invalidSignature(reason)
	}
	now := v.now()
	switch {
	case iat.Before(now.Add(-v.tolerance)):
		return invalidSignature(fmt.Sprintf("token was issued %s, longer than the tolerance of %v", issuedWhen(iat, now.Sub(iat), "ago"), v.tolerance))
	case iat.After(now.Add(v.tolerance)):
		return invalidSignature(fmt.Sprintf("token was issued %s, more than the tolerance of %v", issuedWhen(iat, iat.Sub(now), "in the future"), v.tolerance))
	}

	if claims.PayloadHash == "" {
		return invalidSignature("token has no payload_hash claim")
	}
	want, err := hex.DecodeString(claims.PayloadHash)
	if err != nil || len(want) != sha256.Size {
		return invalidSignature("payload_hash claim is not a hex SHA-256 digest")
	}
	got := sha256.Sum256(body)
	if subtle.ConstantTimeCompare(got[:], want) != 1 {
		return invalidSignature("payload_hash does not match the body")
	}
	return nil
}

// VerifyRequest is Verify for r's Authorization header and body. It reads the
// body and puts an identical one back (r.Body and r.GetBody), so that the body
// can still be decoded afterwards. It reads without limit: wrap r.Body with
// http.MaxBytesReader first if r comes from the network. A failure to read
// the body is returned wrapped ("callbacks: reading callback body: ..."), not
// as ErrInvalidSignature.
//
// A nil r, or one without a Bearer Authorization header (a nil Header
// included), fails with ErrInvalidSignature before the body is read.
func (v *Verifier) VerifyRequest(r *http.Request) error {
	if r == nil {
		return invalidSignature("request is nil")
	}
	if _, err := parseBearer(r.Header.Get("Authorization")); err != nil {
		return err // nothing to verify the body against: leave it unread
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return fmt.Errorf("callbacks: reading callback body: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return v.Verify(r.Header.Get("Authorization"), body)
}

// parseBearer extracts the token from an Authorization header value. The
// scheme is matched without regard to case (RFC 9110 section 11.1).
func parseBearer(authorization string) (string, error) {
	authorization = strings.Trim(authorization, " \t") // optional white space around a field value (RFC 9110 section 5.5)
	if strings.TrimSpace(authorization) == "" {
		return "", invalidSignature("no Authorization header")
	}
	scheme, token, _ := strings.Cut(authorization, " ") // "Bearer" alone is the scheme with an empty token
	if !strings.EqualFold(scheme, "Bearer") {
		return "", invalidSignature("Authorization scheme is not Bearer")
	}
	token = strings.Trim(token, " ")
	switch {
	case token == "":
		return "", invalidSignature("Bearer token is empty")
	case len(token) > maxSignatureTokenLength:
		return "", invalidSignature(fmt.Sprintf("Bearer token is longer than %d bytes", maxSignatureTokenLength))
	case strings.ContainsAny(token, " \t\r\n"):
		return "", invalidSignature("Bearer token contains whitespace")
	}
	return token, nil
}

// describeJWTError turns a jwt parse error into a reason that names the failed check
// without quoting the token (only a registered algorithm name is echoed).
func describeJWTError(tok *jwt.Token, err error, issuer string) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "token is not a well-formed JWT"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "token names no usable algorithm"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		if tok != nil && tok.Method != jwt.SigningMethodHS256 {
			alg, _ := tok.Header["alg"].(string)
			if alg == "none" || slices.Contains(jwt.GetAlgorithms(), alg) {
				return fmt.Sprintf("token algorithm %q is not HS256", alg)
			}
			return "token algorithm is not HS256"
		}
		return "token signature does not match the signature secret"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return fmt.Sprintf("token issuer is not %q", issuer)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing): // iss is the only claim the parser requires
		return "token has no iss claim"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token has expired (exp)"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "token is not valid yet (nbf)"
	default:
		return "token claims are invalid"
	}
}

// Format prints the Verifier's settings and never its secret, whatever the
// verb. Its receiver is a value so that a Verifier value (a dereferenced
// pointer, a field of a struct) is redacted as a pointer is; fmt prints a nil
// *Verifier as <nil>. A zero Verifier prints as not initialised.
func (v Verifier) Format(f fmt.State, verb rune) {
	if v.parser == nil || v.key == nil {
		fmt.Fprint(f, "callbacks.Verifier{not initialised: create it with NewVerifier}")
		return
	}
	fmt.Fprintf(f, "callbacks.Verifier{issuer: %q, tolerance: %v, secret: REDACTED}", v.issuer, v.tolerance)
}

// Sign returns an Authorization header value, "Bearer <JWT>", that signs body
// with secret the way Vonage signs callbacks: HS256 with the claims iat (now),
// jti (random), iss ("Vonage" unless WithIssuer) and payload_hash (hex SHA-256
// of body). It is meant for tests of a callback receiver, like the signing
// helpers of other webhook libraries. It refuses the secrets NewVerifier refuses.
func Sign(body []byte, secret []byte, opts ...SignOption) (string, error) {
	if err := checkSignatureSecret(secret); err != nil {
		return "", err
	}
	c := newSignatureConfig()
	for _, o := range opts {
		if o != nil {
			o.applySign(c)
		}
	}
	if err := errors.Join(c.errs...); err != nil {
		return "", fmt.Errorf("callbacks: Sign: %w", err)
	}
	sum := sha256.Sum256(body)
	claims := jwt.MapClaims{
		"iat":          c.now().Unix(),
		"jti":          auth.NewJTI(),
		"iss":          c.issuer,
		"payload_hash": hex.EncodeToString(sum[:]),
	}
	for k, val := range c.claims {
		claims[k] = val
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("callbacks: Sign: %w", err)
	}
	return "Bearer " + signed, nil
}
