package recordings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/vonage-meetings/go-sdk/internal/api"
	"github.com/vonage-meetings/go-sdk/internal/download"
)

// Errors a download can wrap; test for them with errors.Is.
var (
	// ErrNotResumable: the connection was lost mid-body and the storage host
	// cannot continue the download: it sent "Accept-Ranges: none", ignored
	// the Range request (answering 200 with the whole file), resumed at
	// another offset, sent a malformed Content-Range, or a Content-Length
	// that disagrees with its Content-Range. Download fails with it, as its
	// writer cannot be rewound; DownloadToFile starts over instead.
	ErrNotResumable = download.ErrNotResumable

	// ErrChanged: the file changed on the storage host between the first
	// response and a resumed one, so the parts cannot be joined.
	ErrChanged = download.ErrChanged

	// ErrInsecureURL: the URL, or a redirect, would fetch the file over plain
	// http from a host other than a loopback one, or carries user credentials.
	ErrInsecureURL = download.ErrInsecureURL

	// ErrNotUploaded: DownloadByID or DownloadByIDToFile was asked for a
	// recording whose status is "started", "stopped" or "paused", so there is
	// no complete file to fetch yet. The error names the status; wait for the
	// recording:uploaded callback. A status this version does not know is not
	// refused: the download is attempted.
	ErrNotUploaded = errors.New("recording is not uploaded yet")
)

// StorageError is the error for an answer outside 2xx from the storage host
// (the host of a recording's URL, not the API's). It names the status, the
// URL without its query string (which holds the URL's signature), and the
// storage service's error code and message when it sent them, e.g. 403
// "AccessDenied: Request has expired" for an expired URL. Get it with
// errors.As; its fields are StatusCode (int), Status (the status line), URL
// (scheme, host and path only), and Code and Message (from the storage
// service's XML error body, when there is one).
type StorageError = download.StatusError

// defaultMaxResumes is the number of resumes and retries a download gets
// unless WithMaxResumes says otherwise.
const defaultMaxResumes = 3

// DownloadOption configures one download; pass it to Download,
// DownloadToFile, DownloadByID or DownloadByIDToFile.
type DownloadOption func(*downloadConfig)

type downloadConfig struct {
	progress   func(done, total int64)
	maxResumes int
	retryWait  time.Duration // 0: the engine's default (250ms, doubling)
	err        error         // the first invalid option
}

// WithProgress calls fn as the download goes: once when the response headers
// arrive (done is 0, or the offset a resumed download continues from), then
// after each chunk written. total is the file's size, or -1 when the storage
// host does not announce it. fn runs on the downloading goroutine and the
// download waits for it, so keep it short. With the ToFile variants, done
// goes back to 0 when the download starts over.
func WithProgress(fn func(done, total int64)) DownloadOption {
	return func(c *downloadConfig) { c.progress = fn }
}

// WithMaxResumes bounds how many times a download is continued or retried
// after a failure: a connection lost mid-body (continued with a Range
// request), a connection error, or a 408, 429, 500, 502, 503 or 504 answer.
// The default is 3; 0 disables them; a negative n is refused with a
// *meetings.ArgumentError. Waits between attempts start at 250ms and double
// up to 5s.
func WithMaxResumes(n int) DownloadOption {
	return func(c *downloadConfig) {
		if n < 0 {
			c.setErr(&api.ArgumentError{Name: "WithMaxResumes", Reason: fmt.Sprintf("%d is negative", n)})
			return
		}
		c.maxResumes = n
	}
}

func (c *downloadConfig) setErr(err error) {
	if c.err == nil {
		c.err = err
	}
}

// prepare checks the arguments common to every download and returns the
// engine's options and the HTTP client to use.
func (s *Service) prepare(ctx context.Context, opts []DownloadOption) (*http.Client, download.Options, error) {
	cfg := downloadConfig{maxResumes: defaultMaxResumes}
	for _, opt := range opts {
		if opt == nil {
			return nil, download.Options{}, &api.ArgumentError{Name: "DownloadOption", Reason: "is nil"}
		}
		opt(&cfg)
	}
	if cfg.err != nil {
		return nil, download.Options{}, cfg.err
	}
	if ctx == nil {
		return nil, download.Options{}, &api.ArgumentError{Name: "ctx", Reason: "is nil; use context.Background()"}
	}
	c := s.client()
	if c == nil {
		return nil, download.Options{}, &api.ArgumentError{Name: "client", Reason: "is nil; create it with meetings.NewClient"}
	}
	// The plain client, never the API's: the storage host gets no
	// credentials. Its copy has no Timeout, so only ctx bounds a download
	// that may take hours; the engine also drops the cookie jar.
	hc := *c.HTTPClient()
	hc.Timeout = 0
	return &hc, download.Options{Progress: cfg.progress, MaxRetries: cfg.maxResumes, RetryWait: cfg.retryWait}, nil
}

// Download fetches the recording file at rawURL, a Recording's URL or the URL
// of a recording:uploaded callback, and streams it into w. It returns the
// number of bytes written to w, also on error.
//
// The file comes from a storage host, not the API host: it is fetched with
// the client's plain *http.Client (the one given to meetings.WithHTTPClient,
// or the default) and the API's credentials are never sent. rawURL must be
// https, or http to a loopback host (127.0.0.0/8, ::1, localhost) for tests;
// anything else fails with ErrInsecureURL. Storage URLs are time-limited: if
// one has expired, the error is a *StorageError with status 403; use
// DownloadByID, which fetches a fresh URL.
//
// Only ctx bounds a download: neither meetings.WithTimeout nor the Timeout of
// the *http.Client applies, so a long download is never cut by them. Pass a
// context with a deadline to limit it. When ctx ends, the error satisfies
// errors.Is(err, ctx.Err()).
//
// Memory stays flat (one 128 KiB buffer) whatever the file's size. The number
// of bytes must match the Content-Length the storage host announced: a body
// cut short is an error wrapping io.ErrUnexpectedEOF, never a silently
// truncated result. When the connection is lost mid-body, the download
// continues where it stopped with a Range request (see WithMaxResumes) if
// the server allows it and the file is unchanged; as w cannot be rewound it
// never starts over, and fails with ErrNotResumable or ErrChanged instead.
//
// Download failures start with "recordings: " and never show the URL's query
// string, which holds its signature. An empty rawURL, a nil w, a nil ctx or an
// invalid option is a *meetings.ArgumentError instead.
func (s *Service) Download(ctx context.Context, rawURL string, w io.Writer, opts ...DownloadOption) (int64, error) {
	if err := checkURLArg(rawURL); err != nil {
		return 0, err
	}
	if w == nil {
		return 0, &api.ArgumentError{Name: "w", Reason: "the io.Writer is nil"}
	}
	hc, o, err := s.prepare(ctx, opts)
	if err != nil {
		return 0, err
	}
	n, err := download.To(ctx, hc, rawURL, w, o)
	return n, wrap(err)
}

// DownloadToFile fetches the recording file at rawURL, as Download does, and
// saves it under path. On success it returns the file's size. On error it
// returns how many bytes had been downloaded when it failed (after a start
// over, counted from the start again); they are not on disk, as the
// temporary file holding them is removed.
//
// The bytes go to a temporary file in path's directory (".<name>.*.part"),
// which is flushed to disk and renamed to path only once complete: on any
// error it is removed, so path never holds a partial file and an existing
// file at path is left as it was. Unlike Download, it starts over from the
// first byte when a cut download cannot be resumed (within WithMaxResumes).
// The new file has mode 0600. Only a regular file at path is replaced:
// anything else there is refused before any request, with an error naming
// the path and what it is. That includes a symbolic link, which is neither
// replaced (a rename would swap the link itself for a file, leaving its
// target as it was) nor followed: to write to a link's target, pass the
// resolved path (filepath.EvalSymlinks). A directory, a named pipe, a socket
// or a device (such as /dev/null) is refused too. An empty path is a
// *meetings.ArgumentError.
func (s *Service) DownloadToFile(ctx context.Context, rawURL, path string, opts ...DownloadOption) (int64, error) {
	if err := checkURLArg(rawURL); err != nil {
		return 0, err
	}
	if path == "" {
		return 0, &api.ArgumentError{Name: "path", Reason: "is empty"}
	}
	hc, o, err := s.prepare(ctx, opts)
	if err != nil {
		return 0, err
	}
	n, err := download.ToFile(ctx, hc, rawURL, path, o)
	return n, wrap(err)
}

// DownloadByID fetches the recording (as Get does, so its URL is fresh) and
// then its file, streamed into w as Download does. It returns the number of
// bytes written to w.
//
// A recording that is "started", "stopped" or "paused" fails with an error
// wrapping ErrNotUploaded that names its status, before anything is
// downloaded (an unknown status is attempted). If
// the storage host answers 403 before any byte reached w (the URL expired in
// between), the recording is fetched again and its new URL tried once more.
// The ID is checked as Get checks it, and Get's errors (*meetings.APIError,
// *meetings.RequestError) are returned as they are; note that the API call,
// unlike the download, is bounded by meetings.WithTimeout.
func (s *Service) DownloadByID(ctx context.Context, recordingID string, w io.Writer, opts ...DownloadOption) (int64, error) {
	if w == nil {
		return 0, &api.ArgumentError{Name: "w", Reason: "the io.Writer is nil"}
	}
	return s.byID(ctx, recordingID, opts, func(ctx context.Context, rawURL string) (int64, bool, error) {
		n, err := s.Download(ctx, rawURL, w, opts...)
		return n, n == 0, err
	})
}

// DownloadByIDToFile fetches the recording (as Get does, so its URL is
// fresh) and saves its file under path as DownloadToFile does, returning the
// same count (the file's size on success). It fails as DownloadByID does,
// and also tries a fresh URL once when the storage host answers 403, even
// mid-file, since it starts the file over. A path DownloadToFile refuses
// (anything but a regular file: a symbolic link, a directory, a named pipe,
// a device) is refused before the API call.
func (s *Service) DownloadByIDToFile(ctx context.Context, recordingID, path string, opts ...DownloadOption) (int64, error) {
	if path == "" {
		return 0, &api.ArgumentError{Name: "path", Reason: "is empty"}
	}
	if err := download.CheckPath(path); err != nil {
		return 0, wrap(err)
	}
	return s.byID(ctx, recordingID, opts, func(ctx context.Context, rawURL string) (int64, bool, error) {
		n, err := s.DownloadToFile(ctx, rawURL, path, opts...)
		return n, true, err
	})
}

// byID gets the recording, checks it can be downloaded and runs fetch on its
// URL; on a 403 from storage while canRetry, it gets a fresh URL once.
func (s *Service) byID(ctx context.Context, recordingID string, opts []DownloadOption,
	fetch func(ctx context.Context, rawURL string) (n int64, canRetry bool, err error)) (int64, error) {
	if _, _, err := s.prepare(ctx, opts); err != nil { // refuse bad options before the API call
		return 0, err
	}
	for attempt := 0; ; attempt++ {
		rec, err := s.Get(ctx, recordingID)
		if err != nil {
			return 0, err
		}
		if err := downloadable(rec); err != nil {
			return 0, err
		}
		n, canRetry, err := fetch(ctx, rec.URL)
		var se *StorageError
		if attempt == 0 && canRetry && errors.As(err, &se) && se.StatusCode == http.StatusForbidden {
			continue
		}
		return n, err
	}
}

// downloadable reports why rec's file cannot be fetched, or nil.
func downloadable(rec *Recording) error {
	switch {
	case rec.Status.Known() && rec.Status != StatusUploaded:
		return fmt.Errorf("recordings: recording %q has status %q: %w; it can be downloaded once %q",
			rec.ID, rec.Status, ErrNotUploaded, StatusUploaded)
	case rec.URL == "":
		return fmt.Errorf("recordings: recording %q (status %q) has no download URL", rec.ID, rec.Status)
	}
	return nil
}

func checkURLArg(rawURL string) error {
	if rawURL == "" {
		return &api.ArgumentError{Name: "rawURL", Reason: "is empty; use a Recording's URL or a recording:uploaded callback's URL"}
	}
	return nil
}

// wrap prefixes the engine's errors; they already keep the URL's query out.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("recordings: %w", err)
}
