package download

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// period is the length of the repeating pattern of generated files; a prime,
// so that a byte written at a wrong offset shows.
const period = 65521

var pattern = func() []byte {
	p := make([]byte, period)
	for i := range p {
		p[i] = byte(i*131 + i>>8)
	}
	return p
}()

// generated is an io.ReadSeeker over a deterministic file of any size that
// holds only the 64 KiB pattern in memory.
type generated struct {
	size, off int64
}

func (g *generated) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	if rest := g.size - g.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n := 0
	for n < len(p) {
		n += copy(p[n:], pattern[(g.off+int64(n))%period:])
	}
	g.off += int64(n)
	return n, nil
}

func (g *generated) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += g.off
	case io.SeekEnd:
		offset += g.size
	}
	if offset < 0 {
		return 0, fmt.Errorf("seek to %d", offset)
	}
	g.off = offset
	return offset, nil
}

// content returns the generated file of size bytes, for comparisons.
func content(size int64) []byte {
	b, _ := io.ReadAll(&generated{size: size})
	return b
}

// storage is a fake storage host serving one generated file, with faults.
type storage struct {
	size int64

	mu      sync.Mutex
	etag    string // sent as ETag when set
	headers []http.Header
	// cuts maps an attempt (0 = first request) to the absolute offset after
	// which the connection is dropped, while announcing the full length.
	cuts map[int]int64
	// ranges: "" serves Range with http.ServeContent; "refuse" answers every
	// request with 200 and the whole file; "none" does the same and also
	// sends "Accept-Ranges: none".
	ranges string
	// before, when set, runs first and may answer on its own (returns true).
	before func(attempt int, w http.ResponseWriter, r *http.Request) bool
}

var modTime = time.Date(2026, 11, 2, 15, 53, 28, 0, time.UTC)

func (s *storage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	attempt := len(s.headers)
	s.headers = append(s.headers, r.Header.Clone())
	etag, ranges := s.etag, s.ranges
	cut, cutting := s.cuts[attempt]
	s.mu.Unlock()

	if s.before != nil && s.before(attempt, w, r) {
		return
	}
	if etag != "" {
		w.Header().Set("ETag", etag)
	}
	if ranges != "" {
		r.Header.Del("Range")
		if ranges == "none" {
			w.Header().Set("Accept-Ranges", "none")
		}
	}
	if cutting {
		s.serveCut(w, r, cut)
		return
	}
	if ranges != "" {
		w.Header().Set("Content-Length", strconv.FormatInt(s.size, 10))
		io.Copy(w, &generated{size: s.size})
		return
	}
	http.ServeContent(w, r, "", modTime, &generated{size: s.size})
}

// serveCut answers like a server whose connection drops after byte cut: the
// headers announce the whole (rest of the) file, the body stops short.
func (s *storage) serveCut(w http.ResponseWriter, r *http.Request, cut int64) {
	var start int64
	status := "200 OK"
	extra := ""
	if v := r.Header.Get("Range"); v != "" {
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(v, "bytes="), "-"), 10, 64)
		if err != nil {
			panic(err)
		}
		start, status = n, "206 Partial Content"
		extra = fmt.Sprintf("Content-Range: bytes %d-%d/%d\r\n", start, s.size-1, s.size)
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %s\r\nContent-Length: %d\r\nLast-Modified: %s\r\n%s",
		status, s.size-start, modTime.Format(http.TimeFormat), extra)
	for k, vs := range w.Header() {
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	if w.Header().Get("Accept-Ranges") == "" {
		buf.WriteString("Accept-Ranges: bytes\r\n")
	}
	buf.WriteString("\r\n")
	io.Copy(buf, io.NewSectionReader(&readerAt{s.size}, start, cut-start))
	buf.Flush()
}

type readerAt struct{ size int64 }

func (r *readerAt) ReadAt(p []byte, off int64) (int, error) {
	g := &generated{size: r.size, off: off}
	return io.ReadFull(g, p)
}

func (s *storage) requests() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.headers...)
}

func (s *storage) setETag(etag string) {
	s.mu.Lock()
	s.etag = etag
	s.mu.Unlock()
}

// serve starts s on loopback http and returns the file's URL, carrying a
// fake signature in its query like a real storage URL.
func serve(t *testing.T, s *storage) string {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/recordings/rec-1.mp4?X-Amz-Signature=" + signature
}

// signature stands for the storage URL's secret; no error may show it.
const signature = "SIGNATURE-SECRET-0123456789"

// quick allows 3 retries and keeps their waits at a millisecond.
var quick = Options{MaxRetries: 3, RetryWait: time.Millisecond}

// progress records Progress calls.
type progress struct {
	calls [][2]int64
}

func (p *progress) hook(done, total int64) { p.calls = append(p.calls, [2]int64{done, total}) }

// quickWithProgress is quick with a progress recorder attached.
func quickWithProgress() (Options, *progress) {
	p := &progress{}
	o := quick
	o.Progress = p.hook
	return o, p
}

// answerResume makes s answer its second request (the first resume) with
// answer instead of the file.
func (s *storage) answerResume(answer func(http.ResponseWriter)) {
	s.before = func(attempt int, w http.ResponseWriter, _ *http.Request) bool {
		if attempt != 1 {
			return false
		}
		answer(w)
		return true
	}
}

func (p *progress) last() [2]int64 {
	if len(p.calls) == 0 {
		return [2]int64{-2, -2}
	}
	return p.calls[len(p.calls)-1]
}

func TestGeneratedIsDeterministicAndSeekable(t *testing.T) {
	t.Parallel()
	a := content(200000)
	g := &generated{size: 200000}
	if _, err := g.Seek(70000, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(g)
	if !bytes.Equal(a[70000:], b) {
		t.Fatal("seeked read differs from the file's tail")
	}
	if bytes.Equal(a[:1000], a[period:period+1000]) == false {
		t.Fatal("pattern does not repeat with its period")
	}
}
