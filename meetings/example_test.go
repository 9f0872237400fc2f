package meetings_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
)

func ExampleNewClient() {
	client, err := meetings.NewClient("api-key", "api-secret",
		meetings.WithTimeout(10*time.Second),
		meetings.WithRetryPolicy(3, 250*time.Millisecond, 4*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client)
	// Output:
	// meetings.Client{BaseURL: "https://api-eu.vonage.com/beta/meetings", Auth: "basic"}
}

func ExampleNewClient_refusesEmptyCredentials() {
	_, err := meetings.NewClient("api-key", "")
	fmt.Println(err)
	// Output:
	// meetings: apiSecret: is empty
}

func ExampleWithBaseURL() {
	// A local fake of the API: plain http is accepted for loopback hosts only.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path)
		_, _ = w.Write([]byte(`{"id":"17461b93","status":"uploaded"}`))
	}))
	defer srv.Close()

	client, err := meetings.NewClient("api-key", "api-secret", meetings.WithBaseURL(srv.URL+"/v1/meetings"))
	if err != nil {
		log.Fatal(err)
	}
	rec, err := client.Recordings.Get(context.Background(), "17461b93")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Status)

	_, err = meetings.NewClient("api-key", "api-secret", meetings.WithBaseURL("http://api.example.com"))
	fmt.Println(err)
	// Output:
	// GET /v1/meetings/recordings/17461b93
	// uploaded
	// meetings: WithBaseURL: uses http for host "api.example.com"; https is required except for loopback hosts
}

func ExampleAPIError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Recording x was not found","name":"NotFoundError","status":404}`))
	}))
	defer srv.Close()
	client, err := meetings.NewClient("api-key", "api-secret", meetings.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Recordings.Get(context.Background(), "x")
	var apiErr *meetings.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Name, apiErr.Attempts)
	}
	fmt.Println(errors.Is(err, meetings.ErrNotFound))
	fmt.Println(err)
	// Output:
	// 404 NotFoundError 1
	// true
	// meetings: GET /recordings/x: 404 NotFoundError: Recording x was not found
}

// A client of the v1 API authenticates as an application with its private
// key (the PEM file the dashboard downloads) instead of a key and secret.
func ExampleWithApplication() {
	privateKey, err := os.ReadFile("private.key")
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := meetings.NewClient("", "", meetings.WithApplication("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", privateKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err := client.Recordings.Get(context.Background(), "17461b93-f793-48a0-9392-7d82de40432f")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rec.Status)
}
