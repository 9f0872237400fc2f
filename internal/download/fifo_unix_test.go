//go:build unix

package download

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path, which must be inside t.TempDir().
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}
