package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// slowWriter delays the status line: the callback is stored, but its 204
// comes after the sender stopped waiting.
type slowWriter struct {
	http.ResponseWriter
	delay time.Duration
}

func (w slowWriter) WriteHeader(code int) { time.Sleep(w.delay); w.ResponseWriter.WriteHeader(code) }

func TestDuplicateDeliveriesMakeOneFile(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	cfg := testConfig(t)
	eng := startEngine(t, cfg)
	m := newMetrics()
	handler := (&receiver{js: eng.js, log: quietLog(), m: m, timeout: cfg.publishTimeout}).handler(nil)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			w = slowWriter{w, 300 * time.Millisecond}
		}
		handler.ServeHTTP(w, r)
	}))
	defer rcv.Close()
	wm, _ := startWorker(t, cfg, eng, fakeClient(t, srv))

	const id = "dup-rec"
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: id, SessionID: "dup-session"}))
	require.NoError(t, srv.SetGeneratedFile(id, 300_000))
	downloadURL, err := srv.DownloadURL(id)
	require.NoError(t, err)
	body := `{"event":"recording:uploaded","recording_id":"` + id + `","session_id":"dup-session","url":"` + downloadURL + `"}`

	// The sender gives up on two slow answers and sends the same bytes a third time.
	impatient := &http.Client{Timeout: 100 * time.Millisecond}
	for range 2 {
		resp, err := impatient.Post(rcv.URL+"/slow", "application/json", strings.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
		var timeout interface{ Timeout() bool }
		require.True(t, errors.As(err, &timeout) && timeout.Timeout(), "the sender timed out: %v", err)
	}
	require.Equal(t, http.StatusNoContent, post(t, rcv.URL, body, nil))
	eventually(t, 5*time.Second, "three deliveries answered", func() bool { return m.accepted.Load() == 3 })
	assert.Equal(t, int64(1), m.persisted.Load(), "stored once")
	assert.Equal(t, int64(2), m.duplicates.Load(), "the retries dropped by the stream")
	eventually(t, 10*time.Second, "the recording on disk", func() bool { return wm.downloaded.Load() == 1 })

	// Past the duplicate window (here: other bytes, a fresh download URL in
	// the replayed meeting's callback) the worker finds the file and skips it.
	_, err = srv.PlayMeeting(context.Background(), rcv.URL, meetingstest.Meeting{RecordingID: id, SessionID: "dup-session", FileSize: 300_000})
	require.NoError(t, err)
	eventually(t, 10*time.Second, "the replay skipped", func() bool { return wm.skipped.Load() == 1 })
	assert.Equal(t, int64(1), wm.downloaded.Load())
	checkRecordings(t, cfg.outDir, []meetingstest.Meeting{{RecordingID: id, FileSize: 300_000}})
	gets := 0
	for _, r := range srv.RequestsTo(meetingstest.HostStorage) {
		if r.Method == http.MethodGet {
			gets++
		}
	}
	assert.Equal(t, 1, gets, "the file was fetched once")
}
