package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/callbacks"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// TestMeasureAcceptedPerSecond posts the same distinct callbacks to an
// in-memory receiver (a channel, as the webhook-receiver example does) and
// to the durable one (embedded engine, file storage), in the same run, and
// logs both rates and their ratio (the goal is at least 0.5).
func TestMeasureAcceptedPerSecond(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement")
	}
	const callbacksPerRun, senders = 8000, 16
	bodies := make([]string, callbacksPerRun)
	for i := range bodies {
		bodies[i] = fmt.Sprintf(`{"event":"session:participant:joined","session_id":"session-%d","room_id":"room-1","participant_id":"p-%d","name":"Guest %d","type":"Guest","is_host":false}`, i/10, i, i)
	}

	queue := make(chan callbacks.Event, callbacksPerRun)
	go func() {
		for range queue { // the in-memory receiver's workers: take and drop
		}
	}()
	defer close(queue)
	inMemory := httptest.NewServer(callbacks.NewHandler(func(_ context.Context, ev callbacks.Event) error {
		queue <- ev
		return nil
	}))
	defer inMemory.Close()
	cfg := testConfig(t)
	cfg.publishTimeout = 10 * time.Second // the default: a loaded machine may stall a moment
	durable, m := startReceiver(t, cfg, startEngine(t, cfg))

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	rate := func(url string, round int) float64 {
		next := make(chan string, len(bodies))
		for _, b := range bodies {
			next <- strings.Replace(b, `"event"`, fmt.Sprintf(`"round":%d,"event"`, round), 1) // new bytes each round
		}
		close(next)
		start := time.Now()
		var wg sync.WaitGroup
		for range senders {
			wg.Go(func() {
				for b := range next {
					resp, err := client.Post(url, "application/json", strings.NewReader(b))
					if !assert.NoError(t, err) {
						return
					}
					resp.Body.Close()
					assert.Equal(t, http.StatusNoContent, resp.StatusCode)
				}
			})
		}
		wg.Wait()
		return float64(len(bodies)) / time.Since(start).Seconds()
	}
	rate(inMemory.URL, 0) // warm up both
	rate(durable.URL, 0)
	var mem, dur float64
	for round := 1; round <= 3; round++ { // the best of three rounds each, interleaved
		mem = max(mem, rate(inMemory.URL, round))
		dur = max(dur, rate(durable.URL, round))
	}
	assert.Equal(t, int64(4*callbacksPerRun), m.persisted.Load(), "every callback stored once")
	t.Logf("callbacks accepted per second, %d senders: in-memory %.0f, durable %.0f, ratio %.2f (goal >= 0.5)", senders, mem, dur, dur/mem)
}

// TestMeasureCallbackToFile plays meetings at a receiver and worker in one
// process and logs the p50 and p99 of the time from the recording:uploaded
// callback's arrival to its file on disk, as the worker measures it.
func TestMeasureCallbackToFile(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement")
	}
	const n = 50
	srv := meetingstest.Start(t)
	cfg := testConfig(t)
	eng := startEngine(t, cfg)
	h, _ := startReceiver(t, cfg, eng)
	var logs syncBuffer
	w, err := newWorker(context.Background(), cfg, eng, fakeClient(t, srv), slog.New(slog.NewJSONHandler(&logs, nil)), newMetrics())
	require.NoError(t, err)
	stop, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.run(stop, context.Background()) }()
	defer func() { cancel(); <-done }()

	ms := make([]meetingstest.Meeting, n)
	for i := range ms {
		ms[i] = meeting("latency", i)
		ms[i].FileSize = 512 << 10
	}
	play(t, srv, h.URL, ms, 4)
	eventually(t, 60*time.Second, "every recording on disk", func() bool { return w.m.downloaded.Load() == n })

	var took []time.Duration
	sc := bufio.NewScanner(bytes.NewReader(logs.Bytes()))
	for sc.Scan() {
		var line struct {
			Msg           string
			SinceCallback string `json:"since_callback"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "downloaded" {
			d, err := time.ParseDuration(line.SinceCallback)
			require.NoError(t, err)
			took = append(took, d)
		}
	}
	require.Len(t, took, n)
	slices.Sort(took)
	t.Logf("callback to file, %d meetings of 512 KiB from 4 senders, %d download slots: p50 %s, p99 %s, max %s",
		n, cfg.workers, took[n/2].Round(time.Millisecond), took[n*99/100].Round(time.Millisecond), took[n-1].Round(time.Millisecond))
}

// syncBuffer is a bytes.Buffer safe for the worker's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.b.Bytes())
}
