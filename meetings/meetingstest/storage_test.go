package meetingstest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// storageFile starts a server holding a generated file of size bytes and returns its download URL.
func storageFile(t *testing.T, size int64) (*meetingstest.Server, string) {
	t.Helper()
	srv := meetingstest.Start(t)
	must(t, srv.AddRecording(meetingstest.Recording{ID: "rec", SessionID: "s"}))
	must(t, srv.SetGeneratedFile("rec", size))
	u, err := srv.DownloadURL("rec")
	must(t, err)
	return srv, u
}

func generatedBytes(t *testing.T, off, n int64) []byte {
	t.Helper()
	r, err := meetingstest.GeneratedContent(off + n)
	must(t, err)
	b := make([]byte, n)
	if _, err := r.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestStorageServesTheWholeFile(t *testing.T) {
	t.Parallel()
	const size = 300_001
	srv, u := storageFile(t, size)
	resp, body := send(t, mustRequest(t, "GET", u))
	if resp.StatusCode != 200 || int64(len(body)) != size {
		t.Fatalf("got %d with %d bytes, want 200 with %d", resp.StatusCode, len(body), size)
	}
	if resp.ContentLength != size || resp.Header.Get("Accept-Ranges") != "bytes" || resp.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("headers %v", resp.Header)
	}
	want, err := srv.FileSHA256("rec")
	must(t, err)
	if got := sha(body); got != want {
		t.Errorf("sha256 %s, want %s", got, want)
	}
	if !bytes.Equal(body, generatedBytes(t, 0, size)) {
		t.Error("served bytes differ from GeneratedContent")
	}
}

func TestStorageServesRanges(t *testing.T) {
	t.Parallel()
	const size = 100_000
	_, u := storageFile(t, size)
	for _, tc := range []struct {
		rng        string
		off, n     int64
		wantStatus int
	}{
		{"bytes=0-9", 0, 10, 206},
		{"bytes=512-1023", 512, 512, 206},
		{"bytes=99990-", 99990, 10, 206},
		{"bytes=-5", size - 5, 5, 206},
		{"bytes=200000-", 0, 0, 416},
	} {
		t.Run(tc.rng, func(t *testing.T) {
			t.Parallel()
			req := mustRequest(t, "GET", u)
			req.Header.Set("Range", tc.rng)
			resp, body := send(t, req)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if tc.wantStatus == 206 {
				if !bytes.Equal(body, generatedBytes(t, tc.off, tc.n)) {
					t.Errorf("range body differs from the file's bytes %d..%d", tc.off, tc.off+tc.n)
				}
				if want := fmt.Sprintf("bytes %d-%d/%d", tc.off, tc.off+tc.n-1, size); resp.Header.Get("Content-Range") != want {
					t.Errorf("Content-Range %q, want %q", resp.Header.Get("Content-Range"), want)
				}
			}
		})
	}
}

func TestStorageRefusesAndCountsCredentials(t *testing.T) {
	t.Parallel()
	srv, u := storageFile(t, 10)
	req := mustRequest(t, "GET", u)
	req.SetBasicAuth("key", "secret")
	resp, body := send(t, req)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidArgument</Code>") {
		t.Errorf("got %d %s, want S3's 400 InvalidArgument", resp.StatusCode, body)
	}
	if n := srv.StorageAuthorizationCount(); n != 1 {
		t.Errorf("StorageAuthorizationCount = %d, want 1", n)
	}
	r := srv.RequestsTo(meetingstest.HostStorage)[0]
	if !r.HasAuthorization || r.AuthScheme != "Basic" || r.Header.Get("Authorization") != "" {
		t.Errorf("logged %+v", r)
	}
	send(t, mustRequest(t, "GET", u))
	if n := srv.StorageAuthorizationCount(); n != 1 {
		t.Errorf("a request without credentials was counted: %d", n)
	}
}

func TestStorageChecksTheURLSignature(t *testing.T) {
	t.Parallel()
	srv, u := storageFile(t, 10)
	for name, tc := range map[string]struct {
		url, wantCode string
		wantStatus    int
	}{
		"no query":           {strings.Split(u, "?")[0], "AccessDenied", 403},
		"tampered signature": {u[:len(u)-4] + "0000", "AccessDenied", 403},
		"unknown file":       {srv.StorageURL + "/recordings/nope/archive.mp4", "AccessDenied", 403},
		"not a file path":    {srv.StorageURL + "/elsewhere", "NoSuchKey", 404},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resp, body := send(t, mustRequest(t, "GET", tc.url))
			if resp.StatusCode != tc.wantStatus || !strings.Contains(string(body), "<Code>"+tc.wantCode+"</Code>") {
				t.Errorf("got %d %s", resp.StatusCode, body)
			}
		})
	}
	t.Run("a signed URL for a missing file is 404", func(t *testing.T) {
		t.Parallel()
		u, _ := srv.DownloadURL("missing")
		if resp, _ := send(t, mustRequest(t, "GET", u)); resp.StatusCode != 404 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

func TestExpireDownloadURLs(t *testing.T) {
	t.Parallel()
	srv, old := storageFile(t, 10)
	srv.ExpireDownloadURLs()
	resp, body := send(t, mustRequest(t, "GET", old))
	if resp.StatusCode != 403 || !strings.Contains(string(body), "Request has expired") {
		t.Errorf("old URL: %d %s", resp.StatusCode, body)
	}
	fresh, _ := srv.DownloadURL("rec")
	if resp, _ := send(t, mustRequest(t, "GET", fresh)); resp.StatusCode != 200 {
		t.Errorf("fresh URL: %d", resp.StatusCode)
	}
}

func TestStorageCutResumesWithRange(t *testing.T) {
	t.Parallel()
	const size, cut = 200_000, 70_000
	srv, u := storageFile(t, size)
	must(t, srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: cut}))

	resp, err := http.Get(u)
	must(t, err)
	if resp.StatusCode != 200 || resp.ContentLength != size {
		t.Fatalf("cut response announced %d %d, want 200 with the full length", resp.StatusCode, resp.ContentLength)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading a cut body: err = %v, want io.ErrUnexpectedEOF", err)
	}
	if len(got) != cut {
		t.Fatalf("got %d bytes before the cut, want %d", len(got), cut)
	}

	req := mustRequest(t, "GET", u)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-", len(got)))
	resp2, rest := send(t, req)
	if resp2.StatusCode != 206 {
		t.Fatalf("resume: %d", resp2.StatusCode)
	}
	want, _ := srv.FileSHA256("rec")
	if s := sha(append(got, rest...)); s != want {
		t.Errorf("resumed file sha256 %s, want %s", s, want)
	}
	if st := srv.RequestsTo(meetingstest.HostStorage)[0].Status; st != 0 {
		t.Errorf("cut request logged with status %d, want 0", st)
	}
}

func TestStorageWithoutRange(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, resp *http.Response, body []byte) {
		t.Helper()
		if resp.StatusCode != 200 || len(body) != 1000 {
			t.Errorf("got %d with %d bytes, want 200 with the whole file", resp.StatusCode, len(body))
		}
	}
	t.Run("IgnoreRange fault", func(t *testing.T) {
		t.Parallel()
		srv, u := storageFile(t, 1000)
		must(t, srv.InjectStorageFault(1, meetingstest.Fault{IgnoreRange: true}))
		req := mustRequest(t, "GET", u)
		req.Header.Set("Range", "bytes=10-")
		resp, body := send(t, req)
		check(t, resp, body)
		resp, body = send(t, req)
		if resp.StatusCode != 206 || len(body) != 990 {
			t.Errorf("after the fault: %d with %d bytes, want 206", resp.StatusCode, len(body))
		}
	})
	t.Run("SetRangeSupport(false)", func(t *testing.T) {
		t.Parallel()
		srv, u := storageFile(t, 1000)
		srv.SetRangeSupport(false)
		req := mustRequest(t, "GET", u)
		req.Header.Set("Range", "bytes=10-")
		resp, body := send(t, req)
		check(t, resp, body)
		if resp.Header.Get("Accept-Ranges") != "" {
			t.Errorf("Accept-Ranges %q without range support", resp.Header.Get("Accept-Ranges"))
		}
	})
}

func TestStorageFaults(t *testing.T) {
	t.Parallel()
	srv, u := storageFile(t, 10)
	must(t, srv.InjectStorageFault(1, meetingstest.Fault{Status: 503, RetryAfter: "2"}))
	must(t, srv.InjectStorageFault(1, meetingstest.Fault{Drop: true}))
	resp, body := send(t, mustRequest(t, "GET", u))
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" || !strings.Contains(string(body), "<Error>") {
		t.Errorf("first: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// A fresh connection: Go's Transport silently retries a GET once when a
	// reused connection closes before answering.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Get(u); err == nil {
		resp.Body.Close()
		t.Errorf("second: %d, want a dropped connection", resp.StatusCode)
	}
	if resp, _ := send(t, mustRequest(t, "GET", u)); resp.StatusCode != 200 {
		t.Errorf("third: %d", resp.StatusCode)
	}
	if err := srv.InjectStorageFault(1, meetingstest.Fault{CutAfter: -1}); err == nil {
		t.Error("a negative CutAfter was accepted")
	}
}

func TestAHugeGeneratedFileCostsNoMemory(t *testing.T) {
	t.Parallel()
	const size = 1 << 40 // 1 TiB: would fail at once if it were allocated
	srv, u := storageFile(t, size)
	resp, _ := send(t, mustRequest(t, "HEAD", u))
	if resp.ContentLength != size {
		t.Fatalf("HEAD Content-Length %d, want %d", resp.ContentLength, size)
	}
	req := mustRequest(t, "GET", u)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-", size-1000))
	resp, body := send(t, req)
	if resp.StatusCode != 206 || !bytes.Equal(body, generatedBytes(t, size-1000, 1000)) {
		t.Errorf("tail: %d, %d bytes", resp.StatusCode, len(body))
	}
	if n, ok := srv.FileSize("rec"); !ok || n != size {
		t.Errorf("FileSize = %d %v", n, ok)
	}
}

func TestGeneratedContent(t *testing.T) {
	t.Parallel()
	a := generatedBytes(t, 0, 200_000)
	if !bytes.Equal(a[:1000], generatedBytes(t, 0, 1000)) {
		t.Error("a shorter file is not a prefix of a longer one")
	}
	// Every 512-byte block differs, also blocks 64 KiB apart (the pattern's period).
	seen := map[string]int{}
	for off := 0; off+512 <= len(a); off += 512 {
		k := string(a[off : off+512])
		if prev, dup := seen[k]; dup {
			t.Fatalf("blocks at %d and %d are equal", prev, off)
		}
		seen[k] = off
	}
	// Reading in odd pieces gives the same bytes as one ReadAt.
	r, _ := meetingstest.GeneratedContent(200_000)
	var pieces []byte
	buf := make([]byte, 777)
	for {
		n, err := r.Read(buf)
		pieces = append(pieces, buf[:n]...)
		if err == io.EOF {
			break
		}
		must(t, err)
	}
	if !bytes.Equal(pieces, a) {
		t.Error("Read in pieces differs from ReadAt")
	}
	sum, err := meetingstest.GeneratedSHA256(200_000)
	must(t, err)
	if sum != sha(a) {
		t.Errorf("GeneratedSHA256 %s, want %s", sum, sha(a))
	}
	if _, err := meetingstest.GeneratedContent(-1); err == nil {
		t.Error("negative size accepted")
	}
	if _, err := meetingstest.GeneratedSHA256(-1); err == nil {
		t.Error("negative size accepted")
	}
}

func TestSetFileBytes(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	content := []byte("hello")
	must(t, srv.SetFile("r", content))
	content[0] = 'j' // the server keeps its own copy
	u, _ := srv.DownloadURL("r")
	resp, body := send(t, mustRequest(t, "GET", u))
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}
	if s, _ := srv.FileSHA256("r"); s != sha([]byte("hello")) {
		t.Errorf("FileSHA256 %s", s)
	}
}

func BenchmarkStorageDownload(b *testing.B) {
	const size = 64 << 20
	srv, err := meetingstest.NewServer()
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	_ = srv.SetGeneratedFile("rec", size)
	u, _ := srv.DownloadURL("rec")
	b.SetBytes(size)
	for b.Loop() {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != size {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkGeneratedContent(b *testing.B) {
	r, _ := meetingstest.GeneratedContent(1 << 62)
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		_, _ = r.Read(buf)
	}
}

func TestStorageChunkedHasNoContentLength(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{10, 100_000} {
		srv, u := storageFile(t, size)
		must(t, srv.InjectStorageFault(1, meetingstest.Fault{Chunked: true}))
		resp, body := send(t, mustRequest(t, "GET", u))
		if resp.StatusCode != 200 || resp.ContentLength != -1 || int64(len(body)) != size {
			t.Errorf("size %d: got %d, Content-Length %d, %d bytes; want 200, unknown length, the whole file",
				size, resp.StatusCode, resp.ContentLength, len(body))
		}
	}
	srv := meetingstest.Start(t)
	if err := srv.InjectAPIFault(1, meetingstest.Fault{Chunked: true}); err == nil {
		t.Error("Chunked accepted on the API host")
	}
}
