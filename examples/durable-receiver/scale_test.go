package main

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// TestClusterSurvivesANodeAndAWorker runs a 3-node JetStream cluster in the
// test process, 3 receiver and 3 worker processes on it, spreads the
// callbacks over the receivers, and mid-run stops the node leading the
// stream and kills a worker with SIGKILL: every recording still ends on
// disk exactly once.
func TestClusterSurvivesANodeAndAWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a cluster and six processes")
	}
	t.Parallel()
	const n = 60
	nodes := startCluster(t, 3)
	urls := make([]string, len(nodes))
	for i, ns := range nodes {
		urls[i] = ns.ClientURL()
	}
	natsURL := strings.Join(urls, ",")
	srv := meetingstest.Start(t)
	out := t.TempDir()

	var receivers, workers []*proc
	for range 3 {
		receivers = append(receivers, startProc(t, srv, "-role", "receiver", "-nats", natsURL))
	}
	for range 3 {
		workers = append(workers, startProc(t, srv, "-role", "worker", "-nats", natsURL, "-out", out, "-workers", "2", "-ack-wait", "5s"))
	}
	js := connect(t, natsURL)
	info, err := js.Stream(context.Background(), streamName)
	require.NoError(t, err)
	require.Equal(t, 3, info.CachedInfo().Config.Replicas, "replicated on the cluster, found by itself")

	// A load balancer spreads every callback over the receivers, in turn.
	var turn atomic.Int64
	lb := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		u, _ := url.Parse(receivers[turn.Add(1)%int64(len(receivers))].URL)
		r.SetURL(u)
	}})
	defer lb.Close()

	require.NoError(t, srv.InjectStorageFault(2*n, meetingstest.Fault{Delay: 100 * time.Millisecond}))
	ms := make([]meetingstest.Meeting, n)
	for i := range ms {
		ms[i] = meeting("scale", i)
	}
	played := make(chan struct{})
	var retries, done atomic.Int64
	go func() { defer close(played); playRetrying(t, srv, lb.URL+"/callbacks", ms, 4, &retries, &done) }()

	eventually(t, 60*time.Second, "a third of the meetings played and recordings on disk", func() bool {
		mp4, _ := outFiles(t, out)
		return done.Load() >= n/3 && len(mp4) >= 3
	})
	leader := -1
	eventually(t, 10*time.Second, "a stream leader", func() bool {
		for i, ns := range nodes {
			if ns.JetStreamIsStreamLeader(globalAccount, streamName) {
				leader = i
			}
		}
		return leader != -1
	})
	mp4, parts := outFiles(t, out)
	t.Logf("killing worker 0 and stopping node %d, the stream leader, with %d of %d meetings played, %d recordings on disk and %d downloads in flight",
		leader, done.Load(), n, len(mp4), len(parts))
	workers[0].kill()
	nodes[leader].Shutdown()

	<-played
	eventually(t, 120*time.Second, "every recording on disk", func() bool {
		mp4, parts := outFiles(t, out)
		return len(mp4) == n && len(parts) == 0
	})
	checkRecordings(t, out, ms)
	eventually(t, 30*time.Second, "every callback processed", func() bool { // the dead worker's events come again after -ack-wait
		info, err := js.Stream(context.Background(), streamName)
		return err == nil && info.CachedInfo().State.Msgs == 0
	})
	dead, err := js.Stream(context.Background(), deadStreamName)
	require.NoError(t, err)
	assert.Zero(t, dead.CachedInfo().State.Msgs, "dead letters")
	for _, m := range ms {
		events, ids := eventLines(t, filepath.Join(out, "events", m.SessionID+".jsonl"))
		assert.Len(t, events, 8, m.SessionID)
		assert.Equal(t, len(events), ids, "%s: a line logged twice", m.SessionID)
	}
	t.Logf("%d meetings played again after a refused callback", retries.Load())
	for _, p := range append(receivers, workers[1:]...) {
		assert.NoError(t, p.stop(t), "a SIGTERM shutdown exits 0:\n%s", p.output())
	}
}

const globalAccount = "$G" // the account of a server configured without accounts

// startCluster runs size JetStream servers clustered on loopback in the test process.
func startCluster(t *testing.T, size int) []*server.Server {
	t.Helper()
	clientPorts, routePorts := freePorts(t, size), freePorts(t, size)
	var routes []*url.URL
	for _, p := range routePorts {
		routes = append(routes, &url.URL{Scheme: "nats-route", Host: fmt.Sprintf("127.0.0.1:%d", p)})
	}
	nodes := make([]*server.Server, size)
	for i := range nodes {
		ns, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("node-%d", i),
			Host:       "127.0.0.1",
			Port:       clientPorts[i],
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "scale-test", Host: "127.0.0.1", Port: routePorts[i]},
			Routes:     routes,
		})
		require.NoError(t, err)
		ns.Start()
		t.Cleanup(ns.Shutdown)
		nodes[i] = ns
	}
	for _, ns := range nodes {
		require.True(t, ns.ReadyForConnections(30*time.Second))
	}
	return nodes
}

// freePorts returns n ports free on 127.0.0.1 a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

func connect(t *testing.T, natsURL string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	return js
}

// playRetrying plays ms like play, but plays a meeting again (up to 10
// times, a second apart; done counts those played) when a callback is refused, as the real sender
// retries: during a leader election a callback may not be stored in time.
func playRetrying(t *testing.T, srv *meetingstest.Server, url string, ms []meetingstest.Meeting, senders int, retries, done *atomic.Int64) {
	next := make(chan meetingstest.Meeting)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for m := range next {
				for attempt := 1; ; attempt++ {
					_, err := srv.PlayMeeting(context.Background(), url, m)
					if err == nil {
						done.Add(1)
						break
					}
					if attempt == 10 {
						t.Errorf("meeting %s: %v", m.RecordingID, err)
						break
					}
					t.Logf("meeting %s, attempt %d: %v", m.RecordingID, attempt, err)
					retries.Add(1)
					time.Sleep(time.Second)
				}
			}
		})
	}
	for _, m := range ms {
		next <- m
	}
	close(next)
	wg.Wait()
}
