package meetingstest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// TestAServerNotMadeByNewServerNeverPanics calls every exported method on a
// zero Server, a nil *Server and what Start(nil) returns: each one answers
// with an error naming the mistake, or its zero result, and never panics.
func TestAServerNotMadeByNewServerNeverPanics(t *testing.T) {
	t.Parallel()
	var startNil *meetingstest.Server
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("Start(nil) panics: %v", r)
			}
		}()
		startNil = meetingstest.Start(nil)
	}()
	if startNil == nil {
		t.Error("Start(nil) returned nil")
	}
	servers := []struct {
		name    string
		srv     func() *meetingstest.Server
		wantErr string
	}{
		{"zero Server", func() *meetingstest.Server { return new(meetingstest.Server) }, "not created with NewServer or Start"},
		{"nil *Server", func() *meetingstest.Server { return nil }, "not created with NewServer or Start"},
		{"Start(nil)", func() *meetingstest.Server { return startNil }, "Start with a nil testing.TB"},
	}
	// Each method returns its error (nil if it has none) and whether its
	// other results are zero.
	methods := []struct {
		name string
		call func(s *meetingstest.Server) (err error, zero bool)
	}{
		{"Close", func(s *meetingstest.Server) (error, bool) { s.Close(); s.Close(); return nil, true }},
		{"APIKey", func(s *meetingstest.Server) (error, bool) { return nil, s.APIKey() == "" }},
		{"APISecret", func(s *meetingstest.Server) (error, bool) { return nil, s.APISecret() == "" }},
		{"BasePath", func(s *meetingstest.Server) (error, bool) { return nil, s.BasePath() == "" }},
		{"Format", func(s *meetingstest.Server) (error, bool) {
			out := fmt.Sprintf("%+v", s)
			return nil, !strings.Contains(out, "PANIC")
		}},
		{"InjectAPIFault", func(s *meetingstest.Server) (error, bool) {
			return s.InjectAPIFault(1, meetingstest.Fault{Status: 500}), true
		}},
		{"InjectStorageFault", func(s *meetingstest.Server) (error, bool) {
			return s.InjectStorageFault(1, meetingstest.Fault{Status: 500}), true
		}},
		{"PendingFaults", func(s *meetingstest.Server) (error, bool) { a, b := s.PendingFaults(); return nil, a == 0 && b == 0 }},
		{"SetRangeSupport", func(s *meetingstest.Server) (error, bool) { s.SetRangeSupport(false); return nil, true }},
		{"Requests", func(s *meetingstest.Server) (error, bool) { return nil, s.Requests() == nil }},
		{"RequestsTo", func(s *meetingstest.Server) (error, bool) { return nil, s.RequestsTo(meetingstest.HostAPI) == nil }},
		{"ResetRequests", func(s *meetingstest.Server) (error, bool) { s.ResetRequests(); return nil, true }},
		{"StorageAuthorizationCount", func(s *meetingstest.Server) (error, bool) { return nil, s.StorageAuthorizationCount() == 0 }},
		{"PlayMeeting", func(s *meetingstest.Server) (error, bool) {
			p, err := s.PlayMeeting(context.Background(), "http://127.0.0.1:1/callbacks", meetingstest.Meeting{})
			return err, p == nil
		}},
		{"AddSession", func(s *meetingstest.Server) (error, bool) { return s.AddSession("s"), true }},
		{"AddRecording", func(s *meetingstest.Server) (error, bool) {
			return s.AddRecording(meetingstest.Recording{ID: "r", SessionID: "s"}), true
		}},
		{"SetRecordingStatus", func(s *meetingstest.Server) (error, bool) {
			return s.SetRecordingStatus("r", meetingstest.StatusStopped), true
		}},
		{"Recording", func(s *meetingstest.Server) (error, bool) { _, ok := s.Recording("r"); return nil, !ok }},
		{"SessionRecordings", func(s *meetingstest.Server) (error, bool) {
			recs, ok := s.SessionRecordings("s")
			return nil, recs == nil && !ok
		}},
		{"SetFile", func(s *meetingstest.Server) (error, bool) { return s.SetFile("r", []byte("x")), true }},
		{"SetGeneratedFile", func(s *meetingstest.Server) (error, bool) { return s.SetGeneratedFile("r", 10), true }},
		{"FileSize", func(s *meetingstest.Server) (error, bool) { n, ok := s.FileSize("r"); return nil, n == 0 && !ok }},
		{"FileSHA256", func(s *meetingstest.Server) (error, bool) { sum, err := s.FileSHA256("r"); return err, sum == "" }},
		{"DownloadURL", func(s *meetingstest.Server) (error, bool) { u, err := s.DownloadURL("r"); return err, u == "" }},
		{"ExpireDownloadURLs", func(s *meetingstest.Server) (error, bool) { s.ExpireDownloadURLs(); return nil, true }},
	}
	returnsError := map[string]bool{
		"InjectAPIFault": true, "InjectStorageFault": true, "PlayMeeting": true, "AddSession": true,
		"AddRecording": true, "SetRecordingStatus": true, "SetFile": true, "SetGeneratedFile": true,
		"FileSHA256": true, "DownloadURL": true,
	}
	for _, sv := range servers {
		for _, m := range methods {
			t.Run(sv.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("panics: %v", r)
					}
				}()
				err, zero := m.call(sv.srv())
				if !zero {
					t.Errorf("results are not zero")
				}
				switch {
				case returnsError[m.name] && err == nil:
					t.Errorf("error is nil, want one saying %q", sv.wantErr)
				case err != nil && (!strings.HasPrefix(err.Error(), "meetingstest: "+m.name+": ") || !strings.Contains(err.Error(), sv.wantErr)):
					t.Errorf("error %q, want it to name %s and say %q", err, m.name, sv.wantErr)
				}
			})
		}
	}
}
