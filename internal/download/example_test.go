package download_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vonage-meetings/go-sdk/internal/download"
)

// storageHost stands for the storage host a recording's URL points to.
func storageHost() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "rec.mp4", time.Time{}, strings.NewReader("pretend this is a video"))
	}))
}

func ExampleTo() {
	srv := storageHost()
	defer srv.Close()

	var buf bytes.Buffer
	n, err := download.To(context.Background(), &http.Client{}, srv.URL+"/rec.mp4?X-Amz-Signature=abc", &buf, download.Options{
		Progress: func(done, total int64) { fmt.Printf("%d of %d bytes\n", done, total) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d bytes: %s\n", n, buf.String())
	// Output:
	// 0 of 23 bytes
	// 23 of 23 bytes
	// 23 bytes: pretend this is a video
}

func ExampleToFile() {
	srv := storageHost()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "recordings")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	path := filepath.Join(dir, "rec.mp4")
	n, err := download.ToFile(context.Background(), &http.Client{}, srv.URL+"/rec.mp4", path, download.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	saved, _ := os.ReadFile(path)
	fmt.Printf("saved %d bytes: %s\n", n, saved)
	// Output: saved 23 bytes: pretend this is a video
}

func ExampleTo_insecureURL() {
	_, err := download.To(context.Background(), &http.Client{}, "http://storage.example.com/rec.mp4?X-Amz-Signature=abc", &bytes.Buffer{}, download.Options{})
	fmt.Println(errors.Is(err, download.ErrInsecureURL))
	fmt.Println(err)
	// Output:
	// true
	// download: insecure URL: http://storage.example.com/rec.mp4 uses http; only https is allowed, except for loopback hosts
}
