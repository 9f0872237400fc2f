package meetings

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// PageQuery asks for one page of a room list (GET /rooms and
// GET /themes/{id}/rooms). rooms.ListOptions has the same fields, so each
// converts to the other.
type PageQuery struct {
	PageSize int   `url:"page_size,omitempty"`
	StartID  int64 `url:"start_id,omitempty"`
	EndID    int64 `url:"end_id,omitempty"`
}

// Page is one page of a room list; T is rooms.Room.
type Page[T any] struct {
	Items []*T
	Total int
	Next  *PageQuery // nil on the last page
}

// ListPage fetches one page at path. The wire's _embedded is an array, or
// the spec's {"rooms": [...]}. Only start_id is read from _links.next.href
// (which has no scheme); Next is nil when there is no such link, the page is
// empty, or it is shorter than the PageSize asked for. A next start_id equal
// to this page's is an error: the list would not advance.
func ListPage[T any](ctx context.Context, c *Client, path string, opts *PageQuery) (*Page[T], error) {
	var q PageQuery
	if opts != nil {
		q = *opts
	}
	switch {
	case q.PageSize < 0:
		return nil, c.Arg("PageSize", "is negative")
	case q.StartID < 0:
		return nil, c.Arg("StartID", "is negative")
	case q.EndID < 0:
		return nil, c.Arg("EndID", "is negative")
	}
	var w struct {
		Embedded json.RawMessage `json:"_embedded"`
		Total    int             `json:"total_items"`
		Links    struct {
			Next struct{ Href string } `json:"next"`
		} `json:"_links"`
	}
	if err := c.Do(ctx, http.MethodGet, path, q, nil, &w); err != nil {
		return nil, err
	}
	fail := func(err error) error {
		return &RequestError{Method: http.MethodGet, Path: path, Err: err, pkg: c.pkg}
	}
	var items []*T
	var err error
	switch b := bytes.TrimSpace(w.Embedded); {
	case len(b) > 0 && b[0] == '{':
		var o struct{ Rooms []*T }
		err = json.Unmarshal(b, &o)
		items = o.Rooms
	case len(b) > 0:
		err = json.Unmarshal(b, &items)
	}
	if err != nil {
		return nil, fail(fmt.Errorf("decoding _embedded: %w", err))
	}
	p := &Page[T]{Items: make([]*T, 0, len(items)), Total: w.Total}
	for _, it := range items {
		if it != nil {
			p.Items = append(p.Items, it)
		}
	}
	if w.Links.Next.Href == "" || len(p.Items) == 0 || len(p.Items) < q.PageSize {
		return p, nil
	}
	u, err := url.Parse(w.Links.Next.Href)
	if err != nil {
		return nil, fail(errors.New("the next-page link is not a URL"))
	}
	start, err := strconv.ParseInt(u.Query().Get("start_id"), 10, 64)
	switch {
	case err != nil || start <= 0:
		return nil, fail(fmt.Errorf("the next-page link has no start_id serial number (%q)", u.RawQuery))
	case start == q.StartID:
		return nil, fail(fmt.Errorf("the next page (start_id=%d) is this page again", start))
	}
	p.Next = &PageQuery{PageSize: q.PageSize, StartID: start, EndID: q.EndID}
	return p, nil
}

// All yields the items of every page from opts on (opts is copied, never
// changed), checking ctx before each page. It yields one error and stops: a
// failed page, an ended context, or a next page that repeats an earlier one.
func All[T any](ctx context.Context, c *Client, path string, opts *PageQuery) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var q PageQuery
		if opts != nil {
			q = *opts
		}
		seen := map[int64]bool{}
		for {
			if err := ctx.Err(); err != nil {
				yield(nil, &RequestError{Method: http.MethodGet, Path: path, Err: err, pkg: c.pkg})
				return
			}
			seen[q.StartID] = true
			p, err := ListPage[T](ctx, c, path, &q)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case p.Next == nil:
				return
			case seen[p.Next.StartID]:
				yield(nil, &RequestError{Method: http.MethodGet, Path: path, pkg: c.pkg,
					Err: fmt.Errorf("the next page (start_id=%d) repeats an earlier page", p.Next.StartID)})
				return
			}
			q = *p.Next
		}
	}
}
