package recordings_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
	"github.com/vonage-meetings/go-sdk/recordings"
)

const size = 1 << 20

// fake starts the fake service with one uploaded recording of size bytes.
func fake(t *testing.T) (*meetingstest.Server, *recordings.Service, string) {
	t.Helper()
	srv := meetingstest.Start(t)
	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: "r1", SessionID: "s1",
		StartedAt: time.Now().Add(-time.Minute), EndedAt: time.Now()}))
	require.NoError(t, srv.SetGeneratedFile("r1", size))
	c, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL),
		meetings.WithRetryPolicy(2, time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)
	u, err := srv.DownloadURL("r1")
	require.NoError(t, err)
	return srv, c.Recordings, u
}

func wantSHA(t *testing.T) string {
	t.Helper()
	sum, err := meetingstest.GeneratedSHA256(size)
	require.NoError(t, err)
	return sum
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestDownloadStreamsTheFileWithoutCredentials(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	var buf bytes.Buffer
	var last, total int64 = -1, 0
	n, err := s.Download(context.Background(), u, &buf, recordings.WithProgress(func(done, tot int64) {
		assert.GreaterOrEqual(t, done, last, "progress never goes back")
		last, total = done, tot
	}))
	require.NoError(t, err)
	assert.EqualValues(t, size, n)
	assert.Equal(t, wantSHA(t), sha(buf.Bytes()))
	assert.EqualValues(t, size, last)
	assert.EqualValues(t, size, total)
	assert.Zero(t, srv.StorageAuthorizationCount(), "no credentials to storage")
}

func TestDownloadResumesACutBody(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(2, meetingstest.Fault{CutAfter: 100 << 10}))
	var buf bytes.Buffer
	n, err := s.Download(context.Background(), u, &buf)
	require.NoError(t, err)
	assert.EqualValues(t, size, n)
	assert.Equal(t, wantSHA(t), sha(buf.Bytes()))
	var ranges []string
	for _, r := range srv.RequestsTo(meetingstest.HostStorage) {
		ranges = append(ranges, r.Range)
	}
	assert.Equal(t, []string{"", "bytes=102400-", "bytes=204800-"}, ranges)
}

func TestDownloadGivesUpAfterMaxResumes(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(10, meetingstest.Fault{CutAfter: 1000}))
	n, err := s.Download(context.Background(), u, io.Discard, recordings.WithMaxResumes(1))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.EqualValues(t, 2000, n)
}

func TestDownloadToWriterCannotStartOver(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: 1000}))
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{IgnoreRange: true}))
	_, err := s.Download(context.Background(), u, io.Discard)
	assert.ErrorIs(t, err, recordings.ErrNotResumable)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestDownloadToFileStartsOverWhenItCannotResume(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: 1000}))
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{IgnoreRange: true}))
	dir := t.TempDir()
	path := filepath.Join(dir, "r1.mp4")
	n, err := s.DownloadToFile(context.Background(), u, path)
	require.NoError(t, err)
	assert.EqualValues(t, size, n)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, wantSHA(t), sha(b))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no .part file left")
}

func TestDownloadToFileLeavesNothingOnFailure(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(10, meetingstest.Fault{CutAfter: 1000}))
	dir := t.TempDir()
	_, err := s.DownloadToFile(context.Background(), u, filepath.Join(dir, "r1.mp4"), recordings.WithMaxResumes(0))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries)
}

func TestDownloadToFileReplacesOnlyRegularFiles(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, "link")))
	for _, name := range []string{"d", "link", ""} {
		path := filepath.Join(dir, name)
		if name == "" {
			path = ""
		}
		_, err := s.DownloadToFile(context.Background(), u, path)
		var argErr *meetings.ArgumentError
		require.ErrorAs(t, err, &argErr, name)
		assert.Equal(t, "path", argErr.Name)
	}
	assert.Empty(t, srv.RequestsTo(meetingstest.HostStorage), "nothing fetched")

	existing := filepath.Join(dir, "old.mp4")
	require.NoError(t, os.WriteFile(existing, []byte("old"), 0o644))
	_, err := s.DownloadToFile(context.Background(), u, existing)
	require.NoError(t, err)
	fi, _ := os.Stat(existing)
	assert.EqualValues(t, size, fi.Size())
}

func TestDownloadRetriesStorageAsTheAPI(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{Status: http.StatusServiceUnavailable}))
	n, err := s.Download(context.Background(), u, io.Discard)
	require.NoError(t, err)
	assert.EqualValues(t, size, n)

	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "60"}))
	_, err = s.Download(context.Background(), u, io.Discard)
	var se *meetings.StorageError
	require.ErrorAs(t, err, &se, "a Retry-After past the cap returns at once")
	assert.Equal(t, time.Minute, se.RetryAfter)
	assert.Equal(t, http.StatusTooManyRequests, se.StatusCode)
}

func TestDownloadRefusesInsecureURLs(t *testing.T) {
	t.Parallel()
	_, s, _ := fake(t)
	for _, u := range []string{"http://storage.example.com/f.mp4", "ftp://x/y", "not a url", ""} {
		_, err := s.Download(context.Background(), u, io.Discard)
		var argErr *meetings.ArgumentError
		assert.ErrorAs(t, err, &argErr, u)
	}
}

func TestDownloadStopsWithItsContext(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{Delay: 5 * time.Second}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := s.Download(ctx, u, io.Discard)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestDownloadByID(t *testing.T) {
	t.Parallel()
	srv, s, _ := fake(t)
	var buf bytes.Buffer
	n, err := s.DownloadByID(context.Background(), "r1", &buf)
	require.NoError(t, err)
	assert.EqualValues(t, size, n)

	path := filepath.Join(t.TempDir(), "r1.mp4")
	require.NoError(t, srv.InjectStorageFault(1, meetingstest.Fault{Status: http.StatusForbidden}))
	n, err = s.DownloadByIDToFile(context.Background(), "r1", path)
	require.NoError(t, err, "a 403 from storage asks for a fresh URL once")
	assert.EqualValues(t, size, n)

	require.NoError(t, srv.InjectStorageFault(2, meetingstest.Fault{Status: http.StatusForbidden}))
	_, err = s.DownloadByID(context.Background(), "r1", io.Discard)
	var se *meetings.StorageError
	assert.ErrorAs(t, err, &se, "only once")

	require.NoError(t, srv.AddRecording(meetingstest.Recording{ID: "r2", SessionID: "s1", Status: meetingstest.StatusStopped}))
	_, err = s.DownloadByID(context.Background(), "r2", io.Discard)
	assert.ErrorIs(t, err, recordings.ErrNotUploaded)
	_, err = s.DownloadByIDToFile(context.Background(), "missing", path)
	assert.ErrorIs(t, err, meetings.ErrNotFound)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDownloadReportsWriteErrors(t *testing.T) {
	t.Parallel()
	_, s, u := fake(t)
	_, err := s.Download(context.Background(), u, failingWriter{})
	assert.ErrorContains(t, err, "disk full")
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestDownloadReportsShortWrites(t *testing.T) {
	t.Parallel()
	_, s, u := fake(t)
	_, err := s.Download(context.Background(), u, shortWriter{})
	assert.ErrorIs(t, err, io.ErrShortWrite)
}

func TestDownloadStopsMidBodyWithItsContext(t *testing.T) {
	t.Parallel()
	srv, s, _ := fake(t)
	require.NoError(t, srv.SetGeneratedFile("r1", 1<<30)) // far more than any buffer holds
	u, err := srv.DownloadURL("r1")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = s.Download(ctx, u, io.Discard, recordings.WithProgress(func(done, _ int64) {
		if done > 0 {
			cancel()
		}
	}))
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDownloadByIDToFileChecksThePathFirst(t *testing.T) {
	t.Parallel()
	srv, s, _ := fake(t)
	_, err := s.DownloadByIDToFile(context.Background(), "r1", t.TempDir())
	var argErr *meetings.ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.Empty(t, srv.Requests(), "nothing sent")
}

// cutReader gives n bytes, then fails as a dropped connection does.
type cutReader struct{ n int }

func (r *cutReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestResumeAsksIfRangeWithLastModifiedAndChecksContentRange(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	c, err := meetings.NewClient("k", "s", meetings.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	const lastModified = "Mon, 02 Jan 2006 15:04:05 GMT"
	var ifRange []string
	mt.RegisterResponder(http.MethodGet, "https://storage.example.test/f.mp4", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Range") == "" {
			resp := httpmock.NewStringResponse(200, "")
			resp.Body, resp.ContentLength = io.NopCloser(&cutReader{n: 5}), 10
			resp.Header.Set("ETag", `W/"weak"`)
			resp.Header.Set("Last-Modified", lastModified)
			return resp, nil
		}
		ifRange = append(ifRange, r.Header.Get("If-Range"))
		resp := httpmock.NewStringResponse(http.StatusPartialContent, "67890")
		resp.Header.Set("Content-Range", "bytes x-9/10")
		return resp, nil
	})
	_, err = c.Recordings.Download(context.Background(), "https://storage.example.test/f.mp4", io.Discard)
	assert.ErrorIs(t, err, recordings.ErrNotResumable)
	assert.Equal(t, []string{lastModified}, ifRange, "a weak ETag is no validator: Last-Modified is")
}

func TestDownloadRefusesANilWriter(t *testing.T) {
	t.Parallel()
	srv, s, u := fake(t)
	var argErr *meetings.ArgumentError
	_, err := s.Download(context.Background(), u, nil)
	require.ErrorAs(t, err, &argErr)
	_, err = s.DownloadByID(context.Background(), "r1", nil)
	require.ErrorAs(t, err, &argErr)
	assert.Equal(t, "w", argErr.Name)
	assert.Empty(t, srv.Requests(), "nothing sent")
}
