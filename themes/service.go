package themes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
	"github.com/vonage-meetings/go-sdk/rooms"
)

// Service calls the themes endpoints. Get it from a client:
// meetings.NewClient(...).Themes.
type Service struct{ c *core.Client }

func init() { core.Services.Themes = func(c *core.Client) any { return &Service{c} } }

// Create creates a theme: POST /themes, answered 201. A request without
// MainColor or BrandText, or with a field the server would refuse, is an
// *meetings.ArgumentError naming the field, and nothing is sent. A name or
// short URL already taken is an *meetings.APIError matching
// meetings.ErrConflict.
func (s *Service) Create(ctx context.Context, req CreateRequest) (*Theme, error) {
	switch {
	case req.MainColor == "":
		return nil, s.c.Arg("MainColor", "is empty")
	case req.BrandText == "":
		return nil, s.c.Arg("BrandText", "is empty")
	}
	short := &req.ShortCompanyURL
	if req.ShortCompanyURL == "" {
		short = nil
	}
	if err := s.check(&req.Name, &req.MainColor, &req.BrandText, short); err != nil {
		return nil, err
	}
	var t Theme
	if err := s.c.Do(ctx, http.MethodPost, "/themes", nil, req, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Get fetches a theme: GET /themes/{theme_id}. A theme that does not exist
// is an *meetings.APIError matching meetings.ErrNotFound.
func (s *Service) Get(ctx context.Context, themeID string) (*Theme, error) {
	id, err := s.c.Segment("themeID", themeID)
	if err != nil {
		return nil, err
	}
	var t Theme
	if err := s.c.Do(ctx, http.MethodGet, "/themes/"+id, nil, nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// List lists the application's themes: GET /themes. The list is empty,
// never nil, when there are none, which the server says with [], {} or an
// empty body.
func (s *Service) List(ctx context.Context) ([]*Theme, error) {
	var raw json.RawMessage
	if err := s.c.Do(ctx, http.MethodGet, "/themes", nil, nil, &raw); err != nil {
		return nil, err
	}
	var list []*Theme
	if b := bytes.TrimSpace(raw); len(b) > 0 && b[0] == '{' {
		var none map[string]json.RawMessage
		if json.Unmarshal(b, &none) != nil || len(none) > 0 {
			return nil, fmt.Errorf("themes: GET /themes: the 200 answer is an object, not a list of themes")
		}
	} else if len(b) > 0 {
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, fmt.Errorf("themes: GET /themes: decoding the 200 answer: %w", err)
		}
	}
	themes := make([]*Theme, 0, len(list))
	for _, t := range list {
		if t != nil {
			themes = append(themes, t)
		}
	}
	return themes, nil
}

// Update changes a theme: PATCH /themes/{theme_id} with
// {"update_details": {...}}. A request that sets nothing, or a field the
// server would refuse, is an *meetings.ArgumentError, and nothing is sent.
func (s *Service) Update(ctx context.Context, themeID string, req UpdateRequest) (*Theme, error) {
	id, err := s.c.Segment("themeID", themeID)
	if err != nil {
		return nil, err
	}
	if req == (UpdateRequest{}) {
		return nil, s.c.Arg("UpdateRequest", "sets no field: there is nothing to update")
	}
	if err := s.check(req.Name, req.MainColor, req.BrandText, req.ShortCompanyURL); err != nil {
		return nil, err
	}
	var t Theme
	body := map[string]UpdateRequest{"update_details": req}
	if err := s.c.Do(ctx, http.MethodPatch, "/themes/"+id, nil, body, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Delete deletes a theme: DELETE /themes/{theme_id}, with ?force=true only
// when force is set. Without force, a theme that rooms or the application
// use is kept, and the call is an *meetings.APIError with status 400 whose
// Errors say what uses it; with force, it is deleted all the same.
func (s *Service) Delete(ctx context.Context, themeID string, force bool) error {
	id, err := s.c.Segment("themeID", themeID)
	if err != nil {
		return err
	}
	q := struct {
		Force bool `url:"force,omitempty"`
	}{force}
	return s.c.Do(ctx, http.MethodDelete, "/themes/"+id, q, nil, nil)
}

// RoomsPage fetches one page of the rooms that use a theme:
// GET /themes/{theme_id}/rooms?page_size&start_id&end_id, paged as
// rooms.Service.ListPage is.
func (s *Service) RoomsPage(ctx context.Context, themeID string, opts *rooms.ListOptions) (*rooms.Page, error) {
	id, err := s.c.Segment("themeID", themeID)
	if err != nil {
		return nil, err
	}
	p, err := core.ListPage[rooms.Room](ctx, s.c, "/themes/"+id+"/rooms", (*core.PageQuery)(opts))
	if err != nil {
		return nil, err
	}
	return &rooms.Page{Rooms: p.Items, TotalItems: p.Total, Next: (*rooms.ListOptions)(p.Next)}, nil
}

// Rooms yields every room that uses a theme, page after page from opts on,
// as rooms.Service.List does.
func (s *Service) Rooms(ctx context.Context, themeID string, opts *rooms.ListOptions) iter.Seq2[*rooms.Room, error] {
	id, err := s.c.Segment("themeID", themeID)
	if err != nil {
		return func(yield func(*rooms.Room, error) bool) { yield(nil, err) }
	}
	return core.All[rooms.Room](ctx, s.c, "/themes/"+id+"/rooms", (*core.PageQuery)(opts))
}

// SetDefault makes a theme the application's default, the theme of rooms
// that name none: PATCH /applications with
// {"update_details": {"default_theme_id": ...}}. A theme that does not exist
// is an *meetings.APIError with status 400.
func (s *Service) SetDefault(ctx context.Context, themeID string) error {
	if _, err := s.c.Segment("themeID", themeID); err != nil {
		return err
	}
	body := map[string]map[string]string{"update_details": {"default_theme_id": themeID}}
	return s.c.Do(ctx, http.MethodPatch, "/applications", nil, body, nil)
}
