package recordings_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// BenchmarkDownload compares Service.Download with its floor, a plain
// http.Get and io.Copy, of the same generated file from meetingstest's
// storage host, both into io.Discard. Read the ratio with:
//
//	go test -run '^$' -bench Download -count 6 ./recordings | tee bench.txt
//	benchstat -col /impl bench.txt
//
// RECORDINGS_BENCH_BYTES sets the file size (64 MiB by default). For the
// 1 GiB peak-memory check, run the test binary under /usr/bin/time -v with
// -test.bench 'Download/impl=sdk' -test.benchtime 1x, then impl=floor.
func BenchmarkDownload(b *testing.B) {
	size := int64(64 << 20)
	if v := os.Getenv("RECORDINGS_BENCH_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			b.Fatalf("RECORDINGS_BENCH_BYTES=%q is not a positive byte count", v)
		}
		size = n
	}
	srv := meetingstest.Start(b)
	if err := srv.SetGeneratedFile(recID, size); err != nil {
		b.Fatal(err)
	}
	url, err := srv.DownloadURL(recID)
	if err != nil {
		b.Fatal(err)
	}
	client, err := meetings.NewClient(srv.APIKey(), srv.APISecret(), meetings.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}

	b.Run("impl=floor", func(b *testing.B) {
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
	b.Run("impl=sdk", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			n, err := client.Recordings.Download(context.Background(), url, io.Discard)
			if err != nil || n != size {
				b.Fatalf("downloaded %d bytes, %v", n, err)
			}
		}
	})
}
