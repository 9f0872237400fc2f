package rooms_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/rooms"
)

// fakeRooms is the rooms service of a client of a meetingstest fake.
func fakeRooms(t *testing.T) *rooms.Service {
	t.Helper()
	srv := meetingstest.Start(t)
	c, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL),
		meetings.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	return c.Rooms
}

func TestAgainstTheFakeCreateGetAndUpdate(t *testing.T) {
	t.Parallel()
	s, ctx := fakeRooms(t), context.Background()
	no, yes := false, true

	instant, err := s.Create(ctx, rooms.CreateRequest{DisplayName: "Stand-up", Metadata: "team=core",
		AvailableFeatures:  &rooms.FeatureParams{Chat: &no, Captions: &yes},
		RecordingOptions:   &rooms.RecordingParams{AutoRecord: &yes},
		InitialJoinOptions: &rooms.InitialJoinOptions{MicrophoneState: rooms.MicrophoneOff},
		UISettings:         &rooms.UISettings{Language: "de"},
		CallbackURLs:       &rooms.CallbackURLs{Sessions: "https://example.com/sessions"}})
	require.NoError(t, err)
	assert.Equal(t, rooms.Instant, instant.Type)
	assert.Equal(t, "team=core", instant.Metadata)
	assert.Equal(t, rooms.AvailableFeatures{Recording: true, Chat: false, Whiteboard: true, Captions: true}, instant.AvailableFeatures)
	assert.True(t, instant.RecordingOptions.AutoRecord)
	assert.Equal(t, rooms.MicrophoneOff, instant.InitialJoinOptions.MicrophoneState)
	assert.Equal(t, rooms.Language("de"), instant.UISettings.Language)
	assert.Equal(t, "https://example.com/sessions", instant.CallbackURLs.Sessions)
	assert.NotEmpty(t, instant.HostURL)
	assert.NotEmpty(t, instant.GuestURL)

	got, err := s.Get(ctx, instant.ID)
	require.NoError(t, err)
	assert.Equal(t, instant.ID, got.ID)
	assert.Equal(t, instant.MeetingCode, got.MeetingCode)

	name := "renamed"
	_, err = s.Update(ctx, instant.ID, rooms.UpdateRequest{DisplayName: &name})
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr, "instant rooms cannot be updated")
	assert.Equal(t, 400, apiErr.StatusCode)

	expires := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
	long, err := s.Create(ctx, rooms.CreateRequest{DisplayName: "Retro", Type: rooms.LongTerm, ExpiresAt: expires,
		ExpireAfterUse: true, JoinApprovalLevel: rooms.ApprovalAfterOwnerOnly})
	require.NoError(t, err)
	assert.Equal(t, rooms.LongTerm, long.Type)
	assert.True(t, long.ExpiresAt.Equal(expires), "%s != %s", long.ExpiresAt, expires)
	assert.True(t, long.ExpireAfterUse)
	assert.Equal(t, rooms.ApprovalAfterOwnerOnly, long.JoinApprovalLevel)

	later := expires.Add(24 * time.Hour)
	updated, err := s.Update(ctx, long.ID, rooms.UpdateRequest{ExpiresAt: &later, ExpireAfterUse: &no,
		AvailableFeatures: &rooms.FeatureParams{Whiteboard: &no}})
	require.NoError(t, err)
	assert.True(t, updated.ExpiresAt.Equal(later))
	assert.False(t, updated.ExpireAfterUse)
	assert.False(t, updated.AvailableFeatures.Whiteboard)
	assert.True(t, updated.AvailableFeatures.Chat, "features not sent are kept")

	_, err = s.Get(ctx, "no-such-room")
	assert.ErrorIs(t, err, meetings.ErrNotFound)
}

func TestAgainstTheFakeListPagesThroughEveryRoom(t *testing.T) {
	t.Parallel()
	s, ctx := fakeRooms(t), context.Background()
	first, err := s.ListPage(ctx, nil)
	require.NoError(t, err)
	seeded := first.TotalItems
	created := map[string]bool{}
	for range 7 {
		r, err := s.Create(ctx, rooms.CreateRequest{DisplayName: "room"})
		require.NoError(t, err)
		created[r.ID] = true
	}

	opts := &rooms.ListOptions{PageSize: 3}
	seen := map[string]bool{}
	for r, err := range s.List(ctx, opts) {
		require.NoError(t, err)
		assert.False(t, seen[r.ID], "room %s twice", r.ID)
		seen[r.ID] = true
	}
	assert.Len(t, seen, seeded+7)
	for id := range created {
		assert.True(t, seen[id], id)
	}
	assert.Equal(t, &rooms.ListOptions{PageSize: 3}, opts)

	// By hand, page by page, the same rooms.
	n, pages := 0, 0
	for p := (&rooms.ListOptions{PageSize: 3}); p != nil; pages++ {
		page, err := s.ListPage(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, seeded+7, page.TotalItems)
		n += len(page.Rooms)
		p = page.Next
	}
	assert.Equal(t, seeded+7, n)
	full := (seeded + 7 + 2) / 3
	assert.Contains(t, []int{full, full + 1}, pages, "an empty page may end a list whose last page is full")

	dial, err := s.DialInNumbers(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, dial)
}
