package rooms_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/rooms"
)

// fake serves answers by request line, as a stand-in for the API.
func fake(answers map[string]string) (*meetings.Client, func()) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(strings.TrimSpace(r.Method + " " + r.URL.RequestURI() + " " + string(body)))
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = io.WriteString(w, answers[r.Method+" "+r.URL.RequestURI()])
	}))
	client, err := meetings.NewClient("api-key", "api-secret", meetings.WithBaseURL(srv.URL+"/v1/meetings"))
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

func ExampleService_Create() {
	client, done := fake(map[string]string{"POST /v1/meetings/rooms": `{"id":"b3142c46","display_name":"Retro","type":"long_term",
		"_links":{"guest_url":{"href":"https://meetings.vonage.com/412958792"},
		"host_url":{"href":"https://meetings.vonage.com/?room_token=412958792&participant_token=eyJhbGciOi"}}}`})
	defer done()

	expires := time.Date(2099, 1, 2, 15, 4, 5, 0, time.FixedZone("CET", 3600))
	off := false
	room, err := client.Rooms.Create(context.Background(), rooms.CreateRequest{
		DisplayName:       "Retro",
		Type:              rooms.LongTerm,
		ExpiresAt:         expires,
		AvailableFeatures: &rooms.FeatureParams{Whiteboard: &off},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(room.ID, room.Type, room.GuestURL)
	fmt.Println(strings.Contains(room.HostURL, "participant_token"))
	fmt.Println(strings.Contains(fmt.Sprintf("%+v", room), "participant_token")) // printing hides it
	// Output:
	// POST /v1/meetings/rooms {"display_name":"Retro","type":"long_term","expires_at":"2099-01-02T14:04:05.000Z","available_features":{"is_whiteboard_available":false}}
	// b3142c46 long_term https://meetings.vonage.com/412958792
	// true
	// false
}

func ExampleService_List() {
	page := func(ids, next string) string {
		return `{"_embedded":[` + ids + `],"total_items":3,"_links":{"next":{"href":"api-eu.vonage.com/meetings/rooms?page_size=2&start_id=` + next + `"}}}`
	}
	client, done := fake(map[string]string{
		"GET /v1/meetings/rooms?page_size=2":                  page(`{"id":"r1"},{"id":"r2"}`, "2006655"),
		"GET /v1/meetings/rooms?page_size=2&start_id=2006655": page(`{"id":"r3"}`, "2006657"), // short: the last
	})
	defer done()

	for room, err := range client.Rooms.List(context.Background(), &rooms.ListOptions{PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(room.ID)
	}
	// Output:
	// GET /v1/meetings/rooms?page_size=2
	// r1
	// r2
	// GET /v1/meetings/rooms?page_size=2&start_id=2006655
	// r3
}
