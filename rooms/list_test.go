package rooms_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/rooms"
)

const emptyPage = `{"page_size":2,"_embedded":[],"total_items":7}`

func ids(t *testing.T, seq func(func(*rooms.Room, error) bool)) ([]string, error) {
	t.Helper()
	var got []string
	for r, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, r.ID)
	}
	return got, nil
}

func TestListPageReadsTheArrayShape(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms", "", 200, fixture(t, "multiple_rooms.json"))

	p, err := s.ListPage(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, p.Rooms, 5)
	assert.Equal(t, "4814804d-7c2d-4846-8c7d-4f6fae1f910a", p.Rooms[0].ID)
	assert.Equal(t, "https://meetings.vonage.com/697975707", p.Rooms[0].GuestURL)
	assert.Equal(t, 5, p.TotalItems)
	assert.Equal(t, &rooms.ListOptions{StartID: 2006655}, p.Next, "start_id from a scheme-less next link")
}

func TestListPageReadsTheSpecShapeAndKeepsTheOptions(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms?end_id=90&page_size=1&start_id=20", "", 200,
		`{"_embedded":{"rooms":[{"id":"r1"},null]},"total_items":30,"_links":{"next":{"href":"https://api.nexmo.com/v0.1/meetings/rooms?page_size=10&start_id=30&end_id=99"}}}`)

	p, err := s.ListPage(context.Background(), &rooms.ListOptions{PageSize: 1, StartID: 20, EndID: 90})
	require.NoError(t, err)
	require.Len(t, p.Rooms, 1)
	assert.Equal(t, "r1", p.Rooms[0].ID)
	assert.Equal(t, &rooms.ListOptions{PageSize: 1, StartID: 30, EndID: 90}, p.Next, "only start_id is taken from the link")
}

func TestListPageWithTheDotNetFixture(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms?page_size=1", "", 200, fixture(t, "GetRooms-ShouldDeserialize200-response.json"))
	p, err := s.ListPage(context.Background(), &rooms.ListOptions{PageSize: 1})
	require.NoError(t, err)
	require.Len(t, p.Rooms, 1)
	assert.Equal(t, 30, p.TotalItems)
	assert.Equal(t, &rooms.ListOptions{PageSize: 1, StartID: 30}, p.Next)
}

func TestListPageEndsOnAShortOrEmptyPageOrNoLink(t *testing.T) {
	for _, tc := range []struct{ name, query, body string }{
		{"short page with a next link", "?page_size=20", fixture(t, "multiple_rooms.json")},
		{"empty page with a next link", "?page_size=20", `{"_embedded":[],"_links":{"next":{"href":"x/rooms?start_id=9"}}}`},
		{"no next link", "?page_size=20", `{"_embedded":[{"id":"a"}],"total_items":1}`},
		{"no _embedded at all", "?page_size=20", `{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, mt := newClient(t)
			answer(t, mt, "GET", "/rooms"+tc.query, "", 200, tc.body)
			p, err := s.ListPage(context.Background(), &rooms.ListOptions{PageSize: 20})
			require.NoError(t, err)
			assert.Nil(t, p.Next)
			assert.NotNil(t, p.Rooms)
		})
	}
}

func TestListPageRefusesBadLinksAndOptions(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"next link without start_id", `{"_embedded":[{"id":"a"}],"_links":{"next":{"href":"api-eu.vonage.com/meetings/rooms?end_id=4"}}}`},
		{"next link with a non-number", `{"_embedded":[{"id":"a"}],"_links":{"next":{"href":"h/rooms?start_id=abc"}}}`},
		{"next link that is not a URL", `{"_embedded":[{"id":"a"}],"_links":{"next":{"href":"h/rooms?%zz"}}}`},
		{"next link to this page", `{"_embedded":[{"id":"a"}],"_links":{"next":{"href":"h/rooms?start_id=5"}}}`},
		{"_embedded of another type", `{"_embedded":"rooms"}`},
		{"_embedded.rooms of another type", `{"_embedded":{"rooms":{}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, mt := newClient(t)
			answer(t, mt, "GET", "/rooms?start_id=5", "", 200, tc.body)
			_, err := s.ListPage(context.Background(), &rooms.ListOptions{StartID: 5})
			var reqErr *meetings.RequestError
			assert.ErrorAs(t, err, &reqErr)
		})
	}
	for _, field := range []string{"PageSize", "StartID", "EndID"} {
		s, mt := newClient(t)
		opts := map[string]*rooms.ListOptions{"PageSize": {PageSize: -1}, "StartID": {StartID: -1}, "EndID": {EndID: -1}}[field]
		_, err := s.ListPage(context.Background(), opts)
		var argErr *meetings.ArgumentError
		require.ErrorAs(t, err, &argErr)
		assert.Equal(t, field, argErr.Name)
		_, err = ids(t, s.List(context.Background(), opts))
		require.ErrorAs(t, err, &argErr)
		assert.Zero(t, mt.GetTotalCallCount())
	}
}

func TestListFollowsNextLinksOnTheClientsBaseURL(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms?end_id=3000000&page_size=2", "", 200, fixture(t, "multiple_fewer_rooms.json"))
	answer(t, mt, "GET", "/rooms?end_id=3000000&page_size=2&start_id=2006655", "", 200, emptyPage)
	opts := &rooms.ListOptions{PageSize: 2, EndID: 3000000}

	got, err := ids(t, s.List(context.Background(), opts))
	require.NoError(t, err)
	assert.Equal(t, []string{"4814804d-7c2d-4846-8c7d-4f6fae1f910a", "de34416a-2a4c-4a59-a16a-8cd7d3121ea0"}, got)
	assert.Equal(t, 2, mt.GetTotalCallCount())
	assert.Equal(t, &rooms.ListOptions{PageSize: 2, EndID: 3000000}, opts, "opts are not changed")
}

func TestListStopsOnAShortPageDespiteItsNextLink(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms?page_size=20", "", 200, fixture(t, "multiple_rooms.json"))
	got, err := ids(t, s.List(context.Background(), &rooms.ListOptions{PageSize: 20}))
	require.NoError(t, err)
	assert.Len(t, got, 5)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestListTreatsARepeatedPageAsAnError(t *testing.T) {
	s, mt := newClient(t)
	// Page 2 links back to page 2's own start: not advancing.
	answer(t, mt, "GET", "/rooms?page_size=2", "", 200, fixture(t, "multiple_fewer_rooms.json"))
	answer(t, mt, "GET", "/rooms?page_size=2&start_id=2006655", "", 200, fixture(t, "multiple_fewer_rooms.json"))
	got, err := ids(t, s.List(context.Background(), &rooms.ListOptions{PageSize: 2}))
	var reqErr *meetings.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), "is this page again")
	assert.Len(t, got, 2, "page 2 is refused whole")
	assert.Equal(t, 2, mt.GetTotalCallCount())

	// Page 3 links back to page 2: a cycle.
	s, mt = newClient(t)
	page := func(id, next string) string {
		return `{"_embedded":[{"id":"` + id + `"}],"_links":{"next":{"href":"h/rooms?start_id=` + next + `"}}}`
	}
	answer(t, mt, "GET", "/rooms", "", 200, page("a", "10"))
	answer(t, mt, "GET", "/rooms?start_id=10", "", 200, page("b", "20"))
	answer(t, mt, "GET", "/rooms?start_id=20", "", 200, page("c", "10"))
	got, err = ids(t, s.List(context.Background(), nil))
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), "repeats an earlier page")
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, 3, mt.GetTotalCallCount())
}

func TestListStopsWhenTheConsumerBreaks(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms?page_size=2", "", 200, fixture(t, "multiple_fewer_rooms.json"))
	n := 0
	for r, err := range s.List(context.Background(), &rooms.ListOptions{PageSize: 2}) {
		require.NoError(t, err)
		require.NotNil(t, r)
		n++
		break
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestListChecksTheContextBetweenPages(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms?page_size=2", "", 200, fixture(t, "multiple_fewer_rooms.json"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []error
	n := 0
	for _, err := range s.List(ctx, &rooms.ListOptions{PageSize: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n++; n == 2 { // the last room of page 1
			cancel()
		}
	}
	require.Len(t, errs, 1, "one error, then the iterator stops")
	assert.True(t, errors.Is(errs[0], context.Canceled), errs[0].Error())
	assert.Equal(t, 1, mt.GetTotalCallCount(), "page 2 is never asked for")
}

func TestListYieldsTheServersErrorOnce(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms", "", 401, `{"title":"Unauthorized","detail":"You did not provide correct credentials"}`)
	count := 0
	for r, err := range s.List(context.Background(), nil) {
		count++
		assert.Nil(t, r)
		assert.ErrorIs(t, err, meetings.ErrUnauthorized)
	}
	assert.Equal(t, 1, count)
}
