package rooms

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// Type is a room's kind. Values this version does not know are kept as they
// arrive and sent as given.
type Type string

// The room types.
const (
	Instant  Type = "instant"   // for one meeting: the server sets its expiry
	LongTerm Type = "long_term" // reusable until its ExpiresAt, which creating one needs
)

// JoinApprovalLevel says who admits participants to a room's meetings.
// Values this version does not know are kept as they arrive.
type JoinApprovalLevel string

// The join approval levels.
const (
	ApprovalNone             JoinApprovalLevel = "none"              // anyone with the link joins
	ApprovalAfterOwnerOnly   JoinApprovalLevel = "after_owner_only"  // participants join once the host is in
	ApprovalExplicitApproval JoinApprovalLevel = "explicit_approval" // participants wait until the host admits them
)

// MicrophoneState is the microphone's state when a participant joins.
type MicrophoneState string

// The microphone states.
const (
	MicrophoneDefault MicrophoneState = "default"
	MicrophoneOn      MicrophoneState = "on"
	MicrophoneOff     MicrophoneState = "off"
)

// Language is the language of a room's user interface: "default" (the
// browser's), or one of "en", "he", "es", "pt-br", "it", "ca", "fr", "de",
// "ar", "zh-tw", "zh-cn". Values this version does not know are kept and
// sent as given.
type Language string

// Room is a meeting room, as the API returns it.
type Room struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Metadata    string `json:"metadata"`     // free text, passed along with the room's events
	MeetingCode string `json:"meeting_code"` // the digits to join by phone or by code
	ThemeID     string `json:"theme_id"`     // empty: the application's default theme
	Type        Type   `json:"type"`

	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`

	IsAvailable    bool `json:"is_available"`     // false once no new session can start
	ExpireAfterUse bool `json:"expire_after_use"` // a long-term room closes after its first session

	// HostURL (_links.host_url.href) opens the room as its host: it embeds
	// a participant token, so printing a Room or logging it with log/slog
	// shows it without its query. GuestURL (_links.guest_url.href) is the
	// link to share with participants. Neither is marshalled to JSON.
	HostURL  string `json:"-"`
	GuestURL string `json:"-"`

	JoinApprovalLevel  JoinApprovalLevel  `json:"join_approval_level"`
	RecordingOptions   RecordingOptions   `json:"recording_options"`
	InitialJoinOptions InitialJoinOptions `json:"initial_join_options"`
	CallbackURLs       CallbackURLs       `json:"callback_urls"`
	AvailableFeatures  AvailableFeatures  `json:"available_features"`
	UISettings         UISettings         `json:"ui_settings"`
}

// RecordingOptions are a room's recording settings.
type RecordingOptions struct {
	AutoRecord      bool `json:"auto_record"`       // every session is recorded, and cannot be stopped
	RecordOnlyOwner bool `json:"record_only_owner"` // only the owner's screen or a shared screen is recorded
}

// AvailableFeatures says which features a room's user interface offers
// (is_recording_available, ... on the wire).
type AvailableFeatures struct {
	Recording      bool `json:"is_recording_available"`
	Chat           bool `json:"is_chat_available"`
	Whiteboard     bool `json:"is_whiteboard_available"`
	LocaleSwitcher bool `json:"is_locale_switcher_available"`
	Captions       bool `json:"is_captions_available"`
}

// InitialJoinOptions is how participants enter a room's sessions.
type InitialJoinOptions struct {
	MicrophoneState MicrophoneState `json:"microphone_state,omitempty"`
}

// CallbackURLs override the application's callback URLs for one room's
// events; an empty one is not overridden.
type CallbackURLs struct {
	Rooms      string `json:"rooms_callback_url,omitempty"`
	Sessions   string `json:"sessions_callback_url,omitempty"`
	Recordings string `json:"recordings_callback_url,omitempty"`
}

// UISettings are a room's user interface settings.
type UISettings struct {
	Language Language `json:"language,omitempty"`
}

// UnmarshalJSON reads the wire shape: null fields stay empty, the URLs come
// from _links.
func (r *Room) UnmarshalJSON(b []byte) error {
	type plain Room
	var w struct {
		plain
		Links struct {
			Host  struct{ Href string } `json:"host_url"`
			Guest struct{ Href string } `json:"guest_url"`
		} `json:"_links"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = Room(w.plain)
	r.HostURL, r.GuestURL = w.Links.Host.Href, w.Links.Guest.Href
	return nil
}

// Format prints the Room as fmt would, but its HostURL without the query,
// which holds the host's participant token.
func (r Room) Format(f fmt.State, verb rune) {
	type plain Room
	r.HostURL = core.RedactURL(r.HostURL)
	core.Print(f, verb, plain(r), "rooms.Room")
}

// LogValue logs the Room as %+v prints it: HostURL without its token.
func (r Room) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", r)) }

// DialInNumber is a phone number that joins a meeting by its meeting code.
type DialInNumber struct {
	Number      string `json:"number"`       // e.g. "442381924626"
	Locale      string `json:"locale"`       // e.g. "en-GB"
	DisplayName string `json:"display_name"` // e.g. "United Kingdom"
}
