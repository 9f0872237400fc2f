package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// TestReceiverSavesTheRecording is the plain way to test a receiver with
// meetingstest: start the fake, point a client at it, let it play a meeting
// to the receiver, compare the saved file with the fake's.
func TestReceiverSavesTheRecording(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := meetingstest.Start(t) // closed when the test ends
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rcv := newReceiver(client, slog.New(slog.NewTextHandler(io.Discard, nil)), dir, 2, 10, nil)
	handler, err := rcv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	receiver := httptest.NewServer(handler)
	defer receiver.Close()

	played, err := srv.PlayMeeting(ctx, receiver.URL+"/callbacks", meetingstest.Meeting{FileSize: 5 << 20})
	if err != nil {
		t.Fatalf("PlayMeeting: %v", err) // a *meetingstest.CallbackError names the event the receiver refused
	}
	if err := rcv.Shutdown(ctx); err != nil { // waits for the download
		t.Fatal(err)
	}

	want, err := srv.FileSHA256(played.Meeting.RecordingID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fileSHA256(filepath.Join(dir, played.Meeting.RecordingID+".mp4"))
	if err != nil || got != want {
		t.Errorf("saved file: SHA-256 %s (%v), want %s", got, err, want)
	}
}
