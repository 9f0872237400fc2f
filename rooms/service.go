package rooms

import (
	"context"
	"iter"
	"net/http"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// Service calls the rooms endpoints. Get it from a client:
// meetings.NewClient(...).Rooms.
type Service struct{ c *core.Client }

func init() { core.Services.Rooms = func(c *core.Client) any { return &Service{c} } }

// ListOptions selects a page of rooms. Rooms are numbered by serial numbers
// (not their IDs); a zero field is not sent.
type ListOptions struct {
	PageSize int   // rooms per page; 0: the server's default (20)
	StartID  int64 // the serial number to start at
	EndID    int64 // the serial number to end before
}

// Page is one page of rooms.
type Page struct {
	Rooms      []*Room
	TotalItems int          // total_items: the rooms the list holds
	Next       *ListOptions // the next page's options; nil on the last page
}

// Create creates a room: POST /rooms, answered 201. A request the server
// would refuse for a reason the client can see (no display name, a
// long-term room without an expiry, an instant room with one) is an
// *meetings.ArgumentError naming the field, and nothing is sent. Create is
// retried only when no connection was made: a retry could create a second
// room.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*Room, error) {
	body, err := s.createBody(req)
	if err != nil {
		return nil, err
	}
	var r Room
	if err := s.c.Do(ctx, http.MethodPost, "/rooms", nil, body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Get fetches a room: GET /rooms/{room_id}. A room that does not exist is
// an *meetings.APIError matching meetings.ErrNotFound.
func (s *Service) Get(ctx context.Context, roomID string) (*Room, error) {
	id, err := s.c.Segment("roomID", roomID)
	if err != nil {
		return nil, err
	}
	var r Room
	if err := s.c.Do(ctx, http.MethodGet, "/rooms/"+id, nil, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Update changes a long-term room: PATCH /rooms/{room_id} with
// {"update_details": {...}}. A request that sets nothing is an
// *meetings.ArgumentError, and nothing is sent; updating an instant room is
// an *meetings.APIError with status 400.
func (s *Service) Update(ctx context.Context, roomID string, req UpdateRequest) (*Room, error) {
	id, err := s.c.Segment("roomID", roomID)
	if err != nil {
		return nil, err
	}
	body, err := s.updateBody(req)
	if err != nil {
		return nil, err
	}
	var r Room
	if err := s.c.Do(ctx, http.MethodPatch, "/rooms/"+id, nil, body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ListPage fetches one page of the application's rooms:
// GET /rooms?page_size&start_id&end_id (opts may be nil). Page.Next, when
// not nil, asks for the page after it: it holds opts with the StartID of
// the server's next link, which is read, never fetched.
func (s *Service) ListPage(ctx context.Context, opts *ListOptions) (*Page, error) {
	p, err := core.ListPage[Room](ctx, s.c, "/rooms", (*core.PageQuery)(opts))
	if err != nil {
		return nil, err
	}
	return &Page{Rooms: p.Items, TotalItems: p.Total, Next: (*ListOptions)(p.Next)}, nil
}

// List yields every room of the application, page after page from opts on
// (opts may be nil, and is never changed). It checks ctx before each page,
// stops when the caller breaks, after the last page (no next link, an empty
// page, or one shorter than PageSize), and after yielding its only error,
// such as a next page that would repeat an earlier one.
func (s *Service) List(ctx context.Context, opts *ListOptions) iter.Seq2[*Room, error] {
	return core.All[Room](ctx, s.c, "/rooms", (*core.PageQuery)(opts))
}

// DialInNumbers lists the numbers that join a meeting by phone:
// GET /dial-in-numbers. The list is empty, never nil, when there are none.
func (s *Service) DialInNumbers(ctx context.Context) ([]DialInNumber, error) {
	var list []DialInNumber
	if err := s.c.Do(ctx, http.MethodGet, "/dial-in-numbers", nil, nil, &list); err != nil {
		return nil, err
	}
	if list == nil {
		list = []DialInNumber{}
	}
	return list, nil
}
