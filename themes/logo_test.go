package themes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/themes"
)

const s3 = "https://s3.amazonaws.com/roomservice-whitelabel-logos-prod"

// upload is what the fake storage host received.
type upload struct {
	auth, contentType string
	contentLength     int64
	chunked           bool
	names             []string          // the parts' names, in order
	fields            map[string]string // the non-file parts
	file              []byte
	fileName, fileCT  string
}

// storage is a fake storage host that records each upload and answers
// status and body.
func storage(t *testing.T, status int, body string) (*httptest.Server, *[]upload) {
	var got []upload
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := upload{auth: r.Header.Get("Authorization"), contentType: r.Header.Get("Content-Type"),
			contentLength: r.ContentLength, chunked: len(r.TransferEncoding) > 0, fields: map[string]string{}}
		assert.Equal(t, http.MethodPost, r.Method)
		mr, err := r.MultipartReader()
		if assert.NoError(t, err) {
			for {
				p, err := mr.NextPart()
				if err != nil {
					assert.ErrorIs(t, err, io.EOF)
					break
				}
				b, _ := io.ReadAll(p)
				u.names = append(u.names, p.FormName())
				if p.FileName() != "" {
					u.file, u.fileName, u.fileCT = b, p.FileName(), p.Header.Get("Content-Type")
				} else {
					u.fields[p.FormName()] = string(b)
				}
			}
		}
		got = append(got, u)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

// logoClient is newClient whose transport passes requests it has no
// responder for (those to the fake storage host) to the network.
func logoClient(t *testing.T) (*themes.Service, *httpmock.MockTransport) {
	s, mt := newClient(t)
	mt.RegisterNoResponder(httpmock.InitialTransport.RoundTrip)
	return s, mt
}

func TestSetLogoUploadsAsTheFormSaysThenFinalizes(t *testing.T) {
	for _, tc := range []struct {
		t   themes.LogoType
		key string
	}{
		{themes.LogoWhite, "auto-expiring-temp/logos/white/d92b31ae-fbf1-4709-a729-c0fa75368c25"},
		{themes.LogoColored, "auto-expiring-temp/logos/colored/c4e00bac-781b-4bf0-bd5f-b9ff2cbc1b6c"},
		{themes.LogoFavicon, "auto-expiring-temp/logos/favicon/d7a81477-38f7-460c-b51f-1462b8426df5"},
	} {
		t.Run(string(tc.t), func(t *testing.T) {
			srv, got := storage(t, http.StatusNoContent, "")
			s, mt := logoClient(t)
			targets := strings.ReplaceAll(fixture(t, "list_logo_upload_urls.json"), s3, srv.URL+"/bucket")
			answer(t, mt, "GET", "/themes/logos-upload-urls", "", 200, targets)
			answer(t, mt, "PUT", "/themes/"+themeID+"/finalizeLogos", `{"keys":["`+tc.key+`"]}`, 200, "OK")
			image := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 1000)

			require.NoError(t, s.SetLogo(context.Background(), themeID, tc.t, bytes.NewReader(image)))
			require.Len(t, *got, 1)
			u := (*got)[0]
			assert.Empty(t, u.auth, "no API credentials go to storage")
			assert.False(t, u.chunked)
			assert.Positive(t, u.contentLength, "Content-Length is set")
			mediaType, params, err := mime.ParseMediaType(u.contentType)
			require.NoError(t, err)
			assert.Equal(t, "multipart/form-data", mediaType)
			assert.NotEmpty(t, params["boundary"])
			assert.Equal(t, map[string]string{
				"Content-Type": "image/png", "key": tc.key, "logoType": string(tc.t),
				"bucket": "roomservice-whitelabel-logos-prod", "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
				"X-Amz-Credential": "some-credential", "X-Amz-Date": "20230127T024303Z",
				"X-Amz-Security-Token": "some-token", "Policy": "some-policy", "X-Amz-Signature": "some-signature",
			}, u.fields, "every field, verbatim")
			assert.Len(t, u.names, 11)
			assert.Equal(t, "file", u.names[len(u.names)-1], "the file is the last part")
			assert.Equal(t, image, u.file)
			assert.NotEmpty(t, u.fileName)
			assert.Equal(t, "image/png", u.fileCT)
		})
	}
}

func TestSetLogoSurfacesTheStorageError(t *testing.T) {
	srv, got := storage(t, http.StatusForbidden, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>`)
	s, mt := logoClient(t)
	answer(t, mt, "GET", "/themes/logos-upload-urls", "", 200,
		strings.ReplaceAll(fixture(t, "list_logo_upload_urls.json"), s3, srv.URL+"/bucket"))

	err := s.SetLogo(context.Background(), themeID, themes.LogoColored, strings.NewReader("png"))
	var se *meetings.StorageError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, http.StatusForbidden, se.StatusCode)
	assert.Equal(t, "SignatureDoesNotMatch", se.Code)
	assert.Len(t, *got, 1)
	assert.Equal(t, 2, mt.GetTotalCallCount(), "the targets and the upload: nothing is finalized")
	assert.NotContains(t, err.Error(), "some-signature")
}

func TestSetLogoRefusesBeforeSending(t *testing.T) {
	ctx := context.Background()
	s, mt := newClient(t)
	assert.Equal(t, "image", argName(t, s.SetLogo(ctx, themeID, themes.LogoWhite, bytes.NewReader(make([]byte, themes.MaxLogoSize+1)))))
	assert.Equal(t, "image", argName(t, s.SetLogo(ctx, themeID, themes.LogoWhite, strings.NewReader(""))))
	assert.Equal(t, "image", argName(t, s.SetLogo(ctx, themeID, themes.LogoWhite, nil)))
	assert.Equal(t, "LogoType", argName(t, s.SetLogo(ctx, themeID, "", strings.NewReader("png"))))
	err := s.SetLogo(ctx, themeID, themes.LogoWhite, iotest.ErrReader(errors.New("disk on fire")))
	assert.ErrorContains(t, err, "disk on fire")
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestSetLogoOfATypeWithoutATarget(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/themes/logos-upload-urls", "", 200, fixture(t, "UpdateThemeLogo-GetLogos_ShouldDeserialize200-response.json"))
	assert.Equal(t, "LogoType", argName(t, s.SetLogo(context.Background(), themeID, themes.LogoFavicon, strings.NewReader("png"))))
	assert.Equal(t, 1, mt.GetTotalCallCount())

	answer(t, mt, "GET", "/themes/logos-upload-urls", "", 503, "")
	assert.ErrorIs(t, s.SetLogo(context.Background(), themeID, themes.LogoWhite, strings.NewReader("png")), meetings.ErrServer)
}

func TestSetLogoWhenFinalizingFails(t *testing.T) {
	srv, _ := storage(t, http.StatusNoContent, "")
	s, mt := logoClient(t)
	answer(t, mt, "GET", "/themes/logos-upload-urls", "", 200,
		strings.ReplaceAll(fixture(t, "list_logo_upload_urls.json"), s3, srv.URL+"/bucket"))
	answer(t, mt, "PUT", "/themes/"+themeID+"/finalizeLogos",
		`{"keys":["auto-expiring-temp/logos/white/d92b31ae-fbf1-4709-a729-c0fa75368c25"]}`, 400, fixture(t, "logo_key_error.json"))

	err := s.SetLogo(context.Background(), themeID, themes.LogoWhite, strings.NewReader("png"))
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "could not finalize logos", apiErr.Message)
	require.Len(t, apiErr.Errors, 1)
	assert.JSONEq(t, `{"logoKey":"not-a-key","code":"key_not_found"}`, apiErr.Errors[0])
}

func TestLogoUploadTargets(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/themes/logos-upload-urls", "", 200, fixture(t, "UpdateThemeLogo-GetLogos_ShouldDeserialize200-response.json"))
	targets, err := s.LogoUploadTargets(context.Background())
	require.NoError(t, err)
	require.Len(t, targets, 1)
	assert.Equal(t, "https://storage-url.com", targets[0].URL)
	assert.Equal(t, themes.LogoWhite, targets[0].Type())
	assert.Equal(t, "auto-expiring-temp/logos/white/ca63a155-d5f0-4131-9903-c59907e53df0", targets[0].Key())
	assert.Len(t, targets[0].Fields, 10)
}

func TestLogoUploadTargetPrintsNoSecret(t *testing.T) {
	var targets []themes.LogoUploadTarget
	require.NoError(t, json.Unmarshal([]byte(fixture(t, "list_logo_upload_urls.json")), &targets))
	targets[0].URL += "?X-Amz-Signature=in-the-query"
	targets[0].Fields["signature"] = "legacy-sigv2" // S3's older POST forms
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("target", "t", targets[0])
	for _, out := range []string{fmt.Sprint(targets[0]), fmt.Sprintf("%+v", &targets[0]), fmt.Sprintf("%#v", targets[0]), fmt.Sprint(targets), logs.String()} {
		for _, secret := range []string{"some-policy", "some-signature", "some-token", "some-credential", "in-the-query", "legacy-sigv2"} {
			assert.NotContains(t, out, secret)
		}
		assert.Contains(t, out, "auto-expiring-temp/logos/white/")
	}
	assert.Contains(t, fmt.Sprintf("%#v", targets[0]), "themes.LogoUploadTarget{")
}

func TestUploadLogo(t *testing.T) {
	srv, got := storage(t, http.StatusCreated, "<PostResponse/>")
	s, mt := logoClient(t)
	target := themes.LogoUploadTarget{URL: srv.URL + "/b", Fields: map[string]string{"key": "k", "policy": "p"}}
	require.NoError(t, s.UploadLogo(context.Background(), target, strings.NewReader("GIF89a")))
	require.Len(t, *got, 1)
	assert.Equal(t, []string{"key", "policy", "file"}, (*got)[0].names)
	assert.Equal(t, "application/octet-stream", (*got)[0].fileCT, "the form gave no Content-Type")
	assert.Equal(t, 1, mt.GetTotalCallCount(), "the upload alone: the API is not called")

	target.URL = "http://storage.example.com/b"
	assert.Equal(t, "URL", argName(t, s.UploadLogo(context.Background(), target, strings.NewReader("GIF89a"))))
	assert.Equal(t, "image", argName(t, s.UploadLogo(context.Background(), target, strings.NewReader(""))))
	assert.Len(t, *got, 1)
}

func TestFinalizeLogos(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "PUT", "/themes/"+themeID+"/finalizeLogos", fixture(t, "UpdateThemeLogo-FinalizeLogo_ShouldSerialize-request.json"), 200, "")
	assert.NoError(t, s.FinalizeLogos(context.Background(), themeID, "logo-key1"))
	assert.Equal(t, "keys", argName(t, s.FinalizeLogos(context.Background(), themeID)))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
