package rooms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/rooms"
)

const base = "https://api.example.test/v1/meetings"

func newClient(t *testing.T) (*rooms.Service, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := meetings.NewClient("key", "secret", meetings.WithBaseURL(base),
		meetings.WithHTTPClient(&http.Client{Transport: mt}), meetings.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	return c.Rooms, mt
}

// fixture is a testdata file as it is, byte-order mark included.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

// answer makes mt answer method pathQuery (relative to base, with its exact
// query) with status and body, checking the request's JSON body against
// wantBody ("" for none).
func answer(t *testing.T, mt *httpmock.MockTransport, method, pathQuery, wantBody string, status int, body string) {
	mt.RegisterResponder(method, base+pathQuery, func(r *http.Request) (*http.Response, error) {
		_, query, _ := strings.Cut(pathQuery, "?")
		assert.Equal(t, query, r.URL.RawQuery, "query of %s %s", method, pathQuery)
		assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Basic "))
		var got []byte
		if r.Body != nil {
			got, _ = io.ReadAll(r.Body)
		}
		if wantBody == "" {
			assert.Empty(t, got)
		} else {
			assert.JSONEq(t, strings.TrimPrefix(wantBody, "\uFEFF"), string(got))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		}
		return httpmock.NewStringResponse(status, body), nil
	})
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCreateInstantRoomSendsOnlyWhatIsSet(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "POST", "/rooms", `{"display_name":"my_test_room"}`, 201, fixture(t, "meeting_room.json"))

	r, err := s.Create(context.Background(), rooms.CreateRequest{DisplayName: "my_test_room"})
	require.NoError(t, err)
	assert.Equal(t, "b3142c46-d1c1-4405-baa6-85683827ed69", r.ID)
	assert.Equal(t, rooms.Instant, r.Type)
	assert.Equal(t, "412958792", r.MeetingCode)
	assert.Equal(t, "", r.Metadata, "null metadata")
	assert.Equal(t, "", r.ThemeID, "null theme_id")
	assert.Equal(t, ts("2023-01-24T03:20:38.629Z"), r.CreatedAt)
	assert.Equal(t, ts("2023-01-24T03:30:38.629Z"), r.ExpiresAt)
	assert.True(t, r.IsAvailable)
	assert.Equal(t, "https://meetings.vonage.com/412958792", r.GuestURL)
	assert.True(t, strings.HasPrefix(r.HostURL, "https://meetings.vonage.com/?room_token=412958792&participant_token=eyJ"))
	assert.Equal(t, rooms.ApprovalNone, r.JoinApprovalLevel)
	assert.Equal(t, rooms.MicrophoneDefault, r.InitialJoinOptions.MicrophoneState)
	assert.Equal(t, rooms.Language("default"), r.UISettings.Language)
	assert.Equal(t, rooms.AvailableFeatures{Recording: true, Chat: true, Whiteboard: true}, r.AvailableFeatures)
	assert.Equal(t, rooms.RecordingOptions{}, r.RecordingOptions)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestCreateSendsEveryOption(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "POST", "/rooms", fixture(t, "CreateRoom-ShouldSerialize-request.json"), 201,
		fixture(t, "CreateRoom-ShouldDeserialize200-response.json"))
	yes, no := true, false
	url := "https://example.com"

	r, err := s.Create(context.Background(), rooms.CreateRequest{
		DisplayName: "string", Type: rooms.Instant, Metadata: "string", ThemeID: "ef2b46f3-8ebb-437e-a671-272e4990fbc8",
		JoinApprovalLevel:  rooms.ApprovalNone,
		RecordingOptions:   &rooms.RecordingParams{AutoRecord: &yes, RecordOnlyOwner: &yes},
		InitialJoinOptions: &rooms.InitialJoinOptions{MicrophoneState: rooms.MicrophoneDefault},
		CallbackURLs:       &rooms.CallbackURLs{Rooms: url, Sessions: url, Recordings: url},
		AvailableFeatures: &rooms.FeatureParams{Recording: &no, Chat: &no, Whiteboard: &no,
			LocaleSwitcher: &no, Captions: &yes},
		UISettings: &rooms.UISettings{Language: "de"},
	})
	require.NoError(t, err)
	assert.Equal(t, "934f95c2-28e5-486b-ab8e-1126dbc180f9", r.ID)
	assert.Equal(t, "abc123", r.Metadata)
	assert.Equal(t, "abc123", r.ThemeID)
	assert.Equal(t, ts("2023-02-06T11:13:50Z"), r.CreatedAt)
	assert.Equal(t, rooms.CallbackURLs{Rooms: url, Sessions: url, Recordings: url}, r.CallbackURLs)
	assert.Equal(t, "https://meetings.vonage.com/123456789?participant_token=xyz", r.HostURL)
}

func TestCreateLongTermRoomSendsItsExpiryInUTCWithMilliseconds(t *testing.T) {
	s, mt := newClient(t)
	at := time.Now().Add(48 * time.Hour).Truncate(time.Second).Add(123456789).In(time.FixedZone("CEST", 2*3600))
	want := fmt.Sprintf(`{"display_name":"test_long_term_room","type":"long_term","expires_at":%q,"expire_after_use":true}`,
		at.UTC().Format("2006-01-02T15:04:05.000Z"))
	answer(t, mt, "POST", "/rooms", want, 201, fixture(t, "long_term_room.json"))

	r, err := s.Create(context.Background(), rooms.CreateRequest{DisplayName: "test_long_term_room", Type: rooms.LongTerm,
		ExpiresAt: at, ExpireAfterUse: true})
	require.NoError(t, err)
	assert.Equal(t, rooms.LongTerm, r.Type)
	assert.Equal(t, ts("2023-01-30T00:47:04Z"), r.ExpiresAt)
	assert.Equal(t, rooms.AvailableFeatures{Recording: true, Chat: true, Whiteboard: true}, r.AvailableFeatures)
}

func TestCreateSendsUnknownEnumValuesAsGiven(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "POST", "/rooms",
		`{"display_name":"x","type":"webinar","join_approval_level":"Host_Decides","ui_settings":{"language":"pt-br"}}`,
		201, `{"id":"r1","type":"webinar","join_approval_level":"Host_Decides","ui_settings":{"language":"pt-br"}}`)

	r, err := s.Create(context.Background(), rooms.CreateRequest{DisplayName: "x", Type: "webinar",
		JoinApprovalLevel: "Host_Decides", UISettings: &rooms.UISettings{Language: "pt-br"}})
	require.NoError(t, err)
	assert.Equal(t, rooms.Type("webinar"), r.Type)
	assert.Equal(t, rooms.JoinApprovalLevel("Host_Decides"), r.JoinApprovalLevel)
	assert.Equal(t, rooms.Language("pt-br"), r.UISettings.Language)
}

func TestCreateRefusesWhatTheServerWouldWithoutSending(t *testing.T) {
	soon := time.Now().Add(5 * time.Minute)
	later := time.Now().Add(time.Hour)
	for _, tc := range []struct {
		name, field string
		req         rooms.CreateRequest
	}{
		{"no display name", "DisplayName", rooms.CreateRequest{}},
		{"display name over 200 characters", "DisplayName", rooms.CreateRequest{DisplayName: strings.Repeat("é", 201)}},
		{"metadata over 500 characters", "Metadata", rooms.CreateRequest{DisplayName: "x", Metadata: strings.Repeat("m", 501)}},
		{"long-term room without expiry", "ExpiresAt", rooms.CreateRequest{DisplayName: "x", Type: rooms.LongTerm}},
		{"long-term expiry under 10 minutes ahead", "ExpiresAt", rooms.CreateRequest{DisplayName: "x", Type: rooms.LongTerm, ExpiresAt: soon}},
		{"instant room with expiry", "ExpiresAt", rooms.CreateRequest{DisplayName: "x", ExpiresAt: later}},
		{"expire after use on an instant room", "ExpireAfterUse", rooms.CreateRequest{DisplayName: "x", ExpireAfterUse: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, mt := newClient(t)
			_, err := s.Create(context.Background(), tc.req)
			var argErr *meetings.ArgumentError
			require.ErrorAs(t, err, &argErr)
			assert.Equal(t, tc.field, argErr.Name)
			assert.True(t, strings.HasPrefix(err.Error(), "rooms: "), err.Error())
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

func TestCreateAcceptsTheLongestFields(t *testing.T) {
	s, mt := newClient(t)
	name, meta := strings.Repeat("é", 200), strings.Repeat("m", 500)
	body, _ := json.Marshal(map[string]string{"display_name": name, "metadata": meta})
	answer(t, mt, "POST", "/rooms", string(body), 201, `{"id":"r1"}`)
	_, err := s.Create(context.Background(), rooms.CreateRequest{DisplayName: name, Metadata: meta})
	assert.NoError(t, err)
}

func TestGet(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms/934f95c2-28e5-486b-ab8e-1126dbc180f9", "", 200, fixture(t, "GetRoom-ShouldDeserialize200-response.json"))

	r, err := s.Get(context.Background(), "934f95c2-28e5-486b-ab8e-1126dbc180f9")
	require.NoError(t, err)
	assert.Equal(t, "abc123", r.DisplayName)
	assert.False(t, r.IsAvailable)
	assert.Equal(t, "https://meetings.vonage.com/123456789", r.GuestURL)
}

func TestGetEscapesTheIDAndMapsNotFound(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms/a%2Fb%3F", "", 404, `{"message":"Room a/b? not found","name":"NotFoundError","status":404}`)

	_, err := s.Get(context.Background(), "a/b?")
	assert.ErrorIs(t, err, meetings.ErrNotFound)
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Room a/b? not found", apiErr.Message)
}

func TestIDsAreCheckedBeforeSending(t *testing.T) {
	s, mt := newClient(t)
	for _, id := range []string{"", ".", ".."} {
		var argErr *meetings.ArgumentError
		_, err := s.Get(context.Background(), id)
		require.ErrorAs(t, err, &argErr, "%q", id)
		assert.Equal(t, "roomID", argErr.Name)
		_, err = s.Update(context.Background(), id, rooms.UpdateRequest{DisplayName: new(string)})
		require.ErrorAs(t, err, &argErr, "%q", id)
		assert.Equal(t, "roomID", argErr.Name)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestUpdateSendsUpdateDetails(t *testing.T) {
	s, mt := newClient(t)
	at := time.Now().Add(24 * time.Hour)
	mt.RegisterResponder("PATCH", base+"/rooms/934f95c2-28e5-486b-ab8e-1126dbc180f9", func(r *http.Request) (*http.Response, error) {
		var got, want map[string]map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(fixture(t, "UpdateRoom-ShouldSerialize-request.json"), "\uFEFF")), &want))
		// The fixture's expiry is zoneless, as .NET sent it: ours is RFC 3339 in UTC.
		assert.Equal(t, at.UTC().Format("2006-01-02T15:04:05.000Z"), got["update_details"]["expires_at"])
		delete(got["update_details"], "expires_at")
		delete(want["update_details"], "expires_at")
		assert.Equal(t, want, got)
		return httpmock.NewStringResponse(200, fixture(t, "UpdateRoom-ShouldDeserialize200-response.json")), nil
	})
	yes, no := true, false
	url, theme := "https://example.com", "ef2b46f3-8ebb-437e-a671-272e4990fbc8"

	r, err := s.Update(context.Background(), "934f95c2-28e5-486b-ab8e-1126dbc180f9", rooms.UpdateRequest{
		ExpiresAt: &at, ThemeID: &theme, ExpireAfterUse: &yes, JoinApprovalLevel: rooms.ApprovalNone,
		InitialJoinOptions: &rooms.InitialJoinOptions{MicrophoneState: rooms.MicrophoneDefault},
		CallbackURLs:       &rooms.CallbackURLs{Rooms: url, Sessions: url, Recordings: url},
		AvailableFeatures: &rooms.FeatureParams{Recording: &no, Chat: &no, Whiteboard: &no,
			LocaleSwitcher: &no, Captions: &yes},
		UISettings: &rooms.UISettings{Language: "de"},
	})
	require.NoError(t, err)
	assert.Equal(t, "934f95c2-28e5-486b-ab8e-1126dbc180f9", r.ID)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestUpdateSendsAMeaningfulFalse(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "PATCH", "/rooms/33791484-231c-421b-8349-96e1a44e27d2",
		`{"update_details":{"display_name":"test_long_term_room","expire_after_use":false,"available_features":{"is_chat_available":false}}}`,
		200, fixture(t, "update_room.json"))
	name, no := "test_long_term_room", false

	r, err := s.Update(context.Background(), "33791484-231c-421b-8349-96e1a44e27d2", rooms.UpdateRequest{
		DisplayName: &name, ExpireAfterUse: &no, AvailableFeatures: &rooms.FeatureParams{Chat: &no}})
	require.NoError(t, err)
	assert.False(t, r.ExpireAfterUse)
	assert.Equal(t, rooms.LongTerm, r.Type)
}

func TestUpdateOfAnInstantRoomIsTheServersError(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "PATCH", "/rooms/b3142c46-d1c1-4405-baa6-85683827ed69", `{"update_details":{"theme_id":"t1"}}`,
		400, fixture(t, "update_room_type_error.json"))
	theme := "t1"

	_, err := s.Update(context.Background(), "b3142c46-d1c1-4405-baa6-85683827ed69", rooms.UpdateRequest{ThemeID: &theme})
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, "BadRequestError", apiErr.Name)
	assert.Contains(t, apiErr.Message, "because of its type: temporary")
}

func TestUpdateRefusesWithoutSending(t *testing.T) {
	empty, long := "", strings.Repeat("n", 201)
	soon := time.Now().Add(time.Minute)
	for _, tc := range []struct {
		name, field string
		req         rooms.UpdateRequest
	}{
		{"nothing set", "UpdateRequest", rooms.UpdateRequest{}},
		{"empty display name", "DisplayName", rooms.UpdateRequest{DisplayName: &empty}},
		{"display name over 200 characters", "DisplayName", rooms.UpdateRequest{DisplayName: &long}},
		{"expiry under 10 minutes ahead", "ExpiresAt", rooms.UpdateRequest{ExpiresAt: &soon}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, mt := newClient(t)
			_, err := s.Update(context.Background(), "r1", tc.req)
			var argErr *meetings.ArgumentError
			require.ErrorAs(t, err, &argErr)
			assert.Equal(t, tc.field, argErr.Name)
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
}

func TestDialInNumbers(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		want    []rooms.DialInNumber
	}{
		{"list_dial_in_numbers.json", []rooms.DialInNumber{
			{Number: "541139862166", Locale: "es-AR", DisplayName: "Argentina"},
			{Number: "442381924626", Locale: "en-GB", DisplayName: "United Kingdom"}}},
		{"GetDialNumbers-ShouldDeserialize200-response.json", []rooms.DialInNumber{
			{Number: "17323338801", Locale: "en-US", DisplayName: "United States"}}},
	} {
		s, mt := newClient(t)
		answer(t, mt, "GET", "/dial-in-numbers", "", 200, fixture(t, tc.fixture))
		got, err := s.DialInNumbers(context.Background())
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
}

func TestDialInNumbersIsEmptyNotNil(t *testing.T) {
	s, mt := newClient(t)
	answer(t, mt, "GET", "/dial-in-numbers", "", 200, `[]`)
	got, err := s.DialInNumbers(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)

	mt.RegisterResponder("GET", base+"/dial-in-numbers", httpmock.NewStringResponder(500, `{"title":"oops"}`))
	_, err = s.DialInNumbers(context.Background())
	assert.ErrorIs(t, err, meetings.ErrServer)
}

func TestRoomPrintsAndLogsNoParticipantToken(t *testing.T) {
	var r rooms.Room
	require.NoError(t, json.Unmarshal([]byte(fixture(t, "long_term_room.json")), &r))
	require.Contains(t, r.HostURL, "participant_token=")

	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("room", "room", r, "ptr", &r)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("room", "room", r)
	for _, out := range []string{fmt.Sprint(r), fmt.Sprintf("%v", &r), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r),
		fmt.Sprintf("%s", r), fmt.Sprint([]*rooms.Room{&r}), fmt.Sprintf("%+v", rooms.Page{Rooms: []*rooms.Room{&r}}), logs.String()} {
		assert.NotContains(t, out, "participant_token")
		assert.NotContains(t, out, "eyJ")
		assert.Contains(t, out, "33791484-231c-421b-8349-96e1a44e27d2")
	}
	assert.Contains(t, fmt.Sprintf("%#v", r), "rooms.Room{ID:")
	assert.Contains(t, fmt.Sprintf("%+v", r), "HostURL:https://meetings.vonage.com/ ")

	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "participant_token")
}

func TestRoomRefusesAWrongJSONType(t *testing.T) {
	var r rooms.Room
	assert.Error(t, json.Unmarshal([]byte(`{"id":7}`), &r))
	s, mt := newClient(t)
	answer(t, mt, "GET", "/rooms/r1", "", 200, `{"id":"r1","created_at":"yesterday"}`)
	_, err := s.Get(context.Background(), "r1")
	var reqErr *meetings.RequestError
	assert.ErrorAs(t, err, &reqErr)
	assert.False(t, errors.Is(err, meetings.ErrNotFound))
}
