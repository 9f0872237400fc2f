// Package themes manages Vonage Meetings themes: the colour, brand text,
// logos and short URL of rooms, and the application's default theme. Get
// its Service from a client:
//
//	client, err := meetings.NewClient(key, secret)
//	theme, err := client.Themes.Create(ctx, themes.CreateRequest{MainColor: "#12f64e", BrandText: "Acme"})
//	err = client.Themes.SetDefault(ctx, theme.ID)
//
// # Requests
//
// A CreateRequest needs MainColor and BrandText; an UpdateRequest changes
// only its non-nil fields, and must set one. What the server would refuse
// for a reason the client can see (a colour that is not #rgb or #rrggbb, a
// ShortCompanyURL with characters a URL slug cannot have) is an
// *meetings.ArgumentError naming the field, and nothing is sent.
//
// # Logos
//
// SetLogo sets a white, coloured or favicon image in one call. It is built
// from three steps, exported for callers that need them apart (several logos
// finalized at once, say): LogoUploadTargets fetches pre-signed forms, one
// per logo type; UploadLogo POSTs an image to a form's storage host, without
// the API's credentials; FinalizeLogos makes the uploaded keys the theme's.
// Uploaded keys are temporary, so finalize them soon. Printing a
// LogoUploadTarget hides its signature, policy and token.
//
// # Deleting
//
// Delete keeps a theme that rooms or the application still use, unless
// force is set; Rooms and RoomsPage list the rooms that use a theme, paged
// as rooms.Service.List and ListPage are.
package themes
