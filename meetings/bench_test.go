package meetings_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/recordings"
)

// BenchmarkGet compares a Recordings.Get through the client with its floor:
// the same request done with plain net/http and encoding/json against the
// same server. Read the ratio with: benchstat -col /impl out.txt
func BenchmarkGet(b *testing.B) {
	body, err := os.ReadFile("testdata/get_recording.json")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	ctx := context.Background()

	b.Run("impl=client", func(b *testing.B) {
		c, err := meetings.NewClient(testKey, testSecret, meetings.WithBaseURL(srv.URL+"/beta/meetings"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			rec, err := c.Recordings.Get(ctx, "e5b73c98-c087-4ee5-b61b-0ea08204fc65")
			if err != nil || rec.ID == "" {
				b.Fatal(err)
			}
		}
	})

	b.Run("impl=floor", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		url := srv.URL + "/beta/meetings/recordings/e5b73c98-c087-4ee5-b61b-0ea08204fc65"
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.SetBasicAuth(testKey, testSecret)
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var rec recordings.Recording
			err = json.NewDecoder(resp.Body).Decode(&rec)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || rec.ID == "" {
				b.Fatal(resp.StatusCode, err)
			}
		}
	})
}
