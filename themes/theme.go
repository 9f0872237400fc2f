package themes

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// LogoType names one of a theme's three images. Values this version does
// not know are kept as they arrive.
type LogoType string

// The logo types.
const (
	LogoWhite   LogoType = "white"   // the logo on dark backgrounds
	LogoColored LogoType = "colored" // the logo on light backgrounds
	LogoFavicon LogoType = "favicon" // the browser tab's icon: square, 16 to 32 pixels
)

// Theme is a look for rooms: colour, brand text, logos and the short URL
// their links use.
type Theme struct {
	ID              string `json:"theme_id"`
	Name            string `json:"theme_name"`
	Domain          string `json:"domain"` // "VCP" or "VBC"
	AccountID       string `json:"account_id"`
	ApplicationID   string `json:"application_id"`
	MainColor       string `json:"main_color"`        // e.g. "#12f64e"
	BrandText       string `json:"brand_text"`        // shown in the room's header
	ShortCompanyURL string `json:"short_company_url"` // the slug in room links, e.g. "my-company"

	// The images' keys in the storage system, and their links; empty until
	// a logo is set.
	BrandImageWhite      string `json:"brand_image_white"`
	BrandImageColored    string `json:"brand_image_colored"`
	BrandedFavicon       string `json:"branded_favicon"`
	BrandImageWhiteURL   string `json:"brand_image_white_url"`
	BrandImageColoredURL string `json:"brand_image_colored_url"`
	BrandedFaviconURL    string `json:"branded_favicon_url"`

	// WhiteLabel is the white_label value some answers carry, as sent (its
	// shape is undocumented); nil when absent.
	WhiteLabel json.RawMessage `json:"white_label,omitempty"`
}

// CreateRequest describes a theme to create; empty fields are not sent.
type CreateRequest struct {
	Name            string `json:"theme_name,omitempty"`        // at most 200 characters, unique in the application
	MainColor       string `json:"main_color"`                  // required: "#rgb" or "#rrggbb"
	BrandText       string `json:"brand_text"`                  // required, at most 200 characters
	ShortCompanyURL string `json:"short_company_url,omitempty"` // see UpdateRequest
}

// UpdateRequest changes a theme: nil fields are left as they are, and at
// least one must be set. The fields are checked as CreateRequest's are.
// ShortCompanyURL is at most 128 of the characters A-Z a-z 0-9 _ ~ -, not
// all of them digits, and unique.
type UpdateRequest struct {
	Name            *string `json:"theme_name,omitempty"`
	MainColor       *string `json:"main_color,omitempty"`
	BrandText       *string `json:"brand_text,omitempty"`
	ShortCompanyURL *string `json:"short_company_url,omitempty"`
}

var color = regexp.MustCompile(`^#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$`)

// check refuses what the server would; a nil argument is not sent.
func (s *Service) check(name, mainColor, brandText, shortURL *string) error {
	for _, f := range []struct {
		field string
		v     *string
	}{{"Name", name}, {"BrandText", brandText}} {
		if f.v != nil && utf8.RuneCountInString(*f.v) > 200 {
			return s.c.Arg(f.field, fmt.Sprintf("has %d characters; at most 200 are allowed", utf8.RuneCountInString(*f.v)))
		}
	}
	switch {
	case mainColor != nil && !color.MatchString(*mainColor):
		return s.c.Arg("MainColor", fmt.Sprintf("%q is not a #rgb or #rrggbb colour", *mainColor))
	case brandText != nil && *brandText == "":
		return s.c.Arg("BrandText", "is empty")
	case shortURL == nil:
		return nil
	}
	u := *shortURL
	bad := strings.TrimLeft(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~-")
	switch {
	case u == "" || len(u) > 128:
		return s.c.Arg("ShortCompanyURL", fmt.Sprintf("has %d characters; from 1 to 128 are allowed", len(u)))
	case bad != "":
		return s.c.Arg("ShortCompanyURL", fmt.Sprintf("%q has %q; only A-Z a-z 0-9 _ ~ - are allowed", u, []rune(bad)[0]))
	case strings.Trim(u, "0123456789") == "":
		return s.c.Arg("ShortCompanyURL", fmt.Sprintf("%q is all digits; it needs a letter or one of _ ~ -", u))
	}
	return nil
}

// LogoUploadTarget is a pre-signed form for uploading one logo to the
// storage host. Printing it hides its signature, policy, credential and
// token, and the URL's query.
type LogoUploadTarget struct {
	URL    string            `json:"url"`    // where the form is POSTed
	Fields map[string]string `json:"fields"` // the form's fields, sent as given
}

// Type is the target's logo type, its logoType field.
func (t LogoUploadTarget) Type() LogoType { return LogoType(t.Fields["logoType"]) }

// Key is the logo's temporary key in storage, its key field: FinalizeLogos
// makes it the theme's.
func (t LogoUploadTarget) Key() string { return t.Fields["key"] }

// Format prints the target as fmt would, with its secrets REDACTED.
func (t LogoUploadTarget) Format(f fmt.State, verb rune) {
	type plain LogoUploadTarget
	shown := make(map[string]string, len(t.Fields))
	for k, v := range t.Fields {
		if k := strings.ToLower(k); strings.Contains(k, "signature") || strings.Contains(k, "policy") ||
			strings.Contains(k, "token") || strings.Contains(k, "credential") {
			v = "REDACTED"
		}
		shown[k] = v
	}
	t.URL, t.Fields = core.RedactURL(t.URL), shown
	core.Print(f, verb, plain(t), "themes.LogoUploadTarget")
}

// LogValue makes log/slog print what Format does, even with a JSON handler.
func (t LogoUploadTarget) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", t)) }
