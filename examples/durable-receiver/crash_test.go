package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// TestKill9LosesNoAcknowledgedCallback runs the program as a process with
// the embedded engine, plays N meetings at it, kills it with SIGKILL while
// downloads are queued and in flight, starts it again on the same storage,
// and checks that every recording ends on disk once, whole, and that every
// other event is logged once.
func TestKill9LosesNoAcknowledgedCallback(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program as a process")
	}
	t.Parallel()
	const n = 60
	srv := meetingstest.Start(t)
	data, out := t.TempDir(), t.TempDir()
	args := []string{"-data", data, "-out", out, "-workers", "4", "-ack-wait", "5s"}
	p := startProc(t, srv, args...)

	// Slow storage: each download's first answer waits, so while the meetings
	// are played most downloads are queued and a few in flight.
	require.NoError(t, srv.InjectStorageFault(2*n, meetingstest.Fault{Delay: 150 * time.Millisecond}))
	ms := make([]meetingstest.Meeting, n)
	for i := range ms {
		ms[i] = meeting("crash", i)
	}
	play(t, srv, p.URL+"/callbacks", ms, 4)

	mp4, parts := outFiles(t, out)
	t.Logf("at the kill: %d of %d recordings on disk, %d downloads in flight", len(mp4), n, len(parts))
	require.Less(t, len(mp4), n/2, "most downloads should still be queued at the kill")
	p.kill()

	// The restart finds the stored callbacks and finishes the work; the part
	// files the killed process left are removed as their downloads start over.
	p = startProc(t, srv, args...)
	eventually(t, 90*time.Second, "every recording on disk", func() bool {
		mp4, parts := outFiles(t, out)
		return len(mp4) == n && len(parts) == 0
	})
	checkRecordings(t, out, ms)
	eventually(t, 30*time.Second, "an empty queue", func() bool {
		_, metrics := get(t, p.URL+"/metrics")
		return strings.Contains(metrics, "\ndurable_receiver_queue_depth 0\n")
	})
	for _, m := range ms {
		events, ids := eventLines(t, filepath.Join(out, "events", m.SessionID+".jsonl"))
		assert.Len(t, events, 8, "%s: events %v", m.SessionID, events) // all but recording:uploaded and room:expired
		assert.Equal(t, len(events), ids, "%s: a line logged twice", m.SessionID)
		events, _ = eventLines(t, filepath.Join(out, "events", "room-"+m.RoomID+".jsonl"))
		assert.Equal(t, []string{"room:expired"}, events)
	}

	status, body := get(t, p.URL+"/healthz")
	assert.Equal(t, 200, status, body)
	status, body = get(t, p.URL+"/readyz")
	assert.Equal(t, 200, status, body)
	_, metrics := get(t, p.URL+"/metrics")
	assert.Contains(t, metrics, "\ndurable_receiver_messages_dead_lettered_total 0\n")
	require.NoError(t, p.stop(t), "a SIGTERM shutdown exits 0")
	assert.Contains(t, p.output(), `"msg":"stopped"`)
}

// play plays ms at url from senders goroutines at once, and fails the test
// if any callback is not acknowledged.
func play(t *testing.T, srv *meetingstest.Server, url string, ms []meetingstest.Meeting, senders int) {
	t.Helper()
	next := make(chan meetingstest.Meeting)
	var wg sync.WaitGroup
	errs := make(chan error, len(ms))
	for range senders {
		wg.Go(func() {
			for m := range next {
				if _, err := srv.PlayMeeting(context.Background(), url, m); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, m := range ms {
		next <- m
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
