package recordings_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
)

const exampleID = "17461b93-f793-48a0-9392-7d82de40432f"

// fakeService starts the fake Meetings service holding one uploaded
// recording, and a client for it.
func fakeService() (*meetingstest.Server, *meetings.Client) {
	srv, err := meetingstest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.AddRecording(meetingstest.Recording{ID: exampleID, SessionID: "2_MX40fg"}); err != nil {
		log.Fatal(err)
	}
	if err := srv.SetFile(exampleID, []byte("pretend this is a video")); err != nil {
		log.Fatal(err)
	}
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	return srv, client
}

// Download streams the file of a recording's URL (or of a recording:uploaded
// callback's URL) into any io.Writer. A connection lost mid-file is resumed
// with a Range request, and the API's credentials never reach the storage
// host.
func ExampleService_Download() {
	srv, client := fakeService()
	defer srv.Close()
	ctx := context.Background()

	rec, err := client.Recordings.Get(ctx, exampleID)
	if err != nil {
		log.Fatal(err)
	}
	_ = srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: 10}) // drop the connection after 10 bytes

	var buf bytes.Buffer
	var done, total int64
	n, err := client.Recordings.Download(ctx, rec.URL, &buf,
		recordings.WithProgress(func(d, t int64) { done, total = d, t }))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("downloaded %d bytes (progress %d of %d): %q\n", n, done, total, buf.String())
	for _, r := range srv.RequestsTo(meetingstest.HostStorage) {
		fmt.Printf("storage: %s Range=%q\n", r.Method, r.Range)
	}
	fmt.Println("credentials sent to storage:", srv.StorageAuthorizationCount())
	// Output:
	// downloaded 23 bytes (progress 23 of 23): "pretend this is a video"
	// storage: GET Range=""
	// storage: GET Range="bytes=10-"
	// credentials sent to storage: 0
}

// DownloadByID fetches the recording first, so its time-limited URL is fresh
// even when an older one has expired.
func ExampleService_DownloadByID() {
	srv, client := fakeService()
	defer srv.Close()
	ctx := context.Background()

	rec, err := client.Recordings.Get(ctx, exampleID)
	if err != nil {
		log.Fatal(err)
	}
	srv.ExpireDownloadURLs() // as if an hour had passed

	_, err = client.Recordings.Download(ctx, rec.URL, &bytes.Buffer{})
	var storageErr *recordings.StorageError
	if errors.As(err, &storageErr) {
		fmt.Println("old URL:", storageErr.StatusCode, storageErr.Message)
	}

	var buf bytes.Buffer
	n, err := client.Recordings.DownloadByID(ctx, exampleID, &buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("by ID: %d bytes\n", n)

	_ = srv.SetRecordingStatus(exampleID, meetingstest.StatusStopped)
	_, err = client.Recordings.DownloadByID(ctx, exampleID, &buf)
	fmt.Println(errors.Is(err, recordings.ErrNotUploaded))
	// Output:
	// old URL: 403 Request has expired
	// by ID: 23 bytes
	// true
}

// DownloadToFile saves the file under a path, through a temporary file that
// is renamed only once complete.
func ExampleService_DownloadToFile() {
	srv, client := fakeService()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "recordings")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	url, _ := srv.DownloadURL(exampleID) // in a program: a Recording's URL
	path := filepath.Join(dir, exampleID+".mp4")
	n, err := client.Recordings.DownloadToFile(context.Background(), url, path)
	if err != nil {
		log.Fatal(err)
	}
	saved, _ := os.ReadFile(path)
	fmt.Printf("saved %d bytes: %s\n", n, saved)
	// Output: saved 23 bytes: pretend this is a video
}

// DownloadByIDToFile is the one call a program needs once it knows a
// recording's ID, for example from a recording:uploaded callback.
func ExampleService_DownloadByIDToFile() {
	srv, client := fakeService()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "recordings")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	path := filepath.Join(dir, exampleID+".mp4")
	n, err := client.Recordings.DownloadByIDToFile(context.Background(), exampleID, path,
		recordings.WithMaxResumes(5))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved", n, "bytes as", filepath.Base(path))
	// Output: saved 23 bytes as 17461b93-f793-48a0-9392-7d82de40432f.mp4
}
