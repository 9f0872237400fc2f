package recordings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	core "github.com/vonage-meetings/go-sdk/internal/meetings"
)

// Download errors; they are wrapped, so match them with errors.Is.
var (
	// ErrNotUploaded: DownloadByID and DownloadByIDToFile were asked for a
	// recording whose file is not uploaded yet.
	ErrNotUploaded = errors.New("recordings: recording is not uploaded yet")
	// ErrNotResumable: the connection broke and the server cannot continue
	// where it stopped (no Range support, or the file changed), and the
	// destination cannot be started over (an io.Writer, not a file).
	ErrNotResumable = errors.New("recordings: the server cannot resume the download")
)

// DownloadOption configures a download. A nil DownloadOption is ignored.
type DownloadOption func(*downloadConfig)

type downloadConfig struct {
	progress   func(done, total int64)
	maxResumes int
}

// WithProgress calls fn as bytes arrive with the bytes written so far and
// the file's size (-1 when the server does not say). fn runs on the
// downloading goroutine: keep it quick.
func WithProgress(fn func(done, total int64)) DownloadOption {
	return func(c *downloadConfig) { c.progress = fn }
}

// WithMaxResumes sets how many times a download whose body is cut short is
// resumed with a Range request (default 3; 0 or less: never).
func WithMaxResumes(n int) DownloadOption { return func(c *downloadConfig) { c.maxResumes = n } }

const bufferSize = 128 << 10 // one buffer per download: memory stays flat

// Download streams a recording's file from rawURL (Recording.URL, or a
// recording:uploaded callback's URL) into w and returns the bytes written.
//
// The file lives on a storage host: it is fetched without the API's
// credentials, over https only (plain http for loopback hosts), and only
// ctx bounds it, never the client's per-call timeout. Connection errors,
// 429 and 5xx answers are retried as API calls are; a body cut short is
// resumed with a Range request (WithMaxResumes). A body that still ends
// early is an error wrapping io.ErrUnexpectedEOF, never a silent short
// result. A non-2xx answer is a *meetings.StorageError; no error holds the
// URL's signed query.
func (s *Service) Download(ctx context.Context, rawURL string, w io.Writer, opts ...DownloadOption) (int64, error) {
	if w == nil {
		return 0, s.c.Arg("w", "is a nil io.Writer")
	}
	return s.fetch(ctx, rawURL, w, nil, config(opts))
}

// DownloadToFile downloads into a temporary file in path's directory and
// renames it to path only when complete and flushed to disk, so no partial
// file ever sits under path. It replaces only a regular file: a directory,
// symbolic link or device at path is refused before anything is fetched.
// When a resume is impossible it starts over.
func (s *Service) DownloadToFile(ctx context.Context, rawURL, path string, opts ...DownloadOption) (int64, error) {
	if err := s.checkPath(path); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, fmt.Errorf("recordings: %w", err)
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	defer f.Close()
	restart := func() error {
		_, err := f.Seek(0, io.SeekStart)
		return errors.Join(err, f.Truncate(0))
	}
	n, err := s.fetch(ctx, rawURL, f, restart, config(opts))
	if err == nil {
		err = errors.Join(f.Sync(), f.Close(), s.checkPath(path))
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return n, fmt.Errorf("recordings: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil { // make the rename durable
		_ = d.Sync()
		_ = d.Close()
	}
	return n, nil
}

// DownloadByID downloads a recording's file by the recording's ID: it calls
// Get for a fresh URL (a callback's URL is time-limited), refuses a
// recording that is started, stopped or paused (ErrNotUploaded; a status
// this version does not know is attempted), and asks for a fresh URL once
// more when storage answers 403 (an expired URL) before any byte was written.
func (s *Service) DownloadByID(ctx context.Context, recordingID string, w io.Writer, opts ...DownloadOption) (int64, error) {
	if w == nil {
		return 0, s.c.Arg("w", "is a nil io.Writer")
	}
	return s.byID(ctx, recordingID, func(url string) (int64, error) { return s.Download(ctx, url, w, opts...) })
}

// DownloadByIDToFile is DownloadByID into a file, as DownloadToFile writes it.
func (s *Service) DownloadByIDToFile(ctx context.Context, recordingID, path string, opts ...DownloadOption) (int64, error) {
	if err := s.checkPath(path); err != nil {
		return 0, err
	}
	return s.byID(ctx, recordingID, func(url string) (int64, error) { return s.DownloadToFile(ctx, url, path, opts...) })
}

func (s *Service) byID(ctx context.Context, recordingID string, fetch func(url string) (int64, error)) (int64, error) {
	for attempt := 0; ; attempt++ {
		rec, err := s.Get(ctx, recordingID)
		if err != nil {
			return 0, err
		}
		switch rec.Status {
		case StatusStarted, StatusStopped, StatusPaused:
			return 0, fmt.Errorf("%w: %s is %s", ErrNotUploaded, rec.ID, rec.Status)
		}
		n, err := fetch(rec.URL)
		var se *core.StorageError
		if attempt > 0 || n > 0 || !errors.As(err, &se) || se.StatusCode != http.StatusForbidden {
			return n, err
		}
	}
}

func config(opts []DownloadOption) downloadConfig {
	c := downloadConfig{maxResumes: 3}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

func (s *Service) checkPath(path string) error {
	if path == "" {
		return s.c.Arg("path", "is empty")
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist), err == nil && fi.Mode().IsRegular():
		return nil
	case err != nil:
		return fmt.Errorf("recordings: %w", err)
	}
	return s.c.Arg("path", fmt.Sprintf("%q is a %s, not a regular file: refusing to replace it", path, fi.Mode().Type()))
}

// fetch runs one download: a GET, then a Range request per resume. restart,
// when not nil, empties the destination so that a server that cannot resume
// can send the whole file again.
func (s *Service) fetch(ctx context.Context, rawURL string, w io.Writer, restart func() error, cfg downloadConfig) (int64, error) {
	var done, total int64 = 0, -1
	var validator string // the first answer's ETag or Last-Modified, for If-Range
	buf := make([]byte, bufferSize)
	for resumes := 0; ; resumes++ {
		h := http.Header{"Accept-Encoding": {"identity"}}
		if done > 0 {
			h.Set("Range", "bytes="+strconv.FormatInt(done, 10)+"-")
			if validator != "" {
				h.Set("If-Range", validator)
			}
		}
		resp, err := s.c.Storage(ctx, http.MethodGet, rawURL, h, nil)
		if err != nil {
			return done, err
		}
		switch {
		case done > 0 && resp.StatusCode == http.StatusPartialContent && rangeStart(resp) == done:
		case done > 0 && (restart == nil || resp.StatusCode == http.StatusPartialContent):
			resp.Body.Close()
			return done, fmt.Errorf("recordings: body ended after %d bytes: %w: %w", done, ErrNotResumable, io.ErrUnexpectedEOF)
		default: // the whole file, from the start
			if done > 0 {
				if err := restart(); err != nil {
					resp.Body.Close()
					return done, fmt.Errorf("recordings: starting over: %w", err)
				}
			}
			done, total = 0, resp.ContentLength
			validator = resp.Header.Get("ETag")
			if validator == "" || strings.HasPrefix(validator, "W/") {
				validator = resp.Header.Get("Last-Modified")
			}
		}
		if cfg.progress != nil {
			cfg.progress(done, total)
		}
		n, rerr, werr := copyBody(w, resp.Body, buf, done, cfg.progress, total)
		resp.Body.Close()
		done += n
		switch {
		case werr != nil:
			return done, fmt.Errorf("recordings: writing after %d bytes: %w", done, werr)
		case rerr == nil && (total < 0 || done == total):
			return done, nil
		case ctx.Err() != nil:
			return done, fmt.Errorf("recordings: stopped after %d bytes: %w", done, ctx.Err())
		case resumes >= cfg.maxResumes:
			return done, fmt.Errorf("recordings: body ended after %d of %d bytes (%d resumes): %w",
				done, total, resumes, errors.Join(io.ErrUnexpectedEOF, rerr))
		}
	}
}

// copyBody copies r to w through buf, reporting progress; the read error is
// nil at a clean end of the body.
func copyBody(w io.Writer, r io.Reader, buf []byte, done int64, progress func(done, total int64), total int64) (n int64, rerr, werr error) {
	for {
		nr, err := r.Read(buf)
		if nr > 0 {
			nw, err := w.Write(buf[:nr])
			n += int64(nw)
			if err == nil && nw != nr {
				err = io.ErrShortWrite
			}
			if err != nil {
				return n, nil, err
			}
			if progress != nil {
				progress(done+n, total)
			}
		}
		if err == io.EOF {
			return n, nil, nil
		}
		if err != nil {
			return n, err, nil
		}
	}
}

// rangeStart is the first byte of a 206's Content-Range, or -1.
func rangeStart(resp *http.Response) int64 {
	v, ok := strings.CutPrefix(resp.Header.Get("Content-Range"), "bytes ")
	first, _, ok2 := strings.Cut(v, "-")
	n, err := strconv.ParseInt(first, 10, 64)
	if !ok || !ok2 || err != nil {
		return -1
	}
	return n
}
