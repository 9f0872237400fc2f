package meetings

import (
	"testing"

	"github.com/vonage-meetings/go-sdk/internal/api"
)

func TestVersionMatchesUserAgent(t *testing.T) {
	if Version != api.Version {
		t.Fatalf("meetings.Version %q != api.Version %q (sent in the User-Agent): bump both", Version, api.Version)
	}
}
