package themes_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/rooms"
	"github.com/vonage-meetings/go-sdk/themes"
)

func fakeClient(t *testing.T) (*meetings.Client, *meetingstest.Server) {
	t.Helper()
	srv := meetingstest.Start(t)
	c, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL),
		meetings.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	return c, srv
}

func TestAgainstTheFakeThemesCRUDAndInUseRefusal(t *testing.T) {
	t.Parallel()
	c, _ := fakeClient(t)
	ctx := context.Background()
	before, err := c.Themes.List(ctx)
	require.NoError(t, err)
	require.NotNil(t, before)

	th, err := c.Themes.Create(ctx, themes.CreateRequest{Name: "acme", MainColor: "#12f64e", BrandText: "Acme",
		ShortCompanyURL: "acme-co"})
	require.NoError(t, err)
	assert.Equal(t, "acme", th.Name)
	assert.Equal(t, "acme-co", th.ShortCompanyURL)
	assert.Empty(t, th.BrandImageWhiteURL)

	_, err = c.Themes.Create(ctx, themes.CreateRequest{Name: "acme", MainColor: "#fff", BrandText: "Again"})
	assert.ErrorIs(t, err, meetings.ErrConflict)

	got, err := c.Themes.Get(ctx, th.ID)
	require.NoError(t, err)
	assert.Equal(t, th, got)

	color := "#abc"
	updated, err := c.Themes.Update(ctx, th.ID, themes.UpdateRequest{MainColor: &color})
	require.NoError(t, err)
	assert.Equal(t, "#abc", updated.MainColor)
	assert.Equal(t, "Acme", updated.BrandText, "fields not sent are kept")

	list, err := c.Themes.List(ctx)
	require.NoError(t, err)
	assert.Len(t, list, len(before)+1)

	r1, err := c.Rooms.Create(ctx, rooms.CreateRequest{DisplayName: "branded", ThemeID: th.ID})
	require.NoError(t, err)
	r2, err := c.Rooms.Create(ctx, rooms.CreateRequest{DisplayName: "branded too", ThemeID: th.ID})
	require.NoError(t, err)
	var ids []string
	for r, err := range c.Themes.Rooms(ctx, th.ID, &rooms.ListOptions{PageSize: 1}) {
		require.NoError(t, err)
		assert.Equal(t, th.ID, r.ThemeID)
		ids = append(ids, r.ID)
	}
	assert.ElementsMatch(t, []string{r1.ID, r2.ID}, ids)
	page, err := c.Themes.RoomsPage(ctx, th.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalItems)

	err = c.Themes.Delete(ctx, th.ID, false)
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr, "a theme in use is kept without force")
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.Errors)
	_, err = c.Themes.Get(ctx, th.ID)
	require.NoError(t, err)

	require.NoError(t, c.Themes.Delete(ctx, th.ID, true))
	_, err = c.Themes.Get(ctx, th.ID)
	assert.ErrorIs(t, err, meetings.ErrNotFound)
}

func TestAgainstTheFakeSetLogoAndSetDefault(t *testing.T) {
	t.Parallel()
	c, srv := fakeClient(t)
	ctx := context.Background()
	th, err := c.Themes.Create(ctx, themes.CreateRequest{MainColor: "#12f64e", BrandText: "Acme"})
	require.NoError(t, err)

	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 512)...)
	for _, lt := range []themes.LogoType{themes.LogoWhite, themes.LogoColored, themes.LogoFavicon} {
		require.NoError(t, c.Themes.SetLogo(ctx, th.ID, lt, bytes.NewReader(png)), lt)
	}
	got, err := c.Themes.Get(ctx, th.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, got.BrandImageWhiteURL)
	assert.NotEmpty(t, got.BrandImageColoredURL)
	assert.NotEmpty(t, got.BrandedFaviconURL)
	assert.NotEmpty(t, got.BrandImageWhite)
	assert.Zero(t, srv.StorageAuthorizationCount(), "no credentials went to storage")

	err = c.Themes.FinalizeLogos(ctx, th.ID, "auto-expiring-temp/logos/white/never-uploaded")
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)

	require.NoError(t, c.Themes.SetDefault(ctx, th.ID))
	err = c.Themes.SetDefault(ctx, "no-such-theme")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Error(t, c.Themes.Delete(ctx, th.ID, false), "the application's default theme is kept without force")
	assert.NoError(t, c.Themes.Delete(ctx, th.ID, true))
}
