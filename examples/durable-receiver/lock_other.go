//go:build !unix

package main

import (
	"os"
	"sync"
)

var eventsMu sync.Mutex

// lockFile serialises the appends of this process; without flock, workers in
// other processes sharing -out may, rarely, log a redelivered event twice.
func lockFile(*os.File) (unlock func(), err error) {
	eventsMu.Lock()
	return eventsMu.Unlock, nil
}
