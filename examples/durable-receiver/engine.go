package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The names this program gives JetStream. Every process, receiver or worker,
// creates or updates the streams with the same configuration on start.
const (
	streamName        = "MEETINGS_CALLBACKS"      // the work queue: one message per stored callback
	subjectPrefix     = "meetings.callbacks."     // + the event type, such as recording_uploaded
	deadStreamName    = "MEETINGS_CALLBACKS_DEAD" // what kept failing, kept for a person to look at
	deadSubjectPrefix = "meetings.dead."
	consumerName      = "workers" // the durable consumer all workers share
)

// deadLetterDeliveries is how many deliveries past -max-attempts a message
// gets: they only move it to the dead-letter stream, so a callback whose
// processing kills its worker every time ends there too rather than stuck.
const deadLetterDeliveries = 3

// engine is the connection to JetStream, and the embedded server if there is one.
type engine struct {
	nc       *nats.Conn
	js       jetstream.JetStream
	embedded *server.Server // nil with -nats
	stream   jetstream.Stream
	dead     jetstream.Stream
}

// openEngine starts the embedded server (or connects to -nats) and creates
// or updates the streams.
func openEngine(ctx context.Context, cfg config, log *slog.Logger) (*engine, error) {
	e := &engine{}
	var err error
	opts := []nats.Option{
		nats.Name("durable-receiver"),
		nats.MaxReconnects(-1), // a cluster node going away is not the end
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil { // nil: this program closed the connection
				log.Warn("nats disconnected", "error", err.Error())
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("nats reconnected", "server", nc.ConnectedUrlRedacted()) }),
	}
	url := cfg.natsURL
	if url == "" {
		if e.embedded, err = startEmbedded(cfg.dataDir, cfg.fsync, log); err != nil {
			return nil, err
		}
		url = e.embedded.ClientURL()
		opts = append(opts, nats.InProcessServer(e.embedded))
	}
	if e.nc, err = nats.Connect(url, opts...); err != nil {
		e.close()
		return nil, fmt.Errorf("connecting to NATS: %w", err)
	}
	if e.js, err = jetstream.New(e.nc); err != nil {
		e.close()
		return nil, err
	}
	replicas := cfg.replicas
	if replicas == 0 {
		replicas = 1
		if e.embedded == nil && e.nc.ConnectedClusterName() != "" {
			replicas = 3
		}
	}
	err = retry(ctx, func(ctx context.Context) error {
		e.stream, err = e.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:        streamName,
			Description: "Meetings callbacks, stored before they were acknowledged",
			Subjects:    []string{subjectPrefix + ">"},
			Retention:   jetstream.WorkQueuePolicy, // a message is gone once a worker acks it
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
			Duplicates:  cfg.dedupeWindow, // Nats-Msg-Id (the body's SHA-256) within it is dropped
		})
		if err != nil {
			return err
		}
		e.dead, err = e.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:        deadStreamName,
			Description: "Meetings callbacks that could not be processed",
			Subjects:    []string{deadSubjectPrefix + ">"},
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
			Duplicates:  cfg.dedupeWindow,
		})
		return err
	})
	if err != nil {
		e.close()
		return nil, fmt.Errorf("creating the streams: %w", err)
	}
	return e, nil
}

// retry calls f, each time for at most 5 seconds, until it succeeds or a
// minute has passed: a cluster that is starting, or electing a leader, may
// leave a request unanswered.
func retry(ctx context.Context, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 5*time.Second)
		err := f(attempt)
		cancelAttempt()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// startEmbedded runs a JetStream server in this process, on no port, with
// its file store in dir.
func startEmbedded(dir string, fsync bool, log *slog.Logger) (*server.Server, error) {
	ns, err := server.NewServer(&server.Options{
		ServerName: "durable-receiver",
		JetStream:  true,
		StoreDir:   dir,
		DontListen: true, // clients connect in process
		NoSigs:     true, // signals are this program's
		SyncAlways: fsync,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS server: %w", err)
	}
	ns.SetLogger(natsLogger{log.With("component", "nats-server")}, false, false)
	ns.Start()
	if !ns.ReadyForConnections(time.Minute) { // recovering a large store takes a while
		ns.Shutdown()
		return nil, errors.New("embedded NATS server: not ready after a minute")
	}
	return ns, nil
}

// ready reports whether JetStream answers.
func (e *engine) ready(ctx context.Context) error {
	if s := e.nc.Status(); s != nats.CONNECTED {
		return fmt.Errorf("NATS connection %s", s)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err := e.js.AccountInfo(ctx)
	return err
}

// depths returns the gauges /metrics shows, nil when JetStream does not answer.
func (e *engine) depths(ctx context.Context) map[string]float64 {
	if e.nc.Status() != nats.CONNECTED {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	si, err := e.stream.Info(ctx)
	if err != nil {
		return nil
	}
	d := map[string]float64{"queue_depth": float64(si.State.Msgs)}
	if di, err := e.dead.Info(ctx); err == nil {
		d["dead_letter_depth"] = float64(di.State.Msgs)
	}
	if c, err := e.stream.Consumer(ctx, consumerName); err == nil {
		if ci, err := c.Info(ctx); err == nil {
			d["queue_in_flight"] = float64(ci.NumAckPending)
			d["queue_undelivered"] = float64(ci.NumPending)
		}
	}
	return d
}

func (e *engine) String() string {
	if e.embedded != nil {
		return "embedded"
	}
	return e.nc.ConnectedUrlRedacted()
}

// close flushes and closes the connection, then stops the embedded server,
// which writes its store out.
func (e *engine) close() {
	if e.nc != nil {
		if e.nc.Status() == nats.CONNECTED {
			_ = e.nc.FlushTimeout(5 * time.Second) // acks and naks sent last
		}
		e.nc.Close()
	}
	if e.embedded != nil {
		e.embedded.Shutdown()
		e.embedded.WaitForShutdown()
	}
}

// natsLogger sends the embedded server's notices, warnings and errors to slog.
type natsLogger struct{ log *slog.Logger }

func (l natsLogger) Noticef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l natsLogger) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l natsLogger) Fatalf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l natsLogger) Errorf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l natsLogger) Debugf(format string, v ...any)  {}
func (l natsLogger) Tracef(format string, v ...any)  {}
