package meetings_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings"
)

const benchRecording = `{"id":"17461b93-f793-48a0-9392-7d82de40432f","session_id":"2_MX40LTEyMzQ1Njc4fn4-fg",` +
	`"started_at":"2021-11-02T15:53:28.753Z","ended_at":"2021-11-02T15:54:06.753Z","status":"uploaded",` +
	`"_links":{"url":{"href":"https://storage.example/17461b93.mp4?X-Amz-Signature=abc"}}}`

func benchServer(b *testing.B) (*httptest.Server, *atomic.Int32) {
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, benchRecording)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	b.Cleanup(srv.Close)
	return srv, &opened
}

// BenchmarkGet compares client.Recordings.Get (impl=sdk) with its floor
// (impl=floor): a plain net/http GET with Basic auth and json.Unmarshal of
// the same body into a struct, against the same server.
func BenchmarkGet(b *testing.B) {
	srv, _ := benchServer(b)
	b.Run("impl=sdk", func(b *testing.B) {
		client, err := meetings.NewClient("key", "secret", meetings.WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.Recordings.Get(context.Background(), "17461b93-f793-48a0-9392-7d82de40432f"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=floor", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/recordings/17461b93-f793-48a0-9392-7d82de40432f", nil)
			req.SetBasicAuth("key", "secret")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var rec struct {
				ID, SessionID, Status, StartedAt, EndedAt string
				Links                                     struct{ URL struct{ Href string } } `json:"_links"`
			}
			err = json.NewDecoder(resp.Body).Decode(&rec)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkConcurrentGet runs 16 goroutines of 1,000 Gets each per
// iteration and reports the connections the server saw opened.
func BenchmarkConcurrentGet(b *testing.B) {
	srv, opened := benchServer(b)
	client, err := meetings.NewClient("key", "secret", meetings.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 1000 {
					if _, err := client.Recordings.Get(context.Background(), "r"); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(opened.Load()), "conns")
}
