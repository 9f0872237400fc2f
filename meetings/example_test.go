package meetings_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
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
	_ = client // client.Recordings, client.Rooms, client.Themes

	_, err = meetings.NewClient("api-key", "")
	var argErr *meetings.ArgumentError
	fmt.Println(errors.As(err, &argErr), argErr.Name)
	// Output:
	// true apiSecret
}

func ExampleWithBaseURL() {
	// A local fake of the API: plain http is accepted for loopback hosts only.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path)
		fmt.Fprint(w, `{"id":"17461b93","status":"uploaded"}`)
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
	// meetings: base URL http://api.example.com must use https (plain http only for loopback hosts)
}

func ExampleAPIError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Recording x was not found","name":"NotFoundError","status":404}`)
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
	// recordings: GET /recordings/x: 404 NotFoundError: Recording x was not found
}

func ExampleNewApplicationClient() {
	privateKey, err := exampleKey() // the application's private key, PEM
	if err != nil {
		log.Fatal(err)
	}
	client, err := meetings.NewApplicationClient("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", privateKey)
	if err != nil {
		log.Fatal(err)
	}
	_ = client // sends RS256 JWTs to https://api-eu.vonage.com/v1/meetings
	fmt.Println(meetings.DefaultApplicationBaseURL)
	// Output:
	// https://api-eu.vonage.com/v1/meetings
}
