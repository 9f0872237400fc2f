package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
)

// ToFile downloads the file at rawURL into the file at path and returns its
// size. On error, n is how many bytes the temporary file held when the
// download failed (the temporary file itself is removed). It follows the
// rules of To, with two differences that a file allows:
//
//   - The bytes go to a temporary file in path's directory (named
//     ".<name>.*.part"), which is flushed to disk (fsync) and renamed to path
//     only once complete. On any error the temporary file is removed, so path
//     never holds a partial file and no temporary file is left behind.
//   - When the server cannot continue a cut download (it answers a Range
//     request with the whole file, resumes at another offset, sends a
//     malformed Content-Range or one that disagrees with Content-Length, or
//     the file changed), ToFile starts over from the first byte instead of
//     failing; each start over counts against Options.MaxRetries.
//
// An existing regular file at path is replaced atomically (rename), and only
// once the new one is complete; until then it is left as it was. Anything
// else at path (a directory, a symbolic link, a named pipe, a device, a
// socket) is refused before any request, as CheckPath says. The new file has
// mode 0600: recordings are private; change it afterwards if others must read
// it.
func ToFile(ctx context.Context, hc *http.Client, rawURL, path string, o Options) (n int64, err error) {
	if path == "" {
		return 0, errors.New("download: file path is empty")
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return 0, err
	}
	if err := CheckPath(path); err != nil {
		return 0, err
	}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+name+".*.part")
	if err != nil {
		return 0, fmt.Errorf("download: creating temporary file: %w", err)
	}
	tmp := f.Name()
	// ok, not err, decides the cleanup: a panic (in the Progress callback,
	// say) leaves err nil but must not leave the temporary file behind.
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()

	j := newJob(hc, u, f, o)
	j.restart = func() error {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return f.Truncate(0)
	}
	if n, err = j.run(ctx); err != nil {
		return n, err
	}
	if err = f.Sync(); err != nil {
		return n, fmt.Errorf("download: flushing %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return n, fmt.Errorf("download: closing %s: %w", tmp, err)
	}
	// Check again: something may have appeared at path during the download,
	// and the rename would replace it without a word.
	if err = CheckPath(path); err != nil {
		return n, err
	}
	if err = os.Rename(tmp, path); err != nil {
		return n, fmt.Errorf("download: %w", err)
	}
	ok = true
	syncDir(dir)
	return n, nil
}

// syncDir flushes dir's entry list so the rename survives a crash. It is best
// effort: some systems cannot sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// CheckPath refuses a path that ToFile must not replace: it returns nil when
// nothing is at path or a regular file is, and otherwise an error naming the
// path and what is there. A rename onto path would swap a symbolic link (not
// its target), a named pipe, a socket or, for root, a device such as
// /dev/null for a regular file without telling anyone, so these are refused;
// a symbolic link is not followed either, as a caller may not expect the file
// to land elsewhere: the error asks for the resolved path instead.
func CheckPath(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("download: checking the file path: %w", err)
	}
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m&fs.ModeSymlink != 0:
		return fmt.Errorf("download: %q is a symbolic link, which is not replaced or followed; pass the resolved path (filepath.EvalSymlinks) to write to its target", path)
	case m.IsDir():
		return fmt.Errorf("download: %q is a directory, not a file path", path)
	}
	return fmt.Errorf("download: %q is %s, not a regular file; refusing to replace it", path, kind(m))
}

// kind names the type of a file that is neither regular, nor a directory,
// nor a symbolic link, with its article.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
