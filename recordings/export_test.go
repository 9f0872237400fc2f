package recordings

import "time"

// WithRetryWait shortens the wait before a resume or retry, so tests of
// resumes take milliseconds.
func WithRetryWait(d time.Duration) DownloadOption {
	return func(c *downloadConfig) { c.retryWait = d }
}
