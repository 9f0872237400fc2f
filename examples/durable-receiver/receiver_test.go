package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vonage-meetings/go-sdk/callbacks"
)

func post(t *testing.T, url, body string, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestCallbackIsStoredWithItsHeadersBeforeThe204(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	eng := startEngine(t, cfg)
	h, m := startReceiver(t, cfg, eng)

	const body = `{"event":"session:started", "session_id":"s1","room_id":"r1","started_at":"2021-11-02T15:53:28.753Z","extra":1}`
	header := http.Header{
		"X-Room-Metadata": {"team=blue"},
		"Authorization":   {"Bearer not-to-be-kept"},
		"Nats-Msg-Id":     {"chosen-by-the-sender"},
	}
	require.Equal(t, http.StatusNoContent, post(t, h.URL, body, header))

	msg, err := eng.stream.GetMsg(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, body, string(msg.Data), "the exact bytes")
	assert.Equal(t, "meetings.callbacks.session_started", msg.Subject)
	assert.Equal(t, "team=blue", msg.Header.Get("X-Room-Metadata"))
	assert.Empty(t, msg.Header.Get("Authorization"), "credentials are not stored")
	sum := sha256.Sum256([]byte(body))
	assert.Equal(t, hex.EncodeToString(sum[:]), msg.Header.Get("Nats-Msg-Id"), "the message ID is the body's SHA-256, not the sender's")
	assert.NotEmpty(t, msg.Header.Get(headerReceivedAt))
	assert.Equal(t, int64(1), m.accepted.Load())
	assert.Equal(t, int64(1), m.persisted.Load())

	// Not callbacks: refused by the callbacks handler, never stored.
	assert.Equal(t, http.StatusBadRequest, post(t, h.URL, `{"event":""}`, nil))
	assert.Equal(t, uint64(1), streamMsgs(t, eng.stream))
}

func TestCallbackNotStoredIsAnswered500(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	eng := startEngine(t, cfg)
	m := newMetrics()
	h := httptest.NewServer((&receiver{js: eng.js, log: quietLog(), m: m, timeout: 200 * time.Millisecond}).handler(nil))
	defer h.Close()
	require.NoError(t, eng.js.DeleteStream(context.Background(), streamName)) // nowhere to store

	assert.Equal(t, http.StatusInternalServerError, post(t, h.URL, `{"event":"session:ended","session_id":"s1"}`, nil))
	assert.Equal(t, int64(1), m.persistErrors.Load())
	assert.Zero(t, m.accepted.Load())
}

func TestSubjects(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"event":"recording:uploaded"}`:   "meetings.callbacks.recording_uploaded",
		`{"event":"recording:ready"}`:      "meetings.callbacks.recording_uploaded", // an alias
		`{"event":"participant:joined"}`:   "meetings.callbacks.session_participant_joined",
		`{"event":"some.new event > all"}`: "meetings.callbacks.unknown",
	} {
		ev, err := callbacks.Parse([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, want, subjectOf(ev), body)
	}
}

// startReceiver serves the receiver's handler on loopback until the test ends.
func startReceiver(t *testing.T, cfg config, eng *engine) (*httptest.Server, *metrics) {
	t.Helper()
	m := newMetrics()
	h := httptest.NewServer((&receiver{js: eng.js, log: quietLog(), m: m, timeout: cfg.publishTimeout}).handler(nil))
	t.Cleanup(h.Close)
	return h, m
}
