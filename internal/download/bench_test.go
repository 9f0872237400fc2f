package download

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
)

// BenchmarkDownload compares To with its floor, a plain http.Get and io.Copy
// of the same generated file from a loopback server, both into io.Discard.
// Read the ratio with:
//
//	go test -run '^$' -bench Download -count 6 ./internal/download | tee bench.txt
//	benchstat -col /via bench.txt
//
// DOWNLOAD_BENCH_BYTES sets the file size (64 MiB by default), e.g. to 1 GiB
// for a peak-memory check under /usr/bin/time -v with -bench 'Download/via=To$'
// -benchtime 1x.
func BenchmarkDownload(b *testing.B) {
	size := int64(64 << 20)
	if v := os.Getenv("DOWNLOAD_BENCH_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			b.Fatalf("DOWNLOAD_BENCH_BYTES=%q: %v", v, err)
		}
		size = n
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "", modTime, &generated{size: size})
	}))
	defer srv.Close()
	url := srv.URL + "/rec.mp4?X-Amz-Signature=" + signature

	b.Run("via=floor", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			resp, err := http.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || n != size {
				b.Fatalf("copied %d bytes, %v", n, err)
			}
		}
	})
	b.Run("via=To", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			n, err := To(context.Background(), nil, url, io.Discard, Options{})
			if err != nil || n != size {
				b.Fatalf("downloaded %d bytes, %v", n, err)
			}
		}
	})
}
