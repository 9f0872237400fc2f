package meetings_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

type item struct{ ID string }

// pages serves /rooms: page start_id=N holds items N and N+1 with a next
// link to N+2, up to last; a body function can replace that.
func pages(t *testing.T, body func(start string) string) *core.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, body(r.URL.Query().Get("start_id")))
	}))
	t.Cleanup(srv.Close)
	return newConn(t, srv.URL, core.Config{})
}

func TestListPageReadsBothShapesAndTheNextLink(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"array":  `{"_embedded":[{"ID":"a"},null,{"ID":"b"}],"total_items":7,"_links":{"next":{"href":"api-eu.vonage.com/meetings/rooms?page_size=2&start_id=12"}}}`,
		"object": `{"_embedded":{"rooms":[{"ID":"a"},{"ID":"b"}]},"total_items":7,"_links":{"next":{"href":"api-eu.vonage.com/meetings/rooms?page_size=2&start_id=12"}}}`,
	} {
		c := pages(t, func(string) string { return body })
		p, err := core.ListPage[item](context.Background(), c, "/rooms", &core.PageQuery{PageSize: 2, StartID: 10})
		require.NoError(t, err, name)
		assert.Equal(t, []*item{{"a"}, {"b"}}, p.Items, name)
		assert.Equal(t, 7, p.Total, name)
		assert.Equal(t, &core.PageQuery{PageSize: 2, StartID: 12}, p.Next, name)
	}
}

func TestListPageStopsAndRefuses(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		body     string
		q        core.PageQuery
		wantNext bool
		wantErr  bool
	}{
		"short page":            {`{"_embedded":[{"ID":"a"}],"_links":{"next":{"href":"h/rooms?start_id=9"}}}`, core.PageQuery{PageSize: 5}, false, false},
		"empty page":            {`{"_embedded":[],"_links":{"next":{"href":"h/rooms?start_id=9"}}}`, core.PageQuery{}, false, false},
		"no link":               {`{"_embedded":[{"ID":"a"}]}`, core.PageQuery{}, false, false},
		"link to the same page": {`{"_embedded":[{"ID":"a"}],"_links":{"next":{"href":"h/rooms?start_id=3"}}}`, core.PageQuery{StartID: 3}, false, true},
		"link without start_id": {`{"_embedded":[{"ID":"a"}],"_links":{"next":{"href":"h/rooms?page_size=1"}}}`, core.PageQuery{}, false, true},
		"bad _embedded":         {`{"_embedded":"x"}`, core.PageQuery{}, false, true},
	} {
		c := pages(t, func(string) string { return tt.body })
		p, err := core.ListPage[item](context.Background(), c, "/rooms", &tt.q)
		if tt.wantErr {
			var reqErr *core.RequestError
			assert.ErrorAs(t, err, &reqErr, name)
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, tt.wantNext, p.Next != nil, name)
	}
	c := pages(t, func(string) string { return `{}` })
	for _, q := range []core.PageQuery{{PageSize: -1}, {StartID: -1}, {EndID: -1}} {
		_, err := core.ListPage[item](context.Background(), c, "/rooms", &q)
		var argErr *core.ArgumentError
		assert.ErrorAs(t, err, &argErr)
	}
}

func TestAllFollowsPagesAndStopsOnARepeat(t *testing.T) {
	t.Parallel()
	link := map[string]string{"": "2", "2": "4", "4": "2"} // the third page points back at the second
	c := pages(t, func(start string) string {
		return fmt.Sprintf(`{"_embedded":[{"ID":"p%s"}],"_links":{"next":{"href":"h/rooms?start_id=%s"}}}`, start, link[start])
	})
	var got []string
	var errs []error
	for it, err := range core.All[item](context.Background(), c, "/rooms", nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, it.ID)
	}
	assert.Equal(t, []string{"p", "p2", "p4"}, got)
	require.Len(t, errs, 1, "one error, then the iterator stops")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range core.All[item](ctx, c, "/rooms", nil) {
		assert.ErrorIs(t, err, context.Canceled)
	}
}
