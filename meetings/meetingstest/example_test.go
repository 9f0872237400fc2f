package meetingstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// The fake answers the recordings endpoints as the service does, and serves
// the file from its storage host.
func Example() {
	srv, err := meetingstest.NewServer()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	_ = srv.AddRecording(meetingstest.Recording{
		ID:        "17461b93-f793-48a0-9392-7d82de40432f",
		SessionID: "2_MX40fg",
		StartedAt: time.Date(2021, 11, 2, 15, 55, 35, 0, time.UTC),
		EndedAt:   time.Date(2021, 11, 2, 15, 56, 13, 0, time.UTC),
	})
	_ = srv.SetFile("17461b93-f793-48a0-9392-7d82de40432f", []byte("not really an mp4"))

	req, _ := http.NewRequest("GET", srv.URL+"/recordings/17461b93-f793-48a0-9392-7d82de40432f", nil)
	req.SetBasicAuth(srv.APIKey(), srv.APISecret())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var rec struct {
		ID, StartedAt, Status string
		Links                 struct{ URL struct{ Href string } } `json:"_links"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&rec)
	fmt.Println(resp.StatusCode, rec.Status)

	file, err := http.Get(rec.Links.URL.Href) // no credentials: storage refuses them
	if err != nil {
		panic(err)
	}
	defer file.Body.Close()
	content, _ := io.ReadAll(file.Body)
	fmt.Printf("%d %q\n", file.StatusCode, content)
	// Output:
	// 200 uploaded
	// 200 "not really an mp4"
}

// Rooms are paged by serial numbers; a page's next link, which has no scheme,
// carries the start_id of the next page.
func Example_rooms() {
	srv, _ := meetingstest.NewServer()
	defer srv.Close()
	do := func(method, path, body string) map[string]any {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.SetBasicAuth(srv.APIKey(), srv.APISecret())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return m
	}
	for _, name := range []string{"a", "b", "c"} {
		do("POST", "/rooms", `{"display_name":"`+name+`"}`)
	}
	page := do("GET", "/rooms?page_size=2", "")
	fmt.Println(len(page["_embedded"].([]any)), page["total_items"])
	fmt.Println(page["_links"].(map[string]any)["next"].(map[string]any)["href"])
	// Output:
	// 2 3
	// api-eu.vonage.com/meetings/rooms?page_size=2&start_id=1011
}

// PlayMeeting sends one meeting's callbacks to a receiver.
func ExampleServer_PlayMeeting() {
	srv, _ := meetingstest.NewServer()
	defer srv.Close()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	played, err := srv.PlayMeeting(context.Background(), receiver.URL, meetingstest.Meeting{FileSize: 1 << 30})
	if err != nil {
		panic(err)
	}
	for _, cb := range played.Callbacks {
		fmt.Println(cb.StatusCode, cb.Event)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/recordings/"+played.Meeting.RecordingID, nil)
	req.SetBasicAuth(srv.APIKey(), srv.APISecret())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var rec struct{ Status string }
	_ = json.NewDecoder(resp.Body).Decode(&rec)
	fmt.Println(rec.Status)
	// Output:
	// 204 session:started
	// 204 session:participant:joined
	// 204 session:participant:joined
	// 204 recording:started
	// 204 recording:ended
	// 204 session:participant:left
	// 204 session:participant:left
	// 204 recording:uploaded
	// 204 session:ended
	// 204 room:expired
	// uploaded
}

// Faults make the next requests fail, here with 503 and a Retry-After; then
// the service answers, here that it has no session s1.
func ExampleServer_InjectAPIFault() {
	srv, _ := meetingstest.NewServer()
	defer srv.Close()
	_ = srv.InjectAPIFault(1, meetingstest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	for range 2 {
		req, _ := http.NewRequest("GET", srv.URL+"/sessions/s1/recordings", nil)
		req.SetBasicAuth(srv.APIKey(), srv.APISecret())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), string(body))
	}
	// Output:
	// 503 1 {"detail":"meetingstest: injected fault","title":"Service Unavailable"}
	// 404  {"message":"Failed to find session recordings by id: s1","name":"NotFoundError","status":404}
}

// A generated file's checksum is known without holding the file, and never
// changes between versions.
func ExampleGeneratedSHA256() {
	sum, _ := meetingstest.GeneratedSHA256(meetingstest.DefaultFileSize)
	fmt.Println(sum)
	// Output: 5a0a112218fef4eab96b8003ebda6051a8c8fd23bf024007e1d80b59592590c1
}
