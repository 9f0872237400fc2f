package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// testConfig is the default configuration with temporary directories and
// the short waits a test can afford.
func testConfig(t *testing.T) config {
	t.Helper()
	cfg, err := parseConfig([]string{"-ack-wait", "10s", "-retry-wait", "10ms"}, func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	cfg.dataDir, cfg.outDir = t.TempDir(), t.TempDir()
	return cfg
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startEngine runs the embedded engine for a test.
func startEngine(t *testing.T, cfg config) *engine {
	t.Helper()
	eng, err := openEngine(context.Background(), cfg, quietLog())
	require.NoError(t, err)
	t.Cleanup(eng.close)
	return eng
}

// startWorker runs a worker with client until the test ends, and returns
// its metrics and a function that stops it (as a shutdown would, cancelling
// the work in flight when its context ends).
func startWorker(t *testing.T, cfg config, eng *engine, client *meetings.Client) (*metrics, func(ctx context.Context)) {
	t.Helper()
	m := newMetrics()
	w, err := newWorker(context.Background(), cfg, eng, client, quietLog(), m)
	require.NoError(t, err)
	stop, cancelStop := context.WithCancel(context.Background())
	work, cancelWork := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.run(stop, work) }()
	var once sync.Once
	shutdown := func(ctx context.Context) {
		once.Do(func() {
			cancelStop()
			select {
			case <-done:
			case <-ctx.Done():
				cancelWork()
				<-done
			}
		})
	}
	t.Cleanup(func() { shutdown(context.Background()); cancelWork() })
	return m, shutdown
}

func fakeClient(t *testing.T, srv *meetingstest.Server, opts ...meetings.Option) *meetings.Client {
	t.Helper()
	c, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), append([]meetings.Option{meetings.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	return c
}

// eventually polls cond every 20 ms until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func streamMsgs(t *testing.T, s jetstream.Stream) uint64 {
	t.Helper()
	info, err := s.Info(context.Background())
	require.NoError(t, err)
	return info.State.Msgs
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// outFiles lists the recordings (*.mp4) and the temporary parts in dir.
func outFiles(t *testing.T, dir string) (mp4, parts []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		switch {
		case strings.HasSuffix(e.Name(), ".part"):
			parts = append(parts, e.Name())
		case strings.HasSuffix(e.Name(), ".mp4"):
			mp4 = append(mp4, e.Name())
		}
	}
	return mp4, parts
}

// meeting returns the i-th meeting of a test: its own IDs and a file size of
// its own between 256 KiB and about 1 MiB, so a file swapped for another
// fails its checksum.
func meeting(prefix string, i int) meetingstest.Meeting {
	return meetingstest.Meeting{
		RoomID:      fmt.Sprintf("%s-room-%03d", prefix, i),
		SessionID:   fmt.Sprintf("%s-session-%03d", prefix, i),
		RecordingID: fmt.Sprintf("%s-rec-%03d", prefix, i),
		FileSize:    256<<10 + int64(i)*(12<<10) + int64(i),
	}
}

// checkRecordings asserts that dir holds exactly the recordings of ms, each
// with the right SHA-256, and no temporary part.
func checkRecordings(t *testing.T, dir string, ms []meetingstest.Meeting) {
	t.Helper()
	mp4, parts := outFiles(t, dir)
	require.Empty(t, parts, "temporary parts left")
	require.Len(t, mp4, len(ms), "recordings on disk")
	for _, m := range ms {
		got, err := fileSHA256(filepath.Join(dir, m.RecordingID+".mp4"))
		require.NoError(t, err)
		want, err := meetingstest.GeneratedSHA256(m.FileSize)
		require.NoError(t, err)
		require.Equal(t, want, got, "SHA-256 of %s", m.RecordingID)
	}
}

// eventLines reads a session's event log and returns its lines' events, and
// how many distinct message IDs they have.
func eventLines(t *testing.T, path string) (events []string, ids int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct {
			ID    string `json:"id"`
			Event string `json:"event"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line), "line %q", sc.Text())
		events = append(events, line.Event)
		seen[line.ID] = true
	}
	require.NoError(t, sc.Err())
	return events, len(seen)
}

// The compiled program, built once for the tests that run it as a process.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "durable-receiver-bin-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "durable-receiver")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

// proc is the program running as a process.
type proc struct {
	cmd  *exec.Cmd
	URL  string // http://addr
	log  string // its stdout and stderr
	done chan struct{}
	err  error // Wait's, once done is closed
}

// startProc runs the program with args (and -listen 127.0.0.1:0), its
// client pointed at srv, and waits until it listens.
func startProc(t *testing.T, srv *meetingstest.Server, args ...string) *proc {
	t.Helper()
	p := &proc{log: filepath.Join(t.TempDir(), "log"), done: make(chan struct{})}
	out, err := os.Create(p.log)
	require.NoError(t, err)
	p.cmd = exec.Command(binary(t), append([]string{"-listen", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(os.Environ(),
		"VONAGE_API_KEY="+srv.APIKey(), "VONAGE_API_SECRET="+srv.APISecret(), "VONAGE_MEETINGS_BASE_URL="+srv.URL)
	p.cmd.Stdout, p.cmd.Stderr = out, out
	require.NoError(t, p.cmd.Start())
	go func() { p.err = p.cmd.Wait(); out.Close(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s %q:\n%s", p.cmd.Path, args, p.output())
		}
	})

	deadline := time.Now().Add(90 * time.Second)
	for p.URL == "" {
		select {
		case <-p.done:
			t.Fatalf("the program exited before listening (%v):\n%s", p.err, p.output())
		default:
		}
		require.False(t, time.Now().After(deadline), "not listening after 90s:\n%s", p.output())
		for _, line := range strings.Split(p.output(), "\n") {
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" {
				p.URL = "http://" + l.Addr
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p
}

func (p *proc) output() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// kill sends SIGKILL, as an OOM killer does, and waits for the process to go.
func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop sends SIGTERM, as a deploy does, and returns how the process ended.
func (p *proc) stop(t *testing.T) error {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
		return p.err
	case <-time.After(60 * time.Second):
		t.Fatalf("still running 60s after SIGTERM:\n%s", p.output())
		return nil
	}
}

// get answers GET url's status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}
