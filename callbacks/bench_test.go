package callbacks

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The floors: plain json.Unmarshal of the same payload into a struct that is
// already known to be the right one, with the same fields as the event type
// (timestamps as time.Time, duration as json.Number, which also takes "3598").
type (
	floorRoomExpired struct {
		RoomID    string    `json:"room_id"`
		RoomType  string    `json:"room_type"`
		ExpiresAt time.Time `json:"expires_at"`
		CreatedAt time.Time `json:"created_at"`
	}
	floorSessionStarted struct {
		SessionID string    `json:"session_id"`
		RoomID    string    `json:"room_id"`
		StartedAt time.Time `json:"started_at"`
	}
	floorSessionEnded struct {
		SessionID string    `json:"session_id"`
		RoomID    string    `json:"room_id"`
		StartedAt time.Time `json:"started_at"`
		EndedAt   time.Time `json:"ended_at"`
	}
	floorRecordingStarted struct {
		RecordingID string `json:"recording_id"`
		SessionID   string `json:"session_id"`
	}
	floorRecordingEnded struct {
		RecordingID string      `json:"recording_id"`
		SessionID   string      `json:"session_id"`
		StartedAt   time.Time   `json:"started_at"`
		EndedAt     time.Time   `json:"ended_at"`
		Duration    json.Number `json:"duration"`
	}
	floorRecordingUploaded struct {
		RecordingID string      `json:"recording_id"`
		SessionID   string      `json:"session_id"`
		RoomID      string      `json:"room_id"`
		StartedAt   time.Time   `json:"started_at"`
		EndedAt     time.Time   `json:"ended_at"`
		Duration    json.Number `json:"duration"`
		URL         string      `json:"url"`
	}
	floorParticipant struct {
		ParticipantID string `json:"participant_id"`
		SessionID     string `json:"session_id"`
		RoomID        string `json:"room_id"`
		Name          string `json:"name"`
		Type          string `json:"type"`
		IsHost        bool   `json:"is_host"`
	}
)

func floor[T any](body []byte) (*T, error) {
	v := new(T)
	err := json.Unmarshal(body, v)
	return v, err
}

var benchEvents = []struct {
	file  string
	floor func([]byte) error
}{
	{"room_expired.json", func(b []byte) error { _, err := floor[floorRoomExpired](b); return err }},
	{"session_started.json", func(b []byte) error { _, err := floor[floorSessionStarted](b); return err }},
	{"session_ended.json", func(b []byte) error { _, err := floor[floorSessionEnded](b); return err }},
	{"recording_started.json", func(b []byte) error { _, err := floor[floorRecordingStarted](b); return err }},
	{"recording_ended.json", func(b []byte) error { _, err := floor[floorRecordingEnded](b); return err }},
	{"recording_uploaded.json", func(b []byte) error { _, err := floor[floorRecordingUploaded](b); return err }},
	{"recording_ready.json", func(b []byte) error { _, err := floor[floorRecordingUploaded](b); return err }},
	{"session_participant_joined.json", func(b []byte) error { _, err := floor[floorParticipant](b); return err }},
	{"participant_joined.json", func(b []byte) error { _, err := floor[floorParticipant](b); return err }},
	{"session_participant_left.json", func(b []byte) error { _, err := floor[floorParticipant](b); return err }},
	{"participant_left.json", func(b []byte) error { _, err := floor[floorParticipant](b); return err }},
}

// BenchmarkParse puts Parse beside its floor for every event and alias:
//
//	go test -run '^$' -bench Parse -benchmem -count 6 ./callbacks | tee parse.txt
//	benchstat -col /impl parse.txt
//
// On a busy machine wall time is noisy; instruction counts are not. Run one
// sub-benchmark under valgrind at two -test.benchtime=Nx values and divide
// the difference in "I refs" by the difference in N:
//
//	go test -c -o cb.test ./callbacks
//	valgrind --tool=cachegrind --cache-sim=no ./cb.test -test.run '^$' \
//		-test.bench '^BenchmarkParse$/^event=session:started$/^impl=parse$' -test.benchtime=10000x
func BenchmarkParse(b *testing.B) {
	for _, tc := range benchEvents {
		body := fixture(b, tc.file)
		var probe struct {
			Event string `json:"event"`
		}
		_ = json.Unmarshal(body, &probe)
		b.Run("event="+probe.Event, func(b *testing.B) {
			b.Run("impl=floor", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					if err := tc.floor(body); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("impl=parse", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					if _, err := Parse(body); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// rewindBody is a request body that can be replayed without allocating.
type rewindBody struct{ bytes.Reader }

func (*rewindBody) Close() error { return nil }

// BenchmarkHandler measures a callback end to end through NewHandler (read,
// parse, dispatch through a Mux, answer), beside a floor handler that reads
// the body and unmarshals it into the known struct.
func BenchmarkHandler(b *testing.B) {
	body := fixture(b, "recording_uploaded.json")
	mux, err := NewMux(On(func(ctx context.Context, ev *RecordingUploaded) error { return nil }))
	if err != nil {
		b.Fatal(err)
	}
	floorHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(io.LimitReader(r.Body, DefaultMaxBodyBytes+1))
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if _, err := floor[floorRecordingUploaded](b); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	for _, impl := range []struct {
		name string
		h    http.Handler
	}{
		{"floor", floorHandler},
		{"handler", NewHandler(mux.Dispatch)},
	} {
		b.Run("event=recording:uploaded/impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			rb := &rewindBody{}
			req := httptest.NewRequest(http.MethodPost, "/callbacks", nil)
			req.Header.Set("Content-Type", "application/json")
			req.ContentLength = int64(len(body))
			req.Body = rb
			for b.Loop() {
				rb.Reset(body)
				rec := httptest.NewRecorder()
				impl.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusNoContent {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
