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

// The floors: plain json.Unmarshal of the same bytes into a struct already
// known to be the right one (timestamps as time.Time; duration as
// json.Number, which also takes "3598").
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

func floor[T any](body []byte) error { return json.Unmarshal(body, new(T)) }

var benchEvents = []struct {
	file  string
	floor func([]byte) error
}{
	{"room_expired.json", floor[floorRoomExpired]},
	{"session_started.json", floor[floorSessionStarted]},
	{"session_ended.json", floor[floorSessionEnded]},
	{"recording_started.json", floor[floorRecordingStarted]},
	{"recording_ended.json", floor[floorRecordingEnded]},
	{"recording_uploaded.json", floor[floorRecordingUploaded]},
	{"recording_ready.json", floor[floorRecordingUploaded]},
	{"session_participant_joined.json", floor[floorParticipant]},
	{"participant_joined.json", floor[floorParticipant]},
	{"session_participant_left.json", floor[floorParticipant]},
	{"participant_left.json", floor[floorParticipant]},
}

// BenchmarkParse puts Parse beside its floor for every event and alias:
//
//	go test -run '^$' -bench Parse -benchmem -count 6 ./callbacks > parse.txt
//	benchstat -col /impl parse.txt
func BenchmarkParse(b *testing.B) {
	for _, tc := range benchEvents {
		body := fixture(b, tc.file)
		name, err := eventName(body)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("event="+string(name), func(b *testing.B) {
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

// BenchmarkHandler measures a callback end to end through NewHandler and a
// Mux, beside a floor handler that reads the body, unmarshals it into the
// known struct and answers 204.
func BenchmarkHandler(b *testing.B) {
	body := fixture(b, "recording_uploaded.json")
	mux, err := NewMux(On(func(context.Context, *RecordingUploaded) error { return nil }))
	if err != nil {
		b.Fatal(err)
	}
	floorHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, DefaultMaxBodyBytes+1))
		if err == nil {
			err = floor[floorRecordingUploaded](body)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
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
			req := httptest.NewRequest(http.MethodPost, "/callbacks", rb)
			req.Header.Set("Content-Type", "application/json")
			req.ContentLength = int64(len(body))
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
