package meetingstest_test

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestAPIFaultsPlayInOrder(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	require.NoError(t, srv.InjectAPIFault(2, meetingstest.Fault{Status: 503, RetryAfter: "1"}))
	require.NoError(t, srv.InjectAPIFault(1, meetingstest.Fault{Status: 429}))
	for _, want := range []int{503, 503, 429, 200} {
		resp, body := call(t, srv, "GET", "/recordings/"+recA, nil)
		assert.Equal(t, want, resp.StatusCode)
		if want == 503 {
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
			assert.JSONEq(t, `{"title":"Service Unavailable","detail":"meetingstest: injected fault"}`, string(body))
		}
		if want == 429 {
			assert.Empty(t, resp.Header.Values("Retry-After"))
		}
	}
	assert.Equal(t, 503, srv.Requests()[0].Status, "the log has the status answered")
}

func TestInjectingForeverCostsNothing(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	require.NoError(t, srv.InjectStorageFault(math.MaxInt, meetingstest.Fault{Status: 500}))
	require.NoError(t, srv.InjectStorageFault(math.MaxInt, meetingstest.Fault{Status: 500}))
	assert.Error(t, srv.InjectAPIFault(0, meetingstest.Fault{Status: 500}))
	u, _ := srv.DownloadURL(recA)
	for range 3 {
		resp, _ := send(t, mustRequest(t, "GET", u))
		assert.Equal(t, 500, resp.StatusCode)
	}
}

func TestDropAndDelay(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	require.NoError(t, srv.InjectAPIFault(1, meetingstest.Fault{Drop: true}))
	req := mustRequest(t, "GET", srv.URL+"/recordings/"+recA)
	req.SetBasicAuth(srv.APIKey(), srv.APISecret())
	_, err := client.Do(req)
	assert.Error(t, err, "the connection closes without an answer")
	assert.Zero(t, srv.Requests()[0].Status)

	require.NoError(t, srv.InjectAPIFault(1, meetingstest.Fault{Delay: 50 * time.Millisecond}))
	start := time.Now()
	resp, _ := call(t, srv, "GET", "/recordings/"+recA, nil)
	assert.Equal(t, 200, resp.StatusCode, "a delay alone answers normally")
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)

	require.NoError(t, srv.InjectAPIFault(1, meetingstest.Fault{Delay: time.Hour}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req = mustRequest(t, "GET", srv.URL+"/recordings/"+recA).WithContext(ctx)
	_, err = client.Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "a client that gives up ends the delay")

	require.NoError(t, srv.InjectAPIFault(1, meetingstest.Fault{Delay: time.Hour}))
	done := make(chan error, 1)
	go func() {
		req := mustRequestNoT(srv.URL + "/recordings/" + recA)
		_, err := client.Do(req)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	srv.Close() // cuts the delay short
	select {
	case err := <-done:
		assert.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the delay")
	}
}

func mustRequestNoT(u string) *http.Request {
	req, _ := http.NewRequest("GET", u, nil)
	return req
}
