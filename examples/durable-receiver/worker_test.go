package main

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestCheckName(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"3ecd4bb4-4ba8-4ac7-a1e1-d6a6d8b9c13c", "2_MX40NjMzMDUyMn5-MTYzNTg2~fg", "a.b", "x=+"} {
		assert.NoError(t, checkName(ok), ok)
	}
	for _, bad := range []string{"", ".", "..", ".hidden", "a/b", `a\b`, "../etc", "a*", "a?", "a[b]", "a b", "a\x00", "é", string(make([]byte, 201))} {
		assert.Error(t, checkName(bad), "%q", bad)
	}
}

func TestEventIsLoggedOnceWhenDeliveredAgain(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	eng := startEngine(t, cfg)
	h, _ := startReceiver(t, cfg, eng)
	w, err := newWorker(context.Background(), cfg, eng, nil, quietLog(), newMetrics())
	require.NoError(t, err)

	const body = `{"event":"session:participant:joined","session_id":"s-1","participant_id":"p1","name":"<Ann & Bo>"}`
	require.Equal(t, http.StatusNoContent, post(t, h.URL, body, http.Header{"X-Room-Metadata": {"m"}}))
	msg, err := w.cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	require.NoError(t, err)
	ev, err := callbacks.Parse(msg.Data())
	require.NoError(t, err)
	require.NoError(t, w.record(msg, ev))
	require.NoError(t, w.record(msg, ev), "the same message again: a redelivery")

	path := filepath.Join(cfg.outDir, "events", "s-1.jsonl")
	events, ids := eventLines(t, path)
	assert.Equal(t, []string{"session:participant:joined"}, events)
	assert.Equal(t, 1, ids)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"name":"<Ann & Bo>"`, "the body, unescaped")
	assert.Contains(t, string(b), `"X-Room-Metadata":["m"]`, "the headers")
}

func TestFailingDownloadIsRetriedThenDeadLettered(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	cfg := testConfig(t)
	cfg.maxAttempts = 3
	eng := startEngine(t, cfg)
	h, _ := startReceiver(t, cfg, eng)
	m, _ := startWorker(t, cfg, eng, fakeClient(t, srv, meetings.WithRetryPolicy(0, time.Millisecond, time.Millisecond)))
	require.NoError(t, srv.InjectAPIFault(math.MaxInt, meetingstest.Fault{Status: http.StatusServiceUnavailable}))

	_, err := srv.PlayMeeting(context.Background(), h.URL, meetingstest.Meeting{RecordingID: "r-1", FileSize: 1000})
	require.NoError(t, err)
	eventually(t, 20*time.Second, "dead-lettered", func() bool { return m.deadLettered.Load() == 1 })

	dl, err := eng.dead.GetMsg(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, "meetings.dead.recording_uploaded", dl.Subject)
	assert.Equal(t, "3", dl.Header.Get("Dead-Letter-Deliveries"))
	assert.Contains(t, dl.Header.Get("Dead-Letter-Reason"), "503")
	assert.Equal(t, int64(2), m.retried.Load())
	assert.Equal(t, int64(2), m.redelivered.Load())
	eventually(t, 5*time.Second, "the work queue empty", func() bool { return streamMsgs(t, eng.stream) == 0 })
	mp4, parts := outFiles(t, cfg.outDir)
	assert.Empty(t, mp4)
	assert.Empty(t, parts)
}

func TestHopelessCallbacksAreDeadLetteredAtOnce(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	cfg := testConfig(t)
	eng := startEngine(t, cfg)
	h, _ := startReceiver(t, cfg, eng)
	m, _ := startWorker(t, cfg, eng, fakeClient(t, srv))

	for _, body := range []string{
		`{"event":"recording:uploaded","recording_id":"../../etc/passwd","session_id":"s"}`,  // not a file name
		`{"event":"recording:uploaded","recording_id":"no-such-recording","session_id":"s"}`, // 404
	} {
		require.Equal(t, http.StatusNoContent, post(t, h.URL, body, nil))
	}
	eventually(t, 10*time.Second, "both dead-lettered", func() bool { return m.deadLettered.Load() == 2 })
	assert.Zero(t, m.retried.Load(), "no retry")
	assert.Equal(t, uint64(2), streamMsgs(t, eng.dead))
	entries, err := os.ReadDir(cfg.outDir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the events directory")
}

// gate holds every request to one host until release is closed: a download
// provably in flight.
type gate struct {
	host    string
	started chan struct{}
	release chan struct{}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == g.host {
		g.started <- struct{}{}
		select {
		case <-g.release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestShutdownHandsBackTheDownloadInFlight(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	storage, err := url.Parse(srv.StorageURL)
	require.NoError(t, err)
	g := &gate{host: storage.Host, started: make(chan struct{}, 8), release: make(chan struct{})}
	cfg := testConfig(t)
	cfg.ackWait = time.Minute // a handed-back message comes again at once, not after this
	eng := startEngine(t, cfg)
	h, _ := startReceiver(t, cfg, eng)
	_, shutdown := startWorker(t, cfg, eng, fakeClient(t, srv, meetings.WithHTTPClient(&http.Client{Transport: g})))

	played, err := srv.PlayMeeting(context.Background(), h.URL, meetingstest.Meeting{FileSize: 4096})
	require.NoError(t, err)
	<-g.started
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	shutdown(ctx) // the download is held: the timeout passes and it is cancelled
	_, parts := outFiles(t, cfg.outDir)
	assert.Empty(t, parts, "a cancelled download leaves no part")
	_, err = eng.stream.GetLastMsgForSubject(context.Background(), subjectPrefix+"recording_uploaded")
	assert.NoError(t, err, "the recording's callback is still stored")

	close(g.release)
	m, _ := startWorker(t, cfg, eng, fakeClient(t, srv))
	eventually(t, 10*time.Second, "downloaded by the next worker", func() bool { return m.downloaded.Load() == 1 })
	assert.Equal(t, int64(1), m.redelivered.Load())
	checkRecordings(t, cfg.outDir, []meetingstest.Meeting{played.Meeting})
}
