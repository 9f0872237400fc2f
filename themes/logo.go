package themes

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
)

// MaxLogoSize is the largest image SetLogo and UploadLogo send: 1 MiB.
const MaxLogoSize = 1 << 20

// SetLogo sets one of a theme's logos in one go: it fetches fresh upload
// targets (LogoUploadTargets), uploads image to the one of type t
// (UploadLogo), and makes its key the theme's (FinalizeLogos), before the
// temporary key can expire. An image larger than MaxLogoSize is an
// *meetings.ArgumentError, and nothing is sent; so is a type the server
// offers no target for, after the targets were fetched. The server checks the image's
// format and dimensions when finalizing: an image it refuses is an
// *meetings.APIError with status 400 whose Errors name the invalid property.
func (s *Service) SetLogo(ctx context.Context, themeID string, t LogoType, image io.Reader) error {
	if _, err := s.c.Segment("themeID", themeID); err != nil {
		return err
	}
	if t == "" {
		return s.c.Arg("LogoType", "is empty")
	}
	data, err := s.read(image)
	if err != nil {
		return err
	}
	targets, err := s.LogoUploadTargets(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(targets, func(u LogoUploadTarget) bool { return u.Type() == t })
	if i < 0 {
		return s.c.Arg("LogoType", fmt.Sprintf("%q has no upload target", t))
	}
	if err := s.upload(ctx, targets[i], data); err != nil {
		return err
	}
	return s.FinalizeLogos(ctx, themeID, targets[i].Key())
}

// LogoUploadTargets fetches pre-signed upload forms, one per logo type:
// GET /themes/logos-upload-urls. Their keys are temporary: finalize an
// uploaded one soon.
func (s *Service) LogoUploadTargets(ctx context.Context) ([]LogoUploadTarget, error) {
	var targets []LogoUploadTarget
	if err := s.c.Do(ctx, http.MethodGet, "/themes/logos-upload-urls", nil, nil, &targets); err != nil {
		return nil, err
	}
	return targets, nil
}

// UploadLogo uploads an image (at most MaxLogoSize) to a target's storage
// host as its pre-signed form says: a multipart/form-data POST of every
// field as given, then the image in the part named "file", with the
// target's Content-Type. It is sent whole, with its Content-Length, without
// the API's credentials, and over https only (plain http for loopback
// hosts). A non-2xx answer is a *meetings.StorageError carrying the storage
// host's error Code.
func (s *Service) UploadLogo(ctx context.Context, target LogoUploadTarget, image io.Reader) error {
	data, err := s.read(image)
	if err != nil {
		return err
	}
	return s.upload(ctx, target, data)
}

// FinalizeLogos makes uploaded logos a theme's, replacing the logos of the
// same types: PUT /themes/{theme_id}/finalizeLogos with {"keys": [...]}.
func (s *Service) FinalizeLogos(ctx context.Context, themeID string, keys ...string) error {
	id, err := s.c.Segment("themeID", themeID)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return s.c.Arg("keys", "are none")
	}
	body := map[string][]string{"keys": keys}
	return s.c.Do(ctx, http.MethodPut, "/themes/"+id+"/finalizeLogos", nil, body, nil)
}

func (s *Service) read(image io.Reader) ([]byte, error) {
	if image == nil {
		return nil, s.c.Arg("image", "is nil")
	}
	data, err := io.ReadAll(io.LimitReader(image, MaxLogoSize+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("themes: reading the image: %w", err)
	case len(data) == 0:
		return nil, s.c.Arg("image", "is empty")
	case len(data) > MaxLogoSize:
		return nil, s.c.Arg("image", "is larger than 1 MiB")
	}
	return data, nil
}

func (s *Service) upload(ctx context.Context, target LogoUploadTarget, data []byte) error {
	var body bytes.Buffer // written in memory: the writes cannot fail
	form := multipart.NewWriter(&body)
	for _, k := range slices.Sorted(maps.Keys(target.Fields)) {
		_ = form.WriteField(k, target.Fields[k])
	}
	ct := target.Fields["Content-Type"]
	if ct == "" {
		ct = "application/octet-stream"
	}
	part, _ := form.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {`form-data; name="file"; filename="logo"`},
		"Content-Type":        {ct},
	})
	_, _ = part.Write(data)
	_ = form.Close()
	h := http.Header{"Content-Type": {form.FormDataContentType()}}
	ctx, cancel := context.WithTimeout(ctx, s.c.Timeout()) // bounded like an API call, unlike downloads
	defer cancel()
	resp, err := s.c.Storage(ctx, http.MethodPost, target.URL, h, body.Bytes())
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.Body.Close()
}
