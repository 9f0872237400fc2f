package download

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestToWritesTheWholeFile(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{0, 1, bufferSize - 1, bufferSize + 1, 3<<20 + 7} {
		t.Run(byteCount(size), func(t *testing.T) {
			t.Parallel()
			s := &storage{size: size, etag: `"v1"`}
			var got bytes.Buffer
			o, p := quickWithProgress()
			n, err := To(context.Background(), nil, serve(t, s), &got, o)
			if err != nil {
				t.Fatal(err)
			}
			if n != size || !bytes.Equal(got.Bytes(), content(size)) {
				t.Fatalf("got %d bytes (n=%d), want the %d-byte file", got.Len(), n, size)
			}
			if p.calls[0] != [2]int64{0, size} {
				t.Errorf("first progress call = %v, want [0 %d]", p.calls[0], size)
			}
			if p.last() != [2]int64{size, size} {
				t.Errorf("last progress call = %v, want [%d %d]", p.last(), size, size)
			}
			for i := 1; i < len(p.calls); i++ {
				if p.calls[i][0] < p.calls[i-1][0] {
					t.Fatalf("progress went back: %v", p.calls)
				}
			}
			reqs := s.requests()
			if len(reqs) != 1 {
				t.Fatalf("sent %d requests, want 1", len(reqs))
			}
			if got := reqs[0].Get("Accept-Encoding"); got != "identity" {
				t.Errorf("Accept-Encoding = %q, want identity", got)
			}
		})
	}
}

func byteCount(n int64) string { return itoa(n) + "B" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestToReportsUnknownSizeAsMinusOne(t *testing.T) {
	t.Parallel()
	const size = 300000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Flushing before the end makes the body chunked, without Content-Length.
		io.CopyN(w, &generated{size: size}, 1000)
		w.(http.Flusher).Flush()
		io.Copy(w, &generated{size: size, off: 1000})
	}))
	defer srv.Close()
	var got bytes.Buffer
	o, p := quickWithProgress()
	n, err := To(context.Background(), nil, srv.URL, &got, o)
	if err != nil {
		t.Fatal(err)
	}
	if n != size || !bytes.Equal(got.Bytes(), content(size)) {
		t.Fatalf("got %d bytes, want %d", n, size)
	}
	if p.last() != [2]int64{size, -1} {
		t.Errorf("last progress call = %v, want [%d -1]", p.last(), size)
	}
}

func TestToNeverSendsCredentials(t *testing.T) {
	t.Parallel()
	// A redirect and a resume: every request the download makes is checked.
	s := &storage{size: 500000, etag: `"v1"`, cuts: map[int]int64{0: 200000}}
	target := serve(t, s)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, k := range []string{"Authorization", "Cookie"} {
			if v := r.Header.Get(k); v != "" {
				t.Errorf("redirecting host got %s: %q", k, v)
			}
		}
		http.Redirect(w, r, target, http.StatusFound)
	}))
	defer front.Close()

	// Even a client with a cookie jar holding a cookie for the host sends none.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{front.URL, target} {
		u, _ := url.Parse(raw)
		jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "secret"}})
	}
	n, err := To(context.Background(), &http.Client{Jar: jar}, front.URL+"/r?sig=1", io.Discard, quick)
	if err != nil || n != s.size {
		t.Fatalf("To = %d, %v; want %d, nil", n, err, s.size)
	}
	reqs := s.requests()
	if len(reqs) < 2 {
		t.Fatalf("storage saw %d requests, want the first and a resume", len(reqs))
	}
	for i, h := range reqs {
		for _, k := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
			if v := h.Get(k); v != "" {
				t.Errorf("request %d carried %s: %q", i, k, v)
			}
		}
	}
}

func TestToRefusesUnsafeURLsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url string
		insecure  bool // wraps ErrInsecureURL
		want      string
	}{
		{"empty", "", false, "URL is empty"},
		{"plain http to a remote host", "http://storage.example.com/rec.mp4?sig=" + signature, true, "only https is allowed"},
		{"http to a loopback-looking name", "http://localhost.example.com/x", true, "only https"},
		{"other scheme", "ftp://storage.example.com/rec.mp4", false, `scheme "ftp"`},
		{"relative", "/rec.mp4", false, "has no host"},
		{"no host", "https:///rec.mp4", false, "has no host"},
		{"user credentials", "https://user:pass@storage.example.com/rec.mp4", true, "carries user credentials"},
		{"user credentials on loopback", "http://user:pass@127.0.0.1/rec.mp4", true, "carries user credentials"},
		{"malformed", "https://storage.example.com/%zz?sig=" + signature, false, "malformed URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				t.Errorf("request sent to %s", r.URL.Host)
				return nil, errors.New("no")
			})}
			_, err := To(context.Background(), hc, tc.url, io.Discard, quick)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if errors.Is(err, ErrInsecureURL) != tc.insecure {
				t.Errorf("errors.Is(err, ErrInsecureURL) = %v, want %v (%v)", !tc.insecure, tc.insecure, err)
			}
			for _, secret := range []string{signature, "pass"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows %q: %v", secret, err)
				}
			}
		})
	}
}

func TestLoopbackHostsMayUseHTTP(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"http://127.0.0.1:8080/f", "http://127.9.8.7/f", "http://[::1]:9000/f",
		"http://localhost/f", "http://LOCALHOST:1/f", "https://storage.example.com/f",
	} {
		if _, err := parseURL(raw); err != nil {
			t.Errorf("parseURL(%q) = %v, want nil", raw, err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestToRefusesRedirectFromHTTPSToHTTP(t *testing.T) {
	t.Parallel()
	plain := &storage{size: 10}
	plainURL := serve(t, plain)
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plainURL, http.StatusFound)
	}))
	defer secure.Close()

	_, err := To(context.Background(), secure.Client(), secure.URL+"/r?sig="+signature, io.Discard, quick)
	if !errors.Is(err, ErrInsecureURL) || !strings.Contains(err.Error(), "redirect from https") {
		t.Fatalf("err = %v, want a refused https-to-http redirect", err)
	}
	if strings.Contains(err.Error(), signature) {
		t.Errorf("error shows the signature: %v", err)
	}
	if n := len(plain.requests()); n != 0 {
		t.Errorf("the http host got %d requests", n)
	}
}

func TestToRefusesRedirectToRemoteHTTP(t *testing.T) {
	t.Parallel()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://storage.example.com/rec.mp4?sig="+signature, http.StatusFound)
	}))
	defer front.Close()
	_, err := To(context.Background(), nil, front.URL, io.Discard, quick)
	if !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("err = %v, want ErrInsecureURL", err)
	}
	if strings.Contains(err.Error(), signature) {
		t.Errorf("error shows the signature: %v", err)
	}
}

func TestToReportsStatusWithoutQuery(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Request has expired</Message><RequestId>1</RequestId></Error>`)
	}))
	defer srv.Close()

	_, err := To(context.Background(), nil, srv.URL+"/rec.mp4?X-Amz-Signature="+signature, io.Discard, quick)
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *StatusError", err)
	}
	if se.StatusCode != 403 || se.Code != "AccessDenied" || se.Message != "Request has expired" {
		t.Errorf("StatusError = %+v", se)
	}
	want := "download " + srv.URL + "/rec.mp4: server answered 403 Forbidden (AccessDenied: Request has expired)"
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
}

func TestToHidesQueryInConnectionErrors(t *testing.T) {
	t.Parallel()
	// A host that drops every connection without answering. (Not a closed
	// server: its port could be reused by another test's server meanwhile.)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	_, err := To(context.Background(), nil, srv.URL+"/rec.mp4?X-Amz-Signature="+signature, io.Discard, Options{MaxRetries: -1})
	if err == nil {
		t.Fatal("no error from a host that drops connections")
	}
	if strings.Contains(err.Error(), signature) || strings.Contains(err.Error(), "X-Amz") {
		t.Errorf("error shows the query: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.HasSuffix(ue.URL, "/rec.mp4") {
		t.Errorf("err = %#v, want a *url.Error with the redacted URL", err)
	}
}

func TestToRetries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		statuses []int // answers before the file is served
		retries  int
		wantReqs int
		wantCode int // 0: success
	}{
		{"503 then the file", []int{503}, 3, 2, 0},
		{"429, 500, 502 then the file", []int{429, 500, 502}, 3, 4, 0},
		{"404 is final", []int{404}, 3, 1, 404},
		{"501 is final", []int{501}, 3, 1, 501},
		{"503 beyond the budget", []int{503, 503, 503}, 2, 3, 503},
		{"no retries", []int{503}, -1, 1, 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &storage{size: 1000, before: func(attempt int, w http.ResponseWriter, r *http.Request) bool {
				if attempt < len(tc.statuses) {
					w.WriteHeader(tc.statuses[attempt])
					return true
				}
				return false
			}}
			o := quick
			o.MaxRetries = tc.retries
			var got bytes.Buffer
			_, err := To(context.Background(), nil, serve(t, s), &got, o)
			if n := len(s.requests()); n != tc.wantReqs {
				t.Errorf("sent %d requests, want %d", n, tc.wantReqs)
			}
			var se *StatusError
			switch {
			case tc.wantCode == 0 && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantCode == 0 && !bytes.Equal(got.Bytes(), content(1000)):
				t.Fatal("wrong content")
			case tc.wantCode != 0 && (!errors.As(err, &se) || se.StatusCode != tc.wantCode):
				t.Fatalf("err = %v, want status %d", err, tc.wantCode)
			}
		})
	}
}

func TestToResumesAfterCutConnections(t *testing.T) {
	t.Parallel()
	const size = 1<<20 + 123
	for _, tc := range []struct {
		name string
		etag string
		cuts map[int]int64
	}{
		{"one cut, with ETag", `"abc"`, map[int]int64{0: 300000}},
		{"one cut, Last-Modified only", "", map[int]int64{0: 300000}},
		{"cut before any byte", `"abc"`, map[int]int64{0: 0}},
		{"three cuts", `"abc"`, map[int]int64{0: 1000, 1: 5000, 2: size - 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &storage{size: size, etag: tc.etag, cuts: tc.cuts}
			var got bytes.Buffer
			o, p := quickWithProgress()
			n, err := To(context.Background(), nil, serve(t, s), &got, o)
			if err != nil {
				t.Fatal(err)
			}
			if n != size || !bytes.Equal(got.Bytes(), content(size)) {
				t.Fatalf("got %d bytes, want the %d-byte file", n, size)
			}
			reqs := s.requests()
			if len(reqs) != len(tc.cuts)+1 {
				t.Fatalf("sent %d requests, want %d", len(reqs), len(tc.cuts)+1)
			}
			if reqs[0].Get("Range") != "" {
				t.Errorf("first request sent Range %q", reqs[0].Get("Range"))
			}
			wantIfRange := tc.etag
			if wantIfRange == "" {
				wantIfRange = modTime.Format(http.TimeFormat)
			}
			for i := 1; i < len(reqs); i++ {
				if want := "bytes=" + itoa(tc.cuts[i-1]) + "-"; reqs[i].Get("Range") != want {
					t.Errorf("request %d: Range = %q, want %q", i, reqs[i].Get("Range"), want)
				}
				if reqs[i].Get("If-Range") != wantIfRange {
					t.Errorf("request %d: If-Range = %q, want %q", i, reqs[i].Get("If-Range"), wantIfRange)
				}
			}
			if p.last() != [2]int64{size, size} {
				t.Errorf("last progress = %v", p.last())
			}
		})
	}
}

func TestToFailsWhenItCannotResume(t *testing.T) {
	t.Parallel()
	const size, cut = 100000, 40000
	for _, tc := range []struct {
		name     string
		s        *storage
		change   bool // replace the file (new ETag) after the first request
		wantErr  error
		wantReqs int
		wantText string
	}{
		{
			name: "server answers 200 to Range", wantErr: ErrNotResumable, wantReqs: 2,
			s:        &storage{size: size, etag: `"v1"`, ranges: "refuse", cuts: map[int]int64{0: cut}},
			wantText: "answered 200 OK to a Range request",
		},
		{
			name: "server sent Accept-Ranges: none", wantErr: ErrNotResumable, wantReqs: 1,
			s:        &storage{size: size, ranges: "none", cuts: map[int]int64{0: cut}},
			wantText: "Accept-Ranges: none",
		},
		{
			name: "file changed between attempts", wantErr: ErrChanged, wantReqs: 2, change: true,
			s:        &storage{size: size, etag: `"v1"`, cuts: map[int]int64{0: cut}},
			wantText: "file changed",
		},
		{
			name: "every attempt cut at the same byte", wantErr: io.ErrUnexpectedEOF, wantReqs: 4,
			s:        &storage{size: size, etag: `"v1"`, cuts: map[int]int64{0: cut, 1: cut, 2: cut, 3: cut}},
			wantText: "and 3 resume attempts",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.change {
				tc.s.before = func(attempt int, w http.ResponseWriter, r *http.Request) bool {
					if attempt == 0 {
						defer tc.s.setETag(`"v2"`)
					}
					return false
				}
			}
			var got bytes.Buffer
			n, err := To(context.Background(), nil, serve(t, tc.s), &got, quick)
			if !errors.Is(err, tc.wantErr) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("err = %v, want %v wrapping io.ErrUnexpectedEOF", err, tc.wantErr)
			}
			for _, want := range []string{tc.wantText, "40000 of 100000 bytes"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), signature) {
				t.Errorf("error shows the signature: %v", err)
			}
			if n != cut || !bytes.Equal(got.Bytes(), content(cut)) {
				t.Errorf("writer got %d bytes (n=%d), want exactly the first %d: never restarted into it", got.Len(), n, cut)
			}
			if reqs := len(tc.s.requests()); reqs != tc.wantReqs {
				t.Errorf("sent %d requests, want %d", reqs, tc.wantReqs)
			}
		})
	}
}

func TestToRejectsResumeThatDoesNotMatch(t *testing.T) {
	t.Parallel()
	const size, cut = 10000, 4000
	for _, tc := range []struct {
		name    string
		answer  func(w http.ResponseWriter)
		wantErr error
	}{
		{"wrong offset", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "bytes 0-9999/10000")
			w.Header().Set("Content-Length", "10000")
			w.WriteHeader(http.StatusPartialContent)
			io.Copy(w, &generated{size: 10000})
		}, ErrNotResumable},
		{"Content-Length disagrees with Content-Range", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "bytes 4000-9999/10000")
			w.Header().Set("Content-Length", "10")
			w.WriteHeader(http.StatusPartialContent)
			io.Copy(w, &generated{size: 10})
		}, ErrNotResumable},
		{"malformed Content-Range", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "pages 1-2")
			w.WriteHeader(http.StatusPartialContent)
		}, ErrNotResumable},
		{"new ETag despite If-Range", func(w http.ResponseWriter) {
			w.Header().Set("ETag", `"v2"`)
			w.Header().Set("Content-Range", "bytes 4000-9999/10000")
			w.WriteHeader(http.StatusPartialContent)
		}, ErrChanged},
		{"other size", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "bytes 4000-19999/20000")
			w.WriteHeader(http.StatusPartialContent)
		}, ErrChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &storage{size: size, etag: `"v1"`, cuts: map[int]int64{0: cut}}
			s.answerResume(tc.answer)
			var got bytes.Buffer
			_, err := To(context.Background(), nil, serve(t, s), &got, quick)
			if !errors.Is(err, tc.wantErr) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got.Len() != cut {
				t.Errorf("writer got %d bytes, want %d", got.Len(), cut)
			}
		})
	}
}

func TestToReportsAFinalAnswerToAResumeAsCut(t *testing.T) {
	t.Parallel()
	const size, cut = 100, 40
	for _, code := range []int{http.StatusForbidden, http.StatusNotFound, http.StatusRequestedRangeNotSatisfiable} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			s := &storage{size: size, etag: `"v1"`, cuts: map[int]int64{0: cut}}
			s.answerResume(func(w http.ResponseWriter) { w.WriteHeader(code) })
			var got bytes.Buffer
			n, err := To(context.Background(), nil, serve(t, s), &got, quick)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("err = %v, want it to wrap io.ErrUnexpectedEOF: the body was cut short", err)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.StatusCode != code {
				t.Errorf("err = %v, want a *StatusError with status %d", err, code)
			}
			if err != nil && !strings.Contains(err.Error(), "40 of 100 bytes") {
				t.Errorf("error %q does not give the byte counts", err)
			}
			if n != cut || got.Len() != cut {
				t.Errorf("n = %d, writer got %d bytes; want %d", n, got.Len(), cut)
			}
		})
	}
}

func TestToFailsOnShortBodyWithoutRangeSupport(t *testing.T) {
	t.Parallel()
	// The server announces 1000 bytes, sends 500 and closes: a lying
	// Content-Length, and Range is not supported.
	s := &storage{size: 1000, ranges: "none", cuts: map[int]int64{0: 500}}
	var got bytes.Buffer
	n, err := To(context.Background(), nil, serve(t, s), &got, quick)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
	}
	if !strings.Contains(err.Error(), "500 of 1000 bytes") {
		t.Errorf("error %q does not give the byte counts", err)
	}
	if n != 500 {
		t.Errorf("n = %d, want 500", n)
	}
}

func TestToFailsWhenBodyExceedsContentRange(t *testing.T) {
	t.Parallel()
	s := &storage{size: 10000, etag: `"v1"`, cuts: map[int]int64{0: 4000}}
	s.before = func(attempt int, w http.ResponseWriter, r *http.Request) bool {
		if attempt == 1 {
			w.Header().Set("Content-Range", "bytes 4000-4999/10000")
			w.WriteHeader(http.StatusPartialContent)
			w.(http.Flusher).Flush() // chunked: no Content-Length to stop the body
			io.Copy(w, io.NewSectionReader(&readerAt{10000}, 4000, 6000))
			return true
		}
		return false
	}
	_, err := To(context.Background(), nil, serve(t, s), io.Discard, quick)
	if err == nil || !strings.Contains(err.Error(), "more than the 5000 bytes it announced") {
		t.Fatalf("err = %v, want a body longer than announced", err)
	}
}

func TestToFetchesTheRestWhenA206CoversLess(t *testing.T) {
	t.Parallel()
	const size = 10000
	s := &storage{size: size, etag: `"v1"`, cuts: map[int]int64{0: 4000}}
	s.before = func(attempt int, w http.ResponseWriter, r *http.Request) bool {
		if attempt == 1 { // a server that hands out 1000 bytes at most
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Range", "bytes 4000-4999/10000")
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(http.StatusPartialContent)
			io.Copy(w, io.NewSectionReader(&readerAt{size}, 4000, 1000))
			return true
		}
		return false
	}
	var got bytes.Buffer
	o := quick
	o.MaxRetries = 1 // the follow-up range request is not a retry
	n, err := To(context.Background(), nil, serve(t, s), &got, o)
	if err != nil || n != size || !bytes.Equal(got.Bytes(), content(size)) {
		t.Fatalf("To = %d, %v; want the whole %d-byte file", n, err, size)
	}
	if reqs := s.requests(); len(reqs) != 3 || reqs[2].Get("Range") != "bytes=5000-" {
		t.Errorf("requests = %v, want a third asking for bytes=5000-", reqs)
	}
}

type failingWriter struct{ after int }

var errDiskFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.after {
		n := f.after
		f.after = 0
		return n, errDiskFull
	}
	f.after -= len(p)
	return len(p), nil
}

func TestToStopsAtAWriteError(t *testing.T) {
	t.Parallel()
	s := &storage{size: 1 << 20}
	n, err := To(context.Background(), nil, serve(t, s), &failingWriter{after: 1000}, quick)
	if !errors.Is(err, errDiskFull) || n != 1000 {
		t.Fatalf("To = %d, %v; want 1000, disk full", n, err)
	}
	if reqs := len(s.requests()); reqs != 1 {
		t.Errorf("sent %d requests after a write error, want 1", reqs)
	}
}

func TestToRefusesNilWriter(t *testing.T) {
	t.Parallel()
	if _, err := To(context.Background(), nil, "https://storage.example.com/f", nil, quick); err == nil {
		t.Fatal("no error for a nil writer")
	}
}

func TestToStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	t.Run("mid-body", func(t *testing.T) {
		t.Parallel()
		s := &storage{size: 64 << 20}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		o := quick
		o.Progress = func(done, total int64) {
			if done > 0 {
				cancel()
			}
		}
		n, err := To(ctx, nil, serve(t, s), io.Discard, o)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n >= s.size {
			t.Errorf("read the whole file (%d bytes) after cancel", n)
		}
		if reqs := len(s.requests()); reqs != 1 {
			t.Errorf("sent %d requests, want 1: no resume after cancel", reqs)
		}
	})
	t.Run("during a retry wait", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &storage{size: 10, before: func(attempt int, w http.ResponseWriter, r *http.Request) bool {
			// A retryable answer, then the context ends: the client, about
			// to wait an hour before retrying, must stop at once instead.
			w.WriteHeader(http.StatusServiceUnavailable)
			w.(http.Flusher).Flush()
			cancel()
			return true
		}}
		_, err := To(ctx, nil, serve(t, s), io.Discard, Options{MaxRetries: 3, RetryWait: time.Hour})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := To(ctx, nil, serve(t, &storage{size: 10}), io.Discard, quick)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestParseContentRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in                string
		first, last, size int64
		ok                bool
	}{
		{"bytes 0-9/10", 0, 9, 10, true},
		{"bytes 500-999/*", 500, 999, -1, true},
		{"bytes 5-4/10", 0, 0, 0, false},
		{"bytes 0-10/10", 0, 0, 0, false},
		{"bytes */10", 0, 0, 0, false},
		{"items 0-9/10", 0, 0, 0, false},
		{"bytes -1-9/10", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		first, last, size, err := parseContentRange(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (first != tc.first || last != tc.last || size != tc.size)) {
			t.Errorf("parseContentRange(%q) = %d, %d, %d, %v", tc.in, first, last, size, err)
		}
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-9/10", "bytes 1-2/*", "bytes 9-1/3", "bytes x-y/z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, last, size, err := parseContentRange(s)
		if err != nil {
			return
		}
		if first < 0 || last < first || (size != -1 && size <= last) {
			t.Fatalf("parseContentRange(%q) accepted %d-%d/%d", s, first, last, size)
		}
	})
}

func TestClipKeepsRunesWhole(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("a", 199) + "é" + "rest" // é spans bytes 199 and 200
	got := clip(s)
	if got != strings.Repeat("a", 199)+"…" {
		t.Errorf("clip = %q, want 199 a's and an ellipsis", got)
	}
	if short := clip("  héllo  "); short != "héllo" {
		t.Errorf("clip of a short string = %q", short)
	}
}
