package themes_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/rooms"
	"github.com/vonage-meetings/go-sdk/themes"
)

const (
	base    = "https://api.example.test/v1/meetings"
	themeID = "90a21428-b74a-4221-adc3-783935d654db"
)

func newClient(t *testing.T) (*themes.Service, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := meetings.NewClient("key", "secret", meetings.WithBaseURL(base),
		meetings.WithHTTPClient(&http.Client{Transport: mt}), meetings.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	return c.Themes, mt
}

// fixture is a testdata file as it is, byte-order mark included.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

// answer makes mt answer method pathQuery (relative to base, with its exact
// query) with status and body, checking the request's JSON body against
// wantBody ("" for none).
func answer(t *testing.T, mt *httpmock.MockTransport, method, pathQuery, wantBody string, status int, body string) {
	mt.RegisterResponder(method, base+pathQuery, func(r *http.Request) (*http.Response, error) {
		_, query, _ := strings.Cut(pathQuery, "?")
		assert.Equal(t, query, r.URL.RawQuery, "query of %s %s", method, pathQuery)
		assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Basic "))
		var got []byte
		if r.Body != nil {
			got, _ = io.ReadAll(r.Body)
		}
		if wantBody == "" {
			assert.Empty(t, got)
		} else {
			assert.JSONEq(t, strings.TrimPrefix(wantBody, "\uFEFF"), string(got))
		}
		return httpmock.NewStringResponse(status, body), nil
	})
}

func ptr(s string) *string { return &s }

func argName(t *testing.T, err error) string {
	t.Helper()
	var argErr *meetings.ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.True(t, strings.HasPrefix(err.Error(), "themes: "), err.Error())
	return argErr.Name
}

var dotnetTheme = themes.Theme{
	ID: "cf7f7327-c8f3-4575-b113-0598571b499a", Name: "Theme1", Domain: "VBC", AccountID: "abc123",
	ApplicationID: "a98e12ca-f3e5-4df8-bc66-fd4b5f30b9e9", MainColor: "#FF00FF", BrandText: "Brand",
	ShortCompanyURL: "https://example.com", BrandImageWhite: "abc123", BrandImageColored: "abc123", BrandedFavicon: "abc123",
	BrandImageWhiteURL: "https://example.com", BrandImageColoredURL: "https://example.com", BrandedFaviconURL: "https://example.com",
}

var pythonTheme = themes.Theme{
	ID: themeID, Name: "my_theme", Domain: "VCP", AccountID: "1234", ApplicationID: "5678",
	MainColor: "#12f64e", BrandText: "My Company", ShortCompanyURL: "my-company",
}

func TestCreateSendsTheRequiredFieldsOnly(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "POST", "/themes", fixture(t, "CreateTheme-ShouldSerializeWithDefaultValues-request.json"), 201,
		fixture(t, "CreateTheme-ShouldDeserialize200-response.json"))
	got, err := s.Create(context.Background(), themes.CreateRequest{MainColor: "#FF00FF", BrandText: "Brand"})
	require.NoError(t, err)
	assert.Equal(t, &dotnetTheme, got)
}

func TestCreateSendsEveryField(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "POST", "/themes",
		`{"theme_name":"my_theme","main_color":"#12f64e","brand_text":"My Company","short_company_url":"my-company"}`,
		201, fixture(t, "theme.json"))
	got, err := s.Create(context.Background(), themes.CreateRequest{Name: "my_theme", MainColor: "#12f64e",
		BrandText: "My Company", ShortCompanyURL: "my-company"})
	require.NoError(t, err)
	assert.Equal(t, &pythonTheme, got, "null image keys and URLs are empty")
}

func TestCreateOfATakenNameIsAConflict(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "POST", "/themes", `{"theme_name":"my_theme","main_color":"#abc","brand_text":"b"}`, 409,
		fixture(t, "theme_name_in_use.json"))
	_, err := s.Create(context.Background(), themes.CreateRequest{Name: "my_theme", MainColor: "#abc", BrandText: "b"})
	assert.ErrorIs(t, err, meetings.ErrConflict)
}

func TestCreateAndUpdateRefuseWhatTheServerWouldWithoutSending(t *testing.T) {
	ok := themes.CreateRequest{MainColor: "#12f64e", BrandText: "Brand"}
	with := func(f func(*themes.CreateRequest)) themes.CreateRequest { r := ok; f(&r); return r }
	for _, tc := range []struct {
		name, field string
		req         themes.CreateRequest
	}{
		{"no main colour", "MainColor", with(func(r *themes.CreateRequest) { r.MainColor = "" })},
		{"no brand text", "BrandText", with(func(r *themes.CreateRequest) { r.BrandText = "" })},
		{"colour name", "MainColor", with(func(r *themes.CreateRequest) { r.MainColor = "red" })},
		{"five hex digits", "MainColor", with(func(r *themes.CreateRequest) { r.MainColor = "#12345" })},
		{"colour with a prefix", "MainColor", with(func(r *themes.CreateRequest) { r.MainColor = "x#123456" })},
		{"name over 200 characters", "Name", with(func(r *themes.CreateRequest) { r.Name = strings.Repeat("ñ", 201) })},
		{"brand text over 200 characters", "BrandText", with(func(r *themes.CreateRequest) { r.BrandText = strings.Repeat("b", 201) })},
		{"short URL that is a URL (the .NET fixture's)", "ShortCompanyURL", with(func(r *themes.CreateRequest) { r.ShortCompanyURL = "https://example.com" })},
		{"short URL of digits", "ShortCompanyURL", with(func(r *themes.CreateRequest) { r.ShortCompanyURL = "2024" })},
		{"short URL over 128", "ShortCompanyURL", with(func(r *themes.CreateRequest) { r.ShortCompanyURL = strings.Repeat("a", 129) })},
		{"short URL with a non-ASCII letter", "ShortCompanyURL", with(func(r *themes.CreateRequest) { r.ShortCompanyURL = "café" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, mt := newClient(t)
			_, err := s.Create(context.Background(), tc.req)
			assert.Equal(t, tc.field, argName(t, err))
			r := tc.req
			up := themes.UpdateRequest{Name: &r.Name, MainColor: &r.MainColor, BrandText: &r.BrandText}
			if r.ShortCompanyURL != "" {
				up.ShortCompanyURL = &r.ShortCompanyURL
			}
			_, err = s.Update(context.Background(), themeID, up)
			assert.Equal(t, tc.field, argName(t, err), "the update's check")
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

func TestCreateAcceptsTheEdgesOfEachRule(t *testing.T) {
	s, mt := newClient(t)
	req := themes.CreateRequest{Name: strings.Repeat("ñ", 200), MainColor: "#aBc", BrandText: strings.Repeat("b", 200),
		ShortCompanyURL: "0123456789~" + strings.Repeat("_-", 58) + "a"}
	require.Len(t, req.ShortCompanyURL, 128)
	body, _ := json.Marshal(map[string]string{"theme_name": req.Name, "main_color": req.MainColor,
		"brand_text": req.BrandText, "short_company_url": req.ShortCompanyURL})
	answer(t, mt, "POST", "/themes", string(body), 201, fixture(t, "theme.json"))
	_, err := s.Create(context.Background(), req)
	assert.NoError(t, err)
}

func TestGet(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/themes/cf7f7327-c8f3-4575-b113-0598571b499a", "", 200, fixture(t, "GetTheme-ShouldDeserialize200-response.json"))
	answer(t, mt, "GET", "/themes/90a21428-b74a-4221-adc3-783935d654dc", "", 404, fixture(t, "theme_not_found.json"))

	got, err := s.Get(context.Background(), "cf7f7327-c8f3-4575-b113-0598571b499a")
	require.NoError(t, err)
	assert.Equal(t, &dotnetTheme, got)

	_, err = s.Get(context.Background(), "90a21428-b74a-4221-adc3-783935d654dc")
	assert.ErrorIs(t, err, meetings.ErrNotFound)
}

func TestGetKeepsWhiteLabelAsSent(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/themes/t%2F1", "", 200, `{"theme_id":"t/1","white_label":{"enabled":true}}`)
	got, err := s.Get(context.Background(), "t/1")
	require.NoError(t, err)
	assert.JSONEq(t, `{"enabled":true}`, string(got.WhiteLabel))
}

func TestIDsAreCheckedBeforeSending(t *testing.T) {
	s, mt := newClient(t)
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		_, err := s.Get(ctx, id)
		assert.Equal(t, "themeID", argName(t, err))
		_, err = s.Update(ctx, id, themes.UpdateRequest{Name: ptr("n")})
		assert.Equal(t, "themeID", argName(t, err))
		assert.Equal(t, "themeID", argName(t, s.Delete(ctx, id, true)))
		_, err = s.RoomsPage(ctx, id, nil)
		assert.Equal(t, "themeID", argName(t, err))
		n := 0
		for r, err := range s.Rooms(ctx, id, nil) {
			n++
			assert.Nil(t, r)
			assert.Equal(t, "themeID", argName(t, err))
		}
		assert.Equal(t, 1, n)
		assert.Equal(t, "themeID", argName(t, s.SetDefault(ctx, id)))
		assert.Equal(t, "themeID", argName(t, s.SetLogo(ctx, id, themes.LogoWhite, strings.NewReader("png"))))
		assert.Equal(t, "themeID", argName(t, s.FinalizeLogos(ctx, id, "k")))
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestList(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []*themes.Theme
	}{
		{"python", fixture(t, "list_themes.json"), []*themes.Theme{{ID: "1fc39568-bc50-464f-82dc-01e13bed0908",
			Name: "my_other_theme", Domain: "VCP", AccountID: "1234", ApplicationID: "5678", MainColor: "#FF0000",
			ShortCompanyURL: "my-other-company", BrandText: "My Other Company"}, &pythonTheme}},
		{".NET", fixture(t, "GetThemes-ShouldDeserialize200-response.json"), []*themes.Theme{&dotnetTheme}},
		{"none as {}", fixture(t, "empty_themes.json"), []*themes.Theme{}},
		{"none as []", "[]", []*themes.Theme{}},
		{"none as an empty body", "", []*themes.Theme{}},
		{"none as null", " null\n", []*themes.Theme{}},
		{"none as a BOM and spaces", "\uFEFF \n", []*themes.Theme{}},
		{"null entries are dropped", `[null,{"theme_id":"t"}]`, []*themes.Theme{{ID: "t"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, mt := newClient(t)
			answer(t, mt, "GET", "/themes", "", 200, tc.body)
			got, err := s.List(context.Background())
			require.NoError(t, err)
			assert.NotNil(t, got)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestListRefusesWhatIsNotAList(t *testing.T) {
	for _, body := range []string{`{"themes":[]}`, `"themes"`, `[{"theme_id":1}]`, `{`} {
		s, mt := newClient(t)
		answer(t, mt, "GET", "/themes", "", 200, body)
		_, err := s.List(context.Background())
		assert.Error(t, err, body)
	}
	s, mt := newClient(t)
	answer(t, mt, "GET", "/themes", "", 401, `{"title":"Unauthorized"}`)
	_, err := s.List(context.Background())
	assert.ErrorIs(t, err, meetings.ErrUnauthorized)
}

func TestUpdateSendsOnlyTheSetFields(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "PATCH", "/themes/"+themeID,
		`{"update_details":{"theme_name":"updated_theme","brand_text":"My Updated Company Name","short_company_url":"updated_company_url"}}`,
		200, fixture(t, "updated_theme.json"))
	got, err := s.Update(context.Background(), themeID, themes.UpdateRequest{Name: ptr("updated_theme"),
		BrandText: ptr("My Updated Company Name"), ShortCompanyURL: ptr("updated_company_url")})
	require.NoError(t, err)
	assert.Equal(t, "updated_theme", got.Name)
	assert.Equal(t, "#FF0000", got.MainColor)
}

func TestUpdateWithTheDotNetFixture(t *testing.T) {
	// The .NET request's short_company_url is a URL, which the server refuses: ours is a slug.
	want := strings.Replace(fixture(t, "UpdateTheme-ShouldSerialize-request.json"), "https://example.com", "example", 1)
	s, mt := newClient(t)
	answer(t, mt, "PATCH", "/themes/cf7f7327-c8f3-4575-b113-0598571b499a", want, 200,
		fixture(t, "UpdateTheme-ShouldDeserialize200-response.json"))
	got, err := s.Update(context.Background(), "cf7f7327-c8f3-4575-b113-0598571b499a", themes.UpdateRequest{
		Name: ptr("Theme1"), MainColor: ptr("#FF00FF"), BrandText: ptr("Brand"), ShortCompanyURL: ptr("example")})
	require.NoError(t, err)
	assert.Equal(t, &dotnetTheme, got)
}

func TestUpdateWithNothingSetIsRefused(t *testing.T) {
	// .NET sent {} (UpdateTheme-ShouldSerializeEmpty-request.json), which the server answers 400.
	s, mt := newClient(t)
	_, err := s.Update(context.Background(), themeID, themes.UpdateRequest{})
	assert.Equal(t, "UpdateRequest", argName(t, err))
	_, err = s.Update(context.Background(), themeID, themes.UpdateRequest{ShortCompanyURL: ptr("")})
	assert.Equal(t, "ShortCompanyURL", argName(t, err))
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestDelete(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "DELETE", "/themes/"+themeID, "", 400, fixture(t, "delete_theme_in_use.json"))
	answer(t, mt, "DELETE", "/themes/"+themeID+"?force=true", "", 204, "")

	err := s.Delete(context.Background(), themeID, false)
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, []string{"Theme 90a21428-b74a-4221-adc3-783935d654db is used by 1 room"}, apiErr.Errors)

	assert.NoError(t, s.Delete(context.Background(), themeID, true))
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestRoomsPage(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/themes/"+themeID+"/rooms?page_size=5", "", 200, fixture(t, "list_rooms_with_theme_id.json"))
	answer(t, mt, "GET", "/themes/abc/rooms?start_id=20", "", 200, fixture(t, "GetRoomsByTheme-ShouldDeserialize200-response.json"))
	answer(t, mt, "GET", "/themes/90a21428-b74a-4221-adc3-783935d654dc/rooms", "", 404, fixture(t, "list_rooms_theme_id_not_found.json"))

	p, err := s.RoomsPage(context.Background(), themeID, &rooms.ListOptions{PageSize: 5})
	require.NoError(t, err)
	require.Len(t, p.Rooms, 1)
	assert.Equal(t, themeID, p.Rooms[0].ThemeID)
	assert.Equal(t, "https://meetings.vonage.com/updated_company_url/613804614", p.Rooms[0].GuestURL)
	assert.Equal(t, 1, p.TotalItems)
	assert.Nil(t, p.Next, "a short page ends the list, next link or not")

	p, err = s.RoomsPage(context.Background(), "abc", &rooms.ListOptions{StartID: 20})
	require.NoError(t, err)
	assert.Equal(t, &rooms.ListOptions{StartID: 30}, p.Next)

	_, err = s.RoomsPage(context.Background(), "90a21428-b74a-4221-adc3-783935d654dc", nil)
	assert.ErrorIs(t, err, meetings.ErrNotFound)
}

func TestRoomsFollowsTheNextLinkOnTheThemesPath(t *testing.T) {
	s, mt := newClient(t)
	// The link points at /meetings/rooms, as the wire's do: only its start_id is used.
	answer(t, mt, "GET", "/themes/"+themeID+"/rooms?page_size=2", "", 200,
		`{"_embedded":[{"id":"a"},{"id":"b"}],"_links":{"next":{"href":"api-eu.vonage.com/meetings/rooms?page_size=2&start_id=7"}}}`)
	answer(t, mt, "GET", "/themes/"+themeID+"/rooms?page_size=2&start_id=7", "", 200, fixture(t, "list_rooms_with_theme_id.json"))
	opts := &rooms.ListOptions{PageSize: 2}
	var got []string
	for r, err := range s.Rooms(context.Background(), themeID, opts) {
		require.NoError(t, err)
		got = append(got, r.ID)
	}
	assert.Equal(t, []string{"a", "b", "33791484-231c-421b-8349-96e1a44e27d2"}, got)
	assert.Equal(t, &rooms.ListOptions{PageSize: 2}, opts)
	assert.Equal(t, 2, mt.GetTotalCallCount(), "page 2 is short: the list ends despite its next link")
}

func TestSetDefault(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "PATCH", "/applications", fixture(t, "UpdateApplication-ShouldSerialize-request.json"), 200,
		fixture(t, "UpdateApplication-ShouldDeserialize200-response.json"))
	assert.NoError(t, s.SetDefault(context.Background(), "e86a7335-35fe-45e1-b961-5777d4748022"))

	answer(t, mt, "PATCH", "/applications", `{"update_details":{"default_theme_id":"not-a-real-theme-id"}}`, 400,
		fixture(t, "update_application_theme_id_not_found.json"))
	err := s.SetDefault(context.Background(), "not-a-real-theme-id")
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "theme id not-a-real-theme-id not found")
}
