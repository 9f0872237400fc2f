package recordings_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
)

// exampleClient starts the fake service with one uploaded recording of a
// 1 MiB file, "17461b93", in session "2_MX40-fg".
func exampleClient() (*meetings.Client, func()) {
	srv, err := meetingstest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	start := time.Date(2021, 11, 2, 15, 53, 28, 0, time.UTC)
	if err := srv.AddRecording(meetingstest.Recording{ID: "17461b93", SessionID: "2_MX40-fg",
		StartedAt: start, EndedAt: start.Add(38 * time.Second)}); err != nil {
		log.Fatal(err)
	}
	if err := srv.SetGeneratedFile("17461b93", 1<<20); err != nil {
		log.Fatal(err)
	}
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

func ExampleService_Get() {
	client, done := exampleClient()
	defer done()

	rec, err := client.Recordings.Get(context.Background(), "17461b93")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.ID, rec.Status, rec.Duration)

	_, err = client.Recordings.Get(context.Background(), "unknown")
	fmt.Println(errors.Is(err, meetings.ErrNotFound))
	// Output:
	// 17461b93 uploaded 38s
	// true
}

func ExampleService_ListBySession() {
	client, done := exampleClient()
	defer done()

	list, err := client.Recordings.ListBySession(context.Background(), "2_MX40-fg")
	if err != nil {
		log.Fatal(err)
	}
	for _, rec := range list {
		fmt.Println(rec.ID, rec.Status)
	}
	// Output:
	// 17461b93 uploaded
}

func ExampleService_DownloadByIDToFile() {
	client, done := exampleClient()
	defer done()
	dir, err := os.MkdirTemp("", "recordings")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "17461b93.mp4")

	n, err := client.Recordings.DownloadByIDToFile(context.Background(), "17461b93", path,
		recordings.WithMaxResumes(5))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "bytes")
	// Output:
	// 1048576 bytes
}
