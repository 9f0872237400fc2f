package themes

import core "github.com/vonage-meetings/go-sdk/internal/meetings"

// Service calls the themes endpoints. Get it from a client:
// meetings.NewClient(...).Themes.
type Service struct{ c *core.Client }

func init() { core.Services.Themes = func(c *core.Client) any { return &Service{c} } }
