package download

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists dir's file names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestToFileSavesTheFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		s    *storage
	}{
		{"in one go", &storage{size: 1<<20 + 5, etag: `"v1"`}},
		{"resumed after a cut", &storage{size: 1<<20 + 5, etag: `"v1"`, cuts: map[int]int64{0: 70000}}},
		// A file can be rewound, so ToFile starts over where To must fail.
		{"started over when Range is refused", &storage{size: 1<<20 + 5, ranges: "refuse", cuts: map[int]int64{0: 70000}}},
		{"started over when the file changed", &storage{size: 1<<20 + 5, etag: `"v1"`, cuts: map[int]int64{0: 70000}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if strings.Contains(tc.name, "changed") {
				tc.s.before = func(attempt int, w http.ResponseWriter, r *http.Request) bool {
					if attempt == 0 {
						defer tc.s.setETag(`"v2"`)
					}
					return false
				}
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "rec-1.mp4")
			o, p := quickWithProgress()
			n, err := ToFile(context.Background(), nil, serve(t, tc.s), path, o)
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.s.size || !bytes.Equal(got, content(tc.s.size)) {
				t.Fatalf("file has %d bytes (n=%d), want the %d-byte file", len(got), n, tc.s.size)
			}
			if names := entries(t, dir); len(names) != 1 {
				t.Errorf("directory holds %v, want only rec-1.mp4", names)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
			}
			if p.last() != [2]int64{tc.s.size, tc.s.size} {
				t.Errorf("last progress = %v", p.last())
			}
		})
	}
}

func TestToFileReplacesAnExistingFileOnlyWhenComplete(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.mp4")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// While the download runs, the old file is still whole under its name.
	s := &storage{size: 500000, etag: `"v1"`}
	s.before = func(attempt int, w http.ResponseWriter, r *http.Request) bool {
		if got, err := os.ReadFile(path); err != nil || string(got) != "old" {
			t.Errorf("during the download, %s holds %q, %v", path, got, err)
		}
		return false
	}
	if _, err := ToFile(context.Background(), nil, serve(t, s), path, quick); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, content(s.size)) {
		t.Fatal("existing file was not replaced by the download")
	}
}

func TestToFileLeavesNothingBehindOnFailure(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		s       *storage
		ctx     func() context.Context
		wantErr error
	}{
		{"404", &storage{size: 10, before: func(_ int, w http.ResponseWriter, _ *http.Request) bool {
			http.NotFound(w, nil)
			return true
		}}, context.Background, nil},
		{"body cut, not resumable", &storage{size: 100000, ranges: "none", cuts: map[int]int64{0: 1, 1: 1, 2: 1, 3: 1}}, context.Background, io.ErrUnexpectedEOF},
		{"cancelled", &storage{size: 100000}, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.mp4")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ToFile(tc.ctx(), nil, serve(t, tc.s), path, quick)
			if err == nil || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if names := entries(t, dir); len(names) != 1 || names[0] != "rec.mp4" {
				t.Errorf("directory holds %v, want only the untouched rec.mp4", names)
			}
			if got, _ := os.ReadFile(path); string(got) != "old" {
				t.Errorf("existing file now holds %q", got)
			}
		})
	}
}

func TestToFileRefusesBadPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := &storage{size: 10}
	u := serve(t, s)
	for _, tc := range []struct{ name, path, want string }{
		{"empty", "", "file path is empty"},
		{"a directory", dir, "is a directory"},
		{"missing directory", filepath.Join(dir, "nope", "rec.mp4"), "creating temporary file"},
	} {
		_, err := ToFile(context.Background(), nil, u, tc.path, quick)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one saying %q", tc.name, err, tc.want)
		}
	}
	if n := len(s.requests()); n != 0 {
		t.Errorf("sent %d requests for bad paths", n)
	}
	if _, err := ToFile(context.Background(), nil, "http://storage.example.com/f", filepath.Join(dir, "f"), quick); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("err = %v, want ErrInsecureURL", err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v, want nothing", names)
	}
}

func TestToFileInTheCurrentDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := &storage{size: 1000}
	if _, err := ToFile(context.Background(), nil, serve(t, s), "rec.mp4", quick); err != nil {
		t.Fatal(err)
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "rec.mp4" {
		t.Errorf("directory holds %v", names)
	}
}

func TestToFileStartsOverWhenTheResumeDoesNotMatch(t *testing.T) {
	t.Parallel()
	const size, cut = 10000, 1000
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
	}{
		{"wrong offset", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "bytes 500-9999/10000")
			w.Header().Set("Content-Length", "9500")
			w.WriteHeader(http.StatusPartialContent)
			io.Copy(w, &generated{size: size, off: 500})
		}},
		{"Content-Length disagrees with Content-Range", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "bytes 1000-9999/10000")
			w.Header().Set("Content-Length", "10")
			w.WriteHeader(http.StatusPartialContent)
			io.Copy(w, &generated{size: 10})
		}},
		{"malformed Content-Range", func(w http.ResponseWriter) {
			w.Header().Set("Content-Range", "pages 1-2")
			w.WriteHeader(http.StatusPartialContent)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &storage{size: size, etag: `"v1"`, cuts: map[int]int64{0: cut}}
			s.answerResume(tc.answer)
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.mp4")
			n, err := ToFile(context.Background(), nil, serve(t, s), path, quick)
			if err != nil {
				t.Fatalf("ToFile = %d, %v; want it to start over and succeed", n, err)
			}
			got, _ := os.ReadFile(path)
			if n != size || !bytes.Equal(got, content(size)) {
				t.Fatalf("file has %d bytes (n=%d), want the %d-byte file", len(got), n, size)
			}
			reqs := s.requests()
			if len(reqs) != 3 {
				t.Fatalf("sent %d requests, want 3 (first, resume, start over)", len(reqs))
			}
			if r := reqs[2].Get("Range"); r != "" {
				t.Errorf("starting over sent Range %q, want none", r)
			}
			if names := entries(t, dir); len(names) != 1 {
				t.Errorf("directory holds %v, want only rec.mp4", names)
			}
		})
	}
}

func TestToFileGivesUpStartingOverAfterMaxRetries(t *testing.T) {
	t.Parallel()
	// Every resume answers at the wrong offset: each start over costs a retry.
	s := &storage{size: 10000, etag: `"v1"`, cuts: map[int]int64{0: 1000, 2: 1000, 4: 1000, 6: 1000}}
	s.before = func(attempt int, w http.ResponseWriter, r *http.Request) bool {
		if attempt%2 == 1 {
			w.Header().Set("Content-Range", "bytes 0-9999/10000")
			w.WriteHeader(http.StatusPartialContent)
			return true
		}
		return false
	}
	dir := t.TempDir()
	_, err := ToFile(context.Background(), nil, serve(t, s), filepath.Join(dir, "rec.mp4"), quick)
	if !errors.Is(err, ErrNotResumable) {
		t.Fatalf("err = %v, want ErrNotResumable", err)
	}
	if strings.Contains(err.Error(), signature) {
		t.Errorf("error shows the signature: %v", err)
	}
	if reqs := len(s.requests()); reqs > 8 {
		t.Errorf("sent %d requests, want the retry budget to bound them", reqs)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v, want nothing", names)
	}
}

func TestToFileLeavesNothingBehindWhenProgressPanics(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.mp4")
	o := quick
	o.Progress = func(done, total int64) {
		if done > 0 {
			panic("user's progress callback failed")
		}
	}
	func() {
		defer func() {
			if r := recover(); r != "user's progress callback failed" {
				t.Errorf("recovered %v, want the callback's panic to propagate", r)
			}
		}()
		_, _ = ToFile(context.Background(), nil, serve(t, &storage{size: 500000}), path, o)
	}()
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v after the panic, want nothing", names)
	}
}

// TestToFileRefusesWhatIsNotARegularFile pins that ToFile never replaces a
// symlink, a FIFO or another special file at path: renaming onto it would
// swap it for a regular file (as root, a device such as /dev/null too)
// without telling the caller. Everything lives in t.TempDir().
func TestToFileRefusesWhatIsNotARegularFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		make func(t *testing.T, path string)
		want []string
	}{
		{"symlink to a file", func(t *testing.T, path string) {
			target := filepath.Join(filepath.Dir(path), "target.mp4")
			if err := os.WriteFile(target, []byte("target"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}, []string{"is a symbolic link", "resolved path"}},
		{"dangling symlink", func(t *testing.T, path string) {
			if err := os.Symlink(filepath.Join(filepath.Dir(path), "missing.mp4"), path); err != nil {
				t.Fatal(err)
			}
		}, []string{"is a symbolic link"}},
		{"symlink to a directory", func(t *testing.T, path string) {
			if err := os.Symlink(t.TempDir(), path); err != nil {
				t.Fatal(err)
			}
		}, []string{"is a symbolic link"}},
		{"fifo", func(t *testing.T, path string) {
			mkfifo(t, path)
		}, []string{"is a named pipe", "not a regular file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.mp4")
			tc.make(t, path)
			before, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			s := &storage{size: 10}
			_, err = ToFile(context.Background(), nil, serve(t, s), path, quick)
			if err == nil {
				t.Fatal("err = nil, want a refusal")
			}
			for _, w := range append(tc.want, path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to say %q", err, w)
				}
			}
			if n := len(s.requests()); n != 0 {
				t.Errorf("sent %d requests, want none", n)
			}
			after, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			if after.Mode().Type() != before.Mode().Type() {
				t.Errorf("path changed from %v to %v", before.Mode().Type(), after.Mode().Type())
			}
			if got, err := os.ReadFile(filepath.Join(dir, "target.mp4")); err == nil && string(got) != "target" {
				t.Errorf("symlink target now holds %q", got)
			}
			for _, name := range entries(t, dir) {
				if strings.HasSuffix(name, ".part") {
					t.Errorf("temporary file %s left behind", name)
				}
			}
		})
	}
}
