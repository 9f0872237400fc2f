package recordings

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/vonage-meetings/go-sdk/internal/api"
)

// Service calls the recordings endpoints. Get one from meetings.NewClient
// (the client's Recordings field); it is safe for concurrent use.
type Service struct {
	api *api.Client
}

// NewService returns a Service sending its calls through c. It is the
// plumbing behind meetings.NewClient and takes a type internal to this
// module, so it cannot be called from outside it: use meetings.NewClient and
// its Recordings field.
func NewService(c *api.Client) *Service { return &Service{api: c} }

// Get fetches one recording (GET /recordings/{recordingID}).
//
// It fails with a *meetings.ArgumentError for an empty, "." or ".." ID, a
// *meetings.APIError for a non-2xx answer (errors.Is(err, meetings.ErrNotFound)
// for an unknown recording), or a *meetings.RequestError, also for a 2xx
// answer that is empty, null or a recording without an id.
func (s *Service) Get(ctx context.Context, recordingID string) (*Recording, error) {
	id, err := api.Segment("recordingID", recordingID)
	if err != nil {
		return nil, err
	}
	var body getBody
	if err := s.client().Do(ctx, http.MethodGet, "/recordings/"+id, nil, &body); err != nil {
		return nil, err
	}
	return &body.Recording, nil
}

// getBody is Get's response: a recording, refused by Do without an id.
type getBody struct{ Recording }

func (b *getBody) UnmarshalJSON(data []byte) error { return b.Recording.UnmarshalJSON(data) }

func (b *getBody) CheckResponse() error {
	if b.ID == "" {
		return errors.New("has no id")
	}
	return nil
}

// listBody is ListBySession's response. A null entry or one without an id is
// refused by Do rather than dropped or returned as an empty Recording.
type listBody struct {
	Embedded *struct {
		Recordings []*Recording `json:"recordings"`
	} `json:"_embedded"`
}

func (b *listBody) CheckResponse() error {
	if b.Embedded == nil {
		return nil
	}
	for i, r := range b.Embedded.Recordings {
		switch {
		case r == nil:
			return fmt.Errorf("_embedded.recordings[%d] is null", i)
		case r.ID == "":
			return fmt.Errorf("_embedded.recordings[%d] has no id", i)
		}
	}
	return nil
}

// Delete deletes one recording (DELETE /recordings/{recordingID}). The API
// deletes only recordings whose status is "uploaded" and answers 403
// (errors.Is(err, meetings.ErrForbidden)) for others.
//
// Like every DELETE it is retried after connection errors, 429 and 5xx
// except 501, so a
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
// an empty, non-nil slice. The API does not page this list. An answer that
// holds a null entry or a recording without an id fails with a
// *meetings.RequestError naming the entry, so every element is usable.
func (s *Service) ListBySession(ctx context.Context, sessionID string) ([]*Recording, error) {
	id, err := api.Segment("sessionID", sessionID)
	if err != nil {
		return nil, err
	}
	var page listBody
	if err := s.client().Do(ctx, http.MethodGet, "/sessions/"+id+"/recordings", nil, &page); err != nil {
		return nil, err
	}
	list := []*Recording{}
	if page.Embedded != nil {
		list = append(list, page.Embedded.Recordings...)
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
