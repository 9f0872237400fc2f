package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	env := func(k string) string { return map[string]string{EnvSignatureSecret: "s3cr3t"}[k] }
	cfg, err := parseConfig(nil, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, config{
		role: "all", listen: "127.0.0.1:8080", dataDir: "data", outDir: "recordings", workers: 4, maxAttempts: 5,
		ackWait: 30 * time.Second, retryWait: time.Second, dedupeWindow: time.Hour, publishTimeout: 10 * time.Second,
		shutdownTimeout: 25 * time.Second, signatureSecret: "s3cr3t",
	}, cfg)

	cfg, err = parseConfig([]string{"-role", "worker", "-nats", "nats://a:4222,nats://b:4222", "-replicas", "3", "-out", "x"}, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "worker", cfg.role)
	assert.Equal(t, "nats://a:4222,nats://b:4222", cfg.natsURL)
	assert.Equal(t, 3, cfg.replicas)

	for _, args := range [][]string{
		{"-role", "both"}, {"-replicas", "-1"}, {"-workers", "0"}, {"-max-attempts", "0"}, {"-ack-wait", "10ms"},
		{"-retry-wait", "0s"}, {"-demo", "2", "-role", "worker"}, {"extra"}, {"-nope"},
	} {
		_, err := parseConfig(args, env, io.Discard)
		assert.Error(t, err, "%q", args)
	}

	noSecret := func(string) string { return "" }
	for args, ok := range map[string]bool{
		"":                                   true,
		"-listen :8080":                      false,
		"-listen 0.0.0.0:8080":               false,
		"-listen :8080 -insecure-listen-any": true,
		"-listen :8080 -role worker":         true,
		"-listen [::1]:9000":                 true,
	} {
		_, err := parseConfig(strings.Fields(args), noSecret, io.Discard)
		assert.Equal(t, ok, err == nil, "%q without a signature secret: %v", args, err)
	}
	_, err = parseConfig([]string{"-listen", ":8080"}, env, io.Discard)
	assert.NoError(t, err, "with a signature secret any address is fine")
}

func TestReadyFailsWhenTheEngineIsUnreachable(t *testing.T) {
	t.Parallel()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	require.NoError(t, err)
	ns.Start()
	defer ns.Shutdown()
	require.True(t, ns.ReadyForConnections(10*time.Second))
	cfg := testConfig(t)
	cfg.natsURL = ns.ClientURL()
	eng := startEngine(t, cfg)
	require.NoError(t, eng.ready(context.Background()))
	require.NotNil(t, eng.depths(context.Background()))

	ns.Shutdown()
	eventually(t, 10*time.Second, "not ready", func() bool { return eng.ready(context.Background()) != nil })
	assert.Nil(t, eng.depths(context.Background()))
	var b strings.Builder
	newMetrics().write(&b, nil)
	assert.Contains(t, b.String(), "\ndurable_receiver_engine_up 0\n")
}

func TestMetricsText(t *testing.T) {
	t.Parallel()
	m := newMetrics()
	m.accepted.Add(3)
	m.latency.observe(300 * time.Millisecond)
	m.latency.observe(2 * time.Hour)
	var b strings.Builder
	m.write(&b, map[string]float64{"queue_depth": 7})
	text := b.String()
	for _, want := range []string{
		"# TYPE durable_receiver_callbacks_accepted_total counter\ndurable_receiver_callbacks_accepted_total 3\n",
		"durable_receiver_callback_to_file_seconds_bucket{le=\"0.25\"} 0\n",
		"durable_receiver_callback_to_file_seconds_bucket{le=\"0.5\"} 1\n",
		"durable_receiver_callback_to_file_seconds_bucket{le=\"+Inf\"} 2\n",
		"durable_receiver_callback_to_file_seconds_count 2\n",
		"durable_receiver_engine_up 1\n",
		"# TYPE durable_receiver_queue_depth gauge\ndurable_receiver_queue_depth 7\n",
	} {
		assert.Contains(t, text, want)
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.HasPrefix(line, "#") {
			assert.Len(t, strings.Fields(line), 2, "a sample is a name and a value: %q", line)
		}
	}
}
