package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/rooms"
)

// TestReceiverSavesTheRecording is the plain way to test a receiver with
// meetingstest: start the fake, point a client at it, create a room whose
// callbacks go to the receiver, let the fake play a meeting in it, compare
// the saved file with the fake's.
func TestReceiverSavesTheRecording(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := meetingstest.Start(t) // closed when the test ends
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
	require.NoError(t, err)
	dir := t.TempDir()
	rcv := newReceiver(client, slog.New(slog.NewTextHandler(io.Discard, nil)), dir, 2, 10, nil)
	handler, err := rcv.Handler()
	require.NoError(t, err)
	receiver := httptest.NewServer(handler)
	defer receiver.Close()

	url := receiver.URL + "/callbacks"
	room, err := client.Rooms.Create(ctx, rooms.CreateRequest{
		DisplayName:  "Test",
		CallbackURLs: &rooms.CallbackURLs{Rooms: url, Sessions: url, Recordings: url},
	})
	require.NoError(t, err)
	played, err := srv.PlayMeeting(ctx, "", meetingstest.Meeting{RoomID: room.ID, FileSize: 5 << 20})
	require.NoError(t, err, "a *meetingstest.CallbackError names the event the receiver refused")
	require.NoError(t, rcv.Shutdown(ctx), "waits for the download")

	want, err := meetingstest.GeneratedSHA256(played.Meeting.FileSize)
	require.NoError(t, err)
	got, err := fileSHA256(filepath.Join(dir, played.Meeting.RecordingID+".mp4"))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
