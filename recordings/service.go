package recordings

import (
	"context"
	"net/http"

	"github.com/vonage-meetings/go-sdk/internal/api"
)

// Service calls the recordings endpoints. Get one from meetings.NewClient
// (the client's Recordings field); it is safe for concurrent use.
type Service struct {
	api *api.Client
}

// NewService returns a Service sending its calls through c. It is the
// plumbing behind meetings.NewClient, which is what programs should call.
func NewService(c *api.Client) *Service { return &Service{api: c} }

// Get fetches one recording (GET /recordings/{recordingID}).
//
// It fails with a *meetings.ArgumentError for an empty, "." or ".." ID, a
// *meetings.APIError for a non-2xx answer (errors.Is(err, meetings.ErrNotFound)
// for an unknown recording), or a *meetings.RequestError.
func (s *Service) Get(ctx context.Context, recordingID string) (*Recording, error) {
	id, err := api.Segment("recordingID", recordingID)
	if err != nil {
		return nil, err
	}
	rec := new(Recording)
	if err := s.client().Do(ctx, http.MethodGet, "/recordings/"+id, nil, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// Delete deletes one recording (DELETE /recordings/{recordingID}). The API
// deletes only recordings whose status is "uploaded" and answers 403
// (errors.Is(err, meetings.ErrForbidden)) for others.
//
// Like every DELETE it is retried after connection errors, 429 and 5xx, so a
// deletion whose answer was lost can come back as a 404 on the retry.
func (s *Service) Delete(ctx context.Context, recordingID string) error {
	id, err := api.Segment("recordingID", recordingID)
	if err != nil {
		return err
	}
	return s.client().Do(ctx, http.MethodDelete, "/recordings/"+id, nil, nil)
}

// ListBySession lists the recordings of a session
// (GET /sessions/{sessionID}/recordings). A session without recordings gives
// an empty, non-nil slice. The API does not page this list.
func (s *Service) ListBySession(ctx context.Context, sessionID string) ([]*Recording, error) {
	id, err := api.Segment("sessionID", sessionID)
	if err != nil {
		return nil, err
	}
	var page struct {
		Embedded *struct {
			Recordings []*Recording `json:"recordings"`
		} `json:"_embedded"`
	}
	if err := s.client().Do(ctx, http.MethodGet, "/sessions/"+id+"/recordings", nil, &page); err != nil {
		return nil, err
	}
	list := []*Recording{}
	if page.Embedded != nil {
		for _, r := range page.Embedded.Recordings {
			if r != nil { // a null entry carries nothing
				list = append(list, r)
			}
		}
	}
	return list, nil
}

// client returns the API client, or nil for a Service not made by
// NewService; api.Client.Do answers a nil receiver with an argument error.
func (s *Service) client() *api.Client {
	if s == nil {
		return nil
	}
	return s.api
}
