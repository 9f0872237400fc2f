package meetings_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/rooms"
	"github.com/vonage-meetings/go-sdk/themes"
)

// prismTransport records Prism's sl-violations headers, and sends what is
// meant for the spec's example storage host to a local fake.
type prismTransport struct {
	storage    *url.URL
	mu         sync.Mutex
	violations []string
}

func (p *prismTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "storage-url.com" {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = p.storage.Scheme, p.storage.Host
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if resp != nil && resp.Header.Get("sl-violations") != "" {
		p.mu.Lock()
		p.violations = append(p.violations, r.Method+" "+r.URL.Path+": "+resp.Header.Get("sl-violations"))
		p.mu.Unlock()
	}
	return resp, err
}

func (p *prismTransport) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := p.violations
	p.violations = nil
	return v
}

// TestConformance runs every operation the OpenAPI file's examples allow
// against Prism (bash .ci/prism starts it and sets MEETINGS_PRISM_URL), which
// checks each request against the spec: a 422, a documented 400 or any
// violation it reports is the SDK's bug.
func TestConformance(t *testing.T) {
	base := os.Getenv("MEETINGS_PRISM_URL")
	if base == "" {
		t.Skip("MEETINGS_PRISM_URL is not set: bash .ci/prism runs this test against Prism")
	}
	var uploads []string
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if assert.NoError(t, err) {
			for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
				uploads = append(uploads, p.FormName())
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer storage.Close()
	su, _ := url.Parse(storage.URL)
	tr := &prismTransport{storage: su}
	client, err := meetings.NewClient("key", "secret", meetings.WithBaseURL(base),
		meetings.WithHTTPClient(&http.Client{Transport: tr}), meetings.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	const themeID = "ef2b46f3-8ebb-437e-a671-272e4990fbc8"
	yes, no, url := true, false, "https://example.com/callbacks"
	later := time.Now().Add(72 * time.Hour)

	run := func(name string, fn func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			tr.take()
			fn(t)
			assert.Empty(t, tr.take(), "Prism's violations")
		})
	}
	wantRoom := func(t *testing.T, r *rooms.Room) {
		assert.Equal(t, "123456789", r.MeetingCode)
		assert.Equal(t, "https://meetings.vonage.com/123456789", r.GuestURL)
		assert.False(t, r.CreatedAt.IsZero())
	}

	run("prism checks requests", func(t *testing.T) {
		resp, err := http.Post(base+"/rooms", "application/json", strings.NewReader(`{"display_name":5}`))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "an invalid body is refused")
		assert.Contains(t, string(body), "display_name must be string")
	})
	run("Rooms.Create instant, every option", func(t *testing.T) {
		r, err := client.Rooms.Create(ctx, rooms.CreateRequest{DisplayName: "Stand-up", Type: rooms.Instant,
			Metadata: "team=core", ThemeID: themeID, JoinApprovalLevel: rooms.ApprovalExplicitApproval,
			RecordingOptions:   &rooms.RecordingParams{AutoRecord: &yes, RecordOnlyOwner: &no},
			InitialJoinOptions: &rooms.InitialJoinOptions{MicrophoneState: rooms.MicrophoneOff},
			CallbackURLs:       &rooms.CallbackURLs{Rooms: url, Sessions: url, Recordings: url},
			AvailableFeatures: &rooms.FeatureParams{Recording: &yes, Chat: &no, Whiteboard: &no,
				LocaleSwitcher: &yes, Captions: &yes},
			UISettings: &rooms.UISettings{Language: "pt-br"}})
		require.NoError(t, err)
		wantRoom(t, r)
	})
	run("Rooms.Create long_term", func(t *testing.T) {
		r, err := client.Rooms.Create(ctx, rooms.CreateRequest{DisplayName: "Retro", Type: rooms.LongTerm,
			ExpiresAt: later, ExpireAfterUse: true})
		require.NoError(t, err)
		wantRoom(t, r)
	})
	run("Rooms.Get", func(t *testing.T) {
		r, err := client.Rooms.Get(ctx, "497f6eca-6276-4993-bfeb-53cbbbba6f08")
		require.NoError(t, err)
		wantRoom(t, r)
	})
	run("Rooms.Update, every field", func(t *testing.T) {
		name, theme := "Retro, renamed", themeID
		r, err := client.Rooms.Update(ctx, "497f6eca-6276-4993-bfeb-53cbbbba6f08", rooms.UpdateRequest{
			DisplayName: &name, ExpiresAt: &later, ThemeID: &theme, ExpireAfterUse: &no,
			JoinApprovalLevel:  rooms.ApprovalAfterOwnerOnly,
			InitialJoinOptions: &rooms.InitialJoinOptions{MicrophoneState: rooms.MicrophoneOn},
			CallbackURLs:       &rooms.CallbackURLs{Recordings: url},
			AvailableFeatures:  &rooms.FeatureParams{Whiteboard: &yes},
			UISettings:         &rooms.UISettings{Language: "en"}})
		require.NoError(t, err)
		wantRoom(t, r)
	})
	run("Rooms.ListPage and List", func(t *testing.T) {
		// The spec's example page holds one room and links to start_id=30.
		p, err := client.Rooms.ListPage(ctx, &rooms.ListOptions{PageSize: 10, StartID: 20, EndID: 40})
		require.NoError(t, err)
		require.Len(t, p.Rooms, 1)
		wantRoom(t, p.Rooms[0])
		assert.Nil(t, p.Next, "1 room of 10 asked for: the last page")

		p, err = client.Rooms.ListPage(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, &rooms.ListOptions{StartID: 30}, p.Next)

		var got []*rooms.Room
		var errs []error
		for r, err := range client.Rooms.List(ctx, nil) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, r)
		}
		assert.Len(t, got, 1)
		require.Len(t, errs, 1, "the example's page 30 links to itself")
		assert.Contains(t, errs[0].Error(), "start_id=30")
	})
	run("Rooms.DialInNumbers", func(t *testing.T) {
		n, err := client.Rooms.DialInNumbers(ctx)
		require.NoError(t, err)
		assert.Equal(t, []rooms.DialInNumber{{Number: "17323338801", Locale: "en-US", DisplayName: "United States"}}, n)
	})

	run("Themes.Create", func(t *testing.T) {
		th, err := client.Themes.Create(ctx, themes.CreateRequest{Name: "Theme1", MainColor: "#12f64e",
			BrandText: "Brand", ShortCompanyURL: "short-url"})
		require.NoError(t, err)
		assert.Equal(t, "#12f64e", th.MainColor)
		assert.Equal(t, "VCP", th.Domain)
	})
	run("Themes.Get", func(t *testing.T) {
		th, err := client.Themes.Get(ctx, themeID)
		require.NoError(t, err)
		assert.Equal(t, "Theme1", th.Name)
	})
	run("Themes.List", func(t *testing.T) {
		list, err := client.Themes.List(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "short-url", list[0].ShortCompanyURL)
	})
	run("Themes.Update", func(t *testing.T) {
		c, b := "#abc", "Brand, renamed"
		_, err := client.Themes.Update(ctx, themeID, themes.UpdateRequest{MainColor: &c, BrandText: &b})
		require.NoError(t, err)
	})
	run("Themes.Delete", func(t *testing.T) {
		require.NoError(t, client.Themes.Delete(ctx, themeID, false))
		require.NoError(t, client.Themes.Delete(ctx, themeID, true))
	})
	run("Themes.RoomsPage and Rooms", func(t *testing.T) {
		p, err := client.Themes.RoomsPage(ctx, themeID, &rooms.ListOptions{PageSize: 5})
		require.NoError(t, err)
		require.Len(t, p.Rooms, 1)
		wantRoom(t, p.Rooms[0])
		n := 0
		for _, err := range client.Themes.Rooms(ctx, themeID, &rooms.ListOptions{PageSize: 5}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1, n)
	})
	run("Themes.SetDefault", func(t *testing.T) {
		require.NoError(t, client.Themes.SetDefault(ctx, themeID))
	})
	run("Themes.SetLogo and its steps", func(t *testing.T) {
		targets, err := client.Themes.LogoUploadTargets(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, targets)
		assert.Equal(t, themes.LogoWhite, targets[0].Type())
		require.NoError(t, client.Themes.SetLogo(ctx, themeID, themes.LogoWhite, strings.NewReader("PNG")))
		assert.Equal(t, "file", uploads[len(uploads)-1])
		require.NoError(t, client.Themes.FinalizeLogos(ctx, themeID, targets[0].Key(), "logo-key2"))
	})

	run("Recordings.Get, ListBySession and Delete", func(t *testing.T) {
		rec, err := client.Recordings.Get(ctx, "497f6eca-6276-4993-bfeb-53cbbbba6f08")
		require.NoError(t, err)
		assert.False(t, rec.StartedAt.IsZero())
		list, err := client.Recordings.ListBySession(ctx, "2_MX40NjMwODczMn5-MTU3NTgyODEwNzQ2MH5OZDJrVmdBRUNDbG5MUzNqNXgya20yQ1Z-fg")
		require.NoError(t, err)
		assert.Len(t, list, 1)
		require.NoError(t, client.Recordings.Delete(ctx, "497f6eca-6276-4993-bfeb-53cbbbba6f08"))
	})
}
