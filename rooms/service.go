package rooms

import core "github.com/vonage-meetings/go-sdk/internal/meetings"

// Service calls the rooms endpoints. Get it from a client:
// meetings.NewClient(...).Rooms.
type Service struct{ c *core.Client }

func init() { core.Services.Rooms = func(c *core.Client) any { return &Service{c} } }
