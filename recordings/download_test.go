package recordings_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
)

const (
	recID    = "17461b93-f793-48a0-9392-7d82de40432f"
	fileSize = 1 << 20
	cutAt    = 300_000
)

// fast keeps resume waits short in tests.
var fast = recordings.WithRetryWait(time.Millisecond)

// fake starts a meetingstest server holding one uploaded recording with a
// generated file of fileSize bytes, and a client for it.
func fake(t *testing.T, opts ...meetings.Option) (*meetingstest.Server, *meetings.Client) {
	t.Helper()
	srv := meetingstest.Start(t)
	if err := srv.AddRecording(meetingstest.Recording{ID: recID, SessionID: "2_MX40fg"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetGeneratedFile(recID, fileSize); err != nil {
		t.Fatal(err)
	}
	opts = append([]meetings.Option{
		meetings.WithBaseURL(srv.URL),
		meetings.WithRetryPolicy(2, time.Millisecond, time.Millisecond),
	}, opts...)
	c, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func downloadURL(t *testing.T, srv *meetingstest.Server) string {
	t.Helper()
	u, err := srv.DownloadURL(recID)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func wantSHA(t *testing.T, srv *meetingstest.Server) string {
	t.Helper()
	sum, err := srv.FileSHA256(recID)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// hasher is an io.Writer that keeps the SHA-256 of what it was given.
type hasher struct{ hash.Hash }

func newHasher() hasher { return hasher{sha256.New()} }

func (h hasher) String() string { return hex.EncodeToString(h.Sum(nil)) }

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkClean fails when dir holds anything but the names in keep.
func checkClean(t *testing.T, dir string, keep ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(keep, ",") {
		t.Errorf("directory holds %q, want %q (no partial file, no temporary litter)", got, keep)
	}
}

// checkNoSecrets fails when err shows the storage URL's signature or expiry.
func checkNoSecrets(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []string{"Signature", "Expires", "?"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error shows the URL's query (%q): %v", s, err)
		}
	}
}

func checkNoCredentialsToStorage(t *testing.T, srv *meetingstest.Server) {
	t.Helper()
	if n := srv.StorageAuthorizationCount(); n != 0 {
		t.Errorf("StorageAuthorizationCount() = %d, want 0", n)
	}
	for _, r := range srv.RequestsTo(meetingstest.HostStorage) {
		if r.HasAuthorization || r.Header.Get("Cookie") != "" {
			t.Errorf("storage request %s %s carried credentials", r.Method, r.Path)
		}
	}
}

// Every download path streams the stored bytes and never sends the API's
// credentials to the storage host.
func TestDownloadPathsDeliverTheFileWithoutCredentials(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context, t *testing.T, srv *meetingstest.Server, c *meetings.Client) (n int64, sum string, err error)
	}{
		{"Download", func(ctx context.Context, t *testing.T, srv *meetingstest.Server, c *meetings.Client) (int64, string, error) {
			h := newHasher()
			n, err := c.Recordings.Download(ctx, downloadURL(t, srv), h)
			return n, h.String(), err
		}},
		{"Download of Recording.URL", func(ctx context.Context, t *testing.T, srv *meetingstest.Server, c *meetings.Client) (int64, string, error) {
			rec, err := c.Recordings.Get(ctx, recID)
			if err != nil {
				return 0, "", err
			}
			h := newHasher()
			n, err := c.Recordings.Download(ctx, rec.URL, h)
			return n, h.String(), err
		}},
		{"DownloadByID", func(ctx context.Context, t *testing.T, srv *meetingstest.Server, c *meetings.Client) (int64, string, error) {
			h := newHasher()
			n, err := c.Recordings.DownloadByID(ctx, recID, h)
			return n, h.String(), err
		}},
		{"DownloadToFile", func(ctx context.Context, t *testing.T, srv *meetingstest.Server, c *meetings.Client) (int64, string, error) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.mp4")
			n, err := c.Recordings.DownloadToFile(ctx, downloadURL(t, srv), path)
			if err != nil {
				return n, "", err
			}
			checkClean(t, dir, "rec.mp4")
			return n, fileSHA(t, path), nil
		}},
		{"DownloadByIDToFile", func(ctx context.Context, t *testing.T, srv *meetingstest.Server, c *meetings.Client) (int64, string, error) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.mp4")
			n, err := c.Recordings.DownloadByIDToFile(ctx, recID, path)
			if err != nil {
				return n, "", err
			}
			checkClean(t, dir, "rec.mp4")
			return n, fileSHA(t, path), nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			n, sum, err := tc.run(context.Background(), t, srv, c)
			if err != nil {
				t.Fatal(err)
			}
			if n != fileSize {
				t.Errorf("n = %d, want %d", n, fileSize)
			}
			if want := wantSHA(t, srv); sum != want {
				t.Errorf("SHA-256 = %s, want %s", sum, want)
			}
			if len(srv.RequestsTo(meetingstest.HostStorage)) == 0 {
				t.Error("no request reached the storage host")
			}
			checkNoCredentialsToStorage(t, srv)
		})
	}
}

func TestDownloadReportsProgress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		fault     *meetingstest.Fault
		wantTotal int64
	}{
		{"with Content-Length the total is the size", nil, fileSize},
		{"chunked answer has an unknown total", &meetingstest.Fault{Chunked: true}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			if tc.fault != nil {
				if err := srv.InjectStorageFault(1, *tc.fault); err != nil {
					t.Fatal(err)
				}
			}
			var calls int
			var last int64 = -1
			n, err := c.Recordings.Download(context.Background(), downloadURL(t, srv), io.Discard,
				recordings.WithProgress(func(done, total int64) {
					calls++
					if total != tc.wantTotal {
						t.Errorf("total = %d, want %d", total, tc.wantTotal)
					}
					if done < last {
						t.Errorf("done went back from %d to %d", last, done)
					}
					last = done
				}))
			if err != nil {
				t.Fatal(err)
			}
			if n != fileSize || last != fileSize || calls < 2 {
				t.Errorf("n = %d, last done = %d after %d calls; want %d, %d, at least 2 calls", n, last, calls, fileSize, fileSize)
			}
		})
	}
}

func TestDownloadResumesACutConnectionWithRange(t *testing.T) {
	t.Parallel()
	srv, c := fake(t)
	if err := srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: cutAt}); err != nil {
		t.Fatal(err)
	}
	h := newHasher()
	var resumedFrom int64 = -1
	n, err := c.Recordings.Download(context.Background(), downloadURL(t, srv), h, fast,
		recordings.WithProgress(func(done, total int64) {
			if done == cutAt && resumedFrom < 0 {
				resumedFrom = done
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	if n != fileSize || h.String() != wantSHA(t, srv) {
		t.Errorf("n = %d, SHA-256 %s; want %d bytes of the stored file", n, h, fileSize)
	}
	reqs := srv.RequestsTo(meetingstest.HostStorage)
	if len(reqs) != 2 {
		t.Fatalf("storage got %d requests, want 2 (the cut one and the resume)", len(reqs))
	}
	if reqs[0].Range != "" || reqs[1].Range != fmt.Sprintf("bytes=%d-", cutAt) {
		t.Errorf("Ranges = %q, %q; want none, then bytes=%d-", reqs[0].Range, reqs[1].Range, cutAt)
	}
	if reqs[1].Status != http.StatusPartialContent {
		t.Errorf("resume answered %d, want 206", reqs[1].Status)
	}
	checkNoCredentialsToStorage(t, srv)
}

func TestDownloadRefusesIncompleteResults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		faults []meetingstest.Fault
		opts   []recordings.DownloadOption
		wantIs []error
		wantN  int64
	}{
		{"short body without resumes", []meetingstest.Fault{{CutAfter: cutAt}},
			[]recordings.DownloadOption{recordings.WithMaxResumes(0)}, []error{io.ErrUnexpectedEOF}, cutAt},
		{"server ignores Range on resume", []meetingstest.Fault{{CutAfter: cutAt}, {IgnoreRange: true}},
			nil, []error{recordings.ErrNotResumable, io.ErrUnexpectedEOF}, cutAt},
		{"every attempt cut", []meetingstest.Fault{{CutAfter: cutAt}, {CutAfter: 1000}, {CutAfter: 1000}, {CutAfter: 1000}},
			nil, []error{io.ErrUnexpectedEOF}, cutAt + 3000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			for _, f := range tc.faults {
				if err := srv.InjectStorageFault(1, f); err != nil {
					t.Fatal(err)
				}
			}
			n, err := c.Recordings.Download(context.Background(), downloadURL(t, srv), io.Discard, append(tc.opts, fast)...)
			if err == nil {
				t.Fatalf("downloaded %d bytes without error, want an error", n)
			}
			for _, target := range tc.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("error %q does not wrap %v", err, target)
				}
			}
			if !strings.HasPrefix(err.Error(), "recordings: ") || !strings.Contains(err.Error(), "body ended after") {
				t.Errorf("error %q is not a clear recordings: error about a cut body", err)
			}
			if n != tc.wantN {
				t.Errorf("n = %d, want %d (the bytes that reached the writer)", n, tc.wantN)
			}
			checkNoSecrets(t, err)
			if _, pending := srv.PendingFaults(); pending != 0 {
				t.Errorf("%d faults not used: the download made fewer attempts than expected", pending)
			}
		})
	}
}

func TestDownloadToFileStartsOverWhenRangeIsIgnored(t *testing.T) {
	t.Parallel()
	srv, c := fake(t)
	_ = srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: cutAt})
	_ = srv.InjectStorageFault(1, meetingstest.Fault{IgnoreRange: true})
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.mp4")
	n, err := c.Recordings.DownloadToFile(context.Background(), downloadURL(t, srv), path, fast)
	if err != nil {
		t.Fatal(err)
	}
	if n != fileSize || fileSHA(t, path) != wantSHA(t, srv) {
		t.Errorf("n = %d; the file is not the stored one", n)
	}
	checkClean(t, dir, "rec.mp4")
}

func TestDownloadToFileLeavesNothingBehindOnFailure(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		existing bool // a previous file sits at the path and must survive
	}{
		{"new file", false},
		{"existing file kept", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			_ = srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: cutAt})
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.mp4")
			if tc.existing {
				if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := c.Recordings.DownloadToFile(context.Background(), downloadURL(t, srv), path, recordings.WithMaxResumes(0))
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("error = %v, want a cut-body error", err)
			}
			checkNoSecrets(t, err)
			if tc.existing {
				if b, _ := os.ReadFile(path); string(b) != "old" {
					t.Errorf("existing file changed to %d bytes", len(b))
				}
				checkClean(t, dir, "rec.mp4")
			} else {
				checkClean(t, dir)
			}
		})
	}
}

func TestDownloadOfExpiredURL(t *testing.T) {
	t.Parallel()
	srv, c := fake(t)
	ctx := context.Background()
	rec, err := c.Recordings.Get(ctx, recID)
	if err != nil {
		t.Fatal(err)
	}
	srv.ExpireDownloadURLs()

	_, err = c.Recordings.Download(ctx, rec.URL, io.Discard)
	var se *recordings.StorageError
	if !errors.As(err, &se) || se.StatusCode != http.StatusForbidden || se.Code != "AccessDenied" {
		t.Fatalf("error = %v, want a 403 AccessDenied *StorageError", err)
	}
	checkNoSecrets(t, err)

	h := newHasher()
	n, err := c.Recordings.DownloadByID(ctx, recID, h)
	if err != nil {
		t.Fatalf("DownloadByID after expiry: %v", err)
	}
	if n != fileSize || h.String() != wantSHA(t, srv) {
		t.Errorf("n = %d; not the stored file", n)
	}
	checkNoCredentialsToStorage(t, srv)
}

// A URL that expires between Get and the download gets one fresh URL.
func TestDownloadByIDTriesAFreshURLOnceOn403(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		forbids  int
		toFile   bool
		wantGets int
		wantErr  bool
	}{
		{"writer: one 403 then success", 1, false, 2, false},
		{"file: one 403 then success", 1, true, 2, false},
		{"writer: two 403s fail", 2, false, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			if err := srv.InjectStorageFault(tc.forbids, meetingstest.Fault{Status: http.StatusForbidden}); err != nil {
				t.Fatal(err)
			}
			var n int64
			var err error
			if tc.toFile {
				n, err = c.Recordings.DownloadByIDToFile(context.Background(), recID, filepath.Join(t.TempDir(), "rec.mp4"))
			} else {
				n, err = c.Recordings.DownloadByID(context.Background(), recID, io.Discard)
			}
			var se *recordings.StorageError
			switch {
			case tc.wantErr && (!errors.As(err, &se) || se.StatusCode != http.StatusForbidden):
				t.Errorf("error = %v, want the 403 *StorageError", err)
			case !tc.wantErr && (err != nil || n != fileSize):
				t.Errorf("n, err = %d, %v; want %d, nil", n, err, fileSize)
			}
			checkNoSecrets(t, err)
			if gets := len(srv.RequestsTo(meetingstest.HostAPI)); gets != tc.wantGets {
				t.Errorf("API got %d requests, want %d", gets, tc.wantGets)
			}
		})
	}
}

func TestDownloadByIDRefusesRecordingsNotUploaded(t *testing.T) {
	t.Parallel()
	for _, status := range []string{meetingstest.StatusStarted, meetingstest.StatusStopped, meetingstest.StatusPaused} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			if err := srv.SetRecordingStatus(recID, status); err != nil {
				t.Fatal(err)
			}
			_, err := c.Recordings.DownloadByID(context.Background(), recID, io.Discard)
			if !errors.Is(err, recordings.ErrNotUploaded) || !strings.Contains(err.Error(), `"`+status+`"`) {
				t.Errorf("error = %v, want ErrNotUploaded naming status %q", err, status)
			}
			dir := t.TempDir()
			_, err = c.Recordings.DownloadByIDToFile(context.Background(), recID, filepath.Join(dir, "rec.mp4"))
			if !errors.Is(err, recordings.ErrNotUploaded) {
				t.Errorf("ToFile error = %v, want ErrNotUploaded", err)
			}
			checkClean(t, dir)
			if reqs := srv.RequestsTo(meetingstest.HostStorage); len(reqs) != 0 {
				t.Errorf("storage got %d requests, want none", len(reqs))
			}
		})
	}
}

func TestDownloadByIDOfUnknownRecording(t *testing.T) {
	t.Parallel()
	_, c := fake(t)
	_, err := c.Recordings.DownloadByID(context.Background(), "nope", io.Discard)
	if !errors.Is(err, meetings.ErrNotFound) {
		t.Errorf("error = %v, want meetings.ErrNotFound", err)
	}
}

func TestDownloadRefusesBadArguments(t *testing.T) {
	t.Parallel()
	srv, c := fake(t)
	u := downloadURL(t, srv)
	path := filepath.Join(t.TempDir(), "rec.mp4")
	ctx := context.Background()
	var nilCtx context.Context
	for _, tc := range []struct {
		name, wantName string
		run            func() error
	}{
		{"empty URL", "rawURL", func() error { _, err := c.Recordings.Download(ctx, "", io.Discard); return err }},
		{"nil writer", "w", func() error { _, err := c.Recordings.Download(ctx, u, nil); return err }},
		{"nil writer by ID", "w", func() error { _, err := c.Recordings.DownloadByID(ctx, recID, nil); return err }},
		{"nil ctx", "ctx", func() error { _, err := c.Recordings.Download(nilCtx, u, io.Discard); return err }},
		{"nil option", "DownloadOption", func() error { _, err := c.Recordings.Download(ctx, u, io.Discard, nil); return err }},
		{"negative resumes", "WithMaxResumes", func() error {
			_, err := c.Recordings.Download(ctx, u, io.Discard, recordings.WithMaxResumes(-1))
			return err
		}},
		{"negative resumes by ID", "WithMaxResumes", func() error {
			_, err := c.Recordings.DownloadByID(ctx, recID, io.Discard, recordings.WithMaxResumes(-1))
			return err
		}},
		{"empty path", "path", func() error { _, err := c.Recordings.DownloadToFile(ctx, u, ""); return err }},
		{"empty path by ID", "path", func() error { _, err := c.Recordings.DownloadByIDToFile(ctx, recID, ""); return err }},
		{"dot-dot ID", "recordingID", func() error { _, err := c.Recordings.DownloadByID(ctx, "..", io.Discard); return err }},
		{"empty ID to file", "recordingID", func() error { _, err := c.Recordings.DownloadByIDToFile(ctx, "", path); return err }},
		{"service not from NewClient", "client", func() error {
			_, err := new(recordings.Service).Download(ctx, u, io.Discard)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var argErr *meetings.ArgumentError
			if err := tc.run(); !errors.As(err, &argErr) || argErr.Name != tc.wantName {
				t.Errorf("error = %v, want a *meetings.ArgumentError naming %q", err, tc.wantName)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for refused arguments, want none", n)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was created: %v", err)
	}
}

func TestDownloadRefusesInsecureURLs(t *testing.T) {
	t.Parallel()
	_, c := fake(t)
	for _, u := range []string{
		"http://storage.example.com/rec.mp4?Signature=secret",
		"https://user:pass@storage.example.com/rec.mp4?Signature=secret",
	} {
		_, err := c.Recordings.Download(context.Background(), u, io.Discard)
		if !errors.Is(err, recordings.ErrInsecureURL) || !strings.HasPrefix(err.Error(), "recordings: ") {
			t.Errorf("Download(%q) error = %v, want a recordings: error wrapping ErrInsecureURL", u, err)
		}
		if strings.Contains(fmt.Sprint(err), "secret") || strings.Contains(fmt.Sprint(err), "pass") {
			t.Errorf("error shows a secret: %v", err)
		}
	}
}

// Neither WithTimeout nor the *http.Client's Timeout cuts a download; a
// nanosecond would fail any request they bounded.
func TestDownloadIsBoundByContextOnly(t *testing.T) {
	t.Parallel()
	srv, c := fake(t, meetings.WithTimeout(time.Nanosecond),
		meetings.WithHTTPClient(&http.Client{Timeout: time.Nanosecond}))
	n, err := c.Recordings.Download(context.Background(), downloadURL(t, srv), io.Discard)
	if err != nil || n != fileSize {
		t.Fatalf("n, err = %d, %v; want %d, nil", n, err, fileSize)
	}
}

func TestDownloadStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	for _, toFile := range []bool{false, true} {
		t.Run(fmt.Sprintf("toFile=%v", toFile), func(t *testing.T) {
			t.Parallel()
			srv, c := fake(t)
			// The body stops at cutAt, so the cancel is seen before the end
			// whatever the socket buffers hold; the resume would wait an hour.
			_ = srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: cutAt})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stop := []recordings.DownloadOption{recordings.WithRetryWait(time.Hour), recordings.WithProgress(func(done, total int64) {
				if done == cutAt {
					cancel()
				}
			})}
			dir := t.TempDir()
			var n int64
			var err error
			if toFile {
				n, err = c.Recordings.DownloadToFile(ctx, downloadURL(t, srv), filepath.Join(dir, "rec.mp4"), stop...)
			} else {
				n, err = c.Recordings.Download(ctx, downloadURL(t, srv), io.Discard, stop...)
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
			if n != cutAt {
				t.Errorf("n = %d, want %d: the download did not stop there", n, cutAt)
			}
			checkNoSecrets(t, err)
			checkClean(t, dir)
		})
	}
}

// TestDownloadToFileRefusesASymlink pins that neither file method replaces a
// symbolic link at path (its target would stay as it was while the caller
// believes it was written), and that DownloadByIDToFile says so before even
// calling the API.
func TestDownloadToFileRefusesASymlink(t *testing.T) {
	t.Parallel()
	srv, c := fake(t)
	u := downloadURL(t, srv)
	dir := t.TempDir()
	target := filepath.Join(dir, "target.mp4")
	if err := os.WriteFile(target, []byte("target"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "rec.mp4")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, run := range map[string]func() error{
		"DownloadToFile":     func() error { _, err := c.Recordings.DownloadToFile(ctx, u, link); return err },
		"DownloadByIDToFile": func() error { _, err := c.Recordings.DownloadByIDToFile(ctx, recID, link); return err },
	} {
		err := run()
		if err == nil || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), link) {
			t.Errorf("%s: error = %v, want one naming %s as a symbolic link", name, err, link)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced (%v, %v)", fi, err)
	}
	if got, _ := os.ReadFile(target); string(got) != "target" {
		t.Errorf("target now holds %q", got)
	}
	checkClean(t, dir, "rec.mp4", "target.mp4")
}
