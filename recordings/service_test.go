package recordings_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/recordings"
)

const base = "https://api.example.test/v1/meetings"

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

func mocked(t *testing.T) (*recordings.Service, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := meetings.NewClient("key", "secret", meetings.WithBaseURL(base),
		meetings.WithHTTPClient(&http.Client{Transport: mt}), meetings.WithRetryPolicy(0, 0, 0))
	require.NoError(t, err)
	return c.Recordings, mt
}

func TestGet(t *testing.T) {
	t.Parallel()
	s, mt := mocked(t)
	mt.RegisterResponder(http.MethodGet, base+"/recordings/e5b73c98-c087-4ee5-b61b-0ea08204fc65",
		httpmock.NewStringResponder(200, fixture(t, "get_recording.json")))

	rec, err := s.Get(context.Background(), "e5b73c98-c087-4ee5-b61b-0ea08204fc65")
	require.NoError(t, err)
	assert.Equal(t, "e5b73c98-c087-4ee5-b61b-0ea08204fc65", rec.ID)
	assert.Equal(t, "1_MX40NjMzOTg5Mn5-MTY3NDYxNDI4NjY5M35WM0xaVXBSc1lpT3hKWE1XQ2diM1B3cXB-fn4", rec.SessionID)
	assert.Equal(t, time.Date(2023, 1, 25, 2, 38, 31, 0, time.UTC), rec.StartedAt.UTC())
	assert.Equal(t, 9*time.Second, rec.Duration)
	assert.Equal(t, recordings.StatusUploaded, rec.Status)
	assert.Contains(t, rec.URL, "https://prod-meetings-recordings.s3.amazonaws.com/46339892/")
	assert.Contains(t, rec.URL, "Signature=")
}

func TestGetNotFound(t *testing.T) {
	t.Parallel()
	s, mt := mocked(t)
	mt.RegisterResponder(http.MethodGet, base+"/recordings/nope", httpmock.NewStringResponder(404, fixture(t, "get_recording_not_found.json")))
	_, err := s.Get(context.Background(), "nope")
	assert.ErrorIs(t, err, meetings.ErrNotFound)
	var apiErr *meetings.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NotFoundError", apiErr.Name)
}

func TestIDsAreCheckedAndEscaped(t *testing.T) {
	t.Parallel()
	s, mt := mocked(t)
	mt.RegisterResponder(http.MethodGet, `=~^`+base+`/recordings/a%2Fb%3Fc\z`, httpmock.NewStringResponder(200, `{"id":"a/b?c"}`))
	rec, err := s.Get(context.Background(), "a/b?c")
	require.NoError(t, err)
	assert.Equal(t, "a/b?c", rec.ID)

	for _, id := range []string{"", ".", ".."} {
		_, err := s.Get(context.Background(), id)
		var argErr *meetings.ArgumentError
		require.ErrorAs(t, err, &argErr)
		assert.Equal(t, "recordingID", argErr.Name)
		assert.ErrorAs(t, s.Delete(context.Background(), id), &argErr)
		_, err = s.ListBySession(context.Background(), id)
		require.ErrorAs(t, err, &argErr)
		assert.Equal(t, "sessionID", argErr.Name)
	}
	assert.Equal(t, 1, mt.GetTotalCallCount(), "refused IDs send nothing")
}

func TestListBySession(t *testing.T) {
	t.Parallel()
	s, mt := mocked(t)
	mt.RegisterResponder(http.MethodGet, base+"/sessions/s1/recordings", httpmock.NewStringResponder(200, fixture(t, "get_session_recordings.json")))
	mt.RegisterResponder(http.MethodGet, base+"/sessions/dotnet/recordings", httpmock.NewStringResponder(200, fixture(t, "dotnet_get_recordings.json")))
	for _, empty := range []string{"missing", "null", "empty", "nulls", "array"} {
		body := map[string]string{"missing": `{}`, "null": `{"_embedded":null}`, "empty": `{"_embedded":{"recordings":[]}}`,
			"nulls": `{"_embedded":{"recordings":[null]}}`, "array": `{"_embedded":[]}`}[empty]
		mt.RegisterResponder(http.MethodGet, base+"/sessions/"+empty+"/recordings", httpmock.NewStringResponder(200, body))
	}

	list, err := s.ListBySession(context.Background(), "s1")
	require.NoError(t, err)
	require.NotEmpty(t, list)
	for _, r := range list {
		assert.NotEmpty(t, r.ID)
	}
	list, err = s.ListBySession(context.Background(), "dotnet")
	require.NoError(t, err, "a byte-order mark is skipped")
	require.Len(t, list, 1)
	assert.Equal(t, recordings.StatusStarted, list[0].Status)
	for _, empty := range []string{"missing", "null", "empty", "nulls", "array"} {
		list, err := s.ListBySession(context.Background(), empty)
		require.NoError(t, err)
		assert.NotNil(t, list, empty)
		assert.Empty(t, list, empty)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	s, mt := mocked(t)
	mt.RegisterResponder(http.MethodDelete, base+"/recordings/r1", httpmock.NewStringResponder(204, ""))
	mt.RegisterResponder(http.MethodDelete, base+"/recordings/started", httpmock.NewStringResponder(403,
		`{"message":"can only delete recordings in 'uploaded' status","name":"ForbiddenError","status":403}`))
	mt.RegisterResponder(http.MethodDelete, base+"/recordings/gone", httpmock.NewStringResponder(404, fixture(t, "delete_recording_not_found.json")))
	assert.NoError(t, s.Delete(context.Background(), "r1"))
	assert.ErrorIs(t, s.Delete(context.Background(), "started"), meetings.ErrForbidden)
	assert.ErrorIs(t, s.Delete(context.Background(), "gone"), meetings.ErrNotFound)
}

func TestRecordingJSONRoundTrip(t *testing.T) {
	t.Parallel()
	var rec recordings.Recording
	require.NoError(t, json.Unmarshal([]byte(fixture(t, "get_recording.json")), &rec))
	b, err := json.Marshal(rec)
	require.NoError(t, err)
	var again recordings.Recording
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, rec, again)
	assert.Error(t, json.Unmarshal([]byte(`{"started_at":"yesterday"}`), &rec))
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","status":"archived","ended_at":null}`), &rec))
	assert.Equal(t, recordings.Status("archived"), rec.Status, "unknown statuses are kept")
}

func TestRecordingPrintsWithoutTheSignature(t *testing.T) {
	t.Parallel()
	rec := recordings.Recording{ID: "r1", URL: "https://storage.example/r1.mp4?X-Amz-Signature=s3cr3t"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(verb, rec)
		assert.NotContains(t, s, "s3cr3t", verb)
		assert.Contains(t, s, "https://storage.example/r1.mp4", verb)
		assert.NotContains(t, fmt.Sprintf(verb, &rec), "s3cr3t", verb)
	}
	assert.Contains(t, fmt.Sprintf("%#v", rec), "recordings.Recording{")
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("saved", "recording", rec)
	assert.NotContains(t, logs.String(), "s3cr3t", "a JSON log handler uses LogValue, not MarshalJSON")
	assert.Contains(t, logs.String(), "r1")
}
