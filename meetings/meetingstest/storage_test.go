package meetingstest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// storageFile starts a server with a generated file of size bytes and returns its download URL.
func storageFile(t *testing.T, size int64) (*meetingstest.Server, string) {
	t.Helper()
	srv := meetingstest.Start(t)
	require.NoError(t, srv.SetGeneratedFile("rec", size))
	u, err := srv.DownloadURL("rec")
	require.NoError(t, err)
	return srv, u
}

func generatedBytes(t *testing.T, off, n int64) []byte {
	t.Helper()
	b := make([]byte, n)
	_, err := meetingstest.GeneratedContent(off+n).ReadAt(b, off)
	require.NoError(t, err)
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestStorageServesFilesWithRanges(t *testing.T) {
	t.Parallel()
	const size = 100_000
	srv, u := storageFile(t, size)
	resp, body := send(t, mustRequest(t, "GET", u))
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, generatedBytes(t, 0, size), body)
	assert.Equal(t, "video/mp4", resp.Header.Get("Content-Type"))
	assert.Equal(t, "bytes", resp.Header.Get("Accept-Ranges"))
	assert.NotEmpty(t, resp.Header.Get("Last-Modified"))
	etag := resp.Header.Get("ETag")
	require.NotEmpty(t, etag)
	sum, err := meetingstest.FileSHA256(srv, "rec")
	require.NoError(t, err)
	assert.Equal(t, sha(body), sum)

	for _, tc := range []struct {
		name, rangeHdr string
		status         int
		off, n         int64
	}{
		{"a middle slice", "bytes=1000-1999", 206, 1000, 1000},
		{"an open end", "bytes=99000-", 206, 99000, 1000},
		{"a suffix", "bytes=-10", 206, size - 10, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := mustRequest(t, "GET", u)
			req.Header.Set("Range", tc.rangeHdr)
			resp, body := send(t, req)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, generatedBytes(t, tc.off, tc.n), body)
		})
	}
	req := mustRequest(t, "GET", u)
	req.Header.Set("Range", "bytes=200000-")
	resp, _ = send(t, req)
	assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, resp.StatusCode)
	req = mustRequest(t, "GET", u)
	req.Header.Set("If-None-Match", etag)
	resp, _ = send(t, req)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	resp, body = send(t, mustRequest(t, "HEAD", u))
	assert.Equal(t, int64(size), resp.ContentLength)
	assert.Empty(t, body)
}

func TestStorageServesBytesSetWithSetFile(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	content := []byte("hello")
	require.NoError(t, srv.SetFile("r", content))
	content[0] = 'j' // the server keeps its own copy
	u, _ := srv.DownloadURL("r")
	resp, body := send(t, mustRequest(t, "GET", u))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello", string(body))
	sum, err := meetingstest.FileSHA256(srv, "r")
	require.NoError(t, err)
	assert.Equal(t, sha([]byte("hello")), sum)
}

func TestAHugeGeneratedFileCostsNoMemory(t *testing.T) {
	t.Parallel()
	const size = 1 << 40 // 1 TiB
	_, u := storageFile(t, size)
	req := mustRequest(t, "GET", u)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-", size-1000))
	resp, body := send(t, req)
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, generatedBytes(t, size-1000, 1000), body)
}

func TestGeneratedContentNeverChanges(t *testing.T) {
	t.Parallel()
	sum, err := meetingstest.GeneratedSHA256(8 << 20)
	require.NoError(t, err)
	assert.Equal(t, "1cd208084395acd01bc0e1052afdfe4a87e218afff817a7c5bba4d191da39dce", sum, "CI pins the 8 MiB file")

	a := generatedBytes(t, 0, 200_000)
	assert.Equal(t, a[:1000], generatedBytes(t, 0, 1000), "a shorter file is a prefix of a longer one")
	seen := map[string]bool{}
	for off := 0; off+512 <= len(a); off += 512 {
		assert.False(t, seen[string(a[off:off+512])], "block at %d repeats", off)
		seen[string(a[off:off+512])] = true
	}
	pieces, err := io.ReadAll(io.LimitReader(meetingstest.GeneratedContent(200_000), 200_000))
	require.NoError(t, err)
	assert.Equal(t, a, pieces)
	_, err = meetingstest.GeneratedSHA256(-1)
	assert.Error(t, err)
}

func TestStorageRefusals(t *testing.T) {
	t.Parallel()
	srv, u := storageFile(t, 10)
	parsed, _ := url.Parse(u)
	q := parsed.Query()
	with := func(k, v string) string {
		c := *parsed
		q2 := url.Values{}
		for kk, vv := range q {
			q2[kk] = vv
		}
		q2.Set(k, v)
		c.RawQuery = q2.Encode()
		return c.String()
	}
	other, _ := srv.DownloadURL("other")
	for _, tc := range []struct {
		name, method, url string
		auth              bool
		status            int
		code              string
	}{
		{"an Authorization header", "GET", u, true, 400, "InvalidArgument"},
		{"no signature", "GET", strings.Split(u, "?")[0], false, 403, "SignatureDoesNotMatch"},
		{"a forged signature", "GET", with("Signature", strings.Repeat("0", 64)), false, 403, "SignatureDoesNotMatch"},
		{"a changed expiry", "GET", with("Expires", "99999999999"), false, 403, "SignatureDoesNotMatch"},
		{"a file that is not there", "GET", other, false, 404, "NoSuchKey"},
		{"an unknown path", "GET", srv.StorageURL + "/elsewhere", false, 404, "NoSuchKey"},
		{"a PUT", "PUT", u, false, 404, "NoSuchKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := mustRequest(t, tc.method, tc.url)
			if tc.auth {
				req.SetBasicAuth("k", "s")
			}
			resp, body := send(t, req)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
			assert.Contains(t, string(body), "<Error><Code>"+tc.code+"</Code><Message>")
		})
	}
	assert.Equal(t, 1, srv.StorageAuthorizationCount())
	reqs := srv.RequestsTo(meetingstest.HostStorage)
	require.NotEmpty(t, reqs)
	assert.True(t, reqs[0].HasAuthorization)
	assert.Empty(t, reqs[0].Header.Get("Authorization"), "the log keeps no credential")
}

func TestExpiredDownloadURLsAreRefusedLikeS3(t *testing.T) {
	t.Parallel()
	srv, stale := storageFile(t, 10)
	meetingstest.ExpireDownloadURLs(srv)
	resp, body := send(t, mustRequest(t, "GET", stale))
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, string(body), "<Code>SignatureDoesNotMatch</Code>")
	fresh, _ := srv.DownloadURL("rec")
	resp, _ = send(t, mustRequest(t, "GET", fresh))
	assert.Equal(t, 200, resp.StatusCode, "URLs handed out afterwards work")

	// A URL past its Expires, signed as the server signs: the 403 S3 answers.
	signed := meetingstest.SignedDownloadURL(srv, "rec", "1")
	resp, body = send(t, mustRequest(t, "GET", signed))
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, string(body), "<Code>AccessDenied</Code><Message>Request has expired</Message>")
}

func TestStorageFaults(t *testing.T) {
	t.Parallel()
	const size = 100_000
	for _, tc := range []struct {
		name   string
		fault  meetingstest.Fault
		rng    string
		status int
		body   []byte
		length int64
	}{
		{"a cut body", meetingstest.Fault{CutAfter: 1000}, "", 200, nil, size},
		{"a cut range", meetingstest.Fault{CutAfter: 10}, "bytes=500-", 206, nil, size - 500},
		{"a Range ignored", meetingstest.Fault{IgnoreRange: true}, "bytes=500-", 200, generatedBytes(t, 0, size), size},
		{"a chunked body", meetingstest.Fault{Chunked: true}, "", 200, generatedBytes(t, 0, size), -1},
		{"a status with Retry-After", meetingstest.Fault{Status: 503, RetryAfter: "2"}, "", 503, nil, -2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, u := storageFile(t, size)
			require.NoError(t, srv.InjectStorageFault(1, tc.fault))
			req := mustRequest(t, "GET", u)
			if tc.rng != "" {
				req.Header.Set("Range", tc.rng)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, readErr := io.ReadAll(resp.Body)
			assert.Equal(t, tc.status, resp.StatusCode)
			switch {
			case tc.body != nil:
				assert.NoError(t, readErr)
				assert.Equal(t, tc.body, body)
				assert.Equal(t, tc.length, resp.ContentLength)
			case tc.length == -2:
				assert.Equal(t, "2", resp.Header.Get("Retry-After"))
				assert.Contains(t, string(body), "<Code>InjectedFault</Code>")
			default:
				assert.Error(t, readErr, "the body is cut")
				assert.Equal(t, tc.length, resp.ContentLength, "the headers promise the whole answer")
				assert.Equal(t, int(tc.fault.CutAfter), len(body))
				assert.Equal(t, 0, srv.RequestsTo(meetingstest.HostStorage)[0].Status, "logged as cut")
			}
			again, body := send(t, mustRequest(t, "GET", u))
			assert.Equal(t, 200, again.StatusCode, "one fault, one request")
			assert.Len(t, body, size)
		})
	}
}
