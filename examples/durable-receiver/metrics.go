package main

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are this process's counters, served in the Prometheus text format.
type metrics struct {
	accepted      atomic.Int64 // answered 204: stored now, or already stored
	persisted     atomic.Int64 // stored as a new message
	duplicates    atomic.Int64 // already in the stream's duplicate window
	persistErrors atomic.Int64 // not stored: answered 500
	processed     atomic.Int64 // messages acked by this process's workers
	downloaded    atomic.Int64
	skipped       atomic.Int64 // recordings already on disk
	recorded      atomic.Int64 // event lines appended
	redelivered   atomic.Int64 // messages taken with a delivery count above 1
	retried       atomic.Int64 // failures handed back for a later attempt
	deadLettered  atomic.Int64
	latency       histogram // from the callback's arrival to its file on disk
}

func newMetrics() *metrics {
	return &metrics{latency: histogram{bounds: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800}}}
}

// write prints the counters, then the gauges (nil: JetStream did not answer).
func (m *metrics) write(w io.Writer, gauges map[string]float64) {
	counter := func(name, help string, v *atomic.Int64) {
		fmt.Fprintf(w, "# HELP durable_receiver_%s %s\n# TYPE durable_receiver_%[1]s counter\ndurable_receiver_%[1]s %[3]d\n", name, help, v.Load())
	}
	counter("callbacks_accepted_total", "Callbacks answered 204 once stored (new or duplicate).", &m.accepted)
	counter("callbacks_persisted_total", "Callbacks stored as new messages.", &m.persisted)
	counter("callbacks_duplicate_total", "Callbacks whose exact bytes the stream already held.", &m.duplicates)
	counter("callbacks_persist_errors_total", "Callbacks that could not be stored, answered 500.", &m.persistErrors)
	counter("messages_processed_total", "Stored callbacks processed and acked.", &m.processed)
	counter("recordings_downloaded_total", "Recordings downloaded to disk.", &m.downloaded)
	counter("recordings_skipped_total", "Recordings already on disk when their callback came (again).", &m.skipped)
	counter("events_recorded_total", "Event lines appended to the per-session logs.", &m.recorded)
	counter("messages_redelivered_total", "Messages taken again after a failure, a nak or a silent worker.", &m.redelivered)
	counter("messages_retried_total", "Processing failures handed back for a later attempt.", &m.retried)
	counter("messages_dead_lettered_total", "Messages moved to the dead-letter stream.", &m.deadLettered)
	m.latency.write(w, "durable_receiver_callback_to_file_seconds", "Time from a recording:uploaded callback's arrival to its file on disk.")

	up := 0
	if gauges != nil {
		up = 1
	}
	fmt.Fprintf(w, "# HELP durable_receiver_engine_up Whether JetStream answered this scrape.\n# TYPE durable_receiver_engine_up gauge\ndurable_receiver_engine_up %d\n", up)
	help := map[string]string{
		"queue_depth":       "Stored callbacks not yet acked (the work queue stream's messages).",
		"queue_undelivered": "Stored callbacks no worker has taken yet.",
		"queue_in_flight":   "Callbacks taken by a worker and not yet acked.",
		"dead_letter_depth": "Messages in the dead-letter stream.",
	}
	names := make([]string, 0, len(gauges))
	for name := range gauges {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "# HELP durable_receiver_%s %s\n# TYPE durable_receiver_%[1]s gauge\ndurable_receiver_%[1]s %[3]g\n", name, help[name], gauges[name])
	}
}

// histogram is a Prometheus histogram of durations in seconds.
type histogram struct {
	bounds []float64
	mu     sync.Mutex
	counts []int64 // per bound, not cumulative; the last one is +Inf
	sum    float64
}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i := sort.SearchFloat64s(h.bounds, s) // the first bound >= s
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts == nil {
		h.counts = make([]int64, len(h.bounds)+1)
	}
	h.counts[i]++
	h.sum += s
}

func (h *histogram) write(w io.Writer, name, help string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %[1]s histogram\n", name, help)
	var total int64
	for i, b := range h.bounds {
		if h.counts != nil {
			total += h.counts[i]
		}
		fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", name, b, total)
	}
	if h.counts != nil {
		total += h.counts[len(h.bounds)]
	}
	fmt.Fprintf(w, "%[1]s_bucket{le=\"+Inf\"} %[2]d\n%[1]s_sum %[3]g\n%[1]s_count %[2]d\n", name, total, h.sum)
}
