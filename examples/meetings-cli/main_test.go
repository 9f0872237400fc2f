package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

const (
	recID     = "17461b93-f793-48a0-9392-7d82de40432f"
	stoppedID = "0d0c1e1b-0000-4000-8000-000000000001"
	sessionID = "2_MX40fg"
	fileSize  = 200_000
)

// start runs the fake with one uploaded recording (with a file) and one
// stopped one, and points the environment at it. t.Setenv: not parallel.
func start(t *testing.T) *meetingstest.Server {
	srv := meetingstest.Start(t)
	for _, r := range []meetingstest.Recording{
		{ID: recID, SessionID: sessionID},
		{ID: stoppedID, SessionID: sessionID, Status: meetingstest.StatusStopped},
	} {
		if err := srv.AddRecording(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.SetGeneratedFile(recID, fileSize); err != nil {
		t.Fatal(err)
	}
	t.Setenv(meetings.EnvAPIKey, srv.APIKey())
	t.Setenv(meetings.EnvAPISecret, srv.APISecret())
	t.Setenv(meetings.EnvBaseURL, srv.URL)
	return srv
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	srv := start(t)
	dir := t.TempDir()
	wantSum, _ := meetingstest.GeneratedSHA256(fileSize)

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings
		wantStderr []string
	}{
		{"list", []string{"list", sessionID}, 0, []string{"ID", "STATUS", recID + "  uploaded", stoppedID + "  stopped"}, nil},
		{"list unknown session", []string{"list", "nope"}, 3, nil, []string{"recordings: ", "404"}},
		{"get", []string{"get", recID}, 0, []string{"ID        " + recID, "Session   " + sessionID, "Status    uploaded", "URL       " + srv.StorageURL}, nil},
		{"get unknown", []string{"get", "nope"}, 3, nil, []string{"404"}},
		{"get refused ID", []string{"get", ".."}, 2, nil, []string{`".." is not a usable ID`}},
		{"download to a path", []string{"download", recID, filepath.Join(dir, "a.mp4")}, 0, nil, []string{"saved 200000 bytes to " + filepath.Join(dir, "a.mp4")}},
		{"download into a directory", []string{"download", recID, dir}, 0, nil, []string{"saved 200000 bytes to " + filepath.Join(dir, recID+".mp4")}},
		{"download not uploaded", []string{"download", stoppedID, filepath.Join(dir, "b.mp4")}, 1, nil, []string{"not uploaded", "stopped"}},
		{"download unknown", []string{"download", "nope", filepath.Join(dir, "c.mp4")}, 3, nil, []string{"404"}},
		{"delete not uploaded", []string{"delete", stoppedID}, 1, nil, []string{"403"}},
		{"delete", []string{"delete", recID}, 0, []string{"deleted " + recID}, nil},
		{"get deleted", []string{"get", recID}, 3, nil, []string{"404"}},
	}
	for _, tt := range tests { // in order: delete comes last
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.wantCode == 0 && stderr != "" && !strings.HasPrefix(tt.name, "download") {
				t.Errorf("stderr on success: %s", stderr)
			}
		})
	}

	for _, name := range []string{"a.mp4", recID + ".mp4"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != wantSum {
			t.Errorf("%s: SHA-256 %s, want %s", name, got, wantSum)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "b.mp4")); err == nil {
		t.Error("a refused download left a file")
	}
	if n := srv.StorageAuthorizationCount(); n != 0 {
		t.Errorf("%d requests carried credentials to storage", n)
	}
}

func TestDownloadToStdout(t *testing.T) {
	start(t)
	code, stdout, stderr := runCLI(t, "download", recID, "-")
	sum := sha256.Sum256([]byte(stdout))
	want, _ := meetingstest.GeneratedSHA256(fileSize)
	if code != 0 || hex.EncodeToString(sum[:]) != want {
		t.Errorf("exit %d, %d bytes on stdout with SHA-256 %x, want 0 and %s; stderr: %s", code, len(stdout), sum, want, stderr)
	}
	if !strings.Contains(stderr, "wrote 200000 bytes to standard output") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestJSON(t *testing.T) {
	start(t)
	code, stdout, stderr := runCLI(t, "-json", "list", sessionID)
	var list []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); code != 0 || err != nil || len(list) != 2 || list[0].ID != recID {
		t.Errorf("-json list: exit %d, %v, %+v; stderr: %s", code, err, list, stderr)
	}
	code, stdout, _ = runCLI(t, "-json", "get", recID)
	var rec struct{ ID, Status string }
	if err := json.Unmarshal([]byte(stdout), &rec); code != 0 || err != nil || rec.ID != recID || rec.Status != "uploaded" {
		t.Errorf("-json get: exit %d, %v, %+v", code, err, rec)
	}
}

func TestUsageErrors(t *testing.T) {
	start(t)
	tests := []struct {
		name      string
		args      []string
		wantInErr string
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"rename", "x"}, `unknown command "rename"`},
		{"list without session", []string{"list"}, "list takes SESSION_ID, got 0 argument(s)"},
		{"get with two IDs", []string{"get", "a", "b"}, "get takes ID, got 2 argument(s)"},
		{"download with three", []string{"download", "a", "b", "c"}, "download takes ID [PATH], got 3"},
		{"delete without ID", []string{"delete"}, "delete takes ID"},
		{"unknown flag", []string{"-nope", "list", "s"}, "flag provided but not defined: -nope"},
		{"base URL not https", []string{"-base-url", "http://api.example.com", "list", "s"}, "https is required"},
		{"zero timeout", []string{"-timeout", "0s", "list", "s"}, "-timeout 0s is not a positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.wantInErr) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 2, nothing on stdout, stderr holding %q", code, stdout, stderr, tt.wantInErr)
			}
		})
	}

	t.Run("no credentials", func(t *testing.T) {
		t.Setenv(meetings.EnvAPIKey, "")
		code, _, stderr := runCLI(t, "list", "s")
		if code != 2 || !strings.Contains(stderr, meetings.EnvAPIKey) {
			t.Errorf("exit %d, stderr %s; want 2 and a message naming %s", code, stderr, meetings.EnvAPIKey)
		}
	})
	t.Run("help", func(t *testing.T) {
		code, _, stderr := runCLI(t, "-help")
		if code != 0 || !strings.Contains(stderr, "download ID [PATH]") {
			t.Errorf("exit %d, stderr %s", code, stderr)
		}
	})
}
