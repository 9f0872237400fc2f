package recordings

import (
	"context"
	"encoding/json"
	"net/http"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// Service calls the recordings endpoints. Get it from a client:
// meetings.NewClient(...).Recordings.
type Service struct{ c *core.Client }

func init() { core.Services.Recordings = func(c *core.Client) any { return &Service{c} } }

// Get fetches one recording: GET /recordings/{recording_id}. A recording
// that does not exist is an *meetings.APIError matching meetings.ErrNotFound.
func (s *Service) Get(ctx context.Context, recordingID string) (*Recording, error) {
	id, err := s.c.Segment("recordingID", recordingID)
	if err != nil {
		return nil, err
	}
	var rec Recording
	if err := s.c.Do(ctx, http.MethodGet, "/recordings/"+id, nil, nil, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}

// Delete deletes a recording and its file: DELETE /recordings/{recording_id}.
// Only uploaded recordings can be deleted: others give a 403
// (meetings.ErrForbidden). When a retry answers 404 after an earlier attempt
// that may have deleted it, Delete succeeds.
func (s *Service) Delete(ctx context.Context, recordingID string) error {
	id, err := s.c.Segment("recordingID", recordingID)
	if err != nil {
		return err
	}
	return s.c.Do(ctx, http.MethodDelete, "/recordings/"+id, nil, nil, nil)
}

// ListBySession lists the recordings of a session:
// GET /sessions/{session_id}/recordings. The list is empty, never nil, when
// the session has none.
func (s *Service) ListBySession(ctx context.Context, sessionID string) ([]*Recording, error) {
	id, err := s.c.Segment("sessionID", sessionID)
	if err != nil {
		return nil, err
	}
	var page struct {
		Embedded json.RawMessage `json:"_embedded"` // {"recordings": [...]}; missing, null or [] when none
	}
	if err := s.c.Do(ctx, http.MethodGet, "/sessions/"+id+"/recordings", nil, nil, &page); err != nil {
		return nil, err
	}
	var embedded struct{ Recordings []*Recording }
	if len(page.Embedded) > 0 && page.Embedded[0] == '{' {
		if err := json.Unmarshal(page.Embedded, &embedded); err != nil {
			return nil, err
		}
	}
	list := make([]*Recording, 0, len(embedded.Recordings))
	for _, r := range embedded.Recordings {
		if r != nil {
			list = append(list, r)
		}
	}
	return list, nil
}
