package rooms

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// CreateRequest describes a room to create. Zero fields are not sent, so the
// server's defaults apply.
type CreateRequest struct {
	DisplayName string // required, at most 200 characters
	Type        Type   // "" means Instant
	// ExpiresAt is required for a LongTerm room, at least 10 minutes ahead,
	// and refused for an Instant one. It is sent in UTC with milliseconds.
	ExpiresAt      time.Time
	Metadata       string // at most 500 characters
	ThemeID        string // "": the application's default theme
	ExpireAfterUse bool   // close a LongTerm room after its first session; refused for an Instant one

	JoinApprovalLevel  JoinApprovalLevel
	RecordingOptions   *RecordingParams
	InitialJoinOptions *InitialJoinOptions
	CallbackURLs       *CallbackURLs
	AvailableFeatures  *FeatureParams
	UISettings         *UISettings
}

// UpdateRequest changes a long-term room (instant rooms cannot be updated):
// nil or empty fields are left as they are, and at least one must be set.
type UpdateRequest struct {
	DisplayName *string    // at most 200 characters
	ExpiresAt   *time.Time // at least 10 minutes ahead
	ThemeID     *string

	ExpireAfterUse     *bool
	JoinApprovalLevel  JoinApprovalLevel
	InitialJoinOptions *InitialJoinOptions
	CallbackURLs       *CallbackURLs
	AvailableFeatures  *FeatureParams
	UISettings         *UISettings
}

// RecordingParams sets recording options; nil fields are not sent.
type RecordingParams struct {
	AutoRecord      *bool `json:"auto_record,omitempty"`
	RecordOnlyOwner *bool `json:"record_only_owner,omitempty"`
}

// FeatureParams turns user interface features on or off; nil fields are not
// sent, and the server's default for each is on.
type FeatureParams struct {
	Recording      *bool `json:"is_recording_available,omitempty"`
	Chat           *bool `json:"is_chat_available,omitempty"`
	Whiteboard     *bool `json:"is_whiteboard_available,omitempty"`
	LocaleSwitcher *bool `json:"is_locale_switcher_available,omitempty"`
	Captions       *bool `json:"is_captions_available,omitempty"`
}

// wire is the JSON of a create request and of an update's update_details.
type wire struct {
	DisplayName        *string             `json:"display_name,omitempty"`
	Metadata           string              `json:"metadata,omitempty"`
	Type               Type                `json:"type,omitempty"`
	ExpiresAt          string              `json:"expires_at,omitempty"`
	ExpireAfterUse     *bool               `json:"expire_after_use,omitempty"`
	ThemeID            *string             `json:"theme_id,omitempty"`
	JoinApprovalLevel  JoinApprovalLevel   `json:"join_approval_level,omitempty"`
	RecordingOptions   *RecordingParams    `json:"recording_options,omitempty"`
	InitialJoinOptions *InitialJoinOptions `json:"initial_join_options,omitempty"`
	CallbackURLs       *CallbackURLs       `json:"callback_urls,omitempty"`
	AvailableFeatures  *FeatureParams      `json:"available_features,omitempty"`
	UISettings         *UISettings         `json:"ui_settings,omitempty"`
}

// minLead is how far ahead an expiry must be.
const minLead = 10 * time.Minute

func (s *Service) createBody(r CreateRequest) (*wire, error) {
	switch n := utf8.RuneCountInString(r.DisplayName); {
	case n == 0:
		return nil, s.c.Arg("DisplayName", "is empty")
	case n > 200:
		return nil, s.c.Arg("DisplayName", fmt.Sprintf("has %d characters; at most 200 are allowed", n))
	}
	if n := utf8.RuneCountInString(r.Metadata); n > 500 {
		return nil, s.c.Arg("Metadata", fmt.Sprintf("has %d characters; at most 500 are allowed", n))
	}
	instant := r.Type == "" || r.Type == Instant
	switch {
	case instant && !r.ExpiresAt.IsZero():
		return nil, s.c.Arg("ExpiresAt", "is set for an instant room, whose expiry the server sets")
	case r.Type == LongTerm && r.ExpiresAt.IsZero():
		return nil, s.c.Arg("ExpiresAt", "is required for a long_term room")
	case r.ExpireAfterUse && instant:
		return nil, s.c.Arg("ExpireAfterUse", "is set for an instant room; it is for long_term rooms")
	}
	w := &wire{DisplayName: &r.DisplayName, Metadata: r.Metadata, Type: r.Type, JoinApprovalLevel: r.JoinApprovalLevel,
		RecordingOptions: r.RecordingOptions, InitialJoinOptions: r.InitialJoinOptions, CallbackURLs: r.CallbackURLs,
		AvailableFeatures: r.AvailableFeatures, UISettings: r.UISettings}
	if r.ThemeID != "" {
		w.ThemeID = &r.ThemeID
	}
	if r.ExpireAfterUse {
		w.ExpireAfterUse = &r.ExpireAfterUse
	}
	if !r.ExpiresAt.IsZero() {
		if err := s.expiry(&w.ExpiresAt, r.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func (s *Service) updateBody(r UpdateRequest) (any, error) {
	if r == (UpdateRequest{}) {
		return nil, s.c.Arg("UpdateRequest", "sets no field: there is nothing to update")
	}
	if r.DisplayName != nil {
		if n := utf8.RuneCountInString(*r.DisplayName); n == 0 || n > 200 {
			return nil, s.c.Arg("DisplayName", fmt.Sprintf("has %d characters; from 1 to 200 are allowed", n))
		}
	}
	w := &wire{DisplayName: r.DisplayName, ThemeID: r.ThemeID, ExpireAfterUse: r.ExpireAfterUse,
		JoinApprovalLevel: r.JoinApprovalLevel, InitialJoinOptions: r.InitialJoinOptions, CallbackURLs: r.CallbackURLs,
		AvailableFeatures: r.AvailableFeatures, UISettings: r.UISettings}
	if r.ExpiresAt != nil {
		if err := s.expiry(&w.ExpiresAt, *r.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return map[string]*wire{"update_details": w}, nil
}

// expiry checks t and writes it as the wire wants it: RFC 3339 in UTC with
// milliseconds.
func (s *Service) expiry(dst *string, t time.Time) error {
	if lead := time.Until(t); lead <= minLead {
		return s.c.Arg("ExpiresAt", fmt.Sprintf("must be more than %s ahead; it is %s from now", minLead, lead.Round(time.Second)))
	}
	*dst = t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	return nil
}
