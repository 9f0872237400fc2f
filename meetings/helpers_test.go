package meetings_test

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/vonage-meetings/go-sdk/meetings"
)

const (
	testKey    = "aaa012"
	testSecret = "abc123456789"
	mockBase   = "https://api.test/beta/meetings"
)

// newMockClient returns a client over a per-test mock transport, with 3
// retries waiting 1 ms.
func newMockClient(t *testing.T, opts ...meetings.Option) (*meetings.Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	opts = append([]meetings.Option{
		meetings.WithBaseURL(mockBase),
		meetings.WithHTTPClient(&http.Client{Transport: mock}),
		meetings.WithRetryPolicy(3, time.Millisecond, time.Millisecond),
	}, opts...)
	c, err := meetings.NewClient(testKey, testSecret, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mock
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sequence answers with statuses in turn, repeating the last one.
func sequence(statuses ...int) (httpmock.Responder, *int) {
	calls := 0
	return func(*http.Request) (*http.Response, error) {
		s := statuses[min(calls, len(statuses)-1)]
		calls++
		if s == http.StatusOK {
			return httpmock.NewStringResponse(s, `{"id":"x","status":"uploaded"}`), nil
		}
		return httpmock.NewStringResponse(s, ""), nil
	}, &calls
}
