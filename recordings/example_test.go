package recordings_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/vonage-meetings/go-sdk/meetings"
)

// fakeMeetings stands in for the Meetings API so the examples run offline.
func fakeMeetings() *httptest.Server {
	const rec = `{"id":"17461b93","session_id":"2_MX40-fg","started_at":"2021-11-02T15:55:35.000Z",` +
		`"ended_at":"2021-11-02T15:56:13.000Z","status":"uploaded",` +
		`"_links":{"url":{"href":"https://storage.example/17461b93/archive.mp4"}}}`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /beta/meetings/recordings/17461b93", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(rec))
	})
	mux.HandleFunc("DELETE /beta/meetings/recordings/17461b93", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /beta/meetings/sessions/2_MX40-fg/recordings", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"_embedded":{"recordings":[` + rec + `]}}`))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Recording was not found","name":"NotFoundError","status":404}`))
	})
	return httptest.NewServer(mux)
}

func exampleClient(baseURL string) *meetings.Client {
	client, err := meetings.NewClient("api-key", "api-secret", meetings.WithBaseURL(baseURL+"/beta/meetings"))
	if err != nil {
		log.Fatal(err)
	}
	return client
}

func ExampleService_Get() {
	srv := fakeMeetings()
	defer srv.Close()
	client := exampleClient(srv.URL)

	rec, err := client.Recordings.Get(context.Background(), "17461b93")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.ID, rec.Status, rec.EndedAt.Sub(rec.StartedAt))
	fmt.Println(rec.URL)

	_, err = client.Recordings.Get(context.Background(), "unknown")
	fmt.Println(errors.Is(err, meetings.ErrNotFound))
	// Output:
	// 17461b93 uploaded 38s
	// https://storage.example/17461b93/archive.mp4
	// true
}

func ExampleService_ListBySession() {
	srv := fakeMeetings()
	defer srv.Close()
	client := exampleClient(srv.URL)

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

func ExampleService_Delete() {
	srv := fakeMeetings()
	defer srv.Close()
	client := exampleClient(srv.URL)

	if err := client.Recordings.Delete(context.Background(), "17461b93"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted")

	err := client.Recordings.Delete(context.Background(), "..")
	var argErr *meetings.ArgumentError
	fmt.Println(errors.As(err, &argErr), err)
	// Output:
	// deleted
	// true meetings: recordingID: ".." is not a usable ID
}
